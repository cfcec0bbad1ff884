"""What a batch tells as it goes (errors, one line per input, progress) and its closing summary."""
from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field

from tqdm import tqdm


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


class _Bar(tqdm):
    """tqdm without its monitor thread, so that worker processes can be forked safely."""

    monitor_interval = 0


class TerminalEvents(Events):
    """Errors always (one line each), per-file lines with -v, a progress bar on a terminal."""

    def __init__(self, quiet: bool, verbose: bool, total: int | None = None):
        self.verbose = verbose and not quiet
        self.bar = _Bar(disable=True if quiet else None, unit=" files", file=sys.stderr, leave=False,
                        dynamic_ncols=True, total=total)

    def error(self, message: str) -> None:
        tqdm.write(f"error: {message}", file=sys.stderr)

    def info(self, message: str) -> None:
        if self.verbose:
            tqdm.write(message, file=sys.stderr)

    def tick(self) -> None:
        self.bar.update()
