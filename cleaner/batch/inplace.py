"""In-place cleaning and its dry runs, ``--check`` and ``--diff``: what the pre-commit hooks run.

A file is rewritten only when its cleaned bytes differ from its bytes, so a clean file keeps
its bytes and its mtime. Exit codes follow black: 0 nothing to do; 1 something changed, would
change, or could not be read.
"""
from __future__ import annotations

import difflib
import hashlib
import logging
import re
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

# What "reads as prose" looks at (:func:`not_prose`): sentences and long lines, list items, verse.
_SENTENCE = re.compile(r"[^.!?…。！？]*(?:[.!?…]+(?=[\s\"'»”)]|$)|[。！？]+)")
_WIDE = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # scripts without spaces
_WORD = re.compile(r"\w+")
_LIST_ITEM = re.compile(r"([-*•·–+]|\d{1,3}[.)])\s")
LONG_LINE_WORDS, SENTENCE_WORDS, WIDE_CHARS, VERSE_CHARS = 12, 8, 40, 100


def _long(text: str, words: int) -> bool:
    """``text`` has at least ``words`` words (or, in a script written without spaces, WIDE_CHARS signs)."""
    return len(_WORD.findall(text)) >= words or len(_WIDE.findall(text)) >= WIDE_CHARS


def not_prose(text: str) -> str | None:
    """Why ``text`` does not read as article prose (a word list, requirements, notes in a list,
    verse), or None when it does (or is empty). What ``--prose-only`` leaves alone.

    >>> not_prose("the\\nand\\nof\\n"), not_prose("click>=8\\npyyaml>=6\\n")[:11]
    ('no sentence of 8 words or more, no long line', 'no sentence')
    >>> not_prose("Le ministre a annoncé mardi un plan de relance pour les régions du Nord.\\n")
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    if not any(_long(line, LONG_LINE_WORDS) for line in lines) and \
            not any(_long(sentence, SENTENCE_WORDS) for sentence in _SENTENCE.findall(" ".join(lines))):
        return "no sentence of 8 words or more, no long line"
    if 2 * sum(1 for line in lines if _LIST_ITEM.match(line) and not _long(line, LONG_LINE_WORDS)) > len(lines):
        return "most lines are short list items"
    if (len(lines) >= 4 and all(len(line) < VERSE_CHARS and not _long(line, LONG_LINE_WORDS) for line in lines)
            and 4 * sum(1 for line in lines if line[0].isupper()) >= 3 * len(lines)):
        return "short lines that each start with a capital: verse"
    return None


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


def _left_alone(source: str) -> str | None:
    """Why the file at ``source`` is not an article to rewrite (:func:`not_prose`), or None."""
    try:
        return not_prose(_as_text(Path(source).read_bytes(), source))
    except (OSError, InputError):
        return None  # it was read a moment ago: cleaning it reported nothing, so let it through


def run(paths: Iterable[Path], config: Config, mode: Mode, include: Iterable[str] = source.TEXT_INCLUDE,
        jobs: int = 1, quiet: bool = False, prose_only: bool = False) -> int:
    """Clean each file (folders: their ``include`` files) under ``mode``; return the exit code.
    With ``prose_only``, a file that cleaning would change but that does not read as prose
    (:func:`not_prose`: a word list, requirements, a list of notes, verse) is left as it is.

    Prints ``Fixing FILE`` (``--in-place``) or ``Would fix FILE`` (``--check``) on stdout,
    ``error: FILE: reason``, ``FILE: left as it is, not prose (reason)`` and a summary on stderr.
    """
    changed, unchanged, failed, skipped = 0, 0, 0, 0
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
        why = _left_alone(outcome.source) if prose_only else None
        if why:
            skipped += 1
            if not quiet:
                click.echo(f"{outcome.source}: left as it is, not prose ({why})", err=True)
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
        prose = f", {skipped} not prose" if skipped else ""
        click.echo(f"{changed} file(s) {verb}, {unchanged} clean{prose}, {failed} failed", err=True)
    return EXIT_CHANGED if failed or (changed and (mode.write or mode.check)) else 0
