"""The compiled shingle and MinHash kernels of dedup give the bits of their numpy definitions.

Signatures are stored (``signatures.parquet``) and compared across runs, so the numba path
and the numpy fallback (no numba, numba disabled, or a build that fails its self-check)
must agree exactly: on hand-made edge cases, on seeded random arrays and on real text.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mediawork import dedup

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_MAX = 2**64 - 1


def _kernels_or_skip() -> dedup._Kernels:
    """The compiled kernels; skip without numba, fail when numba is there but they were refused."""
    pytest.importorskip("numba", reason="numba is not installed: only the numpy path runs on this machine")
    assert dedup.load_kernels(), "numba is installed but dedup's kernels failed their self-check (dedup._compile_kernels)"
    return dedup._kernels()


def _numba_shingles(h: np.ndarray, width: int) -> np.ndarray:
    return dedup._sorted_distinct(_kernels_or_skip().shingles(h, width))


def _u64(values) -> np.ndarray:
    return np.array(values, dtype=np.uint64)


def _random_hashes(seed: int, size: int, *, distinct: int | None = None) -> np.ndarray:
    """``size`` uint64 values; drawn from ``distinct`` values (so they repeat) when given."""
    rng = np.random.default_rng(seed)
    if distinct is None:
        return rng.integers(0, 2**64, size=size, dtype=np.uint64, endpoint=False)
    pool = rng.integers(0, 2**64, size=distinct, dtype=np.uint64, endpoint=False)
    return pool[rng.integers(0, distinct, size=size)]


EDGE_ARRAYS = {
    "one value": [42],
    "zero": [0],
    "all ones": [_MAX],
    "two values": [1, 2],
    "fewer than a shingle": [7, 8, 9],
    "exactly a shingle": [1, 2, 3, 4, 5],
    "one past a shingle": [1, 2, 3, 4, 5, 6],
    "one value repeated": [9] * 12,
    "a repeated phrase": [1, 2, 3, 4, 5, 6] * 4,
    "near the top": [_MAX, _MAX - 1, 2**63, 2**63 - 1, _MAX, _MAX - 2, 0, 1],
}


@pytest.mark.parametrize("values", list(EDGE_ARRAYS.values()), ids=list(EDGE_ARRAYS))
@pytest.mark.parametrize("size", [1, 2, 5])
def test_shingle_kernel_matches_numpy_on_edge_cases(values, size):
    h = _u64(values)
    width = min(size, len(h))
    expected = dedup._shingle_numbers_numpy(h.copy(), width)
    got = _numba_shingles(h.copy(), width)
    assert got.dtype == np.uint64 and got.tolist() == expected.tolist()
    assert got.tolist() == sorted(set(got.tolist()))  # sorted and distinct


@pytest.mark.parametrize(
    ("seed", "size", "distinct"),
    [(1, 1, None), (2, 4, None), (3, 5, None), (4, 6, None), (5, 640, None), (6, 3000, None), (7, 500, 3), (8, 2000, 40), (9, 9000, 2)],
)
def test_shingle_kernel_matches_numpy_on_random_word_hashes(seed, size, distinct):
    h = _random_hashes(seed, size, distinct=distinct)
    for width in sorted({1, min(dedup.SHINGLE_WORDS, size), min(7, size)}):
        assert _numba_shingles(h, width).tolist() == dedup._shingle_numbers_numpy(h, width).tolist()


def test_shingle_kernel_leaves_its_input_alone():
    h = _random_hashes(11, 50)
    before = h.copy()
    _numba_shingles(h, 5)
    assert np.array_equal(h, before)


@pytest.mark.parametrize("values", list(EDGE_ARRAYS.values()), ids=list(EDGE_ARRAYS))
@pytest.mark.parametrize("num_perm", [1, 16, 128])
def test_minhash_kernel_matches_numpy_on_edge_cases(values, num_perm):
    a, b = dedup._permutations(num_perm)
    h = _u64(values)
    got = _kernels_or_skip().minhash(h, a, b)
    expected = dedup._minhash_numpy(h, (a, b))
    assert got.dtype == np.uint32 and got.tolist() == expected.tolist()


@pytest.mark.parametrize(
    ("seed", "size", "distinct", "block"),
    [
        (1, 1, None, None),
        (2, 200, None, None),
        (3, 1200, None, None),
        (4, 1200, 5, None),
        (5, 2 * 8192 + 5, None, None),  # over _BLOCK rows: the numpy path mixes several blocks
        (6, 1000, None, 7),  # several numpy blocks, the last one short
        (7, 64, 64, 1),
    ],
)
def test_minhash_kernel_matches_numpy_on_random_shingle_hashes(monkeypatch, seed, size, distinct, block):
    if block is not None:
        monkeypatch.setattr(dedup, "_BLOCK", block)
    h = np.sort(_random_hashes(seed, size, distinct=distinct))
    a, b = dedup._permutations(dedup.NUM_PERM)
    assert _kernels_or_skip().minhash(h, a, b).tolist() == dedup._minhash_numpy(h, (a, b)).tolist()


def test_minhash_kernel_is_the_least_high_half_per_permutation():
    """Against the plain definition (one full matrix), not only against the blocked numpy version."""
    h = _random_hashes(21, 300)
    a, b = dedup._permutations(32)
    x = h[:, None] * a[None, :] + b
    x ^= x >> np.uint64(32)
    x *= dedup._MIX2
    expected = (x >> np.uint64(32)).astype(np.uint32).min(axis=0)
    assert _kernels_or_skip().minhash(h, a, b).tolist() == expected.tolist()


TEXTS = [
    "",
    " -- ",
    "One",
    "Talks resumed.",
    "Talks resumed in Riyadh on Monday.",
    "Talks resumed in Riyadh on Monday after a week of delay, officials said on Tuesday.",
    "again " * 30,
    "Café talks in Zürich ended; Straße closed, the mayor’s office said — twice.",
    "The ports reopened. The ports reopened. The ports reopened. The ports reopened.",
]


@pytest.fixture
def numpy_only(monkeypatch):
    """Run the test body with the numpy path, as on a machine without numba."""
    monkeypatch.setattr(dedup, "_KERNELS", None)


def _signatures(texts: list[str]) -> list[dict]:
    dedup.forget_recent()
    rows = [dedup.signature_row(str(i), t, remember=False) for i, t in enumerate(texts)]
    dedup.forget_recent()
    return rows


@pytest.mark.parametrize("text", TEXTS)
def test_shingle_hashes_and_signature_rows_are_the_same_on_both_paths(monkeypatch, text):
    _kernels_or_skip()
    fast_hashes, fast_row = dedup.shingle_hashes(text), _signatures([text])[0]
    monkeypatch.setattr(dedup, "_KERNELS", None)
    slow_hashes, slow_row = dedup.shingle_hashes(text), _signatures([text])[0]
    assert fast_hashes.dtype == slow_hashes.dtype == np.uint64
    assert fast_hashes.tolist() == slow_hashes.tolist()
    assert fast_row == slow_row
    assert (fast_row["minhash"] is None) is (not dedup._words(text))


def test_random_bodies_give_the_same_signatures_on_both_paths(monkeypatch):
    _kernels_or_skip()
    rng = np.random.default_rng(5)
    vocabulary = ["talks", "resumed", "in", "Riyadh", "on", "Monday", "port", "strike", "ended", "é", "x_y", "2025"]
    texts = [" ".join(rng.choice(vocabulary, size=n)) for n in [0, 1, 3, 4, 5, 6, 9, 50, 700, 2500]]
    fast = _signatures(texts)
    monkeypatch.setattr(dedup, "_KERNELS", None)
    assert _signatures(texts) == fast


def test_word_hash_cache_hashes_a_new_word_once_and_gives_blake2b(monkeypatch):
    calls = []
    cache = type(dedup._WORD_HASHES)(lambda w: calls.append(w) or 17)
    assert cache["talks"] == 17 and cache["talks"] == 17 and calls == ["talks"]
    assert dedup._WORD_HASHES["talks"] == dedup._word_hash("talks")


def test_a_cleared_word_cache_gives_the_same_hashes(monkeypatch):
    words = dedup._words(TEXTS[5])
    expected = dedup._hash_shingles(words).tolist()
    monkeypatch.setattr(dedup, "_WORD_CACHE_MAX", 2)  # cleared at every call
    assert dedup._hash_shingles(words).tolist() == expected
    assert dedup._hash_shingles(words).tolist() == expected


def _reset_kernels(monkeypatch) -> None:
    monkeypatch.setattr(dedup, "_KERNELS", dedup._UNSET)


def test_without_numba_the_numpy_path_gives_the_same_rows(monkeypatch):
    expected = _signatures(TEXTS)
    _reset_kernels(monkeypatch)
    monkeypatch.setitem(sys.modules, "numba", None)  # `import numba` raises ImportError
    assert dedup._kernels() is None and dedup.load_kernels() is False
    assert _signatures(TEXTS) == expected


class _BrokenJit:
    """Stands for ``numba.njit``: the kernels it makes either give other numbers or fail."""

    def __init__(self, mode: str):
        self.mode = mode

    def __call__(self, **options):
        def compile_(func):
            def kernel(*args):
                if self.mode == "raises":
                    raise RuntimeError("cannot compile")
                return np.zeros(3, dtype=np.uint64)

            return kernel

        return compile_


@pytest.mark.parametrize("mode", ["raises", "wrong"])
def test_kernels_failing_their_self_check_fall_back_to_numpy(monkeypatch, mode):
    numba = pytest.importorskip("numba")
    expected = _signatures(TEXTS)
    _reset_kernels(monkeypatch)
    monkeypatch.setattr(numba, "njit", _BrokenJit(mode))
    assert dedup._kernels() is None
    assert _signatures(TEXTS) == expected


def test_numba_with_jit_disabled_takes_the_numpy_path(monkeypatch):
    numba = pytest.importorskip("numba")
    _reset_kernels(monkeypatch)
    monkeypatch.setattr(numba.config, "DISABLE_JIT", True)
    assert dedup.load_kernels() is False


def test_kernels_are_used_when_numba_is_installed(monkeypatch):
    pytest.importorskip("numba")
    _reset_kernels(monkeypatch)
    assert dedup.load_kernels() is True
    assert isinstance(dedup._KERNELS, dedup._Kernels)
    called = []
    real = dedup._minhash_numpy
    monkeypatch.setattr(dedup, "_minhash_numpy", lambda *args: called.append(1) or real(*args))
    dedup.signature_row("a", TEXTS[5], remember=False)
    assert called == []  # the compiled kernel did the work


def _child_state(_: int) -> bool:
    return dedup._KERNELS is not dedup._UNSET and dedup._KERNELS is not None


@pytest.mark.skipif(sys.platform != "linux", reason="forked pool workers inherit loaded kernels only where pools fork")
def test_forked_workers_inherit_loaded_kernels():
    pytest.importorskip("numba")
    assert dedup.load_kernels() is True
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.map(_child_state, [0]) == [True]


def _real_bodies() -> list[str]:
    data = SHARED / "data"
    texts = data / "gum_news" / "texts"
    snippets = data / "vader_groundtruth" / "nytEditorialSnippets_GroundTruth.txt"
    if not texts.is_dir() or not snippets.is_file():
        pytest.skip(f"real text not found under {data} (the shared development data): the real-text comparison needs it")
    bodies = [p.read_text(encoding="utf-8") for p in sorted(texts.glob("*.txt"))]
    articles: dict[str, list[str]] = defaultdict(list)
    for line in snippets.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            articles[parts[0].split("_")[0]].append(parts[2])
    bodies += [" ".join(sentences) for _, sentences in sorted(articles.items())]
    # A trimmed copy of each news text: near duplicates for mark_duplicates to find.
    bodies += [body[: int(len(body) * 0.9)] for body in bodies[:24]]
    return bodies


def test_real_text_gives_the_same_signatures_and_marks_on_both_paths(monkeypatch):
    _kernels_or_skip()
    bodies = _real_bodies()
    frame = pd.DataFrame({"article_id": [f"a{i:04d}" for i in range(len(bodies))], "text": bodies})
    fast_rows = _signatures(bodies)
    fast_marks = dedup.mark_duplicates(frame).tolist()
    monkeypatch.setattr(dedup, "_KERNELS", None)
    assert _signatures(bodies) == fast_rows
    dedup.forget_recent()
    assert dedup.mark_duplicates(frame).tolist() == fast_marks
    assert sum(m is not None for m in fast_marks) >= 20  # the trimmed copies were found


def test_declined_kernels_mean_numpy_until_loaded_again(monkeypatch):
    """A small run declines numba (load_kernels(enabled=False)); a later load_kernels() brings it back."""
    expected = _signatures(TEXTS)
    _reset_kernels(monkeypatch)
    assert dedup.load_kernels(enabled=False) is False and dedup._kernels() is None
    assert _signatures(TEXTS) == expected
    if importlib.util.find_spec("numba") is not None:
        assert dedup.load_kernels() is True and dedup._kernels() is not None
        assert dedup.load_kernels(enabled=False) is True  # loaded already: kept
    assert _signatures(TEXTS) == expected
