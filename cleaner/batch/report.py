"""What a batch tells as it goes (errors, one line per input, progress) and its closing summary."""
from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


class Events:
    """What the batch tells its caller as it goes; the CLI turns it into lines and a progress bar."""

    def error(self, message: str) -> None:
        print(f"error: {message}", file=sys.stderr)

    def info(self, message: str) -> None:
        """One line per input, for ``-v``."""

    def tick(self) -> None:
        """One input settled."""


@dataclass
class Summary:
    """Counts for the closing lines on stderr: files, failures, languages, rules by hits."""

    cleaned: int = 0
    failed: int = 0
    up_to_date: int = 0
    duplicates: int = 0
    languages: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)  # records of an input that are not documents
    seconds: float = 0.0

    def lines(self, top: int = 5) -> list[str]:
        rate = (self.cleaned + self.up_to_date) / self.seconds if self.seconds else 0.0
        head = (f"cleaned {self.cleaned} file(s), {self.failed} failed, {self.up_to_date} up to date, "
                f"{self.duplicates} given twice; {self.seconds:.1f} s, {rate:.1f} files/s")
        lines = [head]
        if self.skipped:
            lines.append(f"skipped {sum(self.skipped.values())} record(s) that are not documents: " + ", ".join(
                f"{k} {n}" for k, n in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0]))))
        if self.languages:
            lines.append("languages: " + ", ".join(f"{k} {n}" for k, n in sorted(
                self.languages.items(), key=lambda kv: (-kv[1], kv[0]))))
        if self.rules:
            lines.append("top rules: " + ", ".join(f"{k} {n}" for k, n in sorted(
                self.rules.items(), key=lambda kv: (-kv[1], kv[0]))[:top]))
        return lines


def _bar(**options: Any) -> Any:
    """A tqdm bar without its monitor thread, so that worker processes can be forked safely
    (tqdm is imported only when a bar is shown: on a terminal)."""
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0

    return Bar(**options)


class _NoBar:
    def update(self) -> None:
        pass

    def close(self) -> None:
        pass


class TerminalEvents(Events):
    """Errors always (one line each), per-file lines with -v, a progress bar on a terminal."""

    def __init__(self, quiet: bool, verbose: bool, total: int | None = None):
        self.verbose = verbose and not quiet
        shown = not quiet and sys.stderr.isatty()  # tqdm's disable=None: a bar on a terminal only
        self.bar = _bar(unit=" files", file=sys.stderr, leave=False, dynamic_ncols=True,
                                         total=total) if shown else _NoBar()

    def _write(self, message: str) -> None:
        if isinstance(self.bar, _NoBar):
            print(message, file=sys.stderr)
        else:
            self.bar.write(message, file=sys.stderr)  # above the bar

    def error(self, message: str) -> None:
        self._write(f"error: {message}")

    def info(self, message: str) -> None:
        if self.verbose:
            self._write(message)

    def tick(self) -> None:
        self.bar.update()
