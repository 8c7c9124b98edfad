"""An incremental ingest writes only what changed, and reads only what it needs.

- :func:`mediawork.ingest._same_rows` finds the kept articles whose duplicate mark and
  outlet did not change, a missing value (None, NaN) equal only to a missing one.
- A run that adds an article rewrites only the parts it falls in; the other parts are
  kept as they are, and the folder equals a fresh run's, part file for part file.
- :class:`mediawork.ingest._TextSource` reads stored bodies month by month and gives
  what a read of every part gives.
- :func:`mediawork.ingest._inherit_outlets` asks :func:`mediawork.cleaning.inherit_outlets`
  only about duplicate groups and gives the outlets it gives for the whole frame.
- :func:`mediawork.ingest._bare` copies a unit without its text only when it has one.

Every text below is written for these tests.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mediawork import cleaning
from mediawork import ingest as ingest_mod
from mediawork import store
from mediawork.ingest import ingest
from mediawork.units import Unit

NAN = float("nan")


@pytest.mark.parametrize(
    ("before", "after", "kept", "expected"),
    [
        ([("a", None, "x.com")], [("a", None, "x.com")], {"a"}, {"a"}),
        ([("a", NAN, "x.com")], [("a", None, "x.com")], {"a"}, {"a"}),  # NaN (stored) and None (this run) are both missing
        ([("a", "b", "x.com")], [("a", "b", "x.com")], {"a"}, {"a"}),
        ([("a", None, "x.com")], [("a", "b", "x.com")], {"a"}, set()),  # now a copy
        ([("a", "b", "x.com")], [("a", None, "x.com")], {"a"}, set()),  # no longer one
        ([("a", None, "x.com")], [("a", None, "Reuters")], {"a"}, set()),  # inherited an outlet
        ([("a", None, None)], [("a", None, "")], {"a"}, set()),  # an empty string is not a missing value
        ([("a", None, "x.com")], [("a", None, "x.com")], set(), set()),  # not kept: cleaned again
        ([("a", None, "x.com"), ("b", None, "y.com")], [("b", None, "y.com"), ("c", None, "z.com")], {"a", "b"}, {"b"}),
    ],
)
def test_same_rows_finds_kept_articles_whose_row_did_not_change(before, after, kept, expected):
    def frame(rows, dtype):
        ids, dups, outlets = zip(*rows)
        return pd.DataFrame({"article_id": list(ids), "duplicate_of": pd.Series(dups, dtype=dtype), "outlet": pd.Series(outlets, dtype=dtype)})

    assert ingest_mod._same_rows(frame(before, "str"), frame(after, object), kept) == expected
    assert ingest_mod._same_rows(frame(before, object), frame(after, object), kept) == expected


PARAGRAPHS = [
    "The harbour board approved a second container crane on Monday after a year of delays over its cost.",
    "Dock workers said the crane would shorten waiting times for ships that now queue for two days.",
    "A spokesperson for the board said work would begin in the spring and end before the next winter.",
]


def _dump(site: str, title: str, date: str, topic: str) -> str:
    body = [f"{p} The report on {topic} followed." for p in PARAGRAPHS]
    return "\n\n".join([site, title, date, *body, "Share this article"]) + "\n"


def _write_raw(root: Path, names: dict[str, tuple[str, str]]) -> None:
    root.mkdir(exist_ok=True)
    for name, (date, topic) in names.items():
        (root / name).write_text(_dump("harbour-news.example", f"Crane news on {topic}", date, topic), encoding="utf-8")


FIRST = {
    "a.txt": ("3 March 2025 09:00 GMT", "rates"),
    "b.txt": ("4 March 2025 09:00 GMT", "tides"),
    "c.txt": ("7 April 2025 09:00 GMT", "fishing"),
    "d.txt": ("8 April 2025 09:00 GMT", "ferries"),
    "e.txt": ("no date given", "weather"),
}


def _part_files(out: Path) -> dict[str, set[str]]:
    return {t: {str(p.relative_to(out / f"{t}.parquet")) for p in (out / f"{t}.parquet").rglob("*.parquet")} for t in ("articles", "removed")}


def test_an_added_article_rewrites_only_its_parts_and_equals_a_fresh_run(tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write_raw(raw, FIRST)
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    before = _part_files(out)
    assert any(p.startswith("month=2025-04/") for p in before["articles"])
    _write_raw(raw, {"f.txt": ("5 March 2025 09:00 GMT", "cranes")})
    written: list[tuple[str, str]] = []
    real = store.DatasetWriter.write

    def write(self, df, *, month, ids=None):
        written.append((self.table.name, month))
        return real(self, df, month=month, ids=ids)

    monkeypatch.setattr(store.DatasetWriter, "write", write)
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    assert sorted(set(written)) == [("articles", "2025-03"), ("removed", "2025-03")]
    after = _part_files(out)
    kept = {t: {p for p in before[t] if not p.startswith("month=2025-03/")} for t in before}
    assert all(kept[t] <= after[t] for t in kept)  # April's and the undated parts stay as they were
    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    ingest(raw_dir=raw, out_dir=fresh, progress=False, jobs=1)
    assert _part_files(fresh) == after
    pd.testing.assert_frame_equal(store.read_table("articles", out), store.read_table("articles", fresh))


def test_text_source_reads_by_month_what_a_read_of_every_part_gives(tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write_raw(raw, FIRST)
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    articles = store.read_table("articles", out, columns=["article_id", "published", "text"])
    ids = articles["article_id"].tolist()
    months = dict(zip(ids, store.month_of(articles["published"]).tolist()))
    stage = ingest_mod._Staging(tmp_path / "stage")
    opened: list[list[str] | None] = []
    real = store.read_table

    def read_table(table, data_dir, **kwargs):
        opened.append(kwargs.get("months"))
        return real(table, data_dir, **kwargs)

    monkeypatch.setattr(ingest_mod.store, "read_table", read_table)
    wanted = [ids[0], ids[2], ids[4], "0000000000000000"]  # an id no part holds is simply absent
    by_month = ingest_mod._TextSource(out, stage, set(ids), months=months)(wanted)
    everywhere = ingest_mod._TextSource(out, stage, set(ids))(wanted)
    assert by_month == everywhere
    assert by_month == {a: t for a, t in zip(articles["article_id"], articles["text"]) if a in wanted}
    assert sorted(m[0] for m in opened if m) == sorted({months[a] for a in wanted[:3]})
    assert np.sum([m is None for m in opened]) >= 1  # the read without months looks everywhere


@pytest.mark.parametrize(
    ("unit", "same_object"),
    [
        (Unit(source_file="a.txt", sha256="1", n_bytes=3, kind="unchanged", modified_ns=5), True),
        (Unit(source_file="b.txt", sha256="2", n_bytes=3, kind="rejected", reason="empty file"), True),
        (Unit(source_file="c.txt", sha256="3", n_bytes=3, kind="dump", text="example.com\n\nTalks resume"), False),
        (Unit(source_file="d.jsonl#1", sha256="4", n_bytes=3, kind="record", fields={"title": "Talks"}), False),
    ],
)
def test_bare_units_keep_everything_but_text_and_fields(unit, same_object):
    bare = ingest_mod._bare(unit)
    assert bare == replace(unit, text=None, fields={})
    assert (bare is unit) == same_object
    assert unit.text is None or unit.text.startswith("example.com")  # the unit given is left as it was


def _outlet_frame(rows: list[tuple]) -> pd.DataFrame:
    ids, sources, outlets, dups, datelines = zip(*rows)
    return pd.DataFrame({"article_id": list(ids), "source": pd.Series(sources, dtype="str"), "outlet": pd.Series(outlets, dtype="str"),
                         "duplicate_of": pd.Series(dups, dtype="str"), "dateline": pd.Series(datelines, dtype="str")})


@pytest.mark.parametrize(
    "rows",
    [
        [("a", "reuters.com", "reuters.com", None, "RIYADH (Reuters)"), ("b", "example.com", "example.com", "a", "RIYADH")],
        [("a", "example.com", "example.com", None, None), ("b", "other.org", "WSJ", "a", None), ("c", "third.net", "third.net", "a", None)],
        [("a", "example.com", None, None, None), ("b", "other.org", "AP", "a", None)],  # a missing outlet takes the publisher
        [("a", "x.com", "Reuters", None, None), ("b", "y.com", "AP", "a", None), ("c", "z.com", "z.com", "a", None)],  # two publishers: none taken
        [("a", "x.com", "x.com", "", None), ("b", "y.com", "WSJ", None, None)],  # an empty mark is no mark
        [("a", "x.com", "x.com", "gone", None), ("b", "y.com", "AFP", "gone", None)],  # a group whose first is not in the frame
        [("a", "x.com", "x.com", None, None)],
    ],
)
def test_inherit_outlets_of_duplicate_groups_equals_the_whole_frames(rows):
    frame = _outlet_frame(rows)
    expected = cleaning.inherit_outlets(frame)
    got = ingest_mod._inherit_outlets(frame)
    pd.testing.assert_series_equal(got, expected)
    pd.testing.assert_frame_equal(frame, _outlet_frame(rows))  # the frame given is left as it was


def test_inherit_outlets_of_duplicate_groups_equals_the_whole_frames_on_random_frames():
    rng = np.random.default_rng(11)
    sources = ["reuters.com", "apnews.com", "example.com", "other.org", "x.net"]
    outlets = [None, "WSJ", "AP", "Reuters", "example.com", " "]
    inherited = 0
    for _ in range(30):
        n = int(rng.integers(1, 40))
        rows = []
        for i in range(n):
            dup = None if i == 0 or rng.random() < 0.5 else f"{int(rng.integers(0, i)):03d}"
            rows.append((f"{i:03d}", str(rng.choice(sources)), rng.choice(outlets), dup, rng.choice([None, "KYIV (AFP)", "LONDON"])))
        frame = _outlet_frame(rows)
        expected = cleaning.inherit_outlets(frame)
        pd.testing.assert_series_equal(ingest_mod._inherit_outlets(frame), expected)
        inherited += int((expected.fillna("-") != frame["outlet"].fillna("-")).sum())
    assert inherited > 10  # the random groups do take publishers


def test_only_new_or_changed_files_go_to_the_reader_and_the_tables_equal_a_fresh_run(tmp_path, monkeypatch):
    from mediawork import readers

    raw, out = tmp_path / "raw", tmp_path / "out"
    _write_raw(raw, FIRST)
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    _write_raw(raw, {"f.txt": ("5 March 2025 09:00 GMT", "cranes")})
    read: list[str] = []
    real = readers.read_input

    def read_input(name, path, **kw):
        read.append(name)
        return real(name, path, **kw)

    monkeypatch.setattr(readers, "read_input", read_input)
    summary = ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    assert read == ["f.txt"]  # the unchanged files were recognised by size and time, without a read
    assert summary.counts.get("unchanged") == len(FIRST)
    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    ingest(raw_dir=raw, out_dir=fresh, progress=False, jobs=1)
    assert _part_files(fresh) == _part_files(out)
    for table in ("articles", "removed", "dumps", "signatures"):
        pd.testing.assert_frame_equal(store.read_table(table, out), store.read_table(table, fresh))
