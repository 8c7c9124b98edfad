"""One run at a time per data folder: a lock that a crashed run cannot leave behind.

:func:`run_lock` takes an exclusive ``fcntl.flock`` on ``<data_dir>/.mediawork.lock``
without waiting. A second ``mediawork run`` (or ``ingest``) on the same folder, from
cron or a terminal, stops at once with a :class:`~mediawork.errors.LockError` that
names the holder's pid and start time. The operating system drops the lock when the
holding process ends, however it ends, so there is never a stale lock to delete by
hand; the file itself stays (removing it would let two runs lock two different files).

Example
-------
>>> with run_lock(Path("data/processed")):  # doctest: +SKIP
...     ingest(raw_dir=Path("data/raw"), out_dir=Path("data/processed"))
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from .errors import LockError

__all__ = ["LOCK_FILE", "lock_holder", "run_lock"]

#: The lock file, in the data folder.
LOCK_FILE = ".mediawork.lock"

# A process may nest run_lock on one folder (`mediawork run` holds it while ingest takes
# it again): flock locks belong to an open file, so a second open in the same process
# would conflict with the first. Nested uses share the first one's file instead.
_HELD: dict[str, list[Any]] = {}  # lock path -> [open file, users]
_HELD_LOCK = threading.Lock()


def lock_holder(data_dir: Path | str) -> dict[str, Any] | None:
    """What the lock file of ``data_dir`` says about its last holder, or None without one.

    Returns
    -------
    dict or None
        ``pid`` (int) and ``started`` (ISO time, UTC) as the holder wrote them, plus
        ``command`` when it gave one. The file outlives its holder: whether the lock is
        held now is only known by trying :func:`run_lock`.

    Example
    -------
    >>> lock_holder(Path("/nonexistent")) is None
    True
    """
    try:
        text = (Path(data_dir) / LOCK_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        facts = json.loads(text)
    except ValueError:
        return None
    return facts if isinstance(facts, dict) else None


@contextmanager
def run_lock(data_dir: Path | str, *, command: str = "mediawork run") -> Iterator[Path]:
    """Hold the lock on ``data_dir`` while inside; raise at once if another process holds it.

    Parameters
    ----------
    data_dir:
        The processed-data folder (created when missing). The lock file is
        ``data_dir/.mediawork.lock``; it records this process's pid, start time and
        ``command``.
    command:
        What this process is doing, written into the lock file for the message a
        second run gets.

    Yields
    ------
    pathlib.Path
        The lock file.

    Raises
    ------
    LockError
        When another process holds the lock (the message names its pid and start
        time), or the lock file cannot be created.

    Example
    -------
    >>> with run_lock(Path("data/processed")):  # doctest: +SKIP
    ...     pass  # ingest, analyze, report
    """
    folder = Path(data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LockError(f"cannot create the data folder {folder} to lock it ({exc.strerror or exc}); check the path and its permissions") from None
    path = folder / LOCK_FILE
    key = str(path.resolve())
    with _HELD_LOCK:
        entry = _HELD.get(key)
        if entry is None:
            entry = _HELD[key] = [_acquire(path, folder, command), 0]
        entry[1] += 1
    try:
        yield path
    finally:
        with _HELD_LOCK:
            entry[1] -= 1
            if entry[1] == 0:
                del _HELD[key]
                _release(entry[0])


def _acquire(path: Path, folder: Path, command: str) -> IO[str]:
    try:
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while the lock is held
    except OSError as exc:
        raise LockError(f"cannot open the lock file {path} ({exc.strerror or exc}); make the data folder {folder} writable") from None
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise LockError(_busy_message(folder)) from None
    except OSError as exc:
        handle.close()
        raise LockError(f"cannot lock {path} ({exc.strerror or exc}); expected a local folder that supports file locks") from None
    facts = {"pid": os.getpid(), "started": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "command": command}
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(facts) + "\n")
    handle.flush()
    return handle


def _release(handle: IO[str]) -> None:
    try:
        handle.seek(0)
        handle.truncate()  # the holder's facts go with the lock
        handle.flush()
    except OSError:
        pass
    finally:
        handle.close()  # closing the file drops the flock


def _busy_message(folder: Path) -> str:
    holder = lock_holder(folder) or {}
    pid = holder.get("pid", "unknown")
    started = holder.get("started", "at an unknown time")
    doing = f" for `{holder['command']}`" if holder.get("command") else ""
    return (
        f"another mediawork run (pid {pid}, started {started}) is using {folder}{doing}; "
        f"wait for it to finish and try again, or stop it (kill {pid}) if it is stuck. "
        "The lock is released by itself when that process ends; there is no file to delete"
    )
