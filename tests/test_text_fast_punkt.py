"""text's fast Punkt paths give NLTK's results exactly: training (every count and parameter)
and sentence splitting, on hand-made edge cases, random texts and real text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

from mediawork import text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GUM = SHARED / "data" / "gum_news" / "gum_news.jsonl"

EDGE_TEXTS = [
    "",
    "\n\n\n",
    "One.",
    "The U.S. Army said so. Gen. Lee spoke at 9 a.m. Monday. He left at 4 p.m. The crowd stayed.",
    "Prices rose 3.5 percent in Jan. and fell in Feb. Analysts at Acme Corp. said no. 10 was next.",
    "He said . . . nothing. Then . . . more. A . B . C . d. e. f.",
    "Wait... what?! Really?? Yes! no. No. no.",
    "J. R. R. Tolkien wrote it. J. R. R. Tolkien wrote it again. S. Bach and S. Bach played.",
    "Line one ends here.\nline two starts lower.\n\nA new paragraph. another sentence.",
    "Quotes “end.” here. (Brackets.) [More.] {Even more.} ‘Single.’ «Guillemets.»",
    "Dashes -- here. And---there. Commas, after, words., odd,. ok:; fine.",
    "Tabs\tand\u00a0spaces. \u2028Line sep. \x1cfile sep.\x1d group. \x1e rec.\x1f unit. end.",
    "Numbers: 1. 2. 3.5. -1,000. 10.5.2024. No. 7. no. 7. 1st. 2nd. 3rd.",
    "Kelvin \u212a. İstanbul. ſtop. Ⅻ. x². ٣٤. done.",
    "a.\nb.\n\nc.\n \nd.\n\t\ne. F. g. H.",
    "Mr. Smith met Mrs. Jones. Mr. Smith left. mr. smith returned. Mr. Smith.",
    "e.g. this. i.e. that. etc. and so on. vs. them. approx. 5. ca. 1900.",
    ". . .\n. .\n..\n. . . .",
]

ALPHABET = "aAbBzZ .. ,;:!?-'\"()“”\n\n\t19İſ\u212a\u2028\x1c\u00a0"


def _trainer_state(trainer: PunktTrainer) -> dict:
    params = trainer._params
    return {
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted(params.collocations),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": list(params.ortho_context.items()),  # the zero entries and the order too
        "type_fdist": list(trainer._type_fdist.items()),
        "num_period_toks": trainer._num_period_toks,
        "collocation_fdist": sorted(trainer._collocation_fdist.items()),
        "sent_starter_fdist": sorted(trainer._sent_starter_fdist.items()),
        "sentbreak_count": trainer._sentbreak_count,
    }


def _train(cls, corpus_text: str, **kwargs) -> dict:
    trainer = cls(**kwargs)
    trainer._params = text._seeded_parameters()
    trainer.train(corpus_text, finalize=True)
    return _trainer_state(trainer)


def _assert_trains_as_nltk(corpus_text: str) -> None:
    fast = _train(text._PunktFastTrainer, corpus_text, lang_vars=text._PunktVars(), token_cls=text._PunktToken)
    nltk_state = _train(PunktTrainer, corpus_text)
    for key, value in nltk_state.items():
        assert fast[key] == value, f"{key} differs from NLTK's trainer"


# --------------------------------------------------------------------------- training


@pytest.mark.parametrize("corpus_text", EDGE_TEXTS)
def test_fast_trainer_counts_and_parameters_equal_nltks_on_edge_cases(corpus_text):
    _assert_trains_as_nltk(corpus_text)


def test_fast_trainer_on_all_edge_cases_together():
    corpus_text = "\n\n".join(EDGE_TEXTS * 3)
    fast = _train(text._PunktFastTrainer, corpus_text, lang_vars=text._PunktVars(), token_cls=text._PunktToken)
    assert fast["abbrev_types"] and fast["ortho_context"] and fast["sentbreak_count"] > 20
    _assert_trains_as_nltk(corpus_text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_fast_trainer_equals_nltk_on_random_texts(corpus_text):
    _assert_trains_as_nltk(corpus_text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Dr.", "dr.", "No.", "no", "J.", "3.", "said.", "The", "the", "Ok", "...", ". .",
                                 ",", "U.S.", "u.s", "—", "\n", "\n\n", "(x.)", "A.B.", "--", "e.g.", "Mr", "x."]),
                max_size=80))
def test_fast_trainer_equals_nltk_on_random_word_sequences(words):
    _assert_trains_as_nltk(" ".join(words))


def test_fast_trainer_equals_nltk_on_a_generated_corpus(tmp_path):
    from mediawork.readers import decode_bytes
    from mediawork.sample import generate_sample

    corpus = [decode_bytes(p.read_bytes()) for p in generate_sample(80, tmp_path / "raw", seed=7)]
    _assert_trains_as_nltk("\n\n".join(corpus))


def test_fast_trainer_equals_nltk_on_gum_news():
    if not GUM.is_file():
        pytest.skip(f"{GUM} not found: the training check on real news needs the shared GUM news data")
    docs = [json.loads(line)["text"] for line in GUM.read_text(encoding="utf-8").splitlines() if line.strip()]
    _assert_trains_as_nltk("\n\n".join(docs))


def test_fast_trainer_falls_back_for_other_language_variables():
    from nltk.tokenize.punkt import PunktLanguageVars

    class Semicolons(PunktLanguageVars):
        sent_end_chars = (".", ";")

    assert not text._PunktFastTrainer(lang_vars=Semicolons())._fast_path_applies()
    assert text._PunktFastTrainer(lang_vars=text._PunktVars(), token_cls=text._PunktToken)._fast_path_applies()
    corpus_text = "One; two. Three; four. Dr. Who; Mr. X."
    slow = PunktTrainer(lang_vars=Semicolons())
    slow.train(corpus_text)
    fast = text._PunktFastTrainer(lang_vars=Semicolons())
    fast.train(corpus_text)
    assert _trainer_state(fast) == _trainer_state(slow)


def test_train_punkt_learns_what_nltk_learns():
    corpus = [t for t in EDGE_TEXTS if t]
    ours = text._train_punkt(corpus)._params
    trainer = PunktTrainer()
    trainer._params = text._seeded_parameters()
    trainer.train("\n\n".join(corpus), finalize=True)
    nltks = trainer.get_params()
    nltks.abbrev_types |= text._ABBREV_TYPES
    assert ours.abbrev_types == nltks.abbrev_types
    assert ours.collocations == nltks.collocations and ours.sent_starters == nltks.sent_starters
    assert dict(ours.ortho_context) == dict(nltks.ortho_context)
    assert isinstance(text._train_punkt(corpus), PunktSentenceTokenizer)


# --------------------------------------------------------------------------- sentence splitting

SPLIT_EDGE_TEXTS = EDGE_TEXTS + [
    "Very bad acting!!! I promise.",
    "(Sent one.) Sent two. “Quoted end.” Next. ‘Single.’ «Fin.» ok. [Done.] {Yes.}",
    "He said “no.”\n“Yes,” she said.\n\nThe end.”  ",
    "Wait.--Then. Dash.-- here. Stop.)) Two closers.)) Then.",
    "Spaces  before.   Many.\tTab. Done.\rCarriage. Return.\x0bV.\x0cF.",
    "x.y.z. A.B. C.D. e.f. Gh. ij. Kl.",
    "Ends without a period",
    "   . leading dot. and ? marks ! everywhere ?!",
    "No.\x1c5 odd.\x1dseparators.\x1e here.\x1f Done.",
    "Kelvin \u212a. İstanbul. ſtop. İ. \u2028Line sep. next.\u2029 Para sep.\u00a0Nbsp.",
]
SPLIT_ALPHABET = "aAbB .. ?!,;:-'\"()“”‘’«»[]{}\n\t\r19İ\u212a\u2028\x1c\u00a0"


@pytest.fixture(scope="module")
def trained_splitter():
    return text._train_punkt([t for t in EDGE_TEXTS if t] + [
        "Dr. Ruiz met Gen. Ito in St. Louis. They spoke. J. Smith said no. 5 was next.",
    ])


def _assert_splits_as_nltk(splitter: PunktSentenceTokenizer, paragraph: str) -> None:
    twin = text._unguarded_twin(splitter)
    expected = splitter.tokenize(paragraph)
    assert text._punkt_sentences(twin, {}, paragraph) == expected
    if not text._HAS_SPACE_MISMATCH.search(paragraph):
        only_spaces = not any(c in paragraph for c in "\t\n\r\x0b\x0c")
        ours = [(m.span(), m.groupdict(), c) for m, c in text._end_contexts(paragraph, only_spaces=only_spaces)]
        theirs = [(m.span(), m.groupdict(), c) for m, c in splitter._match_potential_end_contexts(paragraph)]
        assert ours == theirs


@pytest.mark.parametrize("paragraph", SPLIT_EDGE_TEXTS)
def test_fast_sentence_split_equals_nltk_on_edge_cases(trained_splitter, paragraph):
    _assert_splits_as_nltk(trained_splitter, paragraph)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=SPLIT_ALPHABET, max_size=200))
def test_fast_sentence_split_equals_nltk_on_random_texts(trained_splitter, paragraph):
    _assert_splits_as_nltk(trained_splitter, paragraph)


def test_fast_sentence_split_equals_nltk_on_gum_news():
    if not GUM.is_file():
        pytest.skip(f"{GUM} not found: the splitting check on real news needs the shared GUM news data")
    docs = [json.loads(line)["text"] for line in GUM.read_text(encoding="utf-8").splitlines() if line.strip()]
    splitter = text._train_punkt(docs)
    paragraphs = sorted({p for d in docs for p in text._paragraphs(d)} | set(docs))
    assert len(paragraphs) > 100
    bad = [p for p in paragraphs if text._punkt_sentences(text._unguarded_twin(splitter), {}, p) != splitter.tokenize(p)]
    assert bad == [], f"{len(bad)} GUM paragraphs split differently, e.g. {bad[:2]}"


def test_fast_sentence_split_equals_nltk_on_a_generated_corpus(tmp_path):
    from mediawork.readers import decode_bytes
    from mediawork.sample import generate_sample

    bodies = [decode_bytes(p.read_bytes()) for p in generate_sample(60, tmp_path / "raw", seed=9)]
    splitter = text._train_punkt(bodies)
    twin = text._unguarded_twin(splitter)
    paragraphs = sorted({p for b in bodies for p in text._paragraphs(b)} | set(bodies))
    bad = [p for p in paragraphs if text._punkt_sentences(twin, {}, p) != splitter.tokenize(p)]
    assert bad == [], f"{len(bad)} generated paragraphs split differently, e.g. {bad[:2]}"


def test_stdlib_period_context_pattern_is_nltks():
    nltk_pattern = text._PunktVars().period_context_re()
    assert text._PERIOD_CONTEXT.pattern == nltk_pattern.pattern
    sample = "".join(chr(i) for i in range(0x3000) if chr(i) not in text._SPACE_MISMATCH) + ". x! ?\u201d "
    assert [m.span() for m in text._PERIOD_CONTEXT.finditer(sample)] == [m.span() for m in nltk_pattern.finditer(sample)]


def test_realignment_can_start_only_with_the_listed_characters():
    realign = text._PunktVars().re_boundary_realignment
    starters = {chr(i) for i in range(0x110000) if realign.match(chr(i) + " ")}
    assert starters == set(text._REALIGN_FIRST)


def test_special_spaces_are_the_other_ascii_spaces_and_the_mismatches():
    import string

    assert set(text._SPECIAL_SPACES) == set(string.whitespace) - {" "} | text._SPACE_MISMATCH


def test_a_custom_language_splitter_still_splits_as_nltk():
    from nltk.tokenize.punkt import PunktLanguageVars

    class Semicolons(PunktLanguageVars):
        sent_end_chars = (".", ";")

    splitter = PunktSentenceTokenizer(lang_vars=Semicolons())
    assert text._punkt_sentences(splitter, {}, "One; two. Three") == ["One;", "two.", "Three"]
