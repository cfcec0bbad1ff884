"""The batch: inputs in, outputs, manifest and journal out, in input order, resumable.

The loop knows no format: for each input, in order, it claims it (a read error, a file given
twice, an id another input already took, an input the writer refuses are settled here), asks the
writer (:mod:`cleaner.batch.writers`) whether its output is up to date, sends the rest to the
workers, and records what the writer wrote in the manifest and the journal. Results are written
as they come back, in input order, so the bytes do not depend on the number of workers.
"""
from __future__ import annotations

import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from cleaner.batch.atomic import AtomicLines, Durability
from cleaner.batch.journal import Journal
from cleaner.batch.pool import executor, fit_workers
from cleaner.batch.report import Events, Summary
from cleaner.batch.samples import Samples
from cleaner.batch.source import Item
from cleaner.batch.workers import Cleaned, clean_in_order
from cleaner.batch.writers import Entry, Options, Writer, writer_for
from cleaner.config import Config
from cleaner.errors import OutputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, one run per folder is up to the user
    fcntl = None  # type: ignore[assignment]

STATE_DIR = ".cleaner"
SAMPLES = "samples.json"  # in STATE_DIR: the first snippets of each rule, for ``cleaner report``

__all__ = ["Batch", "Options", "STATE_DIR"]


@dataclass
class _GroupEnd:
    """The last input of group number ``group`` went by: the writer may commit it."""

    group: int


class Batch:
    """One run of ``cleaner clean`` over ``items``, writing where ``options`` say."""

    def __init__(self, config: Config, options: Options, events: Events | None = None):
        self.config, self.options = config, options
        self.events = events or Events()
        self.fingerprint = config.fingerprint()
        self.summary = Summary()
        self.outdir = options.outdir
        self.tmpdir: Path | None = None
        self.writer: Writer | None = None
        self.manifest: AtomicLines | None = None
        self.samples = Samples()

    def run(self, items: Iterable[Item]) -> Summary:
        """Clean every item; commit the outputs, the manifest and the journal when all went through."""
        start = time.monotonic()
        state = self.outdir / STATE_DIR if self.outdir else None
        lock = None
        with _guard_output(str(state or "<journal>")):
            lock = self._prepare(state) if state else None
            self.journal = Journal(state / "journal.sqlite" if state else None, Durability(self.options.fsync))
            self.manifest = (AtomicLines(self.outdir / "manifest.jsonl", self.tmpdir, self.journal.durability)
                             if self.outdir else None)
        try:
            self._check_inputs()
            with _guard_output(str(self.outdir or "<stdout>")):
                self.writer = writer_for(self.options)(self.options, self.journal, self.fingerprint, self.tmpdir)
                plan, jobs = fit_workers(self._plan(items), self.options.jobs, _needs_cleaning)
                with executor(jobs, self.options.scheduler) as (pool, slots):
                    for entry, cleaned in clean_in_order(plan, self.config, self.fingerprint, pool, slots,
                                                         self._stage_dir(), self.options.fsync):
                        self._settle(entry, cleaned)
                self._finish()
        finally:
            self._close(lock)
            self.summary.seconds = time.monotonic() - start
        return self.summary

    def _stage_dir(self) -> str | None:
        """Where local workers write the texts they make, if the writer places such files (a
        cluster may not share this file system: there, this process writes)."""
        local = self.options.scheduler is None and self.writer.stages
        return str(self.tmpdir) if local and self.tmpdir else None

    def _prepare(self, state: Path) -> Any:
        """Create OUTDIR/.cleaner, take its lock (one run per folder), and empty its tmp folder
        of what a killed run left."""
        state.mkdir(parents=True, exist_ok=True)
        lock = open(state / "lock", "w")
        if fcntl is not None:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                lock.close()
                raise OutputError("another cleaner run is writing to this folder", str(self.outdir)) from None
        self.tmpdir = state / "tmp"
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        self.tmpdir.mkdir()
        return lock

    def _check_inputs(self) -> None:
        """Refuse, unless ``--force``, a run that does not take every path an earlier run whose
        output is here was given: it would drop that output (documents of JSONL files, files
        from the manifest). A run that adds paths, or is given a folder of an earlier file, goes on."""
        if not self.outdir or not self.options.inputs:
            return
        given = [Path(path) for path in self.options.inputs]
        earlier, count = self.journal.earlier_inputs()
        others = sorted(path for path in earlier
                        if not any(root == Path(path) or root in Path(path).parents for root in given))
        if others and count and not self.options.force:
            raise OutputError(f"holds the output of an earlier run over {', '.join(others)} ({count} input(s)), "
                              "not given to this run, which would drop it; add --force to replace it, "
                              "or write to another folder", str(self.outdir))
        self.journal.record_inputs(self.options.inputs)

    def _close(self, lock: Any) -> None:
        """Drop what was not committed (after an interruption), close the journal and the lock."""
        if self.writer:
            self.writer.close()
        if self.manifest:
            self.manifest.discard()
        self.journal.close()
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)  # texts staged but not placed
        if lock is not None:
            lock.close()

    # --- planning: decide, in input order, what to clean -------------------------------------

    def _plan(self, items: Iterable[Item]) -> Iterator[Item | Entry | _GroupEnd]:
        """Items to clean (or failed already), entries settled without cleaning, group ends."""
        for number, group in enumerate(self.writer.groups(items)):
            for entry in self.writer.decide((self._claim(item) for item in group), number):
                settled = entry.kept or entry.duplicate_of is not None
                yield entry if settled else entry.item
            yield _GroupEnd(number)

    def _claim(self, item: Item) -> Entry:
        """A file given twice is cleaned once; an id another input took, or one the writer
        refuses, is an error; the journal's record of an earlier run comes along."""
        if item.identity:
            first = self.journal.claim_file(item.identity, item.source)
            if first is not None:
                return Entry(item, duplicate_of=first)
        if item.error is None:
            item.error = self.writer.refuse(item)
        if item.error is None:
            first = self.journal.claim_id(item.id, item.source)
            if first is not None:
                item.error = (f"{item.source}: same output as {first} (id {item.id!r}); "
                              "not written, rename one of them")
        found = None if self.options.force else self.journal.lookup_with_run(item.source)
        return Entry(item, None, *(found or (None, None)))

    # --- writing: settle each entry, in input order -------------------------------------------

    def _settle(self, entry: Item | Entry | _GroupEnd, cleaned: Cleaned | None) -> None:
        if isinstance(entry, _GroupEnd):
            self.writer.end(entry.group)
            self.journal.commit()
        elif isinstance(entry, Entry):
            self._settle_entry(entry)
            self.events.tick()
        else:
            self._settle_item(entry, cleaned or Cleaned(error=entry.error))
            self.events.tick()

    def _settle_entry(self, entry: Entry) -> None:
        """An input given twice, or one whose output is up to date."""
        source = entry.item.source
        if entry.duplicate_of is not None:
            self.summary.duplicates += 1
            self.events.info(f"{source}: same file as {entry.duplicate_of}, cleaned once")
            return
        fields = self.writer.keep(entry)
        record = {**entry.previous, **fields}
        if fields:
            self.journal.record(source, record)
        else:
            self.journal.keep(source)
        self._record(record)
        if record["error"]:  # a failure kept in an up-to-date shard still counts
            self.summary.failed += 1
            self.events.error(record["error"])
        else:
            self.summary.up_to_date += 1
            self.events.info(f"{source}: up to date")

    def _settle_item(self, item: Item, cleaned: Cleaned) -> None:
        """An input cleaned (or failed): write it, and record where."""
        record = {"source": item.source, "id": item.id, "output": None, "input_sha256": item.input_sha256,
                  "config": self.fingerprint, "metadata": cleaned.metadata, "rules": cleaned.rules,
                  "error": cleaned.error}
        if cleaned.error is None:
            record["removed_chars"] = cleaned.removed
            self.samples.add(item.source, cleaned.samples)
            record.update(self.writer.write(item, cleaned))
            self.summary.cleaned += 1
            self.events.info(f"{item.source} -> {record['output'] or 'stdout'} "
                             f"({cleaned.metadata.get('language')})")
        else:
            self.summary.failed += 1
            self.events.error(cleaned.error)
        self.journal.record(item.source, record)
        self._record(record)

    def _record(self, record: dict[str, Any]) -> None:
        if record["error"] is None:
            self.summary.languages[record["metadata"].get("language", "und")] += 1
            self.summary.rules.update(record["rules"])
        if self.manifest:
            self.manifest.write(record)

    def _finish(self) -> None:
        if self.manifest:
            self.manifest.commit()
            self.manifest = None
        if self.outdir:
            for name in list(self.journal.stale_outputs()):
                (self.outdir / name).unlink(missing_ok=True)
            samples = self.outdir / STATE_DIR / SAMPLES
            self.samples.merge(samples)
            self.samples.save(samples, self.tmpdir)
        self.journal.finish()
        self.writer.finish()


def _needs_cleaning(entry: Item | Entry | _GroupEnd) -> bool:
    return isinstance(entry, Item) and entry.error is None


class _guard_output:
    """Turn a failure to write (disk full, read-only folder) into a one-line OutputError."""

    def __init__(self, where: str):
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: BaseException | None, _tb: Any) -> None:
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            target = exc.filename or self.where
            raise OutputError(f"cannot write ({exc.strerror or exc})", str(target)) from exc
        if isinstance(exc, sqlite3.Error):
            raise OutputError(f"cannot write the journal ({exc})", self.where) from None
