"""Co-occurrence counts and measures on a tiny hand-computed corpus; graphs; periods."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from mediawork.cooccurrence import (
    COOCCURRENCE_COLUMNS,
    build_cooccurrence,
    cooccurrence_by_period,
    cooccurrence_graph,
    graph_measures,
)
from mediawork.errors import DataError, ParameterError

# article a: s0 Putin+Trump (paragraph 0), s1 Trump (paragraph 0), s2 nobody (paragraph 1)
# article b: s0 Putin+Trump (paragraph 0), s1 Zelensky (paragraph 1)
SENTENCES = pd.DataFrame(
    {
        "article_id": ["a", "a", "a", "b", "b"],
        "paragraph_id": [0, 0, 1, 0, 1],
        "sentence_id": [0, 1, 2, 0, 1],
        "text": ["Putin called Trump.", "Trump listened.", "Nothing else.", "Putin and Trump met.", "Zelensky waited."],
    }
)
MENTIONS = pd.DataFrame(
    {
        "article_id": ["a", "a", "a", "a", "b", "b", "b"],
        "sentence_id": [0, 0, 0, 1, 0, 0, 1],
        "actor": ["Putin", "Trump", "Trump", "Trump", "Putin", "Trump", "Zelensky"],
    }
)


def _pair(df: pd.DataFrame, a: str, b: str) -> dict:
    row = df[(df["actor_a"] == a) & (df["actor_b"] == b)]
    assert len(row) == 1, f"pair {a}-{b} not found in {df[['actor_a', 'actor_b']].values.tolist()}"
    return row.iloc[0].to_dict()


@pytest.mark.parametrize(
    ("window", "with_sentences", "pair", "expected"),
    [
        # N = 5 sentences; n(Putin)=2, n(Trump)=3, n(both)=2
        ("sentence", True, ("Putin", "Trump"), dict(sentences=2, articles=2, pmi=math.log2(10 / 6), npmi=math.log2(10 / 6) / -math.log2(2 / 5), jaccard=2 / 3)),
        # without the sentences frame N = 4 sentences holding a mention
        ("sentence", False, ("Putin", "Trump"), dict(sentences=2, articles=2, pmi=math.log2(8 / 6), npmi=math.log2(8 / 6) / -math.log2(2 / 4), jaccard=2 / 3)),
        # N = 4 paragraphs; n(Putin)=2, n(Trump)=2, n(both)=2
        ("paragraph", True, ("Putin", "Trump"), dict(sentences=2, articles=2, pmi=1.0, npmi=1.0, jaccard=1.0)),
        # N = 2 articles: both in every article -> npmi defined as 1
        ("article", True, ("Putin", "Trump"), dict(sentences=2, articles=2, pmi=0.0, npmi=1.0, jaccard=1.0)),
        ("article", True, ("Trump", "Zelensky"), dict(sentences=1, articles=1, pmi=0.0, npmi=0.0, jaccard=0.5)),
    ],
)
def test_hand_computed_measures(window, with_sentences, pair, expected):
    df = build_cooccurrence(MENTIONS, sentences=SENTENCES if with_sentences else None, window=window, min_count=1)
    got = _pair(df, *pair)
    assert got["window"] == window
    for key, value in expected.items():
        assert got[key] == pytest.approx(value), key


@pytest.mark.parametrize(("min_count", "pairs"), [(1, 3), (2, 1), (3, 0)])
def test_min_count_filters_pairs(min_count, pairs):
    df = build_cooccurrence(MENTIONS, sentences=SENTENCES, window="article", min_count=min_count)
    assert len(df) == pairs
    assert list(df.columns) == list(COOCCURRENCE_COLUMNS)


def test_pairs_are_ordered_sorted_and_inputs_untouched():
    before = MENTIONS.copy()
    df = build_cooccurrence(MENTIONS.sample(frac=1, random_state=3), sentences=SENTENCES, window="article", min_count=1)
    pd.testing.assert_frame_equal(MENTIONS, before)
    assert (df["actor_a"] < df["actor_b"]).all()
    assert df[["actor_a", "actor_b"]].values.tolist() == [["Putin", "Trump"], ["Putin", "Zelensky"], ["Trump", "Zelensky"]]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(window="page"), ParameterError, "expected one of"),
        (dict(window="paragraph"), ParameterError, "needs the sentences frame"),
        (dict(min_count=0), ParameterError, "at least 1"),
        (dict(sentences=SENTENCES.drop(columns="paragraph_id"), window="paragraph"), DataError, r"lacks column\(s\) \['paragraph_id'\]; found columns \[(?:(?!paragraph_id)[^\]])*\]"),
    ],
)
def test_bad_options_are_explained(kwargs, error, message):
    with pytest.raises(error, match=message):
        build_cooccurrence(MENTIONS, **kwargs)


def test_no_pairs_gives_an_empty_frame_with_columns():
    df = build_cooccurrence(MENTIONS[MENTIONS["actor"] == "Trump"], min_count=1)
    assert df.empty and list(df.columns) == list(COOCCURRENCE_COLUMNS)


def test_graph_and_measures_are_deterministic():
    cooc = build_cooccurrence(MENTIONS, sentences=SENTENCES, window="article", min_count=1)
    g = cooccurrence_graph(cooc, weight="sentences")
    assert sorted(g.nodes) == ["Putin", "Trump", "Zelensky"]
    assert g["Putin"]["Trump"]["weight"] == 2.0 and g["Putin"]["Trump"]["npmi"] == pytest.approx(1.0)
    first, second = graph_measures(g, seed=1), graph_measures(g, seed=1)
    pd.testing.assert_frame_equal(first, second)
    trump = first.set_index("actor").loc["Trump"]
    assert trump["weighted_degree"] == 3.0 and trump["degree"] == 2
    assert first["actor"].tolist() == ["Putin", "Trump", "Zelensky"]  # ties broken by name
    assert set(first["community"]) <= {0, 1, 2}


def test_betweenness_of_a_bridge():
    g = nx.Graph()
    g.add_edge("A", "B", weight=1.0)
    g.add_edge("B", "C", weight=1.0)
    m = graph_measures(g).set_index("actor")
    assert m.loc["B", "betweenness"] == 1.0 and m.loc["A", "betweenness"] == 0.0


def test_graph_rejects_a_text_weight():
    cooc = build_cooccurrence(MENTIONS, min_count=1)
    with pytest.raises(ParameterError, match="numeric"):
        cooccurrence_graph(cooc, weight="window")


def test_empty_graph_gives_empty_measures():
    assert graph_measures(nx.Graph()).empty


def test_by_period_splits_articles_by_week_and_drops_undated():
    articles = pd.DataFrame({"article_id": ["a", "b"], "published": pd.to_datetime(["2025-03-11T10:00Z", "2025-03-19T10:00Z"])})
    df = cooccurrence_by_period(MENTIONS, SENTENCES, articles, freq="W")
    weeks = df.groupby("period")["sentences"].sum()
    assert [str(p.date()) for p in weeks.index] == ["2025-03-10", "2025-03-17"]
    assert _pair(df[df["period"] == weeks.index[0]], "Putin", "Trump")["pmi"] == pytest.approx(math.log2(3 * 1 / (1 * 2)))
    undated = articles.assign(published=pd.to_datetime([None, "2025-03-19T10:00Z"], utc=True))
    assert cooccurrence_by_period(MENTIONS, SENTENCES, undated)["period"].nunique() == 1
    with pytest.raises(ParameterError, match="not a period frequency"):
        cooccurrence_by_period(MENTIONS, SENTENCES, articles, freq="fortnightly")


# ----------------------------------------------------------------------------- windows from factorised keys


@pytest.mark.parametrize(
    ("sentence_rows", "expected"),
    [
        # a sentence listed twice takes its first row's paragraph; N counts both paragraphs
        ([("a", 0, 0), ("a", 0, 1)], dict(sentences=1, pmi=1.0)),
        ([("a", 0, 1), ("a", 0, 0), ("a", 1, 0)], dict(sentences=1, pmi=1.0)),
        # article ids compare as texts: 1 and "1" are one article
        ([(1, 0, 0), ("1", 1, 1)], dict(sentences=1, pmi=1.0)),
    ],
)
def test_paragraph_of_a_sentence_listed_twice_is_its_first(sentence_rows, expected):
    sentences = pd.DataFrame(sentence_rows, columns=["article_id", "sentence_id", "paragraph_id"])
    mentions = pd.DataFrame({"article_id": ["a" if sentence_rows[0][0] == "a" else "1"] * 2, "sentence_id": [0, 0], "actor": ["Putin", "Trump"]})
    got = _pair(build_cooccurrence(mentions, sentences=sentences, window="paragraph", min_count=1), "Putin", "Trump")
    for key, value in expected.items():
        assert got[key] == pytest.approx(value), key


@pytest.mark.parametrize(
    ("mentions", "message"),
    [
        (pd.DataFrame({"article_id": ["a", None], "sentence_id": [0, 0], "actor": ["Putin", "Trump"]}), r"1 mention\(s\) have no article_id"),
        (pd.DataFrame({"article_id": ["a", "z"], "sentence_id": [0, 7], "actor": ["Putin", "Trump"]}), r"1 mention\(s\) refer to sentences missing .* article 'z', sentence 7"),
    ],
)
def test_mentions_that_cannot_be_placed_are_explained(mentions, message):
    with pytest.raises(DataError, match=message):
        build_cooccurrence(mentions, sentences=SENTENCES, window="paragraph", min_count=1)


def test_article_window_needs_only_the_article_ids_of_the_sentences():
    full = build_cooccurrence(MENTIONS, sentences=SENTENCES, window="article", min_count=1)
    only_ids = build_cooccurrence(MENTIONS, sentences=SENTENCES[["article_id"]], window="article", min_count=1)
    pd.testing.assert_frame_equal(only_ids, full, check_exact=True)


def test_actor_names_order_by_code_point_like_the_sort():
    m = pd.DataFrame({"article_id": ["a"] * 4, "sentence_id": [0] * 4, "actor": ["Ärzte", "kremlin", "Zelensky", "NATO"]})
    df = build_cooccurrence(m, min_count=1)
    assert (df["actor_a"] < df["actor_b"]).all()
    assert df[["actor_a", "actor_b"]].values.tolist()[:3] == [["NATO", "Zelensky"], ["NATO", "kremlin"], ["NATO", "Ärzte"]]
