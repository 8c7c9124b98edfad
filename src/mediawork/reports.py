"""Run notebooks with papermill on the project's kernel and render offline HTML reports.

:func:`run_reports` checks the parameters against each notebook's ``parameters``
cell before any kernel starts, executes every notebook on the ``mediawork`` kernel
(this interpreter, see :func:`ensure_kernel`), and writes::

    <out_dir>/<run-id>/<name>.ipynb     executed notebook (failing cell included)
    <out_dir>/<run-id>/<name>.html      self-contained page: images inline, no network needed
    <out_dir>/<run-id>/<name>.kernel.log   what the kernel process itself printed (not cell output)
    <out_dir>/<run-id>/run.json         the run's facts (time, parameters, data fingerprint, versions, status)
    <out_dir>/latest/                   a copy of the newest run
    <out_dir>/index.html                every run, newest first

Everything taken from data, file names or parameters is HTML-escaped.

Example
-------
>>> run = run_reports(data_dir=Path("data/processed"), out_dir=Path("reports"))  # doctest: +SKIP
>>> print("\\n".join(run.summary_lines()))  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .errors import DataError, ParameterError, ReportError
from .schema import ARTICLES, MANIFEST

#: Name of the Jupyter kernel every notebook runs on.
KERNEL_NAME = "mediawork"

#: The nbconvert template (in ``templates/``) used for the HTML pages.
TEMPLATE_NAME = "mediawork_offline"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

#: Parameters set by the runner itself, never by the caller.
RESERVED_PARAMETERS = ("data_dir",)

_RUN_ID = re.compile(r"^\d{8}-\d{6}(?:-\d+)?$")
_NOTEBOOK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


# --------------------------------------------------------------------------- facts


def data_fingerprint(data_dir: Path | str) -> str:
    """A short hash of ``manifest.parquet``: equal fingerprints mean the same ingested inputs.

    Returns the first 16 hex digits of the file's SHA-256, or ``"no manifest"`` when
    the folder has none.

    Example
    -------
    >>> data_fingerprint(Path("/nonexistent"))
    'no manifest'
    """
    path = Path(data_dir) / MANIFEST.file
    if not path.is_file():
        return "no manifest"
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def versions() -> dict[str, str]:
    """Versions of the software a report depends on (mediawork, pandas, NLTK, Python).

    Example
    -------
    >>> sorted(versions())
    ['mediawork', 'nltk', 'pandas', 'python']
    """
    return {
        "mediawork": __version__,
        "pandas": pd.__version__,
        "nltk": _dist_version("nltk"),
        "python": sys.version.split()[0],
    }


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def run_facts(data_dir: Path | str, *, parameters: Mapping[str, Any] | None = None, now: datetime | None = None) -> pd.DataFrame:
    """The facts a report header shows: parameters, data fingerprint, versions, run time.

    Parameters
    ----------
    data_dir:
        The processed-data folder the report reads.
    parameters:
        The notebook's parameters, shown as ``name = value`` lines in one row each.
    now:
        The run time (UTC now by default).

    Returns
    -------
    pandas.DataFrame
        Columns ``fact`` and ``value`` (all text), in a fixed order; render it with
        :func:`mediawork.overview.html_table`, which escapes every value.

    Example
    -------
    >>> run_facts(Path("/nonexistent"), parameters={"title": "T"})["fact"].tolist()[:3]
    ['data folder', 'parameter title', 'data fingerprint']
    """
    rows: list[tuple[str, str]] = [("data folder", str(Path(data_dir).resolve()))]
    rows += [(f"parameter {name}", repr(value) if value == "" else str(value)) for name, value in sorted((parameters or {}).items())]
    rows.append(("data fingerprint", f"{data_fingerprint(data_dir)} (sha256 of {MANIFEST.file})"))
    rows += [(name, version) for name, version in versions().items()]
    rows.append(("run at", _iso(now or _utc_now())))
    return pd.DataFrame(rows, columns=["fact", "value"], dtype="string")


# --------------------------------------------------------------------------- kernel


def _spec_argv0(name: str) -> tuple[str | None, str | None]:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return None, None
    return (spec.argv[0] if spec.argv else None), spec.resource_dir


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """Make sure the Jupyter kernel ``name`` runs this interpreter (``sys.executable``).

    A kernelspec that is missing, or whose ``argv[0]`` is another Python (a bare
    ``python`` resolved through ``PATH`` is the usual trap), is (re)installed into
    ``sys.prefix`` with ipykernel's kernelspec API.

    Parameters
    ----------
    name:
        The kernel name notebooks are run with.

    Returns
    -------
    str
        ``name``, to pass as papermill's ``kernel_name``.

    Raises
    ------
    ReportError
        When the kernelspec cannot be written, or another one of the same name
        earlier on Jupyter's search path still shadows it.

    Example
    -------
    >>> ensure_kernel()  # doctest: +SKIP
    'mediawork'
    """
    argv0, _ = _spec_argv0(name)
    if argv0 == sys.executable:
        return name
    from ipykernel import kernelspec

    try:
        kernelspec.install(kernel_name=name, display_name=f"{name} ({Path(sys.prefix).name})", prefix=sys.prefix)
    except OSError as exc:
        raise ReportError(
            f"cannot install the Jupyter kernel {name!r} into {sys.prefix} ({exc}); "
            f"run `{sys.executable} -m ipykernel install --prefix {sys.prefix} --name {name}` with write access"
        ) from exc
    argv0, where = _spec_argv0(name)
    if argv0 != sys.executable:
        raise ReportError(
            f"the Jupyter kernel {name!r} found at {where} runs {argv0!r}, not this interpreter {sys.executable!r}; "
            f"it shadows the one installed in {sys.prefix}: remove it (`jupyter kernelspec remove {name}`) or unset JUPYTER_PATH"
        )
    return name


# --------------------------------------------------------------------------- parameters


def _type_name(value: Any) -> str:
    return type(value).__name__


def _coerce(name: str, value: Any, expected: str, *, notebook: str) -> Any:
    """Check ``value`` against the declared type; strings from the command line are converted."""
    base = re.sub(r"^Optional\[(.*)\]$", r"\1", expected.strip())
    if base != expected.strip() and value is None:
        return None
    problem = f"parameter {name}={value!r} ({_type_name(value)}) does not fit notebook {notebook!r}: expected {expected}"
    if base == "str":
        if isinstance(value, os.PathLike):
            return os.fspath(value)
        if not isinstance(value, str):
            raise ParameterError(f"{problem}; quote it as text")
        if name.startswith("date_") and value.strip():
            try:
                datetime.fromisoformat(value.strip())
            except ValueError:
                raise ParameterError(f"parameter {name}={value!r} is not an ISO date; expected e.g. 2025-03-18, or empty for no bound") from None
        return value
    if base == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {"true", "false", "yes", "no", "1", "0"}:
            return value.strip().lower() in {"true", "yes", "1"}
        raise ParameterError(f"{problem}; use true or false")
    if base == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
            return int(value)
        raise ParameterError(f"{problem}; use a whole number such as 10")
    if base == "float":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
        raise ParameterError(f"{problem}; use a number such as 0.5")
    if base in {"list", "dict"} or base.startswith(("list[", "dict[")):
        wanted = list if base.startswith("list") else dict
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                example = "[1, 2]" if wanted is list else '{"a": 1}'
                raise ParameterError(f"{problem}; give it as JSON, e.g. {example}") from None
        if not isinstance(value, wanted):
            raise ParameterError(problem)
        return value
    return value  # no or unknown annotation: papermill passes it through


def _declared(path: Path) -> dict[str, dict[str, Any]]:
    import papermill

    try:
        return dict(papermill.inspect_notebook(str(path)))
    except Exception as exc:  # noqa: BLE001 - a notebook papermill cannot read
        raise ReportError(f"cannot read the parameters of {path} ({type(exc).__name__}: {exc}); is it a valid .ipynb file?") from exc


def check_parameters(
    parameters: Mapping[str, Any] | None,
    notebooks: Mapping[str, Path],
    *,
    data_dir: Path,
) -> dict[str, dict[str, Any]]:
    """Check ``parameters`` against every notebook's ``parameters`` cell, without running anything.

    Parameters
    ----------
    parameters:
        Caller's values by name; strings are converted to a notebook's declared
        ``int``, ``float``, ``bool``, ``list`` or ``dict`` type.
    notebooks:
        Notebook name -> ``.ipynb`` path.
    data_dir:
        Passed (as an absolute path) to every notebook that declares ``data_dir``.

    Returns
    -------
    dict
        Notebook name -> the parameters to give papermill (only those it declares).

    Raises
    ------
    ParameterError
        For a name no notebook declares, a reserved name, or a value of the wrong type.

    Example
    -------
    >>> check_parameters({"title": "Week 12"}, {"overview": Path("notebooks/overview.ipynb")}, data_dir=Path("data/processed"))  # doctest: +SKIP
    {'overview': {'data_dir': '/abs/data/processed', 'title': 'Week 12'}}
    """
    given = dict(parameters or {})
    for name in RESERVED_PARAMETERS:
        if name in given:
            raise ParameterError(f"parameter {name}={given[name]!r} is set by the runner; pass the folder as data_dir= (or --data) instead")
    declared = {nb: _declared(path) for nb, path in notebooks.items()}
    for name, value in given.items():
        if not any(name in params for params in declared.values()):
            known = sorted({p for params in declared.values() for p in params} - set(RESERVED_PARAMETERS))
            raise ParameterError(f"unknown parameter {name}={value!r}: notebook(s) {sorted(notebooks)} accept only {known}")
    out: dict[str, dict[str, Any]] = {}
    for nb, params in declared.items():
        chosen: dict[str, Any] = {}
        if "data_dir" in params:
            chosen["data_dir"] = str(data_dir)
        for name, value in given.items():
            if name in params:
                chosen[name] = _coerce(name, value, params[name]["inferred_type_name"], notebook=nb)
        out[nb] = chosen
    return out


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class NotebookResult:
    """How one notebook ran.

    Attributes
    ----------
    name: the notebook's name (file stem).
    status: ``"ok"`` or ``"failed"``.
    ipynb, html: the executed notebook and its HTML page, relative to the run folder (None when not written).
    seconds: wall time of execution and rendering.
    cell: the execution count (``In [n]``) of the cell that raised, when known.
    error: the first line of the error (``KeyError: 'x'``), when it failed.
    title: the report's title (its ``title`` parameter), when it has one.
    """

    name: str
    status: str
    ipynb: str | None
    html: str | None
    seconds: float
    cell: int | None = None
    error: str | None = None
    title: str | None = None


@dataclass
class ReportRun:
    """The outcome of :func:`run_reports`.

    Attributes
    ----------
    run_id: ``YYYYMMDD-HHMMSS`` (UTC), with ``-2``, ``-3``... when a run of that second exists.
    run_dir: ``out_dir/run_id``.
    index: ``out_dir/index.html``.
    results: one :class:`NotebookResult` per notebook, in the order run.
    facts: what ``run.json`` holds.
    """

    run_id: str
    run_dir: Path
    index: Path
    results: list[NotebookResult] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def failures(self) -> list[NotebookResult]:
        """The notebooks that failed."""
        return [r for r in self.results if r.status != "ok"]

    @property
    def ok(self) -> bool:
        """True when every notebook ran to the end."""
        return not self.failures

    def summary_lines(self) -> list[str]:
        """One line for the run, then one line per failed notebook (for the command line)."""
        n_ok = len(self.results) - len(self.failures)
        lines = [f"report {self.run_id}: {n_ok} notebook(s) ok, {len(self.failures)} failed -> {self.run_dir} (all runs: {self.index})"]
        for r in self.failures:
            where = f"in cell In [{r.cell}]" if r.cell is not None else "before or outside a cell"
            page = f"; see {self.run_dir / r.html}" if r.html else ""
            lines.append(f"  {r.name}: failed {where}: {r.error}{page}")
        return lines


# --------------------------------------------------------------------------- run folders


def _new_run_dir(out_dir: Path, *, now: datetime | None = None) -> Path:
    """Create and return ``out_dir/<run-id>``, unique even for several runs in one second."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = (now or _utc_now()).astimezone(timezone.utc).strftime("%Y%m%d-%H%M%S")
    for n in range(1, 10_000):
        candidate = out_dir / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise ReportError(f"cannot create a run folder in {out_dir}: 10,000 runs already use the stamp {stamp}")


def _run_sort_key(run_id: str) -> tuple[str, int]:
    """Order run ids by time, then by the ``-N`` suffix of runs in the same second."""
    suffix = run_id[16:]
    return (run_id[:15], int(suffix) if suffix.isdigit() else 1)


def _list_runs(out_dir: Path) -> list[dict[str, Any]]:
    runs = []
    for child in out_dir.iterdir() if out_dir.is_dir() else []:
        if child.is_dir() and _RUN_ID.match(child.name) and (child / "run.json").is_file():
            try:
                facts = json.loads((child / "run.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                facts = {"run_id": child.name, "status": "unreadable run.json", "notebooks": []}
            facts["run_id"] = child.name
            runs.append(facts)
    return sorted(runs, key=lambda f: _run_sort_key(f["run_id"]), reverse=True)


def _refresh_latest(out_dir: Path, run_dir: Path) -> Path:
    latest = out_dir / "latest"
    tmp = Path(tempfile.mkdtemp(prefix=".latest.", dir=out_dir))
    try:
        shutil.copytree(run_dir, tmp, dirs_exist_ok=True)
        old = None
        if latest.exists():
            old = out_dir / f".latest.old.{os.getpid()}.{time.monotonic_ns()}"
            latest.rename(old)
        tmp.rename(latest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return latest


_INDEX_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-size: 14px; }
th, td { border-bottom: 1px solid #ddd; padding: 6px 10px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.failed { color: #b00020; font-weight: 600; }
.ok { color: #1b5e20; }
code { font-size: 12px; }
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _href(*parts: str) -> str:
    return _e("/".join(urllib.parse.quote(p) for p in parts))


def _index_row(run: dict[str, Any]) -> str:
    run_id = run["run_id"]
    notebooks = []
    for nb in run.get("notebooks", []):
        status = nb.get("status", "?")
        link = f'<a href="{_href(run_id, nb["html"])}">{_e(nb["name"])}</a>' if nb.get("html") else _e(nb.get("name"))
        note = f' <span class="failed">failed at In [{_e(nb.get("cell"))}]: {_e(nb.get("error"))}</span>' if status != "ok" else ""
        notebooks.append(f"<li>{link}{note}</li>")
    titles = sorted({nb.get("title") for nb in run.get("notebooks", []) if nb.get("title")})
    params = "<br>".join(f"<code>{_e(k)} = {_e(v)}</code>" for k, v in sorted(run.get("parameters", {}).items())) or "defaults"
    vers = "<br>".join(f"{_e(k)} {_e(v)}" for k, v in sorted(run.get("versions", {}).items()))
    status = run.get("status", "?")
    return (
        "<tr>"
        f'<td><a href="{_href(run_id)}/">{_e(run.get("started", run_id))}</a><br><code>{_e(run_id)}</code></td>'
        f'<td class="{"ok" if status == "ok" else "failed"}">{_e(status)}</td>'
        f"<td><ul>{''.join(notebooks)}</ul></td>"
        f"<td>{'<br>'.join(_e(t) for t in titles)}</td>"
        f"<td>{params}</td>"
        f"<td><code>{_e(run.get('data_fingerprint'))}</code><br>{_e(run.get('data_dir'))}</td>"
        f"<td>{vers}</td>"
        "</tr>"
    )


def write_index(out_dir: Path) -> Path:
    """Write ``out_dir/index.html`` listing every run folder (newest first), everything escaped.

    Example
    -------
    >>> write_index(Path("reports"))  # doctest: +SKIP
    PosixPath('reports/index.html')
    """
    out_dir = Path(out_dir)
    runs = _list_runs(out_dir)
    rows = "\n".join(_index_row(r) for r in runs) or '<tr><td colspan="7">No runs yet.</td></tr>'
    latest = '<p>The newest run is also in <a href="latest/">latest/</a>.</p>' if (out_dir / "latest").is_dir() else ""
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mediawork reports</title>
<style>{_INDEX_CSS}</style>
</head>
<body>
<h1>mediawork reports</h1>
<p>{len(runs)} run(s), newest first. Each page is self-contained and opens without a network.</p>
{latest}
<table>
<thead><tr><th>Run (UTC)</th><th>Status</th><th>Notebooks</th><th>Title</th><th>Parameters</th><th>Data fingerprint</th><th>Versions</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""
    target = out_dir / "index.html"
    tmp = out_dir / f".index.{os.getpid()}.tmp"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target


# --------------------------------------------------------------------------- execution and HTML


def _default_notebooks_dir() -> Path:
    import mediawork

    beside = Path(mediawork.__file__).resolve().parents[2] / "notebooks"
    return beside if beside.is_dir() else Path("notebooks")


def _resolve_notebooks(names: Sequence[str], notebooks_dir: Path) -> dict[str, Path]:
    if isinstance(names, str):
        names = [names]
    available = sorted(p.stem for p in notebooks_dir.glob("*.ipynb")) if notebooks_dir.is_dir() else []
    if not names:
        raise ParameterError(f"no notebooks to run; {notebooks_dir} holds {available or 'no .ipynb files'}")
    out: dict[str, Path] = {}
    for raw in names:
        name = raw[: -len(".ipynb")] if raw.endswith(".ipynb") else raw
        path = notebooks_dir / f"{name}.ipynb"
        if not _NOTEBOOK_NAME.match(name) or not path.is_file():
            raise ParameterError(f"no notebook named {raw!r} in {notebooks_dir}; expected one of {available or 'nothing: the folder has no .ipynb files'}")
        out[name] = path
    return out


def _error_of(exc: BaseException) -> tuple[int | None, str]:
    """(execution count of the failing cell, first line of the error)."""
    ename = getattr(exc, "ename", None) or type(exc).__name__
    evalue = getattr(exc, "evalue", None)
    evalue = str(exc) if evalue is None else str(evalue)
    first = (evalue.strip().splitlines() or [""])[0]
    text = f"{ename}: {first}" if first else str(ename)
    count = getattr(exc, "exec_count", None)
    return (int(count) if isinstance(count, int) else None), text


def _export_html(ipynb: Path, target: Path, *, show_code: bool, title: str) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(ipynb, as_version=4)
    nb.metadata["title"] = title
    if not show_code:
        for cell in nb.cells:
            failed = cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", []))
            if cell.cell_type == "code" and not failed:
                cell.metadata.setdefault("transient", {})["remove_source"] = True
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        embed_images=True,
        exclude_output_prompt=not show_code,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": ipynb.stem}})
    target.write_text(body, encoding="utf-8")


def _logging_kernel_manager(log_path: Path) -> type:
    """An AsyncKernelManager whose kernel writes its own stdout/stderr to ``log_path``.

    The kernel process's messages (connection warnings, shutdown notices) are not
    cell output; they go to the run folder instead of the user's terminal.
    """
    from jupyter_client import AsyncKernelManager

    class _LoggingKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            with open(log_path, "ab") as log:
                kw.setdefault("stdout", log)
                kw.setdefault("stderr", log)
                await super()._async_launch_kernel(kernel_cmd, **kw)

    return _LoggingKernelManager


def _run_one(name: str, path: Path, params: dict[str, Any], *, run_dir: Path, kernel: str, show_code: bool, title: str) -> NotebookResult:
    import papermill

    started = time.perf_counter()
    ipynb, page = run_dir / f"{name}.ipynb", run_dir / f"{name}.html"
    cell, error = None, None
    try:
        papermill.execute_notebook(
            str(path),
            str(ipynb),
            parameters=params,
            kernel_name=kernel,
            cwd=str(path.parent),
            progress_bar=False,
            log_output=False,
            kernel_manager_class=_logging_kernel_manager(run_dir / f"{name}.kernel.log"),
        )
    except Exception as exc:  # noqa: BLE001 - any failure is recorded; the other notebooks still run
        cell, error = _error_of(exc)
    if ipynb.is_file():
        try:
            _export_html(ipynb, page, show_code=show_code, title=title)
        except Exception as exc:  # noqa: BLE001 - rendering failure is a notebook failure, not a crash
            error = error or f"HTML rendering failed: {type(exc).__name__}: {exc}"
    return NotebookResult(
        name=name,
        status="ok" if error is None else "failed",
        ipynb=ipynb.name if ipynb.is_file() else None,
        html=page.name if page.is_file() else None,
        seconds=round(time.perf_counter() - started, 2),
        cell=cell,
        error=error,
        title=title,
    )


def _title(name: str, path: Path, params: Mapping[str, Any]) -> str:
    if "title" in params:
        return str(params["title"])
    declared = _declared(path).get("title")
    if declared:
        try:
            return str(json.loads(declared["default"]))
        except ValueError:
            return declared["default"].strip("\"'")
    return name


def run_reports(
    *,
    data_dir: Path,
    out_dir: Path = Path("reports"),
    notebooks: Sequence[str] = ("overview",),
    parameters: Mapping[str, Any] | None = None,
    show_code: bool = False,
    progress: bool = True,
    notebooks_dir: Path | None = None,
) -> ReportRun:
    """Execute notebooks on the project's kernel and write HTML reports and the index.

    Parameters
    ----------
    data_dir:
        The processed-data folder; must hold ``articles.parquet``. Passed to each
        notebook's ``data_dir`` parameter as an absolute path.
    out_dir:
        The reports folder; the run goes into ``out_dir/<run-id>/``.
    notebooks:
        Notebook names (file stems in ``notebooks_dir``), run in this order.
    parameters:
        Values for the notebooks' ``parameters`` cells, checked before any kernel
        starts; each notebook receives the ones it declares.
    show_code:
        Keep code cells in the HTML (hidden by default; a failing cell's code is always shown).
    progress:
        Show a progress bar over the notebooks.
    notebooks_dir:
        Where the notebooks are; default ``notebooks/`` of the repository mediawork
        was installed from, else ``./notebooks``. Notebooks run with it as working directory.

    Returns
    -------
    ReportRun
        With ``failures`` listing the notebooks that raised (they still get HTML).

    Raises
    ------
    ParameterError
        Unknown notebook, unknown parameter or mistyped value (nothing has run).
    DataError
        ``data_dir`` holds no ``articles.parquet``.

    Example
    -------
    >>> run = run_reports(data_dir=Path("data/processed"), parameters={"date_from": "2025-03-01"})  # doctest: +SKIP
    >>> run.ok  # doctest: +SKIP
    True
    """
    from tqdm import tqdm

    notebooks_dir = Path(notebooks_dir) if notebooks_dir is not None else _default_notebooks_dir()
    chosen = _resolve_notebooks(notebooks, notebooks_dir.resolve())
    data_dir = Path(data_dir).resolve()
    if not (data_dir / ARTICLES.file).is_file():
        raise DataError(f"{data_dir / ARTICLES.file} not found: run `mediawork ingest` first, or point data_dir (--data) at the folder that holds it")
    per_notebook = check_parameters(parameters, chosen, data_dir=data_dir)
    titles = {name: _title(name, path, per_notebook[name]) for name, path in chosen.items()}
    kernel = ensure_kernel()

    out_dir = Path(out_dir).resolve()
    started = _utc_now()
    run_dir = _new_run_dir(out_dir, now=started)
    results = []
    bar = tqdm(list(chosen.items()), desc="reports", unit="notebook", disable=not progress, file=sys.stderr)
    for name, path in bar:
        bar.set_postfix_str(name)
        results.append(_run_one(name, path, per_notebook[name], run_dir=run_dir, kernel=kernel, show_code=show_code, title=titles[name]))
    bar.close()

    facts = {
        "run_id": run_dir.name,
        "started": _iso(started),
        "finished": _iso(_utc_now()),
        "status": "ok" if all(r.status == "ok" for r in results) else "failed",
        "data_dir": str(data_dir),
        "data_fingerprint": data_fingerprint(data_dir),
        "parameters": {k: v for k, v in sorted((parameters or {}).items())},
        "show_code": show_code,
        "kernel": kernel,
        "python": sys.executable,
        "versions": versions(),
        "notebooks": [asdict(r) for r in results],
    }
    (run_dir / "run.json").write_text(json.dumps(facts, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    if run_dir.name == max((r["run_id"] for r in _list_runs(out_dir)), key=_run_sort_key):
        _refresh_latest(out_dir, run_dir)
    index = write_index(out_dir)
    return ReportRun(run_id=run_dir.name, run_dir=run_dir, index=index, results=results, facts=facts)
