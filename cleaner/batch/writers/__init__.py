"""Output formats, one module each, chosen here: the first writer of :data:`WRITERS` that
accepts the options writes. A new format is a :class:`Writer` in a module of its own plus a line
below; ``--format`` offers the names of the writers listed."""
from __future__ import annotations

from cleaner.batch.writers.base import Entry, Options, Writer
from cleaner.batch.writers.jsonl import JsonlStream
from cleaner.batch.writers.parquet import ParquetShards
from cleaner.batch.writers.shards import JsonlShards
from cleaner.batch.writers.stdout import JsonlStdout, TextStdout
from cleaner.batch.writers.textfiles import TextFiles

WRITERS: list[type[Writer]] = [
    TextFiles,
    TextStdout,
    JsonlShards,
    JsonlStream,
    JsonlStdout,
    ParquetShards,
]


def formats() -> list[str]:
    """The ``--format`` names, in the order of :data:`WRITERS`."""
    return list(dict.fromkeys(writer.name for writer in WRITERS))


def writer_for(options: Options) -> type[Writer]:
    """The writer of what ``options`` ask for: the first of :data:`WRITERS` that accepts them."""
    return next(writer for writer in WRITERS if writer.accepts(options))


__all__ = ["WRITERS", "Entry", "Options", "Writer", "formats", "writer_for"]
