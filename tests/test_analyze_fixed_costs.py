"""The corpus-wide steps of an incremental analyze, made cheaper, give what they gave before.

- ``_ids_by_month`` groups the corpus's ids by month as ``corpus.groupby("month")`` did;
- ``_InOrder`` runs the part writing on a background thread: in order, at most a few
  tasks behind, the first error raised in the caller, nothing run after it;
- ``_cooccurrence`` sums the stored counts read part by part (not sorted together):
  the same table as from the sorted counts;
- an analysis whose parts are written behind still gives a full run's bytes, and a
  failure while writing leaves the old tables.
"""

from __future__ import annotations

import json
import random
import shutil
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from mediawork import analyze as analyze_mod
from mediawork import cooccurrence, schema, store

from .conftest import table_bytes
from .test_analyze import ACTORS, ARTICLES, LATE, OUTPUTS, _run, _write_articles

# --------------------------------------------------------------------------- ids by month


def _groupby_reference(corpus: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """What _plan iterated before: pandas' groupby on the month, ids in corpus order."""
    return [(month, list(group["article_id"])) for month, group in corpus.groupby("month", sort=True)]


@pytest.mark.parametrize(
    ("ids", "months"),
    [
        ([], []),
        (["a"], ["2025-03"]),
        (["a", "b", "c", "d"], ["2025-04", "unknown", "2025-03", "2025-04"]),
        (["a", "b", "c"], ["unknown", "unknown", "unknown"]),
        (["x", "y"], ["2025-12", "2025-02"]),
    ],
)
def test_ids_by_month_is_what_groupby_gave(ids, months):
    corpus = pd.DataFrame({"article_id": ids, "month": months, "text_sha": ["h"] * len(ids)})
    assert sorted(analyze_mod._ids_by_month(corpus).items()) == _groupby_reference(corpus)


@pytest.mark.parametrize("seed", range(5))
def test_ids_by_month_of_random_corpora_is_what_groupby_gave(seed):
    rng = random.Random(seed)
    n = rng.randrange(0, 400)
    ids = sorted({f"{rng.getrandbits(40):010x}" for _ in range(n)})
    months = [rng.choice(["2024-11", "2025-01", "2025-03", "unknown"]) for _ in ids]
    corpus = pd.DataFrame({"article_id": ids, "month": months, "text_sha": ["h"] * len(ids)})
    assert sorted(analyze_mod._ids_by_month(corpus).items()) == _groupby_reference(corpus)


# --------------------------------------------------------------------------- tasks behind


def test_tasks_behind_run_in_order_on_another_thread():
    done, threads = [], set()

    def task(i):
        time.sleep(0.001 * (i % 3))
        threads.add(threading.get_ident())
        done.append(i)

    with analyze_mod._InOrder(ahead=2) as behind:
        for i in range(20):
            behind.submit(task, i)
    assert done == list(range(20))
    assert threads and threading.get_ident() not in threads


def test_at_most_ahead_tasks_wait_behind_the_running_one():
    release, started, waiting = threading.Event(), [], []
    with analyze_mod._InOrder(ahead=1) as behind:
        behind.submit(lambda: (started.append(0), release.wait(5)))
        behind.submit(started.append, 1)  # waits behind the first
        blocker = threading.Thread(target=lambda: (behind.submit(started.append, 2), waiting.append("submitted")))
        blocker.start()
        time.sleep(0.05)
        assert waiting == []  # a third task would exceed the bound: submit blocks
        release.set()
        blocker.join(5)
    assert waiting == ["submitted"] and started == [0, 1, 2]


@pytest.mark.parametrize("error", [ValueError("bad part"), KeyboardInterrupt()])
def test_the_first_error_of_a_task_is_raised_and_later_tasks_do_not_run(error):
    done = []

    def fails():
        raise error

    with pytest.raises(type(error)):
        with analyze_mod._InOrder(ahead=3) as behind:
            behind.submit(done.append, 0)
            behind.submit(fails)
            for i in range(1, 50):
                time.sleep(0.001)
                behind.submit(done.append, i)
    time.sleep(0.05)
    assert done[0] == 0 and done == list(range(len(done))) and len(done) < 50


def test_an_error_in_the_caller_cancels_tasks_not_started():
    release, done = threading.Event(), []
    with pytest.raises(RuntimeError):
        with analyze_mod._InOrder(ahead=5) as behind:
            behind.submit(lambda: release.wait(5))
            for i in range(5):
                behind.submit(done.append, i)
            release.set()
            raise RuntimeError("caller failed")
    assert done == list(range(len(done)))  # whatever ran, ran in order; the rest never will
    time.sleep(0.05)
    snapshot = list(done)
    time.sleep(0.05)
    assert done == snapshot


# --------------------------------------------------------------------------- co-occurrence from unsorted parts


@pytest.fixture(scope="module")
def many_parts(tmp_path_factory) -> Path:
    """Six articles (one a duplicate) analysed into parts of about two articles each."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "CHUNK_TARGET", 2)
        folder = _write_articles(tmp_path_factory.mktemp("many") / "processed", [*ARTICLES, LATE])
        _run(folder)
    return folder


@pytest.mark.parametrize("order", ["part by part", "shuffled", "reversed"])
def test_cooccurrence_from_counts_does_not_depend_on_row_order(many_parts, order):
    counts = store.read_table(schema.PAIR_COUNTS, many_parts)
    assert len(counts) > 10 and len(store.parts(schema.PAIR_COUNTS, many_parts)) > 1
    if order == "shuffled":
        moved = counts.sample(frac=1.0, random_state=3).reset_index(drop=True)
    elif order == "reversed":
        moved = counts.iloc[::-1].reset_index(drop=True)
    else:
        moved = store.read_table(schema.PAIR_COUNTS, many_parts, sort=False)
        assert not moved.equals(counts)  # the parts' rows come as stored, not merged in order
    for window in cooccurrence.WINDOWS:
        expected = cooccurrence.cooccurrence_from_counts(counts, window=window, min_count=1)
        got = cooccurrence.cooccurrence_from_counts(moved, window=window, min_count=1)
        pd.testing.assert_frame_equal(got, expected)


def test_cooccurrence_read_part_by_part_equals_the_sorted_read(many_parts):
    sorted_counts = store.read_table(schema.PAIR_COUNTS, many_parts)
    expected = pd.concat([cooccurrence.cooccurrence_from_counts(sorted_counts, window=w, min_count=1) for w in cooccurrence.WINDOWS])
    expected = analyze_mod._sorted(analyze_mod._concat([expected], schema.COOCCURRENCE), schema.COOCCURRENCE)
    totals = analyze_mod._pair_totals(many_parts, stored=None, gone=None, added=[])
    pd.testing.assert_frame_equal(analyze_mod._cooccurrence(totals), expected)
    assert store.read_table(schema.COOCCURRENCE, many_parts).equals(expected)


# --------------------------------------------------------------------------- pair totals kept in the state


def _counts(rows: list[tuple[str, str, str, str, int, int]]) -> pd.DataFrame:
    return store.typed(pd.DataFrame(rows, columns=list(schema.PAIR_COUNTS.names)), schema.PAIR_COUNTS)


def _scored(counts: pd.DataFrame) -> pd.DataFrame:
    """What _cooccurrence gave before: every part's rows scored as they are."""
    parts = [cooccurrence.cooccurrence_from_counts(counts, window=w, min_count=1) for w in cooccurrence.WINDOWS]
    return analyze_mod._sorted(analyze_mod._concat(parts, schema.COOCCURRENCE), schema.COOCCURRENCE)


PART_A = [("sentence", "windows", "", "", 4, 0), ("sentence", "actor", "Lavrov", "", 2, 0), ("sentence", "actor", "Rubio", "", 3, 0),
          ("sentence", "pair", "Lavrov", "Rubio", 2, 1), ("article", "windows", "", "", 1, 0), ("article", "actor", "Rubio", "", 1, 0)]
PART_B = [("sentence", "windows", "", "", 5, 0), ("sentence", "actor", "Rubio", "", 1, 0), ("sentence", "actor", "Fidan", "", 2, 0),
          ("sentence", "pair", "Fidan", "Rubio", 1, 1), ("paragraph", "windows", "", "", 2, 0)]
PART_C = [("sentence", "windows", "", "", 1, 0), ("sentence", "actor", "Lavrov", "", 1, 0), ("sentence", "actor", "Rubio", "", 1, 0),
          ("sentence", "pair", "Lavrov", "Rubio", 1, 1)]


@pytest.mark.parametrize(
    ("before", "gone", "added"),
    [
        ([PART_A, PART_B], [PART_B], [PART_C]),  # a part replaced
        ([PART_A, PART_B], [PART_A, PART_B], []),  # everything dropped
        ([PART_A], [], [PART_B, PART_C]),  # parts added
        ([PART_A, PART_B, PART_C], [PART_C], []),  # a pair that only that part had is gone
        ([], [], [PART_A]),
    ],
)
def test_stored_totals_less_replaced_plus_added_score_as_every_part_does(before, gone, added):
    after = [p for p in before if p not in gone] + added
    stored = analyze_mod._summed([_counts(p) for p in before] or [_counts([])])
    totals = analyze_mod._summed([stored, *(_counts(p).assign(count=lambda f: -f["count"], articles=lambda f: -f["articles"]) for p in gone),
                                  *(_counts(p) for p in added)])
    every = pd.concat([_counts(p) for p in after] or [_counts([])], ignore_index=True)
    pd.testing.assert_frame_equal(totals, analyze_mod._summed([every]))
    pd.testing.assert_frame_equal(analyze_mod._cooccurrence(totals), _scored(every))
    assert (totals["count"] != 0).all()  # keys summing to zero are left out


@pytest.mark.parametrize("seed", range(6))
def test_random_parts_summed_then_scored_equal_every_part_scored(seed):
    rng = random.Random(seed)
    actors = ["Fidan", "Lavrov", "Peskov", "Rubio", "Umerov"]
    parts = []
    for _ in range(rng.randrange(1, 8)):
        rows = []
        for window in cooccurrence.WINDOWS:
            chosen = sorted(rng.sample(actors, rng.randrange(0, len(actors) + 1)))
            rows.append((window, "windows", "", "", rng.randrange(1, 20), 0))
            rows += [(window, "actor", a, "", rng.randrange(1, 9), 0) for a in chosen]
            rows += [(window, "pair", a, b, rng.randrange(1, 4), rng.randrange(1, 3)) for i, a in enumerate(chosen) for b in chosen[i + 1:] if rng.random() < 0.6]
        parts.append(_counts(rows))
    every = pd.concat(parts, ignore_index=True)
    pd.testing.assert_frame_equal(analyze_mod._cooccurrence(analyze_mod._summed(parts)), _scored(every))
    gone = rng.sample(range(len(parts)), rng.randrange(0, len(parts) + 1))
    stored = analyze_mod._summed(parts)
    negated = [parts[i].assign(count=-parts[i]["count"], articles=-parts[i]["articles"]) for i in gone]
    kept = [p for i, p in enumerate(parts) if i not in gone] or [_counts([])]
    pd.testing.assert_frame_equal(analyze_mod._summed([stored, *negated]), analyze_mod._summed(kept))


def _state(folder: Path) -> dict:
    return json.loads((folder / analyze_mod.STATE_FILE).read_text(encoding="utf-8"))


def _grow(tmp_path: Path, monkeypatch, *, edit=None) -> tuple[Path, list[tuple]]:
    """Analyse four articles, add a duplicate and a new one (``edit`` changes the state in between), analyse again."""
    monkeypatch.setattr(store, "CHUNK_TARGET", 2)
    folder = _write_articles(tmp_path / "grown", ARTICLES[:4])
    _run(folder)
    if edit is not None:
        state = _state(folder)
        edit(state)
        (folder / analyze_mod.STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    _write_articles(folder, [*ARTICLES, LATE])
    full_reads = []
    real = store.read_table

    def spy(table, data_dir, **kw):
        if getattr(table, "name", table) == "pair_counts":
            full_reads.append(kw)
        return real(table, data_dir, **kw)

    monkeypatch.setattr(store, "read_table", spy)
    summary = _run(folder)
    monkeypatch.setattr(store, "read_table", real)
    assert summary.full_reason is None and summary.analysed == 1
    return folder, full_reads


def _fresh(tmp_path: Path, grown: Path) -> Path:
    fresh = _write_articles(tmp_path / "fresh", [*ARTICLES, LATE])
    shutil.copy(grown / analyze_mod.STATE_FILE, fresh / analyze_mod.STATE_FILE)  # the same splitter; no tables: all analysed
    _run(fresh)
    return fresh


def test_the_state_records_the_summed_counts_and_a_growing_run_uses_them(tmp_path, monkeypatch):
    grown, full_reads = _grow(tmp_path, monkeypatch)
    assert full_reads == []  # the stored totals served: no part but the replaced and added ones was read
    record = _state(grown)["pair_totals"]
    assert record["index"] == store.fingerprint(schema.PAIR_COUNTS, grown)
    every = analyze_mod._summed([store.read_table(schema.PAIR_COUNTS, grown)])
    assert record["rows"] == every.values.tolist() and len(record["rows"]) > 10
    fresh = _fresh(tmp_path, grown)
    assert table_bytes(grown / schema.COOCCURRENCE.file) == table_bytes(fresh / schema.COOCCURRENCE.file)
    assert _tables(grown) == _tables(fresh)


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: s.pop("pair_totals"),  # a state written before the totals were recorded
        lambda s: s["pair_totals"].update(index="0" * 64),  # totals of another version of pair_counts
        lambda s: s["pair_totals"].update(rows=[["sentence", "pair", "A"]]),  # a damaged record
        lambda s: s["pair_totals"].update(rows="none"),
        lambda s: s.update(pair_totals=[1, 2]),
    ],
    ids=["old state", "other index", "short row", "not rows", "not a record"],
)
def test_a_state_without_usable_totals_sums_every_part(tmp_path, monkeypatch, edit):
    grown, full_reads = _grow(tmp_path, monkeypatch, edit=edit)
    assert [kw.get("sort") for kw in full_reads] == [False]  # every part read once, unsorted
    assert _state(grown)["pair_totals"]["index"] == store.fingerprint(schema.PAIR_COUNTS, grown)
    fresh = _fresh(tmp_path, grown)
    assert _tables(grown) == _tables(fresh)


# --------------------------------------------------------------------------- whole runs


def _bytes(folder: Path) -> dict[str, bytes]:
    return {t.file: table_bytes(folder / t.file) for t in OUTPUTS} | {"state": (folder / analyze_mod.STATE_FILE).read_bytes()}


def _tables(folder: Path) -> dict[str, bytes]:
    return {t.file: table_bytes(folder / t.file) for t in OUTPUTS}


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_incremental_run_over_many_parts_writes_a_full_runs_bytes(tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(store, "CHUNK_TARGET", 2)
    grown, fresh = tmp_path / "grown", tmp_path / "fresh"
    _write_articles(grown, ARTICLES)
    _run(grown, jobs=jobs)
    _write_articles(grown, [*ARTICLES, LATE])
    summary = _run(grown, jobs=jobs)
    assert summary.analysed == 1 and summary.full_reason is None
    _write_articles(fresh, [*ARTICLES, LATE])
    shutil.copy(grown / analyze_mod.STATE_FILE, fresh / analyze_mod.STATE_FILE)  # the same stored splitter, no stored rows
    assert _run(fresh, jobs=jobs).analysed == 5  # every unique article
    assert _tables(grown) == _tables(fresh)


def test_a_failure_while_parts_are_written_behind_leaves_the_old_tables(tmp_path, monkeypatch):
    folder = _write_articles(tmp_path / "processed", ARTICLES)
    _run(folder)
    before = _bytes(folder)
    _write_articles(folder, [*ARTICLES, LATE])
    real_write = store.DatasetWriter.write

    def fails_at_terms(self, df, **kw):
        if self.table is schema.TERMS:
            raise OSError("disk full")
        return real_write(self, df, **kw)

    monkeypatch.setattr(store.DatasetWriter, "write", fails_at_terms)
    with pytest.raises(OSError, match="disk full"):
        _run(folder)
    assert _bytes(folder) == before
    monkeypatch.setattr(store.DatasetWriter, "write", real_write)
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    assert _run(copy, actors_file=ACTORS).analysed == 1
