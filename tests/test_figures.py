"""figures: every chart titled and labelled, empty inputs drawn as a message, inputs untouched.

Drawn with the Agg backend; every figure is closed after its test.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from mediawork import figures  # noqa: E402
from mediawork.errors import DataError, ParameterError  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _utc(*days: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(days), utc=True))


ARTICLES = pd.DataFrame(
    {
        "article_id": ["a1", "a2", "a3", "a4"],
        "source": ["river.example", "river.example", "hill.example", "$cash.example"],
        "published": _utc("2025-03-03 08:00", "2025-03-03 20:00", "2025-03-05 09:00", "2025-03-12 10:00"),
    }
)
SCORES = pd.DataFrame({"article_id": ["a1", "a2", "a3", "a4"], "compound_mean": [0.2, 0.4, -0.6, 0.1]})
SENTENCES = pd.DataFrame({"compound": [0.0, 0.0, 0.6, -0.7, 0.03, 0.9]})
ACTOR_SCORES = pd.DataFrame({"actor": ["Asha Rao", "Ben Okafor", "Li Wei"], "n_sentences": [9, 4, 1], "compound_mean": [0.3, -0.2, 0.5]})
FREQ = pd.DataFrame({"term": ["ferry", "bridge", "tolls"], "n": [1, 1, 1], "count": [12, 7, 3], "per_10k": [120.0, 70.0, 30.0]})
KEYNESS = pd.DataFrame(
    {"term": ["ferry", "bridge", "tolls", "harbour"], "g2": [14.2, 5.1, -3.0, -9.5], "log_ratio": [2.4, 1.1, -0.8, -3.2]}
)
TRENDS = pd.DataFrame(
    {
        "period": pd.to_datetime(["2025-03-03", "2025-03-10", "2025-03-03", "2025-03-10"], utc=True),
        "term": ["ferry", "ferry", "bridge", "bridge"],
        "per_10k": [40.0, 10.0, 0.0, 25.0],
    }
)
COOC = pd.DataFrame(
    {
        "actor_a": ["Asha Rao", "Asha Rao", "Ben Okafor"],
        "actor_b": ["Ben Okafor", "Li Wei", "Li Wei"],
        "sentences": [5, 2, 1],
        "articles": [3, 2, 1],
        "npmi": [0.4, 0.1, -0.2],
    }
)
TIMELINE = pd.DataFrame(
    {"period": pd.to_datetime(["2025-03-03", "2025-03-10", "2025-03-17"]), "mentions": [4, 0, 2], "articles": [2, 0, 1], "published": [3, 1, 2]}
)
PARTNERS = pd.DataFrame({"partner": ["Ben Okafor", "Li Wei"], "sentences": [5, 2], "npmi": [0.4, 0.1]})
SOURCES = pd.DataFrame({"source": ["river.example", "hill.example"], "articles": [2, 1], "share": [1.0, 0.5]})


def _graph() -> tuple[nx.Graph, pd.DataFrame]:
    graph = nx.Graph()
    for rec in COOC.to_dict("records"):
        graph.add_edge(rec["actor_a"], rec["actor_b"], weight=float(rec["sentences"]))
    measures = pd.DataFrame({"actor": ["Asha Rao", "Ben Okafor", "Li Wei"], "weighted_degree": [7.0, 6.0, 3.0], "community": [0, 0, 1]})
    return graph, measures


# (name, call with data, call with empty data, message the empty chart shows)
CHARTS = [
    ("sentiment_over_time", lambda: figures.plot_sentiment_over_time(SCORES, ARTICLES), lambda: figures.plot_sentiment_over_time(SCORES.head(0), ARTICLES), "No dated, scored articles"),
    ("sentiment_distribution", lambda: figures.plot_sentiment_distribution(SENTENCES), lambda: figures.plot_sentiment_distribution(SENTENCES.head(0)), "No scored sentences"),
    ("actor_sentiment", lambda: figures.plot_actor_sentiment(ACTOR_SCORES), lambda: figures.plot_actor_sentiment(ACTOR_SCORES.head(0)), "No sentences mention an actor"),
    ("top_terms", lambda: figures.plot_top_terms(FREQ), lambda: figures.plot_top_terms(FREQ.head(0)), "No terms"),
    ("keyness", lambda: figures.plot_keyness(KEYNESS), lambda: figures.plot_keyness(KEYNESS.head(0)), "No terms to compare"),
    ("term_trends", lambda: figures.plot_term_trends(TRENDS), lambda: figures.plot_term_trends(TRENDS.head(0)), "No dated terms"),
    ("cooccurrence_heatmap", lambda: figures.plot_cooccurrence_heatmap(COOC), lambda: figures.plot_cooccurrence_heatmap(COOC.head(0)), "No pair of actors"),
    ("actor_network", lambda: figures.plot_actor_network(*_graph()), lambda: figures.plot_actor_network(nx.Graph(), _graph()[1].head(0)), "No pair of actors"),
    ("actor_timeline", lambda: figures.plot_actor_timeline(TIMELINE, actor="Asha Rao"), lambda: figures.plot_actor_timeline(TIMELINE.head(0), actor="Asha Rao"), "No dated articles"),
    ("actor_partners", lambda: figures.plot_actor_partners(PARTNERS, actor="Asha Rao"), lambda: figures.plot_actor_partners(PARTNERS.head(0), actor="Asha Rao"), "appears with no other actor"),
    ("actor_sources", lambda: figures.plot_actor_sources(SOURCES, actor="Asha Rao"), lambda: figures.plot_actor_sources(SOURCES.head(0), actor="Asha Rao"), "No article in this selection mentions Asha Rao"),
]
NEEDS_AXIS_LABELS = {name for name, *_ in CHARTS} - {"actor_network"}


def _texts(ax) -> str:
    return " ".join(t.get_text() for t in ax.texts)


@pytest.mark.parametrize(("name", "draw", "_empty", "_message"), CHARTS, ids=[c[0] for c in CHARTS])
def test_chart_has_a_title_and_labelled_axes(name, draw, _empty, _message):
    ax = draw()
    assert ax.get_title().strip()
    if name in NEEDS_AXIS_LABELS:
        assert ax.get_xlabel().strip() and ax.get_ylabel().strip()
    assert "No " not in _texts(ax), "a chart with data must not say it is empty"


@pytest.mark.parametrize(("name", "_draw", "draw_empty", "message"), CHARTS, ids=[c[0] for c in CHARTS])
def test_empty_input_gives_a_chart_that_says_so(name, _draw, draw_empty, message):
    ax = draw_empty()
    assert ax.get_title().strip()
    assert message in _texts(ax)


@pytest.mark.parametrize(
    ("draw", "error"),
    [
        (lambda: figures.plot_top_terms(pd.DataFrame({"word": ["x"]})), DataError),
        (lambda: figures.plot_keyness(pd.DataFrame({"term": ["x"], "g2": [1.0]})), DataError),
        (lambda: figures.plot_sentiment_over_time(SCORES, ARTICLES.drop(columns="published")), DataError),
        (lambda: figures.plot_sentiment_over_time(SCORES, ARTICLES, days=0), ParameterError),
        (lambda: figures.plot_actor_network("not a graph", _graph()[1]), ParameterError),
        (lambda: figures.plot_cooccurrence_heatmap([1, 2]), DataError),
    ],
)
def test_wrong_input_raises_a_mediawork_error_naming_the_problem(draw, error):
    with pytest.raises(error) as info:
        draw()
    assert "expected" in str(info.value) or "needs" in str(info.value)


def test_charts_draw_on_the_axes_given():
    _, ax = plt.subplots()
    assert figures.plot_top_terms(FREQ, ax=ax) is ax


def test_inputs_are_not_modified():
    before = [df.copy() for df in (SCORES, ARTICLES, KEYNESS, COOC, TIMELINE)]
    figures.plot_sentiment_over_time(SCORES, ARTICLES)
    figures.plot_keyness(KEYNESS)
    figures.plot_cooccurrence_heatmap(COOC)
    figures.plot_actor_timeline(TIMELINE)
    for old, new in zip(before, (SCORES, ARTICLES, KEYNESS, COOC, TIMELINE), strict=True):
        pd.testing.assert_frame_equal(old, new)


def test_rolling_mean_covers_the_window_and_leaves_gaps_empty():
    ax = figures.plot_sentiment_over_time(SCORES, ARTICLES, days=2, top=0)
    overall = next(line for line in ax.get_lines() if line.get_label().startswith("All sources"))
    means = np.asarray(overall.get_ydata(), dtype="float64")
    # days 03..12 Mar: a1+a2 on the 3rd (0.3), still in the window on the 4th, a3 alone on the 5th
    assert means[:3] == pytest.approx([0.3, 0.3, -0.6])
    assert np.isnan(means[7]) and means[-1] == pytest.approx(0.1)


def test_sentiment_over_time_draws_one_line_per_leading_source_plus_the_overall_line():
    ax = figures.plot_sentiment_over_time(SCORES, ARTICLES, top=2)
    labels = [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert labels == ["All sources (4 articles)", "river.example (2)", r"\$cash.example (1)"]


def test_distribution_legend_gives_the_share_of_each_class():
    ax = figures.plot_sentiment_distribution(SENTENCES)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["negative (≤ −0.05): 17%", "neutral: 50%", "positive (≥ +0.05): 33%"]


def test_actor_sentiment_keeps_the_most_mentioned_and_says_how_many_were_left_out():
    ax = figures.plot_actor_sentiment(ACTOR_SCORES, top=2)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Ben Okafor", "Asha Rao"]
    assert "the 2 most mentioned of 3" in ax.get_title()


def test_keyness_puts_group_a_terms_right_and_group_b_terms_left_with_effect_sizes():
    ax = figures.plot_keyness(KEYNESS, top=2, labels=("before", "after"))
    widths = {label.get_text(): patch.get_width() for label, patch in zip(ax.get_yticklabels(), ax.patches, strict=True)}
    assert widths["ferry"] > 0 and widths["harbour"] < 0
    assert "log ratio +2.4" in _texts(ax) and "log ratio -3.2" in _texts(ax)
    assert "before" in ax.get_xlabel() and "after" in ax.get_xlabel()


def test_heatmap_is_symmetric_with_blank_cells_for_absent_pairs():
    ax = figures.plot_cooccurrence_heatmap(COOC, top=3)
    matrix = ax.images[0].get_array()
    assert matrix[0, 1] == matrix[1, 0] == 5
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Asha Rao", "Ben Okafor", "Li Wei"]
    assert not np.ma.is_masked(matrix[0, 1]) and np.ma.is_masked(matrix[0, 0])


def test_network_layout_is_the_same_on_every_run_and_keeps_the_top_actors():
    first = figures.plot_actor_network(*_graph(), seed=3, top=2)
    second = figures.plot_actor_network(*_graph(), seed=3, top=2)
    assert [t.get_position() for t in first.texts] == [t.get_position() for t in second.texts]
    assert sorted(t.get_text() for t in first.texts) == ["Asha Rao", "Ben Okafor"]
    assert "Community 1: Asha Rao, Ben Okafor" in [t.get_text() for t in first.get_legend().get_texts()]


def test_timeline_draws_weekly_bars_with_mention_counts():
    ax = figures.plot_actor_timeline(TIMELINE, actor="Asha Rao")
    assert ax.get_title() == "Articles mentioning Asha Rao per week"
    assert "4 mentions" in _texts(ax) and "2 mentions" in _texts(ax)


def test_a_dollar_sign_in_a_label_is_drawn_as_written():
    ax = figures.plot_top_terms(pd.DataFrame({"term": ["$5 million"], "count": [3]}))
    ax.figure.canvas.draw()  # mathtext would fail or eat the dollar sign
    assert ax.get_yticklabels()[0].get_text() == r"\$5 million"


def test_long_labels_are_shortened():
    ax = figures.plot_top_terms(pd.DataFrame({"term": ["x" * 80], "count": [3]}))
    assert ax.get_yticklabels()[0].get_text().endswith("…")
