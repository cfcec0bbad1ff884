"""Rendering a document's edit log as a readable diff, for ``cleaner explain``."""
from __future__ import annotations

from typing import Iterator

import click

from cleaner.document import Document, Edit

NEWLINE_MARK = "⏎"


def _show(text: str) -> str:
    return text.replace("\n", NEWLINE_MARK)


def render_edit(edit: Edit, color: bool = False) -> Iterator[str]:
    """Three lines: where, the text around the edit before it, and after it."""
    left = "…" + _show(edit.left) if edit.left else ""
    right = _show(edit.right) + "…" if edit.right else ""
    before = click.style(_show(edit.before), fg="red", bold=True) if color else f"[-{_show(edit.before)}-]"
    after = click.style(_show(edit.after), fg="green", bold=True) if color else f"{{+{_show(edit.after)}+}}"
    yield f"{edit.stage:<6} {edit.rule}  (line {edit.line})"
    yield f"  - {left}{before}{right}"
    yield f"  + {left}{after if edit.after else ''}{right}"


def render(doc: Document, name: str, color: bool = False) -> Iterator[str]:
    """The whole explanation: a header, each edit in pipeline order, the hit counts, the language."""
    yield f"{name}: {len(doc.edits)} edit(s); line numbers are those of the text each stage received"
    for edit in doc.edits:
        yield ""
        yield from render_edit(edit, color)
    if doc.edits:
        yield ""
        yield "hits: " + ", ".join(f"{rule}={count}" for rule, count in doc.rule_hits().items())
    yield f"language: {doc.language} ({doc.language_score})"
