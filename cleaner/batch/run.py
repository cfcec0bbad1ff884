"""The batch: inputs in, outputs, manifest and journal out, in input order, resumable.

For each input, in order: a read error, a file given twice, or an id another input already
took is settled here; an input whose output is up to date (same input SHA-256, same config
fingerprint, output present) is skipped; the rest go to the workers. Results are written as
they come back, in input order, so the bytes do not depend on the number of workers.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from cleaner.config import Config
from cleaner.errors import OutputError
from cleaner.batch.journal import Journal
from cleaner.batch.sink import AtomicLines, PreviousStream, atomic_write, json_line, place, shard_name
from cleaner.batch.source import Item
from cleaner.batch.report import Events, Summary
from cleaner.batch.workers import Cleaned, clean_in_order, executor

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, one run per folder is up to the user
    fcntl = None  # type: ignore[assignment]

STATE_DIR = ".cleaner"
SHARD_BYTES = 64 << 20  # a shard also ends when its inputs reach this size, bounding memory


@dataclass
class Options:
    outdir: Path | None = None
    fmt: str = "text"  # "text" or "jsonl"
    shard_size: int = 0  # documents per JSONL shard; 0 = one documents.jsonl
    compress: bool = False
    force: bool = False
    jobs: int = 1
    scheduler: str | None = None


@dataclass
class _Settled:
    """An input decided without cleaning: a manifest ``record`` to reuse, or a ``duplicate_of``."""

    item: Item
    record: dict[str, Any] | None = None
    duplicate_of: str | None = None
    copied: bool = False  # its line is copied from the previous documents.jsonl


@dataclass
class _ShardEnd:
    name: str
    members: str
    kept: bool = False  # the shard was up to date and left as it was


class Batch:
    """One run of ``cleaner clean`` over ``items``, writing where ``options`` say."""

    def __init__(self, config: Config, options: Options, events: Events | None = None):
        self.config, self.options = config, options
        self.events = events or Events()
        self.fingerprint = config.fingerprint()
        self.summary = Summary()
        self.outdir = options.outdir
        self.sharded = options.fmt == "jsonl" and self.outdir is not None
        self._shard: AtomicLines | None = None
        self._shards_done = 0
        self._previous: PreviousStream | None = None
        self.tmpdir: Path | None = None

    def run(self, items: Iterable[Item]) -> Summary:
        """Clean every item; commit the outputs, the manifest and the journal when all went through."""
        start = time.monotonic()
        state = self.outdir / STATE_DIR if self.outdir else None
        lock = None
        with _guard_output(state or Path("<journal>")):
            lock = self._prepare(state) if state else None
            self.journal = Journal(state / "journal.sqlite" if state else None)
            self.manifest = AtomicLines(self.outdir / "manifest.jsonl", self.tmpdir) if self.outdir else None
        try:
            with _guard_output(self.outdir or Path("<stdout>")):
                with executor(self.options.jobs, self.options.scheduler) as (pool, slots):
                    for entry, cleaned in clean_in_order(self._plan(items), self.config, self.fingerprint,
                                                         pool, slots, self._stage_dir()):
                        self._settle(entry, cleaned)
                self._finish()
        finally:
            for stream in (self._shard, self.manifest):
                if stream:
                    stream.discard()
            if self._previous:
                self._previous.close()
            self.journal.close()
            if self.tmpdir:
                shutil.rmtree(self.tmpdir, ignore_errors=True)  # texts staged but not placed
            if lock is not None:
                lock.close()
            self.summary.seconds = time.monotonic() - start
        return self.summary

    def _stage_dir(self) -> str | None:
        """Where local workers write the text files they make (the batch process renames them
        into place, in input order); None when this process writes (JSONL, stdout, a cluster
        that may not share this file system)."""
        local = self.options.scheduler is None and self.options.fmt == "text"
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

    # --- planning: decide, in input order, what to clean -------------------------------------

    def _plan(self, items: Iterable[Item]) -> Iterator[Item | _Settled | _ShardEnd]:
        if not self.sharded:
            for item in items:
                yield self._decide(item)
            return
        if self.options.shard_size <= 0:
            name = shard_name(None, self.options.compress)
            recorded = self.journal.shard_members(name)
            self._previous = None if self.options.force else PreviousStream.find(self.outdir / name, recorded)
            yield from (self._decide_in_stream(item) for item in items)
            yield _ShardEnd(name, "")
            return
        for index, group in enumerate(_groups(items, self.options.shard_size)):
            yield from self._plan_shard(shard_name(index, self.options.compress), group)

    def _plan_shard(self, name: str, group: list[Item]) -> Iterator[Item | _Settled | _ShardEnd]:
        entries = [self._claim(item) for item in group]
        digest = hashlib.sha256(self.fingerprint.encode())
        for entry in entries:
            item = entry.item if isinstance(entry, _Settled) else entry
            status = entry.duplicate_of if isinstance(entry, _Settled) else item.error
            digest.update(f"{item.source}\0{item.input_sha256}\0{status}\n".encode())
        members = digest.hexdigest()
        previous = [self.journal.lookup(e.source) for e in entries if isinstance(e, Item)]
        if (not self.options.force and self.journal.shard_members(name) == members
                and (self.outdir / name).is_file() and all(previous)):
            records = iter(previous)
            for entry in entries:
                yield entry if isinstance(entry, _Settled) else _Settled(entry, next(records))
            self.journal.record_shard(name, members)
            yield _ShardEnd(name, members, kept=True)
            return
        yield from entries
        yield _ShardEnd(name, members)

    def _claim(self, item: Item) -> Item | _Settled:
        """A file given twice is cleaned once; an id another input took is an error."""
        if item.identity:
            first = self.journal.claim_file(item.identity, item.source)
            if first is not None:
                return _Settled(item, duplicate_of=first)
        if item.error is None:
            if self.outdir and not self.sharded and item.output is None:
                item.error = f"{item.source}: id {item.id!r} is not a safe file name inside the output folder"
            else:
                first = self.journal.claim_id(item.id, item.source)
                if first is not None:
                    item.error = (f"{item.source}: same output as {first} (id {item.id!r}); "
                                  "not written, rename one of them")
        return item

    def _decide(self, item: Item) -> Item | _Settled:
        entry = self._claim(item)
        if isinstance(entry, _Settled) or entry.error or not self.outdir or self.options.force:
            return entry
        record = self.journal.lookup(item.source)
        if (record and self._current(record, item) and record["output"] == item.output
                and (self.outdir / item.output).is_file()):
            return _Settled(item, record)
        return entry

    def _current(self, record: dict[str, Any], item: Item) -> bool:
        """The record is of a cleaning of these very input bytes with this configuration."""
        return (record["error"] is None and record["input_sha256"] == item.input_sha256
                and record["config"] == self.fingerprint)

    def _decide_in_stream(self, item: Item) -> Item | _Settled:
        """An input of a single documents.jsonl is up to date when its line in the previous
        stream (the one the journal says it wrote, unchanged since) can be copied as it is."""
        entry = self._claim(item)
        previous = self._previous
        if isinstance(entry, _Settled) or entry.error or previous is None:
            return entry
        found = self.journal.lookup_with_run(item.source)
        if found is None:
            return entry
        record, run = found
        if run == previous.run and self._current(record, item) and record.get("line", 0) > previous.planned:
            previous.planned = record["line"]  # lines are copied in order, reading the old file once
            return _Settled(item, record, copied=True)
        return entry

    # --- writing: settle each entry, in input order -------------------------------------------

    def _settle(self, entry: Item | _Settled | _ShardEnd, cleaned: Cleaned | None) -> None:
        if isinstance(entry, _ShardEnd):
            self._shards_done += 1
            if entry.kept:
                return
            shard = self._shard or AtomicLines(self.outdir / entry.name, self.tmpdir)
            self._shard = None
            shard.commit()
            members = entry.members or PreviousStream.signature(shard.path, self.journal.run)
            self.journal.record_shard(entry.name, members)
            self.journal.commit()
            return
        if isinstance(entry, _Settled):
            if entry.duplicate_of is not None:
                self.summary.duplicates += 1
                self.events.info(f"{entry.item.source}: same file as {entry.duplicate_of}, cleaned once")
            else:
                if entry.copied:
                    self._copy_line(entry)
                else:
                    self.journal.keep(entry.item.source)
                self._record(entry.record)
                if entry.record["error"]:  # a failure kept in an up-to-date shard still counts
                    self.summary.failed += 1
                    self.events.error(entry.record["error"])
                else:
                    self.summary.up_to_date += 1
                    self.events.info(f"{entry.item.source}: up to date")
            self.events.tick()
            return
        item = entry
        cleaned = cleaned or Cleaned(error=item.error)
        output = None
        if cleaned.error is None:
            output = self._write(item, cleaned)
            self.summary.cleaned += 1
            self.events.info(f"{item.source} -> {output or 'stdout'} ({cleaned.metadata.get('language')})")
        else:
            self.summary.failed += 1
            self.events.error(cleaned.error)
        record = {"source": item.source, "output": output, "input_sha256": item.input_sha256,
                  "config": self.fingerprint, "metadata": cleaned.metadata, "rules": cleaned.rules,
                  "error": cleaned.error}
        if output and self.sharded:
            record["line"] = self._shard.lines  # where in the JSONL file, counting from 1
        if self.outdir:
            self.journal.record(item.source, record)
        self._record(record)
        self.events.tick()

    def _write(self, item: Item, cleaned: Cleaned) -> str | None:
        text = cleaned.text or ""
        if self.options.fmt == "jsonl":
            document = {"id": item.id, "text": text, "metadata": cleaned.metadata}
            if not self.outdir:
                sys.stdout.buffer.write(json_line(document).encode("utf-8"))
                return None
            self._open_shard().write(document)
            return self._shard.path.name
        if not self.outdir:
            sys.stdout.buffer.write(text.encode("utf-8"))
            return None
        target = self.outdir / item.output
        if item.identity and _identity(target) == item.identity:
            raise OutputError(f"{item.source} would be overwritten by its own output; "
                              "choose another output folder", str(target))
        if cleaned.staged:
            place(cleaned.staged, target)
        else:
            atomic_write(target, text.encode("utf-8"), self.tmpdir)
        return item.output

    def _open_shard(self) -> AtomicLines:
        if self._shard is None:
            self._shard = AtomicLines(self.outdir / self._next_shard_name(), self.tmpdir)
        return self._shard

    def _copy_line(self, entry: _Settled) -> None:
        """Copy an up-to-date input's line from the previous documents.jsonl into the new one."""
        shard = self._open_shard()
        shard.write_line(self._previous.line(entry.record["line"], entry.item.id))
        entry.record = {**entry.record, "line": shard.lines}
        self.journal.record(entry.item.source, entry.record)

    def _next_shard_name(self) -> str:
        """The shard now being filled: the name that the next _ShardEnd will carry."""
        index = self._shards_done if self.options.shard_size > 0 else None
        return shard_name(index, self.options.compress)

    def _record(self, record: dict[str, Any] | None) -> None:
        if record is None:
            return
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
            for name in list(self.journal.stale_shards()):
                (self.outdir / name).unlink(missing_ok=True)
        self.journal.finish()
        if not self.outdir:
            sys.stdout.flush()


def _groups(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Consecutive items, ``size`` at a time (fewer when their bytes reach SHARD_BYTES)."""
    group: list[Item] = []
    held = 0
    for item in items:
        group.append(item)
        held += len(item.data or "")
        if len(group) >= size or held >= SHARD_BYTES:
            yield group
            group, held = [], 0
    if group:
        yield group


def _identity(path: Path) -> str | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return f"{info.st_dev}:{info.st_ino}"


class _guard_output:
    """Turn a failure to write (disk full, read-only folder) into a one-line OutputError."""

    def __init__(self, where: Path):
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: BaseException | None, _tb: Any) -> None:
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            target = exc.filename or self.where
            raise OutputError(f"cannot write ({exc.strerror or exc})", str(target)) from None
        if isinstance(exc, sqlite3.Error):
            raise OutputError(f"cannot write the journal ({exc})", str(self.where)) from None
