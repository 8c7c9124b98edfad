"""News-database text exports (LexisNexis classic, Nexis Uni, Factiva) → one record per article.

Media researchers often receive corpora as one long ``.txt`` file exported from a news
database. This module recognises the three common layouts, splits a file into its
documents, joins hard-wrapped lines back into paragraphs and maps the database's
field lines to our record fields (:data:`mediawork.units.RECORD_FIELDS`). Field lines
(``SECTION:``, ``LENGTH:``, ``Load-Date:``, ``WC``, ...) and copyright lines never end
up in ``text``.

It is a helper of :mod:`mediawork.readers`, which turns each document into a
``record`` unit (``nexis.txt#1``, ``#2``, ...) and compares the number of documents
found with the number the export announces.

Layouts
-------
``lexis``
    LexisNexis classic: ``1 of 3 DOCUMENTS`` before each document, then publication,
    date line (``March 18, 2025 Tuesday``), optional edition, ``KEY: value`` fields,
    body paragraphs, then ``LOAD-DATE:``, ``LANGUAGE:``, ``PUBLICATION-TYPE:`` lines.
``nexis_uni``
    Nexis Uni: title, publication, date, ``Copyright`` line,
    ``Section: ...; Length: 812 words``, ``Byline: ...``, a ``Body`` line, paragraphs,
    ``Load-Date: ...``; each document ends with ``End of Document``. A cover page may
    announce ``Documents (3)``.
``factiva``
    Factiva: field codes (``HD``, ``BY``, ``WC``, ``PD``, ``SN``, ``LA``, ``CY``, ``LP``,
    ``TD``, ...) at the start of a line, the value on the same or the following lines;
    each document ends with a ``Document XXXXXXXXXX`` id line. A search summary may
    announce ``Results Found 3``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

ExportKind = Literal["lexis", "nexis_uni", "factiva"]

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun"
#: A line that starts with a date: ``March 18, 2025 Tuesday``, ``Tuesday, March 18, 2025``,
#: ``18 March 2025``, ``2025-03-18``.
_DATE_LINE = re.compile(
    rf"^(?:(?:{_WEEKDAYS}),?\s+)?(?:(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b",
    re.IGNORECASE,
)
_WEEKDAY_WORD = re.compile(rf"\b(?:{_WEEKDAYS})\b,?", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s|all rights reserved)", re.IGNORECASE)
#: Cover lines announcing a count: ``Documents (3)``, ``3 documents``, ``Results Found 3``.
_ANNOUNCED = re.compile(
    r"^[ \t]*(?:documents?[ \t]*\([ \t]*(\d+)[ \t]*\)|(\d+)[ \t]+documents?|results[ \t]+found[ \t:]*(\d+))[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)

_LEXIS_SPLIT = re.compile(r"^[ \t]*(\d+)[ \t]+of[ \t]+(\d+)[ \t]+DOCUMENTS?[ \t]*$", re.IGNORECASE | re.MULTILINE)
_LEXIS_FIELD = re.compile(r"^([A-Z][A-Z-]*[A-Z]):[ \t]*(.*)$")
#: Field names of LexisNexis classic exports (anything else in capitals is body text).
_LEXIS_FIELDS = frozenset(
    "SECTION LENGTH HEADLINE BYLINE DATELINE BODY HIGHLIGHT LOAD-DATE LANGUAGE PUBLICATION-TYPE URL "
    "GRAPHIC CORRECTION-DATE CORRECTION DOCUMENT-TYPE JOURNAL-CODE SUBJECT ORGANIZATION PERSON GEOGRAPHIC "
    "COUNTRY CITY STATE INDUSTRY TICKER COMPANY NOTES ACC-NO DISTRIBUTION TYPE SERIES SOURCE EDITION".split()
)
#: Fields that come after the body; once one appears, the body is over.
_LEXIS_TRAILER = frozenset(
    "LOAD-DATE LANGUAGE PUBLICATION-TYPE GRAPHIC CORRECTION-DATE CORRECTION DOCUMENT-TYPE JOURNAL-CODE "
    "SUBJECT ORGANIZATION PERSON GEOGRAPHIC COUNTRY CITY STATE INDUSTRY TICKER COMPANY NOTES ACC-NO".split()
)

_UNI_END = re.compile(r"^[ \t]*End of Document[ \t]*$", re.IGNORECASE | re.MULTILINE)
_UNI_FIELD = re.compile(r"^([A-Z][A-Za-z]*(?:[- ][A-Za-z]+)?)[ \t]*:[ \t]*(.*)$")
_UNI_FIELDS = frozenset(
    "section length byline dateline highlight language publication-type load-date url graphic correction "
    "correction-date journal code journal-code series document-type subject geographic classification "
    "industry organization person company ticker notes edition".split()
) | {"journal code"}
_UNI_TRAILER = frozenset(
    "language publication-type load-date url graphic correction correction-date journal-code journal code "
    "document-type subject geographic industry organization person company ticker notes".split()
) | {"journal code"}

_FACTIVA_DOC = re.compile(r"^[ \t]*(?:AN[ \t]+)?Document[ \t]+[A-Za-z0-9]{10,}[ \t]*$", re.MULTILINE)
_FACTIVA_HD = re.compile(r"^HD(?:[ \t]|$)", re.MULTILINE)
_FACTIVA_CODES = frozenset(
    "HD BY CR WC PD ET SN SC ED PG VOL LA CY LP TD CT RF CO IN NS RE IPC IPD PUB AN SE CLM ART NGC RST".split()
)
_FACTIVA_CODE_LINE = re.compile(r"^([A-Z]{2,3})(?:[ \t]+(.*))?$")
#: Codes whose values are lists like ``ukrn : Ukraine | russ : Russia``.
_FACTIVA_LIST_CODES = frozenset({"CO", "IN", "NS", "RE", "IPC"})

_LANGUAGES = {
    "english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it", "portuguese": "pt",
    "russian": "ru", "ukrainian": "uk", "polish": "pl", "dutch": "nl", "arabic": "ar", "chinese": "zh",
}


@dataclass
class ExportDocument:
    """One article of an export.

    Attributes
    ----------
    raw:
        The document's text as it stood in the export (its sha256 identifies the unit).
    fields:
        The article's fields under our names (:data:`mediawork.units.RECORD_FIELDS`);
        ``text`` holds the body paragraphs separated by one blank line (absent when the
        document has no body).
    """

    raw: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Export:
    """A parsed export: its layout, its documents in file order and the count it announces."""

    kind: ExportKind
    documents: list[ExportDocument]
    announced: int | None = None


def detect_export(text: str) -> ExportKind | None:
    """Say which news-database layout ``text`` has, or None for anything else.

    Parameters
    ----------
    text:
        The decoded file, ``\\n`` line ends.

    Returns
    -------
    ``"lexis"``, ``"nexis_uni"``, ``"factiva"`` or None (e.g. a single-article web dump).

    Examples
    --------
    >>> detect_export("1 of 1 DOCUMENTS\\n\\nThe Daily\\n\\nMarch 18, 2025 Tuesday\\n")
    'lexis'
    >>> detect_export("Kyiv welcomes the proposal.\\n") is None
    True
    """
    if b"document" not in text.encode("utf-8", "surrogatepass").lower():
        # Every layout's marker holds the word (Factiva's in capitals and lower case, the others in any case).
        # Looked for in the UTF-8 bytes lower-cased, faster than ``"document" in text.lower()`` and the same:
        # no character but an ASCII letter lower-cases to (or, for re's IGNORECASE, matches) one of its letters.
        return None
    if _FACTIVA_DOC.search(text) and _FACTIVA_HD.search(text):
        return "factiva"
    if _LEXIS_SPLIT.search(text):
        return "lexis"
    if _UNI_END.search(text):
        return "nexis_uni"
    return None


def parse_export(text: str, *, kind: ExportKind | None = None) -> Export:
    """Split a news-database export into its documents and map their fields.

    Parameters
    ----------
    text:
        The decoded file, ``\\n`` line ends.
    kind:
        The layout; detected with :func:`detect_export` when None.

    Returns
    -------
    Export
        Documents in file order; ``announced`` is the count the export states
        (``N of M DOCUMENTS``, ``Documents (3)``, ``3 documents``, ``Results Found 3``), or None.

    Raises
    ------
    ValueError
        When ``text`` is not an export and ``kind`` is None (call :func:`detect_export` first).

    Examples
    --------
    >>> doc = "HD Talks resume\\nPD 18 March 2025\\nSN The Daily\\nLP\\nEnvoys met again\\non Tuesday.\\nDocument DAILY00020250318\\n"
    >>> export = parse_export(doc)
    >>> export.kind, export.documents[0].fields["text"]
    ('factiva', 'Envoys met again on Tuesday.')
    """
    kind = kind or detect_export(text)
    if kind == "lexis":
        return _parse_lexis(text)
    if kind == "nexis_uni":
        return _parse_nexis_uni(text)
    if kind == "factiva":
        return _parse_factiva(text)
    raise ValueError("text is not a LexisNexis, Nexis Uni or Factiva export; check it with detect_export() first")


# --- shared helpers ----------------------------------------------------------------


def _paragraphs(lines: Iterable[str]) -> list[list[str]]:
    """Group stripped lines into blank-line-separated paragraphs."""
    out: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        line = line.strip()
        if line:
            current.append(line)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _join_wrapped(lines: Sequence[str]) -> str:
    """Join hard-wrapped lines into one line; a line ending in a letter and ``-`` joins without a space."""
    out = ""
    for line in lines:
        line = " ".join(line.split())
        if not line:
            continue
        if not out:
            out = line
        elif len(out) > 1 and out.endswith("-") and out[-2].isalpha():
            out += line
        else:
            out += " " + line
    return out


def _body_text(paragraphs: Iterable[Sequence[str]]) -> str | None:
    """Body paragraphs joined by one blank line, copyright lines left out; None when empty."""
    parts = [_join_wrapped(p) for p in paragraphs if p and not _COPYRIGHT.match(p[0])]
    parts = [p for p in parts if p]
    return "\n\n".join(parts) or None


def _is_date_line(line: str) -> bool:
    line = line.strip()
    return len(line) <= 80 and bool(_DATE_LINE.match(line))


def _clean_date(line: str) -> str:
    """``March 18, 2025 Tuesday 5:02 PM GMT`` -> ``March 18, 2025 5:02 PM GMT`` (weekday names dropped)."""
    return " ".join(_WEEKDAY_WORD.sub(" ", line).split()).strip(" ,")


def _language(value: str | None) -> str | None:
    """``ENGLISH`` -> ``en``; other values are returned as given (stripped)."""
    if not value:
        return None
    value = value.strip()
    return _LANGUAGES.get(value.lower(), value) or None


def _byline(value: str | None) -> str | None:
    """The byline without a leading ``By``."""
    if not value:
        return None
    value = re.sub(r"^by\s+", "", value.strip(), flags=re.IGNORECASE)
    return value or None


def _announced(text: str) -> int | None:
    match = _ANNOUNCED.search(text)
    if not match:
        return None
    return int(next(g for g in match.groups() if g))


def _split_after(text: str, marker: re.Pattern[str]) -> list[str]:
    """Pieces of ``text`` ending at each ``marker`` line (marker excluded); the tail after the last is dropped."""
    pieces: list[str] = []
    start = 0
    for match in marker.finditer(text):
        pieces.append(text[start : match.start()])
        start = match.end()
    return pieces


def _compact(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v not in (None, "", [])}


def _document_record(
    fields: Mapping[str, str],
    *,
    title: str | None,
    body: list[list[str]],
    date_line: str | None,
    publication: str | None,
) -> dict[str, Any]:
    """The record of a LexisNexis classic or Nexis Uni document; ``fields`` keyed by lower-case field name."""
    return _compact(
        {
            "title": title,
            "text": _body_text(body),
            "summary": fields.get("highlight"),
            "published": _clean_date(date_line) if date_line else None,
            "source": publication,
            "url": fields.get("url"),
            "authors": _byline(fields.get("byline")),
            "dateline": fields.get("dateline"),
            "language": _language(fields.get("language")),
        }
    )


# --- LexisNexis classic --------------------------------------------------------------


def _parse_lexis(text: str) -> Export:
    matches = list(_LEXIS_SPLIT.finditer(text))
    totals = {int(m.group(2)) for m in matches}
    announced = max(totals) if totals else _announced(text)
    documents = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        raw = text[match.start() : end].strip()
        documents.append(ExportDocument(raw=raw, fields=_lexis_fields(text[match.end() : end])))
    return Export(kind="lexis", documents=documents, announced=announced)


def _lexis_fields(block: str) -> dict[str, Any]:
    header: list[str] = []
    values: dict[str, str] = {}
    body: list[list[str]] = []
    state = "header"  # header -> fields -> body -> trailer
    for para in _paragraphs(block.split("\n")):
        match = _LEXIS_FIELD.match(para[0])
        if match and match.group(1) in _LEXIS_FIELDS:
            key = match.group(1)
            values.setdefault(key, _join_wrapped([match.group(2), *para[1:]]))
            if key in _LEXIS_TRAILER and state == "body":
                state = "trailer"
            elif state == "header":
                state = "fields"
            if key == "BODY" and state == "fields":
                state = "body"
                if match.group(2).strip():
                    body.append([match.group(2), *para[1:]])
            continue
        if _COPYRIGHT.match(para[0]):
            continue
        if state == "header":
            header.extend(para)
        elif state in ("fields", "body"):
            state = "body"
            body.append(para)
    date_line = next((line for line in header if _is_date_line(line)), None)
    publication = next((line for line in header if not _is_date_line(line)), None)
    fields = {key.lower(): value for key, value in values.items()}
    return _document_record(fields, title=values.get("HEADLINE"), body=body, date_line=date_line, publication=publication)


# --- Nexis Uni ------------------------------------------------------------------------


def _parse_nexis_uni(text: str) -> Export:
    pieces = _split_after(text, _UNI_END)
    documents = []
    for i, piece in enumerate(pieces):
        lines = piece.split("\n")
        if i == 0:
            lines = _drop_uni_cover(lines)
        documents.append(ExportDocument(raw="\n".join(lines).strip(), fields=_uni_fields(lines)))
    documents = [d for d in documents if d.raw]
    return Export(kind="nexis_uni", documents=documents, announced=_announced(text))


def _drop_uni_cover(lines: list[str]) -> list[str]:
    """Drop the cover page before the first document: everything up to the paragraph before the title.

    The title is the paragraph just before the publication line, which is the line just
    before the first date line of the first document.
    """
    body_at = next((i for i, line in enumerate(lines) if line.strip() == "Body"), len(lines))
    date_at = next((i for i, line in enumerate(lines[:body_at]) if _is_date_line(line)), None)
    if date_at is None:
        return lines
    title_start = _uni_title_span(lines, date_at)[0]
    return lines[title_start:]


def _uni_title_span(lines: list[str], date_at: int) -> tuple[int, int, int | None]:
    """(title start, title end, publication index) around the date line at ``date_at``."""
    pub = next((i for i in range(date_at - 1, -1, -1) if lines[i].strip()), None)
    if pub is None:
        return date_at, date_at, None
    end = pub
    if end > 0 and not lines[end - 1].strip():
        while end > 0 and not lines[end - 1].strip():
            end -= 1
    start = end
    while start > 0 and lines[start - 1].strip():
        start -= 1
    return start, end, pub


def _uni_pairs(line: str) -> list[tuple[str, str]]:
    """``Section: WORLD; Length: 812 words`` -> [("section", "WORLD"), ("length", "812 words")]."""
    out = []
    for segment in re.split(r";\s+(?=[A-Z][A-Za-z -]*:)", line.strip()):
        match = _UNI_FIELD.match(segment)
        if not match or match.group(1).lower() not in _UNI_FIELDS:
            return []
        out.append((match.group(1).lower(), match.group(2).strip()))
    return out


def _uni_fields(lines: list[str]) -> dict[str, Any]:
    body_at = next((i for i, line in enumerate(lines) if line.strip() == "Body"), None)
    head = lines if body_at is None else lines[:body_at]
    rest = [] if body_at is None else lines[body_at + 1 :]
    date_at = next((i for i, line in enumerate(head) if _is_date_line(line)), None)
    values: dict[str, str] = {}
    title = publication = date_line = None
    if date_at is not None:
        start, end, pub = _uni_title_span(head, date_at)
        title = _join_wrapped(head[start:end]) or None
        publication = head[pub].strip() if pub is not None else None
        date_line = head[date_at].strip()
        after = head[date_at + 1 :]
    else:
        after = head
    for line in after:
        for key, value in _uni_pairs(line):
            values.setdefault(key, value)
    body: list[list[str]] = []
    for para in _paragraphs(rest):
        pairs = _uni_pairs(para[0])
        if pairs and pairs[0][0] in _UNI_TRAILER or para[0].strip().lower() == "classification":
            for line in para:
                for key, value in _uni_pairs(line):
                    values.setdefault(key, value)
            break
        body.append(para)
    # Trailer fields after the first one (Language, Url, ...).
    for line in rest:
        for key, value in _uni_pairs(line):
            if key in _UNI_TRAILER:
                values.setdefault(key, value)
    return _document_record(values, title=title, body=body, date_line=date_line, publication=publication)


# --- Factiva ----------------------------------------------------------------------------


def _parse_factiva(text: str) -> Export:
    documents = []
    for piece in _split_after(text, _FACTIVA_DOC):
        if not _FACTIVA_HD.search(piece) and not piece.strip():
            continue
        documents.append(ExportDocument(raw=piece.strip(), fields=_factiva_fields(piece)))
    tail = text[list(_FACTIVA_DOC.finditer(text))[-1].end() :] if documents else text
    announced = _announced(tail) or _announced(text)
    return Export(kind="factiva", documents=[d for d in documents if d.raw], announced=announced)


def _factiva_code(line: str, current: str | None) -> tuple[str, str] | None:
    """(code, value) when ``line`` starts a Factiva field, else None (a continuation line)."""
    match = _FACTIVA_CODE_LINE.match(line.rstrip())
    if not match or match.group(1) not in _FACTIVA_CODES:
        return None
    code, value = match.group(1), (match.group(2) or "").strip()
    if current in ("LP", "TD") and value:
        # Inside the body, a capitalised word such as "IN" or "AN" may start a line of text.
        if code in _FACTIVA_LIST_CODES and not re.match(r"^\S+\s:\s", value):
            return None
        if code == "AN" and not value.startswith("Document"):
            return None
        if code not in _FACTIVA_LIST_CODES | {"AN", "TD", "IPD", "PUB", "CT", "RF", "ART"}:
            return None
    return code, value


def _factiva_fields(block: str) -> dict[str, Any]:
    values: dict[str, list[str]] = {}
    current: str | None = None
    for line in block.split("\n"):
        found = _factiva_code(line, current)
        if found:
            current = found[0]
            values.setdefault(current, [])
            if found[1]:
                values[current].append(found[1])
            continue
        if current is not None:
            values[current].append(line)

    def one(code: str) -> str | None:
        return _join_wrapped(values.get(code, [])) or None

    published = one("PD")
    if published and one("ET"):
        published = f"{published} {one('ET')}"
    body = _paragraphs(values.get("LP", [])) + _paragraphs(values.get("TD", []))
    return _compact(
        {
            "title": one("HD"),
            "text": _body_text(body),
            "published": published,
            "source": one("SN"),
            "authors": _byline(one("BY")),
            "language": _language(one("LA")),
        }
    )
