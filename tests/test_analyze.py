"""Analyze end to end on a tiny processed folder: tables, incrementality, determinism, errors."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import nltk.data
import pandas as pd
import pytest

from mediawork import analyze as analyze_mod
from mediawork import cooccurrence, schema, sentiment, store, text
from mediawork.analyze import STATE_FILE, analyze, sentence_splitter
from mediawork.dedup import compute_signatures
from mediawork.errors import DataError, InputError

from .conftest import table_bytes

REPO = Path(__file__).resolve().parents[1]
ACTORS = REPO / "data" / "actors.yml"
SHARED = REPO.parent / "shared"
OUTPUTS = (schema.SENTENCES, schema.TERMS, schema.MENTIONS, schema.COOCCURRENCE)

# (article_id, published, text, duplicate_of): short reports written for these tests.
ARTICLES = [
    (
        "a1000000000000aa",
        "2025-03-11T16:00:00Z",
        "Ukrainian and American officials met in Jeddah on Tuesday to discuss a thirty-day cease-fire. "
        "Marco Rubio said the proposal now sat with Moscow.\n\n"
        "Andriy Yermak led the Ukrainian team. Rubio told reporters the talks had been constructive and hopeful.\n\n"
        "The Kremlin said it would wait for details before replying.",
        None,
    ),
    (
        "b2000000000000bb",
        "2025-03-13T18:30:00Z",
        "Vladimir Putin said on Thursday that he backed the idea of a truce in principle but raised many conditions. "
        "Putin asked who would monitor a pause along the front.\n\n"
        "Dmitry Peskov later told journalists that Steve Witkoff had arrived in Moscow for talks. "
        "Mr. Peskov gave no timetable.",
        None,
    ),
    (
        "c3000000000000cc",
        "2025-03-18T21:00:00Z",
        "Donald Trump and Vladimir Putin spoke by phone for two hours on Tuesday. "
        "The White House said both leaders agreed to halt strikes on energy sites for thirty days.\n\n"
        "Volodymyr Zelenskyy welcomed the pause but warned that Russia had broken promises before. "
        "Zelenskyy said Kyiv would respond in kind.\n\n"
        "The Kremlin described the call as frank and useful.",
        None,
    ),
    (
        "d4000000000000dd",
        "2025-03-24T09:15:00Z",
        "Delegations gathered in Riyadh on Monday for technical talks on shipping in the Black Sea. "
        "Rustem Umerov led the Ukrainian side, and Hakan Fidan offered Turkish help with inspections.\n\n"
        "Officials said the talks were slow and tense. Hakan Fidan later said Turkey was ready to host another round in Istanbul.",
        None,
    ),
    # a syndicated copy of the second report: excluded from every analysis table
    (
        "e5000000000000ee",
        "2025-03-13T19:00:00Z",
        "Vladimir Putin said on Thursday that he backed the idea of a truce in principle but raised many conditions. "
        "Putin asked who would monitor a pause along the front.\n\n"
        "Dmitry Peskov later told journalists that Steve Witkoff had arrived in Moscow for talks. "
        "Mr. Peskov gave no timetable.",
        "b2000000000000bb",
    ),
]
DUPLICATE = "e5000000000000ee"
LATE = (
    "f6000000000000ff",
    "2025-03-26T12:00:00Z",
    "Sergei Lavrov said on Wednesday that Moscow wanted sanctions on its farm exports lifted before any Black Sea deal took effect. "
    "Marco Rubio said Washington would consider the request.\n\n"
    "European officials were skeptical, and the European Union said its sanctions would stay.",
    None,
)


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": [r[0] for r in rows],
            "source_file": [f"{r[0]}.txt" for r in rows],
            "source": ["example-wire.com"] * len(rows),
            "outlet": ["example-wire.com"] * len(rows),
            "url": [None] * len(rows),
            "title": [f"Cease-fire talks, report {i}" for i in range(len(rows))],
            "summary": [None] * len(rows),
            "authors": [[] for _ in rows],
            "dateline": [None] * len(rows),
            "published": pd.to_datetime([r[1] for r in rows], utc=True),
            "published_offset": ["+00:00"] * len(rows),
            "tags": [[] for _ in rows],
            "language": ["en"] * len(rows),
            "text": [r[2] for r in rows],
            "n_words": [len(r[2].split()) for r in rows],
            "duplicate_of": [r[3] for r in rows],
        }
    )


def _write_articles(folder: Path, rows) -> Path:
    store.write_table(_frame(rows), schema.ARTICLES, folder)
    return folder


def _bytes(folder: Path) -> dict[str, bytes]:
    return {name: table_bytes(folder / name) for name in [t.file for t in OUTPUTS] + [STATE_FILE]}


def _run(folder: Path, **kwargs):
    kwargs.setdefault("actors_file", ACTORS)
    return analyze(folder, progress=False, **kwargs)


@pytest.fixture
def corpus(tmp_path) -> Path:
    return _write_articles(tmp_path / "processed", ARTICLES)


@pytest.fixture
def analysed(corpus) -> Path:
    _run(corpus)
    return corpus


# --------------------------------------------------------------------------- the tables


@pytest.mark.parametrize("table", OUTPUTS, ids=lambda t: t.name)
def test_each_table_is_written_with_the_schema_columns(analysed, table):
    df = store.read_table(table, analysed)
    assert list(df.columns) == table.names
    assert len(df) > 0


@pytest.mark.parametrize("table", [schema.SENTENCES, schema.TERMS, schema.MENTIONS], ids=lambda t: t.name)
def test_duplicates_are_left_out_and_every_unique_article_is_in(analysed, table):
    ids = set(store.read_table(table, analysed)["article_id"])
    assert DUPLICATE not in ids
    if table is not schema.MENTIONS:
        assert ids == {r[0] for r in ARTICLES if r[3] is None}


def test_summary_counts_match_the_tables(corpus):
    summary = _run(corpus)
    assert (summary.articles, summary.analysed, summary.unchanged, summary.dropped) == (4, 4, 0, 0)
    assert summary.sentences == len(store.read_table("sentences", corpus))
    assert summary.terms == len(store.read_table("terms", corpus))
    assert summary.mentions == len(store.read_table("mentions", corpus))
    assert summary.pairs == len(store.read_table("cooccurrence", corpus))
    assert summary.full_reason == "first analysis of this folder"
    assert "vader_lexicon" in summary.resources and "sentences" in summary.resources
    assert summary.lexicon == sentiment.lexicon_source()
    assert summary.line().startswith(f"analyze: 4 articles: 4 analysed, 0 unchanged, 0 dropped; {summary.sentences} sentences")


def test_sentence_scores_equal_score_sentences_on_the_same_sentences(analysed):
    stored = store.read_table("sentences", analysed)
    rescored = sentiment.score_sentences(stored[["article_id", "sentence_id", "text"]])
    for col in ("neg", "neu", "pos", "compound"):
        assert stored[col].tolist() == rescored[col].tolist()


@pytest.mark.parametrize(
    ("article_id", "sentence_id", "text"),
    [
        ("b2000000000000bb", 3, "Mr. Peskov gave no timetable."),  # the abbreviation does not end a sentence
        ("a1000000000000aa", 2, "Andriy Yermak led the Ukrainian team."),  # sentence ids run across paragraphs
    ],
)
def test_sentences_are_split_with_paragraphs_and_abbreviations(analysed, article_id, sentence_id, text):
    stored = store.read_table("sentences", analysed).set_index(["article_id", "sentence_id"])
    assert stored.loc[(article_id, sentence_id), "text"] == text


def test_mention_offsets_point_at_the_surface(analysed):
    mentions = store.read_table("mentions", analysed)
    sentences = store.read_table("sentences", analysed)
    joined = mentions.merge(sentences[["article_id", "sentence_id", "text"]], on=["article_id", "sentence_id"], how="left", validate="many_to_one")
    assert joined["text"].notna().all()
    assert all(t[s:e] == surface for t, s, e, surface in zip(joined["text"], joined["start"], joined["end"], joined["surface"]))


@pytest.mark.parametrize(
    ("article_id", "actor", "surface"),
    [
        ("a1000000000000aa", "Marco Rubio", "Rubio"),
        ("b2000000000000bb", "Dmitry Peskov", "Mr. Peskov"),  # a title in the dictionary
        ("c3000000000000cc", "Volodymyr Zelenskyy", "Zelenskyy"),
        ("d4000000000000dd", "Black Sea", "Black Sea"),
    ],
)
def test_dictionary_actors_are_found(analysed, article_id, actor, surface):
    mentions = store.read_table("mentions", analysed)
    rows = mentions[(mentions["article_id"] == article_id) & (mentions["actor"] == actor)]
    assert surface in set(rows["surface"])
    assert set(rows["origin"]) == {"dictionary"}


def test_cooccurrence_has_three_windows_and_ordered_pairs(analysed):
    cooc = store.read_table("cooccurrence", analysed)
    assert set(cooc["window"]) == {"sentence", "paragraph", "article"}
    assert (cooc["actor_a"] < cooc["actor_b"]).all()
    assert not cooc.duplicated(["window", "actor_a", "actor_b"]).any()
    article = cooc[cooc["window"] == "article"].set_index(["actor_a", "actor_b"])
    assert article.loc[("Donald Trump", "Vladimir Putin"), "articles"] == 1
    assert cooc["sentences"].min() == 1  # stored with min_count 1


# --------------------------------------------------------------------------- incremental runs


def test_rerun_with_nothing_new_analyses_nothing_and_keeps_bytes(analysed):
    before = _bytes(analysed)
    stamps = {name: (analysed / name).stat().st_mtime_ns for name in before}
    first_counts = (store.count_rows("sentences", analysed), store.count_rows("terms", analysed), store.count_rows("mentions", analysed), store.count_rows("cooccurrence", analysed))
    summary = _run(analysed)
    assert (summary.analysed, summary.unchanged, summary.full_reason) == (0, 4, None)
    assert "reused" in summary.splitter
    assert _bytes(analysed) == before
    assert {name: (analysed / name).stat().st_mtime_ns for name in before} == stamps, "a no-change run rewrites nothing"
    assert (summary.sentences, summary.terms, summary.mentions, summary.pairs) == first_counts


def test_a_no_change_discover_run_reports_the_discovered_mentions(analysed):
    first = _run(analysed, discover=True)
    again = _run(analysed, discover=True)
    assert again.analysed == 0 and again.discovered == first.discovered > 0
    assert again.candidates == analysed / "actor_candidates.csv"


def test_two_fresh_runs_give_identical_files(tmp_path):
    one = _write_articles(tmp_path / "one", ARTICLES)
    two = _write_articles(tmp_path / "two", list(reversed(ARTICLES)))
    _run(one)
    _run(two)
    assert _bytes(one) == _bytes(two)


def test_punkt_trained_in_a_child_process_gives_the_same_tables(tmp_path, monkeypatch):
    text._TRAINED_CACHE.clear()
    here = _write_articles(tmp_path / "here", ARTICLES)
    _run(here)
    text._TRAINED_CACHE.clear()
    apart = _write_articles(tmp_path / "apart", ARTICLES)
    calls = []
    real = analyze_mod.engines.run_apart
    monkeypatch.setattr(analyze_mod.engines, "run_apart", lambda func, *args: calls.append(func) or real(func, *args))
    monkeypatch.setattr(analyze_mod, "_TRAIN_APART_ARTICLES", 0)
    _run(apart)
    assert calls == [analyze_mod._trained_splitter]
    assert _bytes(here) == _bytes(apart)


def test_adding_an_article_analyses_only_it_and_equals_a_full_run(analysed, tmp_path):
    _write_articles(analysed, [*ARTICLES, LATE])
    summary = _run(analysed)
    assert (summary.analysed, summary.unchanged, summary.full_reason) == (1, 4, None)
    # a full analysis from scratch with the same (stored) splitter gives the same bytes
    fresh = _write_articles(tmp_path / "fresh", [*ARTICLES, LATE])
    shutil.copy(analysed / STATE_FILE, fresh / STATE_FILE)
    again = _run(fresh)
    assert again.analysed == 5
    assert again.full_reason is not None and "missing" in again.full_reason
    assert _bytes(fresh) == _bytes(analysed)


def test_a_changed_article_is_analysed_again_and_a_removed_one_dropped(analysed):
    rows = [r for r in ARTICLES if r[0] != "d4000000000000dd"]
    rows[0] = (rows[0][0], rows[0][1], "Donald Trump called the Jeddah meeting a good start.", None)
    _write_articles(analysed, rows)
    summary = _run(analysed)
    assert (summary.analysed, summary.unchanged, summary.dropped) == (1, 2, 1)
    sentences = store.read_table("sentences", analysed)
    assert "d4000000000000dd" not in set(sentences["article_id"])
    assert sentences[sentences["article_id"] == "a1000000000000aa"]["text"].tolist() == ["Donald Trump called the Jeddah meeting a good start."]
    terms = store.read_table("terms", analysed)
    assert "d4000000000000dd" not in set(terms["article_id"])
    assert "rubio" not in set(terms.loc[terms["article_id"] == "a1000000000000aa", "term"])


def test_an_article_that_becomes_a_duplicate_is_dropped(analysed):
    rows = [r if r[0] != "d4000000000000dd" else (*r[:3], "a1000000000000aa") for r in ARTICLES]
    _write_articles(analysed, rows)
    summary = _run(analysed)
    assert (summary.analysed, summary.dropped) == (0, 1)
    assert "d4000000000000dd" not in set(store.read_table("mentions", analysed)["article_id"])


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("dictionary", "the actor dictionary changed"),
        ("overrides", "the lexicon overrides changed"),
        ("full", "a full run was asked for"),
        ("table", "terms.parquet missing"),
    ],
)
def test_a_global_change_redoes_every_article_and_says_why(analysed, tmp_path, change, reason):
    kwargs = {}
    if change == "dictionary":
        edited = tmp_path / "actors.yml"
        edited.write_text(ACTORS.read_text(encoding="utf-8") + "\n- name: Hakan Fidan\n  type: person\n", encoding="utf-8")
        kwargs["actors_file"] = edited
    elif change == "overrides":
        overrides = tmp_path / "lexicon.tsv"
        overrides.write_text("truce\t1.5\n", encoding="utf-8")
        kwargs["lexicon_overrides"] = overrides
    elif change == "full":
        kwargs["full"] = True
    else:
        shutil.rmtree(analysed / "terms.parquet")
    summary = _run(analysed, **kwargs)
    assert (summary.analysed, summary.unchanged, summary.full_reason) == (4, 0, reason)
    assert reason in summary.line()
    if change == "dictionary":
        assert "Hakan Fidan" in set(store.read_table("mentions", analysed)["actor"])


def test_lexicon_overrides_change_the_stored_scores(analysed, tmp_path):
    overrides = tmp_path / "lexicon.tsv"
    overrides.write_text("hopeful\t0\nconstructive\t0\n", encoding="utf-8")
    _run(analysed, lexicon_overrides=overrides)
    stored = store.read_table("sentences", analysed).set_index(["article_id", "sentence_id"])
    assert stored.loc[("a1000000000000aa", 3), "compound"] == 0.0
    assert "2 overrides" in _run(analysed, lexicon_overrides=overrides).lexicon


# --------------------------------------------------------------------------- the splitter


def test_the_stored_splitter_splits_like_the_trained_one(analysed):
    texts = [r[2] for r in ARTICLES if r[3] is None]
    trained = text.get_sentence_splitter(texts)
    stored = sentence_splitter(analysed)
    sample = "Mr. Peskov spoke at 9 a.m. Monday. Gen. Kellogg left for Kyiv. Talks resumed."
    assert text.split_sentences(sample, splitter=stored) == text.split_sentences(sample, splitter=trained)
    assert analyze_mod._params_to_json(stored._params) == analyze_mod._params_to_json(trained._params)


def test_a_notebook_subset_by_date_scores_like_the_stored_table(analysed):
    subset = store.read_articles(analysed, date_from="2025-03-15")
    assert sorted(subset["article_id"]) == ["c3000000000000cc", "d4000000000000dd"]
    split = text.sentences_frame(subset, splitter=sentence_splitter(analysed))
    scored = sentiment.score_sentences(split)
    per_article = sentiment.article_sentiment(scored, articles=subset)
    assert per_article["article_id"].tolist() == ["c3000000000000cc", "d4000000000000dd"]
    assert (per_article["n_sentences"] > 0).all()
    stored = store.read_table("sentences", analysed)
    stored = stored[stored["article_id"].isin(subset["article_id"])].reset_index(drop=True)
    assert scored["text"].tolist() == stored["text"].tolist()
    assert scored["compound"].tolist() == stored["compound"].tolist()


def test_sentence_splitter_without_an_analysis_says_to_run_it(corpus):
    with pytest.raises(DataError, match="mediawork analyze"):
        sentence_splitter(corpus)


# --------------------------------------------------------------------------- discovery, actors file, errors


def test_discover_adds_discovered_mentions_and_writes_candidates(analysed):
    summary = _run(analysed, discover=True)
    assert summary.full_reason is None and summary.analysed == 0
    mentions = store.read_table("mentions", analysed)
    found = mentions[mentions["origin"] == "discovered"]
    assert "Hakan Fidan" in set(found["actor"])
    assert summary.discovered == len(found) > 0
    candidates = pd.read_csv(summary.candidates)
    assert summary.candidates == analysed / "actor_candidates.csv"
    assert "Hakan Fidan" in set(candidates["name"])
    # without --discover the discovered rows go again
    _run(analysed)
    assert set(store.read_table("mentions", analysed)["origin"]) == {"dictionary"}


def test_a_missing_actors_file_is_reported_and_gives_empty_mentions(corpus, tmp_path, capsys):
    summary = _run(corpus, actors_file=tmp_path / "nowhere.yml")
    err = capsys.readouterr().err
    assert "nowhere.yml not found" in err and "empty mentions table" in err
    assert summary.notes and summary.mentions == 0 and summary.pairs == 0
    assert store.read_table("mentions", corpus).empty
    assert list(store.read_table("cooccurrence", corpus).columns) == schema.COOCCURRENCE.names


def test_a_bad_actors_file_raises_the_dictionary_message(corpus, tmp_path):
    bad = tmp_path / "actors.yml"
    bad.write_text("- name: Marco Rubio\n  type: diplomat\n", encoding="utf-8")
    with pytest.raises(InputError, match="field 'type' is 'diplomat'"):
        _run(corpus, actors_file=bad)
    assert not store.exists("sentences", corpus)


@pytest.mark.parametrize("content", [None, b"PAR1 this is not a table"], ids=["missing", "corrupt"])
def test_an_unusable_articles_table_says_to_ingest(tmp_path, content):
    folder = tmp_path / "p"
    if content is not None:
        folder.mkdir()
        (folder / "articles.parquet").write_bytes(content)
    with pytest.raises(DataError, match="mediawork ingest"):
        analyze(folder, progress=False)


def test_an_empty_corpus_writes_empty_tables(tmp_path):
    folder = _write_articles(tmp_path / "p", ARTICLES[4:])  # only a duplicate: no unique articles
    summary = _run(folder)
    assert (summary.articles, summary.sentences, summary.pairs) == (0, 0, 0)
    for table in OUTPUTS:
        assert store.read_table(table, folder).empty


def test_user_nltk_data_gives_the_same_scores(analysed):
    """With the user's NLTK data the lexicon source changes but its entries do not, so nothing is redone for it."""
    nltk_data = SHARED / "nltk_data"
    if not nltk_data.is_dir():
        pytest.skip(f"../shared/nltk_data not found at {nltk_data}: this check needs NLTK's vader_lexicon and stopwords from the shared folder")
    before = store.read_table("sentences", analysed)
    saved = list(nltk.data.path)
    nltk.data.path[:] = [str(nltk_data)]
    try:
        summary = _run(analysed, full=True)
        assert summary.lexicon == "nltk_data"
        assert summary.resources["stopwords"].startswith("nltk")
        again = _run(analysed)
    finally:
        nltk.data.path[:] = saved
    assert again.analysed == 0 and again.full_reason is None
    after = store.read_table("sentences", analysed)
    assert after["compound"].tolist() == before["compound"].tolist()
    assert _run(analysed).full_reason == "the stopword list changed"


def test_tables_glued_from_parts_are_written_with_the_same_bytes(tmp_path):
    """Arrow chunks left by concatenating batches must not change the Parquet bytes (they do for large tables)."""
    n = 30_000
    whole = pd.DataFrame(
        {
            "article_id": [f"{i // 40:016x}" for i in range(n)],
            "paragraph_id": [(i % 40) // 4 for i in range(n)],
            "sentence_id": [i % 40 for i in range(n)],
            "text": [f"Envoys met for round {i} of the truce talks and said little." for i in range(n)],
            "neg": 0.0,
            "neu": 1.0,
            "pos": 0.0,
            "compound": [round((i % 7 - 3) / 10, 4) for i in range(n)],
        }
    )
    glued = pd.concat([whole.iloc[i : i + 3_000] for i in range(0, n, 3_000)], ignore_index=True)
    months = dict.fromkeys(whole["article_id"], "2025-03")
    store.write_table(analyze_mod._sorted(whole, schema.SENTENCES), schema.SENTENCES, tmp_path / "one", months=months)
    store.write_table(analyze_mod._sorted(glued, schema.SENTENCES), schema.SENTENCES, tmp_path / "two", months=months)
    assert store.fingerprint("sentences", tmp_path / "one") == store.fingerprint("sentences", tmp_path / "two")


def test_a_grown_corpus_gets_a_hint_to_retrain_the_splitter(tmp_path, capsys):
    folder = _write_articles(tmp_path / "p", ARTICLES[:1])
    _run(folder)
    _write_articles(folder, ARTICLES)
    summary = _run(folder)
    assert summary.analysed == 3 and summary.full_reason is None
    assert "trained on 1 article " in summary.splitter
    assert "mediawork analyze --full" in capsys.readouterr().err
    assert "trained on 4 articles" in _run(folder, full=True).splitter


@pytest.mark.parametrize("change", ["new article", "new dictionary"])
def test_a_run_killed_while_writing_is_completed_by_the_next_run(analysed, tmp_path, monkeypatch, change):
    kwargs = {}
    if change == "new article":
        _write_articles(analysed, [*ARTICLES, LATE])
    else:
        kwargs["actors_file"] = tmp_path / "actors.yml"
        kwargs["actors_file"].write_text(ACTORS.read_text(encoding="utf-8") + "\n- name: Hakan Fidan\n  type: person\n", encoding="utf-8")
    clean = tmp_path / "clean"
    shutil.copytree(analysed, clean)
    _run(clean, **kwargs)
    real_write = store.DatasetWriter.write

    def dies_at_mentions(self, df, **kw):
        if self.table is schema.MENTIONS:
            raise KeyboardInterrupt
        return real_write(self, df, **kw)

    monkeypatch.setattr(store.DatasetWriter, "write", dies_at_mentions)
    with pytest.raises(KeyboardInterrupt):
        _run(analysed, **kwargs)
    monkeypatch.setattr(store.DatasetWriter, "write", real_write)
    summary = _run(analysed, **kwargs)
    assert summary.analysed == (1 if change == "new article" else 4)
    assert _bytes(analysed) == _bytes(clean)


# --------------------------------------------------------------------------- partitions


def _parts(folder: Path) -> dict[str, set[str]]:
    return {t: {p.path for p in store.parts(t, folder)} for t in ("sentences", "terms", "mentions")}


def test_tables_are_partitioned_by_the_articles_month(analysed):
    for table in ("sentences", "terms", "mentions"):
        assert {p.month for p in store.parts(table, analysed)} == {"2025-03"}
    # one part per month here; every article's rows are in the part of its month
    assert store.read_table("sentences", analysed, months=["2025-04"]).empty
    assert set(store.read_table("sentences", analysed, months=["2025-03"])["article_id"]) == {r[0] for r in ARTICLES if r[3] is None}


def test_an_article_of_a_new_month_leaves_the_other_months_parts_untouched(analysed, tmp_path, monkeypatch):
    late = (LATE[0], "2025-04-02T08:00:00Z", *LATE[2:])
    before = _parts(analysed)
    read = []
    real_read = store.read_table
    monkeypatch.setattr(store, "read_table", lambda table, data_dir, **kw: read.append((getattr(table, "name", table), kw.get("months"))) or real_read(table, data_dir, **kw))
    _write_articles(analysed, [*ARTICLES, late])
    summary = _run(analysed)
    assert (summary.analysed, summary.unchanged) == (1, 4)
    after = _parts(analysed)
    for table in after:
        assert before[table] <= after[table], table  # March parts kept as they were
        assert {p.split("/")[0] for p in after[table] - before[table]} == {"month=2025-04"}, table
    # the article texts read for analysis are April's only
    assert ("articles", ["2025-04"]) in read and ("articles", ["2025-03"]) not in read
    fresh = tmp_path / "fresh"
    _write_articles(fresh, [*ARTICLES, late])
    _run(fresh)
    tables = lambda folder: {k: v for k, v in _bytes(folder).items() if k != STATE_FILE}  # noqa: E731 - the splitters differ: fresh trains on 5 articles
    assert tables(fresh) == tables(analysed)


def test_many_parts_per_month_give_the_same_rows_as_one(corpus, tmp_path, monkeypatch):
    one = _run(corpus)
    whole = {t: store.read_table(t, corpus) for t in ("sentences", "terms", "mentions", "cooccurrence")}
    monkeypatch.setattr(store, "CHUNK_TARGET", 2)
    small = tmp_path / "small"
    _write_articles(small, ARTICLES)
    two = _run(small)
    assert len(store.parts("terms", small)) > 1
    assert (one.sentences, one.terms, one.mentions, one.pairs) == (two.sentences, two.terms, two.mentions, two.pairs)
    for table, rows in whole.items():
        pd.testing.assert_frame_equal(store.read_table(table, small), rows, check_dtype=True)


def test_text_hashes_come_from_ingests_signatures_unless_they_are_newer_than_the_articles(corpus, monkeypatch):
    real = compute_signatures(store.read_table("articles", corpus))
    store.write_table(real.assign(text_sha256="0" * 64), schema.SIGNATURES, corpus)  # as an ingest killed before the articles
    _run(corpus)
    state = json.loads((corpus / STATE_FILE).read_text())
    assert set(state["articles"].values()) <= set(real["text_sha256"])  # the bodies were hashed, not the stale signatures
    store.write_table(real.assign(text_sha256="1" * 64), schema.SIGNATURES, corpus)
    stamp = time.time() - 60
    os.utime(corpus / "signatures.parquet", (stamp, stamp))  # older than the articles: trusted, so no body is read
    reads = []
    real_iter = store.iter_parts
    monkeypatch.setattr(store, "iter_parts", lambda *a, **k: reads.append(a) or real_iter(*a, **k))
    summary = _run(corpus)
    assert reads == [] and summary.analysed == 4  # every stored hash "changed", so all were analysed again


@pytest.mark.parametrize("discover", [False, True])
def test_cooccurrence_summed_over_parts_equals_one_build_over_the_corpus(corpus, monkeypatch, discover):
    monkeypatch.setattr(store, "CHUNK_TARGET", 2)
    _run(corpus, discover=discover)
    assert len(store.parts("pair_counts", corpus)) > 1
    mentions = store.read_table("mentions", corpus)
    windows = store.read_table("sentences", corpus, columns=["article_id", "paragraph_id", "sentence_id"])
    whole = pd.concat([cooccurrence.build_cooccurrence(mentions, sentences=windows, window=w, min_count=1) for w in cooccurrence.WINDOWS])
    stored = store.read_table("cooccurrence", corpus)
    assert len(stored) > 0
    pd.testing.assert_frame_equal(analyze_mod._sorted(whole, schema.COOCCURRENCE), stored, check_exact=True)


def test_a_batch_gives_arrow_tables_that_write_the_bytes_of_the_cast_frames(corpus, tmp_path):
    """Workers send Arrow tables back; written, they must equal the frames the batch functions give, cast."""
    from mediawork import actors, terms

    articles = analyze_mod._read_texts(corpus, sorted(r[0] for r in ARTICLES if r[3] is None), month=None)
    splitter = text.get_sentence_splitter(articles["text"].tolist())
    batch = analyze_mod._BatchAnalysis(
        splitter=splitter, analyzer=sentiment.load_analyzer(), stopwords=text.stopwords(), dictionary=actors.load_actors(ACTORS)
    )
    got = batch(articles)
    split = text.sentences_frame(articles, splitter=splitter)
    frames = (
        sentiment.score_sentences(split, analyzer=batch.analyzer),
        terms.count_terms(split, stopwords=batch.stopwords),
        actors.find_mentions(split, batch.dictionary),
    )
    for table, arrow, frame in zip((schema.SENTENCES, schema.TERMS, schema.MENTIONS), got, frames, strict=True):
        assert arrow.schema.equals(table.arrow_schema) and arrow.num_rows == len(frame) > 0
        with store.DatasetWriter(table, tmp_path / "arrow") as w:
            from_arrow = w.write(arrow, month="2025-03")
        with store.DatasetWriter(table, tmp_path / "frame") as w:
            from_frame = w.write(store.typed(frame, table), month="2025-03")
        assert from_arrow.path == from_frame.path, table.name  # parts are named by the SHA-256 of their bytes
