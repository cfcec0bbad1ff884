"""The regex engine of the rules: RE2 (linear time) where a pattern allows, Python's ``re`` otherwise.

A rule's regex is written in Python syntax and means what Python says it means. When the parsed
pattern uses only what RE2 can do identically, it is translated into an RE2 program whose
character classes are spelled out code point by code point from Python's own tables (``\\w``,
``\\d``, ``\\s``, ignore-case), so both engines give the same matches. Patterns that need a
backtracking engine (look-around, back-references, atomic groups, Unicode ``\\b``, a ``$`` outside
multi-line mode, anything that can match the empty string) run on ``re``, which
:func:`time_limit` bounds: CPython's ``re`` checks for signals while it matches, so a
``SIGALRM`` timer interrupts even a catastrophic backtrack (main thread, POSIX only).
"""
from __future__ import annotations

import bisect
import re
import signal
import threading
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator, Union

try:  # the parser moved in Python 3.11
    from re import _constants as sre, _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

import re2

ENGINES = ("auto", "re", "re2")
_MAX_CHAR = 0x10FFFF
_SURROGATES = (0xD800, 0xDFFF)
_CATEGORY_SOURCE = {
    sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W", sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_NOT_SPACE: r"\S",
}
Ranges = tuple[tuple[int, int], ...]


class RegexTimeout(Exception):
    """A match ran over the time limit set by :func:`time_limit`."""


class Unsupported(Exception):
    """The pattern needs Python's backtracking engine; the message says why."""


# ---------------------------------------------------------------- character sets, exactly as re has them


@lru_cache(maxsize=1)
def _all_chars() -> str:
    return "".join(map(chr, range(_MAX_CHAR + 1)))


@lru_cache(maxsize=1)
def _case_chars() -> str:
    """Every code point whose ignore-case matching differs from exact matching: cased ones,
    their lower and upper forms."""
    import _sre

    cased = [c for c in range(_MAX_CHAR + 1) if _sre.unicode_iscased(c)]
    related = set(cased) | {_sre.unicode_tolower(c) for c in cased}
    related |= {ord(u) for c in cased if len(u := chr(c).upper()) == 1}
    return "".join(chr(c) for c in sorted(related))


def _runs(pattern: re.Pattern[str], text: str, offset: int = 0) -> list[tuple[int, int]]:
    return [(m.start() + offset, m.end() - 1 + offset) for m in pattern.finditer(text)]


@lru_cache(maxsize=None)
def _category(category: object, ascii_only: bool) -> Ranges:
    """The code points ``\\w``, ``\\d``, ``\\s`` (or their negations) match, asked of ``re`` itself."""
    pattern = re.compile(f"(?:{_CATEGORY_SOURCE[category]})+", re.ASCII if ascii_only else 0)
    return tuple(_runs(pattern, _all_chars()))


def _union(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _complement(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    result, start = [], 0
    for lo, hi in _union(ranges):
        if lo > start:
            result.append((start, lo - 1))
        start = hi + 1
    if start <= _MAX_CHAR:
        result.append((start, _MAX_CHAR))
    return result


def _items_source(items: list) -> str:
    """A Python class ``[...]`` equivalent to parsed class items (to ask ``re`` about them)."""
    negate, parts = "", []
    for op, av in items:
        if op is sre.NEGATE:
            negate = "^"
        elif op is sre.LITERAL:
            parts.append(f"\\U{av:08x}")
        elif op is sre.RANGE:
            parts.append(f"\\U{av[0]:08x}-\\U{av[1]:08x}")
        elif op is sre.CATEGORY:
            parts.append(_CATEGORY_SOURCE[av])
        else:
            raise Unsupported(f"class item {op}")
    return f"[{negate}{''.join(parts)}]"


@lru_cache(maxsize=4096)
def _class_ranges(source: str, exact: Ranges, ignore_case: bool, ascii_only: bool) -> Ranges:
    """The code points a one-character pattern matches: ``exact`` (its case-sensitive set)
    with the cased code points put right by asking ``re`` about each under the flags in force."""
    if not ignore_case:
        return exact
    cased = _case_chars()
    codes = [ord(c) for c in cased]
    outside: list[tuple[int, int]] = []
    for lo, hi in exact:
        start = lo
        for code in codes[bisect.bisect_left(codes, lo):bisect.bisect_right(codes, hi)]:
            if code > start:
                outside.append((start, code - 1))
            start = code + 1
        if start <= hi:
            outside.append((start, hi))
    flags = re.IGNORECASE | (re.ASCII if ascii_only else 0)
    inside = [(codes[m.start()], codes[m.start()]) for m in re.finditer(source, cased, flags)]
    return tuple(_union(outside + inside))


def _charset(items: list, flags: int) -> str:
    """RE2 source for one parsed character class (a list of class items)."""
    ascii_only = bool(flags & re.ASCII)
    ranges: list[tuple[int, int]] = []
    negate = False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            ranges.append((av, av))
        elif op is sre.RANGE:
            ranges.append(av)
        elif op is sre.CATEGORY:
            ranges.extend(_category(av, ascii_only))
        else:
            raise Unsupported(f"class item {op}")
    exact = _complement(ranges) if negate else _union(ranges)
    found = _class_ranges(_items_source(items), tuple(exact), bool(flags & re.IGNORECASE), ascii_only)
    return _emit_ranges(found)


def _emit_ranges(ranges: Ranges) -> str:
    parts = []
    for lo, hi in ranges:
        for a, b in _without_surrogates(lo, hi):
            parts.append(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}")
    if not parts:
        raise Unsupported("a character class that matches nothing")
    if len(ranges) == 2 and ranges[0][0] == ranges[0][1] and ranges[1][0] == ranges[1][1] \
            and chr(ranges[0][0]).isascii() and chr(ranges[0][0]).lower() == chr(ranges[1][0]):
        # RE2 reads [Xx] as "x, any case", which an alternation then widens to ſ and K
        return f"(?:{parts[0]}|{parts[1]})"
    return "[" + "".join(parts) + "]"


def _without_surrogates(lo: int, hi: int) -> list[tuple[int, int]]:
    s_lo, s_hi = _SURROGATES
    pieces = [(lo, min(hi, s_lo - 1)), (max(lo, s_hi + 1), hi)]
    return [(a, b) for a, b in pieces if a <= b]


# ---------------------------------------------------------------- translation of the parsed pattern


def _translate(nodes: list, flags: int) -> str:
    return "".join(_node(op, av, flags) for op, av in nodes)


def _node(op: object, av: object, flags: int) -> str:
    if op is sre.LITERAL:
        return _charset([(sre.LITERAL, av)], flags)
    if op is sre.NOT_LITERAL:
        return _charset([(sre.NEGATE, None), (sre.LITERAL, av)], flags)
    if op is sre.IN:
        return _charset(av, flags)
    if op is sre.ANY:
        return r"(?s:.)" if flags & re.DOTALL else r"[^\n]"
    if op is sre.BRANCH:
        return "(?:" + "|".join(_translate(alt, flags) for alt in av[1]) + ")"
    if op is sre.SUBPATTERN:
        group, add, remove, body = av
        inner = _translate(body, (flags | add) & ~remove)
        return f"({inner})" if group else f"(?:{inner})"
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, high, body = av
        if high > 1 and sre_parse.SubPattern(None, body).getwidth()[0] == 0:
            raise Unsupported("a repeated part that can match the empty string")
        count = {(0, sre.MAXREPEAT): "*", (1, sre.MAXREPEAT): "+", (0, 1): "?"}.get((low, high))
        if count is None:
            count = f"{{{low},}}" if high == sre.MAXREPEAT else f"{{{low},{high}}}"
        lazy = "?" if op is sre.MIN_REPEAT else ""
        return f"(?:{_translate(body, flags)}){count}{lazy}"
    if op is sre.AT:
        return _anchor(av, flags)
    raise Unsupported(_NEEDS_BACKTRACKING.get(op, str(op).lower()))


_NEEDS_BACKTRACKING = {
    sre.ASSERT: "a look-around", sre.ASSERT_NOT: "a look-around", sre.GROUPREF: "a back-reference",
    sre.GROUPREF_EXISTS: "a conditional group",
    getattr(sre, "ATOMIC_GROUP", None): "an atomic group",
    getattr(sre, "POSSESSIVE_REPEAT", None): "a possessive repeat",
}


def _anchor(at: object, flags: int) -> str:
    if at is sre.AT_BEGINNING:
        return "(?m:^)" if flags & re.MULTILINE else r"\A"
    if at is sre.AT_BEGINNING_STRING:
        return r"\A"
    if at is sre.AT_END_STRING:
        return r"\z"
    if at is sre.AT_END and flags & re.MULTILINE:
        return "(?m:$)"
    if at in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY) and flags & re.ASCII:
        return r"\b" if at is sre.AT_BOUNDARY else r"\B"
    reasons = {sre.AT_END: "$ outside multi-line mode", sre.AT_BOUNDARY: r"Unicode \b",
               sre.AT_NON_BOUNDARY: r"Unicode \B"}
    raise Unsupported(reasons.get(at, str(at)))


def to_re2(source: str, flags: int) -> str:
    """RE2 source that matches exactly what ``re.compile(source, flags)`` matches, or
    :class:`Unsupported` naming what RE2 cannot do the same way."""
    parsed = sre_parse.parse(source, flags)
    if parsed.getwidth()[0] == 0:
        raise Unsupported("it can match the empty string")
    return _translate(parsed.data, parsed.state.flags)


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


Match = Union[re.Match, Re2Match]
_UNANCHORED = re2._Anchor.UNANCHORED


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
        self._templates: dict[str, Template] = {}
        self._line_local = False
        self.fallback_reason = "the re engine was asked for"
        if engine != "re":
            try:
                translated = to_re2(source, flags)
                self.re2 = re2.compile(translated, _re2_options())
                self.fallback_reason = ""
                self._line_local = "\\A" not in translated and "\\z" not in translated
            except Unsupported as exc:
                self.fallback_reason = str(exc)
            except re2.error as exc:
                self.fallback_reason = f"RE2 refused the translation ({exc})"
        if engine == "re2" and self.re2 is None:
            raise Unsupported(self.fallback_reason)

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
            return self.python.finditer(text)
        return self._re2_matches(text, first_only=False)

    def search(self, text: str) -> Match | None:
        if self.re2 is None or not encodable(text):
            return self.python.search(text)
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
            yield Re2Match(text, [(-1, -1) if a < 0 else (to_char(a), to_char(b)) for a, b in spans])
            if first_only:
                return
            pos = spans[0][1]  # never empty: patterns that can match nothing stay on re


def encodable(text: str) -> bool:
    """RE2 reads UTF-8: text with lone surrogates stays on ``re``."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _identity(offset: int) -> int:
    return offset


class _CharOffsets:
    """UTF-8 byte offsets to character offsets, for offsets asked in (mostly) rising order."""

    def __init__(self, data: bytes):
        self.data, self.byte, self.char = data, 0, 0

    def __call__(self, offset: int) -> int:
        if offset < self.byte:
            self.byte, self.char = 0, 0
        self.char += len(self.data[self.byte:offset].decode("utf-8"))
        self.byte = offset
        return self.char


# ---------------------------------------------------------------- replacement templates

Template = tuple[Union[str, int], ...]


def compile_template(template: str, pattern: re.Pattern[str]) -> Template:
    """Split a replacement (``\\1``, ``\\g<name>``, escapes) into literal text and group numbers,
    exactly as ``re`` reads it, by expanding it against a stand-in match with one marker per group.

    Raises :class:`re.error` or :class:`IndexError` on a bad template, as ``re`` would.
    """
    if "\\" not in template:
        return (template,)
    count = pattern.groups
    names = {number: name for name, number in pattern.groupindex.items()}
    markers = _markers(template, count + 2)
    whole_open, whole_close = markers[count], markers[count + 1]
    groups = "".join(f"(?P<{names[k]}>{markers[k - 1]})" if k in names else f"({markers[k - 1]})"
                     for k in range(1, count + 1))
    stand_in = re.fullmatch(f"{whole_open}{groups}{whole_close}",
                            whole_open + "".join(markers[:count]) + whole_close)
    assert stand_in is not None
    expanded = stand_in.expand(template)
    whole = stand_in.group(0)
    number = {marker: k + 1 for k, marker in enumerate(markers[:count])}
    parts: list[str | int] = []
    index = 0
    while index < len(expanded):
        if expanded.startswith(whole, index):
            parts.append(0)
            index += len(whole)
        elif expanded[index] in number:
            parts.append(number[expanded[index]])
            index += 1
        else:
            if parts and isinstance(parts[-1], str):
                parts[-1] += expanded[index]
            else:
                parts.append(expanded[index])
            index += 1
    return tuple(parts)


def _markers(template: str, count: int) -> list[str]:
    """``count`` private-use characters that do not occur in ``template``."""
    used = set(template)
    markers = []
    for code in range(0xF0000, 0x10FFFE):
        if chr(code) not in used:
            markers.append(chr(code))
            if len(markers) == count:
                return markers
    raise re.error("too many groups")


def expand(template: Template, match: Match) -> str:
    """The replacement text for ``match``; an unmatched group gives the empty string, as in ``re``."""
    return "".join(part if isinstance(part, str) else (match.group(part) or "") for part in template)


# ---------------------------------------------------------------- the time limit


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`RegexTimeout` in the block if it runs longer than ``seconds``.

    Uses ``SIGALRM``, so it only bounds code on the main thread on POSIX; elsewhere (or with
    ``seconds`` None or 0) the block runs unbounded. A timer the caller had set is restored.
    """
    usable = (seconds and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise RegexTimeout(f"over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    outer_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        left, _ = signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:  # give back the caller's timer, less the time we used
            signal.setitimer(signal.ITIMER_REAL, max(outer_delay - (seconds - left), 1e-6))
