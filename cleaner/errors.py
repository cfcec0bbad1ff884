"""Domain errors. Each carries the file (and line, when known) it is about.

The library raises these; the CLI turns them into one line on stderr and an exit code.
"""
from __future__ import annotations


class CleanerError(Exception):
    """Base class: ``str(err)`` is ``FILE:LINE: reason`` (or ``FILE: reason``)."""

    def __init__(self, reason: str, path: str | None = None, line: int | None = None):
        self.reason = reason
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.reason}" if where else self.reason


class InputError(CleanerError):
    """An input document cannot be read or decoded."""


class RuleTimeout(InputError):
    """A rule ran over its time limit on one document: that document is not cleaned."""


class RuleError(CleanerError):
    """A rule pack is invalid, or one of its rules fails its own examples."""


class RuleErrors(RuleError):
    """Several mistakes in one rule pack, in the order of the file: one ``FILE:LINE: reason``
    line each; ``path``, ``line`` and ``reason`` are the first one's."""

    def __init__(self, errors: list[RuleError]):
        self.errors = errors
        first = errors[0]
        super().__init__(first.reason, first.path, first.line)

    def __str__(self) -> str:
        return "\n".join(RuleError.__str__(error) for error in self.errors)


def raise_all(errors: list[RuleError]) -> None:
    """Raise ``errors``: nothing if none, the error itself if one, :class:`RuleErrors` if more."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise RuleErrors(errors)


class ConfigError(CleanerError):
    """The configuration is invalid."""


class OutputError(CleanerError):
    """An output cannot be written (disk full, read-only folder, folder in use)."""
