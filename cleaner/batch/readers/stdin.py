"""``-``: standard input, read whole, as one document (``id`` ``-``, named ``<stdin>`` in errors)."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Iterator

from cleaner.batch.readers.base import Reader
from cleaner.batch.source import Item, Job


class StdinReader(Reader):
    """All of stdin as one document, without a size limit (a pipe's size is not known ahead)."""

    name = "stdin"

    @classmethod
    def accepts(cls, path: Path) -> bool:
        return str(path) == "-"

    def read(self, job: Job) -> Iterator[Item]:
        data = sys.stdin.buffer.read()
        yield Item("<stdin>", "-", data=data, input_sha256=hashlib.sha256(data).hexdigest())
