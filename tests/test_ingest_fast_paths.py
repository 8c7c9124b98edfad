"""The fast word count of ingest (``n_words``) gives the answer of its definition.

:func:`mediawork.ingest.count_words` counts on bytes, deleting the characters that are
neither word characters nor whitespace; :func:`mediawork.ingest._count_words_slow` is
the definition (all tokens less those without a word character, by regex). They are
compared on a table of tiny texts, on generated strings, on every Unicode character,
on generated article bodies and on real news text when ``../shared/data`` is present.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediawork import ingest, readers
from mediawork.sample import generate_sample

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

#: Characters of every kind the fast path treats apart: ASCII controls and separators that are
#: whitespace for ``str.split`` (``\x1c``-``\x1f``), Unicode spaces and line breaks, letters and
#: digits outside ASCII, marks, symbols, typographic punctuation, a lone surrogate.
_ODD = ["\x1c", "\x1f", "\x00", "\x7f", "\x85", "\u00a0", "\u2028", "\u3000", "\u200b", "é", "e\u0301", "\u0301", "ğ", "²", "٣",
        "①", "ǅ", "日", "_", "©", "€", "—", "’", "“", "…", "\ud800", "😀"]
_ALPHABET = list("ab1 -.,!?'\"&\t\n") + _ODD
_texts = st.lists(st.sampled_from(_ALPHABET), max_size=30).map("".join)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("   ", 0),
        ("Talks resumed.", 2),
        ("Talks resumed — at 9 a.m. — in Riyadh.", 7),
        ("— … “ ” ’", 0),
        ("“Yes,” she said", 3),
        ("a\x1cb\x1dc\x1ed\x1fe", 5),  # ASCII separators: whitespace for str.split and \s
        ("a\x00b \x7f", 1),  # controls are neither words nor spaces
        ("a\u00a0b\u2028c\x85d\u3000e", 5),
        ("a\u200bb", 1),  # a zero-width space is not whitespace
        ("\u0301 e\u0301 ² ٣ ①", 4),  # a lone combining mark is no word; digits of every script are
        ("Erdoğan’s café — ©2025 €5", 4),
        ("snake_case _ __", 3),
        ("\ud800 x\ud800", 1),  # a lone surrogate is neither
        ("日本語 😀", 1),
    ],
)
def test_count_words_equals_its_definition(text, expected):
    assert ingest.count_words(text) == ingest._count_words_slow(text) == expected


@settings(max_examples=600, deadline=None, derandomize=True)
@given(_texts)
def test_count_words_equals_its_definition_on_generated_text(text):
    assert ingest.count_words(text) == ingest._count_words_slow(text)


def test_every_character_is_counted_as_its_definition_counts_it(monkeypatch):
    monkeypatch.setattr(ingest, "_CHAR_CLASSES", {})  # the per-character cache of this test stays in this test
    chars = [chr(c) for c in range(sys.maxunicode + 1)]
    size = ingest._MAX_REPLACED - 2  # texts the byte path counts
    plane0 = chars[: 0x10000] + chars[0x10000 :: 101]  # the byte path on the Basic Multilingual Plane and a sample of the others
    for start in range(0, len(plane0), size):
        chunk = plane0[start : start + size]
        spaced, glued = " ".join(chunk), "a" + "a".join(chunk) + "a"
        assert ingest.count_words(spaced) == ingest._count_words_slow(spaced), [hex(ord(c)) for c in chunk]
        assert ingest.count_words(glued) == ingest._count_words_slow(glued), [hex(ord(c)) for c in chunk]
    # The class of each of those non-ASCII characters is the one the definition gives it (no errors that cancel out above).
    classes = {c: ingest._non_ascii_class(c) for c in plane0[128:]}
    wordless = [c for c, r in classes.items() if r == b""]
    words = [c for c, r in classes.items() if r is None]
    spaces = [c for c, r in classes.items() if r == b" "]
    assert len(wordless) + len(words) + len(spaces) == len(plane0) - 128
    assert ingest._count_words_slow(" ".join(wordless)) == 0
    assert ingest._count_words_slow(" ".join(words)) == len(words)
    assert ingest._count_words_slow("a" + "a".join(spaces) + "a") == len(spaces) + 1


def test_texts_of_many_distinct_characters_are_counted_by_the_definition():
    text = " ".join(chr(c) for c in range(0x4E00, 0x4E00 + 3 * ingest._MAX_REPLACED)) + " — ’ a"
    assert ingest.count_words(text) == ingest._count_words_slow(text) == 3 * ingest._MAX_REPLACED + 1


def test_count_words_on_generated_article_bodies(tmp_path):
    generate_sample(60, tmp_path, seed=5)
    texts = [u.text for u in readers.iter_units([tmp_path], root=tmp_path) if u.kind == "dump"]
    texts += [str(u.fields.get("text")) for u in readers.iter_units([tmp_path], root=tmp_path) if u.kind == "record"]
    assert len(texts) > 30 and any(not t.isascii() for t in texts)
    assert [ingest.count_words(t) for t in texts] == [ingest._count_words_slow(t) for t in texts]


def test_count_words_on_real_news_text():
    folder = SHARED / "data" / "gum_news" / "texts"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found: the real-text check needs ../shared/data/gum_news beside the repository")
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    assert texts
    pieces = texts + [line for t in texts for line in t.splitlines()]
    assert [ingest.count_words(t) for t in pieces] == [ingest._count_words_slow(t) for t in pieces]
