"""One plain-text web dump or one structured record → a :class:`CleanArticle`.

A *dump* is what a browser's "save as text" gives: blocks separated by blank lines,
the site's domain on the first line, then the page in reading order — headline
(often repeated, sometimes with a badge such as ``PREMIUM``), logos' alt texts, the
date, the dek, the top image's caption, the body, and the page's furniture (share
bars, topic tags, promos, subscribe walls, menus). :func:`clean_dump` labels every
block, keeps the body paragraphs exactly as written, and lists every other block in
``removed`` as ``(block number, text, rule)`` so that nothing is lost silently.

How blocks are labelled, in this order (first label wins):

1. ``metadata:source``: the first line when it names a site (:func:`dump_source`).
2. General rules (:data:`mediawork.boilerplate.RULES`, no site names): ``rule:advertisement``,
   ``rule:logo``, ``rule:navigation`` (menus, skip links, menu bars), ``rule:newsletter``,
   ``rule:cookie``, ``rule:subscribe``, ``rule:share``, ``rule:contact``, ``rule:copyright``,
   ``rule:caption``, ``rule:related``, ``rule:promo``, ``rule:widget`` (incl. live-blog
   controls), ``rule:weather``, ``rule:support`` (donate prompts), ``rule:footer`` (footer
   links such as ``Reuse this content``) and ``rule:contributor`` (``Jane Doe contributed
   reporting from Kyiv.``: contributors are not bylined authors, so their names are *not*
   added to ``authors``); a bare address is ``metadata:url``. The pitch inside a newsletter
   box (at most two short blocks between two newsletter blocks) is ``rule:newsletter`` too.
3. Date stamps (:func:`mediawork.dates.looks_like_date`) → ``metadata:published``; the first
   one that parses is the publication time. Other stamps inside the body (a live blog's
   ``10:42 GMT`` entry headers) and clock times without a date are ``rule:timestamp``:
   the entries' text stays, the stamps go.
4. Bylines and credit lines (:func:`mediawork.bylines.is_byline`, at most 40 words) →
   ``metadata:byline``; authors come from them and from contact lines (``Write to NAME at
   EMAIL``), in page order.
5. A logo's alt text ``xxx-logo`` followed by a line naming ``xxx`` (``wsj-logo`` / ``WSJ``)
   marks a syndicated story: that line is ``metadata:outlet`` and the outlet, unless the
   logo is the site's own (its name is in the domain, or the logo line is learned
   boilerplate of the site) or generic (``news-logo``). A copy whose page names no
   publisher can take its original's later, across articles: :func:`inherit_outlets`. A wire tag in the dateline or byline (``(AP)``, ``(Reuters)``)
   on another site's page also gives the outlet. Otherwise outlet = source.
6. The headline: among the short, non-sentence blocks before the first prose block, the
   one repeated elsewhere in the dump; else the first (of three words or more) followed by
   a byline or date with at most one block (a dek) between, so section labels and site
   taglines above it are passed over; else the first of four words or more. Every repeat,
   with or without badges (``PREMIUM``, ``EXCLUSIVE``, ``LIVE:``), is ``metadata:title``;
   open blocks above the headline are ``rule:label``.
7. Tags: the short capitalised lines after a topic header (``Recommended Topics``,
   ``Tags``) or a share bar, up to a footer link, related-links header or copyright line,
   are ``metadata:tags``; ``Tags: A, B`` lines too. Headline-like
   lines after a related-links header (``Related coverage``) are ``rule:related``.
8. Learned boilerplate: a block whose :func:`normalize_line` key is in ``learned``
   (see :func:`learn_boilerplate`) is ``learned:<source>``.
9. The body starts at the first prose block with a dateline (``WASHINGTON—``, ``KYIV,
   Ukraine (AP) —``) among the first four open blocks; else right after the last header
   byline or full date (when at most two prose blocks precede it and prose follows),
   at the first prose block after it; else at the first open block. Blocks between the headline and the body start are the dek
   (``metadata:summary``: the first prose block that does not restate a later paragraph),
   image captions (``rule:caption``: other prose there, i.e. text between the dek and the
   first paragraph, and blocks whose content words are mostly found in one later
   paragraph) and labels (``rule:label``: short section kickers).
10. After the end of the article (a contact, copyright, subscribe wall, tags, related-links
    header or credit line following the body start), blocks that do not end like a
    sentence (taglines, stray labels) are ``rule:footer``; a block equal to an earlier
    kept one is ``rule:repeat``.

What remains is the body; the dateline is split off its first paragraph and e-mail
addresses are stripped from every kept text.

Example
-------
>>> dump = "example.com\\n\\nTruce Talks Resume in Riyadh\\n\\nAdvertisement\\n\\n" \\
...        "RIYADH — Delegations met on Monday for a second round, officials said.\\n\\n" \\
...        "Share this article"
>>> art = clean_dump(dump)
>>> art.title, art.dateline, art.paragraphs
('Truce Talks Resume in Riyadh', 'RIYADH', ['Delegations met on Monday for a second round, officials said.'])
>>> [rule for _, _, rule in art.removed]
['metadata:source', 'metadata:title', 'rule:advertisement', 'rule:share']
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from . import bylines, dates
from .boilerplate import (
    _key_words,
    ends_like_sentence,
    is_headline_like,
    is_related_header,
    is_sentence_like,
    is_tag_header,
    is_tag_like,
    match_rule,
    normalize_line,
    strip_badges,
    word_count,
)
from .errors import InputError
from .wordsplit import folded_words

__all__ = [
    "CleanArticle",
    "clean_dump",
    "clean_record",
    "detect_language",
    "dump_source",
    "inherit_outlets",
    "dump_key_codes",
    "dump_line_keys",
    "learn_boilerplate",
    "key_codes",
    "key_id",
    "learn_from_codes",
    "learn_from_keys",
    "resolve_keys",
    "normalize_line",
]


@dataclass
class CleanArticle:
    """One article recovered from a dump or a record.

    Attributes
    ----------
    title, summary : str or None
        The headline (once, without badges) and the dek or standfirst.
    source : str or None
        The site the article was taken from (``hindustantimes.com``).
    outlet : str or None
        The original publisher of a syndicated story (``WSJ``), else ``source``.
    url : str or None
        The article's address when the input gave one.
    authors : list of str
        Author names in byline order.
    dateline : str or None
        The dateline split off the first paragraph (``WASHINGTON``).
    published : pandas.Timestamp or None
        Publication time in UTC; ``published_offset`` is the offset the page gave.
    tags : list of str
        Topic tags in page order.
    language : str
        ``en`` or another ISO 639-1 code, ``und`` when undetermined.
    paragraphs : list of str
        The body, one string per paragraph, as written in the input.
    removed : list of (int, str, str)
        Every dropped block or paragraph: 1-based position, its text, the rule.
    """

    title: str | None = None
    summary: str | None = None
    source: str | None = None
    outlet: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    dateline: str | None = None
    published: pd.Timestamp | None = None
    published_offset: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str = "und"
    paragraphs: list[str] = field(default_factory=list)
    removed: list[tuple[int, str, str]] = field(default_factory=list)


# --- sources -------------------------------------------------------------------------

_DOMAIN = re.compile(r"(?:www\d?\.)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24})\.?", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)


def _host(url: str) -> str | None:
    m = re.match(r"(?:https?://)?(?:[^/@\s]*@)?([^/:?#\s]+)", url.strip(), re.IGNORECASE)
    if not m:
        return None
    d = _DOMAIN.fullmatch(m.group(1))
    return d.group(1).lower() if d else None


def dump_source(text: str) -> str | None:
    """The site a dump names on its first line, as a lower-case domain without ``www.``.

    Parameters
    ----------
    text : str
        A whole plain-text dump.

    Returns
    -------
    str or None
        ``hindustantimes.com`` for a first line ``hindustantimes.com`` (or
        ``https://www.hindustantimes.com/world/...``); None when the first non-blank line
        is not a domain or address.

    Examples
    --------
    >>> dump_source("hindustantimes.com\\n\\nHeadline")
    'hindustantimes.com'
    >>> dump_source("Ukraine Cease-Fire Hinges on Trump Call\\n\\nText.") is None
    True
    """
    if not isinstance(text, str):
        return None
    line = _first_line(text)
    if line is None or " " in line:
        return None
    if _URL.fullmatch(line):
        return _host(line)
    d = _DOMAIN.fullmatch(line)
    return d.group(1).lower() if d else None


def _first_line_url(text: str) -> str | None:
    line = _first_line(text)
    return line if line is not None and _URL.fullmatch(line) else None


#: Leading byte-order marks, the whitespace before the first non-blank line, and that line up
#: to the next line boundary of :meth:`str.splitlines` (``\n``, ``\r``, ``\v``, ``\f``,
#: ``\x1c``-``\x1e``, ``\x85``, ``\u2028``, ``\u2029``).
_FIRST_LINE = re.compile(r"\ufeff*\s*([^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]*)")


def _first_line(text: str) -> str | None:
    """The first non-blank line of a dump (leading ``\\ufeff`` dropped), stripped; None when there is none.

    What ``next(l.strip() for l in text.lstrip("\\ufeff").splitlines() if l.strip())`` gives
    (:func:`_first_line_slow`), without splitting the whole dump into lines: every line
    boundary is whitespace (``str.isspace``, which is ``re``'s ``\\s`` and what
    :meth:`str.strip` strips), so the first character after the leading whitespace is
    the first visible one of the first non-blank line, and its line runs to the next boundary.
    """
    line = _FIRST_LINE.match(text).group(1).strip()
    return line or None


def _first_line_slow(text: str) -> str | None:
    """The definition of :func:`_first_line`."""
    for line in text.lstrip("\ufeff").splitlines():
        line = line.strip()
        if line:
            return line
    return None


# --- blocks and labels --------------------------------------------------------------

_BLANK = re.compile(r"\n[ \t\u00a0\u3000]*\n")


def _split_blocks(text: str) -> list[str]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [b.strip() for b in _BLANK.split(text) if b.strip()]


class _Labels:
    """A label per block; ``None`` while a block is still open (a body candidate)."""

    def __init__(self, blocks: list[str]):
        self.blocks = blocks
        self.labels: list[str | None] = [None] * len(blocks)
        self._title_keys: list[str] | None = None

    def title_keys(self) -> list[str]:
        """Each block's headline key, ``normalize_line(strip_badges(block))``, computed once per dump."""
        if self._title_keys is None:
            self._title_keys = [normalize_line(strip_badges(b)) for b in self.blocks]
        return self._title_keys

    def open(self, i: int) -> bool:
        return 0 <= i < len(self.labels) and self.labels[i] is None

    def set(self, i: int, label: str) -> None:
        if self.labels[i] is None:
            self.labels[i] = label

    def open_indices(self) -> list[int]:
        return [i for i, lab in enumerate(self.labels) if lab is None]

    def removed(self) -> list[tuple[int, str, str]]:
        return [(i + 1, self.blocks[i], lab) for i, lab in enumerate(self.labels) if lab is not None]


_MAX_BYLINE_WORDS = 40

#: Labels that mark the end of the article text when met after the body started.
_END_LABELS = frozenset({"rule:contact", "rule:copyright", "rule:subscribe", "rule:contributor", "metadata:tags", "metadata:byline"})

_TAGS_INLINE = re.compile(r"^\s*(?:tags|topics|filed under|keywords)\s*:\s*(?P<tags>.+)$", re.IGNORECASE | re.DOTALL)


def _apply_rules(lab: _Labels) -> None:
    labels = lab.labels
    for i, block in enumerate(lab.blocks):
        if labels[i] is not None:
            continue
        if _URL.fullmatch(block):
            lab.set(i, "metadata:url")
            continue
        if _TAGS_INLINE.match(block) and not is_sentence_like(block):
            lab.set(i, "metadata:tags")
            continue
        rule = match_rule(block)
        if rule is not None:
            lab.set(i, rule)


#: A newsletter box: at most this many open blocks between two newsletter blocks ...
_BOX_MAX_BLOCKS = 2
#: ... each of at most this many words (the box's pitch, not a paragraph of the story).
_BOX_MAX_WORDS = 30


def _mark_newsletter_boxes(lab: _Labels) -> None:
    """Label the pitch inside a newsletter box (``Sign up ...`` / pitch / ``Privacy notice ...``).

    A run of at most two short open blocks whose neighbours on both sides are newsletter
    blocks is part of the box: ``rule:newsletter``.
    """
    n = len(lab.blocks)
    i = 0
    while i < n:
        if not lab.open(i):
            i += 1
            continue
        j = i
        while j < n and lab.open(j):
            j += 1
        run = range(i, j)
        if (
            len(run) <= _BOX_MAX_BLOCKS
            and i > 0
            and j < n
            and lab.labels[i - 1] == "rule:newsletter"
            and lab.labels[j] == "rule:newsletter"
            and all(word_count(lab.blocks[k]) <= _BOX_MAX_WORDS for k in run)
        ):
            for k in run:
                lab.set(k, "rule:newsletter")
        i = j


def _apply_dates_and_bylines(lab: _Labels) -> None:
    labels = lab.labels
    for i, block in enumerate(lab.blocks):
        if labels[i] is not None:
            continue
        if dates.looks_like_date(block):
            lab.set(i, "metadata:published")
        elif word_count(block) <= _MAX_BYLINE_WORDS and _byline_shaped(block) and bylines.is_byline(block):
            lab.set(i, "metadata:byline")


_BYLINE_PREFIX = re.compile(
    r"^\s*(?:by\b|byline\b|authors?\s*:|write\s+to\b|(?:(?:additional|further)\s+)?"
    r"(?:reporting|writing|written|words|story|compiled|reported|posted|editing|edited)\s+by\b)",
    re.IGNORECASE,
)


def _byline_shaped(block: str) -> bool:
    """A byline starts with ``By``/``Reporting by``... or separates name and title (``,``, ``|``, ``(``).

    Guards against headlines such as ``Truce Talks Resume in Riyadh`` that read like
    ``Name in Place``.
    """
    return (
        _BYLINE_PREFIX.match(block) is not None
        or _NAME_SEPARATOR.search(block) is not None
        or _NAME_IN_PLACE.search(block) is not None  # "Jane Doe in Kyiv": bylines.is_byline checks the name
    )


#: The patterns of :func:`_byline_shaped`, compiled once (it runs on every open block of up to 40 words).
_NAME_SEPARATOR = re.compile(r"[,|(]")
_NAME_IN_PLACE = re.compile(r"\s(?:in|from)\s+[A-Z]")


def _unique(items: Iterable[str]) -> list[str]:
    """``items`` in order without repeats, ignoring case (the first spelling is kept)."""
    first: dict[str, str] = {}
    for item in items:
        first.setdefault(item.casefold(), item)
    return list(first.values())


def _authors(lab: _Labels) -> list[str]:
    """Authors from byline, credit and contact blocks, in page order, without repeats."""
    names: list[str] = []
    for i, label in enumerate(lab.labels):
        if label in ("metadata:byline", "rule:contact"):
            names.extend(bylines.parse_authors(lab.blocks[i]))
    return _unique(names)


def _published(lab: _Labels, body_start: int) -> tuple[pd.Timestamp | None, str | None]:
    """Publication time from the first date stamp that parses; relabel in-body stamps."""
    published: tuple[pd.Timestamp | None, str | None] = (None, None)
    for i, label in enumerate(lab.labels):
        if label != "metadata:published":
            continue
        value = dates.parse_published(lab.blocks[i])
        if published[0] is None and value[0] is not None and i < body_start:
            published = value
        elif value[0] is None or i > body_start:
            lab.labels[i] = "rule:timestamp"
    if published[0] is None:  # no stamp before the body: take the first one anywhere
        for i, label in enumerate(lab.labels):
            if label == "rule:timestamp":
                value = dates.parse_published(lab.blocks[i])
                if value[0] is not None:
                    lab.labels[i] = "metadata:published"
                    return value
    return published


# --- outlets -------------------------------------------------------------------------

#: Wire agencies as written in datelines and bylines → (outlet name, domain word).
_WIRES: dict[str, tuple[str, str]] = {
    "ap": ("Associated Press", "apnews"),
    "associated press": ("Associated Press", "apnews"),
    "the associated press": ("Associated Press", "apnews"),
    "reuters": ("Reuters", "reuters"),
    "afp": ("AFP", "afp"),
    "agence france-presse": ("AFP", "afp"),
    "bloomberg": ("Bloomberg", "bloomberg"),
    "pti": ("PTI", "ptinews"),
    "ani": ("ANI", "aninews"),
    "ians": ("IANS", "ians"),
    "dpa": ("dpa", "dpa"),
}
#: Logo names that name no publisher (``news-logo``, ``site-logo``): the outlet stays unknown.
_GENERIC_LOGOS = frozenset(
    "news site brand main header footer default logo home app web page story article partner agency wire syndication".split()
)
_LOGO_STEM = re.compile(r"^(?P<stem>[\w.&'’-]+?)[-_ ]logo$", re.IGNORECASE)


def _compact(text: str) -> str:
    return normalize_line(text).replace(" ", "")


def _own_site(name: str, source: str | None) -> bool:
    """Whether a logo's name is the site's own (``hindustantimes`` on ``hindustantimes.com``)."""
    stem = _compact(name)
    return bool(source) and len(stem) >= 3 and stem in _compact(source)


def _logo_outlet(lab: _Labels, source: str | None, learned: Collection[str]) -> str | None:
    """The original publisher named by a logo and the line after it, else None."""
    for i, label in enumerate(lab.labels):
        if label != "rule:logo":
            continue
        m = _LOGO_STEM.match(lab.blocks[i].strip())
        if not m:
            continue
        stem = m.group("stem")
        name = None
        for j in (i + 1, i + 2):
            if lab.open(j) and _compact(lab.blocks[j]) == _compact(stem) and word_count(lab.blocks[j]) <= 5:
                lab.set(j, "metadata:outlet")
                name = lab.blocks[j].strip()
                break
        if _own_site(stem, source) or normalize_line(lab.blocks[i]) in learned or _compact(stem) in _GENERIC_LOGOS:
            continue
        if name is None:
            name = stem.upper() if len(stem) <= 4 else stem
        return name
    return None


def _wire_outlet(texts: Iterable[str], source: str | None) -> str | None:
    """``(AP)``/``(Reuters)`` in a dateline, or an agency after a byline name, on another site."""
    for text in texts:
        if not text:
            continue
        candidates = re.findall(r"\(([^()]{1,40})\)", text)
        tail = re.search(r"(?:,|\||\s[-–—])\s*([^,|]{2,40})\s*$", text)
        if tail:
            candidates.append(tail.group(1))
        for cand in candidates:
            hit = _WIRES.get(cand.strip().casefold())
            if hit is None:
                continue
            name, domain_word = hit
            if source and domain_word in source.casefold():
                return None
            return name
    return None


def _missing_text(value: Any) -> bool:
    return not isinstance(value, str) or not value.strip()


def _known_publisher(source: Any, outlet: Any, dateline: Any) -> str | None:
    """The publisher an article names itself: a syndicated outlet, or the agency whose own site it is."""
    if not _missing_text(outlet) and outlet != source:
        return _WIRES.get(outlet.strip().casefold(), (outlet.strip(),))[0]
    if _missing_text(source):
        return None
    agency = _site_agency(source)
    if agency is not None:
        return agency
    if not _missing_text(dateline):
        for tag in re.findall(r"\(([^()]{1,40})\)", dateline):
            hit = _WIRES.get(tag.strip().casefold())
            if hit:
                return hit[0]
    return None


@lru_cache(maxsize=4096)
def _site_agency(source: str) -> str | None:
    """The agency whose own site ``source`` is (``reuters.com`` -> ``Reuters``), else None; a corpus has few sites."""
    for name, domain_word in sorted(set(_WIRES.values())):
        if re.search(rf"(?:^|\.){re.escape(domain_word)}\.", source.casefold() + "."):
            return name
    return None


def inherit_outlets(articles: pd.DataFrame) -> pd.Series:
    """Outlets where a syndicated copy that names no publisher takes its original's.

    An aggregator's copy of an agency story may carry only a generic logo (``news-logo``)
    and no credit, so :func:`clean_dump` can only give ``outlet = source``. When
    :func:`mediawork.dedup.mark_duplicates` has put it in a group of exact or near
    duplicates, and the other members name exactly one publisher (an outlet other than
    their site, the agency whose own site it is — ``reuters.com`` → ``Reuters`` — or a
    wire tag in the dateline), the copy takes that publisher. Articles that name their own
    outlet keep it.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows of ``articles.parquet`` (at least ``article_id``, ``source``, ``outlet`` and
        ``duplicate_of``; ``dateline`` is used when present). Not modified.

    Returns
    -------
    pandas.Series
        The ``outlet`` column with recovered publishers, on the frame's index.

    Examples
    --------
    >>> df = pd.DataFrame({"article_id": ["a", "b"], "source": ["reuters.com", "example.com"],
    ...                    "outlet": ["reuters.com", "example.com"], "duplicate_of": [None, "a"],
    ...                    "dateline": ["RIYADH, March 25 (Reuters)", "RIYADH"]})
    >>> inherit_outlets(df).tolist()
    ['reuters.com', 'Reuters']
    """
    missing = [c for c in ("article_id", "source", "outlet", "duplicate_of") if c not in articles.columns]
    if missing:
        raise InputError(
            f"articles frame lacks column(s) {', '.join(missing)}; expected the columns of articles.parquet "
            "with `duplicate_of` set by mediawork.dedup.mark_duplicates"
        )
    n = len(articles)
    ids, dups = articles["article_id"].tolist(), articles["duplicate_of"].tolist()
    sources, given = articles["source"].tolist(), articles["outlet"].tolist()
    datelines = articles["dateline"].tolist() if "dateline" in articles.columns else [None] * n
    groups: dict[str, list[int]] = defaultdict(list)
    for pos, (aid, dup) in enumerate(zip(ids, dups)):
        groups[str(dup if isinstance(dup, str) and dup else aid)].append(pos)
    known: dict[tuple[Any, Any, Any], str | None] = {}  # a copy's cells repeat its site's: each triple is asked once
    changed: dict[int, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        named = []
        for pos in members:
            cells = (sources[pos], given[pos], datelines[pos])
            try:
                name = known[cells]
            except KeyError:
                name = known[cells] = _known_publisher(*cells)
            except TypeError:  # an unhashable cell
                name = _known_publisher(*cells)
            named.append(name)
        publishers = {p for p in named if p}
        if len(publishers) == 1:
            publisher = publishers.pop()
            changed.update((pos, publisher) for pos, name in zip(members, named) if name is None)
    outlets = articles["outlet"].copy()
    if changed:
        positions = sorted(changed)
        outlets.iloc[positions] = [changed[pos] for pos in positions]
    return outlets


# --- headline, tags, runs ------------------------------------------------------------

_TITLE_WINDOW = 12


def _find_title(lab: _Labels, start: int) -> int | None:
    candidates = []
    for i in range(start, min(len(lab.blocks), start + _TITLE_WINDOW)):
        if not lab.open(i):
            continue
        block = lab.blocks[i]
        if is_headline_like(strip_badges(block)):
            candidates.append(i)
        elif is_sentence_like(block) or word_count(block) > 30:
            break
    if not candidates:
        return None
    title_keys = lab.title_keys()
    keys = Counter(title_keys)
    repeated = [i for i in candidates if keys[title_keys[i]] >= 2 and word_count(lab.blocks[i]) >= 3]
    headed = [i for i in candidates if word_count(lab.blocks[i]) >= 3 and _heads_article(lab, i)]
    long_enough = [i for i in candidates if word_count(lab.blocks[i]) >= 4]
    return (repeated or headed or long_enough or candidates)[0]


#: Labels a headline may be separated from its byline or date by (besides one dek).
_HEADER_SKIP = ("rule:", "metadata:outlet", "metadata:url")


def _heads_article(lab: _Labels, i: int) -> bool:
    """Whether block ``i`` is followed by a byline or date, at most one open block (a dek) between.

    A section label or site tagline before the headline is followed by the headline and
    the dek before the byline, so it does not head the article.
    """
    between = 0
    for j in range(i + 1, min(len(lab.blocks), i + 1 + _HEADER_WINDOW)):
        label = lab.labels[j]
        if label is None:
            between += 1
            if between > 1:
                return False
        elif label == "metadata:byline" or (label == "metadata:published" and dates.parse_published(lab.blocks[j])[0] is not None):
            return True
        elif not label.startswith(_HEADER_SKIP):
            return False
    return False


def _is_title_variant(block: str, title_key: str, *, key: str | None = None) -> bool:
    """Whether ``block`` is the headline of key ``title_key``, maybe with a short tail; ``key``: the block's headline key when known."""
    if key is None:
        key = normalize_line(strip_badges(block))
    if key == title_key:
        return True
    if not key.startswith(title_key + " ") or is_sentence_like(block):
        return False
    return word_count(key[len(title_key) :]) <= 3  # "Headline - Reuters", "Headline | Site"


def _mark_titles(lab: _Labels, title_idx: int) -> None:
    title_keys = lab.title_keys()
    title_key = title_keys[title_idx]
    lab.set(title_idx, "metadata:title")
    labels = lab.labels
    for i, block in enumerate(lab.blocks):
        if labels[i] is None and _is_title_variant(block, title_key, key=title_keys[i]):
            lab.set(i, "metadata:title")


def _split_tags(text: str) -> list[str]:
    parts = re.split(r"\s*[;|]\s*", text) if re.search(r"[;|]", text) else re.split(r"\s*,\s*", text)
    return [p.strip().strip(".") for p in parts if p.strip().strip(".")]


#: Labels that end a run of tags or related links.
_RUN_STOPS = frozenset(
    {"metadata:title", "metadata:summary", "metadata:published", "metadata:byline", "rule:footer", "rule:copyright", "rule:navigation"}
)


def _mark_tags_and_related(lab: _Labels) -> list[str]:
    """Label tag runs and related-link runs; return the tags in page order."""
    tags: list[str] = []
    n = len(lab.blocks)
    for i, block in enumerate(lab.blocks):
        label = lab.labels[i]
        if label == "metadata:tags":
            m = _TAGS_INLINE.match(block)
            if m:
                tags.extend(_split_tags(m.group("tags")))
            continue
        tag_header = is_tag_header(block) or label == "rule:share"
        related_header = label == "rule:related" and is_related_header(block) and not tag_header
        if not (tag_header or related_header):
            continue
        j = i + 1
        while j < n:
            if not lab.open(j):
                if lab.labels[j] in _RUN_STOPS or (lab.labels[j] == "rule:related" and is_related_header(lab.blocks[j])):
                    break  # the tag list ended: a related-links list or the page footer follows
                j += 1
                continue
            text = lab.blocks[j]
            if tag_header and is_tag_like(text) and not dates.looks_like_date(text):
                lab.set(j, "metadata:tags")
                tags.append(text.strip())
            elif related_header and (is_headline_like(text) or re.match(r"^\s*[•·▪►\-–]\s*\S", text)) and not ends_like_sentence(text):
                lab.set(j, "rule:related")
            else:
                break
            j += 1
    return _unique(tags)


# --- body, dek, captions -------------------------------------------------------------

_STOP = frozenset(
    """that this with would from have been were will they their there which about after also into than then them
    said says what when where while more most some such only other over very just your upon because could should""".split()
)
_RESTATE_SHARE = 0.6  # share of a block's content words found in one later paragraph
_RESTATE_MIN_WORDS = 5
_DATELINE_WINDOW = 4  # the dateline paragraph must be among the first open blocks
_HEADER_WINDOW = 10  # header bylines/dates are looked for this many blocks after the title
_MAX_PROSE_BEFORE_HEADER = 2  # dek + caption may precede a byline or date


@lru_cache(maxsize=4096)
def _content_words(text: str) -> frozenset[str]:
    words = _letter_words(text)
    if words is None:
        words = _folded_letter_words(text)  # the words of 4+ letters are _LONG_WORD's matches
    return frozenset({w for w in set(words) if len(w) >= 4} - _STOP)


#: ASCII bytes → letters lower-cased, every other byte a space: ``[^\W\d_]`` on ASCII text.
_LETTER_TABLE = bytes.maketrans(
    bytes(c for c in range(128) if not chr(c).isalpha()) + bytes(range(65, 91)),
    b" " * sum(not chr(c).isalpha() for c in range(128)) + bytes(range(97, 123)),
)


def _letter_words(text: str) -> list[str] | None:
    """``_LETTERS.findall(text.casefold())`` by byte translation; None for text it cannot split so (then use :func:`_folded_letter_words`).

    Folding is per character, so each distinct non-ASCII character can be judged alone
    (:func:`_letter_role`): a letter that folds to itself (``é``, ``ğ``) stays in its
    word as its UTF-8 bytes (the table leaves bytes from 128 up alone, and UTF-8 never
    puts an ASCII byte inside a character); a character whose folded form has no letter
    (``—``, ``’``, ``…``) separates words like a space; any other (``É``, ``ß``) gives None.
    The ASCII characters are then folded and split by :data:`_LETTER_TABLE`.
    """
    if text.isascii():
        return text.encode("ascii").translate(_LETTER_TABLE).decode("ascii").split()
    data = text.encode("utf-8", "surrogatepass")
    others = set(data.translate(None, _ASCII).decode("utf-8", "surrogatepass"))
    if len(others) > _MAX_REPLACED:  # a text in another script: one pass over the bytes per character would cost more
        return None
    for char in others:
        role = _letter_role(char)
        if role is None:
            return None
        if role:
            data = data.replace(char.encode("utf-8", "surrogatepass"), b" ")
    return data.translate(_LETTER_TABLE).decode("utf-8", "surrogatepass").split()


_ASCII = bytes(range(128))
#: Most distinct non-ASCII characters :func:`_letter_words` looks at before leaving the text to the general split.
_MAX_REPLACED = 24
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=4096)
def _letter_role(char: str) -> bool | None:
    """False: a letter that folds to itself (kept); True: folds to no letter (a separator); None: anything else."""
    folded = char.casefold()
    if folded == char and _LETTER.fullmatch(char):
        return False
    if not any(_LETTER.fullmatch(c) for c in folded):
        return True
    return None


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _folded_letter_words(text: str) -> list[str]:
    """``_LETTERS.findall(text.casefold())`` for any text, by byte translation instead of a regex scan.

    Each distinct non-ASCII character of the folded text that is not a letter (typographic
    punctuation, symbols, combining marks, non-ASCII digits) becomes a space; the rest
    (letters such as ``ğ``) stay inside their words. Then only letters, ASCII non-letters
    and spaces remain, and the ASCII byte table and a split give the words (a space or any
    other character :meth:`str.split` splits at is never a letter).
    """
    return folded_words(text, pattern=_LETTERS, table=_LETTER_TABLE)


def _restates(block: str, later: Sequence[str], *, later_folded: str | None = None) -> bool:
    """Whether one of ``later`` holds :data:`_RESTATE_SHARE` of ``block``'s content words.

    A content word of a paragraph is a substring of the paragraph's case-folded text, so
    a paragraph (or all of them, joined) whose folded text holds too few of the block's
    words as substrings cannot reach the share, and its words are not computed.
    ``later_folded``: ``"\\n".join(later).casefold()`` when the caller has it (one per dump).
    """
    words = _content_words(block)
    if len(words) < _RESTATE_MIN_WORDS:
        return False
    n = len(words)
    if later_folded is None:
        later_folded = "\n".join(later).casefold()
    if _substring_hits(words, later_folded) / n < _RESTATE_SHARE:
        return False
    return any(
        _substring_hits(words, p.casefold()) / n >= _RESTATE_SHARE and len(words & _content_words(p)) / n >= _RESTATE_SHARE
        for p in later
    )


def _substring_hits(words: Collection[str], folded: str) -> int:
    """How many of ``words`` occur in ``folded`` as substrings (an upper bound of its words among them)."""
    return sum(w in folded for w in words)


def _body_start(lab: _Labels, after: int) -> tuple[int | None, bool]:
    """Index of the first body block and whether it carries a dateline."""
    open_after = [i for i in lab.open_indices() if i > after]
    if not open_after:
        return None, False
    for i in open_after[:_DATELINE_WINDOW]:
        if is_sentence_like(lab.blocks[i]) and bylines.split_dateline(lab.blocks[i])[0] is not None:
            return i, True
    header_end = None
    prose = 0
    for i in range(after + 1, min(len(lab.blocks), after + 1 + _HEADER_WINDOW)):
        if lab.open(i):
            if is_sentence_like(lab.blocks[i]):
                prose += 1
                if prose > _MAX_PROSE_BEFORE_HEADER:
                    break
        elif lab.labels[i] == "metadata:byline" or (
            lab.labels[i] == "metadata:published" and dates.parse_published(lab.blocks[i])[0] is not None
        ):
            header_end = i
    if header_end is not None:
        # the body starts at the first block of prose (or a long block) after the header;
        # short labels in between (``Key events``) belong to the front matter.
        rest = [i for i in open_after if i > header_end and (is_sentence_like(lab.blocks[i]) or word_count(lab.blocks[i]) > 8)]
        if rest:
            return rest[0], False
    return open_after[0], False


def _mark_front(lab: _Labels, title_idx: int, body_start: int) -> str | None:
    """Label the open blocks before the body: dek, captions, kickers. Return the dek."""
    front = [i for i in lab.open_indices() if i < body_start]
    later = [lab.blocks[i] for i in lab.open_indices() if i >= body_start]
    prose = [i for i in front if i > title_idx and _dek_like(lab.blocks[i])]
    dek = None
    if prose:
        # The first prose block that restates no later paragraph, else the first prose block
        # (later ones are not tested: only the first fresh one is used).
        later_folded = "\n".join(later).casefold()
        dek = next((i for i in prose if not _restates(lab.blocks[i], later, later_folded=later_folded)), prose[0])
    for i in front:
        if i == dek:
            lab.set(i, "metadata:summary")
        elif i < title_idx:
            lab.set(i, "rule:label")  # section labels and taglines above the headline
        elif is_sentence_like(lab.blocks[i]) or word_count(lab.blocks[i]) > 8:
            lab.set(i, "rule:caption")
        else:
            lab.set(i, "rule:label")
    return lab.blocks[dek] if dek is not None else None


def _dek_like(block: str) -> bool:
    return word_count(block) <= 80 and (is_sentence_like(block) or (word_count(block) >= 6 and is_headline_like(block)))


def _mark_footer_and_repeats(lab: _Labels, body_start: int) -> None:
    end = next((i for i in range(body_start + 1, len(lab.blocks)) if lab.labels[i] in _END_LABELS or (lab.labels[i] == "rule:related" and is_related_header(lab.blocks[i]))), None)
    if end is not None:
        for i in range(end + 1, len(lab.blocks)):
            if lab.open(i) and not ends_like_sentence(lab.blocks[i]):
                lab.set(i, "rule:footer")
    seen: set[str] = set()
    for i in lab.open_indices():
        key = normalize_line(lab.blocks[i])
        if key in seen:
            lab.set(i, "rule:repeat")
        seen.add(key)


def _strip_emails(text: str | None) -> str | None:
    if text is None or "@" not in text:
        return text
    return bylines.strip_emails(text)


# --- dumps ---------------------------------------------------------------------------


def clean_dump(text: str, *, learned: Collection[str] = ()) -> CleanArticle:
    """Recover an article's fields and body from a plain-text web-page dump.

    Parameters
    ----------
    text : str
        The dump: the site's domain on the first line, then blocks separated by blank
        lines (see the module docstring for how blocks are labelled).
    learned : collection of str, optional
        Boilerplate line keys learned for this dump's source (:func:`learn_boilerplate`);
        matching blocks are removed as ``learned:<source>``.

    Returns
    -------
    CleanArticle
        The fields, the body paragraphs exactly as written (dateline split off the first,
        e-mail addresses stripped), and every removed block with its rule.

    Raises
    ------
    InputError
        When the text is empty or no body paragraph survives cleaning.

    Examples
    --------
    >>> art = clean_dump("example.org\\n\\nEnvoys Meet in Jeddah\\n\\n"
    ...                  "Envoys from both sides met in Jeddah on Tuesday, diplomats said.")
    >>> art.source, art.title, len(art.paragraphs)
    ('example.org', 'Envoys Meet in Jeddah', 1)
    """
    if not isinstance(text, str):
        raise InputError(f"dump is a {type(text).__name__}, expected text; pass the decoded file contents")
    blocks = _split_blocks(text)
    if not blocks:
        raise InputError("no body left after cleaning: the dump is empty or only blank lines; check the file")
    lab = _Labels(blocks)
    source = dump_source(text)
    url = None
    start = 0
    if source is not None:
        lab.set(0, "metadata:source")
        url = _first_line_url(text)
        start = 1
    learned_keys = frozenset(learned)

    _apply_rules(lab)
    _mark_newsletter_boxes(lab)
    for i, label in enumerate(lab.labels):
        if label == "metadata:url" and url is None:
            url = blocks[i].strip()
    _apply_dates_and_bylines(lab)
    outlet = _logo_outlet(lab, source, learned_keys)
    title_idx = _find_title(lab, start)
    title = None
    if title_idx is not None:
        title = strip_badges(blocks[title_idx])
        _mark_titles(lab, title_idx)
    tags = _mark_tags_and_related(lab)
    if learned_keys:
        rule = f"learned:{source or 'unknown'}"
        for i in lab.open_indices():
            if normalize_line(blocks[i]) in learned_keys:
                lab.set(i, rule)

    after = title_idx if title_idx is not None else start - 1
    body_start, _ = _body_start(lab, after)
    summary = None
    if body_start is not None:
        summary = _mark_front(lab, after, body_start)
        _mark_footer_and_repeats(lab, body_start)
    published, offset = _published(lab, body_start if body_start is not None else len(blocks))
    for i in lab.open_indices():
        if not _strip_emails(blocks[i]):  # only an address: a contact line
            lab.set(i, "rule:contact")
    kept = lab.open_indices()
    if not kept:
        raise InputError(
            f"no body left after cleaning: all {len(blocks)} blocks of the dump were removed as metadata or boilerplate "
            f"({_rule_summary(lab.removed())}); check that the file is an article page"
        )
    paragraphs = [blocks[i] for i in kept]
    dateline, first = bylines.split_dateline(paragraphs[0])
    if dateline is not None and first:
        paragraphs[0] = first
    else:
        dateline = None
    paragraphs = [_strip_emails(p) for p in paragraphs]
    byline_texts = [blocks[i] for i, lab_ in enumerate(lab.labels) if lab_ == "metadata:byline"]
    if outlet is None:
        outlet = _wire_outlet([dateline or "", *byline_texts], source)
    return CleanArticle(
        title=_strip_emails(title),
        summary=_strip_emails(summary),
        source=source,
        outlet=outlet or source,
        url=url,
        authors=_authors(lab),
        dateline=dateline,
        published=published,
        published_offset=offset,
        tags=tags,
        language=detect_language("\n".join(paragraphs)),
        paragraphs=paragraphs,
        removed=lab.removed(),
    )


def _rule_summary(removed: list[tuple[int, str, str]]) -> str:
    counts = Counter(rule for _, _, rule in removed)
    return ", ".join(f"{rule} ×{n}" for rule, n in sorted(counts.items()))


# --- records -------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT:
        return True
    return isinstance(value, str) and not value.strip()


def _text_field(value: Any) -> str | None:
    if _missing(value):
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (list, tuple)):
        parts = [str(v).strip() for v in value if not _missing(v)]
        return "\n\n".join(p for p in parts if p) or None
    return str(value).strip() or None


def _split_paragraphs(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _BLANK.search(text):
        return _split_blocks(text)
    return [line.strip() for line in text.split("\n") if line.strip()]


def _record_tags(value: Any) -> list[str]:
    if _missing(value):
        return []
    if isinstance(value, str):
        items = _split_tags(value)
    elif isinstance(value, Iterable):
        items = [str(v).strip() for v in value if not _missing(v) and str(v).strip()]
    else:
        items = [str(value).strip()]
    return _unique(items)


def clean_record(fields: Mapping[str, Any]) -> CleanArticle:
    """Turn a structured record (JSON, CSV, news-database export, HTML page) into an article.

    Parameters
    ----------
    fields : mapping
        The record under our field names (:data:`mediawork.units.RECORD_FIELDS`):
        ``title``, ``text``, ``summary``, ``published``, ``source``, ``outlet``, ``url``,
        ``authors``, ``dateline``, ``tags``, ``language``. Missing or empty values
        (``None``, ``NaN``, ``""``) are unknown.

    Returns
    -------
    CleanArticle
        ``text`` split into paragraphs (at blank lines; at single newlines when the text
        has no blank line), boilerplate paragraphs removed with the general rules, the
        dateline split off the first paragraph when the record has none, ``published``
        parsed, authors parsed, outlet defaulting to source, tags from a list or a
        ``;``/``,``-separated string, the record's language (``English`` → ``en``) or a
        function-word test.

    Raises
    ------
    InputError
        ``record has no text`` when the text is missing or nothing is left after cleaning.

    Examples
    --------
    >>> art = clean_record({"title": "Envoys meet", "text": "KYIV — Envoys met on Monday.\\nAdvertisement\\nThey will meet again.",
    ...                     "source": "example.com", "authors": "By Jane Doe", "tags": "Russia; Ukraine"})
    >>> art.dateline, art.paragraphs, art.authors, art.tags, art.outlet
    ('KYIV', ['Envoys met on Monday.', 'They will meet again.'], ['Jane Doe'], ['Russia', 'Ukraine'], 'example.com')
    """
    if not isinstance(fields, Mapping):
        raise InputError(f"record is a {type(fields).__name__}, expected a mapping of field names to values")
    text = _text_field(fields.get("text"))
    if text is None:
        raise InputError("record has no text: its `text` field is missing or empty; expected the article body")
    paragraphs = _split_paragraphs(text)
    lab = _Labels(paragraphs)
    title = _text_field(fields.get("title"))
    if title is not None:
        title = strip_badges(" ".join(title.split()))
        title_key = normalize_line(title)
        for i, para in enumerate(paragraphs):
            if title_key and _is_title_variant(para, title_key):
                lab.set(i, "metadata:title")
    _apply_rules(lab)
    _apply_dates_and_bylines(lab)
    page_tags = _mark_tags_and_related(lab)
    open_now = lab.open_indices()
    if open_now:
        _mark_footer_and_repeats(lab, open_now[0])
    page_published = _published(lab, open_now[0] if open_now else len(paragraphs))
    kept = lab.open_indices()
    if not kept:
        raise InputError(
            f"record has no text left after cleaning: all {len(paragraphs)} paragraphs were removed "
            f"({_rule_summary(lab.removed())}); expected at least one body paragraph"
        )
    body = [paragraphs[i] for i in kept]
    dateline = _text_field(fields.get("dateline"))
    if dateline is None:
        found, first = bylines.split_dateline(body[0])
        if found is not None and first:
            dateline, body[0] = found, first
    body = [p for p in (_strip_emails(p) for p in body) if p]
    published, offset = dates.parse_published(fields.get("published")) if not _missing(fields.get("published")) else (None, None)
    if published is None:
        published, offset = page_published
    authors = bylines.parse_authors(fields.get("authors")) if not _missing(fields.get("authors")) else []
    if not authors:
        authors = _authors(lab)
    source = _text_field(fields.get("source"))
    outlet = _text_field(fields.get("outlet")) or source
    language = _language_code(fields.get("language")) or detect_language("\n".join(body))
    return CleanArticle(
        title=_strip_emails(title),
        summary=_strip_emails(_text_field(fields.get("summary"))),
        source=source,
        outlet=outlet,
        url=_text_field(fields.get("url")),
        authors=authors,
        dateline=dateline,
        published=published,
        published_offset=offset,
        tags=_record_tags(fields.get("tags")) or page_tags,
        language=language,
        paragraphs=body,
        removed=lab.removed(),
    )


# --- language ------------------------------------------------------------------------

_LANGUAGE_NAMES = {
    "english": "en", "eng": "en", "french": "fr", "français": "fr", "francais": "fr", "fre": "fr", "fra": "fr",
    "german": "de", "deutsch": "de", "ger": "de", "deu": "de", "spanish": "es", "español": "es", "espanol": "es",
    "spa": "es", "russian": "ru", "русский": "ru", "rus": "ru", "ukrainian": "uk", "українська": "uk", "ukr": "uk",
    "italian": "it", "ita": "it", "portuguese": "pt", "por": "pt", "hindi": "hi", "hin": "hi", "arabic": "ar", "ara": "ar",
    "chinese": "zh", "zho": "zh", "chi": "zh", "japanese": "ja", "jpn": "ja", "polish": "pl", "pol": "pl", "dutch": "nl", "nld": "nl",
}

#: Function words per language for :func:`detect_language` (written here, no download).
_FUNCTION_WORDS = {
    "en": frozenset("the of and to in a is that for on with as was by it at from he she his her has have had be are were said not but an this which will who they their its".split()),
    "fr": frozenset("le la les de des du et en un une est que qui dans pour pas sur au aux ne se il elle ont sont avec par ce cette".split()),
    "de": frozenset("der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch es an werden aus er sie hat sind".split()),
    "es": frozenset("el la los las de del y en un una es que por con para se no su al lo como más pero sus fue ha".split()),
    "ru": frozenset("и в не на что с по как это он она к у из за от о так но все его для".split()),
    "uk": frozenset("і в не на що з до як це він вона у із за від та але його для які".split()),
}
_ANY_FUNCTION_WORD = frozenset().union(*_FUNCTION_WORDS.values())
_LETTERS = re.compile(r"[^\W\d_]+")
_MIN_FUNCTION_HITS = 3
_MIN_FUNCTION_SHARE = 0.15


def _language_code(value: Any) -> str | None:
    if _missing(value) or not isinstance(value, str):
        return None
    text = value.strip().casefold().replace("_", "-")
    if text in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[text]
    head = text.split("-")[0]
    if re.fullmatch(r"[a-z]{2}", head):
        return head
    return _LANGUAGE_NAMES.get(head)


def detect_language(text: str) -> str:
    """``en`` when English function words dominate ``text``, else ``und``.

    Counts the words of ``text`` that are function words of English and of a few other
    languages (French, German, Spanish, Russian, Ukrainian); English wins when it has at
    least three hits, at least 15% of all words, and more hits than any other language.

    Parameters
    ----------
    text : str
        Body text (a record's own ``language`` field, when present, wins over this test).

    Returns
    -------
    str
        ``en`` or ``und``.

    Examples
    --------
    >>> detect_language("The talks in Riyadh ended without a deal, and the envoys said they would return.")
    'en'
    >>> detect_language("Les négociations ont repris à Riyad avec les délégations.")
    'und'
    """
    if not isinstance(text, str):
        return "und"
    words = _letter_words(text)
    if words is None:
        words = _folded_letter_words(text)
    if not words:
        return "und"
    # Counting only the function words gives the same hits: other words are in no vocabulary.
    counts = Counter(filter(_ANY_FUNCTION_WORD.__contains__, words))
    hits = {lang: sum(counts[w] for w in vocab if w in counts) for lang, vocab in _FUNCTION_WORDS.items()}
    en = hits.pop("en")
    if en >= _MIN_FUNCTION_HITS and en / len(words) >= _MIN_FUNCTION_SHARE and en > max(hits.values()):
        return "en"
    return "und"


# --- learning boilerplate per source ---------------------------------------------------

#: Near-duplicate articles: share of the smaller article's distinctive prose lines that
#: the other article also has. Updated versions and syndicated copies share most lines.
NEAR_DUPLICATE_SHARE = 0.5
#: A prose line (a sentence of at least :data:`PROSE_MIN_WORDS` words) is only learned
#: when it recurs in this share of the source's distinct articles ...
PROSE_MIN_SHARE = 0.8
#: ... and in at least this many times ``min_articles`` distinct articles.
PROSE_ARTICLES_FACTOR = 2
PROSE_MIN_WORDS = 8
#: Prose lines in more than this many articles are not used to find near-duplicate
#: candidates (they are boilerplate candidates themselves); keeps learning fast.
_COMMON_POSTING = 50


def _is_prose_key(block_key: str, raw: str) -> bool:
    return _key_words(block_key) >= PROSE_MIN_WORDS and is_sentence_like(raw)


def learn_boilerplate(
    dumps: Iterable[tuple[str, str]],
    *,
    min_articles: int = 3,
    min_share: float = 0.5,
) -> dict[str, frozenset[str]]:
    """Learn each source's boilerplate: line keys that recur across its distinct articles.

    Parameters
    ----------
    dumps : iterable of (source, dump text)
        Dumps with the source they came from (normally :func:`dump_source`). Dumps of an
        empty or missing source are ignored (lines of unknown sites are not pooled).
    min_articles : int, default 3
        A line must occur in at least this many distinct articles of the source.
    min_share : float, default 0.5
        ... and in at least this share of the source's distinct articles.

    Returns
    -------
    dict of str to frozenset of str
        For every source given, the :func:`normalize_line` keys of its boilerplate
        (possibly empty), in sorted source order.

    Notes
    -----
    Guards against deleting body text:

    - each line counts once per article;
    - exact-duplicate dumps (same lines) count once;
    - near-duplicate articles (updated versions, syndicated copies) are collapsed: two
      articles are one when at least :data:`NEAR_DUPLICATE_SHARE` of the smaller one's
      distinctive prose lines (sentences of :data:`PROSE_MIN_WORDS`+ words) are in the other;
    - a prose line is learned only when it is in at least :data:`PROSE_MIN_SHARE` of the
      distinct articles and in at least ``PROSE_ARTICLES_FACTOR × min_articles`` of them,
      or, in a small corpus, when it meets the ordinary thresholds, has at most
      :data:`BOXED_PROSE_MAX_WORDS` words and sits between two furniture blocks (a general
      rule's match or a recurring non-prose line) in every dump that holds it — the pitch
      of a newsletter box, a publisher's self-description above the copyright line.

    Examples
    --------
    >>> pages = [("example.com", f"example.com\\n\\nHeadline {i}\\n\\nStory number {i} begins here with news.\\n\\nShare this page")
    ...          for i in range(4)]
    >>> sorted(learn_boilerplate(pages)["example.com"])
    ['share this page']
    """
    keyed = ((source, dump_line_keys(text) if source.strip() else []) for source, text in dumps if isinstance(source, str) and isinstance(text, str))
    return learn_from_keys(keyed, min_articles=min_articles, min_share=min_share)


# Entries of dump_line_keys: two flag characters, ":", the line key. Keys hold only
# letters, digits and spaces (normalize_line), so the first ":" ends the flags.
_PROSE_FLAG = "p"
_RULE_FLAG = "r"
_NO_FLAG = "."


def dump_line_keys(text: str) -> list[str]:
    """What :func:`learn_boilerplate` needs of one dump: its line keys in page order, flagged.

    A small, storable summary: one short string per block (the source line left out),
    so that boilerplate can be learned again from stored summaries without reading and
    decoding old dumps (:func:`learn_from_keys`).

    Parameters
    ----------
    text : str
        A whole plain-text dump.

    Returns
    -------
    list of str
        For each block with a non-empty :func:`normalize_line` key, in page order:
        ``"<prose><rule>:<key>"``, where ``<prose>`` is ``p`` when the block reads as a
        prose line (a sentence of :data:`PROSE_MIN_WORDS`+ words), and ``<rule>`` is ``r``
        when a general rule matches the block (asked only for the neighbours of lines of
        :data:`PROSE_MIN_WORDS` to :data:`BOXED_PROSE_MAX_WORDS` words, the only ones the
        learner looks at); ``.`` otherwise.

    Examples
    --------
    >>> dump_line_keys("example.com\\n\\nTruce Talks Resume\\n\\nAdvertisement\\n\\n"
    ...                "Envoys met in Riyadh on Monday for a second round of talks.\\n\\nShare this article")  # doctest: +NORMALIZE_WHITESPACE
    ['..:truce talks resume', '.r:advertisement', 'p.:envoys met in riyadh on monday for a second round of talks',
     '.r:share this article']
    """
    return [f"{_PROSE_FLAG if prose else _NO_FLAG}{_RULE_FLAG if rule else _NO_FLAG}:{key}" for prose, rule, key in _line_flags(text)]


def _line_flags(text: str) -> list[tuple[bool, bool, str]]:
    """(prose, rule, key) of each keyed block of a dump: what :func:`dump_line_keys` writes and :func:`dump_key_codes` encodes."""
    if not isinstance(text, str):
        return []
    blocks = _split_blocks(text)
    if blocks and dump_source(text) is not None:
        blocks = blocks[1:]
    seq = [(key, b) for b in blocks if (key := normalize_line(b))]
    n_words = [_key_words(key) for key, _ in seq]
    boxed_size = [PROSE_MIN_WORDS <= n <= BOXED_PROSE_MAX_WORDS for n in n_words]
    out = []
    for pos, (key, block) in enumerate(seq):
        near_candidate = (pos > 0 and boxed_size[pos - 1]) or (pos + 1 < len(seq) and boxed_size[pos + 1])
        prose = n_words[pos] >= PROSE_MIN_WORDS and is_sentence_like(block)  # _is_prose_key(key, block), its words counted once
        out.append((prose, bool(near_candidate and match_rule(block) is not None), key))
    return out


def dump_key_codes(text: str) -> np.ndarray:
    """``key_codes(dump_line_keys(text))`` without the round trip through strings: what ingest stores per dump.

    Parameters
    ----------
    text : str
        A whole plain-text dump.

    Returns
    -------
    numpy.ndarray of uint64
        One code per keyed block, in page order (see :func:`key_codes`).

    Examples
    --------
    >>> text = "example.com\\n\\nTruce Talks Resume\\n\\nAdvertisement\\n\\nEnvoys met in Riyadh on Monday for a second round of talks."
    >>> bool((dump_key_codes(text) == key_codes(dump_line_keys(text))).all())
    True
    """
    flags = _line_flags(text)
    digests = b"".join([_blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest() for _, _, key in flags])
    codes = np.frombuffer(digests, dtype="<u8").astype(np.uint64)
    codes &= np.uint64(_ID_MASK)
    bits = [prose * _PROSE_BIT | rule * _RULE_BIT | (key.count(" ") < BOXED_PROSE_MAX_WORDS) * _SHORT_BIT for prose, rule, key in flags]
    codes |= np.array(bits, dtype=np.uint64)
    return codes


def learn_from_keys(
    keys_by_dump: Iterable[tuple[str, Sequence[str]]],
    *,
    min_articles: int = 3,
    min_share: float = 0.5,
) -> dict[str, frozenset[str]]:
    """Learn each source's boilerplate from dump summaries (:func:`dump_line_keys`).

    ``learn_from_keys((source, dump_line_keys(text)) for source, text in dumps)`` equals
    ``learn_boilerplate(dumps)`` for every input: an incremental ingest stores each
    dump's summary and learns again without reading old dumps. The work is done on
    integer codes (:func:`key_codes`, :func:`learn_from_codes`); the learned ids are
    mapped back to the keys given (:func:`resolve_keys`).

    Parameters
    ----------
    keys_by_dump : iterable of (source, summary)
        One summary per dump with its source. Summaries of an empty or missing source
        are ignored, as in :func:`learn_boilerplate`.
    min_articles, min_share
        As in :func:`learn_boilerplate`.

    Returns
    -------
    dict of str to frozenset of str
        For every source given, its learned line keys, in sorted source order.

    Raises
    ------
    InputError
        When a threshold is out of range or a summary entry is not ``"<flags>:<key>"``.

    Examples
    --------
    >>> pages = [f"example.com\\n\\nHeadline {i}\\n\\nStory number {i} begins here with news.\\n\\nShare this page"
    ...          for i in range(4)]
    >>> sorted(learn_from_keys(("example.com", dump_line_keys(p)) for p in pages)["example.com"])
    ['share this page']
    """
    _check_thresholds(min_articles, min_share)
    by_source: dict[str, list[Sequence[str]]] = defaultdict(list)
    for source, keys in keys_by_dump:
        if not isinstance(source, str) or isinstance(keys, str) or keys is None:
            continue
        by_source[source].append(_summary_list(keys))
    result: dict[str, frozenset[str]] = {}
    for source in sorted(by_source):
        if not source.strip():
            result[source] = frozenset()
            continue
        summaries = by_source[source]
        ids = _learn_codes([key_codes(s) for s in summaries], min_articles=min_articles, min_share=min_share)
        result[source] = frozenset(resolve_keys(ids, summaries).values())
    return result


# --- learning on integer codes ----------------------------------------------------------
#
# A code is a uint64: the key's id (key_id, low 3 bits cleared) | flags in the low bits.
_PROSE_BIT = 1
_RULE_BIT = 2
_SHORT_BIT = 4
_FLAG_BITS = _PROSE_BIT | _RULE_BIT | _SHORT_BIT
_ID_MASK = 0xFFFF_FFFF_FFFF_FFFF ^ _FLAG_BITS
_blake2b = hashlib.blake2b


def key_id(key: str) -> int:
    """A 64-bit id of a :func:`normalize_line` key, the same in every process and on every machine.

    The first 8 bytes of the key's BLAKE2b digest (UTF-8, ``digest_size=8``) read as a
    little-endian integer, with the low 3 bits cleared (they carry the flags of
    :func:`key_codes`). Python's ``hash()`` is randomised per process and is never used.

    Parameters
    ----------
    key : str
        A line key (the part after ``:`` of a :func:`dump_line_keys` entry).

    Returns
    -------
    int
        An integer in ``[0, 2**64)`` divisible by 8.

    Examples
    --------
    >>> key_id("share this page") == key_id("share this page")
    True
    >>> key_id("share this page") % 8
    0
    """
    return int.from_bytes(_blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little") & _ID_MASK


def _bad_entry(entry: object) -> InputError:
    return InputError(
        f"dump summary entry {entry!r} is not '<flags>:<key>'; expected the entries of "
        "cleaning.dump_line_keys (compute them again from the dump)"
    )


def _entry_key(entry: object) -> tuple[str, str]:
    """(flags, key) of one summary entry; InputError when it is not ``"<2 flags>:<key>"``."""
    flags, sep, key = str(entry).partition(":")
    if not sep or len(flags) != 2:
        raise _bad_entry(entry)
    return flags, key


def _summary_list(summary: object) -> list:
    """``summary`` as a list of entries; InputError when it is None, a string or not a sequence."""
    if isinstance(summary, list):
        return summary
    problem = f"a {type(summary).__name__}"
    if summary is not None and not isinstance(summary, (str, bytes)):
        try:
            return list(summary)  # type: ignore[call-overload]
        except TypeError:
            pass
    raise InputError(
        f"dump summary is {problem}, expected a list of cleaning.dump_line_keys entries "
        "(pass the list of entries, not one entry or None)"
    )


def key_codes(summary: Sequence[str]) -> np.ndarray:
    """A :func:`dump_line_keys` summary as compact integer codes, one per keyed entry.

    Learning boilerplate needs of a dump only its line keys' ids and three flags, so a
    summary of 30 strings (about 4 kB as Python objects) becomes 240 bytes.

    Parameters
    ----------
    summary : sequence of str
        The entries of :func:`dump_line_keys`: ``"<prose><rule>:<key>"``.

    Returns
    -------
    numpy.ndarray of uint64
        In page order, for each entry with a non-empty key: ``key_id(key) | flags``, where
        bit 0 is set for a prose line (flag ``p``), bit 1 when a general rule matched
        (flag ``r``) and bit 2 when the key is short (at most
        :data:`BOXED_PROSE_MAX_WORDS` words; keys are :func:`normalize_line` keys, whose
        words are separated by single spaces). ``codes & ~7`` are the keys' ids.

    Raises
    ------
    InputError
        When the summary is a string or None, or an entry is not ``"<flags>:<key>"``.

    Examples
    --------
    >>> codes = key_codes(["..:truce talks resume", ".r:advertisement", "p.:envoys met in riyadh on monday for talks"])
    >>> codes.dtype.name, [int(c) & 7 for c in codes]
    ('uint64', [4, 6, 5])
    >>> int(codes[1]) & ~7 == key_id("advertisement")
    True
    """
    entries = _summary_list(summary)
    try:
        keys = [e[3:].encode("utf-8", "surrogatepass") for e in entries]
        # The flags (a look-up of the entry's head) and the short bit (the key's spaces) of each entry
        bits = [_HEAD_BITS.get(e[:3], _ODD_HEAD) | (k.count(b" ") < BOXED_PROSE_MAX_WORDS) << 2 for e, k in zip(entries, keys)]
    except (TypeError, AttributeError):  # entries that are not strings
        return key_codes([str(e) for e in entries])
    digests = b"".join([_blake2b(k, digest_size=8).digest() for k in keys if k])
    codes = np.frombuffer(digests, dtype="<u8").astype(np.uint64)
    codes &= np.uint64(_ID_MASK)
    if len(codes) != len(entries) or (bits and max(bits) >= _ODD_HEAD):  # empty keys or unusual heads
        bits = [_entry_bits(e) for e in entries if _entry_key(e)[1]]
    codes |= np.array(bits, dtype=np.uint64)
    return codes


#: The flag bits of the usual heads of dump_line_keys entries; others go through _entry_bits.
_HEAD_BITS = {f"{p}{r}:": (p == _PROSE_FLAG) * _PROSE_BIT | (r == _RULE_FLAG) * _RULE_BIT for p in (_PROSE_FLAG, _NO_FLAG) for r in (_RULE_FLAG, _NO_FLAG)}
_ODD_HEAD = 8


def _entry_bits(entry: str) -> int:
    """The flag bits of one well-formed entry (see :func:`key_codes`)."""
    flags, key = _entry_key(entry)
    short = key.count(" ") < BOXED_PROSE_MAX_WORDS
    return (flags[0] == _PROSE_FLAG) * _PROSE_BIT | (flags[1] == _RULE_FLAG) * _RULE_BIT | short * _SHORT_BIT


def resolve_keys(ids: Collection[int], summaries: Iterable[Sequence[str]]) -> dict[int, str]:
    """The key string of each wanted id, scanning summaries only until all are found.

    Parameters
    ----------
    ids : collection of int
        Key ids (:func:`key_id` values, as :func:`learn_from_codes` returns them).
    summaries : iterable of sequences of str
        :func:`dump_line_keys` summaries, read lazily in order (a generator over stored
        summaries is consumed only as far as needed; learned keys recur in many dumps).

    Returns
    -------
    dict of int to str
        The key of every id found, in ascending id order; ids not found in any summary
        are left out.

    Raises
    ------
    InputError
        When an id has flag bits set (pass ``code & ~7``) or a scanned entry is not
        ``"<flags>:<key>"``.

    Examples
    --------
    >>> summaries = iter([["..:headline one", ".r:share this page"], [".r:share this page"]])
    >>> resolve_keys({key_id("share this page")}, summaries) == {key_id("share this page"): "share this page"}
    True
    >>> next(summaries)  # the second summary was not needed
    ['.r:share this page']
    """
    wanted = set()
    for i in ids:
        value = int(i)
        if value < 0 or value & _FLAG_BITS or value > _ID_MASK:
            raise InputError(
                f"key id {value} is not a key_id value (a non-negative 64-bit integer with the low 3 bits clear); "
                "clear the flags of a code with code & ~7"
            )
        wanted.add(value)
    found: dict[int, str] = {}
    if wanted:
        for summary in summaries:
            for entry in _summary_list(summary):
                _, key = _entry_key(entry)
                if not key:
                    continue
                kid = key_id(key)
                if kid in wanted and kid not in found:
                    found[kid] = key
                    if len(found) == len(wanted):
                        return dict(sorted(found.items()))
    return dict(sorted(found.items()))


def learn_from_codes(
    codes_by_dump: Iterable[tuple[str, np.ndarray]],
    *,
    min_articles: int = 3,
    min_share: float = 0.5,
) -> dict[str, frozenset[int]]:
    """Learn each source's boilerplate from dumps' integer codes (:func:`key_codes`).

    The learner of :func:`learn_from_keys` on compact codes: an ingest keeps one small
    uint64 array per dump instead of a list of strings. The learned ids are those of
    the keys :func:`learn_from_keys` learns from the same summaries
    (``{key_id(k) for k in learn_from_keys(...)[source]}``); :func:`resolve_keys` gives
    their strings.

    Parameters
    ----------
    codes_by_dump : iterable of (source, codes)
        One array of :func:`key_codes` per dump with its source. Entries whose source
        is not a string, or whose codes are None, are skipped; a blank source learns
        nothing.
    min_articles, min_share
        As in :func:`learn_boilerplate`.

    Returns
    -------
    dict of str to frozenset of int
        For every source given, the :func:`key_id` of each learned key, in sorted
        source order.

    Raises
    ------
    InputError
        When a threshold is out of range or codes are not a 1-D array of non-negative integers.

    Notes
    -----
    Same algorithm as :func:`learn_boilerplate`; articles are visited in the order of a
    digest of their sorted distinct key ids (exact duplicates share it), which decides
    which cluster an article joins when it is a near duplicate of two.

    Examples
    --------
    >>> pages = [f"example.com\\n\\nHeadline {i}\\n\\nStory number {i} begins here with news.\\n\\nShare this page"
    ...          for i in range(4)]
    >>> learned = learn_from_codes(("example.com", key_codes(dump_line_keys(p))) for p in pages)
    >>> learned["example.com"] == {key_id("share this page")}
    True
    """
    _check_thresholds(min_articles, min_share)
    by_source: dict[str, list[np.ndarray]] = defaultdict(list)
    for source, codes in codes_by_dump:
        if not isinstance(source, str) or codes is None:
            continue
        by_source[source].append(codes)
    result: dict[str, frozenset[int]] = {}
    for source in sorted(by_source):
        if not source.strip():
            result[source] = frozenset()
            continue
        arrays = [_as_codes(codes, source) for codes in by_source[source]]
        result[source] = _learn_codes(arrays, min_articles=min_articles, min_share=min_share)
    return result


def _check_thresholds(min_articles: int, min_share: float) -> None:
    if min_articles < 1:
        raise InputError(f"min_articles is {min_articles}, expected at least 1")
    if not 0 < min_share <= 1:
        raise InputError(f"min_share is {min_share}, expected a share in (0, 1]")


def _as_codes(codes: object, source: str) -> np.ndarray:
    """``codes`` as a 1-D uint64 array (no copy when it is one already)."""
    if isinstance(codes, np.ndarray) and codes.dtype == np.uint64 and codes.ndim == 1:
        return codes
    if isinstance(codes, Iterable) and not isinstance(codes, (np.ndarray, str, bytes)):  # a list of ints: exact
        values = list(codes)
        if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) and 0 <= v < 2**64 for v in values):
            return np.array([int(v) for v in values], dtype=np.uint64)
    arr = np.asarray(codes)
    if arr.size == 0 and arr.ndim == 1:
        return np.zeros(0, dtype=np.uint64)
    if arr.ndim != 1 or arr.dtype.kind not in "iu" or (arr.dtype.kind == "i" and (arr < 0).any()):
        raise InputError(
            f"codes of a dump of {source!r} are a {arr.ndim}-D {arr.dtype} array; expected the 1-D uint64 "
            "array of cleaning.key_codes (compute them again from the dump's summary)"
        )
    return arr.astype(np.uint64)


def _learn_codes(arrays: Sequence[np.ndarray], *, min_articles: int, min_share: float) -> frozenset[int]:
    """The learner of one source on its dumps' codes: the learned key ids."""
    arrays = [a for a in arrays if a.size]
    if not arrays:
        return frozenset()
    sizes = np.array([a.size for a in arrays], dtype=np.int64)
    codes = np.concatenate(arrays)
    uniq, dense = _dense_ids(codes & np.uint64(_ID_MASK))
    n_keys = uniq.size
    dump = np.repeat(np.arange(len(arrays), dtype=np.int64), sizes)
    prose_e = (codes & np.uint64(_PROSE_BIT)) != 0
    rule_e = (codes & np.uint64(_RULE_BIT)) != 0
    short = np.zeros(n_keys, dtype=bool)
    short[dense] = (codes & np.uint64(_SHORT_BIT)) != 0

    # 1. exact duplicates: the same set of keys counts once (the last such dump stands for them).
    #    Distinct (dump, key) pairs; a repeated key's last block decides whether it is prose.
    pair = dump * n_keys + dense
    order = _stable_order(pair, len(arrays) * n_keys)
    pair_sorted = pair[order]
    last = np.ones(pair_sorted.size, dtype=bool)
    last[:-1] = pair_sorted[1:] != pair_sorted[:-1]
    p_dump = dump[order][last]
    p_key = dense[order][last]
    p_prose = prose_e[order][last]
    bounds = np.searchsorted(p_dump, np.arange(len(arrays) + 1))
    visit = _digest_order(uniq[p_key], bounds)  # articles, in digest order
    rank = np.full(len(arrays), -1, dtype=np.int64)
    rank[visit] = np.arange(len(visit), dtype=np.int64)
    kept = rank[p_dump] >= 0
    a_art, a_key, a_prose = rank[p_dump[kept]], p_key[kept], p_prose[kept]
    n_articles = len(visit)

    # 2. near duplicates: collapse articles sharing most of their prose lines. Candidates
    #    come from an index of the less common lines; the share is then computed exactly.
    prose_df = np.bincount(a_key[a_prose], minlength=n_keys)
    all_prose = prose_df > 0
    cluster_of = _near_duplicate_clusters(a_art[a_prose], a_key[a_prose], prose_df <= _COMMON_POSTING, n_articles)

    # 3. count each line once per distinct article and apply the thresholds
    n = int(cluster_of.max()) + 1
    cluster_keys = _distinct(cluster_of[a_art] * n_keys + a_key)
    counts = np.bincount(cluster_keys % n_keys, minlength=n_keys)
    share = counts / n
    recurring = (counts >= min_articles) & (share >= min_share)
    prose_ok = (counts >= max(min_articles * PROSE_ARTICLES_FACTOR, min_articles)) & (share >= max(min_share, PROSE_MIN_SHARE))
    learned = recurring & (~all_prose | prose_ok)
    furniture = (recurring & ~all_prose) | learned
    candidates = recurring & all_prose & ~learned & short
    if candidates.any():
        keep_e = rank[dump] >= 0
        learned |= _boxed_prose(candidates, dense, rule_e, keep_e, np.cumsum(sizes), furniture)
    return frozenset(uniq[learned].tolist())


def _stable_order(keys: np.ndarray, bound: int) -> np.ndarray:
    """``numpy.argsort(keys, kind="stable")`` of non-negative int64 ``keys`` below ``bound``.

    When ``bound × len(keys)`` fits in an int64, each key is packed with its position
    (``key × n + position``) and the packed values are sorted by value, which numpy does
    several times faster than a stable argsort; equal keys stay in position order.
    """
    n = keys.size
    if n < 2 or bound * n >= 2**63:
        return np.argsort(keys, kind="stable")
    return np.sort(keys * n + np.arange(n, dtype=np.int64)) % n


def _digest_order(ids: np.ndarray, bounds: np.ndarray) -> list[int]:
    """Dumps in the order of the digest of their distinct sorted ids; of equal digests, the last dump.

    ``ids[bounds[d]:bounds[d + 1]]`` are dump ``d``'s distinct ids, ascending; the digest
    is the 16-byte BLAKE2b of them as little-endian uint64 bytes.
    """
    data = memoryview(ids.astype("<u8").tobytes())
    edges = (bounds * 8).tolist()
    digest_of = {_blake2b(data[b:e], digest_size=16).digest(): d for d, (b, e) in enumerate(zip(edges, edges[1:]))}
    return [digest_of[g] for g in sorted(digest_of)]


def _distinct(values: np.ndarray) -> np.ndarray:
    """``numpy.unique(values)`` of a 1-D array: sorted, then the first of each run of equal values.

    The same values in the same order; numpy 2.x's ``unique`` hashes first and is some
    30 times slower on the millions of (cluster, key) pairs of a large source.
    """
    ordered = np.sort(values)
    if ordered.size < 2:
        return ordered
    first = np.empty(ordered.size, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def _dense_ids(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``numpy.unique(ids, return_inverse=True)`` (inverse as int64) by a hash table, then a sort of the distinct ids only."""
    codes, seen = pd.factorize(ids)
    order = np.argsort(seen)
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size, dtype=np.int64)
    return seen[order], rank[codes]


def _near_duplicate_clusters(art: np.ndarray, key: np.ndarray, rare: np.ndarray, n_articles: int) -> np.ndarray:
    """The cluster of each article, visiting articles in order (``art``/``key``: prose pairs, by article).

    An article joins the first cluster (in creation order) holding at least
    :data:`NEAR_DUPLICATE_SHARE` of the smaller one's prose lines; clusters to compare
    come from the postings of the article's rare lines, or are all clusters when it has
    none.

    Most articles share no rare line with another one and have some rare line: such an
    article compares with no cluster and is found by none later (it posts nothing), so
    it just opens the next cluster. Only the other articles are visited one by one; a
    cluster's prose set is built when a later article first compares with it.
    """
    order = _stable_order(art, n_articles)
    art, key = art[order], key[order]
    starts = np.searchsorted(art, np.arange(n_articles + 1))
    has_rare = np.zeros(n_articles, dtype=bool)
    has_rare[art[rare[key]]] = True
    # Only rare lines of two or more articles can lead to another article's cluster.
    shared = rare[key] & (np.bincount(key)[key] > 1)
    shared_keys = key[shared].tolist()
    shared_starts = np.searchsorted(art[shared], np.arange(n_articles + 1))
    has_prose = starts[1:] > starts[:-1]
    visited = np.flatnonzero((shared_starts[1:] > shared_starts[:-1]) | (~has_rare & has_prose)).tolist()
    starts, shared_starts, has_rare = starts.tolist(), shared_starts.tolist(), has_rare.tolist()
    opened_by: list[int] = []  # the article that opened each cluster
    cluster_prose: dict[int, set[int]] = {}  # the prose of clusters built so far
    joined: dict[int, int] = {}  # article -> the earlier cluster it joined
    postings: dict[int, set[int]] = defaultdict(set)
    for a in visited:
        opened_by.extend(range(len(opened_by) + len(joined), a))  # the articles skipped each opened a cluster
        lookups = shared_keys[shared_starts[a] : shared_starts[a + 1]]
        prose = set(key[starts[a] : starts[a + 1]].tolist())
        target = None
        if prose:
            if has_rare[a]:
                candidates: Iterable[int] = sorted(set().union(*map(postings.__getitem__, lookups)))
            else:
                candidates = range(len(opened_by))
            for c in candidates:
                other = cluster_prose.get(c)
                if other is None:
                    b = opened_by[c]
                    other = cluster_prose[c] = set(key[starts[b] : starts[b + 1]].tolist())
                if other and len(prose & other) / min(len(prose), len(other)) >= NEAR_DUPLICATE_SHARE:
                    target = c
                    break
        if target is None:
            target = len(opened_by)
            opened_by.append(a)
            cluster_prose[target] = prose
        else:
            cluster_prose[target] |= prose
            joined[a] = target
        for k in lookups:
            postings[k].add(target)
    opens = np.ones(n_articles, dtype=bool)
    joiners = np.fromiter(joined, dtype=np.int64, count=len(joined))
    opens[joiners] = False
    cluster_of = np.cumsum(opens, dtype=np.int64) - 1
    cluster_of[joiners] = np.fromiter(joined.values(), dtype=np.int64, count=len(joined))
    return cluster_of


#: A recurring prose line boxed in by page furniture is learned even in a small corpus
#: when it has at most this many words (a pitch or a self-description, not a paragraph).
BOXED_PROSE_MAX_WORDS = 30


def _boxed_prose(
    candidates: np.ndarray,
    dense: np.ndarray,
    rule_e: np.ndarray,
    keep_e: np.ndarray,
    ends: np.ndarray,
    furniture: np.ndarray,
) -> np.ndarray:
    """Recurring prose lines that, in every dump holding them, sit between two furniture blocks.

    ``candidates`` and ``furniture`` are masks over keys; ``dense``, ``rule_e`` and
    ``keep_e`` (the dump stands for its exact duplicates) are per entry, dumps ending at
    ``ends``. A neighbour is furniture when a general rule matches it or it is a
    recurring non-prose line (or an already learned line). Body paragraphs repeated
    across articles (a wire's background paragraph) have story text on at least one
    side, so they are never learned this way; nor is a line at the very start or end of
    a dump.
    """
    furn_e = furniture[dense] | rule_e
    boxed = np.zeros(dense.size, dtype=bool)
    boxed[1:-1] = furn_e[:-2] & furn_e[2:]
    edge = np.zeros(dense.size, dtype=bool)
    edge[ends - 1] = True
    edge[ends[:-1]] = True
    edge[0] = True
    failed = keep_e & candidates[dense] & (edge | ~boxed)
    ok = candidates.copy()
    ok[dense[failed]] = False
    return ok
