"""Actor co-occurrence: which actors appear together, how strongly, and how that changes.

A *window* is the unit in which two actors count as appearing together:

* ``"sentence"``: one sentence, keyed by (``article_id``, ``sentence_id``);
* ``"paragraph"``: one paragraph, keyed by (``article_id``, ``paragraph_id``); the
  paragraph of each sentence comes from the sentences frame;
* ``"article"``: one article, keyed by ``article_id``.

For two actors *a* and *b*, with N the number of windows, n(a) the windows where *a*
is mentioned (at least once) and n(ab) the windows where both are:

* ``sentences`` = n(ab): the number of windows in which both occur (sentences,
  paragraphs or articles depending on ``window``; the name follows the default);
* ``articles``: the number of distinct articles with at least one such window;
* ``pmi`` = log2( p(ab) / (p(a) p(b)) ) with p(x) = n(x) / N;
* ``npmi`` = pmi / -log2 p(ab), in [-1, 1]; 1.0 when both appear in every window;
* ``jaccard`` = n(ab) / (n(a) + n(b) - n(ab)).

N counts every window of the sentences frame when one is given (windows without any
mention included); without it, N is the number of windows holding at least one mention.

Example
-------
>>> import pandas as pd
>>> m = pd.DataFrame({"article_id": ["a", "a", "a", "b"], "sentence_id": [0, 0, 1, 0],
...                   "actor": ["Putin", "Trump", "Trump", "Trump"]})
>>> build_cooccurrence(m, min_count=1)[["actor_a", "actor_b", "sentences", "jaccard"]].values.tolist()
[['Putin', 'Trump', 1, 0.3333333333333333]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd

from mediawork.checks import require_columns
from mediawork.errors import DataError, ParameterError

Window = Literal["sentence", "paragraph", "article"]

WINDOWS: tuple[str, ...] = ("sentence", "paragraph", "article")

#: Columns of a co-occurrence frame, in order.
COOCCURRENCE_COLUMNS = ("actor_a", "actor_b", "window", "sentences", "articles", "pmi", "npmi", "jaccard")

#: Columns of :func:`graph_measures`.
MEASURE_COLUMNS = ("actor", "degree", "weighted_degree", "betweenness", "eigenvector", "community")


def _window_keys(window: str) -> list[str]:
    if window not in WINDOWS:
        raise ParameterError(f"window is {window!r}; expected one of {list(WINDOWS)}")
    return {"sentence": ["article_id", "sentence_id"], "paragraph": ["article_id", "paragraph_id"], "article": ["article_id"]}[window]


@dataclass(frozen=True)
class _ActorWindows:
    """Unique (window, actor) rows as codes, sorted by window then actor."""

    window: np.ndarray  # window key of each row: equal exactly when the windows are (not dense)
    actor: np.ndarray  # actor code of each row; codes follow the names' sort order
    article: np.ndarray  # article code of each row's window
    names: np.ndarray  # actor names (object array), sorted: names[code]
    n_windows: int  # N: every window of the sentences frame, or of the mentions without one


def _codes(values: pd.Series | pd.api.extensions.ExtensionArray | np.ndarray) -> np.ndarray:
    """Dense codes of ``values`` (missing values form one code of their own, as in drop_duplicates)."""
    return pd.factorize(values, use_na_sentinel=False)[0].astype(np.int64, copy=False)


def _distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array (by sorting: numpy's hash-based unique is slow on such keys)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _pair_codes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Dense codes of the pairs (a[i], b[i]) of two non-negative code arrays."""
    return _codes(a * (int(b.max(initial=-1)) + 1) + b)


def _pair_keys(a: np.ndarray, b: np.ndarray, *, room: int) -> np.ndarray:
    """Keys of the pairs (a[i], b[i]): equal exactly when the pairs are, non-negative, and small
    enough that ``key * room`` fits in int64.

    ``a`` holds non-negative codes, ``b`` any integers. The key is ``a * span + (b - min b)``,
    arithmetic instead of hashing, unless that could overflow; then it is the dense codes
    of :func:`_pair_codes`. Only which pairs are equal matters to the counts, never the
    keys' values, so both give the same counts.
    """
    if not len(a):
        return np.zeros(0, dtype=np.int64)
    lo = int(b.min())
    span = int(b.max()) - lo + 1
    if (int(a.max()) + 1) * span * max(room, 1) < 2**62:  # Python integers: the check itself cannot overflow
        return a * span + (b - lo)
    return _pair_codes(a, _codes(b))


def _named_mentions(mentions: pd.DataFrame, sentences: pd.DataFrame | None, window: str) -> tuple[pd.api.extensions.ExtensionArray, np.ndarray, pd.api.extensions.ExtensionArray]:
    """(article ids, sentence numbers, actors) of the mentions that name an actor, checked."""
    require_columns(mentions, ["article_id", "sentence_id", "actor"], what="the mentions frame", hint="build it with mediawork.actors.find_mentions")
    m_actor = mentions["actor"].astype("string")
    named = m_actor.notna().to_numpy()
    # strings stay Arrow-backed: factorising them is much faster than hashing Python objects
    m_article = mentions["article_id"].astype("string").array
    m_sentence = pd.to_numeric(mentions["sentence_id"]).astype("int64").to_numpy()
    m_actor = m_actor.array
    if not named.all():  # selecting every row would only copy them (every mention names its actor in analyze)
        m_article, m_sentence, m_actor = m_article[named], m_sentence[named], m_actor[named]
    if m_article.isna().any():
        raise DataError(
            f"{int(m_article.isna().sum())} mention(s) have no article_id; "
            "expected every mention to name its article (build mentions with mediawork.actors.find_mentions)"
        )
    if window == "paragraph":
        if sentences is None:
            raise ParameterError("window='paragraph' needs the sentences frame (for paragraph_id); pass sentences=...")
        require_columns(sentences, ["article_id", "sentence_id", "paragraph_id"], what="the sentences frame", hint="build it with mediawork.text.sentences_frame")
    return m_article, m_sentence, m_actor


def _windows(mentions: pd.DataFrame, sentences: pd.DataFrame | None, window: str, *, dense: bool = False) -> _ActorWindows:
    """The actors of every window of one kind, and the total number of windows N (see :func:`_windows_of`)."""
    return _windows_of(mentions, sentences, (window,), dense=dense)[0]


def _windows_of(mentions: pd.DataFrame, sentences: pd.DataFrame | None, windows: Sequence[str], *, dense: bool = False) -> list[_ActorWindows]:
    """The actors of every window of each kind in ``windows``, and the total number of windows N, from integer keys.

    Articles and actors are factorised; a sentence or paragraph window is keyed by
    arithmetic on its article code and its number (:func:`_pair_keys`), not by further
    factorising, since only which windows are equal matters. With ``dense`` the windows
    get dense codes from chained factorisations instead, and N is the number of codes:
    the reference the tests compare the arithmetic keys with (the same counts).

    What does not depend on the window kind (the checked mention columns, the actor and
    article codes, the sentence keys) is computed once for all kinds: each kind's result
    is exactly what a call for that kind alone gives.
    """
    keys_of = [_window_keys(window) for window in windows]
    checked = "paragraph" if "paragraph" in windows else windows[0]  # the only kind _named_mentions checks for
    m_article, m_sentence, m_actor = _named_mentions(mentions, sentences, checked)
    actor_codes, names = pd.factorize(m_actor)
    names = np.asarray(names, dtype=object)
    n_names = max(len(names), 1)
    order = np.array(sorted(range(len(names)), key=names.__getitem__), dtype=np.int64)
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names), dtype=np.int64)
    actor_rank = rank[actor_codes]

    def pair_key(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return _pair_codes(a, _codes(b)) if dense else _pair_keys(a, b, room=n_names)

    n_m = len(m_article)
    shared: dict[str, np.ndarray] = {}  # computed on first use by a kind that needs it

    def once(name: str, compute) -> np.ndarray:
        if name not in shared:
            shared[name] = compute()
        return shared[name]

    out = []
    for window, keys in zip(windows, keys_of):
        if sentences is None:
            article = once("article", lambda: _codes(m_article))
            key = article if window == "article" else once("sentence_key", lambda: pair_key(article, m_sentence))
            n_windows = int(key.max(initial=-1)) + 1 if dense else None  # None: counted from the rows below
        else:
            require_columns(sentences, keys if window != "sentence" else ["article_id", "sentence_id"], what="the sentences frame", hint="build it with mediawork.text.sentences_frame")
            articles = once("articles", lambda: _codes(pd.concat([pd.Series(m_article), pd.Series(sentences["article_id"].astype("string").array)], ignore_index=True)))
            if window == "article":
                key = articles
            else:
                sentence_key = once("sentence_key", lambda: pair_key(articles, np.concatenate([m_sentence, pd.to_numeric(sentences["sentence_id"]).astype("int64").to_numpy()])))
                if window == "sentence":
                    key = sentence_key
                else:
                    key = _paragraph_keys(sentence_key[:n_m], sentence_key[n_m:], articles, sentences["paragraph_id"], m_article, m_sentence,
                                          room=None if dense else n_names)
            # every window of the mentions and the sentences (dense keys are codes 0..N-1)
            n_windows = int(key.max(initial=-1)) + 1 if dense else len(pd.unique(key))
            article = articles[:n_m]
            key = key[:n_m]
        window_key = _codes(key) if dense else key
        rows, first = np.unique(window_key * n_names + actor_rank, return_index=True)  # one per (window, actor), sorted
        found = rows // n_names
        if n_windows is None:
            n_windows = int(np.count_nonzero(found[1:] != found[:-1])) + 1 if len(found) else 0
        out.append(_ActorWindows(window=found, actor=rows % n_names, article=article[first], names=names[order], n_windows=n_windows))
    return out


def _paragraph_keys(
    m_key: np.ndarray, s_key: np.ndarray, articles: np.ndarray, paragraph_id: pd.Series, m_article: pd.api.extensions.ExtensionArray, m_sentence: np.ndarray, *, room: int | None = None
) -> np.ndarray:
    """Paragraph window keys of the mentions followed by the sentences; a mention takes its sentence's (first) paragraph.

    ``m_key``, ``s_key``: sentence keys (equal exactly when the sentences are). Dense
    codes by default; with ``room``, keys from :func:`_pair_keys` (see there).
    """
    s_paragraph = _codes(paragraph_id)
    missing = pd.isna(paragraph_id).to_numpy()
    known, first = np.unique(s_key, return_index=True)
    if len(known):
        at = np.minimum(np.searchsorted(known, m_key), len(known) - 1)
        row = first[at]
        unplaced = (known[at] != m_key) | missing[row]
    else:
        row, unplaced = np.zeros(len(m_key), dtype=np.int64), np.ones(len(m_key), dtype=bool)
    if unplaced.any():
        i = int(np.flatnonzero(unplaced)[0])
        raise DataError(
            f"{int(unplaced.sum())} mention(s) refer to sentences missing from the sentences frame "
            f"(first: article {m_article[i]!r}, sentence {m_sentence[i]}); expected the frame the mentions were found in"
        )
    paragraphs = np.concatenate([s_paragraph[row], s_paragraph])
    return _pair_codes(articles, paragraphs) if room is None else _pair_keys(articles, paragraphs, room=room)


def _empty() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype="string") for c in ("actor_a", "actor_b", "window")})
    for c in ("sentences", "articles"):
        df[c] = pd.Series(dtype="int64")
    for c in ("pmi", "npmi", "jaccard"):
        df[c] = pd.Series(dtype="float64")
    return df


def build_cooccurrence(
    mentions: pd.DataFrame,
    *,
    sentences: pd.DataFrame | None = None,
    window: Window = "sentence",
    min_count: int = 2,
) -> pd.DataFrame:
    """Count and score every pair of actors mentioned in the same window.

    Parameters
    ----------
    mentions:
        Columns ``article_id``, ``sentence_id``, ``actor`` (e.g. from
        :func:`mediawork.actors.find_mentions`). Not modified.
    sentences:
        The sentences frame; gives ``paragraph_id`` (required for
        ``window="paragraph"``) and the total number of windows N (see the module
        docstring). Not modified.
    window:
        ``"sentence"``, ``"paragraph"`` or ``"article"``.
    min_count:
        Keep pairs that share at least this many windows.

    Returns
    -------
    pandas.DataFrame
        :data:`COOCCURRENCE_COLUMNS`, one row per pair with ``actor_a < actor_b``,
        sorted by ``sentences`` (descending), then ``actor_a``, ``actor_b``.

    Notes
    -----
    Windows and actors are factorised into integer codes and the pairs of every
    window with two or more actors are enumerated with numpy, so the cost grows
    with the number of pairs, not with Python loops over them.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 0], "actor": ["Rubio", "Lavrov"]})
    >>> build_cooccurrence(m, min_count=1)[["actor_a", "actor_b", "sentences", "pmi"]].values.tolist()
    [['Lavrov', 'Rubio', 1, 0.0]]
    """
    _check_min_count(min_count)
    return cooccurrence_from_counts(cooccurrence_counts(mentions, sentences=sentences, window=window), window=window, min_count=min_count)


#: Columns of :func:`cooccurrence_counts`.
COUNT_COLUMNS = ("window", "kind", "actor_a", "actor_b", "count", "articles")


def _check_min_count(min_count: int) -> None:
    if not isinstance(min_count, (int, np.integer)) or isinstance(min_count, bool) or min_count < 1:
        raise ParameterError(f"min_count is {min_count!r}; expected a whole number of at least 1")


def cooccurrence_counts(mentions: pd.DataFrame, *, sentences: pd.DataFrame | None = None, window: Window = "sentence") -> pd.DataFrame:
    """The additive counts behind :func:`build_cooccurrence`, to be summed over parts of a corpus.

    Windows never cross articles, so the counts of article-disjoint parts add up to
    the counts of their union; :func:`cooccurrence_from_counts` sums them and scores
    the pairs, giving exactly what :func:`build_cooccurrence` gives on the whole.
    ``mediawork analyze`` keeps these counts per part, so a run recounts only the
    parts it rewrites.

    Returns
    -------
    pandas.DataFrame
        :data:`COUNT_COLUMNS`: one ``kind="windows"`` row (``count`` = N), one
        ``kind="actor"`` row per actor (``count`` = n(a)) and one ``kind="pair"`` row
        per pair with ``actor_a < actor_b`` (``count`` = n(ab), ``articles``); unused
        name fields are empty strings.

    Examples
    --------
    >>> m = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 0], "actor": ["Rubio", "Lavrov"]})
    >>> cooccurrence_counts(m)[["kind", "actor_a", "actor_b", "count"]].values.tolist()
    [['windows', '', '', 1], ['actor', 'Lavrov', '', 1], ['actor', 'Rubio', '', 1], ['pair', 'Lavrov', 'Rubio', 1]]
    """
    return window_counts(mentions, sentences=sentences, windows=(window,))


def window_counts(mentions: pd.DataFrame, *, sentences: pd.DataFrame | None = None, windows: Sequence[Window] = WINDOWS) -> pd.DataFrame:
    """:func:`cooccurrence_counts` of several windows at once: their rows one window after the other.

    The same rows as concatenating ``cooccurrence_counts(mentions, sentences=sentences,
    window=w)`` for each ``w`` of ``windows``, with the work every window shares (checking
    the columns, coding the actors, articles and sentences) done once.

    Examples
    --------
    >>> m = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 1], "actor": ["Rubio", "Lavrov"]})
    >>> window_counts(m, windows=("sentence", "article")).query("kind == 'pair'")[["window", "count"]].values.tolist()
    [['article', 1]]
    """
    found = _windows_of(mentions, sentences, tuple(windows))
    names = pd.array(["", *found[0].names], dtype="string")  # every kind has the same names; names[0] is the empty field, names[c + 1] actor c
    parts: dict[str, list[np.ndarray]] = {name: [] for name in ("window", "kind", "actor_a", "actor_b", "count", "articles")}
    for w, (window, aw) in enumerate(zip(windows, found)):
        n_actors = len(aw.names)
        n_of = np.bincount(aw.actor, minlength=n_actors)
        left, right = _pairs_within_windows(aw.window)
        pair = aw.actor[left] * n_actors + aw.actor[right]  # actor[left] < actor[right]: rows are sorted within a window
        pairs, n_windows_of_pair, n_articles_of_pair = _pair_totals(pair, aw.article[left], one_window_per_article=window == "article")
        seen = np.flatnonzero(n_of)
        a, b = pairs // max(n_actors, 1), pairs % max(n_actors, 1)
        parts["window"].append(np.full(1 + len(seen) + len(pairs), w, dtype=np.int64))
        parts["kind"].append(np.repeat(np.arange(3, dtype=np.int64), [1, len(seen), len(pairs)]))
        parts["actor_a"].append(np.concatenate([[0], seen + 1, a + 1]).astype(np.int64))
        parts["actor_b"].append(np.concatenate([np.zeros(1 + len(seen), dtype=np.int64), b + 1]).astype(np.int64))
        parts["count"].append(np.concatenate([[aw.n_windows], n_of[seen], n_windows_of_pair]).astype("int64"))
        parts["articles"].append(np.concatenate([np.zeros(1 + len(seen), dtype=np.int64), n_articles_of_pair]).astype("int64"))
    at = {name: np.concatenate(arrays) for name, arrays in parts.items()}
    # the text columns are taken from small string arrays by position: the same values
    # and dtype as building them from Python lists of those strings, without the lists
    return pd.DataFrame(
        {
            "window": pd.array(list(windows), dtype="string").take(at["window"]),
            "kind": pd.array(["windows", "actor", "pair"], dtype="string").take(at["kind"]),
            "actor_a": names.take(at["actor_a"]),
            "actor_b": names.take(at["actor_b"]),
            "count": at["count"],
            "articles": at["articles"],
        },
        columns=list(COUNT_COLUMNS),
    )


def _pair_totals(pair: np.ndarray, article: np.ndarray, *, one_window_per_article: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct pairs (sorted), the windows each occurs in and the distinct articles of those windows.

    ``pair``: the pair code of every (window, pair) occurrence, each once per window;
    ``article``: the article code of each occurrence's window. One sort of the
    (pair, article) keys gives both counts (the reference :func:`_pair_totals_slow`
    sorts twice); when every window is a whole article, the article count is the
    window count.
    """
    if not len(pair):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    if one_window_per_article:
        pairs, n_windows = np.unique(pair, return_counts=True)
        return pairs, n_windows, n_windows
    n_art = int(article.max()) + 1
    keys = np.sort(pair * n_art + article)
    of_pair = keys // n_art
    starts = np.flatnonzero(np.r_[True, of_pair[1:] != of_pair[:-1]])
    n_windows = np.diff(np.r_[starts, len(keys)])
    new_article = np.r_[True, keys[1:] != keys[:-1]].astype(np.int64)
    return of_pair[starts], n_windows, np.add.reduceat(new_article, starts)


def _pair_totals_slow(pair: np.ndarray, article: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The reference :func:`_pair_totals`: unique pairs, then the distinct (pair, article) keys."""
    pairs, n_windows_of_pair = np.unique(pair, return_counts=True)
    if len(pairs):
        n_art = int(article.max()) + 1
        in_articles = _distinct(pair * n_art + article) // n_art  # each pair once per article it occurs in
        n_articles_of_pair = np.bincount(np.searchsorted(pairs, in_articles), minlength=len(pairs))
    else:
        n_articles_of_pair = np.zeros(0, dtype=np.int64)
    return pairs, n_windows_of_pair, n_articles_of_pair


def cooccurrence_from_counts(counts: pd.DataFrame, *, window: Window = "sentence", min_count: int = 2) -> pd.DataFrame:
    """Sum :func:`cooccurrence_counts` of article-disjoint parts and score the pairs of one window.

    Parameters
    ----------
    counts:
        Rows of :func:`cooccurrence_counts` (rows of other windows are ignored).
    window, min_count:
        As for :func:`build_cooccurrence`.

    Examples
    --------
    >>> m = pd.DataFrame({"article_id": ["a", "a", "b"], "sentence_id": [0, 0, 0], "actor": ["Rubio", "Lavrov", "Rubio"]})
    >>> parts = pd.concat([cooccurrence_counts(m[m["article_id"] == x]) for x in "ab"])
    >>> cooccurrence_from_counts(parts, min_count=1).equals(build_cooccurrence(m, min_count=1))
    True
    """
    _check_min_count(min_count)
    _window_keys(window)
    require_columns(counts, list(COUNT_COLUMNS), what="the counts frame", hint="build it with cooccurrence_counts")
    mine = counts[counts["window"] == window]
    n_windows = int(mine.loc[mine["kind"] == "windows", "count"].sum())
    n_of = mine[mine["kind"] == "actor"].groupby("actor_a", sort=True)["count"].sum()
    pairs = mine[mine["kind"] == "pair"].groupby(["actor_a", "actor_b"], sort=True)[["count", "articles"]].sum().reset_index()
    pairs = pairs[pairs["count"] >= min_count]
    if pairs.empty:
        return _empty()
    count = pairs["count"].to_numpy(dtype=np.int64)
    n_ab = count.astype("float64")
    n_a = n_of.reindex(pairs["actor_a"]).to_numpy(dtype=np.int64).astype("float64")
    n_b = n_of.reindex(pairs["actor_b"]).to_numpy(dtype=np.int64).astype("float64")
    p_ab = n_ab / n_windows
    pmi = np.log2(n_ab * n_windows / (n_a * n_b))
    with np.errstate(divide="ignore", invalid="ignore"):
        npmi = np.where(p_ab >= 1.0, 1.0, pmi / -np.log2(p_ab))
    out = pd.DataFrame(
        {
            "actor_a": np.asarray(pairs["actor_a"], dtype=object),
            "actor_b": np.asarray(pairs["actor_b"], dtype=object),
            "window": pd.array([window] * len(pairs), dtype="string"),
            "sentences": count.astype("int64"),
            "articles": pairs["articles"].to_numpy(dtype=np.int64),
            "pmi": pmi,
            "npmi": npmi,
            "jaccard": n_ab / (n_a + n_b - n_ab),
        }
    )
    return out.sort_values(["sentences", "actor_a", "actor_b"], ascending=[False, True, True], kind="stable").reset_index(drop=True)


def _pairs_within_windows(window: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row positions (i, j), i < j, of every two rows in the same window; ``window`` is sorted."""
    n = len(window)
    starts = np.flatnonzero(np.r_[True, window[1:] != window[:-1]])
    sizes = np.diff(np.r_[starts, n])
    after = np.repeat(starts + sizes, sizes) - np.arange(n) - 1  # rows after each row in its window
    total = int(after.sum())
    left = np.repeat(np.arange(n), after)
    right = left + 1 + np.arange(total) - np.repeat(np.cumsum(after) - after, after)
    return left, right


def cooccurrence_graph(cooc: pd.DataFrame, *, weight: str = "sentences") -> nx.Graph:
    """An undirected graph: one node per actor, one edge per pair of a co-occurrence frame.

    Parameters
    ----------
    cooc:
        From :func:`build_cooccurrence`. Not modified.
    weight:
        The numeric column copied to each edge's ``weight`` attribute; every
        column is also kept as an edge attribute.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"article_id": ["a"] * 2, "sentence_id": [0, 0], "actor": ["Rubio", "Lavrov"]})
    >>> g = cooccurrence_graph(build_cooccurrence(m, min_count=1))
    >>> sorted(g.nodes), g["Lavrov"]["Rubio"]["weight"]
    (['Lavrov', 'Rubio'], 1.0)
    """
    require_columns(cooc, ["actor_a", "actor_b", weight], what="the co-occurrence frame", hint="build it with build_cooccurrence")
    if not pd.api.types.is_numeric_dtype(cooc[weight]):
        raise ParameterError(f"weight column {weight!r} has dtype {cooc[weight].dtype}; expected a numeric column such as 'sentences', 'npmi' or 'jaccard'")
    graph = nx.Graph()
    rows = cooc.sort_values(["actor_a", "actor_b"], kind="stable")
    graph.add_nodes_from(sorted(set(rows["actor_a"].astype(str)) | set(rows["actor_b"].astype(str))))
    for rec in rows.to_dict("records"):
        attrs = {k: (v.item() if hasattr(v, "item") else v) for k, v in rec.items() if k not in ("actor_a", "actor_b")}
        graph.add_edge(str(rec["actor_a"]), str(rec["actor_b"]), **attrs, weight=float(rec[weight]))
    return graph


def graph_measures(graph: nx.Graph, *, seed: int = 0) -> pd.DataFrame:
    """Centrality and community of every actor in a co-occurrence graph.

    Parameters
    ----------
    graph:
        From :func:`cooccurrence_graph`; edges carry a positive ``weight``.
    seed:
        Seed of the Louvain community detection, so ids are the same on every run.

    Returns
    -------
    pandas.DataFrame
        ``actor``; ``degree`` (number of partners); ``weighted_degree`` (sum of edge
        weights); ``betweenness`` (normalised, shortest paths with distance
        1/weight, so strong ties are short); ``eigenvector`` (weighted eigenvector
        centrality, NaN if it does not converge); ``community`` (Louvain community,
        numbered 0, 1, ... from the largest; ties by first actor name). Sorted by
        ``weighted_degree`` descending, then ``actor``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph(); g.add_edge("A", "B", weight=2.0); g.add_edge("B", "C", weight=1.0)
    >>> graph_measures(g)[["actor", "weighted_degree", "betweenness"]].values.tolist()
    [['B', 3.0, 1.0], ['A', 2.0, 0.0], ['C', 1.0, 0.0]]
    """
    if not isinstance(graph, nx.Graph):
        raise ParameterError(f"found a {type(graph).__name__}; expected a networkx.Graph from cooccurrence_graph()")
    columns = list(MEASURE_COLUMNS)
    if graph.number_of_nodes() == 0:
        out = pd.DataFrame({c: [] for c in columns})
        return out.astype({"actor": "string", "degree": "int64", "weighted_degree": "float64", "betweenness": "float64", "eigenvector": "float64", "community": "int64"})
    g = nx.Graph()
    g.add_nodes_from(sorted(graph.nodes))
    for a, b, data in sorted(graph.edges(data=True), key=lambda e: (min(e[0], e[1]), max(e[0], e[1]))):
        w = float(data.get("weight", 1.0))
        if not w > 0:
            w = 1e-12  # keep the edge; a zero or negative weight would break the distance 1/weight
        g.add_edge(a, b, weight=w, distance=1.0 / w)
    betweenness = nx.betweenness_centrality(g, weight="distance", normalized=True)
    try:
        eigen = nx.eigenvector_centrality(g, weight="weight", max_iter=2000, tol=1e-9) if g.number_of_edges() else {n: np.nan for n in g}
    except nx.PowerIterationFailedConvergence:
        eigen = {n: np.nan for n in g}
    communities = nx.community.louvain_communities(g, weight="weight", seed=seed)
    ordered = sorted((sorted(map(str, c)) for c in communities), key=lambda c: (-len(c), c[0]))
    community = {actor: i for i, members in enumerate(ordered) for actor in members}
    nodes = list(g.nodes)
    out = pd.DataFrame(
        {
            "actor": pd.array([str(n) for n in nodes], dtype="string"),
            "degree": [int(g.degree(n)) for n in nodes],
            "weighted_degree": [float(g.degree(n, weight="weight")) for n in nodes],
            "betweenness": [float(betweenness[n]) for n in nodes],
            "eigenvector": [float(eigen[n]) for n in nodes],
            "community": [community[str(n)] for n in nodes],
        }
    )
    return out.sort_values(["weighted_degree", "actor"], ascending=[False, True], kind="stable").reset_index(drop=True)


def cooccurrence_by_period(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    freq: str = "W",
    window: Window = "sentence",
    min_count: int = 1,
) -> pd.DataFrame:
    """Co-occurrence per publication period, to follow how ties change over time.

    Each article falls in the period of its ``published`` time (UTC); articles
    without a date are left out. Within a period, N counts that period's windows.

    Parameters
    ----------
    mentions, sentences:
        As for :func:`build_cooccurrence`. Not modified.
    articles:
        Columns ``article_id`` and ``published`` (UTC timestamps). Not modified.
    freq:
        A pandas period frequency: ``"D"``, ``"W"`` (weeks ending Sunday), ``"M"``...
    window, min_count:
        As for :func:`build_cooccurrence` (``min_count`` defaults to 1 here,
        since periods are small).

    Returns
    -------
    pandas.DataFrame
        ``period`` (the period's first day, UTC) followed by
        :data:`COOCCURRENCE_COLUMNS`; sorted by period, then as
        :func:`build_cooccurrence`.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"article_id": ["a", "a", "b", "b"], "sentence_id": [0, 0, 0, 0],
    ...                   "actor": ["Putin", "Trump", "Putin", "Trump"]})
    >>> s = pd.DataFrame({"article_id": ["a", "b"], "sentence_id": [0, 0], "text": ["...", "..."]})
    >>> a = pd.DataFrame({"article_id": ["a", "b"],
    ...                   "published": pd.to_datetime(["2025-03-11", "2025-03-19"], utc=True)})
    >>> cooccurrence_by_period(m, s, a)[["period", "sentences"]].astype(str).values.tolist()
    [['2025-03-10 00:00:00+00:00', '1'], ['2025-03-17 00:00:00+00:00', '1']]
    """
    require_columns(articles, ["article_id", "published"], what="the articles frame", hint="read it with mediawork.store.read_articles")
    require_columns(sentences, ["article_id", "sentence_id"], what="the sentences frame", hint="build it with mediawork.text.sentences_frame")
    published = pd.to_datetime(articles["published"], utc=True, errors="coerce")
    dated = pd.DataFrame({"article_id": articles["article_id"].astype("string").to_numpy(), "published": published.to_numpy()}).dropna()
    try:
        periods = dated["published"].dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period(freq)
    except (ValueError, TypeError):
        raise ParameterError(f"freq is {freq!r}, which is not a period frequency; expected e.g. 'D', 'W', 'M', 'Q' or 'Y'") from None
    dated["period"] = periods.dt.start_time.dt.tz_localize("UTC")
    period_of = dict(zip(dated["article_id"], dated["period"]))
    m_period = mentions["article_id"].astype("string").map(period_of)
    s_period = sentences["article_id"].astype("string").map(period_of)
    parts = []
    for period in sorted(set(period_of.values())):
        cooc = build_cooccurrence(mentions[m_period == period], sentences=sentences[s_period == period], window=window, min_count=min_count)
        if not cooc.empty:
            parts.append(cooc.assign(period=period))
    if not parts:
        out = _empty()
        out.insert(0, "period", pd.Series(dtype="datetime64[us, UTC]"))
        return out
    out = pd.concat(parts, ignore_index=True)
    return out[["period", *COOCCURRENCE_COLUMNS]].reset_index(drop=True)
