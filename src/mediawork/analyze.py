"""Analyze: run sentences, sentiment, terms and actors over the processed corpus and store the tables.

``mediawork analyze`` reads the unique articles of ``articles.parquet`` and writes
``sentences.parquet`` (VADER scores per sentence), ``terms.parquet`` (term counts),
``mentions.parquet`` (actor mentions) and ``cooccurrence.parquet`` (actor pairs for the
``sentence``, ``paragraph`` and ``article`` windows, ``min_count`` 1 so analyses filter
as they like). The work itself is done by the pure functions of :mod:`mediawork.text`,
:mod:`~mediawork.sentiment`, :mod:`~mediawork.terms`, :mod:`~mediawork.actors`,
:mod:`~mediawork.discovery` and :mod:`~mediawork.cooccurrence`; this module only
schedules them and keeps the tables up to date.

Incremental runs
----------------
``analyze_state.json`` in the data folder records what the tables were built from:
each analysed article's id with the SHA-256 of its text, the SHA-256 of the actor
dictionary file, of the lexicon overrides file, of the sentiment lexicon and of the
stopword list, and the sentence splitter. A re-run splits, scores, counts and matches
only the articles that are new or whose text changed; rows of articles that are gone
(or are now duplicates) are dropped. Co-occurrence, an aggregate, is scored from
counts kept per part (``pair_counts.parquet``) summed over the corpus; the state
records those sums with the ``pair_counts`` index they describe, so a run subtracts
the counts of the parts it replaces and adds those it writes (integers: exactly the
sums over every part) instead of reading every part; a state without them, or with
sums of another version of the table, makes the run sum every part. With
``discover=True`` the discovered mentions are rebuilt
(discovery clusters names across the whole corpus; its previous result is reused only
when no article was added, changed or dropped). When an input that affects every
article changes (the dictionary, the overrides, the lexicon, the stopwords, the
splitter) or a table is missing, every article is analysed again and the summary says
why. Every step is a function of one article given those inputs, so an incremental run
gives exactly the tables a full run gives with the same splitter.

Tables are written first and the state last. A run killed midway leaves the old
state: its articles' rows are the same in old and new tables, and any other rows are
dropped and analysed again by the next run. A run that redoes everything first
writes a state that lists no articles, so a kill midway makes the next run redo
everything too.

Parallel runs
-------------
Splitting, scoring, counting and dictionary matching are functions of one article,
so they run in batches of articles on the engine chosen with ``jobs``, ``engine``
and ``scheduler`` (a process pool, or Dask; see :mod:`mediawork.engines`). The
splitter, the lexicon, the stopwords and the dictionary are sent to each worker once,
so workers never depend on their own NLTK data. Training Punkt, discovery and
co-occurrence are corpus-wide and run in this process. Every engine writes the same
bytes.

The sentence splitter
---------------------
With NLTK's pretrained ``punkt_tab`` installed, that model is used. Otherwise Punkt is
trained on the corpus (all unique articles, deterministically; see
:func:`mediawork.text.get_sentence_splitter`). A corpus-trained model changes whenever
the corpus does, which would make every new article change the sentences of every old
one. So the trained model's parameters (abbreviations, collocations, sentence
starters, orthographic context) are stored in ``analyze_state.json`` and reused as they
are by later runs; Punkt is trained again only on a full run (``full=True``, or
``mediawork analyze --full``), when no stored model exists, or when the pretrained model
appears or disappears. Run a full analysis now and then on a growing corpus so the
splitter learns its new abbreviations. :func:`sentence_splitter` gives notebooks the
same splitter, so sentences they split themselves match ``sentences.parquet``.

Example
-------
>>> summary = analyze(Path("data/processed"), progress=False)  # doctest: +SKIP
>>> print(summary.line())  # doctest: +SKIP
analyze: 48 articles: 48 analysed, 0 unchanged, 0 dropped; 1,204 sentences, 30,112 terms, 915 mentions, 402 pairs -> data/processed (all articles analysed: first analysis of this folder)
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import tempfile
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTokenizer

from . import actors, cooccurrence, discovery, engines, sentiment, store, terms, text
from .errors import DataError
from .schema import ARTICLES, COOCCURRENCE, MENTIONS, PAIR_COUNTS, SENTENCES, SIGNATURES, TERMS, Table

__all__ = ["STATE_FILE", "CANDIDATES_FILE", "AnalyzeSummary", "analyze", "sentence_splitter"]

#: The state file of incremental runs, in the data folder.
STATE_FILE = "analyze_state.json"
#: Where ``discover=True`` writes ranked actor candidates, in the data folder.
CANDIDATES_FILE = "actor_candidates.csv"
#: Bump when a change to the analysis functions changes their output: every article is then analysed again.
ANALYSIS_VERSION = 1

_BATCH = 250  # most articles per batch: bounds a worker's memory (see engines.batch_size)
_TRAIN_APART_ARTICLES = 50  # corpus size from which Punkt's sample is read and trained in a child process (engines.run_apart)
_OUTPUTS = (SENTENCES, TERMS, MENTIONS, COOCCURRENCE)
_INPUT_NAMES = {
    "dictionary": "the actor dictionary changed",
    "overrides": "the lexicon overrides changed",
    "lexicon": "the sentiment lexicon changed",
    "stopwords": "the stopword list changed",
}


@dataclass
class AnalyzeSummary:
    """What an analyze run did: article counts, table sizes and the resources in use.

    Attributes
    ----------
    data_dir:
        The processed-data folder the tables were written to.
    articles:
        Unique articles in the corpus.
    analysed, unchanged, dropped:
        Articles analysed in this run, skipped because already analysed with the same
        text and inputs, and articles whose rows were removed (gone or now duplicates).
    sentences, terms, mentions, discovered, pairs:
        Rows of the written tables (``discovered``: mentions with origin ``discovered``;
        ``pairs``: co-occurrence rows over the three windows).
    full_reason:
        Why every article was analysed again, or None for an incremental run.
    splitter:
        Which sentence splitter was used and where it came from.
    lexicon:
        :func:`mediawork.sentiment.lexicon_source` of the analyser used.
    resources:
        :func:`mediawork.text.resources` at the end of the run.
    notes:
        Warnings also printed on stderr (e.g. a missing actor dictionary).
    candidates:
        The actor candidates file written with ``discover=True``, else None.
    """

    data_dir: Path
    articles: int = 0
    analysed: int = 0
    unchanged: int = 0
    dropped: int = 0
    sentences: int = 0
    terms: int = 0
    mentions: int = 0
    discovered: int = 0
    pairs: int = 0
    full_reason: str | None = None
    splitter: str = ""
    lexicon: str = ""
    resources: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    candidates: Path | None = None

    def line(self) -> str:
        """The one-line closing summary printed by ``mediawork analyze``.

        Examples
        --------
        >>> AnalyzeSummary(Path("out"), articles=3, analysed=1, unchanged=2, sentences=9).line()
        'analyze: 3 articles: 1 analysed, 2 unchanged, 0 dropped; 9 sentences, 0 terms, 0 mentions, 0 pairs -> out'
        """
        mentions = f"{self.mentions:,} mentions" + (f" ({self.discovered:,} discovered)" if self.discovered else "")
        out = (
            f"analyze: {self.articles:,} articles: {self.analysed:,} analysed, {self.unchanged:,} unchanged, "
            f"{self.dropped:,} dropped; {self.sentences:,} sentences, {self.terms:,} terms, {mentions}, "
            f"{self.pairs:,} pairs -> {self.data_dir}"
        )
        if self.full_reason:
            out += f" (all articles analysed: {self.full_reason})"
        return out


def analyze(
    data_dir: Path = Path("data/processed"),
    *,
    actors_file: Path | None = Path("data/actors.yml"),
    discover: bool = False,
    lexicon_overrides: Path | None = None,
    full: bool = False,
    progress: bool = True,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> AnalyzeSummary:
    """Analyse the unique articles of ``data_dir`` and write the four analysis tables there.

    Sentences (Punkt), their VADER scores, term counts, actor mentions and actor
    co-occurrence for the ``sentence``, ``paragraph`` and ``article`` windows are
    written as ``sentences.parquet``, ``terms.parquet``, ``mentions.parquet`` and
    ``cooccurrence.parquet`` (see :mod:`mediawork.schema`). Only new or changed
    articles are analysed unless something every article depends on changed (see the
    module docstring); two runs over the same articles give byte-identical tables.

    Parameters
    ----------
    data_dir:
        The processed-data folder holding ``articles.parquet`` (from ``mediawork ingest``).
    actors_file:
        The actor dictionary (YAML, see :func:`mediawork.actors.load_actors`). When the
        file does not exist a note goes to stderr and the mentions table is empty;
        ``None`` means no dictionary, silently.
    discover:
        Also find actors missing from the dictionary
        (:func:`mediawork.discovery.discovered_mentions`, origin ``discovered``) and write
        the ranked candidates to ``data_dir/actor_candidates.csv`` for review.
    lexicon_overrides:
        A ``word<TAB>value`` file of sentiment lexicon changes
        (see :func:`mediawork.sentiment.load_analyzer`).
    full:
        Analyse every article again and, when no pretrained Punkt model is installed,
        train the sentence splitter again on the current corpus.
    progress:
        Show progress bars on stderr.
    jobs:
        Worker processes (``--jobs``); ``None`` uses every core, 1 runs serially.
        Every setting writes the same bytes.
    engine:
        ``"local"`` (a process pool on this machine) or ``"dask"`` (``dask.distributed``);
        see :mod:`mediawork.engines`.
    scheduler:
        With ``engine="dask"``, the address of a running Dask scheduler
        (``tcp://host:8786``); ``None`` starts a local cluster of ``jobs`` workers.

    Returns
    -------
    AnalyzeSummary
        Counts, the reason for a full run, and the resources in use; ``.line()`` is
        the CLI's closing line.

    Raises
    ------
    DataError
        ``articles.parquet`` is missing or unreadable.
    InputError
        The actor dictionary exists but is invalid (the message names the entry and field).
    ParameterError
        The lexicon overrides file is missing or has a bad line, or bad engine options.

    Examples
    --------
    >>> s = analyze(Path("data/processed"), discover=True, progress=False)  # doctest: +SKIP
    >>> s.analysed, s.unchanged  # doctest: +SKIP
    (3, 45)
    """
    data_dir = Path(data_dir)
    workers = engines.check_options(engine=engine, jobs=jobs, scheduler=scheduler)
    corpus = _read_corpus(data_dir)
    summary = AnalyzeSummary(data_dir=data_dir, articles=len(corpus))
    dictionary, dictionary_hash = _load_dictionary(actors_file, summary)
    analyzer = sentiment.load_analyzer(overrides=lexicon_overrides)
    stopwords = text.stopwords()
    inputs = {
        "dictionary": dictionary_hash,
        "overrides": _file_hash(lexicon_overrides) if lexicon_overrides is not None else "none",
        "lexicon": _digest(sorted(analyzer.lexicon.items())),
        "stopwords": _digest(sorted(stopwords)),
    }
    state, state_problem = _read_state(data_dir)
    splitter, splitter_record, splitter_change = _resolve_splitter(state, corpus, data_dir, full=full)
    summary.splitter = _describe_splitter(splitter_record, reused=state is not None and splitter_record is state["splitter"])
    _hint_retraining(splitter_record, len(corpus), summary)
    summary.lexicon = sentiment.lexicon_source(analyzer)

    current = dict(zip(corpus["article_id"].tolist(), corpus["text_sha"].tolist(), strict=True))
    reason = _full_reason(state, state_problem, inputs, splitter_change, data_dir, full=full)
    if not reason and _nothing_changed(state, current, data_dir, discover=discover):
        # Nothing new, changed or dropped: the tables on disk are already the answer.
        summary.unchanged = len(current)
        _count_rows(summary, data_dir)
        if discover:
            origins = store.read_table(MENTIONS, data_dir, columns=["origin"])["origin"]
            summary.discovered, summary.candidates = int((origins == "discovered").sum()), data_dir / CANDIDATES_FILE
        summary.resources = text.resources()
        return summary
    if not reason:
        reason = _check_previous(data_dir)
    previous = dict(state["articles"]) if state is not None and not reason else {}
    unchanged = {a for a, h in current.items() if previous.get(a) == h}
    summary.full_reason = reason
    summary.analysed, summary.unchanged = len(current) - len(unchanged), len(unchanged)
    summary.dropped = len(set(state["articles"] if state is not None else ()) - set(current))

    record = {"version": ANALYSIS_VERSION, "inputs": inputs, "splitter": splitter_record, "discovered": discover}
    if reason:  # a run killed while the tables are rewritten must not reuse any of their rows next time
        _write_state({**record, "articles": {}}, data_dir)
    batch = _BatchAnalysis(splitter=splitter, analyzer=analyzer, stopwords=stopwords, dictionary=dictionary)
    plan = _plan(corpus, unchanged, data_dir, discover=discover)
    reuse_discovered = (
        discover and not reason and not summary.analysed and not summary.dropped
        and state.get("discovered") is True and (data_dir / CANDIDATES_FILE).is_file()
    )
    # Stored mention parts hold discovered rows after a --discover run: they are redone when discovery is on or was.
    same_mentions = not discover and not (state is not None and state.get("discovered"))
    # Each writer commits its new index only when called to: an error before leaves the old tables.
    sentence_out, term_out, mention_out, count_out = (store.DatasetWriter(t, data_dir) for t in (SENTENCES, TERMS, MENTIONS, PAIR_COUNTS))
    held: list[tuple[_Chunk, pa.Table, pd.DataFrame]] = []
    stored_totals = None if reason else _stored_totals(state, data_dir)

    def finish(chunk: _Chunk, new: tuple[pa.Table, pa.Table, pa.Table] | None) -> None:
        """Write the chunk's parts (or keep them): its stored rows read, joined with the new ones, counted."""
        if new is None:  # nothing in the chunk changed: its parts stay as they are
            sentence_out.keep(chunk.reuse["sentences"])
            term_out.keep(chunk.reuse["terms"])
            if same_mentions:
                mention_out.keep(chunk.reuse["mentions"])
                count_out.keep(chunk.reuse["pair_counts"])
                return
            sentences, new_mentions = _kept(SENTENCES, chunk, data_dir, every=True), MENTIONS.arrow_schema.empty_table()
        else:
            new_sentences, new_terms, new_mentions = new
            sentences = _joined(_kept(SENTENCES, chunk, data_dir, arrow=True), new_sentences, SENTENCES)
            sentence_out.write(sentences, month=chunk.month, ids=chunk.ids)
            term_out.write(_joined(_kept(TERMS, chunk, data_dir, arrow=True), new_terms, TERMS), month=chunk.month, ids=chunk.ids)
        windows = _windows(sentences)
        # Mentions stay Arrow tables (as sentences and terms do): the writer casts and sorts either kind to the same bytes.
        kept_mentions = _kept(MENTIONS, chunk, data_dir, every=new is None, arrow=True)
        mentions = _joined(kept_mentions.filter(pc.equal(kept_mentions["origin"], "dictionary")), new_mentions, MENTIONS)
        if discover:
            held.append((chunk, mentions, windows))
        else:
            mention_out.write(mentions, month=chunk.month, ids=chunk.ids)
            count_out.write(_pair_counts(mentions, windows), month=chunk.month, ids=chunk.ids)
        if new is not None:
            engines.release_memory(collect=False)  # a written part's buffers go back to the system

    # Parts are written on a thread of their own, in chunk order, while this one feeds the engine the next batches.
    with _InOrder() as behind:
        for chunk, new in _run_chunks(plan, batch, data_dir, engine=engine, jobs=workers, scheduler=scheduler, progress=progress):
            behind.submit(finish, chunk, new)
    if discover:  # discovery reads the sentences just written, before the mentions are committed
        found = store.read_table(MENTIONS, data_dir).query("origin == 'discovered'") if reuse_discovered else None
    sentence_out.commit()
    term_out.commit()
    if discover:
        if reuse_discovered:  # discovery is corpus-wide and slow: reuse it when nothing changed
            summary.candidates = data_dir / CANDIDATES_FILE
        else:
            found, summary.candidates = _discover(data_dir, dictionary=dictionary)
        summary.discovered = len(found)
        for chunk, mentions, windows in held:
            mentions = _combine(mentions.to_pandas(), found[found["article_id"].isin(chunk.ids)], MENTIONS)
            mention_out.write(mentions, month=chunk.month, ids=chunk.ids)
            count_out.write(_pair_counts(mentions, windows), month=chunk.month, ids=chunk.ids)
    mention_out.commit()
    # the replaced parts' counts are read before the commit removes their files
    gone = store.read_parts(PAIR_COUNTS, data_dir, count_out.replaced()).to_pandas() if stored_totals is not None else None
    count_out.commit()
    totals = _pair_totals(data_dir, stored=stored_totals, gone=gone, added=count_out.added())
    store.write_table(_cooccurrence(totals), COOCCURRENCE, data_dir)
    _write_state({**record, "articles": dict(sorted(current.items())), "pair_totals": _totals_record(totals, data_dir)}, data_dir)
    _count_rows(summary, data_dir)
    summary.resources = text.resources()
    return summary


def _count_rows(summary: AnalyzeSummary, data_dir: Path) -> None:
    summary.sentences, summary.terms, summary.mentions, summary.pairs = (
        store.count_rows(table, data_dir) for table in (SENTENCES, TERMS, MENTIONS, COOCCURRENCE)
    )


def _nothing_changed(state: dict | None, current: Mapping[str, str], data_dir: Path, *, discover: bool) -> bool:
    """True when the last run analysed exactly these article texts with the same options and its tables are all there."""
    if state is None or dict(state["articles"]) != dict(current) or state.get("discovered") is not discover:
        return False
    if discover and not (data_dir / CANDIDATES_FILE).is_file():
        return False
    return all(store.exists(table, data_dir) for table in (SENTENCES, TERMS, MENTIONS, COOCCURRENCE))


def sentence_splitter(data_dir: Path = Path("data/processed")) -> PunktSentenceTokenizer:
    """The sentence splitter the last :func:`analyze` of ``data_dir`` used.

    Pass it to :func:`mediawork.text.sentences_frame` in a notebook so that a subset of
    articles is split exactly as in ``sentences.parquet`` (splitting a subset without
    it trains Punkt on that subset alone when no pretrained model is installed).

    Parameters
    ----------
    data_dir:
        A processed-data folder that ``mediawork analyze`` has run on.

    Returns
    -------
    PunktSentenceTokenizer

    Raises
    ------
    DataError
        No analysis state in ``data_dir``, or its pretrained model is no longer installed.

    Examples
    --------
    >>> from mediawork import store
    >>> arts = store.read_articles(Path("data/processed"), date_from="2025-03-01")  # doctest: +SKIP
    >>> text.sentences_frame(arts, splitter=sentence_splitter(Path("data/processed")))  # doctest: +SKIP
    """
    data_dir = Path(data_dir)
    state, problem = _read_state(data_dir)
    if state is None:
        raise DataError(
            f"{data_dir / STATE_FILE}: {problem}; expected the state `mediawork analyze` writes. "
            f"Run `mediawork analyze --data {data_dir}` first."
        )
    record = state["splitter"]
    if record.get("kind") == "trained":
        return PunktSentenceTokenizer(_params_from_json(record["params"]))
    probe = text.get_sentence_splitter()
    if not isinstance(probe, PunktTokenizer):
        raise DataError(
            f"{data_dir} was analysed with NLTK's pretrained punkt_tab model, which is no longer on nltk.data.path; "
            f"expected it installed. Run `mediawork analyze --data {data_dir}` again to use a splitter trained on the corpus."
        )
    return probe


# --------------------------------------------------------------------------- inputs


def _read_corpus(data_dir: Path) -> pd.DataFrame:
    """The unique articles' ids, months and text SHA-256, sorted by id.

    The hashes come from ingest's ``signatures.parquet`` when it covers every article,
    so no body is read; otherwise texts are read one part of ``articles.parquet`` at a
    time and only their hashes and lengths (``chars``) kept, so this costs memory for one
    part, not the corpus.
    """
    path = data_dir / ARTICLES.file
    if not store.exists(ARTICLES, data_dir):
        raise DataError(
            f"{path} not found: there are no articles to analyse. Run `mediawork ingest` first, "
            "or pass --data with the folder that holds articles.parquet."
        )
    try:
        meta = store.read_table(ARTICLES, data_dir, columns=["article_id", "published", "duplicate_of"])
        meta = meta[meta["duplicate_of"].isna()]
        hashes = store.read_table(SIGNATURES, data_dir, columns=["article_id", "text_sha256"], missing_ok=True)
        known = dict(zip(hashes["article_id"].tolist(), hashes["text_sha256"].tolist()))  # plain lists: iterating Arrow-backed columns is slow
        ids = meta["article_id"].astype(str).tolist()
        if all(a in known for a in ids) and _written_before(SIGNATURES, ARTICLES, data_dir):
            corpus = pd.DataFrame({
                "article_id": ids,
                "month": store.month_of(meta["published"]).tolist(),
                "text_sha": [known[a] for a in ids],
            })
            return corpus.sort_values("article_id", kind="stable", ignore_index=True)
        frames = []
        for _, part in store.iter_parts(ARTICLES, data_dir, columns=["article_id", "published", "text", "duplicate_of"]):
            part = part[part["duplicate_of"].isna()]
            texts = part["text"].fillna("").astype(str).tolist()
            frames.append(pd.DataFrame({
                "article_id": part["article_id"].astype(str).tolist(),
                "month": store.month_of(part["published"]).tolist(),
                "text_sha": [_text_hash(t) for t in texts],
                "chars": [len(t) for t in texts],
            }))
    except (pa.ArrowException, OSError) as exc:
        raise DataError(
            f"{path} cannot be read ({type(exc).__name__}: {exc}); expected a Parquet table written by `mediawork ingest`. "
            "Run `mediawork ingest` again to rewrite it."
        ) from None
    if not frames:
        return pd.DataFrame({"article_id": [], "month": [], "text_sha": [], "chars": []}).astype({"chars": int})
    corpus = pd.concat(frames, ignore_index=True)
    return corpus.sort_values("article_id", kind="stable", ignore_index=True)


def _text_lengths(data_dir: Path) -> pd.DataFrame:
    """Each article's id and body length in characters (``chars``; 0 for no body), one part at a time, counted by Arrow."""
    frames = [
        pd.DataFrame({"article_id": part.column("article_id").to_pylist(),
                      "chars": pc.fill_null(pc.utf8_length(part.column("text")), 0).to_numpy(zero_copy_only=False).astype("int64")})
        for _, part in store.iter_parts(ARTICLES, data_dir, columns=["article_id", "text"], arrow=True)
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"article_id": [], "chars": []}).astype({"chars": "int64"})


def _written_before(first: Table, second: Table, data_dir: Path) -> bool:
    """Whether ``first`` was last written no later than ``second`` (ingest writes signatures, then articles).

    A signatures table newer than the articles belongs to an ingest killed before it
    wrote them, so its hashes may describe bodies the articles table does not hold yet.
    """
    def mtime(table: Table) -> float:
        path = data_dir / table.file
        return (path if path.is_file() else path / store.INDEX_FILE).stat().st_mtime

    try:
        return mtime(first) <= mtime(second)
    except OSError:
        return False


def _read_texts(data_dir: Path, ids: list[str], *, month: str | None) -> pd.DataFrame:
    """``article_id`` and ``text`` of some articles, sorted by id, reading only their month's parts."""
    found = store.read_table(ARTICLES, data_dir, columns=["article_id", "text"], months=None if month is None else [month], article_ids=ids)
    if len(found) < len(ids) and month is not None:  # not where its date says: look everywhere
        found = store.read_table(ARTICLES, data_dir, columns=["article_id", "text"], article_ids=ids)
    found = found.drop_duplicates("article_id").sort_values("article_id", kind="stable", ignore_index=True)
    return found.assign(text=found["text"].astype("string").fillna(""))


def _load_dictionary(path: Path | None, summary: AnalyzeSummary) -> tuple[actors.ActorDictionary | None, str]:
    """(dictionary or None, fingerprint); a missing file is reported on stderr."""
    if path is None:
        return None, "none"
    path = Path(path)
    if not path.exists():
        note = (
            f"mediawork analyze: actor dictionary {path} not found; writing an empty mentions table. "
            "Create it (see data/actors.yml in the project) or pass --actors FILE to find actor mentions."
        )
        print(note, file=sys.stderr)
        summary.notes.append(note)
        return None, "missing"
    dictionary = actors.load_actors(path)  # InputError with the file, entry and field on a bad file
    return dictionary, _file_hash(path)


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "missing"  # load_analyzer / load_actors report the problem itself


def _digest(items: Iterable[Any]) -> str:
    return hashlib.sha256(json.dumps(list(items), ensure_ascii=False).encode("utf-8")).hexdigest()


def _text_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- state


def _read_state(data_dir: Path) -> tuple[dict | None, str]:
    """(state, "") or (None, why there is no usable state)."""
    path = data_dir / STATE_FILE
    if not path.exists():
        return None, "first analysis of this folder"
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        ok = (
            isinstance(state, dict)
            and isinstance(state.get("articles"), dict)
            and isinstance(state.get("inputs"), dict)
            and isinstance(state.get("splitter"), dict)
        )
    except (OSError, ValueError):
        ok = False
    if not ok:
        return None, f"{STATE_FILE} was unreadable"
    if state.get("version") != ANALYSIS_VERSION:
        return None, f"the analysis changed (state version {state.get('version')!r}, now {ANALYSIS_VERSION})"
    return state, ""


def _write_state(state: Mapping[str, Any], data_dir: Path) -> Path:
    """Write the state JSON atomically (sorted keys, so the same run gives the same bytes)."""
    target = data_dir / STATE_FILE
    fd, tmp = tempfile.mkstemp(prefix=".analyze_state.", suffix=".tmp", dir=data_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(state, fh, sort_keys=True, indent=1, ensure_ascii=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _full_reason(state: dict | None, problem: str, inputs: Mapping[str, str], splitter_change: str | None, data_dir: Path, *, full: bool) -> str | None:
    """Why every article must be analysed again, or None when an incremental run is right."""
    if full:
        return "a full run was asked for"
    if state is None:
        return problem
    if splitter_change:
        return splitter_change
    for key, why in _INPUT_NAMES.items():
        if state["inputs"].get(key) != inputs[key]:
            return why
    missing = [t.file for t in _OUTPUTS if not store.exists(t, data_dir)]
    if missing:
        return f"{', '.join(missing)} missing"
    return None


def _check_previous(data_dir: Path) -> str | None:
    """Why the stored sentences, terms and mentions cannot be reused, or None when they can."""
    for table in (SENTENCES, TERMS, MENTIONS, PAIR_COUNTS):
        try:
            found = store.parts(table, data_dir)
        except Exception as exc:  # noqa: BLE001 - any unreadable table just means: rebuild everything
            return f"{table.file} was unreadable ({type(exc).__name__})"
        if any(p.month is None for p in found):
            return f"{table.file} is in an older layout (one file, not partitioned by month)"
    return None


# --------------------------------------------------------------------------- sentence splitter


def _resolve_splitter(state: dict | None, corpus: pd.DataFrame, data_dir: Path, *, full: bool) -> tuple[PunktSentenceTokenizer, dict, str | None]:
    """(splitter, its state record, why it differs from the stored one or None).

    The pretrained model when installed; else the stored trained model, reused as is,
    unless ``full`` or there is none, in which case Punkt is trained on the corpus
    (only the texts :func:`mediawork.text.get_sentence_splitter` would sample are read).
    """
    stored = state["splitter"] if state is not None else {}
    probe = text.get_sentence_splitter()
    if isinstance(probe, PunktTokenizer):
        digest = _digest([_params_to_json(probe._params)])
        record = {"kind": "pretrained", "sha256": digest}
        if state is None or full:
            return probe, record, None
        if stored.get("kind") != "pretrained":
            return probe, record, "NLTK's pretrained punkt_tab model is now installed and replaces the corpus-trained splitter"
        if stored.get("sha256") != digest:
            return probe, record, "the pretrained punkt_tab model changed"
        return probe, record, None
    if state is not None and not full and stored.get("kind") == "trained":
        try:
            params = _params_from_json(stored["params"])
            return PunktSentenceTokenizer(params), stored, None
        except (KeyError, TypeError, ValueError):
            change = f"the sentence splitter stored in {STATE_FILE} was unreadable; Punkt trained on the corpus again"
    elif state is not None and not full:
        change = "NLTK's pretrained punkt_tab model is no longer installed; Punkt trained on the corpus instead"
    else:
        change = None
    if len(corpus) >= _TRAIN_APART_ARTICLES:  # reading the sample and training leave objects in this process's heap
        trained = engines.run_apart(_trained_splitter, corpus, data_dir)
    else:
        trained = _trained_splitter(corpus, data_dir)
    params = _params_to_json(trained._params)
    record = {"kind": "trained", "articles": len(corpus), "sha256": _digest([params]), "params": params}
    return trained, record, change


def _trained_splitter(corpus: pd.DataFrame, data_dir: Path) -> PunktSentenceTokenizer:
    """Punkt trained on the corpus's training sample, read from the store (see :func:`_training_texts`)."""
    return text.get_sentence_splitter(_training_texts(corpus, data_dir))


def _training_texts(corpus: pd.DataFrame, data_dir: Path) -> list[str]:
    """The texts Punkt's training sample takes: distinct texts in SHA-256 order up to ``text.TRAIN_MAX_CHARS``.

    Chosen from the stored hashes and lengths, so only those texts are read. When the
    hashes came from the signatures (no lengths known), the candidates are first bounded
    by the stored word counts (:func:`_training_texts_by_words`), which saves reading
    every body once just to measure it; :func:`_training_texts_slow` is the definition.
    """
    if "chars" not in corpus.columns:
        texts = _training_texts_by_words(corpus, data_dir)
        if texts is not None:
            return texts
    return _training_texts_slow(corpus, data_dir)


def _training_texts_slow(corpus: pd.DataFrame, data_dir: Path) -> list[str]:
    """The reference :func:`_training_texts`: every body's length counted (when not known), then the chosen texts read."""
    if "chars" not in corpus.columns:  # hashes came from the signatures: the lengths come from the bodies
        corpus = corpus.merge(_text_lengths(data_dir), on="article_id", how="left", validate="one_to_one")
    distinct = corpus.drop_duplicates("text_sha").sort_values("text_sha", kind="stable")
    chosen = _prefix(list(zip(distinct["month"], distinct["article_id"], distinct["chars"])))
    texts: list[str] = []
    for month in sorted({m for m, _ in chosen}):
        texts += _read_texts(data_dir, [a for m, a in chosen if m == month], month=month)["text"].tolist()
    return texts


def _prefix(items: list[tuple[str, str, int]]) -> list[tuple[str, str]]:
    """(month, article) of the first ``(month, article, chars)`` items up to ``text.TRAIN_MAX_CHARS`` characters (the first always)."""
    chosen, size = [], 0
    for month, aid, chars in items:
        if size and size + chars > text.TRAIN_MAX_CHARS:
            break
        chosen.append((month, aid))
        size += chars
    return chosen


def _training_texts_by_words(corpus: pd.DataFrame, data_dir: Path) -> list[str] | None:
    """:func:`_training_texts_slow`'s texts, reading only candidates bounded by word counts; None when the bound fails.

    A body of ``n`` words (``n_words``: whitespace-separated tokens) has at least
    ``2n - 1`` characters. Taking the prefix with these lower bounds in place of the
    lengths, plus the item at which it stops, gives a superset of the real prefix: the
    bounded sums never exceed the real ones, so where the bounded prefix stops the real
    one has stopped already. Only the candidates' texts are read, and the selection is
    then made with their real lengths. Every candidate's bound is checked against its
    text; if one fails (a word count that does not describe its body), or an id is
    stored twice, the result is None and the caller counts every length instead.
    """
    words = store.read_table(ARTICLES, data_dir, columns=["article_id", "n_words"])
    counts = words["n_words"].fillna(0).astype("int64").tolist()
    at_least = dict(zip(words["article_id"].astype(str).tolist(), (max(2 * n - 1, 0) for n in counts)))
    distinct = corpus.drop_duplicates("text_sha").sort_values("text_sha", kind="stable")
    items = list(zip(distinct["month"], distinct["article_id"], (at_least.get(a, 0) for a in distinct["article_id"])))
    candidates = items[: len(_prefix(items)) + 1]
    # one read for every month (an id stored once is the text _read_texts finds in its month)
    rows = store.read_table(ARTICLES, data_dir, columns=["article_id", "text"], article_ids=[a for _, a, _ in candidates])
    if rows["article_id"].duplicated().any():
        return None
    found = dict(zip(rows["article_id"].astype(str).tolist(), rows["text"].astype("string").fillna("").tolist()))
    if any(a not in found or len(found[a]) < low for _, a, low in candidates):
        return None
    chosen = _prefix([(m, a, len(found[a])) for m, a, _ in candidates])
    if len(chosen) == len(candidates) < len(items):  # cannot happen while the bounds hold: the real prefix stops within
        return None
    by_month: dict[str, list[str]] = defaultdict(list)
    for month, aid in chosen:
        by_month[month].append(aid)
    return [found[a] for month in sorted(by_month) for a in sorted(set(by_month[month]))]


def _hint_retraining(record: Mapping[str, Any], n_articles: int, summary: AnalyzeSummary) -> None:
    """Suggest a full run when the corpus has at least doubled since the splitter was trained."""
    trained_on = record.get("articles")
    if record["kind"] == "trained" and trained_on is not None and n_articles >= 2 * max(trained_on, 1):
        note = (
            f"mediawork analyze: the sentence splitter was trained on {_articles(trained_on)} and the corpus now has "
            f"{n_articles:,}; run `mediawork analyze --full` to train it on the whole corpus (every article is analysed again)."
        )
        print(note, file=sys.stderr)
        summary.notes.append(note)


def _describe_splitter(record: Mapping[str, Any], *, reused: bool) -> str:
    if record["kind"] == "pretrained":
        return "punkt_tab (pretrained)"
    when = f"stored in {STATE_FILE}, reused" if reused else "trained in this run"
    return f"punkt trained on {_articles(record.get('articles', 0))} ({when})"


def _articles(n: int) -> str:
    return f"{n:,} article{'' if n == 1 else 's'}"


def _params_to_json(params: PunktParameters) -> dict[str, Any]:
    """Punkt's parameters as sorted JSON-ready lists (zero orthographic contexts left out)."""
    return {
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted([a, b] for a, b in params.collocations),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": {k: int(v) for k, v in sorted(params.ortho_context.items()) if v},
    }


def _params_from_json(data: Mapping[str, Any]) -> PunktParameters:
    params = PunktParameters()
    params.abbrev_types = {str(a) for a in data["abbrev_types"]}
    params.collocations = {(str(a), str(b)) for a, b in data["collocations"]}
    params.sent_starters = {str(s) for s in data["sent_starters"]}
    params.ortho_context = defaultdict(int, {str(k): int(v) for k, v in data["ortho_context"].items()})
    return params


# --------------------------------------------------------------------------- analysis


class _BatchAnalysis:
    """The per-batch analysis: sentences with scores, terms and dictionary mentions of some articles.

    Everything it needs travels with it (the splitter, the lexicon, the stopwords, the
    dictionary), so a worker process or a Dask worker gives exactly what this process
    gives, whatever its own NLTK data. Pickling sends the analyser as its lexicon and
    rebuilds it once per worker. Each article's rows depend on that article alone.
    """

    def __init__(
        self,
        *,
        splitter: PunktSentenceTokenizer,
        analyzer: sentiment.Analyzer,
        stopwords: frozenset[str],
        dictionary: actors.ActorDictionary | None,
    ) -> None:
        self.splitter = splitter
        self.analyzer = analyzer
        self.stopwords = stopwords
        self.dictionary = dictionary

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["analyzer"] = (dict(self.analyzer.lexicon), self.analyzer.source)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        lexicon, source = state.pop("analyzer")
        self.__dict__.update(state)
        self.analyzer = sentiment.Analyzer(lexicon, source=source)

    def __call__(self, articles: pd.DataFrame) -> tuple[pa.Table, pa.Table, pa.Table]:
        """(sentences, terms, mentions) of ``articles``, as Arrow tables of the tables' schemas.

        Arrow tables, not frames: no pandas casts in the worker, and they pickle back
        to the main process as a few buffers.
        """
        split = text.sentences_frame(articles, splitter=self.splitter)
        sentences = _arrow(sentiment.score_sentences(split, analyzer=self.analyzer), SENTENCES)
        term_rows = terms.count_terms_arrow(split, stopwords=self.stopwords).cast(TERMS.arrow_schema)
        if self.dictionary is None:
            return sentences, term_rows, MENTIONS.arrow_schema.empty_table()
        return sentences, term_rows, _arrow(actors.find_mentions(split, self.dictionary), MENTIONS)


class _InOrder:
    """Run tasks one after another on one background thread, in the order given; the first error is raised here.

    At most ``ahead`` tasks wait behind the running one (``submit`` blocks until one is
    done), so memory stays bounded. Leaving the ``with`` block waits for every task;
    leaving it on an error cancels the tasks not yet started and waits for the running
    one, so nothing runs after the caller has moved on.

    Examples
    --------
    >>> done = []
    >>> with _InOrder() as behind:
    ...     for i in range(3):
    ...         behind.submit(done.append, i)
    >>> done
    [0, 1, 2]
    """

    def __init__(self, *, ahead: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mediawork-parts")
        self._pending: deque[Future] = deque()
        self._ahead = ahead

    def submit(self, task: Any, *args: Any) -> None:
        """Queue ``task(*args)``; raise the error of any finished task."""
        self._pending.append(self._pool.submit(task, *args))
        while self._pending and (len(self._pending) > self._ahead + 1 or self._pending[0].done()):
            self._pending.popleft().result()

    def __enter__(self) -> _InOrder:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                while self._pending:
                    self._pending.popleft().result()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class _Chunk:
    """One part of the analysis tables: a month's articles between two chunk cut points."""

    month: str
    ids: list[str]  # the part's unique articles, sorted
    todo: list[str]  # to analyse in this run
    kept: list[str]  # unchanged: their stored rows carry over
    reuse: dict[str, store.Part] | None = None  # the stored parts, when nothing in the chunk changed


def _plan(corpus: pd.DataFrame, unchanged: set[str], data_dir: Path, *, discover: bool) -> list[_Chunk]:
    """The parts the analysis tables will have, and for each what must be done."""
    old = {t.name: {(p.month, p.ids): p for p in store.parts(t, data_dir) if p.month is not None} for t in (SENTENCES, TERMS, MENTIONS, PAIR_COUNTS)}
    plan = []
    for month, month_ids in sorted(_ids_by_month(corpus).items()):
        for ids in store.chunk_ids(month_ids):
            chunk = _Chunk(month=month, ids=ids, todo=[a for a in ids if a not in unchanged], kept=[a for a in ids if a in unchanged])
            if not chunk.todo:
                key = (month, store.ids_digest(ids))
                found = {name: parts.get(key) for name, parts in old.items()}
                if all(found.values()):
                    chunk.reuse = found
            plan.append(chunk)
    return plan


def _ids_by_month(corpus: pd.DataFrame) -> dict[str, list[str]]:
    """Each month's article ids, in corpus order, from plain lists (no pandas groupby, no iteration over Arrow-backed columns)."""
    by_month: dict[str, list[str]] = defaultdict(list)
    for month, aid in zip(corpus["month"].tolist(), corpus["article_id"].tolist(), strict=True):
        by_month[month].append(aid)
    return by_month


def _run_chunks(
    plan: list[_Chunk],
    batch: _BatchAnalysis,
    data_dir: Path,
    *,
    engine: str,
    jobs: int,
    scheduler: str | None,
    progress: bool,
) -> Iterator[tuple[_Chunk, tuple[pa.Table, pa.Table, pa.Table] | None]]:
    """Each chunk with its new (sentences, terms, mentions), or None when it is reused as stored.

    The articles to analyse are read chunk by chunk and cut into batches that run on
    the engine; at most a few batches are in flight, so memory is bounded by the
    batch and the chunk, not by the corpus.
    """
    total = sum(len(c.todo) for c in plan)
    size = engines.batch_size(total, workers=jobs, largest=_BATCH)

    def batches() -> Iterator[pd.DataFrame]:
        for chunk in plan:
            if chunk.reuse is None and chunk.todo:
                yield from engines.split(_read_texts(data_dir, chunk.todo, month=chunk.month), size=size)

    results = engines.map_batches(
        batch, batches(), engine=engine, jobs=jobs, scheduler=scheduler,
        progress=progress, desc="analysing", unit=" articles", total=total,
    ) if total else iter(())
    for chunk in plan:
        if chunk.reuse is not None:
            yield chunk, None
            continue
        done = [next(results) for _ in range(math.ceil(len(chunk.todo) / size))]
        yield chunk, tuple(_concat_arrow([d[i] for d in done], table) for i, table in enumerate((SENTENCES, TERMS, MENTIONS)))


def _kept(table: Table, chunk: _Chunk, data_dir: Path, *, every: bool = False, arrow: bool = False) -> pd.DataFrame | pa.Table:
    """The stored rows of the chunk's unchanged articles (``every``: of all its articles), as a frame or an Arrow table."""
    ids = chunk.ids if every else chunk.kept
    if not ids:
        return table.arrow_schema.empty_table() if arrow else store.empty_frame(table)
    rows = store.read_table(table, data_dir, months=[chunk.month], article_ids=ids, arrow=arrow)
    if table is SENTENCES and len(pc.unique(rows["article_id"]) if arrow else rows["article_id"].unique()) < len(ids):
        rows = store.read_table(table, data_dir, article_ids=ids, arrow=arrow)  # moved month: look everywhere
    return rows


def _discover(data_dir: Path, *, dictionary: actors.ActorDictionary | None) -> tuple[pd.DataFrame, Path]:
    """Discovered mentions over the whole corpus, and the candidates file written for review."""
    frame = store.read_table(SENTENCES, data_dir, columns=["article_id", "sentence_id", "text"])
    candidates = discovery.discover_actors(frame, known=dictionary)
    path = discovery.write_candidates(candidates, data_dir / CANDIDATES_FILE)
    return discovery.discovered_mentions(frame, known=dictionary), path


def _pair_counts(mentions: pd.DataFrame | pa.Table, windows: pd.DataFrame) -> pa.Table:
    """The co-occurrence counts of one part, for the three windows (see :func:`mediawork.cooccurrence.window_counts`)."""
    if isinstance(mentions, pa.Table):  # only the columns counting reads go to pandas
        mentions = mentions.select(["article_id", "sentence_id", "actor"]).to_pandas()
    return _arrow(cooccurrence.window_counts(mentions, sentences=windows, windows=cooccurrence.WINDOWS), PAIR_COUNTS)


def _cooccurrence(totals: pd.DataFrame) -> pd.DataFrame:
    """Pairs for the three windows, every pair kept (min_count 1), from the counts of every part summed (:func:`_pair_totals`).

    :func:`mediawork.cooccurrence.cooccurrence_from_counts` sums its rows per window,
    actor and pair (integers), so rows already summed give what every part's rows give.
    """
    parts = [cooccurrence.cooccurrence_from_counts(totals, window=w, min_count=1) for w in cooccurrence.WINDOWS]
    return _sorted(_concat(parts, COOCCURRENCE), COOCCURRENCE)


def _pair_totals(data_dir: Path, *, stored: pd.DataFrame | None, gone: pd.DataFrame | None, added: list[store.Part]) -> pd.DataFrame:
    """The counts of every part of ``pair_counts`` summed per window, kind and actors.

    With the totals the state recorded for the table as it was (``stored``), those
    totals less the counts of the parts this run replaced (``gone``) plus those of the
    parts it added: integer sums, so exactly the sums over every part, for the cost of
    the parts rewritten. Without them, every part is read and summed.
    """
    if stored is None or gone is None:
        return _summed([store.read_table(PAIR_COUNTS, data_dir, sort=False)])
    new = store.read_parts(PAIR_COUNTS, data_dir, added).to_pandas()
    return _summed([stored, gone.assign(count=-gone["count"], articles=-gone["articles"]), new])


def _summed(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Rows of pair counts summed per (window, kind, actor_a, actor_b), sorted; keys whose sums are zero are left out.

    A key summing to zero is as good as absent for :func:`_cooccurrence`: a pair needs a
    count of at least 1, and an actor's count is looked up only for such pairs.
    """
    counts = pd.concat([store.typed(f, PAIR_COUNTS) for f in frames], ignore_index=True)
    keys = ["window", "kind", "actor_a", "actor_b"]
    summed = counts.groupby(keys, sort=True, dropna=False)[["count", "articles"]].sum().reset_index()
    summed = summed[(summed["count"] != 0) | (summed["articles"] != 0)]
    return store.typed(summed, PAIR_COUNTS).reset_index(drop=True)


def _totals_record(totals: pd.DataFrame, data_dir: Path) -> dict[str, Any]:
    """The state's record of the summed pair counts, tied to the ``pair_counts`` index they describe."""
    rows = [list(r) for r in zip(*(totals[c].tolist() for c in PAIR_COUNTS.names), strict=True)]
    return {"index": store.fingerprint(PAIR_COUNTS, data_dir), "rows": rows}


def _stored_totals(state: Mapping[str, Any] | None, data_dir: Path) -> pd.DataFrame | None:
    """The summed pair counts the state recorded, when they describe ``pair_counts`` as it is now; else None.

    A state written before the totals were recorded, totals of another version of the
    table (a run killed after writing it, before the state) or an unreadable record
    give None: the counts are then summed from every part.
    """
    record = state.get("pair_totals") if state is not None else None
    if not isinstance(record, dict) or not store.exists(PAIR_COUNTS, data_dir):
        return None
    try:
        if record["index"] != store.fingerprint(PAIR_COUNTS, data_dir):
            return None
        rows = record["rows"]
        if not isinstance(rows, list) or any(not isinstance(r, list) or len(r) != len(PAIR_COUNTS.names) for r in rows):
            return None
        columns = list(zip(*rows)) if rows else [()] * len(PAIR_COUNTS.names)
        arrays = [pa.array(list(c), type=f.type) for c, f in zip(columns, PAIR_COUNTS.arrow_schema, strict=True)]
        return pa.Table.from_arrays(arrays, schema=PAIR_COUNTS.arrow_schema).to_pandas()
    except (KeyError, TypeError, ValueError, pa.ArrowException, DataError):
        return None


# --------------------------------------------------------------------------- frames


def _concat(parts: list[pd.DataFrame], table: Table) -> pd.DataFrame:
    parts = [store.typed(p, table) for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else store.empty_frame(table)


def _combine(kept: pd.DataFrame | None, new: pd.DataFrame, table: Table) -> pd.DataFrame:
    return _concat([p for p in (kept, new) if p is not None], table)


def _arrow(frame: pd.DataFrame, table: Table) -> pa.Table:
    """The frame's table columns as an Arrow table of the table's schema (what :func:`mediawork.store.typed` then ``from_pandas`` give).

    Column by column when every column is a string column for a string field or a plain
    numpy integer (float) column for an integer (float) field, as in the frames analyze
    builds: a string column hands over its Arrow data, a number column its numpy array
    with NaN as null (as ``from_pandas`` reads it), each cast to its field's type with the
    safe cast ``from_pandas`` applies too (an out-of-range value raises). What this skips
    is ``from_pandas``'s per-frame work (pandas metadata, type inference). Other frames
    take :func:`_arrow_slow`, the definition.
    """
    columns = []
    for field_ in table.arrow_schema:
        column = frame[field_.name]
        kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else None
        if isinstance(column.dtype, pd.StringDtype) and (pa.types.is_string(field_.type) or pa.types.is_large_string(field_.type)):
            array = pa.array(column.array)
        elif (kind in ("i", "u") and pa.types.is_integer(field_.type)) or (kind == "f" and pa.types.is_floating(field_.type)):
            array = pa.array(column.to_numpy(), from_pandas=True)
        else:  # e.g. object or nullable columns, or a number going to another kind of type
            return _arrow_slow(frame, table)
        columns.append(array if array.type == field_.type else array.cast(field_.type))
    return pa.Table.from_arrays(columns, schema=table.arrow_schema)


def _arrow_slow(frame: pd.DataFrame, table: Table) -> pa.Table:
    """The reference :func:`_arrow`: ``from_pandas`` with the table's schema, pandas metadata dropped."""
    return pa.Table.from_pandas(frame[table.names], schema=table.arrow_schema, preserve_index=False).replace_schema_metadata(None)


def _concat_arrow(parts: list[pa.Table], table: Table) -> pa.Table:
    """Arrow tables of one table glued together (chunks are combined when the part is written)."""
    parts = [p.cast(table.arrow_schema) for p in parts if p.num_rows]
    return pa.concat_tables(parts) if parts else table.arrow_schema.empty_table()


def _joined(kept: pa.Table, new: pa.Table, table: Table) -> pa.Table:
    """Stored rows of unchanged articles (read as Arrow) and new rows, as one Arrow table of the table's schema, in article order.

    Both sides come sorted, each article's rows on one side only, so putting the
    articles' runs of rows in article order (:func:`_article_order`) gives the rows as
    the writer sorts them, and it need not sort them again (the writer still checks; a
    table it must sort holds the same rows, so it writes the same bytes either way).
    """
    if not kept.num_rows:
        return new
    joined = _concat_arrow([kept.select(table.names), new], table)
    order = _article_order(joined.column("article_id"), kept.num_rows)
    return joined if order is None else joined.take(order)


def _article_order(ids: pa.ChunkedArray, split: int) -> np.ndarray | None:
    """Row positions putting the article runs of ``ids[:split]`` and ``ids[split:]`` in ascending article order.

    None when there is nothing to reorder or the rows are not in two such parts: a
    side whose articles do not ascend run by run, an article on both sides, a missing id.
    """
    n = len(ids)
    if split >= n or ids.null_count:
        return None
    change = np.flatnonzero(pc.not_equal(ids.slice(1), ids.slice(0, n - 1)).to_numpy(zero_copy_only=False)) + 1
    starts = np.union1d([0, split], change)
    ends = np.r_[starts[1:], n]
    keys = ids.take(pa.array(starts)).to_pylist()
    before = [k for k, s in zip(keys, starts) if s < split]
    after = [k for k, s in zip(keys, starts) if s >= split]
    if any(a >= b for a, b in zip(before, before[1:])) or any(a >= b for a, b in zip(after, after[1:])) or len(set(keys)) < len(keys):
        return None
    order = sorted(range(len(keys)), key=keys.__getitem__)  # str order is Arrow's (UTF-8 byte) order
    if order == list(range(len(keys))):
        return None
    return np.concatenate([np.arange(starts[i], ends[i], dtype=np.int64) for i in order])


def _windows(sentences: pd.DataFrame | pa.Table) -> pd.DataFrame:
    """The sentences' ``article_id``, ``paragraph_id`` and ``sentence_id``: the windows co-occurrence counts over."""
    columns = ["article_id", "paragraph_id", "sentence_id"]
    return sentences.select(columns).to_pandas() if isinstance(sentences, pa.Table) else sentences[columns]


def _sorted(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """The frame as it should be written: sorted on every column, in contiguous memory.

    Sorting on the table's sort order and then every other column means ties cannot
    depend on how the rows were gathered. Frames glued from parts keep Arrow chunks
    that change the Parquet pages written, so the columns are rebuilt as single chunks:
    an incremental run then writes the very bytes a full run writes.
    """
    order = list(dict.fromkeys([*table.sort_by, *table.names]))
    out = store.typed(frame, table).sort_values(order, kind="stable", na_position="first", ignore_index=True)
    return pa.Table.from_pandas(out, preserve_index=False).combine_chunks().to_pandas()
