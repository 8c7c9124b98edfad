"""Object storage through fsspec URLs: mirroring to a local cache and back, and the CLI on URLs.

No network: ``memory://`` (fsspec's in-memory file system, one store per process, so
each test uses a root of its own and removes it) and ``file://`` URLs stand in for
object storage.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import fsspec
import pytest
from fsspec.implementations.memory import MemoryFileSystem

from mediawork import remote
from mediawork.cli import main
from mediawork.errors import MediaworkError, ParameterError

from .conftest import REPO

ACTORS = REPO / "data" / "actors.yml"


@pytest.fixture
def mem_url():
    """A fresh ``memory://`` root, removed after the test."""
    root = f"mw-{uuid.uuid4().hex[:12]}"
    yield f"memory://{root}"
    fs = fsspec.filesystem("memory")
    if fs.exists(f"/{root}"):
        fs.rm(f"/{root}", recursive=True)


@pytest.fixture(params=["memory", "file"])
def any_url(request, mem_url, tmp_path):
    """A folder URL on the in-memory file system or on the local disk (``file://``)."""
    return mem_url + "/store" if request.param == "memory" else (tmp_path / "bucket" / "store").as_uri()


def _write(folder: Path, files: dict[str, bytes | str]) -> None:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _remote_tree(url: str) -> dict[str, bytes]:
    fs, root = fsspec.core.url_to_fs(url)
    return {name[len(root.rstrip("/")) + 1:]: fs.cat_file(name) for name in sorted(fs.find(root))}


FILES = {
    "a.txt": "Ministers met in Nairobi on Tuesday.",
    "txt/000/b.txt": "The port reopened after the storm, the mayor said.",
    "terms.parquet/_index.json": '{"parts": ["month=2025-01/part-aa11.parquet"]}',
    "terms.parquet/month=2025-01/part-aa11.parquet": b"PAR1 part one",
}


# --------------------------------------------------------------------------- URLs and caches


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("s3://bucket/raw", True),
        ("gs://bucket", True),
        ("file:///tmp/raw", True),
        ("memory://root/x", True),
        ("abfss://container@account.dfs.core.windows.net/data", True),
        ("data/raw", False),
        ("/srv/data/raw", False),
        ("C:\\data\\raw", False),
        ("C:/data/raw", False),
        ("c://data", False),
        ("s3:/bucket", False),
        ("", False),
        (Path("data/raw"), False),
    ],
)
def test_is_url_tells_urls_from_local_paths(path, expected):
    assert remote.is_url(path) is expected


def test_cache_dir_is_one_stable_folder_per_url(tmp_path, monkeypatch):
    monkeypatch.setenv(remote.CACHE_ENV, str(tmp_path / "env-cache"))
    one = remote.cache_dir("s3://bucket/processed")
    assert one.parent == tmp_path / "env-cache"
    assert one.name.startswith("processed-")
    assert remote.cache_dir("s3://bucket/processed/") == one, "a trailing slash names the same folder"
    assert remote.cache_dir("s3://other/processed") != one
    assert remote.cache_dir("s3://bucket/processed", root=tmp_path / "mine").parent == tmp_path / "mine"
    monkeypatch.delenv(remote.CACHE_ENV)
    assert remote.cache_dir("s3://bucket/processed").parent == Path.home() / ".cache" / "mediawork"


# --------------------------------------------------------------------------- pull and push


def test_push_then_pull_gives_the_same_files(any_url, tmp_path):
    src, back = tmp_path / "src", tmp_path / "back"
    _write(src, FILES)
    pushed = remote.push(src, any_url)
    assert sorted(pushed.copied) == sorted(FILES)
    assert _remote_tree(any_url) == _tree(src)
    pulled = remote.pull(any_url, back)
    assert sorted(pulled.copied) == sorted(FILES)
    assert _tree(back) == _tree(src)
    assert Path(pulled) == back, "a Transfer stands for its local folder"


def test_only_new_or_changed_files_move(any_url, tmp_path):
    src, back = tmp_path / "src", tmp_path / "back"
    _write(src, FILES)
    remote.push(src, any_url)
    remote.pull(any_url, back)
    again = remote.push(src, any_url)
    assert again.copied == () and again.unchanged == len(FILES)
    assert remote.pull(any_url, back).copied == ()

    (src / "a.txt").write_text("Ministers met in Nairobi on Wednesday instead.")
    _write(src, {"txt/000/c.txt": "Rain delayed the harvest in the north."})
    changed = remote.push(src, any_url)
    assert sorted(changed.copied) == ["a.txt", "txt/000/c.txt"]
    assert changed.bytes == (src / "a.txt").stat().st_size + (src / "txt/000/c.txt").stat().st_size
    pulled = remote.pull(any_url, back)
    assert sorted(pulled.copied) == ["a.txt", "txt/000/c.txt"]
    assert _tree(back) == _tree(src)


def _pushed_and_pulled(tmp_path, url, files):
    """``files`` written to ``src``, pushed to ``url`` and pulled into ``back``: (src, back, fs, root of url in fs)."""
    src, back = tmp_path / "src", tmp_path / "back"
    _write(src, files)
    remote.push(src, url)
    remote.pull(url, back)
    return (src, back, *fsspec.core.url_to_fs(url))


def test_a_file_changed_with_the_same_size_still_moves(mem_url, tmp_path):
    src, back, fs, root = _pushed_and_pulled(tmp_path, mem_url, {"a.txt": "vote 1"})
    fs.pipe_file(f"{root}/a.txt", b"vote 2")  # same size, new modification time
    assert remote.pull(mem_url, back).copied == ("a.txt",)
    assert (back / "a.txt").read_text() == "vote 2"


def test_pulled_files_take_the_remote_modification_time(mem_url, tmp_path):
    src, back, fs, root = _pushed_and_pulled(tmp_path, mem_url, {"a.txt": "x"})
    created = fs.info(f"{root}/a.txt")["created"]
    assert (back / "a.txt").stat().st_mtime_ns == round(created.timestamp() * 1_000_000) * 1000
    assert (src / "a.txt").stat().st_mtime_ns == (back / "a.txt").stat().st_mtime_ns, "push gives the local file its copy's time"


@pytest.mark.parametrize(
    "hidden",
    [".mediawork.lock", ".ingest-123-abcd/units-0000.pkl", "terms.parquet/month=2025-01/.part.x1y2.tmp", ".analyze_state.q.tmp"],
)
def test_hidden_temporaries_are_never_copied_nor_deleted(mem_url, tmp_path, hidden):
    src = tmp_path / "src"
    _write(src, {**FILES, hidden: "temporary"})
    pushed = remote.push(src, mem_url, exact=True)
    assert hidden not in pushed.copied and hidden not in _remote_tree(mem_url)
    back = tmp_path / "back"
    _write(back, {hidden: "mine"})
    remote.pull(mem_url, back, exact=True)
    assert (back / hidden).read_text() == "mine"


def test_push_uploads_parts_before_the_index_and_removes_stale_parts_last(mem_url, tmp_path, monkeypatch):
    src = tmp_path / "src"
    _write(src, {"terms.parquet/_index.json": "old", "terms.parquet/month=2025-01/part-0001.parquet": b"old part",
                 "terms.parquet/month=2025-02/part-0002.parquet": b"kept part", "manifest.parquet": b"m1"})
    remote.push(src, mem_url)
    # The local run rewrites the table: one part replaced, one new month, a new index.
    (src / "terms.parquet/month=2025-01/part-0001.parquet").unlink()
    _write(src, {"terms.parquet/month=2025-01/part-0003.parquet": b"new part", "terms.parquet/month=2025-03/part-0004.parquet": b"new month",
                 "terms.parquet/_index.json": "new", "manifest.parquet": b"m2"})
    events: list[tuple[str, str]] = []
    put, rm = MemoryFileSystem.put_file, MemoryFileSystem.rm_file
    monkeypatch.setattr(MemoryFileSystem, "put_file", lambda self, lpath, rpath, **kw: (events.append(("put", rpath)), put(self, lpath, rpath, **kw))[1])
    monkeypatch.setattr(MemoryFileSystem, "rm_file", lambda self, path: (events.append(("rm", path)), rm(self, path))[1])
    result = remote.push(src, mem_url)
    names = [(kind, path.rsplit("/", 1)[-1]) for kind, path in events]
    assert names[:2] == [("put", "part-0003.parquet"), ("put", "part-0004.parquet")]
    assert set(names[2:4]) == {("put", "_index.json"), ("put", "manifest.parquet")}
    assert names[4:] == [("rm", "part-0001.parquet")]
    assert result.deleted == ("terms.parquet/month=2025-01/part-0001.parquet",)
    assert _remote_tree(mem_url) == _tree(src)


def test_part_files_with_the_same_name_and_size_are_not_copied_again(mem_url, tmp_path):
    src, back = tmp_path / "src", tmp_path / "back"
    _write(src, FILES)
    remote.push(src, mem_url)
    _write(back, {"terms.parquet/month=2025-01/part-aa11.parquet": b"PAR1 part one"})  # e.g. written by a local run
    pulled = remote.pull(mem_url, back)
    assert "terms.parquet/month=2025-01/part-aa11.parquet" not in pulled.copied
    assert pulled.unchanged == 1


@pytest.mark.parametrize(("exact", "notes_kept"), [(False, True), (True, False)])
def test_pull_into_your_folder_deletes_only_stale_table_files(mem_url, tmp_path, exact, notes_kept):
    src, mine = tmp_path / "src", tmp_path / "mine"
    _write(src, FILES)
    remote.push(src, mem_url)
    _write(mine, {"notes.txt": "my own notes", "terms.parquet/month=2024-12/part-ffff.parquet": b"stale part"})
    pulled = remote.pull(mem_url, mine, exact=exact)
    assert not (mine / "terms.parquet/month=2024-12").exists(), "a part the URL's table no longer has is deleted, and its empty folder"
    assert (mine / "notes.txt").exists() is notes_kept
    assert "terms.parquet/month=2024-12/part-ffff.parquet" in pulled.deleted


def test_pull_into_the_default_cache_mirrors_exactly(mem_url, tmp_path):
    src = tmp_path / "src"
    _write(src, FILES)
    remote.push(src, mem_url)
    first = remote.pull(mem_url, cache=tmp_path / "cache")
    assert first.path == remote.cache_dir(mem_url, root=tmp_path / "cache")
    fs, root = fsspec.core.url_to_fs(mem_url)
    fs.rm_file(f"{root}/a.txt")
    second = remote.pull(mem_url, cache=tmp_path / "cache")
    assert second.deleted == ("a.txt",) and not (first.path / "a.txt").exists()


def test_push_replaces_a_single_file_table_that_became_a_dataset(mem_url, tmp_path):
    src = tmp_path / "src"
    _write(src, {"articles.parquet": b"old single file"})
    remote.push(src, mem_url)
    (src / "articles.parquet").unlink()
    _write(src, {"articles.parquet/_index.json": "{}", "articles.parquet/month=2025-01/part-ab12.parquet": b"part"})
    remote.push(src, mem_url, exact=True)
    assert _remote_tree(mem_url) == _tree(src)
    back = tmp_path / "back"
    _write(back, {"articles.parquet": b"old single file"})
    remote.pull(mem_url, back, exact=True)
    assert _tree(back) == _tree(src)


# --------------------------------------------------------------------------- errors


def test_a_missing_url_is_an_error_unless_allowed(mem_url, tmp_path):
    with pytest.raises(ParameterError, match="found no files at memory://"):
        remote.pull(mem_url + "/nothing", tmp_path / "a")
    empty = remote.pull(mem_url + "/nothing", tmp_path / "b", missing_ok=True)
    assert empty.copied == () and (tmp_path / "b").is_dir()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nosuchproto://bucket/raw", "unknown storage protocol nosuchproto://"),
        ("data/raw", "is not a URL"),
    ],
)
def test_bad_urls_raise_a_parameter_error(tmp_path, url, message):
    with pytest.raises(ParameterError, match=message):
        remote.pull(url, tmp_path)


@pytest.mark.parametrize(("protocol", "package"), [("s3", "s3fs"), ("gs", "gcsfs"), ("az", "adlfs")])
def test_a_missing_backend_names_the_package_to_install(tmp_path, protocol, package):
    try:
        __import__(package)
    except ImportError:
        pass
    else:
        pytest.skip(f"{package} is installed here, so the missing-backend message cannot be seen")
    with pytest.raises(ParameterError, match=f"pip install {package}"):
        remote.pull(f"{protocol}://bucket/raw", tmp_path)


@pytest.mark.parametrize(
    ("error", "kind", "message"),
    [
        (PermissionError("403 Forbidden"), ParameterError, "permission denied at memory://"),
        (ConnectionResetError("connection reset by peer"), MediaworkError, "check the network and retry"),
    ],
)
def test_storage_errors_become_clear_mediawork_errors(mem_url, tmp_path, monkeypatch, error, kind, message):
    src = tmp_path / "src"
    _write(src, {"a.txt": "x"})
    remote.push(src, mem_url)

    def fail(self, *args, **kwargs):
        raise error

    monkeypatch.setattr(MemoryFileSystem, "get_file", fail)
    with pytest.raises(kind, match=message) as exc:
        remote.pull(mem_url, tmp_path / "back")
    assert mem_url in str(exc.value)
    assert not any(p.name.endswith(".tmp") for p in (tmp_path / "back").rglob("*")), "no half-downloaded file is left behind"


# --------------------------------------------------------------------------- the command on URLs


@pytest.mark.parametrize("command", ["ingest", "analyze", "report", "run"])
def test_cli_help_says_folders_may_be_urls(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "fsspec URL such as s3://bucket/folder" in out
    assert "--cache DIR" in out


def test_cli_ingest_from_a_file_url_to_a_memory_url(mem_url, tmp_path, capsys):
    raw = tmp_path / "raw"
    _write(raw, {"feed.jsonl": '{"title": "Port reopens", "text": "The harbour reopened on Friday after repairs, officials said."}\n'
                               '{"title": "Rain delays harvest", "text": "Farmers in the valley waited a week for the fields to dry."}\n'})
    args = ["-q", "ingest", "--jobs", "1", "--raw-dir", raw.as_uri(), "--out", f"{mem_url}/processed", "--cache", str(tmp_path / "cache")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "ingest: 3 inputs: 3 ok" in out
    stored = _remote_tree(f"{mem_url}/processed")
    assert "manifest.parquet" in stored and "articles.parquet/_index.json" in stored
    assert not any(rel.startswith(".") for rel in stored), "the run lock and spools stay local"
    assert (remote.cache_dir(f"{mem_url}/processed", root=tmp_path / "cache") / ".mediawork.lock").exists(), "the lock is taken on the cache"


def test_cli_unknown_protocol_exits_2_without_a_traceback(tmp_path, capsys):
    code = main(["-q", "ingest", "--raw-dir", "nosuchproto://bucket/raw", "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown storage protocol nosuchproto://" in err and "Traceback" not in err


def test_cli_rejects_named_files_with_a_url_raw_dir(mem_url, tmp_path, capsys):
    code = main(["-q", "ingest", "a.txt", "--raw-dir", mem_url + "/raw", "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")])
    assert code == 2
    assert "not supported with a URL --raw-dir" in capsys.readouterr().err


def test_cli_missing_raw_url_exits_2(mem_url, tmp_path, capsys):
    code = main(["-q", "ingest", "--raw-dir", mem_url + "/raw", "--out", mem_url + "/processed", "--cache", str(tmp_path / "cache")])
    assert code == 2
    assert f"found no files at {mem_url}/raw" in capsys.readouterr().err
    assert _remote_tree(mem_url) == {}


def test_cli_run_on_urls_writes_the_tables_of_a_local_run(mem_url, tmp_path, monkeypatch, capsys):
    """`run` with --raw-dir, --data and --reports on memory:// gives, byte for byte, the tables a local run writes."""
    from mediawork import cli
    from mediawork.sample import generate_sample

    raw = tmp_path / "raw"
    generate_sample(30, raw, seed=5)
    remote.push(raw, f"{mem_url}/raw")  # the raw files now carry their remote copies' times, as a pull gives them
    monkeypatch.setattr(cli, "_report", lambda args, names, run_dir=None: 0)  # notebooks are tested elsewhere; keep this fast
    urls = ["--raw-dir", f"{mem_url}/raw", "--data", f"{mem_url}/processed", "--reports", f"{mem_url}/reports"]
    common = ["--jobs", "1", "--actors", str(ACTORS)]
    assert main(["-q", "run", *urls, *common, "--cache", str(tmp_path / "cache")]) == 0
    out = capsys.readouterr().out
    assert f"pull {mem_url}/raw" in out and f"-> {mem_url}/processed" in out

    local = tmp_path / "processed"
    assert main(["-q", "ingest", "--jobs", "1", "--raw-dir", str(raw), "--out", str(local)]) == 0
    assert main(["-q", "analyze", *common, "--data", str(local)]) == 0
    expected = {rel: data for rel, data in _tree(local).items() if not rel.startswith(".")}
    found = _remote_tree(f"{mem_url}/processed")
    assert sorted(found) == sorted(expected)
    assert any(rel.startswith("articles.parquet/month=") for rel in found)
    different = [rel for rel in expected if found[rel] != expected[rel]]
    assert different == []
    assert any(rel.endswith("run.log") for rel in _remote_tree(f"{mem_url}/reports")), "the run's folder is pushed to --reports"

    # A second run finds nothing new: no raw file is downloaded again, no part file uploaded again.
    assert main(["-q", "run", *urls, *common, "--cache", str(tmp_path / "cache")]) == 0
    out = capsys.readouterr().out
    pull_raw = next(line for line in out.splitlines() if line.startswith(f"pull {mem_url}/raw "))
    assert ": 0 files copied" in pull_raw
    after = _remote_tree(f"{mem_url}/processed")
    assert {rel: data for rel, data in after.items() if rel != "manifest.parquet"} == {rel: data for rel, data in found.items() if rel != "manifest.parquet"}, \
        "nothing new: the same tables (only the manifest's statuses become `unchanged`)"
    assert _remote_tree(f"{mem_url}/processed").keys() == found.keys()


def test_cli_report_reads_data_from_a_url(mem_url, tmp_path, monkeypatch, capsys):
    from mediawork import cli

    src = tmp_path / "src"
    _write(src, {"manifest.parquet": b"not really parquet"})
    remote.push(src, f"{mem_url}/processed")
    seen = {}
    monkeypatch.setattr(cli, "_report", lambda args, names, run_dir=None: seen.update(data=args.data) or 0)
    assert main(["-q", "report", "--data", f"{mem_url}/processed", "--out", str(tmp_path / "reports"), "--cache", str(tmp_path / "cache")]) == 0
    assert seen["data"] == remote.cache_dir(f"{mem_url}/processed", root=tmp_path / "cache")
    assert (seen["data"] / "manifest.parquet").read_bytes() == b"not really parquet"
    assert _remote_tree(f"{mem_url}/processed") == {"manifest.parquet": b"not really parquet"}, "report does not write --data"


def test_cli_stops_with_exit_75_when_another_process_uses_the_cache(mem_url, tmp_path, capsys):

    url = f"{mem_url}/processed"
    cache = remote.cache_dir(url, root=tmp_path / "cache")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from mediawork.locking import run_lock\n"
                               f"with run_lock({str(cache)!r}, command='test holder'):\n    print('locked', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        code = main(["-q", "analyze", "--data", url, "--actors", str(ACTORS), "--cache", str(tmp_path / "cache")])
    finally:
        holder.communicate("", timeout=30)
    assert code == 75
    assert "test holder" in capsys.readouterr().err
