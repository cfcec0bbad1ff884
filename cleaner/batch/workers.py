"""What the workers do, wherever they run (this process, worker processes, a Dask cluster: see
:mod:`cleaner.batch.pool`), and the window of work in flight.

Workers clean: they get an item's bytes or text and give back the text, metadata and rule
hits. Local workers also write each text to a temporary file (:func:`atomic.stage`), which the
batch process renames into place in input order; everything else — reading inputs, the
journal, the manifest, JSONL — stays in the batch process, so a cluster needs no access to the
files, and an output is written once even when a task runs twice. Each worker process has its
:class:`Cleaner` built once per configuration (forked workers inherit the batch process's).
Results come back in input order, with a bounded number of items in flight, so memory does
not grow with the number of inputs.
"""
from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from cleaner.batch.atomic import stage
from cleaner.batch.pool import InlineExecutor, LocalPool, executor, fit_workers
from cleaner.batch.readers.files import read_file
from cleaner.batch.samples import first_edits, removed_chars
from cleaner.batch.source import DEFAULT_MAX_BYTES, Item, Job
from cleaner.config import Config
from cleaner.errors import CleanerError
from cleaner.pipeline import Cleaner

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
    removed: int = 0  # characters the edits took out (:mod:`cleaner.batch.samples`)
    samples: dict[str, dict[str, str]] = field(default_factory=dict)  # the first edit of each rule


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
    cleaner = Cleaner(config).warm()  # the workers are forked from this process: they share its model
    _cleaners.clear()
    _cleaners[config.fingerprint()] = cleaner
    return cleaner


def clean_item(item: Item, cleaner: Cleaner, release: bool = False) -> Cleaned:
    """Clean one item. Nothing is raised: a bad document becomes ``Cleaned.error``. With
    ``release``, the item's bytes are let go once read (not held while a big text is cleaned)."""
    try:
        url = item.metadata.get("url")
        doc = cleaner.read(item.data, id=item.id, metadata=item.metadata, path=item.source,
                           url=url if isinstance(url, str) else None)
        if release:
            item.data = None
        doc = cleaner.run(doc)
    except CleanerError as exc:
        return Cleaned(error=str(exc))
    except Exception as exc:  # a bug must not stop a batch of a million files: report and go on
        return Cleaned(error=f"{item.source}: unexpected error ({type(exc).__name__}: {exc})")
    return Cleaned(doc.text, doc.metadata, doc.rule_hits(), removed=removed_chars(doc.edits),
                   samples=first_edits(doc.edits))


def clean_chunk(key: str, config: Config, items: list[Item], stage_dir: str | None = None,
                sync: bool = False, release: bool = False) -> list[Cleaned]:
    """The task run by a worker: clean a few items with this process's cleaner; with
    ``stage_dir``, also write each text to a temporary file there (see :func:`atomic.stage`),
    on the disk with ``sync``; with ``release``, each item's bytes are let go once read (the
    items are this task's own: it never runs again on them)."""
    cleaner = _cleaner(key, config)
    results = [clean_item(item, cleaner, release) for item in items]
    if stage_dir:
        folder = Path(stage_dir, f"worker-{os.getpid()}")  # one each: no waiting on a shared folder
        try:
            folder.mkdir(exist_ok=True)
        except OSError:
            return results  # the batch process writes the texts (or says why it cannot)
        for item, cleaned in zip(items, results):
            if cleaned.error is None:
                _stage(cleaned, folder, Path(item.output or "document").name, sync)
    return results


def _stage(cleaned: Cleaned, folder: Path, name: str, sync: bool = False) -> None:
    """Write the text in this worker, so that the batch process only renames the file into
    place; if that fails, the text goes back and the batch process writes it (or says why not)."""
    try:
        cleaned.staged = stage(cleaned.text or "", folder, name, sync=sync)
    except OSError:
        return
    cleaned.text = None


def clean_in_order(entries: Iterable[Any], config: Config, key: str, pool: Executor,
                   slots: int, stage_dir: str | None = None, sync: bool = False) -> Iterator[tuple[Any, Cleaned | None]]:
    """Yield ``(entry, cleaned)`` in the order of ``entries``: :class:`Item` entries are cleaned
    by ``pool`` (in chunks, at most ``slots * IN_FLIGHT_PER_WORKER`` chunks in flight), their
    texts staged in ``stage_dir`` if given; other entries pass through with None."""
    window = _Window(pool, key, config, stage_dir, sync)
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

    def __init__(self, pool: Executor, key: str, config: Config, stage_dir: str | None, sync: bool = False):
        self.pool, self.key, self.config, self.stage_dir, self.sync = pool, key, config, stage_dir, sync
        # in this process (-j 1), or pickled to a local worker: an item's bytes are not needed once
        # read (a chunk run again after a worker died is sent again from this process's items);
        # a Dask executor may run a task twice on the same objects
        self.release = isinstance(pool, (InlineExecutor, LocalPool))
        self.pending: deque[_Chunk] = deque()

    def send(self, items: list[Item]) -> None:
        if items:
            self.pending.append(_Chunk(items, self._submit(items)))

    def _submit(self, items: list[Item]) -> Future:
        return self.pool.submit(clean_chunk, self.key, self.config, items, self.stage_dir, self.sync, self.release)

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
    items, processes = fit_workers(items, processes, lambda item: item.error is None)
    with executor(processes) as (pool, slots):
        for item, cleaned in clean_in_order(items, config, config.fingerprint(), pool, slots):
            cleaned = cleaned or Cleaned(error=item.error)
            yield Outcome(item.source, item.output, cleaned.text, cleaned.metadata, cleaned.rules,
                          item.input_sha256, cleaned.error)
