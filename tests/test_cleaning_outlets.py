"""inherit_outlets: copies that name no publisher take their duplicate group's one.

The function now walks plain lists and asks each (source, outlet, dateline) once; these
tests hold it to the per-cell definition it replaced. Every text below is written for
these tests.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mediawork.cleaning import _WIRES, _known_publisher, _site_agency, inherit_outlets
from mediawork.errors import InputError


def _reference_inherit_outlets(articles: pd.DataFrame) -> pd.Series:
    """The definition before the list-based rewrite: per-cell ``.at`` lookups by index label.

    (_known_publisher is unchanged but for its site test, cached per site; the table SITES holds it.)
    """
    outlets = articles["outlet"].copy()
    datelines = articles["dateline"] if "dateline" in articles.columns else pd.Series(None, index=articles.index, dtype=object)
    groups: dict[str, list[Any]] = defaultdict(list)
    for idx, aid, dup in zip(articles.index, articles["article_id"], articles["duplicate_of"]):
        groups[str(dup if isinstance(dup, str) and dup else aid)].append(idx)
    for root in sorted(groups):
        members = groups[root]
        if len(members) < 2:
            continue
        named = {idx: _known_publisher(articles.at[idx, "source"], articles.at[idx, "outlet"], datelines.at[idx]) for idx in members}
        publishers = {p for p in named.values() if p}
        if len(publishers) != 1:
            continue
        publisher = publishers.pop()
        for idx in members:
            if named[idx] is None:
                outlets.at[idx] = publisher
    return outlets


SITES = {
    "reuters.com": "Reuters",
    "www.reuters.com": "Reuters",
    "REUTERS.COM": "Reuters",
    "reuters": "Reuters",  # the bare word reads as the site
    "apnews.com": "Associated Press",
    "news.afp.com": "AFP",
    "ptinews.com": "PTI",
    "aninews.in": "ANI",
    "ians.in": "IANS",
    "bloomberg.co.uk": "Bloomberg",
    "dpa.de": "dpa",
    "notreuters.com": None,
    "dpa-international.com": None,
    "example.com": None,
}


@pytest.mark.parametrize(("source", "agency"), SITES.items(), ids=SITES.keys())
def test_site_agency_names_the_agency_whose_site_it_is(source: str, agency: str | None) -> None:
    assert _site_agency(source) == agency
    assert _known_publisher(source, source, None) == agency  # an article of the site that names no other outlet


def _frame(rows: list[tuple[str, str | None, str | None, str | None, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article_id", "source", "outlet", "duplicate_of", "dateline"])


CASES = {
    "agency site names the copy's publisher": (
        [("a", "reuters.com", "reuters.com", None, "OSLO, May 2 (Reuters)"), ("b", "example.com", "example.com", "a", "OSLO")],
        ["reuters.com", "Reuters"],
    ),
    "wire tag in the original's dateline": (
        [("a", "daily.example", "daily.example", None, "LIMA, June 9 (AP)"), ("b", "other.example", "other.example", "a", None)],
        ["daily.example", "Associated Press"],
    ),
    "syndicated outlet named by the original": (
        [("a", "paper.example", "AFP", None, None), ("b", "blog.example", "blog.example", "a", None)],
        ["AFP", "AFP"],
    ),
    "two publishers in a group: nothing is inherited": (
        [("a", "reuters.com", "reuters.com", None, None), ("b", "x.example", "AFP", "a", None), ("c", "y.example", "y.example", "a", None)],
        ["reuters.com", "AFP", "y.example"],
    ),
    "a copy naming its own outlet keeps it": (
        [("a", "reuters.com", "reuters.com", None, None), ("b", "z.example", "Local Wire Service", "a", None)],
        ["reuters.com", "Local Wire Service"],
    ),
    "a single article keeps its outlet": ([("a", "site.example", "site.example", None, "(Reuters)")], ["site.example"]),
    "no publisher anywhere": (
        [("a", "one.example", "one.example", None, None), ("b", "two.example", None, "a", "")],
        ["one.example", None],
    ),
    "blank duplicate_of means an original": (
        [("a", "apnews.com", "apnews.com", "", None), ("b", "copy.example", "copy.example", "", None)],
        ["apnews.com", "copy.example"],
    ),
}


@pytest.mark.parametrize(("rows", "expected"), CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("dtype", ["str", object])
def test_inherit_outlets_hand_made(rows, expected, dtype) -> None:
    df = _frame(rows).astype(dtype)
    before = df.copy()
    got = inherit_outlets(df)
    assert [None if pd.isna(v) else v for v in got.tolist()] == expected
    pd.testing.assert_series_equal(got, _reference_inherit_outlets(df))
    pd.testing.assert_frame_equal(df, before)  # the input is not modified


def test_inherit_outlets_without_a_dateline_column() -> None:
    df = _frame(CASES["agency site names the copy's publisher"][0]).drop(columns="dateline")
    got = inherit_outlets(df)
    assert got.tolist() == ["reuters.com", "Reuters"]
    pd.testing.assert_series_equal(got, _reference_inherit_outlets(df))


def test_inherit_outlets_keeps_the_frame_index() -> None:
    df = _frame(CASES["wire tag in the original's dateline"][0]).set_axis([40, 7])
    got = inherit_outlets(df)
    assert got.index.tolist() == [40, 7] and got.tolist() == ["daily.example", "Associated Press"]
    pd.testing.assert_series_equal(got, _reference_inherit_outlets(df))


def test_inherit_outlets_names_missing_columns() -> None:
    with pytest.raises(InputError, match="duplicate_of"):
        inherit_outlets(pd.DataFrame({"article_id": ["a"], "source": ["x"], "outlet": ["x"]}))


_SOURCES = ["reuters.com", "apnews.com", "news.example", "daily.example", "afp.com", "", None, "  "]
_OUTLETS = ["Reuters", "AFP", "Bloomberg", "Some Paper", "", None, "PTI"]
_DATELINES = ["KYIV, March 3 (Reuters)", "DELHI (PTI)", "PARIS (AFP) -", "ROME", "(dpa) BERLIN", "", None, "(Unknown Tag)"]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("dtype", ["str", object])
def test_inherit_outlets_equals_the_reference_on_random_frames(seed: int, dtype) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    ids = [f"id{i:04d}" for i in range(n)]
    rows = []
    for i in range(n):
        source = _SOURCES[int(rng.integers(0, len(_SOURCES)))]
        outlet = source if rng.random() < 0.6 else _OUTLETS[int(rng.integers(0, len(_OUTLETS)))]
        dup = ids[int(rng.integers(0, max(i, 1)))] if i and rng.random() < 0.5 else rng.choice([None, ""])
        rows.append((ids[i], source, outlet, dup, _DATELINES[int(rng.integers(0, len(_DATELINES)))]))
    df = _frame(rows).astype(dtype).set_axis(rng.permutation(n) * 3)
    got = inherit_outlets(df)
    want = _reference_inherit_outlets(df)
    pd.testing.assert_series_equal(got, want)
    assert seed or (got.fillna("") != df["outlet"].fillna("")).any()  # some copies do inherit


def test_inherit_outlets_equals_the_reference_on_the_shared_sample() -> None:
    from pathlib import Path

    shared = Path(__file__).resolve().parents[1].parent / "shared"
    dumps = sorted(shared.rglob("*.txt")) if shared.is_dir() else []
    if not dumps:
        pytest.skip(f"shared development data not found at {shared} (no *.txt dumps): skipping the corpus check")
    from mediawork.cleaning import clean_dump
    from mediawork.errors import MediaworkError

    rows = []
    for i, path in enumerate(dumps):
        try:
            art = clean_dump(path.read_text(encoding="utf-8", errors="replace"))
        except MediaworkError:
            continue
        rows.append((f"a{i:03d}", art.source, art.outlet, "a000" if i % 3 else None, art.dateline))
    df = _frame(rows)
    pd.testing.assert_series_equal(inherit_outlets(df), _reference_inherit_outlets(df))
