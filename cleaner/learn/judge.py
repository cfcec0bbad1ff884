"""Which repeated lines are a site's boilerplate, and why the others are not.

A line repeated across a site's documents is a *candidate*. It becomes a rule when it is in at
least ``min_docs`` documents and a share ``min_share`` of the site's documents, unless it reads
as content:

- **prose** (a sentence of 8+ words, or a paragraph of 25+ words): a syndicated story, a quoted
  statement or a duplicated article repeats on a few pages, a site's standards line or
  newsletter pitch on most of them; so prose needs ``prose_share`` of the pages (default half);
- **a long paragraph in the body** (25+ words, seen at a document's first or last fifth of its
  lines less than half the time): an article's paragraph, not a page's furniture;
- **a headline**: a line of 3+ words that a few of its pages hold twice (its title, and the
  same words in a list of headlines; a menu shown twice is twice on most of its pages), under
  ``prose_share`` of the pages: a story's headline shown as a teaser on the pages of the same
  days; on its own page, it is the title;
- **a value, not a slot**: a line whose numbers change (a date, a count) is a slot of the
  page's template only on ``prose_share`` of the pages; on fewer, it is a value some pages
  share (the dates of a few days).

Lines that become rules and are adjacent in most documents of each (pairs counted in
:mod:`~cleaner.learn.count`) are grouped into a *run*, one rule for the run.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cleaner.learn.count import Counter, Entry, SiteCounts
from cleaner.learn.lines import LONG_WORDS, looks_like_prose, word_count

HEADLINE_WORDS = 3  # a line of this many words, twice on a page, may be that page's headline
RUN_LINK = 0.8  # two lines form a run when adjacent in this share of the documents of either


@dataclass(frozen=True)
class Options:
    """The thresholds of ``cleaner learn``."""

    min_docs: int = 3
    min_share: float = 0.1
    prose_share: float = 0.5


@dataclass
class Candidate:
    """A line seen in two or more documents of its site, with its verdict."""

    site: str | None
    site_docs: int
    key: int
    entry: Entry
    prose: bool
    rule: bool = False
    reason: str = ""
    run: int | None = None  # index of its run among the site's findings

    @property
    def count(self) -> int:
        return self.entry.count

    @property
    def share(self) -> float:
        return self.entry.count / self.site_docs if self.site_docs else 0.0

    @property
    def edge_share(self) -> float:
        return self.entry.edge / self.entry.count if self.entry.count else 0.0

    @property
    def line(self) -> str:
        return self.entry.examples[0][1] if self.entry.examples else ""


@dataclass
class Finding:
    """One rule to write: a line, or a run of lines seen together, of one site."""

    site: str | None
    site_docs: int
    lines: list[Candidate] = field(default_factory=list)

    @property
    def count(self) -> int:
        return max(c.count for c in self.lines)


def judge(counter: Counter, options: Options = Options()) -> tuple[list[Candidate], list[Finding]]:
    """Every candidate of every site with its verdict, and the findings (rules to write)."""
    candidates: list[Candidate] = []
    findings: list[Finding] = []
    for site, counts in counter.items():
        site_candidates, site_findings = _judge_site(site, counts, options)
        candidates += site_candidates
        findings += site_findings
    return candidates, findings


def _judge_site(site: str | None, counts: SiteCounts, options: Options) -> tuple[list[Candidate], list[Finding]]:
    found = [Candidate(site, counts.docs, k, e, looks_like_prose(e.examples[0][1]) if e.examples else False)
             for k, e in counts.lines.items() if e.count >= 2]
    found.sort(key=lambda c: (-c.count, c.line, c.key))
    for candidate in found:
        candidate.rule, candidate.reason = _verdict(candidate, options)
    by_key = {c.key: c for c in found}
    findings = []
    for chain in _chains([c for c in found if c.rule], counts, by_key):
        for c in chain:
            c.run = len(findings) if len(chain) > 1 else None
        findings.append(Finding(site, counts.docs, chain))
    findings.sort(key=lambda f: (-f.count, f.lines[0].line))
    return found, findings


def _verdict(c: Candidate, options: Options) -> tuple[bool, str]:
    if c.count < options.min_docs:
        return False, f"in {c.count} documents, fewer than --min-docs {options.min_docs}"
    if c.share < options.min_share:
        return False, f"in {c.share:.0%} of the site's documents, under --min-share {options.min_share:.0%}"
    if c.entry.varies and c.share < options.prose_share:
        return False, (f"its numbers change, on {c.share:.0%} of the pages (under {options.prose_share:.0%}): "
                       "a value of some pages (a date of some days), not a slot of every page")
    words = word_count(c.line)
    headline = 0 < c.entry.twice <= max(1, c.count // 3)  # twice on few of its pages: not a menu shown twice
    if headline and c.share < options.prose_share and words >= HEADLINE_WORDS:
        return False, (f"twice on {c.entry.twice} page(s) and on {c.share:.0%} of them (under "
                       f"{options.prose_share:.0%}): a headline, its page's title and a teaser on others")
    if c.prose and words >= LONG_WORDS and c.edge_share < 0.5:
        return False, (f"a paragraph of {words} words, in the body of the page ({c.edge_share:.0%} of the "
                       "time at its edges): content")
    if c.prose and c.share < options.prose_share:
        return False, (f"prose on {c.share:.0%} of the pages (under {options.prose_share:.0%}): content "
                       "repeated, such as a syndicated story or a quotation")
    what = "prose" if c.prose else "a furniture line"
    how = ", its numbers changing" if c.entry.varies else ""
    return True, f"{what} on {c.share:.0%} of the pages{how}"


def _chains(chosen: list[Candidate], counts: SiteCounts, by_key: dict[int, Candidate]) -> list[list[Candidate]]:
    """``chosen`` grouped into runs: a line and the next one are linked when they are adjacent in
    at least :data:`RUN_LINK` of the documents of each of the two (each line has at most one
    next and one previous line: the most frequent pair)."""
    keys = {c.key for c in chosen}
    best_next: dict[int, tuple[int, int]] = {}
    best_prev: dict[int, tuple[int, int]] = {}
    for (a, b), (count, _) in sorted(counts.pairs.items()):
        if a not in keys or b not in keys:
            continue
        if count < RUN_LINK * max(by_key[a].count, by_key[b].count):
            continue
        if count > best_next.get(a, (0, 0))[0]:
            best_next[a] = (count, b)
        if count > best_prev.get(b, (0, 0))[0]:
            best_prev[b] = (count, a)
    nexts = {a: b for a, (_, b) in best_next.items() if best_prev.get(b, (0, None))[1] == a}
    has_prev = set(nexts.values())
    chains, placed = [], set()

    def follow(k: object) -> None:
        chain = []
        while k is not None and k not in placed:
            placed.add(k)
            chain.append(by_key[k])
            k = nexts.get(k)
        chains.append(chain)

    for c in chosen:  # heads first, in the candidates' order
        if c.key not in has_prev and c.key not in placed:
            follow(c.key)
    for c in chosen:  # what is left is a cycle (a, b, a...): one run from its first line
        if c.key not in placed:
            follow(c.key)
    return chains
