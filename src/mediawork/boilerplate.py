"""General boilerplate rules for web-page dumps: one declared table, no site names.

Every rule looks at a whole block (a blank-line-separated chunk of a dump, or a
paragraph of a record) and says whether the *whole block* is page furniture: an
advertisement label, a subscribe wall, a share bar, a photo credit, a copyright
footer, a contact line, a logo's alt text, a related-links header, a call to action,
a reading widget or a navigation menu. A real sentence that merely contains one of
those words (``Moscow refused to subscribe to the European proposal, the ministry
said.``) matches no rule: phrase rules match the block from its first word, are
bounded in length, and refuse attributed speech (``said``, ``told``...).

:data:`RULES` is the table (name, predicate, doc) in the order rules are tried;
:func:`match_rule` returns the first rule that matches. The context rules that need
neighbouring blocks (headlines, deks, captions by position, tags, related-link runs,
footers) live in :mod:`mediawork.cleaning`, which uses the helpers below.

Example
-------
>>> match_rule("Story continues below advertisement")
'rule:advertisement'
>>> match_rule("Moscow refused to subscribe to the European proposal, the ministry said.") is None
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from .bylines import is_contributor_line

__all__ = [
    "RULES",
    "Rule",
    "ends_like_sentence",
    "is_headline_like",
    "is_related_header",
    "is_sentence_like",
    "is_tag_header",
    "is_tag_like",
    "match_rule",
    "normalize_line",
    "strip_badges",
    "word_count",
]


@dataclass(frozen=True)
class Rule:
    """One boilerplate rule: its name (``rule:<kind>``), a block predicate and a doc line.

    The predicate receives the block as written and its :func:`normalize_line` key.
    """

    name: str
    test: Callable[[str, str], bool]
    doc: str


# --- shared text helpers -------------------------------------------------------------

#: Entries of each per-text cache: a site's furniture lines recur in every dump, so a
#: large corpus keeps asking about the same few thousand blocks and keys.
_CACHE_SIZE = 1 << 16

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’»)\]]*$")
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
_ATTRIBUTED = re.compile(
    r"\b(?:said|says|say|told|tells|according|added|adds|urged|warned|wrote|asked|announced|stated|"
    r"reported|noted|insisted|claimed|argued|explained|replied|confirmed|denied)\b"
)
_QUOTES = re.compile(r"[\"“”«»]")
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


@lru_cache(maxsize=_CACHE_SIZE)
def normalize_line(line: str) -> str:
    """The key used to compare lines: case-folded, punctuation and whitespace folded.

    Parameters
    ----------
    line : str
        A line or block of a dump.

    Returns
    -------
    str
        NFKC-normalised, case-folded text where every run of characters that are not
        letters or digits (punctuation, symbols, whitespace) is one space, without leading or trailing spaces.

    Examples
    --------
    >>> normalize_line("  Subscribe Now @1199/year ")
    'subscribe now 1199 year'
    >>> normalize_line("rec-icon  Recommended Topics")
    'rec icon recommended topics'
    """
    data = _ascii_bytes(line, apostrophe=" ")
    if data is not None:
        return b" ".join(data.translate(_KEY_TABLE).split()).decode("ascii")
    return _normalize_slow(line)


#: The cached function itself (a site's furniture lines recur; one call per look-up).
_normalize_cached = normalize_line
_NON_WORD = re.compile(r"[\W_]+")


def _normalize_slow(line: str) -> str:
    """The definition of :func:`normalize_line` (the fast path must give the same key)."""
    text = unicodedata.normalize("NFKC", line).casefold()
    return _NON_WORD.sub(" ", text).strip()


# --- fast paths for texts of ASCII and common typographic punctuation -------------------
#
# Most lines of English pages are ASCII apart from curly quotes and dashes. For them the
# key and the word count come from byte tables instead of Unicode regexes: NFKC leaves
# ASCII unchanged, casefold is lower(), and ``[^\W_]`` is ``[A-Za-z0-9]``. The characters
# below are not letters or digits and stay so under NFKC (``…`` becomes ``...``, a no-break
# space a space), so they separate words like a space; tests compare both paths.

#: Typographic separators replaced by a space before the ASCII test (``’`` is handled apart:
#: it joins words in :func:`word_count`).
_FAST_SEPARATORS = "“”‘—–…•·«»\u00a0"
_ASCII_NON_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())
_UPPER = bytes(range(ord("A"), ord("Z") + 1))
#: Bytes → key bytes: letters lower-cased, everything but letters and digits a space.
_KEY_TABLE = bytes.maketrans(_ASCII_NON_ALNUM + _UPPER, b" " * len(_ASCII_NON_ALNUM) + _UPPER.lower())
#: Bytes → word classes: a letter or digit ``a``, the apostrophe ``'``, every other byte a space.
_CLASS_TABLE = bytes.maketrans(
    bytes(range(256)), bytes(ord("a") if chr(c).isalnum() and c < 128 else ord("'") if c == ord("'") else ord(" ") for c in range(256))
)
#: An apostrophe between two letters or digits (``don't``): it joins them into one word.
_JOINING_APOSTROPHE = re.compile(rb"[A-Za-z0-9]'(?=[A-Za-z0-9])")


def _ascii_bytes(text: str, *, apostrophe: str) -> bytes | None:
    """``text`` as ASCII bytes with typographic separators spaced and ``’`` as ``apostrophe``; None when other characters remain."""
    if not text.isascii():
        for char in _FAST_SEPARATORS:
            if char in text:
                text = text.replace(char, " ")
        if "’" in text:
            text = text.replace("’", apostrophe)
        if not text.isascii():
            return None
    return text.encode("ascii")


def _word_count_slow(text: str) -> int:
    """The definition of :func:`word_count` (the fast path must give the same number)."""
    return len(_WORD.findall(text))


def _key_words(key: str) -> int:
    """:func:`word_count` of a :func:`normalize_line` key: its words are separated by single spaces."""
    return key.count(" ") + 1 if key else 0


def _has_words(text: str, n: int) -> bool:
    """Whether ``text`` has at least ``n`` words (stops counting at ``n``)."""
    return next(islice(_WORD.finditer(text), n - 1, None), None) is not None


def _ends_sentence(stripped: str) -> bool:
    """``_ENDS_SENTENCE.search(stripped)`` for a text without trailing whitespace, without a scan."""
    return stripped.rstrip(_CLOSERS).endswith(_TERMINALS)


_CLOSERS = "\"'”’»)]"
_TERMINALS = (".", "!", "?", "…")


@lru_cache(maxsize=_CACHE_SIZE)
def word_count(text: str) -> int:
    """Number of words (runs of letters or digits, apostrophes inside) in ``text``."""
    data = _ascii_bytes(text, apostrophe="'")
    if data is None:
        return _word_count_slow(text)
    # Count, do not split: a run of letters and digits starts at the text's start or after a
    # space or an apostrophe; an apostrophe between two of them joins two runs into one word.
    classes = data.translate(_CLASS_TABLE)
    runs = classes.count(b" a") + classes.startswith(b"a")
    if b"'" not in classes:
        return runs
    runs += classes.count(b"'a")
    if b"'a'" in classes:  # "rock'n'roll": joins overlap, which bytes.count does not see
        return runs - len(_JOINING_APOSTROPHE.findall(data))
    return runs - classes.count(b"a'a")


def ends_like_sentence(text: str) -> bool:
    """Whether a block ends with ``.``, ``!``, ``?`` or ``…`` (closing quotes allowed), whatever its length.

    >>> ends_like_sentence("Kyiv agreed.")
    True
    >>> ends_like_sentence("For readers who want more")
    False
    """
    return _ends_sentence(text.strip())


@lru_cache(maxsize=_CACHE_SIZE)
def is_sentence_like(text: str) -> bool:
    """Whether a block reads as prose: at least four words and a closing ``.``, ``!`` or ``?``.

    >>> is_sentence_like("Talks resumed on Monday.")
    True
    >>> is_sentence_like("See More")
    False
    """
    return _ends_sentence(text.rstrip()) and _has_words(text, 4)


def _attributed(text: str, key: str) -> bool:
    return _ATTRIBUTED.search(key) is not None or _QUOTES.search(text) is not None


#: Badges that decorate a repeated headline (``... PREMIUM``, ``LIVE: ...``).
_BADGES = r"(?:PREMIUM|EXCLUSIVE|LIVE(?: UPDATES)?|BREAKING(?: NEWS)?|UPDATED|UPDATE|WATCH|VIDEO|OPINION|ANALYSIS|EXPLAINER|SUBSCRIBER ONLY|PAID|PLUS)"
_BADGE_TAIL = re.compile(rf"(?:\s*[|:\-–—]?\s*{_BADGES})+\s*$")
#: A badge ends with one of these words and begins with one of those: texts that do not
#: are not searched (long paragraphs are never headlines).
_BADGE_LAST_WORDS = (
    "PREMIUM", "EXCLUSIVE", "LIVE", "UPDATES", "BREAKING", "NEWS", "UPDATED", "UPDATE", "WATCH", "VIDEO", "OPINION",
    "ANALYSIS", "EXPLAINER", "ONLY", "PAID", "PLUS",
)
_BADGE_FIRST_WORDS = (
    "PREMIUM", "EXCLUSIVE", "LIVE", "BREAKING", "UPDATED", "UPDATE", "WATCH", "VIDEO", "OPINION", "ANALYSIS", "EXPLAINER",
    "SUBSCRIBER", "PAID", "PLUS", "Live", "Breaking", "Exclusive", "Watch", "Opinion", "Analysis",
)
_BADGE_HEAD = re.compile(rf"^\s*(?:{_BADGES}|Live|Breaking|Exclusive|Watch|Opinion|Analysis)\s*[:|\-–—]\s*|^\s*{_BADGES}\s+(?=\S)")


@lru_cache(maxsize=_CACHE_SIZE)
def strip_badges(text: str) -> str:
    """A headline without badges such as ``PREMIUM``, ``EXCLUSIVE`` or ``LIVE:``.

    Badges are matched in capitals at either end (``Live:``/``Breaking:`` also with a
    colon), so a headline word such as ``Live`` inside the text stays.

    >>> strip_badges("Ukraine Cease-Fire Hinges on Trump Call With Putin PREMIUM")
    'Ukraine Cease-Fire Hinges on Trump Call With Putin'
    >>> strip_badges("LIVE: Trump and Putin speak by phone")
    'Trump and Putin speak by phone'
    """
    out = _BADGE_TAIL.sub("", text) if text.rstrip().endswith(_BADGE_LAST_WORDS) else text
    if out.lstrip().startswith(_BADGE_FIRST_WORDS):
        out = _BADGE_HEAD.sub("", out, count=1)
    out = out.strip()
    return out or text.strip()


def _short_line(text: str, *, max_chars: int, words: tuple[int, int]) -> str | None:
    """``text`` stripped when it is one line without ``|``, at most ``max_chars`` long, of ``words[0]`` to ``words[1]`` words; else None."""
    stripped = text.strip()
    if "\n" in stripped or "|" in stripped or len(stripped) > max_chars:
        return None
    if not words[0] <= word_count(stripped) <= words[1]:
        return None
    return stripped


def is_headline_like(text: str) -> bool:
    """A short line that does not end like a sentence: 2 to 30 words, no final period.

    >>> is_headline_like("Ukraine Cease-Fire Hinges on Trump Call With Putin")
    True
    >>> is_headline_like("Talks resumed on Monday after a pause.")
    False
    """
    stripped = _short_line(text, max_chars=300, words=(2, 30))
    return stripped is not None and not stripped.rstrip(_CLOSERS).endswith((".", ";", ",", ":"))


_TAG_HEADER = re.compile(r"(?:(?:[a-z]+ ){0,4}topics?|tags|tagged|filed under|keywords)")


def _strip_icon(text: str) -> str:
    """Drop a leading icon alt text (``rec-icon Recommended Topics`` → ``Recommended Topics``)."""
    stripped = text.strip()
    if ("-" not in stripped and "_" not in stripped) or "con" not in stripped.casefold():
        return stripped  # the pattern needs "-" or "_", and "icon" in any case (re's IGNORECASE also takes a dotless "ı")
    return _ICON.sub("", stripped).strip()


_ICON = re.compile(r"^(?:[\w]+[-_]icon\b\s*)+", re.IGNORECASE)


def is_tag_header(text: str) -> bool:
    """A header that introduces the page's topic tags (``Recommended Topics``, ``Tags``).

    Up to five words ending in ``topic``/``topics`` (``Explore more on these topics``),
    or ``Tags``, ``Filed under``, ``Keywords``.

    >>> is_tag_header("rec-icon Recommended Topics")
    True
    """
    if _ends_sentence(text.strip()):
        return False
    key = normalize_line(_strip_icon(text))
    return _key_words(key) <= 5 and _TAG_HEADER.fullmatch(key) is not None


def is_tag_like(text: str) -> bool:
    """A topic tag: one to four words, at most 40 characters, capitalised, no punctuation at the end.

    >>> is_tag_like("Russia")
    True
    >>> is_tag_like("Talks resumed on Monday.")
    False
    """
    stripped = _short_line(text, max_chars=40, words=(1, 4))
    if stripped is None or not (stripped[0].isupper() or stripped[0].isdigit()):
        return False
    return not stripped.rstrip(_CLOSERS).endswith((".", "!", "?", ":", ";", ",", "…")) and not stripped.isdigit()


_RELATED = re.compile(
    r"^(?:related(?: stories| articles| news| coverage| content| reading| links| posts)?|also read|read also|"
    r"read more|read next|more on this(?: story| topic)?|more from\b.*|see also|see more|more stories|"
    r"most read|most popular|most viewed|most shared|trending(?: now| stories)?|you may also like|"
    r"you might also like|you may have missed|recommended(?: for you| stories| reading| articles)?|"
    r"top stories|latest stories|latest news|what to read next|more in\b.*|explore more|don t miss|"
    r"in other news|more headlines|editor s picks?|popular now)$"
)


def is_related_header(text: str) -> bool:
    """A header that opens a list of links to other stories (``Related coverage``, ``Most read``).

    >>> is_related_header("Related coverage")
    True
    >>> is_related_header("Related talks will resume on Monday, officials said.")
    False
    """
    if _ends_sentence(text.strip()):
        return False
    key = normalize_line(_strip_icon(text))
    return _key_words(key) <= 8 and _RELATED.fullmatch(key) is not None and not _attributed(text, key)


# --- the rules -----------------------------------------------------------------------

_AD_KEYS = frozenset(
    """advertisement|advertisements|advert|ad|ads|sponsored|sponsored content|paid content|paid post|
    promoted|promoted content|partner content|advertisement continue reading below|continue reading below|
    advertisement scroll to continue|scroll to continue with content|ad feedback|report this ad|
    skip advertisement|advertisement skip advertisement|ad break|advertising""".replace("\n", "").replace("    ", "").split("|")
)
_AD_CONTINUES = re.compile(
    r"(?:advertisement |ad )?(?:the )?(?:story|article|content|text|report|news) continues? (?:below|after) "
    r"(?:the |this )?(?:advertisement|advertisements|advert|ad|ads|sponsored message)"
)


def _is_advertisement(text: str, key: str) -> bool:
    return key in _AD_KEYS or _AD_CONTINUES.fullmatch(key) is not None


_SUBSCRIBE = re.compile(
    r"^(?:subscribe|subscribers? only|subscriber exclusive|exclusive (?:for|to) subscribers|already (?:a )?(?:subscriber|member|subscribed)|"
    r"become a (?:subscriber|member)|sign in to|log in to|login to|log in|login|sign in|unlock|"
    r"get (?:unlimited|full|instant|digital) access|start (?:your|a) free trial|start your subscription|"
    r"this (?:article|content|story|report) is (?:for|available to|only available to|exclusive to) (?:subscribers|members)|"
    r"you ve (?:reached|read) your|you have (?:reached|read) your|to continue reading|continue reading with|"
    r"keep reading with|want to read more|support (?:our|independent) journalism|premium (?:content|article|story)|"
    r"create a free account|register (?:to continue|for free|now)|only subscribers|upgrade (?:to|your)|"
    r"try \d+ (?:days|months) (?:free|for)|e ?paper)\b"
)


def _is_subscribe(text: str, key: str) -> bool:
    return _SUBSCRIBE.search(key) is not None and _key_words(key) <= 30 and not _attributed(text, key)


_NEWSLETTER_START = re.compile(
    r"^(?:sign up|signup|subscribe|get|receive|join|enter your email|sign me up|don t miss|never miss|want|"
    r"privacy notice|our|the best|free)\b"
)
_NEWSLETTER_WORD = re.compile(r"\b(?:newsletters?|inbox|email alerts?|e mail alerts?|daily briefing|morning briefing|evening briefing)\b")


_SIGN_UP = re.compile(r"sign up (?:to|for|here|now|today)\b")
_NEWSLETTER_BOX = re.compile(r"(?:(?:skip past|after|end of|close) )?newsletter (?:promotion|promo|box|sign ?up)")


def _is_newsletter(text: str, key: str) -> bool:
    if key in {"newsletter", "newsletters", "newsletter sign up", "newsletter signup", "sign up", "sign up now"}:
        return True
    if _SIGN_UP.match(key) and _key_words(key) <= 8 and not is_sentence_like(text):
        return True  # "Sign up to World Briefing", "Sign up here."
    if _NEWSLETTER_BOX.fullmatch(key):
        return True  # the markers around a newsletter box: "after newsletter promotion"
    if key.startswith("privacy notice ") and _key_words(key) <= 45 and _NEWSLETTER_WORD.search(key):
        return True  # "Privacy notice: we only use your email to send you the newsletters you asked for."
    return (
        _NEWSLETTER_START.search(key) is not None
        and _key_words(key) <= 45
        and _NEWSLETTER_WORD.search(key) is not None
        and not _attributed(text, key)
    )


_COOKIE_WORD = re.compile(r"\bcookies?\b")
_COOKIE_CONTEXT = re.compile(
    r"\b(?:we use|we and our partners|this (?:site|website) uses|accept|consent|preferences|manage|settings|reject|"
    r"privacy policy|your experience|personalise|personalize|opt out)\b"
)
_COOKIE_KEYS = frozenset({"accept all", "reject all", "accept all cookies", "reject all cookies", "manage preferences", "manage cookies", "cookie settings", "cookie policy", "i agree", "got it", "accept cookies", "allow all"})


def _is_cookie(text: str, key: str) -> bool:
    if key in _COOKIE_KEYS:
        return True
    return (
        "cookie" in key  # what _COOKIE_WORD needs
        and _key_words(key) <= 70
        and _COOKIE_WORD.search(key) is not None
        and _COOKIE_CONTEXT.search(key) is not None
        and not _attributed(text, key)
    )


_SOCIAL_CORE = frozenset("share facebook twitter whatsapp linkedin reddit telegram email mail print tweet pinterest flipboard messenger bluesky copy link copied".split())
_SOCIAL_ALL = _SOCIAL_CORE | frozenset("this article story on via x e the page gift save threads url to your friends with us".split())


def _is_share(text: str, key: str) -> bool:
    if not key or _key_words(key) > 10:
        return False
    words = key.split()
    return all(w in _SOCIAL_ALL for w in words) and any(w in _SOCIAL_CORE for w in words) and words[0] in _SOCIAL_CORE | {"this", "x", "copy", "share"}


_CONTACT_START = re.compile(r"^(?:write to|contact|email|e mail|reach|send (?:tips|news tips|feedback)|tips|follow|got a (?:tip|story)|have a tip)\b")
_FOLLOW = re.compile(r"^(?:follow (?:us|him|her|them|me|the author)?\s*on (?:twitter|x|facebook|instagram|bluesky|threads|telegram|linkedin)\b|(?:follow|twitter|x)\s*:?\s*@\w+)", re.IGNORECASE)


def _is_contact(text: str, key: str) -> bool:
    n = _key_words(key)
    if "@" in text and _EMAIL.search(text):
        if n > 40:
            return False
        return _CONTACT_START.search(key) is not None or "can be reached" in key or (n <= 12 and not _attributed(text, key))
    if key.startswith("write to ") and n <= 20 and not is_sentence_like(text):
        return True
    return n <= 15 and _FOLLOW.search(text.strip()) is not None


_COPYRIGHT_LEAD = re.compile(r"^\s*(?:©|\(c\)|copyright\b)", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _is_copyright(text: str, key: str) -> bool:
    n = _key_words(key)
    if key in {"all rights reserved", "all rights reserved reproduction prohibited"}:
        return True
    if _COPYRIGHT_LEAD.search(text) and (_YEAR.search(text[:80]) or "©" in text or "rights reserved" in key) and n <= 40:
        return True
    if "©" in text and n <= 30 and not is_sentence_like(text.replace("©", "")):
        return True
    return key.endswith("all rights reserved") and ("©" in text or _YEAR.search(text) is not None) and n <= 30


_LOGO = re.compile(r"^[\w.&'’-]*[-_ ]?(?:logo|icon|wordmark|masthead)$", re.IGNORECASE)


def _is_logo(text: str, key: str) -> bool:
    stripped = text.strip()
    return len(stripped) <= 60 and _key_words(key) <= 3 and _LOGO.fullmatch(stripped) is not None


_AGENCY_CREDIT = r"(?:Getty Images|Reuters|AFP|AP|EPA(?:-EFE)?|Bloomberg|Shutterstock|Alamy|Sputnik|TASS|Anadolu(?: Agency)?|Pool|ANI|PTI|Ukrinform|Kremlin|Xinhua)"


def _closes_with_paren(stripped: str) -> bool:
    """Whether a stripped text ends with ``)``, maybe followed by spaces and one ``.``: what the ``(...)`` credits need."""
    if stripped.endswith("."):
        stripped = stripped[:-1].rstrip()
    return stripped.endswith(")")


def _holds(*needles: str) -> Callable[[str], bool]:
    """A quick test: whether a text holds one of ``needles`` (substring searches: faster than one regex scan)."""
    if len(needles) == 1:
        needle = needles[0]
        return lambda stripped: needle in stripped

    def test(stripped: str) -> bool:
        for needle in needles:
            if needle in stripped:
                return True
        return False

    return test


_CREDITS = (
    # each pattern with a quick test that every text it matches passes (None: no test)
    (_closes_with_paren, re.compile(r"\((?:[A-Z][\w.]*\s*)?(?:Photo|Photograph|Image|Picture|Video|Photo illustration)s?\b[^()]*\)\s*\.?$")),
    (_holds("Photo", "PHOTO", "Image", "Picture", "Credit", "Illustration"),
     re.compile(r"(?:^|[\s.])(?:Photo|PHOTO|Photograph|Image|Picture|Credit|Photo credit|Illustration)s?\s*(?::|by\b)\s*[A-Z][^.!?:]{0,80}\.?$")),
    (_holds("/"), re.compile(rf"\S/\s*{_AGENCY_CREDIT}(?:\s*/\s*{_AGENCY_CREDIT})*\s*\)?\s*\.?$")),
    (_holds("Getty Images"), re.compile(r"\bvia Getty Images\s*\.?$|\bGetty Images\s*\.?$")),
    (None, re.compile(r"^\(?\s*(?:file photo|file image|representational image|representative image)\b", re.IGNORECASE)),
    # "(Tribune staff photo)", "(Staff photo by Jane Doe)"
    (_closes_with_paren, re.compile(r"\((?:[\w.'’-]+\s+){1,3}(?:photo|photograph|image|picture)s?(?:\s+by\s+[^()]{1,60})?\)\s*\.?$", re.IGNORECASE)),
    # "... eight hours. (Bloomberg)": a sentence closed by an agency credit alone
    (_closes_with_paren, re.compile(rf"[.!?]\s*\(\s*{_AGENCY_CREDIT}\s*\)\s*$")),
    # wire photo credits: "REUTERS/Jane Doe", "REUTERS/Stringer Purchase Licensing Rights"
    (_holds("/"), re.compile(r"\b(?:REUTERS|AFP|AP|EPA|ANI|PTI)/[A-Z][\w .'’-]{0,60}?(?:\s+Purchase Licensing Rights(?:, opens new tab)?)?\s*\.?$")),
)


def _is_caption(text: str, key: str) -> bool:
    """Whether a block of at most 80 key words matches one of :data:`_CREDITS` (:func:`_is_caption_slow`).

    The same patterns grouped by their quick tests, each test run once and inline (most
    blocks are story paragraphs that pass none): the order of the patterns does not
    matter for a yes/no answer.
    """
    stripped = text.strip()
    if _key_words(key) > 80:
        return False
    if _closes_with_paren(stripped) and (_CAPTION_PAREN.search(stripped) or _CAPTION_STAFF.search(stripped) or _CAPTION_AGENCY_ALONE.search(stripped)):
        return True
    if "/" in stripped and (_CAPTION_AGENCY.search(stripped) or _CAPTION_WIRE.search(stripped)):
        return True
    if _credit_word(stripped) and _CAPTION_CREDIT.search(stripped):
        return True
    if "Getty Images" in stripped and _CAPTION_GETTY.search(stripped):
        return True
    # _CAPTION_FILE is anchored at the start: "(", or the first letter of its phrases in either case
    # (re's IGNORECASE matches no other character for f or r).
    return stripped[:1] in _FILE_PHOTO_FIRST and _CAPTION_FILE.match(stripped) is not None


def _credit_word(stripped: str) -> bool:
    """The quick test of ``_CAPTION_CREDIT``: one of ``Photo``, ``PHOTO``, ``Image``, ``Picture``, ``Credit``, ``Illustration``
    (a one-character search first: it is faster than a word search, and many paragraphs have no ``P`` or no ``I``)."""
    return (
        ("P" in stripped and ("Photo" in stripped or "PHOTO" in stripped or "Picture" in stripped))
        or ("I" in stripped and ("Image" in stripped or "Illustration" in stripped))
        or "Credit" in stripped
    )


(_CAPTION_PAREN, _CAPTION_CREDIT, _CAPTION_AGENCY, _CAPTION_GETTY, _CAPTION_FILE, _CAPTION_STAFF, _CAPTION_AGENCY_ALONE,
 _CAPTION_WIRE) = (pattern for _, pattern in _CREDITS)
_FILE_PHOTO_FIRST = ("(", "f", "F", "r", "R")


def _is_caption_slow(text: str, key: str) -> bool:
    """The definition of :func:`_is_caption`: every pattern of :data:`_CREDITS` after its quick test."""
    stripped = text.strip()
    if _key_words(key) > 80:
        return False
    for guard, pattern in _CREDITS:
        if (guard is None or guard(stripped)) and pattern.search(stripped):
            return True
    return False


_PROMO = re.compile(
    r"^(?:read|get|catch|stay|follow|download|install|join|click|tap|watch|listen|explore|discover|check out|"
    r"find out more|don t miss|never miss|visit|bookmark|tune in|scan)\b"
)
_PROMO_NOUN = re.compile(
    r"\b(?:news|updates?|stories|app|apps|coverage|headlines|videos?|podcasts?|source page|here|latest|alerts?|"
    r"channel|google news|website|homepage|e ?paper|full story|full article)\b"
)


def _is_promo(text: str, key: str) -> bool:
    return (
        _PROMO.search(key) is not None
        and _PROMO_NOUN.search(key) is not None
        and _key_words(key) <= 35
        and not _attributed(text, key)
    )


_WIDGET = re.compile(
    r"(?:\d+ (?:min|mins|minute|minutes) (?:read|listen)|(?:listen to (?:this |the )?(?:article|story)|listen)(?: \d+ (?:min|mins|minutes?))?|"
    r"(?:reading|read) time \d+ (?:min|mins|minutes?)|\d+ comments?|comments? \d+|view \d+ comments|"
    r"comments|show comments|view comments|leave a comment|join the conversation|save|saved|save article|save story|"
    r"gift article|gift this article|font size|text size|bookmark|add to myft|play|pause|skip|menu|search|close|"
    r"back to top|top|next|previous|prev|home|loading|show more|load more|view all|zoom|expand|collapse|"
    r"follow|following|unfollow|summary|ai summary|translate|audio|print this page|"
    # live-blog controls
    r"show (?:key events|all (?:updates|posts|events|entries)|latest(?: updates)?)(?: only)?|key events(?: only)?|"
    r"refresh for (?:updates|the latest)|auto ?(?:update|refresh)(?: on| off)?|newest first|oldest first|latest first|"
    r"load (?:more|earlier|new|newer|older) (?:updates|posts|entries)|view (?:all|new|latest) (?:updates|posts)|"
    r"\d+ new (?:updates?|posts?)|jump to latest(?: update)?|pinned post|live updates?|live feed|"
    r"(?:updated|published|posted) (?:\d+|an?) (?:seconds?|minutes?|mins?|hours?|hrs?|days?) ago)"
)


def _is_widget(text: str, key: str) -> bool:
    return _key_words(key) <= 8 and _WIDGET.fullmatch(key) is not None


_SKIP_LINK = re.compile(
    r"(?:skip|jump|go|back) to (?:the )?(?:main |page |article |primary )?(?:content|navigation|menu|search|footer|"
    r"article|story|main|top|comments|site navigation|latest)"
)
#: Words of a site's menu bar (``Menu Search Newsletters Podcasts Events``), casefolded.
_MENU_WORDS = frozenset(
    """menu search newsletters newsletter podcasts podcast events video videos home sections section subscribe
    subscriptions login log in sign account my profile register latest live games puzzles crosswords crossword
    shop jobs e-paper epaper apps app audio magazine about contact help edition editions more topics weather
    notifications alerts donate support us uk international us world en español""".split()
)


def _is_menu_bar(text: str) -> bool:
    """Two to twelve menu words on one line and nothing else (``Menu Search Newsletters Podcasts Events``)."""
    words = [w.strip(".,:;·•") for w in text.split()]
    words = [w for w in words if w]
    if not 2 <= len(words) <= 12 or not all(w[0].isupper() or w in ("in", "up", "us", "out") for w in words if w[0].isalpha()):
        return False
    return all(w.casefold() in _MENU_WORDS for w in words) and sum(w.casefold() not in {"in", "us", "my", "more"} for w in words) >= 2


_TEMPERATURE = re.compile(r"-?\d{1,3}\s?°\s?[FC]?\b|-?\d{1,3}\s?(?:deg|degrees)\s?[FC]\b")
_WEATHER_WORDS = re.compile(
    r"\b(?:sunny|cloudy|partly|mostly|clear|rain|showers|snow|storms?|thunderstorms?|fog|foggy|windy|overcast|"
    r"drizzle|sleet|haze|humid|fair|high|low|feels like|forecast|weather)\b"
)


_HEADLINE_GLUE = re.compile(r"\b(?:to|as|for|of|the|after|amid|while|with|and|in|on|at|from|into|hits?|falls?|rises?|drops?)\b")


def _is_weather(text: str, key: str) -> bool:
    """A weather widget: a temperature and a few words, no sentence (``Lakeside 48°F Partly cloudy``)."""
    stripped = text.strip()
    if _key_words(key) > 10 or ends_like_sentence(stripped) or "\n" in stripped:
        return False
    if _HEADLINE_GLUE.search(key):
        return False  # "Kyiv braces for snow as temperatures fall to -15°C" is a headline
    return _TEMPERATURE.search(stripped) is not None and (
        _WEATHER_WORDS.search(key) is not None or _key_words(key) <= 4
    )


_SUPPORT = re.compile(
    r"^(?:please\s+)?(?:support|donate\s+to|donate|help\s+(?:support|fund|keep)|become\s+a\s+(?:supporter|member|patron|"
    r"friend)\s+of|make\s+a\s+(?:donation|contribution|gift)\s+to|contribute\s+to|chip\s+in\s+(?:for|to))\s+"
    r"(?P<object>.+?)[.!]?$",
    re.IGNORECASE,
)
_SUPPORT_OBJECT = re.compile(
    r"^(?:(?:our|us|local|independent|quality|trusted|public[- ]interest|nonprofit)\b|(?:the|this)\s+[A-Z]|[^.!?]*\b(?:journalism|reporting|newsroom|journalists)\b)"
)


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


def _is_support(text: str, key: str) -> bool:
    """A support or donate prompt (``Local news that matters. Support the Tribune today.``).

    One of its sentences is a short imperative to support, donate or contribute whose
    object is the publication (``the Tribune``, ``us``, ``our newsroom``) or its
    journalism; the whole block is at most 30 words and not reported speech.
    """
    if _key_words(key) > 30 or _attributed(text, key):
        return False
    for sentence in _SENTENCE_BREAK.split(text.strip()):
        m = _SUPPORT.match(sentence.strip())
        if m and word_count(sentence) <= 12 and _SUPPORT_OBJECT.match(m.group("object")):
            return True
    return False


_FOOTER_LINK = re.compile(
    r"(?:reuse this (?:content|article|story)|reprints?(?: (?:and|&) permissions)?|licensing|syndication|"
    r"report an? (?:error|correction|issue|problem)|corrections?(?: policy)?|send (?:us )?feedback|feedback|"
    r"terms(?: of (?:use|service))?(?: (?:and|&) conditions)?|terms and conditions|privacy(?: policy| notice| settings)?|"
    r"accessibility(?: statement)?|contact us|about us|careers|work (?:for|with) us|advertise(?: with us)?|"
    r"site ?map|help(?: centre| center)?|faqs?|do not sell(?: or share)? my personal information|your privacy choices|"
    r"manage (?:my )?(?:subscription|account)|editorial (?:guidelines|standards|policy)|code of conduct|"
    r"all (?:topics|sections)|archives?|rss(?: feeds?)?)"
)


_NEW_TAB = re.compile(r"[,(]?\s*(?:opens?|opening) (?:in )?(?:a )?new (?:tab|window)\)?\s*$|\(external link\)\s*$", re.IGNORECASE)


def _is_footer_link(text: str, key: str) -> bool:
    """A footer or utility link alone on its line: ``Reuse this content``, ``Terms of Use``.

    A short block whose text ends with a link marker (``..., opens new tab``) is a link too.
    """
    n = _key_words(key)
    if n <= 20 and _NEW_TAB.search(text.strip()):
        return True
    return n <= 8 and not ends_like_sentence(text) and _FOOTER_LINK.fullmatch(key) is not None


def _is_contributor(text: str, key: str) -> bool:
    return is_contributor_line(text)


_BY_NAME = re.compile(r"^(?:By|BY|by)\s+[A-Z]")


def _is_navigation(text: str, key: str) -> bool:
    stripped = text.strip()
    if _ends_sentence(stripped):
        return False
    if _SKIP_LINK.fullmatch(key) or _is_menu_bar(stripped):
        return True
    if _BY_NAME.match(stripped):
        return False  # "By Jane Doe | Lakeside Tribune" is a byline, not a menu
    for sep in ("|", "›", "»", ">", "•", "·"):
        if stripped.count(sep) >= 2 or (sep in "|›»>" and stripped.count(sep) >= 1 and word_count(stripped) <= 6):
            parts = [p.strip() for p in stripped.split(sep) if p.strip()]
            if len(parts) >= 2 and all(1 <= word_count(p) <= 5 and not is_sentence_like(p) for p in parts):
                return True
    lines = [ln.strip() for ln in stripped.splitlines() if ln.strip()]
    return len(lines) >= 3 and all(word_count(ln) <= 4 and not is_sentence_like(ln) for ln in lines)


_READ_ALSO = re.compile(r"^\s*(?:also read|read also|read more|related|see also|more|watch|listen)\s*[:|\-–—]\s*(.+)$", re.IGNORECASE)


def _is_related(text: str, key: str) -> bool:
    # Both headers are False for a text that ends like a sentence (their first test): most blocks, tested once here.
    if not _ends_sentence(text.strip()) and (is_related_header(text) or is_tag_header(text)):
        return True
    # "Also read: <headline>", "READ MORE: <headline>"
    m = _READ_ALSO.match(text.strip())
    return m is not None and word_count(text) <= 30 and not _attributed(m.group(1), normalize_line(m.group(1)))


#: The general rules, tried in this order on every block; the first that matches names
#: the block's removal reason. None of them names a particular site.
RULES: tuple[Rule, ...] = (
    Rule("rule:advertisement", _is_advertisement, "Advertisement labels: `Advertisement`, `Sponsored`, `Story continues below advertisement`."),
    Rule("rule:logo", _is_logo, "A logo or icon's alt text alone: `wsj-logo`, `site logo`, `rec-icon`."),
    Rule("rule:navigation", _is_navigation, "Navigation menus: short items separated by `|`, `›`, `»`, `>` or on short lines (`E-paper | Opinion | Sports`)."),
    Rule("rule:newsletter", _is_newsletter, "Newsletter prompts: a call to sign up/get/join that mentions a newsletter, inbox or e-mail alerts."),
    Rule("rule:cookie", _is_cookie, "Cookie banners: a block about cookies with consent words (`we use`, `accept`, `manage preferences`), or their buttons."),
    Rule("rule:subscribe", _is_subscribe, "Subscription and login walls starting `Subscribe`, `Already a subscriber?`, `Log in`, `Unlock`, `Subscribe to continue reading`, `E-paper` (at most 30 words, not reported speech)."),
    Rule("rule:share", _is_share, "Share bars: blocks made only of share words and network names (`Share this article`, `Facebook Twitter Email`)."),
    Rule("rule:contact", _is_contact, "Author contact lines: `Write to NAME at EMAIL`, short lines with an e-mail address, `Follow @handle`."),
    Rule("rule:copyright", _is_copyright, "Copyright footers: `© 2025 ...`, `Copyright 2025 ...`, `... All rights reserved.` with a year."),
    Rule("rule:caption", _is_caption, "Photo captions and credits ending in `(AP Photo/...)`, `Photo: X/Reuters`, `.../AFP`, `Getty Images`."),
    Rule("rule:related", _is_related, "Related-link and topic headers (`Related coverage`, `Most read`, `See More`, `Recommended Topics`, `Tags`) and `Also read: headline` lines."),
    Rule("rule:promo", _is_promo, "Calls to action that start `Read`, `Get`, `Follow`, `Download`, `Watch`... and point at news, updates, apps or a page (`Read full news in source page`)."),
    Rule("rule:widget", _is_widget, "Page widgets and buttons alone: `4 min read`, `Listen to this article`, `Comments`, `Save`, `Back to top`, live-blog controls (`Show key events only`, `Refresh for updates`)."),
    Rule("rule:weather", _is_weather, "Weather widgets: a temperature with a few words and no sentence (`Lakeside 48°F Partly cloudy`)."),
    Rule("rule:support", _is_support, "Support and donation prompts: a short imperative to support, donate or contribute (`Local news that matters. Support the Tribune today.`)."),
    Rule("rule:footer", _is_footer_link, "Footer and utility links alone: `Reuse this content`, `Terms of Use`, `Report an error`, `Do Not Sell or Share My Personal Information`."),
    Rule("rule:contributor", _is_contributor, "Contributor credits at the end of a story (`Jane Doe contributed reporting from Kyiv.`, `Jane Doe reported from London.`): contributors are not bylined authors, so their names are not added to `authors`."),
)


@lru_cache(maxsize=_CACHE_SIZE)
def match_rule(block: str) -> str | None:
    """The name of the first general rule that matches the whole block, else None.

    A leading icon alt text (``rec-icon ...``) is looked through: the rest of the
    block is matched, and an icon with a short label is a logo.

    Parameters
    ----------
    block : str
        One blank-line-separated block of a dump, or one paragraph of a record.

    Returns
    -------
    str or None
        ``rule:<kind>`` from :data:`RULES`, or None when the block is not boilerplate.

    Examples
    --------
    >>> match_rule("Share this article")
    'rule:share'
    >>> match_rule("Copyright 2025 The Associated Press. All rights reserved.")
    'rule:copyright'
    >>> match_rule("Officials said the share of exports fell.") is None
    True
    """
    text = block.strip()
    if not text:
        return None
    inner = _strip_icon(text)
    if inner != text:
        if not inner:
            return "rule:logo"
        found = match_rule(inner)
        if found is not None:
            return found
        if is_tag_header(inner) or (word_count(inner) <= 3 and not is_sentence_like(inner)):
            return "rule:logo"
        return None
    key = normalize_line(text)
    if not key:
        return "rule:navigation"  # only punctuation or symbols: separators, bullets
    for rule in _rules_for(_key_words(key)):
        if rule.test(text, key):
            return rule.name
    return None


#: Most :func:`normalize_line` key words a block can have for each bounded rule to match:
#: every predicate below returns False for a longer key (each bound is the largest word limit
#: its code checks, or the most words its fixed phrases have). The other rules have no bound.
_MAX_KEY_WORDS = {
    "rule:advertisement": 8, "rule:logo": 3, "rule:newsletter": 45, "rule:cookie": 70, "rule:subscribe": 30,
    "rule:share": 10, "rule:contact": 40, "rule:copyright": 40, "rule:caption": 80, "rule:promo": 35,
    "rule:widget": 8, "rule:weather": 10, "rule:support": 30, "rule:footer": 20,
}
#: :data:`RULES` that may match a key of ``n`` words, for ``n`` up to the largest bound (then the unbounded ones).
_RULES_BY_WORDS = [tuple(r for r in RULES if _MAX_KEY_WORDS.get(r.name, n) >= n) for n in range(max(_MAX_KEY_WORDS.values()) + 2)]


def _rules_for(n: int) -> tuple[Rule, ...]:
    """The rules of :data:`RULES`, in order, that can match a key of ``n`` words (the others provably cannot)."""
    return _RULES_BY_WORDS[min(n, len(_RULES_BY_WORDS) - 1)]
