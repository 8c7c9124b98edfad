"""plots: the overview charts are titled, labelled, date-formatted and safe on empty input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from mediawork import overview, plots  # noqa: E402
from mediawork.errors import DataError  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _sources(pairs):
    return pd.DataFrame({"source": [s for s, _ in pairs], "articles": [n for _, n in pairs]})


def _days(pairs):
    return pd.DataFrame({"day": pd.to_datetime([d for d, _ in pairs]), "articles": [n for _, n in pairs]})


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


# ---------------------------------------------------------------- by source


def test_source_chart_is_titled_and_labelled():
    ax = plots.plot_counts_by_source(_sources([("a.example", 3)]))
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Articles by source", "Articles", "Source")


def test_source_chart_puts_the_largest_source_on_top_with_its_count():
    ax = plots.plot_counts_by_source(_sources([("small.example", 1), ("big.example", 7), ("mid.example", 4)]))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["small.example", "mid.example", "big.example"]  # drawn bottom to top
    assert [p.get_width() for p in ax.patches] == [1, 4, 7]
    assert {"1", "4", "7"} <= set(_texts(ax))


@pytest.mark.parametrize(("top", "title"), [(2, "Articles by source (top 2 of 3)"), (3, "Articles by source"), (10, "Articles by source")])
def test_source_chart_says_when_sources_were_left_out(top, title):
    ax = plots.plot_counts_by_source(_sources([("a", 3), ("b", 2), ("c", 1)]), top=top)
    assert ax.get_title() == title
    assert len(ax.patches) == min(top, 3)


def test_source_chart_shortens_long_names():
    ax = plots.plot_counts_by_source(_sources([("x" * 80, 2)]))
    label = ax.get_yticklabels()[0].get_text()
    assert len(label) == plots.MAX_LABEL and label.endswith("…")


def test_source_chart_of_outlets():
    counts = overview.counts_by_source(pd.DataFrame({"outlet": ["AP", "AP", "WSJ"]}), column="outlet")
    ax = plots.plot_counts_by_source(counts, column="outlet")
    assert (ax.get_title(), ax.get_ylabel()) == ("Articles by outlet", "Outlet")


def test_source_chart_draws_on_the_given_axes():
    fig, given = plt.subplots()
    assert plots.plot_counts_by_source(_sources([("a", 1)]), ax=given) is given
    assert given.figure is fig


def test_source_chart_of_nothing_says_so():
    ax = plots.plot_counts_by_source(_sources([]))
    assert "No articles in this selection" in _texts(ax)
    assert not ax.patches


def test_source_chart_does_not_modify_its_input():
    counts = _sources([("b", 1), ("a", 5)])
    before = counts.copy()
    plots.plot_counts_by_source(counts)
    pd.testing.assert_frame_equal(counts, before)


# ---------------------------------------------------------------- by day


def test_day_chart_is_titled_and_labelled_in_utc():
    ax = plots.plot_counts_by_day(_days([("2025-03-01", 2)]))
    assert ax.get_title() == "Articles per day (UTC)"
    assert ax.get_xlabel() == "Publication date (UTC)" and ax.get_ylabel() == "Articles"


@pytest.mark.parametrize(
    ("start", "n", "expected_labels"),
    [
        ("2025-03-01", 1, ["01 Mar 2025"]),
        ("2025-03-01", 3, ["01 Mar 2025", "02 Mar 2025", "03 Mar 2025"]),
        ("2025-02-20", 20, ["22 Feb", "01 Mar", "08 Mar"]),
    ],
)
def test_day_chart_writes_days_as_day_and_month(start, n, expected_labels):
    counts = overview.counts_by_day(pd.DataFrame({"published": pd.date_range(start, periods=n, freq="D", tz="UTC")}))
    ax = plots.plot_counts_by_day(counts)
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()] == expected_labels
    assert len(ax.patches) == n


def test_day_chart_uses_a_date_formatter_over_months():
    counts = _days([(d, 1) for d in pd.date_range("2024-11-01", periods=150, freq="D")])
    ax = plots.plot_counts_by_day(counts)
    ax.figure.canvas.draw()
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    assert "Jan 2025" in [t.get_text() for t in ax.get_xticklabels()]


def test_day_chart_accepts_timezone_aware_days():
    counts = pd.DataFrame({"day": pd.to_datetime(["2025-03-01", "2025-03-02"]).tz_localize("UTC"), "articles": [1, 2]})
    ax = plots.plot_counts_by_day(counts)
    assert [p.get_height() for p in ax.patches] == [1, 2]


def test_day_chart_of_nothing_says_so():
    ax = plots.plot_counts_by_day(overview.counts_by_day(pd.DataFrame({"published": pd.to_datetime([], utc=True)})))
    assert "No dated articles in this selection" in _texts(ax)


@pytest.mark.parametrize(
    ("function", "frame"),
    [
        (plots.plot_counts_by_source, pd.DataFrame({"site": ["a"], "articles": [1]})),
        (plots.plot_counts_by_day, pd.DataFrame({"date": ["2025-01-01"], "articles": [1]})),
    ],
)
def test_charts_name_the_missing_column(function, frame):
    with pytest.raises(DataError, match=r"lacks column\(s\) \[.+\]; found columns \[.+\].*overview\.counts_by_"):
        function(frame)


# ---------------------------------------------------------------- shared style helpers (also used by figures)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("", ""),
        ("river.example", "river.example"),
        ("x" * plots.MAX_LABEL, "x" * plots.MAX_LABEL),
        ("x" * (plots.MAX_LABEL + 1), "x" * (plots.MAX_LABEL - 1) + "…"),
        ("The harbour board met late into the night to settle the ferry fares", "The harbour board met late into the nig…"),
    ],
)
def test_shorten_cuts_long_labels_with_an_ellipsis(label, expected):
    out = plots.shorten(label)
    assert out == expected
    assert len(out) <= plots.MAX_LABEL


def test_new_axes_keeps_the_given_axes_or_makes_a_figure_of_the_size_asked():
    _, given = plt.subplots()
    assert plots.new_axes(given, size=(3.0, 2.0)) is given
    made = plots.new_axes(None, size=(5.0, 2.5))
    assert made is not given
    assert made.figure.get_size_inches().tolist() == [5.0, 2.5]


def test_say_empty_writes_the_message_and_removes_the_ticks():
    ax = plots.new_axes(None, size=(4.0, 3.0))
    plots.say_empty(ax, "No ferries in this selection")
    assert _texts(ax) == ["No ferries in this selection"]
    assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []


@pytest.mark.parametrize(
    ("first", "last", "pad_hours", "locator", "expected_labels"),
    [
        ("2025-03-01", "2025-03-01", 18, mdates.DayLocator, ["01 Mar 2025"]),
        ("2025-03-01", "2025-03-03", 18, mdates.DayLocator, ["01 Mar 2025", "02 Mar 2025", "03 Mar 2025"]),
        ("2025-02-20", "2025-03-11", 18, mdates.AutoDateLocator, ["22 Feb", "01 Mar", "08 Mar"]),
    ],
)
def test_format_date_axis_writes_days_and_pads_the_range(first, last, pad_hours, locator, expected_labels):
    ax = plots.new_axes(None, size=(9.0, 3.6))
    start, end = pd.Timestamp(first), pd.Timestamp(last)
    ax.plot([start.to_pydatetime(), end.to_pydatetime()], [0, 1])
    plots.format_date_axis(ax, start, end, pad_hours=pad_hours)
    ax.figure.canvas.draw()
    assert isinstance(ax.xaxis.get_major_locator(), locator)
    assert [t.get_text() for t in ax.get_xticklabels()] == expected_labels
    pad = pd.Timedelta(hours=pad_hours)
    assert [mdates.num2date(x).replace(tzinfo=None) for x in ax.get_xlim()] == [(start - pad).to_pydatetime(), (end + pad).to_pydatetime()]
