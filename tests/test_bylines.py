"""Specification of ``mediawork.bylines``: authors, byline lines, datelines, e-mails."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mediawork.bylines
from mediawork.bylines import is_byline, is_contributor_line, parse_authors, split_dateline, strip_emails

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

AUTHORS = [
    ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ("By Jane Doe, John Roe and Ann Poe", ["Jane Doe", "John Roe", "Ann Poe"]),
    ("By Jane Doe, John Roe, and Ann Poe", ["Jane Doe", "John Roe", "Ann Poe"]),
    ("By Jane Doe & John Roe", ["Jane Doe", "John Roe"]),
    ("BYLINE: Jane Doe in Kyiv", ["Jane Doe"]),
    ("Byline: JANE DOE", ["Jane Doe"]),
    ("Jane Doe, Political Correspondent", ["Jane Doe"]),
    ("Jane Doe | Reuters", ["Jane Doe"]),
    ("By Jane Doe, Associated Press", ["Jane Doe"]),
    ("By Jane Doe, The Associated Press", ["Jane Doe"]),
    ("Jane Doe (AP)", ["Jane Doe"]),
    ("Write to Jane Doe at jane.doe@example.com", ["Jane Doe"]),
    ("Write to Jane Doe at jd@x.com and John Roe at jr@x.com", ["Jane Doe", "John Roe"]),
    (
        "Reporting by Jane Doe in Kyiv and John Roe in Moscow; Additional reporting by Ann Poe; Editing by Bob Editor",
        ["Jane Doe", "John Roe", "Ann Poe"],
    ),
    ("Writing by Ann Poe; Editing by Bob Editor and Cy Checker", ["Ann Poe"]),
    ("Editing by Bob Editor", []),
    ("Photos by Pat Lens", []),
    (["Jane Doe", "John Roe"], ["Jane Doe", "John Roe"]),
    (("Jane Doe", "Jane Doe", "john roe"), ["Jane Doe"]),
    ([{"name": "Jane Doe"}, {"name": "John Roe"}, {"id": 3}], ["Jane Doe", "John Roe"]),
    (["Madonna", "Reuters"], ["Madonna"]),
    ("Jane Doe; John Roe", ["Jane Doe", "John Roe"]),
    ("Jane Doe, John Roe", ["Jane Doe", "John Roe"]),
    ("By Olena Kovalenko", ["Olena Kovalenko"]),
    ("By Recep Tayyip Erdoğan", ["Recep Tayyip Erdoğan"]),
    ("By Jean-Luc de la Tour", ["Jean-Luc de la Tour"]),
    ("By Sean O'Neill", ["Sean O'Neill"]),
    ("By Sean O’Neill and Ludwig van Beethoven", ["Sean O’Neill", "Ludwig van Beethoven"]),
    ("By Bashar al-Assad", ["Bashar al-Assad"]),
    ("By Dr. Jane Doe, Staff Writer", ["Jane Doe"]),
    ("By Jane Doe Staff Writer", ["Jane Doe"]),
    ("Jane Doe, Bureau Chief", ["Jane Doe"]),
    ("Jane Doe, Senior Foreign Correspondent", ["Jane Doe"]),
    ("By Jane Doe, Reporter", ["Jane Doe"]),
    ("By Prof. Ann Poe", ["Ann Poe"]),
    ("By John Roe Jr.", ["John Roe Jr."]),
    ("By John Roe, Jr.", ["John Roe Jr."]),
    ("By Jane A. Doe.", ["Jane A. Doe"]),
    ("By J. K. Poe", ["J. K. Poe"]),
    ("By Jane Doe (@janedoe)", ["Jane Doe"]),
    ("By Jane Doe | Mar 18, 2025 12:40 PM IST", ["Jane Doe"]),
    ("By Jane Doe Updated 3:05 PM EST, Tue March 18, 2025", ["Jane Doe"]),
    ("By Jane Doe and John Roe, The Wall Street Journal", ["Jane Doe", "John Roe"]),
    ("Jane Doe, Hindustan Times", ["Jane Doe"]),
    ("By Jane Doe, CNBC", ["Jane Doe"]),
    ("By Jane Doe, for The Guardian", ["Jane Doe"]),
    ("By Jane Doe and John Roe in Kyiv and Moscow", ["Jane Doe", "John Roe"]),
    ("Jane Doe <jane@example.com>", ["Jane Doe"]),
    ("By JEAN-LUC DE LA TOUR", ["Jean-Luc de la Tour"]),
    ("BY JANE DOE AND JOHN ROE", ["Jane Doe", "John Roe"]),
    ("By Recep Tayyip Erdog\u0306an", ["Recep Tayyip Erdoğan"]),
    ("By\u00a0Jane\u00a0Doe", ["Jane Doe"]),
    ("Reuters", []),
    ("AP", []),
    ("AFP", []),
    ("Staff", []),
    ("HT Correspondent", []),
    ("By The Associated Press", []),
    ("jane.doe@example.com", []),
    (["jane.doe@example.com"], []),
    ("", []),
    (None, []),
    ([], []),
    ("Oksana Melnyk in Kyiv", ["Oksana Melnyk"]),
    ("Harriet Calloway, Defence and security editor", ["Harriet Calloway"]),
    ("Tomas Berg, Energy and climate correspondent", ["Tomas Berg"]),
    ("By Gwen Halvorsen | Lakeside Tribune", ["Gwen Halvorsen"]),
]

BYLINES = [
    "By Jane Doe and John Roe",
    "By Jane Doe, John Roe and Ann Poe",
    "BYLINE: Jane Doe in Kyiv",
    "Jane Doe, Political Correspondent",
    "Jane Doe | Reuters",
    "By Jane Doe, Associated Press",
    "Jane Doe (AP)",
    "Write to Jane Doe at jane.doe@example.com",
    "Write to Jane Doe at jd@x.com and John Roe at jr@x.com",
    "Reporting by Jane Doe in Kyiv and John Roe in Moscow; Additional reporting by Ann Poe; Editing by Bob Editor",
    "Editing by Bob Editor",
    "By Recep Tayyip Erdoğan",
    "By Jean-Luc de la Tour",
    "By Sean O'Neill",
    "By Reuters",
    "By The Associated Press",
    "By Jane Doe | Mar 18, 2025 12:40 PM IST",
    "Author: Jane Doe",
    "By Jane Doe, CNBC",
    "By Jane Doe, for The Guardian",
    "By Jane Doe and John Roe in Kyiv and Moscow",
    "Written by Jane Doe",
    "  By Jane Doe  ",
    "By Jane Doe Updated 3:05 PM EST, Tue March 18, 2025",
    "Oksana Melnyk in Kyiv",
    "Harriet Calloway, Defence and security editor",
    "Pierre Vasseur, Europe correspondent",
    "By Gwen Halvorsen | Lakeside Tribune",
]

NOT_BYLINES = [
    "By Monday the talks had stalled, officials said.",
    "Reporting by state media suggested otherwise.",
    "Reporting by Reuters showed the deal was close.",
    "By contrast, Moscow kept its demands.",
    "By Tuesday, officials in Kyiv said the line held.",
    "By Christmas Day.",
    "By the numbers",
    "By The Numbers: How The War Changed",
    "By Jane Doe's account, the talks failed.",
    "By Land And Sea",
    "By Monday",
    "Write to your MP to complain.",
    "Write to Congress",
    "Vladimir Putin, Russian President",
    "Jane Doe",
    "Jane Doe; John Roe",
    "Russia",
    "Share this article",
    "Latest News | Top Stories",
    "World News | Politics",
    "Ukraine Crisis | Reuters",
    "Photo: Jane Doe/Reuters",
    "Jane Doe, a political correspondent, said the vote was close.",
    "Jane Doe is a correspondent in Kyiv.",
    "Jane Doe reports from Kyiv",
    "By Air, Sea And Land",
    "By Order Of The President",
    "By NATO standards the drill was small.",
    "By 2030 the plant should be running.",
    "Write to us with your questions.",
    "Written by hand, the letter reached Kyiv.",
    "Posted by a user on Telegram, the video spread.",
    "Reporting by Jane Doe and others found the same.",
    "BY THE WAY, NOBODY ASKED",
    "In Moscow, the Kremlin dampened hopes.",
    "",
    "By " + "Jane Doe and " * 30 + "John Roe",
    "Truce Talks Resume in Riyadh",
    "Envoys Meet in Jeddah",
    "Leaders Gather in Paris",
    "Drones Hit Kherson in Overnight Attack",
    "Tomas Berg contributed reporting from Odesa.",
]

DATELINES = [
    ("WASHINGTON—President Trump’s hopes rest on a call", "WASHINGTON", "President Trump’s hopes rest on a call"),
    ("KYIV, Ukraine (AP) — Russia launched drones overnight.", "KYIV, Ukraine (AP)", "Russia launched drones overnight."),
    ("LONDON (Reuters) - Prices rose on Tuesday.", "LONDON (Reuters)", "Prices rose on Tuesday."),
    ("MOSCOW, March 18 (Reuters) - The Kremlin said little.", "MOSCOW, March 18 (Reuters)", "The Kremlin said little."),
    ("BRUSSELS -- Ministers met again.", "BRUSSELS", "Ministers met again."),
    ("WASHINGTON: The Senate voted late on Monday night.", "WASHINGTON", "The Senate voted late on Monday night."),
    ("New Delhi: The government said it would respond soon.", "New Delhi", "The government said it would respond soon."),
    ("Kyiv, March 18: Ukraine said the strikes hit power plants.", "Kyiv, March 18", "Ukraine said the strikes hit power plants."),
    ("New Delhi, Mar 18 (PTI): The court heard the plea on Tuesday.", "New Delhi, Mar 18 (PTI)", "The court heard the plea on Tuesday."),
    ("ST. LOUIS (AP) — A storm moved east.", "ST. LOUIS (AP)", "A storm moved east."),
    ("PORT-AU-PRINCE, Haiti (AP) — Gangs blocked roads.", "PORT-AU-PRINCE, Haiti (AP)", "Gangs blocked roads."),
    ("WASHINGTON, D.C. — Lawmakers returned.", "WASHINGTON, D.C.", "Lawmakers returned."),
    ("March 18 (Reuters) - Oil prices fell.", "March 18 (Reuters)", "Oil prices fell."),
    ("SÃO PAULO — Brazil's central bank acted.", "SÃO PAULO", "Brazil's central bank acted."),
    ("London (Reuters) - Shares slipped.", "London (Reuters)", "Shares slipped."),
    ("BEIJING – China said it would reply.", "BEIJING", "China said it would reply."),
    ("KYIV, March 18, 2025 — Air raid alerts sounded.", "KYIV, March 18, 2025", "Air raid alerts sounded."),
    ("ANKARA — “We are ready,” the minister said.", "ANKARA", "“We are ready,” the minister said."),
]

NOT_DATELINES = [
    "In Moscow, the Kremlin dampened hopes.",
    "Trump—who spoke Monday—said the call went well.",
    "Russia stole almost another week—a week of war",
    "“We have made no such commitments,” Hughes said.",
    "Note: This story was updated with new figures from the ministry.",
    "UPDATE: The ministry released new figures on Tuesday evening.",
    "Zelensky said: We will not give up any land at all.",
    "Belle Image: Ann Poe.",
    "Categories: August 15, 2008 Canada Published North America Politics",
    "NATO—the alliance—met in Brussels.",
    "The deal - which took months - collapsed.",
    "Ukraine",
    "",
    "WASHINGTON—",
]

EMAILS = [
    ("Write to Jane Doe at jane.doe@example.com", "Write to Jane Doe"),
    ("Write to Jane Doe at jd@x.com and John Roe at jr@x.com", "Write to Jane Doe and John Roe"),
    ("Write to Jane Doe at: jd@x.com", "Write to Jane Doe"),
    ("Email: desk@example.org", ""),
    ("Tips? Email: desk@example.org.", "Tips?"),
    ("Jane Doe <jane@example.com>", "Jane Doe"),
    ("Jane Doe (jane@example.com) reported.", "Jane Doe reported."),
    ("Contact jd@x.com or jr@x.com", ""),
    ("Send mail to mailto:jd@x.com today", "Send mail to today"),
    ("No address   here,  just   spaces", "No address here, just spaces"),
    ("line one jd@x.com\nline two", "line one\nline two"),
    ("Olena Kovalenko at olena.k@поштa.example.ua", "Olena Kovalenko"),
]


@pytest.mark.parametrize(("text", "expected"), AUTHORS)
def test_parse_authors(text: object, expected: list[str]) -> None:
    assert parse_authors(text) == expected


@pytest.mark.parametrize(("text", "_"), AUTHORS)
def test_parse_authors_never_returns_an_email(text: object, _: list[str]) -> None:
    assert all("@" not in name for name in parse_authors(text))


def test_parse_authors_does_not_modify_a_list() -> None:
    names = ["Jane Doe", "jane@example.com", "Jane Doe"]
    parse_authors(names)
    assert names == ["Jane Doe", "jane@example.com", "Jane Doe"]


@pytest.mark.parametrize("line", BYLINES)
def test_is_byline_accepts_bylines(line: str) -> None:
    assert is_byline(line) is True


@pytest.mark.parametrize("line", NOT_BYLINES)
def test_is_byline_rejects_body_text(line: str) -> None:
    assert is_byline(line) is False


@pytest.mark.parametrize(("paragraph", "dateline", "rest"), DATELINES)
def test_split_dateline(paragraph: str, dateline: str, rest: str) -> None:
    assert split_dateline(paragraph) == (dateline, rest)


@pytest.mark.parametrize("paragraph", NOT_DATELINES)
def test_split_dateline_leaves_ordinary_paragraphs(paragraph: str) -> None:
    assert split_dateline(paragraph) == (None, paragraph)


@pytest.mark.parametrize(("text", "expected"), EMAILS)
def test_strip_emails(text: str, expected: str) -> None:
    assert strip_emails(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_functions_never_raise(text: str) -> None:
    assert isinstance(parse_authors(text), list)
    assert isinstance(is_byline(text), bool)
    dateline, rest = split_dateline(text)
    assert dateline is None or text.strip().startswith(dateline)
    assert "a.b@c.de" not in strip_emails(text + " a.b@c.de")


def test_docstring_examples_run() -> None:
    result = doctest.testmod(mediawork.bylines)
    assert result.attempted > 0
    assert result.failed == 0


def _seed_lines() -> list[str]:
    seeds = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
    if not seeds:
        pytest.skip(f"no seed dump under {SHARED / 'seeds'}: the real-data check needs ../shared/seeds beside the repository")
    return [line for line in seeds[0].read_text(encoding="utf-8").split("\n") if line.strip()]


def test_seed_dump_has_one_byline_and_one_dateline() -> None:
    lines = _seed_lines()
    bylines = [line for line in lines if is_byline(line)]
    assert len(bylines) == 1 and bylines[0].startswith("Write to ")
    authors = parse_authors(bylines[0])
    assert len(authors) == 1 and len(authors[0].split()) == 2 and "@" not in authors[0]
    datelines = [split_dateline(line)[0] for line in lines]
    assert [d for d in datelines if d] == ["WASHINGTON"]


def test_gum_news_paragraphs_are_neither_bylines_nor_datelines() -> None:
    path = SHARED / "data" / "gum_news" / "gum_news.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found: the real-data check needs ../shared/data/gum_news beside the repository")
    paragraphs = [p for line in path.read_text(encoding="utf-8").splitlines() if line.strip() for p in json.loads(line)["text"].split("\n\n")]
    assert len(paragraphs) > 100
    assert [p[:60] for p in paragraphs if is_byline(p)] == []
    assert [p[:60] for p in paragraphs if split_dateline(p)[0] is not None] == []


CONTRIBUTORS = [
    ("Priya Natarajan contributed reporting from Kyiv.", True),
    ("Lena Ortiz and Ravi Menon contributed to this report.", True),
    ("Lena Ortiz, Ravi Menon and Ana Pires contributed reporting from Kyiv and Moscow.", True),
    ("Nadia Petrova reported from Warsaw.", True),
    ("Nadia Petrova also contributed reporting.", True),
    ("The ministry reported from Moscow that the talks had stalled.", False),
    ("The Kremlin reported from Moscow.", False),
    ("President Volodymyr Zelensky reported from Kyiv.", False),
    ("Truce Talks reported from Riyadh.", False),
    ("Officials contributed.", False),
    ("By Jane Doe in Kyiv", False),
    ("Nadia Petrova reported from Warsaw.\nShe returned on Monday.", False),
]


@pytest.mark.parametrize(("line", "expected"), CONTRIBUTORS)
def test_is_contributor_line(line: str, expected: bool) -> None:
    assert is_contributor_line(line) is expected


@pytest.mark.parametrize(("line", "_"), CONTRIBUTORS)
def test_contributor_lines_are_not_bylines(line: str, _: bool) -> None:
    # contributors are not bylined authors: the two tests never both accept a line
    assert not (is_contributor_line(line) and is_byline(line))
