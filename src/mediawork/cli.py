"""The ``mediawork`` command: a thin layer over the library's functions.

Exit codes: 0 success; 1 the work completed but something failed (a rejected input
under ``--strict``, a notebook that raised); 2 usage errors (bad options or
parameters, missing folders or tables); 75 another run holds the data folder's lock. No traceback reaches the user; set
``MEDIAWORK_DEBUG=1`` to see one.

Folders may be fsspec URLs (``--raw-dir s3://bucket/raw --data s3://bucket/processed``):
each URL is mirrored into a local cache folder (:mod:`mediawork.remote`), the command
runs on the caches, and the folders it writes are pushed back when it ends.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from pathlib import Path
from contextlib import ExitStack, contextmanager
from typing import Iterator, Sequence

from . import __version__
from .errors import DataError, LockError, MediaworkError, ParameterError

#: Exit code when another run holds the data folder's lock (EX_TEMPFAIL: try again later).
EXIT_BUSY = 75

EPILOG = """examples:
  mediawork ingest                       # data/raw -> data/processed
  mediawork report --show-code           # notebooks -> reports/<run>/*.html, reports/index.html
  mediawork analyze --discover           # sentences, sentiment, terms, actors, co-occurrence
  mediawork run                          # ingest, analyze, then report
  mediawork sample --n 1000 --out /tmp/corpus
  mediawork run --raw-dir s3://bucket/raw --data s3://bucket/processed   # object storage (needs s3fs)
"""

_URL_HELP = "; a folder or an fsspec URL such as s3://bucket/folder, mirrored into a local cache"


def _location(value: str) -> str | Path:
    """An option's folder: a URL stays a string (``Path`` would fold its ``//``), anything else is a Path."""
    from .remote import is_url

    return value if is_url(value) else Path(value)


def _add_cache_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cache", type=Path, default=None, metavar="DIR", help="where URL folders are mirrored, one sub-folder per URL (default: $MEDIAWORK_CACHE or ~/.cache/mediawork)")


def _add_ingest_args(p: argparse.ArgumentParser, *, out_flag: str) -> None:
    p.add_argument("raw", nargs="*", type=Path, metavar="RAW", help="files or folders to ingest (default: the whole --raw-dir); files outside --raw-dir are named by their path from the folder given, or by their file name")
    p.add_argument("--raw-dir", type=_location, default=Path("data/raw"), help="the raw folder that file names are relative to (default: %(default)s)" + _URL_HELP)
    p.add_argument(out_flag, dest="data", metavar="DIR", type=_location, default=Path("data/processed"), help="processed-data folder the tables go to (default: %(default)s)" + _URL_HELP + " and pushed back when the command ends")
    p.add_argument("--strict", action="store_true", help="exit 1 when any input was rejected")
    p.add_argument("--checksum", action="store_true", help="read and hash every input; by default a file whose size and modification time match the manifest is not read again")


def _add_engine_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="worker processes (default: one per core; 1 runs serially)")
    p.add_argument("--engine", choices=("local", "dask"), default="local", help="run batches in local processes or on a Dask cluster (default: %(default)s)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS", help="with --engine dask: a running scheduler, e.g. tcp://host:8786 (default: start a local cluster of --jobs workers)")


def _add_report_args(p: argparse.ArgumentParser, *, out_flag: str) -> None:
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("KEY", "VALUE"), help="set a notebook parameter (repeatable)")
    p.add_argument(out_flag, dest="report_out", metavar="DIR", type=_location, default=Path("reports"), help="reports folder (default: %(default)s)" + _URL_HELP + " and pushed back when the command ends")
    p.add_argument("--show-code", action="store_true", help="keep the code cells in the HTML (hidden by default)")


def _add_analyze_args(p: argparse.ArgumentParser, *, data_flag: bool) -> None:
    if data_flag:
        p.add_argument("--data", type=_location, default=Path("data/processed"), help="processed-data folder (default: %(default)s)" + _URL_HELP + " and pushed back when the command ends")
    p.add_argument("--actors", type=Path, default=Path("data/actors.yml"), help="actor dictionary, YAML (default: %(default)s)")
    p.add_argument("--discover", action="store_true", help="also discover actors missing from the dictionary; ranked candidates go to actor_candidates.csv")
    p.add_argument("--lexicon", type=Path, default=None, metavar="FILE", help="sentiment lexicon additions or overrides, word<TAB>value per line")
    p.add_argument("--full", action="store_true", help="analyse every article again instead of only new ones")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``mediawork`` command."""
    parser = argparse.ArgumentParser(
        prog="mediawork",
        description="Load raw news dumps into tidy tables, analyse them and render HTML reports, offline.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mediawork {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("ingest", help="read raw dumps into data/processed (incremental)", description="Read raw dumps, clean them and write articles.parquet, manifest.parquet and removed.parquet. Inputs already ingested (same sha256) are not parsed again.")
    _add_ingest_args(p, out_flag="--out")
    _add_engine_args(p)
    _add_cache_arg(p)

    p = sub.add_parser("analyze", help="sentences, sentiment, terms, actors and co-occurrence tables", description="Analyse the unique articles in --data and write sentences.parquet, terms.parquet, mentions.parquet and cooccurrence.parquet beside them. Only new or changed articles are analysed again.")
    _add_analyze_args(p, data_flag=True)
    _add_engine_args(p)
    _add_cache_arg(p)

    p = sub.add_parser("report", help="run notebooks with papermill and render HTML reports", description="Execute notebooks on the project's kernel and write reports/<run>/*.html and reports/index.html.")
    p.add_argument("names", nargs="*", metavar="NAME", help="notebooks to run, by name (default: all in notebooks/)")
    p.add_argument("--data", type=_location, default=Path("data/processed"), help="processed-data folder the notebooks read (default: %(default)s)" + _URL_HELP)
    _add_report_args(p, out_flag="--out")
    _add_cache_arg(p)

    p = sub.add_parser("run", help="ingest, analyze, then report", description="Ingest data/raw into --data, analyse it, then run every notebook on it and write the HTML reports into --reports.")
    _add_ingest_args(p, out_flag="--data")
    _add_analyze_args(p, data_flag=False)
    _add_engine_args(p)
    _add_report_args(p, out_flag="--reports")
    _add_cache_arg(p)

    p = sub.add_parser("sample", help="write a seeded sample corpus of realistic dumps", description="Write N realistic article dumps (txt, JSONL, CSV, HTML) for tests and benchmarks; the same N and seed give identical files.")
    p.add_argument("--n", type=int, default=100, help="number of articles (default: %(default)s)")
    p.add_argument("--out", type=Path, required=True, help="folder to write into")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    return parser


def _cmd_ingest(args: argparse.Namespace, log: logging.Logger | None = None) -> int:
    from .ingest import ingest
    from .locking import run_lock

    if not args.raw and not args.raw_dir.is_dir():
        raise ParameterError(f"raw folder {args.raw_dir} does not exist; create it and put dumps in it, or name files to ingest")
    with run_lock(args.data, command="mediawork ingest"):
        summary = ingest(args.raw or None, raw_dir=args.raw_dir, out_dir=args.data, progress=not args.quiet,
                         jobs=args.jobs, engine=args.engine, scheduler=args.scheduler, checksum=args.checksum)
    print(summary.line())
    if log:
        log.info(summary.line())
        for name, reason in summary.rejected:
            log.info("rejected: %s: %s", name, reason)
    return 1 if args.strict and summary.n_rejected else 0


def _cmd_analyze(args: argparse.Namespace, log: logging.Logger | None = None) -> int:
    from .analyze import analyze
    from .locking import run_lock

    with run_lock(args.data, command="mediawork analyze"):
        summary = analyze(args.data, actors_file=args.actors, discover=args.discover, lexicon_overrides=args.lexicon, full=args.full, progress=not args.quiet,
                           jobs=args.jobs, engine=args.engine, scheduler=args.scheduler)
    print(summary.line())
    if log:
        log.info(summary.line())
    return 0


def _report(args: argparse.Namespace, names: Sequence[str] | None, run_dir: Path | None = None) -> int:
    from .reports import run_reports

    params = dict(args.parameter)
    kwargs = {"data_dir": args.data, "out_dir": args.report_out, "parameters": params, "show_code": args.show_code, "progress": not args.quiet, "run_dir": run_dir}
    if names:
        kwargs["notebooks"] = list(names)
    run = run_reports(**kwargs)
    for line in run.summary_lines():
        print(line)
    return 1 if run.failures else 0


def _cmd_report(args: argparse.Namespace) -> int:
    return _report(args, args.names)


def _cmd_run(args: argparse.Namespace) -> int:
    from .locking import run_lock
    from .reports import new_run_dir, run_log

    with run_lock(args.data, command="mediawork run"):
        run_dir = new_run_dir(args.report_out)
        with run_log(run_dir) as log:
            code = _cmd_ingest(args, log)
            code = max(code, _cmd_analyze(args, log))
            return max(code, _report(args, None, run_dir=run_dir))


def _cmd_sample(args: argparse.Namespace) -> int:
    from .sample import generate_sample

    if args.n < 1:
        raise ParameterError(f"--n must be at least 1, got {args.n}")
    paths = generate_sample(args.n, args.out, seed=args.seed)
    print(f"sample: wrote {args.n} articles in {len(paths)} files to {args.out}")
    return 0


#: Per command: the options that may be URLs, and whether the command writes that folder (pushed back after it).
_REMOTE_OPTIONS: dict[str, tuple[tuple[str, bool], ...]] = {
    "ingest": (("raw_dir", False), ("data", True)),
    "analyze": (("data", True),),
    "report": (("data", False), ("report_out", True)),
    "run": (("raw_dir", False), ("data", True), ("report_out", True)),
}


@contextmanager
def _mirrored(args: argparse.Namespace) -> Iterator[None]:
    """Point every URL option of ``args`` at its local cache for the command, and push written folders back after it.

    Each cache is locked (:func:`~mediawork.locking.run_lock`) before it is pulled, so a
    second command on this machine using the same URL stops with exit code 75 instead
    of mixing files. Written folders are pushed when the command returns; a command
    that raises pushes nothing, and the next run pulls the URL's state again. The locks
    are local: two machines must not write the same URL at once.
    """
    from . import remote
    from .locking import run_lock

    options = [(attr, writes) for attr, writes in _REMOTE_OPTIONS.get(args.command, ()) if remote.is_url(getattr(args, attr, None))]
    if not options:
        yield
        return
    if any(attr == "raw_dir" for attr, _ in options) and args.raw:
        raise ParameterError(f"naming files to ingest ({', '.join(map(str, args.raw))}) is not supported with a URL --raw-dir; "
                             f"expected no RAW arguments: the whole folder {args.raw_dir} is ingested")
    progress = not args.quiet
    pushes: list[tuple[Path, str]] = []
    with ExitStack() as stack:
        for attr, writes in options:
            url = getattr(args, attr)
            folder = remote.cache_dir(url, root=args.cache)
            stack.enter_context(run_lock(folder, command=f"mediawork {args.command} ({url})"))
            print(remote.pull(url, folder, exact=True, missing_ok=attr != "raw_dir", progress=progress).line())
            setattr(args, attr, folder)
            if writes:
                pushes.append((folder, url))
        yield
        for folder, url in pushes:
            print(remote.push(folder, url, exact=True, progress=progress).line())


COMMANDS = {"ingest": _cmd_ingest, "analyze": _cmd_analyze, "report": _cmd_report, "run": _cmd_run, "sample": _cmd_sample}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mediawork`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        with _mirrored(args):
            code = COMMANDS[args.command](args)
        return code
    except (ParameterError, DataError) as exc:
        print(f"mediawork {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except LockError as exc:
        print(f"mediawork {args.command}: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except MediaworkError as exc:
        print(f"mediawork {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"mediawork {args.command}: interrupted; re-run to complete (written tables are never half-written)", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback reaches the user
        if os.environ.get("MEDIAWORK_DEBUG"):
            traceback.print_exc()
        print(f"mediawork {args.command}: internal error: {type(exc).__name__}: {exc} (set MEDIAWORK_DEBUG=1 for a traceback, and please report it)", file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
