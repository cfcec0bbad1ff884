"""In-place cleaning and its dry runs, ``--check`` and ``--diff``: what the pre-commit hooks run.

A file is rewritten only when its cleaned bytes differ from its bytes, so a clean file keeps
its bytes and its mtime. Exit codes follow black: 0 nothing to do; 1 something changed, would
change, or could not be read.
"""
from __future__ import annotations

import difflib
import hashlib
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import click

from cleaner.batch import source, workers
from cleaner.batch.atomic import rewrite
from cleaner.config import Config
from cleaner.decoding.decode import decode
from cleaner.errors import InputError
from cleaner.html.sniff import COMPRESSED_SUFFIXES, has_html_suffix

log = logging.getLogger("cleaner")
EXIT_CHANGED = 1


@dataclass(frozen=True)
class Mode:
    """``write``: rewrite the files that change; ``check``: a change is a failure (exit 1);
    ``diff``: print a unified diff of each change to stdout."""

    write: bool = False
    check: bool = False
    diff: bool = False


def _lines(text: str) -> list[str]:
    """Lines split on LF only, each keeping its LF (a last line without one stays without)."""
    pieces = text.split("\n")
    return [piece + "\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])


def unified_diff(old: str, new: str, name: str) -> str:
    """A unified diff from ``old`` to ``new`` that ``patch -p0`` applies to ``name``.

    >>> print(unified_diff("Un  mot\\nFin.", "Un mot\\n\\nFin.\\n", "a.txt"), end="")
    --- a.txt
    +++ a.txt
    @@ -1,2 +1,3 @@
    -Un  mot
    -Fin.
    \\ No newline at end of file
    +Un mot
    +
    +Fin.
    """
    out = []
    for line in difflib.unified_diff(_lines(old), _lines(new), name, name):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _as_text(data: bytes, path: str) -> str:
    """The file's text as a patch sees it: UTF-8 bytes as they are (a BOM stays), else decoded."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return decode(data, path)[0]


def _stdout(text: str) -> None:
    """Write to stdout as UTF-8 bytes, the encoding of the files and of the diff."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def _show_diff(outcome: workers.Outcome) -> None:
    try:
        old = _as_text(Path(outcome.source).read_bytes(), outcome.source)
    except (OSError, InputError) as exc:
        click.echo(f"error: {outcome.source}: cannot read for the diff ({exc})", err=True)
        return
    if old == outcome.text:
        click.echo(f"{outcome.source}: only the encoding would change (to UTF-8)", err=True)
    _stdout(unified_diff(old, outcome.text or "", outcome.source))


def run(paths: Iterable[Path], config: Config, mode: Mode, include: Iterable[str] = source.TEXT_INCLUDE,
        jobs: int = 1, quiet: bool = False) -> int:
    """Clean each file (folders: their ``include`` files) under ``mode``; return the exit code.

    Prints ``Fixing FILE`` (``--in-place``) or ``Would fix FILE`` (``--check``) on stdout,
    ``error: FILE: reason`` and a summary on stderr.
    """
    changed, unchanged, failed = 0, 0, 0
    for outcome in workers.clean_files(source.discover(paths, include), config, jobs):
        if not outcome.error and (has_html_suffix(outcome.source) or outcome.source.endswith(COMPRESSED_SUFFIXES)):
            outcome.error = f"{outcome.source}: HTML or compressed: cleaned into a new .txt file (-o), not in place"
        if outcome.error:
            failed += 1
            click.echo(f"error: {outcome.error}", err=True)
            continue
        cleaned = (outcome.text or "").encode("utf-8")
        if hashlib.sha256(cleaned).hexdigest() == outcome.input_sha256:
            unchanged += 1
            log.info("%s: clean", outcome.source)
            continue
        if mode.diff:
            _show_diff(outcome)
        if mode.write:
            try:
                rewrite(Path(outcome.source), cleaned)
            except OSError as exc:
                failed += 1
                click.echo(f"error: {outcome.source}: cannot write ({exc.strerror or exc})", err=True)
                continue
            _stdout(f"Fixing {outcome.source}\n")
        elif not mode.diff:
            _stdout(f"Would fix {outcome.source}\n")
        changed += 1
    if not quiet:
        verb = "fixed" if mode.write else "would be fixed"
        click.echo(f"{changed} file(s) {verb}, {unchanged} clean, {failed} failed", err=True)
    return EXIT_CHANGED if failed or (changed and (mode.write or mode.check)) else 0
