"""``make bench``: time mediawork stage by stage against the naive pandas + NLTK pipeline.

Usage::

    .venv/bin/python benchmarks/run.py [--sizes 1000,10000,100000] [--quick] [--out benchmarks/results.md]
                                       [--workdir DIR] [--budget-minutes 25] [--jobs N] [--engine NAME]
                                       [--skip STEP,...] [--keep]

For each size, a corpus is generated with ``mediawork.sample.generate_sample(n, dir,
seed=0)``, published over ``n / 100`` days (at least the sample's default two months:
a desk collecting about 100 articles a day), and these steps run, each in a subprocess
of its own (so one step's memory does not count against another's):

``pipeline``     ``ingest`` then ``analyze`` on a fresh data folder: the end-to-end figure;
``stages``       the analysis broken down: Punkt training, sentences, sentiment, terms,
                 actors and co-occurrence, by calling the library functions on the same articles;
``naive``        the baseline of ``benchmarks/naive.py`` on the same data, then the agreement
                 checks (sentiment scores, term counts, actor pairs), which are not timed;
``reports``      ``run_reports`` for the overview notebook;
``incremental``  1 % new articles (``seed=1``) added, published on the days after the
                 corpus (a nightly refresh), ``ingest`` + ``analyze`` again;
``nochange``     ``ingest`` + ``analyze`` again with nothing new.

Every phase records its wall time, CPU time and peak memory (the larger of the process's
own resident high-water mark, reset per phase, and a sampled total of the proportional set
size, PSS, of the process and its children: pages a forked worker shares with its parent
count once, not once per process).
The table, the machine description and the targets (met / missed) are written to
``--out``; for a missed target the cProfile of the slow stage is appended. A size
whose estimated time (from the previous size, scaled) exceeds ``--budget-minutes``
is skipped with a note. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import inspect
import io
import json
import math
import os
import platform
import pstats
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ACTORS_FILE = ROOT / "data" / "actors.yml"
MARKER = ".mediawork-bench"
DEFAULT_SIZES = (1_000, 10_000, 100_000)
STEPS = ("generate", "pipeline", "stages", "naive", "reports", "incremental", "nochange")
SKIPPABLE = ("stages", "naive", "reports", "incremental", "nochange", "profiles")
PROFILE_SUBSET = 1_000  # articles a stage is profiled on
PACKAGES = ("mediawork", "pandas", "pyarrow", "numpy", "nltk", "vaderSentiment", "papermill", "nbconvert")

#: Mediawork's analysis stages (``stages`` step phases) and the naive phase each is compared with.
COMPARED = (
    ("sentences (Punkt)", ("sentences",), ("sentences",), "body"),
    ("sentiment (VADER)", ("sentiment",), ("sentiment",), "sentences"),
    ("terms", ("terms",), ("terms",), "body"),
    ("actors + pairs", ("actors", "cooccurrence"), ("actors",), "sentences"),
)
NAIVE_TOTAL = ("read", "load", "sentences", "sentiment", "terms", "actors")


# =========================================================================== worker side


def _proc_kb(path: str, field: str) -> int:
    """The kB value of ``field`` (e.g. ``VmRSS:``) in a /proc status-style file, 0 when unreadable."""
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _rss_kb(pid: int | str) -> int:
    return _proc_kb(f"/proc/{pid}/status", "VmRSS:")


def _pss_kb(pid: int | str) -> int:
    """Proportional set size: resident pages, shared ones divided among the processes sharing them.

    Pool workers forked from a large process share its pages; summing their RSS would
    count those pages once per worker, summing PSS counts them once.
    """
    return _proc_kb(f"/proc/{pid}/smaps_rollup", "Pss:") or _rss_kb(pid)


def _descendants(pid: int) -> list[int]:
    """Every descendant process of ``pid`` (via /proc/<pid>/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children", encoding="ascii") as fh:
                    kids = [int(k) for k in fh.read().split()]
            except (OSError, ValueError):
                continue
            out.extend(kids)
            todo.extend(kids)
    return out


class _TreeSampler(threading.Thread):
    """Samples the resident memory of this process plus its descendants; keeps the peak.

    Every quarter second: the sampler runs in the measured process and reading
    ``smaps_rollup`` takes the kernel's memory-map lock of the process it reads, so
    sampling every 50 ms slowed the measured work (a 10,000-article ingest took 46 s
    under it, 32 s alone). The measured process's own high-water mark catches its shorter peaks.
    """

    def __init__(self, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_kb = 0
        self._halt = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._halt.wait(self.interval):
            total = _pss_kb(me) + sum(_pss_kb(p) for p in _descendants(me))
            self.peak_kb = max(self.peak_kb, total)

    def reset(self) -> None:
        self.peak_kb = 0

    def stop(self) -> None:
        self._halt.set()


def _self_hwm_kb(*, reset: bool = False) -> int:
    """This process's peak RSS (VmHWM); with ``reset``, restart the peak from now (Linux clear_refs 5)."""
    if reset:
        with contextlib.suppress(OSError):
            Path("/proc/self/clear_refs").write_text("5")
        return 0
    return _proc_kb("/proc/self/status", "VmHWM:") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _cpu_seconds() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class _Recorder:
    """Wall time, CPU time and peak memory of named phases; counts and notes besides."""

    def __init__(self) -> None:
        self.phases: dict[str, dict[str, float]] = {}
        self.counts: dict[str, Any] = {}
        self.notes: list[str] = []
        self.sampler = _TreeSampler()
        self.sampler.start()

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        _self_hwm_kb(reset=True)
        self.sampler.reset()
        cpu, start = _cpu_seconds(), time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        peak_kb = max(_self_hwm_kb(), self.sampler.peak_kb, _rss_kb(os.getpid()))
        self.phases[name] = {"seconds": seconds, "cpu": _cpu_seconds() - cpu, "peak_mb": peak_kb / 1024}

    def result(self) -> dict[str, Any]:
        self.sampler.stop()
        return {"phases": self.phases, "counts": self.counts, "notes": self.notes}


def _engine_kwargs(func: Callable, options: dict[str, Any]) -> dict[str, Any]:
    """The ``jobs=`` / ``engine=`` options ``func`` accepts (parallel engines may not exist yet)."""
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return {}
    return {k: v for k, v in options.items() if v is not None and k in params}


def _unique_bodies(proc: Path) -> list[tuple[str, str]]:
    import pandas as pd

    frame = pd.read_parquet(proc / "articles.parquet", columns=["article_id", "text", "duplicate_of"])
    frame = frame[frame["duplicate_of"].isna()].sort_values("article_id")
    return list(zip(frame["article_id"].astype(str), frame["text"].fillna("").astype(str)))


def _ingest_analyze(rec: _Recorder | None, proc: Path, raw: Path, options: dict[str, Any], prefix: str = "") -> dict[str, str]:
    from mediawork.analyze import analyze
    from mediawork.ingest import ingest

    kw_ingest, kw_analyze = _engine_kwargs(ingest, options), _engine_kwargs(analyze, options)
    actors_file = ACTORS_FILE if ACTORS_FILE.is_file() else None
    with rec.phase(prefix + "ingest") if rec else contextlib.nullcontext():
        ingested = ingest(raw_dir=raw, out_dir=proc, progress=False, log=io.StringIO(), **kw_ingest)
    with rec.phase(prefix + "analyze") if rec else contextlib.nullcontext():
        analysed = analyze(proc, actors_file=actors_file, progress=False, **kw_analyze)
    return {
        "ingest": ingested.line(),
        "analyze": analysed.line(),
        "ingest_options": json.dumps(kw_ingest, sort_keys=True),
        "analyze_options": json.dumps(kw_analyze, sort_keys=True),
        "analysed": str(analysed.analysed),
        "unchanged": str(analysed.unchanged),
    }


def _corpus_counts(proc: Path) -> dict[str, Any]:
    bodies = _unique_bodies(proc)
    return {"unique_articles": len(bodies), "body_mb": sum(len(t.encode("utf-8")) for _, t in bodies) / 1e6}


def _step_generate(rec: _Recorder, d: Path, n: int, options: dict[str, Any]) -> None:
    from mediawork.sample import generate_sample

    raw = d / "raw"
    with rec.phase("generate"):
        start, end = _span(n)
        paths = generate_sample(n, raw, seed=0, start=start, end=end)
    rec.counts.update(files=len(paths), raw_mb=sum(p.stat().st_size for p in paths) / 1e6)


def _step_pipeline(rec: _Recorder, d: Path, n: int, options: dict[str, Any]) -> None:
    proc = d / "processed"
    shutil.rmtree(proc, ignore_errors=True)
    rec.counts.update(_ingest_analyze(rec, proc, d / "raw", options))
    rec.counts.update(_corpus_counts(proc))
    from mediawork import store

    rec.counts["sentences"] = store.count_rows("sentences", proc)


def _step_stages(rec: _Recorder, d: Path, n: int, options: dict[str, Any]) -> None:
    from mediawork import actors, cooccurrence, sentiment, store, terms, text

    proc = d / "processed"
    with rec.phase("read"):
        articles = store.read_articles(proc, columns=["article_id", "text"])
    with rec.phase("train"):
        splitter = text.get_sentence_splitter(articles["text"].dropna().tolist())
    with rec.phase("sentences"):
        sentences = text.sentences_frame(articles, splitter=splitter)
    analyzer = sentiment.load_analyzer()
    with rec.phase("sentiment"):
        sentiment.score_sentences(sentences, analyzer=analyzer)
    with rec.phase("terms"):
        counted = terms.count_terms(sentences)
    rec.counts.update(sentences=len(sentences), term_rows=len(counted))
    del counted
    if not ACTORS_FILE.is_file():
        rec.notes.append(f"{ACTORS_FILE} not found: actors and co-occurrence not timed")
        return
    dictionary = actors.load_actors(ACTORS_FILE)
    with rec.phase("actors"):
        mentions = actors.find_mentions(sentences, dictionary)
    windows = sentences[["article_id", "paragraph_id", "sentence_id"]]
    with rec.phase("cooccurrence"):
        for window in cooccurrence.WINDOWS:
            cooccurrence.build_cooccurrence(mentions, sentences=windows, window=window, min_count=1)
    rec.counts["mentions"] = len(mentions)


def _step_naive(rec: _Recorder, d: Path, n: int, options: dict[str, Any]) -> None:
    import naive
    import pandas as pd

    from mediawork import text
    from mediawork.analyze import sentence_splitter

    proc = d / "processed"
    splitter = sentence_splitter(proc)  # the very splitter analyze used: its training is not counted here
    analyzer, origin = naive.nltk_analyzer()
    stop = text.stopwords()
    regex, canonical = naive.actor_regex(ACTORS_FILE) if ACTORS_FILE.is_file() else (None, {})
    rec.counts.update(lexicon=origin, stopwords=f"mediawork.text.stopwords() ({len(stop)} words; NLTK's list is not installed)")
    with rec.phase("read"):
        texts, n_bytes = naive.read_files(d / "raw")
    rec.counts["raw_mb"] = n_bytes / 1e6
    del texts
    with rec.phase("load"):
        bodies = _unique_bodies(proc)
    with rec.phase("sentences"):
        sentences = naive.split_sentences(bodies, splitter=splitter)
    with rec.phase("sentiment"):
        scores = naive.score_sentiment(sentences, analyzer=analyzer)
    with rec.phase("terms"):
        counts = naive.count_terms(sentences, stopwords=stop)
    with rec.phase("terms_floor"):
        naive.count_terms_floor(bodies, stopwords=stop)
    if regex is not None:
        with rec.phase("actors"):
            pairs = naive.actor_pairs(sentences, regex=regex, canonical=canonical)
    rec.counts.update(sentences=len(sentences), body_mb=sum(len(t.encode("utf-8")) for _, t in bodies) / 1e6)

    with rec.phase("checks"):  # not part of any timing
        mw_sentences = pd.read_parquet(proc / "sentences.parquet")
        rec.counts["check_sentiment"] = naive.compare_sentiment(scores, mw_sentences)
        del scores
        sample_ids = sorted(a for a, _ in bodies)[:300]
        mw_terms = pd.read_parquet(proc / "terms.parquet", filters=[("n", "=", 1)], columns=["article_id", "term", "count"])
        rec.counts["check_terms"] = naive.compare_terms(
            mw_sentences[mw_sentences["article_id"].isin(sample_ids)],
            mw_terms[mw_terms["article_id"].isin(sample_ids)],
            {a: counts[a] for a in sample_ids if a in counts},
            stopwords=stop,
        )
        if regex is not None:
            rec.counts["check_pairs"] = naive.compare_pairs(pairs, pd.read_parquet(proc / "cooccurrence.parquet"))


def _step_reports(rec: _Recorder, d: Path, n: int, options: dict[str, Any]) -> None:
    from mediawork import reports

    if "overview" not in reports.available_notebooks():
        rec.notes.append("no overview notebook found: reports not timed")
        return
    out = d / "reports"
    shutil.rmtree(out, ignore_errors=True)
    with rec.phase("reports"):
        run = reports.run_reports(data_dir=d / "processed", out_dir=out, notebooks=["overview"], progress=False)
    rec.counts["reports_ok"] = bool(run.ok)
    if not run.ok:
        rec.notes.append("; ".join(line.strip() for line in run.summary_lines()))


def _new_articles(n: int) -> int:
    return max(1, round(n * 0.01))


#: Articles per day of publication in the generated corpora.
PER_DAY = 100
FIRST_DAY = date(2025, 2, 24)


def _span(n: int) -> tuple[date, date]:
    """Publication dates of an ``n``-article corpus: about PER_DAY a day, at least the sample's two months."""
    days = max(61, math.ceil(n / PER_DAY))
    return FIRST_DAY, FIRST_DAY + timedelta(days=days - 1)


def _after(n: int, k: int, count: int) -> tuple[date, date]:
    """Dates of the ``k``-th batch of ``count`` new articles added to an ``n``-article corpus: the days after it."""
    start = _span(n)[1] + timedelta(days=1 + (k - 1) * math.ceil(count / PER_DAY))
    return start, start + timedelta(days=math.ceil(count / PER_DAY) - 1)


def _step_incremental(rec: _Recorder, d: Path, n: int, options: dict[str, Any]) -> None:
    from mediawork.sample import generate_sample

    start, end = _after(n, 1, _new_articles(n))
    generate_sample(_new_articles(n), d / "raw" / "incremental-seed1", seed=1, start=start, end=end)
    rec.counts["new_articles"] = _new_articles(n)
    rec.counts.update(_ingest_analyze(rec, d / "processed", d / "raw", options))


def _step_nochange(rec: _Recorder, d: Path, n: int, options: dict[str, Any]) -> None:
    rec.counts.update(_ingest_analyze(rec, d / "processed", d / "raw", options))


def _profile_target(stage: str, d: Path, options: dict[str, Any]) -> tuple[Callable[[], Any], str]:
    """(the call to profile, what it covers); prerequisites are computed here, unprofiled."""
    from mediawork import actors, cooccurrence, sentiment, store, terms, text
    from mediawork.ingest import ingest

    proc = d / "processed"
    if stage == "ingest":
        from mediawork.sample import generate_sample

        sub = d / "profile"
        shutil.rmtree(sub, ignore_errors=True)
        generate_sample(PROFILE_SUBSET, sub / "raw", seed=0)
        kw = _engine_kwargs(ingest, options)
        return (lambda: ingest(raw_dir=sub / "raw", out_dir=sub / "processed", progress=False, log=io.StringIO(), **kw)), f"ingest of a fresh {PROFILE_SUBSET:,}-article corpus"
    if stage == "incremental":
        from mediawork.sample import generate_sample

        count = _new_articles(_size_of(d))
        start, end = _after(_size_of(d), 2, count)
        generate_sample(count, d / "raw" / "incremental-seed2", seed=2, start=start, end=end)
        return (lambda: _ingest_analyze(None, proc, d / "raw", options)), f"ingest + analyze after adding {count:,} new articles (seed=2)"
    if stage == "nochange":
        return (lambda: _ingest_analyze(None, proc, d / "raw", options)), "ingest + analyze with nothing new"
    articles = store.read_articles(proc, columns=["article_id", "text"]).sort_values("article_id").head(PROFILE_SUBSET)
    what = f"the first {len(articles):,} unique articles (by id) of the corpus"
    if stage == "train":
        return (lambda: text.get_sentence_splitter(articles["text"].tolist())), f"Punkt training on {what}"
    splitter = text.get_sentence_splitter(store.read_articles(proc, columns=["text"])["text"].tolist())
    if stage == "sentences":
        return (lambda: text.sentences_frame(articles, splitter=splitter)), what
    sentences = text.sentences_frame(articles, splitter=splitter)
    if stage == "sentiment":
        analyzer = sentiment.load_analyzer()
        return (lambda: sentiment.score_sentences(sentences, analyzer=analyzer)), what
    if stage == "terms":
        return (lambda: terms.count_terms(sentences)), what
    dictionary = actors.load_actors(ACTORS_FILE)
    if stage == "actors":
        return (lambda: actors.find_mentions(sentences, dictionary)), what
    if stage == "cooccurrence":
        mentions = actors.find_mentions(sentences, dictionary)
        windows = sentences[["article_id", "paragraph_id", "sentence_id"]]
        return (lambda: [cooccurrence.build_cooccurrence(mentions, sentences=windows, window=w, min_count=1) for w in cooccurrence.WINDOWS]), what
    raise ValueError(f"unknown stage to profile: {stage!r}")


def _size_of(d: Path) -> int:
    return int(d.name.lstrip("n"))


def _short_paths(report: str) -> str:
    import sysconfig

    paths = sysconfig.get_paths()
    for prefix in (paths["purelib"] + "/", paths["stdlib"] + "/", str(ROOT / "src") + "/", str(ROOT) + "/"):
        report = report.replace(prefix, "")
    return report


def _step_profile(rec: _Recorder, d: Path, n: int, options: dict[str, Any], stage: str) -> None:
    call, what = _profile_target(stage, d, options)
    profiler = cProfile.Profile()
    with rec.phase("profiled"):
        profiler.runcall(call)
    parts = []
    for key, top in (("tottime", 15), ("cumulative", 12)):
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer)
        stats.sort_stats(key).print_stats(top)
        body = buffer.getvalue()
        body = body[body.find("   ncalls"):] if "   ncalls" in body else body
        parts.append(f"sorted by {key} (top {top}):\n{_short_paths(body).rstrip()}")
    rec.counts.update(covers=what, report="\n\n".join(parts))


WORKER_STEPS: dict[str, Callable[..., None]] = {
    "generate": _step_generate,
    "pipeline": _step_pipeline,
    "stages": _step_stages,
    "naive": _step_naive,
    "reports": _step_reports,
    "incremental": _step_incremental,
    "nochange": _step_nochange,
    "profile": _step_profile,
}


def worker_main(argv: Sequence[str]) -> int:
    """Run one step in this process and write its measurements as JSON to ``--result``."""
    p = argparse.ArgumentParser(prog="run.py _worker")
    p.add_argument("step", choices=sorted(WORKER_STEPS))
    p.add_argument("--dir", type=Path, required=True)
    p.add_argument("--size", type=int, required=True)
    p.add_argument("--result", type=Path, required=True)
    p.add_argument("--options", default="{}")
    p.add_argument("--stage", default=None)
    args = p.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    rec = _Recorder()
    try:
        extra = {"stage": args.stage} if args.step == "profile" else {}
        WORKER_STEPS[args.step](rec, args.dir, args.size, json.loads(args.options), **extra)
        out = rec.result()
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a message; the traceback goes to the step's log
        traceback.print_exc()
        out = {**rec.result(), "error": f"{type(exc).__name__}: {exc}"}
    args.result.write_text(json.dumps(out, default=str), encoding="utf-8")
    return 0 if "error" not in out else 1


# =========================================================================== parent side


@dataclass
class StepResult:
    """One step's measurements as the worker reported them."""

    step: str
    wall: float = 0.0
    phases: dict[str, dict[str, float]] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    def seconds(self, *names: str) -> float | None:
        """Summed wall seconds of the named phases, None if any is missing."""
        if self.error or any(n not in self.phases for n in names):
            return None
        return sum(self.phases[n]["seconds"] for n in names)

    def peak(self, *names: str) -> float | None:
        values = [self.phases[n]["peak_mb"] for n in (names or self.phases) if n in self.phases]
        return max(values) if values else None


@dataclass
class SizeResult:
    """Everything measured for one corpus size."""

    n: int
    steps: dict[str, StepResult] = field(default_factory=dict)
    skipped: str | None = None
    notes: list[str] = field(default_factory=list)
    directory: Path | None = None

    def get(self, step: str) -> StepResult:
        return self.steps.get(step) or StepResult(step, error="not run")

    def mediawork_total(self) -> float | None:
        return self.get("pipeline").seconds("ingest", "analyze")

    def naive_total(self) -> float | None:
        return self.get("naive").seconds(*NAIVE_TOTAL)


def _run_worker(step: str, d: Path, n: int, options: dict[str, Any], *, timeout: float, stage: str | None = None) -> StepResult:
    """Run one step in a subprocess; never raises (errors and timeouts become the result's ``error``)."""
    logs = d / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    label = step if stage is None else f"profile-{stage}"
    result_file = logs / f"{label}.json"
    result_file.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "_worker", step, "--dir", str(d), "--size", str(n),
           "--result", str(result_file), "--options", json.dumps(options)]
    if stage:
        cmd += ["--stage", stage]
    env = {**os.environ, "PYTHONHASHSEED": "0", "TQDM_DISABLE": "1"}
    start = time.perf_counter()
    with open(logs / f"{label}.log", "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(proc)
            return StepResult(step, wall=time.perf_counter() - start, error=f"stopped after the {timeout / 60:.0f}-minute step limit (2 x --budget-minutes)")
    wall = time.perf_counter() - start
    try:
        data = json.loads(result_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return StepResult(step, wall=wall, error=f"the worker exited with code {proc.returncode} without a result; see {logs / (label + '.log')}")
    error = data.get("error")
    if error:
        error += f" (traceback in {logs / (label + '.log')})"
    return StepResult(step, wall=wall, phases=data.get("phases", {}), counts=data.get("counts", {}), notes=data.get("notes", []), error=error)


def _stop(proc: subprocess.Popen) -> None:
    """Stop a worker we started and its children (its own process group), politely first."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _prepare_dir(workdir: Path, n: int) -> Path:
    d = workdir / f"n{n}"
    if d.exists():
        if not (d / MARKER).exists():
            raise SystemExit(f"run.py: {d} exists and was not made by run.py (no {MARKER} file); expected an empty or earlier --workdir. Pass another --workdir.")
        shutil.rmtree(d)
    d.mkdir(parents=True)
    (d / MARKER).write_text("made by benchmarks/run.py; safe to delete\n")
    return d


def _estimate_steps(prev: SizeResult, n: int) -> dict[str, float]:
    """Seconds each step would take at ``n`` articles, from the previous size scaled linearly (Punkt training taken as constant)."""
    scale = n / prev.n
    train = prev.get("stages").seconds("train") or 0.0
    out = {}
    for name, step in prev.steps.items():
        constant = train if name in ("pipeline", "stages") else 0.0
        out[name] = max(step.wall - constant, 0.0) * scale + constant
    return out


#: Steps left out, in this order, of a size that would not fit the budget otherwise.
OPTIONAL_FIRST = ("naive", "stages", "reports")


def _fit_budget(steps: dict[str, float], skip: set[str], budget: float) -> tuple[set[str], list[str], float]:
    """(steps to skip, optional steps dropped to fit, estimated seconds)."""
    skip = set(skip)
    dropped = []
    for optional in OPTIONAL_FIRST:
        if sum(v for k, v in steps.items() if k not in skip) <= budget:
            break
        if optional in steps and optional not in skip:
            skip.add(optional)
            dropped.append(optional)
    return skip, dropped, sum(v for k, v in steps.items() if k not in skip)


def _run_size(n: int, workdir: Path, options: dict[str, Any], *, skip: set[str], budget: float) -> SizeResult:
    d = _prepare_dir(workdir, n)
    result = SizeResult(n, directory=d)
    for step in STEPS:
        if step in skip:
            continue
        if step != "generate" and result.get("generate").error:
            break
        if step not in ("generate", "pipeline") and result.get("pipeline").error:
            result.notes.append(f"{step} not run: the pipeline step failed")
            continue
        _say(f"[{n:,}] {step} ...")
        res = _run_worker(step, d, n, options, timeout=2 * budget)
        result.steps[step] = res
        peak = res.peak()
        _say(f"[{n:,}] {step}: {res.wall:,.1f} s" + (f", peak {peak:,.0f} MB" if peak else "") + (f"  ERROR: {res.error}" if res.error else ""))
    return result


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- targets and profiles


@dataclass
class Target:
    """One target of the issue, with its measured figure."""

    text: str
    measured: str
    status: str  # "met", "missed" or "not measured"
    profile_at: SizeResult | None = None
    profile_stages: list[str] = field(default_factory=list)


def _slowest_stages(res: SizeResult, k: int = 2) -> list[str]:
    times = {"ingest": res.get("pipeline").seconds("ingest")}
    for stage in ("train", "sentences", "sentiment", "terms", "actors", "cooccurrence"):
        times[stage] = res.get("stages").seconds(stage)
    ranked = sorted(((t, s) for s, t in times.items() if t is not None), reverse=True)
    return [s for _, s in ranked[:k]]


def _by_size(results: Sequence[SizeResult], n: int) -> SizeResult | None:
    return next((r for r in results if r.n == n and not r.skipped), None)


def _targets(results: Sequence[SizeResult]) -> list[Target]:
    out = []
    at10k = _by_size(results, 10_000)
    text = "end to end (ingest through analyze) ≥ 5× faster than naive at 10,000 articles"
    if at10k and at10k.mediawork_total() and at10k.naive_total():
        ratio = at10k.naive_total() / at10k.mediawork_total()
        measured = f"naive {at10k.naive_total():,.1f} s ÷ mediawork {at10k.mediawork_total():,.1f} s = {ratio:.2f}×"
        out.append(Target(text, measured, "met" if ratio >= 5 else "missed", at10k, _slowest_stages(at10k)))
    else:
        out.append(Target(text, _why_not(results, 10_000, ("pipeline", "naive")), "not measured"))

    at100k = _by_size(results, 100_000)
    text = "100,000 articles end to end < 10 min with peak memory < 2 GB"
    if at100k and at100k.mediawork_total():
        seconds, peak = at100k.mediawork_total(), at100k.get("pipeline").peak("ingest", "analyze") or 0.0
        ok = seconds < 600 and peak < 2048
        measured = f"{seconds / 60:,.1f} min, peak {peak:,.0f} MB"
        out.append(Target(text, measured, "met" if ok else "missed", at100k, _slowest_stages(at100k, 1) if seconds >= 600 else []))
    else:
        out.append(Target(text, _why_not(results, 100_000, ("pipeline",)), "not measured"))

    measured_runs = [r for r in results if not r.skipped]
    inc = next((r for r in reversed(measured_runs) if r.get("incremental").seconds("ingest", "analyze") and r.mediawork_total()), None)
    text = "incremental run with 1 % new articles < 10 % of a full run"
    if inc:
        share = inc.get("incremental").seconds("ingest", "analyze") / inc.mediawork_total()
        measured = f"at {inc.n:,}: {inc.get('incremental').seconds('ingest', 'analyze'):,.1f} s = {share:.0%} of {inc.mediawork_total():,.1f} s"
        out.append(Target(text, measured, "met" if share < 0.10 else "missed", inc, ["incremental"]))
    else:
        out.append(Target(text, "no size ran the incremental step", "not measured"))

    same = next((r for r in reversed(measured_runs) if r.get("nochange").seconds("ingest", "analyze") is not None), None)
    text = "no-change run < 10 s"
    if same:
        seconds = same.get("nochange").seconds("ingest", "analyze")
        out.append(Target(text, f"at {same.n:,}: {seconds:,.1f} s", "met" if seconds < 10 else "missed", same, ["nochange"]))
    else:
        out.append(Target(text, "no size ran the no-change step", "not measured"))
    return out


def _why_not(results: Sequence[SizeResult], n: int, steps: Sequence[str]) -> str:
    res = next((r for r in results if r.n == n), None)
    if res is None:
        return f"{n:,} was not among --sizes"
    if res.skipped:
        return res.skipped
    errors = [f"{s}: {res.get(s).error}" for s in steps if res.get(s).error]
    return "; ".join(errors) or "incomplete"


def _run_profiles(targets: Sequence[Target], options: dict[str, Any], *, budget: float) -> dict[tuple[int, str], StepResult]:
    done: dict[tuple[int, str], StepResult] = {}
    options = {**options, "jobs": 1}  # serial where the library allows it: cProfile sees only its own process
    # incremental before nochange: the incremental profile adds articles, the no-change one then has nothing new
    order = {"incremental": 1, "nochange": 2}
    wanted = sorted({(t.profile_at.n, s) for t in targets if t.status == "missed" and t.profile_at for s in t.profile_stages}, key=lambda k: (k[0], order.get(k[1], 0), k[1]))
    for n, stage in wanted:
        res = next(t.profile_at for t in targets if t.profile_at and t.profile_at.n == n)
        if stage == "nochange" and (n, "incremental") in done:
            _run_worker("nochange", res.directory, n, options, timeout=2 * budget)  # settle the new articles first
        _say(f"[{n:,}] profiling {stage} ...")
        done[(n, stage)] = _run_worker("profile", res.directory, n, options, timeout=2 * budget, stage=stage)
        if done[(n, stage)].error:
            _say(f"[{n:,}] profile {stage}: ERROR: {done[(n, stage)].error}")
    return done


# --------------------------------------------------------------------------- machine and rendering


def _machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 ** 2:.1f} GiB"
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return {
        "CPU": f"{cpu}, {cores} logical cores ({usable} usable)",
        "Memory": mem,
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "Python": f"{platform.python_version()} ({sys.executable})",
        "Packages": ", ".join(versions),
        "Git": _git_commit(),
    }


def _git_commit() -> str:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10, env=env).stdout.strip()
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "src"], cwd=ROOT, capture_output=True, timeout=10, env=env).returncode
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head or 'unknown'}" + (" + uncommitted changes under src/" if dirty == 1 else "")


def _load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def _n(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else "?"


def _ratio(naive: float | None, ours: float | None) -> str:
    if not naive or not ours:
        return "–"
    return f"**{naive / ours:.2f}×**"


def _rate(seconds: float | None, amount: float | None, unit: str) -> str:
    if not seconds or not amount:
        return "–"
    value = amount / seconds
    return f"{value:,.2f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def _size_section(res: SizeResult) -> list[str]:
    lines = [f"## {res.n:,} articles", ""]
    if res.skipped:
        return lines + [f"Skipped: {res.skipped}", ""]
    pipe, stages, nv = res.get("pipeline"), res.get("stages"), res.get("naive")
    gen = res.get("generate")
    c = {**gen.counts, **pipe.counts}
    body_mb, raw_mb, n_sent = c.get("body_mb"), c.get("raw_mb"), c.get("sentences")
    lines += [
        f"Corpus: `generate_sample({res.n}, dir, seed=0, start={_span(res.n)[0]}, end={_span(res.n)[1]})`: {_n(c.get('files'))} files, {_s(raw_mb)} MB raw; "
        f"{_n(c.get('unique_articles'))} unique articles, {_s(body_mb)} MB of body text, {_n(n_sent)} sentences.",
        "",
        "`naive ÷ mediawork` above 1 means mediawork is faster. Rates: MB of body text (raw bytes for reading) per second, or sentences per second.",
        "",
        "| stage | mediawork (s) | naive (s) | naive ÷ mediawork | mediawork rate | naive rate |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    ingest = pipe.seconds("ingest")
    lines.append(f"| read raw files (mediawork: whole ingest — parse, clean, dedup, write) | {_s(ingest)} | {_s(nv.seconds('read'))} | {_ratio(nv.seconds('read'), ingest)} | {_rate(ingest, raw_mb, 'MB/s')} | {_rate(nv.seconds('read'), nv.counts.get('raw_mb'), 'MB/s')} |")
    lines.append(f"| Punkt training (mediawork only; naive reuses its model) | {_s(stages.seconds('train'))} | – | – | {_rate(stages.seconds('train'), body_mb, 'MB/s')} | – |")
    for label, ours, theirs, unit in COMPARED:
        a, b = stages.seconds(*ours), nv.seconds(*theirs)
        amount, unit_name = (body_mb, "MB/s") if unit == "body" else (n_sent, "sent/s")
        lines.append(f"| {label} | {_s(a)} | {_s(b)} | {_ratio(b, a)} | {_rate(a, amount, unit_name)} | {_rate(b, nv.counts.get('sentences') if unit != 'body' else amount, unit_name)} |")
    floor = nv.seconds("terms_floor")
    lines.append(f"| terms, regex floor (`re.findall(r\"\\w+\")`, naive only, not in the total) | – | {_s(floor)} | – | – | {_rate(floor, body_mb, 'MB/s')} |")
    analyze_s = pipe.seconds("analyze")
    lines.append(f"| analyze as a whole (mediawork; incl. training, batching, writes) | {_s(analyze_s)} | {_s(nv.seconds('load', 'sentences', 'sentiment', 'terms', 'actors'))} | {_ratio(nv.seconds('load', 'sentences', 'sentiment', 'terms', 'actors'), analyze_s)} | {_rate(analyze_s, body_mb, 'MB/s')} | – |")
    lines.append(f"| **end to end** (mediawork: ingest + analyze; naive: read + load + stages) | **{_s(res.mediawork_total())}** | **{_s(res.naive_total())}** | {_ratio(res.naive_total(), res.mediawork_total())} | {_rate(res.mediawork_total(), body_mb, 'MB/s')} | {_rate(res.naive_total(), body_mb, 'MB/s')} |")
    lines += ["", "Every phase (wall and CPU seconds; peak memory: the step process's resident high-water mark or the sampled PSS total of it and its children, whichever is larger):", "",
              "| step | phase | wall (s) | CPU (s) | peak MB |", "|---|---|---:|---:|---:|"]
    for name in STEPS:
        step = res.steps.get(name)
        if step is None:
            continue
        if step.error:
            lines.append(f"| {name} | **error** | {_s(step.wall)} | – | – |")
            continue
        for phase, m in step.phases.items():
            lines.append(f"| {name} | {phase} | {_s(m['seconds'])} | {_s(m['cpu'])} | {m['peak_mb']:,.0f} |")
    inc, same = res.get("incremental"), res.get("nochange")
    lines += [""]
    if not inc.error:
        lines.append(f"- Incremental: {_n(inc.counts.get('new_articles'))} new articles (seed=1, published on the day(s) after the corpus) — ingest+analyze {_s(inc.seconds('ingest', 'analyze'))} s. `{inc.counts.get('ingest', '')}`; `{inc.counts.get('analyze', '')}`")
    if not same.error:
        lines.append(f"- No change: ingest+analyze {_s(same.seconds('ingest', 'analyze'))} s. `{same.counts.get('ingest', '')}`; `{same.counts.get('analyze', '')}`")
    if not pipe.error:
        lines.append(f"- Options passed: ingest {pipe.counts.get('ingest_options')}, analyze {pipe.counts.get('analyze_options')} (only those the functions accept).")
    rep = res.get("reports")
    if not rep.error and "reports" in rep.phases:
        lines.append(f"- Reports (`run_reports`, overview notebook): {_s(rep.seconds('reports'))} s, {'ok' if rep.counts.get('reports_ok') else 'FAILED'}.")
    lines += _agreement(nv)
    problems = [f"- {name}: {step.error}" for name, step in res.steps.items() if step.error]
    problems += [f"- {name}: {note}" for name, step in res.steps.items() for note in step.notes]
    problems += [f"- {note}" for note in res.notes]
    if problems:
        lines += ["", "Problems and notes:", "", *problems]
    return lines + [""]


def _agreement(nv: StepResult) -> list[str]:
    if nv.error:
        return []
    out = ["", "Agreement (checked after the timed stages):", ""]
    s = nv.counts.get("check_sentiment")
    if s:
        verdict = "identical" if s["differing"] == 0 else f"**NOT identical: {s['differing']:,} sentences differ** (e.g. {s['examples'][:2]})"
        out.append(f"- Sentiment: on the {s['matched']:,} of {s['naive_sentences']:,} naive sentences that mediawork also produced (same article, same text), "
                   f"NLTK's `SentimentIntensityAnalyzer` and mediawork's scores are {verdict}. Lexicon on the NLTK side: {nv.counts.get('lexicon')}. "
                   "The other naive sentences differ in splitting only (Punkt over the whole body vs paragraph by paragraph).")
    t = nv.counts.get("check_terms")
    if t:
        verdict = "identical" if t["identical"] == t["articles"] else f"**NOT identical: {t['articles'] - t['identical']} articles, {t['differing_terms']} term counts differ**"
        out.append(f"- Terms: mediawork's unigram counts (`terms.parquet`, n = 1) against a re-implementation of its documented definition "
                   f"(`naive.mediawork_unigrams`) on mediawork's sentences of {t['articles']} articles: {verdict}. "
                   f"The naive definition (lower-case, punctuation and clitics kept) gives {t['naive_tokens']:,} tokens where mediawork counts {t['tokens']:,} "
                   f"and matches {t['naive_same_terms']:.1%} of mediawork's (article, term) counts exactly. Stopwords on both sides: {nv.counts.get('stopwords')}.")
    p = nv.counts.get("check_pairs")
    if p:
        out.append(f"- Actor pairs (sentence window; not expected to agree, mediawork also resolves surnames and titles): naive {p['naive_pairs']:,} pairs "
                   f"({p['naive_total']:,} co-occurrences), mediawork {p['mediawork_pairs']:,} pairs ({p['mediawork_total']:,}); "
                   f"{p['common']:,} pairs in common, {p['same_count']:,} with the same count.")
    return out if len(out) > 3 else []


def _render(results: Sequence[SizeResult], targets: Sequence[Target], profiles: dict[tuple[int, str], StepResult],
            machine: dict[str, str], *, command: str, started: str, loads: tuple[str, str], options: dict[str, Any]) -> str:
    lines = [
        "# mediawork benchmarks",
        "",
        f"Written by `benchmarks/run.py` on {started}. Command: `{command}`. See `benchmarks/README.md` for the method.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in machine.items()],
        f"| Load average | {loads[0]} at the start, {loads[1]} at the end (the machine may be shared: wall times include other work; CPU times do not) |",
        f"| Engine options | {json.dumps(options)} offered; passed only where `ingest`/`analyze` accept them |",
        "",
        "## Targets",
        "",
        "| target | measured | status |",
        "|---|---|---|",
        *[f"| {t.text} | {t.measured} | **{t.status}** |" for t in targets],
        "",
    ]
    for res in results:
        lines += _size_section(res)
    if profiles:
        lines += ["## Profiles of missed targets", "",
                  "cProfile of the slow stage(s) behind each missed target, run in a separate process with `jobs=1` where accepted, so worker processes' time is visible (cProfile slows pure-Python code by about 1.5–2×; read the shares, not the absolute times).", ""]
        for (n, stage), prof in profiles.items():
            lines.append(f"### {stage} ({n:,}-article corpus)")
            lines.append("")
            if prof.error:
                lines += [f"Profile failed: {prof.error}", ""]
                continue
            lines += [f"Covers {prof.counts.get('covers')}: {_s(prof.seconds('profiled'))} s under the profiler.", "", "```", prof.counts.get("report", ""), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------- main


def _parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="benchmarks/run.py", description="Time mediawork against the naive pandas + NLTK pipeline and write benchmarks/results.md.")
    p.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES), help="comma-separated corpus sizes in articles (default: %(default)s)")
    p.add_argument("--quick", action="store_true", help="1,000 articles only")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md", help="markdown file to write (default: benchmarks/results.md)")
    p.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "mediawork-bench", help="where corpora and tables go (default: %(default)s)")
    p.add_argument("--budget-minutes", type=float, default=25.0, help="skip a size whose estimated time exceeds this (default: %(default)s); a step is stopped after twice this")
    p.add_argument("--jobs", type=int, default=None, help="passed as jobs= to ingest/analyze when they accept it (default: the usable cores)")
    p.add_argument("--engine", default=None, help="passed as engine= to ingest/analyze when they accept it (default: theirs)")
    p.add_argument("--skip", default="", help=f"comma-separated steps to leave out: {', '.join(SKIPPABLE)}")
    p.add_argument("--keep", action="store_true", help="keep the generated corpora and tables in --workdir")
    args = p.parse_args(argv)
    try:
        args.sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        p.error(f"--sizes {args.sizes!r} is not a list of whole numbers; expected e.g. --sizes 1000,10000")
    if args.quick:
        args.sizes = [1_000]
    if not args.sizes or min(args.sizes) < 1:
        p.error("--sizes needs at least one size of 1 or more articles")
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = sorted(args.skip - set(SKIPPABLE))
    if unknown:
        p.error(f"--skip {','.join(unknown)}: unknown step; expected some of {', '.join(SKIPPABLE)}")
    if args.budget_minutes <= 0:
        p.error("--budget-minutes must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_worker"]:
        return worker_main(argv[1:])
    args = _parse_args(argv)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    options = {"jobs": args.jobs if args.jobs is not None else usable, "engine": args.engine}
    budget = args.budget_minutes * 60
    sizes = list(args.sizes)
    notes = []
    if sizes[0] > 2_000:
        sizes.insert(0, 1_000)
        notes.append("1,000 was added to calibrate the time budget")
    args.workdir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load_start = _load()
    machine = _machine()
    _say(f"benchmarks: sizes {', '.join(f'{s:,}' for s in sizes)} in {args.workdir}; budget {args.budget_minutes:g} min per size")

    results: list[SizeResult] = []
    for n in sizes:
        prev = next((r for r in reversed(results) if not r.skipped and not r.get("pipeline").error), None)
        skip = set(args.skip)
        dropped: list[str] = []
        if prev is not None and n > prev.n:
            skip, dropped, estimate = _fit_budget(_estimate_steps(prev, n), skip, budget)
            if estimate > budget:
                why = (f"estimated {estimate / 60:,.0f} min (the {prev.n:,} run scaled linearly) exceeds --budget-minutes {args.budget_minutes:g} "
                       f"even without {', '.join(OPTIONAL_FIRST)}; run `benchmarks/run.py --sizes {n} --budget-minutes {estimate / 60 * 1.3:.0f}` to measure it")
                _say(f"[{n:,}] skipped: {why}")
                results.append(SizeResult(n, skipped=why))
                continue
        result = _run_size(n, args.workdir, options, skip=skip, budget=budget)
        if dropped:
            note = (f"{', '.join(dropped)} left out at {n:,} to fit --budget-minutes {args.budget_minutes:g} "
                    f"(estimated from the {prev.n:,} run); a larger budget runs them too")
            result.notes.append(note)
            _say(f"[{n:,}] {note}")
        results.append(result)
    results[0].notes.extend(notes)

    targets = _targets(results)
    profiles = {} if "profiles" in args.skip else _run_profiles(targets, options, budget=budget)
    command = shlex.join([".venv/bin/python", "benchmarks/run.py", *argv])
    text = _render(results, targets, profiles, machine, command=command, started=started, loads=(load_start, _load()), options=options)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    if not args.keep:
        for res in results:
            if res.directory is not None:
                shutil.rmtree(res.directory, ignore_errors=True)
    print(text)
    _say(f"benchmarks: wrote {args.out}" + ("" if args.keep else f" (corpora removed from {args.workdir}; --keep keeps them)"))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        _say("benchmarks: interrupted; nothing was written to --out")
        sys.exit(130)
