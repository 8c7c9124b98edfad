"""Engines: serial, process-pool and Dask runs of ingest and analyze write identical tables.

The corpus is the seeded sample generator's (our own invented articles, with bad
inputs among them), cut into many small batches so every engine really schedules
several batches on several workers.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import nltk.data
import pandas as pd
import pytest

from mediawork import engines, schema
from mediawork.analyze import STATE_FILE, analyze
from mediawork.errors import InputError, ParameterError
from mediawork.ingest import ingest
from mediawork.sample import generate_sample

from .conftest import copy_table, table_bytes

REPO = Path(__file__).resolve().parents[1]
ACTORS = REPO / "data" / "actors.yml"
SHARED = REPO.parent / "shared"
INGEST_FILES = [t.file for t in (schema.ARTICLES, schema.MANIFEST, schema.REMOVED, schema.LEARNED, schema.DUMPS, schema.SIGNATURES)]
ANALYZE_FILES = [t.file for t in (schema.SENTENCES, schema.TERMS, schema.MENTIONS, schema.COOCCURRENCE)] + [STATE_FILE]
SMALL_BATCH = 4  # articles per batch in these tests: several batches per worker


# --------------------------------------------------------------------------- helpers and fixtures


def _bytes(folder: Path, files: list[str]) -> dict[str, bytes]:
    return {name: table_bytes(folder / name) for name in files}


def _small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engines, "batch_size", lambda n, *, workers, **_: SMALL_BATCH)


def _ingest(raw: Path, out: Path, **options) -> Path:
    ingest(raw_dir=raw, out_dir=out, progress=False, log=None, **options)
    return out


def _analyze(processed: Path, out: Path, **options) -> Path:
    out.mkdir(parents=True)
    copy_table(processed / schema.ARTICLES.file, out / schema.ARTICLES.file)
    analyze(out, actors_file=ACTORS, progress=False, **options)
    return out


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("raw")
    generate_sample(30, folder, seed=11, bad=True)
    return folder


@pytest.fixture(scope="module")
def serial(raw: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The serial reference: ingest and analyze with jobs=1 (the batch size does not matter there)."""
    base = tmp_path_factory.mktemp("serial")
    processed = _ingest(raw, base / "processed", jobs=1)
    return {"ingest": processed, "analyze": _analyze(processed, base / "analysed", jobs=1)}


@pytest.fixture(scope="module")
def cluster():
    """A Dask LocalCluster with two single-threaded worker processes, shared by the Dask tests."""
    distributed = pytest.importorskip("distributed", reason="the Dask engine needs dask.distributed installed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.CRITICAL
    ) as running:
        yield running


def test_the_reference_corpus_has_rejections_and_several_batches(serial):
    manifest = pd.read_parquet(serial["ingest"] / schema.MANIFEST.file)
    assert (manifest["status"] == "rejected").sum() >= 1  # rejections travel back from workers too
    assert manifest["article_id"].notna().sum() > 4 * SMALL_BATCH


# --------------------------------------------------------------------------- local process pool


def test_ingest_with_two_jobs_writes_the_serial_bytes(raw, serial, tmp_path, monkeypatch):
    _small_batches(monkeypatch)
    out = _ingest(raw, tmp_path / "out", jobs=2)
    assert _bytes(out, INGEST_FILES) == _bytes(serial["ingest"], INGEST_FILES)


def test_analyze_with_two_jobs_writes_the_serial_bytes(serial, tmp_path, monkeypatch):
    _small_batches(monkeypatch)
    out = _analyze(serial["ingest"], tmp_path / "out", jobs=2)
    assert _bytes(out, ANALYZE_FILES) == _bytes(serial["analyze"], ANALYZE_FILES)


def test_an_incremental_parallel_run_equals_a_fresh_serial_one(raw, serial, tmp_path, monkeypatch):
    """New files of a known source relearn its boilerplate and reclean its old dumps in the workers."""
    _small_batches(monkeypatch)
    early, held = tmp_path / "raw", tmp_path / "held"
    shutil.copytree(raw, early)
    late = [p.relative_to(early) for p in sorted(early.rglob("*.txt"))[-10:]]
    for name in late:
        (held / name).parent.mkdir(parents=True, exist_ok=True)
        (early / name).rename(held / name)
    out = _ingest(early, tmp_path / "out", jobs=2)
    for name in late:
        (held / name).rename(early / name)
    _ingest(early, out, jobs=2)
    for name in (schema.ARTICLES.file, schema.REMOVED.file, schema.LEARNED.file):
        assert table_bytes(out / name) == table_bytes(serial["ingest"] / name), name


# --------------------------------------------------------------------------- Dask


def test_dask_on_a_two_worker_cluster_writes_the_local_bytes(raw, serial, cluster, tmp_path, monkeypatch):
    _small_batches(monkeypatch)
    address = cluster.scheduler_address
    processed = _ingest(raw, tmp_path / "processed", engine="dask", scheduler=address)
    assert _bytes(processed, INGEST_FILES) == _bytes(serial["ingest"], INGEST_FILES)
    analysed = _analyze(processed, tmp_path / "analysed", engine="dask", scheduler=address)
    assert _bytes(analysed, ANALYZE_FILES) == _bytes(serial["analyze"], ANALYZE_FILES)


def test_dask_workers_use_this_process_resources_not_their_own(serial, cluster, tmp_path, monkeypatch):
    """With the user's NLTK data here, spawned Dask workers (which lack it) must still score and count alike."""
    nltk_data = SHARED / "nltk_data"
    if not nltk_data.is_dir():
        pytest.skip(f"../shared/nltk_data not found at {nltk_data}: this check needs NLTK's vader_lexicon and stopwords from the shared folder")
    _small_batches(monkeypatch)
    saved = list(nltk.data.path)
    nltk.data.path[:] = [str(nltk_data)]
    try:
        here = _analyze(serial["ingest"], tmp_path / "here", jobs=1)
        there = _analyze(serial["ingest"], tmp_path / "there", engine="dask", scheduler=cluster.scheduler_address)
    finally:
        nltk.data.path[:] = saved
    assert _bytes(there, ANALYZE_FILES) == _bytes(here, ANALYZE_FILES)
    # NLTK's stopwords differ from the bundled list, so the terms really were counted with this process's list
    assert table_bytes(here / schema.TERMS.file) != table_bytes(serial["analyze"] / schema.TERMS.file)


def test_dask_without_a_scheduler_starts_a_local_cluster():
    batches = engines.split(list(range(10)), size=3)
    assert list(engines.map_batches(sum, batches, engine="dask", jobs=2)) == [3, 12, 21, 9]


def test_an_unreachable_scheduler_says_how_to_fix_it(monkeypatch):
    monkeypatch.setattr(engines, "_CONNECT_TIMEOUT", 1)
    with pytest.raises(ParameterError, match=r"could not connect to the Dask scheduler at 'tcp://127\.0\.0\.1:9'.*--scheduler"):
        list(engines.map_batches(sum, [[1]], engine="dask", scheduler="tcp://127.0.0.1:9"))


# --------------------------------------------------------------------------- option validation


@pytest.mark.parametrize("jobs", [0, -1, 1.5, "2", True])
def test_jobs_below_one_or_not_whole_are_refused(jobs):
    with pytest.raises(ParameterError, match=r"jobs must be a whole number of at least 1, got .*--jobs 1"):
        engines.check_options(jobs=jobs)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"engine": "spark"}, r"engine 'spark' is not known; expected one of local, dask"),
        ({"engine": "local", "scheduler": "tcp://10.0.0.5:8786"}, r"needs the Dask engine; add --engine dask"),
        ({"engine": "dask", "scheduler": "  "}, r"scheduler address '  ' is empty"),
    ],
)
def test_bad_engine_options_are_refused(options, message):
    with pytest.raises(ParameterError, match=message):
        engines.check_options(**options)


@pytest.mark.parametrize(("jobs", "expected"), [(None, engines.available_cores()), (1, 1), (3, 3)])
def test_jobs_resolve_to_a_worker_count(jobs, expected):
    assert engines.check_options(jobs=jobs) == expected


@pytest.mark.parametrize("run", ["ingest", "analyze"])
def test_ingest_and_analyze_refuse_jobs_below_one_before_writing(raw, serial, tmp_path, run):
    out = tmp_path / "out"
    if run == "analyze":
        out.mkdir()
        copy_table(serial["ingest"] / schema.ARTICLES.file, out / schema.ARTICLES.file)
    with pytest.raises(ParameterError, match="jobs must be a whole number of at least 1, got 0"):
        if run == "ingest":
            ingest(raw_dir=raw, out_dir=out, progress=False, jobs=0)
        else:
            analyze(out, actors_file=ACTORS, progress=False, jobs=0)
    written = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert written == ([] if run == "ingest" else [schema.ARTICLES.file])


def test_map_batches_checks_options_before_running_anything():
    ran = []
    with pytest.raises(ParameterError):
        engines.map_batches(ran.append, [[1]], jobs=0)  # raised by the call itself, not on iteration
    assert ran == []


# --------------------------------------------------------------------------- map_batches behaviour


def _slow_for_early_batches(batch: list[int]) -> list[int]:
    time.sleep(0.05 * (3 - batch[0]) if batch[0] < 3 else 0)
    return [x * 10 for x in batch]


def _reject_batch_two(batch: list[int]) -> int:
    if 2 in batch:
        raise InputError("batch two holds a bad unit")
    return len(batch)


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_back_in_batch_order(jobs):
    batches = [[i] for i in range(8)]  # early batches finish last on two workers
    assert list(engines.map_batches(_slow_for_early_batches, batches, jobs=jobs)) == [[i * 10] for i in range(8)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_worker_error_is_raised_with_its_type_and_message(jobs):
    with pytest.raises(InputError, match="batch two holds a bad unit"):
        list(engines.map_batches(_reject_batch_two, [[0], [1], [2], [3]], jobs=jobs))


def test_an_unpicklable_function_is_refused_for_workers_and_runs_serially():
    double = lambda batch: [x * 2 for x in batch]  # noqa: E731 - a lambda cannot be pickled
    assert list(engines.map_batches(double, [[1], [2]], jobs=1)) == [[2], [4]]
    with pytest.raises(ParameterError, match="cannot be sent to worker processes.*jobs=1"):
        list(engines.map_batches(double, [[1], [2]], jobs=2))


@pytest.mark.parametrize(
    ("n", "workers", "expected"),
    [(0, 1, 25), (40, 8, 25), (2000, 2, 250), (2000, 1, 500), (10**6, 4, 1000)],
)
def test_batch_size_aims_at_four_batches_per_worker_within_bounds(n, workers, expected):
    assert engines.batch_size(n, workers=workers) == expected


@pytest.mark.parametrize(("items", "size", "expected"), [("abcde", 2, ["ab", "cd", "e"]), ([1, 2, 3], 5, [[1, 2, 3]]), ([], 3, [])])
def test_split_cuts_sequences_in_order(items, size, expected):
    assert engines.split(items, size=size) == expected


def test_split_cuts_frames_by_position_without_copying_or_changing_them():
    frame = pd.DataFrame({"x": range(5)}, index=[9, 7, 5, 3, 1])
    before = frame.copy()
    parts = engines.split(frame, size=2)
    assert [p.index.tolist() for p in parts] == [[9, 7], [5, 3], [1]]
    pd.testing.assert_frame_equal(frame, before)


def test_split_refuses_a_batch_size_below_one():
    with pytest.raises(ParameterError, match="batch size must be at least 1, got 0"):
        engines.split([1, 2], size=0)


def _explode(message: str) -> None:
    raise ParameterError(message)


def test_run_apart_returns_the_result_and_raises_the_error():
    assert engines.run_apart(sorted, [3, 1, 2]) == [1, 2, 3]
    with pytest.raises(ParameterError, match="bad option"):
        engines.run_apart(_explode, "bad option")
    engines.release_memory()  # must not fail on any platform


def _where(batch: list[int]) -> list[bool]:
    return [engines.in_pool_worker() for _ in batch]


def test_in_pool_worker_is_true_only_in_pool_workers():
    assert engines.in_pool_worker() is False
    pooled = [x for batch in engines.map_batches(_where, [[1, 2], [3], [4]], jobs=2, progress=False) for x in batch]
    assert pooled == [True, True, True, True]
    serial = [x for batch in engines.map_batches(_where, [[1, 2], [3]], jobs=1, progress=False) for x in batch]
    assert serial == [False, False, False]
    assert engines.run_apart(engines.in_pool_worker) is False  # a child that starts its own pool runs the corpus-wide steps
