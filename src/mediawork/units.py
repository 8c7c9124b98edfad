"""What readers hand to ingest: one :class:`Unit` per input unit.

An input unit is a file, an archive member (``archive.zip!member``) or a record of
a multi-record file (``export.jsonl#12``, ``export.csv#3``, ``nexis.txt#2``). Every
unit becomes exactly one row of ``manifest.parquet``; units of kind ``dump`` and
``record`` also become articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

UnitKind = Literal["dump", "record", "container", "rejected", "unchanged"]

#: The fields a ``record`` unit may carry, after raw names were mapped to ours.
RECORD_FIELDS = (
    "title",
    "text",
    "summary",
    "published",
    "source",
    "outlet",
    "url",
    "authors",
    "dateline",
    "tags",
    "language",
)


@dataclass
class Unit:
    """One input unit as a reader saw it.

    Attributes
    ----------
    source_file:
        Where the unit came from, relative to the raw folder: ``a.txt``,
        ``dump.zip!inner/b.json``, ``export.jsonl#12`` (1-based line or record number).
    sha256:
        Hex digest of the unit's own bytes (the file, the member or the record's line).
    n_bytes:
        Size of those bytes.
    kind:
        ``dump``: ``text`` holds one article as a plain-text web-page dump (the seed's
        shape), to be cleaned by :func:`mediawork.cleaning.clean_dump`.
        ``record``: ``fields`` holds one article's fields under our names
        (:data:`RECORD_FIELDS`), from JSON, CSV, a news-database export or an HTML page.
        ``container``: an archive or multi-record file; its members follow as units of
        their own, and ``note`` may say something about it (e.g. a count mismatch).
        ``rejected``: ``reason`` says why the unit cannot be used.
        ``unchanged``: the unit's sha256 was already in the manifest; it was not parsed.
    modified_ns:
        For a top-level file, its modification time (``st_mtime_ns``) when it was read;
        ``None`` for archive members and records.
    """

    source_file: str
    sha256: str
    n_bytes: int
    kind: UnitKind
    text: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    note: str | None = None
    modified_ns: int | None = None
