"""Boilerplate learning on integer key codes: key_id, key_codes, learn_from_codes, resolve_keys.

Every text below is written for these tests.
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from mediawork.boilerplate import normalize_line, word_count
from mediawork.cleaning import (
    BOXED_PROSE_MAX_WORDS,
    dump_line_keys,
    key_codes,
    key_id,
    learn_boilerplate,
    learn_from_codes,
    learn_from_keys,
    resolve_keys,
)
from mediawork.errors import InputError

SITE = "example.com"


def _expected_id(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little") & ~7


def _page(*blocks: str, site: str = SITE) -> str:
    return "\n\n".join((site, *blocks))


# --- key_id ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["share this page", "advertisement", "kyiv", "café au lait 2024", "a"])
def test_key_id_is_the_blake2b_digest_with_flag_bits_clear(key: str) -> None:
    assert key_id(key) == _expected_id(key)
    assert key_id(key) % 8 == 0
    assert 0 <= key_id(key) < 2**64


def test_key_id_is_the_same_in_another_process() -> None:
    code = "from mediawork.cleaning import key_id; print(key_id('share this page'))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert int(out.stdout) == key_id("share this page")


# --- key_codes -------------------------------------------------------------------------

_LONG_30 = " ".join(f"w{i}" for i in range(30))  # 30 words: still short
_LONG_31 = " ".join(f"w{i}" for i in range(31))  # 31 words: not short


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        (["..:truce talks resume"], [("truce talks resume", 4)]),
        ([".r:advertisement"], [("advertisement", 6)]),
        (["p.:envoys met in riyadh on monday for a second round"], [("envoys met in riyadh on monday for a second round", 5)]),
        (["pr:sign up for the morning letter from our desk today"], [("sign up for the morning letter from our desk today", 7)]),
        ([f"p.:{_LONG_30}"], [(_LONG_30, 5)]),
        ([f"p.:{_LONG_31}"], [(_LONG_31, 1)]),
        (["..:headline", "p.:", ".r:share this page"], [("headline", 4), ("share this page", 6)]),  # empty key skipped
        (["x.:odd flags", ".y:more odd"], [("odd flags", 4), ("more odd", 4)]),  # unusual but well-formed flags
        (("..:first", "..:second"), [("first", 4), ("second", 4)]),  # a tuple
        ([], []),
        (["p.:"], []),
    ],
)
def test_key_codes_are_ids_with_flags_in_page_order(summary, expected) -> None:
    codes = key_codes(summary)
    assert codes.dtype == np.uint64
    assert [(int(c) & ~7, int(c) & 7) for c in codes] == [(key_id(k), f) for k, f in expected]


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for our newsletter",
        "Envoys met in Riyadh on Monday, officials said, for a second round of talks.",
        "Zoë Müller’s café—open since 1998—serves 40 kinds of tea, the owner said on Tuesday.",
        " ".join(["word"] * 31) + ".",
        " ".join(["wörd"] * 30) + ".",
    ],
)
def test_short_flag_is_word_count_of_the_key(line: str) -> None:
    key = normalize_line(line)
    (code,) = key_codes([f"p.:{key}"])
    assert bool(int(code) & 4) == (word_count(key) <= BOXED_PROSE_MAX_WORDS)


def test_key_codes_of_a_dump_summary_match_its_entries() -> None:
    text = _page("Truce Talks Resume", "Advertisement", "Envoys met in Riyadh on Monday for a second round of talks.", "Share this article")
    summary = dump_line_keys(text)
    codes = key_codes(summary)
    assert [int(c) & ~7 for c in codes] == [key_id(e[3:]) for e in summary]
    assert [bool(int(c) & 1) for c in codes] == [e[0] == "p" for e in summary]


@pytest.mark.parametrize(
    "summary",
    [
        ["abc"],  # no ':'
        ["p:abc"],  # one flag
        ["pr.:abc"],  # three flags
        [":.:abc"],  # ':' among the flags
        ["p."],  # too short
        ["..:fine", "no colon here"],  # a bad entry after a good one
        [5],  # not a string
        [b"p.:bytes"],
        "p.:a whole string",  # one entry instead of a list
        None,
        7,
    ],
)
def test_bad_summaries_raise_input_error(summary) -> None:
    with pytest.raises(InputError, match="dump_line_keys"):
        key_codes(summary)


def test_bad_entry_message_names_the_entry() -> None:
    with pytest.raises(InputError, match="'no colon here'"):
        key_codes(["..:fine", "no colon here"])


# --- learning: the three learners agree -------------------------------------------------


def _share_bar(n: int) -> list[tuple[str, str]]:
    return [(SITE, _page(f"Headline {i}", f"Story number {i} begins here with news.", "Share this page")) for i in range(n)]


def _body(i: int) -> list[str]:
    """Three prose paragraphs of story ``i`` (distinct stories share too little to be near duplicates)."""
    return [
        f"Council member number {i} voted on the budget for district {i} late on Tuesday evening.",
        f"The plan for district {i} sets aside {i + 2} million for roads and two new schools.",
        f"Residents of district {i} will be asked about the spending at a meeting next month.",
    ]


def _newsletter_box(n: int, *, boxed: bool) -> list[tuple[str, str]]:
    pitch = "Our weekly letter brings the best stories from the region to your inbox every Friday."
    pages = []
    for i in range(n):
        blocks = (
            [f"Budget vote {i}", *_body(i), "Sign up for our newsletter", pitch, "Advertisement", "Copyright 2024 Example Media"]
            if boxed
            else [f"Budget vote {i}", pitch, *_body(i), "Advertisement", "Copyright 2024 Example Media"]
        )
        pages.append((SITE, _page(*blocks)))
    return pages


def _updated_versions() -> list[tuple[str, str]]:
    repeated = "Talks between the two delegations were set to resume in Riyadh on Monday morning."
    pages = [
        (SITE, _page(f"Talks update {v}", repeated, "Both sides named their envoys late on Sunday night, aides said.", f"Version {v} adds a line.", "Share this page"))
        for v in range(3)
    ]
    return pages + _share_bar(3)


def _exact_copies() -> list[tuple[str, str]]:
    copy = (SITE, _page("Flood warning", "Rivers rose across the valley on Friday as rain kept falling.", "Read the full forecast"))
    return [copy] * 5 + _share_bar(2)


def _prose_everywhere(n: int) -> list[tuple[str, str]]:
    notice = "This article was produced by our regional desk and checked by two editors."
    return [(SITE, _page(f"Market note {i}", *_body(i), notice)) for i in range(n)]


CORPORA = {
    "share bar": (_share_bar(4), {"share this page"}),
    "boxed newsletter pitch": (
        _newsletter_box(4, boxed=True),
        {
            "sign up for our newsletter",
            "our weekly letter brings the best stories from the region to your inbox every friday",
            "advertisement",
            "copyright 2024 example media",
        },
    ),
    "pitch next to story text": (_newsletter_box(4, boxed=False), {"advertisement", "copyright 2024 example media"}),
    "updated versions count once": (_updated_versions(), {"share this page"}),
    "exact copies count once": (_exact_copies(), set()),
    "prose line in every article of many": (
        _prose_everywhere(6),
        {"this article was produced by our regional desk and checked by two editors"},
    ),
    "prose line in too few articles": (_prose_everywhere(5), set()),
    "nothing recurs": (_share_bar(2), set()),
}


@pytest.mark.parametrize(("dumps", "expected"), CORPORA.values(), ids=CORPORA.keys())
def test_the_three_learners_agree(dumps: list[tuple[str, str]], expected: set[str]) -> None:
    by_text = learn_boilerplate(dumps)
    by_keys = learn_from_keys((s, dump_line_keys(t)) for s, t in dumps)
    by_codes = learn_from_codes((s, key_codes(dump_line_keys(t))) for s, t in dumps)
    assert by_text == by_keys
    assert set(by_keys[SITE]) == expected
    assert by_codes == {s: frozenset(key_id(k) for k in keys) for s, keys in by_keys.items()}


@pytest.mark.parametrize(("dumps", "expected"), CORPORA.values(), ids=CORPORA.keys())
def test_learning_does_not_depend_on_dump_order(dumps: list[tuple[str, str]], expected: set[str]) -> None:
    codes = [(s, key_codes(dump_line_keys(t))) for s, t in dumps]
    shuffled = codes[:]
    random.Random(7).shuffle(shuffled)
    assert learn_from_codes(shuffled) == learn_from_codes(codes) == {SITE: frozenset(key_id(k) for k in expected)}


def test_sources_are_learned_apart_and_sorted() -> None:
    other = [("other.org", text.replace(SITE, "other.org", 1)) for _, text in _share_bar(4)]
    codes = [(s, key_codes(dump_line_keys(t))) for s, t in other + _share_bar(4)]
    learned = learn_from_codes(codes + [("  ", key_codes(["..:share this page"])), (None, np.zeros(1, np.uint64)), (SITE, None)])
    assert list(learned) == ["  ", SITE, "other.org"]
    assert learned["  "] == frozenset()
    assert learned[SITE] == learned["other.org"] == {key_id("share this page")}


def test_codes_may_be_any_integer_sequence() -> None:
    codes = [(s, [int(c) for c in key_codes(dump_line_keys(t))]) for s, t in _share_bar(4)]
    assert learn_from_codes(codes) == {SITE: frozenset({key_id("share this page")})}


@pytest.mark.parametrize(
    "codes",
    [np.zeros((2, 2), dtype=np.uint64), np.array([-8, 16]), np.array([1.5, 2.0]), ["not", "codes"], [8, -16], 5],
)
def test_bad_codes_raise_input_error(codes) -> None:
    with pytest.raises(InputError, match="key_codes"):
        learn_from_codes([(SITE, codes)])


@pytest.mark.parametrize(("min_articles", "min_share"), [(0, 0.5), (3, 0.0), (3, 1.5)])
def test_bad_thresholds_raise_input_error(min_articles: int, min_share: float) -> None:
    with pytest.raises(InputError, match="expected"):
        learn_from_codes([], min_articles=min_articles, min_share=min_share)
    with pytest.raises(InputError, match="expected"):
        learn_from_keys([], min_articles=min_articles, min_share=min_share)


def test_learn_from_keys_rejects_bad_entries_but_skips_blank_sources() -> None:
    assert learn_from_keys([("", ["no colon"])]) == {"": frozenset()}
    with pytest.raises(InputError, match="no colon"):
        learn_from_keys([(SITE, ["no colon"])])


# --- resolve_keys ----------------------------------------------------------------------


def _counted(summaries: list[list[str]], seen: list[int]) -> Iterator[list[str]]:
    for s in summaries:
        seen.append(1)
        yield s


SUMMARIES = [
    ["..:headline one", ".r:share this page"],
    ["..:headline two", ".r:share this page", ".r:advertisement"],
    ["..:headline three", "p.:", ".r:subscribe now"],
    ["..:headline four"],
]


@pytest.mark.parametrize(
    ("keys", "consumed"),
    [
        (["share this page"], 1),
        (["share this page", "headline one"], 1),
        (["advertisement"], 2),
        (["subscribe now", "share this page"], 3),
        (["never seen"], 4),  # not found: every summary is read
        ([], 0),  # nothing wanted: nothing is read
    ],
)
def test_resolve_keys_stops_once_all_are_found(keys: list[str], consumed: int) -> None:
    seen: list[int] = []
    found = resolve_keys({key_id(k) for k in keys}, _counted(SUMMARIES, seen))
    assert len(seen) == consumed
    assert found == {key_id(k): k for k in sorted(keys, key=key_id) if k != "never seen"}
    assert list(found) == sorted(found)


def test_resolve_keys_rejects_codes_with_flags() -> None:
    with pytest.raises(InputError, match="& ~7"):
        resolve_keys({key_id("share this page") | 2}, SUMMARIES)


def test_resolve_keys_rejects_bad_entries() -> None:
    with pytest.raises(InputError, match="dump_line_keys"):
        resolve_keys({key_id("x")}, [["..:a", "bad"]])


# --- a larger corpus, when the shared development data is present ------------------------

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def test_learners_agree_on_the_shared_sample_dumps() -> None:
    dumps = sorted(SHARED.rglob("*.txt"))[:400] if SHARED.is_dir() else []
    if not dumps:
        pytest.skip(f"shared development data not found at {SHARED} (no *.txt dumps): skipping the corpus check")
    from mediawork.cleaning import dump_source

    pairs = []
    for path in dumps:
        text = path.read_text(encoding="utf-8", errors="replace")
        pairs.append((dump_source(text) or "", text))
    by_keys = learn_from_keys((s, dump_line_keys(t)) for s, t in pairs)
    by_codes = learn_from_codes((s, key_codes(dump_line_keys(t))) for s, t in pairs)
    assert by_codes == {s: frozenset(key_id(k) for k in keys) for s, keys in by_keys.items()}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "example.com\n\nTruce Talks Resume\n\nAdvertisement\n\nEnvoys met in Riyadh on Monday for a second round of talks.\n\nShare this article",
        "Sign up for our newsletter\n\nA short pitch for the box\n\nPrivacy notice: we send you the newsletters you asked for.\n\n"
        "Officials in Kyiv said on Tuesday that the talks would continue next week.",
        "--\n\n***\n\nOnly one line of text in Zürich, with an accent and more than eight words in it.",
    ],
)
def test_dump_key_codes_equal_the_codes_of_the_line_keys(text):
    from mediawork.cleaning import dump_key_codes, dump_line_keys, key_codes

    direct, round_trip = dump_key_codes(text), key_codes(dump_line_keys(text))
    assert direct.dtype == round_trip.dtype and direct.tolist() == round_trip.tolist()


# --- _distinct: the sort-based numpy.unique of the learner's (cluster, key) pairs ---------


@pytest.mark.parametrize(
    "values",
    [[], [5], [3, 3, 3], [9, 1, 9, 0, 1], [2**62, -1, 2**62, 0], list(range(20, 0, -1))],
)
def test_distinct_equals_numpy_unique(values: list[int]) -> None:
    from mediawork.cleaning import _distinct

    array = np.array(values, dtype=np.int64)
    got = _distinct(array)
    assert got.tolist() == np.unique(array).tolist() and got.dtype == np.int64
    assert array.tolist() == values  # the input is not sorted in place


def test_distinct_equals_numpy_unique_on_random_pairs() -> None:
    from mediawork.cleaning import _distinct

    rng = np.random.default_rng(3)
    for size, high in ((1, 2), (1000, 50), (50_000, 10_000), (20_000, 2**40)):
        array = rng.integers(0, high, size, dtype=np.int64)
        assert np.array_equal(_distinct(array), np.unique(array))


# --- the fast learner equals the learner it replaced ------------------------------------
#
# The reference functions below are the learner's steps as they were before the faster
# ones (a stable argsort per step, one BLAKE2b call per dump in a loop, every article
# visited in the near-duplicate pass); the new steps must give the same values.


def _reference_dense_ids(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(ids, kind="stable")
    ids_sorted = ids[order]
    new = np.empty(ids.size, dtype=bool)
    new[0] = True
    np.not_equal(ids_sorted[1:], ids_sorted[:-1], out=new[1:])
    dense = np.empty(ids.size, dtype=np.int64)
    dense[order] = np.cumsum(new) - 1
    return ids_sorted[new], dense


def _reference_digest_order(ids: np.ndarray, bounds: np.ndarray) -> list[int]:
    ids_sorted = ids.astype("<u8")
    digest_of: dict[bytes, int] = {}
    for d in range(len(bounds) - 1):
        digest_of[hashlib.blake2b(ids_sorted[bounds[d] : bounds[d + 1]].tobytes(), digest_size=16).digest()] = d
    return [digest_of[g] for g in sorted(digest_of)]


def _reference_near_duplicate_clusters(art: np.ndarray, key: np.ndarray, rare: np.ndarray, n_articles: int) -> np.ndarray:
    from mediawork.cleaning import NEAR_DUPLICATE_SHARE

    order = np.argsort(art, kind="stable")
    art, key = art[order], key[order]
    starts = np.searchsorted(art, np.arange(n_articles + 1)).tolist()
    keys_list = key.tolist()
    has_rare = np.zeros(n_articles, dtype=bool)
    has_rare[art[rare[key]]] = True
    shared = rare[key] & (np.bincount(key)[key] > 1)
    shared_keys = key[shared].tolist()
    shared_starts = np.searchsorted(art[shared], np.arange(n_articles + 1)).tolist()
    cluster_of = [0] * n_articles
    cluster_prose: list[set[int]] = []
    postings: dict[int, set[int]] = {}
    for a in range(n_articles):
        lookups = shared_keys[shared_starts[a] : shared_starts[a + 1]]
        prose = set(keys_list[starts[a] : starts[a + 1]])
        target = None
        if prose:
            if has_rare[a]:
                candidates = sorted({c for k in lookups for c in postings.get(k, ())})
            else:
                candidates = range(len(cluster_prose))
            for c in candidates:
                other = cluster_prose[c]
                if other and len(prose & other) / min(len(prose), len(other)) >= NEAR_DUPLICATE_SHARE:
                    target = c
                    break
        if target is None:
            cluster_prose.append(prose)
            target = len(cluster_prose) - 1
        else:
            cluster_prose[target] |= prose
        cluster_of[a] = target
        for k in lookups:
            postings.setdefault(k, set()).add(target)
    return np.array(cluster_of, dtype=np.int64)


def _reference_learn_codes(arrays: list[np.ndarray], *, min_articles: int = 3, min_share: float = 0.5) -> frozenset[int]:
    from mediawork import cleaning as c

    arrays = [a for a in arrays if a.size]
    if not arrays:
        return frozenset()
    sizes = np.array([a.size for a in arrays], dtype=np.int64)
    codes = np.concatenate(arrays)
    uniq, dense = _reference_dense_ids(codes & np.uint64(c._ID_MASK))
    n_keys = uniq.size
    dump = np.repeat(np.arange(len(arrays), dtype=np.int64), sizes)
    prose_e = (codes & np.uint64(c._PROSE_BIT)) != 0
    rule_e = (codes & np.uint64(c._RULE_BIT)) != 0
    short = np.zeros(n_keys, dtype=bool)
    short[dense] = (codes & np.uint64(c._SHORT_BIT)) != 0
    pair = dump * n_keys + dense
    order = np.argsort(pair, kind="stable")
    last = np.ones(pair.size, dtype=bool)
    last[:-1] = pair[order][1:] != pair[order][:-1]
    p_dump, p_key, p_prose = dump[order][last], dense[order][last], prose_e[order][last]
    visit = _reference_digest_order(uniq[p_key], np.searchsorted(p_dump, np.arange(len(arrays) + 1)))
    rank = np.full(len(arrays), -1, dtype=np.int64)
    rank[visit] = np.arange(len(visit), dtype=np.int64)
    kept = rank[p_dump] >= 0
    a_art, a_key, a_prose = rank[p_dump[kept]], p_key[kept], p_prose[kept]
    prose_df = np.bincount(a_key[a_prose], minlength=n_keys)
    all_prose = prose_df > 0
    cluster_of = _reference_near_duplicate_clusters(a_art[a_prose], a_key[a_prose], prose_df <= c._COMMON_POSTING, len(visit))
    n = int(cluster_of.max()) + 1
    counts = np.bincount(np.unique(cluster_of[a_art] * n_keys + a_key) % n_keys, minlength=n_keys)
    share = counts / n
    recurring = (counts >= min_articles) & (share >= min_share)
    prose_ok = (counts >= max(min_articles * c.PROSE_ARTICLES_FACTOR, min_articles)) & (share >= max(min_share, c.PROSE_MIN_SHARE))
    learned = recurring & (~all_prose | prose_ok)
    furniture = (recurring & ~all_prose) | learned
    candidates = recurring & all_prose & ~learned & short
    if candidates.any():
        learned |= c._boxed_prose(candidates, dense, rule_e, rank[dump] >= 0, np.cumsum(sizes), furniture)
    return frozenset(uniq[learned].tolist())


def _random_ids(rng: np.random.Generator, size: int, n_distinct: int) -> np.ndarray:
    """``size`` key ids drawn from ``n_distinct`` random 64-bit ids (flag bits clear)."""
    pool = rng.integers(0, 2**61, n_distinct, dtype=np.uint64) << np.uint64(3)
    return pool[rng.integers(0, n_distinct, size)]


@pytest.mark.parametrize(
    "ids",
    [[8], [16, 8], [8, 8, 8], [2**63, 8, 2**63, 0, 8], [2**64 - 8, 0, 2**64 - 8], list(range(800, 0, -8))],
)
def test_dense_ids_equal_numpy_unique_with_inverse(ids: list[int]) -> None:
    from mediawork.cleaning import _dense_ids

    array = np.array(ids, dtype=np.uint64)
    uniq, dense = _dense_ids(array)
    want_uniq, want_inverse = np.unique(array, return_inverse=True)
    assert uniq.dtype == np.uint64 and dense.dtype == np.int64
    assert uniq.tolist() == want_uniq.tolist() and dense.tolist() == want_inverse.tolist()
    assert array.tolist() == ids


def test_dense_ids_equal_the_argsort_definition_on_random_ids() -> None:
    from mediawork.cleaning import _dense_ids

    rng = np.random.default_rng(11)
    for size, n_distinct in ((1, 1), (50, 3), (5_000, 700), (60_000, 60_000)):
        ids = _random_ids(rng, size, n_distinct)
        got, want = _dense_ids(ids), _reference_dense_ids(ids)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


@pytest.mark.parametrize(
    ("keys", "bound"),
    [
        ([], 1),
        ([0], 1),
        ([3, 1, 3, 0, 1, 3], 4),
        ([5, 5, 5, 5], 6),
        ([2, 1, 0], 2**62),  # bound × n does not fit in int64: the plain stable argsort
    ],
)
def test_stable_order_equals_a_stable_argsort(keys: list[int], bound: int) -> None:
    from mediawork.cleaning import _stable_order

    array = np.array(keys, dtype=np.int64)
    assert _stable_order(array, bound).tolist() == np.argsort(array, kind="stable").tolist()


def test_stable_order_equals_a_stable_argsort_on_random_keys() -> None:
    from mediawork.cleaning import _stable_order

    rng = np.random.default_rng(5)
    for size, high in ((2, 1), (1_000, 7), (40_000, 300), (40_000, 2**40), (10, 2**62)):
        keys = rng.integers(0, high, size, dtype=np.int64)
        assert np.array_equal(_stable_order(keys, high), np.argsort(keys, kind="stable"))


@pytest.mark.parametrize(
    ("dumps", "visits"),
    [
        ([[8, 16]], 1),
        ([[8, 16], [8, 16], [24]], 2),  # exact copies share a digest: the last one stands
        ([[8], [16], [24], [32]], 4),
        ([[8, 16, 24], [8, 16], [8]], 3),
    ],
)
def test_digest_order_equals_the_per_dump_loop(dumps: list[list[int]], visits: int) -> None:
    from mediawork.cleaning import _digest_order

    ids = np.array([i for d in dumps for i in d], dtype=np.uint64)
    bounds = np.cumsum([0] + [len(d) for d in dumps])
    got = _digest_order(ids, bounds)
    assert got == _reference_digest_order(ids, bounds) and len(got) == visits


def test_digest_order_equals_the_per_dump_loop_on_random_dumps() -> None:
    from mediawork.cleaning import _digest_order

    rng = np.random.default_rng(9)
    sizes = rng.integers(1, 6, 3_000)
    ids = np.concatenate([np.sort(rng.choice(np.arange(0, 400, 8, dtype=np.uint64), s, replace=False)) for s in sizes])
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    got = _digest_order(ids, bounds)
    assert got == _reference_digest_order(ids, bounds)
    assert len(got) < sizes.size  # some dumps are exact copies of others


def _prose_pairs(articles: list[list[int]], *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(art, key) pairs of articles' prose keys, articles in shuffled blocks (as the learner passes them)."""
    blocks = [(a, keys) for a, keys in enumerate(articles) if keys]
    random.Random(seed).shuffle(blocks)
    art = np.array([a for a, keys in blocks for _ in keys], dtype=np.int64)
    key = np.array([k for _, keys in blocks for k in keys], dtype=np.int64)
    return art, key


NEAR_DUPLICATE_CASES = {
    "no shared line": ([[0, 1], [2, 3], [4, 5]], set(), [0, 1, 2]),
    "a copy joins its original": ([[0, 1, 2], [0, 1, 9], [5, 6]], set(), [0, 0, 1]),
    "half is enough": ([[0, 1, 2, 3], [0, 1, 7, 8]], set(), [0, 0]),
    "less than half is not": ([[0, 1, 2, 3, 4], [0, 1, 7, 8, 9]], set(), [0, 1]),
    "an article with no prose opens a cluster": ([[0, 1], [], [0, 1], []], set(), [0, 1, 0, 2]),
    "common lines only: compared with every cluster": ([[0, 1], [2, 3], [2, 3, 4]], {0, 1, 2, 3, 4}, [0, 1, 1]),
    "common and rare lines": ([[0, 5], [1, 6], [0, 5, 9]], {0, 1}, [0, 1, 0]),
    "a cluster grows and catches a later article": ([[0, 1], [0, 1, 2, 3], [2, 3, 4]], set(), [0, 0, 0]),
    "first cluster in creation order wins": ([[0, 1], [2, 3], [0, 1, 2, 3]], set(), [0, 1, 0]),
}


@pytest.mark.parametrize(("articles", "common", "expected"), NEAR_DUPLICATE_CASES.values(), ids=NEAR_DUPLICATE_CASES.keys())
def test_near_duplicate_clusters_equal_the_visit_of_every_article(articles, common, expected) -> None:
    from mediawork.cleaning import _near_duplicate_clusters

    art, key = _prose_pairs(articles)
    rare = np.array([k not in common for k in range(10)])
    got = _near_duplicate_clusters(art, key, rare, len(articles))
    assert got.dtype == np.int64
    assert got.tolist() == _reference_near_duplicate_clusters(art, key, rare, len(articles)).tolist() == expected


@pytest.mark.parametrize("seed", range(12))
def test_near_duplicate_clusters_equal_the_reference_on_random_articles(seed: int) -> None:
    from mediawork.cleaning import _near_duplicate_clusters

    rng = np.random.default_rng(seed)
    n_keys = int(rng.integers(5, 400))
    articles = [
        sorted(set(rng.integers(0, n_keys, int(rng.integers(0, 8))).tolist())) for _ in range(int(rng.integers(1, 300)))
    ]
    art, key = _prose_pairs(articles, seed=seed)
    rare = rng.random(n_keys) < rng.choice([0.0, 0.3, 0.9, 1.0])
    got = _near_duplicate_clusters(art, key, rare, len(articles))
    assert np.array_equal(got, _reference_near_duplicate_clusters(art, key, rare, len(articles)))


def _random_corpus(rng: np.random.Generator, n_dumps: int) -> list[np.ndarray]:
    """Dumps of codes: recurring furniture, prose lines common and rare, exact copies and near copies."""
    furniture = _random_ids(rng, 12, 12)
    prose = _random_ids(rng, 300, 300)
    dumps: list[np.ndarray] = []
    for _ in range(n_dumps):
        roll = rng.random()
        if dumps and roll < 0.1:
            dumps.append(dumps[int(rng.integers(0, len(dumps)))].copy())  # an exact copy
            continue
        body = prose[rng.integers(0, int(rng.choice([8, 60, 300])), int(rng.integers(1, 9)))] | np.uint64(1)
        if dumps and roll < 0.25:  # a near copy: most of an earlier dump's lines
            earlier = dumps[int(rng.integers(0, len(dumps)))]
            body = np.concatenate([earlier[: max(1, earlier.size - 1)], body[:1]])
        frame = furniture[rng.integers(0, 12, int(rng.integers(0, 6)))] | rng.integers(0, 8, 1).astype(np.uint64) & np.uint64(6)
        dumps.append(np.concatenate([frame[:2], body, frame[2:]]) | (rng.integers(0, 2, 1).astype(np.uint64) << np.uint64(2)))
    return dumps


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize(("min_articles", "min_share"), [(3, 0.5), (2, 0.2), (1, 0.05)])
def test_learn_from_codes_equals_the_reference_on_random_corpora(seed: int, min_articles: int, min_share: float) -> None:
    rng = np.random.default_rng(seed)
    dumps = _random_corpus(rng, int(rng.integers(1, 400)))
    got = learn_from_codes(((SITE, d) for d in dumps), min_articles=min_articles, min_share=min_share)
    assert got == {SITE: _reference_learn_codes(dumps, min_articles=min_articles, min_share=min_share)}


def test_learn_from_codes_equals_the_reference_on_the_shared_sample_dumps() -> None:
    dumps = sorted(SHARED.rglob("*.txt"))[:600] if SHARED.is_dir() else []
    if not dumps:
        pytest.skip(f"shared development data not found at {SHARED} (no *.txt dumps): skipping the corpus check")
    from mediawork.cleaning import dump_key_codes, dump_source

    by_source: dict[str, list[np.ndarray]] = {}
    for path in dumps:
        text = path.read_text(encoding="utf-8", errors="replace")
        by_source.setdefault(dump_source(text) or "", []).append(dump_key_codes(text))
    learned_any = False
    for min_articles, min_share in ((3, 0.5), (2, 0.1), (1, 0.01)):
        got = learn_from_codes(((s, c) for s, codes in by_source.items() for c in codes), min_articles=min_articles, min_share=min_share)
        want = {
            s: frozenset() if not s.strip() else _reference_learn_codes(codes, min_articles=min_articles, min_share=min_share)
            for s, codes in sorted(by_source.items())
        }
        assert got == want
        learned_any |= any(want.values())
    assert learned_any  # the sample has lines to learn at the lowest thresholds
