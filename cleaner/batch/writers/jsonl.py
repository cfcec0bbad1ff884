"""``--format jsonl -o OUTDIR``: one ``documents.jsonl`` (``.gz`` with ``--gzip``) of
``{"id", "text", "metadata"}`` records. A re-run writes it anew, copying the lines of the inputs
still up to date from the previous one (:class:`PreviousStream`), if that file is still the one
the journal says a finished run wrote; the other inputs are cleaned."""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from cleaner.batch.atomic import AtomicLines
from cleaner.batch.source import Item
from cleaner.batch.workers import Cleaned
from cleaner.batch.writers.base import Entry, Options, Writer, document
from cleaner.errors import OutputError


def jsonl_name(index: int | None, compress: bool) -> str:
    """``documents.jsonl`` (one stream) or ``documents-00003.jsonl``; ``.gz`` when compressed.

    >>> jsonl_name(None, False), jsonl_name(3, True)
    ('documents.jsonl', 'documents-00003.jsonl.gz')
    """
    stem = "documents" if index is None else f"documents-{index:05d}"
    return f"{stem}.jsonl" + (".gz" if compress else "")


class JsonlStream(Writer):
    """Every record in one file, committed when the run ends."""

    name = "jsonl"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.path = self.outdir / jsonl_name(None, self.options.compress)
        recorded = self.journal.output_signature(self.path.name)
        self.previous = None if self.options.force else PreviousStream.find(self.path, recorded)
        self.file: AtomicLines | None = None

    @classmethod
    def accepts(cls, options: Options) -> bool:
        return options.fmt == "jsonl" and options.outdir is not None and options.shard_size <= 0

    def decide(self, entries: Iterable[Entry], group: int) -> Iterator[Entry]:
        """An input is up to date when its line in the previous stream can be copied as it is
        (lines are copied in order, reading the old file once)."""
        previous = self.previous
        for entry in entries:
            line = entry.previous.get("line", 0) if entry.previous else 0
            if previous and entry.run == previous.run and self.current(entry) and line > previous.planned:
                previous.planned = line
                entry.kept = True
            yield entry

    def keep(self, entry: Entry) -> dict[str, Any]:
        """Copy the input's line from the previous stream into the new one."""
        self.open().write_line(self.previous.line(entry.previous["line"], entry.item.id))
        return {"line": self.file.lines}

    def write(self, item: Item, cleaned: Cleaned) -> dict[str, Any]:
        self.open().write(document(item, cleaned))
        return {"output": self.file.path.name, "line": self.file.lines}  # the line from 1

    def open(self) -> AtomicLines:
        if self.file is None:
            self.file = AtomicLines(self.path, self.tmpdir, self.durability)
        return self.file

    def end(self, group: int) -> None:
        """Commit the stream, and record the signature of what this run wrote; a run that gave
        no document writes no file (and removes the previous one, whose inputs all failed now)."""
        file, self.file = self.file, None
        if file is None:
            self.path.unlink(missing_ok=True)
            self.journal.record_output(self.path.name, "empty")
            return
        file.commit()
        self.journal.record_output(self.path.name, PreviousStream.signature(self.path, self.journal.run))

    def close(self) -> None:
        if self.file:
            self.file.discard()
        if self.previous:
            self.previous.close()


class PreviousStream:
    """The documents.jsonl an earlier run committed, read once, in order, to copy lines from.

    The batch's journal keeps the run that wrote it and its size and modification time then
    (:meth:`signature`); a file changed since, or records from a run that did not commit it
    (one killed midway), are not used: those inputs are cleaned again."""

    def __init__(self, path: Path, run: int):
        self.path, self.run = path, run
        self.planned = 0  # the last line the plan chose to copy
        self._file: IO[bytes] | None = None
        self._at = 0

    @staticmethod
    def signature(path: Path, run: int) -> str:
        info = os.stat(path)
        return f"{run}:{info.st_size}:{info.st_mtime_ns}"

    @classmethod
    def find(cls, path: Path, recorded: str | None) -> "PreviousStream | None":
        """The stream at ``path`` if it is still the one whose :meth:`signature` was ``recorded``."""
        run = (recorded or "").partition(":")[0]
        if not run.isdigit() or not path.is_file() or cls.signature(path, int(run)) != recorded:
            return None
        return cls(path, int(run))

    def line(self, number: int, id: str) -> bytes:
        """Line ``number`` (from 1; never one before the last asked for) of the previous stream,
        which must be the record of ``id``."""
        if self._file is None:
            self._file = gzip.open(self.path) if self.path.name.endswith(".gz") else open(self.path, "rb")
        line = b""
        while self._at < number:
            line = self._file.readline()
            self._at += 1
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if not isinstance(record, dict) or record.get("id") != id:
            raise OutputError(f"changed since the last run (line {number} is not the record of {id!r}); "
                              "run again with --force", str(self.path))
        return line

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


