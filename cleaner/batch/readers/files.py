"""A file is one document: its bytes (text or an HTML page, compressed or not)."""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Iterator

from cleaner.batch.readers.base import Reader
from cleaner.batch.source import Item, Job, identity


class FileReader(Reader):
    """The whole file as one document; the reader of any file no other reader takes."""

    name = "file"

    @classmethod
    def accepts(cls, path: Path) -> bool:
        return True

    def read(self, job: Job) -> Iterator[Item]:
        yield read_file(job, self.options.max_bytes)


def read_file(job: Job, max_bytes: int) -> Item:
    """A file's bytes and their SHA-256; a file over ``max_bytes`` is refused without being read."""
    item = Item(str(job.source), job.output.with_suffix("").as_posix())
    try:
        info = os.stat(job.source)
        item.identity = identity(info)
        if not stat.S_ISREG(info.st_mode):
            item.error = f"{job.source}: not a regular file"
        elif info.st_size > max_bytes:
            item.error = f"{job.source}: too large ({info.st_size} bytes, limit {max_bytes}), not read"
        else:
            with open(job.source, "rb") as handle:
                data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:
                item.error = f"{job.source}: too large (over the limit of {max_bytes} bytes), not read"
            else:
                item.data, item.input_sha256 = data, hashlib.sha256(data).hexdigest()
    except OSError as exc:
        item.error = f"{job.source}: cannot read ({exc.strerror or exc})"
    return item
