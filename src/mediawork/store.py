"""The Parquet store: atomic, sorted writes and column- and partition-selective reads.

This is the only module that writes ``data/processed``. Every write goes to a
temporary file in the same folder and is then renamed over the target, so a run
killed at any moment leaves either the old table or the new one, never half of one.

Small tables (manifest, co-occurrence, ingest's internal tables) are single files.
The tables that grow with the corpus (articles, removed lines, sentences, terms,
mentions; see :data:`PARTITIONED`) are *datasets*: a folder with the table's file
name (``terms.parquet/``) holding one sub-folder per month of publication of the
articles (``month=2025-03/``, ``month=unknown/`` for undated ones), each split into
part files of about :data:`CHUNK_TARGET` articles. Parts are cut where an article id
hashes to a boundary (content-defined chunking), so adding articles rewrites only
the parts they fall in, and part files are named by the SHA-256 of their bytes.
``_index.json`` lists the current parts with their month, row count and article ids'
digest; it is replaced atomically last, so a reader sees the old dataset or the new
one, and files no index names are removed. Readers pick parts by month before
opening any file (:func:`read_table` with ``months``, :func:`read_articles` with
dates), so memory follows the selection, not the corpus. Plain ``pyarrow.dataset``
or ``pandas.read_parquet`` on the folder also work (hive partitioning on ``month``).

Example
-------
>>> import pandas as pd, tempfile
>>> from mediawork import store, schema
>>> d = Path(tempfile.mkdtemp())
>>> m = pd.DataFrame({"source_file": ["b.txt", "a.txt"], "sha256": ["2", "1"], "bytes": [3, 4],
...                   "status": ["ok", "rejected"], "reason": [None, "empty file"], "article_id": ["x", None],
...                   "modified": pd.to_datetime(["2025-03-18 09:00", "2025-03-18 09:05"], utc=True)})
>>> _ = store.write_table(m, schema.MANIFEST, d)
>>> store.read_table("manifest", d)["source_file"].tolist()
['a.txt', 'b.txt']
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import os
import tempfile
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from .errors import DataError
from .schema import ARTICLES, TABLES, Table

#: Tables stored as month-partitioned datasets (the ones that grow with the corpus).
PARTITIONED = frozenset(t.name for t in TABLES.values() if t.partitioned)
#: Average number of articles per part file of a partitioned table.
CHUNK_TARGET = 1024
#: The partition of articles without a publication time.
UNKNOWN_MONTH = "unknown"
#: The file listing a dataset's parts.
INDEX_FILE = "_index.json"
DATASET_FORMAT = "mediawork-dataset/1"


def _table(table: Table | str) -> Table:
    if isinstance(table, Table):
        return table
    try:
        return TABLES[table]
    except KeyError:
        raise DataError(f"unknown table {table!r}; expected one of {sorted(TABLES)}") from None


def to_arrow(df: pd.DataFrame | pa.Table, table: Table | str, *, sort_all: bool = False) -> pa.Table:
    """Cast ``df`` to the table's Arrow schema, in declared column order and sort order.

    With ``sort_all``, ties of the sort order are broken by every other column, so
    the bytes cannot depend on the order rows were gathered in. Rows are sorted as
    ``DataFrame.sort_values(kind="stable", na_position="first")`` would sort them,
    but by Arrow (no pandas factorisation of every key column). ``df`` may also be
    an Arrow table with the table's columns: it is then cast to the schema and gets
    the pandas metadata a frame of :func:`empty_frame`'s dtypes would give, so both
    kinds of input write the same bytes.
    Raises :class:`DataError` naming the missing columns when ``df`` lacks any.

    Examples
    --------
    >>> frame = pd.DataFrame({"article_id": ["b", "a"], "term": ["x", "y"], "n": [1, 1], "count": [2, 3]})
    >>> to_arrow(frame, "terms").column("article_id").to_pylist()
    ['a', 'b']
    """
    table = _table(table)
    found = df.column_names if isinstance(df, pa.Table) else list(df.columns)
    missing = [c for c in table.names if c not in found]
    if missing:
        raise DataError(f"cannot write {table.file}: missing columns {missing}; got {list(found)}")
    try:
        if isinstance(df, pa.Table):
            arrow = df.select(table.names).cast(_pandas_schema(table))
        else:
            arrow = pa.Table.from_pandas(df[table.names], schema=table.arrow_schema, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise DataError(f"cannot write {table.file}: a column does not match its declared type ({exc})") from exc
    if arrow.num_rows > 1:
        keys = list(table.sort_by)
        if sort_all:
            keys = list(dict.fromkeys([*keys, *(c for c, t in zip(table.names, table.arrow_schema.types) if not pa.types.is_list(t))]))
        arrow = _sorted_by(arrow, keys)
    # One chunk per column, so the bytes depend only on the rows, not on how the frame was assembled.
    return arrow.combine_chunks()


def _sorted_by(arrow: pa.Table, keys: Sequence[str]) -> pa.Table:
    """``arrow`` stably sorted by ``keys`` (ascending, missing values first); as it is when already in that order."""
    if _in_order(arrow, keys):
        return arrow
    return arrow.take(pc.sort_indices(arrow.select(keys), options=_ascending_nulls_first(keys)))


def _ascending_nulls_first(keys: Sequence[str]) -> pc.SortOptions:
    """Sort options for ``keys``, ascending with missing values first (stable, as Arrow's sorts are)."""
    try:
        return pc.SortOptions(sort_keys=[(k, "ascending", "at_start") for k in keys])
    except (TypeError, ValueError, pa.ArrowInvalid):  # pyarrow before per-key null placement
        return pc.SortOptions(sort_keys=[(k, "ascending") for k in keys], null_placement="at_start")


def _in_order(arrow: pa.Table, keys: Sequence[str]) -> bool:
    """Whether the rows already follow ``keys`` (ascending, missing values first), checked in one pass.

    Each row is compared with the next, key by key, as long as some neighbours are
    tied on the keys before; ties on every key count as in order (a stable sort leaves
    them as they are). False when unsure (a NaN, a type Arrow cannot compare): the
    caller then sorts.
    """
    tied = None  # row i equals row i + 1 on the keys so far (None: every row)
    try:
        for key in keys:
            column = arrow.column(key)
            before, after = column.slice(0, len(column) - 1), column.slice(1)
            has_before, has_after = pc.is_valid(before), pc.is_valid(after)
            less = pc.or_(pc.fill_null(pc.less(before, after), False), pc.and_(pc.invert(has_before), has_after))
            equal = pc.or_(pc.fill_null(pc.equal(before, after), False), pc.and_(pc.invert(has_before), pc.invert(has_after)))
            ordered = pc.or_(less, equal)
            if tied is not None:  # only neighbours tied so far are decided by this key
                ordered, equal = pc.or_(ordered, pc.invert(tied)), pc.and_(equal, tied)
            if not pc.all(ordered).as_py():
                return False
            if not pc.any(equal).as_py():
                return True
            tied = equal
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
        return False
    return True


_PANDAS_SCHEMAS: dict[str, pa.Schema] = {}


def _pandas_schema(table: Table) -> pa.Schema:
    """The table's Arrow schema with the pandas metadata a frame of :func:`empty_frame`'s dtypes gets."""
    found = _PANDAS_SCHEMAS.get(table.name)
    if found is None:
        found = _PANDAS_SCHEMAS[table.name] = pa.Table.from_pandas(empty_frame(table), schema=table.arrow_schema, preserve_index=False).schema
    return found


def _write_file(arrow: pa.Table, folder: Path, *, prefix: str) -> Path:
    """Write ``arrow`` to a temporary file in ``folder``, fsynced; the caller renames it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{prefix}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        pq.write_table(arrow, tmp, compression="zstd", write_statistics=True)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_table(
    df: pd.DataFrame,
    table: Table | str,
    data_dir: Path,
    *,
    months: Mapping[str, str] | None = None,
    unchanged: Collection[str] = (),
) -> Path:
    """Write ``df`` as the whole of ``data_dir/<table file>``, atomically, sorted and cast to the schema.

    The bytes depend only on the rows, not on their order in ``df`` or on the run,
    so two runs over the same inputs give identical files.

    Parameters
    ----------
    df:
        Every row of the table.
    table:
        The table (or its name).
    data_dir:
        The processed-data folder.
    months:
        For a partitioned table other than articles: each article id's month
        (:func:`month_of`); by default taken from the articles table in ``data_dir``.
        Articles take theirs from ``published``.
    unchanged:
        Article ids whose rows are known to equal the stored ones: a part whose
        articles are all unchanged and whose id set is the same is kept without
        being written again (the bytes would be the same).
    """
    table = _table(table)
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    if table.name in PARTITIONED:
        with DatasetWriter(table, data_dir) as writer:
            writer.write_all(df, months=months, unchanged=unchanged)
        return data_dir / table.file
    target = data_dir / table.file
    tmp = _write_file(to_arrow(df, table), data_dir, prefix=table.name)
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def empty_frame(table: Table | str) -> pd.DataFrame:
    """An empty DataFrame with the table's columns and dtypes."""
    return _table(table).arrow_schema.empty_table().to_pandas()


def typed(frame: pd.DataFrame, table: Table | str) -> pd.DataFrame:
    """``frame``'s columns of ``table``, in its order, with the dtypes the store reads back (:func:`empty_frame`'s).

    Rows carried over from stored tables and rows made in this run glue into columns of
    varying dtypes (``str`` or ``object``), which a Parquet file records; one set of
    dtypes makes an incremental run write the bytes of a full run.

    Examples
    --------
    >>> typed(pd.DataFrame({"article_id": ["a"], "term": ["vote"], "n": [1], "count": [2]}), "terms").dtypes.astype(str).tolist()
    ['str', 'str', 'int8', 'int32']
    """
    table = _table(table)
    return frame[table.names].astype(_dtypes(table.name))


@functools.cache
def _dtypes(name: str) -> dict[str, Any]:
    """Column -> dtype of the table ``name`` as the store reads it back (built once per table)."""
    return empty_frame(name).dtypes.to_dict()


# --------------------------------------------------------------------------- partitioned datasets


def isin(values: pd.Series, wanted: Iterable[str | None] | pd.Series) -> np.ndarray:
    """``values.isin(wanted)`` for a column of strings (ids, names), as a boolean array, through Arrow.

    pandas' own ``isin`` on Arrow-backed strings builds a Python object per wanted
    value: about a second for 100,000 ids, where this takes a few milliseconds. A
    missing value is never in ``wanted``.

    Examples
    --------
    >>> isin(pd.Series(["a", "b", None]), {"b", "c"}).tolist()
    [False, True, False]
    """
    if isinstance(wanted, pd.Series):
        value_set = pa.array(wanted, type=pa.string(), from_pandas=True)
    else:
        value_set = pa.array(list(wanted), type=pa.string())
    mask = pc.is_in(pa.array(values, type=pa.string(), from_pandas=True), value_set=value_set, skip_nulls=True)
    return mask.fill_null(False).to_numpy(zero_copy_only=False)


def month_of(published: pd.Series) -> pd.Series:
    """The partition of each publication time: ``"YYYY-MM"`` in UTC, ``"unknown"`` when missing.

    Examples
    --------
    >>> month_of(pd.Series(pd.to_datetime(["2025-03-18T07:10Z", None], utc=True))).tolist()
    ['2025-03', 'unknown']
    """
    if published.empty:
        return pd.Series([], index=published.index, dtype=object)
    stamps = pd.to_datetime(published, utc=True)
    # "%Y-%m" depends on the year and month alone: format one time of each distinct month, then spread the labels.
    year_month = (stamps.dt.year * 12 + stamps.dt.month).to_numpy(dtype="float64", na_value=np.nan)
    codes, uniques = pd.factorize(year_month, use_na_sentinel=True)
    if not len(uniques):
        return pd.Series(UNKNOWN_MONTH, index=published.index, dtype=object)
    first = np.full(len(uniques), len(codes), dtype=np.int64)
    np.minimum.at(first, codes[codes >= 0], np.flatnonzero(codes >= 0))
    labels = np.array([*stamps.iloc[first].dt.strftime("%Y-%m").tolist(), UNKNOWN_MONTH], dtype=object)
    return pd.Series(labels[codes], index=published.index, dtype=object)


def _month_of_slow(published: pd.Series) -> pd.Series:
    """The reference :func:`month_of`: every time formatted."""
    if published.empty:
        return pd.Series([], index=published.index, dtype=object)
    stamps = pd.to_datetime(published, utc=True)
    return pd.Series(stamps.dt.strftime("%Y-%m").astype(object).where(stamps.notna(), UNKNOWN_MONTH), index=published.index, dtype=object)


def chunk_ids(ids: Iterable[str]) -> list[list[str]]:
    """Cut sorted article ids into parts of about :data:`CHUNK_TARGET` ids.

    A part starts at every id whose CRC-32 is a multiple of ``CHUNK_TARGET`` (and at
    the first id), so the cut points do not move when ids are added or removed
    elsewhere: an insertion changes only the part it falls in.

    Examples
    --------
    >>> chunk_ids(["b", "a"])
    [['a', 'b']]
    """
    unique = sorted(set(ids))
    crc32 = zlib.crc32
    starts = [i for i, aid in enumerate(unique) if not i or not crc32(aid.encode("utf-8")) % CHUNK_TARGET]
    return [unique[a:b] for a, b in zip(starts, [*starts[1:], len(unique)])]


def _chunk_ids_slow(ids: Iterable[str]) -> list[list[str]]:
    """The reference :func:`chunk_ids`: ids appended one by one to the part they fall in."""
    parts: list[list[str]] = []
    for aid in sorted(set(ids)):
        if not parts or zlib.crc32(aid.encode("utf-8")) % CHUNK_TARGET == 0:
            parts.append([])
        parts[-1].append(aid)
    return parts


def ids_digest(ids: Iterable[str]) -> str:
    """A short digest of a set of article ids (order-free), as recorded per part."""
    return hashlib.sha256("\n".join(sorted(set(ids))).encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class Part:
    """One part file of a partitioned table, as listed in its ``_index.json``."""

    path: str  # relative to the table's folder
    month: str | None  # None for a table stored as one file
    rows: int
    first: str | None  # smallest article id in the part
    last: str | None  # largest article id in the part
    ids: str  # ids_digest of the part's article ids


def parts(table: Table | str, data_dir: Path, *, months: Iterable[str] | None = None) -> list[Part]:
    """The parts of a table (empty when it does not exist), optionally only some months.

    A table still stored as one file (an older layout, or a small table) is a single
    part with month ``None``; month filters keep it.
    """
    table = _table(table)
    path = Path(data_dir) / table.file
    wanted = None if months is None else set(months)
    if path.is_file():
        try:
            rows = pq.ParquetFile(path).metadata.num_rows
        except (pa.ArrowException, OSError) as exc:
            raise _unreadable(path, exc) from None
        return [Part(path="", month=None, rows=rows, first=None, last=None, ids="")]
    index = path / INDEX_FILE
    if not index.is_file():
        return []
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
        found = [Part(**entry) for entry in data["parts"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{index} is unreadable ({exc}); run `mediawork ingest` (and `mediawork analyze --full`) again to rebuild {table.file}") from exc
    return [p for p in found if wanted is None or p.month in wanted]


def exists(table: Table | str, data_dir: Path) -> bool:
    """Whether the table has been written to ``data_dir`` (as one file or as a dataset)."""
    table = _table(table)
    path = Path(data_dir) / table.file
    return path.is_file() or (path / INDEX_FILE).is_file()


def fingerprint(table: Table | str, data_dir: Path) -> str:
    """SHA-256 of the table's bytes: of its file, or of its index (which names each part by its bytes' hash).

    Equal fingerprints mean byte-identical tables.
    """
    table = _table(table)
    path = Path(data_dir) / table.file
    target = path if path.is_file() else path / INDEX_FILE
    if not target.is_file():
        raise DataError(f"{path} not found: run `mediawork ingest` first (or pass --data to the folder that holds it)")
    return hashlib.sha256(target.read_bytes()).hexdigest()


class DatasetWriter:
    """Replace some or all parts of a partitioned table, then commit the new index atomically.

    ``keep`` carries an existing part over, ``write`` writes a new one (rows of one
    month), and ``commit`` (or leaving the ``with`` block without an error) writes the
    index naming exactly the kept and written parts and deletes every other file.
    Leaving the block with an error writes nothing: the old index still holds.

    Example
    -------
    >>> with DatasetWriter("terms", Path("data/processed")) as w:  # doctest: +SKIP
    ...     for part in w.old: w.keep(part)
    ...     w.write(new_rows, month="2025-04")
    """

    def __init__(self, table: Table | str, data_dir: Path):
        self.table = _table(table)
        if self.table.name not in PARTITIONED:
            raise DataError(f"{self.table.file} is not a partitioned table; use write_table")
        self.data_dir = Path(data_dir)
        self.folder = self.data_dir / self.table.file
        self.old: list[Part] = [p for p in parts(self.table, self.data_dir) if p.month is not None]
        self._old_by_ids = {(p.month, p.ids): p for p in self.old}
        self._new: dict[str, Part] = {}

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()

    def replaced(self) -> list[Part]:
        """The old parts the new index will not name (their files go at :meth:`commit`)."""
        return [p for p in self.old if p.path not in self._new]

    def added(self) -> list[Part]:
        """The parts the new index will name that the old one did not (written in this run)."""
        old = {p.path for p in self.old}
        return [p for p in self._new.values() if p.path not in old]

    def keep(self, part: Part) -> None:
        """Carry an existing part over unchanged."""
        self._new[part.path] = part

    def write(self, df: pd.DataFrame | pa.Table, *, month: str, ids: Sequence[str] | None = None) -> Part | None:
        """Write ``df`` (rows of one month, a frame or an Arrow table; see :func:`to_arrow`) as one part file.

        ``ids`` names the articles the part stands for (some may have no rows, e.g. no
        sentences); the part is then written even when empty, so a later run can
        tell "no rows" from "not analysed". Without ``ids`` an empty frame writes nothing.
        """
        if (df.num_rows == 0 if isinstance(df, pa.Table) else df.empty) and ids is None:
            return None
        if self.folder.is_file():  # an older single-file table becomes a dataset
            self.folder.unlink()
        folder = self.folder / f"month={month}"
        folder.mkdir(parents=True, exist_ok=True)
        arrow = to_arrow(df, self.table, sort_all=True)
        tmp = _write_file(arrow, folder, prefix="part")
        try:
            digest = hashlib.sha256(tmp.read_bytes()).hexdigest()[:20]
            target = folder / f"part-{digest}.parquet"
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        ids = sorted(set(arrow.column("article_id").to_pylist() if ids is None else ids))
        part = Part(path=f"month={month}/{target.name}", month=month, rows=arrow.num_rows,
                    first=ids[0] if ids else "", last=ids[-1] if ids else "", ids=ids_digest(ids))
        self._new[part.path] = part
        return part

    def put(self, chunk: Sequence[str], *, month: str, unchanged: bool, rows: Callable[[], pd.DataFrame]) -> None:
        """The part of the articles ``chunk`` (one of :func:`chunk_ids`): kept as stored when
        ``unchanged`` and a stored part holds exactly these articles, else ``rows()`` written."""
        reuse = self._old_by_ids.get((month, ids_digest(chunk))) if unchanged else None
        if reuse is not None:
            self.keep(reuse)
        else:
            self.write(rows(), month=month, ids=chunk)

    def write_all(self, df: pd.DataFrame, *, months: Mapping[str, str] | None = None, unchanged: Collection[str] = ()) -> None:
        """Make the dataset hold exactly ``df``'s rows, chunked by month and article id."""
        month = self._months(df, months)
        unchanged = set(unchanged)
        for m in sorted(set(month)):
            rows = df[(month == m).to_numpy()].sort_values("article_id", kind="stable")
            ids = rows["article_id"].to_numpy(dtype=object)
            for chunk in chunk_ids(pd.unique(ids)):
                lo, hi = np.searchsorted(ids, chunk[0], "left"), np.searchsorted(ids, chunk[-1], "right")
                self.put(chunk, month=m, unchanged=unchanged.issuperset(chunk), rows=lambda: rows.iloc[lo:hi])

    def _months(self, df: pd.DataFrame, months: Mapping[str, str] | None) -> pd.Series:
        if self.table.name == "articles" and months is None:
            return month_of(df["published"]) if "published" in df.columns else pd.Series(UNKNOWN_MONTH, index=df.index)
        if months is None and exists(ARTICLES, self.data_dir):  # the articles written beside it know
            known = read_table(ARTICLES, self.data_dir, columns=["article_id", "published"])
            months = dict(zip(known["article_id"], month_of(known["published"])))
        if months is None:
            raise DataError(f"writing {self.table.file} needs each article's month: write articles.parquet first or pass months=...")
        month = df["article_id"].map(months)
        if month.isna().any():
            lost = sorted(df.loc[month.isna(), "article_id"].unique())[:5]
            raise DataError(f"cannot write {self.table.file}: no month known for article(s) {lost}")
        return month.astype(object)

    def commit(self) -> Path:
        """Write the index naming the kept and written parts, then delete every other file of the table."""
        self.folder.mkdir(parents=True, exist_ok=True)
        entries = [asdict(p) for p in sorted(self._new.values(), key=lambda p: (p.month, p.first or "", p.path))]
        payload = json.dumps({"format": DATASET_FORMAT, "table": self.table.name, "parts": entries}, indent=1, sort_keys=True)
        fd, tmp = tempfile.mkstemp(prefix=".index.", suffix=".tmp", dir=self.folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(payload + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.folder / INDEX_FILE)
        self._sweep()
        return self.folder

    def _sweep(self) -> None:
        """Delete part files and folders the index no longer names (and leftovers of killed runs)."""
        named = set(self._new)
        for sub in sorted(self.folder.iterdir()):
            if not sub.is_dir():
                if sub.name != INDEX_FILE:
                    sub.unlink(missing_ok=True)
                continue
            for f in sub.iterdir():
                if f"{sub.name}/{f.name}" not in named:
                    f.unlink(missing_ok=True)
            if not any(sub.iterdir()):
                sub.rmdir()


def _read_parts(table: Table, data_dir: Path, chosen: Sequence[Part], *, columns: Sequence[str] | None, article_ids: Collection[str] | None) -> pa.Table:
    path = Path(data_dir) / table.file
    files = [str(path / p.path) if p.path else str(path) for p in chosen]
    cols = list(columns) if columns else table.names
    if not files:
        return table.arrow_schema.empty_table().select(cols)
    where = None if article_ids is None else ds.field("article_id").isin(pa.array(sorted(set(article_ids)), type=pa.string()))
    try:
        return ds.dataset(files, format="parquet", schema=table.arrow_schema).to_table(columns=cols, filter=where)
    except (pa.ArrowException, OSError) as exc:
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: Exception) -> DataError:
    """The error for a table file that exists but cannot be read as Parquet."""
    return DataError(
        f"{path} cannot be read ({type(exc).__name__}: {exc}); expected a Parquet table written by mediawork. "
        "Move it away and run `mediawork ingest` (and `mediawork analyze --full`) again to rebuild it."
    )


def read_parts(table: Table | str, data_dir: Path, chosen: Sequence[Part], *, columns: Sequence[str] | None = None) -> pa.Table:
    """The rows of some parts of a table (from :func:`parts` or a :class:`DatasetWriter`), part after part, as Arrow.

    Examples
    --------
    >>> old = [p for p in parts("pair_counts", Path("data/processed")) if p.month == "2025-03"]  # doctest: +SKIP
    >>> read_parts("pair_counts", Path("data/processed"), old).num_rows  # doctest: +SKIP
    """
    table = _table(table)
    _check_columns(table, columns)
    return _read_parts(table, Path(data_dir), list(chosen), columns=columns, article_ids=None)


def iter_parts(
    table: Table | str,
    data_dir: Path,
    *,
    columns: Sequence[str] | None = None,
    months: Iterable[str] | None = None,
    arrow: bool = False,
) -> Iterator[tuple[Part, pd.DataFrame | pa.Table]]:
    """Yield each part of a table with its rows, one part in memory at a time.

    With ``arrow``, the rows come as a ``pyarrow.Table`` (no conversion to pandas).

    Examples
    --------
    >>> for part, rows in iter_parts("terms", Path("data/processed"), columns=["term", "count"]):  # doctest: +SKIP
    ...     totals.update(dict(zip(rows["term"], rows["count"])))
    """
    table = _table(table)
    _check_columns(table, columns)
    for part in parts(table, data_dir, months=months):
        rows = _read_parts(table, Path(data_dir), [part], columns=columns, article_ids=None)
        yield part, rows if arrow else rows.to_pandas()


def _check_columns(table: Table, columns: Sequence[str] | None) -> None:
    if columns:
        unknown = [c for c in columns if c not in table.names]
        if unknown:
            raise DataError(f"{table.file} has no column(s) {unknown}; it has {table.names}")


def read_table(
    table: Table | str,
    data_dir: Path,
    *,
    columns: Sequence[str] | None = None,
    missing_ok: bool = False,
    months: Iterable[str] | None = None,
    article_ids: Collection[str] | None = None,
    arrow: bool = False,
    sort: bool = True,
) -> pd.DataFrame | pa.Table:
    """Read a processed table, optionally only some columns, months or articles.

    Parameters
    ----------
    table:
        The table or its name (``"terms"``).
    data_dir:
        The processed-data folder.
    columns:
        Columns to return (all by default).
    missing_ok:
        Return an empty frame instead of raising when the table was never written.
    months:
        For a partitioned table, read only these months' parts (``"2025-03"``,
        ``"unknown"``); other months' files are not opened.
    article_ids:
        Keep only rows of these articles (filtered while reading).
    arrow:
        Return a ``pyarrow.Table`` of the table's Arrow types instead of a frame (no
        conversion to pandas), with the same rows in the same order.
    sort:
        Put the rows of several parts in the table's sort order (the default). With
        ``False`` they come part by part, each part sorted as stored: cheaper, for
        callers whose result does not depend on the order of rows (e.g. sums).

    Rows come back in the table's sort order (unless ``sort=False``).

    Raises
    ------
    DataError
        The table is absent (unless ``missing_ok``) or lacks a requested column.

    Examples
    --------
    >>> read_table("terms", Path("data/processed"), columns=["term", "count"], months=["2025-03"])  # doctest: +SKIP
    """
    table = _table(table)
    data_dir = Path(data_dir)
    if not exists(table, data_dir):
        if missing_ok:
            if arrow:
                return table.arrow_schema.empty_table().select(list(columns) if columns else table.names)
            frame = empty_frame(table)
            return frame[list(columns)] if columns else frame
        raise DataError(f"{data_dir / table.file} not found: run `mediawork ingest` first (or pass --data to the folder that holds it)")
    _check_columns(table, columns)
    chosen = [p for p in parts(table, data_dir, months=months) if p.rows or p.month is None]
    if article_ids is not None:
        wanted = sorted(set(article_ids))
        chosen = [p for p in chosen if p.month is None or _overlaps(p, wanted)]
    found = _read_parts(table, data_dir, chosen, columns=columns, article_ids=article_ids)
    if arrow:
        keys = [c for c in table.sort_by if c in found.column_names]
        return _sorted_by(found, keys) if sort and len(chosen) > 1 and keys and found.num_rows > 1 else found
    frame = found.to_pandas()
    keys = [c for c in table.sort_by if c in frame.columns]
    if sort and len(chosen) > 1 and keys and len(frame):
        frame = frame.sort_values(keys, kind="stable", na_position="first", ignore_index=True)
    return frame


def _overlaps(part: Part, wanted: Sequence[str]) -> bool:
    """Whether any of the sorted ids ``wanted`` falls in the part's id range."""
    i = bisect.bisect_left(wanted, part.first)
    return i < len(wanted) and wanted[i] <= part.last


def count_rows(table: Table | str, data_dir: Path) -> int:
    """Number of rows of a processed table, read from the index or the Parquet footer (0 when absent)."""
    return sum(p.rows for p in parts(table, data_dir))


def _utc(value: str | datetime | pd.Timestamp | None, *, name: str) -> pd.Timestamp | None:
    if value is None or value == "":
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise DataError(f"{name}={value!r} is not a date; expected e.g. 2025-03-18") from exc
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def read_articles(
    data_dir: Path,
    *,
    columns: Sequence[str] | None = None,
    unique: bool = True,
    date_from: str | datetime | None = None,
    date_to: str | datetime | None = None,
    sources: Sequence[str] | str | None = None,
) -> pd.DataFrame:
    """Read ``articles.parquet`` filtered the way analyses want it.

    Parameters
    ----------
    data_dir:
        The processed-data folder.
    columns:
        Columns to return (all by default); the filter columns are read as needed.
    unique:
        Drop duplicates (rows with ``duplicate_of`` set), the default for analyses.
    date_from, date_to:
        Inclusive bounds on ``published`` (UTC); ``date_to`` given as a bare date
        includes that whole day. Articles without a date are dropped when a bound is set.
    sources:
        Keep only these sources (or outlets); a comma-separated string is accepted.

    Example
    -------
    >>> read_articles(Path("data/processed"), date_from="2025-03-01", sources=["hindustantimes.com"])  # doctest: +SKIP
    """
    if isinstance(sources, str):
        sources = [s.strip() for s in sources.split(",") if s.strip()]
    wanted = list(columns) if columns else list(ARTICLES.names)
    needed = list(dict.fromkeys(wanted + ["duplicate_of", "published", "source", "outlet"]))
    start = _utc(date_from, name="date_from")
    end = _utc(date_to, name="date_to")
    if end is not None and isinstance(date_to, str) and len(date_to.strip()) <= 10:
        end = end + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    df = read_table(ARTICLES, data_dir, columns=needed, months=months_between(start, end, data_dir))
    keep = pd.Series(True, index=df.index)
    if unique:
        keep &= df["duplicate_of"].isna()
    if start is not None:
        keep &= df["published"].notna() & (df["published"] >= start)
    if end is not None:
        keep &= df["published"].notna() & (df["published"] <= end)
    if sources:
        keep &= df["source"].isin(list(sources)) | df["outlet"].isin(list(sources))
    return df.loc[keep, wanted].reset_index(drop=True)


def months_between(start: pd.Timestamp | None, end: pd.Timestamp | None, data_dir: Path) -> list[str] | None:
    """The stored months of ``articles`` that can hold articles published between two UTC times.

    ``None`` (every month, undated articles included) when neither bound is set.

    Examples
    --------
    >>> months_between(None, None, Path("data/processed")) is None
    True
    """
    if start is None and end is None:
        return None
    lo = start.strftime("%Y-%m") if start is not None else ""
    hi = end.strftime("%Y-%m") if end is not None else "9999-99"
    return sorted({p.month for p in parts(ARTICLES, data_dir) if p.month is not None and p.month != UNKNOWN_MONTH and lo <= p.month <= hi})


def read_for_articles(
    table: Table | str,
    data_dir: Path,
    articles: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rows of an analysis table for the given articles, opening only their months' parts.

    ``articles`` needs ``article_id``; with ``published`` only the months it spans
    are read. A table never written gives an empty frame (notebooks then say which
    command to run).

    Examples
    --------
    >>> arts = read_articles(Path("data/processed"), date_from="2025-03-01", columns=["article_id", "published"])  # doctest: +SKIP
    >>> read_for_articles("sentences", Path("data/processed"), arts, columns=["article_id", "compound"])  # doctest: +SKIP
    """
    table = _table(table)
    months = sorted(set(month_of(articles["published"]))) if "published" in articles.columns else None
    return read_table(table, data_dir, columns=columns, missing_ok=True, months=months, article_ids=articles["article_id"].tolist())

