"""The fast paths of analyze's per-article work give exactly what the plain NLTK / regex steps give."""

from __future__ import annotations

import re
import sys

import pandas as pd
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktSentenceTokenizer

from mediawork import actors, terms, text

_NLTK = NLTKWordTokenizer()
_EVERY_CHAR = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)

# --------------------------------------------------------------------------- tokenizer constants


def test_all_spaces_holds_every_whitespace_of_stdlib_and_regex():
    found = {c for c in _EVERY_CHAR if c.isspace()} | set(regex.findall(r"\s", _EVERY_CHAR))
    assert found == set(text._ALL_SPACES)


def test_space_mismatch_is_where_stdlib_and_regex_disagree():
    stdlib = {c for c in _EVERY_CHAR if c.isspace()}
    nltk_regex = set(regex.findall(r"\s", _EVERY_CHAR))
    assert stdlib ^ nltk_regex == set(text._SPACE_MISMATCH)


def test_case_traps_are_the_non_ascii_characters_regex_folds_to_ascii_letters():
    letters = "(?i)(?:" + "|".join("abcdefghijklmnopqrstuvwxyz") + ")"
    found = {c for c in regex.findall(letters, _EVERY_CHAR) if not c.isascii()}
    # a trap whose lower() still contains the letter would be harmless, but every one must be listed
    assert found <= set(text._CASE_TRAPS) and found


# --------------------------------------------------------------------------- tokenizer


_TRICKY = "aAbBkKsStTnN ,.:;'\"`’‘“”«»()[]-–—?!*$%&#@\t\n\x1c\u00a0\u2003\u212a\u017f\u0130…0123"


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.text(alphabet=_TRICKY, max_size=40))
def test_fast_tokenizer_equals_nltk_on_random_texts(sample):
    assert text._nltk_word_tokenize(sample) == _NLTK.tokenize(sample)


@pytest.mark.parametrize(
    "sentence",
    [
        "It ended.  ",
        "It ended.\n",
        "It ended. \u2003”",
        "Quoted end.”’ \t",
        "A list: one, two,",
        "A colon at the end:\n",
        "Ellipsis at the end..",
        "x.",
        ".x.",
        "..",
        "\x1cIt\x1c ended.\x1c",
        "GİMME that and \u017fo on, CANNOT \u212aeep it.",
        "Naïve café owners gonna wait, cannot stop.",
        "“They’re gonna go,” she said.",
    ],
)
def test_fast_tokenizer_equals_nltk_at_the_edges(sentence):
    assert text._nltk_word_tokenize(sentence) == _NLTK.tokenize(sentence)


def test_word_tokens_are_remembered_but_returned_as_fresh_lists():
    first = text.word_tokens("Rubio met Lavrov.")
    first.append("changed")
    assert text.word_tokens("Rubio met Lavrov.") == ["rubio", "met", "lavrov"]


# --------------------------------------------------------------------------- sentences

CORPUS = [
    "U.S. officials met in Riyadh on Monday. Gen. Kellogg said the talks were useful.",
    "Talks start at 10 a.m. Tuesday. The delegations will meet again at 4 p.m. on Friday.",
    "Mr. Alvarez told reporters: “We are not leaving.” The crowd stayed until dusk.",
    "Sen. Park and Rep. Osei wrote to Gov. Lind. They asked for the records by Oct. 3.",
    "(He left.) Then she spoke! Did they agree? Nobody knows... Or do they?",
]

PARAGRAPHS = [
    *CORPUS,
    "He said it. He said it. He said it again.",
    "No break here",
    "Ends with spaces.   ",
    "“Quoted.” (Bracketed.) [Again.] Next one.",
    "Dr. No. St. Louis. Inc. results. U.S. Army.",
    "Very bad acting!!! I promise. Really?! Yes.",
    "",
    "   ",
]


@pytest.mark.parametrize("paragraph", PARAGRAPHS)
def test_remembered_punkt_decisions_give_punkt_sentences(paragraph):
    splitter = text.get_sentence_splitter(CORPUS)
    split = text._paragraph_splitter(splitter)
    expected = tuple(s.strip() for s in splitter.tokenize(paragraph) if s.strip())
    assert split(paragraph) == expected
    assert split(paragraph) == expected  # second time from the paragraph cache


def test_a_splitter_with_its_own_tokenize_is_used_as_is():
    class Shouting(PunktSentenceTokenizer):
        def tokenize(self, text, realign_boundaries=True):
            return [text.upper()]

    assert not text._standard_punkt(Shouting())
    assert text._paragraph_splitter(Shouting())("quiet words.") == ("QUIET WORDS.",)
    frame = text.sentences_frame(pd.DataFrame({"article_id": ["a"], "text": ["one. two."]}), splitter=Shouting())
    assert frame["text"].tolist() == ["ONE. TWO."]


def test_sentences_frame_ids_run_across_repeated_paragraphs():
    body = "Talks ended. Both left.\n\nTalks ended. Both left.\n\nA new day."
    frame = text.sentences_frame(
        pd.DataFrame({"article_id": ["b", "a"], "text": [body, body]}), splitter=text.get_sentence_splitter(CORPUS)
    )
    assert frame["article_id"].tolist() == ["a"] * 5 + ["b"] * 5
    assert frame["sentence_id"].tolist() == [0, 1, 2, 3, 4] * 2
    assert frame["paragraph_id"].tolist() == [0, 0, 1, 1, 2] * 2


# --------------------------------------------------------------------------- terms


def _naive_terms(sentences: pd.DataFrame, low: int, high: int, stop: frozenset[str]) -> list[tuple[str, int, str, int]]:
    from collections import Counter

    counts: Counter = Counter()
    for article_id, sentence in zip(sentences["article_id"], sentences["text"]):
        tokens = text.word_tokens(sentence)
        content = [t not in stop and any(c.isalpha() for c in t) for t in tokens]
        for n in range(low, high + 1):
            for i in range(len(tokens) - n + 1):
                if content[i] and content[i + n - 1]:
                    counts[(article_id, n, " ".join(tokens[i : i + n]))] += 1
    return sorted((a, n, term, c) for (a, n, term), c in counts.items())


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 3), (2, 3), (3, 4)])
def test_count_terms_equals_a_plain_count(ngram_range):
    sentences = pd.DataFrame(
        {
            "article_id": ["b", "a", "a", "b", "a"],
            "text": [
                "The Secretary of State met the press.",
                "Talks in Riyadh resumed, the envoy said.",
                "The Secretary of State met the press.",
                "Prices rose 5% in 2024 and 2025.",
                "Talks in Riyadh resumed, the envoy said.",
            ],
        }
    )
    stop = frozenset({"the", "of", "in", "and"})
    got = terms.count_terms(sentences, ngram_range=ngram_range, stopwords=stop)
    rows = list(zip(got["article_id"], got["n"], got["term"], got["count"]))
    assert rows == _naive_terms(sentences, *ngram_range, stop)
    assert [str(t) for t in got.dtypes] == ["string", "string", "int64", "int64"]


# --------------------------------------------------------------------------- actors

ENTRIES = [
    {"name": "Donald Trump", "type": "person", "aliases": ["Trump"], "titles": ["President Trump", "the president"]},
    {"name": "Vladimir Putin", "type": "person", "aliases": ["Putin"], "titles": ["the Kremlin leader", "the president"]},
    {"name": "Kremlin", "type": "organisation"},
    {"name": "Recep Tayyip Erdoğan", "type": "person", "aliases": ["Erdogan"]},
    {"name": "A B", "type": "other", "aliases": ["B C D"]},
]


@pytest.mark.parametrize(
    "sentence",
    [
        "Putin met Trump. Vladimir Putin and President Trump spoke.",
        "pro-Putin crowds, Putinism, Putin’s aides and PUTIN.",
        "The president said the Kremlin leader and THE PRESIDENT agreed.",
        "A B C D and B C D and AB C D.",
        "Recep  Tayyip\nErdoğan met Erdogan's aides.",
        "Trump",
        "xTrump Trumpx _Trump Trump_",
    ],
)
def test_scan_finds_every_start_the_lookahead_regex_finds(sentence):
    matcher = actors.actor_dictionary(ENTRIES)._matcher
    reference = re.compile(r"(?<!\w)(?=(" + actors._trie_regex(matcher.literals) + r"))")
    expected = [m.span(1) for m in reference.finditer(sentence)]
    found = [(s, e) for s, e, _ in matcher.candidates(sentence)]
    assert found == expected
