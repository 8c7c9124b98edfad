"""Acceptance test: clean_dump on the project's seed dump in ../shared/seeds.

The seed is read at run time and never copied here: expectations are block positions
(0-based, blocks separated by blank lines), counts, short strings and a hash.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from mediawork.cleaning import CleanArticle, clean_dump, dump_source, learn_boilerplate, normalize_line

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "000_04c931524047d112.txt"

#: Blocks (0-based) that make the body, in order: block 8 with its dateline stripped,
#: then blocks 11 to 31 inclusive.
BODY_BLOCKS = [8, *range(11, 32)]
#: 16 hex digits of the SHA-256 of the body paragraphs joined by one blank line.
BODY_SHA = "3dcf211a87468aa5"
#: Blocks whose removal rule is fixed by the spec.
EXPECTED_RULES = {
    0: "metadata:source",
    1: "metadata:title",
    2: "metadata:title",
    3: "rule:logo",
    4: "metadata:outlet",
    5: "metadata:published",
    6: "metadata:summary",
    7: "rule:caption",
    9: "metadata:title",
    10: "metadata:title",
    32: "rule:contact",
    34: "rule:share",
    35: "metadata:tags",
    36: "metadata:tags",
    41: "rule:subscribe",
    43: "rule:subscribe",
}


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"seed dump not found at {SEED}: the acceptance test needs ../shared/seeds beside the repository")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def blocks(seed_text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n[ \t]*\n", seed_text) if b.strip()]


@pytest.fixture(scope="module")
def article(seed_text: str) -> CleanArticle:
    return clean_dump(seed_text)


def test_seed_shape_is_what_the_expectations_assume(blocks: list[str]) -> None:
    assert len(blocks) == 45
    assert blocks[0] == "hindustantimes.com"
    assert blocks[8].startswith("WASHINGTON—President Trump")


def test_seed_fields(article: CleanArticle, seed_text: str) -> None:
    assert dump_source(seed_text) == "hindustantimes.com"
    assert article.source == "hindustantimes.com"
    assert article.outlet == "WSJ"
    assert article.title == "Ukraine Cease-Fire Hinges on Trump Call With Putin"
    assert article.summary == "Kyiv accuses Moscow of prolonging the war through talks."
    assert article.published == pd.Timestamp("2025-03-18 07:10", tz="UTC")
    assert article.published_offset == "+05:30"
    assert article.dateline == "WASHINGTON"
    assert article.authors == ["Alan Cullison"]
    assert article.tags == ["Russia", "Ukraine"]
    assert article.language == "en"


def test_seed_body_is_blocks_8_and_11_to_31(article: CleanArticle, blocks: list[str]) -> None:
    assert len(article.paragraphs) == 22
    assert article.paragraphs[0] == blocks[8].removeprefix("WASHINGTON—")
    assert article.paragraphs[0].startswith("President Trump’s hopes")
    assert article.paragraphs[1:] == blocks[11:32]
    assert hashlib.sha256("\n\n".join(article.paragraphs).encode("utf-8")).hexdigest()[:16] == BODY_SHA


def test_every_other_seed_block_is_removed_with_a_rule(article: CleanArticle, blocks: list[str]) -> None:
    removed = {line_no - 1: (text, rule) for line_no, text, rule in article.removed}
    assert sorted(removed) == [i for i in range(len(blocks)) if i not in BODY_BLOCKS]
    assert all(removed[i][0] == blocks[i] for i in removed)
    assert all(re.fullmatch(r"(rule|metadata|learned):[\w.:-]+", rule) for _, rule in removed.values())
    for i, rule in EXPECTED_RULES.items():
        assert removed[i][1] == rule, (i, blocks[i][:40])
    assert all(removed[i][1].startswith("rule:") for i in range(37, 45))
    assert removed[9][0].endswith("PREMIUM")


def test_no_email_address_survives(article: CleanArticle) -> None:
    kept = [article.title, article.summary, article.dateline, *article.authors, *article.tags, *article.paragraphs]
    assert not any("@" in (text or "") for text in kept)


def test_learned_boilerplate_removes_the_block_as_learned(seed_text: str, blocks: list[str]) -> None:
    article = clean_dump(seed_text, learned={normalize_line(blocks[31])})
    assert len(article.paragraphs) == 21
    assert (32, blocks[31], "learned:hindustantimes.com") in article.removed


def test_cleaning_the_rebuilt_seed_again_keeps_the_same_body(article: CleanArticle) -> None:
    rebuilt = "\n\n".join([article.source, article.title, f"{article.dateline}—{article.paragraphs[0]}", *article.paragraphs[1:]])
    again = clean_dump(rebuilt)
    assert again.paragraphs == article.paragraphs
    assert again.dateline == article.dateline


def test_learning_from_copies_of_the_seed_learns_no_body_line(seed_text: str, blocks: list[str]) -> None:
    # Five identical or updated copies of one article are one distinct article: nothing is learned.
    copies = [("hindustantimes.com", seed_text)] * 3 + [("hindustantimes.com", seed_text.replace("Grushko noted", "Grushko said"))] * 2
    learned = learn_boilerplate(copies)
    assert learned == {"hindustantimes.com": frozenset()}
