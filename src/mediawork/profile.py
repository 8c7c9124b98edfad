"""Pure helpers of the analysis notebooks: restricting tables to a selection, the two
groups keyness compares, and the profile of one actor.

Every function takes DataFrames read with :mod:`mediawork.store` (articles,
sentences, mentions, terms, co-occurrence) and returns new sorted frames or text;
nothing reads files or modifies its input.

*The selection* is the articles a notebook's ``date_from``, ``date_to`` and
``sources`` parameters keep; :func:`of_articles` restricts any analysis table to it.

*Groups* (``group_a`` and ``group_b`` of the term-frequency notebook), see
:func:`split_groups`, are written as one of:

- ``date<2025-03-18``, ``date<=2025-03-18``, ``date>2025-03-18``, ``date>=2025-03-18``
  or ``date:2025-03-18`` (also ``date=2025-03-18``): articles by their UTC publication day;
- ``date:2025-03-01..2025-03-17`` (also with ``=``): an inclusive range of days;
- anything else: comma-separated sources or outlets (``reuters.com,hindustantimes.com``).

An empty group is "the rest of the selection"; with both empty, the selection is
split at its middle publication day.

Example
-------
>>> import pandas as pd
>>> m = pd.DataFrame({"article_id": ["a", "a", "b"], "sentence_id": [0, 1, 0], "actor": ["Kim", "Kim", "Lee"]})
>>> arts = pd.DataFrame({"article_id": ["a", "b"], "source": ["x.com", "y.com"],
...                      "published": pd.to_datetime(["2025-03-03", "2025-03-04"], utc=True)})
>>> actor_sources(m, arts, "Kim")[["source", "articles", "mentions"]].values.tolist()
[['x.com', 1, 2]]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import sentiment
from .actors import ActorDictionary
from .checks import require_columns
from .errors import ParameterError

__all__ = [
    "ActorLookup",
    "GroupSplit",
    "actor_kwic",
    "actor_partners",
    "actor_sentiment_by",
    "actor_sources",
    "actor_summary",
    "actor_timeline",
    "analysis_gap",
    "compare_groups",
    "find_actor",
    "kwic_examples",
    "of_articles",
    "split_groups",
]

#: How many known actors a "not found" message lists.
SUGGESTIONS = 8

#: What to do when an input table lacks columns.
_STORED = "pass the table as read with mediawork.store"

_DATE_SPEC = re.compile(r"^\s*date\s*(<=|>=|<|>|=|:)\s*(\S+?)(?:\s*\.\.\s*(\S+))?\s*$", re.IGNORECASE)


def _when_and_source(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per article: ``article_id``, ``_when`` (UTC publication time) and ``source``, for KWIC lines."""
    require_columns(articles, ["article_id", "published", "source"], what="the articles frame", hint=_STORED)
    return pd.DataFrame(
        {
            "article_id": articles["article_id"].astype("string").to_numpy(),
            "_when": pd.to_datetime(articles["published"], utc=True, errors="coerce").to_numpy(),
            "source": articles["source"].astype("string").to_numpy(),
        }
    ).drop_duplicates("article_id")


def _day_text(when: pd.Series) -> pd.Series:
    """UTC publication days as ``YYYY-MM-DD`` text (missing stays missing)."""
    return pd.to_datetime(when, utc=True).dt.strftime("%Y-%m-%d").astype("string")


def _ids(articles: pd.DataFrame) -> pd.Index:
    return pd.Index(articles["article_id"].dropna().astype("string").unique())


def _utc_days(published: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(published, utc=True, errors="coerce")
    return stamps.dt.floor("D")


# --------------------------------------------------------------------------- selection


def of_articles(table: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The rows of an analysis table that belong to the selected articles.

    Parameters
    ----------
    table:
        Any table with ``article_id`` (sentences, terms, mentions). Not modified.
    articles:
        The selected articles (``article_id``).

    Returns
    -------
    pandas.DataFrame
        A copy of the matching rows, in their order, with a fresh index.

    Example
    -------
    >>> t = pd.DataFrame({"article_id": ["a", "b"], "x": [1, 2]})
    >>> of_articles(t, pd.DataFrame({"article_id": ["b"]}))["x"].tolist()
    [2]
    """
    require_columns(table, ["article_id"], what="the table", hint=_STORED)
    require_columns(articles, ["article_id"], what="the articles frame", hint=_STORED)
    keep = table["article_id"].astype("string").isin(_ids(articles))
    return table.loc[keep.fillna(False).to_numpy()].reset_index(drop=True)


def analysis_gap(articles: pd.DataFrame, tables: Mapping[str, pd.DataFrame], *, data_dir: str | Path = "data/processed") -> str:
    """A sentence saying which analysis tables have nothing for a non-empty selection.

    Parameters
    ----------
    articles:
        The selected articles.
    tables:
        Table file name (``"sentences.parquet"``) to its rows for the selection.
    data_dir:
        The data folder, named in the advice.

    Returns
    -------
    str
        Empty when every table has rows or the selection itself is empty, else what
        is missing and the command that fills it.

    Example
    -------
    >>> analysis_gap(pd.DataFrame({"article_id": ["a"]}), {"sentences.parquet": pd.DataFrame()})
    'sentences.parquet holds no rows for the 1 selected articles: run `mediawork analyze --data data/processed` and run this report again.'
    """
    if articles.empty:
        return ""
    empty = [name for name, frame in tables.items() if frame.empty]
    if not empty:
        return ""
    return (
        f"{' and '.join(empty)} {'holds' if len(empty) == 1 else 'hold'} no rows for the {len(articles)} selected articles: "
        f"run `mediawork analyze --data {data_dir}` and run this report again."
    )


def kwic_examples(
    sentences: pd.DataFrame,
    words: Sequence[str],
    *,
    articles: pd.DataFrame | None = None,
    per_word: int = 3,
    window: int = 6,
) -> pd.DataFrame:
    """A few keyword-in-context lines for each of several words.

    Parameters
    ----------
    sentences:
        Sentences (``article_id``, ``sentence_id``, ``text``).
    words:
        Words or phrases, searched with :func:`mediawork.terms.kwic` (whole words, any case).
    articles:
        When given (``article_id``, ``published``, ``source``), lines are taken in order
        of publication and show the UTC day and the source.
    per_word:
        Lines per word (the earliest ones).
    window:
        Words of context on each side.

    Returns
    -------
    pandas.DataFrame
        ``term``, (``day``, ``source``,) ``left``, ``keyword``, ``right``, ``article_id``;
        words in the order given.

    Example
    -------
    >>> s = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "text": ["The truce held until the truce talks ended."]})
    >>> kwic_examples(s, ["truce"], per_word=1, window=2)[["term", "left", "keyword", "right"]].values.tolist()
    [['truce', 'The', 'truce', 'held until']]
    """
    from . import terms as _terms

    require_columns(sentences, ["article_id", "sentence_id", "text"], what="the sentences frame", hint=_STORED)
    meta = None
    if articles is not None:
        meta = _when_and_source(articles)
    parts = []
    for word in words:
        lines = _terms.kwic(sentences, str(word), window=window)
        if meta is not None:
            lines = lines.merge(meta, on="article_id", how="left").sort_values(["_when", "article_id", "sentence_id"], na_position="last", kind="stable")
            lines["day"] = _day_text(lines["_when"])
        parts.append(lines.head(per_word).assign(term=str(word)))
    columns = ["term", *(["day", "source"] if meta is not None else []), "left", "keyword", "right", "article_id"]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    out = pd.concat(parts, ignore_index=True)
    out["term"] = out["term"].astype("string")
    return out[columns].reset_index(drop=True)


# --------------------------------------------------------------------------- groups


@dataclass(frozen=True)
class GroupSplit:
    """Two disjoint groups of articles to compare, with labels and a description.

    Attributes
    ----------
    a_ids, b_ids:
        Sorted article ids of group A (the target) and group B (the reference).
    a_label, b_label:
        What each group is (its specification, or ``rest of the selection``).
    message:
        A plain sentence describing the groups, or why they cannot be compared.
    """

    a_ids: tuple[str, ...]
    b_ids: tuple[str, ...]
    a_label: str
    b_label: str
    message: str

    @property
    def ok(self) -> bool:
        """Both groups hold at least one article."""
        return bool(self.a_ids) and bool(self.b_ids)


def _day(text: str, spec: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(text.strip()).tz_localize("UTC").floor("D")
    except (ValueError, TypeError):
        raise ParameterError(
            f"group {spec!r}: {text!r} is not an ISO date; expected e.g. date<2025-03-18 or date:2025-03-01..2025-03-17"
        ) from None


def _group_mask(articles: pd.DataFrame, spec: str) -> pd.Series:
    """Which selected articles a group specification keeps (see the module docstring)."""
    match = _DATE_SPEC.match(spec)
    if match is None and spec.strip().lower().startswith("date"):
        raise ParameterError(
            f"group {spec!r} starts with 'date' but is not a date condition; expected date<D, date<=D, date>D, "
            "date>=D, date:D or date:D1..D2 with ISO days such as 2025-03-18"
        )
    if match is not None:
        op, first, last = match.groups()
        op = "=" if op == ":" else op
        days = _utc_days(articles["published"])
        day = _day(first, spec)
        if last is not None:
            if op != "=":
                raise ParameterError(f"group {spec!r}: a range of days is written with ':', e.g. date:2025-03-01..2025-03-17")
            end = _day(last, spec)
            mask = (days >= day) & (days <= end)
        else:
            mask = {"<": days < day, "<=": days <= day, ">": days > day, ">=": days >= day, "=": days == day}[op]
        return mask.fillna(False).astype(bool)
    names = [s.strip() for s in spec.split(",") if s.strip()]
    mask = articles["source"].astype("string").isin(names)
    if "outlet" in articles.columns:
        mask = mask | articles["outlet"].astype("string").isin(names)
    return mask.fillna(False).astype(bool)


def split_groups(articles: pd.DataFrame, group_a: str = "", group_b: str = "") -> GroupSplit:
    """The two groups of the selection that keyness compares.

    Parameters
    ----------
    articles:
        The selected articles (``article_id``, ``published``, ``source``, optionally ``outlet``).
    group_a, group_b:
        Group specifications (see the module docstring). An empty one means the
        rest of the selection; both empty split the selection at its middle
        publication day. Articles in both groups are left out of both.

    Returns
    -------
    GroupSplit
        ``ok`` is False (and ``message`` says why) when a group is empty.

    Raises
    ------
    ParameterError
        A specification starting with ``date`` that is not a valid date condition.

    Example
    -------
    >>> arts = pd.DataFrame({"article_id": ["a", "b", "c"], "source": ["x", "y", "x"],
    ...                      "published": pd.to_datetime(["2025-03-01", "2025-03-20", "2025-03-21"], utc=True)})
    >>> s = split_groups(arts, "date<2025-03-18")
    >>> s.a_ids, s.b_ids, s.b_label
    (('a',), ('b', 'c'), 'rest of the selection')
    """
    require_columns(articles, ["article_id", "published", "source"], what="the articles frame", hint=_STORED)
    group_a, group_b = (group_a or "").strip(), (group_b or "").strip()
    if not group_a and not group_b:
        days = _utc_days(articles["published"]).dropna().sort_values()
        if days.nunique() < 2:
            return GroupSplit((), (), "", "", "Keyness needs two groups, but the selection does not span two publication days; set group_a and group_b.")
        middle = days.iloc[len(days) // 2]
        if middle == days.iloc[0]:
            middle = days[days > middle].iloc[0]
        group_a, group_b = f"date<{middle:%Y-%m-%d}", f"date>={middle:%Y-%m-%d}"
    mask_a = _group_mask(articles, group_a) if group_a else None
    mask_b = _group_mask(articles, group_b) if group_b else None
    if mask_a is None:
        mask_a = ~mask_b
    if mask_b is None:
        mask_b = ~mask_a
    both = mask_a & mask_b
    ids = articles["article_id"].astype("string")
    a_ids = tuple(sorted(set(ids[mask_a & ~both].dropna())))
    b_ids = tuple(sorted(set(ids[mask_b & ~both].dropna())))
    a_label = group_a or "rest of the selection"
    b_label = group_b or "rest of the selection"
    parts = [f"Group A ({a_label}): {len(a_ids)} articles; group B ({b_label}): {len(b_ids)} articles."]
    if both.any():
        parts.append(f"{int(both.sum())} articles fall in both groups and are left out of both.")
    if not a_ids or not b_ids:
        empty = "A" if not a_ids else "B"
        known = sorted(set(articles["source"].dropna().astype(str)))
        parts.append(
            f"Group {empty} is empty, so the groups cannot be compared; widen it (sources here: {', '.join(known[:10]) or 'none'})."
        )
    return GroupSplit(a_ids, b_ids, a_label, b_label, " ".join(parts))


def compare_groups(terms: pd.DataFrame, split: GroupSplit, *, min_count: int = 2, n: int = 1) -> pd.DataFrame:
    """Keyness of group A against group B, keeping terms seen at least ``min_count`` times.

    Parameters
    ----------
    terms:
        The terms table of the selection (``article_id``, ``term``, ``n``, ``count``).
    split:
        From :func:`split_groups`.
    min_count:
        Keep terms whose count over both groups is at least this.
    n:
        Term order (1 for words).

    Returns
    -------
    pandas.DataFrame
        :func:`mediawork.terms.keyness`'s columns (``term``, ``target_count``,
        ``reference_count``, ``g2``, ``log_ratio``, ``p``); empty when the groups
        cannot be compared or one has no terms.

    Example
    -------
    >>> t = pd.DataFrame({"article_id": ["a", "b", "b"], "term": ["truce", "truce", "talks"], "n": [1, 1, 1], "count": [5, 1, 4]})
    >>> compare_groups(t, GroupSplit(("a",), ("b",), "A", "B", ""))["term"].tolist()
    ['truce', 'talks']
    """
    from . import terms as _terms

    columns = {"term": "string", "target_count": "int64", "reference_count": "int64", "g2": "float64", "log_ratio": "float64", "p": "float64"}
    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    if not split.ok:
        return empty
    rows = terms.loc[terms["n"] == n, "article_id"].astype("string")
    if not rows.isin(split.a_ids).any() or not rows.isin(split.b_ids).any():
        return empty
    table = _terms.keyness(terms, split.a_ids, split.b_ids, n=n)
    table = table[table["target_count"] + table["reference_count"] >= min_count]
    return table.reset_index(drop=True)


# --------------------------------------------------------------------------- actor profile


@dataclass(frozen=True)
class ActorLookup:
    """The actor a profile is about, or why there is none.

    Attributes
    ----------
    actor:
        The canonical name, or None when the name is unknown or never mentioned.
    message:
        A plain sentence: how often the actor is mentioned, or what went wrong and
        which actors could be chosen instead.
    """

    actor: str | None
    message: str


def _most_mentioned(mentions: pd.DataFrame, limit: int) -> list[str]:
    counts = mentions["actor"].dropna().astype(str).value_counts()
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [name for name, _ in ranked[:limit]]


def find_actor(name: str, mentions: pd.DataFrame, *, dictionary: ActorDictionary | None = None) -> ActorLookup:
    """Resolve a profile's ``actor`` parameter to a canonical name found in the mentions.

    The name matches a canonical name exactly, then ignoring case, then a
    dictionary alias or title (``Putin`` gives ``Vladimir Putin``).

    Parameters
    ----------
    name:
        What the user typed.
    mentions:
        The selection's mentions (``actor``; ``article_id`` for the counts).
    dictionary:
        The actor dictionary, for aliases and to tell "unknown" from "not mentioned".

    Returns
    -------
    ActorLookup
        ``actor`` is None when the name is unknown or the actor is never mentioned
        in the selection; ``message`` then lists the most mentioned actors.

    Example
    -------
    >>> m = pd.DataFrame({"article_id": ["a"], "actor": ["Kaja Kallas"]})
    >>> find_actor("kaja kallas", m).actor
    'Kaja Kallas'
    >>> find_actor("Nobody", m).message
    "No actor named 'Nobody' in the actor dictionary or the mentions. Set actor to one of the most mentioned: Kaja Kallas."
    """
    require_columns(mentions, ["article_id", "actor"], what="the mentions frame", hint=_STORED)
    wanted = " ".join(str(name or "").split())
    mentioned = sorted(set(mentions["actor"].dropna().astype(str)))
    known = set(mentioned) | (set(dictionary.names) if dictionary is not None else set())
    resolved = wanted if wanted in known else None
    if resolved is None:
        folded = {k.casefold(): k for k in sorted(known)}
        resolved = folded.get(wanted.casefold())
    if resolved is None and dictionary is not None:
        for actor in dictionary:
            forms = {f.casefold() for f in (*actor.aliases, *actor.titles)}
            if wanted.casefold() in forms:
                resolved = actor.name
                break
    suggestions = ", ".join(_most_mentioned(mentions, SUGGESTIONS))
    advice = f" Set actor to one of the most mentioned: {suggestions}." if suggestions else " No actor is mentioned in this selection at all."
    if resolved is None:
        return ActorLookup(None, f"No actor named {wanted!r} in the actor dictionary or the mentions.{advice}")
    if resolved not in mentioned:
        return ActorLookup(None, f"{resolved} is in the actor dictionary but is never mentioned in this selection.{advice}")
    rows = mentions[mentions["actor"].astype("string") == resolved]
    return ActorLookup(resolved, f"{resolved}: {len(rows)} mentions in {rows['article_id'].nunique()} articles of this selection.")


def _actor_rows(mentions: pd.DataFrame, actor: str | None) -> pd.DataFrame:
    require_columns(mentions, ["article_id", "sentence_id", "actor"], what="the mentions frame", hint=_STORED)
    if actor is None:
        return mentions.iloc[0:0]
    return mentions[(mentions["actor"].astype("string") == actor).fillna(False).to_numpy()]


def actor_timeline(mentions: pd.DataFrame, articles: pd.DataFrame, actor: str | None, *, freq: str = "W") -> pd.DataFrame:
    """Mentions of one actor per UTC day or week, quiet periods included at 0.

    Parameters
    ----------
    mentions:
        The selection's mentions (``article_id``, ``sentence_id``, ``actor``).
    articles:
        The selected articles (``article_id``, ``published``); they set the range of periods.
    actor:
        Canonical name (from :func:`find_actor`); None gives an empty frame.
    freq:
        ``"D"`` (UTC days) or ``"W"`` (weeks from Monday).

    Returns
    -------
    pandas.DataFrame
        ``period`` (UTC start, timezone-naive), ``mentions``, ``articles`` (articles
        mentioning the actor) and ``published`` (all selected articles of the period),
        from the first to the last period of the selection.

    Example
    -------
    >>> m = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 3], "actor": ["Kim", "Kim"]})
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "published": pd.to_datetime(["2025-03-03", "2025-03-18"], utc=True)})
    >>> actor_timeline(m, arts, "Kim")[["mentions", "articles", "published"]].values.tolist()
    [[2, 1, 1], [0, 0, 0], [0, 0, 1]]
    """
    if freq not in ("D", "W"):
        raise ParameterError(f"freq={freq!r} is not a period; expected 'D' (UTC day) or 'W' (week from Monday)")
    rows = _actor_rows(mentions, actor)
    require_columns(articles, ["article_id", "published"], what="the articles frame", hint=_STORED)
    days = _utc_days(articles["published"]).dt.tz_localize(None)
    starts = days - pd.to_timedelta(days.dt.day_of_week, unit="D") if freq == "W" else days
    period_of = pd.Series(starts.to_numpy(), index=articles["article_id"].astype("string").to_numpy()).dropna()
    period_of = period_of[~period_of.index.duplicated()]
    columns = {"period": "datetime64[us]", "mentions": "int64", "articles": "int64", "published": "int64"}
    if period_of.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    grid = pd.date_range(period_of.min(), period_of.max(), freq="7D" if freq == "W" else "D")
    when = rows["article_id"].astype("string").map(period_of)
    n_mentions = when.value_counts().reindex(grid, fill_value=0)
    n_articles = rows.assign(_p=when.to_numpy()).dropna(subset=["_p"]).groupby("_p")["article_id"].nunique().reindex(grid, fill_value=0)
    n_published = period_of.value_counts().reindex(grid, fill_value=0)
    return pd.DataFrame(
        {
            "period": pd.DatetimeIndex(grid).as_unit("us"),
            "mentions": n_mentions.to_numpy(dtype="int64"),
            "articles": n_articles.to_numpy(dtype="int64"),
            "published": n_published.to_numpy(dtype="int64"),
        }
    )


def actor_partners(cooc: pd.DataFrame, actor: str | None) -> pd.DataFrame:
    """The actors one actor appears with, from a co-occurrence frame.

    Parameters
    ----------
    cooc:
        From :func:`mediawork.cooccurrence.build_cooccurrence` (one window).
    actor:
        Canonical name; None gives an empty frame.

    Returns
    -------
    pandas.DataFrame
        ``partner``, ``sentences`` (shared windows), ``articles``, ``pmi``, ``npmi``,
        ``jaccard``; most shared windows first, then by name.

    Example
    -------
    >>> c = pd.DataFrame({"actor_a": ["Kim", "Ali"], "actor_b": ["Lee", "Kim"], "sentences": [2, 5], "articles": [1, 2],
    ...                   "pmi": [1.0, 0.5], "npmi": [0.4, 0.2], "jaccard": [0.5, 0.3]})
    >>> actor_partners(c, "Kim")[["partner", "sentences"]].values.tolist()
    [['Ali', 5], ['Lee', 2]]
    """
    require_columns(cooc, ["actor_a", "actor_b", "sentences", "articles", "pmi", "npmi", "jaccard"], what="the co-occurrence frame", hint=_STORED)
    a, b = cooc["actor_a"].astype("string"), cooc["actor_b"].astype("string")
    values = ["sentences", "articles", "pmi", "npmi", "jaccard"]
    left = cooc.loc[(a == actor).fillna(False).to_numpy(), values].assign(partner=b[(a == actor).fillna(False).to_numpy()])
    right = cooc.loc[(b == actor).fillna(False).to_numpy(), values].assign(partner=a[(b == actor).fillna(False).to_numpy()])
    out = pd.concat([left, right], ignore_index=True)[["partner", *values]]
    out["partner"] = out["partner"].astype("string")
    out = out.astype({"sentences": "int64", "articles": "int64", "pmi": "float64", "npmi": "float64", "jaccard": "float64"})
    return out.sort_values(["sentences", "partner"], ascending=[False, True], kind="stable").reset_index(drop=True)


def actor_sources(mentions: pd.DataFrame, articles: pd.DataFrame, actor: str | None) -> pd.DataFrame:
    """The sources that mention one actor most.

    Parameters
    ----------
    mentions:
        The selection's mentions.
    articles:
        The selected articles (``article_id``, ``source``).
    actor:
        Canonical name; None gives an empty frame.

    Returns
    -------
    pandas.DataFrame
        ``source``, ``articles`` (its articles mentioning the actor), ``mentions``,
        ``share`` (those articles / all its selected articles); most articles first,
        then most mentions, then by name.

    Example
    -------
    >>> m = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "actor": ["Kim"]})
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "source": ["x.com", "x.com"]})
    >>> actor_sources(m, arts, "Kim")[["source", "share"]].values.tolist()
    [['x.com', 0.5]]
    """
    rows = _actor_rows(mentions, actor)
    require_columns(articles, ["article_id", "source"], what="the articles frame", hint=_STORED)
    source_of = pd.Series(articles["source"].astype("string").fillna("(unknown)").to_numpy(), index=articles["article_id"].astype("string").to_numpy())
    source_of = source_of[~source_of.index.duplicated()]
    per = pd.DataFrame({"article_id": rows["article_id"].astype("string").to_numpy()})
    per["source"] = per["article_id"].map(source_of)
    per = per.dropna(subset=["source"])
    n_articles = per.drop_duplicates(["source", "article_id"])["source"].value_counts()
    n_mentions = per["source"].value_counts()
    totals = source_of.value_counts()
    names = sorted(n_mentions.index)
    out = pd.DataFrame(
        {
            "source": pd.Series(names, dtype="string"),
            "articles": pd.Series([int(n_articles[n]) for n in names], dtype="int64"),
            "mentions": pd.Series([int(n_mentions[n]) for n in names], dtype="int64"),
            "share": pd.Series([n_articles[n] / totals[n] for n in names], dtype="float64"),
        }
    )
    return out.sort_values(["articles", "mentions", "source"], ascending=[False, False, True], kind="stable").reset_index(drop=True)


def actor_sentiment_by(
    scored: pd.DataFrame,
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    actor: str | None,
    *,
    by: str = "source",
) -> pd.DataFrame:
    """Sentiment of the sentences mentioning one actor, per source (or another article column).

    Parameters
    ----------
    scored:
        Scored sentences (``article_id``, ``sentence_id``, ``compound``), e.g. ``sentences.parquet``.
    mentions:
        The selection's mentions.
    articles:
        The selected articles with the ``by`` column.
    actor:
        Canonical name; None gives an empty frame.
    by:
        The article column to group by.

    Returns
    -------
    pandas.DataFrame
        ``by``'s column and :func:`mediawork.sentiment.actor_sentiment`'s measures
        (``n_sentences``, ``n_articles``, ``compound_mean``, ``share_positive``,
        ``share_negative``); most sentences first, then by name.

    Example
    -------
    >>> s = pd.DataFrame({"article_id": ["a", "b"], "sentence_id": [0, 0], "compound": [0.5, -0.5]})
    >>> m = pd.DataFrame({"article_id": ["a", "b"], "sentence_id": [0, 0], "actor": ["Kim", "Kim"]})
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "source": ["x.com", "y.com"]})
    >>> actor_sentiment_by(s, m, arts, "Kim")[["source", "compound_mean"]].values.tolist()
    [['x.com', 0.5], ['y.com', -0.5]]
    """
    rows = _actor_rows(mentions, actor)
    require_columns(articles, ["article_id", by], what="the articles frame", hint=_STORED)
    group_of = pd.Series(articles[by].astype("string").fillna("(unknown)").to_numpy(), index=articles["article_id"].astype("string").to_numpy())
    group_of = group_of[~group_of.index.duplicated()]
    relabelled = pd.DataFrame(
        {
            "article_id": rows["article_id"].astype("string").to_numpy(),
            "sentence_id": rows["sentence_id"].to_numpy(),
            "actor": rows["article_id"].astype("string").map(group_of).to_numpy(),
        }
    ).dropna(subset=["actor"])
    out = sentiment.actor_sentiment(scored, relabelled).rename(columns={"actor": by})
    out[by] = out[by].astype("string")
    return out.sort_values(["n_sentences", by], ascending=[False, True], kind="stable").reset_index(drop=True)


def actor_summary(scored: pd.DataFrame, mentions: pd.DataFrame, actor: str | None) -> pd.DataFrame:
    """Sentiment of the sentences mentioning one actor, next to that of every sentence.

    Parameters
    ----------
    scored:
        The selection's scored sentences (``article_id``, ``sentence_id``, ``compound``).
    mentions:
        The selection's mentions.
    actor:
        Canonical name; None leaves only the baseline row.

    Returns
    -------
    pandas.DataFrame
        :func:`mediawork.sentiment.actor_sentiment`'s columns; the actor's row (if it
        is mentioned) then ``(all sentences of the selection)``.

    Example
    -------
    >>> s = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 1], "compound": [0.5, -0.1]})
    >>> m = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "actor": ["Kim"]})
    >>> actor_summary(s, m, "Kim")[["actor", "n_sentences", "compound_mean"]].values.tolist()
    [['Kim', 1, 0.5], ['(all sentences of the selection)', 2, 0.2]]
    """
    require_columns(scored, ["article_id", "sentence_id", "compound"], what="the scored sentences frame", hint=_STORED)
    rows = _actor_rows(mentions, actor)
    every = pd.DataFrame(
        {
            "article_id": scored["article_id"].to_numpy(),
            "sentence_id": scored["sentence_id"].to_numpy(),
            "actor": ["(all sentences of the selection)"] * len(scored),
        }
    )
    out = pd.concat([sentiment.actor_sentiment(scored, rows), sentiment.actor_sentiment(scored, every)], ignore_index=True)
    out["actor"] = out["actor"].astype("string")
    return out


def actor_kwic(
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    actor: str | None,
    *,
    articles: pd.DataFrame | None = None,
    window: int = 8,
) -> pd.DataFrame:
    """Keyword in context for one actor, at the exact places the mentions were found.

    Unlike a text search, this shows every form the actor matched (aliases, titles,
    surnames resolved in context).

    Parameters
    ----------
    sentences:
        Sentences (``article_id``, ``sentence_id``, ``text``).
    mentions:
        The selection's mentions with ``start`` and ``end`` offsets into the sentence.
    actor:
        Canonical name; None gives an empty frame.
    articles:
        When given (``article_id``, ``published``, ``source``), adds the UTC
        publication day and the source, and orders lines by publication time.
    window:
        Words of context on each side.

    Returns
    -------
    pandas.DataFrame
        (``day``, ``source``,) ``left``, ``mention`` (as written), ``right``, ``article_id``.

    Example
    -------
    >>> s = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "text": ["Talks with Kim ended late on Friday."]})
    >>> m = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "actor": ["Kim"], "start": [11], "end": [14]})
    >>> actor_kwic(s, m, "Kim", window=2)[["left", "mention", "right"]].values.tolist()
    [['Talks with', 'Kim', 'ended late']]
    """
    rows = _actor_rows(mentions, actor)
    require_columns(rows, ["start", "end"], what="the mentions frame", hint=_STORED)
    require_columns(sentences, ["article_id", "sentence_id", "text"], what="the sentences frame", hint=_STORED)
    if not isinstance(window, int) or window < 0:
        raise ParameterError(f"window={window!r}; expected a whole number of words, 0 or more")
    keys = pd.DataFrame({"article_id": sentences["article_id"].astype("string").to_numpy(), "sentence_id": pd.to_numeric(sentences["sentence_id"]).astype("int64").to_numpy(), "text": sentences["text"].to_numpy()})
    hits = pd.DataFrame(
        {
            "article_id": rows["article_id"].astype("string").to_numpy(),
            "sentence_id": pd.to_numeric(rows["sentence_id"]).astype("int64").to_numpy(),
            "start": pd.to_numeric(rows["start"]).astype("int64").to_numpy(),
            "end": pd.to_numeric(rows["end"]).astype("int64").to_numpy(),
        }
    ).merge(keys.drop_duplicates(["article_id", "sentence_id"]), on=["article_id", "sentence_id"], how="inner")
    lines = []
    for rec in hits.itertuples(index=False):
        sentence = str(rec.text)
        left = sentence[: rec.start].split()
        right = sentence[rec.end :].split()
        lines.append((rec.article_id, rec.sentence_id, rec.start, " ".join(left[-window:]) if window else "", sentence[rec.start : rec.end], " ".join(right[:window]) if window else ""))
    out = pd.DataFrame(lines, columns=["article_id", "sentence_id", "start", "left", "mention", "right"])
    out = out.astype({"article_id": "string", "sentence_id": "int64", "start": "int64", "left": "string", "mention": "string", "right": "string"})
    order = ["article_id", "sentence_id", "start"]
    if articles is not None:
        meta = _when_and_source(articles)
        out = out.merge(meta, on="article_id", how="left")
        out["day"] = _day_text(out["_when"])
        order = ["_when", *order]
        out = out.sort_values(order, na_position="last", kind="stable")
        return out[["day", "source", "left", "mention", "right", "article_id"]].reset_index(drop=True)
    out = out.sort_values(order, kind="stable")
    return out[["left", "mention", "right", "article_id"]].reset_index(drop=True)

