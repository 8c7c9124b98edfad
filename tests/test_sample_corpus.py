"""Acceptance test: ingest the shipped sample corpus (data/raw) and a generated corpus.

Every article must come out with a real headline, its authors when the page has a
byline, a publication time, a body free of boilerplate, no e-mail address anywhere and
tags that are topics (not footer links). The expected titles below are short fragments
of the headlines the sample dumps carry, written here to identify each one.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from mediawork import store
from mediawork.boilerplate import match_rule
from mediawork.cleaning import inherit_outlets
from mediawork.ingest import ingest
from mediawork.sample import generate_sample

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
ZIP = "2025-04-26_colleague_dumps.zip!dumps/"

#: Each plain-text dump → a fragment its headline starts with.
TITLES = {
    "2025-02-25_hindustantimes_macron-trump-guarantees.txt": "Macron Tells Trump a Truce",
    "2025-02-28_lakesidetribune_oval-office-blowup.txt": "Trump berates Zelenskyy in Oval",
    "2025-03-01_hindustantimes_oval-office-clash.txt": "Oval Office Clash Leaves",
    "2025-03-01_hindustantimes_trump-berates-zelenskyy-ap.txt": "Trump berates Zelenskyy in Oval",
    "2025-03-02_londonledger_lancaster-house-summit.txt": "Starmer unveils plan for",
    "2025-03-06_brusselsdispatch_rearm-europe-summit.txt": "EU leaders back von der Leyen",
    "2025-03-11_lakesidetribune_jeddah-truce-bloomberg.txt": "Ukraine backs US plan for 30-day",
    "2025-03-12_hindustantimes_jeddah-truce-plan.txt": "Ukraine Backs US Plan for 30-Day",
    "2025-03-13_brusselsdispatch_rutte-white-house.txt": "Rutte tells Trump the ball",
    "2025-03-13_reuters_putin-truce-nuances.txt": "Putin backs truce idea",
    "2025-03-13_reuters_putin-truce-nuances_copy.txt": "Putin backs truce idea",
    "2025-03-18_frontlinebrief_live-trump-putin-call.txt": "Ukraine war live: Trump and Putin speak",
    "2025-03-19_hindustantimes_putin-energy-pause.txt": "Putin Agrees to Pause Energy",
    "2025-03-19_reuters_zelensky-energy-pause.txt": "Zelensky backs energy strike pause",
    "2025-03-25_reuters_black-sea-steps.txt": "US says Russia and Ukraine agree to Black Sea",
    "2025-03-26_hindustantimes_black-sea-steps-reuters.txt": "US says Russia and Ukraine agree to Black Sea",
    "2025-03-28_londonledger_paris-reassurance-force.txt": "Macron says European",
    "2025-03-30_hindustantimes_trump-angry-putin-tariffs.txt": "Trump Says He Is",
    "2025-04-03_lakesidetribune_dmitriev-visit.txt": "Putin envoy's Washington trip",
    "2025-04-04_lakesidetribune_kryvyi-rih-strike.txt": "Russian missile kills 18",
    "2025-04-12_hindustantimes_witkoff-st-petersburg.txt": "Witkoff Spends Hours With Putin",
    "2025-04-17_londonledger_paris-rubio-witkoff.txt": "US and Europe hold first joint talks",
    "2025-04-19_brusselsdispatch_putin-easter-truce-reuters.txt": "Putin declares Easter truce",
    "2025-04-19_reuters_easter-truce.txt": "Putin declares Easter truce",
    "2025-04-20_frontlinebrief_live-easter-truce.txt": "Ukraine war live: Easter truce frays",
    "2025-04-23_londonledger_london-talks-downgraded.txt": "London peace talks downgraded",
    "2025-04-25_reuters_witkoff-putin-moscow.txt": "Putin and Witkoff hold three-hour talks",
    ZIP + "2025-03-05_hindustantimes_intel-sharing-pause.txt": "US Halts Intelligence Sharing",
    ZIP + "2025-03-22_lakesidetribune_witkoff-interview.txt": "Envoy's praise for Putin",
    ZIP + "2025-04-13_londonledger_sumy-palm-sunday.txt": "Dozens killed as Russian missiles hit Sumy",
}

#: Plain-text dumps → the first author their byline, credit or contact line names.
FIRST_AUTHORS = {
    "2025-02-28_lakesidetribune_oval-office-blowup.txt": "Ruth Kaminski",
    "2025-03-02_londonledger_lancaster-house-summit.txt": "Harriet Calloway",
    "2025-03-28_londonledger_paris-reassurance-force.txt": "Pierre Vasseur",
    "2025-04-03_lakesidetribune_dmitriev-visit.txt": "Gwen Halvorsen",
    "2025-04-12_hindustantimes_witkoff-st-petersburg.txt": "Ellen Marsh",
    "2025-03-01_hindustantimes_oval-office-clash.txt": "Daniel Ortega-Reyes",
    ZIP + "2025-03-22_lakesidetribune_witkoff-interview.txt": "Gwen Halvorsen",
    ZIP + "2025-04-13_londonledger_sumy-palm-sunday.txt": "Oksana Melnyk",
}

#: Pages without a personal byline: an aggregator's copy of an AP story (no credit at
#: all) and an editorial signed by a board.
NO_BYLINE = {"2025-03-01_hindustantimes_trump-berates-zelenskyy-ap.txt", "nexis_export.txt#3"}

#: The duplicates the corpus README lists: the byte-identical Reuters copy and the
#: syndicated near-duplicates (Black Sea, AP Oval Office, Reuters Easter truce, Bloomberg Jeddah).
DUPLICATES = {
    "2025-03-13_reuters_putin-truce-nuances_copy.txt",
    "2025-03-26_hindustantimes_black-sea-steps-reuters.txt",
    "2025-03-01_hindustantimes_trump-berates-zelenskyy-ap.txt",
    "2025-04-19_brusselsdispatch_putin-easter-truce-reuters.txt",
    "2025-03-11_lakesidetribune_jeddah-truce-bloomberg.txt",
}
#: Files that are containers of several units (each has a manifest row of its own).
CONTAINERS = 4  # the zip, the JSON Lines export, the CSV and the Nexis export

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def _ingest(raw: Path, out: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    ingest(raw_dir=raw, out_dir=out, progress=False, log=io.StringIO())
    return store.read_table("articles", out), store.read_table("manifest", out), store.read_table("removed", out)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    if not (RAW / "README.md").is_file():
        pytest.skip(f"sample corpus not found at {RAW}: this test needs the repository's data/raw")
    return _ingest(RAW, tmp_path_factory.mktemp("processed"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    raw = tmp_path_factory.mktemp("generated")
    generate_sample(300, raw, seed=1)
    return _ingest(raw, tmp_path_factory.mktemp("generated_processed"))


def _articles(corpus) -> pd.DataFrame:
    return corpus[0].set_index("source_file", drop=False)


# --- invariants for every article of a corpus ----------------------------------------------


def _check_invariants(articles: pd.DataFrame) -> None:
    for row in articles.itertuples():
        name = row.source_file
        assert isinstance(row.title, str) and len(row.title.split()) >= 3, name
        assert match_rule(row.title) is None, (name, row.title)
        assert not pd.isna(row.published), name
        paragraphs = row.text.split("\n\n")
        assert paragraphs and all(p.strip() for p in paragraphs), name
        assert [p[:60] for p in paragraphs if match_rule(p) is not None] == [], name
        assert [t for t in row.tags if match_rule(t) is not None] == [], name
        for column, value in row._asdict().items():
            texts = list(value) if isinstance(value, (list, tuple)) or hasattr(value, "tolist") else [value]
            assert not any(isinstance(t, str) and _EMAIL.search(t) for t in texts), (name, column)


def test_every_sample_article_is_clean(corpus) -> None:
    _check_invariants(_articles(corpus))


def test_every_generated_article_is_clean(generated) -> None:
    _check_invariants(_articles(generated))


# --- the shipped sample --------------------------------------------------------------------


@pytest.mark.parametrize("source_file", sorted(TITLES))
def test_sample_dump_titles_are_the_headlines(corpus, source_file: str) -> None:
    title = _articles(corpus).loc[source_file, "title"]
    assert title.startswith(TITLES[source_file]), title


def test_every_sample_dump_has_an_expected_title(corpus) -> None:
    dumps = {f for f in corpus[0]["source_file"] if f.endswith(".txt")}
    assert dumps == set(TITLES)


@pytest.mark.parametrize("source_file", sorted(FIRST_AUTHORS))
def test_sample_bylines_give_authors(corpus, source_file: str) -> None:
    assert _articles(corpus).loc[source_file, "authors"][0] == FIRST_AUTHORS[source_file]


def test_authors_are_known_wherever_the_page_has_a_byline(corpus) -> None:
    articles = _articles(corpus)
    empty = set(articles.loc[articles["authors"].map(len) == 0, "source_file"])
    assert empty == NO_BYLINE


def test_contributors_are_removed_but_not_authors(corpus) -> None:
    articles, _, removed = corpus
    contributor = removed[removed["rule"] == "rule:contributor"]
    assert len(contributor) == 2
    clash = articles.set_index("source_file").loc["2025-03-01_hindustantimes_oval-office-clash.txt"]
    assert clash["authors"].tolist() == ["Daniel Ortega-Reyes"]
    assert "contributed reporting" not in clash["text"]


def test_tags_hold_no_footer_links(corpus) -> None:
    tags = Counter(t for ts in corpus[0]["tags"] for t in ts)
    assert not {"Reuse this content", "Most viewed", "Share"} & set(tags)
    assert tags["Ukraine"] >= 10


def test_syndicated_copy_gets_the_original_publisher(corpus) -> None:
    # The aggregator's copy names no publisher (a generic logo); its near-duplicate on the
    # agency's own site does. inherit_outlets is idempotent, so this holds whether or not
    # ingest has already applied it.
    articles = corpus[0].reset_index(drop=True)
    outlets = dict(zip(articles["source_file"], inherit_outlets(articles)))
    assert outlets["2025-03-26_hindustantimes_black-sea-steps-reuters.txt"] == "Reuters"
    assert outlets["2025-04-19_brusselsdispatch_putin-easter-truce-reuters.txt"] == "Reuters"
    assert outlets["2025-03-12_hindustantimes_jeddah-truce-plan.txt"] == "Bloomberg"
    assert outlets["2025-03-13_reuters_putin-truce-nuances.txt"] == "reuters.com"


def test_statuses_match_the_corpus_readme(corpus) -> None:
    articles, manifest, _ = corpus
    readme = (RAW / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|[^|\n]+\|[^|\n]+\|\s*(\d+)\s*\|$", readme, flags=re.MULTILINE)
    n_articles = sum(int(n) for n in rows)
    assert n_articles == len(articles) == 47
    counts = manifest["status"].value_counts().to_dict()
    assert counts == {"ok": n_articles - len(DUPLICATES) + CONTAINERS, "duplicate": len(DUPLICATES)}
    assert set(manifest.loc[manifest["status"] == "duplicate", "source_file"]) == DUPLICATES


# --- the generated corpus ---------------------------------------------------------------------


def test_generated_titles_vary_within_each_source(generated) -> None:
    # a navigation or cookie line taken for the headline would repeat on every page of a site
    articles = generated[0]
    for source, titles in articles.groupby("source")["title"]:
        if len(titles) >= 5:
            assert titles.value_counts().iloc[0] / len(titles) < 0.5, (source, titles.value_counts().index[0])


def test_generated_own_stories_have_authors(generated) -> None:
    # only agency copies on an aggregator come without a byline
    articles = generated[0]
    empty = articles[articles["authors"].map(len) == 0]
    assert (empty["outlet"] != empty["source"]).all(), empty["source_file"].tolist()
    assert len(empty) < len(articles) * 0.1


def test_generated_statuses(generated) -> None:
    articles, manifest, _ = generated
    counts = manifest["status"].value_counts().to_dict()
    assert counts.get("rejected", 0) == 0
    assert counts.get("ok", 0) + counts.get("duplicate", 0) == len(manifest)
    assert len(articles) == 300 and counts.get("duplicate", 0) >= 1
