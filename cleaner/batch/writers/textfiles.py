"""``--format text -o OUTDIR``: one UTF-8 text file per input, at ``OUTDIR/ID.txt``."""
from __future__ import annotations

import os
from typing import Any

from cleaner.batch.atomic import atomic_write, place
from cleaner.batch.source import Item, identity
from cleaner.batch.workers import Cleaned
from cleaner.batch.writers.base import Entry, Options, Writer
from cleaner.errors import OutputError


class TextFiles(Writer):
    """Each text in a file of its own, which local workers write ahead (staged) and this renames
    into place; an input is up to date while its file is there and its record current."""

    name = "text"
    stages = True

    @classmethod
    def accepts(cls, options: Options) -> bool:
        return options.fmt == "text" and options.outdir is not None

    def refuse(self, item: Item) -> str | None:
        if item.output is None:
            return f"{item.source}: id {item.id!r} is not a safe file name inside the output folder"
        return None

    def up_to_date(self, entry: Entry) -> bool:
        output = entry.item.output
        return (self.current(entry) and entry.previous["output"] == output
                and (self.outdir / output).is_file())

    def write(self, item: Item, cleaned: Cleaned) -> dict[str, Any]:
        target = self.outdir / item.output
        if item.identity and _identity(target) == item.identity:
            raise OutputError(f"{item.source} would be overwritten by its own output; "
                              "choose another output folder", str(target))
        if cleaned.staged:
            place(cleaned.staged, target, self.durability)
        else:
            atomic_write(target, cleaned.text or "", self.tmpdir, self.durability)
        return {"output": item.output}


def _identity(path: os.PathLike[str]) -> str | None:
    try:
        return identity(os.stat(path))
    except FileNotFoundError:
        return None
