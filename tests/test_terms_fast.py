"""terms' counting core gives the rows of count_terms' definition (word tokens, a Counter
of (article, n, term), sorted) on both of its row paths: the Arrow path for Arrow-backed
string columns and the row-by-row path for any other frame. Checked on hand-made edge
cases, random frames, a generated corpus and real news text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediawork import terms, text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DATA = SHARED / "data"
SMALL_STOP = frozenset({"the", "of", "a", "in", "and"})


def _definition(frame: pd.DataFrame, *, ngram_range=(1, 3), stopwords=SMALL_STOP, stem=False) -> list[tuple]:
    """count_terms' rows as its docstring defines them, one sentence row at a time."""
    stop = frozenset(w.casefold() for w in stopwords)
    counts: Counter = Counter()
    for article_id, sentence in zip(frame["article_id"].tolist(), frame["text"].tolist()):
        if not isinstance(sentence, str) or not sentence.strip():
            continue
        tokens = text.word_tokens(sentence)
        content = [t not in stop and any(c.isalpha() for c in t) for t in tokens]
        words = text.stem(tokens) if stem else tokens
        for n in range(ngram_range[0], ngram_range[1] + 1):
            for i in range(len(tokens) - n + 1):
                if content[i] and content[i + n - 1]:
                    counts[(str(article_id), n, " ".join(words[i : i + n]))] += 1
    return [(a, t, n, c) for (a, n, t), c in sorted(counts.items())]


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return list(frame.itertuples(index=False, name=None))


def _both_paths(ids: list, texts: list) -> list[pd.DataFrame]:
    """The same rows as an Arrow-backed string frame (when possible) and as an object frame."""
    frames = [pd.DataFrame({"article_id": pd.Series(ids, dtype=object), "text": pd.Series(texts, dtype=object)})]
    if all(isinstance(i, str) for i in ids) and all(isinstance(t, str) for t in texts):
        frames.append(pd.DataFrame({"article_id": pd.Series(ids, dtype="string"), "text": pd.Series(texts, dtype="string")}))
        frames.append(pd.DataFrame({"article_id": pd.Series(ids, dtype="str"), "text": pd.Series(texts, dtype="str")}))
    return frames


def _check(ids: list, texts: list, **kwargs) -> list[tuple]:
    expected = _definition(pd.DataFrame({"article_id": pd.Series(ids, dtype=object), "text": pd.Series(texts, dtype=object)}), **kwargs)
    for frame in _both_paths(ids, texts):
        before = frame.copy()
        assert _rows(terms.count_terms(frame, **{"stopwords": SMALL_STOP, **kwargs})) == expected
        arrow = terms.count_terms_arrow(frame, **{"stopwords": SMALL_STOP, **kwargs})
        assert [tuple(r.values()) for r in arrow.to_pylist()] == expected
        pd.testing.assert_frame_equal(frame, before)
    return expected


@pytest.mark.parametrize(
    ("ids", "texts", "kwargs"),
    [
        # nothing to count
        ([], [], {}),
        (["a"], [""], {}),
        (["a", "b"], ["   ", "\t\n"], {}),
        (["a"], ["the of a"], {}),
        (["a"], ["2024 ... 17"], {}),
        # an article whose only rows are blank is absent; one with a term is present
        (["a", "b", "b"], ["  ", "Lagos voted.", ""], {}),
        # the same sentence within one article, across articles, and articles interleaved
        (["b", "a", "b", "a", "c"], ["Floods hit Lagos.", "Floods hit Lagos.", "Floods hit Lagos.", "Talks ended.", "Floods hit Lagos."], {}),
        # ids in any order, and ids that sort differently as text and as numbers
        (["10", "9", "10", "100"], ["Kyiv met Lviv.", "Lviv met Kyiv.", "Kyiv again.", "Odesa."], {}),
        # the same term from two sentences of an article adds up; orders are kept apart
        (["a", "a"], ["Secretary of State Rubio", "the Secretary of State"], {"ngram_range": (1, 4)}),
        (["a"], ["one two three four five six"], {"ngram_range": (2, 5), "stopwords": ()}),
        (["a"], ["Vote vote VOTE"], {"ngram_range": (3, 3)}),
        (["a", "b"], ["Running runners ran.", "The runner runs."], {"stem": True}),
        # non-ASCII, curly apostrophes and quotes, clitics
        (["a"], ["Erdoğan’s “Straße” isn’t Zürich’s"], {}),
        (["x"], ['He said "no" -- twice; [really]'], {"ngram_range": (1, 2)}),
    ],
)
def test_counting_core_equals_the_definition(ids, texts, kwargs):
    _check(ids, texts, **kwargs)


def test_the_definition_is_not_trivial():
    rows = _check(["b", "a", "b"], ["Floods hit Lagos.", "Floods hit Lagos.", "Floods returned."], ngram_range=(1, 2))
    assert ("b", "floods", 1, 2) in rows and ("a", "floods hit", 2, 1) in rows and len(rows) == 12


@pytest.mark.parametrize(
    ("ids", "texts"),
    [
        ([1, 2, 1], ["Kyiv met Lviv.", "Lviv left.", "Kyiv stayed."]),  # ids that are not strings
        (["a", None, "a"], ["Kyiv met Lviv.", "Lviv left.", None]),  # a missing id is str(None); a missing text counts nothing
        (["a", "b"], [pd.NA, "Lviv left."]),
        (["a", "b"], [3, "Lviv left."]),
    ],
)
def test_row_by_row_path_keeps_the_old_id_and_text_rules(ids, texts):
    _check(ids, texts)


def test_arrow_path_with_missing_values_goes_row_by_row():
    frame = pd.DataFrame({"article_id": pd.Series(["a", "b", "c"], dtype="string"), "text": pd.Series(["Kyiv met Lviv.", pd.NA, "Odesa."], dtype="string")})
    assert _rows(terms.count_terms(frame, ngram_range=(1, 1))) == [("a", "kyiv", 1, 1), ("a", "lviv", 1, 1), ("a", "met", 1, 1), ("c", "odesa", 1, 1)]


def test_chunked_arrow_columns_give_the_same_rows():
    parts = [pd.DataFrame({"article_id": pd.Series([a], dtype="string"), "text": pd.Series([t], dtype="string")}) for a, t in [("b", "Kyiv met Lviv."), ("a", "Lviv met Kyiv."), ("b", "Kyiv met Lviv.")]]
    frame = pd.concat(parts, ignore_index=True)  # three Arrow chunks per column
    assert _rows(terms.count_terms(frame, stopwords=SMALL_STOP)) == _definition(frame)


_WORDS = st.sampled_from(["Kyiv", "kyiv", "the", "of", "met", "Lviv", "2024", "U.S.", "talks", "it's", "Straße", "—", ",", ".", "a", "and", "vote"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", "10", "9"]), st.lists(_WORDS, max_size=9).map(" ".join)),
        max_size=12,
    ),
    st.sampled_from([(1, 1), (1, 3), (2, 4), (3, 3)]),
)
def test_counting_core_equals_the_definition_on_random_frames(rows, ngram_range):
    _check([r[0] for r in rows], [r[1] for r in rows], ngram_range=ngram_range)


def test_counting_core_equals_the_definition_across_calls_of_one_coder():
    """Later calls reuse the coder's sentences and codes; every call still gets its own counts."""
    terms._TermCoder._local.coder = None
    batches = [(["a", "b"], ["Kyiv met Lviv.", "Talks ended."]), (["c", "a"], ["Talks ended.", "Lviv met Kyiv again."]), (["d"], ["Kyiv met Lviv."])]
    for ids, texts in batches * 2:
        _check(ids, texts)
    assert len(terms._TermCoder._local.coder.sentences) >= 3


def test_counting_core_equals_the_definition_on_a_generated_corpus(tmp_path):
    from mediawork.readers import decode_bytes
    from mediawork.sample import generate_sample

    paths = generate_sample(40, tmp_path / "raw", seed=11)
    ids, texts = [], []
    for path in paths:
        for sentence in text.split_sentences(decode_bytes(path.read_bytes())):
            ids.append(path.stem[:10])
            texts.append(sentence)
    assert len(texts) > 300
    _check(ids, texts)


def test_counting_core_equals_the_definition_on_real_text():
    files = sorted(DATA.glob("gum_news/texts/*.txt"))
    if not files:
        pytest.skip(f"no texts under {DATA / 'gum_news'}: the real-text check needs the shared GUM news data")
    ids, texts = [], []
    for f in files:
        for sentence in text.split_sentences(f.read_text(encoding="utf-8", errors="replace")):
            ids.append(f.stem)
            texts.append(sentence)
    assert len(texts) > 500
    _check(ids, texts)


# --------------------------------------------------------------------------- the batch coder


def _entries_by_code(coder, sentence_entries) -> Counter:
    orders = coder.high - coder.low + 1
    return Counter((coder.terms[e // orders], e % orders) for e in sentence_entries.tolist())


@pytest.mark.parametrize("ngram_range", [(1, 1), (2, 2), (3, 3), (1, 3), (2, 3), (1, 4)])
@pytest.mark.parametrize("stem", [False, True])
def test_code_many_gives_each_sentence_the_terms_of_code(ngram_range, stem):
    sentences = [
        "The Secretary of State met the press in Oslo.",
        "Runners were running; the runner runs.",
        "",
        "2024 and 17",
        "Vote vote vote vote",
        "Erdoğan’s “Straße” isn’t Zürich’s",
        "a",
        "Kyiv Lviv",
    ]
    one_by_one = terms._TermCoder(*ngram_range, SMALL_STOP, stem)
    expected = [_entries_by_code(one_by_one, one_by_one.code(s)) for s in sentences]
    batch = terms._TermCoder(*ngram_range, SMALL_STOP, stem)
    batch.code_many(sentences[:3])  # a second call meets known tokens and n-grams
    got = batch.code_many(sentences[3:])
    got = [batch.sentences[s] for s in sentences[:3]] + got
    assert [_entries_by_code(batch, g) for g in got] == expected
    assert len(set(batch.terms)) == len(batch.terms)  # one code per term, also when stems coincide
    assert sum(len(e) for e in expected) > 0


def test_code_many_goes_sentence_by_sentence_when_the_key_base_is_full(monkeypatch):
    monkeypatch.setattr(terms, "_TOKEN_BASE", 4)
    terms._TermCoder._local.coder = None
    try:
        _check(["a", "b"], ["Kyiv met Lviv in the spring.", "Odesa met Kyiv."])
        assert len(terms._TermCoder._local.coder.tokens) >= 4
    finally:
        terms._TermCoder._local.coder = None
