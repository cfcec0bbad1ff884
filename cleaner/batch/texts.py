"""Cleaned texts in input order, for commands that read a batch without writing it
(``cleaner learn``): the workers of :mod:`cleaner.batch.workers`, ``-j`` processes, errors
told through :class:`~cleaner.batch.report.Events` and skipped."""
from __future__ import annotations

from typing import Iterable, Iterator

from cleaner.batch.pool import executor
from cleaner.batch.report import Events
from cleaner.batch.source import Item
from cleaner.batch.workers import Cleaned, clean_in_order
from cleaner.config import Config


def cleaned_texts(items: Iterable[Item], config: Config, jobs: int, events: Events,
                  failures: list[str]) -> Iterator[tuple[Item, Cleaned]]:
    """Each readable item with what the pipeline made of it, in input order; an item that
    could not be read or cleaned is told to ``events`` (one line) and its reason appended to
    ``failures``."""
    with executor(jobs) as (pool, slots):
        for item, cleaned in clean_in_order(items, config, config.fingerprint(), pool, slots):
            error = item.error if cleaned is None else cleaned.error
            events.tick()
            if error or cleaned is None or cleaned.text is None:
                message = error or f"{item.source}: no text"
                events.error(message)
                failures.append(message)
                continue
            events.info(item.source)
            yield item, cleaned
