"""text: sentences (Punkt, pretrained or trained on the corpus), tokens, stopwords, resources."""

from __future__ import annotations

from pathlib import Path

import nltk.data
import pandas as pd
import pytest

from mediawork import text
from mediawork.errors import DataError, ParameterError

SHARED_NLTK = Path(__file__).resolve().parents[1].parent / "shared" / "nltk_data"


@pytest.fixture
def no_nltk_data(monkeypatch, tmp_path):
    """NLTK sees only an empty folder: the path of a user without NLTK data."""
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])


@pytest.fixture
def shared_nltk_data(monkeypatch):
    """NLTK sees ../shared/nltk_data (stopwords and vader_lexicon, no punkt)."""
    if not (SHARED_NLTK / "corpora" / "stopwords.zip").is_file():
        pytest.skip(f"../shared/nltk_data not found at {SHARED_NLTK}: the with-NLTK-data checks need the shared folder")
    monkeypatch.setattr(nltk.data, "path", [str(SHARED_NLTK)])


@pytest.fixture
def fake_punkt_tab(monkeypatch, tmp_path):
    """A tiny hand-made English punkt_tab model that knows the abbreviation 'approx'."""
    model = tmp_path / "tokenizers" / "punkt_tab" / "english"
    model.mkdir(parents=True)
    (model / "abbrev_types.txt").write_text("approx\ngen\nu.s\n", encoding="utf-8")
    (model / "collocations.tab").write_text("", encoding="utf-8")
    (model / "sent_starters.txt").write_text("", encoding="utf-8")
    (model / "ortho_context.tab").write_text("", encoding="utf-8")
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    return tmp_path


# --------------------------------------------------------------------------- sentences

CORPUS = [
    "U.S. officials met in Riyadh on Monday. Gen. Kellogg said the talks were useful.",
    "Talks start at 10 a.m. Tuesday. The delegations will meet again at 4 p.m. on Friday.",
    "KYIV, Ukraine (AP) — Drones hit a depot overnight. No one was hurt, the mayor said.",
    "Mr. Alvarez told reporters: “We are not leaving.” The crowd stayed until dusk.",
    "Sen. Park and Rep. Osei wrote to Gov. Lind. They asked for the records by Oct. 3.",
]


@pytest.mark.parametrize(
    "body, expected",
    [
        ("U.S. officials met in Riyadh. Gen. Kellogg said the talks went well.",
         ["U.S. officials met in Riyadh.", "Gen. Kellogg said the talks went well."]),
        ("Talks start at 10 a.m. Tuesday.", ["Talks start at 10 a.m. Tuesday."]),
        ("KYIV, Ukraine (AP) — Drones hit a depot. Nobody was hurt.",
         ["KYIV, Ukraine (AP) — Drones hit a depot.", "Nobody was hurt."]),
        ("She said: “We will stay.” Then the meeting ended.",
         ["She said: “We will stay.”", "Then the meeting ended."]),
        ("Dr. Mensah of Acme Corp. spoke first. Mrs. Ito replied.",
         ["Dr. Mensah of Acme Corp. spoke first.", "Mrs. Ito replied."]),
        ("First paragraph ends here\n\nSecond one starts", ["First paragraph ends here", "Second one starts"]),
        ("", []),
    ],
)
def test_split_sentences_with_corpus_trained_punkt(no_nltk_data, body, expected):
    splitter = text.get_sentence_splitter(CORPUS)
    assert text.split_sentences(body, splitter=splitter) == expected


def test_split_sentences_default_splitter_knows_news_abbreviations(no_nltk_data):
    assert text.split_sentences("Capt. Rhee met Lt. Col. Baptiste at 9 a.m. Sunday. They talked.") == [
        "Capt. Rhee met Lt. Col. Baptiste at 9 a.m. Sunday.",
        "They talked.",
    ]


def test_seeded_abbreviation_survives_a_corpus_that_uses_it_as_a_word(no_nltk_data):
    corpus = ["There is no deal. " * 20 + "They said no again."]
    splitter = text.get_sentence_splitter(corpus)
    assert "no" in splitter._params.abbrev_types
    assert text.split_sentences("He wore shirt No. 9 today.", splitter=splitter) == ["He wore shirt No. 9 today."]


def test_trained_splitter_is_deterministic_and_order_free(no_nltk_data):
    a = text._train_punkt(text._training_sample(set(CORPUS)))
    b = text.get_sentence_splitter(list(reversed(CORPUS)) + CORPUS[:2])
    assert a._params.abbrev_types == b._params.abbrev_types
    def nonzero(ortho):  # splitting adds zero entries to Punkt's defaultdict
        return {k: v for k, v in ortho.items() if v}

    assert nonzero(a._params.ortho_context) == nonzero(b._params.ortho_context)
    assert text.get_sentence_splitter(CORPUS) is b  # cached


def test_training_sample_is_capped(monkeypatch):
    monkeypatch.setattr(text, "TRAIN_MAX_CHARS", 25)
    sample = text._training_sample({"a" * 10, "b" * 10, "c" * 10})
    assert len(sample) == 2 and sum(map(len, sample)) <= 25
    assert sample == text._training_sample({"c" * 10, "b" * 10, "a" * 10})


def test_pretrained_punkt_tab_is_used_when_installed(fake_punkt_tab):
    splitter = text.get_sentence_splitter(CORPUS)
    assert "approx" in splitter._params.abbrev_types
    assert text.split_sentences("It weighs approx. Ten tons.", splitter=splitter) == ["It weighs approx. Ten tons."]
    assert text.resources()["sentences"].startswith("punkt_tab (pretrained")


def test_without_punkt_tab_the_corpus_model_is_used(no_nltk_data):
    splitter = text.get_sentence_splitter(CORPUS)
    assert "approx" not in splitter._params.abbrev_types
    assert text.split_sentences("It weighs approx. Ten tons.", splitter=splitter) == ["It weighs approx.", "Ten tons."]
    assert text.resources()["sentences"] == "punkt (trained on corpus)"


def test_sentences_frame_ids_and_order(no_nltk_data):
    articles = pd.DataFrame(
        {
            "article_id": ["b2", "a1", "c3"],
            "text": ["Gen. Ito spoke. He left early.\n\nDr. Ng stayed.", "One line only", None],
            "source": ["x", "y", "z"],
        }
    )
    before = articles.copy()
    out = text.sentences_frame(articles)
    assert list(out.columns) == list(text.SENTENCE_COLUMNS)
    assert out.values.tolist() == [
        ["a1", 0, 0, "One line only"],
        ["b2", 0, 0, "Gen. Ito spoke."],
        ["b2", 0, 1, "He left early."],
        ["b2", 1, 2, "Dr. Ng stayed."],
    ]
    pd.testing.assert_frame_equal(articles, before)


def test_sentences_frame_on_no_rows_has_the_columns():
    out = text.sentences_frame(pd.DataFrame({"article_id": pd.Series([], dtype="string"), "text": pd.Series([], dtype="string")}))
    assert list(out.columns) == list(text.SENTENCE_COLUMNS) and out.empty


def test_sentences_frame_names_missing_columns():
    with pytest.raises(DataError, match=r"lacks column\(s\) \['text'\]; found columns \['article_id'\]"):
        text.sentences_frame(pd.DataFrame({"article_id": ["a"]}))


def test_split_sentences_rejects_non_text():
    with pytest.raises(ParameterError, match="expects a str"):
        text.split_sentences(None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- tokens


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Trump’s aides left.", ["trump", "'s", "aides", "left", "."]),
        ("Trump's aides left.", ["trump", "'s", "aides", "left", "."]),
        ("They didn’t vote.", ["they", "did", "n't", "vote", "."]),
        ("Troops left the U.S.", ["troops", "left", "the", "u.s."]),
        ("Talks begin at 9 a.m.", ["talks", "begin", "at", "9", "a.m."]),
        ("He said no.", ["he", "said", "no", "."]),
        ("Prices rose 3%, to $5.5 billion.", ["prices", "rose", "3", "%", ",", "to", "$", "5.5", "billion", "."]),
    ],
)
def test_tokenize(sentence, expected):
    assert text.tokenize(sentence) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Trump’s aides left.", ["trump", "aides", "left"]),
        ("KYIV, Ukraine (AP) — Drones hit a depot.", ["kyiv", "ukraine", "ap", "drones", "hit", "a", "depot"]),
        ("“We won’t go,” she said.", ["we", "wo", "go", "she", "said"]),
        ("It cost $40 — or 3%.", ["it", "cost", "40", "or", "3"]),
        ("...", []),
    ],
)
def test_word_tokens_keep_words_and_numbers_only(sentence, expected):
    assert text.word_tokens(sentence) == expected


def test_stem():
    assert text.stem(["elections", "voters", "running"]) == ["elect", "voter", "run"]
    with pytest.raises(ParameterError, match="expected one of"):
        text.stem(["x"], language="klingon")


# --------------------------------------------------------------------------- stopwords, resources


def test_bundled_stopwords_without_nltk_data(no_nltk_data):
    words = text.stopwords()
    assert {"the", "of", "and", "'s", "n't", "would"} <= words
    assert not {"president", "said", "election", "u.s."} & words
    assert text.resources()["stopwords"] == f"bundled ({len(words)} words)"


def test_bundled_list_file_is_clean():
    lines = [ln for ln in text._BUNDLED_STOPWORDS.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    assert lines == [ln.strip().casefold() for ln in lines], "one lower-case word per line"
    assert len(lines) == len(set(lines)), "no duplicates"


def test_nltk_stopwords_with_nltk_data(shared_nltk_data):
    words = text.stopwords()
    assert "mightn" in words  # in NLTK's list, not in ours
    assert "the" in words and "president" not in words
    assert text.resources()["stopwords"] == f"nltk ({len(words)} words)"
    assert text.resources()["sentences"] == "punkt (trained on corpus)"  # the shared data has no punkt


def test_resources_registry():
    text.register_resource("zz_test", lambda: "in use")
    try:
        got = text.resources()
        assert got["zz_test"] == "in use"
        assert list(got) == sorted(got)
        assert got["tokens"] == "NLTKWordTokenizer (no data needed)"
    finally:
        text._RESOURCES.pop("zz_test")
    with pytest.raises(ParameterError):
        text.register_resource("bad", "not callable")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- real data


def test_corpus_trained_punkt_finds_gum_news_sentence_ends(shared_dir, no_nltk_data):
    """On the 24 GUM news articles, our sentence ends match the gold ones (offsets in the text)."""
    import json

    path = shared_dir / "data" / "gum_news" / "gum_news.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found: the sentence-boundary check needs the shared GUM news data")
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    splitter = text.get_sentence_splitter([d["text"] for d in docs])
    hits = found = gold = 0
    for doc in docs:
        body, pos, ends = doc["text"], 0, set()
        for sentence in text.split_sentences(body, splitter=splitter):
            start = body.find(sentence, pos)
            assert start >= 0, "sentences are verbatim slices of the text"
            pos = start + len(sentence)
            ends.add(pos)
        truth = {end for _, end in doc["sentence_offsets"]}
        hits, found, gold = hits + len(ends & truth), found + len(ends), gold + len(truth)
    precision, recall = hits / found, hits / gold
    assert precision >= 0.95, f"sentence-end precision {precision:.3f} on GUM news"
    assert recall >= 0.93, f"sentence-end recall {recall:.3f} on GUM news"


def test_docstring_examples_run(no_nltk_data):
    import doctest

    result = doctest.testmod(text, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- tokenizer fast path
# text._nltk_word_tokenize skips NLTK substitutions that cannot match; it must give
# exactly NLTKWordTokenizer().tokenize's tokens, whatever the sentence.

from nltk.tokenize import NLTKWordTokenizer  # noqa: E402

_NLTK = NLTKWordTokenizer()


@pytest.mark.parametrize(
    "sentence",
    [
        "The minister left early.",
        "Officials said 3,000 troops, maybe more, would stay: for now.",
        "She didn't say whether Kyiv's offer stands; he won't either.",
        "They'll go, we're sure, and I'm told you've seen it, I'd guess.",
        "THEY'LL GO AND IT'S DONE, WE'RE TOLD, I'M SURE, CAN'T STOP.",
        "“We are ready,” she said, ‘for the vote’ on Monday.",
        '"Nobody expected this," he said, "not even us."',
        "He quoted ''the plan'' and `the memo` in full.",
        "Prices rose (sharply) [again] {twice} <today>.",
        "The talks -- long delayed -- resumed… at last... maybe.",
        "A figure‒dash, an en–dash, an em—dash and a bar―here.",
        "Costs: $5 million, 20% more & #1 @ noon; why? now! *stars*",
        "You cannot stop what they're gonna do, gotta see, wanna know, gimme, lemme in.",
        "CANNOT and Gonna and More'n and d'ye know it.",
        "'Tis the season, as 'twas before, said the ' odd one.",
        "The \u212aelvin sign cannot hide, nor can \u212aANNOT.",
        "Tabs\tand\nnewlines  and   spaces\u00a0and\u2003others.",
        "Ends with a quote.'",
        "The U.S. and the U.K. met at 9 a.m.",
        "Numbers like 3.5 and 1,000.25 and 10:30 stay whole.",
        "«Non» dit-il » fin.",
        "'quoted' words and O'Brien's dogs' bones.",
        "",
        "   ",
        ".",
        "''",
        "won't",
    ],
)
def test_fast_word_tokenizer_equals_nltk(sentence):
    assert text._nltk_word_tokenize(sentence) == _NLTK.tokenize(sentence)


def test_fast_word_tokenizer_knows_every_nltk_pattern():
    """A newer NLTK adding a pattern makes that pattern always run; this test says so."""
    steps = text._BEFORE_PADDING + text._AFTER_PADDING
    ungated = [p.pattern for p, _, kind, _ in steps if kind == "always"]
    assert ungated == [], f"patterns the fast path does not know (they always run): {ungated}"
    assert len(steps) == len(_NLTK.STARTING_QUOTES) + len(_NLTK.PUNCTUATION) + 2 + len(_NLTK.ENDING_QUOTES) + len(_NLTK.CONTRACTIONS2) + len(_NLTK.CONTRACTIONS3)


def test_stdlib_whitespace_covers_nltk_whitespace():
    """The ``\\s+`` gate relies on stdlib ``\\s`` matching every character NLTK's ``\\s`` does."""
    import re as stdlib_re

    every = "".join(chr(i) for i in range(0x110000))
    nltk_ws = next(p for p, _ in _NLTK.ENDING_QUOTES if p.pattern == r"\s+")
    nltk_chars = set("".join(nltk_ws.findall(every)))
    assert " " in nltk_chars and nltk_chars <= set(stdlib_re.findall(r"\s", every))


def _assert_tokenizer_agrees(sentences: list[str], what: str) -> None:
    assert len(sentences) > 0, f"no sentences in {what}"
    bad = [s for s in sentences if text._nltk_word_tokenize(s) != _NLTK.tokenize(s)]
    assert bad == [], f"{len(bad)} of {len(sentences)} sentences of {what} tokenised differently, e.g. {bad[:3]}"


def test_fast_word_tokenizer_equals_nltk_on_a_generated_corpus(tmp_path):
    """Every sentence (and every line) of 300 generated articles, in every format, boilerplate included."""
    from mediawork.readers import decode_bytes
    from mediawork.sample import generate_sample

    paths = generate_sample(300, tmp_path / "raw", seed=3)
    sentences: set[str] = set()
    for path in paths:
        body = decode_bytes(path.read_bytes())
        sentences.update(line.strip() for line in body.splitlines() if line.strip())
        sentences.update(text.split_sentences(body))
    assert len(paths) >= 200
    _assert_tokenizer_agrees(sorted(sentences), "the generated corpus")


def test_fast_word_tokenizer_equals_nltk_on_the_sample_corpus(tmp_path):
    """The sample dumps in data/raw, ingested and split as analyze does."""
    from mediawork import store
    from mediawork.ingest import ingest

    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    if not raw.is_dir() or not any(raw.iterdir()):
        pytest.skip(f"the sample corpus is not at {raw}: the tokenizer check on it needs data/raw")
    ingest(raw_dir=raw, out_dir=tmp_path / "processed", progress=False)
    frame = text.sentences_frame(store.read_articles(tmp_path / "processed"))
    _assert_tokenizer_agrees(sorted(set(frame["text"].tolist())), "data/raw")


def test_fast_word_tokenizer_equals_nltk_on_gum_news():
    folder = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "gum_news" / "texts"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found: the tokenizer check on real news text needs the shared GUM news texts")
    sentences: set[str] = set()
    for path in sorted(folder.glob("*.txt")):
        body = path.read_text(encoding="utf-8")
        sentences.update(line.strip() for line in body.splitlines() if line.strip())
        sentences.update(text.split_sentences(body))
    _assert_tokenizer_agrees(sorted(sentences), "GUM news")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Trump’s aides didn’t leave the U.S.", ["trump", "aides", "did", "leave", "the", "u.s."]),
        ("They'll vote -- or won't.", ["they", "vote", "or", "wo"]),
        ("“Yes,” said Ms. Ng (again).", ["yes", "said", "ms.", "ng", "again"]),
    ],
)
def test_word_tokens_drop_punctuation_and_clitics(sentence, expected):
    assert text.word_tokens(sentence) == expected


# ------------------------------------------- NLTK's patterns without the per-call time limit


def test_unguarded_returns_the_pattern_nltk_wraps():
    import re as stdlib_re

    from nltk import redos

    wrapped = redos.compile(r"[?!]")
    inner = text._unguarded(wrapped)
    assert inner is not wrapped and inner.pattern == wrapped.pattern
    assert inner.sub(" ! ", "why? now!") == wrapped.sub(" ! ", "why? now!") == "why !  now ! "
    plain = stdlib_re.compile("a")
    assert text._unguarded(plain) is plain


def _trained_params(trainer_kwargs: dict, corpus: list[str]):
    from nltk.tokenize.punkt import PunktTrainer

    trainer = PunktTrainer(**trainer_kwargs)
    trainer._params = text._seeded_parameters()
    trainer.train("\n\n".join(corpus), finalize=True)
    return trainer.get_params()


def test_training_without_the_time_limit_learns_nltks_parameters(tmp_path):
    from mediawork.readers import decode_bytes
    from mediawork.sample import generate_sample

    corpus = CORPUS + [decode_bytes(p.read_bytes()) for p in generate_sample(60, tmp_path / "raw", seed=5)]
    ours = _trained_params({"lang_vars": text._PunktVars(), "token_cls": text._PunktToken}, corpus)
    nltks = _trained_params({}, corpus)
    assert ours.abbrev_types == nltks.abbrev_types and len(ours.abbrev_types) > len(text.NEWS_ABBREVIATIONS) // 2
    assert ours.collocations == nltks.collocations
    assert ours.sent_starters == nltks.sent_starters
    assert dict(ours.ortho_context) == dict(nltks.ortho_context) and ours.ortho_context


@pytest.mark.parametrize(
    "paragraph",
    [
        "U.S. officials met in Riyadh. Gen. Kellogg said the talks went well... Then? Nothing!",
        "She said: “We will stay.” Then the meeting ended. (It did.) ‘Fine,’ he said.",
        "Prices rose 3.5 percent. In 2025, they fell. No. 10 said so at 9 a.m. Friday.",
        "Ellipses... and -- dashes. «Guillemets.» Next one.",
        "Tabs\tand\u00a0spaces. \u212aelvin. İstanbul. ſ long s.",
        "A", "", "...",
    ],
)
def test_unguarded_twin_splits_as_nltks_punkt(no_nltk_data, paragraph):
    splitter = text.get_sentence_splitter(CORPUS)
    twin = text._unguarded_twin(splitter)
    assert twin is not splitter and twin._params is splitter._params
    assert isinstance(twin._lang_vars, text._PunktVars) and twin._Token is text._PunktToken
    expected = tuple(s.strip() for s in splitter.tokenize(paragraph) if s.strip())
    assert text._paragraph_splitter(splitter)(paragraph) == expected


def test_a_splitter_with_its_own_language_variables_is_used_as_it_is():
    from nltk.tokenize.punkt import PunktLanguageVars, PunktSentenceTokenizer

    class Semicolons(PunktLanguageVars):
        sent_end_chars = (".", ";")

    splitter = PunktSentenceTokenizer(lang_vars=Semicolons())
    assert text._unguarded_twin(splitter) is splitter
    assert text._paragraph_splitter(splitter)("One; two. Three") == ("One;", "two.", "Three")


def test_unguarded_punkt_tokens_equal_nltks():
    import random

    from nltk.tokenize.punkt import PunktToken

    rng = random.Random(11)
    alphabet = "aZé.,-19٣²Ⅻ'\"!?_ß\u212a"
    tokens = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(5_000)]
    tokens += ["3.5", "-1,000.", "##", "Dr.", "U.S.", "...", "٣٤", "x²"]
    for tok in tokens:
        ours, nltks = text._PunktToken(tok, parastart=True), PunktToken(tok, parastart=True)
        assert (ours.type, ours.period_final, ours.parastart, ours.linestart, ours.sentbreak, ours.abbr, ours.ellipsis) == (
            nltks.type, nltks.period_final, nltks.parastart, nltks.linestart, nltks.sentbreak, nltks.abbr, nltks.ellipsis), tok
        assert (bool(ours.is_ellipsis), bool(ours.is_initial), bool(ours.is_alpha), bool(ours.is_non_punct)) == (
            bool(nltks.is_ellipsis), bool(nltks.is_initial), bool(nltks.is_alpha), bool(nltks.is_non_punct)), tok
