"""Specification of mediawork.sentiment's fast VADER scorer: the very floats NLTK computes.

Every comparison is bit for bit (``repr`` of each float, so -0.0 and 0.0 differ) against
NLTK's own ``SentimentIntensityAnalyzer.polarity_scores`` over the same lexicon.
"""

from __future__ import annotations

import functools
import os
import random
import string
from pathlib import Path

import nltk
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nltk.sentiment.vader import SentimentIntensityAnalyzer, SentiText, VaderConstants

from mediawork import sentiment
from mediawork.sentiment import Analyzer

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
NLTK_DATA = SHARED / "nltk_data"
SHARED_DATA = SHARED / "data"
# A sentences table written by an earlier version (e.g. of the 10,000-article benchmark corpus), opt-in:
# MEDIAWORK_REFERENCE_SENTENCES=path/to/sentences.parquet
CORPUS_SENTENCES = Path(os.environ.get("MEDIAWORK_REFERENCE_SENTENCES", "/nonexistent/sentences.parquet"))

# Written for these tests, grouped by the NLTK rule each line exercises.
EDGE_CASES = [
    # plain lexicon words, none, empty
    "", "   ", "\t\n", "a", "a b c", "x y", "The vote was held.", "good", "Good.", "bad", "A good plan.",
    # negation: the word before, two before, three before, "n't" inside a word
    "not good", "The plan is not good.", "It isn't good.", "It wasn't very good.", "It was not really very good.",
    "Nobody said it was never good.", "Without doubt a good plan.", "Nothing good came of it.", "It is n't good.",
    "They don't hate it.", "Rarely a happy day, seldom a sad one.", "Despite the war, peace held.",
    "He ain't bad.", "NOT good", "Not GOOD at all", "not not good", "cannot win",
    # 'no' is a lexicon word, so it is skipped as context and scored itself
    "no", "No deal.", "no good", "There was no hope and no peace.", "No, no, no!", "It is no bad thing.",
    # never so / never this / so / this, compared as written
    "never so good", "It was never so good.", "It was never this happy.", "It was so good.", "This good idea.",
    "It was NEVER SO good.", "Never so very happy.", "I never did this well.", "so so good", "this this great",
    # boosters and dampeners, one, two and three words before, with caps
    "very good", "A very good day.", "a VERY good day", "The day was VERY VERY good.", "extremely bad", "very very very bad",
    "a really extremely good win", "somewhat bad", "barely fair", "hardly a good plan", "slightly very bad", "Very.",
    "It was kinda good.", "sorta bad", "kind-of sad", "sort-of happy", "just enough hope", "most ok", "more fun",
    # 'kind of' (as a booster bigram and as the lexicon word 'kind')
    "kind of good", "It was kind of good.", "Kind Of good", "KIND OF GOOD day", "a kind man", "kind", "so kind",
    "kind of", "of kind", "kind of kind people", "It was sort of a failure.", "It was sort of bad.", "kind kind of",
    # 'least'
    "least good", "the least good plan", "At least it is good.", "at least good", "the very least good",
    "Least happy.", "It is least happy.", "LEAST happy", "at LEAST happy", "Very least good.",
    # 'but'
    "good but bad", "Good, but bad.", "bad but good", "but good", "good but", "BUT good", "good BUT bad",
    "good but bad but happy", "The but of the joke was bad.", "good,but bad", "ok but but ok",
    # ALL CAPS, alone and in mixes
    "GOOD", "GOOD DAY", "GOOD day", "A GOOD day", "THE PLAN IS GOOD", "The PLAN is GOOD", "BAD NEWS today",
    "VERY bad", "very BAD news", "I LOVE IT", "I LOVE it", "NOT BAD", "not BAD at all", "A", "A B", "AB cd",
    # punctuation emphasis: '!' (up to 4) and '?' (2, 3, more)
    "Good!", "Good!!", "Good!!!!", "Good!!!!!!!!", "Bad!!!", "Good?", "Good??", "Good???", "Good????", "Bad????",
    "Good?!?", "Good!?!?", "Is it good? Is it bad?", "The vote?? Nobody knows!!", "!!!", "???", "! ! !",
    "good! bad?", "Great! Great! Great!", "bad!? no...",
    # emoticons and emoji
    ":)", ":(", ":-)", ":D", ":d", "<3", "(:", "A good day :)", "Bad day :(", "fun :-) and :D", ":P", ":p",
    "x:)", ":)x", "(:good", "\u2764\ufe0f", "A day \U0001f600 good",
    # idioms (checked only three words into a sentence), at every position
    "the shit", "That was the shit.", "This show is the bomb", "the bomb was found", "He is a bad ass guy.",
    "Yeah right.", "oh yeah right", "they said yeah right", "It can cut the mustard.", "It cut the mustard well",
    "the kiss of death", "That was the kiss of death for it.", "They live hand to mouth.", "we live hand to mouth now",
    "The Bomb is the bomb", "a bad ass", "I said the shit was good", "yeah right good", "x y z the bomb",
    # repeated tokens are scored where they first occur
    "good good good", "not good and good", "Good, good, good.", "good. Not good", "bad, not bad, bad",
    "very good and good", "good but good", "GOOD good GOOD", "no no no good", "kind of kind of good",
    # words wrapped in punctuation
    "'good'", '"good"', "(good)", "good...", "...good", "good!?!", '"bad,"', "--bad", "bad-", "-bad-",
    "U.S. good", "It's good.", "isn't", "'isn't'", "n't", "x,good", "good,x", "good.bad", "'(good)'",
    "'least' good", "'but' bad", "\"very\" good", "(not) good", "never, so good", "kind, of good",
    # other scripts and characters
    "na\u00efve good", "\u00dcBER good", "\u03a3\u039f\u03a3 good", "\u0130yi good", "good\u00a0day", "good\u2003bad",
    "\u201cgood\u201d", "\u2014bad\u2014",
]


def _bits(scores: dict) -> list[tuple[str, str, str]]:
    """Keys in order, value types and exact floats (repr tells -0.0 from 0.0)."""
    return [(key, type(value).__name__, repr(value)) for key, value in scores.items()]


def _stock(lexicon) -> SentimentIntensityAnalyzer:
    """NLTK's unmodified analyser over a given lexicon (no NLTK data needed)."""
    stock = SentimentIntensityAnalyzer.__new__(SentimentIntensityAnalyzer)
    stock.lexicon = dict(lexicon)
    stock.constants = VaderConstants()
    return stock


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return sentiment.load_analyzer(lexicon="vaderSentiment")


@pytest.fixture(scope="module")
def stock(analyzer) -> SentimentIntensityAnalyzer:
    return _stock(analyzer.lexicon)


def _differences(analyzer, reference, texts) -> list[str]:
    return [text for text in texts if _bits(analyzer.polarity_scores(text)) != _bits(reference.polarity_scores(text))]


# --------------------------------------------------------------------------- hand-made cases


@pytest.mark.parametrize("text", EDGE_CASES)
def test_fast_scores_are_nltks_floats(text, analyzer, stock):
    assert _bits(analyzer.polarity_scores(text)) == _bits(stock.polarity_scores(text))
    assert _bits(analyzer.reference_scores(text)) == _bits(stock.polarity_scores(text))


@pytest.mark.parametrize("text", EDGE_CASES)
def test_fast_words_are_nltks_words(text):
    marks, strip = VaderConstants.PUNC_LIST, VaderConstants.REGEX_REMOVE_PUNCTUATION
    assert sentiment._words_and_emoticons(text) == SentiText(text, marks, strip).words_and_emoticons


def test_fast_scores_equal_nltk_loaded_from_nltk_data():
    if not (NLTK_DATA / "sentiment" / "vader_lexicon.zip").is_file():
        pytest.skip(f"NLTK's vader_lexicon not found under {NLTK_DATA}: this check needs ../shared/nltk_data")
    saved = list(nltk.data.path)
    nltk.data.path[:] = [str(NLTK_DATA), *saved]
    try:
        reference = SentimentIntensityAnalyzer()
        ours = sentiment.load_analyzer(lexicon="nltk_data")
    finally:
        nltk.data.path[:] = saved
    assert _differences(ours, reference, EDGE_CASES) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"war": 0, "ceasefire": 1.5},
        # lexicon words that are also NLTK's special words: context checks must see them as lexicon words
        {"least": 1.0, "but": -1.0, "very": 2.0, "never": -0.5, "so": 0.7, "this": 0.2, "kind": 0, "of": 0.3},
        {"the": 0.5, "mustard": 1.0, "right": 0.4, "enough": 1.0, "not": 1.1, "at": -0.2},
    ],
)
def test_fast_scores_follow_lexicon_overrides(overrides):
    ours = sentiment.load_analyzer(overrides=overrides, lexicon="vaderSentiment")
    assert _differences(ours, _stock(ours.lexicon), EDGE_CASES) == []


@pytest.mark.parametrize(
    "lexicon",
    [
        {"good": 2, "bad": -3},  # integer valences
        {"good": 0.293, "bad": -0.293, "barely": 1.0},  # a dampener cancelling a valence to zero
        {"good": 1e-9, "bad": -1e-9},  # sums so small that compound rounds to -0.0
        {},
    ],
)
def test_fast_scores_on_unusual_lexicons(lexicon):
    ours = Analyzer(lexicon, source="test")
    texts = [*EDGE_CASES, "barely good", "barely bad", "bad bad good", "good, but bad bad bad", "very bad"]
    assert _differences(ours, _stock(lexicon), texts) == []


def test_assigning_a_lexicon_rebuilds_the_scorer():
    ours = Analyzer({"good": 1.9}, source="test")
    assert ours.polarity_scores("good plan")["compound"] > 0
    ours.lexicon = {"good": -1.0}
    assert ours.polarity_scores("good plan") == _stock({"good": -1.0}).polarity_scores("good plan")
    assert ours.polarity_scores("good plan")["compound"] < 0


def test_other_punctuation_constants_fall_back_to_nltks_code(monkeypatch):
    monkeypatch.setattr(VaderConstants, "PUNC_LIST", [*VaderConstants.PUNC_LIST, "\u2026"])
    ours = Analyzer({"good": 1.9}, source="test")
    assert ours._vader is None  # its word splitting assumes NLTK's marks
    for text in ["good\u2026", "\u2026good", "good!"]:
        assert ours.polarity_scores(text) == _stock({"good": 1.9}).polarity_scores(text)


def test_marks_are_ascii_punctuation_as_the_word_splitting_assumes():
    assert all(mark and set(mark) <= set(string.punctuation) for mark in VaderConstants.PUNC_LIST)
    assert VaderConstants.REGEX_REMOVE_PUNCTUATION.pattern == sentiment._REMOVE_PUNCTUATION_PATTERN


def test_token_memory_is_bounded_and_gives_the_same_words(monkeypatch):
    words = type(sentiment._TOKEN_WORDS)(sentiment._token_word, limit=3)
    monkeypatch.setattr(sentiment, "_TOKEN_WORDS", words)
    text = "'good' (bad) very, x U.S. ok! ,fine"  # a mark on both sides is kept, as in NLTK
    expected = ["'good'", "(bad)", "very", "U.S.", "ok", "fine"]
    assert sentiment._words_and_emoticons(text) == expected
    assert len(words) <= 3
    assert sentiment._words_and_emoticons(text) == expected
    marks, strip = VaderConstants.PUNC_LIST, VaderConstants.REGEX_REMOVE_PUNCTUATION
    assert SentiText(text, marks, strip).words_and_emoticons == expected


# --------------------------------------------------------------------------- generated sentences

_SPECIAL_WORDS = [
    "not", "isn't", "n't", "never", "without", "nothing", "no", "so", "this", "very", "extremely", "barely",
    "kinda", "kind", "of", "sort", "just", "enough", "least", "at", "but", "the", "shit", "bomb", "bad", "ass",
    "yeah", "right", "cut", "mustard", "kiss", "death", "hand", "to", "mouth", "good", "great", "sad", "war",
    "peace", "hope", ":)", ":(", ":-)", ":d", "<3", "x", "plan", "vote", "day", "city", "i", "a",
]
_MARK_CHOICES = ["", "", "", "", ".", ",", "!", "?", "'", '"', "!!", "???", "?!?", "-", ":", "...", "(", ")", "\u201d"]


def _random_sentences(seed: int, count: int, lexicon_words: list[str]) -> list[str]:
    """Seeded sentences of special and lexicon words in every case, wrapped in marks."""
    rng = random.Random(seed)
    vocabulary = _SPECIAL_WORDS + sorted(VaderConstants.BOOSTER_DICT) + sorted(VaderConstants.NEGATE) + lexicon_words
    cases = [str.lower, str.lower, str.lower, str.upper, str.title]
    out = []
    for _ in range(count):
        pieces = []
        for _ in range(rng.randint(0, 16)):
            word = rng.choice(cases)(rng.choice(vocabulary))
            pieces.append(rng.choice(_MARK_CHOICES) + word + rng.choice(_MARK_CHOICES))
        out.append(" ".join(pieces))
    return out


def test_fast_scores_on_seeded_random_sentences(analyzer, stock):
    lexicon_words = sorted(random.Random(7).sample(sorted(analyzer.lexicon), 150))
    texts = _random_sentences(2024, 2000, lexicon_words)
    assert _differences(analyzer, stock, texts) == []
    marks, strip = VaderConstants.PUNC_LIST, VaderConstants.REGEX_REMOVE_PUNCTUATION
    assert [t for t in texts if sentiment._words_and_emoticons(t) != SentiText(t, marks, strip).words_and_emoticons] == []


@functools.cache
def _generated_pair() -> tuple[Analyzer, SentimentIntensityAnalyzer]:
    """Our analyser and NLTK's over vaderSentiment's reconciled lexicon, built once for the generated texts."""
    ours = sentiment.load_analyzer(lexicon="vaderSentiment")
    return ours, _stock(ours.lexicon)


_WORD = st.sampled_from(_SPECIAL_WORDS + ["GOOD", "NOT", "VERY", "BUT", "Never", "So", "This", "Least", "KIND", "Of"])
_MARK = st.sampled_from(_MARK_CHOICES)


@settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_MARK, _WORD, _MARK), max_size=14), st.sampled_from(["", "!", "!!!!!", "??", "????", "?!"]))
def test_fast_scores_on_generated_sentences(parts, ending):
    text = " ".join(f"{before}{word}{after}" for before, word, after in parts) + ending
    ours, stock = _generated_pair()
    assert _bits(ours.polarity_scores(text)) == _bits(stock.polarity_scores(text))


# --------------------------------------------------------------------------- real text


def test_fast_scores_on_every_line_of_the_shared_news_texts(analyzer, stock):
    # The ground-truth snippets in ../shared/data are compared with NLTK's analyser in
    # test_sentiment.py (test_fallback_scores_equal_nltk_on_every_groundtruth_snippet).
    paths = sorted((SHARED_DATA / "gum_news" / "texts").glob("*.txt"))
    if not paths:
        pytest.skip(f"no texts in {SHARED_DATA / 'gum_news' / 'texts'}: this real-text check needs ../shared/data")
    lines = [line for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences = [piece for line in lines for piece in line.split(". ")]  # paragraphs, and roughly their sentences
    assert len(lines) > 200
    different = _differences(analyzer, stock, lines + sentences)
    assert different == [], f"{len(different)} texts score differently, e.g. {different[:3]}"


def test_fast_scores_on_the_10k_corpus_sentences(analyzer, stock):
    if not CORPUS_SENTENCES.exists():
        pytest.skip("set MEDIAWORK_REFERENCE_SENTENCES to a sentences.parquet written by an earlier version to compare its stored scores")
    table = pq.read_table(CORPUS_SENTENCES, columns=["text", "neg", "neu", "pos", "compound"]).to_pylist()
    stored = {row["text"]: row for row in table}  # the scores analyze wrote before this scorer existed
    mismatched = [
        text for text, row in stored.items()
        if _bits(analyzer.polarity_scores(text)) != _bits({k: row[k] for k in ("neg", "neu", "pos", "compound")})
    ]
    assert len(stored) > 1000
    assert mismatched == [], f"{len(mismatched)} sentences differ from the stored scores, e.g. {mismatched[:3]}"
    sample = sorted(stored)[:: max(1, len(stored) // 2000)]
    assert _differences(analyzer, stock, sample) == []


# --------------------------------------------------------------------------- distinct texts of a frame


# Text columns written for these tests: repeats, missing values with and without an empty text beside them.
TEXT_COLUMNS = [
    [],
    ["A good plan."],
    ["A good plan.", "A good plan.", "It failed."],
    [None, "It failed.", None],
    ["", None, "Not bad at all!", ""],
    [None, None],
    ["It failed.", "", "It failed.", None, "", "A good plan."],
    ["Ça va bien.", "ça va bien.", "Ça va bien.", "  "],
]


def _same_distinct_texts(values: list) -> None:
    """The fast grouping of a string column names the very text of every row that the reference does."""
    column = pd.Series(values, dtype="string")
    rows, distinct = sentiment._distinct_texts(column)
    slow_rows, slow_distinct = sentiment._distinct_texts_slow(column)
    assert [distinct[i] for i in rows] == [slow_distinct[i] for i in slow_rows] == ["" if v is None else v for v in values]
    assert len(distinct) == len(set(distinct)) == len(slow_distinct)


@pytest.mark.parametrize("values", TEXT_COLUMNS)
@pytest.mark.parametrize("dtype", ["string", "str", "object"])
def test_scores_of_a_column_do_not_depend_on_how_texts_are_grouped(values, dtype, analyzer):
    frame = pd.DataFrame({"article_id": ["a"] * len(values), "text": pd.Series(values, dtype=dtype)})
    got = sentiment.score_sentences(frame, analyzer=analyzer)
    expected = [_bits(analyzer.polarity_scores("" if v is None else v)) for v in values]
    assert [_bits(dict(zip(("neg", "neu", "pos", "compound"), row))) for row in got[["neg", "neu", "pos", "compound"]].itertuples(index=False)] == expected
    _same_distinct_texts(values)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["", " ", "good", "Good", "bad!", "not bad", "ça", "x y"])), max_size=30))
def test_distinct_texts_name_the_same_text_as_the_reference_on_random_columns(values):
    _same_distinct_texts(values)


def test_distinct_texts_name_the_same_text_as_the_reference_on_the_shared_news_texts():
    paths = sorted((SHARED_DATA / "gum_news" / "texts").glob("*.txt"))
    if not paths:
        pytest.skip(f"no texts in {SHARED_DATA / 'gum_news' / 'texts'}: this real-text check needs ../shared/data")
    lines = [line for path in paths for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 200
    _same_distinct_texts(lines + lines[::3] + [None])
