"""Engines: run one per-batch function over many batches, serially, on local cores or on Dask.

Ingest and analyze cut their work into batches (a list of input units, a frame of
articles) and hand a *pure* per-batch function to :func:`map_batches`. The engines
differ only in where that function runs:

``engine="local"``, ``jobs=1``
    In this process, one batch after the other (the serial reference).
``engine="local"``, ``jobs=N``
    A pool of ``N`` worker processes on this machine (``jobs=None``: one per core).
``engine="dask"``
    The workers of a ``dask.distributed`` cluster: a ``LocalCluster`` of ``jobs``
    single-threaded worker processes started for the run, or the running cluster
    whose scheduler is at ``scheduler`` (``tcp://host:8786``). Every worker must have
    the same version of mediawork installed.

Results always come back in batch order, whatever finished first, so a parallel run
gives exactly what a serial run gives. The function is sent to each worker once
(process-pool initializer, or a Dask ``scatter`` broadcast), not with every batch:
put what every batch needs (a sentence splitter, a lexicon, a dictionary) in the
function object, e.g. a ``functools.partial`` or a small picklable class. At most two
batches per worker are in flight, so memory is bounded by the batch size, not by the
number of batches.

Example
-------
>>> list(map_batches(sum, split([1, 2, 3, 4, 5], size=2), jobs=1))
[3, 7, 5]
"""

from __future__ import annotations

import ctypes
import gc
import importlib.metadata
import logging
import math
import multiprocessing
import os
import pickle
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

import pandas as pd
import pyarrow as pa
from tqdm.auto import tqdm

from .errors import MediaworkError, ParameterError

__all__ = ["ENGINES", "available_cores", "batch_size", "check_options", "in_pool_worker", "map_batches", "release_memory", "run_apart", "split"]

B = TypeVar("B")
R = TypeVar("R")

#: The engines :func:`map_batches` knows.
ENGINES = ("local", "dask")
#: Batches queued per worker: enough to keep workers busy, few enough to bound memory.
_IN_FLIGHT_PER_WORKER = 2
#: How pool workers start. ``fork`` on Linux: no re-import of the calling script (which
#: would need an ``if __name__ == "__main__"`` guard) and no second import of pandas and
#: NLTK per worker; elsewhere ``spawn``, the platform's safe choice.
_START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"
#: Seconds to wait for a Dask scheduler given by address.
_CONNECT_TIMEOUT = 20


def available_cores() -> int:
    """Number of CPU cores this process may run on (what ``jobs=None`` means).

    Examples
    --------
    >>> available_cores() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_options(*, engine: str = "local", jobs: int | None = None, scheduler: str | None = None) -> int:
    """Validate engine options and return the number of workers they ask for.

    Call it before doing any work, so a bad ``--jobs`` fails at once.

    Parameters
    ----------
    engine:
        ``"local"`` or ``"dask"``.
    jobs:
        Worker processes, at least 1; ``None`` means one per available core.
    scheduler:
        A Dask scheduler address; only with ``engine="dask"``.

    Returns
    -------
    int
        The number of workers (``jobs`` resolved).

    Raises
    ------
    ParameterError
        An unknown engine, ``jobs`` below 1 or not an integer, or a scheduler
        address given with the local engine.

    Examples
    --------
    >>> check_options(jobs=2)
    2
    >>> check_options(jobs=0)
    Traceback (most recent call last):
    ...
    mediawork.errors.ParameterError: jobs must be a whole number of at least 1, got 0; pass --jobs 1 for a serial run, or leave it out to use every core
    """
    if engine not in ENGINES:
        raise ParameterError(f"engine {engine!r} is not known; expected one of {', '.join(ENGINES)} (--engine local|dask)")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ParameterError(
            f"jobs must be a whole number of at least 1, got {jobs!r}; pass --jobs 1 for a serial run, or leave it out to use every core"
        )
    if scheduler is not None:
        if engine != "dask":
            raise ParameterError(f"a scheduler address ({scheduler!r}) needs the Dask engine; add --engine dask, or drop --scheduler")
        if not isinstance(scheduler, str) or not scheduler.strip():
            raise ParameterError(f"scheduler address {scheduler!r} is empty; expected e.g. tcp://10.0.0.5:8786, or leave it out for a local cluster")
    return jobs if jobs is not None else available_cores()


def batch_size(n_items: int, *, workers: int, smallest: int = 25, largest: int = 1000) -> int:
    """Items per batch: about four batches per worker, within ``smallest``..``largest``.

    Small batches balance the load across workers; large ones cost less to ship.
    Results never depend on the batch size, only speed and memory do.

    Examples
    --------
    >>> batch_size(2000, workers=2), batch_size(40, workers=8), batch_size(10**6, workers=4)
    (250, 25, 1000)
    """
    wanted = math.ceil(max(n_items, 1) / (4 * max(workers, 1)))
    return max(smallest, min(largest, wanted))


def split(items: Sequence[B] | pd.DataFrame, *, size: int) -> list[Any]:
    """Cut a sequence or a frame into consecutive batches of ``size`` items (the last may be shorter).

    Frames are cut by position (``iloc``) and keep their index; nothing is copied or modified.

    Examples
    --------
    >>> split("abcde", size=2)
    ['ab', 'cd', 'e']
    >>> [len(b) for b in split(pd.DataFrame({"x": range(5)}), size=3)]
    [3, 2]
    """
    if size < 1:
        raise ParameterError(f"batch size must be at least 1, got {size}")
    if isinstance(items, pd.DataFrame):
        return [items.iloc[i : i + size] for i in range(0, len(items), size)]
    return [items[i : i + size] for i in range(0, len(items), size)]


def map_batches(
    func: Callable[[B], R],
    batches: Iterable[B],
    *,
    engine: str = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
    desc: str = "batches",
    unit: str = " items",
    total: int | None = None,
) -> Iterator[R]:
    """Apply ``func`` to every batch on the chosen engine; yield the results in batch order.

    Parameters
    ----------
    func:
        A pure function of one batch. For ``jobs > 1`` or Dask it must be picklable
        (a module-level function, a ``functools.partial`` of one, or an instance of a
        module-level class); it is sent to each worker once.
    batches:
        The batches, consumed lazily (at most two per worker are in flight).
    engine, jobs, scheduler:
        Where to run: see the module docstring and :func:`check_options`. With
        ``engine="local"`` and one worker, or a single batch, ``func`` runs in this
        process and is not pickled.
    progress:
        Show a progress bar on stderr that advances by ``len(batch)`` per batch.
    desc, unit, total:
        The bar's label, unit and total (default: unknown).

    Returns
    -------
    Iterator
        ``func(batch)`` for each batch, in order. An exception raised by ``func``
        is raised here as it was raised in the worker.

    Raises
    ------
    ParameterError
        Bad options (raised at once, before any batch runs), or a Dask scheduler
        that cannot be reached.
    MediaworkError
        A worker process died (e.g. killed for lack of memory), or Dask workers lack mediawork.

    Examples
    --------
    >>> list(map_batches(len, [[1, 2], [3]], jobs=1))
    [2, 1]
    """
    workers = check_options(engine=engine, jobs=jobs, scheduler=scheduler)
    return _progress(_run(func, batches, engine=engine, workers=workers, scheduler=scheduler), progress=progress, desc=desc, unit=unit, total=total)


def run_apart(func: Callable[..., R], *args: Any) -> R:
    """``func(*args)`` computed in a child process, so its temporary objects never sit in this one.

    For corpus-wide steps that build many small objects and return a small result
    (training Punkt): memory Python frees is often not given back to the system, and a
    pool forked afterwards would start from the swollen process. ``func`` and its
    result must be picklable; its exception is raised here.

    Examples
    --------
    >>> run_apart(sum, [1, 2, 3])
    6
    """
    context = multiprocessing.get_context(_START_METHOD)
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        try:
            return pool.submit(func, *args).result()
        except BrokenProcessPool:
            raise MediaworkError(
                f"the process running {getattr(func, '__name__', func)} died (killed for lack of memory?); "
                "free some memory and run again"
            ) from None


def release_memory(*, collect: bool = True) -> None:
    """Give freed memory back to the system: Arrow's allocator's unused pages and the C heap's.

    Arrow's allocator and glibc's ``malloc`` both keep freed memory for reuse; called
    between corpus-wide phases (and between parts of a long write), this keeps the
    resident size of a long run, and of pool workers forked later, to what is in use.
    ``collect`` runs Python's garbage collector first. ``malloc_trim`` is skipped where
    the C library is not glibc.

    Examples
    --------
    >>> release_memory()
    """
    if collect:
        gc.collect()
    pa.default_memory_pool().release_unused()
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


# --------------------------------------------------------------------------- scheduling


def _run(func: Callable[[B], R], batches: Iterable[B], *, engine: str, workers: int, scheduler: str | None) -> Iterator[tuple[int, R]]:
    """(weight, result) per batch in order; weight is ``len(batch)`` or 1."""
    items = iter(batches)
    if engine == "dask":
        yield from _run_dask(func, items, workers=workers, scheduler=scheduler)
        return
    first = next(items, _END)
    second = next(items, _END) if first is not _END else _END
    if second is _END or workers == 1:  # nothing to parallelise: no pool, no pickling
        for batch in _chain(first, second, items):
            yield _weight(batch), func(batch)
        return
    yield from _run_pool(func, _chain(first, second, items), workers=workers)


def _run_pool(func: Callable[[B], R], batches: Iterator[B], *, workers: int) -> Iterator[tuple[int, R]]:
    payload = _pickle(func)  # pickled here and unpickled in each worker, whatever the start method
    context = multiprocessing.get_context(_START_METHOD)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_install, initargs=(payload,))
    try:
        yield from _ordered(lambda batch: pool.submit(_call_installed, batch), batches, limit=workers * _IN_FLIGHT_PER_WORKER)
    except BrokenProcessPool:
        _stop(pool)
        raise MediaworkError(
            f"a worker process died before finishing its batch (killed, or the machine ran out of memory); "
            f"expected {workers} workers to complete. Run again with fewer jobs (--jobs {max(1, workers // 2)}), or --jobs 1 to run serially."
        ) from None
    except BaseException:  # an error in a batch, Ctrl-C, or the caller stopped early: no result is wanted any more
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once: queued batches cancelled, running ones killed (batch functions are pure)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _run_dask(func: Callable[[B], R], batches: Iterator[B], *, workers: int, scheduler: str | None) -> Iterator[tuple[int, R]]:
    payload = _pickle(func)
    with _dask_client(scheduler, workers) as client:
        threads = sum(client.nthreads().values()) or workers
        shared = client.scatter(_Payload(payload), broadcast=True, hash=False)
        yield from _ordered(lambda batch: client.submit(_call_payload, shared, batch, pure=False), batches, limit=threads * _IN_FLIGHT_PER_WORKER)


def _ordered(submit: Callable[[B], Any], batches: Iterator[B], *, limit: int) -> Iterator[tuple[int, R]]:
    """Keep ``limit`` batches submitted; yield their results in submission order."""
    pending: deque[tuple[int, Any]] = deque()
    for batch in batches:
        pending.append((_weight(batch), submit(batch)))
        if len(pending) >= limit:
            weight, future = pending.popleft()
            yield weight, future.result()
    while pending:
        weight, future = pending.popleft()
        yield weight, future.result()


@contextmanager
def _dask_client(scheduler: str | None, workers: int):
    """A distributed Client: to ``scheduler``, or to a LocalCluster of ``workers`` processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ParameterError(
            "the Dask engine needs the `distributed` package, which is not installed; "
            "install it (pip install 'dask[distributed]') or use --engine local"
        ) from None
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=_CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ParameterError(
                f"could not connect to the Dask scheduler at {scheduler!r} within {_CONNECT_TIMEOUT} s ({type(exc).__name__}: {exc}); "
                "expected a running scheduler such as tcp://10.0.0.5:8786. Check the address, or leave --scheduler out to use a local cluster."
            ) from None
        with client:
            _check_workers(client, scheduler)
            yield client
        return
    try:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.CRITICAL
        )
    except RuntimeError as exc:  # "Nanny failed to start": workers could not be spawned
        raise MediaworkError(
            f"the local Dask cluster could not start its {workers} worker processes ({exc}). Dask starts workers by "
            "importing the calling script again: put the call under `if __name__ == \"__main__\":`, or use the local engine (--engine local)."
        ) from None
    with cluster, Client(cluster, set_as_default=False) as client:
        yield client


def _check_workers(client: Any, scheduler: str) -> None:
    """Every worker of a remote cluster must run the same mediawork as this process."""
    here = _version()
    found = client.run(_version, on_error="return")
    wrong = {addr: v for addr, v in sorted(found.items()) if v != here}
    if not found:
        raise MediaworkError(f"the Dask cluster at {scheduler} has no workers; expected at least one. Start workers (dask worker {scheduler}) and run again.")
    if wrong:
        addr, seen = next(iter(wrong.items()))
        raise MediaworkError(
            f"{len(wrong)} Dask worker(s) at {scheduler} do not run mediawork {here} (e.g. {addr}: {seen!r}); "
            "install the same mediawork version on every worker and run again."
        )


def _version() -> str:
    try:
        return importlib.metadata.version("mediawork")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


# --------------------------------------------------------------------------- worker side


class _Payload:
    """A pickled function, unpickled once per worker process and kept."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._func: Callable | None = None

    def __getstate__(self) -> dict:
        return {"data": self.data}

    def __setstate__(self, state: dict) -> None:
        self.data = state["data"]
        self._func = None

    @property
    def func(self) -> Callable:
        if self._func is None:
            self._func = pickle.loads(self.data)
        return self._func


_INSTALLED: Callable | None = None


def _install(payload: bytes) -> None:
    """Process-pool initializer: unpickle the function once for this worker.

    Ctrl-C is left to the calling process, which stops the pool; workers ignore it
    rather than each printing a traceback.
    """
    global _INSTALLED
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _INSTALLED = pickle.loads(payload)


def in_pool_worker() -> bool:
    """Whether this process is a worker of a local process pool (see :func:`map_batches`).

    Lets a batch function skip what only helps the process that started the pool, such
    as keeping data for a later corpus-wide step.

    Examples
    --------
    >>> in_pool_worker()
    False
    """
    return _INSTALLED is not None


def _call_installed(batch: Any) -> Any:
    assert _INSTALLED is not None, "engines._install did not run in this worker"
    return _INSTALLED(batch)


def _call_payload(payload: _Payload, batch: Any) -> Any:
    return payload.func(batch)


# --------------------------------------------------------------------------- helpers


_END = object()


def _chain(first: Any, second: Any, rest: Iterator[B]) -> Iterator[B]:
    for item in (first, second):
        if item is not _END:
            yield item
    yield from rest


def _weight(batch: Any) -> int:
    try:
        return len(batch)
    except TypeError:
        return 1


def _pickle(func: Callable) -> bytes:
    try:
        return pickle.dumps(func, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        raise ParameterError(
            f"the batch function {func!r} cannot be sent to worker processes ({exc}); "
            "expected a module-level function or a picklable object. Use jobs=1 to run it in this process."
        ) from None


def _progress(results: Iterator[tuple[int, R]], *, progress: bool, desc: str, unit: str, total: int | None) -> Iterator[R]:
    with tqdm(total=total, desc=desc, unit=unit, disable=not progress, file=sys.stderr, leave=False) as bar:
        for weight, result in results:
            bar.update(weight)
            yield result
