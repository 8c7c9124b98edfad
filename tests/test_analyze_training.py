"""Punkt's training sample read with word-count bounds is exactly the sample of the plain definition.

``analyze._training_texts`` bounds the candidates by ``n_words`` (a body of n words has at
least 2n - 1 characters) instead of measuring every body first; ``_training_texts_slow``
measures them all. Both must give the same texts in the same order, whatever the size
limit, and wrong word counts must send it back to the slow path.
"""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest

from mediawork import analyze as analyze_mod
from mediawork import schema, store, text

from .conftest import SHARED
from .test_analyze import ARTICLES, _frame

WORDS = ["truce", "talks", "Kyiv", "port", "grain", "said", "on", "Monday", "the", "ministers", "a", "deal", "é", "Black", "Sea"]


def _rows(texts: list[str], *, months: list[str] | None = None) -> list[tuple[str, str, str, None]]:
    months = months or ["2025-03"] * len(texts)
    return [(f"{i:016x}", f"{m}-1{i % 9}T10:00:00Z", t, None) for i, (t, m) in enumerate(zip(texts, months))]


def _corpus(folder, rows, *, n_words=None) -> pd.DataFrame:
    frame = _frame(rows)
    if n_words is not None:
        frame["n_words"] = pd.array(n_words, dtype="Int32")
    store.write_table(frame, schema.ARTICLES, folder)
    corpus = analyze_mod._read_corpus(folder)  # no signatures: hashes and lengths read from the bodies
    assert "chars" in corpus.columns
    return corpus


def _same_sample(folder, corpus: pd.DataFrame, *, bounded: bool = True) -> list[str]:
    """The sample with and without the bounds (``bounded``: the bounds must hold, so the fast path gives it)."""
    without_lengths = corpus.drop(columns=["chars"])  # as when the hashes come from the signatures
    fast = analyze_mod._training_texts(without_lengths, folder)
    assert fast == analyze_mod._training_texts_slow(without_lengths, folder) == analyze_mod._training_texts_slow(corpus, folder)
    assert (analyze_mod._training_texts_by_words(without_lengths, folder) == fast) if bounded else True
    return fast


@pytest.mark.parametrize("limit", [1, 80, 200, 350, 600, 10**9])
def test_the_sample_of_the_test_corpus_does_not_depend_on_the_bounds(tmp_path, monkeypatch, limit):
    monkeypatch.setattr(text, "TRAIN_MAX_CHARS", limit)
    sample = _same_sample(tmp_path, _corpus(tmp_path, ARTICLES))
    assert 1 <= len(sample) <= len(ARTICLES) - 1  # the duplicate's text is the same as its original's


@pytest.mark.parametrize(
    ("texts", "n_words", "limit", "bounded"),
    [
        (["a b c", "", "   ", "word"], None, 4, True),  # empty bodies count 0 characters
        (["one two", "three four five", "six"], [50, 50, 50], 9, False),  # word counts too high: the slow path
        (["one two", "three four five", "six"], [None, None, None], 9, True),  # no word counts: bound 0, every text a candidate
        (["x " * 40, "y " * 40, "z"], [0, 1, 1], 60, True),
        (["Ça va.", "Ça va.", "Ça va bien."], None, 7, True),  # repeated texts are one sample text
    ],
)
def test_the_sample_of_hand_made_corpora_does_not_depend_on_the_bounds(tmp_path, monkeypatch, texts, n_words, limit, bounded):
    monkeypatch.setattr(text, "TRAIN_MAX_CHARS", limit)
    corpus = _corpus(tmp_path, _rows(texts), n_words=n_words)
    sample = _same_sample(tmp_path, corpus, bounded=bounded)
    assert sample and all(t in texts for t in sample)
    assert (analyze_mod._training_texts_by_words(corpus.drop(columns=["chars"]), tmp_path) is None) is not bounded


def test_a_word_count_that_does_not_describe_its_body_gives_up_the_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(text, "TRAIN_MAX_CHARS", 10)
    corpus = _corpus(tmp_path, _rows(["one two", "three four", "five"]), n_words=[9, 9, 9])
    assert analyze_mod._training_texts_by_words(corpus.drop(columns=["chars"]), tmp_path) is None
    _same_sample(tmp_path, corpus, bounded=False)


@pytest.mark.parametrize("seed", range(12))
def test_the_sample_of_random_corpora_does_not_depend_on_the_bounds(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 30))) for _ in range(rng.randint(1, 25))]
    months = [rng.choice(["2025-01", "2025-02", "2025-03"]) for _ in texts]
    monkeypatch.setattr(text, "TRAIN_MAX_CHARS", rng.choice([1, 50, 150, 400, 2000]))
    _same_sample(tmp_path, _corpus(tmp_path, _rows(texts, months=months)))


def test_the_sample_of_real_news_texts_does_not_depend_on_the_bounds(tmp_path, monkeypatch):
    path = SHARED / "data" / "gum_news" / "gum_news.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found: the real-text check needs ../shared/data/gum_news beside the repository")
    docs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    texts = ["\n\n".join(doc["sentences"]) for doc in docs]
    assert len(texts) > 5
    for limit in (1, sum(map(len, texts)) // 3, 10**9):
        monkeypatch.setattr(text, "TRAIN_MAX_CHARS", limit)
        _same_sample(tmp_path, _corpus(tmp_path, _rows(texts)))
