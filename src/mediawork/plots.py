"""Matplotlib charts of the overview summaries: titled, labelled, readable without help.

Each function draws one summary from :mod:`mediawork.overview` on ``ax`` (a new
figure when ``ax`` is None) and returns the Axes; ``ax.figure`` is the Figure.
An empty summary gives a chart that says so instead of an error. The style
helpers :func:`new_axes`, :func:`say_empty`, :func:`shorten` and
:func:`format_date_axis` are shared with :mod:`mediawork.figures`.

Example
-------
>>> import matplotlib; matplotlib.use("Agg")
>>> import pandas as pd
>>> ax = plot_counts_by_source(pd.DataFrame({"source": ["a.com"], "articles": [3]}))
>>> ax.get_title()
'Articles by source'
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from .checks import require_columns

#: Longest label drawn in full; longer ones are shortened with an ellipsis.
MAX_LABEL = 40


def new_axes(ax: Axes | None, *, size: tuple[float, float]) -> Axes:
    """``ax`` itself, or the Axes of a new figure of ``size`` inches when ``ax`` is None.

    Parameters
    ----------
    ax:
        Axes given by the caller, or None.
    size:
        (width, height) in inches of the new figure (constrained layout).

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> new_axes(None, size=(4.0, 3.0)).figure.get_size_inches().tolist()
    [4.0, 3.0]
    """
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def say_empty(ax: Axes, text: str) -> None:
    """Write ``text`` in the middle of ``ax`` and remove its ticks: the chart of an empty selection.

    Parameters
    ----------
    ax:
        The Axes to write on.
    text:
        What is missing, e.g. ``"No articles in this selection"``.

    Example
    -------
    >>> ax = new_axes(None, size=(4.0, 3.0))
    >>> say_empty(ax, "No articles in this selection")
    >>> [t.get_text() for t in ax.texts], ax.get_xticks().tolist()
    (['No articles in this selection'], [])
    """
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=11, color="0.35")
    ax.set_xticks([])
    ax.set_yticks([])


def shorten(label: str) -> str:
    """``label`` cut to :data:`MAX_LABEL` characters, the last one an ellipsis, when it is longer.

    Parameters
    ----------
    label:
        A tick or legend label.

    Returns
    -------
    str

    Example
    -------
    >>> shorten("x" * 50) == "x" * 39 + "…", shorten("short")
    (True, 'short')
    """
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def format_date_axis(ax: Axes, first: pd.Timestamp, last: pd.Timestamp, *, pad_hours: float = 18) -> None:
    """Day ticks on the x axis from ``first`` to ``last``, written like ``03 Mar`` with the year as the offset.

    A range shorter than three days gets one tick per day written in full
    (``03 Mar 2025``), since a concise formatter would fall back to hours; a longer
    one gets 3 to 10 ticks at 1-, 2-, 7- or 14-day steps.

    Parameters
    ----------
    ax:
        The Axes whose x axis holds naive UTC dates.
    first, last:
        The earliest and latest date drawn.
    pad_hours:
        Room left before ``first`` and after ``last``.

    Example
    -------
    >>> ax = new_axes(None, size=(6.0, 3.0))
    >>> format_date_axis(ax, pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-02"))
    >>> type(ax.xaxis.get_major_locator()).__name__
    'DayLocator'
    """
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    if last - first < pd.Timedelta(days=3):
        # a short range: one tick per day, written in full (a concise formatter would fall back to hours)
        locator = mdates.DayLocator()
        formatter = mdates.DateFormatter("%d %b %Y")
    else:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
        locator.intervald[mdates.DAILY] = [1, 2, 7, 14]  # no 3- or 4-day steps: weeks read better
        formatter = mdates.ConciseDateFormatter(locator)
        # day ticks read "03 Mar" (never a bare "03" or "Mar"); the year goes in the offset at the right
        formatter.formats = ["%Y", "%b %Y", "%d %b", "%H:%M", "%H:%M", "%S.%f"]
        formatter.zero_formats = ["", "%b %Y", "%d %b", "%d %b", "%H:%M", "%H:%M"]
        formatter.offset_formats = ["", "", "%Y", "%d %b %Y", "%d %b %Y", "%d %b %Y %H:%M"]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)
    pad = pd.Timedelta(hours=pad_hours)
    ax.set_xlim((first - pad).to_pydatetime(), (last + pad).to_pydatetime())


def plot_counts_by_source(counts: pd.DataFrame, *, ax: Axes | None = None, top: int = 25, column: str = "source") -> Axes:
    """Horizontal bar chart of articles per source, largest at the top.

    Parameters
    ----------
    counts:
        The result of :func:`mediawork.overview.counts_by_source` (``column``, ``articles``).
    ax:
        Axes to draw on; a new figure sized to the number of bars when None.
    top:
        Draw at most this many sources (the largest); the title says when some were left out.
    column:
        The label column, ``"source"`` or ``"outlet"``.

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> ax = plot_counts_by_source(pd.DataFrame({"source": ["a.com", "b.com"], "articles": [3, 1]}))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['b.com', 'a.com']
    """
    require_columns(counts, [column, "articles"], what="the counts passed to plot_counts_by_source", hint="pass the result of overview.counts_by_source")
    ordered = counts.sort_values(["articles", column], ascending=[False, True], kind="stable")
    shown = ordered.head(top)
    ax = new_axes(ax, size=(8.0, min(12.0, max(2.6, 0.9 + 0.32 * len(shown)))))
    noun = "source" if column == "source" else "outlet"
    title = f"Articles by {noun}"
    if len(ordered) > len(shown):
        title += f" (top {len(shown)} of {len(ordered)})"
    ax.set_title(title)
    ax.set_xlabel("Articles")
    ax.set_ylabel(noun.capitalize())
    if shown.empty:
        say_empty(ax, "No articles in this selection")
        return ax
    shown = shown.iloc[::-1]
    labels = [shorten(str(s)) for s in shown[column]]
    positions = range(len(shown))
    bars = ax.barh(list(positions), shown["articles"].to_numpy(), color="#4C72B0")
    ax.set_yticks(list(positions), labels)
    ax.bar_label(bars, padding=3, fontsize=9)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max(1, int(shown["articles"].max())) * 1.15)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_counts_by_day(counts: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Bar chart of articles per publication day (UTC), with readable date ticks.

    Parameters
    ----------
    counts:
        The result of :func:`mediawork.overview.counts_by_day` (``day``, ``articles``).
    ax:
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        The x axis uses matplotlib's concise date formatter with day ticks like ``03 Mar``
        and the year as the axis offset.

    Example
    -------
    >>> days = pd.DataFrame({"day": pd.to_datetime(["2025-03-01", "2025-03-02"]), "articles": [2, 5]})
    >>> plot_counts_by_day(days).get_ylabel()
    'Articles'
    """
    require_columns(counts, ["day", "articles"], what="the counts passed to plot_counts_by_day", hint="pass the result of overview.counts_by_day")
    ax = new_axes(ax, size=(9.0, 3.6))
    ax.set_title("Articles per day (UTC)")
    ax.set_xlabel("Publication date (UTC)")
    ax.set_ylabel("Articles")
    if counts.empty:
        say_empty(ax, "No dated articles in this selection")
        return ax
    days = pd.to_datetime(counts["day"])
    if days.dt.tz is not None:
        days = days.dt.tz_convert("UTC").dt.tz_localize(None)
    days = [d.to_pydatetime() for d in days]
    ax.bar(days, counts["articles"].to_numpy(), width=0.8, color="#4C72B0", align="center")
    format_date_axis(ax, pd.Timestamp(min(days)), pd.Timestamp(max(days)))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(1, int(counts["articles"].max())) * 1.1)
    ax.spines[["top", "right"]].set_visible(False)
    return ax
