"""Sentences, tokens, stopwords and the NLTK resources behind them, resolved offline.

Sentences come from NLTK's Punkt: the pretrained ``punkt_tab`` model when the user
has NLTK data installed, otherwise a Punkt model trained on the corpus itself and
seeded with common news abbreviations (:data:`NEWS_ABBREVIATIONS`). Tokens come from
``NLTKWordTokenizer`` (needs no data), applied sentence by sentence and case-folded.
Stopwords are NLTK's English list when its ``stopwords`` corpus is installed, else the
list bundled in ``mediawork/data/stopwords_en.txt``. Nothing here downloads anything.

:func:`resources` says which resources are in use, for reports to print; other
modules add their own entries with :func:`register_resource`.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import string
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import nltk.data
import pandas as pd
from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import NLTKWordTokenizer, punkt
from nltk.tokenize.punkt import (
    PunktLanguageVars,
    PunktParameters,
    PunktSentenceTokenizer,
    PunktToken,
    PunktTokenizer,
    PunktTrainer,
)

from mediawork.checks import require_columns
from mediawork.errors import DataError, ParameterError
from mediawork.memo import Memo

__all__ = [
    "NEWS_ABBREVIATIONS",
    "SENTENCE_COLUMNS",
    "TRAIN_MAX_CHARS",
    "get_sentence_splitter",
    "split_sentences",
    "sentences_frame",
    "tokenize",
    "word_tokens",
    "stopwords",
    "stem",
    "register_resource",
    "resources",
]

#: Abbreviations every corpus-trained Punkt model knows, whatever the corpus says
#: (Punkt stores them lower-case, without the final period).
NEWS_ABBREVIATIONS: tuple[str, ...] = (
    "U.S.", "U.K.", "U.N.", "E.U.", "Gen.", "Sen.", "Rep.", "Gov.", "Mr.", "Mrs.", "Ms.",
    "Dr.", "St.", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.", "a.m.", "p.m.",
    "Lt.", "Col.", "Maj.", "Capt.", "No.", "Inc.", "Co.", "Corp.",
)

#: Columns of the table :func:`sentences_frame` returns, in order.
SENTENCE_COLUMNS: tuple[str, ...] = ("article_id", "paragraph_id", "sentence_id", "text")

_ABBREV_TYPES = frozenset(a.lower().rstrip(".") for a in NEWS_ABBREVIATIONS)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_CURLY_APOSTROPHE = re.compile(r"(?<=\w)[\u2019\u02bc](?=\w)")
_CLITIC = re.compile(r"^(?:'[a-z]+|n't)$")
_WORD_TOKENIZER = NLTKWordTokenizer()
_BUNDLED_STOPWORDS = Path(__file__).with_name("data") / "stopwords_en.txt"
_TRAINED_CACHE: OrderedDict[str, PunktSentenceTokenizer] = OrderedDict()
_TRAINED_CACHE_SIZE = 4
#: Punkt trains on at most this many characters of the corpus (about 9 s on this machine);
#: its statistics settle long before that, and training time grows linearly.
TRAIN_MAX_CHARS = 2_000_000


# --------------------------------------------------------------------------- sentences


def get_sentence_splitter(texts: Iterable[str] | None = None) -> PunktSentenceTokenizer:
    """Return the Punkt sentence splitter to use, resolved offline.

    NLTK's pretrained English ``punkt_tab`` model when it is installed (found on
    ``nltk.data.path``); otherwise Punkt trained with ``PunktTrainer`` on ``texts``,
    its parameters seeded with :data:`NEWS_ABBREVIATIONS` (which stay abbreviations
    even when the corpus also uses, say, ``no`` as a word). Training ignores the
    order of ``texts`` and duplicates, so the same texts always give the same
    splitter; recent models are cached. A large corpus is sampled: texts are taken
    in the order of their SHA-256 until :data:`TRAIN_MAX_CHARS` characters. With
    neither NLTK data nor ``texts``, the splitter knows only the seeded abbreviations.

    Parameters
    ----------
    texts:
        The corpus to train on when no pretrained model is installed (article bodies,
        paragraphs separated by blank lines). Ignored when ``punkt_tab`` is present.

    Returns
    -------
    PunktSentenceTokenizer
        Use it with :func:`split_sentences` or :func:`sentences_frame`.

    Examples
    --------
    >>> splitter = get_sentence_splitter(["Talks start at 9 a.m. Monday. Dr. Lee came."])
    >>> split_sentences("Sen. Ruiz spoke. Mr. Okafor left.", splitter=splitter)
    ['Sen. Ruiz spoke.', 'Mr. Okafor left.']
    """
    pretrained = _pretrained_punkt(tuple(nltk.data.path))
    if pretrained is not None:
        return pretrained
    corpus = _training_sample({t for t in (texts or ()) if isinstance(t, str) and t.strip()})
    key = hashlib.sha256("\x00".join(corpus).encode("utf-8")).hexdigest()
    if key in _TRAINED_CACHE:
        _TRAINED_CACHE.move_to_end(key)
        return _TRAINED_CACHE[key]
    splitter = _train_punkt(corpus)
    _TRAINED_CACHE[key] = splitter
    while len(_TRAINED_CACHE) > _TRAINED_CACHE_SIZE:
        _TRAINED_CACHE.popitem(last=False)
    return splitter


def split_sentences(text: str, *, splitter: PunktSentenceTokenizer | None = None) -> list[str]:
    """Split one text into sentences with Punkt.

    Blank lines always end a sentence (they separate paragraphs); within a paragraph
    Punkt decides. Datelines such as ``KYIV, Ukraine (AP) —`` stay in their
    sentence, and a closing quote after the final period (``.”``) stays with it.

    Parameters
    ----------
    text:
        Any text; paragraphs separated by blank lines.
    splitter:
        From :func:`get_sentence_splitter`. The default is the pretrained model when
        installed, else a model that knows only :data:`NEWS_ABBREVIATIONS` (no
        training). For a whole corpus use :func:`sentences_frame`, which trains once.

    Returns
    -------
    list of str
        The sentences, stripped, in order; empty for an empty text.

    Examples
    --------
    >>> split_sentences("U.S. officials met in Riyadh. Gen. Kellogg said so.")
    ['U.S. officials met in Riyadh.', 'Gen. Kellogg said so.']
    """
    if not isinstance(text, str):
        raise ParameterError(f"split_sentences expects a str, got {type(text).__name__}; pass the article text itself")
    splitter = splitter if splitter is not None else get_sentence_splitter()
    out: list[str] = []
    for paragraph in _paragraphs(text):
        out.extend(s.strip() for s in splitter.tokenize(paragraph) if s.strip())
    return out


def sentences_frame(articles: pd.DataFrame, *, splitter: PunktSentenceTokenizer | None = None) -> pd.DataFrame:
    """One row per sentence of every article.

    Each article's ``text`` is split into paragraphs at blank lines, and each
    paragraph into sentences with Punkt. All rows are kept, duplicates included:
    filter ``duplicate_of`` first if you want unique articles only.

    Parameters
    ----------
    articles:
        A table with ``article_id`` and ``text`` (such as ``articles.parquet``).
        Rows with a missing or empty text give no sentences. Not modified.
    splitter:
        From :func:`get_sentence_splitter`. By default: the pretrained ``punkt_tab``
        model when installed, else Punkt trained on these articles' texts.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id``, ``paragraph_id`` (0-based paragraph index among the
        non-empty paragraphs), ``sentence_id`` (0-based, running across the whole
        article) and ``text``; sorted by ``article_id``, ``sentence_id``.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a1"], "text": ["Gen. Ito spoke. He left.\\n\\nDr. Ng stayed."]})
    >>> sentences_frame(arts)[["paragraph_id", "sentence_id", "text"]].values.tolist()
    [[0, 0, 'Gen. Ito spoke.'], [0, 1, 'He left.'], [1, 2, 'Dr. Ng stayed.']]
    """
    require_columns(articles, ("article_id", "text"), what="the articles frame", hint="read it with mediawork.store.read_articles")
    rows = articles.loc[articles["text"].notna(), ["article_id", "text"]]
    rows = rows.sort_values("article_id", kind="stable")
    if splitter is None:
        splitter = get_sentence_splitter(rows["text"].tolist())
    ids: list[str] = []
    paragraph_ids: list[int] = []
    sentence_ids: list[int] = []
    texts: list[str] = []
    split = _paragraph_splitter(splitter)
    for article_id, text in zip(rows["article_id"].tolist(), rows["text"].tolist(), strict=True):
        article_id = str(article_id)
        sentence_id = 0
        for paragraph_id, paragraph in enumerate(_paragraphs(str(text))):
            sentences = split(paragraph)
            n = len(sentences)
            if not n:
                continue
            ids.extend([article_id] * n)
            paragraph_ids.extend([paragraph_id] * n)
            sentence_ids.extend(range(sentence_id, sentence_id + n))
            texts.extend(sentences)
            sentence_id += n
    out = pd.DataFrame(
        {
            "article_id": pd.Series(ids, dtype="string"),
            "paragraph_id": pd.Series(paragraph_ids, dtype="int64"),
            "sentence_id": pd.Series(sentence_ids, dtype="int64"),
            "text": pd.Series(texts, dtype="string"),
        }
    )
    return out.sort_values(["article_id", "sentence_id"], kind="stable", ignore_index=True)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


# Punkt decides each candidate break from a short context (the word before the
# period, the period and the next word) with ``text_contains_sentbreak``, a pure
# function of that context string for a given model, and news repeats contexts
# ("said. The") constantly. _paragraph_splitter runs NLTK's own steps
# (``_match_potential_end_contexts``, ``_realign_boundaries``) and remembers each
# context's decision per splitter, so the sentences are Punkt's exactly; tests compare
# them with ``splitter.tokenize``. A splitter whose class changes any of these
# methods is used through its own ``tokenize``.
_PUNKT_METHODS = ("tokenize", "sentences_from_text", "span_tokenize", "_slices_from_text", "text_contains_sentbreak")
_DECISIONS: weakref.WeakKeyDictionary[PunktSentenceTokenizer, dict[str, bool]] = weakref.WeakKeyDictionary()
_DECISIONS_SIZE = 1 << 18  # contexts remembered per splitter (a few tens of MB at most)
_PARAGRAPHS_SIZE = 1 << 15  # paragraphs remembered within one sentences_frame call


def _paragraph_splitter(splitter: PunktSentenceTokenizer) -> Callable[[str], tuple[str, ...]]:
    """A function: paragraph -> its stripped, non-empty sentences, as ``splitter.tokenize`` gives them.

    Repeated paragraphs (syndicated copies) are split once per returned function.
    """
    if _standard_punkt(splitter):
        decisions = _DECISIONS.setdefault(splitter, {})
        tokenize = functools.partial(_punkt_sentences, _unguarded_twin(splitter), decisions)
    else:
        tokenize = splitter.tokenize
    done: dict[str, tuple[str, ...]] = {}

    def split(paragraph: str) -> tuple[str, ...]:
        found = done.get(paragraph)
        if found is None:
            found = tuple(s for s in (s.strip() for s in tokenize(paragraph)) if s)
            if len(done) >= _PARAGRAPHS_SIZE:
                done.clear()
            done[paragraph] = found
        return found

    return split


def _standard_punkt(splitter: object) -> bool:
    """True when ``splitter`` splits with NLTK's own Punkt methods (none overridden)."""
    if not isinstance(splitter, PunktSentenceTokenizer):
        return False
    own = vars(splitter)
    return all(
        getattr(type(splitter), name, None) is getattr(PunktSentenceTokenizer, name) and name not in own
        for name in _PUNKT_METHODS
    )


# NLTK (3.10 and later) runs every regular expression through ``nltk.redos``: the
# third-party ``regex`` engine, called with a 5-second time limit through a Python
# wrapper (``TimedPattern``). The limit guards patterns that callers supply; Punkt's and
# the word tokenizer's are NLTK's own fixed patterns, and on short tokens the wrapper
# and the timer cost two to three times the match itself. _unguarded returns the
# wrapped ``regex`` pattern, so matching runs on the same engine with the same pattern
# (identical results), without the per-call timer. Patterns that are not wrapped (older
# NLTK, plain ``re``) are returned as they are.
def _unguarded(pattern: object) -> object:
    """The compiled pattern inside an ``nltk.redos.TimedPattern`` (``pattern`` itself otherwise)."""
    return getattr(pattern, "_rx", pattern)


class _PunktVars(PunktLanguageVars):
    """NLTK's English Punkt language variables, matched without the per-call time limit."""

    re_boundary_realignment = _unguarded(PunktLanguageVars.re_boundary_realignment)

    def _word_tokenizer_re(self):  # noqa: ANN202 - NLTK's signature
        return _unguarded(super()._word_tokenizer_re())

    def word_tokenize(self, s):  # noqa: ANN001, ANN202 - NLTK's signature
        return self._word_tokenizer_re().findall(s)

    def period_context_re(self):  # noqa: ANN202 - NLTK's signature
        return _unguarded(super().period_context_re())


_NON_PUNCT = _unguarded(punkt._re_non_punct)


class _PunktToken(PunktToken):
    """NLTK's Punkt token, its patterns matched without the per-call time limit."""

    __slots__ = ()
    _RE_ELLIPSIS = _unguarded(PunktToken._RE_ELLIPSIS)
    _RE_NUMERIC = _unguarded(PunktToken._RE_NUMERIC)
    _RE_INITIAL = _unguarded(PunktToken._RE_INITIAL)
    _RE_ALPHA = _unguarded(PunktToken._RE_ALPHA)

    @property
    def is_non_punct(self):  # noqa: ANN202 - NLTK's signature
        return _NON_PUNCT.search(self.type)

    def _get_type(self, tok):  # noqa: ANN001, ANN202 - NLTK's signature
        # A letters-only token holds no digit, so the numeric pattern cannot match it.
        return tok.lower() if tok.isalpha() else self._RE_NUMERIC.sub("##number##", tok.lower())

    if PunktToken._properties == ["parastart", "linestart", "sentbreak", "abbr", "ellipsis"]:

        def __init__(self, tok, **params):  # noqa: ANN001, ANN003 - NLTK's signature
            # PunktToken.__init__ with its property loop unrolled (checked against NLTK's list above).
            self.tok = tok
            self.type = self._get_type(tok)
            self.period_final = tok.endswith(".")
            self.parastart = self.linestart = self.sentbreak = self.abbr = self.ellipsis = None
            for k in params:
                setattr(self, k, params[k])


#: Splitter -> the same model with :class:`_PunktVars` and :class:`_PunktToken`.
_TWINS: weakref.WeakKeyDictionary[PunktSentenceTokenizer, PunktSentenceTokenizer] = weakref.WeakKeyDictionary()


def _unguarded_twin(splitter: PunktSentenceTokenizer) -> PunktSentenceTokenizer:
    """``splitter``'s model matched without NLTK's per-call time limit, when it uses NLTK's default
    language variables and token class (anything else is returned as it is)."""
    if type(splitter._lang_vars) is not PunktLanguageVars or splitter._Token is not PunktToken:
        return splitter
    twin = _TWINS.get(splitter)
    if twin is None:
        twin = PunktSentenceTokenizer(lang_vars=_PunktVars(), token_cls=_PunktToken)
        twin._params = splitter._params
        _TWINS[splitter] = twin
    return twin


def _punkt_sentences(splitter: PunktSentenceTokenizer, decisions: dict[str, bool], text: str) -> list[str]:
    """``splitter.tokenize(text)``, with each context's break decision looked up in ``decisions``.

    With NLTK's English language variables (:class:`_PunktVars`) NLTK's candidate search and
    boundary realignment run as :func:`_end_contexts` and :func:`_realigned_sentences`;
    otherwise (or for a text with a character on which the two regular-expression engines
    disagree about whitespace) as :func:`_punkt_sentences_reference`.
    """
    if type(splitter._lang_vars) is not _PunktVars:
        return _punkt_sentences_reference(splitter, decisions, text)
    only_spaces = True  # no ASCII whitespace but the space (memchr-fast ``in`` tests, not a regex scan)
    if any(map(text.__contains__, _SPECIAL_SPACES)):
        if _HAS_SPACE_MISMATCH.search(text):
            return _punkt_sentences_reference(splitter, decisions, text)
        only_spaces = False
    slices: list[tuple[int, int]] = []
    last_break = 0
    for match, context in _end_contexts(text, only_spaces=only_spaces):
        if _breaks(splitter, decisions, context):
            slices.append((last_break, match.end()))
            last_break = match.start("next_tok") if match.group("next_tok") else match.end()
    slices.append((last_break, len(text.rstrip())))
    return _realigned_sentences(splitter._lang_vars.re_boundary_realignment, text, slices)


def _breaks(splitter: PunktSentenceTokenizer, decisions: dict[str, bool], context: str) -> bool:
    """``splitter.text_contains_sentbreak(context)``, remembered in ``decisions`` (bounded)."""
    brk = decisions.get(context)
    if brk is None:
        brk = splitter.text_contains_sentbreak(context)
        if len(decisions) >= _DECISIONS_SIZE:
            decisions.clear()
        decisions[context] = brk
    return brk


def _punkt_sentences_reference(splitter: PunktSentenceTokenizer, decisions: dict[str, bool], text: str) -> list[str]:
    """:func:`_punkt_sentences` through NLTK's own ``_match_potential_end_contexts`` and ``_realign_boundaries``."""
    slices = []
    last_break = 0
    for match, context in splitter._match_potential_end_contexts(text):
        if _breaks(splitter, decisions, context):
            slices.append(slice(last_break, match.end()))
            last_break = match.start("next_tok") if match.group("next_tok") else match.end()
    slices.append(slice(last_break, len(text.rstrip())))
    return [text[s.start : s.stop] for s in splitter._realign_boundaries(text, iter(slices))]


# NLTK's candidate search (``_match_potential_end_contexts`` with English variables), as
# _end_contexts runs it:
#
# * the same pattern (``period_context_re``) compiled by stdlib ``re`` rather than the
#   ``regex`` module: it uses only character classes, ``\s``/``\S``, a lookahead and
#   groups, on which the two engines agree for a text without :data:`_SPACE_MISMATCH`
#   characters (the caller checks; a test compares the matches);
# * the last whitespace before a candidate (NLTK scans ``string.whitespace`` characters
#   backwards one by one) with ``str.rfind``: of the space alone when the text holds no
#   other ASCII whitespace character, else of each of them.
_PERIOD_CONTEXT = re.compile(_PunktVars().period_context_re().pattern, re.UNICODE | re.VERBOSE)
#: ASCII whitespace other than the space, and the :data:`_SPACE_MISMATCH` characters (a test checks both).
_SPECIAL_SPACES = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


def _end_contexts(text: str, *, only_spaces: bool) -> list[tuple[re.Match[str], str]]:
    """``PunktSentenceTokenizer._match_potential_end_contexts(text)`` for :class:`_PunktVars`, as a list.

    ``only_spaces``: the text holds no ASCII whitespace character but the space.
    """
    out: list[tuple[re.Match[str], str]] = []
    prev_start = prev_stop = 0
    prev_match = None
    for match in _PERIOD_CONTEXT.finditer(text):
        start = match.start()
        if only_spaces:
            last = text.rfind(" ", prev_stop, start)
        else:
            last = max(text.rfind(c, prev_stop, start) for c in string.whitespace)
        # NLTK: the index within text[prev_stop:start], where 0 (found at 0, or not found) means "none".
        word_start = last + 1 if last > prev_stop else prev_start
        if prev_match is not None and prev_stop <= word_start:
            out.append((prev_match, text[prev_start:prev_stop] + prev_match.group() + prev_match.group("after_tok")))
        prev_match, prev_start, prev_stop = match, word_start, start
    if prev_match is not None:
        out.append((prev_match, text[prev_start:prev_stop] + prev_match.group() + prev_match.group("after_tok")))
    return out


#: The characters NLTK's ``re_boundary_realignment`` can start with (a test checks them all).
_REALIGN_FIRST = frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")


def _realigned_sentences(realignment: object, text: str, slices: list[tuple[int, int]]) -> list[str]:
    """NLTK's ``_realign_boundaries`` over (start, stop) slices, returning the sentences.

    The realignment pattern is tried only where the next sentence starts with a character
    it can start with (:data:`_REALIGN_FIRST`); elsewhere it cannot match.
    """
    out: list[str] = []
    realign = 0
    last = len(slices) - 1
    for k, (start, stop) in enumerate(slices):
        start += realign
        if k == last:
            if text[start:stop]:
                out.append(text[start:stop])
            break
        next_start, next_stop = slices[k + 1]
        m = None
        if text[next_start : next_start + 1] in _REALIGN_FIRST:
            m = realignment.match(text[next_start:next_stop])  # type: ignore[attr-defined]
        if m:
            out.append(text[start : next_start + len(m.group(0).rstrip())])
            realign = m.end()
        else:
            realign = 0
            if text[start:stop]:
                out.append(text[start:stop])
    return out


def _training_sample(texts: set[str]) -> list[str]:
    """A deterministic, order-free sample of ``texts`` of at most TRAIN_MAX_CHARS characters."""
    keyed = sorted((hashlib.sha256(t.encode("utf-8")).hexdigest(), t) for t in texts)
    sample: list[str] = []
    size = 0
    for _, text in keyed:
        if size and size + len(text) > TRAIN_MAX_CHARS:
            break
        sample.append(text)
        size += len(text)
    return sample


# Punkt training (``PunktTrainer.train`` -> ``_train_tokens``) makes one ``PunktToken`` per
# word of the training text and asks each its type, case and first-pass annotation. All of
# those are functions of the token's text alone (the first pass also reads the
# abbreviations, which are fixed by then), and news repeats its words. _PunktFastTrainer
# computes the same counts and parameters from the distinct tokens instead:
#
# * words: a line's tokens are the concatenation of its whitespace-separated chunks'
#   tokens (no token of the pattern spans whitespace, and a chunk's end looks to the
#   pattern like the whitespace after it), each chunk tokenised once. A line with a
#   character on which ``str.split`` and the ``regex`` module disagree about whitespace,
#   or with ``.<space>.`` (the spaced ellipsis, the one multi-character token that spans
#   whitespace), is tokenised whole, as NLTK does;
# * type counts, abbreviation reclassification, first pass and sentence-break count:
#   NLTK's own code on one token object per distinct token, weighted by its count;
# * orthographic contexts: a token's context is a function of the previous token's first
#   pass and its own line/paragraph start, and the table ORs flags, so each distinct
#   (context, token) adds its flag once, in order of first occurrence (the same keys in
#   the same order as NLTK's loop);
# * the pair loop: NLTK's predicates once per distinct (period-final token, next token)
#   pair, in order of first occurrence, counts added with the pair's count. The only state
#   the loop reads that it also writes is the abbreviation set, and a rare abbreviation is
#   added only if it is not yet in it, so repeats of a pair change nothing.
#
# Tests compare every count and parameter with NLTK's trainer on hand-made, random,
# generated and real texts. Any other language variables, token class or a subclass that
# changes one of these steps trains through NLTK's own code.
_SPACED_DOTS = re.compile(r"\.\s\.")
_FAST_TRAINER_METHODS = (
    "_tokenize_words", "_train_tokens", "_unique_types", "_annotate_first_pass", "_get_orthography_data",
    "_get_sentbreak_count",
)


class _PunktFastTrainer(PunktTrainer):
    """NLTK's ``PunktTrainer`` (with :class:`_PunktVars`), each distinct token or pair examined once."""

    def train(self, text, verbose=False, finalize=True):  # noqa: ANN001, ANN202 - NLTK's signature
        if verbose or not self._fast_path_applies():
            return super().train(text, verbose, finalize)
        toks, starts = self._words_and_line_starts(text)
        self._train_words(toks, starts)
        if finalize:
            self.finalize_training()
        return None

    def _fast_path_applies(self) -> bool:
        return type(self._lang_vars) is _PunktVars and all(
            getattr(type(self), name) is getattr(PunktTrainer, name) for name in _FAST_TRAINER_METHODS
        )

    def _words_and_line_starts(self, text: str) -> tuple[list[str], list[tuple[int, bool]]]:
        """NLTK's ``_tokenize_words`` as strings: the tokens, and (index, parastart) of each line's first token."""
        findall = self._lang_vars._word_tokenizer_re().findall
        chunks: dict[str, list[str]] = {}
        toks: list[str] = []
        starts: list[tuple[int, bool]] = []
        parastart = False
        for line in text.split("\n"):
            if not line.strip():
                parastart = True
                continue
            if _HAS_SPACE_MISMATCH.search(line) or _SPACED_DOTS.search(line):
                line_toks = findall(line)
            else:
                line_toks = []
                for chunk in line.split():
                    found = chunks.get(chunk)
                    if found is None:
                        found = chunks[chunk] = findall(chunk)
                    line_toks += found
            if not line_toks:
                continue
            starts.append((len(toks), parastart))
            parastart = False
            toks += line_toks
        return toks, starts

    def _train_words(self, toks: list[str], starts: list[tuple[int, bool]]) -> None:
        """NLTK's ``_train_tokens`` on the tokens ``_words_and_line_starts`` gives."""
        self._finalized = False
        params = self._params
        counts = Counter(toks)  # distinct tokens in order of first occurrence
        aug = {tok: self._Token(tok) for tok in counts}
        fdist = self._type_fdist
        for tok, n in counts.items():
            a = aug[tok]
            fdist[a.type] += n
            if a.period_final:
                self._num_period_toks += n
        unique_types = {aug[tok].type for tok in counts}  # built as NLTK builds it: the same iteration order
        for abbr, score, is_add in self._reclassify_abbrev_types(unique_types):
            if score >= self.ABBREV:
                if is_add:
                    params.abbrev_types.add(abbr)
            elif not is_add:
                params.abbrev_types.remove(abbr)
        for a in aug.values():
            self._first_pass_annotation(a)

        # Orthographic contexts.
        after = {tok: _context_after(a) for tok, a in aug.items()}
        contexts = ["internal"]
        contexts += map(after.__getitem__, toks)
        contexts.pop()
        for i, parastart in starts:
            context = contexts[i]
            if parastart and context != "unknown":
                context = "initial"
            if context == "internal":  # every line start is a linestart
                context = "unknown"
            contexts[i] = context
        for context, tok in dict.fromkeys(zip(contexts, toks)):
            a = aug[tok]
            flag = punkt._ORTHO_MAP.get((context, a.first_case), 0)
            if flag:
                params.add_ortho_context(a.type_no_sentperiod, flag)

        self._sentbreak_count += sum(n for tok, n in counts.items() if aug[tok].sentbreak)

        # Pairs whose first token ends in a period.
        period_final = {tok: a.period_final for tok, a in aug.items()}
        pairs = Counter(itertools.compress(zip(toks, itertools.islice(toks, 1, None)), map(period_final.__getitem__, toks)))
        for (tok1, tok2), n in pairs.items():
            a1, a2 = aug[tok1], aug[tok2]
            if self._is_rare_abbrev_type(a1, a2):
                params.abbrev_types.add(a1.type_no_period)
            if self._is_potential_sent_starter(a2, a1):
                self._sent_starter_fdist[a2.type] += n
            if self._is_potential_collocation(a1, a2):
                self._collocation_fdist[(a1.type_no_period, a2.type_no_sentperiod)] += n


def _context_after(aug_tok: PunktToken) -> str:
    """The orthographic context of the token after ``aug_tok`` (NLTK's ``_get_orthography_data``)."""
    if aug_tok.sentbreak:
        return "unknown" if aug_tok.is_number or aug_tok.is_initial else "initial"
    if aug_tok.ellipsis or aug_tok.abbr:
        return "unknown"
    return "internal"


def _seeded_parameters() -> PunktParameters:
    params = PunktParameters()
    params.abbrev_types = set(_ABBREV_TYPES)
    return params


def _train_punkt(corpus: Sequence[str]) -> PunktSentenceTokenizer:
    trainer = _PunktFastTrainer(lang_vars=_PunktVars(), token_cls=_PunktToken)
    trainer._params = _seeded_parameters()  # PunktTrainer has no public way to seed abbreviations
    if corpus:
        trainer.train("\n\n".join(corpus), finalize=True)
    params = trainer.get_params()
    params.abbrev_types |= _ABBREV_TYPES  # training may drop a seed that also occurs as a word ("no")
    return PunktSentenceTokenizer(params)


@lru_cache(maxsize=8)
def _pretrained_punkt(data_path: tuple[str, ...]) -> PunktTokenizer | None:
    """NLTK's English ``punkt_tab`` model if installed on ``data_path``, else None."""
    if not _nltk_resource("tokenizers/punkt_tab/english/", data_path):
        return None
    try:
        return PunktTokenizer("english")
    except (LookupError, OSError, ValueError):
        return None


def _nltk_resource(name: str, data_path: tuple[str, ...]) -> str | None:
    """Where NLTK finds resource ``name`` on ``data_path``, or None (never downloads)."""
    try:
        return str(nltk.data.find(name, paths=list(data_path)))
    except (LookupError, OSError, ValueError):
        return None


# --------------------------------------------------------------------------- tokens


def tokenize(sentence: str) -> list[str]:
    """Split one sentence into case-folded word and punctuation tokens.

    Uses NLTK's ``NLTKWordTokenizer`` (no data needed) on a single sentence: over a
    whole body it leaves trailing periods on words, so split into sentences first.
    Curly apostrophes inside words become straight ones, so ``Trump’s`` gives
    ``trump``, ``'s`` exactly like ``Trump's``. An abbreviation ending the sentence
    keeps its period (``in the U.S.`` gives ``u.s.``, not ``u.s`` and ``.``).

    Parameters
    ----------
    sentence:
        One sentence of text.

    Returns
    -------
    list of str
        Tokens in order, case-folded.

    Examples
    --------
    >>> tokenize("Trump’s aides didn’t leave the U.S.")
    ['trump', "'s", 'aides', 'did', "n't", 'leave', 'the', 'u.s.']
    """
    if not isinstance(sentence, str):
        raise ParameterError(f"tokenize expects one sentence as a str, got {type(sentence).__name__}")
    tokens = _nltk_word_tokenize(_CURLY_APOSTROPHE.sub("'", sentence))
    if len(tokens) >= 2 and tokens[-1] == "." and _is_abbreviation(tokens[-2]):
        tokens = tokens[:-2] + [tokens[-2] + "."]
    return [t.casefold() for t in tokens]


def word_tokens(sentence: str) -> list[str]:
    """The word tokens of one sentence: :func:`tokenize` keeping tokens with a letter or digit.

    Punctuation and symbols are dropped, and so are the clitics the tokenizer splits
    off (``'s``, ``n't``, ``'re``, ``'ll``, ``'ve``, ``'d``, ``'m``): ``Trump’s`` counts
    as ``trump``.

    Parameters
    ----------
    sentence:
        One sentence of text.

    Returns
    -------
    list of str
        Case-folded word tokens in order.

    Examples
    --------
    >>> word_tokens("KYIV, Ukraine (AP) — Trump’s team paid $5 million.")
    ['kyiv', 'ukraine', 'ap', 'trump', 'team', 'paid', '5', 'million']
    """
    if not isinstance(sentence, str):
        raise ParameterError(f"word_tokens expects one sentence as a str, got {type(sentence).__name__}")
    return list(_word_token_tuple(sentence))


@lru_cache(maxsize=1 << 15)
def _word_token_tuple(sentence: str) -> tuple[str, ...]:
    """:func:`word_tokens` as a tuple, remembered for recent sentences (news repeats them).

    Sentences in the fast class (see the comment above :func:`_fast_nltk_tokens`) are
    tokenized without NLTK's regular expressions; the result is the same tuple.
    """
    if isinstance(sentence, str):
        text = sentence if _no_curly_apostrophe(sentence) else _CURLY_APOSTROPHE.sub("'", sentence)
        tokens = _fast_nltk_tokens(text)
        if tokens is not None:
            if len(tokens) >= 2 and tokens[-1] == "." and _is_abbreviation(tokens[-2]):
                tokens = tokens[:-2] + [tokens[-2] + "."]
            return tuple(filter(None, map(_WORD_OF.__getitem__, tokens)))
    return _word_token_tuple_slow(sentence)


def _word_token_tuple_slow(sentence: str) -> tuple[str, ...]:
    """The reference definition of :func:`_word_token_tuple` (every sentence through NLTK's patterns)."""
    return tuple(t for t in tokenize(sentence) if _is_word(t))


def _no_curly_apostrophe(text: str) -> bool:
    """True when ``text`` has no character that :data:`_CURLY_APOSTROPHE` could replace."""
    return "\u2019" not in text and "\u02bc" not in text


# The fast path for NLTKWordTokenizer. _fast_nltk_tokens(text) returns exactly
# ``_nltk_word_tokenize(text)`` (NLTK's full token list) for texts in a fast class, and
# None for any other text (which then takes the regular path). The fast class: every
# character is an ASCII letter or digit, a space, one of ``, : . -``, an apostrophe
# with an ASCII letter on both sides, or a separator ``“ ” ( ) — – ? ! ; $ %``;
# no comma or colon is directly followed by a comma or colon; a text chunk holds at
# most one apostrophe; and the lower-cased text contains none of NLTK's CONTRACTIONS2
# words (cannot, d'ye, gimme, gonna, gotta, lemme, more'n, wanna).
#
# Why the tokens are NLTK's, pattern by pattern (NLTKWordTokenizer.tokenize):
#
# * Separators. Each separator is padded with spaces by exactly one pattern (“ by the
#   first STARTING_QUOTES pattern, ; $ % by ``[;@#$%&]``, — – by the dash pattern,
#   ? ! by ``[?!]``, ( ) by PARENS_BRACKETS, ” by the first ENDING_QUOTES pattern), so
#   each ends as a token of its own. No other pattern can match at one, except as a
#   non-digit in ``([:,])([^\d])`` (where a space does the same) and in the tail
#   class of the final-period patterns, which holds ``”`` and ``)`` (and spaces) but
#   none of the others (``_P1_TAIL``). Everything else about them is what a space
#   does, so the text is cut into chunks at spaces and separators and each chunk is
#   tokenized on its own (``_chunk_tokens``): no pattern below matches across a
#   chunk's ends.
# * The final period: ``([^\.])(\.)([\]\)}>"\'»”’ ]*+)\s*$`` matches at most the last
#   period of the text, when only ``” )`` and spaces follow it and the character
#   before it is not a period; it becomes a token. That is the last chunk that is
#   not ``”`` or ``)``, when it ends in exactly one period. (With nothing at all
#   before the period, NLTK leaves it alone, but the token is ``.`` either way.)
#   The second final-period pattern then changes whitespace only.
# * ``([:,])([^\d])`` and ``([:,])$``: a comma or colon not followed by an ASCII digit
#   (in the chunk) becomes a token; one followed by a digit stays (``1,000``,
#   ``10:30``). With no ``,,`` ``,:`` ``:,`` ``::`` the matches never compete.
# * ``\.{2,}`` and ``--``: runs of periods become tokens; ``--`` splits off pairs of
#   dashes left to right (``str.replace`` scans like ``re.sub``). Single periods and
#   hyphens inside a chunk stay (``U.S``, ``3.5``, ``well-known``).
# * Apostrophes. An apostrophe with letters on both sides never matches the
#   STARTING_QUOTES pattern ``(?<!\w)'``, ``([^'])' `` nor CONTRACTIONS3 (they need a
#   space or a non-word character beside it), and no pattern puts a space next to
#   it. The clitic patterns ``([^' ])('[sS]|'[mM]|'[dD]|') `` then
#   ``([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) `` split a clitic off the end of a
#   token that has a character before it (``_split_clitic``); with one apostrophe a
#   token has at most one clitic.
# * CONTRACTIONS2 need one of their words in the text: the fast class excludes them.
#   The text is ASCII apart from separators, so ``str.lower`` finds what ``(?i)``
#   would. No other pattern can match a text of the class (it has no ``"``, ``''``,
#   backquote, ``*``, brackets other than parentheses, ``&@#``, non-ASCII letters,
#   or whitespace other than spaces).
#
# Tests compare _fast_nltk_tokens with _nltk_word_tokenize and _word_token_tuple with
# _word_token_tuple_slow on hand-made cases for every rule, random texts over the
# class's alphabet, and generated and real corpora.
_FAST_SEPARATORS = "“”()\u2014\u2013?!;$%"
_P1_TAIL = frozenset("”)")
_NOT_FAST_CHAR = re.compile(r"[^A-Za-z0-9 ,:.'\-" + _FAST_SEPARATORS + r"]")
_LONE_APOSTROPHE = re.compile(r"(?<![A-Za-z])'|'(?![A-Za-z])")
_CONTRACTION_WORDS = ("cannot", "d'ye", "gimme", "gonna", "gotta", "lemme", "more'n", "wanna")
# Every CONTRACTION_WORD holds one of these (a cheap first test).
_CONTRACTION_HINTS = ("nno", "mme", "nna", "tta", "'")
_CLITICS_1 = ("'s", "'S", "'m", "'M", "'d", "'D")
_CLITICS_2 = ("'ll", "'LL", "'re", "'RE", "'ve", "'VE", "n't", "N'T")
_COMMA_OR_COLON = re.compile(r"[:,](?![0-9])")
_PERIODS = re.compile(r"\.{2,}")
_CACHE_SIZE = 1 << 16
#: Chunk -> its NLTK tokens (a separator is a chunk whose token is itself).
_CHUNK_TOKENS: dict[str, list[str]] = {}


def _word_of(token: str) -> str:
    """The token case-folded when that is a word token (:func:`_is_word`), else ""."""
    folded = token.casefold()
    return folded if _is_word(folded) else ""


_WORD_OF = Memo(_word_of, limit=_CACHE_SIZE)


def _fast_nltk_tokens(text: str) -> list[str] | None:
    """``_nltk_word_tokenize(text)`` for a text in the fast class, else None."""
    if _NOT_FAST_CHAR.search(text):
        return None
    if ",," in text or ",:" in text or ":," in text or "::" in text:
        return None
    if "'" in text and _LONE_APOSTROPHE.search(text):
        return None
    lowered = text.lower()
    for hint in _CONTRACTION_HINTS:
        if hint in lowered:
            if any(word in lowered for word in _CONTRACTION_WORDS):
                return None
            break
    for separator in _FAST_SEPARATORS:
        if separator in text:
            text = text.replace(separator, f" {separator} ")
    chunks = text.split()
    last = len(chunks) - 1
    while last >= 0 and chunks[last] in _P1_TAIL:
        last -= 1
    if last >= 0 and chunks[last][-1] == "." and not chunks[last].endswith(".."):
        chunks[last : last + 1] = (chunks[last][:-1], ".")  # the final period
    out: list[str] = []
    cache = _CHUNK_TOKENS
    for chunk in chunks:
        found = cache.get(chunk)
        if found is None:
            found = _chunk_tokens(chunk)
            if found is None:
                return None
            if len(cache) >= _CACHE_SIZE:
                cache.clear()
            cache[chunk] = found
        out += found
    return out


def _chunk_tokens(chunk: str) -> list[str] | None:
    """NLTK's tokens of one chunk of the fast class (None if it has two apostrophes)."""
    if len(chunk) == 1 and chunk in _FAST_SEPARATORS:
        return [chunk]
    if chunk.count("'") > 1:
        return None
    spaced = _COMMA_OR_COLON.sub(r" \g<0> ", chunk)
    if ".." in spaced:
        spaced = _PERIODS.sub(r" \g<0> ", spaced)
    if "--" in spaced:
        spaced = spaced.replace("--", " -- ")
    tokens = spaced.split()
    if "'" in chunk:
        tokens = [part for token in tokens for part in _split_clitic(token)]
    return tokens


def _split_clitic(token: str) -> tuple[str, ...]:
    """``token`` with a final clitic split off as NLTK's ENDING_QUOTES patterns do."""
    if len(token) > 2 and token.endswith(_CLITICS_1) and token[-3] not in "' ":
        return token[:-2], token[-2:]
    if len(token) > 3 and token.endswith(_CLITICS_2) and token[-4] not in "' ":
        return token[:-3], token[-3:]
    return (token,)


# NLTKWordTokenizer.tokenize runs about 26 regular-expression substitutions on every
# sentence, most of which cannot match: a typical sentence has no quotes, brackets,
# dashes or ``;@#$%&?!*``. _nltk_word_tokenize runs NLTK's own patterns, with NLTK's
# replacements, in NLTK's order, but
#
# * skips a substitution when the text (as it stands at that step) lacks every string
#   the pattern needs in any match (a skipped substitution could not have matched);
# * runs the patterns anchored at the end of the text (``...\s*$``) on the end of the
#   text only: the shortest tail that holds every possible match;
# * collapses whitespace (``\s+`` -> `` ``) with ``str.split`` when the text has no
#   character on which stdlib and the ``regex`` module NLTK uses disagree about
#   whitespace (:data:`_SPACE_MISMATCH`).
#
# So the tokens are NLTK's exactly; tests check this on hand-made cases, random texts
# and generated and real corpora. A pattern not listed here always runs, so a newer
# NLTK stays correct (only slower).
_NEEDS: dict[str, tuple[str, ...]] = {
    # STARTING_QUOTES
    "([«“‘„]|[`]+)": ("«", "“", "‘", "„", "`"),
    '^\\"': ('"',),
    "(``)": ("``",),
    "([ \\(\\[{<])(\\\"|\\'{2})": ('"', "''"),
    "(?i)(?<!\\w)(\\')(?!(?:re|ve|ll|m|t|s|d|n)\\b)(?=\\w)": ("'",),
    # PUNCTUATION
    "([:,])([^\\d])": (":", ","),
    "\\.{2,}": ("..",),
    "[;@#$%&]": (";", "@", "#", "$", "%", "&"),
    "[\\u2012-\\u2015]": ("\u2012", "\u2013", "\u2014", "\u2015"),
    "[?!]": ("?", "!"),
    "([^'])' ": ("' ",),
    "[*]": ("*",),
    # PARENS_BRACKETS, DOUBLE_DASHES
    "[\\]\\[\\(\\)\\{\\}\\<\\>]": ("]", "[", "(", ")", "{", "}", "<", ">"),
    "--": ("--",),
    # ENDING_QUOTES
    "([»”’])": ("»", "”", "’"),
    "''": ("''",),
    '"': ('"',),
    "([^' ])('[sS]|'[mM]|'[dD]|') ": ("' ", "'s ", "'S ", "'m ", "'M ", "'d ", "'D "),
    "([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ": ("'ll ", "'LL ", "'re ", "'RE ", "'ve ", "'VE ", "n't ", "N'T "),
    # CONTRACTIONS3 (they ignore case, but a space and an apostrophe have no other case)
    "(?i) ('t)(?#X)(is)\\b": (" '",),
    "(?i) ('t)(?#X)(was)\\b": (" '",),
}
# CONTRACTIONS2 ignore case: the pattern's letters, lower-cased, must appear in the
# lower-cased text, unless the text has a character that the ``regex`` module matches
# to an ASCII letter while ``str.lower`` does not map it to that letter
# (:data:`_CASE_TRAPS`, e.g. the Kelvin sign matches ``k``): then they always run.
_NEEDS_FOLDED: dict[str, str] = {
    "(?i)\\b(can)(?#X)(not)\\b": "cannot",
    "(?i)\\b(d)(?#X)('ye)\\b": "d'ye",
    "(?i)\\b(gim)(?#X)(me)\\b": "gimme",
    "(?i)\\b(gon)(?#X)(na)\\b": "gonna",
    "(?i)\\b(got)(?#X)(ta)\\b": "gotta",
    "(?i)\\b(lem)(?#X)(me)\\b": "lemme",
    "(?i)\\b(more)(?#X)('n)\\b": "more'n",
    "(?i)\\b(wan)(?#X)(na)(?=\\s)": "wanna",
}
#: Every character that stdlib (``str.isspace``) or the ``regex`` module (``\s``)
#: counts as whitespace; a test checks it against both.
_ALL_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: Characters that are whitespace for ``str.isspace`` but not for the ``regex`` module's
#: ``\s`` (or the reverse); a test checks it.
_SPACE_MISMATCH = frozenset("\x1c\x1d\x1e\x1f")
_HAS_SPACE_MISMATCH = re.compile("[" + "".join(sorted(_SPACE_MISMATCH)) + "]")
#: Non-ASCII characters that the ``regex`` module matches to an ASCII letter when
#: ignoring case (İ, ſ, the Kelvin sign); a test checks it.
_CASE_TRAPS = frozenset("\u0130\u017f\u212a")
_HAS_CASE_TRAP = re.compile("[" + "".join(sorted(_CASE_TRAPS)) + "]")
# Patterns anchored at the end of the text: (characters that may follow the core of a
# match, strings one of which the tail must hold). A match ends with a run of those
# characters, so it starts within 2 characters of where that run begins.
_TAIL: dict[str, tuple[str, tuple[str, ...]]] = {
    "([^\\.])(\\.)([\\]\\)}>\"\\'»”’ ]*+)\\s*$": ("]})>\"'»”’" + _ALL_SPACES, (".",)),
    "([^\\.])(\\.)([\\]\\)}>\"\\']*)\\s*$": ("]})>\"'" + _ALL_SPACES, (".",)),
    "([:,])$": (_ALL_SPACES, (":", ",")),
}

# A step is (pattern, replacement, kind, data); kinds: "needs" (data: strings, one of
# which must be in the text), "folded" (data: a lower-case string), "tail" (data: as in
# _TAIL), "spaces" (``\s+`` -> " ") and "always".
_Step = tuple[object, str, str, object]


def _steps(rules: Iterable[tuple[object, str]]) -> list[_Step]:
    """(pattern, replacement, kind, data) for each rule."""
    out: list[_Step] = []
    for guarded, replacement in rules:
        pattern = _unguarded(guarded)
        text = getattr(pattern, "pattern", None)
        if text in _NEEDS_FOLDED:
            out.append((pattern, replacement, "folded", _NEEDS_FOLDED[text]))
        elif text in _NEEDS:
            out.append((pattern, replacement, "needs", _NEEDS[text]))
        elif text in _TAIL:
            out.append((pattern, replacement, "tail", _TAIL[text]))
        elif text == r"\s+" and replacement == " ":
            out.append((pattern, replacement, "spaces", None))
        else:
            out.append((pattern, replacement, "always", None))
    return out


_T = NLTKWordTokenizer
_BEFORE_PADDING = _steps([*_T.STARTING_QUOTES, *_T.PUNCTUATION, _T.PARENS_BRACKETS, _T.DOUBLE_DASHES])
_AFTER_PADDING = _steps(
    [
        *_T.ENDING_QUOTES,
        *((p, r" \1 \2 ") for p in _T.CONTRACTIONS2),
        *((p, r" \1 \2 ") for p in _T.CONTRACTIONS3),
    ]
)


def _nltk_word_tokenize(text: str) -> list[str]:
    """``NLTKWordTokenizer().tokenize(text)``, exactly, skipping substitutions that cannot match."""
    text = _apply(_BEFORE_PADDING, text)
    return _apply(_AFTER_PADDING, " " + text + " ").split()


def _apply(steps: list[_Step], text: str) -> str:
    lowered: str | None = None  # text.lower() when the folded gates may use it, "" when they may not
    for pattern, replacement, kind, data in steps:
        if kind == "needs":
            for need in data:  # type: ignore[union-attr]
                if need in text:
                    break
            else:
                continue
            new = pattern.sub(replacement, text)  # type: ignore[attr-defined]
        elif kind == "tail":
            follow, needs = data  # type: ignore[misc]
            cut = max(0, len(text.rstrip(follow)) - 2)
            tail = text[cut:]
            if not any(need in tail for need in needs):
                continue
            new = text[:cut] + pattern.sub(replacement, tail)  # type: ignore[attr-defined]
        elif kind == "spaces":
            if not _HAS_SPACE_MISMATCH.search(text):
                new = _collapse_spaces(text)
            else:
                new = pattern.sub(replacement, text)  # type: ignore[attr-defined]
        elif kind == "folded":
            if lowered is None:
                lowered = text.lower() if text.isascii() or not _HAS_CASE_TRAP.search(text) else ""
            if lowered and data not in lowered:
                continue
            new = pattern.sub(replacement, text)  # type: ignore[attr-defined]
        else:
            new = pattern.sub(replacement, text)  # type: ignore[attr-defined]
        if new != text:
            text, lowered = new, None
    return text


def _collapse_spaces(text: str) -> str:
    """``re.sub(r"\\s+", " ", text)`` for a text without :data:`_SPACE_MISMATCH` characters."""
    words = text.split()
    if not words:
        return " " if text else text
    return (" " if text[0].isspace() else "") + " ".join(words) + (" " if text[-1].isspace() else "")


@lru_cache(maxsize=1 << 17)
def _is_word(token: str) -> bool:
    """A token with a letter or digit that is not a clitic (cached: vocabularies repeat)."""
    return _has_alnum(token) and not _CLITIC.match(token)


def _has_alnum(token: str) -> bool:
    return any(c.isalnum() for c in token)


def _is_abbreviation(token: str) -> bool:
    """Dotted letters such as ``U.S`` or ``a.m`` (whose final period the tokenizer split off)."""
    parts = token.split(".")
    return len(parts) > 1 and all(p.isalpha() and len(p) <= 2 for p in parts)


# --------------------------------------------------------------------------- stopwords, stems


def stopwords() -> frozenset[str]:
    """English stopwords, case-folded: NLTK's list when installed, else the bundled list.

    NLTK's ``stopwords`` corpus is used when it is found on ``nltk.data.path``
    (179 words). Otherwise the list shipped in ``mediawork/data/stopwords_en.txt``
    (English function words compiled for mediawork, plus tokenizer clitics).

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> "the" in stopwords() and "president" not in stopwords()
    True
    """
    return _stopwords(tuple(nltk.data.path))[1]


@lru_cache(maxsize=8)
def _stopwords(data_path: tuple[str, ...]) -> tuple[str, frozenset[str]]:
    """(origin, words) for the stopwords found with ``data_path``."""
    found = _nltk_resource("corpora/stopwords/english", data_path)
    if found is not None:
        try:
            raw = nltk.data.find("corpora/stopwords/english", paths=list(data_path)).open().read()
            words = frozenset(w.strip().casefold() for w in raw.decode("utf-8").splitlines() if w.strip())
            if words:
                return "nltk", words
        except (LookupError, OSError, UnicodeDecodeError):
            pass
    return "bundled", _bundled_stopwords()


@lru_cache(maxsize=1)
def _bundled_stopwords() -> frozenset[str]:
    try:
        lines = _BUNDLED_STOPWORDS.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(
            f"the bundled stopword list is missing at {_BUNDLED_STOPWORDS} ({exc}); "
            "reinstall mediawork (pip install -e .) so its package data is present"
        ) from None
    return frozenset(w.strip().casefold() for w in lines if w.strip() and not w.startswith("#"))


def stem(tokens: Iterable[str], *, language: str = "english") -> list[str]:
    """Stem tokens with NLTK's Snowball stemmer (needs no data).

    Parameters
    ----------
    tokens:
        Tokens, e.g. from :func:`word_tokens`.
    language:
        A Snowball language name (``english``, ``german``, ``french``...).

    Returns
    -------
    list of str
        One stem per token, in order.

    Examples
    --------
    >>> stem(["talks", "elections", "running"])
    ['talk', 'elect', 'run']
    """
    stemmer = _stemmer(language)
    return [stemmer(t) for t in tokens]


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Callable[[str], str]:
    if language not in SnowballStemmer.languages:
        raise ParameterError(
            f"stem got language={language!r}; expected one of {', '.join(SnowballStemmer.languages)}"
        )
    return lru_cache(maxsize=200_000)(SnowballStemmer(language).stem)


# --------------------------------------------------------------------------- resources


_RESOURCES: dict[str, Callable[[], str]] = {}


def register_resource(name: str, describe: Callable[[], str]) -> None:
    """Add (or replace) an entry of :func:`resources`.

    Parameters
    ----------
    name:
        The key reports print, e.g. ``"vader_lexicon"``.
    describe:
        Called each time :func:`resources` is, returns a short description of what is
        in use (e.g. ``"nltk (7,502 entries)"``).

    Examples
    --------
    >>> register_resource("demo", lambda: "nothing")
    >>> resources()["demo"]
    'nothing'
    >>> _ = _RESOURCES.pop("demo")
    """
    if not callable(describe):
        raise ParameterError(f"register_resource needs a callable describing {name!r}, got {type(describe).__name__}")
    _RESOURCES[name] = describe


def resources() -> dict[str, str]:
    """Which language resources are in use, for reports to print.

    Returns
    -------
    dict of str to str
        Sorted by key. Built in: ``sentences``, ``tokens`` and ``stopwords``; other
        modules add theirs with :func:`register_resource`.

    Examples
    --------
    >>> sorted(resources())[:3]
    ['sentences', 'stopwords', 'tokens']
    """
    return {name: _RESOURCES[name]() for name in sorted(_RESOURCES)}


def _describe_sentences() -> str:
    found = _nltk_resource("tokenizers/punkt_tab/english/", tuple(nltk.data.path))
    if found is not None and _pretrained_punkt(tuple(nltk.data.path)) is not None:
        return f"punkt_tab (pretrained, {found})"
    return "punkt (trained on corpus)"


def _describe_stopwords() -> str:
    origin, words = _stopwords(tuple(nltk.data.path))
    return f"{origin} ({len(words)} words)"


register_resource("sentences", _describe_sentences)
register_resource("tokens", lambda: "NLTKWordTokenizer (no data needed)")
register_resource("stopwords", _describe_stopwords)
