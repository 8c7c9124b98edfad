"""The four analysis notebooks: stored clean and documented, run to the end, render their charts.

Kernel starts are slow, so the notebooks execute on a kernel in one module-scoped
``run_reports`` call over the sample corpus (data/raw ingested and analysed once).
Edge cases (an empty selection, an unknown actor) run the same cells in this
process instead, with ``display`` captured, which takes a second each.
"""

from __future__ import annotations

import json
from pathlib import Path

import jupytext
import matplotlib
import nbformat
import papermill
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from mediawork import reports  # noqa: E402
from mediawork.errors import ParameterError  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"

SHARED = ("data_dir", "date_from", "date_to", "sources", "top_n", "min_count", "title")
#: name -> (parameters beyond the shared ones, headings the report must show, charts it draws)
EXPECTED = {
    "sentiment": (
        ("rolling_days",),
        ("How to read a compound score", "Sentiment over time", "Distribution of sentence scores", "Sentiment toward actors", "Lexicon and language resources"),
        3,
    ),
    "term_frequency": (
        ("group_a", "group_b"),
        ("Most frequent words", "Keyness: what distinguishes two groups of articles", "Trends over time", "Collocations", "Keywords in context"),
        3,
    ),
    "actor_cooccurrence": (
        ("window",),
        ("Who appears with whom", "The actor network", "Pairs and how strongly they are tied", "Network measures"),
        2,
    ),
    "actor_profile": (
        ("actors_file", "actor", "window"),
        ("Mentions over time", "Sentiment of the sentences mentioning the actor", "Who the actor appears with", "The actor in context", "Sources covering the actor most"),
        4,
    ),
}
NAMES = list(EXPECTED)


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    """data/raw ingested and analysed into a temporary folder."""
    from mediawork.analyze import analyze
    from mediawork.ingest import ingest

    out = tmp_path_factory.mktemp("processed")
    ingest(raw_dir=REPO / "data" / "raw", out_dir=out, progress=False)
    analyze(out, actors_file=REPO / "data" / "actors.yml", progress=False)
    return out


@pytest.fixture(scope="module")
def run(processed, tmp_path_factory) -> reports.ReportRun:
    return reports.run_reports(data_dir=processed, out_dir=tmp_path_factory.mktemp("reports"), notebooks=NAMES, progress=False)


def _stored(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


# ---------------------------------------------------------------- executed on the kernel


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_to_the_end_without_an_error(run, name):
    result = next(r for r in run.results if r.name == name)
    assert result.status == "ok", f"{name} failed in cell {result.cell}: {result.error}"
    executed = nbformat.read(run.run_dir / f"{name}.ipynb", as_version=4)
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    warnings = [o["text"] for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert errors == [] and warnings == []


@pytest.mark.parametrize("name", NAMES)
def test_report_shows_its_headings_and_charts(run, name):
    _, headings, charts = EXPECTED[name]
    page = (run.run_dir / f"{name}.html").read_text(encoding="utf-8")
    missing = [h for h in headings if f">{h}<" not in page]
    assert missing == []
    assert page.count("data:image/png;base64") >= charts
    assert "Traceback" not in page


def test_profile_report_names_the_actor_and_its_mentions(run):
    page = (run.run_dir / "actor_profile.html").read_text(encoding="utf-8")
    assert "Actor profile: Vladimir Putin</h1>" in page
    assert "Vladimir Putin: " in page and " mentions in " in page


def test_keyness_report_describes_the_default_split(run):
    page = (run.run_dir / "term_frequency.html").read_text(encoding="utf-8")
    assert "Group A (date&lt;" in page and "group B (date&gt;=" in page


# ---------------------------------------------------------------- executed in this process


def _execute_here(name: str, parameters: dict, monkeypatch) -> list[str]:
    """Run the notebook's cells in this process with ``parameters``; return what it displayed."""
    import IPython.display

    shown: list[str] = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, *a, **k: shown.append(getattr(obj, "data", repr(obj))))
    monkeypatch.chdir(NOTEBOOKS)
    notebook = jupytext.read(NOTEBOOKS / f"{name}.py")
    namespace: dict = {"__name__": "__notebook__"}
    try:
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            exec(compile(cell.source, f"{name}.py", "exec"), namespace)  # noqa: S102 - our own notebook
            if "parameters" in cell.metadata.get("tags", []):
                namespace.update(parameters)
    finally:
        plt.close("all")
    return shown


@pytest.mark.parametrize("name", NAMES)
def test_an_empty_selection_gives_a_clear_message_not_an_error(processed, monkeypatch, name):
    shown = _execute_here(name, {"data_dir": str(processed), "date_from": "2030-01-01"}, monkeypatch)
    assert any("No articles match this selection (from 2030-01-01)" in s for s in shown)


def test_an_unknown_actor_gives_a_message_listing_known_actors(processed, monkeypatch):
    shown = _execute_here("actor_profile", {"data_dir": str(processed), "actor": "Nobody <b>"}, monkeypatch)
    message = next(s for s in shown if "No actor named" in s)
    assert "No actor named &#x27;Nobody &lt;b&gt;&#x27;" in message
    assert "Set actor to one of the most mentioned: " in message and "Vladimir Putin" in message


def test_an_alias_is_accepted_as_the_actor(processed, monkeypatch):
    shown = _execute_here("actor_profile", {"data_dir": str(processed), "actor": "Putin"}, monkeypatch)
    assert any("Actor profile: Vladimir Putin</h1>" in s for s in shown)


def test_groups_given_as_sources_are_compared(processed, monkeypatch):
    shown = _execute_here("term_frequency", {"data_dir": str(processed), "group_a": "reuters.com", "group_b": ""}, monkeypatch)
    assert any("Group A (reuters.com): " in s and "group B (rest of the selection)" in s for s in shown)


def test_a_malformed_group_raises_a_parameter_error(processed, monkeypatch):
    with pytest.raises(ParameterError, match="not a date condition"):
        _execute_here("term_frequency", {"data_dir": str(processed), "group_a": "date after March"}, monkeypatch)


# ---------------------------------------------------------------- the stored files


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_without_outputs(name):
    for cell in _stored(name).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"outputs in {name}: {cell.source[:60]!r}; clear them (keep the tags)"


@pytest.mark.parametrize("name", NAMES)
def test_first_code_cell_is_tagged_parameters(name):
    first = next(c for c in _stored(name).cells if c.cell_type == "code")
    assert "parameters" in first.metadata.get("tags", [])


@pytest.mark.parametrize("name", NAMES)
def test_every_parameter_is_declared_typed_and_documented(name):
    extra, _, _ = EXPECTED[name]
    params = papermill.inspect_notebook(str(NOTEBOOKS / f"{name}.ipynb"))
    assert set(params) == set(SHARED) | set(extra)
    undocumented = [n for n, p in params.items() if not p["help"]]
    assert undocumented == [], "every parameter needs a '# help' comment (and no '=' in it: papermill skips such lines)"
    assert all(p["inferred_type_name"] in ("str", "int") for p in params.values())
    assert json.loads(params["data_dir"]["default"]) == "../data/processed"
    assert (NOTEBOOKS / json.loads(params["data_dir"]["default"])).resolve() == (REPO / "data" / "processed").resolve()


def test_shared_defaults_are_the_same_in_every_notebook():
    defaults = {name: {n: p["default"] for n, p in papermill.inspect_notebook(str(NOTEBOOKS / f"{name}.ipynb")).items()} for name in NAMES}
    for parameter in ("data_dir", "date_from", "date_to", "sources", "top_n", "min_count"):
        assert len({d[parameter] for d in defaults.values()}) == 1, parameter
    assert defaults["actor_profile"]["actor"] == '"Vladimir Putin"'
    assert defaults["actor_profile"]["actors_file"] == '"../data/actors.yml"'
    assert defaults["actor_cooccurrence"]["window"] == defaults["actor_profile"]["window"] == '"sentence"'


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_thin_offline_and_escapes_data(name):
    code = "\n".join(c.source for c in _stored(name).cells if c.cell_type == "code")
    assert "def " not in code and "class " not in code and "lambda" not in code, "move functions into src/mediawork"
    assert "download" not in code
    assert "from mediawork import" in code
    assert "escape=False" not in code


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_on_the_mediawork_kernel(name):
    assert _stored(name).metadata["kernelspec"]["name"] == "mediawork"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_and_its_py_percent_pair_are_in_sync(name):
    ipynb = jupytext.read(NOTEBOOKS / f"{name}.ipynb")
    py = jupytext.read(NOTEBOOKS / f"{name}.py")

    def cells(nb):
        return [(c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", []))) for c in nb.cells]

    assert cells(py) == cells(ipynb), f"run: jupytext --sync notebooks/{name}.ipynb"
    assert "py:percent" in ipynb.metadata["jupytext"]["formats"]
