"""The `mediawork` command: exit codes, messages, and the whole pipeline on the sample corpus."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from mediawork import store
from mediawork.cli import main

from .conftest import REPO


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("ingest", "analyze", "report", "run", "sample"):
        assert command in out


def test_unknown_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["ingest", "--no-such-option"])
    assert exc.value.code == 2


def test_missing_raw_folder_exits_2_with_a_message(tmp_path, capsys):
    code = main(["-q", "ingest", "--raw-dir", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")])
    assert code == 2
    assert "raw folder" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_strict_exits_1_when_an_input_was_rejected(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "empty.txt").write_text("")
    (raw / "notes.docx").write_bytes(b"PK\x03\x04 not really")
    assert main(["-q", "ingest", "--raw-dir", str(raw), "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "rejected: empty.txt:" in captured.err
    assert "2 rejected" in captured.out
    assert main(["-q", "ingest", "--strict", "--raw-dir", str(raw), "--out", str(tmp_path / "out2")]) == 1


def test_report_without_tables_says_to_ingest_first(tmp_path, capsys):
    code = main(["-q", "report", "--data", str(tmp_path), "--out", str(tmp_path / "reports")])
    assert code == 2
    assert "mediawork ingest" in capsys.readouterr().err


def test_no_traceback_reaches_the_user_on_an_internal_error(tmp_path):
    # A file where the output folder should be: the library fails, the command explains.
    (tmp_path / "out").write_text("not a folder")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.jsonl").write_text('{"title": "T", "text": "Talks resumed in Riyadh on Monday, officials said."}\n')
    proc = subprocess.run(
        [sys.executable, "-m", "mediawork.cli", "-q", "ingest", "--raw-dir", str(raw), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "mediawork ingest:" in proc.stderr


@pytest.mark.slow
def test_run_on_the_sample_corpus_writes_the_overview_report(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "data" / "raw", raw)
    data, reports = tmp_path / "processed", tmp_path / "reports"
    proc = subprocess.run(
        [str(REPO / ".venv" / "bin" / "mediawork"), "-q", "run", "--raw-dir", str(raw), "--data", str(data), "--reports", str(reports)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    manifest = store.read_table("manifest", data)
    assert set(manifest["status"]) <= {"ok", "duplicate", "rejected"}
    articles = store.read_table("articles", data)
    assert len(articles) >= 30
    index = (reports / "index.html").read_text()
    html_path = next((reports / "latest").glob("overview.html"))
    html = html_path.read_text()
    assert "overview.html" in index
    images = re.findall(r'<img[^>]+src="data:image/png;base64,([^"]+)"', html)
    assert len(images) >= 2, "the counts-by-source and counts-by-day charts are embedded"
    assert all(base64.b64decode(img)[:8] == b"\x89PNG\r\n\x1a\n" for img in images)
    assert not re.search(r'<script[^>]+src="https?://', html), "the report must open offline"
    assert "Articles by source" in html or "by source" in html


@pytest.mark.slow
def test_an_ingest_killed_midway_is_completed_by_the_next_run(tmp_path):
    """SIGKILL a real `mediawork ingest` partway, re-run it, and get the tables of an uninterrupted run."""
    import signal
    import time

    from mediawork.ingest import ingest
    from mediawork.sample import generate_sample

    raw = tmp_path / "raw"
    generate_sample(400, raw, seed=3)
    fresh, out = tmp_path / "fresh", tmp_path / "out"
    ingest(raw_dir=raw, out_dir=fresh, progress=False, jobs=1)
    command = [sys.executable, "-m", "mediawork.cli", "-q", "ingest", "--jobs", "1", "--raw-dir", str(raw), "--out", str(out)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(1.0)  # an ingest of 400 articles takes several seconds: this lands midway
    os.killpg(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the ingest finished before it could be killed"
    assert not out.exists() or not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    rerun = subprocess.run(command, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    for name in ("articles", "removed"):
        pd.testing.assert_frame_equal(store.read_table(name, out), store.read_table(name, fresh))
    manifest, expected = store.read_table("manifest", out), store.read_table("manifest", fresh)
    pd.testing.assert_frame_equal(manifest.drop(columns="status"), expected.drop(columns="status"))
    assert set(manifest["status"]) <= {"ok", "duplicate", "rejected", "unchanged"}
