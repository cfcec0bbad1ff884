"""The reader interface: what turns one input (a file, stdin) into the documents it holds."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Iterator

from cleaner.batch.source import DEFAULT_MAX_BYTES, Item, Job


@dataclass(frozen=True)
class ReadOptions:
    """What every reader is told: the size limit of a document, the field holding its text;
    ``skipped`` counts, by kind, the records of an input that are not documents (a WARC's
    requests, say), for the summary."""

    max_bytes: int = DEFAULT_MAX_BYTES
    text_field: str = "text"
    skipped: Counter = field(default_factory=Counter, compare=False)


class Reader(ABC):
    """Reads the :class:`Job` of one input into :class:`Item` documents, in a stable order.

    A reader never raises for a bad input: a file or a record it cannot read becomes an item
    with ``error`` set (one line), and the batch goes on. ``item.input_sha256`` (what resume
    compares) and ``item.identity`` (to clean a file given twice once) are the reader's to set.
    """

    name: ClassVar[str]
    many: ClassVar[bool] = False  # a file holds several documents (so text output needs -o)
    suffixes: ClassVar[tuple[str, ...]] = ()  # the file name endings it reads, for :meth:`accepts`

    def __init__(self, options: ReadOptions | None = None):
        self.options = options or ReadOptions()

    @classmethod
    def accepts(cls, path: Path) -> bool:
        """This reader reads ``path`` (told by its name: by default, one of :attr:`suffixes`)."""
        return bool(cls.suffixes) and path.name.endswith(cls.suffixes)

    @abstractmethod
    def read(self, job: Job) -> Iterator[Item]:
        """The documents of ``job``, lazily."""
