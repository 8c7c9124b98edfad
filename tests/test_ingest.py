"""Ingest end to end on small raw folders: accounting, incrementality, atomicity, determinism."""

from __future__ import annotations

import io
import json
import os
import shutil

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from mediawork import cleaning, dedup, schema, store
from mediawork.errors import DataError
from mediawork import ingest as ingest_mod
from mediawork.ingest import article_id, ingest

from .conftest import table_bytes

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
            assert table_bytes(one) == table_bytes(two), table.file


class _Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs."""


@pytest.mark.parametrize("kill_after", range(6))
def test_a_run_killed_between_any_two_writes_is_completed_by_the_next(raw, tmp_path, monkeypatch, kill_after):
    fresh = tmp_path / "fresh"
    ingest(raw_dir=raw, out_dir=fresh, progress=False)
    out = tmp_path / "out"
    writes = []

    def dying(name):
        if len(writes) == kill_after:
            raise _Killed
        writes.append(name)

    _on_every_write(monkeypatch, dying)
    with pytest.raises(_Killed):
        ingest(raw_dir=raw, out_dir=out, progress=False)
    monkeypatch.undo()
    assert not out.exists() or not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    ingest(raw_dir=raw, out_dir=out, progress=False)
    for name in ("articles", "removed", "manifest"):
        pd.testing.assert_frame_equal(store.read_table(name, out), store.read_table(name, fresh))


# --------------------------------------------------------------------------- re-runs cost what is new


def _on_every_write(monkeypatch, hook) -> None:
    """Call ``hook(table name)`` before each table is replaced: a single-file write or a dataset's commit."""
    real_write, real_commit = store.write_table, store.DatasetWriter.commit

    def write(df, table, data_dir, **kwargs):
        hook(table.name)
        return real_write(df, table, data_dir, **kwargs)

    def commit(self):
        hook(self.table.name)
        return real_commit(self)

    monkeypatch.setattr(ingest_mod.store, "write_table", write)
    monkeypatch.setattr(store.DatasetWriter, "commit", commit)


# The recorders below see this process only: tests that use them ingest with jobs=1 (with
# more jobs, ingest runs in a child process).
def _recording_writes(monkeypatch) -> list[str]:
    written: list[str] = []
    _on_every_write(monkeypatch, written.append)
    return written


def _counting_signatures(monkeypatch) -> list[str]:
    hashed: list[str] = []
    real = dedup._new_signature
    monkeypatch.setattr(dedup, "_new_signature", lambda text, perms, **kw: hashed.append(text) or real(text, perms, **kw))
    return hashed


def test_rerun_with_nothing_new_writes_only_the_manifest(raw, tmp_path, monkeypatch):
    out = tmp_path / "out"
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    before = {t.file: table_bytes(out / t.file) for t in schema.TABLES.values() if (out / t.file).exists()}
    written = _recording_writes(monkeypatch)
    hashed = _counting_signatures(monkeypatch)
    summary = ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    assert written == ["manifest"]
    assert hashed == []
    assert summary.counts == {"unchanged": 10}
    assert set(store.read_table("manifest", out)["status"]) == {"unchanged"}
    for name, data in before.items():
        if name != schema.MANIFEST.file:
            assert table_bytes(out / name) == data, name


@pytest.mark.parametrize(
    ("change", "expected_writes"),
    [
        (lambda raw: (raw / "c.txt").unlink(), 6),  # an input went away: the tables shrink
        (lambda raw: (raw / "d.txt").write_text("other-site.com\n\nMarkets calm\n\n" + "\n\n".join(OTHER) + "\n", encoding="utf-8"), 6),
    ],
)
def test_a_change_still_rewrites_every_table(raw, tmp_path, monkeypatch, change, expected_writes):
    out = tmp_path / "out"
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    change(raw)
    written = _recording_writes(monkeypatch)
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    assert len(written) == expected_writes and written[-1] == "manifest"
    fresh = tmp_path / "fresh"
    monkeypatch.undo()
    ingest(raw_dir=raw, out_dir=fresh, progress=False, jobs=1)
    for name in ("articles", "removed", "signatures"):
        pd.testing.assert_frame_equal(store.read_table(name, out), store.read_table(name, fresh))


def test_incremental_run_hashes_only_new_bodies_and_marks_like_a_fresh_run(raw, tmp_path, monkeypatch):
    out = tmp_path / "out"
    held = tmp_path / "held.txt"
    # The held-back near copy is dated earlier than a.txt, so it becomes the first of its group.
    longer = [*BODY, "Diplomats expect a reply within a week."]
    (raw / "early.txt").write_text(_dump("third-site.org", "Truce plan reaches Moscow", "11 March 2025 08:00 GMT", longer, ["Read more stories"]), encoding="utf-8")
    shutil.move(raw / "early.txt", held)
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    shutil.move(held, raw / "early.txt")
    hashed = _counting_signatures(monkeypatch)
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    assert len(hashed) == 1 and hashed[0].startswith(BODY[0])
    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    ingest(raw_dir=raw, out_dir=fresh, progress=False, jobs=1)
    articles = store.read_table("articles", out).set_index("source_file")
    early = articles.loc["early.txt", "article_id"]
    assert articles.loc["a.txt", "duplicate_of"] == early
    pd.testing.assert_frame_equal(store.read_table("articles", out), store.read_table("articles", fresh))
    pd.testing.assert_frame_equal(store.read_table("signatures", out), store.read_table("signatures", fresh))


def test_signatures_table_has_one_row_per_article(raw, tmp_path):
    out = tmp_path / "out"
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    sigs = store.read_table("signatures", out)
    articles = store.read_table("articles", out)
    assert sigs["article_id"].tolist() == articles["article_id"].tolist()
    assert (sigs["method"] == dedup.SIGNATURE_METHOD).all()
    assert sigs["minhash"].map(len).eq(4 * dedup.NUM_PERM).all()


def test_one_and_two_jobs_write_identical_files(raw, tmp_path):
    for jobs in (1, 2):
        ingest(raw_dir=raw, out_dir=tmp_path / f"j{jobs}", progress=False, jobs=jobs)
    for table in schema.TABLES.values():
        one, two = tmp_path / "j1" / table.file, tmp_path / "j2" / table.file
        assert one.exists() == two.exists(), table.file
        if one.exists():
            assert table_bytes(one) == table_bytes(two), table.file
    assert (tmp_path / "j1" / schema.SIGNATURES.file).exists()


def test_new_dumps_relearn_from_stored_keys_and_reread_only_sources_whose_boilerplate_changed(tmp_path, monkeypatch):
    from mediawork.sample import generate_sample

    raw = tmp_path / "raw"
    generate_sample(60, raw, seed=5, formats=("txt",))
    held = sorted(raw.rglob("*.txt"))[-3:]
    for path in held:
        path.rename(tmp_path / path.name)
    out = tmp_path / "out"
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    assert store.read_table("dumps", out)["codes"].map(len).gt(0).all()  # every dump's learning summary is stored
    learned_before = store.read_table("learned", out)
    for path in held:
        (tmp_path / path.name).rename(path)
    reread: list[str] = []
    real = ingest_mod._reread_dumps
    monkeypatch.setattr(ingest_mod, "_reread_dumps", lambda dumps, raw_dir: reread.extend(dumps["source"]) or real(dumps, raw_dir))
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    learned_after = store.read_table("learned", out)
    changed = set(learned_before.merge(learned_after, how="outer", indicator=True).query("_merge != 'both'")["source"])
    assert set(reread) <= changed  # old dumps are read again only to be cleaned with a changed boilerplate
    fresh = tmp_path / "fresh"
    ingest(raw_dir=raw, out_dir=fresh, progress=False, jobs=1)
    for table in ("articles", "removed", "learned", "dumps"):
        pd.testing.assert_frame_equal(store.read_table(table, out), store.read_table(table, fresh), obj=table)


@pytest.mark.parametrize("older", ["no summaries", "key strings"])
def test_dumps_written_by_older_versions_are_learned_from(raw, tmp_path, monkeypatch, older):
    out = tmp_path / "out"
    late, held = raw / "c.txt", tmp_path / "c.txt"
    shutil.move(late, held)
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    dumps = store.read_table("dumps", out).drop(columns="codes")
    if older == "key strings":  # as the version before codes wrote it
        dumps["keys"] = [cleaning.dump_line_keys((raw / name).read_text(encoding="utf-8")) for name in dumps["source_file"]]
    dumps.to_parquet(out / schema.DUMPS.file, index=False)
    reread: list[str] = []
    real = ingest_mod._reread_dumps
    monkeypatch.setattr(ingest_mod, "_reread_dumps", lambda dumps, raw_dir: reread.extend(dumps["source_file"]) or real(dumps, raw_dir))
    shutil.move(held, late)
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    fresh = tmp_path / "fresh"
    ingest(raw_dir=raw, out_dir=fresh, progress=False, jobs=1)
    for table in ("articles", "removed", "learned", "dumps"):
        pd.testing.assert_frame_equal(store.read_table(table, out), store.read_table(table, fresh), obj=table)
    assert ("a.txt" in reread) == (older == "no summaries")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("Talks resumed.", 2),
        ("Kyiv -- and Moscow", 3),  # a dash alone is not a word
        ("a\u00a0b\u2009c\x1cd", 4),  # every Unicode space separates, as str.split does
        ("— ... !!", 0),
        ("état-major's 30-day", 2),
        ("line\nbreak\ttab", 3),
    ],
)
def test_count_words_counts_tokens_holding_a_letter_or_digit(text, expected):
    assert ingest_mod.count_words(text) == expected == sum(1 for tok in text.split() if any(ch.isalnum() or ch == "_" for ch in tok))


def test_count_words_on_random_texts():
    import random

    alphabet = "ab1_ -—.,!?\t\n\u00a0\x1c\u2003é'\"&\u3000"
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert ingest_mod.count_words(text) == sum(1 for tok in text.split() if any(ch.isalnum() or ch == "_" for ch in tok)), repr(text)


def _reads(monkeypatch) -> list[str]:
    """Names of the files readers read from disk from now on."""
    from mediawork import readers

    seen: list[str] = []
    real = readers._read_file

    def spy(path, root):
        seen.append(path.name)
        return real(path, root)

    monkeypatch.setattr(readers, "_read_file", spy)
    return seen


def test_files_of_the_same_size_and_time_are_not_read_again(raw, tmp_path, monkeypatch):
    out = tmp_path / "out"
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    stamps = store.read_table("manifest", out).set_index("source_file")["modified"]
    assert stamps["a.txt"] == pd.Timestamp((raw / "a.txt").stat().st_mtime_ns, unit="ns", tz="UTC")
    assert pd.isna(stamps["export.jsonl#1"])  # records are not files
    seen = _reads(monkeypatch)
    summary = ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    assert seen == []
    assert set(summary.counts) == {"unchanged"}


@pytest.mark.parametrize("checksum", [False, True])
def test_a_touched_file_is_read_once_and_its_new_time_recorded(raw, tmp_path, monkeypatch, checksum):
    out = tmp_path / "out"
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    os.utime(raw / "a.txt", ns=(1_700_000_000_123_456_789, 1_700_000_000_123_456_789))
    seen = _reads(monkeypatch)
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1, checksum=checksum)
    manifest = store.read_table("manifest", out).set_index("source_file")
    assert manifest.loc["a.txt", "status"] == "unchanged"
    assert manifest.loc["a.txt", "modified"].value == 1_700_000_000_123_456_789
    assert ("a.txt" in seen) and (len(seen) > 1) == checksum
    seen.clear()
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1, checksum=checksum)
    assert ("a.txt" in seen) == checksum


def test_same_size_and_time_hides_an_edit_until_checksum(raw, tmp_path):
    out = tmp_path / "out"
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    path = raw / "c.txt"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Grain", "Wheat"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    assert "Wheat" not in " ".join(store.read_table("articles", out)["title"].dropna())
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1, checksum=True)
    manifest = store.read_table("manifest", out).set_index("source_file")
    assert manifest.loc["c.txt", "status"] == "ok"
    assert "Wheat trade recovers" in set(store.read_table("articles", out)["title"])


def test_a_manifest_without_times_hashes_every_file_once(raw, tmp_path, monkeypatch):
    out = tmp_path / "out"
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    old = store.read_table("manifest", out).drop(columns="modified")
    pq_path = out / "manifest.parquet"
    old.to_parquet(pq_path, index=False)
    seen = _reads(monkeypatch)
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    assert "a.txt" in seen
    seen.clear()
    ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    assert seen == []


def test_with_a_pool_ingest_runs_apart_and_reports_rejections_here(raw, tmp_path, monkeypatch):
    """jobs > 1: the run happens in a child process; the summary and rejection messages come back."""
    from mediawork import engines

    apart: list[str] = []
    real = engines.run_apart
    monkeypatch.setattr(engines, "run_apart", lambda func, *args: apart.append(func.__name__) or real(func, *args))
    log = io.StringIO()
    summary = ingest(raw_dir=raw, out_dir=tmp_path / "pool", progress=False, jobs=2, log=log)
    serial = ingest(raw_dir=raw, out_dir=tmp_path / "serial", progress=False, jobs=1, log=io.StringIO())
    assert apart == ["_ingest_folder"]
    assert summary.counts == serial.counts and summary.rejected == serial.rejected and summary.n_rejected == 4
    assert "rejected: empty.txt: file holds only whitespace" in log.getvalue()
    for table in ("articles", "manifest", "removed", "signatures", "dumps"):
        assert_frame_equal(store.read_table(table, tmp_path / "pool"), store.read_table(table, tmp_path / "serial"))


def test_an_error_in_the_child_reaches_the_caller_as_it_would_here(raw, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(Exception) as here:
        ingest(raw_dir=raw, out_dir=out, progress=False, jobs=1)
    with pytest.raises(Exception) as apart:
        ingest(raw_dir=raw, out_dir=out, progress=False, jobs=2)
    assert type(apart.value) is type(here.value) is DataError and str(apart.value) == str(here.value)
    assert "manifest.parquet cannot be read" in str(here.value) and "magic bytes" in str(here.value)
