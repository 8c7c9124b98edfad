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

Signatures (the digest of the normalised body and its MinHash) are the costly
part. :func:`compute_signatures` returns them as a table that ingest stores
(``signatures.parquet``) and passes back on the next run: rows whose text is
unchanged are reused, so only new bodies are hashed. Shingle sets, needed only to
verify LSH candidates, are built on demand. Results are identical with and
without stored signatures.

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

import numpy as np
import pandas as pd
from datasketch import LeanMinHash, MinHash, MinHashLSH

from .errors import DataError, ParameterError

_WORD = re.compile(r"\w+", re.UNICODE)

#: Jaccard similarity of word 5-shingles at or above which two bodies are near duplicates.
NEAR_THRESHOLD = 0.7
SHINGLE_WORDS = 5
NUM_PERM = 128
_SEED = 1
_SCHEME = "affine32"
#: Columns of the signature table (``schema.SIGNATURES``).
SIGNATURE_COLUMNS = ["article_id", "text_sha256", "method", "digest", "minhash"]


def signature_method(*, num_perm: int = NUM_PERM) -> str:
    """The label of how signatures are computed; stored signatures with another label are recomputed."""
    return f"words{SHINGLE_WORDS}-perm{num_perm}-seed{_SEED}-{_SCHEME}-v1"


#: The default signature method.
SIGNATURE_METHOD = signature_method()


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
    if len(a) > len(b):
        a, b = b, a
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


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


def _text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _new_signature(text: str, permutations) -> tuple[str, bytes | None]:
    """(digest of the normalised body, MinHash bytes or None when it has no words)."""
    digest = hashlib.sha256(normalize_body(text).encode()).hexdigest()
    sh = shingles(text)
    if not sh:
        return digest, None
    mh = MinHash(num_perm=len(permutations[0]), seed=_SEED, permutations=permutations, scheme=_SCHEME)
    mh.update_batch([s.encode() for s in sorted(sh)])
    return digest, mh.hashvalues.astype("<u4").tobytes()


def compute_signatures(
    articles: pd.DataFrame,
    *,
    cached: pd.DataFrame | None = None,
    num_perm: int = NUM_PERM,
) -> pd.DataFrame:
    """Return each article's duplicate-finding signature, reusing ``cached`` ones.

    Parameters
    ----------
    articles:
        Needs ``article_id`` and ``text``.
    cached:
        Signatures from an earlier run (``signatures.parquet``); a row is reused when
        its ``text_sha256`` and ``method`` match the article's text and the current
        method, whatever its ``article_id``. Everything else is computed.
    num_perm:
        MinHash permutations.

    Returns
    -------
    pd.DataFrame
        One row per article, in the order of ``articles`` (a fresh index), with the
        columns of ``schema.SIGNATURES``.

    Examples
    --------
    >>> df = pd.DataFrame({"article_id": ["a"], "text": ["Talks resumed in Riyadh on Monday."]})
    >>> sig = compute_signatures(df)
    >>> compute_signatures(df, cached=sig).equals(sig)
    True
    """
    missing = [c for c in ("article_id", "text") if c not in articles.columns]
    if missing:
        raise DataError(f"compute_signatures needs columns {missing}; got {list(articles.columns)}")
    method = signature_method(num_perm=num_perm)
    texts = articles["text"].fillna("").astype(str).tolist()
    shas = [_text_sha(t) for t in texts]
    known: dict[str, tuple[str, bytes | None]] = {}
    if cached is not None and len(cached):
        bad = [c for c in SIGNATURE_COLUMNS if c not in cached.columns]
        if bad:
            raise DataError(f"cached signatures lack columns {bad}; got {list(cached.columns)}; pass the table read from signatures.parquet")
        usable = cached[cached["method"] == method]
        for sha, digest, mh in zip(usable["text_sha256"], usable["digest"], usable["minhash"]):
            known[sha] = (digest, None if mh is None or pd.isna(mh) else bytes(mh))
    permutations = None
    digests: list[str] = []
    minhashes: list[bytes | None] = []
    for text, sha in zip(texts, shas):
        if sha not in known:
            if permutations is None:
                permutations = MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME).permutations
            known[sha] = _new_signature(text, permutations)
        digest, mh = known[sha]
        digests.append(digest)
        minhashes.append(mh)
    return pd.DataFrame(
        {
            "article_id": articles["article_id"].astype(str).tolist(),
            "text_sha256": shas,
            "method": [method] * len(texts),
            "digest": digests,
            "minhash": pd.Series(minhashes, dtype=object),
        },
        columns=SIGNATURE_COLUMNS,
    )


def mark_duplicates(
    articles: pd.DataFrame,
    *,
    threshold: float = NEAR_THRESHOLD,
    num_perm: int = NUM_PERM,
    signatures: pd.DataFrame | None = None,
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
    signatures:
        Stored signatures (see :func:`compute_signatures`); rows matching an
        article's text are reused, the rest computed. The result is the same with or
        without them.

    Examples
    --------
    >>> df = pd.DataFrame({"article_id": ["a", "b"], "source_file": ["1.txt", "2.txt"],
    ...                    "published": pd.to_datetime(["2025-03-18", "2025-03-19"], utc=True),
    ...                    "text": ["Talks resumed in Riyadh.", "TALKS resumed in Riyadh!"]})
    >>> mark_duplicates(df, signatures=compute_signatures(df)).tolist()
    [None, 'a']
    """
    if not 0 < threshold <= 1:
        raise ParameterError(f"threshold must be in (0, 1], got {threshold}; pass e.g. threshold=0.7")
    sigs = compute_signatures(articles, cached=signatures, num_perm=num_perm)
    ids = articles["article_id"].astype(str).tolist()
    texts = articles["text"].fillna("").astype(str).tolist()
    digests = sigs["digest"].tolist()
    minhashes = sigs["minhash"].tolist()
    result: list[str | None] = [None] * len(articles)
    root: dict[int, int] = {}
    exact_first: dict[str, int] = {}
    # A lower LSH threshold than the verified one, so candidates near the threshold are not missed.
    lsh = MinHashLSH(threshold=max(0.3, threshold - 0.2), num_perm=num_perm)
    sets: dict[int, frozenset[str]] = {}

    def shingle_set(pos: int) -> frozenset[str]:
        if pos not in sets:
            sets[pos] = shingles(texts[pos])
        return sets[pos]

    order = _order(articles)
    rank = {pos: i for i, pos in enumerate(order)}
    for pos in order:
        digest = digests[pos]
        if digest in exact_first:
            root[pos] = root[exact_first[digest]]
        else:
            exact_first[digest] = pos
            match = None
            if minhashes[pos] is not None:
                mh = LeanMinHash(seed=_SEED, hashvalues=np.frombuffer(minhashes[pos], dtype="<u4"), scheme=_SCHEME)
                for cand in sorted((int(c) for c in lsh.query(mh)), key=rank.__getitem__):
                    if jaccard(shingle_set(pos), shingle_set(cand)) >= threshold:
                        match = cand
                        break
                lsh.insert(str(pos), mh, check_duplication=False)
            root[pos] = root[match] if match is not None else pos
        if root[pos] != pos:
            result[pos] = ids[root[pos]]
    return pd.Series(result, index=articles.index, dtype=object, name="duplicate_of")
