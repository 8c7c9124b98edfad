"""The fast paths of cooccurrence_counts give exactly the counts of the plain definitions.

``_windows`` keys sentence and paragraph windows by arithmetic instead of dense codes
(checked against ``_windows(..., dense=True)``), ``_pair_totals`` counts windows and articles of
every pair with one sort (against ``_pair_totals_slow``), and the frame is built by
taking from small string arrays (against the frame built from Python lists, as first
written). ``window_counts`` counts several windows sharing their common work (checked
against each window counted alone). Edge cases by hand, random inputs, and real
mentions of real news text.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediawork import cooccurrence
from mediawork.actors import actor_dictionary, find_mentions
from mediawork.cooccurrence import COUNT_COLUMNS, WINDOWS, build_cooccurrence, cooccurrence_counts, window_counts
from mediawork.errors import ParameterError

from .conftest import SHARED


def _counts_reference(mentions: pd.DataFrame, sentences: pd.DataFrame | None, window: str) -> pd.DataFrame:
    """cooccurrence_counts as first written: dense window codes, two sorts, columns from Python lists."""
    aw = cooccurrence._windows(mentions, sentences, window, dense=True)
    n_actors = len(aw.names)
    n_of = np.bincount(aw.actor, minlength=n_actors)
    left, right = cooccurrence._pairs_within_windows(aw.window)
    pair = aw.actor[left] * n_actors + aw.actor[right]
    pairs, n_windows_of_pair, n_articles_of_pair = cooccurrence._pair_totals_slow(pair, aw.article[left])
    seen = np.flatnonzero(n_of)
    names = aw.names
    a, b = pairs // max(n_actors, 1), pairs % max(n_actors, 1)
    return pd.DataFrame(
        {
            "window": pd.array([window] * (1 + len(seen) + len(pairs)), dtype="string"),
            "kind": pd.array(["windows"] + ["actor"] * len(seen) + ["pair"] * len(pairs), dtype="string"),
            "actor_a": pd.array([""] + list(names[seen]) + list(names[a]), dtype="string"),
            "actor_b": pd.array([""] * (1 + len(seen)) + list(names[b]), dtype="string"),
            "count": np.concatenate([[aw.n_windows], n_of[seen], n_windows_of_pair]).astype("int64"),
            "articles": np.concatenate([np.zeros(1 + len(seen), dtype=np.int64), n_articles_of_pair]).astype("int64"),
        },
        columns=list(COUNT_COLUMNS),
    )


def _same_counts(mentions: pd.DataFrame, sentences: pd.DataFrame | None, window: str) -> pd.DataFrame:
    got = cooccurrence_counts(mentions, sentences=sentences, window=window)
    expected = _counts_reference(mentions, sentences, window)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes) == list(expected.dtypes)
    return got


def _mentions(rows: list[tuple[str, int, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "actor"]).astype({"article_id": "string", "actor": "string"})


def _sentences(rows: list[tuple[str | None, int, int | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": pd.array([r[0] for r in rows], dtype="string"),
            "sentence_id": np.array([r[1] for r in rows], dtype=np.int64),
            "paragraph_id": pd.array([r[2] for r in rows], dtype="Int64"),
        }
    )


BIG = 2**62  # sentence numbers this far apart cannot be keyed by arithmetic: the dense-code fallback


@pytest.mark.parametrize(
    ("mention_rows", "sentence_rows"),
    [
        ([], [("a", 0, 0)]),
        ([("a", 0, "Putin")], None),
        ([("a", 0, "Putin"), ("a", 0, "Trump"), ("a", 1, "Trump"), ("b", 0, "Trump")], None),
        ([("a", 0, "Putin"), ("a", 0, "Trump"), ("a", 0, "Putin")], [("a", 0, 0), ("a", 1, 0), ("b", 0, 0)]),
        ([("a", -3, "Putin"), ("a", -3, "Trump"), ("a", 7, "Trump")], [("a", -3, 0), ("a", 7, 1), ("a", 8, 1)]),
        ([("a", 0, "Putin"), ("a", BIG, "Trump"), ("a", -BIG, "Putin"), ("a", BIG, "Putin")], [("a", 0, 0), ("a", BIG, 0), ("a", -BIG, 2)]),
        ([("a", 0, "Putin"), ("a", 0, None), ("b", 0, "NATO"), ("b", 0, "Ärzte")], [("a", 0, 0), ("b", 0, 5), (None, 0, 0), ("c", 4, None)]),
        ([("é", 2, "Zelensky"), ("e", 2, "Zelensky"), ("é", 2, "kremlin")], [("é", 2, 9), ("e", 2, 9)]),
    ],
)
@pytest.mark.parametrize("window", WINDOWS)
def test_counts_equal_the_first_definition_on_edge_cases(mention_rows, sentence_rows, window):
    mentions = _mentions(mention_rows)
    sentences = None if sentence_rows is None else _sentences(sentence_rows)
    if window == "paragraph" and sentences is None:
        with pytest.raises(ParameterError, match="needs the sentences frame"):
            cooccurrence_counts(mentions, sentences=None, window=window)
        return
    got = _same_counts(mentions, sentences, window)
    assert got["count"].iloc[0] >= 0 and (got["kind"] == "windows").sum() == 1


_sentence_rows = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c", "é"]), st.one_of(st.integers(-3, 6), st.sampled_from([BIG, -BIG])), st.integers(0, 3)),
    min_size=1,
    max_size=30,
)
_mention_rows = st.lists(st.tuples(st.integers(0, 29), st.sampled_from(["Putin", "Trump", "Zelensky", "Ärzte", "NATO", "kremlin", None])), max_size=50)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_sentence_rows, _mention_rows, st.sampled_from(WINDOWS), st.booleans())
def test_counts_equal_the_first_definition_on_random_windows(sentence_rows, mention_rows, window, with_sentences):
    picked = [(sentence_rows[i % len(sentence_rows)], actor) for i, actor in mention_rows]
    mentions = _mentions([(r[0], r[1], actor) for r, actor in picked])
    sentences = _sentences(sentence_rows)
    _same_counts(mentions, sentences if with_sentences or window == "paragraph" else None, window)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6)), max_size=120))
def test_pair_totals_equal_two_sorts(occurrences):
    pair = np.array([p for p, _ in occurrences], dtype=np.int64)
    article = np.array([a for _, a in occurrences], dtype=np.int64)
    for got, expected in zip(cooccurrence._pair_totals(pair, article, one_window_per_article=False), cooccurrence._pair_totals_slow(pair, article)):
        np.testing.assert_array_equal(got, expected)
        assert got.dtype == np.int64


@pytest.mark.parametrize(
    ("a", "b", "room", "dense"),
    [
        ([0, 0, 1, 1], [5, 6, 5, 5], 10, False),
        ([0, 1, 2], [-(2**40), 0, 2**40], 2**30, True),  # would not fit: dense codes
        ([3, 3], [BIG, -BIG], 1, True),
        ([], [], 5, False),
    ],
)
def test_pair_keys_are_equal_exactly_when_the_pairs_are_and_fit(a, b, room, dense):
    a, b = np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)
    keys = cooccurrence._pair_keys(a, b, room=room)
    pairs = list(zip(a.tolist(), b.tolist()))
    assert all((keys[i] == keys[j]) == (pairs[i] == pairs[j]) for i in range(len(pairs)) for j in range(len(pairs)))
    assert all(0 <= int(k) and int(k) * room < 2**63 for k in keys.tolist())
    if dense:
        assert sorted(set(keys.tolist())) == list(range(len(set(pairs))))


def test_build_cooccurrence_is_unchanged_on_a_small_example():
    m = _mentions([("a", 0, "Putin"), ("a", 0, "Trump"), ("a", 1, "Trump"), ("b", 0, "Trump"), ("b", 0, "Putin")])
    got = build_cooccurrence(m, min_count=1)
    assert got[["actor_a", "actor_b", "sentences", "articles"]].values.tolist() == [["Putin", "Trump", 2, 2]]
    assert got["jaccard"].tolist() == [2 / 3]


# --------------------------------------------------------------------------- real text


def test_counts_of_real_mentions_equal_the_first_definition():
    path = SHARED / "data" / "gum_news" / "gum_news.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found: the real-text check needs ../shared/data/gum_news beside the repository")
    docs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    entries, names = [], set()
    for doc in docs:
        for actor in doc.get("actors") or []:
            name = actor.get("name")
            if isinstance(name, str) and name.strip() and " ".join(name.split()) not in names:
                names.add(" ".join(name.split()))
                entries.append({"name": name, "type": "other"})
    rows = [(doc["doc_id"], i, i // 3, text) for doc in docs for i, text in enumerate(doc["sentences"])]
    sentences = pd.DataFrame(rows, columns=["article_id", "sentence_id", "paragraph_id", "text"])
    mentions = find_mentions(sentences, actor_dictionary(entries))
    assert len(mentions) > 100
    for window in WINDOWS:
        _same_counts(mentions, sentences, window)
        _same_counts(mentions, None, window) if window != "paragraph" else None


# --------------------------------------------------------------------------- several windows at once


def _same_as_one_window_at_a_time(mentions: pd.DataFrame, sentences: pd.DataFrame | None, windows: tuple[str, ...]) -> pd.DataFrame:
    """window_counts shares the work of its windows: its rows must be each window's own counts, in order."""
    got = window_counts(mentions, sentences=sentences, windows=windows)
    expected = pd.concat([cooccurrence_counts(mentions, sentences=sentences, window=w) for w in windows], ignore_index=True)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes) == list(expected.dtypes)
    return got


@pytest.mark.parametrize(
    ("mention_rows", "sentence_rows"),
    [
        ([], [("a", 0, 0)]),
        ([("a", 0, "Putin"), ("a", 0, "Trump"), ("a", 1, "Trump"), ("b", 0, "Trump")], [("a", 0, 0), ("a", 1, 1), ("b", 0, 0)]),
        ([("a", -3, "Putin"), ("a", -3, "Trump"), ("a", 7, "Trump")], [("a", -3, 0), ("a", 7, 1), ("a", 8, 1)]),
        ([("a", 0, "Putin"), ("a", BIG, "Trump"), ("a", -BIG, "Putin"), ("a", BIG, "Putin")], [("a", 0, 0), ("a", BIG, 0), ("a", -BIG, 2)]),
        ([("a", 0, "Putin"), ("a", 0, None), ("b", 0, "NATO"), ("b", 0, "Ärzte")], [("a", 0, 0), ("b", 0, 5), (None, 0, 0), ("c", 4, None)]),
        ([("é", 2, "Zelensky"), ("e", 2, "Zelensky"), ("é", 2, "kremlin")], [("é", 2, 9), ("e", 2, 9)]),
    ],
)
@pytest.mark.parametrize("windows", [WINDOWS, ("article", "sentence"), ("paragraph",), ("sentence", "sentence")])
def test_window_counts_equal_each_window_counted_alone(mention_rows, sentence_rows, windows):
    got = _same_as_one_window_at_a_time(_mentions(mention_rows), _sentences(sentence_rows), windows)
    assert got["window"].tolist().count(windows[0]) >= 1 and (got["kind"] == "windows").sum() == len(windows)


@pytest.mark.parametrize("windows", [("sentence", "article"), ("article",)])
def test_window_counts_without_sentences_equal_each_window_counted_alone(windows):
    mentions = _mentions([("a", 0, "Putin"), ("a", 0, "Trump"), ("a", 2, "Trump"), ("b", 0, "Trump"), ("b", 0, "Putin")])
    got = _same_as_one_window_at_a_time(mentions, None, windows)
    assert got.loc[got["kind"] == "windows", "count"].tolist() == [{"sentence": 3, "article": 2}[w] for w in windows]


def test_window_counts_check_the_paragraph_window_like_a_single_window():
    with pytest.raises(ParameterError, match="needs the sentences frame"):
        window_counts(_mentions([("a", 0, "Putin")]), sentences=None, windows=("sentence", "paragraph"))
    with pytest.raises(ParameterError, match="expected one of"):
        window_counts(_mentions([("a", 0, "Putin")]), windows=("sentence", "chapter"))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(_sentence_rows, _mention_rows, st.booleans())
def test_window_counts_equal_each_window_counted_alone_on_random_windows(sentence_rows, mention_rows, with_sentences):
    picked = [(sentence_rows[i % len(sentence_rows)], actor) for i, actor in mention_rows]
    mentions = _mentions([(r[0], r[1], actor) for r, actor in picked])
    if with_sentences:
        _same_as_one_window_at_a_time(mentions, _sentences(sentence_rows), WINDOWS)
    else:
        _same_as_one_window_at_a_time(mentions, None, ("sentence", "article"))


def test_window_counts_of_real_mentions_equal_each_window_counted_alone():
    path = SHARED / "data" / "gum_news" / "gum_news.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found: the real-text check needs ../shared/data/gum_news beside the repository")
    docs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    entries = [{"name": n, "type": "other"} for n in sorted({" ".join(a["name"].split()) for d in docs for a in d.get("actors") or []
                                                             if isinstance(a.get("name"), str) and a["name"].strip()})]
    rows = [(doc["doc_id"], i, i // 3, text) for doc in docs for i, text in enumerate(doc["sentences"])]
    sentences = pd.DataFrame(rows, columns=["article_id", "sentence_id", "paragraph_id", "text"])
    mentions = find_mentions(sentences, actor_dictionary(entries))
    assert len(mentions) > 100
    got = _same_as_one_window_at_a_time(mentions, sentences, WINDOWS)
    assert set(got["window"]) == set(WINDOWS)
