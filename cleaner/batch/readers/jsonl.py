"""JSONL files (``.jsonl``, ``.jsonl.gz``, ``.ndjson``): one document per line, ``{"id", TEXT_FIELD, ...}``."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from pathlib import Path
from typing import IO, Iterator

from cleaner.batch.readers.base import Reader
from cleaner.batch.source import Item, Job, identity
from cleaner.text.language import base_language

SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")


class JsonlReader(Reader):
    """One item per record; a bad line is an error for that line only."""

    name = "jsonl"
    many = True
    suffixes = SUFFIXES

    def read(self, job: Job) -> Iterator[Item]:
        return read_jsonl(job, self.options.max_bytes, self.options.text_field)


def read_jsonl(job: Job, max_bytes: int, text_field: str = "text") -> Iterator[Item]:
    """One item per line of a JSONL file (``.gz`` read as gzip): ``{"id", TEXT_FIELD, ...}``.

    The other fields, and the fields of a ``metadata`` object, become the item's metadata; a
    ``language`` field becomes ``declared_language`` (its primary subtag), which the language
    stage reads.
    A line without a usable id gets ``<file stem>/<line number>``.
    """
    stem = job.output.with_suffix("").as_posix()
    number = 0
    try:
        opener = gzip.open if job.source.name.endswith(".gz") else open
        info = os.stat(job.source)
        with opener(job.source, "rb") as handle:
            for number, line in _lines(handle, max_bytes):
                item = _record(job.source, stem, number, line, text_field, max_bytes)
                item.identity = f"{identity(info)}#{number}"  # a JSONL file given twice
                yield item
    except (OSError, EOFError, zlib.error) as exc:
        where = f"{job.source}:{number + 1}" if number else str(job.source)
        yield Item(where, f"{stem}/{number + 1}",
                   error=f"{where}: cannot read ({getattr(exc, 'strerror', None) or exc})")


def _lines(handle: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, line)`` for the non-blank lines of ``handle``; None for a line longer
    than ``max_bytes`` (skipped, not kept)."""
    number = 0
    while True:
        line = handle.readline(max_bytes + 1)
        number += 1
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = handle.readline(1 << 20)
            yield number, None
        elif line.strip():
            yield number, line


def _record(path: Path, stem: str, number: int, line: bytes | None, text_field: str,
            max_bytes: int) -> Item:
    where = f"{path}:{number}"
    item = Item(where, f"{stem}/{number}")
    if line is None:
        item.error = f"{where}: record too large (limit {max_bytes} bytes), not read"
        return item
    try:
        record = json.loads(line)
    except ValueError as exc:
        item.error = f"{where}: not a JSON record ({exc})"
        return item
    if not isinstance(record, dict) or not isinstance(record.get(text_field), str):
        item.error = f"{where}: no string field {text_field!r} in the record"
        return item
    if isinstance(record.get("id"), (str, int)) and not isinstance(record.get("id"), bool):
        item.id = str(record["id"])
    metadata = record.get("metadata")
    item.metadata = {**{k: v for k, v in record.items() if k not in ("id", text_field, "metadata")},
                     **(metadata if isinstance(metadata, dict) else {})}
    if "language" in item.metadata and "declared_language" not in item.metadata:
        item.metadata["declared_language"] = base_language(item.metadata.pop("language"))
    item.data = record[text_field]
    item.input_sha256 = hashlib.sha256(line.rstrip(b"\r\n")).hexdigest()
    return item
