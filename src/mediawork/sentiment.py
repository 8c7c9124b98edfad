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
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd
from nltk.sentiment.vader import SentimentIntensityAnalyzer, SentiText, VaderConstants

from mediawork.checks import require_columns
from mediawork.errors import DataError, ParameterError

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
_TONE_STRIP = string.punctuation + "\u2018\u2019\u201c\u201d\u00ab\u00bb\u2013\u2014\u2026"
_HAS_WORD_CHAR = re.compile(r"[^\W_]")


# --------------------------------------------------------------------------- analyser


class Analyzer(SentimentIntensityAnalyzer):
    """NLTK's VADER analyser over a lexicon given as a mapping, with its provenance.

    It inherits every scoring rule from :class:`nltk.sentiment.vader.SentimentIntensityAnalyzer`
    and only replaces how the lexicon is obtained (no ``nltk.data.load``, which refuses
    paths outside ``nltk.data.path``) and how a sentence is split into words (the same
    result as NLTK's ``SentiText``, computed without building its punctuation table
    for every sentence, which is where NLTK spends most of its time).
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
        self.lexicon = MappingProxyType(dict(lexicon))
        self.constants = VaderConstants()
        self.source = source

    def __repr__(self) -> str:
        return f"Analyzer({len(self.lexicon)} entries, source={self.source!r})"

    def polarity_scores(self, text: str) -> dict[str, float]:
        """VADER's four scores for one text, identical to NLTK's.

        Examples
        --------
        >>> load_analyzer().polarity_scores("Not bad at all!")["compound"] > 0
        True
        """
        sentitext = _FastSentiText(text, self.constants.PUNC_LIST, self.constants.REGEX_REMOVE_PUNCTUATION)
        words = sentitext.words_and_emoticons
        # NLTK looks every token up at the position of its first occurrence.
        first_index: dict[str, int] = {}
        for idx, token in enumerate(words):
            first_index.setdefault(token, idx)
        boosters = self.constants.BOOSTER_DICT
        sentiments: list[float] = []
        for item in words:
            i = first_index[item]
            lower = item.lower()
            starts_kind_of = lower == "kind" and i < len(words) - 1 and words[i + 1].lower() == "of"
            if starts_kind_of or lower in boosters:
                sentiments.append(0)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words, sentiments)
        return self.score_valence(sentiments, text)


class _FastSentiText(SentiText):
    """NLTK's ``SentiText`` with the same words, found without the punctuation table.

    NLTK maps a token to a bare word when the token is one ``PUNC_LIST`` mark plus a
    word (of two or more characters) that occurs in the text stripped of ASCII
    punctuation. Such a word holds no ASCII punctuation, so the mark is exactly the
    token's leading (or trailing) run of ASCII punctuation; checking that run gives
    the same mapping as NLTK's table of every mark-word combination.
    """

    def _words_and_emoticons(self) -> list[str]:
        if self.REGEX_REMOVE_PUNCTUATION.pattern == _REMOVE_PUNCTUATION_PATTERN:  # NLTK's: delete ASCII punctuation
            stripped = self.text.translate(_DELETE_ASCII_PUNCT)  # the same text, without NLTK's timed regex
        else:
            stripped = self.REGEX_REMOVE_PUNCTUATION.sub("", self.text)
        bare = {w for w in stripped.split() if len(w) > 1}
        marks = set(self.PUNC_LIST)
        out = []
        for token in self.text.split():
            if len(token) <= 1:
                continue
            if token[-1] in _ASCII_PUNCT:
                cut = len(token.rstrip(string.punctuation))
                if token[cut:] in marks and token[:cut] in bare:
                    token = token[:cut]
            elif token[0] in _ASCII_PUNCT:
                cut = len(token) - len(token.lstrip(string.punctuation))
                if token[:cut] in marks and token[cut:] in bare:
                    token = token[cut:]
            out.append(token)
        return out


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
    present = sentences["text"].notna().tolist()
    texts = [str(value) if ok else "" for value, ok in zip(sentences["text"].tolist(), present, strict=True)]
    positions: dict[str, int] = {}  # each distinct text, in order of first appearance
    rows = np.fromiter((positions.setdefault(text, len(positions)) for text in texts), dtype=np.intp, count=len(texts))
    table = np.array([_scores_of(text, analyzer) for text in positions], dtype="float64").reshape(-1, 4)
    out = sentences.drop(columns=[c for c in _SCORES if c in sentences.columns])
    scores = pd.DataFrame(table[rows], columns=list(_SCORES), index=sentences.index)
    return pd.concat([out, scores], axis=1)


#: Scores of recently seen sentences, per analyser: syndicated copies repeat sentences across
#: the batches a worker scores. Bounded (about 40 MB at most); emptied when full.
_RECENT: weakref.WeakKeyDictionary[Analyzer, dict[str, tuple[float, float, float, float]]] = weakref.WeakKeyDictionary()
_RECENT_SIZE = 100_000


def _scores_of(text: str, analyzer: Analyzer) -> tuple[float, float, float, float]:
    """``analyzer.polarity_scores(text)`` as (neg, neu, pos, compound), remembered for recent sentences."""
    recent = _RECENT.setdefault(analyzer, {})
    found = recent.get(text)
    if found is None:
        scores = analyzer.polarity_scores(text)
        found = (scores["neg"], scores["neu"], scores["pos"], scores["compound"])
        if len(recent) >= _RECENT_SIZE:
            recent.clear()
        recent[text] = found
    return found


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
