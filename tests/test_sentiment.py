"""Specification of mediawork.sentiment: NLTK-identical VADER, overrides, and the aggregates."""

from __future__ import annotations

import math
import string
from pathlib import Path

import nltk
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nltk.sentiment.vader import SentimentIntensityAnalyzer, SentiText, VaderConstants

from mediawork import schema, sentiment
from mediawork.errors import DataError, ParameterError
from mediawork.sentiment import (
    Analyzer,
    actor_sentiment,
    article_sentiment,
    lexicon_source,
    load_analyzer,
    score_sentences,
    sentiment_by,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
NLTK_DATA = SHARED / "nltk_data"
GROUNDTRUTH = SHARED / "data" / "vader_groundtruth"

# Written for these tests: each line exercises one of VADER's rules.
SENTENCES = [
    "The council approved the new budget.",
    "The plan is good.",
    "The plan is not good.",
    "The plan isn't good at all.",
    "The plan is GOOD, the vote was close.",
    "The plan is VERY good.",
    "The plan is very good!!!",
    "The plan is very good!!!!!!",
    "Is the plan good??",
    "Is the plan good???? Nobody knows.",
    "No deal was reached, and no agreement is near.",
    "There was no progress and no hope.",
    "Never so happy to see a vote fail.",
    "He was never this proud of the team.",
    "The talks were kind of useful.",
    "The talks were sort of a failure.",
    "The result was kinda disappointing.",
    "The minister was barely polite.",
    "Officials were least happy about the delay.",
    "At least the mayor was honest.",
    "The offer was generous, but the terms were harsh.",
    "The offer was harsh but fair.",
    "Yeah right, as if that will work.",
    "The new coach can cut the mustard.",
    "That ruling was the kiss of death for the bill.",
    "Families live hand to mouth in the valley.",
    'The report called the outcome "excellent".',
    "Critics called it 'a disaster'.",
    "The word (terrible) appeared twice.",
    "Good, good, good: the numbers are up.",
    "Bad news, bad timing, bad luck.",
    "Great!!! Thanks so much :)",
    "Not great :( but we will try again.",
    "That was fun :-) and easy :D",
    "lol that was a mess :P",
    "I love this city \u2764\ufe0f and its people \U0001f600",
    "The storm left the town in ruins \U0001f622",
    "WAR AND PEACE",
    "The ARMY launched an attack at dawn.",
    "Troops withdrew; a ceasefire holds.",
    "The cease-fire was broken within hours.",
    "\u201cHorrible,\u201d said the judge \u2014 \u201ctruly horrible.\u201d",
    "She said it wasn't a bad idea, honestly.",
    "Prices didn't rise much, which helped.",
    "The summit ended without a deal...",
    "Some hearts were broken; the heart of the city stayed strong.",
    "The flawed design was badass anyway.",
    "#sad #angry protesters gathered",
    "The team won 3-0 and fans celebrated.",
    "Losses of $2.5 billion shocked investors!",
    "",
    "!!!",
    "a",
]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def nltk_path_with_shared():
    """nltk.data.path with ../shared/nltk_data first; restored afterwards."""
    if not (NLTK_DATA / "sentiment" / "vader_lexicon.zip").is_file():
        pytest.skip(f"NLTK's vader_lexicon not found under {NLTK_DATA}: the NLTK-equality checks need ../shared/nltk_data")
    saved = list(nltk.data.path)
    nltk.data.path[:] = [str(NLTK_DATA), *saved]
    yield
    nltk.data.path[:] = saved


@pytest.fixture
def nltk_path_empty(tmp_path):
    """nltk.data.path pointing only at an empty folder (no NLTK data installed); restored afterwards."""
    saved = list(nltk.data.path)
    nltk.data.path[:] = [str(tmp_path)]
    yield
    nltk.data.path[:] = saved


@pytest.fixture
def nltk_reference(nltk_path_with_shared):
    """NLTK's own analyser with NLTK's lexicon, exactly as a user with NLTK data gets it."""
    return SentimentIntensityAnalyzer()


@pytest.fixture
def fallback(nltk_path_empty):
    """Our analyser built from vaderSentiment's lexicon file."""
    analyzer = load_analyzer(lexicon="vaderSentiment")
    assert lexicon_source(analyzer) == "vaderSentiment (reconciled to NLTK)"
    return analyzer


def _stock(lexicon) -> SentimentIntensityAnalyzer:
    """NLTK's unmodified analyser class over a given lexicon (no NLTK data needed)."""
    stock = SentimentIntensityAnalyzer.__new__(SentimentIntensityAnalyzer)
    stock.lexicon = dict(lexicon)
    stock.constants = VaderConstants()
    return stock


def _read_groundtruth(name: str) -> list[tuple[str, float, str]]:
    path = GROUNDTRUTH / name
    if not path.is_file():
        pytest.skip(f"{path} not found: the ground-truth checks need ../shared/data/vader_groundtruth")
    rows = []
    for line in path.read_bytes().decode("utf-8").split("\r\n"):
        if line:
            ident, mean, text = line.split("\t")
            rows.append((ident, float(mean), text))
    return rows


# --------------------------------------------------------------------------- NLTK equality


@pytest.mark.parametrize("text", SENTENCES)
def test_fallback_scores_equal_nltk_own_analyser(text, nltk_reference, fallback):
    assert fallback.polarity_scores(text) == nltk_reference.polarity_scores(text)


@pytest.mark.parametrize(
    "name",
    [
        "nytEditorialSnippets_GroundTruth.txt",
        "tweets_GroundTruth.txt",
        "movieReviewSnippets_GroundTruth.txt",
        "amazonReviewSnippets_GroundTruth.txt",
    ],
)
def test_fallback_scores_equal_nltk_on_every_groundtruth_snippet(name, nltk_reference, fallback):
    rows = _read_groundtruth(name)
    # repr: the same floats bit for bit (repr tells -0.0 from 0.0)
    different = [
        ident for ident, _, text in rows if repr(fallback.polarity_scores(text)) != repr(nltk_reference.polarity_scores(text))
    ]
    assert len(rows) > 3000
    assert different == [], f"{len(different)} snippets score differently, e.g. {different[:5]}"


def test_nltk_data_path_equals_fallback_path(nltk_path_with_shared):
    from_nltk = load_analyzer(lexicon="nltk_data")
    auto = load_analyzer()
    from_package = load_analyzer(lexicon="vaderSentiment")
    assert lexicon_source(from_nltk) == lexicon_source(auto) == "nltk_data"
    assert dict(from_nltk.lexicon) == dict(from_package.lexicon)
    for text in SENTENCES:
        assert from_nltk.polarity_scores(text) == from_package.polarity_scores(text)


def test_reconcile_lists_exactly_the_differences_between_the_two_files(nltk_path_with_shared):
    nltk_lexicon = SentimentIntensityAnalyzer().lexicon
    raw = sentiment._parse_lexicon(
        sentiment._decode(Path(sentiment._locate_lexicon("vaderSentiment")[1]).read_bytes())
    )
    differences = {w: nltk_lexicon.get(w) for w in set(raw) | set(nltk_lexicon) if raw.get(w) != nltk_lexicon.get(w)}
    assert differences == dict(sentiment.NLTK_RECONCILE)


def test_without_nltk_data_auto_falls_back_and_nltk_data_choice_says_what_to_do(nltk_path_empty):
    assert lexicon_source(load_analyzer()) == "vaderSentiment (reconciled to NLTK)"
    with pytest.raises(ParameterError, match="not in any folder of nltk.data.path.*lexicon='auto'"):
        load_analyzer(lexicon="nltk_data")


def test_unknown_lexicon_choice_is_rejected():
    with pytest.raises(ParameterError, match="expected 'auto', 'nltk_data' or 'vaderSentiment'"):
        load_analyzer(lexicon="textblob")  # type: ignore[arg-type]


_PIECES = st.sampled_from(
    ["good", "GOOD", "bad", "not", "no", "never", "so", "this", "very", "kind", "of", "but", "BUT", "least", "at",
     "the", "a", "yeah", "right", "cut", "mustard", ":)", ":-(", ":P", ":d", "d:", "j/k", "h&k", "isn't", "n't",
     "don't", "x", "ok", "lol", "\u2764\ufe0f"]
)
_MARKS = st.sampled_from(["", "", "", ".", "!", "?", ",", "'", '"', "!!", "???", "?!?", "-", "...", ":", "(", "/", "\u201d"])


@settings(max_examples=400, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_MARKS, _PIECES, _MARKS), min_size=0, max_size=12))
def test_faster_word_splitting_gives_nltk_words_and_scores_on_generated_texts(parts):
    analyzer = load_analyzer(lexicon="vaderSentiment")
    text = " ".join(f"{before}{word}{after}" for before, word, after in parts)
    marks, strip = VaderConstants.PUNC_LIST, VaderConstants.REGEX_REMOVE_PUNCTUATION
    assert sentiment._words_and_emoticons(text) == SentiText(text, marks, strip).words_and_emoticons
    assert analyzer.polarity_scores(text) == _stock(analyzer.lexicon).polarity_scores(text)


@pytest.mark.parametrize(
    "text",
    ["", "plain words only", "U.S.-led talks: 'no' deal!", "a\tb\nc", "«quoted» — dash…", "{[(<all>)]} #@$%^&*~`|\\", "naïve café's"],
)
def test_punctuation_is_deleted_as_nltks_pattern_deletes_it(text):
    pattern = VaderConstants.REGEX_REMOVE_PUNCTUATION
    assert pattern.pattern == sentiment._REMOVE_PUNCTUATION_PATTERN  # else the fast path is not taken
    assert text.translate(sentiment._DELETE_ASCII_PUNCT) == pattern.sub("", text)


@pytest.mark.parametrize(
    "texts",
    [
        ["Good news.", "Good news.", "Bad news."],  # repeated sentences are scored once and keep their rows
        ["Good news.", None, ""],  # a missing text scores like an empty one
        [],
    ],
)
def test_score_sentences_scores_each_row_like_polarity_scores(texts):
    analyzer = load_analyzer(lexicon="vaderSentiment")
    index = [10 + i for i in range(len(texts))]  # not 0..n-1: scores must follow the rows, not positions
    frame = pd.DataFrame({"sentence_id": range(len(texts)), "text": pd.Series(texts, dtype="object", index=index)}, index=index)
    out = sentiment.score_sentences(frame, analyzer=analyzer)
    expected = [[analyzer.polarity_scores(t or "")[k] for k in ("neg", "neu", "pos", "compound")] for t in texts]
    assert out[["neg", "neu", "pos", "compound"]].values.tolist() == expected
    assert out.index.tolist() == frame.index.tolist() and out["sentence_id"].tolist() == list(range(len(texts)))


# --------------------------------------------------------------------------- overrides


def _write(tmp_path: Path, text: str, name: str = "overrides.tsv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_overrides_file_is_applied_and_reported(tmp_path):
    path = _write(tmp_path, "# neutral topic words\nword\tvalue\nwar\t0\nCeasefire\t1.5\n\n")
    analyzer = load_analyzer(overrides=path, lexicon="vaderSentiment")
    assert lexicon_source(analyzer) == f"vaderSentiment (reconciled to NLTK) + 2 overrides from {path}"
    assert "war" not in analyzer.lexicon and analyzer.lexicon["ceasefire"] == 1.5
    assert analyzer.polarity_scores("The war goes on.")["compound"] == 0.0
    assert analyzer.polarity_scores("A ceasefire was agreed.")["compound"] > 0.05
    assert load_analyzer(lexicon="vaderSentiment").polarity_scores("The war goes on.")["compound"] < -0.05


@pytest.mark.parametrize(
    ("overrides", "word", "value"),
    [
        ("truce,2\n", "truce", 2.0),
        ('"cease-fire",1\n', "cease-fire", 1.0),
        ("Stalemate\t-1.25\n", "stalemate", -1.25),
        ({"truce": 2}, "truce", 2.0),
        ({"WAR": 0}, "war", None),
    ],
)
def test_overrides_forms(tmp_path, overrides, word, value):
    if isinstance(overrides, str):
        overrides = _write(tmp_path, overrides)
    analyzer = load_analyzer(overrides=overrides, lexicon="vaderSentiment")
    assert analyzer.lexicon.get(word) == value
    assert lexicon_source(analyzer).endswith("+ 1 override from " + (str(overrides) if isinstance(overrides, Path) else "a mapping"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("war\t0\nbad line\n", r"line 2 \('bad line'\): found 1 field\(s\); expected exactly two"),
        ("war\t0\ttopic\n", r"line 1 .*found 3 field\(s\)"),
        ("# c\n\nwar\tzero\n", r"line 3 .*value 'zero' is not a number"),
        ("war\t7\n", r"line 1 .*value '7' is out of range; expected a valence between -4 and 4"),
        ("war\tnan\n", r"line 1 .*out of range"),
        ("peace talks\t1\n", r"line 1 .*contains whitespace"),
        ("\t1\n", r"line 1 .*expected a non-empty word"),
        ("war\t0\nWar\t1\n", r"line 2 .*'war' is already set on line 1"),
    ],
)
def test_bad_override_lines_are_rejected_with_their_line_number(tmp_path, text, message):
    with pytest.raises(ParameterError, match=message):
        load_analyzer(overrides=_write(tmp_path, text), lexicon="vaderSentiment")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ("missing.tsv", "was not found; expected a text file"),
        ({"war": "lots"}, "value 'lots' is not a number"),
        ({"war": True}, "out of range"),
        (["war", 0], "overrides is a list; expected a mapping"),
    ],
)
def test_bad_overrides_say_what_was_found(tmp_path, overrides, message):
    if overrides == "missing.tsv":
        overrides = tmp_path / overrides
    with pytest.raises(ParameterError, match=message):
        load_analyzer(overrides=overrides, lexicon="vaderSentiment")


def test_analyzers_are_cached_per_overrides_and_follow_file_edits(tmp_path):
    assert load_analyzer(overrides={"war": 0}) is load_analyzer(overrides={"war": 0.0})
    assert load_analyzer(overrides={"war": 0}) is not load_analyzer()
    path = _write(tmp_path, "war\t0\n")
    first = load_analyzer(overrides=path)
    path.write_text("war\t-1\n", encoding="utf-8")
    assert load_analyzer(overrides=path).lexicon["war"] == -1.0 and "war" not in first.lexicon


# --------------------------------------------------------------------------- score_sentences


def _sentences(texts, article_ids=None):
    n = len(texts)
    return pd.DataFrame(
        {
            "article_id": article_ids or ["a"] * n,
            "paragraph_id": [0] * n,
            "sentence_id": list(range(n)),
            "text": texts,
        }
    )


def test_score_sentences_adds_four_scores_and_leaves_input_alone():
    frame = _sentences(["The plan is good.", "The plan is bad.", "The plan is good."])
    frame.index = [10, 11, 12]
    before = frame.copy()
    scored = score_sentences(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert list(scored.columns) == ["article_id", "paragraph_id", "sentence_id", "text", "neg", "neu", "pos", "compound"]
    assert list(scored.index) == [10, 11, 12]
    assert set(scored.columns) <= set(schema.SENTENCES.names)
    analyzer = load_analyzer()
    for row in scored.itertuples():
        assert {k: getattr(row, k) for k in ("neg", "neu", "pos", "compound")} == analyzer.polarity_scores(row.text)
    assert scored["compound"].iloc[0] == scored["compound"].iloc[2] > 0.05 > -0.05 > scored["compound"].iloc[1]


def test_score_sentences_handles_missing_text_empty_frames_and_rescoring():
    scored = score_sentences(_sentences(["Good.", None]))
    assert scored.loc[1, ["neg", "neu", "pos", "compound"]].tolist() == [0.0, 0.0, 0.0, 0.0]
    empty = score_sentences(_sentences([]))
    assert len(empty) == 0 and list(empty.columns)[-4:] == ["neg", "neu", "pos", "compound"]
    rescored = score_sentences(scored, analyzer=load_analyzer(overrides={"good": -2}))
    assert list(rescored.columns) == list(scored.columns) and rescored.loc[0, "compound"] < 0


def test_score_sentences_without_text_column_names_what_it_found():
    with pytest.raises(DataError, match=r"lacks column\(s\) \['text'\]; found columns \['article_id', 'sentence'\]"):
        score_sentences(pd.DataFrame({"article_id": ["a"], "sentence": ["Good."]}))


# --------------------------------------------------------------------------- article level

TINY = Analyzer({"good": 1.9, "bad": -2.5, "war": -2.9, ":)": 2.0, "no": -1.2}, source="tiny test lexicon")


@pytest.mark.parametrize(
    ("text", "words", "positive", "negative"),
    [
        ("A good day.", 3, 1, 0),
        ('"Good," she said; "bad," he said.', 6, 1, 1),
        ("GOOD good Good!", 3, 3, 0),
        ("No war - no :)", 4, 1, 3),
        ("\u201cBad\u201d \u2014 really bad\u2026", 3, 0, 2),
        ("Goodness, a goodbye.", 3, 0, 0),
        ("Up 3% in 2024 ...", 4, 0, 0),
        ("", 0, 0, 0),
    ],
)
def test_tone_word_counts(text, words, positive, negative):
    assert sentiment._count_words(text, TINY.lexicon) == (words, positive, negative)


def test_article_sentiment_hand_computed():
    scored = pd.DataFrame(
        {
            "article_id": ["b", "a", "a", "a", "b"],
            "sentence_id": [0, 0, 1, 2, 1],
            "text": ["Good news.", "A good plan.", "The war goes on.", "Nothing else.", "Bad bad war."],
            "compound": [0.05, 0.4, -0.05, 0.0, -0.049],
        }
    )
    before = scored.copy()
    result = article_sentiment(scored, analyzer=TINY)
    pd.testing.assert_frame_equal(scored, before)
    assert list(result.columns) == ["article_id", "n_sentences", "compound_mean", "share_positive", "share_negative", "tone"]
    assert result["article_id"].tolist() == ["a", "b"]
    assert result["n_sentences"].tolist() == [3, 2]
    assert result["compound_mean"].tolist() == pytest.approx([(0.4 - 0.05 + 0.0) / 3, (0.05 - 0.049) / 2])
    assert result["share_positive"].tolist() == pytest.approx([1 / 3, 1 / 2])
    assert result["share_negative"].tolist() == pytest.approx([1 / 3, 0.0])
    # a: 9 words, 1 positive (good), 1 negative (war); b: 5 words, 1 positive, 3 negative.
    assert result["tone"].tolist() == pytest.approx([0.0, (1 - 3) / 5 * 100])


def test_article_sentiment_rows_follow_the_articles_given():
    scored = pd.DataFrame({"article_id": ["a", "x"], "text": ["Good.", "Bad."], "compound": [0.44, -0.54]})
    articles = pd.DataFrame({"article_id": ["c", "a"], "title": ["C", "A"]})
    result = article_sentiment(scored, articles=articles, analyzer=TINY)
    assert result["article_id"].tolist() == ["a", "c"]
    assert result["n_sentences"].tolist() == [1, 0]
    assert result.loc[0, "tone"] == 100.0
    assert result.loc[1, ["compound_mean", "share_positive", "share_negative", "tone"]].isna().all()


def test_article_sentiment_default_lexicon_counts_tone():
    scored = score_sentences(_sentences(["Peace is good.", "The attack killed many."]))
    result = article_sentiment(scored)
    # peace +, good +, attack -, killed - over 7 words.
    assert result.loc[0, "tone"] == pytest.approx(0.0)
    assert result.loc[0, "n_sentences"] == 2


def test_article_sentiment_without_compound_says_what_to_do():
    with pytest.raises(DataError, match=r"scored sentences frame lacks column\(s\) \['compound'\]; found columns \[.*\].*score_sentences"):
        article_sentiment(_sentences(["Good."]))


# --------------------------------------------------------------------------- actor level


def test_actor_sentiment_hand_computed():
    scored = pd.DataFrame(
        {
            "article_id": ["a", "a", "a", "b"],
            "sentence_id": [0, 1, 2, 0],
            "compound": [0.6, -0.2, 0.0, 0.1],
        }
    )
    mentions = pd.DataFrame(
        {
            "article_id": ["a", "a", "a", "a", "b", "b", "z"],
            "sentence_id": [0, 0, 1, 1, 0, 0, 9],
            "actor": ["Kim", "Kim", "Kim", "Ortiz", "Ortiz", "Kim", "Lee"],
        }
    )
    before = mentions.copy()
    result = actor_sentiment(scored, mentions)
    pd.testing.assert_frame_equal(mentions, before)
    assert list(result.columns) == ["actor", "n_sentences", "n_articles", "compound_mean", "share_positive", "share_negative"]
    assert result["actor"].tolist() == ["Kim", "Ortiz"]
    assert result["n_sentences"].tolist() == [3, 2]
    assert result["n_articles"].tolist() == [2, 2]
    assert result["compound_mean"].tolist() == pytest.approx([(0.6 - 0.2 + 0.1) / 3, (-0.2 + 0.1) / 2])
    assert result["share_positive"].tolist() == pytest.approx([2 / 3, 1 / 2])
    assert result["share_negative"].tolist() == pytest.approx([1 / 3, 1 / 2])


def test_actor_sentiment_refuses_repeated_sentences():
    scored = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 0], "compound": [0.1, 0.1]})
    mentions = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "actor": ["Kim"]})
    with pytest.raises(DataError, match=r"1 repeated \(article_id, sentence_id\) pair"):
        actor_sentiment(scored, mentions)


def test_actor_sentiment_columns_exist_in_the_mentions_table():
    assert {"article_id", "sentence_id", "actor"} <= set(schema.MENTIONS.names)


# --------------------------------------------------------------------------- source and period

SCORES = pd.DataFrame(
    {
        "article_id": ["a", "b", "c", "d", "e"],
        "n_sentences": [2, 4, 1, 3, 5],
        "compound_mean": [0.5, -0.1, 0.2, float("nan"), 0.3],
        "tone": [1.0, -2.0, 0.5, float("nan"), 3.0],
    }
)
ARTICLES = pd.DataFrame(
    {
        "article_id": ["a", "b", "c", "d", "e"],
        "source": ["y.com", "x.com", "x.com", "x.com", None],
        # Mon 4 Mar 2024 23:30 UTC is Tue 5 Mar in India: days are UTC days.
        "published": pd.to_datetime(
            ["2024-03-04T23:30:00+00:00", "2024-03-05T05:00:00+05:30", "2024-03-10T12:00:00Z", "2024-03-11T01:00:00Z", None],
            utc=True,
        ),
    }
)


@pytest.mark.parametrize(
    ("by", "freq", "expected"),
    [
        ("source", None, [("x.com", 3, 8, 0.05), ("y.com", 1, 2, 0.5), (None, 1, 5, 0.3)]),
        (None, "D", [("2024-03-04", 2, 6, 0.2), ("2024-03-10", 1, 1, 0.2), ("2024-03-11", 1, 3, math.nan)]),
        (None, "W", [("2024-03-04", 3, 7, 0.2), ("2024-03-11", 1, 3, math.nan)]),
        ("source", "W", [("x.com", "2024-03-04", 2, 5, 0.05), ("x.com", "2024-03-11", 1, 3, math.nan), ("y.com", "2024-03-04", 1, 2, 0.5)]),
        (None, None, [(5, 15, 0.225)]),
    ],
)
def test_sentiment_by_hand_computed(by, freq, expected):
    result = sentiment_by(SCORES, ARTICLES, by=by, freq=freq)
    keys = ([by] if by else []) + (["period"] if freq else [])
    assert list(result.columns) == [*keys, "n_articles", "n_sentences", "compound_mean", "tone_mean"]
    got = []
    for row in result.itertuples(index=False):
        values = list(row)
        if freq:
            i = keys.index("period")
            assert values[i].tz is not None and str(values[i].tz) == "UTC"
            values[i] = values[i].strftime("%Y-%m-%d")
        if by:
            values[0] = None if pd.isna(values[0]) else values[0]
        got.append(tuple(values[: len(keys) + 3]))
    assert [g[:-1] for g in got] == [e[:-1] for e in expected]
    assert [g[-1] for g in got] == pytest.approx([e[-1] for e in expected], nan_ok=True)


def test_sentiment_by_takes_naive_times_as_utc_and_leaves_inputs_alone():
    articles = ARTICLES.assign(published=ARTICLES["published"].dt.tz_localize(None))
    before = articles.copy()
    result = sentiment_by(SCORES.drop(columns="tone"), articles, by=None, freq="D")
    pd.testing.assert_frame_equal(articles, before)
    assert "tone_mean" not in result.columns
    assert result["period"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-04", "2024-03-10", "2024-03-11"]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"freq": "M"}, ParameterError, "freq='M' is not a period; expected 'D'"),
        ({"by": "article_id"}, ParameterError, "expected the name of an article column"),
        ({"by": "outlet"}, DataError, r"articles frame lacks column\(s\) \['outlet'\]; found columns \["),
    ],
)
def test_sentiment_by_rejects_bad_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        sentiment_by(SCORES, ARTICLES, **kwargs)


def test_sentiment_by_rejects_text_dates():
    articles = ARTICLES.assign(published=["2024-03-04"] * 5)
    with pytest.raises(DataError, match="'published' column has dtype .*expected UTC timestamps"):
        sentiment_by(SCORES, articles)


def test_punctuation_helper_matches_nltk_marks():
    # The fast splitter relies on every NLTK mark being ASCII punctuation only.
    assert all(set(mark) <= set(string.punctuation) for mark in VaderConstants.PUNC_LIST)


def test_joins_line_up_whatever_the_key_dtypes():
    scored = pd.DataFrame({"article_id": pd.array(["a"], dtype="string"), "sentence_id": [0.0], "compound": [0.25]})
    mentions = pd.DataFrame({"article_id": ["a"], "sentence_id": pd.array([0], dtype="int32"), "actor": ["Kim"]})
    assert actor_sentiment(scored, mentions)["compound_mean"].tolist() == [0.25]
    empty = pd.DataFrame({"article_id": [], "sentence_id": [], "actor": []})
    assert actor_sentiment(scored, empty).empty


def test_non_integer_sentence_ids_are_reported():
    scored = pd.DataFrame({"article_id": ["a"], "sentence_id": ["first"], "compound": [0.1]})
    mentions = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "actor": ["Kim"]})
    with pytest.raises(DataError, match=r"'sentence_id' value\(s\) that are not whole numbers, e.g. 'first'"):
        actor_sentiment(scored, mentions)


def test_lexicon_in_use_is_listed_in_text_resources():
    text = pytest.importorskip("mediawork.text", reason="mediawork.text is not there yet")
    if not hasattr(text, "resources"):
        pytest.skip("mediawork.text has no resources() registry yet")
    analyzer = load_analyzer(overrides={"war": 0}, lexicon="vaderSentiment")
    score_sentences(_sentences(["Quiet day."]), analyzer=analyzer)
    assert text.resources()["vader_lexicon"] == "vaderSentiment (reconciled to NLTK) + 1 override from a mapping (7,501 entries)"
    score_sentences(_sentences(["Quiet day."]), analyzer=load_analyzer(lexicon="vaderSentiment"))
    assert text.resources()["vader_lexicon"] == "vaderSentiment (reconciled to NLTK) (7,502 entries)"


def test_score_sentences_scores_each_distinct_sentence_once(monkeypatch):
    analyzer = sentiment.load_analyzer()
    seen: list[str] = []
    original = type(analyzer).polarity_scores

    def counting(self, text):
        seen.append(text)
        return original(self, text)

    monkeypatch.setattr(type(analyzer), "polarity_scores", counting)
    monkeypatch.setattr(sentiment, "_RECENT_SIZE", 3)
    sentiment._RECENT.pop(analyzer, None)
    frame = pd.DataFrame({"article_id": ["a", "b", "b", "c"], "text": ["A good day.", "A good day.", "It failed.", None]})
    scored = sentiment.score_sentences(frame, analyzer=analyzer)
    assert sorted(seen) == ["", "A good day.", "It failed."]
    assert scored["compound"].tolist()[0] == scored["compound"].tolist()[1] > 0
    seen.clear()
    again = sentiment.score_sentences(frame, analyzer=analyzer)  # a later batch: remembered, not scored again
    assert seen == []
    pd.testing.assert_frame_equal(again, scored)
    sentiment.score_sentences(pd.DataFrame({"article_id": ["d"], "text": ["Prices rose."]}), analyzer=analyzer)
    assert seen == ["Prices rose."] and len(sentiment._RECENT[analyzer]) == 1  # full at 3: emptied, then remembered
