"""profile: selections, keyness groups and one actor's profile, as small tables of tiny inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from mediawork import actors, profile
from mediawork.errors import DataError, ParameterError

ARTICLES = pd.DataFrame(
    {
        "article_id": ["a1", "a2", "a3", "a4"],
        "source": ["river.example", "river.example", "hill.example", "lake.example"],
        "outlet": ["river.example", "Wire Service", "hill.example", "lake.example"],
        "published": pd.to_datetime(["2025-03-03 08:00", "2025-03-05 23:30", "2025-03-18 09:00", "2025-03-20 12:00"], utc=True),
    }
)
SENTENCES = pd.DataFrame(
    {
        "article_id": ["a1", "a1", "a2", "a3", "a4"],
        "paragraph_id": [0, 1, 0, 0, 0],
        "sentence_id": [0, 1, 0, 0, 0],
        "text": [
            "Mayor Asha Rao opened the new ferry pier.",
            "Rao thanked the harbour crews.",
            "Ben Okafor said the ferry fares would rise.",
            "Asha Rao and Ben Okafor argued over tolls.",
            "The bridge stayed closed.",
        ],
        "compound": [0.4, 0.6, -0.2, -0.5, 0.0],
    }
)
MENTIONS = pd.DataFrame(
    {
        "article_id": ["a1", "a1", "a2", "a3", "a3"],
        "sentence_id": [0, 1, 0, 0, 0],
        "actor": ["Asha Rao", "Asha Rao", "Ben Okafor", "Asha Rao", "Ben Okafor"],
        "start": [6, 0, 0, 0, 13],
        "end": [14, 3, 10, 8, 23],
    }
)
DICTIONARY = actors.actor_dictionary(
    [
        {"name": "Asha Rao", "type": "person", "aliases": ["Rao"], "titles": ["the mayor"]},
        {"name": "Ben Okafor", "type": "person"},
        {"name": "Li Wei", "type": "person"},
    ]
)


def test_of_articles_keeps_the_rows_of_the_selection_only():
    rows = profile.of_articles(SENTENCES, ARTICLES[ARTICLES["source"] == "river.example"])
    assert rows["article_id"].tolist() == ["a1", "a1", "a2"]
    assert len(SENTENCES) == 5


@pytest.mark.parametrize(
    ("tables", "expected"),
    [
        ({"sentences.parquet": SENTENCES}, ""),
        ({"sentences.parquet": SENTENCES.head(0)}, "sentences.parquet holds no rows for the 4 selected articles: run `mediawork analyze --data d` and run this report again."),
        ({"terms.parquet": SENTENCES.head(0), "sentences.parquet": SENTENCES.head(0)}, "terms.parquet and sentences.parquet hold no rows"),
    ],
)
def test_analysis_gap_names_the_missing_tables_and_the_command(tables, expected):
    message = profile.analysis_gap(ARTICLES, tables, data_dir="d")
    assert message.startswith(expected) if expected else message == ""


def test_analysis_gap_is_silent_for_an_empty_selection():
    assert profile.analysis_gap(ARTICLES.head(0), {"sentences.parquet": SENTENCES.head(0)}) == ""


# --------------------------------------------------------------------------- groups


@pytest.mark.parametrize(
    ("group_a", "group_b", "a_ids", "b_ids"),
    [
        ("date<2025-03-18", "", ("a1", "a2"), ("a3", "a4")),
        ("date<=2025-03-18", "", ("a1", "a2", "a3"), ("a4",)),
        ("date>2025-03-05", "date<2025-03-05", ("a3", "a4"), ("a1",)),
        ("date:2025-03-05", "", ("a2",), ("a1", "a3", "a4")),
        ("date=2025-03-05", "", ("a2",), ("a1", "a3", "a4")),
        ("date:2025-03-01..2025-03-18", "lake.example", ("a1", "a2", "a3"), ("a4",)),
        ("river.example", "", ("a1", "a2"), ("a3", "a4")),
        ("Wire Service, hill.example", "lake.example", ("a2", "a3"), ("a4",)),
        ("", "lake.example", ("a1", "a2", "a3"), ("a4",)),
        ("", "", ("a1", "a2"), ("a3", "a4")),
    ],
)
def test_split_groups_reads_dates_ranges_and_sources(group_a, group_b, a_ids, b_ids):
    split = profile.split_groups(ARTICLES, group_a, group_b)
    assert (split.a_ids, split.b_ids, split.ok) == (a_ids, b_ids, True)


def test_articles_in_both_groups_are_left_out_of_both():
    split = profile.split_groups(ARTICLES, "river.example", "date<2025-03-04")
    assert (split.a_ids, split.b_ids) == (("a2",), ())
    assert "1 articles fall in both groups" in split.message and "Group B is empty" in split.message
    assert not split.ok


def test_an_empty_group_lists_the_sources_to_choose_from():
    split = profile.split_groups(ARTICLES, "nowhere.example")
    assert not split.ok
    assert "hill.example, lake.example, river.example" in split.message


@pytest.mark.parametrize(("spec", "fragment"), [("date<tomorrow", "is not an ISO date"), ("date<2025-03-01..2025-03-05", "written with ':'"), ("dates after march", "not a date condition")])
def test_a_bad_date_condition_raises_a_parameter_error(spec, fragment):
    with pytest.raises(ParameterError, match=fragment):
        profile.split_groups(ARTICLES, spec)


def test_one_publication_day_cannot_be_split_by_default():
    split = profile.split_groups(ARTICLES.head(1), "", "")
    assert not split.ok and "set group_a and group_b" in split.message


TERMS = pd.DataFrame(
    {"article_id": ["a1", "a1", "a3", "a3", "a4"], "term": ["ferry", "pier", "ferry", "tolls", "tolls"], "n": [1, 1, 1, 1, 1], "count": [6, 1, 1, 5, 3]}
)


def test_compare_groups_keeps_terms_seen_often_enough():
    split = profile.GroupSplit(("a1",), ("a3", "a4"), "A", "B", "")
    table = profile.compare_groups(TERMS, split, min_count=2)
    assert table["term"].tolist() == ["ferry", "tolls"]
    assert table.set_index("term").loc["ferry", "g2"] > 0 > table.set_index("term").loc["tolls", "g2"]


@pytest.mark.parametrize("split", [profile.GroupSplit((), ("a3",), "A", "B", ""), profile.GroupSplit(("a2",), ("a3",), "A", "B", "")])
def test_compare_groups_is_empty_when_a_group_has_no_terms(split):
    table = profile.compare_groups(TERMS, split)
    assert table.empty and list(table.columns) == ["term", "target_count", "reference_count", "g2", "log_ratio", "p"]


# --------------------------------------------------------------------------- actor


@pytest.mark.parametrize(
    ("name", "actor", "fragment"),
    [
        ("Asha Rao", "Asha Rao", "Asha Rao: 3 mentions in 2 articles"),
        ("  asha   RAO ", "Asha Rao", "Asha Rao: 3 mentions"),
        ("the mayor", "Asha Rao", "Asha Rao: 3 mentions"),
        ("Li Wei", None, "Li Wei is in the actor dictionary but is never mentioned in this selection. Set actor to one of the most mentioned: Asha Rao, Ben Okafor."),
        ("Nobody", None, "No actor named 'Nobody' in the actor dictionary or the mentions."),
    ],
)
def test_find_actor_resolves_names_aliases_and_says_what_went_wrong(name, actor, fragment):
    lookup = profile.find_actor(name, MENTIONS, dictionary=DICTIONARY)
    assert lookup.actor == actor
    assert fragment in lookup.message


def test_find_actor_in_an_empty_selection_says_no_actor_is_mentioned():
    assert "No actor is mentioned in this selection at all" in profile.find_actor("Asha Rao", MENTIONS.head(0)).message


def test_actor_timeline_counts_weeks_including_quiet_ones():
    timeline = profile.actor_timeline(MENTIONS, ARTICLES, "Asha Rao", freq="W")
    assert timeline["period"].dt.strftime("%Y-%m-%d").tolist() == ["2025-03-03", "2025-03-10", "2025-03-17"]
    assert timeline[["mentions", "articles", "published"]].values.tolist() == [[2, 1, 2], [0, 0, 0], [1, 1, 2]]


@pytest.mark.parametrize("call", [
    lambda: profile.actor_timeline(MENTIONS, ARTICLES, None),
    lambda: profile.actor_sources(MENTIONS, ARTICLES, None),
    lambda: profile.actor_sentiment_by(SENTENCES, MENTIONS, ARTICLES, None),
    lambda: profile.actor_kwic(SENTENCES, MENTIONS, None, articles=ARTICLES),
    lambda: profile.actor_partners(pd.DataFrame({c: [] for c in ("actor_a", "actor_b", "sentences", "articles", "pmi", "npmi", "jaccard")}), "Asha Rao"),
])
def test_an_unknown_actor_gives_empty_tables_not_errors(call):
    table = call()
    assert table["mentions"].sum() == 0 if "mentions" in table and "period" in table else table.empty


def test_actor_sources_gives_articles_mentions_and_share_per_source():
    table = profile.actor_sources(MENTIONS, ARTICLES, "Asha Rao")
    assert table.values.tolist() == [["river.example", 1, 2, 0.5], ["hill.example", 1, 1, 1.0]]


def test_actor_sentiment_by_source_scores_each_sentence_once():
    table = profile.actor_sentiment_by(SENTENCES, MENTIONS, ARTICLES, "Asha Rao")
    assert table[["source", "n_sentences", "compound_mean"]].values.tolist() == [["river.example", 2, 0.5], ["hill.example", 1, -0.5]]


def test_actor_summary_compares_the_actor_with_every_sentence():
    table = profile.actor_summary(SENTENCES, MENTIONS, "Ben Okafor")
    assert table["actor"].tolist() == ["Ben Okafor", "(all sentences of the selection)"]
    assert table["compound_mean"].round(2).tolist() == [-0.35, 0.06]


def test_actor_partners_lists_the_other_side_of_each_pair():
    cooc = pd.DataFrame({"actor_a": ["Asha Rao", "Ben Okafor"], "actor_b": ["Ben Okafor", "Li Wei"], "sentences": [3, 1], "articles": [2, 1], "pmi": [1.0, 0.0], "npmi": [0.5, 0.0], "jaccard": [0.4, 0.1]})
    assert profile.actor_partners(cooc, "Ben Okafor")["partner"].tolist() == ["Asha Rao", "Li Wei"]


def test_actor_kwic_shows_each_mention_as_written_in_publication_order():
    lines = profile.actor_kwic(SENTENCES, MENTIONS, "Asha Rao", articles=ARTICLES, window=2)
    assert lines[["day", "left", "mention", "right"]].values.tolist() == [
        ["2025-03-03", "Mayor", "Asha Rao", "opened the"],
        ["2025-03-03", "", "Rao", "thanked the"],
        ["2025-03-18", "", "Asha Rao", "and Ben"],
    ]


def test_kwic_examples_takes_the_first_lines_of_each_word():
    lines = profile.kwic_examples(SENTENCES, ["ferry", "bridge"], articles=ARTICLES, per_word=1, window=1)
    assert lines[["term", "day", "left", "keyword", "right"]].values.tolist() == [["ferry", "2025-03-03", "new", "ferry", "pier."], ["bridge", "2025-03-20", "The", "bridge", "stayed"]]


def test_kwic_examples_of_no_words_is_an_empty_table():
    assert profile.kwic_examples(SENTENCES, []).empty


def test_inputs_are_not_modified():
    before = [df.copy() for df in (ARTICLES, SENTENCES, MENTIONS)]
    profile.actor_kwic(SENTENCES, MENTIONS, "Asha Rao", articles=ARTICLES)
    profile.actor_sources(MENTIONS, ARTICLES, "Asha Rao")
    profile.split_groups(ARTICLES, "date<2025-03-18")
    for old, new in zip(before, (ARTICLES, SENTENCES, MENTIONS), strict=True):
        pd.testing.assert_frame_equal(old, new)


def test_a_missing_column_raises_a_data_error_naming_it():
    with pytest.raises(DataError, match=r"lacks column\(s\) \['published'\]; found columns \[(?:(?!published)[^\]])*\]"):
        profile.actor_timeline(MENTIONS, ARTICLES.drop(columns="published"), "Asha Rao")
