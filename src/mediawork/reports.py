"""Run notebooks with papermill on the project's kernel and render offline HTML reports.

:func:`run_reports` checks the parameters against each notebook's ``parameters``
cell before any kernel starts, executes every notebook on the ``mediawork`` kernel
(this interpreter, see :func:`ensure_kernel`), and writes::

    <out_dir>/<run-id>/<name>.ipynb     executed notebook (failing cell included)
    <out_dir>/<run-id>/<name>.html      self-contained page: images inline, no network needed
    <out_dir>/<run-id>/<name>.kernel.log   what the kernel process itself printed (not cell output)
    <out_dir>/<run-id>/run.json         the run's facts (time, parameters, data fingerprint, versions, status)
    <out_dir>/<run-id>/run.log          what the run did: steps, counts, failures (see :func:`run_log`)
    <out_dir>/latest/                   a copy of the newest run
    <out_dir>/index.html                every run, newest first

With no notebook names, every ``*.ipynb`` of the notebooks folder runs (``overview``
first, then the others sorted by name). Every report opens with its title and the
facts of :func:`run_facts` (parameters, data fingerprint, versions of mediawork, NLTK
and the language resources, run time); :func:`report_header` renders both for a
notebook. Everything taken from data, file names or parameters is HTML-escaped.

Example
-------
>>> run = run_reports(data_dir=Path("data/processed"), out_dir=Path("reports"))  # doctest: +SKIP
>>> print("\\n".join(run.summary_lines()))  # doctest: +SKIP
"""

from __future__ import annotations

import ast
import hashlib
import html
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import tokenize
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__, store
from .errors import DataError, MediaworkError, ParameterError, ReportError
from .schema import ARTICLES, MANIFEST

#: Name of the Jupyter kernel every notebook runs on.
KERNEL_NAME = "mediawork"

#: The nbconvert template (in ``templates/``) used for the HTML pages.
TEMPLATE_NAME = "mediawork_offline"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

#: Parameters set by the runner itself, never by the caller.
RESERVED_PARAMETERS = ("data_dir",)

#: The notebook that runs first when every notebook runs.
FIRST_NOTEBOOK = "overview"

#: The log of a run, in its run folder.
RUN_LOG = "run.log"

_log = logging.getLogger("mediawork.reports")

_RUN_ID = re.compile(r"^\d{8}-\d{6}(?:-\d+)?$")
_NOTEBOOK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


# --------------------------------------------------------------------------- facts


def data_fingerprint(data_dir: Path | str) -> str:
    """A short hash of the ingested inputs: equal fingerprints mean the same inputs.

    Returns the first 16 hex digits of the SHA-256 over the manifest's ``source_file``
    and ``sha256`` columns (not its statuses or file times, which change when nothing
    new was ingested), or ``"no manifest"`` when the folder has none.

    Example
    -------
    >>> data_fingerprint(Path("/nonexistent"))
    'no manifest'
    """
    path = Path(data_dir) / MANIFEST.file
    if not path.is_file():
        return "no manifest"
    inputs = store.read_table(MANIFEST, Path(data_dir), columns=["source_file", "sha256"])
    digest = hashlib.sha256()
    for name, sha in zip(inputs["source_file"].tolist(), inputs["sha256"].tolist()):
        digest.update(f"{name}\0{sha}\n".encode())
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


def language_resources() -> dict[str, str]:
    """The sentiment lexicon and text resources a report's numbers depend on.

    Returns
    -------
    dict of str to str
        ``sentiment lexicon`` (:func:`mediawork.sentiment.lexicon_source`) first, then
        :func:`mediawork.text.resources` (sentence splitter, tokenizer, stopwords,
        lexicon file) by name. A resource that cannot be described says why instead
        of raising: a report header never fails.

    Example
    -------
    >>> list(language_resources())[:2]
    ['sentiment lexicon', 'sentences']
    """
    out: dict[str, str] = {}
    try:
        from . import sentiment

        out["sentiment lexicon"] = sentiment.lexicon_source()
    except Exception as exc:  # noqa: BLE001 - the header reports the problem instead of failing the report
        out["sentiment lexicon"] = f"unavailable ({type(exc).__name__}: {exc})"
    try:
        from . import text

        out.update(text.resources())
    except Exception as exc:  # noqa: BLE001 - as above
        out["text resources"] = f"unavailable ({type(exc).__name__}: {exc})"
    return out


def run_facts(data_dir: Path | str, *, parameters: Mapping[str, Any] | None = None, now: datetime | None = None) -> pd.DataFrame:
    """The facts a report header shows: parameters, data fingerprint, versions, resources, run time.

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
        Columns ``fact`` and ``value`` (all text), in a fixed order: data folder,
        ``parameter <name>`` rows (sorted), data fingerprint, the versions of
        :func:`versions`, the resources of :func:`language_resources`, ``run at``.
        Render it with :func:`mediawork.overview.html_table`, which escapes every
        value, or use :func:`report_header`.

    Example
    -------
    >>> run_facts(Path("/nonexistent"), parameters={"title": "T"})["fact"].tolist()[:3]
    ['data folder', 'parameter title', 'data fingerprint']
    """
    rows: list[tuple[str, str]] = [("data folder", str(Path(data_dir).resolve()))]
    rows += [(f"parameter {name}", repr(value) if value == "" else str(value)) for name, value in sorted((parameters or {}).items())]
    rows.append(("data fingerprint", f"{data_fingerprint(data_dir)} (sha256 of {MANIFEST.file})"))
    rows += list(versions().items())
    rows += list(language_resources().items())
    rows.append(("run at", _iso(now or _utc_now())))
    return pd.DataFrame(rows, columns=["fact", "value"], dtype="string")


def report_header(title: str, *, data_dir: Path | str, parameters: Mapping[str, Any] | None = None, now: datetime | None = None) -> str:
    """The HTML a report opens with: its title as ``<h1>`` and the :func:`run_facts` table.

    Every notebook starts with ``display(HTML(reports.report_header(title, data_dir=data_dir,
    parameters={...})))`` so every report records how it was made. Everything is escaped.

    Parameters
    ----------
    title:
        The report's title (its ``title`` parameter).
    data_dir, parameters, now:
        As for :func:`run_facts`.

    Example
    -------
    >>> report_header("Week <12>", data_dir=Path("/nonexistent")).splitlines()[:2]
    ['<h1>Week &lt;12&gt;</h1>', '<table class="dataframe mediawork-table">']
    """
    from .overview import html_table

    facts = run_facts(data_dir, parameters=parameters, now=now)
    return f"<h1>{html.escape(str(title))}</h1>\n{html_table(facts)}"


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


def _strip_optional(expected: str) -> str:
    """``Optional[int]``, ``int | None`` and ``None | int`` -> ``int``; anything else unchanged."""
    text = expected.strip()
    match = re.fullmatch(r"Optional\[(.*)\]", text)
    if match:
        return match.group(1).strip()
    parts, depth, current = [], 0, ""
    for char in text:
        depth += (char == "[") - (char == "]")
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    rest = [part for part in parts if part != "None"]
    return " | ".join(rest) if len(rest) < len(parts) and rest else text


def _coerce(name: str, value: Any, expected: str, *, notebook: str) -> Any:
    """Check ``value`` against the declared type; strings from the command line are converted."""
    base = _strip_optional(expected)
    if base != expected.strip() and (value is None or (isinstance(value, str) and value.strip().lower() in {"none", "null"})):
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
                raise ParameterError(
                    f"parameter {name}={value!r} of notebook {notebook!r} is not an ISO date; expected e.g. 2025-03-18, or empty for no bound"
                ) from None
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
    """The parameters a notebook declares: name -> {name, inferred_type_name, default, help}.

    Read from the first cell tagged ``parameters`` with Python's own parser, so
    ``x: str | None = None`` is understood (papermill's regex skips it) and a notebook
    without kernel metadata can still be inspected. Without an annotation the type is
    that of a literal default (``n = 5`` is an int); otherwise it is unknown (``"None"``)
    and any value passes.
    """
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable notebook gets the same clear message
        raise ReportError(f"cannot read notebook {path} ({type(exc).__name__}: {exc}); is it a valid .ipynb file?") from exc
    cell = next((c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])), None)
    if cell is None:
        return {}
    try:
        tree = ast.parse(cell.source)
    except SyntaxError as exc:
        raise ReportError(f"the parameters cell of {path} is not valid Python (line {exc.lineno}: {exc.msg}); fix that cell") from None
    comments = _line_comments(cell.source)
    out: dict[str, dict[str, Any]] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            names, annotation = [node.target.id], ast.unparse(node.annotation)
        elif isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            names, annotation = [t.id for t in node.targets], _literal_type(node.value)
        else:
            continue
        for name in names:
            out[name] = {
                "name": name,
                "inferred_type_name": annotation.strip("\"'"),
                "default": ast.unparse(node.value),
                "help": comments.get(node.end_lineno or node.lineno, ""),
            }
    return out


def _literal_type(value: ast.expr) -> str:
    try:
        literal = ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return "None"
    return type(literal).__name__ if isinstance(literal, (bool, int, float, str, list, dict)) else "None"


def _line_comments(source: str) -> dict[int, str]:
    """Line number -> text of the comment on that line (without ``#``)."""
    out: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                out[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, SyntaxError):
        pass
    return out


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


# --------------------------------------------------------------------------- run folders and the run log


def new_run_dir(out_dir: Path | str, *, now: datetime | None = None) -> Path:
    """Create and return ``out_dir/<run-id>``, unique even for several runs in one second.

    The run id is the UTC time ``YYYYMMDD-HHMMSS``, with ``-2``, ``-3``... for later
    runs in the same second. Create the folder first when a run's log must start before
    its reports (``mediawork run``), and pass it to :func:`run_reports` as ``run_dir``.

    Example
    -------
    >>> new_run_dir(Path("reports")).name  # doctest: +SKIP
    '20250318-090507'
    """
    out_dir = Path(out_dir)
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


class _UTCFormatter(logging.Formatter):
    converter = time.gmtime


_RUN_LOGS: dict[str, list[Any]] = {}  # log path -> [handler, users, level before]
_RUN_LOGS_LOCK = threading.Lock()


@contextmanager
def run_log(run_dir: Path | str, *, level: int = logging.INFO) -> Iterator[logging.Logger]:
    """Write what the run does (steps, counts, failures) to ``run_dir/run.log`` while inside.

    Every record of the ``mediawork`` loggers at ``level`` or above is appended to the
    file, one line each with a UTC time stamp. Nested use with the same folder shares one
    file (``mediawork run`` opens it, :func:`run_reports` inside it adds to it). An
    exception that leaves the block is logged (a :class:`~mediawork.errors.MediaworkError`
    as its message, anything else with its traceback, which stays in the file) and
    raised again.

    Parameters
    ----------
    run_dir:
        The run folder (see :func:`new_run_dir`); created when missing.
    level:
        The lowest level written.

    Yields
    ------
    logging.Logger
        The ``mediawork`` logger: ``log.info("ingest: 12 inputs, 11 ok, 1 rejected")``.

    Example
    -------
    >>> with run_log(new_run_dir(Path("reports"))) as log:  # doctest: +SKIP
    ...     log.info("ingest: %s", summary.line())
    """
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    path = str((run_dir / RUN_LOG).resolve())
    logger = logging.getLogger("mediawork")
    with _RUN_LOGS_LOCK:
        entry = _RUN_LOGS.get(path)
        owner = entry is None
        if owner:
            handler = logging.FileHandler(path, encoding="utf-8")
            handler.setFormatter(_UTCFormatter("%(asctime)sZ %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S"))
            handler.setLevel(level)
            entry = _RUN_LOGS[path] = [handler, 0, logger.level]
            logger.addHandler(handler)
            if logger.getEffectiveLevel() > level:
                logger.setLevel(level)
        entry[1] += 1
    try:
        yield logger
    except GeneratorExit:
        raise
    except BaseException as exc:
        if owner:
            if isinstance(exc, MediaworkError):
                logger.error("run failed: %s: %s", type(exc).__name__, exc)
            elif isinstance(exc, KeyboardInterrupt):
                logger.error("run interrupted")
            else:
                logger.error("run failed: %s: %s", type(exc).__name__, exc, exc_info=exc)
        raise
    finally:
        with _RUN_LOGS_LOCK:
            entry[1] -= 1
            if entry[1] == 0:
                del _RUN_LOGS[path]
                logger.removeHandler(entry[0])
                entry[0].close()
                if not any(isinstance(h, logging.FileHandler) for h in logger.handlers):
                    logger.setLevel(entry[2])


def _run_sort_key(run_id: str) -> tuple[str, int]:
    """Order run ids by time, then by the ``-N`` suffix of runs in the same second."""
    suffix = run_id[16:]
    return (run_id[:15], int(suffix) if suffix.isdigit() else 1)


def _list_runs(out_dir: Path) -> list[dict[str, Any]]:
    """Every run folder's facts, newest first; a folder with only a log is an incomplete run."""
    runs = []
    for child in out_dir.iterdir() if out_dir.is_dir() else []:
        if not (child.is_dir() and _RUN_ID.match(child.name)):
            continue
        if (child / "run.json").is_file():
            try:
                facts = json.loads((child / "run.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                facts = {"status": "unreadable run.json", "notebooks": []}
            if not isinstance(facts, dict):
                facts = {"status": "unreadable run.json", "notebooks": []}
        elif (child / RUN_LOG).is_file():
            facts = {"status": "incomplete: no reports (still running, or stopped before them; see run.log)", "notebooks": [], "incomplete": True}
        else:
            continue
        facts["run_id"] = child.name
        facts["has_log"] = (child / RUN_LOG).is_file()
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
    return _e("/".join(urllib.parse.quote(str(p)) for p in parts))


def _lines(mapping: Any, *, code: bool = False, keep_order: bool = False) -> str:
    """``key: value`` lines (``key = value`` in <code> for parameters), escaped; sorted unless ``keep_order``."""
    if not isinstance(mapping, Mapping):
        return ""
    items = list(mapping.items()) if keep_order else sorted(mapping.items(), key=lambda kv: str(kv[0]))
    if code:
        return "<br>".join(f"<code>{_e(k)} = {_e(v)}</code>" for k, v in items)
    return "<br>".join(f"{_e(k)}: {_e(v)}" for k, v in items)


def _index_row(run: dict[str, Any]) -> str:
    run_id = run["run_id"]
    notebooks = []
    entries = run.get("notebooks") if isinstance(run.get("notebooks"), list) else []
    for nb in entries:
        if not isinstance(nb, Mapping):
            continue
        status = nb.get("status", "?")
        link = f'<a href="{_href(run_id, nb["html"])}">{_e(nb.get("name"))}</a>' if nb.get("html") else _e(nb.get("name"))
        note = f' <span class="failed">failed at In [{_e(nb.get("cell"))}]: {_e(nb.get("error"))}</span>' if status != "ok" else ""
        notebooks.append(f"<li>{link}{note}</li>")
    if run.get("has_log"):
        notebooks.append(f'<li><a href="{_href(run_id, RUN_LOG)}">{RUN_LOG}</a></li>')
    titles = sorted({str(nb.get("title")) for nb in entries if isinstance(nb, Mapping) and nb.get("title")})
    params = _lines(run.get("parameters"), code=True) or ("" if run.get("incomplete") else "defaults")
    software = "<br>".join(part for part in (_lines(run.get("versions")), _lines(run.get("resources"), keep_order=True)) if part)
    status = run.get("status", "?")
    when = _e(run.get("started", run_id))
    if run.get("finished"):
        when += f"<br>to {_e(run.get('finished'))}"
    return (
        "<tr>"
        f'<td><a href="{_href(run_id)}/">{when}</a><br><code>{_e(run_id)}</code></td>'
        f'<td class="{"ok" if status == "ok" else "failed"}">{_e(status)}</td>'
        f"<td><ul>{''.join(notebooks)}</ul></td>"
        f"<td>{'<br>'.join(_e(t) for t in titles)}</td>"
        f"<td>{params}</td>"
        f"<td><code>{_e(run.get('data_fingerprint'))}</code><br>{_e(run.get('data_dir'))}</td>"
        f"<td>{software}</td>"
        "</tr>"
    )


def write_index(out_dir: Path) -> Path:
    """Write ``out_dir/index.html`` listing every run folder (newest first), everything escaped.

    Each row shows the run's time, status, notebooks (linked, failures with their cell),
    titles, parameters, data fingerprint, versions and language resources, and links
    the run's log.

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
<thead><tr><th>Run (UTC)</th><th>Status</th><th>Notebooks</th><th>Title</th><th>Parameters</th><th>Data fingerprint</th><th>Versions and resources</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""
    target = out_dir / "index.html"
    tmp = out_dir / f".index.{os.getpid()}.{threading.get_ident()}.tmp"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target


# --------------------------------------------------------------------------- execution and HTML


def _default_notebooks_dir() -> Path:
    import mediawork

    beside = Path(mediawork.__file__).resolve().parents[2] / "notebooks"
    return beside if beside.is_dir() else Path("notebooks")


def available_notebooks(notebooks_dir: Path | str | None = None) -> list[str]:
    """The notebooks a run can use: every ``*.ipynb`` of the folder, ``overview`` first, then sorted.

    Parameters
    ----------
    notebooks_dir:
        The notebooks folder; default ``notebooks/`` of the repository mediawork was
        installed from, else ``./notebooks``.

    Returns
    -------
    list of str
        Notebook names (file stems), in the order :func:`run_reports` runs them when no
        names are given. Hidden files and names that are not plain words are left out.

    Example
    -------
    >>> available_notebooks()  # doctest: +SKIP
    ['overview', 'actor_cooccurrence', 'actor_profile', 'sentiment', 'term_frequency']
    """
    folder = Path(notebooks_dir) if notebooks_dir is not None else _default_notebooks_dir()
    if not folder.is_dir():
        return []
    names = sorted(p.stem for p in folder.glob("*.ipynb") if p.is_file() and _NOTEBOOK_NAME.match(p.stem))
    return sorted(names, key=lambda n: (n != FIRST_NOTEBOOK, n))


def _resolve_notebooks(names: Sequence[str] | None, notebooks_dir: Path) -> dict[str, Path]:
    if isinstance(names, str):
        names = [names]
    available = available_notebooks(notebooks_dir)
    if not names:
        if not available:
            raise ParameterError(f"no notebooks to run: {notebooks_dir} holds no .ipynb files; expected e.g. {FIRST_NOTEBOOK}.ipynb there, or pass notebooks_dir")
        names = available
    out: dict[str, Path] = {}
    for raw in names:
        name = raw[: -len(".ipynb")] if raw.endswith(".ipynb") else raw
        path = notebooks_dir / f"{name}.ipynb"
        if name not in available or not path.is_file():
            raise ParameterError(f"no notebook named {raw!r} in {notebooks_dir}; expected one of {available or 'nothing: the folder has no .ipynb files'}")
        out.setdefault(name, path)
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
    _log.info("notebook %s: started with %s", name, _describe(params))
    try:
        papermill.execute_notebook(
            str(path),
            str(ipynb),
            parameters=params,
            kernel_name=kernel,
            language="python",
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
    seconds = round(time.perf_counter() - started, 2)
    if error is None:
        _log.info("notebook %s: ok in %.1f s -> %s", name, seconds, page.name)
    else:
        where = f"in cell In [{cell}]" if cell is not None else "before or outside a cell"
        _log.error("notebook %s: failed %s after %.1f s: %s", name, where, seconds, error)
    return NotebookResult(
        name=name,
        status="ok" if error is None else "failed",
        ipynb=ipynb.name if ipynb.is_file() else None,
        html=page.name if page.is_file() else None,
        seconds=seconds,
        cell=cell,
        error=error,
        title=title,
    )


def _describe(params: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in sorted(params.items())) or "no parameters"


def _title(name: str, declared: Mapping[str, Mapping[str, Any]], params: Mapping[str, Any]) -> str:
    if "title" in params:
        return str(params["title"])
    if "title" in declared:
        try:
            return str(ast.literal_eval(declared["title"]["default"]))
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return str(declared["title"]["default"]).strip("\"'")
    return name


def run_reports(
    *,
    data_dir: Path,
    out_dir: Path = Path("reports"),
    notebooks: Sequence[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    show_code: bool = False,
    progress: bool = True,
    notebooks_dir: Path | None = None,
    run_dir: Path | None = None,
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
        Notebook names (file stems in ``notebooks_dir``), run in this order. ``None``
        or empty runs every notebook of the folder (:func:`available_notebooks`:
        ``overview`` first, then the others by name).
    parameters:
        Values for the notebooks' ``parameters`` cells, checked before any kernel
        starts; each notebook receives the ones it declares, and a name that no
        selected notebook declares is an error.
    show_code:
        Keep code cells in the HTML (hidden by default; a failing cell's code is always shown).
    progress:
        Show a progress bar over the notebooks.
    notebooks_dir:
        Where the notebooks are; default ``notebooks/`` of the repository mediawork
        was installed from, else ``./notebooks``. Notebooks run with it as working directory.
    run_dir:
        A run folder made beforehand with :func:`new_run_dir` in ``out_dir`` (so a
        run's log can start before its reports); a new one by default.

    Returns
    -------
    ReportRun
        With ``failures`` listing the notebooks that raised (they still get their
        executed notebook and HTML, and the other notebooks still run).

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
    if not store.exists(ARTICLES, data_dir):
        raise DataError(f"{data_dir / ARTICLES.file} not found: run `mediawork ingest` first, or point data_dir (--data) at the folder that holds it")
    per_notebook = check_parameters(parameters, chosen, data_dir=data_dir)
    titles = {name: _title(name, _declared(path), per_notebook[name]) for name, path in chosen.items()}
    out_dir = Path(out_dir).resolve()
    if run_dir is not None:
        run_dir = Path(run_dir).resolve()
        if run_dir.parent != out_dir or not _RUN_ID.match(run_dir.name) or (run_dir / "run.json").exists():
            raise ParameterError(
                f"run_dir={str(run_dir)!r} is not a fresh run folder of {out_dir}; expected a folder made by new_run_dir(out_dir) "
                "that holds no run.json yet, or leave run_dir out"
            )
    kernel = ensure_kernel()

    started = _utc_now()
    run_dir = run_dir or new_run_dir(out_dir, now=started)
    results = []
    with run_log(run_dir):
        _log.info("report %s: %d notebook(s) %s on %s (fingerprint %s)", run_dir.name, len(chosen), list(chosen), data_dir, data_fingerprint(data_dir))
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
            "resources": language_resources(),
            "notebooks": [asdict(r) for r in results],
        }
        tmp = run_dir / f".run.json.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(facts, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
        os.replace(tmp, run_dir / "run.json")
        run = ReportRun(run_id=run_dir.name, run_dir=run_dir, index=out_dir / "index.html", results=results, facts=facts)
        for line in run.summary_lines():
            (_log.info if run.ok else _log.error)(line.strip())
    complete = [r["run_id"] for r in _list_runs(out_dir) if not r.get("incomplete")]
    if run_dir.name == max(complete, key=_run_sort_key):
        _refresh_latest(out_dir, run_dir)
    run.index = write_index(out_dir)
    return run
