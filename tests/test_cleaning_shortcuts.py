"""The speed shortcuts of cleaning and of duplicate signatures give the answers of their definitions.

Word splits by byte tables where the text has non-ASCII letters, word counts by
counting instead of splitting, a substring pre-test before the restating-caption
test, headline keys computed once per dump, date stamps read once, the e-mail
regexes skipped for text without ``@``, and MinHash without temporaries: each is
compared with the straightforward computation on tables of tiny texts and on
generated strings.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediawork import boilerplate, bylines, cleaning, dates, dedup

#: Characters that take the non-ASCII paths, or that casefold turns into several characters or into ASCII.
_ODD = ["é", "e\u0301", "ß", "ﬁ", "ı", "İ", "½", "ğ", "①", "Ω", "К", "\u212a", "\u017f", "²", "٣", "_", "©", "“", "”", "’", "—", "\u00a0", "\u2028", "ᏸ"]
_ALPHABET = list("aZ09 '.-,\n\t@") + _ODD
_texts = st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join)
_phrases = st.lists(
    st.sampled_from(["Talks", "don't", "rock'n'roll", "a'b'c", "Erdoğan’s", "STRAẞE", "café", "1,200", "x'", "'y", "—", " ", "\n"]),
    max_size=12,
).map("".join)


# --- words of signatures and of the language test -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "Talks resumed in Riyadh.", "Erdoğan met Zelenskyy — “briefly”.", "STRASSE Straße ﬁne ½ x₂ ²³", "snake_case and \u212aelvin",
     "İstanbul’s mayor", "Переговоры возобновились", "日本語 and English", "©2025 Example Ltd", "e\u0301clair"],
)
def test_signature_words_equal_their_regex(text):
    assert dedup._words(text) == dedup._words_slow(text) == dedup._WORD.findall(text.casefold())


@pytest.mark.parametrize(
    "text",
    ["", "The talks in Riyadh ended.", "Erdoğan met Zelenskyy — “briefly”.", "Straße ﬁne ½ x₂ ²³", "İstanbul’s mayor", "٣ digits ①", "©2025"],
)
def test_letter_words_equal_their_regex(text):
    assert cleaning._folded_letter_words(text) == cleaning._LETTERS.findall(text.casefold())


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.one_of(_texts, _phrases))
def test_word_splits_equal_their_regexes_on_generated_text(text):
    assert dedup._words(text) == dedup._WORD.findall(text.casefold())
    assert cleaning._folded_letter_words(text) == cleaning._LETTERS.findall(text.casefold())


def test_signatures_are_unchanged_for_non_ascii_bodies():
    text = "Erdoğan and Zelenskyy met in İstanbul on Monday — “a start”, aides said. Straße, café, ½."
    words = dedup._WORD.findall(text.casefold())
    row = dedup.signature_row("a", text)
    assert row["digest"] == dedup.hashlib.sha256(" ".join(words).encode()).hexdigest()
    assert bool((dedup.shingle_hashes(text) == dedup._hash_shingles(words)).all())


# --- word counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "n"),
    [("", 0), ("don't stop", 2), ("rock'n'roll", 1), ("a'b'c d", 2), ("'quoted' words", 2), ("x' 'y", 2), ("a''b", 2),
     ("Kyiv’s plan", 2), ("1,200 troops", 3), ("— … •", 0), ("  lead and trail  ", 3), ("U.S.-led", 3)],
)
def test_word_counts_by_counting_equal_their_definition(text, n):
    assert boilerplate.word_count.__wrapped__(text) == boilerplate._word_count_slow(text) == n


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.one_of(_texts, _phrases, st.lists(st.sampled_from(list("ab'’ .")), max_size=16).map("".join)))
def test_word_counts_equal_their_definition_on_generated_text(text):
    assert boilerplate.word_count.__wrapped__(text) == boilerplate._word_count_slow(text)


# --- restated captions ------------------------------------------------------------------------------


def _restates_by_definition(block, later):
    words = cleaning._content_words(block)
    if len(words) < cleaning._RESTATE_MIN_WORDS:
        return False
    return any(len(words & cleaning._content_words(p)) / len(words) >= cleaning._RESTATE_SHARE for p in later)


_CAPTION = "Delegates gather outside the palace before Monday's negotiations about grain exports."


@pytest.mark.parametrize(
    "later",
    [
        [],
        ["Delegates gathered outside the palace before negotiations on grain exports resumed on Monday."],
        ["Officials said little.", "Nothing about grain here, only weather and football results."],
        ["The palace was quiet.", "Negotiations about grain exports began after delegates gather outside."],
        ["DELEGATES GATHER OUTSIDE THE PALACE — NEGOTIATIONS ABOUT GRAIN"],
        ["Delegates", "gather outside", "the palace before", "negotiations about grain exports"],  # the words are spread out
        ["Les délégués négocient; Erdoğan’s palace hosts grain negotiations for delegates gathering outside."],
    ],
)
def test_restates_equals_its_definition(later):
    assert cleaning._restates(_CAPTION, later) == _restates_by_definition(_CAPTION, later)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(["talks", "Riyadh", "grain", "exports", "delegates", "palace", "Erdoğan", "İstanbul", "café", "the", ","]),
             min_size=3, max_size=10).map(" ".join),
    st.lists(st.lists(st.sampled_from(["Talks", "riyadh", "GRAIN", "export", "delegates", "palaces", "erdoğan", "istanbul", "cafe", "."]),
                      max_size=10).map(" ".join), max_size=4),
)
def test_restates_equals_its_definition_on_generated_text(block, later):
    assert cleaning._restates(block, later) == _restates_by_definition(block, later)


# --- headline keys, stamps, e-mails --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "title_key"),
    [("Talks Resume in Riyadh PREMIUM", "talks resume in riyadh"), ("Talks Resume in Riyadh - Reuters", "talks resume in riyadh"),
     ("Talks resume in Riyadh, officials said on Monday.", "talks resume in riyadh"), ("Other story", "talks resume in riyadh"),
     ("Talks Resume in Riyadh as envoys arrive for a second round", "talks resume in riyadh")],
)
def test_title_variants_with_a_known_key_equal_the_computed_ones(block, title_key):
    key = boilerplate.normalize_line(boilerplate.strip_badges(block))
    assert cleaning._is_title_variant(block, title_key, key=key) == cleaning._is_title_variant(block, title_key)
    lab = cleaning._Labels([block, "x"])
    assert lab.title_keys() == [key, "x"]


@pytest.mark.parametrize(
    "line", ["Updated 3:05 PM EST, Tue March 18, 2025", "18 March 2025", "2025-03-18T12:40:00+05:30", "10:42 GMT", "March 2025 talks", "no date"]
)
def test_stamps_read_once_equal_fresh_readings(line):
    text = dates._normalize(line)
    dates._stamp_of.cache_clear()
    first = (dates.looks_like_date(line), dates.parse_published(line))
    dates._looks_like_date.cache_clear()
    dates._parse_text_cached.cache_clear()
    dates._stamp_of.cache_clear()
    assert dates._stamp_of(text) == dates._read_stamp(text)
    assert (dates.looks_like_date(line), dates.parse_published(line)) == first


@pytest.mark.parametrize(
    "text",
    ["Write to Jane Doe at jane.doe@example.com", "By Jane Doe, Reuters", "By Jane Doe | jane@example.com", "the talks had stalled",
     "Follow @janedoe", "By Jane Doe and John Roe"],
)
def test_email_shortcuts_keep_byline_answers(text):
    body_words = any(
        w and w[0].islower() and w.casefold() not in bylines._BYLINE_LOWER and not bylines._name_word_ok(w)
        for w in (w.strip(".,;:()[]|\"'“”‘’") for w in bylines._EMAIL.sub(" ", text).split())
    )
    assert bylines._has_body_words(text) == body_words
    expected = "\n".join(re.sub(r"[ \t]{2,}", " ", bylines._remove_emails(ln) if bylines._EMAIL.search(ln) else ln).strip(" \t")
                         for ln in text.split("\n")).strip()
    assert bylines.strip_emails(text) == expected


@pytest.mark.parametrize("text", ["Photo: Jane Doe", "A story about nothing.", "Illustration by Jane Doe", "pictures", "PHOTO"])
def test_multi_needle_quick_test_equals_a_regex_scan(text):
    needles = ("Photo", "PHOTO", "Image", "Picture", "Credit", "Illustration")
    assert boilerplate._holds(*needles)(text) == (re.search("|".join(needles), text) is not None)


# --- MinHash ------------------------------------------------------------------------------------------


def _minhash_by_definition(hashes, permutations):
    a, b = permutations
    x = hashes[:, None] * a[None, :] + b
    x ^= x >> np.uint64(32)
    x *= dedup._MIX2
    return (x >> np.uint64(32)).astype(np.uint32).min(axis=0)


@pytest.mark.parametrize("n", [1, 2, 7, 300])
def test_minhash_equals_its_definition(n, monkeypatch):
    rng = np.random.default_rng(n)
    hashes = rng.integers(0, 2**64, size=n, dtype=np.uint64, endpoint=False)
    perms = dedup._permutations(16)
    expected = _minhash_by_definition(hashes, perms)
    assert bool((dedup._minhash(hashes, perms) == expected).all())
    monkeypatch.setattr(dedup, "_BLOCK", 3)  # several blocks, the last one short
    assert bool((dedup._minhash(hashes, perms) == expected).all())
