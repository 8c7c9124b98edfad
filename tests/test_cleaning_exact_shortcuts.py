"""Shortcuts in reading and cleaning give exactly what their definitions give.

Each fast path of this session is compared with the definition it replaces: on
hand-made edge cases, on generated text (hypothesis), on generated sample dumps, and on
real news text from ``../shared/data`` when it is present.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediawork import boilerplate, bylines, cleaning, exports, readers
from mediawork.sample import generate_sample

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _real_texts() -> list[str]:
    folder = SHARED_DATA / "gum_news" / "texts"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found: the real-text check needs ../shared/data/gum_news beside the repository")
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    assert texts
    return texts


@pytest.fixture(scope="module")
def sample_texts(tmp_path_factory) -> list[str]:
    """The dumps of 60 generated inputs."""
    folder = tmp_path_factory.mktemp("sample")
    generate_sample(60, folder, seed=11)
    texts = [u.text for u in readers.iter_units([folder], root=folder) if u.kind == "dump"]
    assert len(texts) > 20
    return texts


@pytest.fixture(scope="module")
def sample_blocks(sample_texts) -> list[str]:
    """Every distinct block of the generated dumps."""
    return sorted({b for t in sample_texts for b in cleaning._split_blocks(t)})


def test_line_flags_mark_prose_as_is_prose_key_does(sample_texts):
    for text in sample_texts:
        blocks = cleaning._split_blocks(text)[1:]  # every sample dump names its site first
        keyed = [(cleaning.normalize_line(b), b) for b in blocks if cleaning.normalize_line(b)]
        flags = cleaning._line_flags(text)
        assert [key for _, _, key in flags] == [key for key, _ in keyed]
        assert [prose for prose, _, _ in flags] == [cleaning._is_prose_key(key, b) for key, b in keyed]


# --- letter words and language ------------------------------------------------------------------


def _letters_by_definition(text: str) -> list[str]:
    return cleaning._LETTERS.findall(text.casefold())


@pytest.mark.parametrize(
    ("text", "fast"),
    [
        ("Erdoğan met Macron in Ankara.", True),  # a lower-case letter that folds to itself stays in its word
        ("Le café—bar a rouvert, dit-on… naïve’s “test”", True),  # separators of any kind split
        ("ÉLAN and Élysée", False),  # É folds to é: left to the general split
        ("Straße", False),  # ß folds to ss
        ("İstanbul", False),  # İ folds to two characters
        ("e\u0301te\u0301", True),  # combining marks are not letters: they split
        ("x\udc80y", True),  # a lone surrogate is no letter: it splits
        ("١٢٣ and ٤", True),  # other digits split
        ("ǅemal", False),  # a title-case letter folds to another
        ("москва и киев", True),
        ("Москва", False),
        ("plain ascii, words: 42 of them", True),
        ("".join(chr(0x3b1 + i) for i in range(25)), None),  # more distinct characters than the byte pass takes
        ("", True),
    ],
)
def test_letter_words_equal_their_definition(text, fast):
    words = cleaning._letter_words(text)
    if fast is not None:
        assert (words is not None) == fast
    assert words is None or words == _letters_by_definition(text)
    assert cleaning.detect_language(text) == _language_by_definition(text)


def test_letter_words_judge_every_character_as_the_definition_does():
    """Every code point between letters: kept in the word, splitting it, or left to the general split."""
    used = 0
    for code in [*range(0x80, 0x3100), *range(0xFB00, 0xFB50), *range(0xFF00, 0xFFF0), *range(0x1D400, 0x1D500)]:
        text = f"ab{chr(code)}cd Ab"
        words = cleaning._letter_words(text)
        if words is not None:
            used += 1
            assert words == _letters_by_definition(text), hex(code)
    assert used > 5_000


_alphabet = st.sampled_from(list("aZ é'’—-. \n\tğÉßİ\u0301") + ["the ", "and ", "der ", "и ", "Erdoğan ", "Café "])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(_alphabet, max_size=30).map("".join))
def test_letter_words_equal_their_definition_on_generated_text(text):
    words = cleaning._letter_words(text)
    assert words is None or words == _letters_by_definition(text)
    assert cleaning.detect_language(text) == _language_by_definition(text)


def _language_by_definition(text: str) -> str:
    """detect_language as first written: a Counter of every word."""
    words = _letters_by_definition(text)
    if not words:
        return "und"
    counts = Counter(words)
    hits = {lang: sum(counts[w] for w in vocab if w in counts) for lang, vocab in cleaning._FUNCTION_WORDS.items()}
    en = hits.pop("en")
    return "en" if en >= 3 and en / len(words) >= 0.15 and en > max(hits.values()) else "und"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The envoys said that the talks in Riyadh were over, and that they would return.", "en"),
        ("Die Gespräche sind nicht beendet, und es gibt keine Einigung mit der Regierung.", "und"),
        ("Erdoğan said the talks with the envoys in Ankara had been useful for both of them.", "en"),
        ("Talks. Riyadh. Monday.", "und"),
    ],
)
def test_detect_language_answers(text, expected):
    assert cleaning.detect_language(text) == expected == _language_by_definition(text)


def test_letter_words_and_language_of_real_news_text():
    for text in _real_texts():
        words = cleaning._letter_words(text)
        assert words is None or words == _letters_by_definition(text)
        assert cleaning.detect_language(text) == _language_by_definition(text)


# --- captions ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "block",
    [
        "Envoys pictured in Jeddah. (AP Photo/Jane Doe)",
        "Photo: Jane Doe/Reuters",
        "PHOTO BY Jane Doe",
        "Illustration: Studio Nine",
        "Delegates arrive in Riyadh. REUTERS/Stringer Purchase Licensing Rights",
        "The summit hall on Monday. Getty Images",
        "file photo of the palace",
        "(Representative image) Riyadh skyline",
        "Representative Jane Doe spoke first.",
        "(Tribune staff photo)",
        "Talks ran for eight hours. (Bloomberg).",
        "A sentence with a slash 24/7 in it.",
        "(An aside in brackets)",
        "",
        "Talks resumed on Monday, officials said.",
    ],
)
def test_caption_rule_equals_its_definition(block):
    key = boilerplate.normalize_line(block)
    assert boilerplate._is_caption(block, key) == boilerplate._is_caption_slow(block, key)


_caption_parts = st.sampled_from(
    ["(", ")", ".", " ", "/", "\n", "Photo", "PHOTO", "Image", "Picture", "Credit", "Illustration", "Getty Images", "by ", ": ",
     "file photo", "FILE IMAGE", "Staff photo", "Reuters", "REUTERS/", "AP", "Jane Doe", "talks resumed", "r", "F"]
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(_caption_parts, max_size=10).map("".join))
def test_caption_rule_equals_its_definition_on_generated_text(block):
    key = boilerplate.normalize_line(block)
    assert boilerplate._is_caption(block, key) == boilerplate._is_caption_slow(block, key)


def test_only_f_and_r_match_the_first_letters_of_the_file_photo_phrases():
    """_CAPTION_FILE starts with "(" or a letter of f/r in either case: re's IGNORECASE adds no other character."""
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert sorted(set(re.findall("[fr]", everything, flags=re.IGNORECASE))) == ["F", "R", "f", "r"]


def test_caption_rule_equals_its_definition_on_sample_and_real_blocks(sample_blocks):
    blocks = list(sample_blocks)
    folder = SHARED_DATA / "gum_news" / "texts"
    if folder.is_dir():
        blocks += [p for t in _real_texts() for p in t.split("\n") if p.strip()]
    for block in blocks:
        key = boilerplate.normalize_line(block)
        assert boilerplate._is_caption(block, key) == boilerplate._is_caption_slow(block, key), block


# --- related headers, contributors -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Related coverage", "Tags", "rec-icon Recommended Topics", "Most read.", "Explore more on these topics!", "Also read: Envoys meet",
     "Related talks will resume on Monday, officials said.", "Read more: “Truce holds,” he said."],
)
def test_related_rule_equals_its_parts(text):
    key = boilerplate.normalize_line(text)
    m = boilerplate._READ_ALSO.match(text.strip())
    by_parts = (boilerplate.is_related_header(text) or boilerplate.is_tag_header(text)) or (
        m is not None and boilerplate.word_count(text) <= 30 and not boilerplate._attributed(m.group(1), boilerplate.normalize_line(m.group(1)))
    )
    assert boilerplate._is_related(text, key) == by_parts


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["Related", "Tags", "topics", " ", ".", "!", "”", ")", "coverage", "Most read", "\n"]), max_size=8).map("".join))
def test_headers_refuse_every_text_that_ends_like_a_sentence(text):
    """What _is_related relies on to skip both header tests."""
    if boilerplate._ends_sentence(text.strip()):
        assert not boilerplate.is_related_header(text)
        assert not boilerplate.is_tag_header(text)


@pytest.mark.parametrize(
    ("line", "expected"),
    [("Jane Doe contributed reporting from Kyiv.", True), ("Jane Doe reported from London.", True),
     ("The ministry said talks had stalled.", False), ("Jane Doe CONTRIBUTED reporting.", False), (None, False)],
)
def test_contributor_lines(line, expected):
    assert bylines.is_contributor_line(line) == expected
    if isinstance(line, str):
        assert bylines._is_contributor_line.__wrapped__(line) == expected or "contributed" not in line and "reported" not in line


# --- datelines ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [
        "WASHINGTON — President Doe spoke.",
        "KYIV, Ukraine (AP) -- Talks resumed.",
        "LONDON (Reuters) - Prices rose on Tuesday.",
        "  \n LONDON:  Prices rose on Tuesday and again on Wednesday afternoon.",
        "A" * 80 + " — Rest of it.",  # a head of exactly 80 characters
        "A" * 81 + " — Rest of it.",  # one too many
        "LONDON" + " " * 300 + "— Rest after a long gap.",
        "LONDON\n— Rest after a line break.",
        "In Moscow, the Kremlin dampened hopes.",
        "No separator here at all",
        "",
    ],
)
def test_split_dateline_equals_its_regex(paragraph):
    assert bylines.split_dateline(paragraph) == _split_dateline_by_regex(paragraph)


def _split_dateline_by_regex(paragraph: str):
    """split_dateline without its quick test."""
    quick = bylines._may_hold_dateline
    try:
        bylines._may_hold_dateline = lambda p: True
        return bylines.split_dateline(paragraph)
    finally:
        bylines._may_hold_dateline = quick


_dateline_parts = st.sampled_from(["A", "KYIV", " ", "  ", "\n", "\t", "—", "--", "-", "–", ":", ", ", "(AP)", "Talks resumed.", "x" * 30, "\u00a0"])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(_dateline_parts, max_size=12).map("".join))
def test_quick_dateline_test_never_refuses_a_regex_match(paragraph):
    if bylines._DATELINE.match(paragraph):
        assert bylines._may_hold_dateline(paragraph)
    assert bylines.split_dateline(paragraph) == _split_dateline_by_regex(paragraph)


def test_split_dateline_equals_its_regex_on_sample_and_real_text(sample_blocks):
    paragraphs = list(sample_blocks)
    folder = SHARED_DATA / "gum_news" / "texts"
    if folder.is_dir():
        paragraphs += [p for t in _real_texts() for p in t.split("\n") if p.strip()]
    assert [bylines.split_dateline(p) for p in paragraphs] == [_split_dateline_by_regex(p) for p in paragraphs]


# --- deks --------------------------------------------------------------------------------------------


_LATER = "Envoys from both delegations met in the Saudi capital on Monday for a second round of ceasefire talks, officials said."


@pytest.mark.parametrize(
    ("deks", "expected"),
    [
        (["Delegations from both sides met in the Saudi capital for ceasefire talks on Monday.",
          "Negotiators hope for a breakthrough before winter arrives in eastern regions."], 1),  # the first restates the body
        (["Negotiators hope for a breakthrough before winter arrives in eastern regions.",
          "Delegations from both sides met in the Saudi capital for ceasefire talks on Monday."], 0),
        (["Envoys from both delegations met in the Saudi capital on Monday for ceasefire talks.",
          "Delegations from both sides met in the Saudi capital for ceasefire talks on Monday."], 0),  # all restate: the first
    ],
)
def test_dek_is_the_first_prose_block_that_restates_no_later_paragraph(deks, expected):
    dump = "\n\n".join(["example.com", "Truce Talks Resume in Riyadh", *deks, "By Jane Doe", _LATER, "The next round is due in May, they added."])
    art = cleaning.clean_dump(dump)
    assert art.summary == deks[expected]
    fresh = [d for d in deks if not cleaning._restates(d, [_LATER, "The next round is due in May, they added."])]
    assert art.summary == (fresh or deks)[0]


# --- exports -----------------------------------------------------------------------------------------


def test_no_other_character_lower_cases_to_a_letter_of_document():
    """What detect_export's byte test relies on."""
    others = "".join(chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert set(others.lower()) & set("document") == set()  # str.lower maps each character alone (only sigma looks at context)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["doc", "DOC", "ument", "UMENT", "Document", "dOcUmEnT", "İ", "é", " ", "\n", "\udc80", "x"]), max_size=8).map("".join))
def test_export_gate_equals_its_definition(text):
    gate = b"document" in text.encode("utf-8", "surrogatepass").lower()
    assert gate == ("document" in text.lower())
    if not gate:
        assert exports.detect_export(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [("1 of 1 DOCUMENTS\n\nThe Daily\n\nMarch 18, 2025 Tuesday\n", "lexis"),
     ("1 of 1 dOcUmEnTs\n\nThe Daily\n", "lexis"),
     ("Kyiv welcomes the proposal.\n", None),
     ("Body\n\nEnd of Document\n", "nexis_uni")],
)
def test_detect_export(text, kind):
    assert exports.detect_export(text) == kind
