"""Where the cleaning runs: in this process (``-j 1``), in worker processes, or on a Dask cluster.

Workers only clean: they get an item's bytes or text and give back the text, metadata and rule
hits. All file I/O stays in the batch process, so a cluster needs no access to the files, and
an output is written once even when a task runs twice. Each worker process builds its
:class:`Cleaner` once per configuration. Results come back in input order, with a bounded
number of items in flight, so memory does not grow with the number of inputs.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from .config import Config
from .errors import CleanerError, ConfigError
from .pipeline import Cleaner
from .source import DEFAULT_MAX_BYTES, Item, Job, read_file

CHUNK_ITEMS = 8
CHUNK_BYTES = 1 << 20
IN_FLIGHT_PER_WORKER = 4  # chunks queued per worker: enough to keep it busy, little memory


@dataclass
class Cleaned:
    """What a worker made of one item; ``error`` is a one-line reason, or None."""

    text: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    rules: dict[str, int] = field(default_factory=dict)
    error: str | None = None


_cleaners: dict[str, Cleaner] = {}


def _cleaner(key: str, config: Config) -> Cleaner:
    """This process's cleaner for a configuration (``key`` is its fingerprint), built once."""
    if key not in _cleaners:
        _cleaners.clear()
        _cleaners[key] = Cleaner(config)
    return _cleaners[key]


def clean_item(item: Item, cleaner: Cleaner) -> Cleaned:
    """Clean one item. Nothing is raised: a bad document becomes ``Cleaned.error``."""
    try:
        url = item.metadata.get("url")
        doc = cleaner.clean(item.data, id=item.id, metadata=item.metadata, path=item.source,
                            url=url if isinstance(url, str) else None)
    except CleanerError as exc:
        return Cleaned(error=str(exc))
    except Exception as exc:  # a bug must not stop a batch of a million files: report and go on
        return Cleaned(error=f"{item.source}: unexpected error ({type(exc).__name__}: {exc})")
    return Cleaned(doc.text, doc.metadata, doc.rule_hits())


def clean_chunk(key: str, config: Config, items: list[Item]) -> list[Cleaned]:
    """The task run by a worker: clean a few items with this process's cleaner."""
    cleaner = _cleaner(key, config)
    return [clean_item(item, cleaner) for item in items]


class InlineExecutor(Executor):
    """``-j 1``: run each task at once in this process."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _ignore_sigint() -> None:
    """Ctrl-C is for the batch process, which stops the run cleanly; workers just end with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalPool(Executor):
    """Worker processes; if one dies (killed, out of memory), the pool is rebuilt."""

    def __init__(self, processes: int):
        self.processes = processes
        self._pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn" if os.name == "nt" else "forkserver")
        return ProcessPoolExecutor(self.processes, mp_context=context, initializer=_ignore_sigint)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        try:
            return self._pool.submit(fn, *args, **kwargs)
        except BrokenProcessPool:
            self.restart()
            return self._pool.submit(fn, *args, **kwargs)

    def restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


@contextmanager
def executor(jobs: int, scheduler: str | None = None) -> Iterator[tuple[Executor, int]]:
    """An executor and the number of tasks it runs at once: Dask if ``scheduler`` is given."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise ConfigError("--scheduler needs the dask extra: pip install 'article-cleaner[dask]'") from None
        try:
            client = Client(scheduler, timeout=30, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler ({exc})", scheduler) from None
        with client:
            slots = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
            yield client.get_executor(pure=False), max(slots, 1)
    elif jobs <= 1:
        yield InlineExecutor(), 1
    else:
        pool = LocalPool(jobs)
        try:
            yield pool, jobs
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def clean_in_order(entries: Iterable[Any], config: Config, key: str, pool: Executor,
                   slots: int) -> Iterator[tuple[Any, Cleaned | None]]:
    """Yield ``(entry, cleaned)`` in the order of ``entries``: :class:`Item` entries are cleaned
    by ``pool`` (in chunks, at most ``slots * IN_FLIGHT_PER_WORKER`` chunks in flight); other
    entries pass through with None."""
    window = _Window(pool, key, config)
    chunk: list[Item] = []
    size = 0
    limit = max(1, slots) * IN_FLIGHT_PER_WORKER
    for entry in entries:
        if isinstance(entry, Item) and entry.error is None:
            chunk.append(entry)
            size += len(entry.data or "")
            if len(chunk) >= CHUNK_ITEMS or size >= CHUNK_BYTES:
                window.send(chunk)
                chunk, size = [], 0
        else:
            window.send(chunk)
            chunk, size = [], 0
            window.passed(entry)
        while len(window.pending) > limit:
            yield from window.next()
    window.send(chunk)
    while window.pending:
        yield from window.next()


class _Chunk:
    def __init__(self, items: list[Any], future: Future | None):
        self.items, self.future = items, future


def _done(results: list[Cleaned]) -> Future:
    future: Future = Future()
    future.set_result(results)
    return future


class _Window:
    """The chunks in flight, oldest first. When a worker process dies, the pool is rebuilt and
    the chunks that were in flight run again one at a time; a chunk that kills a worker on its
    own runs item by item, and only an item that kills a worker on its own is reported failed."""

    def __init__(self, pool: Executor, key: str, config: Config):
        self.pool, self.key, self.config = pool, key, config
        self.pending: deque[_Chunk] = deque()

    def send(self, items: list[Item]) -> None:
        if items:
            self.pending.append(_Chunk(items, self.pool.submit(clean_chunk, self.key, self.config, items)))

    def passed(self, entry: Any) -> None:
        self.pending.append(_Chunk([entry], None))

    def next(self) -> Iterator[tuple[Any, Cleaned | None]]:
        head = self.pending[0]
        if head.future is None:
            self.pending.popleft()
            yield head.items[0], None
            return
        try:
            results = head.future.result()
        except BrokenProcessPool:
            self._recover()
            return
        except Exception as exc:  # e.g. Dask's KilledWorker, after a task killed several workers
            results = [Cleaned(error=f"{item.source}: cleaning failed ({type(exc).__name__}: {exc})")
                       for item in head.items]
        self.pending.popleft()
        yield from zip(head.items, results)

    def _recover(self) -> None:
        self._restart()
        for chunk in self.pending:
            future = chunk.future
            if future is None or (future.done() and not future.cancelled() and future.exception() is None):
                continue
            results = self._alone(chunk.items)
            if results is None:
                results = []
                for item in chunk.items:
                    alone = self._alone([item])
                    results += alone or [Cleaned(error=f"{item.source}: the worker process cleaning it died")]
            chunk.future = _done(results)

    def _alone(self, items: list[Item]) -> list[Cleaned] | None:
        """Clean ``items`` with nothing else in flight; None if a worker died doing it."""
        try:
            return self.pool.submit(clean_chunk, self.key, self.config, items).result()
        except BrokenProcessPool:
            self._restart()
            return None

    def _restart(self) -> None:
        if isinstance(self.pool, LocalPool):
            self.pool.restart()


@dataclass
class Outcome:
    """What became of one input file, for callers that write themselves (the in-place modes)."""

    source: str
    output: str | None
    text: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    rules: dict[str, int] = field(default_factory=dict)
    input_sha256: str | None = None
    error: str | None = None


def run(jobs: Iterable[Job], config: Config, processes: int = 1,
        max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Outcome]:
    """Clean each file of ``jobs`` (read as a whole, whatever its suffix), yielding outcomes in
    input order; nothing is written."""
    items = (Item(str(job.source), job.output.as_posix(), error=job.error) if job.error
             else read_file(job, max_bytes) for job in jobs)
    with executor(processes) as (pool, slots):
        for item, cleaned in clean_in_order(items, config, config.fingerprint(), pool, slots):
            cleaned = cleaned or Cleaned(error=item.error)
            yield Outcome(item.source, item.output, cleaned.text, cleaned.metadata, cleaned.rules,
                          item.input_sha256, cleaned.error)
