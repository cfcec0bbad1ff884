"""Python regex to RE2: a program that matches exactly what ``re`` matches, or :class:`Unsupported`.

The pattern is parsed with Python's own parser; every character class, literal and ``.`` is
written out as the set of code points ``re`` accepts there, taken from ``re`` itself (``\\w``,
``\\d``, ``\\s``, ignore-case folding), since RE2's ``\\w`` is ASCII-only and its folding differs.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from cleaner.sre_compat import sre, sre_parse

_MAX_CHAR = 0x10FFFF
_SURROGATES = (0xD800, 0xDFFF)
_CATEGORY_SOURCE = {
    sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W", sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_NOT_SPACE: r"\S",
}
Ranges = tuple[tuple[int, int], ...]


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
    return _charset_source(tuple(items), flags & (re.IGNORECASE | re.ASCII))


@lru_cache(maxsize=4096)
def _charset_source(items: tuple, flags: int) -> str:
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
