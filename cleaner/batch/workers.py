"""Where the cleaning runs: in this process (``-j 1``), in worker processes, or on a Dask cluster.

Workers clean: they get an item's bytes or text and give back the text, metadata and rule
hits. Local workers also write each text to a temporary file (:func:`sink.stage`), which the
batch process renames into place in input order; everything else — reading inputs, the
journal, the manifest, JSONL — stays in the batch process, so a cluster needs no access to the
files, and an output is written once even when a task runs twice. Each worker process has its
:class:`Cleaner` built once per configuration (forked workers inherit the batch process's).
Results come back in input order, with a bounded number of items in flight, so memory does
not grow with the number of inputs.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from cleaner.batch import sink
from cleaner.config import Config
from cleaner.errors import CleanerError, ConfigError
from cleaner.pipeline import Cleaner
from cleaner.batch.source import DEFAULT_MAX_BYTES, Item, Job, read_file

CHUNK_ITEMS = 32
CHUNK_BYTES = 256 << 10
IN_FLIGHT_PER_WORKER = 4  # chunks queued per worker: enough to keep it busy, little memory


@dataclass
class Cleaned:
    """What a worker made of one item; ``error`` is a one-line reason, or None."""

    text: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    rules: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    staged: str | None = None  # a temporary file holding the text, written by the worker


_cleaners: dict[str, Cleaner] = {}


def _cleaner(key: str, config: Config) -> Cleaner:
    """This process's cleaner for a configuration (``key`` is its fingerprint), built once."""
    if key not in _cleaners:
        _cleaners.clear()
        _cleaners[key] = Cleaner(config)
    return _cleaners[key]


def cleaner_for(config: Config) -> Cleaner:
    """The cleaner the batch will use for ``config``, built now (so a bad rule pack stops the run
    before any file is read) and kept: ``-j 1`` uses it, and local workers start with it."""
    cleaner = Cleaner(config)
    _cleaners.clear()
    _cleaners[config.fingerprint()] = cleaner
    return cleaner


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


def clean_chunk(key: str, config: Config, items: list[Item], stage_dir: str | None = None) -> list[Cleaned]:
    """The task run by a worker: clean a few items with this process's cleaner; with
    ``stage_dir``, also write each text to a temporary file there (see :func:`sink.stage`)."""
    cleaner = _cleaner(key, config)
    results = [clean_item(item, cleaner) for item in items]
    if stage_dir:
        folder = Path(stage_dir, f"worker-{os.getpid()}")  # one each: no waiting on a shared folder
        try:
            folder.mkdir(exist_ok=True)
        except OSError:
            return results  # the batch process writes the texts (or says why it cannot)
        for item, cleaned in zip(items, results):
            if cleaned.error is None:
                _stage(cleaned, folder, Path(item.output or "document").name)
    return results


def _stage(cleaned: Cleaned, folder: Path, name: str) -> None:
    """Write the text in this worker, so that the batch process only renames the file into
    place; if that fails, the text goes back and the batch process writes it (or says why not)."""
    try:
        cleaned.staged = sink.stage((cleaned.text or "").encode("utf-8"), folder, name)
    except OSError:
        return
    cleaned.text = None


class InlineExecutor(Executor):
    """``-j 1``: run each task at once in this process."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _start_worker(parent: int) -> None:
    """Ctrl-C is for the batch process, which stops the run cleanly: workers ignore it. On Linux
    a worker also dies with the batch process, even one killed with -9, rather than wait
    forever for work (holding the output folder's lock, which a forked worker shares)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # it died before prctl took effect
            os._exit(1)


class LocalPool(Executor):
    """Worker processes; if one dies (killed, out of memory), the pool is rebuilt.

    On Linux, workers are forked from this process, which has built its cleaner already
    (:func:`cleaner_for`), so they start at once with the rule packs compiled (the language
    profiles still load on first use, in each worker). Forking is safe only without other threads (a lock one of them holds
    would stay locked in the child): with threads, and on other systems, workers are spawned
    and build their own cleaner."""

    def __init__(self, processes: int):
        self.processes = processes
        self._pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        fork = sys.platform == "linux" and threading.active_count() == 1
        self.start_method = "fork" if fork else "spawn"
        context = multiprocessing.get_context(self.start_method)
        pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_start_worker,
                                   initargs=(os.getpid(),))
        if fork:
            gc.freeze()  # else the workers' collector touches, and so copies, every inherited page
            try:
                pool.submit(int)  # the first task forks the workers
            finally:
                gc.unfreeze()
        return pool

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
                   slots: int, stage_dir: str | None = None) -> Iterator[tuple[Any, Cleaned | None]]:
    """Yield ``(entry, cleaned)`` in the order of ``entries``: :class:`Item` entries are cleaned
    by ``pool`` (in chunks, at most ``slots * IN_FLIGHT_PER_WORKER`` chunks in flight), their
    texts staged in ``stage_dir`` if given; other entries pass through with None."""
    window = _Window(pool, key, config, stage_dir)
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

    def __init__(self, pool: Executor, key: str, config: Config, stage_dir: str | None):
        self.pool, self.key, self.config, self.stage_dir = pool, key, config, stage_dir
        self.pending: deque[_Chunk] = deque()

    def send(self, items: list[Item]) -> None:
        if items:
            self.pending.append(_Chunk(items, self._submit(items)))

    def _submit(self, items: list[Item]) -> Future:
        return self.pool.submit(clean_chunk, self.key, self.config, items, self.stage_dir)

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
            return self._submit(items).result()
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


def clean_files(jobs: Iterable[Job], config: Config, processes: int = 1,
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
