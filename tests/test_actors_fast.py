"""The fast paths of find_mentions give exactly the frames of the plain definitions.

Checked here: the frame built from the picks (against ``_mentions_from_picks_slow``),
the matcher's memories of texts and surfaces kept between calls, the paused garbage
collector, and whole calls against a plain per-sentence reference on hand-made
edge cases, on random articles and on real news text (``../shared/data/gum_news``).
"""

from __future__ import annotations

import gc
import json
import pickle
import re
import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediawork import actors
from mediawork.actors import actor_dictionary, find_mentions, load_actors
from mediawork.errors import DataError

from .conftest import REPO, SHARED
from .test_speed_actors import ENTRIES, _plain_find_mentions


# sentence texts of our own, repeated across articles as syndicated copies are
PIECES = [
    "Trump rang Putin twice.",
    "The president put the phone down.",
    "Rubio went back to Miami.",
    "Marco Rubio arrived in Doha.",
    "Von der Leyen replied in writing.",
    "Ursula von der Leyen sent a letter.",
    "The Kremlin leader paused; the secretary did not.",
    "Tankers sailed along the Black Sea coast.",
    "Nobody else commented.",
    "PUTIN’S adviser and Trump's aide talked.",
    "the president said Rubio\tagreed",
    "",
    "Putin’s and Putin's and Putin\u02bcs allies.",
    "Ursula von  der\nLeyen and Black\u00a0Sea.",
]


def _frame(articles: list[list[str]], *, ids: list[int] | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": pd.array([f"a{i}" for i, texts in enumerate(articles) for _ in texts], dtype="string"),
            "sentence_id": np.array([j for texts in articles for j in range(len(texts))] if ids is None else ids, dtype=np.int64),
            "text": pd.array([t for texts in articles for t in texts], dtype="string"),
        }
    )


def _same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes) == list(expected.dtypes)
    assert isinstance(got.index, pd.RangeIndex) and got.index.equals(expected.index)


# --------------------------------------------------------------------------- whole calls


@pytest.mark.parametrize(
    "articles",
    [
        [PIECES],
        [PIECES[::-1], PIECES],
        [[PIECES[1]], [PIECES[1], PIECES[0]]],  # a bare title before and after the names
        [["", ""], [PIECES[12]]],
        [[PIECES[13], PIECES[4]]],  # whitespace runs and a no-break space inside forms
        [[PIECES[9]] * 3],  # the same sentence text three times in one article
    ],
)
@pytest.mark.parametrize("resolve_partial", [True, False])
def test_find_mentions_equals_the_plain_reference_on_edge_cases(articles, resolve_partial):
    d = actor_dictionary(ENTRIES)
    s = _frame(articles)
    _same(find_mentions(s, d, resolve_partial=resolve_partial), _plain_find_mentions(s, d, resolve_partial=resolve_partial))


@pytest.mark.parametrize(
    ("ids", "order"),
    [
        ([0, 0, 1], "repeated key"),  # two rows share (article, sentence): the frame is sorted
        ([2, 1, 0], "reversed"),  # out of order: sorted first
    ],
)
def test_find_mentions_sorts_when_keys_repeat_or_come_out_of_order(ids, order):
    d = actor_dictionary(ENTRIES)
    s = _frame([[PIECES[3], PIECES[2], PIECES[0]]], ids=ids)
    got = find_mentions(s, d)
    _same(got, _plain_find_mentions(s, d))
    keys = list(zip(got["sentence_id"], got["start"], got["end"], got["actor"]))
    assert keys == sorted(keys), order


_articles = st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=7), min_size=1, max_size=7)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(st.lists(_articles, min_size=1, max_size=3), st.booleans())
def test_calls_sharing_a_dictionary_equal_the_plain_reference(batches, resolve_partial):
    d = actor_dictionary(ENTRIES)  # remembers texts and surfaces across the batches, as in analyze
    for articles in batches:
        s = _frame(articles)
        _same(find_mentions(s, d, resolve_partial=resolve_partial), _plain_find_mentions(s, d, resolve_partial=resolve_partial))


# --------------------------------------------------------------------------- the frame from the picks


def _picks_inputs(articles: list[list[str]], d: actors.ActorDictionary):
    frame, presorted = actors._ordered_sentences(_frame(articles))
    codes, distinct = pd.factorize(frame["text"])
    texts = distinct.tolist()
    picker = actors._Picker(d._matcher.text_info(texts))
    rows = np.flatnonzero(picker.has_candidates[codes])
    pick_of_row = codes[rows]
    actors._resolve_in_context(picker, rows, pick_of_row, codes, frame["article_id"])
    return frame, presorted, texts, picker, rows, pick_of_row


@settings(max_examples=80, deadline=None, derandomize=True)
@given(_articles)
def test_the_frame_from_picks_equals_the_slow_build(articles):
    d = actor_dictionary(ENTRIES)
    frame, presorted, texts, picker, rows, pick_of_row = _picks_inputs(articles, d)
    expected = actors._mentions_from_picks_slow(frame, texts, d, picker, rows, pick_of_row)
    _same(actors._mentions_from_picks(frame, texts, d, picker, rows, pick_of_row, presorted=presorted), expected)


def test_the_frame_from_no_picks_is_empty_with_the_contract_dtypes():
    d = actor_dictionary(ENTRIES)
    frame, presorted, texts, picker, rows, pick_of_row = _picks_inputs([["Nobody else commented.", "Quiet day."]], d)
    got = actors._mentions_from_picks(frame, texts, d, picker, rows, pick_of_row, presorted=presorted)
    assert got.empty
    _same(got, actors._mentions_from_picks_slow(frame, texts, d, picker, rows, pick_of_row))


@pytest.mark.parametrize(
    ("frame", "presorted"),
    [
        (_frame([["x", "y"], ["z"]]), True),
        (_frame([["x", "y", "z"]], ids=[0, 0, 1]), False),  # a repeated key
        (_frame([["x", "y", "z"]], ids=[1, 0, 2]), True),  # sorted here, then distinct
        (_frame([["x"]]), True),
    ],
)
def test_the_order_flag_says_whether_keys_are_distinct_and_in_order(frame, presorted):
    out, flag = actors._ordered_sentences(frame)
    assert flag is presorted
    pd.testing.assert_frame_equal(out, actors.ordered_sentences(frame))


# --------------------------------------------------------------------------- memories and the collector


def _key_reference(text: str) -> str:
    """``_key`` as first written: a pattern and a table built on every call."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text.strip())
    return text.translate({ord(c): "'" for c in "'\u2019\u02bc\u2018"})


@pytest.mark.parametrize(
    "text",
    ["Putin", "Putin’s", " von  der\tLeyen ", "Erdog\u0306an", "Erdogan\u2018s", "Black\u00a0Sea", "the\u2028president", ""],
)
def test_key_equals_its_first_definition(text):
    assert actors._key(text) == _key_reference(text)


def test_text_info_of_repeated_texts_equals_each_on_its_own():
    d = actor_dictionary(ENTRIES)
    texts = [PIECES[0], PIECES[1], PIECES[0], PIECES[3], PIECES[1]]
    got = d._matcher.text_info(texts)
    fresh = actor_dictionary(ENTRIES)._matcher
    assert got == [fresh.text_info([t])[0] for t in texts]
    assert sorted(d._matcher._texts) == sorted(set(texts))


def test_the_memory_of_surfaces_is_bounded_and_not_pickled(monkeypatch):
    monkeypatch.setattr(actors, "_CACHED_SURFACES", 2)
    d = actor_dictionary(ENTRIES)
    s = _frame([PIECES])
    expected = _plain_find_mentions(s, d)
    for _ in range(3):
        _same(find_mentions(s, d), expected)
        assert len(d._matcher._surfaces) <= 2 + len(PIECES) * 4  # cleared when over the bound, at the next call
    assert len(d._matcher._surfaces) > 0
    assert pickle.loads(pickle.dumps(d))._matcher._surfaces == {}


@pytest.mark.parametrize("enabled", [True, False])
def test_find_mentions_leaves_the_collector_as_it_found_it(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        find_mentions(_frame([PIECES]), actor_dictionary(ENTRIES))
        assert gc.isenabled() is enabled
        with pytest.raises(DataError):  # an error inside the paused block restores it too
            find_mentions(pd.DataFrame({"article_id": ["a"], "sentence_id": [0.5], "text": ["Trump"]}), actor_dictionary(ENTRIES))
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_the_collector_is_paused_while_matching(monkeypatch):
    states = []
    original = actors._Matcher.text_info

    def spying(self, texts):
        states.append(gc.isenabled())
        return original(self, texts)

    monkeypatch.setattr(actors._Matcher, "text_info", spying)
    was = gc.isenabled()
    gc.enable()
    try:
        find_mentions(_frame([PIECES[:3]]), actor_dictionary(ENTRIES))
    finally:
        gc.enable() if was else gc.disable()
    assert states == [False]


# --------------------------------------------------------------------------- real text


def _gum_articles() -> list[list[str]]:
    path = SHARED / "data" / "gum_news" / "gum_news.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found: the real-text checks need ../shared/data/gum_news beside the repository")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["sentences"] for line in fh if line.strip()]


def _gum_dictionary() -> actors.ActorDictionary:
    """Actors named in the GUM articles (their annotated names), one entry per distinct form."""
    path = SHARED / "data" / "gum_news" / "gum_news.jsonl"
    kinds = {"person": "person", "organization": "organisation", "place": "place"}
    entries, forms = [], set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            for actor in json.loads(line).get("actors") or []:
                names = [n for n in [actor.get("name"), *(actor.get("names") or [])] if isinstance(n, str) and n.strip()]
                keys = {actors._key(" ".join(n.split())) for n in names}
                if not names or keys & forms:
                    continue
                forms |= keys
                entries.append({"name": names[0], "type": kinds.get(actor.get("type"), "other"), "aliases": names[1:]})
    return actor_dictionary(entries)


@pytest.mark.parametrize("which", ["gum actors", "project actors"])
def test_real_news_text_in_batches_equals_the_plain_reference(which):
    articles = _gum_articles()
    d = _gum_dictionary() if which == "gum actors" else load_actors(REPO / "data" / "actors.yml")
    # three batches sharing one dictionary; the third repeats the first (syndicated copies, remembered texts)
    batches = [articles[:12], articles[12:], articles[:12]]
    total = 0
    for batch in batches:
        s = _frame(batch)
        got = find_mentions(s, d)
        _same(got, _plain_find_mentions(s, d))
        total += len(got)
    if which == "gum actors":
        assert total > 100  # the check ran over real mentions
