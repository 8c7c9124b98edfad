"""Ingest: raw inputs → clean articles, manifest and removed lines in ``data/processed``.

The steps are those of ``docs/architecture.md``: readers yield units, cleaning turns
dumps and records into articles (boilerplate learned per source from the corpus),
dedup marks copies, and the store writes the tables atomically.

Incremental: a top-level input whose sha256 is already in the manifest is not
parsed again; its rows are carried over with status ``unchanged``. When new dumps
arrive from a source, that source's boilerplate is learned again from the line-key codes
stored per dump (``dumps.codes``, :func:`mediawork.cleaning.key_codes`), and older
articles of the source are read and cleaned again only if it changed, so an
incremental run gives the same articles as a fresh run over the same inputs.
Duplicate marking reuses the signatures stored in ``signatures.parquet`` and the
earlier marks of articles ranked before every change
(:func:`mediawork.dedup.reusable_results`).

Nothing new: when every input is unchanged and none disappeared, only the manifest
(its statuses) is written; articles, removed lines and the internal tables are left
as they are.

Memory: the units to clean are pickled to a spool folder in the data folder a few
hundred at a time; cleaned articles are staged on disk by month of publication; only
metadata and signatures of the whole corpus stay in memory. Duplicate checks load
just the bodies that share an LSH band with another article, and ``articles`` and
``removed`` are written part by part (see :mod:`mediawork.store`), keeping every part
whose rows did not change.

Parallel runs: reading files (with each dump's boilerplate keys) runs in batches of
files on this machine's process pool (``jobs``; serially in this process with the Dask
engine, since the files are here); learning and duplicate marking, corpus-wide, run in
this process; cleaning (with each article's duplicate signature), a function of one
unit, runs in batches on the engine chosen with ``jobs``, ``engine`` and ``scheduler``
(see :mod:`mediawork.engines`). Every engine writes the same bytes.

Writes go in a fixed order (internal tables, removed lines, articles, then the manifest last): a run
killed midway leaves a manifest that does not yet know the new inputs, so the next
run parses them again and completes the tables.

Example
-------
>>> summary = ingest(raw_dir=Path("data/raw"), out_dir=Path("data/processed"), progress=False)  # doctest: +SKIP
>>> print(summary.line())  # doctest: +SKIP
ingest: 48 inputs: 44 ok, 3 duplicate, 1 rejected, 0 unchanged -> data/processed
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from . import cleaning, dedup, engines, readers, store
from .dedup import compute_signatures, mark_duplicates, reusable_results, signature_method, signature_row
from .errors import DataError, InputError, ParameterError
from .schema import ARTICLES, DUMPS, LEARNED, MANIFEST, REMOVED, SIGNATURES
from .units import Unit

#: A whitespace-separated token with no letter, digit or underscore, in " " + text + " ".
_WORDLESS = re.compile(r"\s[^\w\s]+(?=\s)")


@dataclass
class IngestSummary:
    """What an ingest run did: counts per status and the rejected inputs with reasons."""

    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    removed_inputs: int = 0

    @property
    def n_rejected(self) -> int:
        """Number of inputs rejected in this run (unchanged rejected inputs are not counted again)."""
        return len(self.rejected)

    def line(self) -> str:
        """The one-line closing summary printed by ``mediawork ingest``."""
        c = self.counts
        total = sum(c.values())
        text = (
            f"ingest: {total} inputs: {c.get('ok', 0)} ok, {c.get('duplicate', 0)} duplicate, "
            f"{c.get('rejected', 0)} rejected, {c.get('unchanged', 0)} unchanged -> {self.out_dir}"
        )
        if self.removed_inputs:
            text += f" ({self.removed_inputs} inputs no longer in the raw folder were dropped)"
        return text


def article_id(source_file: str, sha256: str) -> str:
    """Stable article id: 16 hex digits of SHA-256 over the unit's name and content hash."""
    return hashlib.sha256(f"{source_file}\0{sha256}".encode()).hexdigest()[:16]


def count_words(text: str) -> int:
    """Whitespace-separated tokens that contain a letter or digit.

    Counted on bytes (see :func:`_count_words_slow` for the definition): every
    character that is neither a word character (``re``'s ``\\w``) nor whitespace is
    deleted, which empties exactly the tokens without a word character and never
    joins or splits tokens; then every byte is a space (whitespace) or a word byte,
    and the tokens left are the word bytes that start the text or follow a space.

    Examples
    --------
    >>> count_words("Talks resumed — at 9 a.m. — in Riyadh.")
    7
    """
    if text.isascii():
        data = text.encode("ascii")
    else:
        data = text.encode("utf-8", "surrogatepass")
        # The distinct non-ASCII characters (the text's ASCII bytes deleted): each is kept
        # (a word character, left as its bytes, which _TOKEN_CLASSES makes word bytes), made
        # a space (non-ASCII whitespace: the class table knows only ASCII whitespace) or deleted.
        others = set(data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))
        if len(others) > _MAX_REPLACED:  # one pass over the bytes per character would cost more than the regex
            return _count_words_slow(text)
        for char in others:
            repl = _non_ascii_class(char)
            if repl is not None:
                data = data.replace(char.encode("utf-8", "surrogatepass"), repl)
    classes = data.translate(_TOKEN_CLASSES, _ASCII_WORDLESS)
    return classes.count(b" a") + classes.startswith(b"a")


def _count_words_slow(text: str) -> int:
    """The definition of :func:`count_words`: all tokens less those without a word character."""
    return len(text.split()) - len(_WORDLESS.findall(f" {text} "))


_ASCII_BYTES = bytes(range(128))
#: Most distinct non-ASCII characters :func:`count_words` replaces; a text with more (a text in another script) is counted by the regex.
_MAX_REPLACED = 24
#: ASCII bytes that are neither word characters nor whitespace (``str.isspace``, as ``\s`` and ``str.split``: ``\x1c``-``\x1f`` too).
_ASCII_WORDLESS = bytes(c for c in range(128) if not (chr(c).isalnum() or chr(c) == "_" or chr(c).isspace()))
#: Bytes → token classes: ASCII whitespace a space, every other byte (word bytes, UTF-8 bytes of kept characters) ``a``.
_TOKEN_CLASSES = bytes.maketrans(bytes(range(256)), bytes(ord(" ") if c < 128 and chr(c).isspace() else ord("a") for c in range(256)))
_WORD_CHAR = re.compile(r"\w")
_SPACE_CHAR = re.compile(r"\s")
_CHAR_CLASSES: dict[str, bytes | None] = {}


def _non_ascii_class(char: str) -> bytes | None:
    """What :func:`count_words` replaces a non-ASCII character with: None (a word character: kept), a space or nothing.

    Decided by ``re``'s own ``\\w`` and ``\\s`` (those of :data:`_WORDLESS`), once per character.
    """
    if char not in _CHAR_CLASSES:
        _CHAR_CLASSES[char] = None if _WORD_CHAR.match(char) else b" " if _SPACE_CHAR.match(char) else b""
    return _CHAR_CLASSES[char]


def _top(source_file: str) -> str:
    """The top-level file a unit belongs to (``a.zip!b.jsonl#3`` → ``a.zip``)."""
    return source_file.split("!", 1)[0].split("#", 1)[0]


def _article_row(unit: Unit, clean: cleaning.CleanArticle) -> dict:
    text = "\n\n".join(clean.paragraphs)
    return {
        "article_id": article_id(unit.source_file, unit.sha256),
        "source_file": unit.source_file,
        "source": clean.source or clean.outlet,
        "outlet": clean.outlet or clean.source,
        "url": clean.url,
        "title": clean.title,
        "summary": clean.summary,
        "authors": list(clean.authors),
        "dateline": clean.dateline,
        "published": clean.published,
        "published_offset": clean.published_offset,
        "tags": list(clean.tags),
        "language": clean.language or "und",
        "text": text,
        "n_words": count_words(text),
        "duplicate_of": None,
    }


def _bare(unit: Unit) -> Unit:
    """``unit`` without its text or fields (what ingest keeps of every unit); itself when it holds neither.

    Most units of an incremental run are ``unchanged`` ones, which hold neither: copying
    them (``dataclasses.replace``, some 3 µs each) would give equal units.
    """
    if unit.text is None and not unit.fields:
        return unit
    return replace(unit, text=None, fields={})


def _manifest_row(unit: Unit, status: str, *, reason: str | None = None, aid: str | None = None) -> dict:
    return {"source_file": unit.source_file, "sha256": unit.sha256, "bytes": unit.n_bytes, "status": status, "reason": reason,
            "article_id": aid, "modified": None if unit.modified_ns is None else pd.Timestamp(unit.modified_ns, unit="ns", tz="UTC")}


def _frame(rows: list[dict], table) -> pd.DataFrame:
    if not rows:
        return store.empty_frame(table)
    return pd.DataFrame(rows, columns=table.names)


#: Articles to clean from which numba's signature kernels are loaded (:func:`dedup.load_kernels`).
_KERNELS_FROM = 2_000


def _ns(stamps: pd.Series) -> pd.Series:
    """Nanoseconds since the epoch of UTC timestamps."""
    return stamps.dt.as_unit("ns").astype("int64")


def _resolve_paths(paths: Sequence[Path] | None, raw_dir: Path) -> list[Path]:
    if not paths:
        if not raw_dir.is_dir():
            raise ParameterError(f"raw folder {raw_dir} does not exist; create it and put dumps in it, or name files to ingest")
        return [raw_dir]
    missing = [str(p) for p in paths if not Path(p).exists() and not Path(p).is_symlink()]
    if missing:
        raise ParameterError(f"no such file or folder: {', '.join(missing)}")
    return [Path(p) for p in paths]


class _Cleaner:
    """Cleans units into article rows, learned boilerplate per source applied.

    Picklable and pure: the engines send one to each worker and call it on batches of
    units (by calling it); the result for a unit never depends on its batch.
    """

    def __init__(self, learned: dict[str, frozenset[str]]):
        self.learned = learned

    def clean(self, unit: Unit) -> tuple[dict, list[dict], dict]:
        if unit.kind == "dump":
            source = cleaning.dump_source(unit.text or "") or ""
            result = cleaning.clean_dump(unit.text or "", learned=self.learned.get(source, frozenset()))
        else:
            result = cleaning.clean_record(unit.fields)
        row = _article_row(unit, result)
        removed = [{"article_id": row["article_id"], "line_no": n, "text": t, "rule": r} for n, t, r in result.removed]
        # A pool worker's shingle hashes would never be used: duplicates are checked in the process that started it.
        return row, removed, signature_row(row["article_id"], row["text"], remember=not engines.in_pool_worker())

    def __call__(self, units: Sequence[Unit]) -> list[tuple[dict, list[dict], dict] | str]:
        """Clean a batch: per unit, (article row, removed rows, signature row), or the rejection reason."""
        out: list[tuple[dict, list[dict], dict] | str] = []
        for unit in units:
            try:
                out.append(self.clean(unit))
            except InputError as exc:
                out.append(str(exc))
        return out


def ingest(
    paths: Sequence[Path] | None = None,
    *,
    raw_dir: Path = Path("data/raw"),
    out_dir: Path = Path("data/processed"),
    progress: bool = True,
    log=None,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    checksum: bool = False,
) -> IngestSummary:
    """Ingest raw inputs into the processed tables and return what happened.

    Reading and cleaning run in batches on the chosen engine; learning boilerplate (a
    corpus-level step), duplicate marking and the writes run in one process. With the
    local engine and more than one job, that is a child process, so the memory a large
    run leaves behind is given back when it ends (the caller can analyse next at its
    own size); otherwise it is this one.

    Parameters
    ----------
    paths:
        Files or folders to ingest; default the whole ``raw_dir``. When the whole raw
        folder is ingested, inputs that disappeared from it are dropped from the tables.
    raw_dir:
        The raw folder; ``source_file`` names are relative to it.
    out_dir:
        Where the tables go.
    progress:
        Show progress bars on stderr.
    log:
        Where rejection messages go (default stderr).
    jobs:
        Worker processes for cleaning (``--jobs``); ``None`` uses every core, 1 runs serially.
        Every setting writes the same bytes.
    engine:
        ``"local"`` (a process pool on this machine) or ``"dask"`` (``dask.distributed``);
        see :mod:`mediawork.engines`.
    scheduler:
        With ``engine="dask"``, the address of a running Dask scheduler
        (``tcp://host:8786``); ``None`` starts a local cluster of ``jobs`` workers.
    checksum:
        Read and hash every input. By default a file whose size and modification time
        match its manifest row is taken as unchanged without being read (``--checksum``).

    Raises
    ------
    ParameterError
        A missing raw folder or input, an output path that is a file, or bad engine options.

    Examples
    --------
    >>> ingest(raw_dir=Path("data/raw"), out_dir=Path("data/processed"), jobs=2, progress=False).line()  # doctest: +SKIP
    'ingest: 48 inputs: 44 ok, 3 duplicate, 1 rejected, 0 unchanged -> data/processed'
    """
    raw_dir = Path(raw_dir)
    out_dir = Path(out_dir)
    log = log or sys.stderr
    workers = engines.check_options(engine=engine, jobs=jobs, scheduler=scheduler)
    if out_dir.exists() and not out_dir.is_dir():
        raise ParameterError(f"output folder {out_dir} exists and is not a folder; pass --out a folder path")
    targets = _resolve_paths(paths, raw_dir)
    options = {"raw_dir": raw_dir, "out_dir": out_dir, "whole_folder": not paths, "checksum": checksum,
               "progress": progress, "workers": workers, "engine": engine, "scheduler": scheduler}
    if engine == "local" and workers > 1:
        # In a child process (which runs the pool): the memory the run leaves behind (Python's
        # and the C heap's, hundreds of MB at 100,000 articles) goes with it, so a caller that
        # analyses next, as `mediawork run` does, starts small.
        summary = engines.run_apart(_ingest_folder, targets, options)
    else:
        summary = _ingest_folder(targets, options)
    _report_rejections(summary.rejected, log)
    return summary


def _ingest_folder(targets: list[Path], options: dict) -> IngestSummary:
    """:func:`ingest` once its options are checked (``options``: its keyword arguments but ``log``)."""
    raw_dir, out_dir, checksum = options["raw_dir"], options["out_dir"], options["checksum"]
    prev_manifest = store.read_table(MANIFEST, out_dir, missing_ok=True)
    if "modified" not in prev_manifest.columns:  # written before modification times were recorded
        prev_manifest = prev_manifest.assign(modified=pd.Series(pd.NaT, index=prev_manifest.index, dtype="datetime64[ns, UTC]"))
    known = dict(zip(prev_manifest["source_file"].tolist(), prev_manifest["sha256"].tolist()))
    timed = prev_manifest[prev_manifest["modified"].notna()]
    stats = {} if checksum else dict(zip(timed["source_file"].tolist(), zip(timed["bytes"].astype("int64").tolist(), _ns(timed["modified"]).tolist())))
    out_dir.mkdir(parents=True, exist_ok=True)
    with _Spool(out_dir) as spool:
        summary = _ingest(
            spool, targets, raw_dir=raw_dir, out_dir=out_dir, whole_folder=options["whole_folder"], prev_manifest=prev_manifest,
            known=known, stats=stats, progress=options["progress"], workers=options["workers"], engine=options["engine"],
            scheduler=options["scheduler"],
        )
    dedup.forget_recent()
    engines.release_memory()  # when run in this process: `mediawork run` analyses next
    return summary


def _ingest(spool: _Spool, targets: list[Path], *, raw_dir: Path, out_dir: Path, whole_folder: bool, prev_manifest: pd.DataFrame,
            known: dict[str, str], stats: dict[str, tuple[int, int]], progress: bool, workers: int, engine: str, scheduler: str | None) -> IngestSummary:
    """The steps of :func:`ingest` once the options are checked; the units to clean wait in ``spool``."""
    units: list[Unit] = []  # every unit, without its text or fields (those wait in the spool)
    new_keys: dict[str, tuple[str, np.ndarray]] = {}  # dump -> (its source, its line-key codes)
    files = readers.input_files(targets, root=raw_dir, strings=True)  # str paths: cheaper to build and to send to workers
    # A file whose size and time match the manifest is unchanged without being read: that is
    # asked here (one lstat each), so only the other files go to the reading workers and the
    # archive's unchanged files do not make a round trip through the pool. The unit order
    # changes (unchanged top-level files first), which nothing below depends on: what is
    # kept of ``units`` is read as sets and dicts, and every table is sorted when written.
    same = [readers.unchanged_unit(name, path, known=known, stats=stats) for name, path in files] if stats else [None] * len(files)
    units.extend(u for u in same if u is not None)
    to_read = [f for f, u in zip(files, same) if u is None]
    # Files are read where they are: on this machine's processes, whatever the engine.
    readers_jobs = workers if engine == "local" else 1
    if readers_jobs > 1:
        readers.preload_html(to_read)  # the reading workers fork with it imported
    read = engines.map_batches(
        _Reader(raw_dir, known, stats), engines.split(to_read, size=engines.batch_size(len(to_read), workers=readers_jobs, largest=_READ_BATCH)),
        jobs=readers_jobs, progress=progress, desc="reading", unit=" files", total=len(to_read),
    )
    for unit, keys in chain.from_iterable(read):
        if unit.kind in ("dump", "record"):
            spool.add(unit)
        if keys is not None:
            new_keys[unit.source_file] = keys
        units.append(_bare(unit))

    seen_tops = {_top(u.source_file) for u in units}
    unchanged_tops = {u.source_file for u in units if u.kind == "unchanged"}
    # Previous rows survive when their file is unchanged, or was not part of a partial run.
    prev_tops = prev_manifest["source_file"].map(_top)
    if whole_folder:
        keep_prev = pd.Series(store.isin(prev_tops, unchanged_tops), index=prev_tops.index)
    else:
        keep_prev = pd.Series(store.isin(prev_tops, unchanged_tops) | ~store.isin(prev_tops, seen_tops), index=prev_tops.index)
    kept_manifest = prev_manifest[keep_prev].copy()
    dropped_tops = set(prev_tops[~keep_prev]) - seen_tops
    kept_manifest.loc[store.isin(prev_tops[keep_prev], unchanged_tops), "status"] = "unchanged"  # the kept rows' tops
    touched = {u.source_file: u.modified_ns for u in units if u.kind == "unchanged"}  # same bytes, maybe a new time
    top_rows = store.isin(kept_manifest["source_file"], touched)
    kept_manifest.loc[top_rows, "modified"] = pd.to_datetime(kept_manifest.loc[top_rows, "source_file"].map(touched), unit="ns", utc=True)
    kept_ids = set(kept_manifest["article_id"].dropna().tolist())

    summary = IngestSummary(out_dir=out_dir, removed_inputs=len(dropped_tops))
    if units and all(u.kind == "unchanged" for u in units) and bool(keep_prev.all()):
        # Nothing new and nothing gone: every other table would be rewritten as it is.
        store.write_table(store.typed(kept_manifest, MANIFEST), MANIFEST, out_dir)
        summary.counts = kept_manifest["status"].value_counts().to_dict()
        return summary

    # The earlier articles without their bodies: bodies are read only where needed.
    prev_articles = store.read_table(ARTICLES, out_dir, missing_ok=True, columns=_LINKS)
    prev_learned = store.read_table(LEARNED, out_dir, missing_ok=True)
    prev_dumps = _read_dumps(out_dir)
    prev_signatures = store.read_table(SIGNATURES, out_dir, missing_ok=True)

    kept_dumps = prev_dumps[store.isin(prev_dumps["article_id"], kept_ids)]
    # Sources whose learned boilerplate may change: new dumps, or dumps that went away.
    gone_dumps = prev_dumps[~store.isin(prev_dumps["article_id"], kept_ids)]
    relearn = {source for source, _ in new_keys.values()} | set(gone_dumps["source"])
    for unit in _reread_dumps(kept_dumps[kept_dumps["codes"].isna()], raw_dir):  # tables written before the codes were stored, once
        new_keys[unit.source_file] = _keys_of(unit)
    kept_dumps = kept_dumps.assign(
        source=[new_keys[f][0] if f in new_keys else s for f, s in zip(kept_dumps["source_file"].tolist(), kept_dumps["source"].tolist())],
        codes=[new_keys[f][1] if f in new_keys else k for f, k in zip(kept_dumps["source_file"].tolist(), kept_dumps["codes"].tolist())],
    )
    relearn |= {new_keys[f][0] for f in kept_dumps["source_file"].tolist() if f in new_keys}
    stored = kept_dumps[store.isin(kept_dumps["source"], relearn) & ~store.isin(kept_dumps["source_file"], new_keys)]
    keyed = list(zip(stored["source"].tolist(), stored["codes"].tolist()))
    keyed += [new_keys[name] for name in sorted(new_keys)]

    previous_learned = _learned_dict(prev_learned)
    learned = {s: k for s, k in previous_learned.items() if s not in relearn}
    learned_ids = cleaning.learn_from_codes(k for k in keyed if k[0] in relearn)
    del keyed, stored
    learned.update(_key_strings(learned_ids, previous_learned, spool=spool, stored=kept_dumps, raw_dir=raw_dir))
    changed_sources = {s for s in relearn if learned.get(s, frozenset()) != previous_learned.get(s, frozenset())}
    # A source whose boilerplate changed has its older dumps cleaned again (read from the raw folder).
    reclean_ids: set[str] = set()
    for unit in _reread_dumps(kept_dumps[kept_dumps["source"].isin(changed_sources)], raw_dir):
        new_keys.setdefault(unit.source_file, _keys_of(unit))
        reclean_ids.add(article_id(unit.source_file, unit.sha256))
        spool.add(unit)

    stage = _Staging(spool.folder / "staged")
    manifest_rows: list[dict] = []
    dump_rows: list[dict] = []
    meta_parts: list[pd.DataFrame] = []
    signature_parts: list[pd.DataFrame] = []
    pending_rows: list[dict] = []
    pending_removed: list[dict] = []
    pending_signatures: list[dict] = []

    def flush() -> None:
        if not pending_rows:
            return
        frame = store.typed(_frame(pending_rows, ARTICLES), ARTICLES)
        removed = store.typed(_frame(pending_removed, REMOVED), REMOVED)
        signature_parts.append(pd.DataFrame(pending_signatures, columns=SIGNATURES.names))
        stage.add(frame, removed)
        meta_parts.append(frame[_LINKS])
        pending_rows.clear()
        pending_removed.clear()
        pending_signatures.clear()

    # numba's kernels, loaded once here (the cleaning workers fork with them), repay their
    # loading only on larger runs; smaller ones hash with numpy (the same bits)
    dedup.load_kernels(enabled=spool.count >= _KERNELS_FROM)
    engines.release_memory()  # the cleaning workers fork from this process
    size = engines.batch_size(spool.count, workers=workers)
    cleaner = _Cleaner(learned)
    results = engines.map_batches(
        cleaner, spool.batches(size), engine=engine, jobs=workers, scheduler=scheduler,
        progress=progress, desc="cleaning", unit=" articles", total=spool.count,
    )
    for unit, outcome in zip(spool.units, chain.from_iterable(results), strict=True):
        if isinstance(outcome, str):
            manifest_rows.append(_manifest_row(unit, "rejected", reason=outcome))
            continue
        row, removed, signature = outcome
        pending_rows.append(row)
        pending_removed.extend(removed)
        pending_signatures.append(signature)
        manifest_rows.append(_manifest_row(unit, "ok", aid=row["article_id"]))
        if unit.kind == "dump":
            dump_rows.append({"source_file": unit.source_file, "article_id": row["article_id"], "source": new_keys[unit.source_file][0], "codes": new_keys[unit.source_file][1]})
        if len(pending_rows) >= _STAGE_ROWS:
            flush()
    flush()
    for unit in units:
        if unit.kind == "container":
            manifest_rows.append(_manifest_row(unit, "ok", reason=unit.note))
        elif unit.kind == "rejected":
            manifest_rows.append(_manifest_row(unit, "rejected", reason=unit.reason or "rejected"))

    # Recleaned articles replace their old rows; their manifest rows are new too.
    kept_manifest = kept_manifest[~store.isin(kept_manifest["article_id"], reclean_ids)]
    kept_ids -= reclean_ids
    new_meta = pd.concat(meta_parts, ignore_index=True) if meta_parts else store.empty_frame(ARTICLES)[_LINKS]
    articles = pd.concat([prev_articles[store.isin(prev_articles["article_id"], kept_ids)], new_meta], ignore_index=True)
    articles = articles.drop_duplicates("article_id", keep="last").reset_index(drop=True)
    months = store.month_of(articles["published"]).to_numpy()  # each article's partition (publication times stay as they are)
    texts = _TextSource(out_dir, stage, kept_ids, months=dict(zip(articles["article_id"].tolist(), months.tolist())))
    signatures = _signatures(articles, prev_signatures, signature_parts, kept_ids, texts)
    same_method = bool((prev_signatures["method"] == signature_method()).all())
    # Results ranked before any change stand (when the earlier run marked with the same method).
    stands = reusable_results(prev_articles, articles, unchanged=kept_ids) if same_method else {}
    articles["duplicate_of"] = mark_duplicates(articles, signatures=signatures, previous=stands, text_of=texts)
    articles["outlet"] = _inherit_outlets(articles)
    dup_of = dict(zip(articles["article_id"].tolist(), articles["duplicate_of"].tolist()))

    manifest = pd.concat([kept_manifest, _frame(manifest_rows, MANIFEST)], ignore_index=True)
    manifest = manifest.drop_duplicates("source_file", keep="last").reset_index(drop=True)
    fresh = manifest["status"].isin(["ok", "duplicate"]) & manifest["article_id"].notna()
    manifest.loc[fresh, "status"] = [
        "duplicate" if isinstance(dup_of.get(a), str) else "ok" for a in manifest.loc[fresh, "article_id"]
    ]
    dumps = pd.concat([kept_dumps[~store.isin(kept_dumps["article_id"], reclean_ids)], _frame(dump_rows, DUMPS)], ignore_index=True)
    dumps = dumps.drop_duplicates("article_id", keep="last")

    for frame, table in ((_learned_frame(learned), LEARNED), (dumps, DUMPS), (signatures, SIGNATURES)):
        store.write_table(store.typed(frame, table), table, out_dir)
    _write_articles(out_dir, articles, stage, kept_ids=kept_ids, same=_same_rows(prev_articles, articles, kept_ids), months=months)
    store.write_table(store.typed(manifest, MANIFEST), MANIFEST, out_dir)

    summary.counts = manifest["status"].value_counts().to_dict()
    for row in sorted(manifest_rows, key=lambda r: r["source_file"]):
        if row["status"] == "rejected":
            summary.rejected.append((row["source_file"], row["reason"]))
    return summary


#: The article columns kept in memory for the whole corpus: those the corpus-wide steps read
#: (duplicate marking, inherited outlets, each article's partition). Written rows take the
#: other columns, bodies included, from the stored or staged parts.
_LINKS = ["article_id", "source_file", "source", "outlet", "dateline", "published", "duplicate_of"]
#: Units per spool file, and cleaned articles per staged file: what ingest holds in memory at once.
_SPOOL_UNITS = 500
#: Most files per reading batch.
_READ_BATCH = 200
_STAGE_ROWS = 2000


class _Reader:
    """Reads top-level input files into units, with each dump's source and line-key codes.

    Picklable and pure, like :class:`_Cleaner`: the pool calls it on batches of
    (``source_file``, path) from :func:`mediawork.readers.input_files`.
    """

    def __init__(self, root: Path, known: dict[str, str], stats: dict[str, tuple[int, int]]):
        self.root, self.known, self.stats = root, known, stats

    def __call__(self, files: Sequence[tuple[str, Path | str]]) -> list[tuple[Unit, tuple[str, np.ndarray] | None]]:
        """(unit, (source, codes) of a dump or None) for every unit of the files, in order."""
        return [
            (unit, _keys_of(unit) if unit.kind == "dump" else None)
            for name, path in files
            for unit in readers.read_input(name, path, root=self.root, known=self.known, stats=self.stats)
        ]


def _keys_of(unit: Unit) -> tuple[str, np.ndarray]:
    """A dump's source and what learning boilerplate needs of it: its line keys as codes (:func:`cleaning.dump_key_codes`)."""
    return cleaning.dump_source(unit.text or "") or "", cleaning.dump_key_codes(unit.text or "")


def _read_dumps(out_dir: Path) -> pd.DataFrame:
    """The stored dumps with their codes; None where a table written by an older version holds none (those are read again)."""
    dumps = store.read_table(DUMPS, out_dir, missing_ok=True)
    path = out_dir / DUMPS.file
    if len(dumps) and dumps["codes"].isna().all() and path.is_file() and "keys" in pq.read_schema(path).names:
        stored = pq.read_table(path, columns=["source_file", "keys"])  # key strings, as the version before codes stored them
        codes = {name: None if keys is None else cleaning.key_codes(keys) for name, keys in zip(*stored.to_pydict().values())}
        dumps["codes"] = pd.Series([codes.get(name) for name in dumps["source_file"]], index=dumps.index, dtype=object)
    return dumps


def _key_strings(ids: dict[str, frozenset[int]], previous: dict[str, frozenset[str]], *, spool: _Spool, stored: pd.DataFrame,
                 raw_dir: Path) -> dict[str, frozenset[str]]:
    """The learned keys as strings: known from the previous learned table, else found in a few of the source's dumps.

    A learned key recurs in at least half of the source's articles, so scanning this
    run's dumps and then the stored ones (read again from the raw folder) stops after a few.
    """
    out: dict[str, frozenset[str]] = {}
    for source, wanted in ids.items():
        known = {cleaning.key_id(k): k for k in previous.get(source, ())}
        found = {i: known[i] for i in wanted if i in known}
        missing = set(wanted) - set(found)
        if missing:
            units = chain(spool.dumps_of(source), _reread_dumps(stored[stored["source"] == source], raw_dir))
            found.update(cleaning.resolve_keys(missing, (cleaning.dump_line_keys(u.text or "") for u in units)))
        if len(found) < len(wanted):
            raise DataError(f"boilerplate learned for {source} names {len(wanted) - len(found)} line(s) no dump of it holds; "
                            "the raw folder changed during the run? Run ingest again")
        out[source] = frozenset(found.values())
    return out


class _Spool:
    """The units to clean, pickled to a temporary folder in the data folder, a few hundred per file.

    Reading keeps only each unit's name and hash in memory; the cleaning batches are
    read back one file at a time. The folder (``.ingest-<pid>-*``) is removed at the
    end, and folders left by killed runs are removed by the next one.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.units: list[Unit] = []  # every spooled unit, in order, without text or fields
        self._buffer: list[Unit] = []
        self._files: list[Path] = []

    def __enter__(self) -> _Spool:
        for stale in self.out_dir.glob(".ingest-*"):
            pid = stale.name.split("-")[1] if stale.name.count("-") >= 2 else ""
            if not (pid.isdigit() and Path(f"/proc/{pid}").exists() and int(pid) != os.getpid()):
                shutil.rmtree(stale, ignore_errors=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".ingest-{os.getpid()}-", dir=self.out_dir))
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def count(self) -> int:
        """Number of units spooled."""
        return len(self.units)

    def add(self, unit: Unit) -> None:
        """Keep ``unit`` for cleaning."""
        self.units.append(_bare(unit))
        self._buffer.append(unit)
        if len(self._buffer) >= _SPOOL_UNITS:
            self._write()

    def _write(self) -> None:
        path = self.folder / f"units-{len(self._files):06d}.pickle"
        with open(path, "wb") as fh:
            pickle.dump(self._buffer, fh, protocol=pickle.HIGHEST_PROTOCOL)
        self._files.append(path)
        self._buffer = []

    def dumps_of(self, source: str) -> Iterator[Unit]:
        """The spooled dumps whose first line names ``source``, read one file at a time."""
        for batch in self.batches(_SPOOL_UNITS):
            for unit in batch:
                if unit.kind == "dump" and (cleaning.dump_source(unit.text or "") or "") == source:
                    yield unit

    def batches(self, size: int) -> Iterator[list[Unit]]:
        """The spooled units in order, in batches of at most ``size``, one file in memory at a time."""
        if self._buffer:
            self._write()
        for path in self._files:
            with open(path, "rb") as fh:
                units = pickle.load(fh)
            yield from engines.split(units, size=size)


class _Staging:
    """This run's cleaned articles (with bodies) and removed lines, on disk by month until written."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._n = 0

    def add(self, articles: pd.DataFrame, removed: pd.DataFrame) -> None:
        """Stage a batch of cleaned articles and their removed lines."""
        months = store.month_of(articles["published"]).to_numpy()
        month_of = dict(zip(articles["article_id"], months))
        removed_months = removed["article_id"].map(month_of).to_numpy()
        for month in sorted(set(months)):
            self._put("articles", month, store.to_arrow(articles[months == month], ARTICLES))
            self._put("removed", month, store.to_arrow(removed[removed_months == month], REMOVED))
        self._n += 1

    def _put(self, name: str, month: str, table) -> None:
        folder = self.folder / name / f"month={month}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / f"{self._n:06d}.parquet")

    def _files(self, name: str, month: str | None = None) -> list[str]:
        pattern = f"month={month}/*.parquet" if month is not None else "month=*/*.parquet"
        return sorted(str(p) for p in (self.folder / name).glob(pattern))

    def read(self, name: str, month: str) -> pd.DataFrame:
        """Every staged row of one month (``name``: ``articles`` or ``removed``)."""
        table = ARTICLES if name == "articles" else REMOVED
        files = self._files(name, month)
        if not files:
            return store.empty_frame(table)
        return ds.dataset(files, format="parquet", schema=table.arrow_schema).to_table().to_pandas()

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        """Bodies of staged articles."""
        files = self._files("articles")
        if not files:
            return {}
        wanted = pa.array(sorted(set(ids)), type=pa.string())
        found = ds.dataset(files, format="parquet", schema=ARTICLES.arrow_schema).to_table(
            columns=["article_id", "text"], filter=ds.field("article_id").isin(wanted)
        )
        return dict(zip(found.column("article_id").to_pylist(), found.column("text").to_pylist()))


class _TextSource:
    """Bodies by article id, from the stored articles (kept ones) or this run's staged ones.

    ``months`` gives each kept article's month (:func:`mediawork.store.month_of` of its
    ``published``, the partition it is stored in): stored bodies are read month by
    month, so only the parts whose id range holds a wanted id are opened (a month's
    parts cover disjoint id ranges; across months every part's range overlaps
    scattered ids, and all of them would be read). An id without a known month is
    looked for in every part.
    """

    def __init__(self, out_dir: Path, stage: _Staging, kept: set[str], *, months: dict[str, str] | None = None):
        self.out_dir, self.stage, self.kept, self.months = out_dir, stage, kept, months or {}

    def __call__(self, ids: Iterable[str]) -> dict[str, str]:
        ids = list(ids)
        out: dict[str, str] = {}
        by_month: dict[str | None, list[str]] = defaultdict(list)
        for a in ids:
            if a in self.kept:
                by_month[self.months.get(a)].append(a)
        for month, old in sorted(by_month.items(), key=lambda item: (item[0] is None, item[0] or "")):
            frame = store.read_table(ARTICLES, self.out_dir, columns=["article_id", "text"], article_ids=old,
                                     months=None if month is None else [month])
            out.update(zip(frame["article_id"], frame["text"].fillna("")))
        new = [a for a in ids if a not in self.kept]
        if new:
            out.update(self.stage.texts(new))
        return out


def _signatures(articles: pd.DataFrame, prev: pd.DataFrame, new_parts: list[pd.DataFrame], kept: set[str], texts: _TextSource) -> pd.DataFrame:
    """Every article's signature: stored ones of kept articles, this run's, and any stored one that is missing or of another method."""
    current = prev[store.isin(prev["article_id"], kept) & (prev["method"] == signature_method()).to_numpy()]
    parts = [current, *new_parts]
    stale = sorted(kept - set(current["article_id"]))
    for start in range(0, len(stale), _STAGE_ROWS):  # kept articles without a usable signature: hash their bodies again
        bodies = texts(stale[start : start + _STAGE_ROWS])
        parts.append(compute_signatures(pd.DataFrame({"article_id": list(bodies), "text": list(bodies.values())})))
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else store.empty_frame(SIGNATURES)
    frame = frame.drop_duplicates("article_id", keep="last")
    return frame[store.isin(frame["article_id"], articles["article_id"])].reset_index(drop=True)


def _write_articles(out_dir: Path, articles: pd.DataFrame, stage: _Staging, *, kept_ids: set[str], same: set[str],
                    months: np.ndarray | None = None) -> None:
    """Write articles.parquet and removed.parquet part by part, rewriting only the parts that changed.

    ``articles`` holds every article's final metadata (duplicate marks, outlets);
    bodies and removed lines come from the stored parts (kept articles) or the staged
    ones (this run's). Removed lines are committed first, then articles.
    """
    if months is None:
        months = store.month_of(articles["published"]).to_numpy()
    final = articles.set_index("article_id")[["duplicate_of", "outlet"]]
    with store.DatasetWriter(ARTICLES, out_dir) as article_out, store.DatasetWriter(REMOVED, out_dir) as removed_out:
        for month in sorted(set(months)):
            staged: dict[str, pd.DataFrame] = {}
            for chunk in store.chunk_ids(articles["article_id"][months == month]):
                old = [a for a in chunk if a in kept_ids]

                def article_rows() -> pd.DataFrame:
                    rows = _part_rows(ARTICLES, out_dir, stage, staged, month=month, chunk=chunk, old=old)
                    rows = rows.assign(duplicate_of=rows["article_id"].map(final["duplicate_of"]), outlet=rows["article_id"].map(final["outlet"]))
                    return store.typed(rows, ARTICLES)

                article_out.put(chunk, month=month, unchanged=same.issuperset(chunk), rows=article_rows)
                removed_out.put(chunk, month=month, unchanged=kept_ids.issuperset(chunk),
                                rows=lambda: _part_rows(REMOVED, out_dir, stage, staged, month=month, chunk=chunk, old=old))


def _part_rows(table, out_dir: Path, stage: _Staging, staged: dict[str, pd.DataFrame], *, month: str, chunk: list[str], old: list[str]) -> pd.DataFrame:
    """The rows of one part: stored rows of its kept articles and staged rows of this run's (``staged`` caches a month's)."""
    if table.name not in staged:
        staged[table.name] = stage.read(table.name, month)
    stored = store.read_table(table, out_dir, months=[month], article_ids=old) if old else store.empty_frame(table)
    new = staged[table.name][store.isin(staged[table.name]["article_id"], chunk)]
    parts = [store.typed(p, table) for p in (stored, new) if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else store.empty_frame(table)


#: The columns :func:`mediawork.cleaning.inherit_outlets` reads.
_OUTLET_COLUMNS = ["article_id", "source", "outlet", "duplicate_of", "dateline"]


def _inherit_outlets(articles: pd.DataFrame) -> pd.Series:
    """:func:`mediawork.cleaning.inherit_outlets` of ``articles``, asked only about the rows of duplicate groups.

    That function changes an outlet only within a group of two or more articles (an
    original and the copies whose ``duplicate_of`` names it), from the members' source,
    outlet and dateline alone. So every other row keeps its outlet, and giving it just
    the members of such groups (a few percent of a corpus) gives each of them the outlet
    the whole frame would.
    """
    ids, dups = articles["article_id"].tolist(), articles["duplicate_of"].tolist()
    roots = [str(d if isinstance(d, str) and d else a) for a, d in zip(ids, dups)]  # inherit_outlets' group keys
    sizes = Counter(roots)
    grouped = np.fromiter((sizes[root] > 1 for root in roots), dtype=bool, count=len(roots))
    outlets = articles["outlet"].copy()
    if grouped.any():
        members = articles.loc[grouped, [c for c in _OUTLET_COLUMNS if c in articles.columns]]
        outlets[grouped] = cleaning.inherit_outlets(members).to_numpy()
    return outlets


def _same_rows(before: pd.DataFrame, after: pd.DataFrame, kept: set[str]) -> set[str]:
    """Kept articles whose row did not change (duplicate marking and inherited outlets can change).

    Compared as plain values, a missing one (None or NaN) equal only to a missing one.
    (An earlier version compared ``fillna("\\0")`` columns, but pandas turns that fill into
    ``""`` in an object column, so every article without a duplicate mark counted as
    changed and every article part was written again, with the same bytes.)
    """
    if not kept:  # a first run: nothing to compare
        return set()
    now = dict(zip(after["article_id"].tolist(), zip(_values(after["duplicate_of"]), _values(after["outlet"]))))
    was = zip(before["article_id"].tolist(), zip(_values(before["duplicate_of"]), _values(before["outlet"])))
    return {a for a, row in was if a in kept and now.get(a) == row}


def _values(column: pd.Series) -> list[str | None]:
    """A string column's values as a list, None where missing (None, NaN, pd.NA)."""
    return [v if isinstance(v, str) else None for v in column.tolist()]


def _report_rejections(rejected: list[tuple[str, str]], log, *, limit: int = 20) -> None:
    for name, reason in rejected[:limit]:
        print(f"rejected: {name}: {reason}", file=log)
    if len(rejected) > limit:
        print(f"... and {len(rejected) - limit} more rejected inputs (see manifest.parquet)", file=log)


def _reread_dumps(dumps: pd.DataFrame, raw_dir: Path) -> Iterator[Unit]:
    """Read again the dump units named in ``dumps``, one at a time (to learn or clean them again)."""
    if dumps.empty:
        return
    wanted = set(dumps["source_file"])
    tops = sorted({_top(s) for s in wanted})
    for unit in readers.iter_units([raw_dir / t for t in tops], root=raw_dir):
        if unit.source_file in wanted and unit.kind == "dump":
            yield unit


def _learned_dict(frame: pd.DataFrame) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for source, key in zip(frame["source"], frame["key"]):
        out[source].add(key)
    return {s: frozenset(k) for s, k in out.items()}


def _learned_frame(learned: dict[str, Iterable[str]]) -> pd.DataFrame:
    rows = [{"source": s, "key": k} for s, keys in learned.items() for k in keys]
    return _frame(rows, LEARNED)
