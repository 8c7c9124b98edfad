"""Term frequency: counts, TF-IDF, collocations, keyness, trends and keyword in context.

Everything starts from the sentences table (:func:`mediawork.text.sentences_frame`).
:func:`count_terms` turns it into the tidy *terms* table, one row per article and
term, which the other functions summarise. Definitions used throughout:

* **word token**: a token of :func:`mediawork.text.word_tokens` (case-folded, with a
  letter or digit; punctuation and clitics such as ``'s`` dropped).
* **content token**: a word token that contains a letter and is not a stopword.
* **unigram** (``n == 1``): a content token.
* **n-gram** (``n >= 2``): ``n`` consecutive word tokens of one sentence whose first and
  last tokens are content tokens (the inner ones may be stopwords or numbers:
  ``secretary of state``). N-grams never cross a sentence boundary.
* **tokens** of a group of articles: the sum of its unigram counts, i.e. content
  tokens, stopwords excluded. Relative frequencies are per 10,000 such tokens.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from itertools import chain
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from mediawork import text as _text
from mediawork.checks import require_columns
from mediawork.errors import DataError, ParameterError
from mediawork.memo import Memo

__all__ = [
    "TERM_COLUMNS",
    "count_terms",
    "count_terms_arrow",
    "term_frequency",
    "tfidf",
    "collocations",
    "keyness",
    "term_trends",
    "kwic",
]

#: Columns of the terms table :func:`count_terms` returns, in order.
TERM_COLUMNS: tuple[str, ...] = ("article_id", "term", "n", "count")

PER = 10_000


# --------------------------------------------------------------------------- counting


def count_terms(
    sentences: pd.DataFrame,
    *,
    ngram_range: tuple[int, int] = (1, 3),
    stopwords: Collection[str] | None = None,
    stem: bool = False,
) -> pd.DataFrame:
    """Count unigrams and n-grams per article.

    Each sentence is split into word tokens (:func:`mediawork.text.word_tokens`).
    A **unigram** is a content token: it has a letter and is not a stopword. An
    **n-gram** (``n >= 2``) is ``n`` consecutive word tokens of one sentence whose
    first and last tokens are content tokens; inner tokens may be anything
    (``secretary of state`` counts, ``of the state`` does not). Stopwords are
    checked before stemming; with ``stem=True`` every token of a term is then
    replaced by its Snowball stem. Terms are the tokens joined by one space.

    Parameters
    ----------
    sentences:
        A table with ``article_id`` and ``text`` (one sentence per row), such as
        :func:`mediawork.text.sentences_frame` returns. Not modified.
    ngram_range:
        Smallest and largest ``n`` to count, inclusive; ``(1, 1)`` for words only.
    stopwords:
        Words to exclude (case-folded before use); default
        :func:`mediawork.text.stopwords`. Pass ``()`` to keep every word.
    stem:
        Stem terms with :func:`mediawork.text.stem`.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id``, ``term``, ``n`` (tokens in the term) and ``count``
        (occurrences in the article); sorted by ``article_id``, ``n``, ``term``.

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": ["a"], "text": ["The Secretary of State met the press."]})
    >>> count_terms(s, ngram_range=(1, 1))["term"].tolist()
    ['met', 'press', 'secretary', 'state']
    >>> count_terms(s, ngram_range=(3, 3))["term"].tolist()
    ['met the press', 'secretary of state']
    """
    ids, term_texts, orders, counts = _term_columns(sentences, ngram_range=ngram_range, stopwords=stopwords, stem=stem)
    return pd.DataFrame(
        {
            "article_id": pd.Series(pd.array(ids, dtype="string")),
            "term": pd.Series(pd.array(term_texts, dtype="string")),
            "n": pd.Series(orders.astype("int64", copy=False)),
            "count": pd.Series(counts.astype("int64", copy=False)),
        }
    )


def count_terms_arrow(
    sentences: pd.DataFrame,
    *,
    ngram_range: tuple[int, int] = (1, 3),
    stopwords: Collection[str] | None = None,
    stem: bool = False,
) -> pa.Table:
    """:func:`count_terms` as an Arrow table typed like ``terms.parquet`` (``n`` int8, ``count`` int32).

    The same rows in the same order as :func:`count_terms`, built without a pandas
    round trip: what ``mediawork analyze`` stores, and cheap to send between processes.

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": ["a"], "text": ["Voters voted."]})
    >>> count_terms_arrow(s, ngram_range=(1, 1)).to_pylist()
    [{'article_id': 'a', 'term': 'voted', 'n': 1, 'count': 1}, {'article_id': 'a', 'term': 'voters', 'n': 1, 'count': 1}]
    """
    ids, term_texts, orders, counts = _term_columns(sentences, ngram_range=ngram_range, stopwords=stopwords, stem=stem)
    return pa.table(
        {
            "article_id": ids.cast(pa.string()),
            "term": term_texts.cast(pa.string()),
            "n": pa.array(orders.astype("int8", copy=False)),
            "count": pa.array(counts.astype("int32", copy=False)),
        }
    )


def _term_columns(
    sentences: pd.DataFrame, *, ngram_range: tuple[int, int], stopwords: Collection[str] | None, stem: bool
) -> tuple[pa.Array, pa.Array, np.ndarray, np.ndarray]:
    """(article ids, terms, orders, counts) of :func:`count_terms`'s rows, in its order.

    Each distinct sentence is tokenised once (syndicated copies repeat many, also
    across the batches of one process: see :class:`_TermCoder`) and its terms are
    coded as integers. Every occurrence then becomes one 64-bit key ``(article rank,
    order, term rank)``, ranks taken in sorted order, so one ``np.unique`` over the
    keys counts the terms and sorts the rows by article id, ``n`` and term at once;
    id and term strings are gathered by Arrow at the end, with no Python string built
    per row. Python handles each distinct sentence once (:func:`_rows`); numpy gathers
    every row's keys from its sentence's entries.
    """
    require_columns(sentences, ("article_id", "text"), what="the sentences frame", hint="build it with mediawork.text.sentences_frame")
    low, high = _ngram_range(ngram_range)
    coder = _TermCoder.current(low, high, _stopword_set(stopwords), stem)
    ids, row_articles, texts, row_sentences = _rows(sentences)
    empty = (pa.array([], type=pa.large_string()), pa.array([], type=pa.large_string()), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
    if not len(row_articles):
        return empty
    # Entries (code * orders + order index) of every distinct sentence, end to end.
    orders = high - low + 1
    coded = list(map(coder.sentences.get, texts))
    new = [t for t, found in zip(texts, coded, strict=True) if found is None]
    if new:
        fresh = iter(coder.code_many(new))
        coded = [found if found is not None else next(fresh) for found in coded]
    lengths = np.fromiter(map(len, coded), dtype=np.int64, count=len(coded))
    term_codes, order_index = np.divmod(np.concatenate(coded), orders)
    seen = np.zeros(len(coder.terms), dtype=bool)
    seen[term_codes] = True
    used = np.flatnonzero(seen)  # the codes of this call's terms, ascending, as np.unique gives them
    if not len(used):
        return empty
    terms = coder.terms
    words = pa.array([terms[c] for c in used.tolist()], type=pa.large_string())  # the terms of this call, by code
    # Arrow sorts strings by their UTF-8 bytes, which is code-point order: Python's str order
    by_word = pc.sort_indices(words).to_numpy()
    code_rank = np.empty(len(terms), dtype=np.int64)
    code_rank[used[by_word]] = np.arange(len(words))
    sentence_keys = order_index * len(words) + code_rank[term_codes]  # (order, term rank) of every entry
    # Article ranks in sorted id order, over the articles that have rows.
    present = np.flatnonzero(np.bincount(row_articles, minlength=len(ids))).tolist()
    present.sort(key=ids.__getitem__)
    article_ids = [ids[i] for i in present]
    article_rank = np.zeros(len(ids), dtype=np.int64)
    article_rank[present] = np.arange(len(present))
    # Each row takes its sentence's entries: a gather of consecutive runs.
    row_lengths = lengths[row_sentences]
    starts = np.cumsum(lengths) - lengths  # where each distinct sentence's entries begin
    row_starts = np.cumsum(row_lengths) - row_lengths  # where each row's keys begin
    gather = np.repeat(starts[row_sentences] - row_starts, row_lengths) + np.arange(int(row_lengths.sum()))
    keys = np.repeat(article_rank[row_articles] * (orders * len(words)), row_lengths) + sentence_keys[gather]
    key, counts = np.unique(keys, return_counts=True)
    group, rank = np.divmod(key, len(words))
    article, order = np.divmod(group, orders)
    out_ids = pa.array(article_ids, type=pa.large_string()).take(pa.array(article))
    return out_ids, words.take(pa.array(by_word[rank])), order + low, counts.astype(np.int64, copy=False)


def _rows(sentences: pd.DataFrame) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """(distinct article ids, each row's index into them, distinct texts, each row's index into them).

    Only the rows that count are kept: a text that is missing, not a string, empty or
    all whitespace has nothing left after ``strip()`` and gives no row. Ids are
    ``str(article_id)``. Arrow-backed string columns without missing values (what
    :func:`mediawork.text.sentences_frame` gives) are dictionary-encoded by Arrow, equal
    strings getting one index as in a dictionary; any other frame goes row by row.
    """
    id_array, text_array = _plain_strings(sentences["article_id"]), _plain_strings(sentences["text"])
    if id_array is None or text_array is None:
        return _rows_python(sentences)
    id_codes = pc.dictionary_encode(id_array)
    text_codes = pc.dictionary_encode(text_array)
    texts = text_codes.dictionary.to_pylist()
    counts = np.fromiter((bool(t) and not t.isspace() for t in texts), dtype=bool, count=len(texts))
    row_texts = text_codes.indices.to_numpy().astype(np.int64)
    keep = counts[row_texts]
    row_ids = id_codes.indices.to_numpy().astype(np.int64)
    if not keep.all():
        row_ids, row_texts = row_ids[keep], row_texts[keep]
    return id_codes.dictionary.to_pylist(), row_ids, texts, row_texts


def _plain_strings(column: pd.Series) -> pa.Array | None:
    """The column as one Arrow string array when it is Arrow-backed strings with no missing value, else None."""
    dtype = column.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    array = pa.array(column.array)  # Arrow-backed: no copy of the strings
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array if array.null_count == 0 else None


def _rows_python(sentences: pd.DataFrame) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """:func:`_rows` for any frame, row by row."""
    ids: dict[str, int] = {}
    texts: dict[str, int] = {}
    row_ids: list[int] = []
    row_texts: list[int] = []
    for article_id, sentence in zip(sentences["article_id"].tolist(), sentences["text"].tolist(), strict=True):
        if not isinstance(sentence, str) or not sentence or sentence.isspace():  # blank: nothing left after strip()
            continue
        found = texts.get(sentence)
        if found is None:
            found = texts[sentence] = len(texts)
        article_id = str(article_id)
        index = ids.get(article_id)
        if index is None:
            index = ids[article_id] = len(ids)
        row_ids.append(index)
        row_texts.append(found)
    return list(ids), np.array(row_ids, dtype=np.int64), list(texts), np.array(row_texts, dtype=np.int64)


class _TermCoder:
    """Integer codes for terms, and each seen sentence's term entries.

    A sentence's entries are ``code * orders + (n - low)`` for each of its terms (one
    per occurrence), as an int64 array. One coder per thread and counting setup, kept
    across calls so that a sentence repeated in later batches of the same process is
    not tokenised again; it starts afresh when it has grown past its bounds (checked
    between calls, never during one, so the codes of a call stay valid).
    """

    MAX_SENTENCES = 40_000  # with their entry arrays, about 15 MB
    MAX_TERMS = 300_000  # about 45 MB of strings and dictionaries (also bounds the tokens and n-gram keys)
    _local = threading.local()

    def __init__(self, low: int, high: int, stop: frozenset[str], stem: bool) -> None:
        self.low, self.high, self.stop, self.stem = low, high, stop, stem
        self.is_content = Memo(functools.partial(_is_content, stop=stop))  # token -> whether a content token
        self.terms: list[str] = []  # code -> term
        # One vocabulary per order, term -> entry, all coding into ``terms``. A term of
        # order n holds exactly n - 1 spaces (tokens hold no whitespace), so no term is in
        # two of them and a term has one code, as with one shared vocabulary.
        self.vocabularies = [_Vocabulary(self.terms, high - low + 1, i) for i in range(high - low + 1)]
        self.sentences: dict[str, np.ndarray] = {}
        self.tokens = _Tokens(self)  # token -> token id (for code_many)
        self.ngrams = [_NgramEntries(self, n) for n in range(low, high + 1)]  # token-id key -> entry, per order

    @classmethod
    def current(cls, low: int, high: int, stop: frozenset[str], stem: bool) -> _TermCoder:
        """This thread's coder for the setup, new when there is none or it is full."""
        coder = getattr(cls._local, "coder", None)
        if (
            coder is None
            or (coder.low, coder.high, coder.stem) != (low, high, stem)
            or coder.stop != stop
            or len(coder.sentences) > cls.MAX_SENTENCES
            or len(coder.terms) > cls.MAX_TERMS
            or len(coder.tokens) > cls.MAX_TERMS
            or sum(map(len, coder.ngrams)) > 2 * cls.MAX_TERMS
        ):
            coder = cls._local.coder = cls(low, high, stop, stem)
        return coder

    def code(self, sentence: str) -> np.ndarray:
        """The term entries of ``sentence`` (:func:`_sentence_terms`, order by order), remembered."""
        found = _sentence_terms(sentence, self.low, self.high, self.stop, self.stem, self.is_content)
        entries = list(map(self.vocabularies[0].__getitem__, found[0]))
        for vocabulary, terms in zip(self.vocabularies[1:], found[1:]):
            entries += map(vocabulary.__getitem__, terms)
        result = self.sentences[sentence] = np.array(entries, dtype=np.int64)
        return result

    def code_many(self, sentences: list[str]) -> list[np.ndarray]:
        """:meth:`code` of each of ``sentences`` (distinct, none coded yet), found for all of them at once.

        The terms of :func:`_sentence_terms` with numpy: every token gets an id, and an
        n-gram starting at token ``i`` is counted where tokens ``i`` and ``i + n - 1`` are
        content tokens of the same sentence, keyed by its token ids as the digits of one
        integer (base :data:`_TOKEN_BASE`); each distinct key is spelled out once
        (:class:`_NgramEntries`) into the same term and entry :meth:`code` gives. A
        sentence gets the same entries as from :meth:`code`, in another order (its
        entries count as a multiset). Orders above 3, or more tokens than the base holds,
        go sentence by sentence.
        """
        if self.high > 3:
            return [self.code(s) for s in sentences]
        token_lists = [_text._word_token_tuple(s) for s in sentences]
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        total = int(lengths.sum())
        ids = np.fromiter(map(self.tokens.__getitem__, chain.from_iterable(token_lists)), dtype=np.int64, count=total)
        if len(self.tokens) >= _TOKEN_BASE:
            return [self.code(s) for s in sentences]
        content = self.tokens.content_flags()[ids]
        sentence_of = np.repeat(np.arange(len(sentences), dtype=np.int64), lengths)
        owners, parts = [], []
        for ngrams in self.ngrams:
            n = ngrams.n
            if n == 1:
                starts = np.flatnonzero(content)
                keys = ids[starts]
            else:
                reach = total - n + 1
                if reach <= 0:
                    continue
                starts = np.flatnonzero(content[:reach] & content[n - 1 :] & (sentence_of[:reach] == sentence_of[n - 1 :]))
                keys = ids[starts]
                for k in range(1, n):
                    keys = keys * _TOKEN_BASE + ids[starts + k]
            owners.append(sentence_of[starts])
            parts.append(np.fromiter(map(ngrams.__getitem__, keys.tolist()), dtype=np.int64, count=len(keys)))
        owner = np.concatenate(owners) if owners else np.empty(0, dtype=np.int64)
        entries = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
        by_sentence = np.argsort(owner, kind="stable")
        bounds = np.cumsum(np.bincount(owner, minlength=len(sentences)))[:-1]
        out = np.split(entries[by_sentence], bounds)
        self.sentences.update(zip(sentences, out, strict=True))
        return out


#: The base of the integer keys of n-grams in :meth:`_TermCoder.code_many` (token ids stay below it).
_TOKEN_BASE = 1 << 20


class _Tokens(dict):
    """token -> token id, with each id's term text (the stem when stemming) and content flag."""

    def __init__(self, coder: _TermCoder) -> None:
        super().__init__()
        self.coder = coder
        self.words: list[str] = []  # id -> the token as terms spell it
        self.content: list[bool] = []  # id -> whether a content token
        self._flags = np.zeros(0, dtype=bool)

    def __missing__(self, token: str) -> int:
        index = self[token] = len(self.words)
        self.words.append(_text.stem([token])[0] if self.coder.stem else token)
        self.content.append(self.coder.is_content[token])
        return index

    def content_flags(self) -> np.ndarray:
        """The content flags of every id so far, as an array."""
        if len(self._flags) < len(self.content):
            self._flags = np.concatenate([self._flags, np.array(self.content[len(self._flags) :], dtype=bool)])
        return self._flags


class _NgramEntries(dict):
    """n-gram key (token ids as base-:data:`_TOKEN_BASE` digits) -> the entry of its term, spelled out once."""

    def __init__(self, coder: _TermCoder, n: int) -> None:
        super().__init__()
        self.words, self.n = coder.tokens.words, n
        self.vocabulary = coder.vocabularies[n - coder.low]

    def __missing__(self, key: int) -> int:
        digits = []
        rest = key
        for _ in range(self.n):
            rest, digit = divmod(rest, _TOKEN_BASE)
            digits.append(digit)
        term = " ".join(self.words[d] for d in reversed(digits))
        entry = self[key] = self.vocabulary[term]
        return entry


class _Vocabulary(dict):
    """term -> entry (``code * orders + index``) for the terms of one order; a new term gets the next code."""

    def __init__(self, terms: list[str], orders: int, index: int) -> None:
        super().__init__()
        self.terms, self.orders, self.index = terms, orders, index

    def __missing__(self, term: str) -> int:
        entry = self[term] = len(self.terms) * self.orders + self.index
        self.terms.append(term)
        return entry


def _sentence_terms(
    sentence: str, low: int, high: int, stop: frozenset[str], stem: bool, is_content: Mapping[str, bool]
) -> tuple[list[str], ...]:
    """The terms of every order ``low..high`` in one sentence, one list per order, as count_terms defines them.

    ``is_content`` caches :func:`_is_content` per token (for one :class:`_TermCoder`).
    Terms start at content tokens only, so only those positions are visited.
    """
    tokens = _text._word_token_tuple(sentence)
    content = list(map(is_content.__getitem__, tokens))
    words = _text.stem(tokens) if stem else tokens
    starts = [i for i, keep in enumerate(content) if keep]
    size = len(words)
    out: list[list[str]] = []
    for n in range(low, high + 1):
        last = n - 1
        if n == 1:
            out.append([words[i] for i in starts])
        elif n == 2:
            out.append([words[i] + " " + words[i + 1] for i in starts if i + 1 < size and content[i + 1]])
        else:
            out.append([" ".join(words[i : i + n]) for i in starts if i + last < size and content[i + last]])
    return tuple(out)


def term_frequency(terms: pd.DataFrame, *, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Corpus frequency, document frequency and relative frequency of every term.

    Parameters
    ----------
    terms:
        The terms table from :func:`count_terms`, optionally with extra columns
        merged in (e.g. ``source`` from the articles table) to group by. Must hold
        the unigram rows (``n == 1``), which give each group's token total.
    by:
        Column(s) of ``terms`` to compute frequencies within; ``None`` for the whole
        corpus.

    Returns
    -------
    pandas.DataFrame
        Columns ``*by``, ``term``, ``n``, ``count`` (occurrences in the group),
        ``docs`` (articles of the group containing the term), ``tokens`` (the
        group's unigram total: content tokens, stopwords excluded) and ``per_10k``
        (``count / tokens * 10,000``). Sorted by ``*by``, then ``count`` descending,
        then ``n`` and ``term``.

    Examples
    --------
    >>> t = pd.DataFrame({"article_id": ["a", "a", "b"], "term": ["vote", "poll", "vote"],
    ...                   "n": [1, 1, 1], "count": [3, 1, 1]})
    >>> term_frequency(t)[["term", "count", "docs", "per_10k"]].values.tolist()
    [['vote', 4, 2, 8000.0], ['poll', 1, 1, 2000.0]]
    """
    require_columns(terms, TERM_COLUMNS, what="the terms table", hint="build it with count_terms")
    keys = _by_columns(terms, by)
    _require_unigrams(terms, "term_frequency")
    grouped = (
        terms.groupby([*keys, "term", "n"], sort=False, dropna=False)
        .agg(count=("count", "sum"), docs=("article_id", "nunique"))
        .reset_index()
    )
    unigrams = terms.loc[terms["n"] == 1]
    if keys:
        totals = unigrams.groupby(keys, sort=False, dropna=False)["count"].sum().rename("tokens").reset_index()
        grouped = grouped.merge(totals, on=keys, how="left")
        grouped["tokens"] = grouped["tokens"].fillna(0).astype("int64")
    else:
        grouped["tokens"] = int(unigrams["count"].sum())
    grouped["count"] = grouped["count"].astype("int64")
    grouped["docs"] = grouped["docs"].astype("int64")
    grouped["per_10k"] = _per_10k(grouped["count"], grouped["tokens"])
    grouped = grouped.sort_values([*keys, "count", "n", "term"], ascending=[True] * len(keys) + [False, True, True], kind="stable")
    return grouped[[*keys, "term", "n", "count", "docs", "tokens", "per_10k"]].reset_index(drop=True)


def tfidf(terms: pd.DataFrame, *, n: int = 1, smooth: bool = True, sublinear: bool = False) -> pd.DataFrame:
    """TF-IDF of the terms of order ``n`` in every article.

    With ``N`` the number of articles in ``terms`` (any order) and ``df`` the number
    of articles containing the term, following scikit-learn's ``TfidfTransformer``::

        tf    = count                    (sublinear: 1 + ln(count))
        idf   = ln((1 + N) / (1 + df)) + 1   (smooth=True)
        idf   = ln(N / df) + 1               (smooth=False)
        tfidf = tf * idf

    No length normalisation is applied (scikit-learn's default ``norm="l2"`` is not).

    Parameters
    ----------
    terms:
        The terms table from :func:`count_terms`.
    n:
        Term order to score (1 for words, 2 for bigrams...).
    smooth:
        Add one to ``N`` and ``df``, as if one extra article contained every term.
    sublinear:
        Use ``1 + ln(count)`` as the term frequency.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id``, ``term``, ``tf``, ``idf``, ``tfidf``; sorted by
        ``article_id``, then ``tfidf`` descending, then ``term``.

    Examples
    --------
    >>> t = pd.DataFrame({"article_id": ["a", "a", "b"], "term": ["vote", "poll", "vote"],
    ...                   "n": [1, 1, 1], "count": [2, 1, 1]})
    >>> tfidf(t).round(3).values.tolist()
    [['a', 'vote', 2.0, 1.0, 2.0], ['a', 'poll', 1.0, 1.405, 1.405], ['b', 'vote', 1.0, 1.0, 1.0]]
    """
    require_columns(terms, TERM_COLUMNS, what="the terms table", hint="build it with count_terms")
    n = _order(n)
    n_docs = terms["article_id"].nunique()
    rows = terms.loc[terms["n"] == n, ["article_id", "term", "count"]]
    df = rows.groupby("term")["article_id"].nunique()
    counts = rows["count"].astype("float64")
    tf = counts.map(lambda c: 1.0 + math.log(c)) if sublinear else counts
    doc_freq = rows["term"].map(df).astype("float64")
    if smooth:
        idf = ((1.0 + n_docs) / (1.0 + doc_freq)).map(math.log) + 1.0
    else:
        idf = (n_docs / doc_freq).map(math.log) + 1.0
    out = pd.DataFrame(
        {
            "article_id": rows["article_id"].astype("string"),
            "term": rows["term"].astype("string"),
            "tf": tf.astype("float64"),
            "idf": idf.astype("float64"),
        }
    )
    out["tfidf"] = out["tf"] * out["idf"]
    out = out.sort_values(["article_id", "tfidf", "term"], ascending=[True, False, True], kind="stable")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- collocations


def collocations(
    sentences: pd.DataFrame,
    *,
    n: int = 2,
    measure: Literal["pmi", "likelihood_ratio"] = "pmi",
    min_count: int = 3,
    top: int | None = 50,
    stopwords: Collection[str] | None = None,
) -> pd.DataFrame:
    """Word pairs or triples that occur together more than chance, scored by NLTK.

    Word tokens of every sentence are fed to NLTK's ``BigramCollocationFinder`` or
    ``TrigramCollocationFinder`` (``from_documents``: one document per sentence, so
    no n-gram spans two sentences). N-grams seen fewer than ``min_count`` times, and
    those whose first or last token is not a content token (a stopword, or no
    letter), are dropped; word counts keep every word token. Scores are NLTK's
    ``BigramAssocMeasures`` / ``TrigramAssocMeasures``:

    * ``pmi``: ``log2(count * N**(n - 1) / (c(w1) * ... * c(wn)))``, with ``N`` the
      number of word tokens and ``c(w)`` each word's count;
    * ``likelihood_ratio``: Dunning's log-likelihood ratio over the contingency table.

    Parameters
    ----------
    sentences:
        A table with a ``text`` column of sentences. Not modified.
    n:
        2 for bigrams, 3 for trigrams.
    measure:
        ``"pmi"`` or ``"likelihood_ratio"``.
    min_count:
        Minimum occurrences of an n-gram. PMI favours rare pairs; keep this at 3 or more.
    top:
        Return the best ``top`` rows; ``None`` for all.
    stopwords:
        As in :func:`count_terms`; default :func:`mediawork.text.stopwords`.

    Returns
    -------
    pandas.DataFrame
        Columns ``term`` (tokens joined by a space), ``count``, ``score``,
        ``measure``; sorted by ``score`` descending, then ``term``.

    Examples
    --------
    >>> s = pd.DataFrame({"text": ["Prime Minister Kaur spoke."] * 3 + ["Kaur smiled."]})
    >>> collocations(s, min_count=3)[["term", "count"]].values.tolist()
    [['prime minister', 3], ['kaur spoke', 3], ['minister kaur', 3]]
    """
    from nltk.collocations import BigramCollocationFinder, TrigramCollocationFinder
    from nltk.metrics import BigramAssocMeasures, TrigramAssocMeasures

    require_columns(sentences, ("text",), what="the sentences frame", hint="build it with mediawork.text.sentences_frame")
    if n not in (2, 3):
        raise ParameterError(f"collocations got n={n!r}; expected 2 (bigrams) or 3 (trigrams)")
    if measure not in ("pmi", "likelihood_ratio"):
        raise ParameterError(f"collocations got measure={measure!r}; expected 'pmi' or 'likelihood_ratio'")
    if not isinstance(min_count, int) or min_count < 1:
        raise ParameterError(f"collocations got min_count={min_count!r}; expected a whole number of at least 1")
    if top is not None and (not isinstance(top, int) or top < 1):
        raise ParameterError(f"collocations got top={top!r}; expected a positive whole number or None")
    stop = _stopword_set(stopwords)
    documents = [_text.word_tokens(s) for s in sentences["text"].tolist() if isinstance(s, str) and s.strip()]
    finder_cls, measures = (
        (BigramCollocationFinder, BigramAssocMeasures) if n == 2 else (TrigramCollocationFinder, TrigramAssocMeasures)
    )
    finder = finder_cls.from_documents(documents)
    finder.apply_freq_filter(min_count)
    finder.apply_ngram_filter(lambda *words: not (_is_content(words[0], stop) and _is_content(words[-1], stop)))
    scored = finder.score_ngrams(getattr(measures, measure))
    rows = sorted(((-score, " ".join(gram), finder.ngram_fd[gram]) for gram, score in scored))
    if top is not None:
        rows = rows[:top]
    return pd.DataFrame(
        {
            "term": pd.Series([r[1] for r in rows], dtype="string"),
            "count": pd.Series([r[2] for r in rows], dtype="int64"),
            "score": pd.Series([-r[0] for r in rows], dtype="float64"),
            "measure": pd.Series([measure] * len(rows), dtype="string"),
        }
    )


# --------------------------------------------------------------------------- keyness


def keyness(
    terms: pd.DataFrame,
    target_ids: Collection[str],
    reference_ids: Collection[str] | None = None,
    *,
    n: int = 1,
    measure: Literal["lr"] = "lr",
    correction: Literal["williams", "yates", "none"] = "williams",
) -> pd.DataFrame:
    """Which terms a target group of articles uses more (or less) than a reference group.

    For each term of order ``n`` found in either group, the 2×2 table is::

                      target   reference
        term            a          b
        other terms     c          d

    with ``c = T - a`` and ``d = R - b``, where ``T`` and ``R`` are the groups' totals
    of order-``n`` terms (for ``n == 1``, their content tokens). With ``E = (a + b)(a + c) / N``
    the expected value of ``a`` and ``N = T + R``:

    * ``g2``: the log-likelihood ratio ``G² = 2 Σ O ln(O / E)`` over the four cells
      (empty cells add 0), divided by Williams' ``q`` when ``correction="williams"``,
      and signed: positive when ``a > E`` (over-used in the target), else negative.
      This follows quanteda's ``textstat_keyness(measure = "lr")`` (quanteda.textstats
      ``keyness.cpp``) but without its ``1e-9`` offset inside the logarithm.
    * ``log_ratio``: Hardie's (2014) effect size ``log2((a / T) / (b / R))``, a zero
      count replaced by 0.5 so the ratio stays finite; each unit is a doubling.
    * ``p``: chi-squared survival function of ``|g2|`` with 1 degree of freedom (scipy
      when installed, else ``erfc(sqrt(x / 2))``, the same function).

    Corrections (``correction``):

    * ``"williams"`` (default, as quanteda's documentation states for ``lr``): divide
      G² by ``q = 1 + (N/(a+b) + N/(c+d) - 1)(N/(a+c) + N/(b+d) - 1) / (6N)``; when a
      cell is 0, ``q = 1`` (as quanteda). It shrinks G² for small counts only.
    * ``"yates"``: quanteda's conditional continuity correction: when
      ``|ad - bc| >= N/2`` and an expected cell is below 5, move 0.5 from the cells
      on the observed side to the others before computing G². Note that quanteda's
      ``correction = "default"`` for ``lr`` runs this Yates adjustment in its code,
      although its documentation says Williams'; pass ``"yates"`` to match its output.
    * ``"none"``: plain Dunning G², as in Rayson's log-likelihood calculator.

    Parameters
    ----------
    terms:
        The terms table from :func:`count_terms`.
    target_ids:
        ``article_id`` values of the target group.
    reference_ids:
        ``article_id`` values of the reference group; ``None`` for every other
        article in ``terms``. Must not overlap the target.
    n:
        Term order to compare.
    measure:
        ``"lr"`` (likelihood ratio), the only measure so far.
    correction:
        ``"williams"``, ``"yates"`` or ``"none"`` (see above).

    Returns
    -------
    pandas.DataFrame
        Columns ``term``, ``target_count``, ``reference_count``, ``g2``,
        ``log_ratio``, ``p``; sorted by ``g2`` descending, then ``term``.

    Examples
    --------
    >>> t = pd.DataFrame({"article_id": ["a", "a", "b", "b"], "term": ["war", "peace", "war", "peace"],
    ...                   "n": [1, 1, 1, 1], "count": [30, 10, 10, 30]})
    >>> keyness(t, ["a"], ["b"], correction="none").round(2).values.tolist()
    [['war', 30, 10, 20.93, 1.58, 0.0], ['peace', 10, 30, -20.93, -1.58, 0.0]]
    """
    require_columns(terms, TERM_COLUMNS, what="the terms table", hint="build it with count_terms")
    n = _order(n)
    if measure != "lr":
        raise ParameterError(f"keyness got measure={measure!r}; only 'lr' (log-likelihood G²) is available")
    if correction not in ("williams", "yates", "none"):
        raise ParameterError(f"keyness got correction={correction!r}; expected 'williams', 'yates' or 'none'")
    target = _id_set(target_ids, "target_ids")
    known = set(terms["article_id"].astype(str))
    reference = known - target if reference_ids is None else _id_set(reference_ids, "reference_ids")
    overlap = target & reference
    if overlap:
        raise ParameterError(
            f"keyness got {len(overlap)} article(s) in both groups (e.g. {sorted(overlap)[0]!r}); "
            "the target and reference groups must not overlap"
        )
    rows = terms.loc[terms["n"] == n, ["article_id", "term", "count"]]
    ids = rows["article_id"].astype(str)
    in_target, in_reference = ids.isin(target), ids.isin(reference)
    t_counts = rows.loc[in_target].groupby("term")["count"].sum()
    r_counts = rows.loc[in_reference].groupby("term")["count"].sum()
    total_t, total_r = int(t_counts.sum()), int(r_counts.sum())
    for name, total, group in (("target", total_t, target), ("reference", total_r, reference)):
        if total == 0:
            raise ParameterError(
                f"keyness: the {name} group ({len(group)} article id(s)) has no terms of order n={n} in `terms`; "
                "check the ids and that count_terms covered this n"
            )
    table = pd.concat([t_counts.rename("target_count"), r_counts.rename("reference_count")], axis=1).fillna(0)
    table = table.astype("int64").rename_axis("term").reset_index()
    stats = [
        _g2_row(a, b, total_t, total_r, correction)
        for a, b in zip(table["target_count"].tolist(), table["reference_count"].tolist(), strict=True)
    ]
    table["g2"] = pd.Series([s[0] for s in stats], dtype="float64")
    table["log_ratio"] = pd.Series([s[1] for s in stats], dtype="float64")
    table["p"] = pd.Series([_chi2_sf_1df(abs(s[0])) for s in stats], dtype="float64")
    table["term"] = table["term"].astype("string")
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    return table[["term", "target_count", "reference_count", "g2", "log_ratio", "p"]].reset_index(drop=True)


def _g2_row(a: int, b: int, total_t: int, total_r: int, correction: str) -> tuple[float, float]:
    """(signed G², log ratio) for one term."""
    c, d = total_t - a, total_r - b
    big_n = a + b + c + d
    expected_a = (a + b) * (a + c) / big_n
    aa, bb, cc, dd = float(a), float(b), float(c), float(d)
    if correction == "yates":
        delta = _yates_delta(a, b, c, d)
        shift = -delta if a * d - b * c > 0 else delta
        aa, bb, cc, dd = aa + shift, bb - shift, cc - shift, dd + shift
    g2 = 2.0 * (
        _o_ln_o_e(aa, (aa + bb) * (aa + cc) / big_n)
        + _o_ln_o_e(bb, (aa + bb) * (bb + dd) / big_n)
        + _o_ln_o_e(cc, (aa + cc) * (cc + dd) / big_n)
        + _o_ln_o_e(dd, (bb + dd) * (cc + dd) / big_n)
    )
    if correction == "williams":
        g2 /= _williams_q(a, b, c, d)
    g2 = max(g2, 0.0) * (1.0 if a > expected_a else -1.0)
    log_ratio = math.log2(((a or 0.5) / total_t) / ((b or 0.5) / total_r))
    return g2, log_ratio


def _o_ln_o_e(observed: float, expected: float) -> float:
    return observed * math.log(observed / expected) if observed > 0 and expected > 0 else 0.0


def _yates_delta(a: float, b: float, c: float, d: float) -> float:
    big_n = a + b + c + d
    small = min((a + b) * (a + c), (a + b) * (b + d), (a + c) * (c + d), (c + d) * (b + d)) / big_n < 5
    return 0.5 if abs(a * d - b * c) >= big_n / 2 and small else 0.0


def _williams_q(a: float, b: float, c: float, d: float) -> float:
    if a * b * c * d == 0:
        return 1.0
    big_n = a + b + c + d
    return 1.0 + (big_n / (a + b) + big_n / (c + d) - 1.0) * (big_n / (a + c) + big_n / (b + d) - 1.0) / (6.0 * big_n)


def _chi2_sf_1df(x: float) -> float:
    """P(X > x) for X ~ chi-squared with 1 degree of freedom."""
    try:
        from scipy.stats import chi2
    except ImportError:
        return math.erfc(math.sqrt(x / 2.0))
    return float(chi2.sf(x, 1))


# --------------------------------------------------------------------------- trends


def term_trends(
    terms: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    terms_of_interest: Iterable[str] | None = None,
    freq: str = "W",
    top: int = 20,
) -> pd.DataFrame:
    """Relative frequency of terms per period of publication.

    Articles are placed in periods by ``published`` (converted to UTC; articles
    without a date are left out). Every period from the first to the last appears
    for every selected term, with a count of 0 where the term is absent.

    Parameters
    ----------
    terms:
        The terms table from :func:`count_terms` (with its unigram rows).
    articles:
        A table with ``article_id`` and ``published`` (the articles table). Not modified.
    terms_of_interest:
        Terms to follow (case-folded, as :func:`count_terms` writes them); default:
        the ``top`` most frequent unigrams.
    freq:
        A pandas period alias: ``"D"``, ``"W"`` (weeks from Monday), ``"M"``, ``"Q"``, ``"Y"``.
    top:
        How many unigrams to follow when ``terms_of_interest`` is None.

    Returns
    -------
    pandas.DataFrame
        Columns ``period`` (start of the period, UTC), ``term``, ``count``,
        ``tokens`` (unigram total of the period's articles) and ``per_10k``
        (``count / tokens * 10,000``; NaN for a period without tokens). Sorted by
        ``term``, ``period``.

    Examples
    --------
    >>> t = pd.DataFrame({"article_id": ["a", "b"], "term": ["vote", "vote"], "n": [1, 1], "count": [1, 3]})
    >>> arts = pd.DataFrame({"article_id": ["a", "b"],
    ...                      "published": pd.to_datetime(["2024-03-04", "2024-03-12"], utc=True)})
    >>> term_trends(t, arts, freq="W")[["term", "count", "per_10k"]].values.tolist()
    [['vote', 1, 10000.0], ['vote', 3, 10000.0]]
    """
    require_columns(terms, TERM_COLUMNS, what="the terms table", hint="build it with count_terms")
    require_columns(articles, ("article_id", "published"), what="the articles frame", hint="read it with mediawork.store.read_articles")
    _require_unigrams(terms, "term_trends")
    dates = articles[["article_id", "published"]].dropna().copy()
    dates["article_id"] = dates["article_id"].astype(str)
    published = pd.to_datetime(dates["published"], utc=True, errors="coerce")
    try:
        periods = published.dt.tz_localize(None).dt.to_period(freq)
    except (ValueError, TypeError):
        raise ParameterError(
            f"term_trends got freq={freq!r}, which pandas does not know as a period; "
            "expected a period alias such as 'D', 'W', 'M', 'Q' or 'Y'"
        ) from None
    dates["period"] = periods
    dates = dates.dropna(subset=["period"])
    if terms_of_interest is None:
        unigram_totals = terms.loc[terms["n"] == 1].groupby("term")["count"].sum()
        ranked = sorted(unigram_totals.items(), key=lambda kv: (-kv[1], kv[0]))
        wanted = [t for t, _ in ranked[:top]]
    else:
        if isinstance(terms_of_interest, str):
            terms_of_interest = [terms_of_interest]
        wanted = sorted({str(t).casefold() for t in terms_of_interest})
    dated = terms.assign(article_id=terms["article_id"].astype(str)).merge(dates[["article_id", "period"]], on="article_id")
    tokens = dated.loc[dated["n"] == 1].groupby("period")["count"].sum()
    hits = dated.loc[dated["term"].isin(wanted)].groupby(["term", "period"])["count"].sum()
    if dates.empty:
        all_periods = pd.PeriodIndex([], freq=periods.dt.freq)
    else:
        all_periods = pd.period_range(dates["period"].min(), dates["period"].max(), freq=periods.dt.freq)
    grid = pd.MultiIndex.from_product([wanted, all_periods], names=["term", "period"])
    out = hits.reindex(grid, fill_value=0).rename("count").reset_index()
    out["tokens"] = out["period"].map(tokens).fillna(0).astype("int64")
    out["count"] = out["count"].astype("int64")
    out["per_10k"] = _per_10k(out["count"], out["tokens"])
    out["period"] = pd.PeriodIndex(out["period"], freq=periods.dt.freq).start_time.tz_localize("UTC")
    out["term"] = out["term"].astype("string")
    out = out.sort_values(["term", "period"], kind="stable")
    return out[["period", "term", "count", "tokens", "per_10k"]].reset_index(drop=True)


# --------------------------------------------------------------------------- KWIC


def kwic(
    sentences: pd.DataFrame,
    pattern: str,
    *,
    window: int = 5,
    regex: bool = False,
    case: bool = False,
) -> pd.DataFrame:
    """Keyword in context: every match of ``pattern`` with the words around it.

    Matching runs on each sentence's original text. A plain pattern (``regex=False``)
    is a word or phrase matched whole (not inside a longer word; any run of
    whitespace matches a space), so ``trump`` matches ``Trump’s`` but not
    ``trumpet``. With ``regex=True`` the pattern is a Python regular expression
    searched as is. ``left`` and ``right`` are up to ``window`` whitespace-separated
    words of the same sentence before and after the match, as written.

    Parameters
    ----------
    sentences:
        A table with ``article_id``, ``sentence_id`` and ``text``. Not modified.
    pattern:
        The word, phrase or regular expression to find.
    window:
        Words of context on each side.
    regex:
        Treat ``pattern`` as a regular expression.
    case:
        Match case exactly (default: ignore case).

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id``, ``sentence_id``, ``left``, ``keyword`` (the matched
        text as written), ``right``; sorted by ``article_id``, ``sentence_id``, then
        position in the sentence.

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": ["a"], "sentence_id": [0],
    ...                   "text": ["On Monday the Prime Minister flew to Oslo for talks."]})
    >>> kwic(s, "prime minister", window=2).values.tolist()
    [['a', 0, 'Monday the', 'Prime Minister', 'flew to']]
    """
    require_columns(sentences, ("article_id", "sentence_id", "text"), what="the sentences frame", hint="build it with mediawork.text.sentences_frame")
    if not isinstance(pattern, str) or not pattern.strip():
        raise ParameterError(f"kwic got pattern={pattern!r}; expected a non-empty word, phrase or regular expression")
    if not isinstance(window, int) or window < 0:
        raise ParameterError(f"kwic got window={window!r}; expected a whole number of words, 0 or more")
    flags = 0 if case else re.IGNORECASE
    if regex:
        try:
            compiled = re.compile(pattern, flags)
        except re.error as exc:
            raise ParameterError(f"kwic could not compile the regular expression {pattern!r}: {exc}") from None
    else:
        phrase = r"\s+".join(re.escape(w) for w in pattern.split())
        compiled = re.compile(rf"(?<!\w){phrase}(?!\w)", flags)
    ordered = sentences.sort_values(["article_id", "sentence_id"], kind="stable")
    rows: list[tuple[str, int, str, str, str]] = []
    for article_id, sentence_id, sentence in zip(
        ordered["article_id"].tolist(), ordered["sentence_id"].tolist(), ordered["text"].tolist(), strict=True
    ):
        if not isinstance(sentence, str):
            continue
        for match in compiled.finditer(sentence):
            if match.end() == match.start():
                continue
            left_words = sentence[: match.start()].split()
            right_words = sentence[match.end() :].split()
            left = " ".join(left_words[-window:]) if window else ""
            right = " ".join(right_words[:window]) if window else ""
            rows.append((str(article_id), int(sentence_id), left, match.group(0), right))
    return pd.DataFrame(
        {
            "article_id": pd.Series([r[0] for r in rows], dtype="string"),
            "sentence_id": pd.Series([r[1] for r in rows], dtype="int64"),
            "left": pd.Series([r[2] for r in rows], dtype="string"),
            "keyword": pd.Series([r[3] for r in rows], dtype="string"),
            "right": pd.Series([r[4] for r in rows], dtype="string"),
        }
    )


# --------------------------------------------------------------------------- helpers


def _is_content(token: str, stop: Collection[str]) -> bool:
    return token not in stop and any(ch.isalpha() for ch in token)


def _stopword_set(stopwords: Collection[str] | None) -> frozenset[str]:
    if stopwords is None:
        return _text.stopwords()
    if isinstance(stopwords, str):
        raise ParameterError("stopwords must be a collection of words, not one string; wrap it in a list")
    return frozenset(str(w).casefold() for w in stopwords)


def _ngram_range(ngram_range: tuple[int, int]) -> tuple[int, int]:
    try:
        low, high = (int(v) for v in ngram_range)
    except (TypeError, ValueError):
        raise ParameterError(f"ngram_range={ngram_range!r}; expected two whole numbers such as (1, 3)") from None
    if not 1 <= low <= high:
        raise ParameterError(f"ngram_range={ngram_range!r}; expected (low, high) with 1 <= low <= high, e.g. (1, 3)")
    return low, high


def _order(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ParameterError(f"n={n!r}; expected the term order as a whole number of at least 1 (1 = words)")
    return n


def _id_set(ids: Collection[str], name: str) -> set[str]:
    if isinstance(ids, str):
        raise ParameterError(f"{name} must be a collection of article ids, not one string; wrap it in a list")
    out = {str(i) for i in ids}
    if not out:
        raise ParameterError(f"{name} is empty; expected at least one article_id")
    return out


def _by_columns(terms: pd.DataFrame, by: str | Sequence[str] | None) -> list[str]:
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    missing = [k for k in keys if k not in terms.columns]
    if missing:
        raise ParameterError(
            f"by={by!r} names column(s) {missing} that terms does not have (found {list(terms.columns)}); "
            "merge them in from the articles table first"
        )
    reserved = {"term", "n", "count"} & set(keys)
    if reserved:
        raise ParameterError(f"by={by!r} cannot group on {sorted(reserved)}; use metadata columns such as 'source'")
    return keys


def _per_10k(count: pd.Series, tokens: pd.Series) -> pd.Series:
    tokens = tokens.astype("float64")
    return (count.astype("float64") / tokens.where(tokens > 0) * PER).astype("float64")


def _require_unigrams(terms: pd.DataFrame, caller: str) -> None:
    if len(terms) and not (terms["n"] == 1).any():
        raise DataError(
            f"{caller} needs the unigram rows (n == 1) of the terms table for token totals, found orders "
            f"{sorted(set(terms['n'].tolist()))}; run count_terms with ngram_range starting at 1"
        )
