"""VADER sentiment per sentence, article, actor, source and period, offline.

Scores are exactly those of NLTK's ``SentimentIntensityAnalyzer`` with NLTK's
``vader_lexicon``. The lexicon comes from the user's NLTK data when it is installed
(``sentiment/vader_lexicon.zip``); otherwise from the copy the ``vaderSentiment``
package ships, corrected by the six entries in which it differs from NLTK's
(:data:`NLTK_RECONCILE`), so results do not depend on which source was found.
Nothing is downloaded, and vaderSentiment's own analyser is never used for scoring
(its rules differ from NLTK's on a few percent of news sentences).

Levels, all pure functions over DataFrames (the input frame is never modified):

- :func:`score_sentences`: VADER's ``neg``, ``neu``, ``pos``, ``compound`` per sentence;
- :func:`article_sentiment`: mean compound, shares of positive and negative sentences
  and a GDELT-like ``tone`` per article;
- :func:`actor_sentiment`: the same over the sentences that mention each actor;
- :func:`sentiment_by`: article scores summarised per source and/or UTC day or week.

Analysts can add or neutralise lexicon entries with an overrides file
(``word<TAB>value``; see :func:`load_analyzer`); :func:`lexicon_source` says which
lexicon and which overrides produced the scores.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.resources
import math
import re
import string
import warnings
import weakref
from collections.abc import Mapping
from itertools import compress
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd
from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants

from mediawork.checks import require_columns
from mediawork.errors import DataError, ParameterError
from mediawork.memo import Memo

__all__ = [
    "NLTK_RECONCILE",
    "POSITIVE_THRESHOLD",
    "NEGATIVE_THRESHOLD",
    "Analyzer",
    "load_analyzer",
    "lexicon_source",
    "score_sentences",
    "article_sentiment",
    "actor_sentiment",
    "sentiment_by",
]

#: VADER's usual cut-offs: a compound score >= 0.05 is positive, <= -0.05 negative.
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05

#: The entries in which vaderSentiment's ``vader_lexicon.txt`` (3.3.2) differs from
#: NLTK's ``vader_lexicon``, as NLTK has them: a value to set, or ``None`` to remove
#: an entry NLTK lacks. Found by parsing both files as NLTK does (later duplicate
#: lines win) and comparing: vaderSentiment adds ``flawed``, ``heart``, ``hearts``
#: and an upper-case ``:P`` (NLTK's file has a second ``:p`` line instead, hence
#: ``:p`` 1.4), and rates ``badass`` +1.4 where NLTK keeps -0.6.
NLTK_RECONCILE: Mapping[str, float | None] = MappingProxyType(
    {
        ":P": None,
        ":p": 1.4,
        "badass": -0.6,
        "flawed": None,
        "heart": None,
        "hearts": None,
    }
)

#: SHA-256 of NLTK's lexicon as parsed (``word<TAB>repr(value)`` lines, sorted), used
#: to check that the reconciled fallback really equals it.
_NLTK_LEXICON_SHA256 = "a27de1cf826c623bc26445aa70a58a17322392fa818df9e365a5c00225a0542b"
_NLTK_RESOURCE = "sentiment/vader_lexicon.zip/vader_lexicon/vader_lexicon.txt"
_SOURCE_NLTK = "nltk_data"
_SOURCE_FALLBACK = "vaderSentiment (reconciled to NLTK)"

LexiconChoice = Literal["auto", "nltk_data", "vaderSentiment"]
Overrides = Mapping[str, float] | str | Path | None

_SCORES = ("neg", "neu", "pos", "compound")
_ASCII_PUNCT = frozenset(string.punctuation)
#: NLTK's ``REGEX_REMOVE_PUNCTUATION`` pattern, and a ``str.translate`` table deleting the same characters.
_REMOVE_PUNCTUATION_PATTERN = f"[{re.escape(string.punctuation)}]"
_DELETE_ASCII_PUNCT = str.maketrans("", "", string.punctuation)
#: NLTK's ``PUNC_LIST``: the marks a token may carry around a word (all ASCII punctuation).
_MARKS = frozenset(VaderConstants.PUNC_LIST)
_TONE_STRIP = string.punctuation + "\u2018\u2019\u201c\u201d\u00ab\u00bb\u2013\u2014\u2026"
_HAS_WORD_CHAR = re.compile(r"[^\W_]")


# --------------------------------------------------------------------------- analyser


class Analyzer(SentimentIntensityAnalyzer):
    """NLTK's VADER analyser over a lexicon given as a mapping, with its provenance.

    Scores are identical to those of :class:`nltk.sentiment.vader.SentimentIntensityAnalyzer`
    with the same lexicon, bit for bit. Only two things differ: how the lexicon is
    obtained (no ``nltk.data.load``, which refuses paths outside ``nltk.data.path``)
    and how a sentence is scored, by :class:`_Vader`, an exact re-implementation of
    NLTK's rules that skips the work NLTK does for words that cannot change a score
    (about 10x faster than NLTK's). NLTK's own code stays available as :meth:`reference_scores`.
    Build it with :func:`load_analyzer`; treat it as read-only (it is cached and shared).

    Parameters
    ----------
    lexicon:
        Word (lower case) to valence, as NLTK's ``make_lex_dict`` returns it.
    source:
        Human-readable provenance, returned by :func:`lexicon_source`.

    Examples
    --------
    >>> analyzer = Analyzer({"good": 1.9}, source="a tiny lexicon")
    >>> analyzer.polarity_scores("A good day.")["compound"]
    0.4404
    """

    def __init__(self, lexicon: Mapping[str, float], *, source: str) -> None:
        # SentimentIntensityAnalyzer.__init__ is deliberately not called: it loads the
        # lexicon through nltk.data.load. These are the attributes its methods use.
        self.lexicon_file = None
        self.constants = VaderConstants()
        self.lexicon = lexicon  # the property below also builds the fast scorer's tables
        self.source = source

    @property
    def lexicon(self) -> Mapping[str, float]:
        """Word (lower case) to valence; read-only. Assigning a new mapping rebuilds the scorer."""
        return self._lexicon

    @lexicon.setter
    def lexicon(self, value: Mapping[str, float]) -> None:
        self._lexicon = MappingProxyType(dict(value))
        self._vader = _Vader.build(self._lexicon, self.constants)

    def __repr__(self) -> str:
        return f"Analyzer({len(self.lexicon)} entries, source={self.source!r})"

    def polarity_scores(self, text: str) -> dict[str, float]:
        """VADER's four scores for one text, identical to NLTK's.

        Examples
        --------
        >>> load_analyzer().polarity_scores("Not bad at all!")["compound"] > 0
        True
        """
        if self._vader is None or not isinstance(text, str):
            return self.reference_scores(text)
        return self._vader.scores(text)

    def reference_scores(self, text: str) -> dict[str, float]:
        """NLTK's own ``polarity_scores`` code over this lexicon: the definition the fast path must equal.

        Examples
        --------
        >>> analyzer = load_analyzer()
        >>> analyzer.reference_scores("Not bad at all!") == analyzer.polarity_scores("Not bad at all!")
        True
        """
        return SentimentIntensityAnalyzer.polarity_scores(self, text)


# --------------------------------------------------------------------------- fast scorer
#
# _Vader re-implements NLTK 3.10's SentimentIntensityAnalyzer.polarity_scores (with
# SentiText, sentiment_valence, scalar_inc_dec, _never_check, _idioms_check,
# _least_check, _but_check, score_valence and their helpers) so that every score is the
# same float: each valence goes through the same operations in the same order. What it
# saves is work whose result is known in advance:
#
# - Words. NLTK splits on whitespace, drops 1-character tokens and replaces a token
#   that is one PUNC_LIST mark plus a word found in the text stripped of ASCII
#   punctuation by that word, via a table of every mark-word pair. Such a word has no
#   ASCII punctuation, so the mark is the token's whole leading (or trailing) run of
#   ASCII punctuation; and a word without ASCII punctuation is always in the stripped
#   text (stripping the token itself yields it), so it qualifies exactly when it is
#   longer than one character. A token's word depends on the token alone, so it is
#   remembered. (This holds for NLTK's PUNC_LIST and pattern; _Vader.build checks them
#   when the lexicon is set.)
# - Valences. A word gets a non-zero valence only when its lower-case form is in the
#   lexicon and is not a booster (NLTK appends 0 for boosters and for every word outside
#   the lexicon). Only those words are scored; the others are counted as neutral.
#   A repeated token is scored by NLTK at its first occurrence (``first_index``), so it
#   gets the valence of that occurrence.
# - Sums. NLTK's list of valences is mostly 0s. Python's sum() starts from int 0 and a
#   float accumulator that starts at +0.0 can never become -0.0, so adding a zero never
#   changes it: summing the non-zero valences in the same order gives the same float.
#   Likewise the positive and negative sums skip zeros, which only count as neutral.
# - Idioms. An idiom or a 'kind of'/'sort of' bigram matches only when every one of its
#   space-separated parts is one of the words (tokens have no whitespace), so
#   NLTK's _idioms_check runs only when a word next to the scored one is such a part.


def _token_word(token: str) -> str:
    """The token's VADER word ('' for a token NLTK drops)."""
    if len(token) <= 1:
        return ""
    if token[0] not in _ASCII_PUNCT and token[-1] not in _ASCII_PUNCT:
        return token
    return _strip_mark(token)


def _strip_mark(token: str) -> str:
    """The word of a token of 2+ characters that starts or ends with ASCII punctuation."""
    if token[-1] in _ASCII_PUNCT:
        word = token.rstrip(string.punctuation)
        mark = token[len(word) :]
    else:
        word = token.lstrip(string.punctuation)
        mark = token[: len(token) - len(word)]
    if mark in _MARKS and len(word) > 1 and len(word.translate(_DELETE_ASCII_PUNCT)) == len(word):
        return word
    return token


#: Token -> its VADER word, computed once per token; 200,000 distinct tokens at most (about 30 MB).
_TOKEN_WORDS = Memo(_token_word, limit=200_000)


def _words_and_emoticons(text: str) -> list[str]:
    """NLTK's ``SentiText(text, ...).words_and_emoticons`` for NLTK's marks and punctuation pattern."""
    return list(filter(None, map(_TOKEN_WORDS.__getitem__, text.split())))


class _Vader:
    """NLTK's VADER scoring over one lexicon, exact and faster (see the notes above)."""

    def __init__(self, lexicon: Mapping[str, float], constants: VaderConstants) -> None:
        self.lexicon = dict(lexicon)
        self.boosters = dict(constants.BOOSTER_DICT)
        self.scoring = frozenset(word for word in self.lexicon if word not in self.boosters)
        self.negate = frozenset(constants.NEGATE)
        phrases = [*constants.SPECIAL_CASE_IDIOMS, *(key for key in self.boosters if " " in key)]
        self.idiom_parts = frozenset(part for phrase in phrases for part in phrase.split(" "))
        self.least_is_word = "least" in self.lexicon
        self.c_incr = constants.C_INCR
        self.n_scalar = constants.N_SCALAR
        self.constants = constants  # what NLTK's _idioms_check reads from its self

    @classmethod
    def build(cls, lexicon: Mapping[str, float], constants: VaderConstants) -> _Vader | None:
        """The scorer, or None when NLTK's constants are not the ones its word splitting assumes."""
        marks = constants.PUNC_LIST
        if constants.REGEX_REMOVE_PUNCTUATION.pattern != _REMOVE_PUNCTUATION_PATTERN or set(marks) != _MARKS:
            return None
        return cls(lexicon, constants)

    def scores(self, text: str) -> dict[str, float]:
        """``SentimentIntensityAnalyzer.polarity_scores(text)``."""
        words = _words_and_emoticons(text)
        n = len(words)
        if not n:  # NLTK's empty-sentiments branch
            return {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}
        lowers = list(map(str.lower, words))
        found = list(compress(range(n), map(self.scoring.__contains__, lowers)))
        if not found:
            # score_valence of n zeros: the sum is 0.0, so compound = 0.0 / sqrt(15) = 0.0;
            # punctuation emphasis applies only to a non-zero sum or unequal positive and
            # negative sums (both 0.0 here); total = n, so neu = n / n = 1.0.
            return {"neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": 0.0}
        valences = self._valences(words, lowers, found)
        return self._score_valence(valences, n - len(valences), text)

    def _valences(self, words: list[str], lowers: list[str], found: list[int]) -> list[float]:
        """The valences NLTK gives the words at ``found`` (after _but_check), in order; 0s for 'kind of' left out."""
        n = len(words)
        caps = sum(map(str.isupper, words))
        is_cap_diff = 0 < n - caps < n  # SentiText.allcap_differential
        but = lowers.index("but") if "but" in lowers else -1
        at_first: dict[int, float | None] = {}
        out = []
        for j in found:
            i = words.index(words[j])  # NLTK's first_index
            if i not in at_first:
                at_first[i] = self._valence(words, lowers, i, is_cap_diff)
            valence = at_first[i]
            if valence is None:
                continue
            if but >= 0:  # _but_check
                if j < but:
                    valence = valence * 0.5
                elif j > but:
                    valence = valence * 1.5
            out.append(valence)
        return out

    def _valence(self, words: list[str], lowers: list[str], i: int, is_cap_diff: bool) -> float | None:
        """NLTK's sentiment_valence for the lexicon word at ``i``; None where NLTK appends 0 for 'kind of'."""
        word = lowers[i]
        if word == "kind" and i < len(words) - 1 and lowers[i + 1] == "of":
            return None
        lexicon = self.lexicon
        valence = lexicon[word]
        if words[i].isupper() and is_cap_diff:
            if valence > 0:
                valence += self.c_incr
            else:
                valence -= self.c_incr
        for start_i in range(0, 3):
            if i <= start_i:
                break
            before = lowers[i - (start_i + 1)]
            if before in lexicon:
                continue
            # VaderConstants.scalar_inc_dec
            scalar = 0.0
            if before in self.boosters:
                scalar = self.boosters[before]
                if valence < 0:
                    scalar *= -1
                if words[i - (start_i + 1)].isupper() and is_cap_diff:
                    if valence > 0:
                        scalar += self.c_incr
                    else:
                        scalar -= self.c_incr
            if start_i == 1 and scalar != 0:
                scalar = scalar * 0.95
            if start_i == 2 and scalar != 0:
                scalar = scalar * 0.9
            valence = valence + scalar
            # _never_check (its words are compared as written, not lower-cased)
            if start_i == 0:
                if before in self.negate or "n't" in before:
                    valence = valence * self.n_scalar
            elif start_i == 1:
                if words[i - 2] == "never" and (words[i - 1] == "so" or words[i - 1] == "this"):
                    valence = valence * 1.5
                elif before in self.negate or "n't" in before:
                    valence = valence * self.n_scalar
            else:
                if (words[i - 3] == "never" and (words[i - 2] == "so" or words[i - 2] == "this")) or (
                    words[i - 1] == "so" or words[i - 1] == "this"
                ):
                    valence = valence * 1.25
                elif before in self.negate or "n't" in before:
                    valence = valence * self.n_scalar
                parts = self.idiom_parts
                if (
                    words[i - 1] in parts
                    or words[i - 2] in parts
                    or words[i - 3] in parts
                    or (i + 1 < len(words) and words[i + 1] in parts)
                ):
                    valence = SentimentIntensityAnalyzer._idioms_check(self, valence, words, i)  # type: ignore[arg-type]
        # _least_check
        if i > 0 and lowers[i - 1] == "least" and not self.least_is_word:
            if i > 1:
                if lowers[i - 2] != "at" and lowers[i - 2] != "very":
                    valence = valence * self.n_scalar
            else:
                valence = valence * self.n_scalar
        return valence

    @staticmethod
    def _score_valence(valences: list[float], zeros: int, text: str) -> dict[str, float]:
        """NLTK's score_valence for a non-empty sentence: its non-zero-word valences and count of 0s."""
        sum_s = float(sum(valences))
        # _punctuation_emphasis: _amplify_ep + _amplify_qm
        ep_count = text.count("!")
        if ep_count > 4:
            ep_count = 4
        ep_amplifier = ep_count * 0.292
        qm_count = text.count("?")
        qm_amplifier = 0
        if qm_count > 1:
            if qm_count <= 3:
                qm_amplifier = qm_count * 0.18
            else:
                qm_amplifier = 0.96
        punct_emph_amplifier = ep_amplifier + qm_amplifier
        if sum_s > 0:
            sum_s += punct_emph_amplifier
        elif sum_s < 0:
            sum_s -= punct_emph_amplifier
        compound = sum_s / math.sqrt((sum_s * sum_s) + 15)  # VaderConstants.normalize
        # _sift_sentiment_scores
        pos_sum = 0.0
        neg_sum = 0.0
        neu_count = zeros
        for sentiment_score in valences:
            if sentiment_score > 0:
                pos_sum += float(sentiment_score) + 1
            if sentiment_score < 0:
                neg_sum += float(sentiment_score) - 1
            if sentiment_score == 0:
                neu_count += 1
        if pos_sum > math.fabs(neg_sum):
            pos_sum += punct_emph_amplifier
        elif pos_sum < math.fabs(neg_sum):
            neg_sum -= punct_emph_amplifier
        total = pos_sum + math.fabs(neg_sum) + neu_count
        return {
            "neg": round(math.fabs(neg_sum / total), 3),
            "neu": round(math.fabs(neu_count / total), 3),
            "pos": round(math.fabs(pos_sum / total), 3),
            "compound": round(compound, 4),
        }



_BASE_CACHE: dict[tuple[str, str], tuple[dict[str, float], str]] = {}
_ANALYZER_CACHE: dict[tuple, Analyzer] = {}


def load_analyzer(*, overrides: Overrides = None, lexicon: LexiconChoice = "auto") -> Analyzer:
    """The VADER analyser, NLTK's rules and lexicon, plus optional lexicon overrides.

    The lexicon is NLTK's ``vader_lexicon`` from the user's NLTK data when
    ``nltk.data.find`` locates it, else the file shipped with ``vaderSentiment``
    reconciled to NLTK's (:data:`NLTK_RECONCILE`); both give identical scores.
    Analysers are cached per lexicon and overrides (an overrides file is read again
    when it changes).

    Parameters
    ----------
    overrides:
        Entries to add or change: a mapping ``word -> value`` or the path of a text
        file with one ``word<TAB>value`` (or ``word,value``) pair per line. Blank lines
        and lines starting with ``#`` are skipped; a first line ``word<TAB>value`` is
        taken as a header. Values lie in VADER's range -4..4; words are single
        whitespace-free tokens, matched case-insensitively (as VADER does). A value of
        0 removes the word, so a topic word such as ``war`` or ``cease-fire`` then
        scores like any word VADER does not know.
    lexicon:
        ``"auto"`` (NLTK data if installed, else vaderSentiment), or force
        ``"nltk_data"`` (raises if not installed) or ``"vaderSentiment"``.

    Returns
    -------
    Analyzer
        Use ``.polarity_scores(text)``, or pass it to :func:`score_sentences`.

    Raises
    ------
    ParameterError
        The overrides file is missing or has a bad line (its number and content are
        given), or ``lexicon`` is unknown or not installed.

    Examples
    --------
    >>> analyzer = load_analyzer(overrides={"war": 0})
    >>> analyzer.polarity_scores("The war goes on.")["compound"]
    0.0
    """
    if lexicon not in ("auto", "nltk_data", "vaderSentiment"):
        raise ParameterError(f"lexicon={lexicon!r} is not a lexicon choice; expected 'auto', 'nltk_data' or 'vaderSentiment'.")
    kind, location = _locate_lexicon(lexicon)
    changes, origin = _read_overrides(overrides)
    key = (kind, location, origin, tuple(sorted(changes.items())))
    analyzer = _ANALYZER_CACHE.get(key)
    if analyzer is None:
        words, label = _base_lexicon(kind, location)
        for word, value in changes.items():
            if value == 0:
                words.pop(word, None)
            else:
                words[word] = value
        if changes:
            label += f" + {len(changes)} override{'s' if len(changes) != 1 else ''} from {origin}"
        analyzer = Analyzer(words, source=label)
        _ANALYZER_CACHE[key] = analyzer
    _register_resource(analyzer)
    return analyzer


def lexicon_source(analyzer: Analyzer | None = None) -> str:
    """Where the analyser's lexicon came from, and the overrides applied to it.

    Parameters
    ----------
    analyzer:
        An analyser from :func:`load_analyzer`; by default the default one.

    Returns
    -------
    str
        ``"nltk_data"`` or ``"vaderSentiment (reconciled to NLTK)"``, followed by
        ``" + N overrides from FILE"`` when overrides were applied.

    Examples
    --------
    >>> lexicon_source(load_analyzer(overrides={"war": 0, "truce": 1.5}, lexicon="vaderSentiment"))
    'vaderSentiment (reconciled to NLTK) + 2 overrides from a mapping'
    """
    return (analyzer if analyzer is not None else load_analyzer()).source


def _locate_lexicon(choice: LexiconChoice) -> tuple[str, str]:
    """(kind, location) of the lexicon to use; kind is 'nltk_data' or 'vaderSentiment'."""
    if choice in ("auto", "nltk_data"):
        import nltk.data

        try:
            return "nltk_data", str(nltk.data.find(_NLTK_RESOURCE))
        except LookupError:
            if choice == "nltk_data":
                raise ParameterError(
                    "lexicon='nltk_data' was asked for, but NLTK's vader_lexicon is not in any folder of "
                    f"nltk.data.path ({', '.join(map(str, nltk.data.path))}); expected sentiment/vader_lexicon.zip "
                    "in one of them. Use lexicon='auto' to fall back to vaderSentiment's copy."
                ) from None
    return "vaderSentiment", str(importlib.resources.files("vaderSentiment") / "vader_lexicon.txt")


def _base_lexicon(kind: str, location: str) -> tuple[dict[str, float], str]:
    """A fresh copy of the base lexicon (NLTK's, or vaderSentiment's reconciled) and its label."""
    if (kind, location) not in _BASE_CACHE:
        if kind == "nltk_data":
            import nltk.data

            with nltk.data.find(_NLTK_RESOURCE).open() as stream:
                words, label = _parse_lexicon(_decode(stream.read())), _SOURCE_NLTK
        else:
            words, label = _parse_lexicon(_decode(Path(location).read_bytes())), _SOURCE_FALLBACK
            for word, value in NLTK_RECONCILE.items():
                if value is None:
                    words.pop(word, None)
                else:
                    words[word] = value
            if _lexicon_digest(words) != _NLTK_LEXICON_SHA256:
                warnings.warn(
                    f"vaderSentiment's lexicon at {location} is not the version mediawork's corrections were made for "
                    "(vaderSentiment 3.3.2): after reconciling it still differs from NLTK's vader_lexicon, so scores may "
                    "differ slightly from NLTK's. Install NLTK's lexicon in your NLTK data to get exact NLTK scores.",
                    stacklevel=3,
                )
                label = "vaderSentiment (reconciliation unverified)"
        _BASE_CACHE[(kind, location)] = (words, label)
    words, label = _BASE_CACHE[(kind, location)]
    return dict(words), label


def _decode(data: bytes) -> str:
    """Bytes to text as ``nltk.data.load`` decodes text resources."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _parse_lexicon(text: str) -> dict[str, float]:
    """VADER's lexicon file to a dict, as NLTK's ``make_lex_dict`` (later lines win)."""
    words: dict[str, float] = {}
    for line in text.split("\n"):
        if line.strip():
            word, measure = line.strip().split("\t")[0:2]
            words[word] = float(measure)
    return words


def _lexicon_digest(words: Mapping[str, float]) -> str:
    return hashlib.sha256("\n".join(f"{w}\t{v!r}" for w, v in sorted(words.items())).encode()).hexdigest()


def _read_overrides(overrides: Overrides) -> tuple[dict[str, float], str]:
    """Validated overrides (lower-case word -> value) and where they came from."""
    if overrides is None:
        return {}, ""
    if isinstance(overrides, (str, Path)):
        return _read_overrides_file(Path(overrides)), str(overrides)
    if not isinstance(overrides, Mapping):
        raise ParameterError(
            f"overrides is a {type(overrides).__name__}; expected a mapping word -> value, the path of a "
            "word<TAB>value file, or None."
        )
    changes: dict[str, float] = {}
    for word, value in overrides.items():
        where = f"overrides entry {word!r}"
        changes[_check_word(word, where)] = _check_value(value, where)
    return changes, "a mapping"


def _read_overrides_file(path: Path) -> dict[str, float]:
    if not path.is_file():
        raise ParameterError(
            f"Lexicon overrides file {path} was not found; expected a text file with one word<TAB>value pair per line."
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParameterError(f"Lexicon overrides file {path} is not UTF-8 text ({exc.reason}); save it as UTF-8.") from None
    changes: dict[str, float] = {}
    first_line: dict[str, int] = {}
    seen_content = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.rstrip()
        if not stripped.strip() or stripped.lstrip().startswith("#"):
            continue
        fields = _split_override_line(stripped)
        where = f"{path}, line {number} ({stripped.strip()!r})"
        if not seen_content and [f.strip().lower() for f in fields] == ["word", "value"]:
            seen_content = True
            continue
        seen_content = True
        if len(fields) != 2:
            raise ParameterError(
                f"{where}: found {len(fields)} field(s); expected exactly two, a word and a value separated by a tab "
                "(or a comma), e.g. 'ceasefire<TAB>0'."
            )
        word = _check_word(fields[0].strip(), where)
        value = _check_value(fields[1].strip(), where)
        if word in first_line:
            raise ParameterError(
                f"{where}: {word!r} is already set on line {first_line[word]}; expected each word once. "
                "Delete one of the two lines."
            )
        first_line[word] = number
        changes[word] = value
    return changes


def _split_override_line(line: str) -> list[str]:
    if "\t" in line:
        return line.split("\t")
    return next(csv.reader([line]))


def _check_word(word: object, where: str) -> str:
    if not isinstance(word, str) or not word.strip():
        raise ParameterError(f"{where}: the word is {word!r}; expected a non-empty word.")
    if len(word.split()) != 1:
        raise ParameterError(
            f"{where}: the word {word!r} contains whitespace; VADER matches single whitespace-separated tokens, "
            "so expected one token (join parts with a hyphen as the text does, e.g. 'cease-fire')."
        )
    return word.strip().lower()


def _check_value(value: object, where: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ParameterError(f"{where}: the value {value!r} is not a number; expected a valence between -4 and 4.") from None
    if isinstance(value, bool) or not math.isfinite(number) or not -4 <= number <= 4:
        raise ParameterError(f"{where}: the value {value!r} is out of range; expected a valence between -4 and 4.")
    return number


def _register_resource(analyzer: Analyzer) -> None:
    """Make ``mediawork.text.resources()`` report this analyser's lexicon (the last one used)."""
    global _IN_USE
    _IN_USE = analyzer
    try:
        from mediawork import text
    except ImportError:
        return
    register = getattr(text, "register_resource", None)
    if callable(register):
        register("vader_lexicon", _describe_lexicon)


def _describe_lexicon() -> str:
    analyzer = _IN_USE if _IN_USE is not None else load_analyzer()
    return f"{analyzer.source} ({len(analyzer.lexicon):,} entries)"


_IN_USE: Analyzer | None = None


# --------------------------------------------------------------------------- levels


def score_sentences(sentences: pd.DataFrame, *, analyzer: Analyzer | None = None) -> pd.DataFrame:
    """VADER's four scores for every sentence.

    Identical sentences (common across syndicated copies) are scored once. A missing
    text is scored as an empty one (all four scores 0).

    Parameters
    ----------
    sentences:
        A frame with a ``text`` column, typically ``mediawork.text.sentences_frame``'s
        (``article_id``, ``paragraph_id``, ``sentence_id``, ``text``).
    analyzer:
        From :func:`load_analyzer`; by default ``load_analyzer()``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``sentences`` (same rows, order and index) with float columns
        ``neg``, ``neu``, ``pos`` (proportions, rounded to 3 places as NLTK does) and
        ``compound`` (-1..1, rounded to 4), replacing any existing columns of those
        names.

    Examples
    --------
    >>> frame = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "text": ["What a great result!"]})
    >>> score_sentences(frame)[["compound"]].to_dict("list")
    {'compound': [0.6588]}
    """
    require_columns(sentences, ["text"], what="the sentences frame", hint="build it with mediawork.text.sentences_frame")
    analyzer = analyzer if analyzer is not None else load_analyzer()
    if analyzer is not _IN_USE:
        _register_resource(analyzer)
    rows, distinct = _distinct_texts(sentences["text"])
    table = np.array(_scores_of(distinct, analyzer), dtype="float64").reshape(-1, 4)
    out = sentences.drop(columns=[c for c in _SCORES if c in sentences.columns])
    scores = pd.DataFrame(table[rows], columns=list(_SCORES), index=sentences.index)
    return pd.concat([out, scores], axis=1)


#: Scores of recently seen sentences, per analyser: syndicated copies repeat sentences across
#: the batches a worker scores. Bounded (about 40 MB at most); emptied when full.
_RECENT: weakref.WeakKeyDictionary[Analyzer, dict[str, tuple[float, float, float, float]]] = weakref.WeakKeyDictionary()
_RECENT_SIZE = 100_000


def _distinct_texts(texts: pd.Series) -> tuple[np.ndarray, list[str]]:
    """(row -> position of its text in the list, the distinct texts): a missing text is the empty one.

    A column of a string dtype holds only strings and missing values, so its values are
    grouped by pandas' factorisation (Arrow's dictionary encoding), with missing values
    then merged into ``""``; the scores are a function of the text, so which rows share
    a position cannot change them. Other columns take the reference path,
    :func:`_distinct_texts_slow`, which groups by ``str(value)``.
    """
    if not isinstance(texts.dtype, pd.StringDtype):
        return _distinct_texts_slow(texts)
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    distinct = uniques.tolist()
    codes = codes.astype(np.intp, copy=False)
    if (codes < 0).any():  # missing texts score as the empty one: one more position, or the existing ""
        where = distinct.index("") if "" in distinct else len(distinct)
        if where == len(distinct):
            distinct.append("")
        codes = np.where(codes < 0, where, codes)
    return codes, distinct


def _distinct_texts_slow(texts: pd.Series) -> tuple[np.ndarray, list[str]]:
    """The reference :func:`_distinct_texts`: ``str(value)`` of every value ("" when missing), grouped by a dict."""
    present = texts.notna().tolist()
    values = [str(value) if ok else "" for value, ok in zip(texts.tolist(), present, strict=True)]
    positions: dict[str, int] = {}  # each distinct text, in order of first appearance
    rows = np.fromiter((positions.setdefault(text, len(positions)) for text in values), dtype=np.intp, count=len(values))
    return rows, list(positions)


def _scores_of(texts: list[str], analyzer: Analyzer) -> list[tuple[float, float, float, float]]:
    """``analyzer.polarity_scores(text)`` of each text as (neg, neu, pos, compound), remembered for recent sentences."""
    recent = _RECENT.setdefault(analyzer, {})
    out = []
    for text in texts:
        found = recent.get(text)
        if found is None:
            scores = analyzer.polarity_scores(text)
            found = (scores["neg"], scores["neu"], scores["pos"], scores["compound"])
            if len(recent) >= _RECENT_SIZE:
                recent.clear()
            recent[text] = found
        out.append(found)
    return out


def article_sentiment(
    scored: pd.DataFrame,
    *,
    articles: pd.DataFrame | None = None,
    analyzer: Analyzer | None = None,
) -> pd.DataFrame:
    """Sentiment per article from its scored sentences, with a GDELT-like tone.

    ``tone`` is (positive words - negative words) / words x 100 over the article's
    sentences, comparable to GDELT's tone. Words: each sentence is split on
    whitespace and lower-cased; a piece is looked up in the analyser's lexicon as is
    (so emoticons such as ``:)`` count) and, when absent, with surrounding
    punctuation and quotes stripped (so ``good,`` and ``"bad"`` count). A piece is a
    word when it has a letter or digit or is in the lexicon (a lone ``-`` is not); it
    is positive when its lexicon value is > 0, negative when < 0. VADER's rules
    (negation, boosters, ``but``) do not apply to the tone, only to ``compound``.

    Parameters
    ----------
    scored:
        :func:`score_sentences`'s output: ``article_id``, ``text``, ``compound``.
    articles:
        When given (a frame with ``article_id``), the result has exactly one row per
        one of its articles: articles without sentences get ``n_sentences`` 0 and
        missing scores, sentences of other articles are left out.
    analyzer:
        The analyser whose lexicon counts words for ``tone``; use the one that
        scored the sentences. By default ``load_analyzer()``.

    Returns
    -------
    pandas.DataFrame
        One row per article, sorted by ``article_id``: ``n_sentences``,
        ``compound_mean``, ``share_positive`` (share of sentences with compound
        >= 0.05), ``share_negative`` (<= -0.05) and ``tone`` (missing when the
        article has no words).

    Examples
    --------
    >>> scored = pd.DataFrame({"article_id": ["a", "a"], "text": ["A good plan.", "It failed."], "compound": [0.4404, -0.5106]})
    >>> article_sentiment(scored).round(3).to_dict("records")
    [{'article_id': 'a', 'n_sentences': 2, 'compound_mean': -0.035, 'share_positive': 0.5, 'share_negative': 0.5, 'tone': 0.0}]
    """
    require_columns(scored, ["article_id", "text", "compound"], what="the scored sentences frame", hint="score the sentences with score_sentences")
    analyzer = analyzer if analyzer is not None else load_analyzer()
    counts = _tone_counts(scored["text"], analyzer.lexicon)
    per = pd.DataFrame(
        {
            "article_id": scored["article_id"].astype("string").to_numpy(),
            "compound": scored["compound"].astype("float64").to_numpy(),
            "is_pos": (scored["compound"] >= POSITIVE_THRESHOLD).astype("float64").to_numpy(),
            "is_neg": (scored["compound"] <= NEGATIVE_THRESHOLD).astype("float64").to_numpy(),
            **{k: v.to_numpy() for k, v in counts.items()},
        }
    )
    grouped = per.groupby("article_id", sort=True)
    result = pd.DataFrame(
        {
            "n_sentences": grouped.size().astype("int64"),
            "compound_mean": grouped["compound"].mean(),
            "share_positive": grouped["is_pos"].mean(),
            "share_negative": grouped["is_neg"].mean(),
        }
    )
    sums = grouped[["n_words", "n_positive", "n_negative"]].sum()
    result["tone"] = ((sums["n_positive"] - sums["n_negative"]) / sums["n_words"].where(sums["n_words"] > 0) * 100).astype("float64")
    if articles is not None:
        require_columns(articles, ["article_id"], what="the articles frame", hint="read it with mediawork.store.read_articles")
        ids = pd.Index(articles["article_id"].dropna().astype("string").unique()).sort_values()
        result = result.reindex(ids)
        result["n_sentences"] = result["n_sentences"].fillna(0).astype("int64")
    result.index = result.index.astype("string")
    result.index.name = "article_id"
    return result.reset_index()


def actor_sentiment(scored: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Actor-targeted sentiment: the scores of the sentences that mention each actor.

    A sentence that mentions an actor several times counts once for that actor;
    mentions of sentences that are not in ``scored`` are left out.

    Parameters
    ----------
    scored:
        :func:`score_sentences`'s output: ``article_id``, ``sentence_id``, ``compound``
        (one row per article and sentence).
    mentions:
        ``mentions.parquet``'s rows: ``article_id``, ``sentence_id``, ``actor``.

    Returns
    -------
    pandas.DataFrame
        One row per actor, sorted by ``actor``: ``n_sentences``, ``n_articles``,
        ``compound_mean``, ``share_positive`` (compound >= 0.05) and
        ``share_negative`` (<= -0.05).

    Raises
    ------
    DataError
        A column is missing, or ``scored`` has two rows for one article and sentence.

    Examples
    --------
    >>> scored = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 1], "compound": [0.5, -0.3]})
    >>> mentions = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 1], "actor": ["Kim", "Kim"]})
    >>> actor_sentiment(scored, mentions).to_dict("records")
    [{'actor': 'Kim', 'n_sentences': 2, 'n_articles': 1, 'compound_mean': 0.1, 'share_positive': 0.5, 'share_negative': 0.5}]
    """
    keys = ["article_id", "sentence_id"]
    require_columns(scored, [*keys, "compound"], what="the scored sentences frame", hint="score the sentences with score_sentences")
    require_columns(mentions, [*keys, "actor"], what="the mentions frame", hint="build it with mediawork.actors.find_mentions")
    sentences = _with_keys(scored[[*keys, "compound"]], "scored sentences")
    repeated = sentences.duplicated(keys)
    if repeated.any():
        first = sentences.loc[repeated, keys].iloc[0].tolist()
        raise DataError(
            f"scored sentences have {int(repeated.sum())} repeated (article_id, sentence_id) pair(s), e.g. {tuple(first)}; "
            "expected one row per sentence. Score the output of mediawork.text.sentences_frame without concatenating it twice."
        )
    pairs = _with_keys(mentions.loc[mentions["actor"].notna(), [*keys, "actor"]], "mentions").drop_duplicates()
    joined = pairs.merge(sentences, on=keys, how="inner", validate="many_to_one")
    joined = joined.assign(
        compound=joined["compound"].astype("float64"),
        is_pos=(joined["compound"] >= POSITIVE_THRESHOLD).astype("float64"),
        is_neg=(joined["compound"] <= NEGATIVE_THRESHOLD).astype("float64"),
    )
    grouped = joined.groupby("actor", sort=True)
    result = pd.DataFrame(
        {
            "n_sentences": grouped.size().astype("int64"),
            "n_articles": grouped["article_id"].nunique().astype("int64"),
            "compound_mean": grouped["compound"].mean(),
            "share_positive": grouped["is_pos"].mean(),
            "share_negative": grouped["is_neg"].mean(),
        }
    )
    result.index.name = "actor"
    return result.reset_index()


def sentiment_by(
    article_scores: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    by: str | None = "source",
    freq: Literal["D", "W"] | None = "D",
) -> pd.DataFrame:
    """Article sentiment summarised per source and/or per UTC day or week.

    Parameters
    ----------
    article_scores:
        :func:`article_sentiment`'s output: ``article_id``, ``n_sentences``,
        ``compound_mean`` and, if present, ``tone``.
    articles:
        ``articles.parquet``'s rows with ``article_id``, the ``by`` column and, when
        ``freq`` is set, ``published`` (UTC; naive times are taken as UTC). Pass the
        articles you want counted (e.g. ``read_articles(..., unique=True)``).
    by:
        The article column to group by (``"source"``, ``"outlet"``...), or None.
        Articles with a missing value form a group of their own, sorted last.
    freq:
        ``"D"`` (UTC day), ``"W"`` (week from Monday 00:00 UTC) or None. Articles
        without a publication time are left out when it is set.

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by the group columns (``by``'s column, then
        ``period``, the UTC start of the day or week): ``n_articles``,
        ``n_sentences`` (their sum), ``compound_mean`` (the mean of the articles'
        ``compound_mean``, each article weighing the same) and ``tone_mean`` when
        ``tone`` is given. With ``by`` and ``freq`` both None, one row overall.

    Examples
    --------
    >>> scores = pd.DataFrame({"article_id": ["a", "b"], "n_sentences": [2, 3], "compound_mean": [0.5, -0.1]})
    >>> articles = pd.DataFrame({"article_id": ["a", "b"], "source": ["x.com", "x.com"],
    ...                          "published": pd.to_datetime(["2024-03-04 10:00", "2024-03-04 23:00"], utc=True)})
    >>> sentiment_by(scores, articles, by="source", freq="D")[["source", "n_articles", "compound_mean"]].to_dict("records")
    [{'source': 'x.com', 'n_articles': 2, 'compound_mean': 0.2}]
    """
    if freq not in ("D", "W", None):
        raise ParameterError(f"freq={freq!r} is not a period; expected 'D' (day), 'W' (week from Monday) or None.")
    if by is not None and (not isinstance(by, str) or by == "article_id"):
        raise ParameterError(f"by={by!r} cannot group articles; expected the name of an article column such as 'source', or None.")
    require_columns(article_scores, ["article_id", "n_sentences", "compound_mean"], what="the article scores frame", hint="compute them with article_sentiment")
    needed = ["article_id"] + ([by] if by else []) + (["published"] if freq else [])
    require_columns(articles, needed, what="the articles frame", hint="read it with mediawork.store.read_articles")
    value_columns = ["n_sentences", "compound_mean"] + (["tone"] if "tone" in article_scores.columns else [])
    meta = _with_keys(articles[needed], "articles").drop_duplicates("article_id")
    values = _with_keys(article_scores[["article_id", *value_columns]], "article scores")
    joined = values.merge(meta, on="article_id", how="inner")
    keys: list[str] = []
    if by:
        keys.append(by)
    if freq:
        joined = joined.assign(period=_period_start(joined["published"], freq))
        joined = joined[joined["period"].notna()]
        keys.append("period")
    if not keys:
        joined = joined.assign(_all=0)
    grouped = joined.groupby(keys or ["_all"], sort=True, dropna=False)
    result = pd.DataFrame(
        {
            "n_articles": grouped.size().astype("int64"),
            "n_sentences": grouped["n_sentences"].sum().astype("int64"),
            "compound_mean": grouped["compound_mean"].mean(),
        }
    )
    if "tone" in value_columns:
        result["tone_mean"] = grouped["tone"].mean()
    result = result.reset_index()
    if not keys:
        result = result.drop(columns="_all")
    return result.sort_values(keys, na_position="last", kind="stable").reset_index(drop=True) if keys else result


def _period_start(published: pd.Series, freq: str) -> pd.Series:
    """The UTC start of the day or week (Monday) of each timestamp."""
    if not pd.api.types.is_datetime64_any_dtype(published):
        raise DataError(
            f"articles' 'published' column has dtype {published.dtype}; expected UTC timestamps as read_articles "
            "returns them. Convert it with pd.to_datetime(..., utc=True)."
        )
    times = published.dt.tz_localize("UTC") if published.dt.tz is None else published.dt.tz_convert("UTC")
    days = times.dt.floor("D")
    if freq == "W":
        days = days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    return days


def _tone_counts(texts: pd.Series, lexicon: Mapping[str, float]) -> dict[str, pd.Series]:
    """Words, positive words and negative words per text (see article_sentiment)."""
    clean = texts.astype("object").where(texts.notna(), "").map(str)
    cache: dict[str, tuple[int, int, int]] = {}
    rows = []
    for text in clean:
        if text not in cache:
            cache[text] = _count_words(text, lexicon)
        rows.append(cache[text])
    arr = np.array(rows, dtype="int64").reshape(-1, 3)
    return {name: pd.Series(arr[:, j]) for j, name in enumerate(("n_words", "n_positive", "n_negative"))}


def _count_words(text: str, lexicon: Mapping[str, float]) -> tuple[int, int, int]:
    words = positive = negative = 0
    for piece in text.lower().split():
        value = lexicon.get(piece)
        if value is None:
            piece = piece.strip(_TONE_STRIP)
            value = lexicon.get(piece)
            if value is None and not _HAS_WORD_CHAR.search(piece):
                continue
        words += 1
        if value is not None:
            positive += value > 0
            negative += value < 0
    return words, positive, negative


def _with_keys(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """A copy with ``article_id`` as strings and ``sentence_id`` (if present) as integers, so joins line up."""
    out = frame.assign(article_id=frame["article_id"].astype("string"))
    if "sentence_id" in out.columns:
        ids = pd.to_numeric(out["sentence_id"], errors="coerce")
        bad = ids.isna() | (ids != ids.round())
        if bad.any():
            found = out.loc[bad, "sentence_id"].iloc[0]
            raise DataError(
                f"{what} have {int(bad.sum())} 'sentence_id' value(s) that are not whole numbers, e.g. {found!r}; "
                "expected the 0-based sentence numbers of mediawork.text.sentences_frame."
            )
        out = out.assign(sentence_id=ids.astype("int64"))
    return out
