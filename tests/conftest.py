"""Shared test helpers: where the repository and ../shared are."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """The ../shared folder with real development data; skips the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared not found at {SHARED}: real-data checks need the shared development folder beside the repository")
    return SHARED


def table_bytes(path: Path) -> bytes:
    """What identifies a stored table's bytes: a single file's bytes, or a dataset's index.

    A partitioned table's ``_index.json`` names every part file by the SHA-256 of its
    bytes, so equal indexes mean byte-identical datasets.
    """
    return (path / "_index.json").read_bytes() if path.is_dir() else path.read_bytes()


def copy_table(src: Path, dst: Path) -> None:
    """Copy a stored table (a file or a dataset folder) to ``dst``."""
    import shutil

    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        shutil.copy(src, dst)
