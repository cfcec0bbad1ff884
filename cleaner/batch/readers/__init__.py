"""Input formats, one module each, chosen here: the first reader of :data:`READERS` that accepts
a path reads it. A new format is a :class:`Reader` in a module of its own plus a line below."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from cleaner.batch.readers.base import Reader, ReadOptions
from cleaner.batch.readers.files import FileReader
from cleaner.batch.readers.jsonl import JsonlReader
from cleaner.batch.readers.stdin import StdinReader
from cleaner.batch.readers.warc import WarcReader
from cleaner.batch.source import DEFAULT_MAX_BYTES, Item, Job

READERS: list[type[Reader]] = [
    StdinReader,
    JsonlReader,
    WarcReader,
    FileReader,  # last: it takes any file
]


def reader_for(path: Path) -> type[Reader]:
    """The reader of ``path``: the first of :data:`READERS` that accepts it."""
    return next(reader for reader in READERS if reader.accepts(path))


def read_items(jobs: Iterable[Job], max_bytes: int = DEFAULT_MAX_BYTES,
               text_field: str = "text", skipped: Counter | None = None) -> Iterator[Item]:
    """The documents of each job, read lazily by the reader of its path; records that are not
    documents are counted by kind in ``skipped``."""
    options = ReadOptions(max_bytes, text_field, Counter() if skipped is None else skipped)
    readers: dict[type[Reader], Reader] = {}
    for job in jobs:
        if job.error:
            yield Item(str(job.source), job.output.as_posix(), error=job.error)
            continue
        kind = reader_for(job.source)
        reader = readers.get(kind) or readers.setdefault(kind, kind(options))
        yield from reader.read(job)


__all__ = ["READERS", "ReadOptions", "Reader", "read_items", "reader_for"]
