"""Exact and near-duplicate articles: who is a copy of whom.

Two articles are exact duplicates when their normalised bodies are equal, and
near duplicates when the Jaccard similarity of their word 5-shingles reaches a
threshold (0.7 by default) — the same syndicated story on two sites with
different boilerplate, or with a paragraph trimmed. Candidates come from
datasketch's MinHash LSH; every candidate is then verified with the exact Jaccard
similarity of the shingle sets, so the result does not depend on hashing luck.

The "first" article of a group is the earliest published one (articles without a
date come after dated ones), ties broken by ``source_file`` then ``article_id``;
every other member gets ``duplicate_of`` = that first article's id.

Example
-------
>>> import pandas as pd
>>> df = pd.DataFrame({"article_id": ["a", "b", "c"], "source_file": ["1.txt", "2.txt", "3.txt"],
...                    "published": pd.to_datetime(["2025-03-18", "2025-03-19", None], utc=True),
...                    "text": ["Talks resumed in Riyadh on Monday.", "Talks resumed in Riyadh on Monday!", "Other news."]})
>>> mark_duplicates(df).tolist()
[None, 'a', None]
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd
from datasketch import MinHash, MinHashLSH

_WORD = re.compile(r"\w+", re.UNICODE)

#: Jaccard similarity of word 5-shingles at or above which two bodies are near duplicates.
NEAR_THRESHOLD = 0.7
SHINGLE_WORDS = 5
NUM_PERM = 128


def normalize_body(text: str) -> str:
    """Case-folded words of ``text`` joined by single spaces (punctuation dropped)."""
    return " ".join(_WORD.findall(text.casefold()))


def shingles(text: str, *, size: int = SHINGLE_WORDS) -> frozenset[str]:
    """The set of word ``size``-grams of the normalised body (the whole body when shorter)."""
    words = normalize_body(text).split()
    if len(words) <= size:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two sets (0.0 for two empty sets)."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def _order(articles: pd.DataFrame) -> list[int]:
    """Row positions in "first article" order: dated before undated, earliest first."""
    published = articles["published"] if "published" in articles else pd.Series(pd.NaT, index=articles.index)
    key = pd.DataFrame(
        {
            "undated": published.isna().to_numpy(),
            "published": published.to_numpy(),
            "source_file": articles["source_file"].astype(str).to_numpy() if "source_file" in articles else "",
            "article_id": articles["article_id"].astype(str).to_numpy(),
            "pos": range(len(articles)),
        }
    )
    return key.sort_values(["undated", "published", "source_file", "article_id"], kind="stable")["pos"].tolist()


def mark_duplicates(
    articles: pd.DataFrame,
    *,
    threshold: float = NEAR_THRESHOLD,
    num_perm: int = NUM_PERM,
) -> pd.Series:
    """Return ``duplicate_of`` for each row of ``articles`` (same index), None for originals.

    Parameters
    ----------
    articles:
        Needs ``article_id`` and ``text``; ``published`` and ``source_file`` decide
        which article of a group counts as the first.
    threshold:
        Jaccard similarity of word 5-shingles for near duplicates (exact duplicates
        always count).
    num_perm:
        MinHash permutations used to find candidates.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    ids = articles["article_id"].astype(str).tolist()
    texts = articles["text"].fillna("").astype(str).tolist()
    result: list[str | None] = [None] * len(articles)
    root: dict[int, int] = {}
    exact_first: dict[str, int] = {}
    # A lower LSH threshold than the verified one, so candidates near the threshold are not missed.
    lsh = MinHashLSH(threshold=max(0.3, threshold - 0.2), num_perm=num_perm)
    sets: dict[int, frozenset[str]] = {}
    order = _order(articles)
    rank = {pos: i for i, pos in enumerate(order)}
    for pos in order:
        norm = normalize_body(texts[pos])
        digest = hashlib.sha256(norm.encode()).hexdigest()
        if digest in exact_first:
            root[pos] = root[exact_first[digest]]
        else:
            exact_first[digest] = pos
            sh = shingles(texts[pos])
            sets[pos] = sh
            match = None
            if sh:
                mh = MinHash(num_perm=num_perm, seed=1)
                mh.update_batch([s.encode() for s in sorted(sh)])
                for cand in sorted((int(c) for c in lsh.query(mh)), key=rank.__getitem__):
                    if jaccard(sh, sets[cand]) >= threshold:
                        match = cand
                        break
                lsh.insert(str(pos), mh)
            root[pos] = root[match] if match is not None else pos
        if root[pos] != pos:
            result[pos] = ids[root[pos]]
    return pd.Series(result, index=articles.index, dtype=object, name="duplicate_of")

