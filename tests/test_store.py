"""The Parquet store: atomic, sorted, schema-cast writes; selective reads."""

from __future__ import annotations

import os

import numpy as np
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
    store.write_table(df, schema.ARTICLES, tmp_path / "one")
    store.write_table(df.iloc[::-1], schema.ARTICLES, tmp_path / "two")
    assert store.fingerprint("articles", tmp_path / "one") == store.fingerprint("articles", tmp_path / "two")
    m1 = store.write_table(df[["article_id"]].assign(source_file=["x", "y", "z"], sha256="s", bytes=1, status="ok", reason=None, modified=None), schema.MANIFEST, tmp_path / "one")
    m2 = store.write_table(df[["article_id"]].assign(source_file=["x", "y", "z"], sha256="s", bytes=1, status="ok", reason=None, modified=None).iloc[::-1], schema.MANIFEST, tmp_path / "two")
    assert m1.read_bytes() == m2.read_bytes()
    assert store.read_table("articles", tmp_path / "one")["article_id"].tolist() == ["a", "b", "c"]


def test_write_leaves_no_temporary_file_and_replaces_atomically(tmp_path):
    store.write_table(_articles(["a"], ["2025-03-18"]), schema.ARTICLES, tmp_path)
    store.write_table(_articles(["a", "b"], ["2025-03-18", "2025-04-19"]), schema.ARTICLES, tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["articles.parquet"]
    assert sorted(os.listdir(tmp_path / "articles.parquet")) == ["_index.json", "month=2025-03", "month=2025-04"]
    assert all(f.startswith("part-") for m in ("month=2025-03", "month=2025-04") for f in os.listdir(tmp_path / "articles.parquet" / m))
    assert len(store.read_table("articles", tmp_path)) == 2


def test_failed_write_keeps_the_old_table(tmp_path):
    store.write_table(_articles(["a"], ["2025-03-18"]), schema.ARTICLES, tmp_path)
    bad = _articles(["b"], ["2025-03-18"]).drop(columns=["title"])
    with pytest.raises(DataError, match="missing columns \\['title'\\]"):
        store.write_table(bad, schema.ARTICLES, tmp_path)
    assert store.read_table("articles", tmp_path)["article_id"].tolist() == ["a"]
    assert sorted(os.listdir(tmp_path)) == ["articles.parquet"]
    assert sorted(os.listdir(tmp_path / "articles.parquet" / "month=2025-03")) == [store.parts("articles", tmp_path)[0].path.split("/")[1]]


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


# --------------------------------------------------------------------------- partitioned datasets


def _terms(ids, counts=1):
    return pd.DataFrame({"article_id": ids, "term": ["war"] * len(ids), "n": [1] * len(ids), "count": [counts] * len(ids)})


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (["2025-03-18T23:30:00Z"], ["2025-03"]),
        (["2025-03-31T23:30:00-02:00"], ["2025-04"]),  # months are taken in UTC
        ([None], ["unknown"]),
        ([], []),
    ],
)
def test_month_of(published, expected):
    assert store.month_of(pd.Series(pd.to_datetime(published, utc=True, format="ISO8601"))).tolist() == expected


@pytest.mark.parametrize(
    "values",
    [
        ["2025-03-18T23:30:00Z", None, "2025-03-01T00:00:00Z", "1999-12-31T23:59:59-01:00"],
        [None, None],
        ["0100-01-05T00:00:00Z", "9999-12-31T00:00:00Z"],
    ],
)
def test_month_of_equals_the_reference_that_formats_every_time(values):
    published = pd.Series(pd.to_datetime(values, utc=True, format="ISO8601"), index=[10 * i + 3 for i in range(len(values))])
    got, expected = store.month_of(published), store._month_of_slow(published)
    pd.testing.assert_series_equal(got, expected)


@pytest.mark.parametrize("seed", range(4))
def test_month_of_random_times_equals_the_reference(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 3000))
    seconds = rng.integers(-(2**33), 2**33, n)
    published = pd.Series(pd.to_datetime(seconds, unit="s", utc=True))
    published[rng.random(n) < 0.2] = pd.NaT
    if seed % 2:  # times in another zone are taken in UTC
        published = published.dt.tz_convert("Asia/Kolkata")
    pd.testing.assert_series_equal(store.month_of(published), store._month_of_slow(published))


@pytest.mark.parametrize(
    "ids",
    [[], ["a"], ["b", "a", "a"], [f"{i:04x}" for i in range(300)], ["é", "e", "z", "ß", "a"]],
)
@pytest.mark.parametrize("target", [1, 3, 1024])
def test_chunk_ids_equals_the_reference(monkeypatch, ids, target):
    monkeypatch.setattr(store, "CHUNK_TARGET", target)
    assert store.chunk_ids(ids) == store._chunk_ids_slow(ids)
    assert store.chunk_ids(iter(ids)) == store._chunk_ids_slow(ids)  # any iterable, read once


@pytest.mark.parametrize("seed", range(4))
def test_chunk_ids_of_random_ids_equals_the_reference(monkeypatch, seed):
    rng = np.random.default_rng(seed)
    monkeypatch.setattr(store, "CHUNK_TARGET", int(rng.integers(1, 40)))
    ids = [f"{v:x}" for v in rng.integers(0, 2**40, int(rng.integers(0, 2000)))]
    assert store.chunk_ids(ids) == store._chunk_ids_slow(ids)


def test_unsorted_reads_give_the_same_rows_part_by_part(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "CHUNK_TARGET", 2)
    ids = [f"{i:02x}" for i in range(40)]
    store.write_table(_articles(ids, ["2025-03-18"] * 20 + ["2025-04-02"] * 20), schema.ARTICLES, tmp_path)
    frame = _terms(ids[::-1], counts=3)
    store.write_table(frame, schema.TERMS, tmp_path)
    assert len(store.parts("terms", tmp_path)) > 2
    ordered = store.read_table("terms", tmp_path)
    for arrow in (False, True):
        loose = store.read_table("terms", tmp_path, sort=False, arrow=arrow)
        loose = loose.to_pandas() if arrow else loose
        assert sorted(loose["article_id"]) == ordered["article_id"].tolist() == sorted(ids)
        pd.testing.assert_frame_equal(loose.sort_values("article_id", ignore_index=True), ordered)


def test_chunks_are_stable_when_ids_are_added(monkeypatch):
    monkeypatch.setattr(store, "CHUNK_TARGET", 4)
    ids = [f"{i:04x}" for i in range(200)]
    before = store.chunk_ids(ids)
    assert 20 < len(before) < 100 and sum(map(len, before)) == 200
    for new in ("00ff-new", "0100-new", "zz"):
        after = store.chunk_ids(ids + [new])
        untouched = [c for c in after if new not in c]
        assert all(c in before for c in untouched)  # every other part keeps its ids
        assert len([c for c in before if c not in after]) <= 1


def test_months_are_read_selectively_and_rows_come_sorted(tmp_path):
    store.write_table(_articles(["c", "a", "b", "d"], ["2025-04-02", "2025-03-18", "2025-04-01", None]), schema.ARTICLES, tmp_path)
    assert [p.month for p in store.parts("articles", tmp_path)] == ["2025-03", "2025-04", "unknown"]
    assert store.read_table("articles", tmp_path, columns=["article_id"])["article_id"].tolist() == ["a", "b", "c", "d"]
    assert store.read_table("articles", tmp_path, months=["2025-04"])["article_id"].tolist() == ["b", "c"]
    assert store.read_table("articles", tmp_path, article_ids=["d", "a", "zz"])["article_id"].tolist() == ["a", "d"]
    assert store.read_articles(tmp_path, date_from="2025-04-02", columns=["article_id"])["article_id"].tolist() == ["c"]
    assert store.count_rows("articles", tmp_path) == 4
    # the folder is a plain hive-partitioned Parquet dataset for other tools too
    assert sorted(pd.read_parquet(tmp_path / "articles.parquet", columns=["article_id"])["article_id"]) == ["a", "b", "c", "d"]


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"months": ["2025-04"]}, {"article_ids": ["d", "a", "zz"]}, {"columns": ["article_id", "published"]}, {"article_ids": []}],
)
def test_read_table_as_arrow_gives_the_frames_rows_in_its_order(tmp_path, kwargs):
    store.write_table(_articles(["c", "a", "b", "d"], ["2025-04-02", "2025-03-18", "2025-04-01", None]), schema.ARTICLES, tmp_path)
    frame = store.read_table("articles", tmp_path, **kwargs)
    arrow = store.read_table("articles", tmp_path, arrow=True, **kwargs)
    assert arrow.column_names == list(frame.columns)
    assert arrow.to_pandas()["article_id"].tolist() == frame["article_id"].tolist()
    assert arrow.schema.field("article_id").type == "string"
    assert store.read_table("terms", tmp_path, arrow=True, missing_ok=True).num_rows == 0


def test_analysis_tables_need_each_articles_month(tmp_path):
    with pytest.raises(DataError, match=r"no month known for article\(s\) \['b'\]"):
        store.write_table(_terms(["a", "b"]), schema.TERMS, tmp_path, months={"a": "2025-03"})
    store.write_table(_terms(["a", "b"]), schema.TERMS, tmp_path, months={"a": "2025-03", "b": "2025-04"})
    arts = pd.DataFrame({"article_id": ["b"], "published": pd.to_datetime(["2025-04-09"], utc=True)})
    assert store.read_for_articles("terms", tmp_path, arts)["article_id"].tolist() == ["b"]
    assert store.read_for_articles("mentions", tmp_path, arts).empty  # never written: empty, not an error


def test_unchanged_parts_are_kept_and_only_touched_parts_rewritten(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "CHUNK_TARGET", 4)
    ids = [f"{i:04x}" for i in range(120)]
    months = {i: "2025-03" for i in ids}
    store.write_table(_terms(ids), schema.TERMS, tmp_path, months=months)
    before = {p.path for p in store.parts("terms", tmp_path)}
    fresh = tmp_path / "fresh"
    store.write_table(_terms(ids + ["0042x"]), schema.TERMS, fresh, months={**months, "0042x": "2025-03"})
    store.write_table(_terms(ids + ["0042x"]), schema.TERMS, tmp_path, months={**months, "0042x": "2025-03"}, unchanged=ids)
    after = {p.path for p in store.parts("terms", tmp_path)}
    assert len(before - after) == 1 and len(after - before) == 1
    assert store.fingerprint("terms", tmp_path) == store.fingerprint("terms", fresh)  # same bytes as a fresh write
    files = {f"{d.name}/{f.name}" for d in (tmp_path / "terms.parquet").iterdir() if d.is_dir() for f in d.iterdir()}
    assert files == after  # the replaced part file is gone


def test_a_failed_dataset_write_keeps_the_old_index(tmp_path):
    store.write_table(_terms(["a"]), schema.TERMS, tmp_path, months={"a": "2025-03"})
    before = store.fingerprint("terms", tmp_path)
    with pytest.raises(RuntimeError), store.DatasetWriter("terms", tmp_path) as writer:
        writer.write(_terms(["b"]), month="2025-04")
        raise RuntimeError("killed")
    assert store.fingerprint("terms", tmp_path) == before
    assert store.read_table("terms", tmp_path)["article_id"].tolist() == ["a"]
    store.write_table(_terms(["a"]), schema.TERMS, tmp_path, months={"a": "2025-03"})  # the next write sweeps the orphan
    assert sorted(os.listdir(tmp_path / "terms.parquet")) == ["_index.json", "month=2025-03"]


def test_an_older_single_file_table_is_read_and_replaced(tmp_path):
    import pyarrow.parquet as pq

    pq.write_table(store.to_arrow(_terms(["a"]), "terms"), tmp_path / "terms.parquet")
    assert store.read_table("terms", tmp_path, months=["2025-03"])["article_id"].tolist() == ["a"]
    assert store.count_rows("terms", tmp_path) == 1
    store.write_table(_terms(["a", "b"]), schema.TERMS, tmp_path, months={"a": "2025-03", "b": "2025-03"})
    assert (tmp_path / "terms.parquet").is_dir() and store.count_rows("terms", tmp_path) == 2


def test_a_broken_index_is_a_clear_error(tmp_path):
    store.write_table(_terms(["a"]), schema.TERMS, tmp_path, months={"a": "2025-03"})
    (tmp_path / "terms.parquet" / "_index.json").write_text("{not json")
    with pytest.raises(DataError, match="_index.json is unreadable .*mediawork analyze --full"):
        store.read_table("terms", tmp_path)


def test_a_corrupt_single_file_table_is_a_clear_error(tmp_path):
    (tmp_path / "manifest.parquet").write_bytes(b"not a parquet file at all")
    with pytest.raises(DataError, match="manifest.parquet cannot be read .*ArrowInvalid.*mediawork ingest"):
        store.read_table("manifest", tmp_path)


def test_a_corrupt_part_file_is_a_clear_error(tmp_path):
    store.write_table(_terms(["a"]), schema.TERMS, tmp_path, months={"a": "2025-03"})
    part = next((tmp_path / "terms.parquet").rglob("part-*.parquet"))
    part.write_bytes(part.read_bytes()[:-20])  # cut short: the footer is gone
    with pytest.raises(DataError, match="terms.parquet cannot be read .*analyze --full"):
        store.read_table("terms", tmp_path)


@pytest.mark.parametrize(
    ("values", "wanted", "expected"),
    [
        (["a", "b", None], {"b", "c"}, [False, True, False]),
        (["a", "b", None], {None, "a"}, [True, False, False]),  # a missing value is never in wanted
        (["a", "b"], set(), [False, False]),
        ([], {"a"}, []),
        (["x", "y"], pd.Series(["y", None]), [False, True]),
        (["x", "y"], ["x", "x"], [True, False]),
    ],
)
def test_isin_matches_pandas_isin_on_strings(values, wanted, expected):
    series = pd.Series(values, dtype="str")
    got = store.isin(series, wanted)
    assert got.dtype == bool and got.tolist() == expected


def test_put_keeps_an_unchanged_part_and_writes_a_changed_one(tmp_path):
    df = _articles(["a", "b"], ["2025-03-18", "2025-03-19"])
    store.write_table(df, schema.ARTICLES, tmp_path)
    (old,) = store.parts("articles", tmp_path)
    calls = []
    with store.DatasetWriter("articles", tmp_path) as w:
        w.put(["a", "b"], month="2025-03", unchanged=True, rows=lambda: calls.append("rows") or df)
    assert calls == [] and store.parts("articles", tmp_path) == [old]
    changed = df.assign(title="Changed")
    with store.DatasetWriter("articles", tmp_path) as w:
        w.put(["a", "b"], month="2025-03", unchanged=False, rows=lambda: changed)
    (new,) = store.parts("articles", tmp_path)
    assert new.path != old.path and set(store.read_table("articles", tmp_path)["title"]) == {"Changed"}


def _mentions(rows):
    """A mentions frame from (article_id, sentence_id, actor, start) rows; the other columns follow from them."""
    return pd.DataFrame(
        {
            "article_id": [r[0] for r in rows],
            "sentence_id": [r[1] for r in rows],
            "actor": [r[2] for r in rows],
            "actor_type": ["person"] * len(rows),
            "surface": [r[2] if r[2] is not None else "x" for r in rows],
            "start": [r[3] for r in rows],
            "end": [r[3] + 1 for r in rows],
            "origin": ["dictionary"] * len(rows),
        }
    )


@pytest.mark.parametrize(
    "rows",
    [
        [("b", 0, "Rubio", 3), ("a", 1, "Lavrov", 0), ("a", 0, "Lavrov", 0)],  # shuffled
        [("a", 0, "Rubio", 0), ("a", 0, "Lavrov", 0), ("a", 0, None, 0)],  # ties broken by actor, missing first
        [("a", 0, "Émile", 0), ("a", 0, "Zoë", 0), ("a", 0, "zoe", 0), ("a", 0, "Zoe", 0)],  # code point order
        [("a", 2, "X", 5), ("a", 10, "X", 5), ("a", 1, "X", 50)],  # numbers, not text
        [("a", 0, "X", 1), ("a", 0, "X", 1)],  # equal rows
        [("a", 0, "A", 0), ("a", 1, "A", 0), ("b", 0, "A", 0)],  # already in order
    ],
)
def test_to_arrow_orders_rows_as_a_stable_pandas_sort_does(rows):
    frame = _mentions(rows)
    keys = ["article_id", "sentence_id", "start", "actor", "actor_type", "surface", "end", "origin"]
    expected = frame.sort_values(keys, kind="stable", na_position="first", ignore_index=True)
    got = store.to_arrow(frame, "mentions", sort_all=True).to_pandas()
    assert got.astype(object).where(got.notna(), None).values.tolist() == expected.astype(object).where(expected.notna(), None).values.tolist()


@pytest.mark.parametrize(
    ("columns", "keys", "expected"),
    [
        ({"a": ["x", "y", "y"], "b": [2, 1, 3]}, ["a", "b"], True),
        ({"a": ["x", "y", "y"], "b": [2, 3, 1]}, ["a", "b"], False),  # tie on a, b decides
        ({"a": ["y", "x"], "b": [1, 2]}, ["a", "b"], False),
        ({"a": [None, "x"], "b": [1, 1]}, ["a"], True),  # missing values first
        ({"a": ["x", None], "b": [1, 1]}, ["a"], False),
        ({"a": [None, None], "b": [2, 1]}, ["a", "b"], False),  # missing values tie
        ({"a": ["x", "x"], "b": [None, 1]}, ["a", "b"], True),
        ({"a": ["x", "x"], "b": [1, 1]}, ["a", "b"], True),  # full ties are in order (a stable sort keeps them)
        ({"a": ["é", "z"], "b": [1, 1]}, ["a"], False),  # code points, é after z
    ],
)
def test_in_order_checks_neighbours_key_by_key(columns, keys, expected):
    import pyarrow as pa

    table = pa.table({"a": pa.array(columns["a"], pa.string()), "b": pa.array(columns["b"], pa.int64())})
    assert store._in_order(table, keys) is expected


def test_an_arrow_table_writes_the_bytes_its_frame_writes(tmp_path):
    import pyarrow as pa

    frame = _mentions([("b", 0, "Rubio", 3), ("a", 1, "Lavrov", 0), ("a", 0, None, 0)])
    cast = frame.astype(store.empty_frame("mentions").dtypes.to_dict())
    arrow = pa.Table.from_pandas(frame, preserve_index=False)  # int64 columns, pandas metadata of its own
    with store.DatasetWriter("mentions", tmp_path / "frame") as w:
        from_frame = w.write(cast, month="2025-03")
    with store.DatasetWriter("mentions", tmp_path / "arrow") as w:
        from_arrow = w.write(arrow, month="2025-03")
    assert from_frame.path == from_arrow.path  # part files are named by the SHA-256 of their bytes
    assert store.read_table("mentions", tmp_path / "arrow")["article_id"].tolist() == ["a", "a", "b"]


def test_an_empty_arrow_table_writes_nothing_without_ids(tmp_path):
    with store.DatasetWriter("terms", tmp_path) as w:
        assert w.write(schema.TERMS.arrow_schema.empty_table(), month="2025-03") is None
        assert w.write(schema.TERMS.arrow_schema.empty_table(), month="2025-03", ids=["a"]).rows == 0
