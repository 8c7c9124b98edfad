"""The ``mediawork`` command: a thin layer over the library's functions.

Exit codes: 0 success; 1 the work completed but something failed (a rejected input
under ``--strict``, a notebook that raised); 2 usage errors (bad options or
parameters, missing folders or tables); 75 another run holds the data folder's lock. No traceback reaches the user; set
``MEDIAWORK_DEBUG=1`` to see one.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Sequence

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
"""


def _add_ingest_args(p: argparse.ArgumentParser, *, out_flag: str) -> None:
    p.add_argument("raw", nargs="*", type=Path, metavar="RAW", help="files or folders to ingest (default: the whole --raw-dir); files outside --raw-dir are named by their path from the folder given, or by their file name")
    p.add_argument("--raw-dir", type=Path, default=Path("data/raw"), help="the raw folder that file names are relative to (default: %(default)s)")
    p.add_argument(out_flag, dest="data", metavar="DIR", type=Path, default=Path("data/processed"), help="processed-data folder the tables go to (default: %(default)s)")
    p.add_argument("--strict", action="store_true", help="exit 1 when any input was rejected")
    p.add_argument("--checksum", action="store_true", help="read and hash every input; by default a file whose size and modification time match the manifest is not read again")


def _add_engine_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="worker processes (default: one per core; 1 runs serially)")
    p.add_argument("--engine", choices=("local", "dask"), default="local", help="run batches in local processes or on a Dask cluster (default: %(default)s)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS", help="with --engine dask: a running scheduler, e.g. tcp://host:8786 (default: start a local cluster of --jobs workers)")


def _add_report_args(p: argparse.ArgumentParser, *, out_flag: str) -> None:
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("KEY", "VALUE"), help="set a notebook parameter (repeatable)")
    p.add_argument(out_flag, dest="report_out", metavar="DIR", type=Path, default=Path("reports"), help="reports folder (default: %(default)s)")
    p.add_argument("--show-code", action="store_true", help="keep the code cells in the HTML (hidden by default)")


def _add_analyze_args(p: argparse.ArgumentParser, *, data_flag: bool) -> None:
    if data_flag:
        p.add_argument("--data", type=Path, default=Path("data/processed"), help="processed-data folder (default: %(default)s)")
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

    p = sub.add_parser("analyze", help="sentences, sentiment, terms, actors and co-occurrence tables", description="Analyse the unique articles in --data and write sentences.parquet, terms.parquet, mentions.parquet and cooccurrence.parquet beside them. Only new or changed articles are analysed again.")
    _add_analyze_args(p, data_flag=True)
    _add_engine_args(p)

    p = sub.add_parser("report", help="run notebooks with papermill and render HTML reports", description="Execute notebooks on the project's kernel and write reports/<run>/*.html and reports/index.html.")
    p.add_argument("names", nargs="*", metavar="NAME", help="notebooks to run, by name (default: all in notebooks/)")
    p.add_argument("--data", type=Path, default=Path("data/processed"), help="processed-data folder the notebooks read (default: %(default)s)")
    _add_report_args(p, out_flag="--out")

    p = sub.add_parser("run", help="ingest, analyze, then report", description="Ingest data/raw into --data, analyse it, then run every notebook on it and write the HTML reports into --reports.")
    _add_ingest_args(p, out_flag="--data")
    _add_analyze_args(p, data_flag=False)
    _add_engine_args(p)
    _add_report_args(p, out_flag="--reports")

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


COMMANDS = {"ingest": _cmd_ingest, "analyze": _cmd_analyze, "report": _cmd_report, "run": _cmd_run, "sample": _cmd_sample}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mediawork`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
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
