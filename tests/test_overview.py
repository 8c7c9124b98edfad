"""overview: pure summaries for the overview notebook, and the notebook file itself."""

from __future__ import annotations

import json

import jupytext
import nbformat
import numpy as np
import pandas as pd
import papermill
import pytest

from mediawork import overview, schema, store
from mediawork.errors import DataError

from .conftest import REPO

NOTEBOOK = REPO / "notebooks" / "overview.ipynb"
PAIRED = REPO / "notebooks" / "overview.py"

HOSTILE_TITLE = "<img src=x onerror=\"document.title='pwned'\">"


def _utc(*values: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), utc=True))


def _articles(**columns) -> pd.DataFrame:
    """A small articles frame: the given columns, defaults for the rest."""
    n = len(next(iter(columns.values())))
    base = {
        "article_id": [f"id{i}" for i in range(n)],
        "source": ["a.example"] * n,
        "outlet": ["a.example"] * n,
        "title": [f"Title {i}" for i in range(n)],
        "authors": [[] for _ in range(n)],
        "published": _utc(*["2025-03-01 10:00"] * n),
        "n_words": list(range(10, 10 + n)),
        "duplicate_of": [None] * n,
    }
    base.update(columns)
    return pd.DataFrame(base)


# ---------------------------------------------------------------- counts_by_source


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["b.com", "a.com", "b.com"], [("b.com", 2), ("a.com", 1)]),
        (["z.com", "a.com"], [("a.com", 1), ("z.com", 1)]),  # ties sorted by name
        (["x.com", None, "", "  "], [("(unknown)", 3), ("x.com", 1)]),
        ([], []),
    ],
)
def test_counts_by_source_counts_most_first_and_names_missing_sources(sources, expected):
    counts = overview.counts_by_source(pd.DataFrame({"source": pd.Series(sources, dtype="string")}))
    assert list(counts.columns) == ["source", "articles"]
    assert list(counts.itertuples(index=False, name=None)) == expected


def test_counts_by_source_can_count_outlets():
    arts = _articles(source=["wire.example"] * 3, outlet=["WSJ", "WSJ", "AP"])
    counts = overview.counts_by_source(arts, column="outlet")
    assert counts.to_dict("records") == [{"outlet": "WSJ", "articles": 2}, {"outlet": "AP", "articles": 1}]


def test_counts_by_source_names_the_missing_column():
    with pytest.raises(DataError, match=r"lacks column\(s\) \['source'\]; found columns \['title'\].*store\.read_articles"):
        overview.counts_by_source(pd.DataFrame({"title": ["x"]}))


# ---------------------------------------------------------------- counts_by_day


@pytest.mark.parametrize(
    ("published", "fill_gaps", "expected"),
    [
        (["2025-03-01 10:00", "2025-03-01 23:59", "2025-03-03 00:00"], True, [("2025-03-01", 2), ("2025-03-02", 0), ("2025-03-03", 1)]),
        (["2025-03-01 10:00", "2025-03-03 00:00"], False, [("2025-03-01", 1), ("2025-03-03", 1)]),
        (["2025-03-02 01:00+05:30"], True, [("2025-03-01", 1)]),  # 01:00 in India is the previous UTC day
        (["2025-03-02 12:00", None], True, [("2025-03-02", 1)]),  # undated articles are not counted
    ],
)
def test_counts_by_day_counts_utc_days(published, fill_gaps, expected):
    arts = pd.DataFrame({"published": _utc(*published)})
    counts = overview.counts_by_day(arts, fill_gaps=fill_gaps)
    got = [(d.strftime("%Y-%m-%d"), n) for d, n in counts.itertuples(index=False, name=None)]
    assert got == expected


def test_counts_by_day_takes_naive_timestamps_as_utc():
    arts = pd.DataFrame({"published": pd.to_datetime(["2025-03-05 23:00"])})
    assert overview.counts_by_day(arts)["day"].tolist() == [pd.Timestamp("2025-03-05")]


def test_counts_by_day_of_undated_articles_is_an_empty_frame_with_columns():
    counts = overview.counts_by_day(pd.DataFrame({"published": _utc(None, None)}))
    assert counts.empty and list(counts.columns) == ["day", "articles"]


def test_counts_by_day_rejects_text_that_is_not_a_date():
    with pytest.raises(DataError, match="not dates"):
        overview.counts_by_day(pd.DataFrame({"published": ["yesterday-ish"]}))


# ---------------------------------------------------------------- cleaning_stats


def _cleaning_inputs():
    manifest = pd.DataFrame(
        {
            "source_file": ["b.txt", "a.txt", "dup.txt", "zz.bin", "arch.zip", "<script>x</script>.txt"],
            "status": ["ok", "ok", "duplicate", "rejected", "ok", "rejected"],
            "reason": [None, None, None, "binary file", None, "no body left after cleaning"],
        }
    )
    removed = pd.DataFrame(
        {
            "article_id": ["a1", "a1", "a2", "a2", "a2"],
            "rule": ["rule:subscribe", "metadata:title", "rule:subscribe", "learned:a.example", "rule:subscribe"],
        }
    )
    articles = _articles(
        article_id=["a1", "a2", "a3"],
        title=["Bridge opens", "Rain again", "Bridge opens (copy)"],
        duplicate_of=[None, None, "a1"],
    )
    return manifest, removed, articles


def test_cleaning_stats_lists_every_status_even_at_zero():
    stats = overview.cleaning_stats(*_cleaning_inputs())
    assert stats.by_status.to_dict("records") == [
        {"status": "ok", "inputs": 3},
        {"status": "duplicate", "inputs": 1},
        {"status": "rejected", "inputs": 2},
        {"status": "unchanged", "inputs": 0},
    ]


def test_cleaning_stats_counts_removed_lines_per_rule_most_first():
    stats = overview.cleaning_stats(*_cleaning_inputs())
    assert stats.removed_by_rule.to_dict("records") == [
        {"rule": "rule:subscribe", "kind": "rule", "lines": 3, "articles": 2},
        {"rule": "learned:a.example", "kind": "learned", "lines": 1, "articles": 1},
        {"rule": "metadata:title", "kind": "metadata", "lines": 1, "articles": 1},
    ]


def test_cleaning_stats_pairs_duplicates_with_their_originals():
    stats = overview.cleaning_stats(*_cleaning_inputs())
    assert stats.duplicates[["article_id", "duplicate_of", "original_title"]].to_dict("records") == [
        {"article_id": "a3", "duplicate_of": "a1", "original_title": "Bridge opens"}
    ]


def test_cleaning_stats_lists_rejected_inputs_with_reasons_sorted():
    stats = overview.cleaning_stats(*_cleaning_inputs())
    assert stats.rejected.to_dict("records") == [
        {"source_file": "<script>x</script>.txt", "reason": "no body left after cleaning"},
        {"source_file": "zz.bin", "reason": "binary file"},
    ]


def test_cleaning_stats_totals():
    stats = overview.cleaning_stats(*_cleaning_inputs())
    assert dict(stats.totals.itertuples(index=False, name=None)) == {
        "inputs": 6,
        "articles": 3,
        "unique articles": 2,
        "duplicates": 1,
        "rejected inputs": 2,
        "lines removed": 5,
    }


def test_cleaning_stats_of_empty_tables_are_empty_tables():
    stats = overview.cleaning_stats(store.empty_frame(schema.MANIFEST), store.empty_frame(schema.REMOVED), store.empty_frame(schema.ARTICLES))
    assert stats.removed_by_rule.empty and stats.duplicates.empty and stats.rejected.empty
    assert stats.by_status["inputs"].sum() == 0
    assert list(stats.removed_by_rule.columns) == ["rule", "kind", "lines", "articles"]


def test_cleaning_stats_do_not_modify_their_inputs():
    inputs = _cleaning_inputs()
    copies = [df.copy(deep=True) for df in inputs]
    overview.cleaning_stats(*inputs)
    for before, after in zip(copies, inputs):
        pd.testing.assert_frame_equal(before, after)


# ---------------------------------------------------------------- article_table


def test_article_table_formats_sorts_and_joins_authors():
    arts = _articles(
        source=["b.example", "a.example", "c.example"],
        title=["Late", "Undated", "Early"],
        published=_utc("2025-03-02 18:45", None, "2025-03-01 06:05"),
        authors=[np.array(["Ana Silva", "Tom Berg"], dtype=object), [], None],
        n_words=[300, 12, 45],
    )
    table = overview.article_table(arts)
    assert list(table.columns) == list(overview.ARTICLE_TABLE_COLUMNS)
    assert table["title"].tolist() == ["Early", "Late", "Undated"]
    assert table["published"].tolist()[:2] == ["2025-03-01 06:05", "2025-03-02 18:45"]
    assert pd.isna(table["published"].iloc[2])
    assert table["authors"].tolist() == ["", "Ana Silva; Tom Berg", ""]
    assert table["words"].tolist() == [45, 300, 12]


@pytest.mark.parametrize(("limit", "rows"), [(None, 5), (2, 2), (0, 0), (99, 5)])
def test_article_table_limit(limit, rows):
    arts = _articles(title=list("abcde"))
    assert len(overview.article_table(arts, limit=limit)) == rows


def test_article_table_reads_what_the_store_wrote(tmp_path):
    arts = pd.DataFrame(
        {
            "article_id": ["k1"],
            "source_file": ["one.txt"],
            "source": ["port.example"],
            "outlet": ["port.example"],
            "url": [None],
            "title": ["Harbour dredging starts"],
            "summary": [None],
            "authors": [["Mira Patel", "Jon Hale"]],
            "dateline": [None],
            "published": _utc("2025-04-10 07:15"),
            "published_offset": ["+00:00"],
            "tags": [[]],
            "language": ["en"],
            "text": ["Work began at dawn."],
            "n_words": [4],
            "duplicate_of": [None],
        }
    )
    store.write_table(arts, schema.ARTICLES, tmp_path)
    row = overview.article_table(store.read_articles(tmp_path)).iloc[0]
    assert (row["published"], row["authors"], row["words"]) == ("2025-04-10 07:15", "Mira Patel; Jon Hale", 4)


# ---------------------------------------------------------------- describe_selection, html_table


@pytest.mark.parametrize(
    ("n", "params", "expected"),
    [
        (2, {}, "2 unique articles from 1 sources, out of 9 unique articles in the data folder."),
        (0, {"date_from": "2030-01-01"}, "No articles match this selection (from 2030-01-01); the data folder holds 9"),
        (0, {"date_to": "2001-01-01", "sources": "nowhere.example"}, "(to 2001-01-01, sources: nowhere.example)"),
    ],
)
def test_describe_selection(n, params, expected):
    arts = _articles(title=["t"] * n) if n else _articles(title=["t"]).iloc[0:0]
    assert expected in overview.describe_selection(arts, total=9, **params)


# ---------------------------------------------------------------- read_selection


@pytest.fixture
def selection_dir(tmp_path):
    """Four articles in three sources over three days; the last copies the first."""
    arts = _articles(
        article_id=["a1", "a2", "a3", "a4"],
        source=["a.example", "b.example", "c.example", "c.example"],
        outlet=["a.example", "b.example", "c.example", "c.example"],
        published=_utc("2025-03-01 08:00", "2025-03-02 23:30", "2025-03-03 06:00", "2025-03-03 07:00"),
        duplicate_of=[None, None, None, "a1"],
        source_file=[f"{i}.txt" for i in range(4)],
        url=[None] * 4,
        summary=[None] * 4,
        dateline=[None] * 4,
        published_offset=["+00:00"] * 4,
        tags=[[] for _ in range(4)],
        language=["en"] * 4,
        text=["Ferry fares rose.", "The council met.", "Rain closed a road.", "Ferry fares rose."],
    )
    store.write_table(arts, schema.ARTICLES, tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("params", "ids", "message"),
    [
        ({}, ["a1", "a2", "a3"], "3 unique articles from 3 sources, out of 3 unique articles in the data folder."),
        ({"date_from": "2025-03-02"}, ["a2", "a3"], "2 unique articles from 2 sources (from 2025-03-02), out of 3"),
        ({"date_to": "2025-03-02"}, ["a1", "a2"], "2 unique articles from 2 sources (to 2025-03-02), out of 3"),
        ({"sources": "c.example, a.example"}, ["a1", "a3"], "(sources: c.example, a.example), out of 3 unique"),
        ({"date_from": "2030-01-01"}, [], "No articles match this selection (from 2030-01-01); the data folder holds 3 unique articles."),
    ],
)
def test_read_selection_returns_the_unique_selected_articles_and_their_description(selection_dir, params, ids, message):
    articles, text = overview.read_selection(selection_dir, **params)
    assert sorted(articles["article_id"]) == ids
    assert articles["duplicate_of"].isna().all()
    assert message in text


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["article_id"], ["article_id"]),
        (["title", "article_id"], ["title", "article_id"]),
        (None, list(schema.ARTICLES.names)),
    ],
)
def test_read_selection_returns_only_the_requested_columns_and_still_counts_sources(selection_dir, columns, expected):
    articles, text = overview.read_selection(selection_dir, columns=columns, sources="b.example,c.example")
    assert list(articles.columns) == expected
    assert text.startswith("2 unique articles from 2 sources")


def test_read_selection_accepts_a_string_folder_and_names_a_missing_table(tmp_path):
    with pytest.raises(DataError, match="articles.parquet not found"):
        overview.read_selection(str(tmp_path))


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        (HOSTILE_TITLE, "&lt;img src=x onerror="),
        ("Tom & Jerry", "Tom &amp; Jerry"),
    ],
)
def test_html_table_escapes_values_and_headers(value, escaped):
    page = overview.html_table(pd.DataFrame({"<b>col</b>": [value]}), caption="<i>cap</i>")
    assert escaped in page
    assert "&lt;b&gt;col&lt;/b&gt;" in page and "&lt;i&gt;cap&lt;/i&gt;" in page
    assert "<script" not in page and "<img" not in page and "<b>" not in page


def test_html_table_of_an_empty_frame_is_an_escaped_message():
    assert overview.html_table(pd.DataFrame({"a": []}), empty="None <here>") == '<p class="mediawork-empty">None &lt;here&gt;</p>'


# ---------------------------------------------------------------- the notebook file


def _nb() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def test_notebook_is_stored_without_outputs():
    for cell in _nb().cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"outputs in: {cell.source[:60]!r}; clear them (keep the tags)"


def test_notebook_first_code_cell_is_tagged_parameters():
    first = next(c for c in _nb().cells if c.cell_type == "code")
    assert "parameters" in first.metadata.get("tags", [])


def test_notebook_parameters_are_documented_for_papermill():
    params = papermill.inspect_notebook(str(NOTEBOOK))
    assert {n: (p["inferred_type_name"], json.loads(p["default"])) for n, p in params.items()} == {
        "data_dir": ("str", "../data/processed"),
        "date_from": ("str", ""),
        "date_to": ("str", ""),
        "sources": ("str", ""),
        "title": ("str", "Coverage overview"),
    }
    assert all(p["help"] for p in params.values()), "every parameter needs a '# help' comment"


def test_notebook_default_data_dir_is_the_repository_data_folder_from_notebooks():
    assert (NOTEBOOK.parent / "../data/processed").resolve() == (REPO / "data" / "processed").resolve()


def test_notebook_is_thin_and_offline():
    code = "\n".join(c.source for c in _nb().cells if c.cell_type == "code")
    assert "def " not in code and "class " not in code, "move functions into src/mediawork"
    assert "download" not in code
    assert "import mediawork" in code or "from mediawork import" in code


def test_notebook_runs_on_the_mediawork_kernel():
    assert _nb().metadata["kernelspec"]["name"] == "mediawork"


def test_notebook_and_its_py_percent_pair_are_in_sync():
    ipynb = jupytext.read(NOTEBOOK)
    py = jupytext.read(PAIRED)

    def cells(nb):
        return [(c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", []))) for c in nb.cells]

    assert cells(py) == cells(ipynb), "run: jupytext --sync notebooks/overview.ipynb"
    assert "py:percent" in ipynb.metadata["jupytext"]["formats"]
