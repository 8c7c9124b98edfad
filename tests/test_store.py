"""The Parquet store: atomic, sorted, schema-cast writes; selective reads."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from mediawork import schema, store
from mediawork.errors import DataError


def _articles(ids, published, sources=None, dup=None):
    n = len(ids)
    return pd.DataFrame(
        {
            "article_id": ids,
            "source_file": [f"{i}.txt" for i in ids],
            "source": sources or ["a.com"] * n,
            "outlet": sources or ["a.com"] * n,
            "url": [None] * n,
            "title": [f"title {i}" for i in ids],
            "summary": [None] * n,
            "authors": [["Jane Doe"]] * n,
            "dateline": [None] * n,
            "published": pd.to_datetime(published, utc=True, format="ISO8601"),
            "published_offset": [None] * n,
            "tags": [[]] * n,
            "language": ["en"] * n,
            "text": ["Body."] * n,
            "n_words": [1] * n,
            "duplicate_of": dup or [None] * n,
        }
    )


def test_write_is_sorted_and_byte_identical_whatever_the_row_order(tmp_path):
    df = _articles(["b", "a", "c"], ["2025-03-18", "2025-03-19", None])
    p1 = store.write_table(df, schema.ARTICLES, tmp_path / "one")
    p2 = store.write_table(df.iloc[::-1], schema.ARTICLES, tmp_path / "two")
    assert p1.read_bytes() == p2.read_bytes()
    assert store.read_table("articles", tmp_path / "one")["article_id"].tolist() == ["a", "b", "c"]


def test_write_leaves_no_temporary_file_and_replaces_atomically(tmp_path):
    store.write_table(_articles(["a"], ["2025-03-18"]), schema.ARTICLES, tmp_path)
    store.write_table(_articles(["a", "b"], ["2025-03-18", "2025-03-19"]), schema.ARTICLES, tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["articles.parquet"]
    assert len(store.read_table("articles", tmp_path)) == 2


def test_failed_write_keeps_the_old_table(tmp_path):
    store.write_table(_articles(["a"], ["2025-03-18"]), schema.ARTICLES, tmp_path)
    bad = _articles(["b"], ["2025-03-18"]).drop(columns=["title"])
    with pytest.raises(DataError, match="missing columns \\['title'\\]"):
        store.write_table(bad, schema.ARTICLES, tmp_path)
    assert store.read_table("articles", tmp_path)["article_id"].tolist() == ["a"]
    assert sorted(os.listdir(tmp_path)) == ["articles.parquet"]


def test_wrong_type_is_a_clear_error(tmp_path):
    bad = _articles(["a"], ["2025-03-18"]).assign(n_words=["many"])
    with pytest.raises(DataError, match="declared type"):
        store.write_table(bad, schema.ARTICLES, tmp_path)


def test_missing_table_error_says_what_to_do(tmp_path):
    with pytest.raises(DataError, match="run `mediawork ingest` first"):
        store.read_table("articles", tmp_path)
    assert store.read_table("manifest", tmp_path, missing_ok=True).columns.tolist() == schema.MANIFEST.names


def test_unknown_column_and_table_are_named(tmp_path):
    store.write_table(_articles(["a"], ["2025-03-18"]), schema.ARTICLES, tmp_path)
    with pytest.raises(DataError, match="no column\\(s\\) \\['headline'\\]"):
        store.read_table("articles", tmp_path, columns=["headline"])
    with pytest.raises(DataError, match="unknown table 'stories'"):
        store.read_table("stories", tmp_path)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, ["a", "b", "d"]),
        ({"unique": False}, ["a", "b", "c", "d"]),
        ({"date_from": "2025-03-19"}, ["b"]),
        ({"date_to": "2025-03-18"}, ["a"]),
        ({"date_from": "2025-03-18", "date_to": "2025-03-19"}, ["a", "b"]),
        ({"sources": "x.com"}, ["b"]),
        ({"sources": ["a.com"], "unique": False}, ["a", "c", "d"]),
    ],
)
def test_read_articles_filters(tmp_path, kwargs, expected):
    df = _articles(
        ["a", "b", "c", "d"],
        ["2025-03-18T23:30:00Z", "2025-03-19T08:00:00Z", "2025-03-18", None],
        sources=["a.com", "x.com", "a.com", "a.com"],
        dup=[None, None, "a", None],
    )
    store.write_table(df, schema.ARTICLES, tmp_path)
    got = store.read_articles(tmp_path, columns=["article_id", "title"], **kwargs)
    assert got["article_id"].tolist() == expected
    assert got.columns.tolist() == ["article_id", "title"]


def test_read_articles_rejects_a_bad_date(tmp_path):
    store.write_table(_articles(["a"], ["2025-03-18"]), schema.ARTICLES, tmp_path)
    with pytest.raises(DataError, match="date_from='last week' is not a date"):
        store.read_articles(tmp_path, date_from="last week")
