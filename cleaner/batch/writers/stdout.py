"""No output folder: the texts, or JSONL records, one after the other on stdout."""
from __future__ import annotations

import sys
from typing import Any

from cleaner.batch.atomic import json_line
from cleaner.batch.source import Item
from cleaner.batch.workers import Cleaned
from cleaner.batch.writers.base import Options, Writer, document


class TextStdout(Writer):
    """The cleaned texts on stdout, as they are; nothing is up to date (there is nothing to resume)."""

    name = "text"

    @classmethod
    def accepts(cls, options: Options) -> bool:
        return options.fmt == "text" and options.outdir is None

    def write(self, item: Item, cleaned: Cleaned) -> dict[str, Any]:
        sys.stdout.buffer.write(self.format(item, cleaned).encode("utf-8"))
        return {}

    def format(self, item: Item, cleaned: Cleaned) -> str:
        return cleaned.text or ""

    def finish(self) -> None:
        sys.stdout.flush()


class JsonlStdout(TextStdout):
    """``{"id", "text", "metadata"}`` records on stdout, one a line."""

    name = "jsonl"

    @classmethod
    def accepts(cls, options: Options) -> bool:
        return options.fmt == "jsonl" and options.outdir is None

    def format(self, item: Item, cleaned: Cleaned) -> str:
        return json_line(document(item, cleaned))
