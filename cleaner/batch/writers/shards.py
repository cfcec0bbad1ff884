"""``--format jsonl -o OUTDIR --shard-size N``: ``documents-00000.jsonl``, … of N inputs each (or
fewer, when their bytes reach :data:`SHARD_BYTES`). A shard is the unit of resume: one whose
inputs (sources, input hashes, failures) and configuration are those of the shard on disk is left
as it is; any other is written again whole. A shard none of whose inputs gave a document (all
failed) is not written: no shard is ever empty, and the numbers of the others stay as they were."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Iterable, Iterator

from cleaner.batch.atomic import AtomicLines
from cleaner.batch.source import Item
from cleaner.batch.workers import Cleaned
from cleaner.batch.writers.base import Entry, Options, Writer, document
from cleaner.batch.writers.jsonl import jsonl_name

SHARD_BYTES = 64 << 20  # a shard also ends when its inputs reach this size, bounding memory
EMPTY = "empty:"  # the journal's signature of a shard left unwritten, before its members


class JsonlShards(Writer):
    """Records in shards of ``--shard-size`` inputs, each committed when its last input is written."""

    name = "jsonl"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.planned: dict[int, tuple[str, bool]] = {}  # group -> (members, kept), until it ends
        self.file: AtomicLines | None = None

    @classmethod
    def accepts(cls, options: Options) -> bool:
        return options.fmt == "jsonl" and options.outdir is not None and options.shard_size > 0

    def shard_name(self, index: int) -> str:
        """The file name of shard number ``index``."""
        return jsonl_name(index, self.options.compress)

    def open_shard(self, path: Path) -> AtomicLines:
        """The shard file at ``path``, written atomically (``write``, ``lines``, ``commit``, ``discard``)."""
        return AtomicLines(path, self.tmpdir, self.durability)

    def groups(self, items: Iterable[Item]) -> Iterator[list[Item]]:
        """Consecutive items, ``shard_size`` at a time (fewer when their bytes reach SHARD_BYTES;
        a shard size of 0 sets no number)."""
        group: list[Item] = []
        held = 0
        size = self.options.shard_size or float("inf")
        for item in items:
            group.append(item)
            held += len(item.data or "")
            if len(group) >= size or held >= SHARD_BYTES:
                yield group
                group, held = [], 0
        if group:
            yield group

    def decide(self, entries: Iterable[Entry], group: int) -> Iterator[Entry]:
        """All or nothing: the shard is kept when its members are those recorded with it, it is
        there, and every input it holds has its record."""
        entries = list(entries)
        digest = hashlib.sha256(self.fingerprint.encode())
        for entry in entries:
            status = entry.duplicate_of if entry.duplicate_of is not None else entry.item.error
            digest.update(f"{entry.item.source}\0{entry.item.id}\0{entry.item.input_sha256}\0{status}\n".encode())
        members = digest.hexdigest()
        name = self.shard_name(group)
        inputs = [entry for entry in entries if entry.duplicate_of is None]
        recorded, present = self.journal.output_signature(name), (self.outdir / name).is_file()
        kept = (not self.options.force and all(entry.previous for entry in inputs)
                and (recorded == members and present or recorded == EMPTY + members and not present))
        for entry in inputs:
            entry.kept = kept
        self.planned[group] = (members, kept)
        return iter(entries)

    def write(self, item: Item, cleaned: Cleaned) -> dict[str, Any]:
        if self.file is None:
            self.file = self.open_shard(self.outdir / self.shard_name(min(self.planned)))
        self.file.write(self.record(item, cleaned))
        return {"output": self.file.path.name, "line": self.file.lines}  # the line from 1

    def record(self, item: Item, cleaned: Cleaned) -> dict[str, Any]:
        """The record written for ``item``."""
        return document(item, cleaned)

    def end(self, group: int) -> None:
        """Commit the shard (unless it was kept as it was, or holds nothing) and record its members."""
        members, kept = self.planned.pop(group)
        name = self.shard_name(group)
        file, self.file = self.file, None
        if kept:
            members = self.journal.output_signature(name) or members
        elif file is not None:
            file.commit()
        else:  # every input failed: no empty shard, and none of an earlier run under this name
            (self.outdir / name).unlink(missing_ok=True)
            members = EMPTY + members
        self.journal.record_output(name, members)

    def close(self) -> None:
        if self.file:
            self.file.discard()
