"""Raw files → :class:`~mediawork.units.Unit`: formats, encodings, mojibake, archives with limits.

:func:`iter_units` walks files and folders and yields one unit per input unit, in a
deterministic order: top-level files sorted by ``source_file``; within a file, its
container unit first, then its members (archive members sorted by name) or records
(in file order). Every file below the given paths is accounted for by at least one
unit, except these, which are skipped silently: hidden files and folders (a name
starting with ``.``, e.g. ``.gitkeep``, ``.ipynb_checkpoints``), ``README.md`` and
``README.txt`` directly in the raw folder (``root``), and inside archives, hidden
members and macOS ``__MACOSX/`` folders.

Formats are chosen by extension, then the content is sniffed:

- ``.txt``: a LexisNexis, Nexis Uni or Factiva export (see :mod:`mediawork.exports`)
  becomes a container plus one record per article (``nexis.txt#1``); an HTML page saved
  as ``.txt`` is read as HTML; anything else is one plain-text web dump (kind ``dump``).
- ``.json``: an array of records (``file.json#N``), an object holding such a list under a
  key such as ``articles``, or a single record (the file itself). A ``.json`` file that
  is really JSON Lines is read as such. A truncated array keeps its complete records
  before the damage (each a unit) and the file itself is rejected with the position.
- ``.jsonl``/``.ndjson``: one record per line (``file.jsonl#LINE``); bad lines are
  rejected one by one.
- ``.csv``/``.tsv``: one record per data row (``file.csv#ROW``), delimiter sniffed.
- ``.html``/``.htm``: main text and metadata through trafilatura.
- ``.gz``: decompressed with a cap and read as its inner name (``x.jsonl.gz#3``).
- ``.zip``: a container plus each member (``archive.zip!dir/a.txt``), one nested archive
  level at most, members and totals capped while streaming.
- Files without an extension are sniffed (JSON, HTML, else text); other extensions
  are rejected.

Each unit's ``sha256``/``n_bytes`` are those of its own bytes: the file, the archive
member (as stored after zip decompression), for a JSON Lines record its line, for a
news-database export its document's text (both encoded as UTF-8), and for a JSON array
item or a CSV row the canonical JSON of the raw record (keys sorted, UTF-8).
A container's ``note`` is set only when something is worth recording in the manifest's
``reason`` column (an export whose document count differs from the one it announces).
Anything that cannot be used becomes a ``rejected`` unit with a specific reason; no
exception other than a programming error escapes :func:`iter_units`.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

import ftfy
from charset_normalizer import from_bytes
from ftfy.badness import BADNESS_RE
from ftfy.chardata import CONTROL_CHARS

from . import exports
from .errors import InputError
from .units import RECORD_FIELDS, Unit

#: Raw field names → ours. Raw names are compared case- and separator-insensitively
#: (``publishDate`` = ``publish_date`` = ``Publish Date``); the first alias present wins.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "hed"),
    "text": ("text", "body", "content", "article", "article_text", "full_text", "story"),
    "summary": ("summary", "description", "dek", "standfirst", "abstract", "subtitle"),
    "published": (
        "date", "published", "publish_date", "published_at", "pubdate", "datetime", "date_published", "timestamp",
    ),
    "source": ("source", "site", "domain", "publisher", "source_name", "media"),
    "outlet": ("outlet", "original_source", "syndicated_from", "agency"),
    "url": ("url", "link", "href", "permalink"),
    "authors": ("author", "authors", "byline", "creator"),
    "tags": ("tags", "keywords", "topics", "subjects", "categories"),
    "language": ("language", "lang"),
    "dateline": ("dateline",),
}

#: Largest size one archive member or decompressed ``.gz`` may expand to.
MAX_MEMBER_BYTES = 200 * 1024 * 1024
#: Largest size all members of one archive (nested ones included) may expand to together.
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024

SUPPORTED_EXTENSIONS = (".csv", ".gz", ".htm", ".html", ".json", ".jsonl", ".ndjson", ".tsv", ".txt", ".zip")
_LIST_KEYS = ("articles", "items", "data", "results", "records", "docs", "documents", "stories", "entries", "hits", "response")
_SKIPPED_README = ("readme.md", "readme.txt")
_FIXER = ftfy.TextFixerConfig(
    unescape_html=False, uncurl_quotes=False, fix_line_breaks=False, fix_character_width=False, fix_latin_ligatures=False,
    explain=False,
)
#: Characters some step of ``_FIXER`` acts on whatever their context: the control characters
#: ftfy removes, C1 controls (``fix_c1_controls``, mojibake) and lone surrogates.
_FTFY_CHARS = re.compile("[" + "".join(f"\\u{c:04x}" for c in sorted(CONTROL_CHARS)) + "\\x80-\\x9f\\ud800-\\udfff]")
#: Typography of ordinary clean text (dashes, curly quotes, ellipsis, bullets, no-break space,
#: copyright sign), avoided when choosing the characters that announce possible mojibake.
_CLEAN_TYPOGRAPHY = frozenset("\u2014\u2013\u2019\u2018\u201c\u201d\u2026\u2022\u00b7\u00a0\u00a9")


def _badness_trigger(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A character class such that every match of ``pattern`` contains one of its characters.

    ``pattern`` (ftfy's badness test) is an alternation of short sequences of character
    sets; from each alternative, the required set with the fewest ASCII and
    :data:`_CLEAN_TYPOGRAPHY` characters is taken. Text without any of these characters
    cannot match, which one scan for a character class tells much faster than the
    alternation itself. None when the pattern has another shape (then it is searched).
    """
    from re import _constants as sre, _parser  # the standard parser of ``re`` (stable within a Python release)

    def chars(op, av) -> set[str] | None:
        if op is sre.LITERAL:
            return {chr(av)}
        if op is not sre.IN:
            return None  # anchors, repeats, wildcards: not a required, finite set
        found: set[str] = set()
        for kind, value in av:
            if kind is sre.LITERAL:
                found.add(chr(value))
            elif kind is sre.RANGE:
                found.update(chr(c) for c in range(value[0], value[1] + 1))
            else:
                return None  # categories (``\\w``) or negated sets
        return found

    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        (op, (_, alternatives)), = parsed.data
    except (ValueError, TypeError, AttributeError, re.error):
        return None
    if op is not sre.BRANCH:
        return None
    required: set[str] = set()
    for alternative in alternatives:
        options = [c for c in (chars(o, a) for o, a in alternative.data) if c]
        if not options:
            return None
        required |= min(options, key=lambda s: (sum(c.isascii() or c in _CLEAN_TYPOGRAPHY for c in s), len(s)))
    if any(c.isascii() for c in required):
        return None
    return re.compile("[" + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in sorted(required)) + "]")


_BADNESS_TRIGGER = _badness_trigger(BADNESS_RE)


def _badness_width(pattern: re.Pattern[str]) -> int | None:
    """The most characters a match of ``pattern`` spans, when a search can be confined to windows.

    That is when the pattern is made of characters, character sets, bounded repeats,
    alternatives and ``^`` only (no lookaround, ``$`` or ``\\b``), so that whether it
    matches at a position depends on the next ``width`` characters alone (and on being
    the text's start, for ``^``). None otherwise (then texts are searched whole).
    """
    from re import _constants as sre, _parser

    allowed = {sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY, sre.BRANCH, sre.MAX_REPEAT, sre.MIN_REPEAT, sre.SUBPATTERN}

    def simple(data) -> bool:
        for op, av in data:
            if op is sre.AT:
                if av is not sre.AT_BEGINNING:
                    return False
            elif op not in allowed:
                return False
            elif op is sre.BRANCH and not all(simple(alt.data) for alt in av[1]):
                return False
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and not simple(av[2].data):
                return False
            elif op is sre.SUBPATTERN and not simple(av[3].data):
                return False
        return True

    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        width = parsed.getwidth()[1]
        ok = simple(parsed.data)
    except (ValueError, TypeError, AttributeError, IndexError, re.error):
        return None
    return width if ok and width < sre.MAXREPEAT else None


_BADNESS_WIDTH = _badness_width(BADNESS_RE) if _BADNESS_TRIGGER is not None else None
_CHUNK = 1024 * 1024
#: Fewer words than this extracted from a page means navigation scraps, not an article.
_MIN_HTML_WORDS = 8


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


_ALIAS_KEYS = {field: tuple(_key(a) for a in aliases) for field, aliases in FIELD_ALIASES.items()}
_TEXT_ALIASES = ", ".join(FIELD_ALIASES["text"])


# --- public API ------------------------------------------------------------------------------


def iter_units(
    paths: Sequence[Path],
    *,
    root: Path,
    known: Mapping[str, str] | None = None,
    stats: Mapping[str, tuple[int, int]] | None = None,
    max_member_bytes: int = MAX_MEMBER_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> Iterator[Unit]:
    """Yield one :class:`Unit` per input unit found in ``paths``.

    Parameters
    ----------
    paths:
        Files or folders (folders are recursed). Hidden files, ``README.md``/``README.txt``
        directly in ``root`` and hidden archive members are skipped silently.
    root:
        The raw folder; ``source_file`` is the path relative to it with ``/`` separators
        (a path outside it is named by its file name).
    known:
        ``source_file`` → sha256 from the previous manifest: a top-level file whose
        sha256 matches yields a single ``Unit(kind="unchanged")`` and is not parsed.
    stats:
        ``source_file`` → (size, ``st_mtime_ns``) of known files when they were read: a
        regular file (not a link) in ``known`` whose size and modification time both
        match is taken as unchanged without being read or hashed (as ``make`` and
        ``rsync`` do). Leave it out to hash every file.
    max_member_bytes:
        Largest size an archive member or a ``.gz`` file may expand to.
    max_total_bytes:
        Largest size the members of one archive may expand to together.

    Yields
    ------
    Unit
        Top-level files in ``source_file`` order; within a file, its container first.

    Examples
    --------
    >>> import tempfile
    >>> raw = Path(tempfile.mkdtemp())
    >>> _ = (raw / "a.jsonl").write_text('{"title": "Talks", "body": "Envoys met."}\\n')
    >>> [(u.source_file, u.kind) for u in iter_units([raw], root=raw)]
    [('a.jsonl', 'container'), ('a.jsonl#1', 'record')]
    """
    for name, path in input_files(paths, root=root):
        yield from read_input(name, path, root=root, known=known, stats=stats, max_member_bytes=max_member_bytes, max_total_bytes=max_total_bytes)


def input_files(paths: Sequence[Path], *, root: Path, strings: bool = False) -> list[tuple[str, Path]] | list[tuple[str, str]]:
    """The top-level files :func:`iter_units` reads, as (``source_file``, path), in its order.

    With :func:`read_input`, this lets callers read files in parallel:
    ``[u for name, path in input_files(paths, root=root) for u in read_input(name, path, root=root)]``
    equals ``list(iter_units(paths, root=root))``. With ``strings=True`` each path is
    the ``str`` of that Path: :func:`read_input` takes either, and building 100,000 Path
    objects (and pickling them to reading workers) costs about a second.

    Examples
    --------
    >>> import tempfile
    >>> raw = Path(tempfile.mkdtemp())
    >>> _ = (raw / "b.txt").write_text("x")
    >>> _ = (raw / ".hidden").write_text("x")
    >>> [name for name, _ in input_files([raw], root=raw)]
    ['b.txt']
    """
    found = _collect(paths, Path(root))
    return found if strings else [(name, Path(path)) for name, path in found]


def read_input(
    name: str,
    path: Path | str,
    *,
    root: Path,
    known: Mapping[str, str] | None = None,
    stats: Mapping[str, tuple[int, int]] | None = None,
    max_member_bytes: int = MAX_MEMBER_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> list[Unit]:
    """The units of one top-level file listed by :func:`input_files` (options as in :func:`iter_units`).

    Never raises for a bad file: its problem is a ``rejected`` unit.

    Examples
    --------
    >>> import tempfile
    >>> raw = Path(tempfile.mkdtemp())
    >>> _ = (raw / "a.txt").write_text("example.com\\n\\nTalks resume\\n\\nEnvoys met in Riyadh on Monday.")
    >>> [u.kind for u in read_input("a.txt", raw / "a.txt", root=raw)]
    ['dump']
    """
    limits = _Limits(max_member_bytes, max_total_bytes)
    return _file_units(name, Path(path), root=Path(root), known=known or {}, stats=stats or {}, limits=limits)


def decode_bytes(data: bytes) -> str:
    """Decode text of unknown encoding, repair mojibake, normalise to NFC and ``\\n`` line ends.

    Tries, in order: a BOM (UTF-8, UTF-16 LE/BE, UTF-32), UTF-16 without BOM (NUL-byte
    pattern), UTF-8, cp1252 (which covers latin-1 text), then charset-normalizer (also
    asked when cp1252 gives mostly accented letters, as Cyrillic code pages do).
    ftfy then repairs mojibake (``Zelenskyyâ€™s`` → ``Zelenskyy’s``) without touching
    quotes, HTML entities or line separators.

    Parameters
    ----------
    data:
        The raw bytes.

    Returns
    -------
    str
        The text; ``""`` for no bytes.

    Raises
    ------
    InputError
        ``binary file: ...`` for data with NUL bytes that is not UTF-16 text, or a
        specific message when no encoding fits.

    Examples
    --------
    >>> decode_bytes("Zelenskyy’s".encode("utf-8").decode("cp1252").encode("utf-8"))
    'Zelenskyy’s'
    >>> decode_bytes("caf\\u00e9\\r\\n".encode("utf-16"))
    'café\\n'
    """
    text, utf8_rare = _decoded(data)
    rare = _rare_chars(text) if utf8_rare is None else utf8_rare.decode("utf-8")
    return _normalized(text, rare)


def map_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """Map a raw record's field names to ours (:data:`mediawork.units.RECORD_FIELDS`).

    Names are matched case- and separator-insensitively against :data:`FIELD_ALIASES`;
    when several aliases are present, the first in the table with a non-empty value
    wins; unknown fields are dropped. Values pass through, except that a nested source
    object (``{"source": {"name": ...}}``) gives its name, author objects give their
    names, a list of text paragraphs is joined with blank lines, and a tag string
    (``"Ukraine; Russia"``) is split into a list.

    Parameters
    ----------
    record:
        One raw record (a JSON object, a CSV row).

    Returns
    -------
    dict
        Our field names to values; fields without a value are absent.

    Examples
    --------
    >>> map_fields({"Headline": "Talks", "publishDate": "2025-03-18", "body": "Envoys met.", "site": {"name": "Daily"}})
    {'title': 'Talks', 'text': 'Envoys met.', 'published': '2025-03-18', 'source': 'Daily'}
    """
    by_key: dict[str, Any] = {}
    for raw_name, value in record.items():
        by_key.setdefault(_key(raw_name), value)
    out: dict[str, Any] = {}
    for field, aliases in _ALIAS_KEYS.items():
        for alias in aliases:
            value = _field_value(field, by_key.get(alias))
            if value not in (None, "", [], {}):
                out[field] = value
                break
    return out


# --- walking the paths -----------------------------------------------------------------------


@dataclass
class _Limits:
    member: int
    total: int


class _Budget:
    """Bytes an archive's members may still expand to, shared with nested archives."""

    def __init__(self, total: int) -> None:
        self.left = total


def _collect(paths: Sequence[Path], root: Path) -> list[tuple[str, str]]:
    """Every file below ``paths`` as (source_file, path as str), sorted, hidden files and root READMEs left out.

    Files outside ``root`` are named from the folder given (``given/sub/x.txt`` for a
    file below the folder ``given``) or, when given as a file, by the file name; two
    different files that would get the same name are named by their absolute paths
    instead, so no input hides another.
    """
    found: set[tuple[str, str]] = set()  # (source_file, path)
    base = os.path.join(os.path.abspath(root), "")
    for path in paths:
        path = Path(path)
        if _skipped(path.name, at_root=os.path.abspath(path.parent) == os.path.abspath(root)):
            continue
        if path.is_dir() and (not path.is_symlink() or _inside(path, root)):
            for file, full in _walk(path, root):
                # the usual case (a file below root) is named by slicing its absolute path
                name = full[len(base):] if full.startswith(base) else _source_name(Path(file), root, folder=path)
                found.add((name.replace(os.sep, "/"), file))
        else:
            found.add((_source_name(path, root), str(path)))
    spellings: dict[str, set[str]] = {}
    for name, key in found:
        spellings.setdefault(name, set()).add(key)
    # a name spelled two ways is one file reached twice, or two files: the absolute paths tell
    clashing = {name for name, keys in spellings.items() if len(keys) > 1 and len({os.path.abspath(k) for k in keys}) > 1}
    if clashing:
        found = {((Path(os.path.abspath(key)).as_posix() if name in clashing else name), key) for name, key in found}
    return sorted(found)  # sorted tuples of str: no Path comparisons


def _walk(folder: Path, root: Path) -> list[tuple[str, str]]:
    """Files below ``folder`` as (path, absolute path) strings; links to folders inside ``root``
    are followed once, others kept as files.

    Paths are spelled as ``str(folder / name / ...)`` would spell them; the absolute path
    is ``os.path.abspath`` of it, built by appending names to the folder's absolute path
    (names from a listing hold no separator, ``.`` or ``..``, so that is what abspath gives)
    instead of calling abspath and building a ``Path`` per file, which cost about a
    second for 100,000 files.
    """
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    start = str(folder)
    stack = [(start, os.path.abspath(start))]
    root_abs = os.path.abspath(root)
    while stack:
        current, current_abs = stack.pop()
        real = os.path.realpath(current)
        if real in seen:
            continue
        seen.add(real)
        try:
            with os.scandir(current) as listing:  # cached file types: no stat per entry
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            out.append((current, current_abs))  # reported as unreadable by _file_units
            continue
        at_root = current_abs == root_abs
        prefix = "" if current == "." else os.path.join(current, "")  # str(Path(".") / "a") is "a"
        prefix_abs = os.path.join(current_abs, "")
        for entry in entries:
            if _skipped(entry.name, at_root=at_root):
                continue
            path, full = prefix + entry.name, prefix_abs + entry.name
            if entry.is_dir() and (not entry.is_symlink() or _inside(Path(path), root)):
                stack.append((path, full))
            else:
                out.append((path, full))
    return out


def _skipped(name: str, *, at_root: bool) -> bool:
    """Whether a file or folder named ``name`` is left out: hidden (``.gitkeep``), or a README directly in the raw folder."""
    return (name.startswith(".") and name not in (".", "..")) or (at_root and name.lower() in _SKIPPED_README)


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (with links resolved) lies in ``root`` (with links resolved)."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def _placed_inside(path: Path, root: Path) -> bool:
    """Whether ``path`` as written (links not resolved) lies in ``root``."""
    return Path(os.path.abspath(path)).is_relative_to(os.path.abspath(root))


def _source_name(path: Path, root: Path, *, folder: Path | None = None) -> str:
    """``path`` relative to ``root``; outside it, relative to the parent of ``folder`` (the folder
    given that holds it), or the file name."""
    full, base = os.path.abspath(path), os.path.join(os.path.abspath(root), "")
    if full.startswith(base):  # the usual case, without building Path objects
        return full[len(base):].replace(os.sep, "/")
    try:
        return Path(full).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        pass
    if folder is not None:
        try:
            return Path(full).relative_to(os.path.abspath(Path(folder).parent)).as_posix()
        except ValueError:  # reached through a link out of the folder
            pass
    return path.name


# --- one top-level file ------------------------------------------------------------------------


def unchanged_unit(name: str, path: Path | str, *, known: Mapping[str, str], stats: Mapping[str, tuple[int, int]]) -> Unit | None:
    """The ``unchanged`` unit :func:`read_input` gives, without reading, for a file whose size and time match.

    ``known`` and ``stats`` are as in :func:`iter_units`. None when the file must be
    read (no stats for it, a different size or time, a link or no regular file): then
    :func:`read_input` decides. Asking this first for every file lets a caller send only
    the others to reading workers.

    Examples
    --------
    >>> import os, tempfile
    >>> raw = Path(tempfile.mkdtemp())
    >>> _ = (raw / "a.txt").write_text("x")
    >>> st = os.stat(raw / "a.txt")
    >>> unchanged_unit("a.txt", raw / "a.txt", known={"a.txt": "ab12"}, stats={"a.txt": (st.st_size, st.st_mtime_ns)}).kind
    'unchanged'
    >>> unchanged_unit("a.txt", raw / "a.txt", known={}, stats={}) is None
    True
    """
    if name not in known or name not in stats:
        return None
    return _unchanged(name, known, stats, _plain_stat(path))


def _unchanged(name: str, known: Mapping[str, str], stats: Mapping[str, tuple[int, int]], seen: tuple[int, int] | None) -> Unit | None:
    """The ``unchanged`` unit of a file whose (size, time) ``seen`` matches its stats, else None."""
    if seen is not None and name in known and stats.get(name) == seen:
        return Unit(source_file=name, sha256=known[name], n_bytes=seen[0], kind="unchanged", modified_ns=seen[1])
    return None


def _file_units(name: str, path: Path, *, root: Path, known: Mapping[str, str], stats: Mapping[str, tuple[int, int]], limits: _Limits) -> list[Unit]:
    seen = _plain_stat(path)  # taken before reading: a file changed meanwhile is read again next time
    modified = seen[1] if seen is not None else None
    same = _unchanged(name, known, stats, seen)
    if same is not None:
        return [same]
    try:
        data = _read_file(path, root)
    except InputError as exc:
        return [_rejected(name, b"", str(exc))]
    sha = _sha(data)
    if name in known and known[name] == sha:
        return [Unit(source_file=name, sha256=sha, n_bytes=len(data), kind="unchanged", modified_ns=modified)]
    units = _units_from_bytes(name, path.name, data, depth=0, limits=limits, budget=None)
    return [replace(u, modified_ns=modified) if u.source_file == name else u for u in units]


def _plain_stat(path: Path | str) -> tuple[int, int] | None:
    """(size, ``st_mtime_ns``) of a regular file that is not a link, else None (such files are always read)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns) if stat.S_ISREG(st.st_mode) else None


def _read_file(path: Path, root: Path) -> bytes:
    """The bytes of a regular file, or InputError saying why they cannot be read."""
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if _placed_inside(path, root) and not _inside(target, root):
            raise InputError(f"link points outside the raw folder: {os.readlink(path)}; copy the file into the raw folder instead")
        if not target.exists():
            raise InputError(f"broken link: its target {os.readlink(path)} does not exist")
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"file not found: {path}; check the path") from None
    except PermissionError:
        raise InputError("cannot read file: permission denied; make it readable (chmod +r) and run again") from None
    if stat.S_ISDIR(mode):
        raise InputError("cannot list folder: permission denied; make it readable (chmod +rx) and run again")
    if not stat.S_ISREG(mode):
        raise InputError("not a regular file (a device, socket or pipe); only files are read")
    try:
        return path.read_bytes()
    except PermissionError:
        raise InputError("cannot read file: permission denied; make it readable (chmod +r) and run again") from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None


def _units_from_bytes(
    name: str, file_name: str, data: bytes, *, depth: int, limits: _Limits, budget: _Budget | None
) -> list[Unit]:
    """Units for one file or archive member named ``name``; ``file_name`` carries its extension."""
    try:
        if not data:
            raise InputError("empty file (0 bytes)")
        suffix = _suffix(file_name)
        if suffix == ".gz":
            if budget is None or budget.left >= limits.member:
                inner = _gunzip(data, cap=limits.member, too_big=f"expands beyond {limits.member} bytes")
            else:
                inner = _gunzip(data, cap=budget.left, too_big=f"archive members together expand beyond {limits.total} bytes")
            if budget is not None:
                budget.left -= len(inner)
            inner_name = file_name[: -len(".gz")]
            if _suffix(inner_name) in (".zip", ".gz"):
                raise InputError(f"a compressed archive ({inner_name}) inside .gz is not supported; unpack it first")
            units = _units_from_bytes(name, inner_name, inner, depth=depth, limits=limits, budget=budget)
            return [_with_hash(u, data) if u.source_file == name else u for u in units]
        if suffix == ".zip":
            return _zip_units(name, data, depth=depth, limits=limits, budget=budget)
        return _parse_text_file(name, suffix, data)
    except InputError as exc:
        return [_rejected(name, data, str(exc))]


def _suffix(file_name: str) -> str:
    return PurePosixPath(file_name).suffix.lower()


def _parse_text_file(name: str, suffix: str, data: bytes) -> list[Unit]:
    if suffix not in SUPPORTED_EXTENSIONS and suffix != "":
        raise InputError(
            f"unsupported file type '{suffix}'; supported: {', '.join(SUPPORTED_EXTENSIONS)}"
            " (save the article's text as .txt, or export records as JSON or CSV)"
        )
    text = decode_bytes(data)
    if not text.strip():
        raise InputError("file holds only whitespace; expected article text")
    head = text.lstrip()[:200].lower()
    if suffix == "":
        suffix = ".json" if head[:1] in ("{", "[") else ".html" if head.startswith(("<!doctype html", "<html")) else ".txt"
    if suffix in (".json",):
        return _json_units(name, data, text)
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl_units(name, data, text)
    if suffix in (".csv", ".tsv"):
        return _csv_units(name, data, text, tab=suffix == ".tsv")
    if suffix in (".html", ".htm") or head.startswith(("<!doctype html", "<html")):
        return [_html_unit(name, data, text)]
    return _txt_units(name, data, text)


# --- compressed data ---------------------------------------------------------------------------


def _gunzip(data: bytes, *, cap: int, too_big: str) -> bytes:
    """Decompress gzip data, streaming; InputError(``too_big``) as soon as it expands beyond ``cap`` bytes."""
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while chunk := stream.read(min(_CHUNK, cap + 1 - len(out))):
                out += chunk
                if len(out) > cap:
                    raise InputError(f"{too_big}; a compressed file this large is refused (split it into smaller files)")
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"corrupt gzip data: {exc}; re-create the .gz file") from None
    return bytes(out)


def _zip_units(name: str, data: bytes, *, depth: int, limits: _Limits, budget: _Budget | None) -> list[Unit]:
    if depth >= 2:
        raise InputError("archive nested more than one level deep; unpack the outer archive first")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"corrupt zip archive: {exc}; re-create or re-download it") from None
    budget = budget or _Budget(limits.total)
    members = []
    for index, info in enumerate(infos):
        member = _member_name(info.filename)
        if info.is_dir() or (member is not None and _skipped_member(member)):
            continue
        members.append((member if member is not None else info.filename, index, member, info))
    members.sort(key=lambda m: (m[0], m[1]))
    container = Unit(source_file=name, sha256=_sha(data), n_bytes=len(data), kind="container")
    units = [container]
    for shown, _, member, info in members:
        child = f"{name}!{shown}"
        try:
            raw = _read_member(archive, info, member, limits=limits, budget=budget)
        except InputError as exc:
            units.append(_rejected(child, b"", str(exc)))
            continue
        units.extend(_units_from_bytes(child, shown, raw, depth=depth + 1, limits=limits, budget=budget))
    return units


def _member_name(raw: str) -> str | None:
    """The member's path with ``/`` separators, or None when it is absolute or leaves the folder."""
    path = raw.replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path) or ".." in path.split("/"):
        return None
    return "/".join(p for p in path.split("/") if p not in ("", "."))


def _skipped_member(member: str) -> bool:
    parts = member.split("/")
    return parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, member: str | None, *, limits: _Limits, budget: _Budget) -> bytes:
    """A member's bytes, read as a stream and stopped at the member and total caps."""
    if member is None:
        raise InputError(f"path leaves the archive folder: {info.filename}; members must be relative paths inside the archive")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise InputError("archive member is a symbolic link; links inside archives are not followed")
    if info.flag_bits & 0x1:
        raise InputError("archive member is encrypted; decrypt the archive first")
    cap = min(limits.member, budget.left)
    which = "expands beyond" if cap == limits.member else "archive members together expand beyond"
    limit = limits.member if cap == limits.member else limits.total
    if info.file_size > cap:
        raise InputError(f"{which} {limit} bytes (declared size {info.file_size}); split the archive")
    out = bytearray()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(min(_CHUNK, cap + 1 - len(out))):
                out += chunk
                if len(out) > cap:
                    raise InputError(f"{which} {limit} bytes; split the archive")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error, NotImplementedError, RuntimeError) as exc:
        raise InputError(f"corrupt archive member: {exc}; re-create the archive") from None
    budget.left -= len(out)
    return bytes(out)


# --- text: dumps and exports ---------------------------------------------------------------------


def _txt_units(name: str, data: bytes, text: str) -> list[Unit]:
    kind = exports.detect_export(text)
    if kind is None:
        return [Unit(source_file=name, sha256=_sha(data), n_bytes=len(data), kind="dump", text=text)]
    export = exports.parse_export(text, kind=kind)
    label = {"lexis": "LexisNexis", "nexis_uni": "Nexis Uni", "factiva": "Factiva"}[kind]
    container = Unit(source_file=name, sha256=_sha(data), n_bytes=len(data), kind="container")
    found = len(export.documents)
    if export.announced is not None and export.announced != found:
        container.note = f"export announces {export.announced} documents, found {found}"
    units = [container]
    for i, doc in enumerate(export.documents, start=1):
        raw = doc.raw.encode("utf-8")
        child = f"{name}#{i}"
        if not doc.fields.get("text"):
            units.append(_rejected(child, raw, f"document {i} of the {label} export has no body text"))
        else:
            units.append(Unit(source_file=child, sha256=_sha(raw), n_bytes=len(raw), kind="record", fields=doc.fields))
    return units


# --- JSON ------------------------------------------------------------------------------------------


def _json_units(name: str, data: bytes, text: str) -> list[Unit]:
    try:
        value = json.loads(text)
    except RecursionError:
        raise InputError("JSON nested too deeply to read") from None
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and _looks_like_jsonl(text):
            return _jsonl_units(name, data, text)
        return _broken_json_units(name, data, text, exc)
    if isinstance(value, dict):
        records = _record_list(value)
        if records is None:
            empty = [k for k, v in value.items() if _key(k) in _LIST_KEYS and v == []]
            if empty:
                raise InputError(f"JSON object's '{empty[0]}' list is empty; expected records in it")
            if not any(k in _ALIAS_KEYS["text"] for k in map(_key, value)):
                raise InputError(
                    "JSON object holds no article: no text field "
                    f"({_TEXT_ALIASES}) and no list of records under {', '.join(_LIST_KEYS)}"
                )
            return [_record_unit(name, data, value)]
        value = records
    if not isinstance(value, list):
        raise InputError(f"JSON file holds {_json_type(value)}; expected an object or an array of objects")
    if not value:
        raise InputError("JSON array holds no records")
    units = [Unit(source_file=name, sha256=_sha(data), n_bytes=len(data), kind="container")]
    units += [_item_unit(f"{name}#{i}", item) for i, item in enumerate(value, start=1)]
    return units


def _record_list(obj: Mapping[str, Any], depth: int = 0) -> list[Any] | None:
    """The list of records an object holds under a key such as ``articles`` (one level of nesting allowed)."""
    keys = {_key(k): v for k, v in obj.items()}
    for key in _LIST_KEYS:
        value = keys.get(key)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            return value
        if isinstance(value, dict) and depth == 0:
            inner = _record_list(value, depth + 1)
            if inner is not None:
                return inner
    return None


def _broken_json_units(name: str, data: bytes, text: str, exc: json.JSONDecodeError) -> list[Unit]:
    """A rejected file unit naming the damage; a damaged array keeps its complete records before it."""
    where = f"line {exc.lineno} column {exc.colno} (character {exc.pos})"
    salvaged = _salvage_array(text)
    if not salvaged:
        raise InputError(f"invalid JSON at {where}: {exc.msg}; the file may be truncated, re-export it")
    reason = (
        f"invalid JSON at {where}: {exc.msg}; the file may be truncated, "
        f"kept the {len(salvaged)} complete records before the damage (re-export it to get the rest)"
    )
    units = [_rejected(name, data, reason)]
    units += [_item_unit(f"{name}#{i}", item) for i, item in enumerate(salvaged, start=1)]
    return units


def _salvage_array(text: str) -> list[Any]:
    """The complete items at the start of a damaged top-level JSON array."""
    stripped = text.lstrip()
    if not stripped.startswith("["):
        return []
    decoder = json.JSONDecoder()
    pos = len(text) - len(stripped) + 1
    items: list[Any] = []
    while True:
        while pos < len(text) and text[pos] in " \t\n,":
            pos += 1
        try:
            item, pos = decoder.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError):
            return items
        items.append(item)


def _looks_like_jsonl(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return False
    try:
        return all(isinstance(json.loads(line), dict) for line in lines[:5])
    except json.JSONDecodeError:
        return False


def _jsonl_units(name: str, data: bytes, text: str) -> list[Unit]:
    units = [Unit(source_file=name, sha256=_sha(data), n_bytes=len(data), kind="container")]
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        child = f"{name}#{number}"
        raw = line.encode("utf-8")
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            units.append(_rejected(child, raw, f"line {number} is not valid JSON ({exc.msg}, column {exc.colno})"))
            continue
        except RecursionError:
            units.append(_rejected(child, raw, f"line {number} is JSON nested too deeply to read"))
            continue
        if not isinstance(value, dict):
            units.append(_rejected(child, raw, f"line {number} holds {_json_type(value)}; expected an object"))
            continue
        units.append(_record_unit(child, raw, value))
    return units


def _item_unit(name: str, item: Any) -> Unit:
    raw = _canonical(item)
    if not isinstance(item, dict):
        return _rejected(name, raw, f"record is {_json_type(item)}; expected an object")
    return _record_unit(name, raw, item)


def _json_type(value: Any) -> str:
    """``a JSON string``, ``a JSON array``...: the JSON name of a parsed value's type, for messages."""
    names = {str: "string", bool: "boolean", int: "number", float: "number", list: "array", dict: "object", type(None): "null"}
    return f"a JSON {names.get(type(value), type(value).__name__)}"


def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


# --- CSV -------------------------------------------------------------------------------------------


def _csv_units(name: str, data: bytes, text: str, *, tab: bool) -> list[Unit]:
    delimiter = "\t" if tab else _sniff_delimiter(text)
    # The default limit (128 KiB per field) is below some long articles; raise it (process-wide).
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"CSV file cannot be parsed: {exc}; check its quoting") from None
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise InputError("CSV file has no header row")
    header = [h.strip() for h in rows[0]]
    if not any(_key(h) in _ALIAS_KEYS["text"] for h in header):
        raise InputError(f"CSV header has no text column; looked for {_TEXT_ALIASES}; found: {', '.join(header)}")
    data_rows = rows[1:]
    if not any(any(c.strip() for c in r) for r in data_rows):
        raise InputError("CSV file has a header but no data rows")
    units = [Unit(source_file=name, sha256=_sha(data), n_bytes=len(data), kind="container")]
    for number, row in enumerate(data_rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        child = f"{name}#{number}"
        record: dict[str, str] = {}
        for column, cell in zip(header, row):
            record.setdefault(column, cell)
        raw = _canonical(record if len(row) <= len(header) else row)
        if len(row) > len(header):
            units.append(_rejected(child, raw, f"row {number} has {len(row)} values but the header has {len(header)} columns; check its quoting"))
            continue
        units.append(_record_unit(child, raw, record))
    return units


def _sniff_delimiter(text: str) -> str:
    """The delimiter the header line uses most (``,``, ``;``, tab or ``|``); ``,`` when it uses none.

    The header is used rather than :class:`csv.Sniffer` over a sample, which is easily
    misled by commas inside quoted article text.
    """
    header = next((line for line in text.split("\n") if line.strip()), "")
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


# --- HTML ------------------------------------------------------------------------------------------


def preload_html(files: Sequence[tuple[str, Path | str]]) -> bool:
    """Import the HTML extractor now when ``files`` (from :func:`input_files`) hold an HTML page.

    Call it before forking reading workers: they inherit the imported module instead
    of each importing it (about 0.2 CPU-s) on its first page. True when imported.

    Examples
    --------
    >>> preload_html([("notes.txt", Path("notes.txt"))])
    False
    """
    if not any(name.lower().endswith((".html", ".htm")) for name, _ in files):
        return False
    import trafilatura  # noqa: F401

    return True


def _html_unit(name: str, data: bytes, text: str) -> Unit:
    import trafilatura  # slow to import; only needed for HTML pages

    try:
        doc = trafilatura.bare_extraction(
            text, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"},
        )
    except Exception as exc:  # trafilatura and lxml raise many kinds of errors on odd markup
        raise InputError(f"HTML page could not be parsed: {type(exc).__name__}: {exc}") from None
    meta = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    title = meta.get("title") or None
    lines = [line.strip() for line in (meta.get("text") or "").split("\n") if line.strip()]
    while lines and title and lines[0] == title:
        lines.pop(0)
    words = sum(len(line.split()) for line in lines)
    if words < _MIN_HTML_WORDS:
        found = f" (only {words} words: {' / '.join(lines)[:80]!r})" if lines else ""
        raise InputError(f"no article text found in HTML page{found}")
    tags = [t for value in (meta.get("tags") or []) + (meta.get("categories") or []) for t in _split_tags(value)]
    fields = {
        "title": title,
        "text": "\n\n".join(lines),
        "summary": meta.get("description"),
        "published": meta.get("date"),
        "source": meta.get("sitename") or meta.get("hostname"),
        "url": meta.get("url"),
        "authors": meta.get("author"),
        "tags": list(dict.fromkeys(tags)),
        "language": meta.get("language") or _html_lang(text),
    }
    fields = {k: v for k, v in fields.items() if v not in (None, "", [])}
    return Unit(source_file=name, sha256=_sha(data), n_bytes=len(data), kind="record", fields=fields)


def _html_lang(html: str) -> str | None:
    match = re.search(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", html[:5000], re.IGNORECASE)
    return match.group(1).lower() if match else None


# --- records ---------------------------------------------------------------------------------------


def _record_unit(name: str, raw: bytes, record: Mapping[str, Any]) -> Unit:
    fields = {k: _fix(v) for k, v in map_fields(record).items()}
    if "text" not in fields:
        present = [str(k) for k in record if _key(k) in _ALIAS_KEYS["text"]]
        if present:
            return _rejected(name, raw, f"record's text field '{present[0]}' is empty")
        found = ", ".join(str(k) for k in record) or "none"
        return _rejected(name, raw, f"record has no text field; looked for {_TEXT_ALIASES}; found: {found}")
    if not isinstance(fields["text"], str):
        return _rejected(name, raw, f"record's text is {_json_type(fields['text'])}; expected a string")
    if not fields["text"].strip():
        return _rejected(name, raw, "record's text field is empty")
    return Unit(source_file=name, sha256=_sha(raw), n_bytes=len(raw), kind="record", fields=fields)


def _field_value(field: str, value: Any) -> Any:
    if field == "published" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _epoch_text(value)
    if field in _STRING_FIELDS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        value = value.strip()
        return _split_tags(value) if field == "tags" else value
    if field == "source" and isinstance(value, Mapping):
        return next((str(value[k]).strip() for k in ("name", "title", "domain", "id") if value.get(k)), None)
    if field == "authors" and isinstance(value, list):
        return [str(_name_of(a)).strip() for a in value if _name_of(a)]
    if field == "authors" and isinstance(value, Mapping):
        return _name_of(value)
    if field == "text" and isinstance(value, list) and all(isinstance(p, str) for p in value):
        return "\n\n".join(p.strip() for p in value if p.strip())
    if field == "tags" and isinstance(value, list):
        return [str(_name_of(t)).strip() for t in value if _name_of(t)]
    return value


_STRING_FIELDS = frozenset({"title", "text", "summary", "source", "outlet", "url", "dateline", "language"})


def _epoch_text(value: float) -> str | None:
    """A Unix timestamp (seconds, or milliseconds when larger than 1e11) as ISO 8601 UTC text."""
    seconds = value / 1000 if abs(value) > 1e11 else value
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat()
    except (OverflowError, OSError, ValueError):
        return str(value)


def _name_of(value: Any) -> Any:
    if isinstance(value, Mapping):
        return next((value[k] for k in ("name", "title", "label", "webTitle") if value.get(k)), None)
    return value


def _split_tags(value: str) -> list[str]:
    return [t.strip() for t in re.split(r"[;,|]", value) if t.strip()]


def _fix(value: Any) -> Any:
    """Mojibake repair and NFC for string values (JSON escapes hide mojibake from :func:`decode_bytes`)."""
    if isinstance(value, str) and value.isascii():
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, str):
        return _normalized(value, _rare_chars(value))
    if isinstance(value, list):
        return [_fix(v) for v in value]
    return value


def _ftfy_may_change(segment: str) -> bool:
    """False when ``ftfy.fix_text(segment, _FIXER)`` provably returns ``segment`` unchanged.

    ``segment`` is one line (with its line break), the unit ftfy fixes. With our
    configuration ftfy acts only on control characters, C1 controls and surrogates
    (:data:`_FTFY_CHARS`), on text that is not NFC, and on mojibake, which it looks for
    only in non-ASCII segments where its badness test (:data:`ftfy.badness.BADNESS_RE`)
    matches. Every match of that test holds one of :data:`_BADNESS_TRIGGER`'s characters,
    so a segment without them is not searched.
    """
    if _FTFY_CHARS.search(segment) is not None:
        return True
    if segment.isascii():
        return False  # ftfy leaves ASCII text without control characters as it is
    if not unicodedata.is_normalized("NFC", segment):
        return True
    if _BADNESS_TRIGGER is not None and _BADNESS_TRIGGER.search(segment) is None:
        return False
    return BADNESS_RE.search(segment) is not None


def _fix_mojibake(text: str) -> str:
    """``ftfy.fix_text(text, _FIXER)``, with ftfy called only on the lines it may change.

    ftfy fixes a text line by line (segments of at most ``max_decode_length``
    characters); lines it would leave as they are are kept without calling it, and a
    text in which no line can change (the usual case) is returned at once.
    """
    return _repaired(text, _rare_chars(text))[0]


def _rare_chars(text: str) -> str:
    """The characters of ``text`` that are not in :data:`_PLAIN_ASCII`, in their order.

    Encoding to UTF-8 and deleting the plain ASCII bytes is one fast C pass: a non-ASCII
    character's bytes are all 0x80 or above and survive together, so the rest decodes to
    exactly the other characters. News text is nearly all plain ASCII, so the result is
    short, and a character class that holds no plain ASCII character (:data:`_FTFY_CHARS`,
    :data:`_BADNESS_TRIGGER`) is found in it exactly when it is found in ``text``.
    """
    return text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_ASCII).decode("utf-8", "surrogatepass")


def _normalized(text: str, rare: str) -> str:
    """``text`` with mojibake repaired (:func:`_repaired`), line ends as LF, in NFC; ``rare`` is :func:`_rare_chars` of ``text``."""
    text, nfc = _repaired(text, rare)
    if "\r" in text:  # one scan for the usual text without carriage returns, instead of two replace() scans
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A text known to be NFC stays NFC with CR replaced by LF (both starters that compose with
    # nothing), so normalising it again would return it unchanged.
    return text if nfc else unicodedata.normalize("NFC", text)


def _repaired(text: str, rare: str) -> tuple[str, bool]:
    """(:func:`_fix_mojibake` of ``text``, whether the result is known to be NFC); ``rare`` is :func:`_rare_chars` of ``text``."""
    if _FTFY_CHARS.search(rare) is None:  # = _FTFY_CHARS.search(text) is None (see _rare_chars)
        short = len(text) <= _FIXER.max_decode_length
        if short and text.isascii():
            return text, True
        if (
            _BADNESS_TRIGGER is not None
            and (short or max(map(len, text.split("\n"))) < _FIXER.max_decode_length)  # no segment too long for ftfy
            and unicodedata.is_normalized("NFC", text)
        ):
            fixed = _fix_suspect_lines(text, rare)
            return fixed, fixed is text
    return _fix_lines(text), False


def _fix_lines(text: str) -> str:
    """``ftfy.fix_text(text, _FIXER)`` segment by segment, ftfy called on the lines it may change."""
    lines = text.split("\n")
    last = len(lines) - 1
    out = []
    for i, line in enumerate(lines):
        segment = line if i == last else line + "\n"  # ftfy's segments keep their line break
        if len(segment) > _FIXER.max_decode_length or _ftfy_may_change(segment):
            segment = ftfy.fix_text(segment, _FIXER)
        out.append(segment)
    return "".join(out)


def _fix_suspect_lines(text: str, rare: str | None = None) -> str:
    """:func:`_fix_mojibake` of an NFC text without control characters whose lines are not too long for ftfy.

    In such a text every line is NFC too (a line ends with ``\\n``, which neither composes
    nor reorders with its neighbours), so by :func:`_ftfy_may_change` only a line holding a
    :data:`_BADNESS_TRIGGER` character may change, and only when the badness test matches it.
    Those lines are found from the trigger characters, without splitting the text.

    ``rare`` (:func:`_rare_chars` of ``text``) names the trigger characters present; their
    positions are then found with ``str.find``, a fast C search for one character, instead of
    scanning the whole text with the trigger class (the lines visited are the same).
    """
    if rare is None:
        rare = _rare_chars(text)
    present = set(_BADNESS_TRIGGER.findall(rare))
    if not present:
        return text
    positions: list[int] = []
    for char in present:
        at = text.find(char)
        while at >= 0:
            positions.append(at)
            at = text.find(char, at + 1)
    positions.sort()
    out: list[str] = []
    done = pos = 0
    for at in positions:  # the successive answers of _BADNESS_TRIGGER.search(text, pos)
        if at < pos:
            continue
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end + 1
        segment = text[start:end]  # one of ftfy's segments: a line with its line break
        if _looks_bad(segment):
            out += (text[done:start], ftfy.fix_text(segment, _FIXER))
            done = end
        pos = end
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


def _looks_bad(segment: str) -> bool:
    """``BADNESS_RE.search(segment) is not None``, searching only around the trigger characters.

    Every match holds a :data:`_BADNESS_TRIGGER` character and spans at most
    :data:`_BADNESS_WIDTH` characters, so it lies within that many characters of one: the
    windows around the triggers (merged where they overlap) are searched, not the whole line.
    """
    if _BADNESS_WIDTH is None:
        return BADNESS_RE.search(segment) is not None
    reach = _BADNESS_WIDTH
    lo = hi = None
    for found in _BADNESS_TRIGGER.finditer(segment):
        p = found.start()
        start = max(0, p - reach + 1)
        if hi is not None and start > hi:  # a window apart from the current one: search the current one first
            if BADNESS_RE.search(segment, lo, hi) is not None:
                return True
            hi = None
        if hi is None:
            lo = start
        hi = min(len(segment), p + reach)
    return hi is not None and BADNESS_RE.search(segment, lo, hi) is not None


# --- decoding --------------------------------------------------------------------------------------

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_C1 = re.compile("[\x80-\x9f]")
_BAD_CONTROLS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
#: Every byte but the controls :data:`_BAD_CONTROLS` counts (a ``bytes.translate`` deletion table).
_NOT_BAD_CONTROL_BYTES = bytes(b for b in range(256) if not _BAD_CONTROLS.match(chr(b)))
#: ASCII characters no step of ``_FIXER`` acts on and that are no control :func:`_check_controls`
#: counts: tab, line feed, form feed, carriage return and the printable ones (as bytes).
_PLAIN_ASCII = bytes(b for b in range(128) if not _FTFY_CHARS.match(chr(b)) and not _BAD_CONTROLS.match(chr(b)))


def _decode(data: bytes) -> str:
    return _decoded(data)[0]


def _decoded(data: bytes) -> tuple[str, bytes | None]:
    """(:func:`_decode` of ``data``, and for text read as UTF-8 without a BOM, ``data`` without its
    :data:`_PLAIN_ASCII` bytes, whose UTF-8 decoding is :func:`_rare_chars` of the text; else None).

    ``data`` is then the text's UTF-8 encoding, so one pass over it serves both the control
    character check and the characters :func:`_repaired` searches.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding.removesuffix("-sig")), None
            except UnicodeDecodeError as exc:
                raise InputError(f"undecodable text: the file starts with a {encoding} byte-order mark but byte {exc.start} is not {encoding}; re-save it as UTF-8") from None
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputError("binary file: it holds NUL bytes and is not UTF-16 text; expected a text, JSON, CSV, HTML or archive file")
        return utf16, None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        rare = data.translate(None, _PLAIN_ASCII)  # holds every control byte _check_controls counts
        return _check_controls(text, rare), rare
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        if not _mostly_accented(text):
            return _check_controls(text, data), None
        # Mostly accented letters: probably another 8-bit code page (cp1251, koi8-r...).
        best = from_bytes(data).best()
        if best is not None:
            return _check_controls(str(best)), None
        return _check_controls(text, data), None
    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if not _C1.search(text):
            return _check_controls(text), None
    bad = next((i for i, b in enumerate(data) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)), 0)
    raise InputError(
        f"undecodable text: byte 0x{data[bad]:02X} at position {bad} fits none of UTF-8, UTF-16, cp1252 or latin-1 "
        "and no other encoding was detected; re-save the file as UTF-8"
    )


def _mostly_accented(text: str) -> bool:
    """Whether most letters are non-ASCII: Western text read as cp1252 rarely has more than a few."""
    letters = [c for c in text[:65536] if c.isalpha()]
    return len(letters) >= 8 and sum(not c.isascii() for c in letters) > 0.4 * len(letters)


def _utf16_without_bom(data: bytes) -> str | None:
    """Text when the NUL bytes follow UTF-16's pattern (every other byte of ASCII text), else None."""
    if len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for encoding, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros.count(0) >= 0.3 * len(zeros):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not _BAD_CONTROLS.search(text):
                return text
    return None


def _check_controls(text: str, encoded: bytes | None = None) -> str:
    """Reject text full of control characters (binary data that happens to decode).

    ``encoded``: bytes holding every byte 0x00-0x1F of the text's UTF-8 or cp1252 encoding
    (both write these characters as those single bytes and use them for nothing else); when
    they hold at most 8 of the counted controls, so does the text's start, and it passes
    without being scanned.
    """
    if encoded is not None and len(encoded.translate(None, _NOT_BAD_CONTROL_BYTES)) <= 8:
        return text
    controls = len(_BAD_CONTROLS.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 100):
        raise InputError("binary file: it holds many control characters; expected a text, JSON, CSV, HTML or archive file")
    return text


# --- small helpers ---------------------------------------------------------------------------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _rejected(name: str, data: bytes, reason: str) -> Unit:
    return Unit(source_file=name, sha256=_sha(data), n_bytes=len(data), kind="rejected", reason=reason)


def _with_hash(unit: Unit, data: bytes) -> Unit:
    """The unit with the sha256 and size of ``data`` (a ``.gz`` unit is identified by its compressed bytes)."""
    unit.sha256, unit.n_bytes = _sha(data), len(data)
    return unit
