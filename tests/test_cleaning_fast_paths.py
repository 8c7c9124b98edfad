"""The fast paths of cleaning give the answers of their definitions.

Keys and word counts of lines made of ASCII and common typographic punctuation come
from byte tables; counts of a key's words from its spaces; "ends like a sentence" from
the text's last characters; several rules skip their regexes when a quick test shows
they cannot match. Each is compared here with the straightforward computation, on
tables of tiny texts, on generated strings and on a generated corpus.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediawork import boilerplate, bylines, cleaning, readers
from mediawork.errors import InputError
from mediawork.sample import generate_sample

_ASCII = [chr(c) for c in range(128)]
_TYPOGRAPHY = list(boilerplate._FAST_SEPARATORS) + ["’"]
#: Characters that must take the slow paths, or that NFKC or casefold change.
_OTHERS = ["é", "e\u0301", "ß", "ﬁ", "ı", "İ", "½", "ğ", "①", "㎏", "Ω", "К", "\u2028", "_", "\u037e", "\u212a"]
_ALPHABET = list("aZ09 '.-,\n\t") + _TYPOGRAPHY + _OTHERS

_texts = st.lists(st.sampled_from(_ALPHABET), max_size=30).map("".join)
_words = st.lists(st.sampled_from(["Talks", "don't", "Kyiv’s", "U.S.", "café", "ﬁne", "1,200", "—", "…", " ", "  ", "\n"]),
                  max_size=12).map("".join)


# --- keys and word counts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["  Subscribe Now @1199/year ", "rec-icon  Recommended Topics", "Kyiv’s “peace” plan — explained…", "don't", "a\u00a0b",
     "Erdoğan met Zelenskyy", "ﬁnal ½ cup", "e\u0301clair", "", "   ", "___", "«Live» • 12:05"],
)
def test_line_keys_equal_their_definition(line):
    assert boilerplate._normalize_cached.__wrapped__(line) == boilerplate._normalize_slow(line)


@pytest.mark.parametrize(
    "text",
    ["don't stop", "Kyiv’s plan", "rock 'n' roll", "a''b", "'quoted'", "U.S.-led talks", "1,200 troops", "café au lait",
     "— … •", "", "x'", "'x", "a'b'c", "a’b'c", "ﬁne"],
)
def test_word_counts_equal_their_definition(text):
    assert boilerplate.word_count.__wrapped__(text) == boilerplate._word_count_slow(text)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.one_of(_texts, _words))
def test_keys_and_counts_equal_their_definitions_on_generated_text(text):
    key = boilerplate._normalize_cached.__wrapped__(text)
    assert key == boilerplate._normalize_slow(text)
    assert boilerplate.word_count.__wrapped__(text) == boilerplate._word_count_slow(text)
    assert boilerplate._key_words(key) == boilerplate._word_count_slow(key)


def test_keys_and_counts_equal_their_definitions_on_every_pair_of_fast_characters():
    chars = _ASCII + _TYPOGRAPHY
    for a in chars:
        for b in chars:
            text = a + b + "x"
            assert boilerplate._normalize_cached.__wrapped__(text) == boilerplate._normalize_slow(text), repr(text)
            assert boilerplate.word_count.__wrapped__(text) == boilerplate._word_count_slow(text), repr(text)


@pytest.mark.parametrize("char", boilerplate._FAST_SEPARATORS)
def test_typographic_separators_are_no_word_characters_even_after_nfkc(char):
    assert not re.search(r"[^\W_]", unicodedata.normalize("NFKC", char).casefold())
    assert char not in "'’"


def test_no_space_character_is_a_word_character():
    word = re.compile(r"[^\W_]")
    assert not [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and word.match(c)]


@pytest.mark.parametrize(("text", "n"), [("", 4), ("one two three", 4), ("one two three four", 4), ("a, b; c. d!", 4), ("—", 1), ("x", 1)])
def test_at_least_n_words_agrees_with_the_count(text, n):
    assert boilerplate._has_words(text, n) == (boilerplate._word_count_slow(text) >= n)


# --- endings -------------------------------------------------------------------------------------------

_END_ALPHABET = list("a .!?…;,:\"'”’»)]\n") + ["\u00a0"]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_END_ALPHABET), max_size=12).map("".join))
def test_endings_equal_their_regexes(text):
    stripped = text.strip()
    assert boilerplate._ends_sentence(stripped) == (boilerplate._ENDS_SENTENCE.search(stripped) is not None)
    assert boilerplate.ends_like_sentence(text) == (boilerplate._ENDS_SENTENCE.search(stripped) is not None)
    old_sentence = boilerplate._word_count_slow(text) >= 4 and boilerplate._TERMINAL.search(text.rstrip()) is not None
    assert boilerplate.is_sentence_like.__wrapped__(text) == old_sentence
    headline = boilerplate._short_line(text, max_chars=300, words=(2, 30))
    assert boilerplate.is_headline_like(text) == (headline is not None and not re.search(r"[.;,:][\"'”’»)\]]*$", headline))


@pytest.mark.parametrize("text", ["Russia", "Talks resumed.", "NATO:", "Kyiv…", "2025", "Peace talks”", "(AP)", "Zelenskyy, Trump"])
def test_tag_test_equals_its_regex(text):
    stripped = boilerplate._short_line(text, max_chars=40, words=(1, 4))
    expected = (
        stripped is not None
        and (stripped[0].isupper() or stripped[0].isdigit())
        and not re.search(r"[.!?:;,…][\"'”’»)\]]*$", stripped)
        and not stripped.isdigit()
    )
    assert boilerplate.is_tag_like(text) == expected


@pytest.mark.parametrize("text", ["rec-icon Recommended Topics", "REC_ICON  Tags", "rec-ıcon Topics", "wsj-logo", "Iconic talks", "  share-icon  "])
def test_icon_stripping_equals_its_regex(text):
    expected = re.sub(r"^(?:[\w]+[-_]icon\b\s*)+", "", text.strip(), flags=re.IGNORECASE).strip()
    assert boilerplate._strip_icon(text) == expected


# --- quick tests before regexes ------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(list("ab( ).\n/") + ["(AP Photo/Jane Doe)", "(Bloomberg)", " photo", "Staff"]), max_size=8).map("".join))
def test_a_caption_regex_never_matches_a_text_its_quick_test_refuses(text):
    stripped = text.strip()
    for guard, pattern in boilerplate._CREDITS:
        if pattern.search(stripped):
            assert guard is None or guard(stripped), (stripped, pattern.pattern)


@pytest.mark.parametrize(
    "line",
    ["Jane Doe contributed reporting from Kyiv.", "Jane Doe reported from London.", "Jane Doe and John Roe contributed to this report.",
     "The ministry said talks had stalled.", "Jane Doe CONTRIBUTED reporting."],
)
def test_contributor_lines_are_recognised_as_before(line):
    text = " ".join(unicodedata.normalize("NFC", line).split())
    has_word = "contributed" in line or "reported" in line
    assert bylines._CONTRIBUTOR.fullmatch(text) is None or has_word
    assert bylines.is_contributor_line(line) == (line in {
        "Jane Doe contributed reporting from Kyiv.", "Jane Doe reported from London.", "Jane Doe and John Roe contributed to this report."})


def test_nfc_makes_no_ascii_letter_from_other_characters():
    made = [c for c in map(chr, range(128, sys.maxunicode + 1))
            if not 0xD800 <= ord(c) <= 0xDFFF and any("a" <= ch <= "z" for ch in unicodedata.normalize("NFC", c))]
    assert made == []


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.one_of(_texts, _words))
def test_letter_words_equal_their_regex(text):
    fast = cleaning._letter_words(text)
    assert fast is None or fast == cleaning._LETTERS.findall(text.casefold())
    expected = frozenset(w for w in cleaning._LONG_WORD.findall(text.casefold()) if w not in cleaning._STOP)
    assert cleaning._content_words.__wrapped__(text) == expected


@pytest.mark.parametrize(
    "text",
    ["The talks in Riyadh ended without a deal, and the envoys said they would return.", "Les négociations ont repris à Riyad.",
     "Die Gespräche sind nicht beendet, und es gibt keine Einigung.", "“The truce holds,” he said — for now…", "", "1234",
     "Les délégations ont repris les négociations à Riyad."],
)
def test_language_detection_equals_the_regex_count(text):
    words = cleaning._LETTERS.findall(text.casefold())
    expected = "und"
    if words:
        hits = {lang: sum(1 for w in words if w in vocab) for lang, vocab in cleaning._FUNCTION_WORDS.items()}
        en = hits.pop("en")
        if en >= 3 and en / len(words) >= 0.15 and en > max(hits.values()):
            expected = "en"
    assert cleaning.detect_language(text) == expected


# --- whole dumps: every fast path off gives the same articles ---------------------------------------------


def _clear_caches() -> None:
    for fn in (boilerplate._normalize_cached, boilerplate.word_count, boilerplate.is_sentence_like, boilerplate.strip_badges,
               boilerplate.match_rule, cleaning._content_words):
        fn.cache_clear()


def _articles(pairs):
    learned = cleaning.learn_boilerplate(pairs)
    out = []
    for source, text in pairs:
        out.append(cleaning.dump_line_keys(text))
        try:
            out.append(vars(cleaning.clean_dump(text, learned=learned.get(source, frozenset()))))
        except InputError as exc:
            out.append(str(exc))
    return learned, out


def test_dumps_clean_the_same_with_the_byte_paths_switched_off(tmp_path, monkeypatch):
    generate_sample(160, tmp_path, seed=11)
    units = [u for u in readers.iter_units([tmp_path], root=tmp_path) if u.kind == "dump"]
    pairs = [(cleaning.dump_source(u.text) or "", u.text) for u in units]
    assert len(pairs) > 50
    _clear_caches()
    fast = _articles(pairs)
    with monkeypatch.context() as m:
        m.setattr(boilerplate, "_ascii_bytes", lambda text, *, apostrophe: None)
        m.setattr(cleaning, "_letter_words", lambda text: None)  # cleaning's byte path: letter words by the general split
        _clear_caches()
        slow = _articles(pairs)
    _clear_caches()
    assert sum(map(len, fast[0].values())) > 0
    assert fast == slow


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The talks in Riyadh ended without a deal.",
        "“Café” talks in Zürich — Straße 5, İstanbul’s ﬁne ½ x₂ ²³",
        "Les négociations ont repris à Riyad avec les délégations.",
        "Переговоры возобновились в Эр-Рияде, сказал он.",
        "snake_case_words, 2025-03-18 and \u212aelvin or \u017fong",
        "日本語のテキスト、そして English words",
    ],
)
def test_folded_letter_words_are_the_regex_words(text):
    assert cleaning._folded_letter_words(text) == cleaning._LETTERS.findall(text.casefold())


# --- the first line of a dump, without splitting the whole dump -----------------------------------------

#: Every line boundary of str.splitlines, other whitespace, byte-order marks and a few visible pieces.
_LINE_PIECES = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028", "\u2029", " ", "\t", "\u00a0",
                "\u3000", "\ufeff", "\u200b", "example.com", "https://www.example.org/a b", "www.", "Talks resume", ".", "é"]


@pytest.mark.parametrize(
    "text",
    ["", "\ufeff", "\ufeff\ufeff  \n\n example.com \n\nHeadline", "\n\x1c\u2028 example.com\x1dnext", "a\x1fb\nc", "\ufeff \ufeffx",
     " \u00a0\r\n\r\nhttps://www.example.org/world/story-1\r\n\r\nHeadline", "Headline with words\n\nexample.com", "\x85\x85x\x85y"],
)
def test_first_line_equals_its_definition(text):
    assert cleaning._first_line(text) == cleaning._first_line_slow(text)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_LINE_PIECES), max_size=10).map("".join))
def test_first_line_equals_its_definition_on_generated_text(text):
    assert cleaning._first_line(text) == cleaning._first_line_slow(text)


@pytest.mark.parametrize(
    ("text", "source", "url"),
    [
        ("example.com\n\nHeadline", "example.com", None),
        ("\ufeff\n  https://www.example.org/world/a-1 \n\nHeadline", "example.org", "https://www.example.org/world/a-1"),
        ("Truce Talks Resume\n\nexample.com", None, None),
        ("\n\n   \n", None, None),
    ],
)
def test_dump_source_and_url_read_the_first_line(text, source, url):
    assert cleaning.dump_source(text) == source
    assert cleaning._first_line_url(text) == url


def test_first_lines_of_generated_and_seed_dumps_equal_their_definition(tmp_path):
    generate_sample(40, tmp_path, seed=3)
    texts = [u.text for u in readers.iter_units([tmp_path], root=tmp_path) if u.kind == "dump"]
    seeds = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(seeds.glob("*.txt"))] if seeds.is_dir() else []
    assert len(texts) > 10
    assert [cleaning._first_line(t) for t in texts] == [cleaning._first_line_slow(t) for t in texts]
    assert all(cleaning.dump_source(t) is not None for t in texts)


def test_first_line_of_real_news_text():
    folder = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "gum_news" / "texts"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found: the real-text check needs ../shared/data/gum_news beside the repository")
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    assert texts
    assert [cleaning._first_line(t) for t in texts] == [cleaning._first_line_slow(t) for t in texts]
    assert [cleaning._first_line(t[40:]) for t in texts] == [cleaning._first_line_slow(t[40:]) for t in texts]
