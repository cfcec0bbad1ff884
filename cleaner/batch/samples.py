"""What a report shows of a run beyond the manifest's counts: how much each document lost, and
a few before/after snippets of each rule, kept while the batch runs.

A worker sums the characters its document's edits removed (:func:`removed_chars`) and keeps the
first edit of each rule (:func:`first_edits`); the batch keeps the first :data:`PER_RULE`
snippets of each rule in input order (:class:`Samples`) in ``OUTDIR/.cleaner/samples.json``,
which ``cleaner report`` reads. Snippets are cut to :data:`SNIPPET_CHARS` characters.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from cleaner.batch.atomic import atomic_write
from cleaner.document import Edit

PER_RULE = 3
SNIPPET_CHARS = 160
NOTES = ("-kept",)  # edits that explain a choice (extract/pruned-kept) and remove nothing themselves


def _cut(text: str, keep_end: bool = False) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    return "…" + text[-SNIPPET_CHARS:] if keep_end else text[:SNIPPET_CHARS] + "…"


def removed_chars(edits: Iterable[Edit]) -> int:
    """Characters the edits took out (what each removed, less what it put in).

    >>> removed_chars([Edit("rules", "r", 1, "Share this", ""), Edit("repair", "j", 2, "-\\n", "")])
    12
    """
    return sum(max(0, len(e.before) - len(e.after)) for e in edits if not e.rule.endswith(NOTES))


def first_edits(edits: Iterable[Edit]) -> dict[str, dict[str, str]]:
    """The first edit of each rule, as a snippet ``{"left", "before", "after", "right"}``."""
    found: dict[str, dict[str, str]] = {}
    for edit in edits:
        if edit.rule not in found:
            found[edit.rule] = {"left": _cut(edit.left, keep_end=True), "before": _cut(edit.before),
                                "after": _cut(edit.after), "right": _cut(edit.right)}
    return found


class Samples:
    """The first :data:`PER_RULE` snippets of each rule, with the source they came from."""

    def __init__(self) -> None:
        self.rules: dict[str, list[dict[str, str]]] = {}

    def add(self, source: str, snippets: dict[str, dict[str, str]]) -> None:
        for rule, snippet in snippets.items():
            kept = self.rules.setdefault(rule, [])
            if len(kept) < PER_RULE:
                kept.append({"source": source, **snippet})

    def merge(self, path: Path) -> None:
        """Fill the rules that have fewer than PER_RULE snippets with those an earlier run kept
        (a re-run cleans only what changed)."""
        for rule, snippets in load(path).items():
            kept = self.rules.setdefault(rule, [])
            sources = {s["source"] for s in kept}
            kept.extend(s for s in snippets[:PER_RULE - len(kept)] if s["source"] not in sources)

    def save(self, path: Path, tmpdir: Path | None = None) -> None:
        data = json.dumps(dict(sorted(self.rules.items())), ensure_ascii=False, indent=1) + "\n"
        atomic_write(path, data.encode("utf-8"), tmpdir)


def load(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The snippets kept in ``path`` (none when it is missing or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
