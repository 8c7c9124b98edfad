"""The fast paths of duplicate marking give the answers of their definitions.

- :func:`mediawork.dedup._order` sorts by Arrow; :func:`mediawork.dedup._order_slow`
  (the pandas sort) is the definition, compared on hand-made frames (ties, undated
  articles, names outside ASCII, frames the fast path hands to the definition) and on
  generated ones.
- :class:`mediawork.dedup._BandIndex` sorts, on an incremental run, only the rows
  sharing a band key with a querying row (:func:`mediawork.dedup._rows_sharing`); its
  candidate pairs are compared with their definition (every earlier row equal on all
  rows of a band, MinHash agreement at least the floor), computed by brute force, for
  few and for many querying rows.
- :func:`mediawork.dedup.mark_duplicates` with the reused results of an earlier run
  equals a fresh marking on a generated corpus.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediawork import dedup


def _frame(rows: list[tuple[str | None, str | None, str]]) -> pd.DataFrame:
    """Articles from (published, source_file, article_id) triples."""
    published, names, ids = zip(*rows)
    return pd.DataFrame({"article_id": list(ids), "source_file": list(names), "published": pd.to_datetime(list(published), utc=True)})


@pytest.mark.parametrize(
    "rows",
    [
        [("2025-03-02", "b.txt", "2"), ("2025-03-01", "a.txt", "1")],
        [(None, "z.txt", "9"), ("2025-03-01", "a.txt", "1"), (None, "a.txt", "3")],  # undated last, ties by name
        [("2025-03-01", "same.txt", "b"), ("2025-03-01", "same.txt", "a")],  # ties down to the id
        [("2025-03-01 10:00+05:30", "x", "1"), ("2025-03-01 05:00Z", "y", "2")],  # the same instant: name decides
        [("2025-03-01", "é.txt", "1"), ("2025-03-01", "z.txt", "2"), ("2025-03-01", "Z.txt", "3"), ("2025-03-01", "日.txt", "4"),
         ("2025-03-01", "😀.txt", "5"), ("2025-03-01", "\uffff.txt", "6")],  # code point order, beyond the BMP too
        [("2025-03-01", None, "1"), ("2025-03-01", "a.txt", "2")],  # a missing name: the definition decides
        [(None, "b", "1"), (None, "a", "2")],  # every article undated
    ],
)
def test_order_equals_its_definition(rows):
    frame = _frame(rows)
    assert dedup._order(frame) == dedup._order_slow(frame)


def test_order_of_names_arrow_cannot_hold_equals_its_definition():
    frame = _frame([("2025-03-01", "a.txt", "1"), ("2025-03-01", "a.txt", "2")])
    frame["source_file"] = pd.Series(["bad\udce9.txt", "a.txt"], dtype=object)  # a lone surrogate (an undecodable file name)
    # The definition cannot order it (pandas' strings are UTF-8 too); the fast path hands it over and fails alike.
    for order in (dedup._order, dedup._order_slow):
        with pytest.raises(UnicodeEncodeError):
            order(frame)


def test_order_of_frames_without_names_or_dates_equals_its_definition():
    frame = pd.DataFrame({"article_id": ["c", "a", "b"]})
    assert dedup._order(frame) == dedup._order_slow(frame) == [1, 2, 0]
    frame = pd.DataFrame({"article_id": ["c", "a"], "source_file": ["2", "1"]})
    assert dedup._order(frame) == dedup._order_slow(frame) == [1, 0]


_names = st.text(alphabet=st.sampled_from(list("aAb_.é日😀z")), max_size=4)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 3)), _names, _names), min_size=1, max_size=12, unique_by=lambda r: r[2]))
def test_order_equals_its_definition_on_generated_frames(rows):
    frame = _frame([(None if day is None else f"2025-03-0{day + 1}", name, aid) for day, name, aid in rows])
    assert dedup._order(frame) == dedup._order_slow(frame)


def test_rows_sharing_finds_exactly_the_rows_with_a_wanted_key():
    rng = np.random.default_rng(7)
    keys = rng.integers(0, 2**64 - 1, 5000, dtype=np.uint64)
    # Keys equal to a wanted one, and keys that agree with a wanted one only in the sieve's low bits.
    keys[100:110] = keys[4990]
    low = np.uint64((1 << dedup._SIEVE_BITS) - 1)
    keys[200:210] = (keys[4995] & low) | (np.uint64(1) << np.uint64(40))
    expected = np.flatnonzero(np.isin(keys, keys[4980:]))
    got = dedup._rows_sharing(keys, 4980)
    assert got.tolist() == expected.tolist()
    assert set(range(100, 110)) <= set(got.tolist()) and not set(range(200, 210)) & set(got.tolist())
    assert dedup._rows_sharing(keys, 5000).tolist() == []


def _brute_pairs(matrix: np.ndarray, ranges, first_query: int, floor: float) -> list[tuple[int, int]]:
    """The definition of the index's candidates: earlier rows equal on every row of some band, agreement >= floor."""
    out = []
    for q in range(first_query, len(matrix)):
        for c in range(q):
            same_band = any((matrix[q, lo:hi] == matrix[c, lo:hi]).all() for lo, hi in ranges)
            if same_band and (matrix[q] == matrix[c]).sum() / matrix.shape[1] >= floor:
                out.append((q, c))
    return out


def _planted_matrix(seed: int, n: int, num_perm: int = 128) -> np.ndarray:
    """Random MinHash rows, some copied from earlier rows with a few values changed (near duplicates)."""
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, 50, (n, num_perm), dtype=np.uint32)  # a small range: bands often agree by chance too
    for row in range(1, n, 3):
        source = rng.integers(0, row)
        matrix[row] = matrix[source]
        changed = rng.choice(num_perm, size=rng.integers(0, 60), replace=False)
        matrix[row, changed] = rng.integers(0, 1000, len(changed), dtype=np.uint32)
    return matrix


@pytest.mark.parametrize(("seed", "n", "first_query"), [(0, 60, 0), (1, 60, 50), (2, 80, 79), (3, 80, 80), (4, 40, 5), (5, 1, 0)])
def test_band_index_candidates_equal_their_definition(seed, n, first_query):
    matrix = _planted_matrix(seed, n)
    index = dedup._BandIndex(matrix, threshold=0.5, first_query=first_query)
    found = [(int(q), int(c)) for _, _, qs, cs in index.candidate_chunks(floor=0.3) for q, c in zip(qs, cs)]
    assert found == _brute_pairs(matrix, index.ranges, first_query, 0.3)
    assert found or first_query >= n - 1  # the planted copies make candidates whenever a row asks


def _corpus(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(60)]
    texts = []
    for i in range(n):
        if i >= 3 and rng.random() < 0.3:  # a near copy of an earlier body
            base = texts[rng.integers(0, i)].split()
            base[rng.integers(0, len(base))] = "changed"
            texts.append(" ".join(base))
        else:
            texts.append(" ".join(rng.choice(words, 40)))
    days = rng.integers(1, 28, n)
    published = [None if d % 9 == 0 else f"2025-03-{d:02d}" for d in days]
    return pd.DataFrame({"article_id": [f"{i:04x}" for i in range(n)], "source_file": [f"{i}.txt" for i in range(n)],
                         "published": pd.to_datetime(published, utc=True), "text": texts})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_marking_with_reused_results_equals_a_fresh_marking(seed):
    corpus = _corpus(120, seed)
    before = corpus.iloc[:100].copy()
    before["duplicate_of"] = dedup.mark_duplicates(before)
    stands = dedup.reusable_results(before, corpus, unchanged=set(before["article_id"]))
    fresh = dedup.mark_duplicates(corpus)
    assert dedup.mark_duplicates(corpus, previous=stands).tolist() == fresh.tolist()
    assert fresh.notna().sum() > 5  # the generated copies are found
