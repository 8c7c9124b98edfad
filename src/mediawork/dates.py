"""Date strings → a UTC timestamp plus the UTC offset the text gave.

News pages write their publication time in many ways: ISO 8601 in metadata,
RFC 2822 in feeds, ``Mar 18, 2025 12:40 PM IST`` on Indian sites,
``March 18, 2025 at 4:12 p.m. ET`` on American ones, ``18.03.2025`` in Europe and
``March 18, 2025 Tuesday`` in Nexis exports. This module reads them all with one
small grammar (tokens → date, time, zone) and never guesses from free text.

Conventions (also in the data dictionary):

- The instant is returned as a tz-aware :class:`pandas.Timestamp` in UTC.
- The offset is the one the text gave, as ``+HH:MM`` (``GMT``/``UTC``/``Z`` give
  ``+00:00``); it is ``None`` when the text gave no zone.
- A date without a time is midnight UTC, offset ``None``; a time without a zone is
  taken as UTC, offset ``None``.
- Numeric dates with dots or dashes (``18.03.2025``, ``18-03-2025``) are read day
  first; with slashes (``03/18/2025``) month first, unless the first number cannot be
  a month (``18/03/2025``).
- Zone abbreviations are read with :data:`ZONES` (``IST`` is India, ``+05:30``);
  the DST-ambiguous ``ET``, ``CT``, ``MT``, ``PT`` are resolved for the date with
  :mod:`zoneinfo` (``America/New_York`` ...). Abbreviations must be written in capitals.
- A date needs a day, a month and a year; ``March 2025`` or ``March 18`` alone give
  ``(None, None)``. Years outside 1900-2100 are refused. Epoch numbers are not read,
  nor strings over 500 characters.
- When a text holds two stamps (``Published ... Updated ...``), the first date is read,
  with the time written next to it; words around a date are ignored by
  :func:`parse_published` but make :func:`looks_like_date` say False.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from dateutil.parser import isoparse, parserinfo

__all__ = ["ZONES", "looks_like_date", "parse_published"]

#: Zone abbreviations → a fixed offset (``timedelta``) or an IANA zone name that is
#: resolved for the date (for the DST-ambiguous US names). Written down once here.
ZONES: dict[str, timedelta | str] = {
    "Z": timedelta(0),
    "UT": timedelta(0),
    "UTC": timedelta(0),
    "GMT": timedelta(0),
    "WET": timedelta(0),
    "WEST": timedelta(hours=1),
    "BST": timedelta(hours=1),
    "IST": timedelta(hours=5, minutes=30),
    "CET": timedelta(hours=1),
    "CEST": timedelta(hours=2),
    "EET": timedelta(hours=2),
    "EEST": timedelta(hours=3),
    "MSK": timedelta(hours=3),
    "SAST": timedelta(hours=2),
    "PKT": timedelta(hours=5),
    "HKT": timedelta(hours=8),
    "SGT": timedelta(hours=8),
    "JST": timedelta(hours=9),
    "KST": timedelta(hours=9),
    "AEST": timedelta(hours=10),
    "AEDT": timedelta(hours=11),
    "NZST": timedelta(hours=12),
    "NZDT": timedelta(hours=13),
    "EST": timedelta(hours=-5),
    "EDT": timedelta(hours=-4),
    "CST": timedelta(hours=-6),
    "CDT": timedelta(hours=-5),
    "MST": timedelta(hours=-7),
    "MDT": timedelta(hours=-6),
    "PST": timedelta(hours=-8),
    "PDT": timedelta(hours=-7),
    "AKST": timedelta(hours=-9),
    "AKDT": timedelta(hours=-8),
    "HST": timedelta(hours=-10),
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}

#: Words that may surround a date stamp without making it a sentence.
_LABEL_WORDS = frozenset(
    """updated update published publish posted post last first modified created
    date dated on at of the time local edited issued released filed hrs hours""".split()
)

_MAX_STAMP_CHARS = 100  # a longer line is not "essentially a date"
_YEAR_RANGE = range(1900, 2101)
_MONTHS = {name.lower(): i for i, names in enumerate(parserinfo.MONTHS, 1) for name in names}
_WEEKDAYS = {name.lower(): i for i, names in enumerate(parserinfo.WEEKDAYS) for name in names} | {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
_MAX_INPUT_CHARS = 500  # a publication date is never longer; longer text is not read

# One token per alternative, tried in this order at each position.
_TOKEN = re.compile(
    r"""
    (?P<ymd>(?<!\d)(?P<y1>\d{4})(?P<s1>[-/.])(?P<m1>\d{1,2})(?P=s1)(?P<d1>\d{1,2})(?!\d))
  | (?P<num_date>(?<!\d)(?P<a2>\d{1,2})(?P<s2>[-/.])(?P<b2>\d{1,2})(?P=s2)(?P<y2>\d{4}|\d{2})(?![\d.]\d))
  | (?P<gmt_offset>(?:GMT|UTC)\s*(?P<gsign>[+\-])\s*(?P<gh>\d{1,2})(?:[:.]?(?P<gm>\d{2}))?(?!\d))
  | (?P<time>(?<![\d.])(?P<th>\d{1,2}):(?P<tm>\d{2})(?::(?P<ts>\d{2})(?:[.,](?P<tf>\d{1,9}))?)?(?!\d))
  | (?P<dot_time>(?<![\d.])(?P<dh>\d{1,2})\.(?P<dm>\d{2})(?=\s*(?:[ap]\.?\s?m\b|hrs\b|(?-i:[A-Z]{1,5}\b))))
  | (?P<ampm>(?<![^\W\d_])(?P<ap>[ap])\.?\s?m\b\.?)
  | (?P<offset>(?P<osign>[+\-])(?P<oh>\d{2}):?(?P<om>\d{2})(?!\d))
  | (?P<ordinal>(?<!\d)(?P<od>\d{1,2})(?:st|nd|rd|th)\b)
  | (?P<number>(?<![\d.])\d+(?![\d]))
  | (?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?\.?)
  | (?P<sep>[\s,;|/()\[\]:.\-–—•·]+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.IGNORECASE,
)


_DIGIT = re.compile(r"\d")
_ISO = re.compile(r"\d{4}-?\d{2}-?\d{2}(?:[T ]\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d+)?)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?")


@dataclass
class _Token:
    kind: str
    text: str
    value: object = None


@dataclass
class _Stamp:
    day: date | None = None
    clock: time | None = None
    zone: tzinfo | None = None
    unknown: int = 0  # tokens that are neither date, time, zone nor label


def parse_published(value: str | datetime | pd.Timestamp | date | None) -> tuple[pd.Timestamp | None, str | None]:
    """Read a publication date into a UTC timestamp and the offset the text gave.

    Parameters
    ----------
    value : str, datetime, pandas.Timestamp, date or None
        A date stamp as a page, feed or record wrote it (``"Mar 18, 2025 12:40 PM IST"``,
        ``"2025-03-18T12:40:00+05:30"``, ``"Tue, 18 Mar 2025 07:10:00 GMT"``), with or
        without leading words such as ``Updated``/``Published``/``Posted``/``on``; or a
        datetime (naive datetimes are taken as UTC).

    Returns
    -------
    tuple of (pandas.Timestamp or None, str or None)
        The instant in UTC and the original offset as ``+HH:MM`` (``None`` when the
        input named no zone). ``(None, None)`` when no complete date (day, month, year)
        is found. Never raises: junk gives ``(None, None)``.

    Examples
    --------
    >>> parse_published("Mar 18, 2025 12:40 PM IST")
    (Timestamp('2025-03-18 07:10:00+0000', tz='UTC'), '+05:30')
    >>> parse_published("March 18, 2025 at 4:12 p.m. ET")
    (Timestamp('2025-03-18 20:12:00+0000', tz='UTC'), '-04:00')
    >>> parse_published("18 March 2025")
    (Timestamp('2025-03-18 00:00:00+0000', tz='UTC'), None)
    >>> parse_published("no date here")
    (None, None)
    """
    try:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
            return None, None
        if isinstance(value, (datetime, pd.Timestamp, np.datetime64)):
            return _from_datetime(value)
        if isinstance(value, date):
            return _to_result(datetime.combine(value, time(0), tzinfo=timezone.utc), named_zone=False)
        if not isinstance(value, str):
            return None, None
        return _parse_text_cached(value)
    except (ValueError, OverflowError, TypeError, KeyError, IndexError):
        return None, None


def looks_like_date(line: str) -> bool:
    """Tell whether a line is essentially a date/time stamp.

    True for a short line made only of a date and/or a time, a zone and label words
    (``Updated``, ``Published:``, ``Posted on``, weekdays, ``at``...); False for a
    sentence that merely contains a date.

    Parameters
    ----------
    line : str
        One line or block of a page.

    Returns
    -------
    bool
        Whether the whole line is a date stamp (a complete date, or a clock time).

    Examples
    --------
    >>> looks_like_date("Updated 3:05 PM EST, Tue March 18, 2025")
    True
    >>> looks_like_date("On March 18, 2025 the talks resumed in Riyadh after a week of delay.")
    False
    """
    if not isinstance(line, str) or len(line) > 2 * _MAX_STAMP_CHARS:
        return False
    return _looks_like_date(line)


@lru_cache(maxsize=1 << 15)
def _looks_like_date(line: str) -> bool:
    text = _normalize(line)
    if not text or len(text) > _MAX_STAMP_CHARS:
        return False
    if _DIGIT.search(text) is None:
        return False  # every date (ISO, numeric, month name with day and year) and every clock time has a digit
    if _ISO.fullmatch(_strip_labels(text)):
        return parse_published(text)[0] is not None
    try:
        stamp = _stamp_of(text)
    except (ValueError, OverflowError):
        return False
    return stamp.unknown == 0 and (stamp.day is not None or stamp.clock is not None)


# --- helpers -----------------------------------------------------------------


def _from_datetime(value: datetime | np.datetime64) -> tuple[pd.Timestamp | None, str | None]:
    ts = pd.Timestamp(value)
    if ts is pd.NaT:
        return None, None
    if ts.tzinfo is None:
        return ts.tz_localize("UTC"), None
    return ts.tz_convert("UTC"), _format_offset(ts.utcoffset())


@lru_cache(maxsize=1 << 15)
def _parse_text_cached(value: str) -> tuple[pd.Timestamp | None, str | None]:
    """:func:`_parse_text`, cached (pages repeat their stamps; the results are immutable)."""
    return _parse_text(value)


def _parse_text(value: str) -> tuple[pd.Timestamp | None, str | None]:
    if len(value) > _MAX_INPUT_CHARS:
        return None, None
    text = _normalize(value)
    if not text:
        return None, None
    bare = _strip_labels(text)
    if _ISO.fullmatch(bare):
        try:
            parsed = isoparse(bare.replace(" Z", "Z"))
        except ValueError:
            parsed = None
        if parsed is not None and parsed.year in _YEAR_RANGE:
            if parsed.tzinfo is None:
                return _to_result(parsed.replace(tzinfo=timezone.utc), named_zone=False)
            return _to_result(parsed, named_zone=True)
    stamp = _stamp_of(text)
    if stamp.day is None:
        return None, None
    clock = stamp.clock or time(0)
    if stamp.clock is None or stamp.zone is None:
        return _to_result(datetime.combine(stamp.day, clock, tzinfo=timezone.utc), named_zone=False)
    return _to_result(datetime.combine(stamp.day, clock, tzinfo=stamp.zone), named_zone=True)


def _to_result(moment: datetime, *, named_zone: bool) -> tuple[pd.Timestamp, str | None]:
    offset = _format_offset(moment.utcoffset()) if named_zone else None
    return pd.Timestamp(moment.astimezone(timezone.utc)), offset


def _format_offset(delta: timedelta | None) -> str | None:
    if delta is None:
        return None
    minutes = round(delta.total_seconds() / 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2212", "-")
    return " ".join(text.split())


_LEADING_LABEL = re.compile(
    r"^(?:(?:last|first)\s+)?(?:(?:updated|published|posted|modified|created|dated|date|edited|issued|released|filed)\b)?\s*(?:(?:on|at)\b)?\s*[:\-–—|]?\s*",
    re.IGNORECASE,
)


def _strip_labels(text: str) -> str:
    return _LEADING_LABEL.sub("", text, count=1).strip()


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup  # the outer alternative: it closes after its inner groups
        if kind == "sep":
            continue
        tokens.append(_Token(kind, m.group(0), m))
    return tokens


@lru_cache(maxsize=1 << 15)
def _stamp_of(text: str) -> _Stamp:
    """:func:`_read_stamp`, cached: a block is read once for :func:`looks_like_date` and again for
    :func:`parse_published` (callers only read the stamp; never modify it)."""
    return _read_stamp(text)


def _read_stamp(text: str) -> _Stamp:
    """Read the first date, the first time and the zone written next to that time.

    Tokens that are neither part of a date, a time, a zone nor a label are counted in
    ``unknown``: a line with none is a pure stamp.
    """
    text = re.sub(r"(?<=\d)T(?=\d)", " ", text)
    tokens = _tokenize(text)
    stamp = _Stamp()
    used = [False] * len(tokens)

    for i, tok in enumerate(tokens):
        if tok.kind == "word":
            word = tok.text.rstrip(".").lower()
            if _weekday(word) is not None or word in _LABEL_WORDS or tok.text.rstrip(".") in ZONES:
                used[i] = True

    # The first date makes the stamp, with the first time that stands nearer to it than
    # to any later date (a "Published ..." line may go on with "Updated ..."). Later dates
    # and times are consumed too, so that a line of two stamps is still a stamp.
    dates = list(iter(lambda: _find_date(tokens, used), None))
    times = list(iter(lambda: _find_time(tokens, used), None))
    if dates:
        stamp.day = dates[0][0]
    for clock, zone, at in times:
        nearest = min(dates, key=lambda d: min(abs(at - k) for k in d[1]), default=None)
        if nearest is None or nearest is dates[0]:
            stamp.clock, stamp.zone = clock, zone
            break
    stamp.unknown = sum(1 for flag in used if not flag)
    return stamp


def _weekday(word: str) -> int | None:
    return _WEEKDAYS.get(word)


def _month(tok: _Token) -> int | None:
    if tok.kind != "word":
        return None
    return _MONTHS.get(tok.text.rstrip(".").lower())


def _day(tok: _Token) -> int | None:
    if tok.kind == "ordinal":
        return int(tok.value.group("od"))
    if tok.kind == "number" and len(tok.text) <= 2:
        return int(tok.text)
    return None


def _year(tok: _Token) -> int | None:
    if tok.kind == "number" and len(tok.text) == 4:
        return int(tok.text)
    return None


def _make_date(year: int, month: int, day: int) -> date | None:
    if year not in _YEAR_RANGE:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _find_date(tokens: list[_Token], used: list[bool]) -> tuple[date, list[int]] | None:
    """The first complete date among the unused tokens and their positions (marked used)."""
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if used[i]:
            continue
        found: tuple[date | None, list[int]] | None = None
        if tok.kind == "ymd":
            m = tok.value
            found = (_make_date(int(m.group("y1")), int(m.group("m1")), int(m.group("d1"))), [i])
        elif tok.kind == "num_date":
            m = tok.value
            a, b, y = int(m.group("a2")), int(m.group("b2")), int(m.group("y2"))
            if len(m.group("y2")) == 2:
                y += 2000 if y < 70 else 1900
            if m.group("s2") == "/" and a <= 12:
                a, b = b, a  # month first unless the first number cannot be a month
            found = (_make_date(y, b, a), [i])
        elif (month := _month(tok)) is not None:
            j = _skip_of(tokens, i + 1)
            # Month Day Year: "March 18, 2025", "Mar. 18th 2025"
            if j + 1 < n and _day(tokens[j]) is not None and _year(tokens[j + 1]) is not None:
                found = (_make_date(_year(tokens[j + 1]), month, _day(tokens[j])), [i, j, j + 1])
            # Month Day Time Zone Year (Unix and Twitter): "Tue Mar 18 07:10:00 +0000 2025"
            elif j + 2 < n and _day(tokens[j]) is not None and tokens[j + 1].kind == "time" and (y := _year_after_time(tokens, j + 2)):
                found = (_make_date(_year(tokens[y]), month, _day(tokens[j])), [i, j, y])
            # Day Month Year: "18 March 2025", "18th of March, 2025"
            elif i >= 1 and j < n and _year(tokens[j]) is not None:
                k = i - 1
                if tokens[k].kind == "word" and tokens[k].text.lower() == "of" and k >= 1:
                    k -= 1
                if _day(tokens[k]) is not None:
                    found = (_make_date(_year(tokens[j]), month, _day(tokens[k])), [k, i, j])
        if found is None or found[0] is None or any(used[k] for k in found[1] if tokens[k].kind != "word"):
            continue
        for k in range(min(found[1]), max(found[1]) + 1):  # the parts and any "of" between them
            if k in found[1] or (tokens[k].kind == "word" and tokens[k].text.lower() in {"of", "the"}):
                used[k] = True
        return found[0], found[1]
    return None


def _year_after_time(tokens: list[_Token], j: int) -> int | None:
    """Position of a year that follows a time and at most one zone, else None."""
    if j < len(tokens) and _zone(tokens[j]) is not None:
        j += 1
    return j if j < len(tokens) and _year(tokens[j]) is not None else None


def _skip_of(tokens: list[_Token], j: int) -> int:
    while j < len(tokens) and tokens[j].kind == "word" and tokens[j].text.lower() in {"of", "the"}:
        j += 1
    return j


def _find_time(tokens: list[_Token], used: list[bool]) -> tuple[time, tzinfo | None, int] | None:
    """The first clock time among the unused tokens, the zone written right after it, and its position."""
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if used[i]:
            continue
        hour = minute = second = micro = None
        if tok.kind == "time":
            m = tok.value
            hour, minute = int(m.group("th")), int(m.group("tm"))
            second = int(m.group("ts") or 0)
            micro = int((m.group("tf") or "0")[:6].ljust(6, "0"))
        elif tok.kind == "dot_time":
            m = tok.value
            hour, minute, second, micro = int(m.group("dh")), int(m.group("dm")), 0, 0
        elif tok.kind == "number" and len(tok.text) <= 2 and i + 1 < n and tokens[i + 1].kind == "ampm":
            hour, minute, second, micro = int(tok.text), 0, 0, 0
        if hour is None:
            continue
        span = [i]
        j = i + 1
        if j < n and tokens[j].kind == "ampm":
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if tokens[j].value.group("ap").lower() == "p" else 0)
            span.append(j)
            j += 1
        if hour > 23 or minute > 59 or second > 60:
            continue
        for k in span:
            used[k] = True
        while j < n and tokens[j].kind == "word" and tokens[j].text.lower() in {"hrs", "hours", "local", "time"}:
            used[j] = True
            j += 1
        zone = _zone(tokens[j]) if j < n else None
        if zone is not None:
            used[j] = True
        return time(hour, minute, min(second, 59), micro), zone, i
    return None


def _zone(tok: _Token) -> tzinfo | None:
    if tok.kind == "gmt_offset":
        m = tok.value
        delta = timedelta(hours=int(m.group("gh")), minutes=int(m.group("gm") or 0))
        return _fixed(-delta if m.group("gsign") == "-" else delta)
    if tok.kind == "offset":
        m = tok.value
        delta = timedelta(hours=int(m.group("oh")), minutes=int(m.group("om")))
        if delta > timedelta(hours=14):
            return None
        return _fixed(-delta if m.group("osign") == "-" else delta)
    if tok.kind == "word":
        name = tok.text.rstrip(".")
        entry = ZONES.get(name) if name.isupper() else None
        if isinstance(entry, timedelta):
            return _fixed(entry)
        if isinstance(entry, str):
            return ZoneInfo(entry)
    return None


def _fixed(delta: timedelta) -> tzinfo:
    return timezone.utc if delta == timedelta(0) else timezone(delta)
