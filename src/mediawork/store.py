"""The Parquet store: atomic, sorted writes and column-selective reads of processed tables.

This is the only module that writes ``data/processed``. Every write goes to a
temporary file in the same folder and is then renamed over the target, so a run
killed at any moment leaves either the old table or the new one, never half of one.

Example
-------
>>> import pandas as pd, tempfile
>>> from mediawork import store, schema
>>> d = Path(tempfile.mkdtemp())
>>> m = pd.DataFrame({"source_file": ["b.txt", "a.txt"], "sha256": ["2", "1"], "bytes": [3, 4],
...                   "status": ["ok", "rejected"], "reason": [None, "empty file"], "article_id": ["x", None]})
>>> _ = store.write_table(m, schema.MANIFEST, d)
>>> store.read_table("manifest", d)["source_file"].tolist()
['a.txt', 'b.txt']
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .errors import DataError
from .schema import ARTICLES, TABLES, Table


def _table(table: Table | str) -> Table:
    if isinstance(table, Table):
        return table
    try:
        return TABLES[table]
    except KeyError:
        raise DataError(f"unknown table {table!r}; expected one of {sorted(TABLES)}") from None


def to_arrow(df: pd.DataFrame, table: Table | str) -> pa.Table:
    """Cast ``df`` to the table's Arrow schema, in declared column order and sort order.

    Raises :class:`DataError` naming the missing columns when ``df`` lacks any.
    """
    table = _table(table)
    missing = [c for c in table.names if c not in df.columns]
    if missing:
        raise DataError(f"cannot write {table.file}: missing columns {missing}; got {list(df.columns)}")
    ordered = df[table.names]
    if len(ordered):
        ordered = ordered.sort_values(list(table.sort_by), kind="stable", na_position="first")
    ordered = ordered.reset_index(drop=True)
    try:
        # One chunk per column, so the bytes depend only on the rows, not on how the frame was assembled.
        return pa.Table.from_pandas(ordered, schema=table.arrow_schema, preserve_index=False).combine_chunks()
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise DataError(f"cannot write {table.file}: a column does not match its declared type ({exc})") from exc


def write_table(df: pd.DataFrame, table: Table | str, data_dir: Path) -> Path:
    """Write ``df`` as ``data_dir/<table file>`` atomically, sorted and cast to the schema.

    The bytes depend only on the rows, not on their order in ``df`` or on the run,
    so two runs over the same inputs give identical files.
    """
    table = _table(table)
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / table.file
    arrow = to_arrow(df, table)
    fd, tmp = tempfile.mkstemp(prefix=f".{table.name}.", suffix=".tmp", dir=data_dir)
    os.close(fd)
    try:
        pq.write_table(arrow, tmp, compression="zstd", write_statistics=True)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def empty_frame(table: Table | str) -> pd.DataFrame:
    """An empty DataFrame with the table's columns and dtypes."""
    return _table(table).arrow_schema.empty_table().to_pandas()


def read_table(table: Table | str, data_dir: Path, *, columns: Sequence[str] | None = None, missing_ok: bool = False) -> pd.DataFrame:
    """Read a processed table, optionally only some columns.

    Raises :class:`DataError` when the file is absent (unless ``missing_ok``, which
    returns an empty frame) or lacks a requested column.
    """
    table = _table(table)
    path = Path(data_dir) / table.file
    if not path.exists():
        if missing_ok:
            frame = empty_frame(table)
            return frame[list(columns)] if columns else frame
        raise DataError(f"{path} not found: run `mediawork ingest` first (or pass --data to the folder that holds it)")
    if columns:
        unknown = [c for c in columns if c not in table.names]
        if unknown:
            raise DataError(f"{table.file} has no column(s) {unknown}; it has {table.names}")
    return pq.read_table(path, columns=list(columns) if columns else None).to_pandas()


def count_rows(table: Table | str, data_dir: Path) -> int:
    """Number of rows of a processed table, read from the Parquet footer (0 when the file is absent)."""
    path = Path(data_dir) / _table(table).file
    return pq.ParquetFile(path).metadata.num_rows if path.exists() else 0


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
    df = read_table(ARTICLES, data_dir, columns=needed)
    keep = pd.Series(True, index=df.index)
    if unique:
        keep &= df["duplicate_of"].isna()
    start = _utc(date_from, name="date_from")
    end = _utc(date_to, name="date_to")
    if end is not None and isinstance(date_to, str) and len(date_to.strip()) <= 10:
        end = end + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    if start is not None:
        keep &= df["published"].notna() & (df["published"] >= start)
    if end is not None:
        keep &= df["published"].notna() & (df["published"] <= end)
    if sources:
        keep &= df["source"].isin(list(sources)) | df["outlet"].isin(list(sources))
    return df.loc[keep, wanted].reset_index(drop=True)
