"""Ingest end to end on small raw folders: accounting, incrementality, atomicity, determinism."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from mediawork import ingest as ingest_mod
from mediawork import schema, store
from mediawork.ingest import article_id, ingest

BODY = [
    "Negotiators from Washington and Kyiv met in Jeddah on Tuesday and agreed to put a thirty-day truce proposal to Moscow.",
    "Officials said the plan covered the whole front line and would start once Russia accepted it.",
    "The Kremlin said it would study the text before answering, and gave no date for a reply.",
    "European capitals welcomed the step but warned that checking compliance along the front would be hard.",
]
OTHER = [
    "Grain shipments through the Black Sea rose in March as insurers cut premiums for ships calling at Odesa.",
    "Traders said prices in Europe eased, while analysts cautioned that new strikes on ports would reverse the gains.",
]


def _dump(site: str, title: str, date: str, paragraphs: list[str], footer: list[str]) -> str:
    blocks = [site, title, title, date, *paragraphs, "Share this article", *footer]
    return "\n\n".join(blocks) + "\n"


def _records() -> str:
    good = [
        {"headline": "Truce plan goes to Moscow", "body": "\n\n".join(BODY), "publish_date": "2025-03-12T09:00:00Z", "site": "example-wire.com", "byline": "By Olena Marchenko"},
        {"headline": "Grain trade recovers", "body": "\n\n".join(OTHER), "publish_date": "2025-03-20T10:00:00+01:00", "site": "example-wire.com"},
    ]
    return json.dumps(good[0]) + "\n{not json\n" + json.dumps(good[1]) + "\n" + json.dumps({"headline": "No body here"}) + "\n"


@pytest.fixture
def raw(tmp_path):
    root = tmp_path / "raw"
    root.mkdir()
    footer = ["Subscribe now to get unlimited access to our journalism", "Follow us on social media for the latest updates"]
    (root / "a.txt").write_text(_dump("example-news.in", "Truce plan goes to Moscow", "Mar 12, 2025 10:30 AM IST", BODY, footer), encoding="utf-8")
    (root / "b.txt").write_text(_dump("other-site.com", "Kyiv backs truce plan", "12 March 2025 09:15 GMT", BODY, ["Cookie settings", "Sign up to our newsletter"]), encoding="utf-8")
    (root / "c.txt").write_text(_dump("example-news.in", "Grain trade recovers", "Mar 20, 2025 1:00 PM IST", OTHER, footer), encoding="utf-8")
    (root / "export.jsonl").write_text(_records(), encoding="utf-8")
    (root / "empty.txt").write_text("  \n\n ", encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4 binary\x00\x01")
    (root / ".gitkeep").write_text("")
    return root


def _tables(out):
    return {t: store.read_table(t, out) for t in ("articles", "manifest", "removed")}


def test_every_input_is_accounted_for(raw, tmp_path):
    out = tmp_path / "out"
    summary = ingest(raw_dir=raw, out_dir=out, progress=False)
    manifest = store.read_table("manifest", out).set_index("source_file")
    assert sorted(manifest.index) == sorted(
        ["a.txt", "b.txt", "c.txt", "empty.txt", "notes.pdf", "export.jsonl", "export.jsonl#1", "export.jsonl#2", "export.jsonl#3", "export.jsonl#4"]
    )
    assert manifest.loc["a.txt", "status"] == "ok"
    assert manifest.loc["b.txt", "status"] == "duplicate"  # same body as a.txt, later in the day
    rejected = manifest[manifest["status"] == "rejected"]
    assert set(rejected.index) == {"empty.txt", "notes.pdf", "export.jsonl#2", "export.jsonl#4"}
    assert rejected["reason"].notna().all() and (rejected["reason"].str.len() > 5).all()
    assert summary.counts["rejected"] == 4
    assert "4 rejected" in summary.line()


def test_articles_are_clean_and_keyed(raw, tmp_path):
    out = tmp_path / "out"
    ingest(raw_dir=raw, out_dir=out, progress=False)
    articles = store.read_table("articles", out).set_index("source_file")
    a = articles.loc["a.txt"]
    assert a["article_id"] == article_id("a.txt", store.read_table("manifest", out).set_index("source_file").loc["a.txt", "sha256"])
    assert a["text"] == "\n\n".join(BODY)
    assert a["title"] == "Truce plan goes to Moscow"
    assert a["source"] == "example-news.in"
    assert a["published"] == pd.Timestamp("2025-03-12T05:00:00Z")
    assert a["published_offset"] == "+05:30"
    assert a["n_words"] == sum(len(p.split()) for p in BODY)
    assert articles.loc["b.txt", "duplicate_of"] == a["article_id"]
    rec = articles.loc["export.jsonl#1"]
    assert list(rec["authors"]) == ["Olena Marchenko"]
    assert rec["duplicate_of"] == a["article_id"]  # the same body, syndicated, later
    removed = store.read_table("removed", out)
    assert (removed["article_id"] == a["article_id"]).sum() >= 4  # titles, date, share line, footer


def test_rerun_with_nothing_new_marks_everything_unchanged(raw, tmp_path):
    out = tmp_path / "out"
    ingest(raw_dir=raw, out_dir=out, progress=False)
    first = _tables(out)
    summary = ingest(raw_dir=raw, out_dir=out, progress=False)
    second = _tables(out)
    assert set(second["manifest"]["status"]) == {"unchanged"}
    assert summary.counts == {"unchanged": len(first["manifest"])}
    pd.testing.assert_frame_equal(first["articles"], second["articles"])
    pd.testing.assert_frame_equal(first["manifest"].drop(columns="status"), second["manifest"].drop(columns="status"))


def test_incremental_run_parses_only_new_inputs_and_equals_a_fresh_run(raw, tmp_path):
    out = tmp_path / "out"
    late = raw / "c.txt"
    held = tmp_path / "c.txt"
    shutil.move(late, held)
    ingest(raw_dir=raw, out_dir=out, progress=False)
    shutil.move(held, late)
    ingest(raw_dir=raw, out_dir=out, progress=False)
    manifest = store.read_table("manifest", out).set_index("source_file")
    assert manifest.loc["c.txt", "status"] == "ok"
    assert manifest.loc["a.txt", "status"] == "unchanged"
    fresh = tmp_path / "fresh"
    ingest(raw_dir=raw, out_dir=fresh, progress=False)
    pd.testing.assert_frame_equal(store.read_table("articles", out), store.read_table("articles", fresh))
    pd.testing.assert_frame_equal(store.read_table("removed", out), store.read_table("removed", fresh))


def test_deleted_input_disappears_from_the_tables(raw, tmp_path):
    out = tmp_path / "out"
    ingest(raw_dir=raw, out_dir=out, progress=False)
    (raw / "c.txt").unlink()
    summary = ingest(raw_dir=raw, out_dir=out, progress=False)
    assert "c.txt" not in set(store.read_table("manifest", out)["source_file"])
    assert "c.txt" not in set(store.read_table("articles", out)["source_file"])
    assert summary.removed_inputs == 1


def test_two_fresh_runs_write_identical_files(raw, tmp_path):
    for name in ("one", "two"):
        ingest(raw_dir=raw, out_dir=tmp_path / name, progress=False)
    for table in schema.TABLES.values():
        one, two = tmp_path / "one" / table.file, tmp_path / "two" / table.file
        if one.exists():
            assert one.read_bytes() == two.read_bytes(), table.file


class _Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs."""


@pytest.mark.parametrize("kill_after", range(5))
def test_a_run_killed_between_any_two_writes_is_completed_by_the_next(raw, tmp_path, monkeypatch, kill_after):
    fresh = tmp_path / "fresh"
    ingest(raw_dir=raw, out_dir=fresh, progress=False)
    out = tmp_path / "out"
    real_write = store.write_table
    writes = []

    def dying_write(df, table, data_dir):
        if len(writes) == kill_after:
            raise _Killed
        writes.append(table.name)
        return real_write(df, table, data_dir)

    monkeypatch.setattr(ingest_mod.store, "write_table", dying_write)
    with pytest.raises(_Killed):
        ingest(raw_dir=raw, out_dir=out, progress=False)
    monkeypatch.setattr(ingest_mod.store, "write_table", real_write)
    assert not out.exists() or not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    ingest(raw_dir=raw, out_dir=out, progress=False)
    for name in ("articles", "removed", "manifest"):
        pd.testing.assert_frame_equal(store.read_table(name, out), store.read_table(name, fresh))
