"""Matplotlib figures of the analysis notebooks: sentiment, terms, co-occurrence, actor profile.

Each ``plot_xxx(data, *, ax=None, ...)`` draws on ``ax`` (a new figure when None)
and returns the Axes (``ax.figure`` is the Figure). Every chart has a title and
labelled axes, dates are written as days (``03 Mar``), labels are shortened to
:data:`mediawork.plots.MAX_LABEL` characters, and an empty input gives a chart that
says so instead of an error. Inputs are never modified. The overview's charts are
in :mod:`mediawork.plots`, whose style helpers are reused here.

Example
-------
>>> import matplotlib; matplotlib.use("Agg")
>>> import pandas as pd
>>> ax = plot_top_terms(pd.DataFrame({"term": ["truce", "talks"], "n": [1, 1], "count": [9, 4]}))
>>> ax.get_title()
'Most frequent terms'
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.patheffects as path_effects
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .checks import require_columns
from .errors import ParameterError
from .plots import format_date_axis, new_axes, say_empty, shorten

__all__ = [
    "plot_actor_network",
    "plot_actor_partners",
    "plot_actor_sentiment",
    "plot_actor_sources",
    "plot_actor_timeline",
    "plot_cooccurrence_heatmap",
    "plot_keyness",
    "plot_sentiment_distribution",
    "plot_sentiment_over_time",
    "plot_term_trends",
    "plot_top_terms",
]

#: Colours: neutral bars, positive and negative values, the overall line.
BLUE, GREEN, RED, GREY = "#4C72B0", "#2E7D32", "#C62828", "#9E9E9E"
#: Colours of sources, terms and communities, in order (colour-blind friendly).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#8C564B", "#7F7F7F")


# --------------------------------------------------------------------------- helpers


def _label(value: object) -> str:
    """A short label that matplotlib draws as written (a ``$`` would start mathtext)."""
    return shorten(str(value)).replace("$", r"\$")


def _naive_utc(values: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(values, utc=True, errors="coerce")
    return stamps.dt.tz_localize(None)


def _barh(
    ax: Axes,
    labels: Sequence[object],
    values: Sequence[float],
    *,
    colors: Sequence[str] | str = BLUE,
    annotations: Sequence[str] | None = None,
) -> None:
    """Horizontal bars, first label at the top, values written at the bar ends."""
    labels, values = list(labels)[::-1], list(values)[::-1]
    colors = colors if isinstance(colors, str) else list(colors)[::-1]
    positions = list(range(len(labels)))
    bars = ax.barh(positions, values, color=colors)
    ax.set_yticks(positions, [_label(v) for v in labels])
    texts = list(annotations)[::-1] if annotations is not None else [f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}" for v in values]
    ax.bar_label(bars, labels=texts, padding=3, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)


def _figure(ax: Axes | None, n_rows: int, *, width: float = 8.0) -> Axes:
    return new_axes(ax, size=(width, min(12.0, max(2.8, 1.0 + 0.32 * n_rows))))


def _ranked_counts(
    frame: pd.DataFrame,
    *,
    label: str,
    count: str,
    extra: str,
    note: str,
    top: int,
    ax: Axes | None,
    titles: tuple[str, str, str],
    empty: str,
    room: float,
) -> Axes:
    """Bars of the ``top`` rows with the largest whole-number ``count`` (ties by ``label``).

    Each bar is annotated with ``note.format(count, value of extra)``; ``titles`` are
    the title, x label and y label; ``empty`` is said when there is no row; the x axis
    reaches ``room`` times the largest count.
    """
    shown = frame.sort_values([count, label], ascending=[False, True], kind="stable").head(top)
    ax = _figure(ax, len(shown))
    title, xlabel, ylabel = titles
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if shown.empty:
        say_empty(ax, empty)
        return ax
    values = shown[count].astype("float64").tolist()
    notes = [note.format(int(v), x) for v, x in zip(values, shown[extra].astype("float64").tolist(), strict=True)]
    _barh(ax, shown[label].tolist(), values, annotations=notes)
    ax.set_xlim(0, max(values) * room)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return ax


# --------------------------------------------------------------------------- sentiment


def _rolling(frame: pd.DataFrame, grid: pd.DatetimeIndex, days: int) -> pd.DataFrame:
    """Rolling mean and standard deviation of article scores over the last ``days`` days."""
    daily = frame.groupby("day")["score"].agg(["sum", "count"])
    daily["squares"] = frame.assign(sq=frame["score"] ** 2).groupby("day")["sq"].sum()
    daily = daily.reindex(grid, fill_value=0).rolling(days, min_periods=1).sum()
    n = daily["count"].where(daily["count"] > 0)
    mean = daily["sum"] / n
    spread = np.sqrt((daily["squares"] / n - mean**2).clip(lower=0))
    return pd.DataFrame({"mean": mean, "sd": spread, "n": daily["count"]}, index=grid)


def plot_sentiment_over_time(
    scores: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    ax: Axes | None = None,
    days: int = 7,
    top: int = 4,
    by: str = "source",
) -> Axes:
    """Article sentiment over time: a rolling mean with a ±1 SD band, overall and per source.

    Each dot is one article's mean compound score on its UTC publication day. The
    black line is the mean of all articles published in the last ``days`` days, its
    grey band ± one standard deviation of those articles; coloured lines do the same
    for the ``top`` sources with most articles.

    Parameters
    ----------
    scores:
        :func:`mediawork.sentiment.article_sentiment`'s output (``article_id``, ``compound_mean``).
    articles:
        The selected articles (``article_id``, ``published``, ``by``).
    ax:
        Axes to draw on; a new figure when None.
    days:
        Width of the rolling window in days.
    top:
        How many sources get a line of their own (0 for the overall line only).
    by:
        The article column lines are drawn for (``source`` or ``outlet``).

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> s = pd.DataFrame({"article_id": ["a", "b"], "compound_mean": [0.2, -0.4]})
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "source": ["x.com", "y.com"],
    ...                      "published": pd.to_datetime(["2025-03-01", "2025-03-05"], utc=True)})
    >>> plot_sentiment_over_time(s, arts).get_ylabel()
    'Mean compound score (-1 to +1)'
    """
    require_columns(scores, ["article_id", "compound_mean"], what="the scores passed to plot_sentiment_over_time", hint="pass the result of sentiment.article_sentiment")
    require_columns(articles, ["article_id", "published", by], what="the articles passed to plot_sentiment_over_time", hint="pass the result of store.read_articles")
    if not isinstance(days, int) or days < 1:
        raise ParameterError(f"days={days!r}; expected a whole number of days, 1 or more")
    ax = new_axes(ax, size=(10.0, 4.4))
    ax.set_title(f"Article sentiment over time ({days}-day rolling mean, band ±1 SD)")
    ax.set_xlabel("Publication date (UTC)")
    ax.set_ylabel("Mean compound score (-1 to +1)")
    meta = pd.DataFrame(
        {
            "article_id": articles["article_id"].astype("string").to_numpy(),
            "day": _naive_utc(articles["published"]).dt.floor("D").to_numpy(),
            "group": articles[by].astype("string").fillna("(unknown)").to_numpy(),
        }
    ).drop_duplicates("article_id")
    values = pd.DataFrame({"article_id": scores["article_id"].astype("string").to_numpy(), "score": pd.to_numeric(scores["compound_mean"]).to_numpy(dtype="float64")})
    frame = values.merge(meta, on="article_id").dropna(subset=["day", "score"])
    if frame.empty:
        say_empty(ax, "No dated, scored articles in this selection")
        return ax
    first, last = frame["day"].min(), frame["day"].max()
    grid = pd.date_range(first, last, freq="D")
    sizes = frame["group"].value_counts()
    leaders = sorted(sizes.index, key=lambda g: (-sizes[g], g))[: max(0, top)]
    colour = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(leaders)}
    ax.axhline(0, color="0.6", linewidth=0.8, zorder=0)
    x = [d.to_pydatetime() for d in grid]
    overall = _rolling(frame, grid, days)
    ax.fill_between(x, (overall["mean"] - overall["sd"]).clip(-1, 1), (overall["mean"] + overall["sd"]).clip(-1, 1), color=GREY, alpha=0.25, linewidth=0, label="All sources ±1 SD")
    ax.plot(x, overall["mean"], color="black", linewidth=2, label=f"All sources ({len(frame)} articles)")
    for group in leaders:
        part = frame[frame["group"] == group]
        line = _rolling(part, grid, days)
        ax.fill_between(x, (line["mean"] - line["sd"]).clip(-1, 1), (line["mean"] + line["sd"]).clip(-1, 1), color=colour[group], alpha=0.12, linewidth=0)
        ax.plot(x, line["mean"], color=colour[group], linewidth=1.4, label=f"{_label(group)} ({len(part)})")
    dots = [colour.get(g, GREY) for g in frame["group"]]
    ax.scatter([d.to_pydatetime() for d in frame["day"]], frame["score"], s=14, c=dots, alpha=0.7, zorder=3, linewidths=0)
    reach = min(1.0, max(0.5, float(frame["score"].abs().max()))) * 1.05  # zoom in on the usual range, symmetric about 0
    ax.set_ylim(-reach, reach)
    format_date_axis(ax, first, last)
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], marker="o", linestyle="", color=GREY, markersize=4))
    labels.append("one article")
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_sentiment_distribution(sentences: pd.DataFrame, *, ax: Axes | None = None, bins: int = 40) -> Axes:
    """Histogram of sentence compound scores, coloured negative / neutral / positive.

    Parameters
    ----------
    sentences:
        Scored sentences with ``compound`` (``sentences.parquet``).
    ax:
        Axes to draw on; a new figure when None.
    bins:
        Number of equal bins between -1 and +1.

    Returns
    -------
    matplotlib.axes.Axes
        The legend gives the share of sentences in each class (VADER's cut-offs ±0.05).

    Example
    -------
    >>> plot_sentiment_distribution(pd.DataFrame({"compound": [0.0, 0.6, -0.7]})).get_xlabel()
    'Compound score of a sentence'
    """
    from .sentiment import NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD

    require_columns(sentences, ["compound"], what="the sentences passed to plot_sentiment_distribution", hint="pass the result of store.read_table('sentences', ...)")
    ax = new_axes(ax, size=(8.0, 3.8))
    ax.set_title("Distribution of sentence sentiment")
    ax.set_xlabel("Compound score of a sentence")
    ax.set_ylabel("Sentences")
    values = pd.to_numeric(sentences["compound"], errors="coerce").dropna().to_numpy(dtype="float64")
    if values.size == 0:
        say_empty(ax, "No scored sentences in this selection")
        return ax
    edges = np.linspace(-1.0, 1.0, bins + 1)
    counts, _ = np.histogram(values, bins=edges)
    centres = (edges[:-1] + edges[1:]) / 2
    colours = [RED if c <= NEGATIVE_THRESHOLD else GREEN if c >= POSITIVE_THRESHOLD else GREY for c in centres]
    ax.bar(centres, counts, width=edges[1] - edges[0], color=colours, edgecolor="white", linewidth=0.5)
    share = {
        "negative": float((values <= NEGATIVE_THRESHOLD).mean()),
        "neutral": float(((values > NEGATIVE_THRESHOLD) & (values < POSITIVE_THRESHOLD)).mean()),
        "positive": float((values >= POSITIVE_THRESHOLD).mean()),
    }
    handles = [Patch(color=RED), Patch(color=GREY), Patch(color=GREEN)]
    labels = [f"negative (≤ −0.05): {share['negative']:.0%}", f"neutral: {share['neutral']:.0%}", f"positive (≥ +0.05): {share['positive']:.0%}"]
    ax.legend(handles, labels, title=f"{values.size:,} sentences", fontsize=8, title_fontsize=8, loc="upper left", frameon=False)
    ax.set_xlim(-1.02, 1.02)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_actor_sentiment(
    actor_scores: pd.DataFrame,
    *,
    ax: Axes | None = None,
    top: int = 15,
    label: str = "actor",
    title: str = "Sentiment of sentences mentioning each actor",
) -> Axes:
    """Mean compound score of the sentences mentioning each actor (or source), most mentioned first.

    Parameters
    ----------
    actor_scores:
        :func:`mediawork.sentiment.actor_sentiment`'s output (``actor``, ``n_sentences``,
        ``compound_mean``), or :func:`mediawork.profile.actor_sentiment_by`'s with ``label="source"``.
    ax:
        Axes to draw on; a new figure when None.
    top:
        Draw the ``top`` rows with most sentences, ordered by score.
    label:
        The column naming each bar.
    title:
        The chart title.

    Returns
    -------
    matplotlib.axes.Axes
        Bars right of zero (green) are positive on average, left (red) negative;
        each bar is annotated with its score and number of sentences.

    Example
    -------
    >>> a = pd.DataFrame({"actor": ["Kim", "Lee"], "n_sentences": [5, 2], "compound_mean": [0.3, -0.2]})
    >>> [t.get_text() for t in plot_actor_sentiment(a).get_yticklabels()]  # bottom to top
    ['Lee', 'Kim']
    """
    require_columns(actor_scores, [label, "n_sentences", "compound_mean"], what="the actor scores passed to plot_actor_sentiment", hint="pass the result of sentiment.actor_sentiment")
    ranked = actor_scores.dropna(subset=["compound_mean"]).sort_values(["n_sentences", label], ascending=[False, True], kind="stable")
    shown = ranked.head(top).sort_values(["compound_mean", label], ascending=[False, True], kind="stable")
    ax = _figure(ax, len(shown))
    if len(ranked) > len(shown):
        title += f"\n(the {len(shown)} most mentioned of {len(ranked)})"
    ax.set_title(title)
    ax.set_xlabel("Mean compound score of those sentences (-1 to +1)")
    ax.set_ylabel(label.capitalize())
    if shown.empty:
        say_empty(ax, "No sentences mention an actor in this selection")
        return ax
    values = shown["compound_mean"].astype("float64").tolist()
    notes = [f"{v:+.2f} (n={n})" for v, n in zip(values, shown["n_sentences"].astype(int).tolist(), strict=True)]
    _barh(ax, shown[label].tolist(), values, colors=[GREEN if v >= 0 else RED for v in values], annotations=notes)
    ax.axvline(0, color="0.4", linewidth=0.8)
    reach = max(0.25, max(abs(v) for v in values)) * 1.6
    ax.set_xlim(-reach, reach)
    return ax


# --------------------------------------------------------------------------- terms


def plot_top_terms(freq: pd.DataFrame, *, ax: Axes | None = None, top: int = 20, value: str = "count") -> Axes:
    """Horizontal bars of the most frequent terms.

    Parameters
    ----------
    freq:
        :func:`mediawork.terms.term_frequency`'s output (``term``, ``count`` or ``per_10k``),
        already filtered to the term order wanted.
    ax:
        Axes to draw on; a new figure when None.
    top:
        How many terms to draw.
    value:
        ``"count"`` (occurrences) or ``"per_10k"`` (per 10,000 content tokens).

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> ax = plot_top_terms(pd.DataFrame({"term": ["truce", "talks"], "count": [9, 4]}), top=1)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['truce']
    """
    require_columns(freq, ["term", value], what="the term frequencies passed to plot_top_terms", hint="pass the result of terms.term_frequency")
    shown = freq.sort_values([value, "term"], ascending=[False, True], kind="stable").head(top)
    ax = _figure(ax, len(shown))
    ax.set_title("Most frequent terms")
    ax.set_xlabel("Occurrences" if value == "count" else "Occurrences per 10,000 content words")
    ax.set_ylabel("Term")
    if shown.empty:
        say_empty(ax, "No terms in this selection")
        return ax
    _barh(ax, shown["term"].tolist(), shown[value].astype("float64").tolist())
    ax.set_xlim(0, float(shown[value].max()) * 1.15 or 1.0)
    return ax


def plot_keyness(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    top: int = 10,
    labels: tuple[str, str] = ("group A", "group B"),
) -> Axes:
    """Diverging bars of signed G²: terms typical of group A (right) and of group B (left).

    Parameters
    ----------
    table:
        :func:`mediawork.terms.keyness`'s output (``term``, ``g2``, ``log_ratio``), A as target.
    ax:
        Axes to draw on; a new figure when None.
    top:
        Terms drawn on each side (the largest ``|G²|``).
    labels:
        Names of the two groups for the legend.

    Returns
    -------
    matplotlib.axes.Axes
        Each bar is annotated with the log ratio (effect size: +1 means twice as
        frequent in A, -1 twice as frequent in B).

    Example
    -------
    >>> k = pd.DataFrame({"term": ["aid", "truce"], "g2": [12.0, -8.0], "log_ratio": [3.1, -2.0]})
    >>> [t.get_text() for t in plot_keyness(k).get_yticklabels()]  # bottom to top
    ['truce', 'aid']
    """
    require_columns(table, ["term", "g2", "log_ratio"], what="the keyness table passed to plot_keyness", hint="pass the result of terms.keyness")
    positive = table[table["g2"] > 0].sort_values(["g2", "term"], ascending=[False, True], kind="stable").head(top)
    negative = table[table["g2"] < 0].sort_values(["g2", "term"], ascending=[True, True], kind="stable").head(top)
    shown = pd.concat([positive, negative.iloc[::-1]], ignore_index=True)
    ax = _figure(ax, len(shown), width=9.0)
    ax.set_title("Keyness: terms typical of each group")
    ax.set_xlabel(f"Signed G² (log-likelihood): right = more frequent in {_label(labels[0])}, left = in {_label(labels[1])}")
    ax.set_ylabel("Term")
    if shown.empty:
        say_empty(ax, "No terms to compare: a group is empty or has no terms")
        return ax
    values = shown["g2"].astype("float64").tolist()
    notes = [f"log ratio {lr:+.1f}" for lr in shown["log_ratio"].astype("float64").tolist()]
    _barh(ax, shown["term"].tolist(), values, colors=[PALETTE[0] if v > 0 else PALETTE[1] for v in values], annotations=notes)
    ax.axvline(0, color="0.4", linewidth=0.8)
    reach = max(abs(v) for v in values) * 1.5
    ax.set_xlim(-reach, reach)
    ax.legend([Patch(color=PALETTE[0]), Patch(color=PALETTE[1])], [f"A: {_label(labels[0])}", f"B: {_label(labels[1])}"], loc="lower right", fontsize=8, frameon=False)
    return ax


def plot_term_trends(trends: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """One line per term: occurrences per 10,000 content words in each period.

    Parameters
    ----------
    trends:
        :func:`mediawork.terms.term_trends`'s output (``period``, ``term``, ``per_10k``).
    ax:
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> t = pd.DataFrame({"period": pd.to_datetime(["2025-03-03", "2025-03-10"], utc=True), "term": ["aid", "aid"],
    ...                   "per_10k": [12.0, 30.0]})
    >>> plot_term_trends(t).get_legend().get_texts()[0].get_text()
    'aid'
    """
    require_columns(trends, ["period", "term", "per_10k"], what="the trends passed to plot_term_trends", hint="pass the result of terms.term_trends")
    ax = new_axes(ax, size=(10.0, 4.2))
    ax.set_title("Term frequency over time")
    ax.set_xlabel("Period starting (UTC)")
    ax.set_ylabel("Per 10,000 content words")
    periods = _naive_utc(trends["period"])
    if trends.empty or periods.isna().all():
        say_empty(ax, "No dated terms in this selection")
        return ax
    frame = pd.DataFrame({"period": periods.to_numpy(), "term": trends["term"].astype("string").to_numpy(), "value": pd.to_numeric(trends["per_10k"]).to_numpy(dtype="float64")})
    for i, term in enumerate(sorted(frame["term"].dropna().unique())):
        part = frame[frame["term"] == term].sort_values("period")
        ax.plot([p.to_pydatetime() for p in part["period"]], part["value"], marker="o", markersize=4, linewidth=1.6, color=PALETTE[i % len(PALETTE)], label=_label(term))
    ax.set_ylim(bottom=0)
    format_date_axis(ax, frame["period"].min(), frame["period"].max(), pad_hours=36)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False, title="Term", title_fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


# --------------------------------------------------------------------------- co-occurrence


def plot_cooccurrence_heatmap(cooc: pd.DataFrame, *, ax: Axes | None = None, top: int = 15, value: str = "sentences") -> Axes:
    """Heatmap of how often the most connected actors appear together.

    Parameters
    ----------
    cooc:
        :func:`mediawork.cooccurrence.build_cooccurrence`'s output (one window).
    ax:
        Axes to draw on; a new figure when None.
    top:
        Actors shown: those with the largest total of ``value`` over their pairs.
    value:
        ``"sentences"`` (shared windows), ``"articles"``, ``"npmi"`` or ``"jaccard"``.

    Returns
    -------
    matplotlib.axes.Axes
        Symmetric matrix, the numbers written in the cells; an empty cell means the
        pair does not reach ``min_count``.

    Example
    -------
    >>> c = pd.DataFrame({"actor_a": ["Kim"], "actor_b": ["Lee"], "sentences": [3]})
    >>> [t.get_text() for t in plot_cooccurrence_heatmap(c).get_xticklabels()]
    ['Kim', 'Lee']
    """
    require_columns(cooc, ["actor_a", "actor_b", value], what="the co-occurrence frame passed to plot_cooccurrence_heatmap", hint="pass the result of cooccurrence.build_cooccurrence")
    pairs = pd.DataFrame({"a": cooc["actor_a"].astype(str).to_numpy(), "b": cooc["actor_b"].astype(str).to_numpy(), "v": pd.to_numeric(cooc[value]).to_numpy(dtype="float64")})
    totals = pd.concat([pairs.groupby("a")["v"].sum(), pairs.groupby("b")["v"].sum()]).groupby(level=0).sum()
    actors = sorted(totals.index, key=lambda a: (-totals[a], a))[:top]
    size = max(4.0, min(12.0, 1.8 + 0.45 * len(actors)))
    ax = new_axes(ax, size=(size + 1.2, size))
    ax.set_title(f"Actors appearing together (top {len(actors)} by {value})")
    ax.set_xlabel("Actor")
    ax.set_ylabel("Actor")
    if not actors:
        say_empty(ax, "No pair of actors appears together often enough")
        return ax
    index = {a: i for i, a in enumerate(actors)}
    matrix = np.full((len(actors), len(actors)), np.nan)
    for a, b, v in pairs.itertuples(index=False):
        if a in index and b in index:
            matrix[index[a], index[b]] = matrix[index[b], index[a]] = v
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap="Blues", aspect="equal")
    ax.set_xticks(range(len(actors)), [_label(a) for a in actors], rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(actors)), [_label(a) for a in actors], fontsize=8)
    high = np.nanmax(matrix) if np.isfinite(matrix).any() else 1.0
    for (i, j), v in np.ndenumerate(matrix):
        if np.isfinite(v):
            text = f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}"
            ax.text(j, i, text, ha="center", va="center", fontsize=7, color="white" if v > 0.6 * high else "black")
    colorbar = ax.figure.colorbar(image, ax=ax, shrink=0.8)
    colorbar.set_label({"sentences": "Shared windows", "articles": "Shared articles"}.get(value, value))
    return ax


def plot_actor_network(
    graph: nx.Graph,
    measures: pd.DataFrame,
    *,
    ax: Axes | None = None,
    top: int = 30,
    seed: int = 0,
) -> Axes:
    """The actor network: node size by weighted degree, edge width by weight, colour by community.

    Parameters
    ----------
    graph:
        From :func:`mediawork.cooccurrence.cooccurrence_graph` (edges carry ``weight``).
    measures:
        :func:`mediawork.cooccurrence.graph_measures` of the same graph
        (``actor``, ``weighted_degree``, ``community``).
    ax:
        Axes to draw on; a new figure when None.
    top:
        Draw the ``top`` actors with the largest weighted degree and the edges among them.
    seed:
        Seed of the force-directed layout: the same data gives the same picture.

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> g = nx.Graph(); g.add_edge("Kim", "Lee", weight=3.0)
    >>> m = pd.DataFrame({"actor": ["Kim", "Lee"], "weighted_degree": [3.0, 3.0], "community": [0, 0]})
    >>> sorted(t.get_text() for t in plot_actor_network(g, m).texts)
    ['Kim', 'Lee']
    """
    if not isinstance(graph, nx.Graph):
        raise ParameterError(f"plot_actor_network got a {type(graph).__name__}; expected a networkx.Graph from cooccurrence.cooccurrence_graph")
    require_columns(measures, ["actor", "weighted_degree", "community"], what="the graph measures passed to plot_actor_network", hint="pass the result of cooccurrence.graph_measures")
    ranked = measures.sort_values(["weighted_degree", "actor"], ascending=[False, True], kind="stable")
    ranked = ranked[ranked["actor"].astype(str).isin([str(n) for n in graph.nodes])].head(top)
    ax = new_axes(ax, size=(10.0, 8.0))
    ax.set_title(f"Actor network ({len(ranked)} most connected actors)")
    ax.set_axis_off()
    if ranked.empty:
        ax.set_axis_on()
        say_empty(ax, "No pair of actors appears together often enough")
        return ax
    nodes = ranked["actor"].astype(str).tolist()
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    edges = sorted((min(a, b), max(a, b), max(float(d.get("weight", 1.0)), 0.0)) for a, b, d in graph.subgraph(nodes).edges(data=True))
    # the layout pulls by log weight, so a few very strong ties do not crush everything into the centre
    sub.add_edges_from((a, b, {"weight": w, "pull": 1.0 + np.log1p(w)}) for a, b, w in edges)
    position = nx.spring_layout(sub, seed=seed, weight="pull", k=2.5 / np.sqrt(max(1, len(nodes))), iterations=300)
    strength = dict(zip(nodes, ranked["weighted_degree"].astype("float64").tolist(), strict=True))
    community = dict(zip(nodes, ranked["community"].astype(int).tolist(), strict=True))
    weights = [d["weight"] for _, _, d in sub.edges(data=True)]
    if weights:
        heaviest = max(weights)
        for (a, b, d) in sub.edges(data=True):
            (xa, ya), (xb, yb) = position[a], position[b]
            ax.plot([xa, xb], [ya, yb], color="0.55", alpha=0.35 + 0.4 * d["weight"] / heaviest, linewidth=0.5 + 5.5 * d["weight"] / heaviest, zorder=1, solid_capstyle="round")
    biggest = max(strength.values()) or 1.0
    for node in nodes:
        x, y = position[node]
        ax.scatter([x], [y], s=80 + 1500 * strength[node] / biggest, color=PALETTE[community[node] % len(PALETTE)], edgecolors="white", linewidths=1.0, zorder=2)
        text = ax.text(x, y, _label(node), ha="center", va="center", fontsize=8, zorder=3)
        text.set_path_effects([path_effects.withStroke(linewidth=3, foreground="white")])
    shown = sorted(set(community.values()))
    members = {c: [n for n in nodes if community[n] == c] for c in shown}
    handles = [Line2D([], [], marker="o", linestyle="", color=PALETTE[c % len(PALETTE)], markersize=8) for c in shown]
    names = [f"Community {c + 1}: {', '.join(_label(n) for n in members[c][:3])}{'…' if len(members[c]) > 3 else ''}" for c in shown]
    ax.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=8, frameon=False, title="Node size: weighted degree; edge width: shared windows; colour: community", title_fontsize=8)
    ax.margins(0.08)
    return ax


# --------------------------------------------------------------------------- actor profile


def plot_actor_timeline(timeline: pd.DataFrame, *, ax: Axes | None = None, actor: str = "the actor") -> Axes:
    """Articles mentioning an actor per period, against all articles published.

    Parameters
    ----------
    timeline:
        :func:`mediawork.profile.actor_timeline`'s output (``period``, ``mentions``,
        ``articles``, ``published``).
    ax:
        Axes to draw on; a new figure when None.
    actor:
        The actor's name, for the title.

    Returns
    -------
    matplotlib.axes.Axes
        Grey bars: all articles of the period; coloured bars: those mentioning the
        actor, with the number of mentions written above.

    Example
    -------
    >>> t = pd.DataFrame({"period": pd.to_datetime(["2025-03-03"]), "mentions": [4], "articles": [2], "published": [5]})
    >>> plot_actor_timeline(t, actor="Kim").get_title()
    'Articles mentioning Kim per week'
    """
    require_columns(timeline, ["period", "mentions", "articles", "published"], what="the timeline passed to plot_actor_timeline", hint="pass the result of profile.actor_timeline")
    periods = _naive_utc(timeline["period"])
    weekly = len(periods) < 2 or (periods.diff().dropna() >= pd.Timedelta(days=7)).all()
    ax = new_axes(ax, size=(10.0, 3.8))
    ax.set_title(f"Articles mentioning {_label(actor)} per {'week' if weekly else 'day'}")
    ax.set_xlabel("Week (UTC, Monday to Sunday)" if weekly else "Day (UTC)")
    ax.set_ylabel("Articles")
    if timeline.empty:
        say_empty(ax, "No dated articles in this selection")
        return ax
    span = pd.Timedelta(days=7 if weekly else 1)
    x = [(p + span / 2).to_pydatetime() for p in periods]  # a bar covers its week (or day)
    width = 6.0 if weekly else 0.8
    ax.bar(x, timeline["published"].to_numpy(), width=width, color="0.85", label="all articles")
    bars = ax.bar(x, timeline["articles"].to_numpy(), width=width * 0.6, color=BLUE, label=f"mentioning {_label(actor)}")
    ax.bar_label(bars, labels=[f"{m} mentions" if m else "" for m in timeline["mentions"].astype(int)], padding=2, fontsize=7)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(1, int(timeline["published"].max())) * 1.2)
    format_date_axis(ax, periods.min() + span / 2, periods.max() + span / 2, pad_hours=96 if weekly else 18)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_actor_partners(
    partners: pd.DataFrame,
    *,
    ax: Axes | None = None,
    top: int = 15,
    actor: str = "the actor",
    window: str = "sentence",
) -> Axes:
    """Horizontal bars of the actors most often appearing with one actor.

    Parameters
    ----------
    partners:
        :func:`mediawork.profile.actor_partners`'s output (``partner``, ``sentences``, ``npmi``).
    ax:
        Axes to draw on; a new figure when None.
    top:
        How many partners to draw.
    actor:
        The actor's name, for the title.
    window:
        The co-occurrence window (``sentence``, ``paragraph``, ``article``), for the axis label.

    Returns
    -------
    matplotlib.axes.Axes
        Each bar is annotated with the shared windows and the NPMI.

    Example
    -------
    >>> p = pd.DataFrame({"partner": ["Lee"], "sentences": [3], "npmi": [0.4]})
    >>> plot_actor_partners(p, actor="Kim").get_xlabel()
    'Sentences shared with Kim'
    """
    require_columns(partners, ["partner", "sentences", "npmi"], what="the partners passed to plot_actor_partners", hint="pass the result of profile.actor_partners")
    return _ranked_counts(
        partners,
        label="partner",
        count="sentences",
        extra="npmi",
        note="{0} (NPMI {1:+.2f})",
        top=top,
        ax=ax,
        titles=(f"Who appears with {_label(actor)}", f"{str(window).capitalize()}s shared with {_label(actor)}", "Actor"),
        empty=f"{_label(actor)} appears with no other actor often enough",
        room=1.35,
    )


def plot_actor_sources(sources: pd.DataFrame, *, ax: Axes | None = None, top: int = 15, actor: str = "the actor") -> Axes:
    """Horizontal bars of the sources with most articles mentioning one actor.

    Parameters
    ----------
    sources:
        :func:`mediawork.profile.actor_sources`'s output (``source``, ``articles``, ``share``).
    ax:
        Axes to draw on; a new figure when None.
    top:
        How many sources to draw.
    actor:
        The actor's name, for the title.

    Returns
    -------
    matplotlib.axes.Axes
        Each bar is annotated with the share of that source's articles.

    Example
    -------
    >>> s = pd.DataFrame({"source": ["x.com"], "articles": [2], "share": [0.5]})
    >>> plot_actor_sources(s, actor="Kim").get_title()
    'Sources covering Kim most'
    """
    require_columns(sources, ["source", "articles", "share"], what="the sources passed to plot_actor_sources", hint="pass the result of profile.actor_sources")
    return _ranked_counts(
        sources,
        label="source",
        count="articles",
        extra="share",
        note="{0} ({1:.0%} of its articles)",
        top=top,
        ax=ax,
        titles=(f"Sources covering {_label(actor)} most", f"Articles mentioning {_label(actor)}", "Source"),
        empty=f"No article in this selection mentions {_label(actor)}",
        room=1.5,
    )
