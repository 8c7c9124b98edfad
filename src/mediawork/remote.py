"""Object storage through fsspec URLs: mirror a remote folder into a local cache and back.

mediawork reads and writes local folders only. A folder on object storage
(``s3://bucket/processed``, ``gs://...``, ``az://...``, or ``memory://`` and
``file://`` URLs) is used through a local mirror: :func:`pull` copies what is new or
changed under the URL into a local folder (by default a cache folder per URL, see
:func:`cache_dir`), the usual local code runs on that folder, and :func:`push` copies
new or changed files back. Only new files move: a file is taken as unchanged when
its size and modification time match (a copy gets the modification time of the file
it was copied from), and a table's part files (``month=YYYY-MM/part-<hash>.parquet``,
named by the hash of their bytes) when their names and sizes match. Without a
modification time from the storage, a file that is not a part file is copied again.

Pushing a processed-data folder keeps remote readers safe: new part files go first,
then ``_index.json`` and the other files (oldest first, so the storage keeps the
order the files were written in), and only then are part files no index names any
longer removed: a reader never sees an index naming a missing part. Hidden files
and folders (the run lock ``.mediawork.lock``, ingest's ``.ingest-*`` spools,
``*.tmp`` files of interrupted writes) are neither copied nor deleted.

One writer at a time: the run lock is a local file, so two machines must not write
the same URL at once.

Backends: ``s3://`` needs ``s3fs``, ``gs://`` ``gcsfs``, ``az://``/``abfs://``
``adlfs``; install them beside mediawork. Credentials come from each backend's usual
configuration (environment variables, config files).

Example
-------
>>> from mediawork import remote, store
>>> articles = store.read_table("articles", remote.pull("s3://bucket/processed"))  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from .errors import MediaworkError, ParameterError

__all__ = ["CACHE_ENV", "Transfer", "cache_dir", "is_url", "pull", "push"]

#: Environment variable naming the folder that holds the caches of URLs (default ``~/.cache/mediawork``).
CACHE_ENV = "MEDIAWORK_CACHE"

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+)://")
#: A part file of a partitioned table, relative to the mirrored folder.
_PART = re.compile(r"(?:^|/)[^/]+\.parquet/month=[^/]+/part-[0-9a-f]+\.parquet$")
#: The package to install for a protocol whose fsspec backend is missing.
_BACKENDS = {
    "s3": "s3fs", "s3a": "s3fs", "gs": "gcsfs", "gcs": "gcsfs", "az": "adlfs", "abfs": "adlfs", "abfss": "adlfs",
    "adl": "adlfs", "http": "aiohttp", "https": "aiohttp", "sftp": "paramiko", "ssh": "paramiko", "hf": "huggingface_hub",
}
#: Keys of an fsspec info dict that give a file's modification time, most specific first.
_MTIME_KEYS = ("mtime", "LastModified", "last_modified", "updated", "modified", "created")


@dataclass(frozen=True)
class _Stat:
    size: int
    mtime_ns: int | None


@dataclass(frozen=True)
class Transfer:
    """What one :func:`pull` or :func:`push` did; path-like, so it stands for the local folder.

    Attributes
    ----------
    direction:
        ``"pull"`` (URL to local folder) or ``"push"`` (local folder to URL).
    url:
        The URL mirrored.
    path:
        The local folder.
    copied:
        Files copied, relative to the folder, in the order they were copied.
    deleted:
        Files deleted on the receiving side because the sending side no longer has them.
    unchanged:
        Number of files already the same on both sides.
    bytes:
        Bytes copied.
    """

    direction: Literal["pull", "push"]
    url: str
    path: Path
    copied: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    unchanged: int = 0
    bytes: int = 0

    def __fspath__(self) -> str:
        return str(self.path)

    def line(self) -> str:
        """One line for the command's output.

        Examples
        --------
        >>> Transfer("pull", "s3://b/raw", Path("/c"), copied=("a.txt",), unchanged=2, bytes=2048).line()
        'pull s3://b/raw -> /c: 1 file copied (2.0 kB), 0 deleted, 2 unchanged'
        """
        n = len(self.copied)
        where = f"{self.url} -> {self.path}" if self.direction == "pull" else f"{self.path} -> {self.url}"
        return (f"{self.direction} {where}: {n} file{'' if n == 1 else 's'} copied ({_size(self.bytes)}), "
                f"{len(self.deleted)} deleted, {self.unchanged} unchanged")


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n} B"  # pragma: no cover


def is_url(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is an fsspec URL (``scheme://...``) rather than a local path.

    ``file://`` and ``memory://`` URLs count; plain and Windows paths (``C:\\data``,
    ``C:/data``) do not. A :class:`~pathlib.Path` never is one (``Path`` folds ``//``).

    Examples
    --------
    >>> [is_url(p) for p in ("s3://bucket/raw", "file:///tmp/raw", "data/raw", "C:/data", Path("data"))]
    [True, True, False, False, False]
    """
    return isinstance(path, str) and _SCHEME.match(path) is not None


def cache_dir(url: str, *, root: Path | str | None = None) -> Path:
    """The local cache folder of ``url``: ``<root>/<last name>-<12 hex digits of the URL's hash>``.

    ``root`` defaults to ``$MEDIAWORK_CACHE``, else ``~/.cache/mediawork``. The folder is
    not created here.

    Examples
    --------
    >>> cache_dir("s3://bucket/processed", root="/tmp/c").name
    'processed-d88e9dcc400b'
    """
    base = Path(root) if root is not None else Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "mediawork")
    clean = url.rstrip("/")
    tail = re.sub(r"[^A-Za-z0-9._-]+", "_", clean.rsplit("/", 1)[-1].split("://")[-1]) or "root"
    return base.expanduser() / f"{tail[:40]}-{hashlib.sha256(clean.encode('utf-8')).hexdigest()[:12]}"


def pull(
    url: str,
    local: Path | str | None = None,
    *,
    cache: Path | str | None = None,
    exact: bool | None = None,
    missing_ok: bool = False,
    progress: bool = False,
) -> Transfer:
    """Copy what is new or changed under ``url`` into a local folder; return what moved.

    Parameters
    ----------
    url:
        An fsspec URL of a folder (``s3://bucket/processed``).
    local:
        The local folder (created when missing); by default the URL's cache folder
        (:func:`cache_dir`).
    cache:
        With ``local`` omitted: the folder holding the caches (default ``$MEDIAWORK_CACHE``
        or ``~/.cache/mediawork``).
    exact:
        Delete every local file the URL no longer has, making the folder an exact
        mirror. By default true for the cache folder (it is mediawork's own) and false
        for a folder you name: then only files inside tables the URL holds
        (``<table>.parquet/`` folders with an ``_index.json``) are deleted, never other
        files of yours.
    missing_ok:
        Treat a URL with no files as an empty folder instead of raising.
    progress:
        Show a progress bar.

    Returns
    -------
    Transfer
        What was copied and deleted. It is path-like: pass it wherever a folder is
        expected, or use its ``path``.

    Raises
    ------
    ParameterError
        The URL's backend is not installed, it holds no files (unless ``missing_ok``),
        or it cannot be read (permissions, credentials).
    MediaworkError
        The storage could not be reached.

    Examples
    --------
    >>> from mediawork import store
    >>> articles = store.read_table("articles", pull("s3://bucket/processed"))  # doctest: +SKIP
    """
    fs, root = _filesystem(url)
    folder = Path(local) if local is not None else cache_dir(url, root=cache)
    exact = local is None if exact is None else exact
    remote_files = _remote_files(fs, root, url)
    if not remote_files and not missing_ok:
        raise ParameterError(f"found no files at {url}; expected a folder holding files. Check the URL (and that your credentials can list it)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError(f"cannot create the local folder {folder} for {url} ({exc.strerror or exc}); pass a writable --cache folder") from None
    local_files = _local_files(folder)
    deleted = _stale(local_files, remote_files, exact=exact)
    _clear_conflicts(folder, remote_files)
    todo = [rel for rel in _order(remote_files) if not _in_sync(rel, local_files.get(rel), remote_files[rel])]
    copied, n_bytes = [], 0
    for rel in _bar(todo, progress, f"pull {url}"):
        _download(fs, _join(root, rel), folder / rel, remote_files[rel], url=url)
        copied.append(rel)
        n_bytes += remote_files[rel].size
    for rel in deleted:
        if not (folder / rel).is_dir():  # a folder there now came from the URL (see _clear_conflicts)
            (folder / rel).unlink(missing_ok=True)
    _prune_empty(folder, deleted)
    return Transfer("pull", url, folder, tuple(copied), tuple(deleted), len(remote_files) - len(copied), n_bytes)


def push(local: Path | str, url: str, *, exact: bool = False, progress: bool = False) -> Transfer:
    """Copy new or changed files of a local folder to ``url``; return what moved.

    New part files go first, then ``_index.json`` files and every other file (oldest
    first), then remote part files no index names any longer are removed, so a reader
    of the URL never meets an index naming a missing part. Afterwards each copied local
    file takes the modification time the storage gave its copy, so the next
    :func:`pull` or :func:`push` finds them unchanged.

    Parameters
    ----------
    local:
        The local folder (usually what :func:`pull` returned).
    url:
        An fsspec URL of a folder.
    exact:
        Delete every remote file the folder does not have (an exact mirror). By default
        only files inside the tables the folder holds are deleted (stale part files).
    progress:
        Show a progress bar.

    Raises
    ------
    ParameterError
        The folder is missing, the URL's backend is not installed, or the storage
        refuses the writes (permissions, credentials).
    MediaworkError
        The storage could not be reached.

    Examples
    --------
    >>> mirror = pull("s3://bucket/processed")  # doctest: +SKIP
    >>> push(mirror.path, "s3://bucket/processed").line()  # doctest: +SKIP
    'push /home/me/.cache/mediawork/processed-... -> s3://bucket/processed: 3 files copied (1.2 MB), 1 deleted, 40 unchanged'
    """
    folder = Path(local)
    if not folder.is_dir():
        raise ParameterError(f"cannot push {folder} to {url}: it is not a folder; expected the local folder to upload")
    fs, root = _filesystem(url)
    local_files = _local_files(folder)
    remote_files = _remote_files(fs, root, url)
    # A remote file where the folder now has a folder (a single-file table became a dataset) goes first.
    local_dirs = {rel.rsplit("/", i)[0] for rel in local_files for i in range(1, rel.count("/") + 1)}
    conflicts = sorted(rel for rel in remote_files if rel in local_dirs)
    for rel in conflicts:
        _remove(fs, _join(root, rel), url=url)
    stale = [rel for rel in _stale(remote_files, local_files, exact=exact) if rel not in conflicts]
    todo = [rel for rel in _order(local_files) if not _in_sync(rel, remote_files.get(rel), local_files[rel])]
    copied, n_bytes = [], 0
    made: set[str] = set()
    for rel in _bar(todo, progress, f"push {url}"):
        _upload(fs, folder / rel, _join(root, rel), url=url, made=made)
        copied.append(rel)
        n_bytes += local_files[rel].size
    for rel in stale:
        _remove(fs, _join(root, rel), url=url)
    if copied:  # the next sync compares with the copies' times
        after = _remote_files(fs, root, url)
        for rel in copied:
            stamp = after.get(rel)
            if stamp is not None and stamp.mtime_ns is not None:
                os.utime(folder / rel, ns=(stamp.mtime_ns, stamp.mtime_ns))
    return Transfer("push", url, folder, tuple(copied), tuple(conflicts + stale), len(local_files) - len(copied), n_bytes)


# --------------------------------------------------------------------------- filesystems


def _filesystem(url: str) -> tuple[Any, str]:
    """(fsspec filesystem, path of the URL's folder on it); ParameterError naming the package to install."""
    match = _SCHEME.match(url) if isinstance(url, str) else None
    if match is None:
        raise ParameterError(f"{url!r} is not a URL; expected scheme://location such as s3://bucket/processed")
    protocol = match.group(1).lower()
    try:
        from fsspec.core import url_to_fs
    except ImportError:  # pragma: no cover - fsspec is a dependency
        raise ParameterError(f"reading {url} needs the package fsspec; install it with `pip install fsspec`") from None
    try:
        fs, path = url_to_fs(url)
    except ImportError as exc:
        package = _BACKENDS.get(protocol)
        hint = f"`pip install {package}`" if package else f"the package fsspec names: {exc}"
        raise ParameterError(f"{url} needs the fsspec backend for {protocol}:// which is not installed; install {hint}") from None
    except ValueError as exc:
        if "protocol" in str(exc).lower():
            raise ParameterError(f"{url}: unknown storage protocol {protocol}://; expected one fsspec knows, e.g. s3://, gs://, az://, file://") from None
        raise ParameterError(f"{url} is not a usable storage URL ({exc}); expected e.g. s3://bucket/folder") from None
    except Exception as exc:  # noqa: BLE001 - backends raise their own kinds while connecting (credentials, config)
        raise ParameterError(f"cannot open {url} ({type(exc).__name__}: {exc}); check the URL and the backend's credentials") from None
    return fs, path.rstrip("/")


def _join(root: str, rel: str) -> str:
    return f"{root}/{rel}" if root else rel


def _guard(action: Any, url: str, what: str) -> Any:
    """Run ``action``, turning storage errors into mediawork errors naming ``url`` and what to do."""
    try:
        return action()
    except MediaworkError:
        raise
    except PermissionError as exc:
        raise ParameterError(f"permission denied at {url} while trying to {what} ({exc}); check your credentials and the bucket's permissions") from None
    except FileNotFoundError as exc:
        raise ParameterError(f"{url}: not found while trying to {what} ({exc}); check the URL, or retry if another machine was writing it") from None
    except OSError as exc:
        raise MediaworkError(f"cannot {what} at {url} ({type(exc).__name__}: {exc}); check the network and retry: only files not yet copied move again") from None
    except Exception as exc:
        if "credential" in type(exc).__name__.lower() or "auth" in type(exc).__name__.lower():
            raise ParameterError(f"{url}: no usable credentials ({type(exc).__name__}: {exc}); configure the backend's credentials") from None
        raise


def _mtime_ns(info: Mapping[str, Any]) -> int | None:
    """A file's modification time from an fsspec info dict, in ns (to the microsecond), or None."""
    for key in _MTIME_KEYS:
        value = info.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
        if isinstance(value, datetime):
            value = (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).timestamp()
        if isinstance(value, (int, float)):
            return round(float(value) * 1_000_000) * 1000
    return None


def _hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def _remote_files(fs: Any, root: str, url: str) -> dict[str, _Stat]:
    """Every file under the URL's folder (hidden ones left out): relative path -> size and time."""
    try:
        found = _guard(lambda: fs.find(root, detail=True, withdirs=False), url, "list the files")
    except ParameterError:
        if _guard(lambda: fs.exists(root), url, "list the files"):
            raise
        return {}
    local = "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))
    prefix = f"{root}/" if root else ""
    files: dict[str, _Stat] = {}
    for name, info in found.items():
        name = name.rstrip("/")
        if info.get("type", "file") != "file":
            continue
        if name == root:
            raise ParameterError(f"{url} is a file; expected a folder (give the URL of the folder that holds it)")
        rel = name[len(prefix):] if name.startswith(prefix) else posixpath.relpath(name, root)
        if not rel or _hidden(rel):
            continue
        mtime = os.stat(name).st_mtime_ns if local else _mtime_ns(info)
        files[rel] = _Stat(int(info.get("size") or 0), mtime)
    return files


def _local_files(folder: Path) -> dict[str, _Stat]:
    """Every file below ``folder`` (hidden ones left out): relative posix path -> size and time."""
    files: dict[str, _Stat] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = Path(dirpath)
        for name in filenames:
            if name.startswith("."):
                continue
            path = base / name
            st = path.stat()
            files[path.relative_to(folder).as_posix()] = _Stat(st.st_size, st.st_mtime_ns)
    return files


# --------------------------------------------------------------------------- what to copy and delete


def _in_sync(rel: str, have: _Stat | None, source: _Stat) -> bool:
    """Whether the receiving side's copy ``have`` equals ``source`` (same size and time; same name and size for part files)."""
    if have is None or have.size != source.size:
        return False
    if _PART.search(rel):
        return True
    return source.mtime_ns is not None and have.mtime_ns == source.mtime_ns


def _order(files: Mapping[str, _Stat]) -> list[str]:
    """Part files first, then every other file oldest first (``_index.json`` after its parts)."""
    return sorted(files, key=lambda rel: (0 if _PART.search(rel) else 1, files[rel].mtime_ns or 0, rel))


def _table_of(rel: str) -> str | None:
    """The ``<table>.parquet`` folder ``rel`` lies in, or None."""
    head = rel.split("/", 1)[0]
    return head if head.endswith(".parquet") and "/" in rel else None


def _stale(receiver: Mapping[str, _Stat], sender: Mapping[str, _Stat], *, exact: bool) -> list[str]:
    """Files the receiver has and the sender does not, that may be deleted (every one when ``exact``)."""
    datasets = {t for rel in sender if (t := _table_of(rel)) and rel == f"{t}/_index.json"}
    return sorted(rel for rel in receiver if rel not in sender and (exact or _table_of(rel) in datasets))


def _clear_conflicts(folder: Path, remote_files: Iterable[str]) -> None:
    """Make room locally: remove a file standing where the URL has a folder, and a folder where it has a file."""
    checked: set[str] = set()
    for rel in sorted(remote_files):
        parts = rel.split("/")
        for i in range(1, len(parts)):
            prefix = "/".join(parts[:i])
            if prefix not in checked:
                checked.add(prefix)
                if (folder / prefix).is_file():
                    (folder / prefix).unlink()
        target = folder / rel
        if target.is_dir():
            shutil.rmtree(target)


def _prune_empty(folder: Path, deleted: Iterable[str]) -> None:
    """Remove folders left empty by deletions (deepest first), never ``folder`` itself."""
    parents = {p for rel in deleted for p in (folder / rel).parents if p != folder and folder in p.parents}
    for path in sorted(parents, key=lambda p: len(p.parts), reverse=True):
        try:
            path.rmdir()
        except OSError:
            pass


def _download(fs: Any, rpath: str, target: Path, stat: _Stat, *, url: str) -> None:
    """Copy one remote file into ``target`` atomically (temporary file, then rename) with the remote's time."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        _guard(lambda: fs.get_file(rpath, tmp), url, f"download {rpath}")
        if stat.mtime_ns is not None:
            os.utime(tmp, ns=(stat.mtime_ns, stat.mtime_ns))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _upload(fs: Any, source: Path, rpath: str, *, url: str, made: set[str]) -> None:
    """Copy one local file to ``rpath``; on a file system, through a temporary name renamed into place."""
    protocols = fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)
    if "file" in protocols:
        parent = posixpath.dirname(rpath)
        if parent not in made:
            _guard(lambda: fs.makedirs(parent, exist_ok=True), url, f"create {parent}")
            made.add(parent)
        tmp = f"{parent}/.{posixpath.basename(rpath)}.{os.getpid()}.tmp"
        _guard(lambda: fs.put_file(str(source), tmp), url, f"upload {source.name}")
        _guard(lambda: os.replace(tmp, rpath), url, f"rename {tmp}")
        return
    _guard(lambda: fs.put_file(str(source), rpath), url, f"upload {source.name}")


def _remove(fs: Any, rpath: str, *, url: str) -> None:
    """Delete one remote file; one already gone is fine."""
    def action() -> None:
        try:
            fs.rm_file(rpath)
        except FileNotFoundError:
            pass

    _guard(action, url, f"remove {rpath}")


def _bar(items: list[str], progress: bool, desc: str) -> Iterable[str]:
    if not progress or not items:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit=" files", leave=False)
