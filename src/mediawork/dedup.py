"""Exact and near-duplicate articles: who is a copy of whom.

Two articles are exact duplicates when their normalised bodies are equal, and
near duplicates when the Jaccard similarity of their word 5-shingles reaches a
threshold (0.7 by default) — the same syndicated story on two sites with
different boilerplate, or with a paragraph trimmed. Candidates come from a
MinHash LSH index (MinHash over 64-bit shingle hashes, compiled with numba when it
is installed and in numpy otherwise, to the same bits; bands split as datasketch's
``MinHashLSH`` splits them); candidates whose MinHash agreement is not
far below the threshold (see ``_ESTIMATE_MARGIN``) are then verified with the exact
Jaccard similarity of the shingle sets, so no pair is marked on an estimate alone.
Shingles are compared as 64-bit hashes (:func:`shingle_hashes`): equal shingles have
equal hashes, and two different ones collide with probability about 2**-64.

The LSH index is built in bulk (:class:`_BandIndex`): each band of every MinHash is
folded into one 64-bit key (:func:`_band_keys`), and per band the keys are sorted once,
so articles whose earlier result is reused cost a few numpy calls, not a Python loop,
and every candidate pair is found with array slicing. A shared key counts only when
the band's values are equal too, so the candidates are exactly those of a per-article
index of band bytes, on a fresh run and an incremental one alike.

The "first" article of a group is the earliest published one (articles without a
date come after dated ones), ties broken by ``source_file`` then ``article_id``;
every other member gets ``duplicate_of`` = that first article's id.

Signatures (the digest of the normalised body and its MinHash) are the costly
part. :func:`compute_signatures` returns them as a table that ingest stores
(``signatures.parquet``) and passes back on the next run: rows whose text is
unchanged are reused, so only new bodies are hashed. Shingle sets, needed only to
verify LSH candidates, are built on demand (each body once, reused from the signature
step when it was just hashed), and pairs whose set sizes alone rule out the threshold
are not intersected. Results are identical with and
without stored signatures.

Example
-------
>>> import pandas as pd
>>> df = pd.DataFrame({"article_id": ["a", "b", "c"], "source_file": ["1.txt", "2.txt", "3.txt"],
...                    "published": pd.to_datetime(["2025-03-18", "2025-03-19", None], utc=True),
...                    "text": ["Talks resumed in Riyadh on Monday.", "Talks resumed in Riyadh on Monday!", "Other news."]})
>>> mark_duplicates(df).tolist()
[None, 'a', None]
"""

from __future__ import annotations

import hashlib
import math
import operator
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .errors import DataError, ParameterError
from .memo import Memo
from .wordsplit import folded_words

_WORD = re.compile(r"\w+", re.UNICODE)

#: Jaccard similarity of word 5-shingles at or above which two bodies are near duplicates.
NEAR_THRESHOLD = 0.7
#: LSH candidates whose MinHash agreement lies more than this below the threshold are not
#: compared exactly. With 128 permutations the agreement of a pair at the threshold has a
#: standard deviation of about 0.04, so this is over six deviations: a true near duplicate is
#: skipped with probability below 1e-9 (the LSH bands themselves miss about 1 % of pairs at
#: exactly 0.7). Corpora of look-alike texts otherwise make the exact checks grow quadratically.
_ESTIMATE_MARGIN = 0.25
SHINGLE_WORDS = 5
NUM_PERM = 128
_SEED = 1
_SCHEME = "blake2b64-mulxs"
#: Columns of the signature table (``schema.SIGNATURES``).
SIGNATURE_COLUMNS = ["article_id", "text_sha256", "method", "digest", "minhash"]


def signature_method(*, num_perm: int = NUM_PERM) -> str:
    """The label of how signatures are computed; stored signatures with another label are recomputed."""
    return f"words{SHINGLE_WORDS}-perm{num_perm}-seed{_SEED}-{_SCHEME}-v2"


#: The default signature method.
SIGNATURE_METHOD = signature_method()


def normalize_body(text: str) -> str:
    """Case-folded words of ``text`` joined by single spaces (punctuation dropped)."""
    return " ".join(_words(text))


def shingles(text: str, *, size: int = SHINGLE_WORDS) -> frozenset[str]:
    """The set of word ``size``-grams of the normalised body (the whole body when shorter)."""
    words = normalize_body(text).split()
    if len(words) <= size:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    """Jaccard similarity of two sets (0.0 for two empty sets)."""
    if not a and not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


# --- shingles as 64-bit hashes, MinHash and LSH bands in numpy ------------------------------

_U64 = np.uint64


_WORD_CACHE_MAX = 1 << 20
_MIX = _U64(0x9E3779B97F4A7C15)
_MIX2 = _U64(0xBF58476D1CE4E5B9)
_MIX3 = _U64(0x94D049BB133111EB)
#: Most shingles hashed against all permutations at once (bounds memory on very long bodies).
_BLOCK = 8192


def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


#: Word -> 64-bit hash, shared by all calls (words recur across articles), hashed on first
#: lookup, so ``operator.itemgetter(*words)`` gathers a body's hashes in one C-level pass;
#: cleared when large (:data:`_WORD_CACHE_MAX`).
_WORD_HASHES: dict[str, int] = Memo(_word_hash)


def _finalize(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every output bit depends on every input bit."""
    x = x ^ (x >> _U64(30))
    x = x * _MIX2
    x = x ^ (x >> _U64(27))
    x = x * _MIX3
    return x ^ (x >> _U64(31))


def shingle_hashes(text: str, *, size: int = SHINGLE_WORDS) -> np.ndarray:
    """The sorted, distinct 64-bit hashes of :func:`shingles` of ``text``.

    Each word is hashed once (BLAKE2b, 8 bytes), and a shingle's hash combines its
    words' hashes by position, so equal shingles get equal hashes and different ones
    collide with probability about 2**-64: set sizes and Jaccard similarities are those
    of :func:`shingles`.

    Examples
    --------
    >>> a, b = shingle_hashes("Talks resumed in Riyadh on Monday."), shingle_hashes("TALKS resumed in Riyadh on Monday!")
    >>> len(a), bool((a == b).all())
    (2, True)
    """
    return _hash_shingles(_words(text), size=size)


_ASCII_NON_WORD = bytes(c for c in range(128) if not (chr(c).isalnum() or c == ord("_")))
#: ASCII bytes -> words separated by spaces: capitals lower-cased, everything but ``\w`` a space.
_WORD_BYTES = bytes.maketrans(
    _ASCII_NON_WORD + bytes(range(ord("A"), ord("Z") + 1)), b" " * len(_ASCII_NON_WORD) + bytes(range(ord("a"), ord("z") + 1))
)


def _words(text: str) -> list[str]:
    """``_WORD.findall(text.casefold())``, by byte translation instead of a regex scan.

    For ASCII, ``casefold`` is ``lower`` and ``\\w`` is ``[A-Za-z0-9_]``, so translating every
    other byte to a space and splitting gives the same words, several times faster. Other
    text is case-folded first; each distinct non-ASCII character of the folded text that
    ``\\w`` does not match becomes a space, and the rest (letters such as ``ğ``) stay inside
    their words: then only word characters and spaces remain, and the same table and split
    apply (:func:`_words_slow` is the definition).
    """
    if text.isascii():
        return text.encode("ascii").translate(_WORD_BYTES).decode("ascii").split()
    return folded_words(text, pattern=_WORD, table=_WORD_BYTES)


def _words_slow(text: str) -> list[str]:
    """The definition of :func:`_words` (the fast path must give the same words)."""
    return _WORD.findall(text.casefold())



def _hash_shingles(words: list[str], *, size: int = SHINGLE_WORDS) -> np.ndarray:
    """:func:`shingle_hashes` of a body's normalised words."""
    if not words:
        return np.empty(0, dtype=_U64)
    cache = _WORD_HASHES
    if len(cache) > _WORD_CACHE_MAX:
        cache.clear()
    # A missing word is hashed and stored by the cache's __missing__, so one lookup per word.
    h = np.array(operator.itemgetter(*words)(cache) if len(words) > 1 else [cache[words[0]]], dtype=_U64)
    width = min(size, len(h))
    kernels = _kernels()
    if kernels is not None:
        return _sorted_distinct(kernels.shingles(h, width))
    return _shingle_numbers_numpy(h, width)


def _shingle_numbers_numpy(h: np.ndarray, width: int) -> np.ndarray:
    """The sorted distinct shingle hashes of the word hashes ``h`` (``1 <= width <= len(h)``), in numpy.

    The definition the compiled :func:`_shingle_numbers_loop` must match, and the path
    taken when numba is not available.
    """
    count = len(h) - width + 1
    acc = h[:count].copy()  # ((0 * _MIX + h0) * _MIX + h1) * _MIX + ...: the first step is h0
    for k in range(1, width):
        acc *= _MIX
        acc += h[k : k + count]
    return _sorted_distinct(_finalize(acc ^ _U64(width)))


def _sorted_distinct(x: np.ndarray) -> np.ndarray:
    """``np.unique(x)`` of a 1-d array, sorted in place (a few times faster on the small arrays of one body)."""
    x.sort()
    if len(x) < 2:
        return x
    keep = np.empty(len(x), dtype=bool)
    keep[0] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])
    return x[keep]


def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded multipliers (odd) and offsets of the ``num_perm`` hash permutations."""
    rng = np.random.default_rng(_SEED)
    a = rng.integers(0, 2**64, size=num_perm, dtype=_U64, endpoint=False) | _U64(1)
    b = rng.integers(0, 2**64, size=num_perm, dtype=_U64, endpoint=False)
    return a, b


_PERMUTATIONS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def signature_row(article_id: str, text: str, *, num_perm: int = NUM_PERM, remember: bool = True) -> dict:
    """One article's signature, the row :func:`compute_signatures` gives for it (the columns of ``schema.SIGNATURES``).

    For computing signatures where the bodies are, e.g. in the worker that cleaned them.
    ``remember`` keeps the body's shingle hashes for this process's duplicate checks
    (:func:`mark_duplicates`, bounded); pass False in a process that will run none, such
    as a pool worker, where they would only take memory.

    Examples
    --------
    >>> row = signature_row("a", "Talks resumed in Riyadh on Monday.")
    >>> row == compute_signatures(pd.DataFrame({"article_id": ["a"], "text": ["Talks resumed in Riyadh on Monday."]})).iloc[0].to_dict()
    True
    """
    if num_perm not in _PERMUTATIONS:
        _PERMUTATIONS[num_perm] = _permutations(num_perm)
    sha = _text_sha(text)
    digest, minhash = _new_signature(text, _PERMUTATIONS[num_perm], sha=sha, remember=remember)
    return {"article_id": article_id, "text_sha256": sha, "method": signature_method(num_perm=num_perm), "digest": digest, "minhash": minhash}


def _minhash(hashes: np.ndarray, permutations: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """MinHash of a non-empty shingle-hash array: per permutation, the least 32-bit value."""
    kernels = _kernels()
    if kernels is not None:
        a, b = permutations
        return kernels.minhash(hashes, a, b)
    return _minhash_numpy(hashes, permutations)


def _minhash_numpy(hashes: np.ndarray, permutations: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """:func:`_minhash` in numpy: the definition the compiled :func:`_minhash_loop` must match, and the fallback.

    Each block of shingles is mixed in two preallocated matrices (no temporaries), and
    the running minimum is kept in 64 bits: the high 32 bits are taken once at the end
    (shifting is monotone, so the least shifted value is the least value shifted).
    """
    a, b = permutations
    rows = min(len(hashes), _BLOCK)
    x = np.empty((rows, len(a)), dtype=_U64)
    tmp = np.empty_like(x)
    least = None
    for lo in range(0, len(hashes), _BLOCK):
        block = hashes[lo : lo + _BLOCK]
        xb, tb = (x, tmp) if len(block) == rows else (x[: len(block)], tmp[: len(block)])
        np.multiply(block[:, None], a[None, :], out=xb)
        xb += b
        np.right_shift(xb, _U64(32), out=tb)
        xb ^= tb
        xb *= _MIX2
        block_min = xb.min(axis=0)
        least = block_min if least is None else np.minimum(least, block_min, out=least)
    return (least >> _U64(32)).astype(np.uint32)


# --- the same two computations compiled with numba, when it is installed ---------------------
#
# The loops below do, element by element, exactly what the numpy versions do array by array:
# the same uint64 operations (multiplication and addition wrap modulo 2**64 in both), in an
# order that cannot change a result (a minimum does not depend on the order its values come
# in; the shingle hashes are sorted by numpy afterwards, as before). They are plain Python
# functions, compiled by :func:`_kernels` on first use; a machine compiles them once
# (``cache=True``: numba keeps the machine code in ``__pycache__``, or in a user cache folder
# when that is not writable). Without numba, or when it cannot compile them, the numpy
# versions run: the results are the same bits.

_ALL_ONES = _U64(0xFFFFFFFFFFFFFFFF)
_SHIFT30, _SHIFT27, _SHIFT31, _SHIFT32 = _U64(30), _U64(27), _U64(31), _U64(32)


def _shingle_numbers_loop(h: np.ndarray, width: int) -> np.ndarray:
    """The shingle hashes of :func:`_shingle_numbers_numpy` before sorting, as loops (compiled by :func:`_kernels`).

    Sorting stays with numpy (:func:`_sorted_distinct`): its sort of uint64 is faster than numba's.
    """
    count = len(h) - width + 1
    out = np.empty(count, dtype=np.uint64)
    tag = np.uint64(width)
    for i in range(count):
        acc = h[i]
        for k in range(1, width):
            acc = acc * _MIX + h[i + k]
        x = acc ^ tag  # then splitmix64's finaliser, as _finalize
        x = x ^ (x >> _SHIFT30)
        x = x * _MIX2
        x = x ^ (x >> _SHIFT27)
        x = x * _MIX3
        out[i] = x ^ (x >> _SHIFT31)
    return out


def _minhash_loop(hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`_minhash_numpy` as loops (compiled by :func:`_kernels`): per permutation, a running 64-bit minimum.

    Permutation by permutation rather than block of shingles by block: the minimum is held
    in a register, and the high 32 bits are taken at the end, as in numpy.
    """
    out = np.empty(len(a), dtype=np.uint32)
    for j in range(len(a)):
        aj, bj = a[j], b[j]
        least = _ALL_ONES
        for i in range(len(hashes)):
            x = hashes[i] * aj + bj
            x = x ^ (x >> _SHIFT32)
            least = min(least, x * _MIX2)
        out[j] = np.uint32(least >> _SHIFT32)
    return out


class _Kernels(NamedTuple):
    shingles: Callable[[np.ndarray, int], np.ndarray]
    minhash: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


#: The compiled kernels once :func:`_kernels` has looked (None: use numpy), _UNSET before,
#: or _DECLINED after ``load_kernels(enabled=False)``.
_UNSET = object()
_DECLINED = object()
_KERNELS: Any = _UNSET


def _kernels() -> _Kernels | None:
    """The compiled kernels, or None when numba is missing, disabled or cannot compile them.

    Imported and compiled (or loaded from numba's cache) on first use, then kept for the
    process; a process forked afterwards inherits them (see :func:`load_kernels`). Each is
    checked once against its numpy definition on a small input, so a broken build falls
    back to numpy rather than giving other signatures.
    """
    global _KERNELS
    if _KERNELS is _UNSET:
        _KERNELS = _compile_kernels()
    return None if _KERNELS is _DECLINED else _KERNELS


def _compile_kernels() -> _Kernels | None:
    """Compile (or load from numba's cache) and check the kernels; None when that fails."""
    try:
        import numba

        if numba.config.DISABLE_JIT:  # njit would return the Python loops: far slower than numpy
            return None
        try:
            jit = numba.njit(cache=True, nogil=True)
            kernels = _Kernels(shingles=jit(_shingle_numbers_loop), minhash=jit(_minhash_loop))
        except RuntimeError:  # no writable cache folder: compile in this process only
            jit = numba.njit(nogil=True)
            kernels = _Kernels(shingles=jit(_shingle_numbers_loop), minhash=jit(_minhash_loop))
        h = np.array([3, 2**64 - 1, 3, 12345, 2**63, 3, 2**64 - 1], dtype=_U64)
        a, b = _permutations(4)
        for width in (1, 2, 5):
            if not np.array_equal(_sorted_distinct(kernels.shingles(h, width)), _shingle_numbers_numpy(h, width)):
                return None
        if not np.array_equal(kernels.minhash(h, a, b), _minhash_numpy(h, (a, b))):
            return None
        return kernels
    except Exception:  # numba absent, or broken on this machine: numpy computes the same bits
        return None


def load_kernels(*, enabled: bool = True) -> bool:
    """Load numba's compiled shingle and MinHash kernels now; True when they are in use.

    Signatures are the same bits either way (numpy computes them without numba). Call it
    before forking worker processes that compute signatures: they inherit the loaded
    kernels instead of each importing numba and loading (or compiling) them again.

    Parameters
    ----------
    enabled:
        False: use numpy in this process (and in processes forked from it) unless the
        kernels are loaded already, until ``load_kernels()`` is called again. For work
        too small to repay loading numba (about 0.7 CPU-s per process; numpy costs about
        0.35 ms more per article).

    Examples
    --------
    >>> load_kernels() in (True, False)
    True
    """
    global _KERNELS
    if not enabled:
        if _KERNELS is _UNSET:
            _KERNELS = _DECLINED
        return _kernels() is not None
    if _KERNELS is _DECLINED:
        _KERNELS = _UNSET
    return _kernels() is not None


def _false_rates(threshold: float, bands: int, rows: int) -> tuple[float, float]:
    """Areas of false positives (below ``threshold``) and false negatives (above) of a band split."""
    def p(s: np.ndarray) -> np.ndarray:
        return 1 - (1 - s ** float(rows)) ** float(bands)

    lo = np.linspace(0.0, threshold, 2001)
    hi = np.linspace(threshold, 1.0, 2001)
    return float(np.trapezoid(p(lo), lo)), float(np.trapezoid(1 - p(hi), hi))


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) of the LSH index: the split minimising false positives plus negatives.

    The criterion of datasketch's ``MinHashLSH`` (equal weights), integrated numerically.

    Examples
    --------
    >>> lsh_bands(0.5, 128)
    (25, 5)
    """
    best, best_err = (1, 1), math.inf
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            fp, fn = _false_rates(threshold, bands, rows)
            err = 0.5 * fp + 0.5 * fn
            if err < best_err:
                best, best_err = (bands, rows), err
    return best


def _similar(a: np.ndarray, b: np.ndarray, threshold: float) -> bool:
    """``jaccard(a, b) >= threshold`` for two sorted arrays of distinct shingle hashes.

    Answered from the sizes alone when they are too far apart; otherwise the arrays
    are intersected in numpy (8 bytes per shingle, where a Python set takes about 60).
    """
    small, large = sorted((len(a), len(b)))
    if large and small / large < threshold:  # |A∩B| / |A∪B| <= min / max
        return False
    if not large:
        return 0.0 >= threshold  # jaccard of two empty sets is 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter) >= threshold


_BANDS: dict[tuple[float, int], tuple[int, int]] = {}


def _bands_cached(threshold: float, num_perm: int) -> tuple[int, int]:
    key = (threshold, num_perm)
    if key not in _BANDS:
        _BANDS[key] = lsh_bands(threshold, num_perm)
    return _BANDS[key]


#: Odd multiplier folding a band's rows into one 64-bit key (odd: each fold step is a bijection).
_FOLD = _U64(0xD6E8FEB86659FD93)
#: Most (query, candidate) band matches expanded at once by :meth:`_BandIndex.candidate_chunks`
#: (bounds the memory of a chunk to some tens of MB, however large a band's buckets grow).
_PAIR_BUDGET = 1 << 21
#: Most candidate pairs kept between the dry run that finds the texts to load and the marking loop
#: (beyond this they are found again rather than held: 16 bytes a pair).
_PAIR_CACHE = 1 << 22
#: Pairs whose MinHash agreement is computed at once (a pair gathers two MinHash rows).
_AGREE_BLOCK = 1 << 14


def _band_keys(matrix: np.ndarray, ranges: Sequence[tuple[int, int]]) -> np.ndarray:
    """The ``(n, bands)`` uint64 LSH keys of a ``(n, num_perm)`` uint32 MinHash matrix.

    A band's rows are folded into one 64-bit word (``acc = acc * _FOLD + row``, starting from
    the band number) and mixed by splitmix64's finaliser, so each key depends on every bit of
    its band. Equal bands give equal keys; two different bands share a key with probability
    about 2**-64, and :class:`_BandIndex` compares the rows of every match, so a shared key
    never makes a candidate on its own.
    """
    keys = np.empty((len(matrix), len(ranges)), dtype=_U64)
    for band, (lo, hi) in enumerate(ranges):
        acc = np.full(len(matrix), band + 1, dtype=_U64)
        for row in range(lo, hi):
            acc *= _FOLD
            acc += matrix[:, row]
        keys[:, band] = _finalize(acc)
    return keys


#: Bits of a band key that address :func:`_rows_sharing`'s table (2**20 flags: 1 MB, cache-sized).
_SIEVE_BITS = 20


def _rows_sharing(keys: np.ndarray, first_query: int) -> np.ndarray:
    """Ascending row numbers whose key equals the key of some row from ``first_query`` on (those rows included).

    A table of flags addressed by the keys' low bits sieves the rows first (a row whose
    bits are not flagged cannot match; keys are mixed, so few others pass), then the
    survivors' keys are looked up exactly among the wanted ones.
    """
    wanted = np.sort(keys[first_query:])
    if not len(wanted):
        return np.zeros(0, dtype=np.int64)
    low = _U64((1 << _SIEVE_BITS) - 1)
    flags = np.zeros(1 << _SIEVE_BITS, dtype=bool)
    flags[(wanted & low).astype(np.intp)] = True
    maybe = np.flatnonzero(flags[(keys & low).astype(np.intp)])
    found = keys[maybe]
    at = np.minimum(np.searchsorted(wanted, found), len(wanted) - 1)
    return maybe[wanted[at] == found]


class _BandIndex:
    """An LSH index over the MinHash rows of the indexed articles, built in bulk.

    Which articles :func:`mark_duplicates` indexes does not depend on what it decides:
    every article that is the first of its normalised body and has a MinHash is indexed
    when its turn comes, and asks for its candidates then, unless its result is reused.
    So the index holds them all at once (rows of ``matrix``, in "first" order), and the
    candidates of row ``q`` are the rows before ``q`` that share all rows of a band with
    it. Per band, the rows are sorted by key (ties in row order): the candidates of ``q``
    in a band are the rows between the start of its key's run and ``q``'s own place, so
    finding them is array slicing. When few rows query (a reused prefix), only the runs of
    their keys are sorted: the rows of the prefix cost one pass per band through a sieve.
    """

    def __init__(self, matrix: np.ndarray, *, threshold: float, first_query: int):
        bands, rows = _bands_cached(threshold, matrix.shape[1])
        self.ranges = [(i * rows, (i + 1) * rows) for i in range(bands)]
        self.matrix = matrix
        self.first_query = first_query
        #: Per band: row numbers sorted by (key, row); for each querying row, where its key's
        #: run starts in that order and how many rows of the run come before it.
        self.sorted: list[np.ndarray] = []
        self.starts: list[np.ndarray] = []
        self.counts: list[np.ndarray] = []
        n = len(matrix)
        keys = _band_keys(matrix, self.ranges)
        every = np.arange(n, dtype=np.int64)
        n_queries = n - first_query
        for band in range(bands):
            column = keys[:, band]
            # Only the runs of keys some querying row has are ever read. When few rows query
            # (an incremental run), just those runs' rows are sorted: a run holds every row of
            # its key either way, in row order, so each query's run start, count and
            # candidates are those of the full sort (row numbers map back through ``members``).
            members = _rows_sharing(column, first_query) if n_queries * 4 < n else every
            by_key = np.argsort(column[members], kind="stable")
            ordered = column[members][by_key]
            m = len(members)
            new_run = np.ones(m, dtype=bool)
            new_run[1:] = ordered[1:] != ordered[:-1]
            run_start = np.maximum.accumulate(np.where(new_run, every[:m], 0)) if m else every[:0]
            place = np.empty(m, dtype=np.int64)
            place[by_key] = every[:m]
            place = place[m - n_queries :]  # the querying rows are the last ``n_queries`` of ``members``
            start = run_start[place]
            self.sorted.append(members[by_key].astype(np.int32))
            self.starts.append(start.astype(np.int32))
            self.counts.append((place - start).astype(np.int32))
        del keys

    def candidate_chunks(self, *, floor: float) -> Iterator[tuple[int, int, np.ndarray, np.ndarray]]:
        """Yield ``(lo, hi, queries, candidates)`` for consecutive querying rows ``lo..hi-1``.

        ``queries[i]``, ``candidates[i]`` are every pair of a querying row and an earlier row
        sharing all rows of a band whose MinHash agreement is at least ``floor``, sorted by
        query then candidate (so each query's candidates come in "first" order).
        """
        n = len(self.matrix)
        if self.first_query >= n:
            return
        per_query = np.zeros(n - self.first_query, dtype=np.int64)
        for counts in self.counts:
            per_query += counts
        ends = np.cumsum(per_query)
        lo = 0
        while lo < len(per_query):
            done = int(ends[lo - 1]) if lo else 0
            hi = max(lo + 1, int(np.searchsorted(ends, done + _PAIR_BUDGET, side="right")))
            queries, candidates = self._pairs(lo, hi, floor=floor)
            yield lo + self.first_query, hi + self.first_query, queries, candidates
            lo = hi

    def _pairs(self, lo: int, hi: int, *, floor: float) -> tuple[np.ndarray, np.ndarray]:
        """The pairs of querying rows ``lo..hi-1`` (counted from ``first_query``), deduplicated and filtered."""
        matrix, n = self.matrix, len(self.matrix)
        found = []
        for by_key, starts, counts in zip(self.sorted, self.starts, self.counts):
            count = counts[lo:hi]
            some = np.flatnonzero(count)
            if not len(some):
                continue
            count = count[some].astype(np.int64)
            start = starts[lo:hi][some].astype(np.int64)
            total = int(count.sum())
            offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
            found.append(np.repeat(some + (lo + self.first_query), count) * n + by_key[np.repeat(start, count) + offsets])
        if not found:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        pairs = np.concatenate(found)
        del found
        pairs.sort()
        pairs = pairs[np.flatnonzero(np.diff(pairs, prepend=-1))]  # a pair sharing several bands, once
        queries, candidates = pairs // n, pairs % n
        del pairs
        keep = np.empty(len(queries), dtype=bool)
        num_perm = matrix.shape[1]
        for i in range(0, len(queries), _AGREE_BLOCK):
            q, c = queries[i : i + _AGREE_BLOCK], candidates[i : i + _AGREE_BLOCK]
            # The agreement test of the item-by-item index: the fraction of equal MinHash values.
            keep[i : i + _AGREE_BLOCK] = (matrix[c] == matrix[q]).sum(axis=1, dtype=np.int64) / num_perm >= floor
        queries, candidates = queries[keep], candidates[keep]
        # A shared key makes a candidate only when the band's rows are equal too (keys collide with probability ~2**-64).
        width = self.ranges[-1][1]
        rows = self.ranges[0][1]
        equal = matrix[queries, :width] == matrix[candidates, :width]
        same_band = equal.reshape(len(queries), width // rows, rows).all(axis=2).any(axis=1)
        return queries[same_band], candidates[same_band]


def _order(articles: pd.DataFrame) -> list[int]:
    """Row positions in "first article" order: dated before undated, earliest first.

    Sorted by Arrow (one stable multi-key sort, no pandas factorisation of the string
    keys): the order of :func:`_order_slow`, the definition. Arrow compares strings by
    their UTF-8 bytes, which orders them as Python compares them (by code point), and
    both sorts are stable. Frames the fast path does not cover exactly (missing names
    or ids, strings Arrow cannot hold, odd time columns) take the definition.
    """
    if "source_file" not in articles or "published" not in articles:
        return _order_slow(articles)
    names, ids, published = articles["source_file"], articles["article_id"], articles["published"]
    if names.isna().any() or ids.isna().any():
        return _order_slow(articles)
    try:
        keys = pa.table({
            "undated": pa.array(published.isna().to_numpy()),
            "published": pa.array(published.array, from_pandas=True),
            "source_file": pa.array(names.astype(str), type=pa.string(), from_pandas=True),
            "article_id": pa.array(ids.astype(str), type=pa.string(), from_pandas=True),
        })
    except (pa.ArrowException, TypeError, ValueError):
        return _order_slow(articles)
    if not pa.types.is_timestamp(keys.schema.field("published").type):
        return _order_slow(articles)
    sort_keys = [(name, "ascending") for name in ("undated", "published", "source_file", "article_id")]
    return pc.sort_indices(keys, sort_keys=sort_keys).to_numpy().tolist()


def _order_slow(articles: pd.DataFrame) -> list[int]:
    """The definition of :func:`_order`: a stable pandas sort by (undated, published, source_file, article_id)."""
    published = articles["published"] if "published" in articles else pd.Series(pd.NaT, index=articles.index)
    key = pd.DataFrame(
        {
            "undated": published.isna().to_numpy(),
            "published": published.array,  # tz-aware stays datetime64 (to_numpy would box Timestamps)
            "source_file": articles["source_file"].astype(str).to_numpy() if "source_file" in articles else "",
            "article_id": articles["article_id"].astype(str).to_numpy(),
            "pos": range(len(articles)),
        }
    )
    return key.sort_values(["undated", "published", "source_file", "article_id"], kind="stable")["pos"].tolist()


def _text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


#: Shingle hashes of recently hashed bodies by text SHA-256, kept for the candidate checks of
#: :func:`mark_duplicates` (so each body is shingled once); bounded by the total number of hashes.
_RECENT_SHINGLES: dict[str, np.ndarray] = {}
_RECENT_MAX_HASHES = 8_000_000
_recent_size = 0


def _remember_shingles(text: str, hashes: np.ndarray, *, sha: str | None = None) -> None:
    global _recent_size
    if len(hashes) > _RECENT_MAX_HASHES:
        return
    while _RECENT_SHINGLES and _recent_size + len(hashes) > _RECENT_MAX_HASHES:
        _recent_size -= len(_RECENT_SHINGLES.pop(next(iter(_RECENT_SHINGLES))))
    key = _text_sha(text) if sha is None else sha
    if key not in _RECENT_SHINGLES:
        _RECENT_SHINGLES[key] = hashes
        _recent_size += len(hashes)


def forget_recent() -> None:
    """Empty this process's caches of word hashes and recent shingle sets (up to a few hundred MB).

    Examples
    --------
    >>> forget_recent()
    """
    global _recent_size
    _WORD_HASHES.clear()
    _RECENT_SHINGLES.clear()
    _recent_size = 0


def _shingles_of(text: str, sha: str) -> np.ndarray:
    """:func:`shingle_hashes` of ``text`` (SHA-256 ``sha``), from the recent ones when it was just hashed."""
    found = _RECENT_SHINGLES.get(sha)
    return found if found is not None else shingle_hashes(text)


def _new_signature(text: str, permutations: tuple[np.ndarray, np.ndarray], *, sha: str | None = None,
                   remember: bool = True) -> tuple[str, bytes | None]:
    """(digest of the normalised body, MinHash bytes or None when it has no words); ``sha``: ``text``'s SHA-256 when known."""
    words = _words(text)  # normalize_body's words, split once for both uses
    digest = hashlib.sha256(" ".join(words).encode()).hexdigest()
    hashes = _hash_shingles(words)
    if remember:
        _remember_shingles(text, hashes, sha=sha)
    if not len(hashes):
        return digest, None
    return digest, _minhash(hashes, permutations).astype("<u4").tobytes()


def compute_signatures(
    articles: pd.DataFrame,
    *,
    cached: pd.DataFrame | None = None,
    num_perm: int = NUM_PERM,
) -> pd.DataFrame:
    """Return each article's duplicate-finding signature, reusing ``cached`` ones.

    Parameters
    ----------
    articles:
        Needs ``article_id`` and ``text``.
    cached:
        Signatures from an earlier run (``signatures.parquet``); a row is reused when
        its ``text_sha256`` and ``method`` match the article's text and the current
        method, whatever its ``article_id``. Everything else is computed.
    num_perm:
        MinHash permutations.

    Returns
    -------
    pd.DataFrame
        One row per article, in the order of ``articles`` (a fresh index), with the
        columns of ``schema.SIGNATURES``.

    Examples
    --------
    >>> df = pd.DataFrame({"article_id": ["a"], "text": ["Talks resumed in Riyadh on Monday."]})
    >>> sig = compute_signatures(df)
    >>> compute_signatures(df, cached=sig).equals(sig)
    True
    """
    missing = [c for c in ("article_id", "text") if c not in articles.columns]
    if missing:
        raise DataError(f"compute_signatures needs columns {missing}; got {list(articles.columns)}")
    method = signature_method(num_perm=num_perm)
    texts = articles["text"].fillna("").astype(str).tolist()
    shas = [_text_sha(t) for t in texts]
    known: dict[str, tuple[str, bytes | None]] = {}
    if cached is not None and len(cached):
        bad = [c for c in SIGNATURE_COLUMNS if c not in cached.columns]
        if bad:
            raise DataError(f"cached signatures lack columns {bad}; got {list(cached.columns)}; pass the table read from signatures.parquet")
        usable = cached[cached["method"] == method]
        for sha, digest, mh in zip(usable["text_sha256"], usable["digest"], usable["minhash"]):
            known[sha] = (digest, None if mh is None or pd.isna(mh) else bytes(mh))
    permutations = None
    digests: list[str] = []
    minhashes: list[bytes | None] = []
    for text, sha in zip(texts, shas):
        if sha not in known:
            if permutations is None:
                permutations = _permutations(num_perm)
            known[sha] = _new_signature(text, permutations, sha=sha)
        digest, mh = known[sha]
        digests.append(digest)
        minhashes.append(mh)
    return pd.DataFrame(
        {
            "article_id": articles["article_id"].astype(str).tolist(),
            "text_sha256": shas,
            "method": [method] * len(texts),
            "digest": digests,
            "minhash": pd.Series(minhashes, dtype=object),
        },
        columns=SIGNATURE_COLUMNS,
    )


def mark_duplicates(
    articles: pd.DataFrame,
    *,
    threshold: float = NEAR_THRESHOLD,
    num_perm: int = NUM_PERM,
    signatures: pd.DataFrame | None = None,
    previous: Mapping[str, str | None] | None = None,
    text_of: Callable[[list[str]], Mapping[str, str]] | None = None,
) -> pd.Series:
    """Return ``duplicate_of`` for each row of ``articles`` (same index), None for originals.

    Parameters
    ----------
    articles:
        Needs ``article_id`` and ``text``; ``published`` and ``source_file`` decide
        which article of a group counts as the first.
    threshold:
        Jaccard similarity of word 5-shingles for near duplicates (exact duplicates
        always count).
    num_perm:
        MinHash permutations used to find candidates.
    signatures:
        Stored signatures (see :func:`compute_signatures`); rows matching an
        article's text are reused, the rest computed. The result is the same with or
        without them.
    previous:
        ``duplicate_of`` from an earlier run for articles whose result cannot have
        changed (see :func:`reusable_results`): articles are taken in "first" order and,
        while they are in ``previous``, their earlier result is kept and only indexed
        for later articles, so their candidate pairs are not checked again. The result
        is the same with or without it.
    text_of:
        For ``articles`` without a ``text`` column (so a large corpus need not be held
        in memory): a function returning ``{article_id: text}`` for the ids asked. It is
        called once, for the articles that share an LSH band with another one (the only
        texts a check can need); ``signatures`` must then cover every article.

    Examples
    --------
    >>> df = pd.DataFrame({"article_id": ["a", "b"], "source_file": ["1.txt", "2.txt"],
    ...                    "published": pd.to_datetime(["2025-03-18", "2025-03-19"], utc=True),
    ...                    "text": ["Talks resumed in Riyadh.", "TALKS resumed in Riyadh!"]})
    >>> mark_duplicates(df, signatures=compute_signatures(df)).tolist()
    [None, 'a']
    """
    if not 0 < threshold <= 1:
        raise ParameterError(f"threshold must be in (0, 1], got {threshold}; pass e.g. threshold=0.7")
    ids = articles["article_id"].astype(str).tolist()
    if "text" in articles.columns:
        sigs = compute_signatures(articles, cached=signatures, num_perm=num_perm)
        texts: list[str] | dict[int, str] = articles["text"].fillna("").astype(str).tolist()
    else:
        sigs = _stored_signatures(ids, signatures, num_perm=num_perm, loader=text_of)
        texts = {}
    digests = sigs["digest"].tolist()
    minhashes = sigs["minhash"].tolist()
    shas = sigs["text_sha256"].tolist()
    del sigs
    order = _order(articles)
    reuse = dict(previous or {})
    reused = 0  # the length of the prefix (in "first" order) whose results are reused
    if reuse:
        while reused < len(order) and ids[order[reused]] in reuse:
            reused += 1
    indexed, first_query = _indexed_positions(order, digests, minhashes, reused=reused)
    matrix = _minhash_matrix([minhashes[pos] for pos in indexed], num_perm=num_perm)
    # A lower LSH threshold than the verified one, so candidates near the threshold are not missed.
    index = _BandIndex(matrix, threshold=max(0.3, threshold - 0.2), first_query=first_query)
    floor = threshold - _ESTIMATE_MARGIN
    chunks: Iterable[tuple[int, int, np.ndarray, np.ndarray]] = index.candidate_chunks(floor=floor)
    if isinstance(texts, dict):  # load, in one call, every text a check can need: both ends of every candidate pair
        chunks, wanted = _wanted_rows(chunks, len(indexed))
        wanted_positions = sorted(indexed[row] for row in wanted)
        loaded = text_of([ids[p] for p in wanted_positions]) if wanted_positions else {}
        texts.update({p: str(loaded.get(ids[p]) or "") for p in wanted_positions})
        if chunks is None:  # too many pairs to hold: find them again
            chunks = index.candidate_chunks(floor=floor)
    sets: dict[int, np.ndarray] = {}

    def shingle_set(pos: int) -> np.ndarray:
        """The sorted distinct shingle hashes of an article, computed once; a loaded body is dropped then."""
        if pos not in sets:
            sets[pos] = _shingles_of(texts[pos], shas[pos])  # sorted and distinct already
            if isinstance(texts, dict):
                texts[pos] = ""
        return sets[pos]

    result: list[str | None] = [None] * len(articles)
    root: dict[int, int] = {}
    exact_first: dict[str, int] = {}
    where = {aid: pos for pos, aid in enumerate(ids)} if reused else {}
    for pos in order[:reused]:  # the same result as last time: record it, check nothing
        first = reuse[ids[pos]]
        root[pos] = where[first] if isinstance(first, str) and first in where else pos
        exact_first.setdefault(digests[pos], pos)
        if root[pos] != pos:
            result[pos] = ids[root[pos]]
    lists = _candidate_lists(chunks)
    for pos in order[reused:]:  # decided afresh
        digest = digests[pos]
        if digest in exact_first:
            root[pos] = root[exact_first[digest]]
        else:
            exact_first[digest] = pos
            match = None
            if minhashes[pos] is not None:  # an indexed article asking for its candidates, in index order
                for row in next(lists):
                    cand = indexed[row]
                    if _similar(shingle_set(pos), shingle_set(cand), threshold):
                        match = cand
                        break
            root[pos] = root[match] if match is not None else pos
        if root[pos] != pos:
            result[pos] = ids[root[pos]]
    return pd.Series(result, index=articles.index, dtype=object, name="duplicate_of")


def _indexed_positions(order: list[int], digests: list[str], minhashes: list, *, reused: int) -> tuple[list[int], int]:
    """The positions :func:`mark_duplicates` indexes, in "first" order, and how many lie in the reused prefix.

    An article is indexed when it is the first of its normalised body (``digest``) and
    has a MinHash; the indexed articles after the reused prefix are the ones that ask for
    candidates.
    """
    seen: set[str] = set()
    indexed: list[int] = []
    first_query = 0
    for rank, pos in enumerate(order):
        if rank == reused:
            first_query = len(indexed)
        if digests[pos] not in seen:
            seen.add(digests[pos])
            if minhashes[pos] is not None:
                indexed.append(pos)
    if reused >= len(order):
        first_query = len(indexed)
    return indexed, first_query


def _minhash_matrix(minhashes: list[bytes], *, num_perm: int) -> np.ndarray:
    """The ``(len(minhashes), num_perm)`` uint32 matrix of MinHash bytes (little-endian uint32 each)."""
    blob = b"".join(minhashes)
    if len(blob) != 4 * num_perm * len(minhashes):
        sizes = sorted({len(mh) for mh in minhashes})
        raise DataError(f"MinHash signatures of {sizes} bytes found, expected {4 * num_perm} ({num_perm} permutations); recompute them with compute_signatures")
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32).reshape(len(minhashes), num_perm)


def _wanted_rows(chunks: Iterable[tuple[int, int, np.ndarray, np.ndarray]], size: int) -> tuple[list | None, np.ndarray]:
    """Index rows at either end of a candidate pair (the texts the checks can need), and the chunks if few enough to keep."""
    wanted = np.zeros(size, dtype=bool)
    kept: list | None = []
    held = 0
    for chunk in chunks:
        _, _, queries, candidates = chunk
        wanted[queries] = True
        wanted[candidates] = True
        held += len(queries)
        if kept is not None and held <= _PAIR_CACHE:
            kept.append(chunk)
        else:
            kept = None
    return kept, np.flatnonzero(wanted)


def _candidate_lists(chunks: Iterable[tuple[int, int, np.ndarray, np.ndarray]]) -> Iterator[list[int]]:
    """The candidate rows of each querying row in turn (an empty list when it has none)."""
    for lo, hi, queries, candidates in chunks:
        bounds = np.searchsorted(queries, np.arange(lo, hi + 1)).tolist()
        rows = candidates.tolist()
        for i in range(hi - lo):
            yield rows[bounds[i] : bounds[i + 1]]


def reusable_results(previous: pd.DataFrame, articles: pd.DataFrame, *, unchanged: Collection[str]) -> dict[str, str | None]:
    """The earlier ``duplicate_of`` of the articles whose result cannot have changed.

    An article's result depends only on the articles before it in "first" order
    (earliest published first). So the results of the unchanged articles ranked before
    every article added, removed or changed since the earlier run stand; pass them to
    :func:`mark_duplicates` as ``previous``. A nightly refresh adds articles published
    after the rest, so nearly every earlier result stands.

    Parameters
    ----------
    previous:
        The earlier run's articles: ``article_id``, ``published``, ``source_file``,
        ``duplicate_of``.
    articles:
        This run's articles: ``article_id``, ``published``, ``source_file``.
    unchanged:
        Ids of the articles present in both with the same text.

    Examples
    --------
    >>> old = pd.DataFrame({"article_id": ["a", "b"], "source_file": ["1", "2"], "duplicate_of": [None, "a"],
    ...                     "published": pd.to_datetime(["2025-03-01", "2025-03-02"], utc=True)})
    >>> new = pd.concat([old, pd.DataFrame({"article_id": ["c"], "source_file": ["3"], "duplicate_of": [None],
    ...                                     "published": pd.to_datetime(["2025-03-03"], utc=True)})])
    >>> reusable_results(old, new, unchanged={"a", "b"})
    {'a': None, 'b': 'a'}
    """
    cols = ["article_id", "published", "source_file"]
    current = set(articles["article_id"].tolist())  # plain lists: iterating Arrow-backed columns is slow
    gone = previous[np.fromiter((a not in current for a in previous["article_id"].tolist()), dtype=bool, count=len(previous))]
    union = pd.concat([articles[cols], gone[cols]], ignore_index=True)
    earlier = {a: (d if isinstance(d, str) else None) for a, d in zip(previous["article_id"].tolist(), previous["duplicate_of"].tolist())}
    keep = set(unchanged) & set(earlier) & current
    ids = union["article_id"].astype(str).tolist()
    out: dict[str, str | None] = {}
    for pos in _order(union):
        if ids[pos] not in keep:
            break
        out[ids[pos]] = earlier[ids[pos]]
    return out


def _stored_signatures(ids: list[str], signatures: pd.DataFrame | None, *, num_perm: int, loader) -> pd.DataFrame:
    """The stored signatures of ``ids``, in that order; every one must be there, of the current method."""
    if signatures is None or loader is None:
        raise DataError("mark_duplicates needs the articles' text column, or signatures of every article and text_of to load the texts it compares")
    method = signature_method(num_perm=num_perm)
    usable = signatures[signatures["method"] == method].drop_duplicates("article_id").set_index("article_id")
    stored = set(usable.index.tolist())  # a set: membership in a pandas Index costs a Python call per id
    missing = [a for a in ids if a not in stored]
    if missing:
        raise DataError(f"no stored signature of method {method} for article(s) {missing[:5]}; compute them with compute_signatures first")
    return usable.loc[ids].reset_index()
