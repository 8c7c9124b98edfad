"""terms: counts, TF-IDF, collocations, keyness, trends and keyword in context."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import nltk.data
import pandas as pd
import pytest

from mediawork import terms
from mediawork.errors import DataError, ParameterError

SHARED_NLTK = Path(__file__).resolve().parents[1].parent / "shared" / "nltk_data"
NO_STOP: frozenset[str] = frozenset()
SMALL_STOP = frozenset({"the", "of", "a", "to", "and", "in"})


def _sentences(*texts: str, article_id: str = "a") -> pd.DataFrame:
    return pd.DataFrame({"article_id": [article_id] * len(texts), "sentence_id": range(len(texts)), "text": list(texts)})


def _terms(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article_id", "term", "n", "count"])


def _counts(frame: pd.DataFrame) -> dict[str, int]:
    return dict(zip(frame["term"], frame["count"], strict=True))


# --------------------------------------------------------------------------- count_terms


@pytest.mark.parametrize(
    "sentence, ngram_range, expected",
    [
        # unigrams: stopwords and tokens without a letter are dropped
        ("The mayor of Lviv spoke in 2024.", (1, 1), {"mayor": 1, "lviv": 1, "spoke": 1}),
        ("Trump’s aides and Trump's lawyers", (1, 1), {"trump": 2, "aides": 1, "lawyers": 1}),
        ("Vote, vote, VOTE!", (1, 1), {"vote": 3}),
        # n-grams may hold stopwords inside, never at an edge
        ("The secretary of state", (2, 3), {"secretary of state": 1}),
        ("mayor of the city", (2, 4), {"mayor of the city": 1}),
        ("in the city council", (2, 2), {"city council": 1}),
        # numbers are word tokens: inside an n-gram, never at an edge
        ("won 2024 election", (2, 3), {"won 2024 election": 1}),
        ("the 2024 election", (2, 2), {}),
        # punctuation is not a token, so n-grams run across it within a sentence
        ("Kyiv — Lviv", (2, 2), {"kyiv lviv": 1}),
    ],
)
def test_count_terms_definition(sentence, ngram_range, expected):
    out = terms.count_terms(_sentences(sentence), ngram_range=ngram_range, stopwords=SMALL_STOP)
    assert _counts(out) == expected


def test_ngrams_do_not_cross_sentences():
    out = terms.count_terms(_sentences("Talks ended.", "Leaders left."), ngram_range=(2, 2), stopwords=NO_STOP)
    assert _counts(out) == {"talks ended": 1, "leaders left": 1}


def test_count_terms_columns_order_and_input_untouched():
    sentences = pd.concat(
        [_sentences("Floods hit Lagos.", "Floods returned.", article_id="b"), _sentences("Lagos voted.", article_id="a")]
    )
    before = sentences.copy()
    out = terms.count_terms(sentences, ngram_range=(1, 2), stopwords=NO_STOP)
    assert list(out.columns) == list(terms.TERM_COLUMNS)
    assert out.values.tolist() == [
        ["a", "lagos", 1, 1],
        ["a", "voted", 1, 1],
        ["a", "lagos voted", 2, 1],
        ["b", "floods", 1, 2],
        ["b", "hit", 1, 1],
        ["b", "lagos", 1, 1],
        ["b", "returned", 1, 1],
        ["b", "floods hit", 2, 1],
        ["b", "floods returned", 2, 1],
        ["b", "hit lagos", 2, 1],
    ]
    pd.testing.assert_frame_equal(sentences, before)


def test_count_terms_stems_after_the_stopword_check():
    out = terms.count_terms(_sentences("Voters were voting in elections"), ngram_range=(1, 3), stopwords={"were", "in"}, stem=True)
    assert _counts(out) == {"voter": 1, "vote": 1, "elect": 1, "voter were vote": 1, "vote in elect": 1}


@pytest.mark.parametrize(
    "texts, ngram_range, stem",
    [
        ([("b", "Floods hit Lagos."), ("a", "Lagos voted."), ("b", "Floods returned.")], (1, 3), False),
        ([("a", "The secretary of state met the press secretary.")], (2, 3), False),
        ([("a", "Vote, vote, VOTE!"), ("a", "Vote, vote, VOTE!")], (1, 1), False),  # a repeated sentence counts twice
        ([("a", "Voters were voting in elections")], (1, 3), True),
        ([("a", "2024 and 1999"), ("b", "")], (1, 2), False),  # articles with no terms give no rows
        ([], (1, 3), False),
    ],
)
def test_count_terms_arrow_has_count_terms_rows_with_the_stored_types(texts, ngram_range, stem):
    frame = pd.DataFrame({"article_id": [a for a, _ in texts], "text": [t for _, t in texts]}, dtype="str")
    expected = terms.count_terms(frame, ngram_range=ngram_range, stopwords=SMALL_STOP, stem=stem)
    got = terms.count_terms_arrow(frame, ngram_range=ngram_range, stopwords=SMALL_STOP, stem=stem)
    assert [str(t) for t in got.schema.types] == ["string", "string", "int8", "int32"]
    assert got.column_names == list(terms.TERM_COLUMNS)
    assert got.to_pandas().astype({"n": "int64", "count": "int64"}).values.tolist() == expected.values.tolist()


def test_count_terms_dtypes_are_unchanged():
    out = terms.count_terms(_sentences("Floods hit Lagos."), stopwords=NO_STOP)
    assert [str(t) for t in out.dtypes] == ["string", "string", "int64", "int64"]
    assert terms.count_terms(_sentences("Floods hit Lagos.").iloc[:0], stopwords=NO_STOP).dtypes.tolist() == out.dtypes.tolist()


@pytest.mark.parametrize("bad", [(0, 2), (3, 1), ("a", 2), 2])
def test_count_terms_rejects_bad_ngram_range(bad):
    with pytest.raises(ParameterError, match="ngram_range"):
        terms.count_terms(_sentences("x"), ngram_range=bad)


def test_count_terms_names_missing_columns():
    with pytest.raises(DataError, match=r"lacks column\(s\) \['text'\]; found columns \['article_id'\]"):
        terms.count_terms(pd.DataFrame({"article_id": ["a"]}))


def test_default_stopwords_fall_back_to_the_bundled_list(monkeypatch, tmp_path):
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    out = terms.count_terms(_sentences("Whereas voters agreed"), ngram_range=(1, 1))
    assert _counts(out) == {"voters": 1, "agreed": 1}  # "whereas" is in the bundled list


def test_default_stopwords_use_nltk_when_installed(monkeypatch):
    if not (SHARED_NLTK / "corpora" / "stopwords.zip").is_file():
        pytest.skip(f"../shared/nltk_data not found at {SHARED_NLTK}: the with-NLTK-data check needs the shared folder")
    monkeypatch.setattr(nltk.data, "path", [str(SHARED_NLTK)])
    out = terms.count_terms(_sentences("Whereas voters agreed"), ngram_range=(1, 1))
    assert _counts(out) == {"whereas": 1, "voters": 1, "agreed": 1}  # NLTK's list lacks "whereas"


# --------------------------------------------------------------------------- term_frequency, tfidf

SMALL_TERMS = _terms(
    [
        ("a", "vote", 1, 2),
        ("a", "poll", 1, 1),
        ("a", "vote poll", 2, 1),
        ("b", "vote", 1, 1),
        ("c", "tax", 1, 1),
    ]
)


def test_term_frequency_whole_corpus():
    out = terms.term_frequency(SMALL_TERMS)
    assert out[["term", "n", "count", "docs", "tokens"]].values.tolist() == [
        ["vote", 1, 3, 2, 5],
        ["poll", 1, 1, 1, 5],
        ["tax", 1, 1, 1, 5],
        ["vote poll", 2, 1, 1, 5],
    ]
    assert out["per_10k"].tolist() == pytest.approx([6000.0, 2000.0, 2000.0, 2000.0])


def test_term_frequency_by_group():
    grouped = SMALL_TERMS.assign(source=SMALL_TERMS["article_id"].map({"a": "x", "b": "y", "c": "y"}))
    out = terms.term_frequency(grouped, by="source")
    got = {(r.source, r.term): (r.count, r.docs, r.tokens, r.per_10k) for r in out.itertuples()}
    assert got[("x", "vote")] == (2, 1, 3, pytest.approx(2 / 3 * 10_000))
    assert got[("y", "vote")] == (1, 1, 2, pytest.approx(5_000.0))
    assert got[("y", "tax")] == (1, 1, 2, pytest.approx(5_000.0))
    assert out["source"].tolist() == sorted(out["source"].tolist())


def test_term_frequency_errors():
    with pytest.raises(ParameterError, match="merge them in"):
        terms.term_frequency(SMALL_TERMS, by="source")
    with pytest.raises(DataError, match="unigram rows"):
        terms.term_frequency(SMALL_TERMS[SMALL_TERMS["n"] == 2])


@pytest.mark.parametrize(
    "smooth, sublinear, expected",
    [
        # N = 3 articles; df(vote) = 2, df(poll) = df(tax) = 1
        (True, False, {("a", "vote"): 2 * (math.log(4 / 3) + 1), ("a", "poll"): math.log(4 / 2) + 1,
                       ("b", "vote"): math.log(4 / 3) + 1, ("c", "tax"): math.log(4 / 2) + 1}),
        (False, False, {("a", "vote"): 2 * (math.log(3 / 2) + 1), ("a", "poll"): math.log(3) + 1,
                        ("b", "vote"): math.log(3 / 2) + 1, ("c", "tax"): math.log(3) + 1}),
        (True, True, {("a", "vote"): (1 + math.log(2)) * (math.log(4 / 3) + 1), ("a", "poll"): math.log(2) + 1,
                      ("b", "vote"): math.log(4 / 3) + 1, ("c", "tax"): math.log(2) + 1}),
    ],
)
def test_tfidf_hand_computed(smooth, sublinear, expected):
    out = terms.tfidf(SMALL_TERMS, smooth=smooth, sublinear=sublinear)
    got = {(r.article_id, r.term): r.tfidf for r in out.itertuples()}
    assert got == pytest.approx(expected)
    assert (out["tfidf"] == out["tf"] * out["idf"]).all()
    assert list(out.columns) == ["article_id", "term", "tf", "idf", "tfidf"]


def test_tfidf_orders_rows_within_article():
    out = terms.tfidf(SMALL_TERMS)
    assert out[["article_id", "term"]].values.tolist() == [["a", "vote"], ["a", "poll"], ["b", "vote"], ["c", "tax"]]


def test_tfidf_of_bigrams_counts_every_article():
    out = terms.tfidf(SMALL_TERMS, n=2)
    assert out[["term", "idf"]].values.tolist() == [["vote poll", pytest.approx(math.log(4 / 2) + 1)]]


# --------------------------------------------------------------------------- collocations

COLLOCATION_TEXTS = pd.DataFrame(
    {
        "text": [
            "Prime Minister Okoye met the central bank governor.",
            "Prime Minister Okoye praised the central bank.",
            "The central bank cut rates, Prime Minister Okoye said.",
            "Okoye left early.",
            "Rates fell.",
        ]
    }
)


def _pmi(pair: tuple[str, str], docs: list[list[str]]) -> float:
    words = [w for d in docs for w in d]
    pairs = [(d[i], d[i + 1]) for d in docs for i in range(len(d) - 1)]
    return math.log2(pairs.count(pair) * len(words) / (words.count(pair[0]) * words.count(pair[1])))


def test_collocations_pmi_matches_the_formula():
    docs = [terms._text.word_tokens(s) for s in COLLOCATION_TEXTS["text"]]
    out = terms.collocations(COLLOCATION_TEXTS, measure="pmi", min_count=3, top=None)
    got = {r.term: (r.count, r.score) for r in out.itertuples()}
    assert set(got) == {"prime minister", "minister okoye", "central bank"}  # "the central" starts with a stopword
    for term, (count, score) in got.items():
        assert count == 3
        assert score == pytest.approx(_pmi(tuple(term.split()), docs))
    assert out["score"].is_monotonic_decreasing
    assert set(out["measure"]) == {"pmi"}


def test_collocations_likelihood_ratio_and_trigrams():
    from nltk.metrics import BigramAssocMeasures

    lr = terms.collocations(COLLOCATION_TEXTS, measure="likelihood_ratio", min_count=3, top=1)
    docs = [terms._text.word_tokens(s) for s in COLLOCATION_TEXTS["text"]]
    words = [w for d in docs for w in d]
    best = lr["term"].iloc[0].split()
    expected = BigramAssocMeasures.likelihood_ratio(3, (words.count(best[0]), words.count(best[1])), len(words))
    assert len(lr) == 1 and lr["score"].iloc[0] == pytest.approx(expected)
    tri = terms.collocations(COLLOCATION_TEXTS, n=3, min_count=3)
    assert tri["term"].tolist() == ["prime minister okoye"]


@pytest.mark.parametrize("kwargs", [{"n": 4}, {"measure": "dice"}, {"min_count": 0}, {"top": 0}])
def test_collocations_rejects_bad_options(kwargs):
    with pytest.raises(ParameterError):
        terms.collocations(COLLOCATION_TEXTS, **kwargs)


# --------------------------------------------------------------------------- keyness


def _two_groups(a: int, b: int, total_t: int, total_r: int) -> pd.DataFrame:
    return _terms([("t", "crisis", 1, a), ("t", "other", 1, total_t - a), ("r", "crisis", 1, b), ("r", "other", 1, total_r - b)])


def _g2_by_hand(a: float, b: float, c: float, d: float) -> float:
    n = a + b + c + d
    cells = [(a, (a + b) * (a + c) / n), (b, (a + b) * (b + d) / n), (c, (c + d) * (a + c) / n), (d, (c + d) * (b + d) / n)]
    return 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)


def test_keyness_g2_by_hand_target_10_of_1000_vs_2_of_1000():
    out = terms.keyness(_two_groups(10, 2, 1000, 1000), ["t"], ["r"], correction="none")
    row = out.set_index("term").loc["crisis"]
    # expected counts: 6 and 6 for the term, 994 and 994 for the rest
    hand = 2 * (10 * math.log(10 / 6) + 2 * math.log(2 / 6) + 990 * math.log(990 / 994) + 998 * math.log(998 / 994))
    assert row["g2"] == pytest.approx(hand)
    assert row["g2"] == pytest.approx(5.8543, abs=1e-4)
    assert row["log_ratio"] == pytest.approx(math.log2(5))
    assert row["p"] == pytest.approx(math.erfc(math.sqrt(hand / 2)))
    assert (row["target_count"], row["reference_count"]) == (10, 2)
    other = out.set_index("term").loc["other"]
    assert other["g2"] == pytest.approx(-hand)  # the complement is under-used by the same amount


def test_keyness_williams_correction():
    out = terms.keyness(_two_groups(10, 2, 1000, 1000), ["t"], ["r"], correction="williams")
    n = 2000
    q = 1 + (n / 12 + n / 1988 - 1) * (n / 1000 + n / 1000 - 1) / (6 * n)
    assert out.set_index("term").loc["crisis", "g2"] == pytest.approx(_g2_by_hand(10, 2, 990, 998) / q)
    assert terms.keyness(_two_groups(10, 2, 1000, 1000), ["t"], ["r"])["g2"].tolist() == out["g2"].tolist()  # the default


def test_keyness_yates_correction_applies_only_to_small_expected_counts():
    # a=3, b=0 of 100 each: expected 1.5 < 5 and |ad - bc| = 300 >= N/2, so 0.5 moves
    small = terms.keyness(_two_groups(3, 0, 100, 100), ["t"], ["r"], correction="yates").set_index("term")
    assert small.loc["crisis", "g2"] == pytest.approx(_g2_by_hand(2.5, 0.5, 97.5, 99.5))
    assert small.loc["crisis", "log_ratio"] == pytest.approx(math.log2(3 / 0.5))  # zero count taken as 0.5
    # the 10-vs-2 table has no expected count below 5: Yates leaves it alone
    big = terms.keyness(_two_groups(10, 2, 1000, 1000), ["t"], ["r"], correction="yates")
    assert big.set_index("term").loc["crisis", "g2"] == pytest.approx(_g2_by_hand(10, 2, 990, 998))


def test_keyness_p_value_without_scipy(monkeypatch):
    with_scipy = terms._chi2_sf_1df(5.8543)
    monkeypatch.setitem(sys.modules, "scipy.stats", None)
    without = terms._chi2_sf_1df(5.8543)
    assert without == pytest.approx(with_scipy, rel=1e-9)
    assert without == pytest.approx(0.01554, abs=1e-5)  # chi-squared table: P(X > 5.85) with 1 df


def test_keyness_reference_defaults_to_all_other_articles():
    table = _terms([("t", "war", 1, 5), ("t", "talks", 1, 5), ("r1", "talks", 1, 5), ("r2", "talks", 1, 5)])
    out = terms.keyness(table, ["t"], correction="none")
    assert out["term"].tolist() == ["war", "talks"]
    assert out[["target_count", "reference_count"]].values.tolist() == [[5, 0], [5, 10]]
    assert out["g2"].iloc[0] > 0 > out["g2"].iloc[1]


@pytest.mark.parametrize(
    "target, reference, kwargs, message",
    [
        (["t"], ["t"], {}, "must not overlap"),
        ([], ["r"], {}, "target_ids is empty"),
        ("t", ["r"], {}, "not one string"),
        (["zz"], ["r"], {}, "target group"),
        (["t"], ["r"], {"measure": "chi2"}, "only 'lr'"),
        (["t"], ["r"], {"correction": "default"}, "expected 'williams'"),
    ],
)
def test_keyness_rejects_bad_groups_and_options(target, reference, kwargs, message):
    with pytest.raises(ParameterError, match=message):
        terms.keyness(_two_groups(10, 2, 1000, 1000), target, reference, **kwargs)


# --------------------------------------------------------------------------- term_trends

TREND_TERMS = _terms([("a", "vote", 1, 2), ("a", "poll", 1, 2), ("b", "vote", 1, 1), ("c", "vote", 1, 9)])
TREND_ARTICLES = pd.DataFrame(
    {
        "article_id": ["a", "b", "c"],
        # a: Sunday 23:30 in New York is Monday 04:30 UTC, so it falls in the week of Monday 4 March
        "published": pd.to_datetime(["2024-03-03T23:30:00-05:00", "2024-03-18T12:00:00+00:00", None], utc=True, format="ISO8601"),
    }
)


def test_term_trends_weekly_in_utc_with_empty_weeks():
    out = terms.term_trends(TREND_TERMS, TREND_ARTICLES, terms_of_interest=["Vote"], freq="W")
    assert out["period"].astype(str).tolist() == ["2024-03-04 00:00:00+00:00", "2024-03-11 00:00:00+00:00", "2024-03-18 00:00:00+00:00"]
    assert out["count"].tolist() == [2, 0, 1]
    assert out["tokens"].tolist() == [4, 0, 1]
    assert out["per_10k"].tolist()[0::2] == [5000.0, 10000.0]
    assert math.isnan(out["per_10k"].iloc[1])  # a week without articles has no rate


def test_term_trends_default_follows_top_unigrams():
    out = terms.term_trends(TREND_TERMS, TREND_ARTICLES, freq="M", top=1)
    assert out[["term", "count", "tokens"]].values.tolist() == [["vote", 3, 5]]  # article c has no date


def test_term_trends_rejects_unknown_freq():
    with pytest.raises(ParameterError, match="period alias"):
        terms.term_trends(TREND_TERMS, TREND_ARTICLES, freq="fortnightly")


# --------------------------------------------------------------------------- kwic

KWIC_SENTENCES = pd.DataFrame(
    {
        "article_id": ["b", "a", "a"],
        "sentence_id": [0, 1, 0],
        "text": [
            "A trumpet played while Trump’s motorcade passed the old Trump tower.",
            "No one asked about the prime  minister today.",
            "On Monday the Prime Minister flew to Oslo for talks on fishing rights.",
        ],
    }
)


@pytest.mark.parametrize(
    "pattern, kwargs, expected",
    [
        ("prime minister", {"window": 3}, [
            ("a", 0, "On Monday the", "Prime Minister", "flew to Oslo"),
            ("a", 1, "asked about the", "prime  minister", "today."),
        ]),
        ("Prime Minister", {"window": 2, "case": True}, [("a", 0, "Monday the", "Prime Minister", "flew to")]),
        ("trump", {"window": 2}, [
            ("b", 0, "played while", "Trump", "’s motorcade"),
            ("b", 0, "the old", "Trump", "tower."),
        ]),
        (r"fish\w*", {"regex": True, "window": 1}, [("a", 0, "on", "fishing", "rights.")]),
        ("oslo", {"window": 0}, [("a", 0, "", "Oslo", "")]),
        ("nowhere", {}, []),
    ],
)
def test_kwic(pattern, kwargs, expected):
    out = terms.kwic(KWIC_SENTENCES, pattern, **kwargs)
    assert list(out.columns) == ["article_id", "sentence_id", "left", "keyword", "right"]
    assert [tuple(r) for r in out.values.tolist()] == [tuple(e) for e in expected]


@pytest.mark.parametrize("pattern, kwargs", [("", {}), ("(", {"regex": True}), ("x", {"window": -1})])
def test_kwic_rejects_bad_input(pattern, kwargs):
    with pytest.raises(ParameterError):
        terms.kwic(KWIC_SENTENCES, pattern, **kwargs)


def test_docstring_examples_run(monkeypatch, tmp_path):
    import doctest

    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    result = doctest.testmod(terms, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def _reference_count_terms(sentences, *, ngram_range=(1, 3), stopwords=None, stem=False):
    """count_terms's definition, written the slow way: NLTK's tokenizer, one row at a time."""
    from collections import Counter

    from nltk.tokenize import NLTKWordTokenizer

    from mediawork import text

    stop = text.stopwords() if stopwords is None else frozenset(w.casefold() for w in stopwords)
    counts = Counter()
    for article_id, sentence in zip(sentences["article_id"], sentences["text"]):
        if not isinstance(sentence, str) or not sentence.strip():
            continue
        raw = NLTKWordTokenizer().tokenize(text._CURLY_APOSTROPHE.sub("'", sentence))
        if len(raw) >= 2 and raw[-1] == "." and text._is_abbreviation(raw[-2]):
            raw = raw[:-2] + [raw[-2] + "."]
        tokens = [t.casefold() for t in raw]
        tokens = [t for t in tokens if any(c.isalnum() for c in t) and not text._CLITIC.match(t)]
        content = [t not in stop and any(c.isalpha() for c in t) for t in tokens]
        words = text.stem(tokens) if stem else tokens
        for n in range(ngram_range[0], ngram_range[1] + 1):
            for i in range(len(tokens) - n + 1):
                if content[i] and content[i + n - 1]:
                    counts[(str(article_id), " ".join(words[i : i + n]), n)] += 1
    rows = sorted((a, n, t, c) for (a, t, n), c in counts.items())
    return pd.DataFrame(
        {
            "article_id": pd.Series([r[0] for r in rows], dtype="string"),
            "term": pd.Series([r[2] for r in rows], dtype="string"),
            "n": pd.Series([r[1] for r in rows], dtype="int64"),
            "count": pd.Series([r[3] for r in rows], dtype="int64"),
        }
    )


_REPEATED = pd.DataFrame(
    {
        "article_id": ["b", "a", "a", "c", "b", "a", "c"],
        "text": [
            "The Secretary of State met the press in Oslo.",
            "The Secretary of State met the press in Oslo.",
            "Talks resumed; “nobody” expected it -- and they didn't stop.",
            "The Secretary of State met the press in Oslo.",
            None,
            "Talks resumed; “nobody” expected it -- and they didn't stop.",
            "Prices rose 3.5% (again) in the U.S.",
        ],
    }
)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"ngram_range": (1, 1)}, {"ngram_range": (2, 4)}, {"stopwords": ()}, {"stem": True}, {"stopwords": ["OSLO", "talks"]}],
)
def test_count_terms_equals_the_row_by_row_definition(kwargs):
    """Sentences repeated within and across articles are tokenised once but counted every time."""
    got = terms.count_terms(_REPEATED, **kwargs)
    pd.testing.assert_frame_equal(got, _reference_count_terms(_REPEATED, **kwargs))
    if kwargs == {}:
        counts = dict(zip(zip(got["article_id"], got["term"]), got["count"]))
        assert counts[("a", "talks")] == 2 and counts[("b", "secretary of state")] == 1


def test_count_terms_equals_the_row_by_row_definition_on_a_generated_corpus(tmp_path):
    from mediawork import text
    from mediawork.readers import decode_bytes
    from mediawork.sample import generate_sample

    paths = generate_sample(60, tmp_path / "raw", seed=5)
    rows = []
    for path in paths:
        for sentence in text.split_sentences(decode_bytes(path.read_bytes())):
            rows.append((path.stem[:12], sentence))
    frame = pd.DataFrame(rows, columns=["article_id", "text"])
    assert len(frame) > 500
    pd.testing.assert_frame_equal(terms.count_terms(frame), _reference_count_terms(frame))


def test_count_terms_remembers_sentences_across_calls_without_changing_counts(monkeypatch):
    """A coder kept between calls (and reset when full) gives each call the counts of a fresh one."""
    halves = [_REPEATED.iloc[:4], _REPEATED.iloc[4:], _REPEATED]
    fresh = []
    for part in halves:
        terms._TermCoder._local.coder = None
        fresh.append(terms.count_terms(part))
    for part, expected in zip(halves * 2, fresh * 2):  # warm coder, mixed with other setups
        pd.testing.assert_frame_equal(terms.count_terms(part), expected)
        assert terms.count_terms(part, ngram_range=(2, 2), stopwords=()).shape[0] > 0
    monkeypatch.setattr(terms._TermCoder, "MAX_SENTENCES", 1)
    for part, expected in zip(halves * 2, fresh * 2):  # reset between every call
        before = terms._TermCoder._local.coder
        pd.testing.assert_frame_equal(terms.count_terms(part), expected)
        assert terms._TermCoder._local.coder is not before or len(before.sentences) <= 1


def test_count_terms_gives_the_same_rows_in_concurrent_threads():
    """Dask workers count in threads: each thread has its own coder, so codes never mix."""
    from concurrent.futures import ThreadPoolExecutor

    frames = [_REPEATED.assign(text=_REPEATED["text"].str.replace("Oslo", f"Oslo{i}")) for i in range(8)]
    expected = [_reference_count_terms(f) for f in frames]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda f: terms.count_terms(f), frames * 3))
    for frame_got, frame_expected in zip(got, expected * 3):
        pd.testing.assert_frame_equal(frame_got, frame_expected)
