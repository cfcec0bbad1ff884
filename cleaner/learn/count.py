"""Counting, per site, the documents each line (by the digest of its template) and each pair of
adjacent lines appears in, with memory that does not grow with the number of documents.

Lossy counting (Manku & Motwani, 2002): a site's documents come in buckets of ``width``; at the
end of each bucket the entries whose count (plus the most they can have missed) is at most the
bucket's number are forgotten. A line in a share ``s`` of a site's documents is never forgotten
when ``s`` is above ``1 / width``, and its count is short by at most ``documents / width``; a
site of fewer than ``width`` documents is counted exactly. Only the digests and one or two
example lines per entry are kept, never the documents.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterator

from cleaner.learn.lines import digest, key, normal

MAX_LINE = 2000  # longer lines are paragraphs, never page furniture: not counted
CONTEXT = 160  # characters kept of an example's neighbour lines
EDGE = 0.2  # the first and last fifth of a document's lines are its edges


@dataclass
class Entry:
    """One candidate line of a site: documents seen in, at a document's edge, how it varies."""

    count: int
    delta: int  # how many documents it may have been missed in before it was first counted
    literal: int  # digest of the first spelling seen
    edge: int = 0
    twice: int = 0  # documents holding it twice or more (a headline: the page's title and a teaser)
    varies: bool = False  # seen with other digits (its template is learned, not its text)
    examples: list[tuple[str, str, str]] = field(default_factory=list)  # (before, line, after)


@dataclass
class SiteCounts:
    """The counts of one site."""

    docs: int = 0
    lines: dict[int, Entry] = field(default_factory=dict)
    pairs: dict[tuple[int, int], list[int]] = field(default_factory=dict)  # (a, b) -> [count, delta]


class Counter:
    """Feed it ``(site, text)`` documents; read :attr:`sites` at the end."""

    def __init__(self, width: int = 100):
        self.width = max(1, width)
        self.sites: dict[str | None, SiteCounts] = {}

    def add(self, site: str | None, text: str) -> None:
        """Count one document of ``site`` (None: a document whose site is not known)."""
        counts = self.sites.setdefault(site, SiteCounts())
        counts.docs += 1
        bucket = math.ceil(counts.docs / self.width)
        lines = [normal(line) for line in text.splitlines()]
        lines = [line for line in lines if line]
        edge = max(1, round(len(lines) * EDGE))
        seen: set[int] = set()
        twice: set[int] = set()
        pairs: set[tuple[int, int]] = set()
        previous: int | None = None
        for number, line in enumerate(lines):
            if len(line) > MAX_LINE:
                previous = None
                continue
            k = key(line)
            if previous is not None and previous != k:
                pairs.add((previous, k))
            previous = k
            if k in seen:
                twice.add(k)
                continue
            seen.add(k)
            at_edge = number < edge or number >= len(lines) - edge
            self._count_line(counts, k, line, lines, number, at_edge, bucket)
        for k in twice:
            counts.lines[k].twice += 1
        for pair in pairs:
            slot = counts.pairs.get(pair)
            if slot is None:
                counts.pairs[pair] = [1, bucket - 1]
            else:
                slot[0] += 1
        if counts.docs % self.width == 0:
            _prune(counts, bucket)

    @staticmethod
    def _count_line(counts: SiteCounts, k: int, line: str, lines: list[str], number: int,
                    at_edge: bool, bucket: int) -> None:
        entry = counts.lines.get(k)
        literal = digest(line)
        if entry is None:
            entry = counts.lines[k] = Entry(0, bucket - 1, literal)
        entry.count += 1
        entry.edge += at_edge
        if literal != entry.literal and not entry.varies:
            entry.varies = True
            entry.examples = entry.examples[:1]
        if len(entry.examples) < (2 if entry.varies else 1):
            before = lines[number - 1][:CONTEXT] if number else ""
            after = lines[number + 1][:CONTEXT] if number + 1 < len(lines) else ""
            entry.examples.append((before, line, after))

    def items(self) -> Iterator[tuple[str | None, SiteCounts]]:
        """The sites in a stable order (unknown last)."""
        for site in sorted(self.sites, key=lambda s: (s is None, s or "")):
            yield site, self.sites[site]

    def size(self) -> int:
        """Entries held, lines and pairs, over all sites (what memory grows with)."""
        return sum(len(c.lines) + len(c.pairs) for c in self.sites.values())


def _prune(counts: SiteCounts, bucket: int) -> None:
    """Forget what cannot reach a share of ``1 / width`` any more."""
    counts.lines = {k: e for k, e in counts.lines.items() if e.count + e.delta > bucket}
    counts.pairs = {k: s for k, s in counts.pairs.items() if s[0] + s[1] > bucket}
