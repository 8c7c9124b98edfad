"""Bylines → author names; datelines split from a paragraph; e-mail stripping.

Choices made here (also in the docstrings):

- Authors are the people who reported or wrote the story. Credit lines such as
  ``Reporting by A in Kyiv; Additional reporting by B; Editing by C`` give ``[A, B]``:
  editors, photographers, graphics and translation credits are not authors.
- Agencies and desks alone (``Reuters``, ``AP``, ``Staff``, ``HT Correspondent``) are
  not authors; titles after a name (``Political Correspondent``) and honorifics
  before it (``Dr.``) are dropped. A name in capitals (``JANE DOE``) is title-cased.
- A free-text byline name needs at least two words (``By Monday`` is not a byline);
  a single word is accepted only as an item of a list from a structured record.
- :func:`is_byline` is conservative: a paragraph of body text must never be taken for
  a byline. A line with no byline prefix (``By``, ``BYLINE:``, ``Write to``,
  ``Reporting by``...) counts only when a desk, title or agency goes with the name.
- A line without a prefix that reads ``Name in Place`` (``Oksana Melnyk in Kyiv``) is a
  byline only when the name looks like a person's: two to four capitalised words, none
  of them a word headlines are made of (``Truce Talks Resume in Riyadh``, ``Envoys Meet
  in Jeddah`` are headlines). A desk of several lower-case words after a comma
  (``Name, Defence and security editor``) is a title.
- Contributor credits (``Jane Doe contributed reporting from Kyiv.``, ``Jane Doe reported
  from London.``) are recognised by :func:`is_contributor_line`; contributors are not
  bylined authors, so cleaning removes these lines (``rule:contributor``) without adding
  the names to the authors.
- :func:`split_dateline` is meant for the first paragraph of a body. A dateline in
  capitals may end with a dash or a colon; one in mixed case (``New Delhi:``) only with
  a colon or when a date or an agency follows it (``Kyiv, March 18:``); after a colon
  at least five words must follow. A speaker label (``TRUMP: We will...``) looks like
  a dateline and is taken for one: apply the function to a story's first paragraph only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache

from mediawork.dates import looks_like_date

__all__ = ["is_byline", "is_contributor_line", "parse_authors", "split_dateline", "strip_emails"]

# --- word lists ----------------------------------------------------------------

#: Agencies and house names that are never an author on their own (casefolded).
_AGENCIES = frozenset(
    """reuters ap afp associated press agence france-presse france presse bloomberg pti ani ians upi
    dpa efe xinhua tass interfax ria novosti ukrinform anadolu yonhap kyodo aap cnn bbc
    press trust of india wire wires agencies agency staff news service desk bureau
    express tnn ht wsj nyt ft""".split()
)

#: Words that make a title or desk (``Political Correspondent``, ``Bureau Chief``).
_ROLE_NOUNS = frozenset(
    """correspondent correspondents writer writers reporter reporters editor editors chief
    bureau desk columnist contributor contributors analyst producer staff team
    journalist journalists photographer commentator critic""".split()
)

#: Words that may stand before a role noun in a title (``Senior Foreign Correspondent``).
_ROLE_MODIFIERS = frozenset(
    """senior junior staff special chief deputy associate assistant managing executive
    contributing political foreign diplomatic national international economics economic
    business sports health defence defense security legal tech technology science
    investigative global regional local our europe european asia asian middle east africa
    washington london moscow white house city metro features opinion world news digital
    web online sub copy ht express energy climate environment education transport crime courts
    culture arts media health science war military diplomacy affairs home social community
    investigations data visual graphics""".split()
)

#: Words headlines are made of, never part of a person's name in an unprefixed byline
#: (``Truce Talks Resume in Riyadh``): common headline verbs and the nouns of news.
_HEADLINE_WORDS = frozenset(
    """meet meets met resume resumes resumed say says hold holds held agree agrees agreed back backs
    reject rejects warn warns vow vows seek seeks urge urges call calls push pushes press presses end
    ends open opens begin begins start starts stall stalls collapse collapses fail fails win wins lose
    loses hit hits strike strikes kill kills attack attacks halt halts pause pauses rise rises fall
    falls grow grows gather gathers return returns arrive arrives land lands visit visits sign signs
    talk talks fear fears hope hopes threaten threatens offer offers plan plans weigh weighs eye eyes
    mull mulls slam slams hail hails blast blasts fume fumes clash clashes quit quits leave leaves
    stay stays face faces set sets take takes make makes give gives get gets go goes come comes see
    sees look looks move moves head heads fly flies trade trades accuse accuses deny denies claim
    claims confirm confirms announce announces launch launches step steps stand stands fight fights
    seize seizes block blocks bar bars ban bans cut cuts boost boosts raise raises spark sparks
    stir stirs edge edges near nears mark marks gain gains lift lifts keep keeps draw draws
    truce talks envoy envoys leaders leader troops ceasefire cease-fire peace deal deals strikes
    drones drone missiles missile sanctions allies officials delegates delegation delegations
    negotiators diplomats ministers summit summits crisis plans vote votes row rows tensions hopes
    fears prices markets forces army rebels protesters voters lawmakers talks deadline hopes
    deal deals pact pacts accord accords plan truces shelling blackout blackouts refugees aid
    new first last more over after before amid against""".split()
)

#: Credit roles whose names are authors; any other ``X by`` credit is not.
_AUTHOR_ROLES = frozenset({"by", "reporting by", "additional reporting by", "written by", "writing by", "words by", "story by", "compiled by", "reported by", "posted by"})

_HONORIFICS = frozenset("dr dr. prof prof. professor mr mr. mrs mrs. ms ms. mx mx. sir dame rev rev. lord lady".split())
_PARTICLES = frozenset("de da das do dos du del della der den di la le van von ter ten bin bint ibn al el y zu af".split())
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())

#: Capitalised words that show a fragment is not a person's name.
_NOT_NAME_WORDS = frozenset(
    """the a an and or of for to in on at by from with as is are was were be how why what when
    who where this that these those it its his her their our my your we they he she i
    monday tuesday wednesday thursday friday saturday sunday today tonight tomorrow
    yesterday morning afternoon evening night noon midnight day days week weekend month
    year christmas easter new ago update updated published posted editing edited
    photo photos video read more share comments subscribe president minister secretary
    spokesman spokeswoman spokesperson senator governor ambassador general prime chancellor
    mayor officials official ministry government police army court
    latest top stories story home menu search login log sign trending live breaking
    politics business sports opinion entertainment lifestyle health markets economy
    culture travel weather newsletter newsletters podcast podcasts games puzzles
    recommended topics related article articles analysis premium page see get app
    download privacy policy terms contact about us careers advertise cookie cookies
    settings edition war crisis conflict updates""".split()
)

#: Last words that name a publication (``Hindustan Times``, ``The Wall Street Journal``).
_OUTLET_WORDS = frozenset("journal times tribune gazette herald telegraph chronicle magazine news press post guardian economist".split())
#: More last words that name a publication when it starts with ``The`` (``The Kyiv Independent``).
_THE_OUTLET_WORDS = _OUTLET_WORDS | frozenset(
    "independent observer standard mirror mail express sun star hindu atlantic nation spectator hill verge intercept review globe daily wire world insider monitor bulletin courier register".split()
)

#: Lower-case words a byline or credit line may contain.
_BYLINE_LOWER = (
    _AGENCIES
    | _ROLE_NOUNS
    | _ROLE_MODIFIERS
    | frozenset(
        """by and in at to from for on of the with reporting additional further writing written words story
        compiled reported posted editing edited sub-editing subediting fact-checking factchecking graphics
        photo photos photograph photographs illustration illustrations video translation translated
        production produced design designed a.m. p.m. am pm hrs updated published last first""".split()
    )
)

_PREFIX = re.compile(
    r"""^\s*(?:
        (?P<byline>byline\s*:)
      | (?P<author>authors?\s*:)
      | (?P<write>write\s+to\b)
      | (?P<role>(?:(?:additional|further)\s+)?(?:reporting|writing|written|words|story|compiled|reported|posted|editing|edited|sub-?editing|fact-?checking|graphics|photos?|photographs?|illustrations?|video|translat(?:ion|ed)|produc(?:tion|ed)|design(?:ed)?)\s+by\b)
      | (?P<by>by\b(?!\s*[:\-–—]))
    )\s*:?\s*""",
    re.IGNORECASE | re.VERBOSE,
)

_CONTRIBUTOR = re.compile(
    r"(?P<names>[^\W\d_][\w.'’ -]*?(?:(?:,\s*|\s+and\s+|,\s*and\s+)[^\W\d_][\w.'’ -]*?)*)\s+(?:also\s+)?"
    r"(?:contributed(?:\s+(?:additional\s+)?(?:reporting|research|writing))?(?:\s+to\s+this\s+(?:report|article|story))?"
    r"|reported)(?:\s+(?:from|in)\s+(?P<place>[^\W\d_][\w.'’ ,-]*?))?\s*\.?"
)
_EMAIL = re.compile(r"(?:mailto:)?[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_EMAIL_LEAD = re.compile(r"(?:\b(?:at|e-?mail(?:\s+(?:me|us))?|mail|contact)\s*:?\s*|[<(\[]\s*)$", re.IGNORECASE)
_TRAILING_STAMP = re.compile(r"[\s,]+(?:(?:last|first)\s+)?(?:updated|published|posted)\b.*$", re.IGNORECASE)
_ACRONYM = re.compile(r"[A-Z]{2,6}")  # an outlet written as initials: CNBC, NPR, DW
_HANDLE = re.compile(r"(?<![\w@])@\w{1,30}")

_MAX_BYLINE_CHARS = 250
#: Entries of the per-line caches (a site's credit and furniture lines recur in every dump).
_CACHE_SIZE = 1 << 15
_MIN_WORDS_AFTER_COLON = 5


# --- public functions ----------------------------------------------------------


def parse_authors(text: str | Sequence[str] | None) -> list[str]:
    """Extract author names from a byline, a credit line or a record's author field.

    Parameters
    ----------
    text : str, sequence of str, or None
        A byline (``"By Jane Doe and John Roe"``), a credit line (``"Reporting by Jane
        Doe in Kyiv; Editing by Bob Editor"``), a contact line (``"Write to Jane Doe at
        jd@example.com"``), or a record's value: a list of names or a string with ``;``
        or ``,`` between names. Items may also be mappings with a ``name`` key.

    Returns
    -------
    list of str
        Names only, in byline order, without duplicates, e-mail addresses, titles,
        desks, agencies or honorifics. Editors and other non-writing credits are
        left out. Empty when there is no name.

    Examples
    --------
    >>> parse_authors("By Jane Doe, John Roe and Ann Poe")
    ['Jane Doe', 'John Roe', 'Ann Poe']
    >>> parse_authors("Reporting by Jane Doe in Kyiv; Editing by Bob Editor")
    ['Jane Doe']
    >>> parse_authors(["Jane Doe", "Reuters", "jane@example.com"])
    ['Jane Doe']
    """
    names: list[str] = []
    if text is None:
        return names
    if isinstance(text, str):
        return list(_text_authors(text))
    elif isinstance(text, Mapping):
        return parse_authors(text.get("name"))
    elif isinstance(text, Sequence):
        for item in text:
            if isinstance(item, Mapping):
                item = item.get("name")
            if not isinstance(item, str):
                continue
            found = parse_authors(item)
            if not found:
                single = _clean_name(strip_emails(item), min_words=1)
                found = [single] if single else []
            names.extend(found)
    return _dedupe(names)


@lru_cache(maxsize=_CACHE_SIZE)
def _text_authors(text: str) -> tuple[str, ...]:
    """:func:`parse_authors` of one string (cached: credit lines recur across a site's pages)."""
    names: list[str] = []
    for clause in _clauses(text):
        names.extend(_read_clause(clause).names)
    return tuple(_dedupe(names))


def is_byline(line: str) -> bool:
    """Tell whether a line is a byline or credit line rather than body text.

    Parameters
    ----------
    line : str
        One line or paragraph of a page.

    Returns
    -------
    bool
        True for ``By ...``, ``BYLINE: ...``, ``Write to ...``, ``Reporting by ...``
        credit lines and ``Name, Title`` / ``Name | Agency`` / ``Name (AP)`` lines whose
        every part is a name, title, desk, agency, place (``in Kyiv``) or date stamp.
        False for sentences such as ``By Monday the talks had stalled.``

    Examples
    --------
    >>> is_byline("By Jane Doe and John Roe")
    True
    >>> is_byline("By Monday the talks had stalled, officials said.")
    False
    """
    if not isinstance(line, str):
        return False
    return _is_byline(line)


@lru_cache(maxsize=_CACHE_SIZE)
def _is_byline(line: str) -> bool:
    text = " ".join(unicodedata.normalize("NFC", line).split())
    if not text or len(text) > _MAX_BYLINE_CHARS:
        return False
    if _has_body_words(text):
        return False
    clauses = _clauses(text)
    if not clauses:
        return False
    readings = [_read_clause(c) for c in clauses]
    if not all(r.complete for r in readings):
        return False
    if any(r.prefixed for r in readings):
        return any(r.names or r.extras for r in readings)
    if sum(r.extras for r in readings) == sum(r.places for r in readings):
        # "Name in Place" alone: the name must not be made of headline words
        if any(_headline_word(w) for r in readings for name in r.names for w in name.split()):
            return False
    return any(r.names for r in readings) and any(r.extras for r in readings)


def is_contributor_line(line: str) -> bool:
    """Tell whether a line credits contributors rather than the bylined authors.

    Parameters
    ----------
    line : str
        One line or paragraph, normally at the end of a story.

    Returns
    -------
    bool
        True for ``Jane Doe contributed reporting from Kyiv.``, ``Jane Doe and John Roe
        contributed to this report.``, ``Jane Doe reported from London.``: one or more
        names, then ``contributed ...`` or ``reported from Place``, nothing else.
        Contributors are not authors: cleaning removes the line as ``rule:contributor``
        and does not add the names to ``authors``.

    Examples
    --------
    >>> is_contributor_line("Priya Natarajan contributed reporting from Kyiv.")
    True
    >>> is_contributor_line("The ministry reported from Moscow that talks had stalled.")
    False
    """
    if not isinstance(line, str):
        return False
    if "contributed" not in line and "reported" not in line:
        return False  # _CONTRIBUTOR needs one of them (ASCII words: NFC and spacing do not make them); no cache entry
    return _is_contributor_line(line)


@lru_cache(maxsize=_CACHE_SIZE)
def _is_contributor_line(line: str) -> bool:
    text = " ".join(unicodedata.normalize("NFC", line).split())
    if not text or len(text) > _MAX_BYLINE_CHARS or "\n" in line.strip():
        return False
    m = _CONTRIBUTOR.fullmatch(text)
    if not m:
        return False
    names = [n for n in re.split(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+)\s*", m.group("names")) if n]
    if not names or not all(_clean_name(n, min_words=2) == n for n in names):
        return False
    if any(_headline_word(w) for n in names for w in n.split()):
        return False
    place = m.group("place")
    return place is None or all(_capitalised_words(p) for p in re.split(r"\s*(?:,|\band\b)\s*", place) if p)


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """Separate a leading dateline from a paragraph.

    Parameters
    ----------
    paragraph : str
        Normally the first paragraph of an article body.

    Returns
    -------
    tuple of (str or None, str)
        The dateline as written (``"KYIV, Ukraine (AP)"``) and the rest of the
        paragraph; ``(None, paragraph)`` unchanged when it has no dateline.

    Examples
    --------
    >>> split_dateline("LONDON (Reuters) - Prices rose on Tuesday.")
    ('LONDON (Reuters)', 'Prices rose on Tuesday.')
    >>> split_dateline("In Moscow, the Kremlin dampened hopes.")
    (None, 'In Moscow, the Kremlin dampened hopes.')
    """
    if not isinstance(paragraph, str) or not _may_hold_dateline(paragraph):
        return None, paragraph
    m = _DATELINE.match(paragraph)
    if not m:
        return None, paragraph
    head, sep, rest = m.group("head").strip(), m.group("sep").strip(), m.group("rest")
    if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘'«(["):
        return None, paragraph
    if sep == ":" and len(rest.split()) < _MIN_WORDS_AFTER_COLON:
        return None, paragraph  # "Belle Image: Nick Moreau." is a caption, not a story
    if not _valid_dateline(head, colon=sep == ":"):
        return None, paragraph
    return head, rest.strip()


def strip_emails(text: str) -> str:
    """Remove e-mail addresses, a dangling ``at``/``email:`` before them, and tidy spaces.

    Parameters
    ----------
    text : str
        Any text; line breaks are kept.

    Returns
    -------
    str
        The text without addresses, with runs of spaces collapsed and no space left
        before punctuation or at line ends.

    Examples
    --------
    >>> strip_emails("Write to Jane Doe at jane.doe@example.com")
    'Write to Jane Doe'
    >>> strip_emails("Tips? Email: desk@example.org.")
    'Tips?'
    """
    if not isinstance(text, str):
        return text
    lines = []
    for line in text.split("\n"):
        if "@" in line and _EMAIL.search(line):
            line = _remove_emails(line)
        lines.append(re.sub(r"[ \t]{2,}", " ", line).strip(" \t"))
    return "\n".join(lines).strip()


# --- helpers: e-mails ---------------------------------------------------------


def _remove_emails(line: str) -> str:
    """Drop every address in one line, the word that introduced it, and the gaps left."""
    out: list[str] = []
    pos = 0
    for m in _EMAIL.finditer(line):
        out.append(_EMAIL_LEAD.sub("", line[pos : m.start()]))
        pos = m.end()
        if pos < len(line) and line[pos] in ">)]":
            pos += 1
    out.append(line[pos:])
    line = "".join(out)
    line = re.sub(r"[ \t]+([,.;:!?)\]])", r"\1", line)
    line = re.sub(r"\(\s*\)|\[\s*\]|<\s*>", "", line)
    line = re.sub(r"(?:\s*[,;:]|\s+(?:and|or))+\s*([.!?]?)\s*$", r"\1", line)
    line = re.sub(r"([.!?])[ \t]*\.", r"\1", line)
    return re.sub(r"^[ \t]*[.,;:]+[ \t]*", "", line)


# --- helpers: bylines ----------------------------------------------------------


class _Reading:
    """What one clause of a byline holds."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.extras = 0  # titles, desks, agencies, places, dates, e-mails
        self.complete = True  # every fragment was understood
        self.prefixed = False  # started with By / BYLINE: / Write to / X by
        self.places = 0  # extras that are places ("in Kyiv")


def _has_body_words(text: str) -> bool:
    """A quick test: a lower-case word no byline uses (``the talks had stalled``)."""
    for word in (_EMAIL.sub(" ", text) if "@" in text else text).split():  # an address needs an "@"
        word = word.strip(".,;:()[]|\"'“”‘’")
        if word and word[0].islower() and word.casefold() not in _BYLINE_LOWER and not _name_word_ok(word):
            return True
    return False


def _clauses(text: str) -> list[str]:
    parts = re.split(r"\s*(?:;|\n|\s\|\s|•)\s*", text)
    return [p.strip() for p in parts if p and p.strip()]


def _read_clause(clause: str) -> _Reading:
    reading = _Reading()
    clause = " ".join(unicodedata.normalize("NFC", clause).split())
    had_email = "@" in clause and _EMAIL.search(clause) is not None
    text = strip_emails(clause)
    text = _HANDLE.sub("", text).strip()
    if had_email:
        reading.extras += 1
    m = _PREFIX.match(text)
    role = None
    if m:
        reading.prefixed = True
        role = " ".join(m.group(0).lower().replace(":", "").split())
        text = text[m.end() :]
    if not text.strip():
        reading.complete = bool(m) and had_email
        return reading
    if role is not None and m.group("role") and role.replace("further", "additional") not in _AUTHOR_ROLES:
        # a non-writing credit (Editing by ...): understood, but no authors
        reading.extras += 1
        return reading
    if m and m.group("write"):
        text = re.sub(r"\s+at\s*$", "", text)
    # Parenthesised agencies or notes: "Jane Doe (AP)".
    for paren in re.findall(r"\(([^()]*)\)", text):
        reading.extras += 1
        if not _is_agency(paren) and not _is_role(paren):
            reading.complete = reading.complete and bool(re.fullmatch(r"@?\w[\w.]*", paren.strip()))
    text = re.sub(r"\([^()]*\)", " ", text)
    if looks_like_date(text):
        reading.extras += 1
        return reading
    stamp = _TRAILING_STAMP.search(text)  # "By Jane Doe Updated 3:05 PM EST, March 18, 2025"
    if stamp and looks_like_date(stamp.group(0)):
        reading.extras += 1
        text = text[: stamp.start()]
    segments = text.split(",")
    if len(segments) > 1:  # "Jane Doe, Defence and security editor": a desk of several words
        kept = [segments[0]] + [seg for seg in segments[1:] if not _is_role_phrase(seg)]
        reading.extras += len(segments) - len(kept)
        text = ",".join(kept)
    parts = [p.strip() for p in re.split(r"\s*(?:,|\s&\s|\b(?i:and)\b|/|\s[-–—]\s)\s*", text) if p and p.strip()]
    after_place = False
    for part in parts:
        part = re.sub(r"^(?i:for)\s+", "", part.strip(" :"))  # "for The Guardian"
        if not re.search(r"(?:\b[^\W\d_]|\b(?:Jr|Sr))\.$", part):  # keep "Jr." and initials
            part = part.rstrip(". ")
        if not part:
            continue
        if part.casefold() in _SUFFIXES and reading.names:
            reading.names[-1] = f"{reading.names[-1]} {part}"
            continue
        if looks_like_date(part):
            reading.extras += 1
            continue
        if _is_agency(part) or _is_role(part) or _ACRONYM.fullmatch(part):
            reading.extras += 1
            continue
        if after_place and _capitalised_words(part) and len(part.split()) == 1:
            reading.extras += 1  # "in Kyiv and Moscow"
            continue
        name_part, place = _split_place(part)
        after_place = place is not None
        if place is not None:
            reading.extras += 1
            reading.places += 1
        name_part, title = _split_title(name_part)
        if title:
            reading.extras += 1
        name = _clean_name(name_part, min_words=2)
        if name is None:
            reading.complete = False
            continue
        reading.names.append(name)
    return reading


def _split_place(part: str) -> tuple[str, str | None]:
    """``Jane Doe in Kyiv`` → (``Jane Doe``, ``Kyiv``)."""
    m = re.match(r"^(?P<name>.+?)\s+(?:in|from|reporting from)\s+(?P<place>[^\W\d_][\w .'’-]*)$", part)
    if m and _capitalised_words(m.group("place")):
        return m.group("name"), m.group("place")
    return part, None


def _split_title(part: str) -> tuple[str, str | None]:
    """``Jane Doe Staff Writer`` → (``Jane Doe``, ``Staff Writer``)."""
    words = part.split()
    if not words or words[-1].casefold().strip(".") not in _ROLE_NOUNS:
        return part, None
    cut = len(words) - 1
    while cut > 0 and words[cut - 1].casefold().strip(".") in (_ROLE_NOUNS | _ROLE_MODIFIERS):
        cut -= 1
    return " ".join(words[:cut]), " ".join(words[cut:])


def _is_agency(part: str) -> bool:
    """An agency, wire or publication: ``Reuters``, ``The Associated Press``, ``Hindustan Times``."""
    raw = part.split()
    words = [w.strip(".,").casefold() for w in raw]
    if words and words[0] == "the":
        return 1 < len(words) <= 6 and words[-1] in _THE_OUTLET_WORDS | _AGENCIES and all(_starts_upper(w) for w in raw[1:])
    if len(words) >= 2 and words[-1] in _OUTLET_WORDS and all(_starts_upper(w) for w in raw):
        return True
    return bool(words) and all(w in _AGENCIES for w in words)


_ROLE_CONNECTORS = frozenset({"and", "&", "of", "for", "the"})


def _is_role_phrase(segment: str) -> bool:
    """A desk or title of up to eight words ending in a role noun: ``Defence and security editor``.

    Besides role nouns, desk words and connectors (``and``, ``of``, ``for``) it may hold
    lower-case words only, so a person's name never reads as one.
    """
    words = [w.strip(".") for w in segment.split()]
    if not 1 <= len(words) <= 8 or words[-1].casefold() not in _ROLE_NOUNS:
        return False
    for w in words[:-1]:
        folded = w.casefold()
        if folded in _ROLE_CONNECTORS or folded in _ROLE_NOUNS or folded in _ROLE_MODIFIERS:
            continue
        if not w.isalpha() or not w.islower():
            return False
    return True


def _headline_word(word: str) -> bool:
    return word.strip(".,'’").casefold() in _HEADLINE_WORDS


def _is_role(part: str) -> bool:
    words = [w.strip(".,").casefold() for w in part.split()]
    if words and words[0] == "the":
        words = words[1:]
    return bool(words) and words[-1] in _ROLE_NOUNS and all(w in _ROLE_NOUNS or w in _ROLE_MODIFIERS for w in words)


def _capitalised_words(text: str) -> bool:
    words = text.split()
    return bool(words) and all(_name_word_ok(w) for w in words) and _starts_upper(words[0])


def _starts_upper(word: str) -> bool:
    first = next((c for c in word if c.isalpha()), "")
    return bool(first) and not first.islower()


def _name_word_ok(word: str) -> bool:
    if word.casefold() in _PARTICLES:
        return True
    if re.match(r"^(?:al|el|ad|as|ash|bin|ibn|d|l)[-'’]\w", word):
        return True
    return _starts_upper(word) and not any(c.isdigit() for c in word) and re.fullmatch(r"[^\W\d_][\w.'’-]*", word) is not None


def _clean_name(text: str | None, *, min_words: int) -> str | None:
    """A person's name from a fragment, or None when the fragment is not one."""
    if not text:
        return None
    words = [w for w in text.replace("\u00a0", " ").split() if w]
    while words and words[0].casefold() in _HONORIFICS:
        words = words[1:]
    while words and words[-1].strip(".,").casefold() in _ROLE_NOUNS:
        words = words[:-1]
    if not words or "@" in "".join(words):
        return None
    core = [w for w in words if w.casefold() not in _PARTICLES and w.casefold().strip(".") not in _SUFFIXES]
    if len(core) < min_words or len(words) > 6:
        return None
    if not _starts_upper(words[0]) or not all(_name_word_ok(w) for w in words):
        return None
    if any(len(w.strip(".")) > 1 and w.strip(".").casefold() in _NOT_NAME_WORDS for w in words):  # initials pass
        return None
    if _is_agency(" ".join(words)) or _is_role(" ".join(words)):
        return None
    name = " ".join(words).rstrip(",;:")
    letters = [c for c in name if c.isalpha()]
    if len(letters) > 3 and all(c.isupper() for c in letters):
        name = " ".join(w.lower() if w.lower() in _PARTICLES else w.title() for w in name.split())
    return name


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


# --- helpers: datelines --------------------------------------------------------

_DATELINE = re.compile(
    r"^\s*(?P<head>[^\n]{2,80}?)(?P<sep>\s*—\s*|\s*--\s*|\s+[-–]\s+|\s*–\s*|:\s+)(?P<rest>\S.*)$",
    re.DOTALL,
)
#: Every separator of :data:`_DATELINE` holds one of these characters.
_DATELINE_SEP_CHAR = re.compile(r"[—\-–:]")
_MAX_DATELINE_CHARS = 80


def _may_hold_dateline(paragraph: str) -> bool:
    """False when :data:`_DATELINE` cannot match (a quick test before its scan of up to 80 head lengths).

    In a match, only whitespace (``^\\s*``, the separator's ``\\s*``) surrounds the head
    before the separator's character, so everything between the first and the last
    visible character before that character lies in the head, which has at most 80
    characters. That span only grows for a later separator character, so when it is
    longer than 80 before the first one (or there is none) no separator can follow a head.
    """
    m = _DATELINE_SEP_CHAR.search(paragraph)
    return m is not None and len(paragraph[: m.start()].strip()) <= _MAX_DATELINE_CHARS


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE_SEGMENT = re.compile(rf"^(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?$", re.IGNORECASE)
_AGENCY_PAREN = re.compile(r"\s*\((?P<agency>[^()]{1,40})\)$")
_NOT_PLACES = frozenset(
    """note editor's editors update updated correction clarification q a watch read also related
    source sources photo photos video listen disclaimer warning breaking exclusive live opinion
    analysis summary background context highlights key takeaways advertisement caption credit
    transcript translation timeline explainer fact check file image images graphic story
    first last next previous more click tap subscribe share follow categories category tags
    topics topic filed image picture pictures reports report""".split()
)
_PLACE_LOWER = frozenset("de da do dos das del of the upon on am an der sur la le al el".split())


def _valid_dateline(head: str, *, colon: bool) -> bool:
    has_agency = False
    m = _AGENCY_PAREN.search(head)
    if m:
        agency = m.group("agency").strip()
        if not all(_starts_upper(w) or w.casefold() in _AGENCIES for w in agency.split()):
            return False
        has_agency = True
        head = head[: m.start()].strip()
    segments = [s.strip() for s in head.split(",")]
    if not segments or not segments[0]:
        return False
    has_date = False
    places = []
    for seg in segments:
        if _DATE_SEGMENT.match(seg):
            has_date = True
        elif has_date and re.fullmatch(r"\d{4}", seg):  # "March 18, 2025"
            continue
        elif seg:
            places.append(seg)
        else:
            return False
    if not places:
        return has_date and has_agency  # "March 18 (Reuters) -"
    first = places[0]
    if _DATE_SEGMENT.match(segments[0]):
        return False
    words = first.replace("/", " ").split()
    if not 1 <= len(words) <= 5 or len(first) > 40:
        return False
    if not all(re.fullmatch(r"[^\W\d_][\w.'’\-]*", w) for w in words):
        return False
    if " ".join(w.strip(".").casefold() for w in words) in _NOT_PLACES or words[0].strip(".'’").casefold() in _NOT_PLACES:
        return False
    letters = [c for c in first if c.isalpha()]
    if len(letters) < 2:
        return False
    all_caps = all(c.isupper() for c in letters)
    if not all_caps:
        if not all(_starts_upper(w) or w.casefold() in _PLACE_LOWER for w in words) or not _starts_upper(words[0]):
            return False
        if not (colon or has_agency or has_date):
            return False
    for seg in places[1:]:  # region or country: "Ukraine", "D.C.", "Calif."
        seg_words = seg.split()
        if not 1 <= len(seg_words) <= 4 or not all(_starts_upper(w) or w.casefold() in _PLACE_LOWER for w in seg_words):
            return False
        if not all(re.fullmatch(r"[^\W\d_][\w.'’\-]*", w) for w in seg_words):
            return False
    return True
