"""The text rule kinds of the YAML packs: delete, replace, drop-line, drop-block.

A rule is compiled once; :meth:`Rule.apply` is a pure ``str -> (str, edits)`` function
(the stage that runs them all is :mod:`cleaner.rules.stage`). Its
regexes run on RE2 where they can, else on ``re`` under a time limit (see :mod:`cleaner.rules.regex`).
Deleting a span also tidies the spaces it leaves: no double space, no space before
``, . ) ]`` and no line left empty (the line goes, so the halves around it can be rejoined).
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from typing import Callable, Sequence

from cleaner.document import Edit
from cleaner.errors import RuleError
from cleaner.rules.example import Example, check_examples
from cleaner.rules.regex import Regex
from cleaner.rules.template import expand

KINDS = ("delete", "replace", "drop-line", "drop-block")
STAGE = "rules"
_HSPACE = " \t\u00a0\u202f"
_GLUES_LEFT = ",.)]}…"  # after a deleted span these take no space before them
DEFAULT_TIME_LIMIT = 2.0  # seconds one rule may take on one document


@dataclass
class Rule:
    """One compiled rule. ``pattern`` is the main regex; ``end`` closes a drop-block."""

    id: str
    kind: str
    description: str
    pattern: Regex
    replacement: str = ""
    next_lines: int = 0
    end: Regex | None = None
    max_lines: int = 30
    enabled: bool = True
    examples: tuple[Example, ...] = ()
    language: str | None = None  # its pack's language: runs only on documents in it
    site: str | None = None  # its pack's site: runs only on that site's pages, when known
    own_site: str | None = None  # its own ``site:`` (learned rules): only on that site, when known
    pack: str = ""
    source: str = ""
    line: int | None = None

    def apply(self, text: str) -> tuple[str, list[Edit]]:
        """Return the text with this rule applied, and one edit per change."""
        if self.kind == "delete":
            return _delete(self, text)
        if self.kind == "replace":
            return _replace(self, text)
        if self.kind == "drop-line":
            return _drop_lines(self, text)
        return _drop_block(self, text)

    @property
    def engine(self) -> str:
        """``re2`` when all the rule's regexes run on RE2, else ``re`` (time-limited)."""
        regexes = [self.pattern] + ([self.end] if self.end is not None else [])
        return "re2" if all(r.engine == "re2" for r in regexes) else "re"

    def check_examples(self, seconds: float | None = DEFAULT_TIME_LIMIT) -> list[RuleError]:
        """One error per example this rule fails (empty when all pass)."""
        return check_examples(self, self.apply_text, seconds, cannot_apply=(re.error, IndexError))

    def apply_text(self, text: str) -> str:
        """The text with this rule applied."""
        return self.apply(text)[0]


def _splice(rule: Rule, text: str, spans: list[tuple[int, int, str]]) -> tuple[str, list[Edit]]:
    """Replace non-overlapping ``(start, end, new)`` spans, recording an edit for each."""
    parts, edits, pos, line = [], [], 0, 1
    for start, end, new in spans:
        start = max(start, pos)  # widened deletions may overlap the one before
        if start >= end:
            continue
        parts.append(text[pos:start])
        parts.append(new)
        line += text.count("\n", pos, start)  # counted as we go: one pass, however many edits
        edits.append(Edit.at(STAGE, rule.id, text, start, end, new, line))
        line += text.count("\n", start, end)
        pos = end
    parts.append(text[pos:])
    return "".join(parts), edits


def _widen_deletion(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a deleted span over the spaces that would be left dangling around it."""
    left = start
    while left > 0 and text[left - 1] in _HSPACE:
        left -= 1
    right = end
    while right < len(text) and text[right] in _HSPACE:
        right += 1
    at_line_start = left == 0 or text[left - 1] == "\n"
    at_line_end = right == len(text) or text[right] == "\n"
    if at_line_start and at_line_end:  # the line is now empty: remove it with its newline
        if right < len(text):
            return left, right + 1
        return (left - 1 if left > 0 else left), right
    if at_line_start or at_line_end or text[right] in _GLUES_LEFT:
        return left, right
    if left < start and right > end:  # spaces on both sides: keep one
        return left, end
    return start, end


def _delete(rule: Rule, text: str) -> tuple[str, list[Edit]]:
    spans = []
    for match in rule.pattern.finditer(text):
        if match.end() > match.start():
            start, end = _widen_deletion(text, match.start(), match.end())
            spans.append((start, end, ""))
    return _splice(rule, text, spans)


def _replace(rule: Rule, text: str) -> tuple[str, list[Edit]]:
    spans = []
    for match in rule.pattern.finditer(text):
        new = expand(rule.pattern.template(rule.replacement), match)
        if new != match.group(0):
            spans.append((match.start(), match.end(), new))
    return _splice(rule, text, spans)


class _Lines(Sequence[str]):
    """The lines of ``text`` (as ``text.split("\\n")`` gives them), each sliced when asked: a big
    text is not split into a list of its lines. ``starts`` holds where each line starts."""

    def __init__(self, text: str):
        self.text = text
        self.starts = array("q", [0])
        self.starts.extend(match.end() for match in re.finditer("\n", text))

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]  # no slices asked
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[index]:end]

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets covering lines ``first..last`` with their newline (or the one before, at the end)."""
        text, starts = self.text, self.starts
        start = starts[first]
        end = starts[last + 1] if last + 1 < len(starts) else len(text)
        if end == len(text) and start > 0 and not text.endswith("\n"):
            start -= 1
        return start, end


def _drop_lines(rule: Rule, text: str) -> tuple[str, list[Edit]]:
    return _drop_runs(rule, text, lambda lines, index: min(index + rule.next_lines, len(lines) - 1))


def _drop_block(rule: Rule, text: str) -> tuple[str, list[Edit]]:
    end = rule.end
    assert end is not None

    def block_end(lines: Sequence[str], index: int) -> int | None:
        stop = min(index + rule.max_lines, len(lines) - 1)
        return next((j for j in range(index + 1, stop + 1) if end.search(lines[j])), None)

    return _drop_runs(rule, text, block_end)


def _drop_runs(rule: Rule, text: str, last_line: Callable[[Sequence[str], int], int | None]) -> tuple[str, list[Edit]]:
    """Drop each run of lines from a line the rule's pattern matches through ``last_line(lines,
    index)`` (None: no run starts there)."""
    if not rule.pattern.may_match_a_line(text):
        return text, []
    lines = _Lines(text)
    spans, index = [], 0
    while index < len(lines):
        last = last_line(lines, index) if rule.pattern.search(lines[index]) else None
        if last is None:
            index += 1
            continue
        start, end = lines.span(index, last)
        spans.append((start, end, ""))
        index = last + 1
    return _splice(rule, text, spans)
