"""``cleaner explain``: a document's edit log rendered as a readable diff."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import click

from cleaner.cli.options import build, config_options
from cleaner.config import Config
from cleaner.document import Document, Edit
from cleaner.errors import InputError

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


@click.command("explain")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option("--color/--no-color", default=None, help="Colour the diff (default: on a terminal).")
@config_options
def explain_command(config: Config, file: Path, color: bool | None) -> None:
    """Show what each rule and repair removed, replaced or joined in FILE."""
    cleaner = build(config)
    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
        doc = cleaner.clean(data, id=file.stem, path=str(file))
    except OSError as exc:
        raise click.ClickException(f"{file}: cannot read ({exc.strerror})") from None
    except InputError as exc:
        raise click.ClickException(str(exc)) from None
    use_color = sys.stdout.isatty() if color is None else color
    for line in render(doc, str(file), use_color):
        click.echo(line, color=use_color)
