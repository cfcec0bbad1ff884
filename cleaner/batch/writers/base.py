"""The writer interface: where cleaned documents go, what of it is up to date, how it is grouped.

The batch loop claims each input, asks the writer, sends what is not up to date to the workers
and records what the writer says it wrote; it knows no format. A writer decides, given the
journal's record of an input from an earlier run, whether its output is still there and current
(:meth:`Writer.decide`), groups inputs if its files hold several (:meth:`Writer.groups`), writes
a cleaned document and returns the manifest fields saying where (:meth:`Writer.write`), and
re-emits an up-to-date one (:meth:`Writer.keep`).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Iterable, Iterator

from cleaner.batch.journal import Journal
from cleaner.batch.source import Item
from cleaner.batch.workers import Cleaned
from cleaner.document import complete_metadata


@dataclass
class Options:
    """How ``cleaner clean`` writes: the format, the output folder, and how the batch runs."""

    outdir: Path | None = None
    fmt: str = "text"  # a writer's name: "text" or "jsonl"
    shard_size: int = 0  # documents per JSONL shard; 0 = one documents.jsonl
    compress: bool = False
    force: bool = False
    jobs: int = 1
    scheduler: str | None = None
    inputs: tuple[str, ...] = ()  # the paths given, absolute: what the journal compares across runs
    fsync: bool = False  # outputs and journal on the disk before an input is recorded done


@dataclass
class Entry:
    """One input as the batch planned it: claimed, with the journal's record of an earlier run."""

    item: Item
    duplicate_of: str | None = None  # the same file was read before as this source: not cleaned
    previous: dict[str, Any] | None = None  # the manifest record an earlier run left for it
    run: int | None = None  # the run that wrote or last kept ``previous``
    kept: bool = False  # up to date: ``previous`` stands and nothing is cleaned


class Writer(ABC):
    """One output format at one destination; :mod:`cleaner.batch.writers` chooses it."""

    name: ClassVar[str]  # the --format it writes
    stages: ClassVar[bool] = False  # local workers may write each text to a file it places

    def __init__(self, options: Options, journal: Journal, fingerprint: str, tmpdir: Path | None = None):
        self.options, self.journal, self.fingerprint, self.tmpdir = options, journal, fingerprint, tmpdir
        self.outdir = options.outdir
        self.durability = journal.durability

    @classmethod
    def accepts(cls, options: Options) -> bool:
        """This writer writes what ``options`` ask for."""
        return False

    def groups(self, items: Iterable[Item]) -> Iterator[Iterable[Item]]:
        """The inputs in groups, each written (and up to date) as a whole; default: one group."""
        yield items

    def refuse(self, item: Item) -> str | None:
        """Why ``item`` cannot be written here (one line), or None."""
        return None

    def decide(self, entries: Iterable[Entry], group: int) -> Iterator[Entry]:
        """``entries`` of group number ``group``, in order, those up to date marked ``kept``."""
        for entry in entries:
            entry.kept = self.up_to_date(entry)
            yield entry

    def up_to_date(self, entry: Entry) -> bool:
        """The output of ``entry`` is there and current: it need not be cleaned again."""
        return False

    def current(self, entry: Entry) -> bool:
        """The journal's record is of a cleaning of these very input bytes, under the same id,
        with this configuration."""
        record, item = entry.previous, entry.item
        return (record is not None and entry.duplicate_of is None and item.error is None
                and record["error"] is None and record["input_sha256"] == item.input_sha256
                and record.get("id") == item.id and record["config"] == self.fingerprint)

    def keep(self, entry: Entry) -> dict[str, Any]:
        """Re-emit the output of an up-to-date ``entry``; the manifest fields that changed."""
        return {}

    @abstractmethod
    def write(self, item: Item, cleaned: Cleaned) -> dict[str, Any]:
        """Write one cleaned document; the manifest fields saying where (``output``, ``line``)."""

    def end(self, group: int) -> None:
        """Every input of group number ``group`` went through ``write`` or ``keep``."""

    def finish(self) -> None:
        """Every group went through."""

    def close(self) -> None:
        """Release what is held; what is not finished is dropped (after an interruption)."""


def document(item: Item, cleaned: Cleaned) -> dict[str, Any]:
    """The datatrove / dolma / HF datasets record: ``id``, ``text``, ``metadata`` (with the same
    keys in every record: :func:`cleaner.document.complete_metadata`)."""
    return {"id": item.id, "text": cleaned.text or "", "metadata": complete_metadata(cleaned.metadata)}
