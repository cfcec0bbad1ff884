"""The regex engine of the rules: RE2 (linear time) where a pattern allows, Python's ``re`` otherwise.

A rule's regex is written in Python syntax and means what Python says it means. When the parsed
pattern uses only what RE2 can do identically, it is translated into an RE2 program whose
character classes are spelled out code point by code point from Python's own tables (``\\w``,
``\\d``, ``\\s``, ignore-case), so both engines give the same matches. Patterns that need a
backtracking engine (look-around, back-references, atomic groups, Unicode ``\\b``, a ``$`` outside
multi-line mode, anything that can match the empty string) run on a backtracking engine, which
:func:`time_limit` bounds: the ``regex`` package, in its ``re``-compatible mode (``VERSION0``),
whose matching takes a timeout, so the bound holds on any thread (Dask thread workers, a web
server) with no signal handler. ``re`` itself cannot be interrupted off the main thread; it still
checks every pattern and parses the replacement templates.
"""
from __future__ import annotations

import re
import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, Union

import re2
import regex as backtracking

from cleaner.pins import require
from cleaner.rules.re2translate import Unsupported, to_re2
from cleaner.rules.template import Template, compile_template

require("google-re2", re2, "_Anchor.UNANCHORED", "_Regexp", "compile", "Options", "_re2.BytesToCharLen")
require("google-re2", re2.compile("a"), "_regexp.Match")


class RegexTimeout(Exception):
    """A match ran over the time limit set by :func:`time_limit`."""


# ---------------------------------------------------------------- matching


class Re2Match:
    """The part of :class:`re.Match` the rules use, for a match found by RE2."""

    __slots__ = ("string", "_spans")

    def __init__(self, string: str, spans: list[tuple[int, int]]):
        self.string, self._spans = string, spans

    def span(self, group: int = 0) -> tuple[int, int]:
        return self._spans[group]

    def start(self, group: int = 0) -> int:
        return self._spans[group][0]

    def end(self, group: int = 0) -> int:
        return self._spans[group][1]

    def group(self, group: int = 0) -> str | None:
        start, end = self._spans[group]
        return None if start < 0 else self.string[start:end]


Match = Union[re.Match, backtracking.Match, Re2Match]
_UNANCHORED = re2._Anchor.UNANCHORED
_chars_in = re2._re2.BytesToCharLen  # (data, start, end): the characters of UTF-8 data[start:end]
_SURROGATE = re.compile("[\ud800-\udfff]")


def _re2_options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False
    options.max_mem = 64 << 20
    return options


class Regex:
    """A compiled rule regex with the interface of :class:`re.Pattern` the rules use
    (``search``, ``finditer``, ``pattern``, ``flags``, ``groups``).

    ``engine``: ``"auto"`` (RE2 when the pattern allows), ``"re"`` or ``"re2"`` (an error
    when RE2 cannot run it). ``fallback_reason`` says why a pattern runs on ``re``.
    """

    def __init__(self, source: str, flags: int = 0, engine: str = "auto"):
        self.python = re.compile(source, flags)
        self.pattern, self.flags, self.groups = source, self.python.flags, self.python.groups
        self.re2: re2._Regexp | None = None
        self._bounded: backtracking.Pattern | None = None
        self._re2_source: str | None = None  # the RE2 program, kept so a pickle can rebuild it
        self._templates: dict[str, Template] = {}
        self._line_local = False
        self.fallback_reason = "the re engine was asked for"
        if engine != "re":
            try:
                translated = to_re2(source, flags)
                self.re2 = re2.compile(translated, _re2_options())
                self._re2_source = translated
                self.fallback_reason = ""
                self._line_local = "\\A" not in translated and "\\z" not in translated
            except Unsupported as exc:
                self.fallback_reason = str(exc)
            except re2.error as exc:
                self.fallback_reason = f"RE2 refused the translation ({exc})"
        if engine == "re2" and self.re2 is None:
            raise Unsupported(self.fallback_reason)
        if self.re2 is None:
            self.bounded  # compiled now: a pattern the engine refuses does not load

    @property
    def bounded(self) -> backtracking.Pattern:
        """The pattern on the backtracking engine that :func:`time_limit` bounds (compiled on
        first use for an RE2 pattern: only text RE2 cannot read, with lone surrogates, needs it)."""
        if self._bounded is None:
            try:
                self._bounded = backtracking.compile(self.pattern, _backtracking_flags(self.flags))
            except backtracking.error as exc:
                raise re.error(f"the backtracking engine refused it ({exc})") from None
        return self._bounded

    def __getstate__(self) -> dict:
        """A pickle (the rule cache, :mod:`cleaner.cache`) keeps the sources, not the compiled
        programs: after loading, each is compiled again on its first use only."""
        state = {k: v for k, v in self.__dict__.items() if k not in ("python", "re2")}
        state["_bounded"] = None  # the backtracking program too (:attr:`bounded` compiles it again)
        return state

    def __getattr__(self, name: str) -> object:  # only for what a pickle left out, on first use
        if name == "python" and "pattern" in self.__dict__:
            self.python = re.compile(self.pattern, self.flags)
            return self.python
        if name == "re2" and "_re2_source" in self.__dict__:
            source = self._re2_source
            self.re2 = None if source is None else re2.compile(source, _re2_options())
            return self.re2
        raise AttributeError(name)

    def template(self, replacement: str) -> Template:
        """``replacement`` compiled for :func:`expand` (kept for the next call)."""
        compiled = self._templates.get(replacement)
        if compiled is None:
            compiled = self._templates[replacement] = compile_template(replacement, self.python)
        return compiled

    @property
    def engine(self) -> str:
        return "re" if self.re2 is None else "re2"

    def __repr__(self) -> str:
        return f"Regex({self.pattern!r}, engine={self.engine!r})"

    def finditer(self, text: str) -> Iterator[Match]:
        if self.re2 is None or not encodable(text):
            return _bounded_matches(self.bounded, text)
        return self._re2_matches(text, first_only=False)

    def search(self, text: str) -> Match | None:
        if self.re2 is None or not encodable(text):
            try:
                return self.bounded.search(text, timeout=_time_left())
            except TimeoutError:
                raise _timeout() from None
        return next(self._re2_matches(text, first_only=True), None)

    def may_match_a_line(self, text: str) -> bool:
        """False only when no line of ``text`` can hold a match: then one search of the whole text
        spares a search per line. (A match within a line is a match in the text too, unless the
        pattern looks at the ends of the string or around itself.)"""
        return not self._line_local or self.search(text) is not None

    def _re2_matches(self, text: str, first_only: bool) -> Iterator[Re2Match]:
        data = text.encode("utf-8")
        to_char = _identity if len(data) == len(text) else _CharOffsets(data)
        program, pos, end = self.re2._regexp, 0, len(data)
        while pos <= end:
            spans = program.Match(_UNANCHORED, data, pos, end)
            if spans[0][0] < 0:
                return
            chars = {offset: to_char(offset) for offset in sorted({o for span in spans for o in span if o >= 0})}
            yield Re2Match(text, [(-1, -1) if a < 0 else (chars[a], chars[b]) for a, b in spans])
            if first_only:
                return
            pos = spans[0][1]  # never empty: patterns that can match nothing stay on re


def encodable(text: str) -> bool:
    """RE2 reads UTF-8: text with lone surrogates stays on ``re``."""
    return text.isascii() or not _SURROGATE.search(text)  # searched, not encoded: no copy of the text


def _identity(offset: int) -> int:
    return offset


class _CharOffsets:
    """UTF-8 byte offsets to character offsets, asked in rising order (one pass over the text)."""

    def __init__(self, data: bytes):
        self.data, self.byte, self.char = data, 0, 0

    def __call__(self, offset: int) -> int:
        if offset < self.byte:
            self.byte, self.char = 0, 0
        self.char += _chars_in(self.data, self.byte, offset)  # counted in place: nothing decoded
        self.byte = offset
        return self.char


# ---------------------------------------------------------------- the time limit

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("cleaner_regex_deadline", default=None)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`RegexTimeout` from a backtracking match in the block once the block has run
    longer than ``seconds`` (None or 0: unbounded).

    The limit belongs to the current thread (a context variable), so it works on any thread
    and in any number of threads at once; it bounds the matching, where a catastrophic
    pattern spends its time. The engine counts CPU time while it matches, and the deadline
    between matches is on the clock: a block ends within about twice ``seconds``. A limit
    inside another keeps the earlier deadline.
    """
    if not seconds:
        yield
        return
    deadline = time.monotonic() + seconds
    outer = _DEADLINE.get()
    if outer is not None and outer[0] < deadline:
        deadline, seconds = outer
    token = _DEADLINE.set((deadline, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _time_left() -> float | None:
    """Seconds left before this thread's deadline, None without one; over it, raise."""
    limit = _DEADLINE.get()
    if limit is None:
        return None
    left = limit[0] - time.monotonic()
    if left <= 0:
        raise _timeout()
    return left


def _timeout() -> RegexTimeout:
    limit = _DEADLINE.get()
    return RegexTimeout(f"over {limit[1]:g} s" if limit else "over the time limit")


def _bounded_matches(pattern: backtracking.Pattern, text: str) -> Iterator[backtracking.Match]:
    """``pattern.finditer(text)`` under this thread's deadline."""
    matches = pattern.finditer(text, timeout=_time_left())
    try:
        for match in matches:
            yield match
            _time_left()
    except TimeoutError:
        raise _timeout() from None


_FLAGS = ((re.IGNORECASE, backtracking.IGNORECASE), (re.MULTILINE, backtracking.MULTILINE),
          (re.DOTALL, backtracking.DOTALL), (re.VERBOSE, backtracking.VERBOSE),
          (re.ASCII, backtracking.ASCII), (re.UNICODE, backtracking.UNICODE))


def _backtracking_flags(flags: int) -> int:
    """``re`` flags as the backtracking engine's (the numbers differ: ``re.ASCII`` is its
    ``VERSION1``), in its ``re``-compatible mode."""
    return backtracking.VERSION0 | sum(theirs for ours, theirs in _FLAGS if flags & ours)
