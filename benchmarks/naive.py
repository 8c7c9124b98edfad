"""The naive baseline: the pandas + NLTK pipeline an analyst writes without mediawork.

Each function is one stage of that pipeline, written the plain way (a Python loop,
one call per file or sentence), so ``benchmarks/run.py`` can time it stage by stage
against mediawork on the same data:

- :func:`read_files`: a ``Path.read_text`` loop over the raw folder (no parsing, no
  cleaning, no de-duplication);
- :func:`split_sentences`: Punkt over each whole body, one ``tokenize`` call per
  article. No NLTK data is installed here, so there is no pretrained ``punkt_tab``;
  for fairness the baseline uses *the same* corpus-trained splitter as mediawork and
  its training time is not counted on the naive side;
- :func:`score_sentiment`: NLTK's own ``SentimentIntensityAnalyzer.polarity_scores``
  per sentence (unmodified NLTK code), its lexicon loaded the way
  :mod:`mediawork.sentiment` loads NLTK's when NLTK's data is absent;
- :func:`count_terms`: ``NLTKWordTokenizer`` per sentence, ``lower()``, a stopword
  filter and a ``Counter`` per article (unigrams only);
- :func:`count_terms_floor`: ``re.findall(r"\\w+", text.lower())`` + stopwords +
  ``Counter``, the floor a pure-regex counter reaches;
- :func:`actor_pairs`: one alternation regex of the actor dictionary's names and
  aliases per sentence, pairs of the actors found counted with a ``Counter``.

The agreement checks (:func:`compare_sentiment`, :func:`compare_terms`,
:func:`compare_pairs`) run after the timed stages and are not timed.

Example
-------
>>> from nltk.tokenize.punkt import PunktSentenceTokenizer
>>> rows = split_sentences([("a1", "Talks began. They ended.")], splitter=PunktSentenceTokenizer())
>>> rows
[('a1', 'Talks began.'), ('a1', 'They ended.')]
>>> count_terms(rows, stopwords=frozenset({"they"}))["a1"]["talks"]
1
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants
from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktSentenceTokenizer

__all__ = [
    "read_files",
    "nltk_analyzer",
    "split_sentences",
    "score_sentiment",
    "count_terms",
    "count_terms_floor",
    "actor_regex",
    "actor_pairs",
    "mediawork_unigrams",
    "compare_sentiment",
    "compare_terms",
    "compare_pairs",
]

_SCORES = ("neg", "neu", "pos", "compound")
_WORD = re.compile(r"\w+")

Sentences = Sequence[tuple[str, str]]


# --------------------------------------------------------------------------- stages


def read_files(raw_dir: Path) -> tuple[list[str], int]:
    """Read every file under ``raw_dir`` with ``Path.read_text``.

    Parameters
    ----------
    raw_dir:
        The raw folder; every regular file in it and its sub-folders is read, sorted by path.

    Returns
    -------
    (texts, n_bytes)
        The files' texts (UTF-8, undecodable bytes replaced) and their total size in bytes.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "a.txt").write_text("Hello.")
    >>> read_files(folder)
    (['Hello.'], 6)
    """
    texts: list[str] = []
    n_bytes = 0
    for path in sorted(Path(raw_dir).rglob("*")):
        if path.is_file():
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
            n_bytes += path.stat().st_size
    return texts, n_bytes


def nltk_analyzer() -> tuple[SentimentIntensityAnalyzer, str]:
    """NLTK's ``SentimentIntensityAnalyzer`` itself, with NLTK's VADER lexicon.

    ``SentimentIntensityAnalyzer()`` when NLTK's ``vader_lexicon`` is installed;
    otherwise the same class with the lexicon :func:`mediawork.sentiment.load_analyzer`
    loads (vaderSentiment's file reconciled to NLTK's), set as NLTK's constructor would
    set it. Scoring is NLTK's unmodified code either way.

    Returns
    -------
    (analyzer, where its lexicon came from)

    Examples
    --------
    >>> analyzer, origin = nltk_analyzer()
    >>> analyzer.polarity_scores("A good day.")["compound"]
    0.4404
    """
    try:
        return SentimentIntensityAnalyzer(), "nltk_data (SentimentIntensityAnalyzer())"
    except (LookupError, OSError, ValueError):
        from mediawork import sentiment

        loaded = sentiment.load_analyzer(lexicon="auto")
        analyzer = SentimentIntensityAnalyzer.__new__(SentimentIntensityAnalyzer)
        analyzer.lexicon_file = None
        analyzer.lexicon = dict(loaded.lexicon)
        analyzer.constants = VaderConstants()
        return analyzer, f"{sentiment.lexicon_source(loaded)} (loaded as mediawork.sentiment does)"


def split_sentences(bodies: Iterable[tuple[str, str]], *, splitter: PunktSentenceTokenizer) -> list[tuple[str, str]]:
    """Split each whole body into sentences with one Punkt ``tokenize`` call.

    Parameters
    ----------
    bodies:
        ``(article_id, text)`` pairs.
    splitter:
        A Punkt model (the one mediawork trained, for a fair comparison).

    Returns
    -------
    list of (article_id, sentence)

    Examples
    --------
    >>> split_sentences([("a", "One. Two.")], splitter=PunktSentenceTokenizer())
    [('a', 'One.'), ('a', 'Two.')]
    """
    return [(article_id, sentence) for article_id, text in bodies for sentence in splitter.tokenize(text)]


def score_sentiment(sentences: Sentences, *, analyzer: SentimentIntensityAnalyzer) -> pd.DataFrame:
    """``polarity_scores`` for every sentence, collected into a DataFrame.

    Returns
    -------
    pandas.DataFrame
        ``article_id``, ``text``, ``neg``, ``neu``, ``pos``, ``compound``, one row per sentence.

    Examples
    --------
    >>> analyzer, _ = nltk_analyzer()
    >>> score_sentiment([("a", "A good day.")], analyzer=analyzer)["compound"].tolist()
    [0.4404]
    """
    rows = []
    for article_id, sentence in sentences:
        scores = analyzer.polarity_scores(sentence)
        rows.append((article_id, sentence, *(scores[k] for k in _SCORES)))
    return pd.DataFrame(rows, columns=["article_id", "text", *_SCORES])


def count_terms(sentences: Sentences, *, stopwords: frozenset[str]) -> dict[str, Counter]:
    """Unigram counts per article: ``NLTKWordTokenizer`` per sentence, ``lower()``, stopwords out.

    Punctuation tokens and clitics (``'s``, ``n't``) are kept, as a naive loop keeps them.

    Examples
    --------
    >>> count_terms([("a", "The vote passed.")], stopwords=frozenset({"the"}))["a"]
    Counter({'vote': 1, 'passed': 1, '.': 1})
    """
    tokenizer = NLTKWordTokenizer()
    counts: dict[str, Counter] = {}
    for article_id, sentence in sentences:
        words = [w.lower() for w in tokenizer.tokenize(sentence)]
        counts.setdefault(article_id, Counter()).update(w for w in words if w not in stopwords)
    return counts


def count_terms_floor(bodies: Iterable[tuple[str, str]], *, stopwords: frozenset[str]) -> dict[str, Counter]:
    """Unigram counts per article with one regex over the lower-cased body: the speed floor.

    Examples
    --------
    >>> count_terms_floor([("a", "The vote, the VOTE.")], stopwords=frozenset({"the"}))["a"]
    Counter({'vote': 2})
    """
    return {article_id: Counter(w for w in _WORD.findall(text.lower()) if w not in stopwords) for article_id, text in bodies}


def actor_regex(actors_file: Path) -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation regex of every name and alias in an ``actors.yml``, longest first.

    Returns
    -------
    (regex, alias -> canonical name)

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "actors.yml"
    >>> _ = f.write_text("- {name: Marco Rubio, type: person, aliases: [Rubio]}")
    >>> regex, canonical = actor_regex(f)
    >>> [canonical[m] for m in regex.findall("Rubio met Marco Rubio.")]
    ['Marco Rubio', 'Marco Rubio']
    """
    data = yaml.safe_load(Path(actors_file).read_text(encoding="utf-8")) or []
    if isinstance(data, Mapping):
        data = data.get("actors", [])
    canonical: dict[str, str] = {}
    for entry in data:
        for alias in [entry["name"], *(entry.get("aliases") or [])]:
            canonical.setdefault(str(alias), str(entry["name"]))
    if not canonical:
        return re.compile(r"(?!x)x"), canonical
    alternation = "|".join(re.escape(a) for a in sorted(canonical, key=lambda a: (-len(a), a)))
    return re.compile(rf"\b(?:{alternation})\b"), canonical


def actor_pairs(sentences: Sentences, *, regex: re.Pattern[str], canonical: Mapping[str, str]) -> Counter:
    """Sentences in which each pair of actors appears together.

    Examples
    --------
    >>> rx = re.compile(r"\\b(?:Putin|Trump)\\b")
    >>> actor_pairs([("a", "Trump called Putin.")], regex=rx, canonical={"Putin": "Putin", "Trump": "Trump"})
    Counter({('Putin', 'Trump'): 1})
    """
    pairs: Counter = Counter()
    for _, sentence in sentences:
        found = sorted({canonical[m] for m in regex.findall(sentence)})
        pairs.update(itertools.combinations(found, 2))
    return pairs


# --------------------------------------------------------------------------- agreement checks (not timed)


_CURLY_APOSTROPHE = re.compile(r"(?<=\w)[\u2019\u02bc](?=\w)")
_CLITIC = re.compile(r"^(?:'[a-z]+|n't)$")


def mediawork_unigrams(sentence: str, *, stopwords: frozenset[str], tokenizer: NLTKWordTokenizer | None = None) -> list[str]:
    """mediawork's unigram definition (``mediawork.terms``), re-implemented from its documentation.

    Curly apostrophes inside words become straight; ``NLTKWordTokenizer``; a sentence-final
    ``.`` rejoins a dotted abbreviation (``u.s.``); case-folded; tokens without a letter or
    digit and clitics dropped; a unigram has a letter and is not a stopword.

    Examples
    --------
    >>> mediawork_unigrams("Trump’s aides didn’t leave the U.S.", stopwords=frozenset({"the", "did"}))
    ['trump', 'aides', 'leave', 'u.s.']
    """
    tokens = (tokenizer or NLTKWordTokenizer()).tokenize(_CURLY_APOSTROPHE.sub("'", sentence))
    if len(tokens) >= 2 and tokens[-1] == "." and _dotted(tokens[-2]):
        tokens = tokens[:-2] + [tokens[-2] + "."]
    words = [t.casefold() for t in tokens]
    words = [w for w in words if any(c.isalnum() for c in w) and not _CLITIC.match(w)]
    return [w for w in words if w not in stopwords and any(c.isalpha() for c in w)]


def _dotted(token: str) -> bool:
    parts = token.split(".")
    return len(parts) > 1 and all(p.isalpha() and len(p) <= 2 for p in parts)


def compare_sentiment(naive: pd.DataFrame, mediawork: pd.DataFrame) -> dict[str, Any]:
    """Compare NLTK's scores with mediawork's on the sentences both pipelines produced.

    Parameters
    ----------
    naive:
        :func:`score_sentiment`'s frame.
    mediawork:
        ``sentences.parquet`` (``article_id``, ``text`` and the four scores).

    Returns
    -------
    dict
        ``naive_sentences``, ``matched`` (naive sentences with the same article and text in
        mediawork's table), ``differing`` (matched sentences with any score different),
        ``examples`` (up to 3 differing sentences).
    """
    keys = ["article_id", "text"]
    left = naive.assign(article_id=naive["article_id"].astype(str), text=naive["text"].astype(str)).drop_duplicates(keys)
    right = mediawork[[*keys, *_SCORES]].astype({"article_id": str, "text": str}).drop_duplicates(keys)
    joined = left.merge(right, on=keys, suffixes=("_nltk", "_mw"))
    differs = pd.Series(False, index=joined.index)
    for k in _SCORES:
        differs |= joined[f"{k}_nltk"] != joined[f"{k}_mw"]
    return {
        "naive_sentences": int(len(naive)),
        "matched": int(len(joined)),
        "differing": int(differs.sum()),
        "examples": joined.loc[differs, "text"].head(3).tolist(),
    }


def compare_terms(sentences: pd.DataFrame, terms: pd.DataFrame, naive_counts: Mapping[str, Counter], *, stopwords: frozenset[str]) -> dict[str, Any]:
    """Check mediawork's unigram counts against the re-implementation, and measure the naive definition's gap.

    Parameters
    ----------
    sentences:
        mediawork's sentences (``article_id``, ``text``) of the articles to check.
    terms:
        mediawork's unigram rows (``article_id``, ``term``, ``count``) of the same articles.
    naive_counts:
        :func:`count_terms`'s counts (all articles; only the checked ones are used).
    stopwords:
        The stopword list both sides used.

    Returns
    -------
    dict
        ``articles`` checked, ``identical`` (articles whose counts equal the
        re-implementation's), ``differing_terms`` (term rows that differ), ``tokens``
        (mediawork unigram tokens), ``naive_tokens`` (the naive definition's tokens) and
        ``naive_same_terms`` (share of mediawork's (article, term) counts the naive
        definition gives exactly).
    """
    tokenizer = NLTKWordTokenizer()
    expected: dict[str, Counter] = {}
    for article_id, sentence in zip(sentences["article_id"].astype(str), sentences["text"].astype(str)):
        expected.setdefault(article_id, Counter()).update(mediawork_unigrams(sentence, stopwords=stopwords, tokenizer=tokenizer))
    actual: dict[str, Counter] = {}
    for article_id, term, count in zip(terms["article_id"].astype(str), terms["term"].astype(str), terms["count"].astype(int)):
        actual.setdefault(article_id, Counter())[term] = count
    ids = sorted(set(expected) | set(actual))
    identical = sum(1 for a in ids if expected.get(a, Counter()) == actual.get(a, Counter()))
    differing_terms = sum(
        1 for a in ids for t in set(expected.get(a, {})) | set(actual.get(a, {})) if expected.get(a, Counter())[t] != actual.get(a, Counter())[t]
    )
    same = total = 0
    naive_tokens = 0
    for a in ids:
        naive = naive_counts.get(a, Counter())
        naive_tokens += sum(naive.values())
        for term, count in actual.get(a, Counter()).items():
            total += 1
            same += naive[term] == count
    return {
        "articles": len(ids),
        "identical": identical,
        "differing_terms": differing_terms,
        "tokens": int(sum(sum(c.values()) for c in actual.values())),
        "naive_tokens": int(naive_tokens),
        "naive_same_terms": same / total if total else 1.0,
    }


def compare_pairs(naive: Counter, cooccurrence: pd.DataFrame) -> dict[str, Any]:
    """How the naive regex pairs relate to mediawork's sentence-window co-occurrence.

    The two are not expected to agree: mediawork also resolves surnames after a full
    name and unambiguous titles, and never double-counts overlapping names.

    Returns
    -------
    dict
        ``naive_pairs``, ``mediawork_pairs``, ``common`` pairs, ``same_count`` (common pairs
        with equal counts), ``naive_total`` and ``mediawork_total`` (summed pair counts).
    """
    rows = cooccurrence[cooccurrence["window"] == "sentence"]
    ours = {(a, b): int(c) for a, b, c in zip(rows["actor_a"], rows["actor_b"], rows["sentences"])}
    common = set(ours) & set(naive)
    return {
        "naive_pairs": len(naive),
        "mediawork_pairs": len(ours),
        "common": len(common),
        "same_count": sum(1 for p in common if ours[p] == naive[p]),
        "naive_total": int(sum(naive.values())),
        "mediawork_total": int(sum(ours.values())),
    }
