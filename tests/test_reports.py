"""reports and locking: parameters checked first, notebooks run on the venv's kernel, offline
escaped HTML, index, run log; one run at a time per data folder.

Kernel starts cost seconds, so notebooks execute in two module-scoped runs only:
the overview notebook twice (a full selection, then an empty one) and every fixture
notebook (one raises, one prints its interpreter) in one run given no names.
The lock tests (``mediawork.locking``) are at the end: they use a second process.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import signal
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from mediawork import reports, schema, sentiment, store, text
from mediawork.errors import DataError, LockError, ParameterError, ReportError
from mediawork.locking import LOCK_FILE, lock_holder, run_lock

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reports"

HOSTILE_TITLE = "<img src=x onerror=\"document.title='pwned'\">"
HOSTILE_FILE = "<script>alert('file')</script>.txt"
REPORT_TITLE = "Week <b>12</b> & more"


def _utc(value: str) -> pd.Timestamp:
    return pd.Timestamp(value, tz="UTC")


def _write_processed(data_dir: Path) -> Path:
    """Three unique articles, one duplicate and one rejected input, with hostile strings."""
    n = 4
    articles = pd.DataFrame(
        {
            "article_id": ["a1", "a2", "a3", "a4"],
            "source_file": ["one.txt", "two.json", HOSTILE_FILE, "four.txt"],
            "source": ["river.example", "hill.example", "river.example", "river.example"],
            "outlet": ["river.example", "Hill Daily", "river.example", "river.example"],
            "url": [None, "https://hill.example/story", None, None],
            "title": ["Ferry timetable changes", HOSTILE_TITLE, "Council votes <script>alert(1)</script>", "Ferry timetable changes"],
            "summary": [None] * n,
            "authors": [["Asha Rao"], [], ["Ben Okafor", "Li Wei"], ["Asha Rao"]],
            "dateline": [None] * n,
            "published": [_utc("2025-03-01 08:00"), _utc("2025-03-03 12:30"), _utc("2025-03-03 18:00"), _utc("2025-03-01 09:00")],
            "published_offset": ["+00:00"] * n,
            "tags": [[] for _ in range(n)],
            "language": ["en"] * n,
            "text": ["Boats leave later from Monday.", "A picture of a hill.", "The council voted to fix roads.", "Boats leave later from Monday."],
            "n_words": [5, 5, 6, 5],
            "duplicate_of": [None, None, None, "a1"],
        }
    )
    manifest = pd.DataFrame(
        {
            "source_file": ["one.txt", "two.json", HOSTILE_FILE, "four.txt", "<img src=y onerror=alert(2)>.bin"],
            "sha256": ["1", "2", "3", "4", "5"],
            "bytes": [10, 20, 30, 40, 50],
            "status": ["ok", "ok", "ok", "duplicate", "rejected"],
            "reason": [None, None, None, None, "binary file <b>not text</b>"],
            "article_id": ["a1", "a2", "a3", "a4", None],
            "modified": [None] * 5,
        }
    )
    removed = pd.DataFrame(
        {
            "article_id": ["a1", "a1", "a3"],
            "line_no": [1, 5, 2],
            "text": ["Subscribe today", "Share on social", "Sponsored"],
            "rule": ["rule:subscribe", "rule:share", "learned:river.example"],
        }
    )
    store.write_table(articles, schema.ARTICLES, data_dir)
    store.write_table(manifest, schema.MANIFEST, data_dir)
    store.write_table(removed, schema.REMOVED, data_dir)
    return data_dir


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    return _write_processed(tmp_path_factory.mktemp("processed"))


@pytest.fixture(scope="module")
def overview_runs(processed, tmp_path_factory):
    """The overview notebook run twice into one reports folder: everything, then an empty selection."""
    out = tmp_path_factory.mktemp("reports")
    full = reports.run_reports(data_dir=processed, out_dir=out, notebooks=["overview"], parameters={"title": REPORT_TITLE}, progress=False)
    empty = reports.run_reports(data_dir=processed, out_dir=out, notebooks=["overview"], parameters={"date_from": "2030-01-01"}, progress=False)
    return out, full, empty


@pytest.fixture(scope="module")
def fixture_run(processed, tmp_path_factory):
    """Every fixture notebook (no names given): broken.ipynb raises, interpreter.ipynb prints sys.executable.

    The run folder is made first and the run wrapped in its log, as ``mediawork run`` does.
    """
    out = tmp_path_factory.mktemp("fixture-reports")
    run_dir = reports.new_run_dir(out)
    with reports.run_log(run_dir) as log:
        log.info("ingest: 5 inputs, 4 ok, 1 rejected (a line written before the reports)")
        return reports.run_reports(
            data_dir=processed,
            out_dir=out,
            notebooks_dir=FIXTURES,
            parameters={"repeat": "2"},
            progress=False,
            run_dir=run_dir,
        )


def _html(run: reports.ReportRun, name: str = "overview") -> str:
    return (run.run_dir / f"{name}.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- the overview report


@pytest.mark.slow
def test_overview_runs_and_writes_notebook_html_and_facts(overview_runs, processed):
    _, full, _ = overview_runs
    assert full.ok and full.failures == []
    assert {p.name for p in full.run_dir.iterdir()} >= {"overview.ipynb", "overview.html", "run.json"}
    facts = json.loads((full.run_dir / "run.json").read_text())
    assert facts["status"] == "ok" and facts["run_id"] == full.run_id
    inputs = store.read_table(schema.MANIFEST, processed, columns=["source_file", "sha256"])
    expected = hashlib.sha256("".join(f"{n}\0{h}\n" for n, h in zip(inputs["source_file"], inputs["sha256"])).encode()).hexdigest()[:16]
    assert facts["data_fingerprint"] == expected
    assert facts["python"] == sys.executable
    assert set(facts["versions"]) >= {"mediawork", "pandas", "nltk"}
    assert full.summary_lines()[0].startswith(f"report {full.run_id}: 1 notebook(s) ok, 0 failed")


@pytest.mark.slow
def test_overview_receives_data_dir_as_an_absolute_path(overview_runs, processed):
    nb = nbformat.read(overview_runs[1].run_dir / "overview.ipynb", as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert f'data_dir = "{processed.resolve()}"' in injected.source


@pytest.mark.slow
def test_overview_html_embeds_the_two_charts(overview_runs):
    page = _html(overview_runs[1])
    assert len(re.findall(r'<img[^>]+src="data:image/png;base64,', page)) == 2


@pytest.mark.parametrize(
    "text",
    [
        "Week &lt;b&gt;12&lt;/b&gt; &amp; more",  # the title parameter, escaped, as the page heading
        "Articles by source",
        "Articles per day",
        "Cleaning",
        "Rejected inputs",
        "data fingerprint",
        "Ferry timetable changes",
        "binary file &lt;b&gt;not text&lt;/b&gt;",
        "sentiment lexicon",  # the header's language resources
        "stopwords",
    ],
)
def test_overview_html_shows_title_headings_and_tables(overview_runs, text):
    assert text in _html(overview_runs[1])


@pytest.mark.slow
def test_overview_html_hides_code_by_default(overview_runs):
    assert "read_articles" not in _html(overview_runs[1])


@pytest.mark.slow
def test_overview_html_needs_no_network(overview_runs):
    page = _html(overview_runs[1])
    assert not re.search(r"<script[^>]*\bsrc=", page, flags=re.I)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page, flags=re.I)
    assert "require.js" not in page and "mathjax" not in page.lower()


@pytest.mark.slow
def test_overview_html_shows_hostile_strings_only_as_text(overview_runs):
    page = _html(overview_runs[1])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the hostile title, as text
    assert "&lt;img src=y onerror=alert(2)&gt;.bin" in page  # the rejected input's file name, as text
    assert "<script>alert" not in page
    assert not re.search(r"<[^>]*onerror\s*=", page, flags=re.I), "an onerror attribute from the data reached the HTML"
    assert "<img src=x" not in page and "<img src=y" not in page
    assert "<b>12</b>" not in page  # the title parameter is data too


@pytest.mark.slow
def test_overview_of_an_empty_selection_says_so(overview_runs):
    _, _, empty = overview_runs
    assert empty.ok
    page = _html(empty)
    assert "No articles match this selection (from 2030-01-01)" in page
    assert "No articles in this selection." in page


@pytest.mark.slow
def test_index_lists_every_run_newest_first_with_links(overview_runs):
    out, full, empty = overview_runs
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.index(empty.run_id) < index.index(full.run_id)
    for run in (full, empty):
        assert f'href="{run.run_id}/overview.html"' in index
    assert "Week &lt;b&gt;12&lt;/b&gt; &amp; more" in index and "<b>12</b>" not in index
    assert "date_from = 2030-01-01" in index
    assert "<script" not in index


@pytest.mark.slow
def test_latest_is_a_copy_of_the_newest_run(overview_runs):
    out, _, empty = overview_runs
    latest = json.loads((out / "latest" / "run.json").read_text())
    assert latest["run_id"] == empty.run_id
    assert (out / "latest" / "overview.html").read_bytes() == (empty.run_dir / "overview.html").read_bytes()


# ---------------------------------------------------------------- failures and the interpreter


@pytest.mark.slow
def test_a_failing_notebook_is_recorded_with_its_cell_and_error(fixture_run):
    assert [f.name for f in fixture_run.failures] == ["broken"]
    failure = fixture_run.failures[0]
    assert (failure.cell, failure.error) == (4, "ValueError: fixture failure on purpose")
    assert failure.title == "Broken fixture"
    lines = fixture_run.summary_lines()
    assert "1 notebook(s) ok, 1 failed" in lines[0]
    assert lines[1:] == [f"  broken: failed in cell In [4]: ValueError: fixture failure on purpose; see {fixture_run.run_dir / 'broken.html'}"]
    assert json.loads((fixture_run.run_dir / "run.json").read_text())["status"] == "failed"


@pytest.mark.slow
def test_a_failing_notebook_still_gets_html_with_the_failing_cell_visible(fixture_run):
    page = _html(fixture_run, "broken")
    assert "fixture failure on purpose" in page and "Traceback" in page
    assert "a second line so the report shows the whole cell" in page  # the failing cell's code
    assert "this cell runs" in page  # output of the cell before
    assert "this cell is never reached" not in page  # code of other cells stays hidden
    assert (fixture_run.run_dir / "broken.ipynb").is_file()


@pytest.mark.slow
def test_the_other_notebooks_still_run_on_this_interpreter(fixture_run):
    (ok,) = [r for r in fixture_run.results if r.status == "ok"]
    assert ok.name == "interpreter"
    nb = nbformat.read(fixture_run.run_dir / "interpreter.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert printed.splitlines() == [f"EXECUTABLE={sys.executable}"] * 2  # repeat="2" arrived as the int 2


@pytest.mark.slow
def test_kernel_process_messages_go_to_a_log_in_the_run_folder(fixture_run):
    assert (fixture_run.run_dir / "interpreter.kernel.log").is_file()
    assert (fixture_run.run_dir / "broken.kernel.log").is_file()


@pytest.mark.slow
def test_index_marks_the_failed_run(fixture_run):
    index = fixture_run.index.read_text(encoding="utf-8")
    assert "failed at In [4]: ValueError: fixture failure on purpose" in index


# ---------------------------------------------------------------- parameters, checked before any kernel


@pytest.fixture
def no_execution(monkeypatch):
    """Fail the test if a kernel would start."""
    import papermill

    def refuse(*args, **kwargs):
        raise AssertionError("a notebook was executed although the parameters are wrong")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)
    monkeypatch.setattr(reports, "ensure_kernel", refuse)


@pytest.mark.parametrize(
    ("notebooks", "parameters", "message"),
    [
        (["overview"], {"colour": "red"}, r"unknown parameter colour='red'.*accept only \['date_from', 'date_to', 'sources', 'title'\]"),
        (["overview"], {"title": 12}, r"title=12 \(int\).*expected str"),
        (["overview"], {"date_from": "3rd of March"}, r"date_from='3rd of March' of notebook 'overview' is not an ISO date; expected e\.g\. 2025-03-18"),
        (["overview"], {"data_dir": "/elsewhere"}, r"data_dir='/elsewhere' is set by the runner"),
        (["interpreter"], {"repeat": "twice"}, r"repeat='twice' \(str\).*expected int"),
        (["interpreter"], {"repeat": 2.5}, r"repeat=2\.5 \(float\).*expected int"),
        (["interpreter"], {"verbose": "maybe"}, r"verbose='maybe' \(str\).*expected bool"),
        (["interpreter"], {"ratio": "half"}, r"ratio='half' \(str\).*expected float"),
    ],
)
def test_wrong_parameters_raise_before_any_kernel_starts(no_execution, processed, tmp_path, notebooks, parameters, message):
    notebooks_dir = None if notebooks == ["overview"] else FIXTURES
    with pytest.raises(ParameterError, match=message):
        reports.run_reports(data_dir=processed, out_dir=tmp_path / "out", notebooks=notebooks, parameters=parameters, notebooks_dir=notebooks_dir, progress=False)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["nonexistent", "../notebooks/overview", "/etc/passwd"])
def test_an_unknown_notebook_is_a_parameter_error_listing_the_available_ones(no_execution, processed, tmp_path, name):
    with pytest.raises(ParameterError, match=r"no notebook named .*expected one of \['broken', 'interpreter'\]"):
        reports.run_reports(data_dir=processed, out_dir=tmp_path, notebooks=[name], notebooks_dir=FIXTURES, progress=False)


def test_a_data_folder_without_articles_is_a_data_error(no_execution, tmp_path):
    with pytest.raises(DataError, match="articles.parquet not found: run `mediawork ingest` first"):
        reports.run_reports(data_dir=tmp_path, out_dir=tmp_path / "out", progress=False)


def test_check_parameters_converts_command_line_strings_to_declared_types(processed):
    chosen = reports.check_parameters(
        {"repeat": "3", "ratio": "0.25", "verbose": "yes"},
        {"interpreter": FIXTURES / "interpreter.ipynb", "broken": FIXTURES / "broken.ipynb"},
        data_dir=processed,
    )
    assert chosen["interpreter"] == {"data_dir": str(processed), "repeat": 3, "ratio": 0.25, "verbose": True}
    assert chosen["broken"] == {"data_dir": str(processed)}  # only what each notebook declares


# ---------------------------------------------------------------- kernel, run folders, index, facts


def test_ensure_kernel_points_the_mediawork_kernel_at_this_interpreter():
    from jupyter_client.kernelspec import KernelSpecManager

    assert reports.ensure_kernel() == "mediawork"
    assert KernelSpecManager().get_kernel_spec("mediawork").argv[0] == sys.executable


def test_ensure_kernel_repairs_a_kernelspec_that_runs_another_python():
    from jupyter_client.kernelspec import KernelSpecManager

    name = f"mediawork-selftest-{datetime.now().strftime('%H%M%S%f')}"
    spec_dir = Path(sys.prefix) / "share" / "jupyter" / "kernels" / name
    spec_dir.mkdir(parents=True)
    try:
        (spec_dir / "kernel.json").write_text(json.dumps({"argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "x", "language": "python"}))
        assert reports.ensure_kernel(name) == name
        assert KernelSpecManager().get_kernel_spec(name).argv[0] == sys.executable
    finally:
        import shutil

        shutil.rmtree(spec_dir, ignore_errors=True)


def test_ensure_kernel_refuses_a_shadowing_kernelspec(tmp_path, monkeypatch):
    import shutil

    name = f"mediawork-shadowtest-{datetime.now().strftime('%H%M%S%f')}"
    shadow = tmp_path / "kernels" / name
    shadow.mkdir(parents=True)
    (shadow / "kernel.json").write_text(json.dumps({"argv": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "x", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    try:
        with pytest.raises(ReportError, match=r"shadows the one installed.*jupyter kernelspec remove"):
            reports.ensure_kernel(name)
    finally:
        shutil.rmtree(Path(sys.prefix) / "share" / "jupyter" / "kernels" / name, ignore_errors=True)


def test_run_ids_are_utc_stamps_and_unique_within_one_second(tmp_path):
    moment = datetime(2025, 3, 18, 9, 5, 7, tzinfo=timezone.utc)
    made = [reports.new_run_dir(tmp_path, now=moment).name for _ in range(3)]
    assert made == ["20250318-090507", "20250318-090507-2", "20250318-090507-3"]
    assert sorted(made, key=reports._run_sort_key) == made
    assert sorted(["20250318-090507-10", "20250318-090507-2"], key=reports._run_sort_key) == ["20250318-090507-2", "20250318-090507-10"]


def test_index_escapes_everything_it_reads_from_run_facts(tmp_path):
    run = tmp_path / "20250101-000000"
    run.mkdir()
    facts = {
        "started": "<b>time</b>",
        "status": "ok",
        "parameters": {"title": "<script>alert(3)</script>"},
        "data_fingerprint": "<i>fp</i>",
        "versions": {"pandas": "<u>3</u>"},
        "notebooks": [{"name": "<x>", "status": "failed", "html": "a b.html", "cell": 2, "error": "<img src=z onerror=alert(4)>", "title": "<em>T</em>"}],
    }
    (run / "run.json").write_text(json.dumps(facts))
    (tmp_path / "latest").mkdir()  # neither listed as a run nor an error
    index = reports.write_index(tmp_path).read_text()
    assert "<script" not in index and "<img" not in index and "<em>" not in index and "<x>" not in index
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in index
    assert 'href="20250101-000000/a%20b.html"' in index
    assert index.count("<tr><td>") == 1


def test_run_facts_show_parameters_fingerprint_versions_and_time(processed):
    facts = reports.run_facts(processed, parameters={"title": "T", "date_from": ""}, now=datetime(2025, 3, 18, 9, 0, tzinfo=timezone.utc))
    table = dict(facts.itertuples(index=False, name=None))
    assert table["parameter title"] == "T" and table["parameter date_from"] == "''"
    assert table["data fingerprint"].startswith(reports.data_fingerprint(processed))
    assert table["run at"] == "2025-03-18 09:00:00 UTC" and facts["fact"].iloc[-1] == "run at"
    assert {"mediawork", "pandas", "nltk"} <= set(table)
    assert table["sentiment lexicon"] == sentiment.lexicon_source()
    assert {name: table[name] for name in text.resources()} == text.resources()


def test_data_fingerprint_changes_with_the_manifest(tmp_path):
    assert reports.data_fingerprint(tmp_path) == "no manifest"
    manifest = pd.DataFrame({"source_file": ["a.txt"], "sha256": ["1"], "bytes": [1], "status": ["ok"], "reason": [None], "article_id": ["x"], "modified": [None]})
    store.write_table(manifest, schema.MANIFEST, tmp_path)
    first = reports.data_fingerprint(tmp_path)
    store.write_table(manifest.assign(status=["unchanged"], modified=[pd.Timestamp("2025-03-01", tz="UTC")]), schema.MANIFEST, tmp_path)
    assert re.fullmatch(r"[0-9a-f]{16}", first) and reports.data_fingerprint(tmp_path) == first
    store.write_table(manifest.assign(sha256=["2"]), schema.MANIFEST, tmp_path)
    assert reports.data_fingerprint(tmp_path) != first


def test_report_header_opens_with_the_escaped_title_then_the_facts(processed):
    page = reports.report_header("<b>Week</b> 12", data_dir=processed, parameters={"title": "<b>Week</b> 12"})
    assert page.startswith("<h1>&lt;b&gt;Week&lt;/b&gt; 12</h1>\n<table")
    assert "<b>" not in page
    assert page.index("parameter title") < page.index("data fingerprint") < page.index("sentiment lexicon") < page.index("run at")


# ---------------------------------------------------------------- which notebooks run


def _empty_notebook(path: Path, parameters: str | None = None, *, kernelspec: bool = True) -> Path:
    nb = nbformat.v4.new_notebook()
    if parameters is not None:
        nb.cells.append(nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    if kernelspec:
        nb.metadata["kernelspec"] = {"name": "mediawork", "language": "python", "display_name": "mediawork"}
    nbformat.write(nb, path)
    return path


def test_available_notebooks_puts_overview_first_then_sorts(tmp_path):
    for name in ("sentiment", "actor_profile", "overview", "term_frequency", ".hidden", "_draft"):
        _empty_notebook(tmp_path / f"{name}.ipynb")
    (tmp_path / "overview.py").write_text("# the jupytext pair is not a notebook\n")
    (tmp_path / "folder.ipynb").mkdir()
    assert reports.available_notebooks(tmp_path) == ["overview", "actor_profile", "sentiment", "term_frequency"]
    assert reports.available_notebooks(tmp_path / "missing") == []


def test_the_repository_notebooks_include_overview_first():
    assert reports.available_notebooks()[0] == "overview"


@pytest.mark.slow
def test_no_names_run_every_fixture_notebook_in_order(fixture_run):
    assert [r.name for r in fixture_run.results] == ["broken", "interpreter"]


def test_no_notebooks_at_all_is_a_parameter_error(no_execution, processed, tmp_path):
    with pytest.raises(ParameterError, match=r"no notebooks to run: .* holds no \.ipynb files"):
        reports.run_reports(data_dir=processed, out_dir=tmp_path / "out", notebooks_dir=tmp_path, progress=False)


def test_a_parameter_no_selected_notebook_declares_is_an_error_even_if_another_does(no_execution, processed, tmp_path):
    # `title` is declared by broken.ipynb, not by interpreter.ipynb
    with pytest.raises(ParameterError, match=r"unknown parameter title='x': notebook\(s\) \['interpreter'\] accept only \['ratio', 'repeat', 'verbose'\]"):
        reports.run_reports(data_dir=processed, out_dir=tmp_path, notebooks=["interpreter"], notebooks_dir=FIXTURES, parameters={"title": "x"}, progress=False)


# ---------------------------------------------------------------- declared parameters, read without a kernel


PARAMETERS_CELL = textwrap.dedent(
    """\
    data_dir: str = ""  # ignored
    label: str | None = None  # optional label
    top: int | None = 10  # how many
    actors: list[str] = []  # names
    window = "sentence"  # no annotation: a str by its default
    limit = 5
    threshold: Optional[float] = None
    """
)


def test_declared_parameters_understand_unions_and_untyped_literals_without_a_kernelspec(tmp_path):
    path = _empty_notebook(tmp_path / "typed.ipynb", PARAMETERS_CELL, kernelspec=False)
    declared = reports._declared(path)
    assert {n: d["inferred_type_name"] for n, d in declared.items()} == {
        "data_dir": "str", "label": "str | None", "top": "int | None", "actors": "list[str]", "window": "str", "limit": "int", "threshold": "Optional[float]",
    }
    assert declared["top"]["help"] == "how many" and declared["top"]["default"] == "10"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"label": "none"}, {"label": None}),
        ({"label": "north"}, {"label": "north"}),
        ({"top": "3"}, {"top": 3}),
        ({"top": "None"}, {"top": None}),
        ({"actors": '["A B", "C D"]'}, {"actors": ["A B", "C D"]}),
        ({"limit": "7", "threshold": "0.2"}, {"limit": 7, "threshold": 0.2}),
    ],
)
def test_command_line_strings_become_the_declared_types(tmp_path, given, expected):
    path = _empty_notebook(tmp_path / "typed.ipynb", PARAMETERS_CELL)
    chosen = reports.check_parameters(given, {"typed": path}, data_dir=tmp_path)["typed"]
    assert chosen == {"data_dir": str(tmp_path), **expected}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"top": "many"}, r"parameter top='many' \(str\) does not fit notebook 'typed': expected int \| None; use a whole number"),
        ({"actors": "A B"}, r"parameter actors='A B' \(str\) does not fit notebook 'typed': expected list\[str\]; give it as JSON"),
        ({"limit": "5.5"}, r"parameter limit='5\.5' \(str\) does not fit notebook 'typed': expected int"),
    ],
)
def test_a_wrong_type_names_the_notebook_the_parameter_the_value_and_the_type(tmp_path, given, message):
    path = _empty_notebook(tmp_path / "typed.ipynb", PARAMETERS_CELL)
    with pytest.raises(ParameterError, match=message):
        reports.check_parameters(given, {"typed": path}, data_dir=tmp_path)


def test_a_parameters_cell_that_is_not_python_is_a_report_error(tmp_path):
    path = _empty_notebook(tmp_path / "bad.ipynb", "title: str = 'unterminated")
    with pytest.raises(ReportError, match=r"parameters cell of .*bad\.ipynb is not valid Python \(line 1"):
        reports._declared(path)


def test_run_dir_must_be_a_fresh_run_folder_of_out_dir(no_execution, processed, tmp_path):
    elsewhere = reports.new_run_dir(tmp_path / "other")
    with pytest.raises(ParameterError, match=r"is not a fresh run folder of .*new_run_dir\(out_dir\)"):
        reports.run_reports(data_dir=processed, out_dir=tmp_path / "out", notebooks=["interpreter"], notebooks_dir=FIXTURES, run_dir=elsewhere, progress=False)


# ---------------------------------------------------------------- the run log


@pytest.mark.slow
def test_the_run_log_records_steps_and_the_failing_cell_after_earlier_lines(fixture_run):
    log = (fixture_run.run_dir / reports.RUN_LOG).read_text(encoding="utf-8").splitlines()
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ INFO mediawork: ingest: 5 inputs", log[0])
    joined = "\n".join(log)
    assert "INFO mediawork.reports: notebook broken: started with data_dir=" in joined
    assert "ERROR mediawork.reports: notebook broken: failed in cell In [4] after" in joined
    assert "ValueError: fixture failure on purpose" in joined
    assert re.search(r"INFO mediawork\.reports: notebook interpreter: ok in [\d.]+ s -> interpreter\.html", joined)
    assert re.search(r"ERROR mediawork\.reports: report \S+: 1 notebook\(s\) ok, 1 failed", joined)
    assert joined.index("notebook broken: started") < joined.index("notebook interpreter: started")


@pytest.mark.slow
def test_the_index_links_each_runs_log(fixture_run):
    assert f'href="{fixture_run.run_id}/run.log"' in fixture_run.index.read_text(encoding="utf-8")


def test_run_log_writes_nested_lines_once_and_logs_a_failure(tmp_path):
    logger = logging.getLogger("mediawork")
    level_before, handlers_before = logger.level, list(logger.handlers)
    with pytest.raises(DataError):
        with reports.run_log(tmp_path) as log:
            log.info("step one: %d articles", 3)
            with reports.run_log(tmp_path):
                logging.getLogger("mediawork.ingest").warning("step two: 1 rejected")
            raise DataError("articles.parquet has no column title")
    logging.getLogger("mediawork").info("after the block: not written")
    lines = [line.split(" ", 1)[1] for line in (tmp_path / "run.log").read_text(encoding="utf-8").splitlines()]
    assert lines == [
        "INFO mediawork: step one: 3 articles",
        "WARNING mediawork.ingest: step two: 1 rejected",
        "ERROR mediawork: run failed: DataError: articles.parquet has no column title",
    ]
    assert logger.level == level_before and logger.handlers == handlers_before


def test_run_log_keeps_the_traceback_of_an_unexpected_error_in_the_file(tmp_path):
    with pytest.raises(ZeroDivisionError):
        with reports.run_log(tmp_path):
            1 / 0  # noqa: B018
    written = (tmp_path / "run.log").read_text(encoding="utf-8")
    assert "ERROR mediawork: run failed: ZeroDivisionError: division by zero" in written and "Traceback" in written


def test_index_lists_a_run_that_stopped_before_its_reports(tmp_path):
    run_dir = reports.new_run_dir(tmp_path)
    with reports.run_log(run_dir) as log:
        log.info("ingest started")
    index = reports.write_index(tmp_path).read_text(encoding="utf-8")
    assert "incomplete: no reports" in index and f'href="{run_dir.name}/run.log"' in index


# ---------------------------------------------------------------- locking: one run per data folder


_HOLDER = textwrap.dedent(
    """\
    import sys
    from mediawork.locking import run_lock
    with run_lock(sys.argv[1], command="mediawork ingest"):
        print("held", flush=True)
        sys.stdin.read()
    """
)


@pytest.fixture
def holder(tmp_path):
    """A second process that holds the lock on tmp_path/data until its stdin closes."""
    data = tmp_path / "data"
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(data)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        yield proc, data
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def test_a_second_run_on_the_same_folder_stops_with_the_holders_pid_and_time(holder):
    proc, data = holder
    pattern = rf"another mediawork run \(pid {proc.pid}, started \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ\) is using {re.escape(str(data))} for `mediawork ingest`; wait for it to finish"
    with pytest.raises(LockError, match=pattern):
        with run_lock(data):
            pytest.fail("the lock was taken twice")
    proc.stdin.close()
    assert proc.wait(timeout=10) == 0
    with run_lock(data) as path:  # released when the holder finished
        assert lock_holder(data)["pid"] != proc.pid and path == data / LOCK_FILE


def test_a_killed_run_leaves_no_stale_lock(holder):
    proc, data = holder
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert (data / LOCK_FILE).is_file() and lock_holder(data)["pid"] == proc.pid  # the file stays, the lock does not
    with run_lock(data):
        assert lock_holder(data)["pid"] != proc.pid


def test_the_lock_records_its_holder_and_forgets_it_on_release(tmp_path):
    import os

    with run_lock(tmp_path / "new" / "data", command="mediawork run") as path:
        facts = lock_holder(tmp_path / "new" / "data")
        assert (facts["pid"], facts["command"]) == (os.getpid(), "mediawork run")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", facts["started"])
        with run_lock(tmp_path / "new" / "data", command="mediawork ingest"):  # nested in one process: shared
            assert lock_holder(tmp_path / "new" / "data")["command"] == "mediawork run"
        assert lock_holder(tmp_path / "new" / "data") is not None  # the outer use still holds it
    assert path.read_text() == "" and lock_holder(tmp_path / "new" / "data") is None


def test_a_data_folder_that_cannot_be_created_is_a_lock_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(LockError, match=r"cannot create the data folder .*file/data to lock it"):
        with run_lock(tmp_path / "file" / "data"):
            pass
