"""Pure summaries of the processed tables for the overview notebook.

Every function takes DataFrames read with :mod:`mediawork.store` and returns new,
sorted DataFrames (or text) and never modifies its input. The one exception is
:func:`read_selection`, which the notebooks call to read their selection: it reads
only through :func:`mediawork.store.read_articles`, never the files directly.
``html_table`` renders a frame as an escaped HTML table, because article titles,
source names and file names are untrusted and must show as text in a report.

Example
-------
>>> import pandas as pd
>>> arts = pd.DataFrame({"source": ["b.com", "a.com", "b.com"]})
>>> counts_by_source(arts)["source"].tolist()
['b.com', 'a.com']
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .checks import require_columns
from .errors import DataError
from .schema import ARTICLES, STATUSES
from .store import read_articles

#: Label shown for a missing source, outlet or rule.
UNKNOWN = "(unknown)"

#: Column order of :func:`article_table`.
ARTICLE_TABLE_COLUMNS = ("published", "source", "outlet", "title", "authors", "words")


#: What to do when a table passed to a summary lacks columns.
_READ_HINTS = {
    "articles": "pass a frame read with mediawork.store (e.g. store.read_articles(data_dir))",
    "manifest": "pass a frame read with mediawork.store (e.g. store.read_table('manifest', data_dir))",
    "removed": "pass a frame read with mediawork.store (e.g. store.read_table('removed', data_dir))",
}


#: Every column of ``articles.parquet`` but the body ``text``: what the notebooks read,
#: so a selection of a large corpus does not load its bodies.
METADATA_COLUMNS = tuple(c for c in ARTICLES.names if c != "text")


def _labels(values: pd.Series) -> pd.Series:
    """Text labels with missing or blank values shown as :data:`UNKNOWN`."""
    text = values.astype("string").str.strip()
    return text.mask(text.isna() | (text == ""), UNKNOWN)


def _counts(values: pd.Series, *, key: str, value: str) -> pd.DataFrame:
    counts = values.value_counts(sort=False)
    out = pd.DataFrame({key: counts.index.astype("string"), value: counts.to_numpy(dtype="int64")})
    out = out.sort_values([value, key], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def counts_by_source(articles: pd.DataFrame, *, column: str = "source") -> pd.DataFrame:
    """Count articles per source (or per outlet).

    Parameters
    ----------
    articles:
        Articles with a ``source`` (or ``column``) column, e.g. from ``store.read_articles``.
    column:
        ``"source"`` (the site an article was taken from) or ``"outlet"`` (its publisher).

    Returns
    -------
    pandas.DataFrame
        Columns ``column`` and ``articles``, most articles first, ties by name.
        A missing or blank value is counted as ``"(unknown)"``.

    Example
    -------
    >>> counts_by_source(pd.DataFrame({"source": ["x.com", None, "x.com"]})).to_dict("records")
    [{'source': 'x.com', 'articles': 2}, {'source': '(unknown)', 'articles': 1}]
    """
    require_columns(articles, [column], what="the articles passed to counts_by_source", hint=_READ_HINTS["articles"])
    return _counts(_labels(articles[column]), key=column, value="articles")


def _utc_days(published: pd.Series) -> pd.Series:
    try:
        stamps = pd.to_datetime(published, utc=True)
    except (ValueError, TypeError) as exc:
        raise DataError(f"the published column holds values that are not dates ({exc}); expected UTC timestamps as written by mediawork.store") from exc
    return stamps.dropna().dt.tz_localize(None).dt.floor("D")


def counts_by_day(articles: pd.DataFrame, *, fill_gaps: bool = True) -> pd.DataFrame:
    """Count articles per publication day (UTC).

    Parameters
    ----------
    articles:
        Articles with a ``published`` column (UTC timestamps; naive ones are taken as UTC).
    fill_gaps:
        Add days without articles between the first and last day, with a count of 0,
        so a chart shows quiet days as gaps rather than hiding them.

    Returns
    -------
    pandas.DataFrame
        Columns ``day`` (midnight of the UTC day, timezone-naive) and ``articles``,
        in date order. Articles without a date are not counted.

    Example
    -------
    >>> arts = pd.DataFrame({"published": pd.to_datetime(["2025-03-01 10:00", "2025-03-03 08:00"], utc=True)})
    >>> counts_by_day(arts)["articles"].tolist()
    [1, 0, 1]
    """
    require_columns(articles, ["published"], what="the articles passed to counts_by_day", hint=_READ_HINTS["articles"])
    days = _utc_days(articles["published"])
    if days.empty:
        return pd.DataFrame({"day": pd.Series([], dtype="datetime64[us]"), "articles": pd.Series([], dtype="int64")})
    counts = days.value_counts().sort_index()
    if fill_gaps:
        counts = counts.reindex(pd.date_range(counts.index.min(), counts.index.max(), freq="D"), fill_value=0)
    return pd.DataFrame({"day": pd.DatetimeIndex(counts.index).as_unit("us"), "articles": counts.to_numpy(dtype="int64")})


@dataclass(frozen=True)
class CleaningStats:
    """What ingest and cleaning did, as small tables ready to display.

    Attributes
    ----------
    totals:
        ``measure``, ``count``: inputs, articles, unique articles, duplicates,
        rejected inputs and removed lines.
    by_status:
        ``status``, ``inputs``: manifest rows per status (every known status listed, even at 0).
    removed_by_rule:
        ``rule``, ``kind``, ``lines``, ``articles``: lines removed per rule, most first;
        ``kind`` is the part before the colon (``rule``, ``metadata``, ``learned``).
    duplicates:
        ``article_id``, ``source``, ``title``, ``duplicate_of``, ``original_title``.
    rejected:
        ``source_file``, ``reason``: every rejected input and why.
    """

    totals: pd.DataFrame
    by_status: pd.DataFrame
    removed_by_rule: pd.DataFrame
    duplicates: pd.DataFrame
    rejected: pd.DataFrame


def cleaning_stats(manifest: pd.DataFrame, removed: pd.DataFrame, articles: pd.DataFrame) -> CleaningStats:
    """Summarise the manifest, the removed lines and the duplicates.

    Parameters
    ----------
    manifest:
        ``manifest.parquet`` (``source_file``, ``status``, ``reason``).
    removed:
        ``removed.parquet`` (``article_id``, ``rule``).
    articles:
        All articles, duplicates included (``store.read_articles(d, unique=False)``).

    Returns
    -------
    CleaningStats
        Small sorted tables; see :class:`CleaningStats`.

    Example
    -------
    >>> m = pd.DataFrame({"source_file": ["a.txt", "b.txt"], "status": ["ok", "rejected"], "reason": [None, "empty file"]})
    >>> r = pd.DataFrame({"article_id": ["1"], "rule": ["rule:subscribe"]})
    >>> a = pd.DataFrame({"article_id": ["1"], "source": ["x.com"], "title": ["T"], "duplicate_of": [None]})
    >>> cleaning_stats(m, r, a).rejected.to_dict("records")
    [{'source_file': 'b.txt', 'reason': 'empty file'}]
    """
    require_columns(manifest, ["source_file", "status", "reason"], what="the manifest passed to cleaning_stats", hint=_READ_HINTS["manifest"])
    require_columns(removed, ["article_id", "rule"], what="the removed-lines table passed to cleaning_stats", hint=_READ_HINTS["removed"])
    require_columns(articles, ["article_id", "source", "title", "duplicate_of"], what="the articles passed to cleaning_stats", hint=_READ_HINTS["articles"])

    status = manifest["status"].astype("string").fillna(UNKNOWN)
    counts = status.value_counts()
    order = list(STATUSES) + sorted(s for s in counts.index if s not in STATUSES)
    by_status = pd.DataFrame({"status": pd.array(order, dtype="string"), "inputs": [int(counts.get(s, 0)) for s in order]})

    rules = _labels(removed["rule"])
    if len(removed):
        grouped = pd.DataFrame({"rule": rules, "article_id": removed["article_id"]}).groupby("rule", sort=True)
        removed_by_rule = pd.DataFrame({"lines": grouped.size(), "articles": grouped["article_id"].nunique()}).reset_index()
    else:
        removed_by_rule = pd.DataFrame({"rule": pd.Series([], dtype="string"), "lines": pd.Series([], dtype="int64"), "articles": pd.Series([], dtype="int64")})
    removed_by_rule.insert(1, "kind", removed_by_rule["rule"].astype("string").str.split(":", n=1).str[0])
    removed_by_rule = removed_by_rule.astype({"lines": "int64", "articles": "int64"})
    removed_by_rule = removed_by_rule.sort_values(["lines", "rule"], ascending=[False, True], kind="stable").reset_index(drop=True)

    is_dup = articles["duplicate_of"].notna()
    titles = articles.set_index("article_id")["title"]
    titles = titles[~titles.index.duplicated()]
    dups = articles.loc[is_dup, ["article_id", "source", "title", "duplicate_of"]].copy()
    dups["original_title"] = dups["duplicate_of"].map(titles).astype("string")
    duplicates = dups.sort_values(["duplicate_of", "article_id"], kind="stable").reset_index(drop=True)

    rejected = manifest.loc[status == "rejected", ["source_file", "reason"]]
    rejected = rejected.sort_values("source_file", kind="stable").reset_index(drop=True)

    totals = pd.DataFrame(
        {
            "measure": pd.array(["inputs", "articles", "unique articles", "duplicates", "rejected inputs", "lines removed"], dtype="string"),
            "count": np.array([len(manifest), len(articles), int((~is_dup).sum()), int(is_dup.sum()), len(rejected), len(removed)], dtype="int64"),
        }
    )
    return CleaningStats(totals=totals, by_status=by_status, removed_by_rule=removed_by_rule, duplicates=duplicates, rejected=rejected)


def _join_authors(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, str):
        return value
    return "; ".join(str(a) for a in value if a is not None and str(a).strip())


def article_table(articles: pd.DataFrame, *, limit: int | None = None) -> pd.DataFrame:
    """One display row per article: published, source, outlet, title, authors, words.

    Parameters
    ----------
    articles:
        Articles as read by ``store.read_articles``.
    limit:
        Keep only the first ``limit`` rows (after sorting); ``None`` keeps all.

    Returns
    -------
    pandas.DataFrame
        ``published`` as ``YYYY-MM-DD HH:MM`` (UTC) text, authors joined with ``"; "``,
        ``words`` from ``n_words``; sorted by publication time (undated last), source, title.

    Example
    -------
    >>> arts = pd.DataFrame({"published": pd.to_datetime(["2025-03-02 09:30"], utc=True), "source": ["x.com"],
    ...                      "outlet": ["x.com"], "title": ["Rain"], "authors": [["A. B", "C. D"]], "n_words": [120]})
    >>> article_table(arts).to_dict("records")
    [{'published': '2025-03-02 09:30', 'source': 'x.com', 'outlet': 'x.com', 'title': 'Rain', 'authors': 'A. B; C. D', 'words': 120}]
    """
    require_columns(articles, ["published", "source", "outlet", "title", "authors", "n_words"], what="the articles passed to article_table", hint=_READ_HINTS["articles"])
    published = pd.to_datetime(articles["published"], utc=True)
    table = pd.DataFrame(
        {
            "_when": published,
            "published": published.dt.strftime("%Y-%m-%d %H:%M").astype("string"),
            "source": articles["source"].astype("string"),
            "outlet": articles["outlet"].astype("string"),
            "title": articles["title"].astype("string"),
            "authors": pd.array([_join_authors(v) for v in articles["authors"]], dtype="string"),
            "words": articles["n_words"].astype("Int64"),
        }
    )
    table = table.sort_values(["_when", "source", "title"], na_position="last", kind="stable").drop(columns="_when")
    if limit is not None:
        table = table.head(limit)
    return table.reset_index(drop=True)


def describe_selection(
    articles: pd.DataFrame,
    *,
    total: int,
    date_from: str = "",
    date_to: str = "",
    sources: str = "",
) -> str:
    """One plain-text sentence saying what the selection holds, or why it is empty.

    Parameters
    ----------
    articles:
        The selected articles.
    total:
        How many unique articles the data folder holds, to say what an empty selection missed.
    date_from, date_to, sources:
        The notebook's parameters, echoed in the sentence.

    Example
    -------
    >>> describe_selection(pd.DataFrame({"source": []}), total=5, date_from="2030-01-01")
    'No articles match this selection (from 2030-01-01); the data folder holds 5 unique articles. Widen date_from/date_to or check sources.'
    """
    bounds = []
    if date_from:
        bounds.append(f"from {date_from}")
    if date_to:
        bounds.append(f"to {date_to}")
    if sources:
        bounds.append(f"sources: {sources}")
    scope = f" ({', '.join(bounds)})" if bounds else ""
    if articles.empty:
        return (
            f"No articles match this selection{scope}; the data folder holds {total} unique articles. "
            "Widen date_from/date_to or check sources."
        )
    n_sources = articles["source"].nunique(dropna=True) if "source" in articles.columns else 0
    return f"{len(articles)} unique articles from {n_sources} sources{scope}, out of {total} unique articles in the data folder."


def read_selection(
    data_dir: Path | str,
    *,
    date_from: str = "",
    date_to: str = "",
    sources: str = "",
    columns: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, str]:
    """The unique articles a notebook's parameters select, and a sentence describing them.

    The notebooks' ``date_from``, ``date_to`` and ``sources`` parameters are passed
    as they are (an empty string means no bound); the sentence is the one of
    :func:`describe_selection`, counted against every unique article of the folder.

    Parameters
    ----------
    data_dir:
        The processed-data folder holding ``articles.parquet``.
    date_from, date_to:
        Inclusive ISO dates on ``published`` (UTC); empty means no bound.
    sources:
        Comma-separated sources or outlets; empty means all.
    columns:
        Columns of the articles to return (all by default).

    Returns
    -------
    tuple of (pandas.DataFrame, str)
        The selected unique articles (duplicates left out) and the message.

    Raises
    ------
    mediawork.errors.DataError
        When ``articles.parquet`` is missing or lacks a requested column.

    Example
    -------
    >>> articles, message = read_selection("data/processed", date_from="2025-03-01")  # doctest: +SKIP
    >>> message  # doctest: +SKIP
    '42 unique articles from 3 sources (from 2025-03-01), out of 120 unique articles in the data folder.'
    """
    data_dir = Path(data_dir)
    wanted = list(columns) if columns else None
    read = list(dict.fromkeys([*wanted, "source"])) if wanted else None  # the message counts sources
    articles = read_articles(data_dir, columns=read, date_from=date_from or None, date_to=date_to or None, sources=sources or None)
    total = len(read_articles(data_dir, columns=["article_id"]))
    message = describe_selection(articles, total=total, date_from=date_from, date_to=date_to, sources=sources)
    return (articles[wanted] if wanted else articles), message


def html_table(df: pd.DataFrame, *, empty: str = "Nothing to show.", caption: str | None = None) -> str:
    """Render ``df`` as an HTML table with every value and header escaped.

    Parameters
    ----------
    df:
        Any frame; its index is not shown.
    empty:
        Text shown (escaped, in a paragraph) instead of a table when ``df`` has no rows.
    caption:
        Optional caption, escaped.

    Example
    -------
    >>> html_table(pd.DataFrame({"title": ["<b>x</b>"]}))  # doctest: +ELLIPSIS
    '<table...&lt;b&gt;x&lt;/b&gt;...'
    """
    if df.empty:
        return f'<p class="mediawork-empty">{html.escape(empty)}</p>'
    body = df.to_html(index=False, escape=True, na_rep="", border=0, classes="mediawork-table")
    if caption:
        body = body.replace(">", f"><caption>{html.escape(caption)}</caption>", 1)
    return body
