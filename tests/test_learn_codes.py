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
