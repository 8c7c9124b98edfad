"""Seeded generator of realistic raw news dumps, for tests, demos and benchmarks.

:func:`generate_sample` writes ``n`` invented articles about the 2025 Ukraine
cease-fire diplomacy in the shapes ``data/raw/`` holds: plain-text web-page dumps in
several outlet styles (each with its own recurring boilerplate), JSON Lines and CSV
exports of about 500 records each, and HTML article pages. Articles are built from
templates and phrase banks (actors, places, events, quotes, tones), so term counts
and sentiment vary; a few per cent are syndicated near-duplicates or exact
duplicates. The same ``n`` and ``seed`` always give byte-identical files.

Example
-------
>>> import tempfile
>>> paths = generate_sample(20, Path(tempfile.mkdtemp()), seed=1)
>>> len(paths) > 0 and all(p.exists() for p in paths)
True
"""

from __future__ import annotations

import csv
import html
import io
import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from .errors import ParameterError

#: Formats :func:`generate_sample` can write.
FORMATS = ("txt", "jsonl", "csv", "html")

_RECORDS_PER_FILE = 500
_WEIGHTS = {"txt": 70, "jsonl": 12, "csv": 10, "html": 8}
_NEAR_DUPLICATE_RATE = 0.03
_EXACT_DUPLICATE_RATE = 0.01
_RECENT = 300  # how many recent articles duplicates are drawn from

# ---------------------------------------------------------------------------
# Phrase banks
# ---------------------------------------------------------------------------

#: (full reference, short reference, side) for the real public figures of the story.
_ACTORS = {
    "US": [
        ("President Donald Trump", "Trump"),
        ("Secretary of State Marco Rubio", "Rubio"),
        ("national security adviser Mike Waltz", "Waltz"),
        ("special envoy Steve Witkoff", "Witkoff"),
        ("retired general Keith Kellogg, the envoy for Ukraine,", "Kellogg"),
        ("Vice President JD Vance", "Vance"),
    ],
    "RU": [
        ("President Vladimir Putin", "Putin"),
        ("Foreign Minister Sergei Lavrov", "Lavrov"),
        ("Kremlin spokesman Dmitry Peskov", "Peskov"),
        ("Kremlin foreign policy aide Yuri Ushakov", "Ushakov"),
        ("sovereign wealth fund chief Kirill Dmitriev", "Dmitriev"),
    ],
    "UA": [
        ("President Volodymyr Zelensky", "Zelensky"),
        ("Foreign Minister Andrii Sybiha", "Sybiha"),
        ("presidential chief of staff Andriy Yermak", "Yermak"),
        ("Defence Minister Rustem Umerov", "Umerov"),
    ],
    "EU": [
        ("French President Emmanuel Macron", "Macron"),
        ("British Prime Minister Keir Starmer", "Starmer"),
        ("European Commission President Ursula von der Leyen", "von der Leyen"),
        ("NATO Secretary General Mark Rutte", "Rutte"),
        ("Turkish President Recep Tayyip Erdoğan", "Erdoğan"),
        ("Saudi Crown Prince Mohammed bin Salman", "the crown prince"),
    ],
}

#: Events of the story: (date, phrase used in text, dateline city).
_EVENTS = [
    (date(2025, 2, 24), "the third anniversary of the full-scale invasion", "KYIV"),
    (date(2025, 2, 28), "the heated Oval Office meeting between Trump and Zelensky", "WASHINGTON"),
    (date(2025, 3, 2), "the London summit of European leaders", "LONDON"),
    (date(2025, 3, 3), "Washington's pause on military aid to Kyiv", "WASHINGTON"),
    (date(2025, 3, 6), "the emergency EU summit on defence spending", "BRUSSELS"),
    (date(2025, 3, 11), "the Jeddah talks and the US offer of a 30-day cease-fire", "JEDDAH"),
    (date(2025, 3, 13), "Witkoff's visit to Moscow", "MOSCOW"),
    (date(2025, 3, 18), "the Trump-Putin call on a pause in energy strikes", "WASHINGTON"),
    (date(2025, 3, 25), "the Riyadh talks on safe shipping in the Black Sea", "RIYADH"),
    (date(2025, 3, 27), "the Paris summit of the coalition of the willing", "PARIS"),
    (date(2025, 3, 30), "Trump's threat of secondary tariffs on Russian oil", "WASHINGTON"),
    (date(2025, 4, 4), "the missile strike on Kryvyi Rih", "KYIV"),
    (date(2025, 4, 11), "Witkoff's meeting with Putin in St Petersburg", "ST PETERSBURG"),
    (date(2025, 4, 13), "the Palm Sunday strike on Sumy", "KYIV"),
    (date(2025, 4, 17), "the Paris meetings between US, European and Ukrainian officials", "PARIS"),
    (date(2025, 4, 19), "the Easter truce Putin announced", "MOSCOW"),
    (date(2025, 4, 23), "the scaled-back talks in London", "LONDON"),
    (date(2025, 4, 25), "Witkoff's fourth meeting with Putin", "MOSCOW"),
]

_CITIES = ["Kyiv", "Moscow", "Washington", "Brussels", "London", "Paris", "Riyadh", "Jeddah",
           "Istanbul", "Ankara", "Warsaw", "Berlin", "Odesa", "Kharkiv", "Zaporizhzhia", "Sumy",
           "Dnipro", "Kherson", "Mykolaiv", "Geneva"]
_REGIONS = ["Donetsk", "Luhansk", "Zaporizhzhia", "Kherson", "Kursk", "Kharkiv", "Sumy", "Dnipropetrovsk"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WHEN = ["", " on Monday", " on Tuesday", " on Wednesday", " on Thursday", " on Friday", " on Sunday",
         " late on Saturday", " earlier this week", " in a televised address", " at a news conference",
         " in a post on social media", " in an interview", " to reporters"]

_BANKS: dict[str, list[str]] = {
    "city": _CITIES,
    "region": _REGIONS,
    "day": _DAYS,
    "when": _WHEN,
    "ordinal": ["second", "third", "fourth", "fifth", "sixth"],
    "num": ["two", "three", "four", "five", "six", "eight", "ten", "a dozen", "several"],
    "count": [str(k) for k in (3, 4, 6, 7, 9, 11, 12, 14, 17, 20, 23, 28, 31, 35, 40, 46, 52, 60, 75, 90, 120, 175)],
    "drones": [str(k) for k in (48, 67, 81, 96, 112, 130, 145, 160, 178, 205)],
    "hours": ["two", "three", "four", "five", "nearly six"],
    "percent": [str(k) for k in (12, 18, 23, 31, 38, 44, 52, 57, 63)],
    "analyst": ["a former US ambassador to NATO", "a researcher at a London think tank",
                "a professor of international relations in Warsaw", "a former Ukrainian deputy foreign minister",
                "a senior fellow at a Washington research institute", "a retired British general",
                "an analyst who studies Russian foreign policy in Berlin", "a Moscow-based political commentator"],
    "infra": ["power stations", "substations", "gas production sites", "oil refineries", "heating plants",
              "rail depots", "grain terminals", "port cranes", "transformer yards"],
    "issue": ["the fate of occupied territory", "security guarantees for Kyiv", "sanctions relief for Moscow",
              "a European reassurance force", "the control of the Zaporizhzhia nuclear plant",
              "the return of deported children", "prisoner exchanges", "safe passage for grain ships",
              "monitoring of a front line more than 1,000 kilometres long", "a deal on rare-earth minerals",
              "the size of Ukraine's army after the war", "the status of Crimea"],
    "ally": ["France", "Britain", "Germany", "Poland", "Turkey", "Saudi Arabia", "the Baltic states",
             "the Nordic countries", "Italy", "Canada"],
    "adj_good": ["constructive", "useful", "businesslike", "productive", "frank but positive", "encouraging"],
    "adj_bad": ["fruitless", "disappointing", "hollow", "cynical", "one-sided", "tense"],
    "verb_warn": ["warned", "cautioned", "argued", "insisted", "complained", "noted"],
    "weapon": ["ballistic missiles", "cruise missiles", "Shahed drones", "glide bombs", "artillery"],
    "place": ["a residential block", "a playground", "a market", "a school", "a hospital wing", "a bus stop",
              "a power plant", "a railway station", "a hotel", "an apartment building"],
}

# Sentence templates by tone. Slots: {US} {RU} {UA} {EU} (full references), {us} {ru}
# {ua} {eu} (short), {event}, {issue}, and the banks above.
_SENTENCES = {
    "neutral": [
        "Officials from both delegations met for {hours} hours in {city} to discuss {issue}.",
        "{US} said the next round of talks could take place within {num} weeks.",
        "The talks followed {event}, which set the agenda for the week.",
        "According to a statement released on {day}, the sides agreed to keep working on {issue}.",
        "{RU} told state media that Moscow was studying the proposal but had questions about {issue}.",
        "Diplomats said technical teams would continue to meet in {city} and {city2}.",
        "{UA} said Kyiv had shared a list of its priorities with the American side.",
        "The White House did not immediately respond to a request for comment on {issue}.",
        "Russia controls roughly a fifth of Ukraine's territory, including most of {region}.",
        "The front line runs for more than 1,000 kilometres from the north-east to the Black Sea.",
        "{EU} spoke by telephone with {ua} on {day}, according to both offices.",
        "Any agreement would need a way to verify that both sides are respecting it, officials said.",
        "Ukrainian officials said they would publish the text once both sides had signed it.",
        "The Kremlin has said any settlement must address what it calls the root causes of the war.",
        "Analysts noted that the two sides still disagree on {issue} and {issue2}.",
        "A spokesperson for {eu} said European governments were following the talks closely.",
        "The foreign ministry in {city} said it had received the draft on {day}.",
        "The proposal was delivered through intermediaries in {city}, people familiar with it said.",
        "It was the {ordinal} meeting of its kind since the start of the year.",
        "{US} and {UA} are expected to speak again before the end of the week.",
        "Turkey has repeatedly offered to host a new round of negotiations in Istanbul.",
        "Saudi Arabia hosted the earlier rounds, in Jeddah and then in Riyadh.",
        "The sides exchanged written proposals on {issue} but did not publish them.",
        "A senior official said the working groups would focus first on {issue}.",
        "{RU} said Russia would not rush into an agreement that ignored its security interests.",
        "Officials in {city} declined to say how long a monitoring mission might last.",
        "Ukraine's parliament would have to approve any change to the country's borders, under its constitution.",
        "The European Union has adopted {ordinal} packages of sanctions against Russia since 2022.",
        "A joint statement said both parties would refrain from the use of force against commercial vessels.",
        "The statement did not say when the measures would take effect or who would monitor them.",
        "Negotiators were expected to return to {city} by the end of the month.",
        "Both governments have released lists of names for a possible exchange of prisoners.",
        "Ukraine's air force said it shot down {drones} drones overnight, a figure that could not be independently verified.",
        "Markets in Europe reacted cautiously, with defence stocks edging {updown}.",
    ],
    "hopeful": [
        "{US} described the meeting as {adj_good} and said a deal was within reach.",
        "Diplomats said the mood in {city} was the most hopeful since the war began.",
        "{UA} welcomed the progress and thanked partners for their steady support.",
        "Officials said the agreement could save thousands of lives if it holds.",
        "{EU} praised the talks as a real opportunity for a just and lasting peace.",
        "For the first time in months, negotiators spoke openly of a breakthrough on {issue}.",
        "Families of prisoners of war said the exchange gave them new hope.",
        "{US} said both sides had shown goodwill and a genuine desire to end the fighting.",
        "Grain traders welcomed the prospect of safer shipping lanes and calmer insurance markets.",
        "Residents of {city} said they were cautiously optimistic after a quiet night without sirens.",
        "Aid agencies said a pause would let them reach villages cut off for weeks near {region}.",
        "{ua} said the talks had been {adj_good} and that Ukraine was ready to move quickly.",
        "Several allies, including {ally}, offered to help monitor a truce if one is agreed.",
        "The exchange of {count} prisoners was celebrated with tears and embraces at the border.",
        "Energy engineers said a halt to strikes would give them time to repair damaged {infra}.",
        "{EU} said the agreement showed that patient diplomacy could still deliver results.",
        "Shipping companies said they were preparing to resume calls at ports near {city}.",
        "{RU} said relations with Washington were improving and more contacts were planned.",
        "Investors bid up Ukrainian bonds on hopes of an early settlement.",
        "The mood among officials was upbeat, with several describing the talks as {adj_good}.",
        "European leaders said they were encouraged and promised to support the process.",
    ],
    "alarmed": [
        "Russian {weapon} struck {place} in {city}, killing at least {count} people, officials said.",
        "Rescuers worked through the night to pull survivors from the rubble in {city}.",
        "{UA} warned that Russia was preparing a new offensive in {region}.",
        "Ukraine reported {drones} drones launched overnight, one of the heaviest attacks in weeks.",
        "Officials said the attack damaged {infra} and left thousands without power or heat.",
        "Children were among the dead, regional authorities said, and dozens more were wounded.",
        "{EU} called the strike a horrifying attack on civilians and demanded a response.",
        "Air raid sirens sounded across much of the country for several hours.",
        "Aid groups warned of a humanitarian crisis in front-line towns in {region}.",
        "{UA} said every day of delay meant more deaths and more destroyed homes.",
        "European officials feared that the talks would collapse and the fighting would intensify.",
        "Doctors at a hospital in {city} said they were treating victims with severe burns.",
        "The attack came hours after {event}, alarming Western diplomats.",
        "Military analysts warned that Russian forces were pressing hard near Pokrovsk.",
        "Residents described a terrifying night of explosions and collapsing walls.",
        "Ukraine's allies warned that the war risked spreading if deterrence failed.",
        "Power cuts were reported in {city} and surrounding districts after the attack.",
        "Ukraine's military said fighting near {region} was among the fiercest of the year.",
        "{EU} warned that Europe could not afford to let Ukraine lose.",
        "A shopping centre in {city} burned for hours after it was hit by {weapon}.",
        "The strike was condemned by {ally} and by the United Nations.",
    ],
    "critical": [
        "Critics said the proposal rewarded aggression and ignored Ukraine's interests.",
        "{analyst} said Moscow was dragging out the talks to gain ground on the battlefield.",
        "{UA} accused Russia of violating the pause within hours of agreeing to it.",
        "Opposition lawmakers in Washington attacked the plan as a one-sided concession to the Kremlin.",
        "{RU} dismissed European proposals for peacekeepers as unacceptable and provocative.",
        "European diplomats complained that they had been left out of the negotiations on {issue}.",
        "The talks were {adj_bad}, one official said, and ended without a joint statement.",
        "{US} blamed both sides for the slow progress and threatened to walk away.",
        "{analyst} said the energy moratorium had failed and should not be repeated.",
        "Human rights groups criticised the absence of any mention of deported children.",
        "Ukrainian commentators said the deal was vague, unenforceable and dangerous.",
        "Russian officials accused Kyiv of sabotage and of lying about the attacks.",
        "{EU} said Moscow was stalling and called for tougher sanctions.",
        "The confusion over what had been agreed fuelled distrust on all sides.",
        "Critics noted that Russia had broken similar promises before, including in 2015.",
        "The White House was criticised for repeating Kremlin talking points about the war.",
        "{analyst} said the plan asked far more of Kyiv than of Moscow.",
        "{RU} rejected the criticism as hysteria and blamed Europe for prolonging the war.",
        "Even officials close to the talks conceded that little had been achieved on {issue}.",
        "The episode exposed deep divisions between Washington and its European allies.",
        "{UA} said Moscow was using the negotiations as a smokescreen for new attacks.",
    ],
}

_SENTENCES["background"] = [
    "The war began with Russia's full-scale invasion in February 2022, eight years after Moscow seized Crimea.",
    "Hundreds of thousands of soldiers have been killed or wounded on both sides, according to Western estimates.",
    "Millions of Ukrainians have fled abroad, many of them women and children now living in Poland, Germany and the Czech Republic.",
    "Ukraine's economy shrank by about a third in the first year of the war and has recovered only partly since.",
    "Winter blackouts forced shopkeepers in {city} to run diesel generators on the pavement outside their doors.",
    "Farmers in the south still clear unexploded shells from their fields before the spring sowing.",
    "Wheat, sunflower oil and maize remain Ukraine's most valuable exports, most of them shipped from Odesa.",
    "The Zaporizhzhia nuclear station, Europe's largest, has been occupied by Russian troops since March 2022.",
    "Western sanctions have frozen roughly $300 billion of Russia's central bank reserves, much of it in Belgium.",
    "Russia's defence budget has swollen to its highest share of national output since Soviet times.",
    "Inflation in Russia has stayed stubbornly high, and the central bank has kept interest rates near record levels.",
    "Recruitment posters promising generous bonuses line the streets of provincial Russian towns.",
    "Ukraine lowered its conscription age to 25 last year, but commanders say brigades are still short of infantry.",
    "Drone workshops have sprung up in garages and basements across Ukraine, turning out thousands of aircraft a month.",
    "Negotiators from Istanbul to Geneva have tried and failed to end the war before.",
    "Talks in the spring of 2022 collapsed after evidence of atrocities in Bucha came to light.",
    "The Minsk agreements of 2014 and 2015 froze the fighting in the Donbas but never brought a settlement.",
    "A grain corridor brokered by Turkey and the United Nations operated for a year before Moscow quit it in 2023.",
    "Poland and the Baltic states have sharply increased military spending and extended conscription.",
    "Finland and Sweden joined NATO after the invasion, ending decades of military non-alignment.",
    "Rail traffic through Kyiv's central station has barely paused during the war, a point of civic pride.",
    "Bakeries, cafés and theatres in {city} stay open between air-raid alerts, their staff used to the sirens.",
    "Volunteers in {city} have spent three years collecting money for vehicles, medical kits and thermal scopes.",
    "Reconstruction costs have been estimated by the World Bank at more than half a trillion dollars.",
    "The International Criminal Court has issued a warrant for Putin over the deportation of Ukrainian children.",
    "Opinion polls in Ukraine suggest most people reject giving up territory, though weariness is growing.",
    "Surveys in Russia show broad support for negotiations, alongside strong backing for the army.",
    "Shipping insurers in London have raised premiums for vessels calling at Black Sea ports.",
    "Gas prices in Europe, which spiked in 2022, have fallen but remain above their pre-war average.",
    "Hungary and Slovakia have repeatedly objected to new European sanctions and aid packages.",
    "Snow, mud and thaw have shaped every offensive of the war, slowing armoured columns each spring.",
    "Satellite images show new trenches, anti-tank ditches and concrete pyramids along long stretches of the front.",
]

_QUOTES = {
    "neutral": [
        "We are looking at every part of the proposal carefully",
        "There is still a lot of work to do before anything is signed",
        "Our teams will meet again soon, and we will see where things stand",
        "We have received the document and we will give our answer in due course",
        "The details matter, and we are going through them one by one",
        "Nobody should expect a final agreement this week",
        "We will talk to our partners before we take any decision",
    ],
    "hopeful": [
        "This is a good day for everyone who wants this war to end",
        "We are closer to peace than we have been at any point in three years",
        "I believe both sides want to stop the killing, and that gives me hope",
        "The conversations were positive and I think we are moving in the right direction",
        "We are ready to take the next step as soon as the other side is ready",
        "It is a real chance, and we must not waste it",
        "People are tired of war and they deserve a future without fear",
    ],
    "alarmed": [
        "They are striking our cities while they talk about peace",
        "This was a deliberate attack on civilians, on families asleep in their homes",
        "Every hour without a cease-fire costs lives",
        "We are extremely worried about what the coming weeks will bring",
        "The world must not look away from what happened here last night",
        "We need more air defence now, not next year",
        "The situation at the front is very difficult and getting worse",
    ],
    "critical": [
        "Words mean nothing when the missiles keep flying",
        "This so-called truce was a propaganda exercise from the start",
        "They want to talk forever while they keep taking land",
        "Nobody in Europe was consulted, and that is a serious mistake",
        "We will not accept any deal that is decided behind our backs",
        "The other side has shown no real interest in peace",
        "It is naive to trust promises from a government that has broken so many",
    ],
}

_HEADLINES = {
    "neutral": [
        "{ua_} and {us_} Teams Meet in {city} as Talks on {Issue} Continue",
        "Kremlin Says It Is Studying US Proposal on {Issue}",
        "What We Know About the Talks on {Issue}",
        "{us_} Says Next Round of Ukraine Talks Expected Within Weeks",
        "Negotiators Return to {city} With {Issue} on the Agenda",
    ],
    "hopeful": [
        "{us_} Hails Progress as Ukraine Talks Gather Pace",
        "Hopes Rise for Cease-Fire After {adj_good_t} Talks in {city}",
        "Ukraine and Russia Swap {count} Prisoners as Diplomacy Advances",
        "{eu_} Sees Real Chance for Peace After {city} Meeting",
        "Deal on {Issue} Within Reach, Officials Say",
    ],
    "alarmed": [
        "Russian Strike on {city} Kills {count} as Talks Stall",
        "{ua_} Warns of New Offensive as Diplomacy Falters",
        "Night of Drone Attacks Leaves {city} Without Power",
        "Fears Grow Over Collapse of Cease-Fire Effort",
        "Children Among Dead After Missile Hits {city}",
    ],
    "critical": [
        "Critics Say Truce Deal Rewards Moscow",
        "{ua_} Accuses Russia of Breaking Pause on Energy Strikes",
        "Europe Fumes at Being Left Out of Talks on {Issue}",
        "Analysis: Why the Cease-Fire Talks Keep Going Nowhere",
        "{us_} Threatens to Walk Away From Ukraine Talks",
    ],
}

_DEKS = [
    "Negotiators are trying to turn a partial pause into a full cease-fire.",
    "The latest round leaves the hardest questions unanswered.",
    "Kyiv and its European allies want guarantees before any deal is signed.",
    "Moscow is pressing for sanctions relief as part of any arrangement.",
    "Washington wants a quick result; the warring sides are moving slowly.",
    "Officials say technical details could take weeks to settle.",
]
_CAPTIONS = [
    "Delegations meet around a long table before the start of talks.",
    "Rescue workers search a damaged building after an overnight attack.",
    "A worker inspects a damaged transformer at an energy facility.",
    "Leaders pose for a group photo before a summit.",
    "A cargo ship leaves port with a load of grain.",
    "Residents shelter in a metro station during an air raid alert.",
]
_AUTHORS = ["Anna Petrenko", "James Holloway", "Maria Kovalenko", "David Chen", "Sophie Laurent",
            "Oleksandr Bondar", "Rachel Adeyemi", "Tom Fischer", "Elena Marchetti", "Mark Sullivan",
            "Priya Raman", "Lukas Novak", "Hannah Brooks", "Ivan Sorokin", "Claire Dubois", "Nick Owens"]
_TAGS = ["Ukraine", "Russia", "Russia-Ukraine war", "Donald Trump", "Vladimir Putin", "Volodymyr Zelensky",
         "Diplomacy", "Cease-fire", "Europe", "NATO", "Black Sea", "Energy", "Saudi Arabia", "Sanctions"]
_TONES = ("neutral", "hopeful", "alarmed", "critical")

# ---------------------------------------------------------------------------
# Outlet styles for plain-text dumps
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Article:
    """One article before it is rendered in a site's style."""

    title: str
    dek: str
    caption: str
    authors: tuple[str, ...]
    dateline: str
    published: datetime  # aware
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...]
    outlet: str = ""  # the original publisher when syndicated, "" for the site's own story
    url: str = ""
    credit: str = ""  # photographer, when the caption names one


def _fmt_time12(ts: datetime, *, dots: bool = False) -> str:
    hour = ts.hour % 12 or 12
    ampm = ("a.m." if ts.hour < 12 else "p.m.") if dots else ("AM" if ts.hour < 12 else "PM")
    return f"{hour}:{ts.minute:02d} {ampm}"


def _names(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _email(name: str, domain: str) -> str:
    return ".".join(name.lower().replace("-", "").split()) + "@" + domain


_AGG_LOGOS = {"WSJ": "wsj-logo", "Bloomberg": "bloomberg-logo", "The New York Times": "nyt-logo",
              "The Washington Post": "wp-logo", "Reuters": "reuters-logo", "AP": "ap-logo"}
_AGG_FOOTER = [
    "rec-icon Recommended Topics",
    "Share this article",
    "{tags}",
    "Catch the day's biggest world stories, from Washington to Kyiv, with live updates and explainers in one place.",
    "See More",
    "Catch the day's biggest world stories, from Washington to Kyiv, with live updates and explainers in one place.",
    "Smarter news for curious readers",
    "Subscribe today to read every premium story and our expert columns without limits",
    "E-paper | Opinion | World | Business | Puzzles",
    "Subscribe Now @999/year",
    "Read full news in source page",
]


def _render_aggregator(a: _Article) -> str:
    """An Indian news aggregator syndicating US papers (the seed's shape)."""
    ts = a.published.astimezone(ZoneInfo("Asia/Kolkata"))
    date_line = f"{ts:%b} {ts.day}, {ts.year} {ts:%I:%M} {'AM' if ts.hour < 12 else 'PM'} IST"
    first = f"{a.dateline}\u2014{a.paragraphs[0]}" if a.dateline else a.paragraphs[0]
    blocks = ["hindustantimes.com", a.title, a.title, _AGG_LOGOS.get(a.outlet, "news-logo"), a.outlet,
              date_line, a.dek, a.caption, first, f"{a.title} PREMIUM", a.title, *a.paragraphs[1:]]
    if a.outlet not in ("Reuters", "AP"):
        blocks.append(f"Write to {a.authors[0]} at {_email(a.authors[0], 'example.com')}")
    for line in _AGG_FOOTER:
        blocks.extend(a.tags if line == "{tags}" else [line])
    return "\n\n".join(blocks) + "\n"


def _render_wire(a: _Article) -> str:
    """A wire-service page: dateline with ``(Reuters) -``, reporting credits."""
    ts = a.published.astimezone(timezone.utc)
    date_line = f"{ts:%B} {ts.day}, {ts.year} {_fmt_time12(ts)} GMT"
    first = f"{a.dateline}, {ts:%B} {ts.day} (Reuters) - {a.paragraphs[0]}" if a.dateline else a.paragraphs[0]
    credit = f"Reporting by {a.authors[0]}"
    if len(a.authors) > 1:
        credit += f"; additional reporting by {_names(a.authors[1:])}"
    credit += "; Editing by Mark Sullivan"
    blocks = ["reuters.com", "Skip to main content",
              "Exclusive news, data and analytics for financial market professionals", "World", "Europe",
              a.title, f"By {_names(a.authors)}", date_line, "Updated 3 hours ago",
              f"{a.caption} REUTERS/{a.credit or 'Staff'} Purchase Licensing Rights, opens new tab",
              first, *a.paragraphs[1:], credit,
              "Our Standards: The Trust Principles that guide our reporting., opens new tab",
              "Suggested Topics:", *a.tags,
              "Get the morning briefing from our newsroom, delivered to your inbox every weekday.",
              "Sign up here.",
              "Reuters is a news agency providing business, financial and world news to professionals and the public.",
              "\u00a9 2025 Reuters. All rights reserved"]
    return "\n\n".join(blocks) + "\n"


_BROADSHEET_ROLES = ["Diplomatic Editor", "Europe correspondent", "in Kyiv", "Defence and security editor",
                     "Moscow correspondent", "Political editor"]


def _render_broadsheet(a: _Article, *, role: str = "Diplomatic Editor") -> str:
    """A UK broadsheet: cookie prompt, standfirst, author with desk, GMT or BST, newsletter box."""
    ts = a.published.astimezone(ZoneInfo("Europe/London"))
    date_line = f"{ts.day} {ts:%B} {ts.year} {ts:%H:%M} {ts.tzname()}"
    body = list(a.paragraphs)
    cut = min(4, len(body))
    newsletter = ["Sign up to World Briefing", "Free weekly newsletter",
                  "Our correspondents explain the week's biggest global stories every Friday morning.",
                  "Privacy notice: we only use your email address to send you the newsletters you asked for.",
                  "after newsletter promotion"]
    blocks = ["londonledger.co.uk",
              "We value your privacy. We and our partners use cookies to personalise content and measure traffic. You can accept all or manage your choices.",
              "Accept all cookies", "Skip to main content", "World news", a.title, a.dek,
              f"{a.authors[0]}, {role}" if not role.startswith("in ") else f"{a.authors[0]} {role}",
              date_line, f"{a.caption} Photograph: {a.credit or 'Staff/Agency'}",
              *body[:cut], *newsletter, *body[cut:],
              "Explore more on these topics", *a.tags, "Share", "Reuse this content", "Most viewed",
              "\u00a9 2025 London Ledger Media Ltd. All rights reserved."]
    return "\n\n".join(blocks) + "\n"


def _render_regional(a: _Article) -> str:
    """A US regional paper running agency copy behind a metered paywall."""
    ts = a.published.astimezone(ZoneInfo("America/New_York"))
    date_line = f"Published {_fmt_time12(ts, dots=True)} {ts.tzname()} {ts:%b} {ts.day}, {ts.year}"
    own = a.outlet in ("", "Lakeside Tribune")
    agency = "Associated Press" if a.outlet == "AP" else a.outlet
    tag = "(AP)" if a.outlet == "AP" else ""
    photo = (f"(AP Photo{'/' + a.credit if a.credit else ''})" if a.outlet == "AP"
             else f"({a.credit or 'Tribune staff'} photo)" if own else f"({agency})")
    first = f"{a.dateline} {tag} \u2014 {a.paragraphs[0]}".replace("  ", " ") if a.dateline else a.paragraphs[0]
    body = [first, *a.paragraphs[1:]]
    cut = min(3, len(body))
    blocks = ["lakesidetribune.com", "Subscribe | Log in", "Menu", a.title,
              f"By {_names(a.authors)} | Lakeside Tribune" if own else f"By {_names(a.authors)}, {agency}",
              date_line, f"{a.caption} {photo}",
              *body[:cut],
              "You've reached your limit of free stories this month. Subscribe for 99 cents for your first month to keep reading.",
              "Already a subscriber? Log in",
              *body[cut:],
              "Copyright 2025 Lakeside Tribune." if own else f"Copyright 2025 {agency}. All rights reserved.",
              "Recommended for you", "Local news that matters. Support the Tribune today.",
              "Terms of Use | Privacy Policy | Contact Us"]
    return "\n\n".join(blocks) + "\n"


def _render_live(a: _Article) -> str:
    """A live blog: timestamped entries under a summary."""
    ts = a.published.astimezone(ZoneInfo("Europe/Brussels"))
    blocks = ["frontlinebrief.com", "LIVE", a.title, a.dek, f"By {_names(a.authors)}",
              f"Last updated: {ts.day} {ts:%b} {ts.year} {ts:%H:%M} {ts.tzname()}", "Refresh for updates"]
    step = timedelta(minutes=23)
    for k, para in enumerate(a.paragraphs):
        t = ts - step * (len(a.paragraphs) - 1 - k)
        blocks += [f"{t:%H:%M} {t.tzname()}", para]
    blocks += ["Show key events only", "Share", "Follow our live coverage in the Frontline Brief app.",
               "\u00a9 Frontline Brief"]
    return "\n\n".join(blocks) + "\n"


def _render_european(a: _Article) -> str:
    """A Brussels policy outlet: CET/CEST times, section, pro newsletter promo."""
    ts = a.published.astimezone(ZoneInfo("Europe/Brussels"))
    date_line = f"{ts:%B} {ts.day}, {ts.year} {_fmt_time12(ts).lower()} {ts.tzname()}"
    first = f"{a.dateline.title()} \u2014 {a.paragraphs[0]}" if a.dateline else a.paragraphs[0]
    blocks = ["brusselsdispatch.eu", "Menu Search Newsletters Podcasts Events", "Foreign affairs",
              a.title, a.dek, date_line, f"By {_names(a.authors)}" + (f", {a.outlet}" if a.outlet else ""),
              f"{a.caption} | Photo {'by ' + a.credit + ' ' if a.credit else ''}via Getty Images", first, *a.paragraphs[1:],
              "Want more analysis from Brussels Dispatch? Subscribe to our policy newsletters for the full picture.",
              "Related topics", *a.tags, "Privacy Policy Cookie Settings About us",
              "\u00a9 2025 Brussels Dispatch"]
    return "\n\n".join(blocks) + "\n"


#: Plain-text outlet styles: site name -> renderer.
_TXT_STYLES: dict[str, Callable[[_Article], str]] = {
    "hindustantimes.com": _render_aggregator,
    "reuters.com": _render_wire,
    "londonledger.co.uk": _render_broadsheet,
    "lakesidetribune.com": _render_regional,
    "frontlinebrief.com": _render_live,
    "brusselsdispatch.eu": _render_european,
}
_TXT_WEIGHTS = [26, 24, 16, 16, 6, 12]
_RECORD_SITES = ["kyivmonitor.com", "eastwestwire.net", "globalaffairsdaily.com", "balticpost.eu",
                 "atlanticobserver.com"]
_HTML_SITES = ["The Meridian Review", "Continental Herald", "The Harbour Times"]

# ---------------------------------------------------------------------------
# Building articles
# ---------------------------------------------------------------------------


class _Slots(dict):
    """Slot values for one template: drawn on first use, stable within the template."""

    def __init__(self, rng: random.Random, base: dict[str, str]):
        super().__init__(base)
        self._rng = rng

    def __missing__(self, key: str) -> str:
        rng = self._rng
        if key in _ACTORS:  # "US", "RU", "UA", "EU": a full reference, sometimes the short name
            full, short = rng.choice(_ACTORS[key])
            value = full if rng.random() < 0.7 else short
        elif key.upper() in _ACTORS:  # "us", "ru", "ua", "eu": the short name
            value = rng.choice(_ACTORS[key.upper()])[1]
        elif key in ("issue", "issue2"):
            value = rng.choice(_BANKS["issue"])
        elif key == "Issue":
            value = rng.choice(["Energy Strikes", "Black Sea Shipping", "Security Guarantees", "Territory",
                                "Prisoner Exchanges", "Sanctions", "Peacekeepers", "Minerals"])
        elif key == "city2":
            value = rng.choice(_CITIES)
        elif key == "updown":
            value = rng.choice(["higher", "lower"])
        elif key == "adj_good_t":
            value = rng.choice(["Productive", "Constructive", "Useful", "Positive"])
        else:
            value = rng.choice(_BANKS[key])
        self[key] = value
        return value


_OPENERS = ["", "", "", "", "", "Meanwhile, ", "On {day}, ", "In {city}, ", "Separately, ", "At the same time, ",
            "Earlier, ", "By contrast, ", "Later that day, ", "As expected, "]


_COMMON_STARTS = {"The", "A", "An", "Officials", "Diplomats", "Critics", "Analysts", "Residents", "Families",
                  "Air", "Aid", "Children", "Energy", "Several", "Both", "Any", "According", "For", "Negotiators",
                  "Markets", "Investors", "Doctors", "Military", "Rescuers", "Power", "Shipping", "Grain", "Even",
                  "Opposition", "Human", "It"}


class _Deck:
    """Draws templates without repeats within one article (reshuffling when a pool is used up)."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._piles: dict[str, list[str]] = {}

    def draw(self, tone: str) -> str:
        pile = self._piles.get(tone)
        if not pile:
            pile = list(_SENTENCES[tone])
            self._rng.shuffle(pile)
            self._piles[tone] = pile
        return pile.pop()


def _sentence(rng: random.Random, template: str, base: dict[str, str], *, opener: bool = False) -> str:
    if opener:
        lead = rng.choice(_OPENERS)
        if lead and template.split(" ", 1)[0] in _COMMON_STARTS:
            template = template[0].lower() + template[1:]
        template = lead + template
    text = template.format_map(_Slots(rng, base))
    return text[0].upper() + text[1:]


def _quote(rng: random.Random, tone: str, base: dict[str, str]) -> str:
    side = rng.choice(["US", "RU", "UA", "EU"])
    full, short = rng.choice(_ACTORS[side])
    words = rng.choice(_QUOTES[tone])
    when = rng.choice(_WHEN)
    if rng.random() < 0.5:
        return f"\u201c{words},\u201d {short} said{when}."
    return f"{full[0].upper() + full[1:].rstrip(',')} said{when}: \u201c{words}.\u201d"


def _build_article(rng: random.Random, *, start: date, span_days: int) -> tuple[_Article, str]:
    """Compose one article (about 600 words) and return it with its tone."""
    day = start + timedelta(days=rng.randrange(span_days))
    published = datetime(day.year, day.month, day.day, rng.randrange(6, 23), rng.randrange(60), tzinfo=timezone.utc)
    past = [e for e in _EVENTS if e[0] <= day] or _EVENTS[:1]
    _, event, dateline = past[-1] if rng.random() < 0.7 else rng.choice(past[-3:])
    tone = rng.choice(_TONES)
    base = {"event": event}
    n_paragraphs = rng.randint(9, 14)
    deck = _Deck(rng)
    paragraphs = []
    for k in range(n_paragraphs):
        sentences = []
        for j in range(rng.randint(2, 4)):
            roll = rng.random()
            pool = tone if roll < 0.5 else "background" if roll < 0.65 else rng.choice(("neutral", "neutral", *_TONES))
            sentences.append(_sentence(rng, deck.draw(pool), base, opener=j == 0))
        if k and rng.random() < 0.45:
            sentences.insert(rng.randrange(len(sentences) + 1), _quote(rng, tone, base))
        paragraphs.append(" ".join(sentences))
    lead = (f"Diplomatic efforts to end the war in Ukraine entered a new phase after {event}, "
            f"as officials in {rng.choice(_CITIES)} weighed what comes next.")
    paragraphs[0] = lead + " " + paragraphs[0]
    headline = _sentence(rng, rng.choice(_HEADLINES[tone]), {
        **base,
        "us_": rng.choice(_ACTORS["US"])[1], "ua_": rng.choice(_ACTORS["UA"])[1],
        "eu_": rng.choice(_ACTORS["EU"])[1].replace("the crown prince", "Saudi Crown Prince"),
    })
    authors = tuple(rng.sample(_AUTHORS, rng.choice((1, 1, 2))))
    tags = tuple(sorted(rng.sample(_TAGS, rng.randint(2, 4))))
    article = _Article(title=headline, dek=rng.choice(_DEKS), caption=rng.choice(_CAPTIONS), authors=authors,
                       dateline=dateline, published=published, paragraphs=tuple(paragraphs), tags=tags)
    return article, tone


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


# ---------------------------------------------------------------------------
# Rendering records and pages
# ---------------------------------------------------------------------------


def _record(a: _Article, site: str, rng: random.Random) -> dict[str, object]:
    offset = rng.choice([0, 1, 2, 3, -4, -5, 5.5])
    tz = timezone(timedelta(hours=offset))
    return {
        "headline": a.title,
        "body": "\n\n".join(a.paragraphs),
        "publish_date": a.published.astimezone(tz).isoformat(),
        "site": site,
        "url": f"https://www.{site}/world/{a.published:%Y/%m/%d}/{_slug(a.title)}",
        "byline": " and ".join(a.authors),
        "tags": list(a.tags),
    }


def _csv_row(a: _Article, site: str) -> list[str]:
    return [a.title, "\n\n".join(a.paragraphs), f"{a.published:%d/%m/%Y %H:%M} UTC", site,
            f"https://{site}/news/{_slug(a.title)}", ", ".join(a.authors)]


def _render_html(a: _Article, site_name: str) -> str:
    esc = html.escape
    host = site_name.lower().replace("the ", "").replace(" ", "") + ".com"
    url = f"https://www.{host}/world/{_slug(a.title)}"
    paras = "\n".join(f"      <p>{esc(p)}</p>" for p in a.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{esc(a.title)} | {esc(site_name)}</title>
  <meta property="og:title" content="{esc(a.title)}">
  <meta property="og:site_name" content="{esc(site_name)}">
  <meta property="og:url" content="{url}">
  <meta property="article:published_time" content="{a.published.isoformat()}">
  <meta name="author" content="{esc(', '.join(a.authors))}">
  <meta name="description" content="{esc(a.dek)}">
  <meta name="keywords" content="{esc(', '.join(a.tags))}">
</head>
<body>
  <nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/europe">Europe</a> | <a href="/opinion">Opinion</a></nav>
  <main>
    <article>
      <h1>{esc(a.title)}</h1>
      <p class="byline">By {esc(_names(a.authors))}</p>
      <time datetime="{a.published.isoformat()}">{a.published:%d %B %Y}</time>
{paras}
    </article>
    <aside class="related">
      <h2>Related</h2>
      <ul><li><a href="/world/europe">More on Europe</a></li><li><a href="/world/ukraine">More on Ukraine</a></li></ul>
    </aside>
  </main>
  <footer>&copy; 2025 {esc(site_name)}. All rights reserved. <a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body>
</html>
"""


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


@dataclass
class _Writer:
    """Collects outputs, buffers records and writes files in sub-folders."""

    out_dir: Path
    per_folder: int
    paths: list[Path] = field(default_factory=list)
    jsonl: list[str] = field(default_factory=list)
    csv_rows: list[list[str]] = field(default_factory=list)
    n_jsonl_files: int = 0
    n_csv_files: int = 0

    def write(self, rel: str, data: bytes) -> Path:
        path = self.out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.paths.append(path)
        return path

    def page(self, kind: str, index: int, name: str, text: str) -> None:
        folder = f"{kind}/{index // self.per_folder:03d}"
        self.write(f"{folder}/{index:06d}_{name}.{kind}", text.encode("utf-8"))

    def add_jsonl(self, line: str) -> None:
        self.jsonl.append(line)
        if len(self.jsonl) >= _RECORDS_PER_FILE:
            self.flush_jsonl()

    def flush_jsonl(self) -> None:
        if self.jsonl:
            self.write(f"jsonl/export_{self.n_jsonl_files:04d}.jsonl", ("\n".join(self.jsonl) + "\n").encode("utf-8"))
            self.n_jsonl_files += 1
            self.jsonl = []

    def add_csv(self, row: list[str]) -> None:
        self.csv_rows.append(row)
        if len(self.csv_rows) >= _RECORDS_PER_FILE:
            self.flush_csv()

    def flush_csv(self) -> None:
        if self.csv_rows:
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(["title", "content", "date", "outlet", "link", "author"])
            writer.writerows(self.csv_rows)
            self.write(f"csv/export_{self.n_csv_files:04d}.csv", buf.getvalue().encode("utf-8"))
            self.n_csv_files += 1
            self.csv_rows = []


def _emit(w: _Writer, fmt: str, index: int, a: _Article, rng: random.Random) -> tuple[str, object]:
    """Render and write one article; return what an exact duplicate needs to repeat it."""
    if fmt == "txt":
        site = rng.choices(list(_TXT_STYLES), weights=_TXT_WEIGHTS)[0]
        a = _for_site(a, site, rng)
        text = _render_broadsheet(a, role=rng.choice(_BROADSHEET_ROLES)) if site == "londonledger.co.uk" else _TXT_STYLES[site](a)
        name = site.split(".")[0]
        w.page("txt", index, name, text)
        return fmt, (name, text)
    if fmt == "html":
        site = rng.choice(_HTML_SITES)
        text = _render_html(a, site)
        name = _slug(site)
        w.page("html", index, name, text)
        return fmt, (name, text)
    if fmt == "jsonl":
        line = json.dumps(_record(a, rng.choice(_RECORD_SITES), rng), ensure_ascii=False)
        w.add_jsonl(line)
        return fmt, line
    row = _csv_row(a, rng.choice(_RECORD_SITES))
    w.add_csv(row)
    return fmt, row


def _for_site(a: _Article, site: str, rng: random.Random) -> _Article:
    """Fit an article's outlet to the site that carries it."""
    if site == "hindustantimes.com":
        return replace(a, outlet=a.outlet or rng.choice(list(_AGG_LOGOS)))
    if site == "lakesidetribune.com":
        return replace(a, outlet=a.outlet or rng.choice(["AP", "AP", "Lakeside Tribune"]),
                       paragraphs=tuple(p.replace("Zelensky", "Zelenskyy") for p in a.paragraphs))
    return a


def _near_duplicate(a: _Article, rng: random.Random) -> _Article:
    """The same wire body on another site: one paragraph trimmed, a later time, the headline reworded."""
    paragraphs = list(a.paragraphs)
    if len(paragraphs) > 4:
        del paragraphs[rng.randrange(2, len(paragraphs))]
    title = a.title if rng.random() < 0.5 else a.title.replace(" as ", " While ", 1)
    return replace(a, title=title, paragraphs=tuple(paragraphs), outlet=a.outlet or rng.choice(["Reuters", "AP"]),
                   published=a.published + timedelta(minutes=rng.randrange(30, 600)))


def _write_bad(w: _Writer) -> None:
    """Inputs a reader must reject: an empty file, a binary file, a truncated JSON line."""
    w.write("bad/empty_dump.txt", b"")
    w.write("bad/scan_attachment.txt", bytes(range(256)) * 4 + b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    w.write("bad/export_truncated.jsonl", b'{"headline": "Talks resume in Riyadh", "body": "Delegations from the two')


def generate_sample(
    n: int,
    out_dir: Path,
    *,
    seed: int = 0,
    formats: Sequence[str] = ("txt", "jsonl", "csv", "html"),
    bad: bool = False,
    start: date = date(2025, 2, 24),
    end: date = date(2025, 4, 25),
    per_folder: int = 1000,
) -> list[Path]:
    """Write ``n`` invented article dumps for tests and benchmarks.

    Articles follow the 2025 Ukraine cease-fire diplomacy and are built from templates
    and phrase banks, with about 600 words each, varied tone (hopeful, alarmed,
    neutral, critical) and real public figures. Plain-text dumps come in six outlet
    styles with recurring boilerplate; JSON Lines and CSV exports hold up to 500
    records per file; HTML pages carry ``og:`` and ``article:`` meta tags. About 3 %
    of articles are syndicated near-duplicates of an earlier one (same body, another
    site, one paragraph trimmed) and about 1 % exact duplicates. Pages go into
    sub-folders of ``per_folder`` files.

    Parameters
    ----------
    n : int
        Number of articles (not files) to write, duplicates included; 0 or more.
    out_dir : Path
        Folder to write into; created if missing. Existing files of the same names are overwritten.
    seed : int
        Random seed: the same ``n``, ``seed`` and options give byte-identical files.
    formats : sequence of str
        Any of ``"txt"``, ``"jsonl"``, ``"csv"``, ``"html"``.
    bad : bool
        Also write three inputs a reader must reject (an empty file, a binary file,
        a truncated JSON line) under ``bad/``; they are not counted in ``n``.
    start, end : date
        Publication dates are drawn from this span (inclusive).
    per_folder : int
        Most pages per sub-folder.

    Returns
    -------
    list of Path
        Every file written, sorted.

    Raises
    ------
    ParameterError
        If ``n`` is negative, a format is unknown, or the date span is empty.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> paths = generate_sample(30, out, seed=7, formats=("txt",))
    >>> len(paths)
    30
    >>> paths[0].read_text(encoding="utf-8").splitlines()[0] in {"hindustantimes.com", "reuters.com",
    ...     "londonledger.co.uk", "lakesidetribune.com", "frontlinebrief.com", "brusselsdispatch.eu"}
    True
    """
    _check(n, formats=formats, start=start, end=end, per_folder=per_folder)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    chosen = [f for f in FORMATS if f in formats]
    weights = [_WEIGHTS[f] for f in chosen]
    span_days = (end - start).days + 1
    rng = random.Random(f"mediawork-sample:{seed}")
    w = _Writer(out_dir=out_dir, per_folder=per_folder)
    recent: list[tuple[_Article, str, object]] = []
    for index in range(n):
        roll = rng.random()
        if recent and roll < _EXACT_DUPLICATE_RATE:
            _, fmt, payload = rng.choice(recent)
            _repeat(w, fmt, index, payload)
            continue
        if recent and roll < _EXACT_DUPLICATE_RATE + _NEAR_DUPLICATE_RATE:
            original, fmt, _ = rng.choice(recent)
            article = _near_duplicate(original, rng)
        else:
            article, _ = _build_article(rng, start=start, span_days=span_days)
            fmt = rng.choices(chosen, weights=weights)[0]
        fmt, payload = _emit(w, fmt, index, article, rng)
        recent.append((article, fmt, payload))
        if len(recent) > _RECENT:
            recent.pop(0)
    w.flush_jsonl()
    w.flush_csv()
    if bad:
        _write_bad(w)
    return sorted(w.paths)


def _repeat(w: _Writer, fmt: str, index: int, payload: object) -> None:
    """Write an exact copy of an earlier article (same bytes, another file or record)."""
    if fmt in ("txt", "html"):
        name, text = payload  # type: ignore[misc]
        w.page(fmt, index, name, text)
    elif fmt == "jsonl":
        w.add_jsonl(payload)  # type: ignore[arg-type]
    else:
        w.add_csv(payload)  # type: ignore[arg-type]


def _check(n: int, *, formats: Sequence[str], start: date, end: date, per_folder: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ParameterError(f"n must be a whole number of articles, 0 or more; got {n!r}. Pass e.g. --n 1000.")
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats or isinstance(formats, str):
        raise ParameterError(
            f"formats must be a non-empty list drawn from {', '.join(FORMATS)}; got {formats!r}. "
            "Pass e.g. formats=('txt', 'jsonl')."
        )
    if end < start:
        raise ParameterError(f"the date span is empty: start {start} is after end {end}. Swap them or widen the span.")
    if per_folder < 1:
        raise ParameterError(f"per_folder must be 1 or more; got {per_folder!r}.")
