"""Specification of ``mediawork.dates``: date stamps → UTC timestamp + original offset."""

from __future__ import annotations

import doctest
import json
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mediawork.dates
from mediawork.dates import ZONES, looks_like_date, parse_published

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# (text, expected instant in UTC, expected offset)
PARSED = [
    ("Mar 18, 2025 12:40 PM IST", "2025-03-18T07:10:00Z", "+05:30"),
    ("2025-03-18T12:40:00+05:30", "2025-03-18T07:10:00Z", "+05:30"),
    ("2025-03-18T12:40:00+0530", "2025-03-18T07:10:00Z", "+05:30"),
    ("2025-03-18T07:10:00Z", "2025-03-18T07:10:00Z", "+00:00"),
    ("2025-03-18T07:10:00.250Z", "2025-03-18T07:10:00.250Z", "+00:00"),
    ("2025-03-18T09:10:00-04:00", "2025-03-18T13:10:00Z", "-04:00"),
    ("2025-03-18 12:40:00", "2025-03-18T12:40:00Z", None),
    ("2025-03-18 12:40:00 +05:30", "2025-03-18T07:10:00Z", "+05:30"),
    ("2025-03-18", "2025-03-18T00:00:00Z", None),
    ("Tue, 18 Mar 2025 07:10:00 GMT", "2025-03-18T07:10:00Z", "+00:00"),
    ("Tue, 18 Mar 2025 09:10:00 +0200", "2025-03-18T07:10:00Z", "+02:00"),
    ("18 March 2025", "2025-03-18T00:00:00Z", None),
    ("March 18, 2025", "2025-03-18T00:00:00Z", None),
    ("18 Mar 2025", "2025-03-18T00:00:00Z", None),
    ("18th of March, 2025", "2025-03-18T00:00:00Z", None),
    ("Sept. 3, 2024", "2024-09-03T00:00:00Z", None),
    ("18 March 2025 14:05 GMT", "2025-03-18T14:05:00Z", "+00:00"),
    ("Updated 3:05 PM EST, Tue March 18, 2025", "2025-03-18T20:05:00Z", "-05:00"),
    ("March 18, 2025 at 4:12 p.m. ET", "2025-03-18T20:12:00Z", "-04:00"),
    ("Published: 18 March 2025, 09:30 BST", "2025-03-18T08:30:00Z", "+01:00"),
    ("Last updated on 18.03.2025", "2025-03-18T00:00:00Z", None),
    ("18-03-2025", "2025-03-18T00:00:00Z", None),
    ("3/18/2025", "2025-03-18T00:00:00Z", None),
    ("18/03/2025", "2025-03-18T00:00:00Z", None),
    ("18.03.25", "2025-03-18T00:00:00Z", None),
    ("March 18, 2025 Tuesday", "2025-03-18T00:00:00Z", None),
    ("March 18, 2025 Tuesday 10:30 AM EST", "2025-03-18T15:30:00Z", "-05:00"),
    ("Posted on March 18, 2025", "2025-03-18T00:00:00Z", None),
    ("First published on Tue 18 Mar 2025 10.15 GMT", "2025-03-18T10:15:00Z", "+00:00"),
    ("Friday, July 21, 2017", "2017-07-21T00:00:00Z", None),
    ("12.40 pm IST, 18 March 2025", "2025-03-18T07:10:00Z", "+05:30"),
    ("18.03.2025 10:15 hrs IST", "2025-03-18T04:45:00Z", "+05:30"),
    ("Mar 18, 2025 12:40 PM GMT+5:30", "2025-03-18T07:10:00Z", "+05:30"),
    ("Mar 18, 2025 12:40 PM UTC+05:30", "2025-03-18T07:10:00Z", "+05:30"),
    ("March 18, 2025 9 a.m.", "2025-03-18T09:00:00Z", None),
    ("Tue Mar 18 07:10:00 +0000 2025", "2025-03-18T07:10:00Z", "+00:00"),
    ("Tue Mar 18 12:40:00 IST 2025", "2025-03-18T07:10:00Z", "+05:30"),
    ("Tue Mar 18 12:40:00 2025", "2025-03-18T12:40:00Z", None),
    ("Mar. 18, 2025, at 9:30 a.m. EDT", "2025-03-18T13:30:00Z", "-04:00"),
    ("UPDATED MARCH 18, 2025 04:12 PM ET", "2025-03-18T20:12:00Z", "-04:00"),
    ("Last Modified: Tuesday, March 18, 2025 | 12:40 IST", "2025-03-18T07:10:00Z", "+05:30"),
    ("2025/03/18 12:40", "2025-03-18T12:40:00Z", None),
    ("March 18, 2025 12:00 AM", "2025-03-18T00:00:00Z", None),
    ("March 18, 2025 12:30 pm", "2025-03-18T12:30:00Z", None),
    ("  Updated:\u00a0March 18, 2025  ", "2025-03-18T00:00:00Z", None),
    # two stamps: the first date, with the time written next to it
    ("Mar 18, 2025 12:40 PM IST | Updated: Mar 18, 2025 1:10 PM IST", "2025-03-18T07:10:00Z", "+05:30"),
    ("Published 18 March 2025 Updated 19 March 2025 10:00 GMT", "2025-03-18T00:00:00Z", None),
]

# zone abbreviation → offset on 18 March 2025 at 12:00 local time
ZONE_OFFSETS = [
    ("IST", "+05:30"), ("GMT", "+00:00"), ("UTC", "+00:00"), ("BST", "+01:00"), ("CET", "+01:00"),
    ("CEST", "+02:00"), ("EET", "+02:00"), ("EEST", "+03:00"), ("MSK", "+03:00"), ("EST", "-05:00"),
    ("EDT", "-04:00"), ("CST", "-06:00"), ("CDT", "-05:00"), ("MST", "-07:00"), ("MDT", "-06:00"),
    ("PST", "-08:00"), ("PDT", "-07:00"), ("JST", "+09:00"), ("AEST", "+10:00"), ("AEDT", "+11:00"),
    ("ET", "-04:00"), ("CT", "-05:00"), ("MT", "-06:00"), ("PT", "-07:00"),
]

# the DST-ambiguous US names are resolved for the date
REGIONAL = [
    ("January 10, 2025 at 9 a.m. ET", "2025-01-10T14:00:00Z", "-05:00"),
    ("March 7, 2025 at 9 a.m. ET", "2025-03-07T14:00:00Z", "-05:00"),
    ("March 10, 2025 at 9 a.m. ET", "2025-03-10T13:00:00Z", "-04:00"),
    ("July 4, 2025 8:00 PM PT", "2025-07-05T03:00:00Z", "-07:00"),
    ("December 1, 2025 8:00 PM PT", "2025-12-02T04:00:00Z", "-08:00"),
    ("Nov 20, 2024 6:15 PM CT", "2024-11-21T00:15:00Z", "-06:00"),
    ("June 2, 2024 6:15 AM MT", "2024-06-02T12:15:00Z", "-06:00"),
]

NO_DATE = [
    "",
    "   ",
    "junk",
    "March 2025",
    "March 18",
    "12:40 PM IST",
    "Feb 30, 2025",
    "31/31/2025",
    "18 March 1066",
    "2025-13-45",
    "Version 2.10 of the report",
    "Subscribe now @1199/year",
    "25:61 GMT",
]

STAMPS = [
    "Mar 18, 2025 12:40 PM IST",
    "Updated 3:05 PM EST, Tue March 18, 2025",
    "March 18, 2025 at 4:12 p.m. ET",
    "Published: 18 March 2025, 09:30 BST",
    "Last updated on 18.03.2025",
    "March 18, 2025 Tuesday",
    "18 Mar 2025",
    "Tue, 18 Mar 2025 07:10:00 GMT",
    "2025-03-18T12:40:00+05:30",
    "Posted: 18/03/2025 | 12:40 IST",
    "First published on Tue 18 Mar 2025 10.15 GMT",
    "Updated: 12:40 PM IST",
    "(Friday, July 21, 2017)",
    "Published 18 March 2025 Updated 19 March 2025 10:00 GMT",
    "Mar 18, 2025 12:40 PM IST | Updated: Mar 18, 2025 1:10 PM IST",
]

NOT_STAMPS = [
    "On March 18, 2025 the talks resumed in Riyadh after a week of delay.",
    "The summit ended on 18 March 2025.",
    "Talks are planned for Tuesday.",
    "Updated",
    "March 2025",
    "5 min read",
    "2 hours ago",
    "Subscribe now @1199/year",
    "Read more at 12:40",
    "",
    "Updated March 18, 2025 " + "and then a very long tail of words " * 3,
]


def _utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_convert("UTC")


@pytest.mark.parametrize(("text", "instant", "offset"), PARSED)
def test_parse_published_reads_known_forms(text: str, instant: str, offset: str | None) -> None:
    ts, off = parse_published(text)
    assert ts == _utc(instant)
    assert off == offset


@pytest.mark.parametrize(("zone", "offset"), ZONE_OFFSETS)
def test_parse_published_zone_table(zone: str, offset: str) -> None:
    ts, off = parse_published(f"18 March 2025 12:00 {zone}")
    assert off == offset
    sign = 1 if offset[0] == "+" else -1
    hours, minutes = int(offset[1:3]), int(offset[4:6])
    expected = pd.Timestamp("2025-03-18 12:00", tz="UTC") - sign * pd.Timedelta(hours=hours, minutes=minutes)
    assert ts == expected


@pytest.mark.parametrize(("text", "instant", "offset"), REGIONAL)
def test_parse_published_resolves_us_regional_zones_for_the_date(text: str, instant: str, offset: str) -> None:
    assert parse_published(text) == (_utc(instant), offset)


@pytest.mark.parametrize("text", NO_DATE)
def test_parse_published_gives_none_without_a_complete_date(text: str) -> None:
    assert parse_published(text) == (None, None)


@pytest.mark.parametrize(
    ("value", "instant", "offset"),
    [
        (datetime(2025, 3, 18, 12, 40), "2025-03-18T12:40:00Z", None),
        (datetime(2025, 3, 18, 9, 10, tzinfo=ZoneInfo("Europe/Kyiv")), "2025-03-18T07:10:00Z", "+02:00"),
        (datetime(2025, 3, 18, 7, 10, tzinfo=timezone.utc), "2025-03-18T07:10:00Z", "+00:00"),
        (pd.Timestamp("2025-03-18 12:40", tz="Asia/Kolkata"), "2025-03-18T07:10:00Z", "+05:30"),
        (pd.Timestamp("2025-03-18 07:10"), "2025-03-18T07:10:00Z", None),
        (date(2025, 3, 18), "2025-03-18T00:00:00Z", None),
        (np.datetime64("2025-03-18T07:10"), "2025-03-18T07:10:00Z", None),
    ],
)
def test_parse_published_accepts_datetimes(value: object, instant: str, offset: str | None) -> None:
    assert parse_published(value) == (_utc(instant), offset)


@pytest.mark.parametrize("value", [None, pd.NaT, float("nan"), 20250318, 3.5, b"2025-03-18", ["2025-03-18"], {"date": "x"}])
def test_parse_published_gives_none_for_non_dates(value: object) -> None:
    assert parse_published(value) == (None, None)


def test_parse_published_returns_utc_microsecond_timestamps() -> None:
    ts, _ = parse_published("Mar 18, 2025 12:40 PM IST")
    assert str(ts.tz) == "UTC"
    assert ts.unit == "us"


def test_parse_published_results_make_one_utc_column() -> None:
    values = ["Mar 18, 2025 12:40 PM IST", datetime(2025, 3, 18), "2025-03-18", pd.Timestamp("2025-03-18", tz="Asia/Kolkata"), "junk"]
    column = pd.Series([parse_published(v)[0] for v in values])
    assert str(column.dtype) == "datetime64[us, UTC]"
    assert column.isna().tolist() == [False, False, False, False, True]


def test_parse_published_ignores_overlong_text() -> None:
    assert parse_published("March 18, 2025 " + "word " * 200) == (None, None)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parse_published_never_raises(text: str) -> None:
    ts, off = parse_published(text)
    if ts is None:
        assert off is None
    else:
        assert str(ts.tz) == "UTC"
    assert isinstance(looks_like_date(text), bool)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2090, 12, 31)))
def test_parse_published_round_trips_iso(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    ts, off = parse_published(moment.isoformat() + "Z")
    assert ts == pd.Timestamp(moment, tz="UTC")
    assert off == "+00:00"


@pytest.mark.parametrize("line", STAMPS)
def test_looks_like_date_accepts_stamps(line: str) -> None:
    assert looks_like_date(line) is True


@pytest.mark.parametrize("line", NOT_STAMPS)
def test_looks_like_date_rejects_sentences_and_other_lines(line: str) -> None:
    assert looks_like_date(line) is False


def test_zone_table_is_written_once_in_capitals() -> None:
    assert all(name.isupper() for name in ZONES)
    assert ZONES["IST"] == pd.Timedelta(hours=5, minutes=30)
    assert ZONES["ET"] == "America/New_York"


def test_zone_abbreviations_must_be_capitals() -> None:
    # "et" in lower case is a word (French "and"), not Eastern Time
    assert parse_published("March 18, 2025 4:12 pm et") == (_utc("2025-03-18T16:12:00Z"), None)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(mediawork.dates)
    assert result.attempted > 0
    assert result.failed == 0


def test_gum_news_datelines_parse_to_their_iso_dates() -> None:
    path = SHARED / "data" / "gum_news" / "gum_news.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found: the real-data check needs ../shared/data/gum_news beside the repository")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert records
    for rec in records:
        ts, off = parse_published(rec["dateline"])
        assert ts is not None and ts.date().isoformat() == rec["dateline_iso"], rec["dateline"]
        assert off is None
        assert looks_like_date(rec["dateline"])


def test_seed_dump_has_exactly_one_date_line() -> None:
    seeds = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
    if not seeds:
        pytest.skip(f"no seed dump under {SHARED / 'seeds'}: the real-data check needs ../shared/seeds beside the repository")
    lines = [line for line in seeds[0].read_text(encoding="utf-8").split("\n") if line.strip()]
    stamps = [line for line in lines if looks_like_date(line)]
    assert len(stamps) == 1
    ts, off = parse_published(stamps[0])
    assert off == "+05:30"
    assert ts == pd.Timestamp("2025-03-18 07:10", tz="UTC")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Updated Tuesday", False),  # no digit: neither a date nor a clock time
        ("Published on the eighteenth of March", False),
        ("March 18, 2025", True),
        ("10:45", True),
        ("Posted ２０２５-０３-１８", True),  # full-width digits become ASCII under NFKC
    ],
)
def test_lines_without_digits_are_not_stamps(line, expected):
    assert looks_like_date(line) is expected
