"""Actor dictionary: load ``actors.yml`` and find its actors' mentions in sentences.

An analyst keeps a YAML dictionary of the people, organisations and places a study
follows. Each entry gives a canonical ``name``, a ``type`` (``person``,
``organisation``, ``place``, ``other``), ``aliases`` (other spellings, surnames,
acronyms), optional ``patterns`` (regular expressions for what aliases cannot
list) and optional ``titles`` (``President Trump``, ``the Kremlin leader``)::

    - name: Vladimir Putin
      type: person
      aliases: [Putin, Vladimir Vladimirovich Putin]
      titles: [President Putin, the Russian president, the president]

:func:`find_mentions` turns a sentences frame (``article_id``, ``sentence_id``,
``text``) into one row per mention. Matching rules:

* **Case and word boundaries.** Forms match case-sensitively, with Unicode word
  boundaries on both sides: ``Putin`` matches ``Putin``, ``pro-Putin`` and
  ``Putin's`` but not ``Putinism``. A form is also matched in capitals
  (``PUTIN`` in a shouted headline), and a form starting with a lowercase letter
  (``the president``) also matches with a capital (``The president``).
* **Spelling.** Any run of whitespace matches a space; straight and curly
  apostrophes match each other; decomposed accents match composed ones.
* **Possessives.** ``Trump's`` and ``Trump’s`` are mentions of Trump; the
  ``surface`` is ``Trump`` (the possessive ending is not part of the mention).
* **Patterns** match within one sentence; like forms, they never span two.
* **Longest match.** At any position the longest form wins and mentions never
  overlap: ``Vladimir Putin`` is one mention, not two.
* **Context** (``resolve_partial=True``). The trailing parts of a person's
  multi-word name (``Rubio`` for ``Marco Rubio``, ``von der Leyen``) count only
  after the full name was seen earlier in the same article, and only when exactly
  one actor seen so far has that part. A title without a name in it (``the
  president``) counts only when exactly one of the actors declaring it is named in
  the article. A candidate that cannot be resolved is dropped, and whatever it
  covered may still match (``the Kremlin`` inside an unresolved ``the Kremlin
  leader``).

Example
-------
>>> import pandas as pd
>>> d = actor_dictionary([{"name": "Marco Rubio", "type": "person"}])
>>> s = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 1],
...                   "text": ["Marco Rubio flew to Jeddah.", "Rubio’s aides stayed."]})
>>> find_mentions(s, d)[["sentence_id", "actor", "surface", "start", "end"]].values.tolist()
[[0, 'Marco Rubio', 'Marco Rubio', 0, 11], [1, 'Marco Rubio', 'Rubio', 0, 5]]
"""

from __future__ import annotations

import gc
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate, chain
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import yaml

from mediawork.checks import require_columns
from mediawork.errors import DataError, InputError

__all__ = [
    "ACTOR_TYPES",
    "MENTION_COLUMNS",
    "NAME_PARTICLES",
    "Actor",
    "ActorDictionary",
    "actor_dictionary",
    "check_sentences",
    "empty_mentions",
    "find_mentions",
    "load_actors",
    "mentions_frame",
    "ordered_sentences",
    "trailing_parts",
]

#: Actor types a dictionary entry may declare.
ACTOR_TYPES = ("person", "organisation", "place", "other")

#: Columns of a mentions frame, in order (``find_mentions`` and ``discovered_mentions``).
MENTION_COLUMNS = ("article_id", "sentence_id", "actor", "actor_type", "surface", "start", "end", "origin")

#: Lowercase name particles that may start the trailing part of a name (``von der Leyen``).
NAME_PARTICLES = frozenset(
    "al bin ibn da das de del della der di dos du el la le van von ter ten".split()
)

_APOSTROPHES = "'\u2019\u02bc\u2018"
_APOSTROPHE_CLASS = "['\u2019\u02bc\u2018]"
_FIELDS = ("name", "type", "aliases", "patterns", "titles")
_SEP = "\x00"  # joins sentence texts; matches neither \w nor \s, so no form can span two sentences


@dataclass(frozen=True)
class Actor:
    """One dictionary entry.

    Attributes
    ----------
    name:
        Canonical name, reported in the ``actor`` column; it is also a form that matches.
    type:
        One of :data:`ACTOR_TYPES`.
    aliases:
        Other literal forms (surnames, spellings, acronyms).
    patterns:
        Regular expressions; word boundaries are added around each.
    titles:
        Title forms. One that contains a word of the name or an alias (``President
        Trump``) matches like an alias; one that does not (``the president``) is a
        bare title, resolved per article (see the module docstring).
    """

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        """The canonical name followed by the aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class ActorDictionary:
    """A validated set of actors with the compiled matcher built from them.

    Build one with :func:`load_actors` (from YAML) or :func:`actor_dictionary`
    (from a list of mappings). Iterating yields :class:`Actor` objects in file order.
    """

    actors: tuple[Actor, ...]
    source: str = "<dictionary>"
    _index: dict[str, Actor] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update({a.name: a for a in self.actors})

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.actors)

    def __len__(self) -> int:
        return len(self.actors)

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def __getitem__(self, name: str) -> Actor:
        return self._index[name]

    @property
    def names(self) -> list[str]:
        """Canonical names, sorted."""
        return sorted(self._index)

    @cached_property
    def _matcher(self) -> _Matcher:
        return _Matcher(self.actors)


# ----------------------------------------------------------------------------- loading


def load_actors(path: str | Path) -> ActorDictionary:
    """Read and validate an actors YAML file.

    Parameters
    ----------
    path:
        A YAML file holding a list of actors (or a mapping with an ``actors`` list).

    Returns
    -------
    ActorDictionary

    Raises
    ------
    InputError
        When the file is missing or not YAML, or an entry is invalid; the message
        names the file, the entry, the field, what was found and what was expected.

    Examples
    --------
    >>> d = load_actors("data/actors.yml")  # doctest: +SKIP
    >>> d["Vladimir Putin"].type  # doctest: +SKIP
    'person'
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: actor dictionary not found; expected a YAML file such as data/actors.yml") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the actor dictionary ({exc}); expected a UTF-8 YAML file") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        raise InputError(f"{path}: not valid YAML{line} ({getattr(exc, 'problem', exc)}); fix the syntax and try again") from None
    return actor_dictionary(data, source=str(path))


def actor_dictionary(entries: Any, *, source: str = "<dictionary>") -> ActorDictionary:
    """Validate actor entries (the parsed YAML) into an :class:`ActorDictionary`.

    Parameters
    ----------
    entries:
        A list of mappings with ``name``, ``type`` and optional ``aliases``,
        ``patterns``, ``titles``; or a mapping with such a list under ``actors``.
    source:
        What to call the entries in error messages (usually the file name).

    Examples
    --------
    >>> d = actor_dictionary([{"name": "NATO", "type": "organisation",
    ...                        "aliases": ["North Atlantic Treaty Organization"]}])
    >>> d["NATO"].aliases
    ('North Atlantic Treaty Organization',)
    """
    if isinstance(entries, Mapping) and "actors" in entries:
        entries = entries["actors"]
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise InputError(f"{source}: found a {type(entries).__name__} at the top level; expected a list of actors (each with name, type, aliases)")
    actors = [_validate_entry(entry, i, source) for i, entry in enumerate(entries, start=1)]
    _check_collisions(actors, source)
    return ActorDictionary(tuple(actors), source=source)


def _validate_entry(entry: Any, position: int, source: str) -> Actor:
    where = f"{source}: actor #{position}"
    if not isinstance(entry, Mapping):
        raise InputError(f"{where}: found {entry!r}; expected a mapping with name, type and aliases")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{where}: field 'name' is {name!r}; expected a non-empty text")
    where = f"{source}: actor {name.strip()!r}"
    unknown = sorted(set(map(str, entry)) - set(_FIELDS))
    if unknown:
        raise InputError(f"{where}: unknown field(s) {unknown}; expected only {list(_FIELDS)}")
    kind = entry.get("type")
    if kind not in ACTOR_TYPES:
        hint = " (use the British spelling)" if kind == "organization" else ""
        raise InputError(f"{where}: field 'type' is {kind!r}; expected one of {list(ACTOR_TYPES)}{hint}")
    lists = {key: _text_list(entry.get(key), where, key) for key in ("aliases", "patterns", "titles")}
    for pattern in lists["patterns"]:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise InputError(f"{where}: field 'patterns' has {pattern!r}, which is not a valid regular expression ({exc}); fix or remove it") from None
        if compiled.groupindex:
            raise InputError(f"{where}: field 'patterns' has {pattern!r} with a named group; expected plain groups only, e.g. (?:...)")
        if compiled.match(""):
            raise InputError(f"{where}: field 'patterns' has {pattern!r}, which matches empty text; expected a pattern that needs at least one character")
    aliases = tuple(dict.fromkeys(a for a in lists["aliases"] if a != name.strip()))
    return Actor(name.strip(), kind, aliases, tuple(lists["patterns"]), tuple(dict.fromkeys(lists["titles"])))


def _text_list(value: Any, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InputError(f"{where}: field {key!r} is a {type(value).__name__}; expected a list of texts")
    out = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise InputError(f"{where}: field {key!r} contains {item!r}; expected non-empty texts (quote numbers and yes/no)")
        out.append(" ".join(item.split()))
    return out


def _check_collisions(actors: Sequence[Actor], source: str) -> None:
    """Names and aliases must be unique across actors; a title may not be another actor's name or alias."""
    owners: dict[str, str] = {}
    names: set[str] = set()
    for actor in actors:
        if actor.name in names:
            raise InputError(f"{source}: actor {actor.name!r} is declared twice; expected one entry per actor (merge them)")
        names.add(actor.name)
        for form in actor.forms:
            other = owners.setdefault(_key(form), actor.name)
            if other != actor.name:
                raise InputError(
                    f"{source}: actor {actor.name!r}: the form {form!r} is already a name or alias of {other!r}; "
                    "expected each name and alias to belong to one actor (keep it on one, or make it a title on both)"
                )
    for actor in actors:
        for title in actor.titles:
            other = owners.get(_key(title))
            if other is not None:
                raise InputError(
                    f"{source}: actor {actor.name!r}: the title {title!r} is a name or alias of {other!r}; "
                    "expected titles to differ from every name and alias"
                )


# ----------------------------------------------------------------------------- matching


_WHITESPACE_RUN = re.compile(r"\s+")
_STRAIGHT_APOSTROPHES = {ord(c): "'" for c in _APOSTROPHES}


def _key(text: str) -> str:
    """Lookup key of a matched text: NFC, single spaces, straight apostrophes."""
    text = unicodedata.normalize("NFC", text)
    text = _WHITESPACE_RUN.sub(" ", text.strip())
    return text.translate(_STRAIGHT_APOSTROPHES)


def _variants(form: str) -> set[str]:
    """The literal spellings a form is searched as (capitals, capitalised start, decomposed accents)."""
    out = {form}
    if any(c.islower() for c in form):
        out.add(form.upper())
    if form[:1].islower():
        out.add(form[:1].upper() + form[1:])
    out |= {unicodedata.normalize("NFD", v) for v in out}
    return out


class _Entry(NamedTuple):
    """What a matched form may stand for (a tuple, so hashing entries for the caches is cheap)."""

    actor: int  # index into the dictionary
    kind: str  # "form", "title" or "partial"


#: How many distinct sentence texts a matcher remembers between calls (about 650 bytes each, so
#: at most about 65 MB; the memory starts afresh when full).
_CACHED_TEXTS = 100_000
#: How many distinct matched surfaces a matcher remembers between calls.
_CACHED_SURFACES = 100_000


class _TextInfo(NamedTuple):
    """What one sentence text holds, whatever its article."""

    found: list[tuple[int, int, tuple[_Entry, ...]]]  # candidates, by start
    picks: list[tuple[int, int, int]]  # leftmost-longest candidates resolved by their forms alone
    actors: frozenset[int]  # the actors of ``picks``
    #: (actors of its unresolved titles, of its unresolved partials), or None when its picks never depend on the article
    context: tuple[frozenset[int], frozenset[int]] | None


def _text_info(found: list[tuple[int, int, tuple[_Entry, ...]]]) -> _TextInfo:
    if not found:
        return _NOTHING
    picks = _pick(found, _only_form)
    return _TextInfo(found, picks, frozenset(a for _, _, a in picks), _context(found))


class _Matcher:
    """One compiled regex for all literal forms (a trie, longest first) and one for all patterns."""

    def __init__(self, actors: Sequence[Actor]) -> None:
        self.actors = tuple(actors)
        lookup: dict[str, list[_Entry]] = {}
        literals: set[str] = set()

        def add(text: str, entry: _Entry) -> None:
            for variant in _variants(text):
                literals.add(variant)
                entries = lookup.setdefault(_key(variant), [])
                if entry not in entries:
                    entries.append(entry)

        forms_of = [{_key(f) for f in actor.forms} for actor in actors]
        words_of = [{w for f in actor.forms for w in f.split() if w[:1].isupper()} for actor in actors]
        for i, actor in enumerate(actors):
            for form in actor.forms:
                add(form, _Entry(i, "form"))
            for title in actor.titles:
                named = any(w.strip(".,") in words_of[i] for w in title.split())
                add(title, _Entry(i, "form" if named else "title"))
            if actor.type == "person":
                for form in actor.forms:
                    for part in trailing_parts(form):
                        if _key(part) not in forms_of[i]:
                            add(part, _Entry(i, "partial"))
        # an explicit form always beats a title or a derived partial of another actor
        self.lookup = {k: tuple([e for e in v if e.kind == "form"] or v) for k, v in lookup.items()}
        self.literals = tuple(sorted(literals))
        # All literal forms as one consuming search (the longest form at a start wins);
        # its branches start with their first character, so the regex engine skips
        # ahead to those characters, and the "no word character before" check comes
        # right after that character. candidates() restarts it one character after each
        # match's start, so overlapping starts are all found.
        self.scan_regex = re.compile(_trie_regex(literals, after_first=_NO_WORD_BEFORE_FIRST)) if literals else None
        pats = [(i, p) for i, actor in enumerate(actors) for p in actor.patterns]
        self.pattern_owner = {f"_p{n}": i for n, (i, _) in enumerate(pats)}
        body = "|".join(f"(?P<_p{n}>{p})" for n, (_, p) in enumerate(pats))
        self.pattern_regex = re.compile(rf"(?<!\w)(?:{body})(?!\w)") if pats else None
        # what the matcher found in texts it has seen, kept between calls (analyze calls
        # find_mentions batch by batch, and syndicated copies fall into different batches)
        self._texts: dict[str, _TextInfo] = {}
        # the entries of every matched surface seen so far ("Trump’s" -> Trump's entries):
        # a pure function of the surface, and few distinct surfaces match, so it is kept
        # between calls instead of computing _key per call
        self._surfaces: dict[str, tuple[_Entry, ...] | None] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_texts"] = {}  # a worker process starts with an empty memory of texts
        state["_surfaces"] = {}
        return state

    def text_info(self, texts: Sequence[str]) -> list[_TextInfo]:
        """What each text holds: its candidates, their picks by form alone and what else they depend on.

        Each text is scanned once per matcher; up to :data:`_CACHED_TEXTS` texts are remembered.
        """
        cache = self._texts
        # a list, not a dict keyed by text: find_mentions passes distinct texts, so a
        # dict would only hash every text a second time
        infos = list(map(cache.get, texts))
        unknown = [i for i, info in enumerate(infos) if info is None]
        if unknown:
            new = list(dict.fromkeys(texts[i] for i in unknown))  # each repeated new text scanned once
            if len(cache) + len(new) > _CACHED_TEXTS:
                cache.clear()
            fresh = {}
            for text, found in zip(new, self.candidates_per_text(new)):
                info = fresh[text] = _text_info(found)
                if len(cache) < _CACHED_TEXTS:
                    cache[text] = info
            for i in unknown:
                infos[i] = fresh[texts[i]]
        return infos  # type: ignore[return-value]

    def candidates(self, text: str) -> list[tuple[int, int, tuple[_Entry, ...]]]:
        """Every (start, end, entries) found in ``text``: the longest form at each start, plus pattern matches."""
        return self.candidates_per_text([text])[0]

    def candidates_per_text(self, texts: Sequence[str]) -> list[list[tuple[int, int, tuple[_Entry, ...]]]]:
        """The candidates of each text (as :meth:`candidates`), with one literal scan over all of them.

        Offsets are relative to each text. Literal forms cannot span the separator the
        texts are joined with; patterns are matched within each text on its own.
        """
        out: list[list[tuple[int, int, tuple[_Entry, ...]]]] = [[] for _ in texts]
        if self.scan_regex is not None and texts:
            joined = _SEP.join(texts)
            starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
            cache = self._surfaces
            if len(cache) > _CACHED_SURFACES:  # whitespace runs make surfaces unbounded in theory
                cache.clear()
            lookup = self.lookup
            # every start position, overlapping ones included: the next search begins one
            # character after the last match's start (as a zero-width lookahead would)
            search = self.scan_regex.search
            m = search(joined)
            row, last, next_start = 0, len(texts) - 1, starts[1] if len(texts) > 1 else len(joined) + 1
            while m is not None:
                s, e = m.span()
                if s >= next_start:  # candidates come in order: move to the text holding s
                    row = bisect_right(starts, s) - 1
                    next_start = starts[row + 1] if row < last else len(joined) + 1
                surface = m.group()
                entries = cache.get(surface, _UNSEEN)
                if entries is _UNSEEN:
                    entries = cache[surface] = lookup.get(_key(surface))
                if entries:
                    base = starts[row]
                    out[row].append((s - base, e - base, entries))
                m = search(joined, s + 1)
        if self.pattern_regex is not None:
            finditer, owner_of = self.pattern_regex.finditer, self.pattern_owner
            for found, text in zip(out, texts):
                literal_count = len(found)
                for m in finditer(text):
                    if m.end() > m.start():
                        owner = owner_of[next(k for k, v in m.groupdict().items() if v is not None)]
                        found.append((m.start(), m.end(), (_Entry(owner, "form"),)))
                if len(found) > literal_count:  # literal candidates alone are already in order (one per start)
                    found.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        return out


def trailing_parts(name: str) -> list[str]:
    """The shorter forms a person's name is later referred to by: every trailing part.

    A part starts at a capitalised word or at a name particle (``von``, ``bin``,
    see :data:`NAME_PARTICLES`) that follows an ordinary word; initials alone
    (``J.``) are not parts.

    Parameters
    ----------
    name:
        A full name, words separated by spaces.

    Returns
    -------
    list[str]
        The trailing parts, longest first; empty for a one-word name.

    Examples
    --------
    >>> trailing_parts("Recep Tayyip Erdoğan")
    ['Tayyip Erdoğan', 'Erdoğan']
    >>> trailing_parts("Ursula von der Leyen")
    ['von der Leyen', 'Leyen']
    """
    words = name.split()
    parts = []
    for i in range(1, len(words)):
        w, prev = words[i], words[i - 1]
        capital = w[:1].isupper()
        particle = w.lower() in NAME_PARTICLES and prev.lower() not in NAME_PARTICLES
        if (capital or particle) and len(w.strip(".")) > 1:
            parts.append(" ".join(words[i:]))
    return parts


_UNSEEN = object()
#: After a form's first character: the character before it is not a word character
#: (``(?<!\w)`` before the first character, checked once it is consumed).
_NO_WORD_BEFORE_FIRST = r"(?<!\w[\s\S])"


_NOTHING = _TextInfo([], [], frozenset(), None)


def _trie_regex(literals: Iterable[str], *, after_first: str = "") -> str:
    """A regex matching any literal, preferring the longest, each ending at a word boundary.

    Spaces match any whitespace run and apostrophes match straight or curly ones.
    ``after_first`` is inserted after the first character of every literal.
    """
    trie: dict = {}
    for lit in literals:
        node = trie
        for token in re.findall(r"\s+|" + _APOSTROPHE_CLASS + r"|.", lit, flags=re.S):
            token = " " if token.isspace() else ("'" if token in _APOSTROPHES else token)
            node = node.setdefault(token, {})
        node[""] = {}

    def render(node: dict, depth: int = 0) -> str:
        branches = []
        for token in sorted(k for k in node if k):
            atom = r"\s+" if token == " " else (_APOSTROPHE_CLASS if token == "'" else re.escape(token))
            branches.append(atom + (after_first if depth == 0 else "") + render(node[token], depth + 1))
        if "" in node:
            branches.append(r"(?!\w)")  # end of a literal: shorter match, tried last
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return render(trie)


def check_sentences(sentences: pd.DataFrame, *, needed: Sequence[str] = ("article_id", "sentence_id", "text")) -> None:
    """Raise :class:`~mediawork.errors.DataError` unless ``sentences`` is a frame with the ``needed`` columns.

    The sentences-frame case of :func:`mediawork.checks.require_columns`.

    Parameters
    ----------
    sentences:
        The frame to check. Not modified.
    needed:
        Column names it must have.

    Raises
    ------
    DataError
        The message names what was found (the type, or the columns present), what was
        expected, and how to build the frame.

    Examples
    --------
    >>> import pandas as pd
    >>> check_sentences(pd.DataFrame({"article_id": [], "sentence_id": [], "text": []}))
    >>> check_sentences(pd.DataFrame({"text": []}))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mediawork.errors.DataError: the sentences frame lacks column(s) ['article_id', 'sentence_id']; ...
    """
    require_columns(sentences, needed, what="the sentences frame", hint="build it with mediawork.text.sentences_frame")


def ordered_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """A new frame of ``article_id``, ``sentence_id`` and ``text``, sorted by article then sentence.

    Parameters
    ----------
    sentences:
        Columns ``article_id``, ``sentence_id`` (whole numbers) and ``text``; other
        columns are dropped. Not modified. Missing texts become ``""``.

    Returns
    -------
    pandas.DataFrame
        String ``article_id`` and ``text``, int64 ``sentence_id``, a fresh 0-based index.

    Raises
    ------
    DataError
        When a column is missing or a ``sentence_id`` is not a whole number.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": ["b", "a", "a"], "sentence_id": [0, 1, 0], "text": ["z", "y", "x"]})
    >>> ordered_sentences(s)["text"].tolist()
    ['x', 'y', 'z']
    """
    return _ordered_sentences(sentences)[0]


def _ordered_sentences(sentences: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """:func:`ordered_sentences`, and whether its rows have distinct (article, sentence) keys in order.

    The flag is what :func:`_typed_sorted` needs as ``presorted`` for rows built in the
    frame's order, so find_mentions checks the order once, not twice.
    """
    check_sentences(sentences)
    ids = pd.to_numeric(sentences["sentence_id"], errors="coerce")
    bad = ids.isna() | (ids != ids.round())
    if bad.any():
        found = sentences["sentence_id"][bad].iloc[0]
        raise DataError(f"sentence_id has {int(bad.sum())} value(s) that are not whole numbers, e.g. {found!r}; expected 0-based sentence numbers (see mediawork.text.sentences_frame)")
    out = pd.DataFrame(
        {
            "article_id": _str_values(sentences["article_id"].astype("string")),
            "sentence_id": ids.astype("int64").to_numpy(),
            "text": _str_values(sentences["text"].astype("string").fillna("")),
        }
    )
    repeated = _ordered_keys(out["article_id"], out["sentence_id"].to_numpy())
    if repeated is not None:
        return out, repeated is False  # already in order (the usual case: sentences come sorted from the store)
    out = out.sort_values(["article_id", "sentence_id"], kind="stable").reset_index(drop=True)
    return out, _ordered_keys(out["article_id"], out["sentence_id"].to_numpy()) is False


def _ordered_keys(articles: pd.Series, ids: np.ndarray) -> bool | None:
    """Whether consecutive (article, id) keys repeat, when they are in ascending order; None when not ordered.

    Strings compare as the sort does (by code point); a missing article counts as not ordered.
    """
    if len(articles) < 2:
        return False
    if articles.isna().any():
        return None
    values = articles.array
    before, after = values[:-1], values[1:]
    same_article = np.asarray(before == after, dtype=bool)
    same_id = ids[:-1] == ids[1:]
    if not np.all(np.asarray(before < after, dtype=bool) | (same_article & (ids[:-1] <= ids[1:]))):
        return None
    return bool((same_article & same_id).any())


def _str_values(values: pd.Series) -> Any:
    """The values of a ``string`` column as the ``str`` dtype a frame built from its Python strings would infer.

    Converting Arrow to Arrow is much faster than going through Python objects; an
    empty column stays ``object``, as inference from no strings gives.
    """
    return values.to_numpy() if values.empty else values.astype("str").array


def empty_mentions() -> pd.DataFrame:
    """An empty mentions frame with the right columns and dtypes.

    Examples
    --------
    >>> list(empty_mentions().columns) == list(MENTION_COLUMNS)
    True
    """
    return mentions_frame([])


def mentions_frame(rows: Iterable[Sequence[Any]]) -> pd.DataFrame:
    """Build a mentions frame from row tuples, with the columns, dtypes and order every mentions table has.

    Parameters
    ----------
    rows:
        Tuples in the order of :data:`MENTION_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        Strings for the text columns, int64 for ``sentence_id``, ``start`` and
        ``end``; sorted by article, sentence, start, end and actor.

    Examples
    --------
    >>> mentions_frame([("a", 0, "NATO", "organisation", "NATO", 4, 8, "dictionary")])["end"].tolist()
    [8]
    """
    return _typed_sorted(pd.DataFrame(list(rows), columns=list(MENTION_COLUMNS)))


def _typed_sorted(df: pd.DataFrame, *, presorted: bool = False) -> pd.DataFrame:
    """A mentions frame with the contract dtypes, sorted by article, sentence, start, end and actor.

    ``presorted``: the rows are known to be in that order already (a stable sort would keep them).
    """
    for col in ("article_id", "actor", "actor_type", "surface", "origin"):
        df[col] = df[col].astype("string")
    for col in ("sentence_id", "start", "end"):
        df[col] = df[col].astype("int64")
    if presorted:
        return df.reset_index(drop=True)
    return df.sort_values(["article_id", "sentence_id", "start", "end", "actor"], kind="stable").reset_index(drop=True)


def find_mentions(sentences: pd.DataFrame, dictionary: ActorDictionary, *, resolve_partial: bool = True) -> pd.DataFrame:
    """Find the dictionary's actors in every sentence.

    Parameters
    ----------
    sentences:
        Columns ``article_id``, ``sentence_id`` (0-based, running across the
        article) and ``text``; other columns are ignored. Not modified.
    dictionary:
        From :func:`load_actors` or :func:`actor_dictionary`.
    resolve_partial:
        Also count trailing parts of person names seen earlier in the article and
        bare titles unambiguous in the article (see the module docstring). With
        ``False`` only names, aliases, named titles and patterns count.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`MENTION_COLUMNS`: ``article_id``, ``sentence_id``, ``actor``
        (canonical name), ``actor_type``, ``surface`` (as written, without a
        possessive ending), ``start`` and ``end`` (offsets in the sentence text:
        ``text[start:end] == surface``), ``origin`` (``"dictionary"``). Sorted by
        article, sentence and start.

    Notes
    -----
    Sentences repeat (syndicated copies, stock phrases), so each distinct text is
    scanned and resolved by its forms once; the dictionary remembers up to
    100,000 texts between calls (``analyze`` calls this batch by batch), and a text
    whose titles or surnames depend on the article is resolved once per context.
    The result is the same as matching every sentence on its own.

    Examples
    --------
    >>> import pandas as pd
    >>> d = actor_dictionary([{"name": "Vladimir Putin", "type": "person", "aliases": ["Putin"]}])
    >>> s = pd.DataFrame({"article_id": ["a"], "sentence_id": [0],
    ...                   "text": ["Vladimir Putin rejected Putinism."]})
    >>> find_mentions(s, d)["surface"].tolist()
    ['Vladimir Putin']
    """
    check_sentences(sentences)
    if not isinstance(dictionary, ActorDictionary):
        raise DataError(f"found a {type(dictionary).__name__} as dictionary; expected an ActorDictionary from load_actors()")
    with _collector_paused():
        frame, presorted = _ordered_sentences(sentences)
        if frame.empty or not len(dictionary):
            return empty_mentions()
        # sentences repeat (syndicated copies, stock phrases): scan and pick once per distinct text
        codes, distinct = pd.factorize(frame["text"])
        texts = distinct.tolist()
        picker = _Picker(dictionary._matcher.text_info(texts))
        rows = np.flatnonzero(picker.has_candidates[codes])
        pick_of_row = codes[rows]  # by default a sentence's picks are its text's context-free picks
        if resolve_partial:
            _resolve_in_context(picker, rows, pick_of_row, codes, frame["article_id"])
        return _mentions_from_picks(frame, texts, dictionary, picker, rows, pick_of_row, presorted=presorted)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block (and restore its state after).

    find_mentions allocates many small containers (candidates, picks, cached infos)
    while the remembered texts keep a large heap alive, so the collector, triggered by
    allocation counts, would rescan that heap again and again: a quarter to a third of
    the matching time at 10,000 articles. Pausing changes only when cyclic garbage is
    freed (at the first collection after the call; matching makes little of it), never
    a result. Nested or concurrent pauses leave the collector enabled at the end if it
    was enabled before the outermost one.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Picker:
    """The picks of one :func:`find_mentions` call, computed once per distinct text or context.

    Pick list ``i < len(texts)`` is text ``i``'s leftmost-longest selection of
    candidates resolved by their forms alone. A text whose unresolved candidates have
    title or partial entries also depends on its article: on the actors named in the
    article (for titles) and the actors seen before it (for partials); its picks in a
    context are computed once per (text, the relevant named actors, the relevant seen
    actors) and appended as further pick lists.
    """

    def __init__(self, infos: list[_TextInfo]) -> None:
        # the fields of every info, transposed in one pass (zip(*infos) == the four list comprehensions)
        found, lists, actors_of, context = (list(c) for c in zip(*infos)) if infos else ([], [], [], [])
        self.found = found
        self.lists = lists
        self.text_of: list[int] = list(range(len(infos)))
        self.actors_of = actors_of
        self.has_candidates = np.fromiter(map(bool, found), dtype=bool, count=len(found))
        self.context = context
        self._in_context: dict[tuple[int, frozenset[int], frozenset[int]], int] = {}

    def in_context(self, text: int, named: set[int], seen: set[int]) -> int:
        """The pick list of ``text`` in an article naming ``named`` where ``seen`` were picked before it."""
        titles, partials = self.context[text]  # type: ignore[misc]
        key = (text, titles & named, partials & seen)
        found = self._in_context.get(key)
        if found is None:
            seen_here = set(key[2])  # grows as the sentence's actors are picked, as in the article
            picks = _pick(self.found[text], _resolver(key[1], seen_here), seen=seen_here)
            found = self._in_context[key] = len(self.lists)
            self.lists.append(picks)
            self.text_of.append(text)
            self.actors_of.append(frozenset(a for _, _, a in picks))
        return found


def _context(found: list[tuple[int, int, tuple[_Entry, ...]]]) -> tuple[frozenset[int], frozenset[int]] | None:
    """(actors of the unresolved titles, of the unresolved partials) among ``found``; None when there are none."""
    titles: frozenset[int] = frozenset()
    partials: frozenset[int] = frozenset()
    for _, _, entries in found:
        open_ = _open_entries(entries)
        if open_ is not None:
            titles, partials = titles | open_[0], partials | open_[1]
    return (titles, partials) if titles or partials else None


@lru_cache(maxsize=4096)
def _open_entries(entries: tuple[_Entry, ...]) -> tuple[frozenset[int], frozenset[int]] | None:
    """The title and partial actors a candidate may resolve to in context; None when its form decides."""
    if _only_form(entries) is not None:
        return None
    return frozenset(e.actor for e in entries if e.kind == "title"), frozenset(e.actor for e in entries if e.kind == "partial")


def _resolver(named: Collection[int], seen: Collection[int]) -> Callable[[tuple[_Entry, ...]], int | None]:
    """Resolve a candidate's entries: its one form, else its one title of a named actor or partial of a seen actor."""

    def resolve(entries: tuple[_Entry, ...]) -> int | None:
        form = _only_form(entries)
        if form is not None:
            return form
        eligible = {
            e.actor
            for e in entries
            if (e.kind == "title" and e.actor in named) or (e.kind == "partial" and e.actor in seen)
        }
        return eligible.pop() if len(eligible) == 1 else None

    return resolve


def _resolve_in_context(picker: _Picker, rows: np.ndarray, pick_of_row: np.ndarray, codes: np.ndarray, article_ids: pd.Series) -> None:
    """Set ``pick_of_row`` (in place) for the candidate rows whose text depends on its article.

    An article's context is the actors its sentences name by form (for bare titles)
    and the actors picked in its earlier sentences (for partials), left to right.
    """
    dependent = np.array([c is not None for c in picker.context], dtype=bool)[codes[rows]]
    if not dependent.any():
        return
    articles = pd.factorize(article_ids)[0][rows]
    # the rows of every article holding at least one context-dependent sentence (rows are sorted by article)
    first = np.r_[True, articles[1:] != articles[:-1]]
    group = np.cumsum(first) - 1
    wanted = np.zeros(int(group[-1]) + 1, dtype=bool)
    wanted[group[dependent]] = True
    todo = np.flatnonzero(wanted[group])
    bounds = np.flatnonzero(np.r_[True, group[todo][1:] != group[todo][:-1], True])
    context, actors_of, in_context = picker.context, picker.actors_of, picker.in_context
    text_list = codes[rows].tolist()
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        positions = todo[lo:hi].tolist()
        named: set[int] = set().union(*(actors_of[text_list[i]] for i in positions))
        seen: set[int] = set()
        for i in positions:
            text = text_list[i]
            pick = text if context[text] is None else in_context(text, named, seen)
            pick_of_row[i] = pick
            seen |= actors_of[pick]


def _mentions_from_picks(
    frame: pd.DataFrame, texts: list[str], dictionary: ActorDictionary, picker: _Picker, rows: np.ndarray, pick_of_row: np.ndarray, *, presorted: bool
) -> pd.DataFrame:
    """The mentions frame: one row per pick of every candidate row, built column by column.

    The same frame as :func:`_mentions_from_picks_slow` (the reference the tests compare
    with): the picks are flattened by comprehensions instead of four appends per pick,
    and every column is built in its contract dtype, so :func:`_typed_sorted`'s casts
    are needed only for ``article_id`` (``str`` in ``frame``, ``string`` out).
    ``presorted``: ``frame``'s (article, sentence) keys are distinct and in order.
    """
    lists = picker.lists
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    offsets = np.cumsum(lengths) - lengths
    flat_picks = list(chain.from_iterable(lists))
    surfaces = [texts[text][s:e] for picks, text in zip(lists, picker.text_of) if picks for s, e, _ in picks]
    # (start, end, actor) of every pick as three int64 columns
    table = np.array(flat_picks, dtype=np.int64).reshape(len(flat_picks), 3)
    counts = lengths[pick_of_row]
    total = int(counts.sum())
    # flat pick index of every output row: each row's pick list, in order
    flat = np.repeat(offsets[pick_of_row] - (np.cumsum(counts) - counts), counts) + np.arange(total, dtype=np.int64)
    out_rows = np.repeat(rows, counts)
    picked = table[flat]
    owner = picked[:, 2]
    names = pd.array([a.name for a in dictionary.actors], dtype="string")
    kinds = pd.array([a.type for a in dictionary.actors], dtype="string")
    df = pd.DataFrame(
        {
            "article_id": pd.array(frame["article_id"].array.take(out_rows), dtype="string"),
            "sentence_id": frame["sentence_id"].to_numpy()[out_rows],
            "actor": names.take(owner),
            "actor_type": kinds.take(owner),
            "surface": pd.array(surfaces, dtype="string").take(flat),
            "start": np.ascontiguousarray(picked[:, 0]),
            "end": np.ascontiguousarray(picked[:, 1]),
            "origin": pd.array(["dictionary"], dtype="string").take(np.zeros(total, dtype=np.int64)),
        }
    )
    # rows come in sentence order and picks in start order, so unless two rows share a
    # key (article, sentence) the rows are already in the contract's order
    if presorted:
        return df
    return _typed_sorted(df)


def _mentions_from_picks_slow(frame: pd.DataFrame, texts: list[str], dictionary: ActorDictionary, picker: _Picker, rows: np.ndarray, pick_of_row: np.ndarray) -> pd.DataFrame:
    """The reference :func:`_mentions_from_picks` (the tests compare the two): four appends per pick, then casts."""
    lengths = np.array([len(p) for p in picker.lists], dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    starts, ends, owners, surfaces = [], [], [], []
    for picks, text in zip(picker.lists, picker.text_of):
        sentence = texts[text]
        for s, e, a in picks:
            starts.append(s)
            ends.append(e)
            owners.append(a)
            surfaces.append(sentence[s:e])
    counts = lengths[pick_of_row]
    total = int(counts.sum())
    # flat pick index of every output row: each row's pick list, in order
    flat = np.repeat(offsets[pick_of_row] - (np.cumsum(counts) - counts), counts) + np.arange(total, dtype=np.int64)
    out_rows = np.repeat(rows, counts)
    owner = np.asarray(owners, dtype=np.int64)[flat]
    names = pd.array([a.name for a in dictionary.actors], dtype="string")
    kinds = pd.array([a.type for a in dictionary.actors], dtype="string")
    df = pd.DataFrame(
        {
            "article_id": frame["article_id"].array.take(out_rows),
            "sentence_id": frame["sentence_id"].to_numpy()[out_rows],
            "actor": names.take(owner),
            "actor_type": kinds.take(owner),
            "surface": pd.array(surfaces, dtype="string").take(flat),
            "start": np.asarray(starts, dtype=np.int64)[flat],
            "end": np.asarray(ends, dtype=np.int64)[flat],
            "origin": pd.array(["dictionary"], dtype="string").take(np.zeros(total, dtype=np.int64)),
        }
    )
    # rows come in sentence order and picks in start order, so unless two rows share a
    # key (article, sentence) the rows are already in the contract's order
    return _typed_sorted(df, presorted=_ordered_keys(frame["article_id"], frame["sentence_id"].to_numpy()) is False)


@lru_cache(maxsize=4096)
def _only_form(entries: tuple[_Entry, ...]) -> int | None:
    forms = {e.actor for e in entries if e.kind == "form"}
    return forms.pop() if len(forms) == 1 else None


def _pick(found: list[tuple[int, int, tuple[_Entry, ...]]], resolve, *, seen: set[int] | None = None) -> list[tuple[int, int, int]]:
    """Leftmost-longest selection of resolvable candidates in one sentence; ``seen`` grows as actors are picked."""
    taken_until, out = -1, []
    for s, e, entries in found:
        if s < taken_until:
            continue
        actor = resolve(entries)
        if actor is None:
            continue
        out.append((s, e, actor))
        taken_until = e
        if seen is not None:
            seen.add(actor)
    return out
