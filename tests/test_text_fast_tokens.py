"""text's fast word-token path gives exactly the tokens of the regular (NLTK) path: on
hand-made edge cases for every rule, random texts over the fast class's alphabet, a
generated corpus and real news text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediawork import text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DATA = SHARED / "data"


def _clear_caches() -> None:
    text._word_token_tuple.cache_clear()
    text._CHUNK_TOKENS.clear()
    text._WORD_OF.clear()


def _check(sentence: str) -> bool:
    """Assert both paths agree on ``sentence``; True when the fast path took it."""
    _clear_caches()
    prepared = text._CURLY_APOSTROPHE.sub("'", sentence)
    fast = text._fast_nltk_tokens(prepared)
    if fast is not None:
        assert fast == text._nltk_word_tokenize(prepared), sentence
    assert text._word_token_tuple(sentence) == text._word_token_tuple_slow(sentence), sentence
    # Twice: the second answer comes from the chunk and word caches.
    text._word_token_tuple.cache_clear()
    assert text._word_token_tuple(sentence) == text._word_token_tuple_slow(sentence), sentence
    return fast is not None


# (sentence, takes the fast path)
EDGE_CASES = [
    ("", True),
    ("   ", True),
    (".", True),
    ("..", True),
    ("...", True),
    (". . .", True),
    ("Officials met in the U.S.", True),
    ("Officials met in the U.S. on Monday.", True),
    ("They met at 9 a.m.", True),
    ("They met at 9 a.m. and left.", True),
    ("He spoke to Mr.", True),
    ("Prices rose 3.5 percent.", True),
    ("The total was 1,000.", True),
    ("The total was 1,000,000 and 2,5.", True),
    ("It ended 3.", True),
    ("It ended in 2024.", True),
    ("a, b", True),
    ("a,b", True),
    ("a,1", True),
    ("a ,b", True),
    ("a,", True),
    ("a:", True),
    ("at 10:30 today", True),
    ("he said: go", True),
    ("a:b", True),
    ("a,.", True),
    ("a,.b", True),
    ("a,-b", True),
    ("x--y", True),
    ("x---y", True),
    ("x----y", True),
    ("-- a --", True),
    ("well-known", True),
    ("a - b -", True),
    ("-a", True),
    ("wait...", True),
    ("wait... what", True),
    ("wait.... what.", True),
    ("a.b.c", True),
    ("a.b .", True),
    ("U.S. .", True),
    ("U.S.A.", True),
    ("The U.N.", True),
    ("e.g.", True),
    ("It's here.", True),
    ("It's.", True),
    ("Ukraine's air force", True),
    ("UKRAINE'S AIR FORCE", True),
    ("can't", True),
    ("CAN'T", True),
    ("Can'T", True),
    ("didn't.", True),
    ("they're here, we've gone, I'm fine, he'd go, she'll stay", True),
    ("THEY'RE WE'VE I'M HE'D SHE'LL", True),
    ("They'Re We'Ve", True),
    ("O'Brien said", True),
    ("O'Brien's office", False),
    ("x,n't", True),
    ("it's-a", True),
    ("it's.x", True),
    ("“It works.”", True),
    ("“It works,” he said.", True),
    ("He said: “It works.”", True),
    ("He said: “It works”.", True),
    ("Ends in the U.S.”", True),
    ("Ends in the U.S.” ", True),
    ("Ends in the U.S. ”", True),
    ("Ends in the U.S.“", True),
    ("(Ends in the U.S.)", True),
    ("(Ends in the U.S.) ", True),
    ("Ends in the U.S.)”", True),
    ("Ends.”)", True),
    ("Really?", True),
    ("Really U.S.?", True),
    ("Wow! Now.", True),
    ("Costs $5 or 10% more; fine", True),
    ("a.$", True),
    ("pay 5$.", True),
    ("ends — here.", True),
    ("ends – here —.", True),
    ("a—b–c", True),
    ("Trump’s aides", True),
    ("the players’ union", False),
    ("cannot", False),
    ("CANNOT be verified", False),
    ("gonna", False),
    ("wanna go", False),
    ("gimme lemme gotta", False),
    ("more'n", False),
    ("d'ye", False),
    ("'90s music", False),
    ("rock 'n' roll", False),
    ("the players' union", False),
    ("'tis true", False),
    ("''quoted''", False),
    ('"quoted"', False),
    ("a,,b", False),
    ("a::b", False),
    ("a,:b", False),
    ("tab\there", False),
    ("line\nbreak", False),
    ("Erdoğan said", False),
    ("[bracket]", False),
    ("a & b", False),
]


@pytest.mark.parametrize(("sentence", "fast"), EDGE_CASES)
def test_fast_tokens_equal_nltk_on_edge_cases(sentence, fast):
    assert _check(sentence) is fast


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Officials met in the U.S.", ("officials", "met", "in", "the", "u.s.")),
        ("The total was 1,000, not 2.", ("the", "total", "was", "1,000", "not", "2")),
        ("Trump’s aides didn’t leave.", ("trump", "aides", "did", "leave")),
        ("“It works,” Kellogg said: “x--y.”", ("it", "works", "kellogg", "said", "x", "y")),
        ("A well-known a.m. talk...", ("a", "well-known", "a.m.", "talk")),
    ],
)
def test_fast_path_word_tokens(sentence, expected):
    _clear_caches()
    assert text._fast_nltk_tokens(text._CURLY_APOSTROPHE.sub("'", sentence)) is not None
    assert text._word_token_tuple(sentence) == expected


def test_non_str_still_raises_the_regular_error():
    text._word_token_tuple.cache_clear()
    with pytest.raises(text.ParameterError):
        text._word_token_tuple(3)


# Heavy on the characters whose rules interact: periods, commas, colons, apostrophes,
# dashes, quotes and brackets next to short words (some of them abbreviations,
# clitic hosts or contraction words).
_PIECES = st.sampled_from(
    [
        "a", "B", "x", "US", "U", "S", "am", "no", "1", "10", "3", "s", "t", "n", "ll", "re",
        "ve", "m", "d", "S", "T", "LL", "nt", "can", "not", "gon", "na", "Mr", "is",
        ".", ".", ".", ",", ",", ":", "'", "'", "-", "-", " ", " ", " ", "“", "”", "(", ")",
        "—", "–", "?", "!", ";", "$", "%",
    ]
)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_fast_tokens_equal_nltk_on_random_texts(sentence):
    _check(sentence)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="aAsStTnN1 .,:'-“”()—?;$", max_size=16))
def test_fast_tokens_equal_nltk_on_random_characters(sentence):
    _check(sentence)


def test_fast_tokens_equal_nltk_on_a_generated_corpus(tmp_path):
    from mediawork.readers import decode_bytes
    from mediawork.sample import generate_sample

    bodies = [decode_bytes(p.read_bytes()) for p in generate_sample(60, tmp_path / "raw", seed=5)]
    sentences = sorted({s for b in bodies for s in text.split_sentences(b)})
    assert len(sentences) > 200
    fast = [s for s in sentences if _check(s)]
    assert len(fast) >= 0.6 * len(sentences), f"the fast path took only {len(fast)} of {len(sentences)} sentences"


def test_fast_tokens_equal_nltk_on_real_text():
    files = sorted(DATA.glob("gum_news/texts/*.txt")) + sorted(DATA.glob("vader_groundtruth/*GroundTruth.txt"))
    if not files:
        pytest.skip(f"no texts under {DATA}: the real-text check needs the shared GUM news and VADER data")
    sentences = sorted(
        {s for f in files for s in text.split_sentences(f.read_text(encoding="utf-8", errors="replace"))}
    )
    fast = sum(_check(s) for s in sentences)
    # Real news often has straight double quotes and line breaks, which take the regular path.
    assert fast > 0.1 * len(sentences), f"the fast path took only {fast} of {len(sentences)} real sentences"
