"""Which text rules can match a text: one RE2 pass for all of them, instead of one search per rule.

A speed-up that must stay equal to running every rule: the rules stage with this filter gives the
text and edits it gives without it (``tests/test_rule_filter.py`` checks it).

Each rule's regex is *widened* into an RE2 program that matches wherever the rule's regex
could match, and possibly more: look-arounds, ``\\b``, ``\\B``, ``$`` outside multi-line mode
and ``\\Z`` match anywhere (they are dropped), ``^`` and ``\\A`` match at any line start, a
back-reference matches any text, a counted repeat ``{m,n}`` becomes ``*`` or ``+``, atomic
groups and possessive or lazy repeats become plain ones; characters and classes keep exactly
the code points ``re`` gives them
(:mod:`cleaner.rules.re2translate`). So a match of the rule's regex, in the whole text or within one
of its lines (drop-line and drop-block search line by line), is a match of the widened program.

All the widened programs go into one RE2 ``Set``, which says in a single pass over the text
which of them match somewhere. A rule whose program matches nowhere cannot match: the rules
stage skips it, with the same result as running it. A rule that cannot be widened runs always;
when RE2 cannot answer (text with lone surrogates, the set's memory budget exceeded), every
rule runs.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable, Iterable

import re2

from cleaner import cache
from cleaner.rules import re2translate
from cleaner.rules.re2translate import Unsupported
from cleaner.sre_compat import sre, sre_parse

_ALWAYS = "(?s:)"  # a program that matches every text: its absence means the set gave up


def widen(source: str, flags: int) -> str:
    """RE2 source matching everything ``re.compile(source, flags)`` can match (see the module)."""
    parsed = sre_parse.parse(source, flags)
    return _nodes(parsed.data, parsed.state.flags)


def _nodes(nodes: Iterable[tuple[Any, Any]], flags: int) -> str:
    return "".join(_node(op, av, flags) for op, av in nodes)


def _node(op: Any, av: Any, flags: int) -> str:
    if op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY):
        return re2translate._node(op, av, flags)  # the exact code points
    if op is sre.BRANCH:
        return "(?:" + "|".join(_nodes(branch, flags) for branch in av[1]) + ")"
    if op is sre.SUBPATTERN:
        _, add, remove, body = av
        return "(?:" + _nodes(body, (flags | add) & ~remove) + ")"
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, high, body = av
        if high == 0:
            return ""
        return f"(?:{_nodes(body, flags)})" + ("*" if low == 0 else "+")  # counts dropped: RE2 caps them
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return "(?:" + _nodes(av, flags) + ")"
    if op is sre.AT:
        if av in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
            return "(?m:^)"
        return "(?m:$)" if av is sre.AT_END and flags & re.MULTILINE else ""
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return ""
    if op is sre.GROUPREF:
        return "(?s:.*)"
    if op is sre.GROUPREF_EXISTS:
        _, yes, no = av
        return "(?:" + _nodes(yes, flags) + "|" + (_nodes(no, flags) if no else "") + ")"
    raise Unsupported(f"cannot widen {op}")


def widened(patterns: list[tuple[str, int]]) -> list[str | None]:
    """:func:`widen` of each ``(source, flags)`` (None: it cannot be), kept in the cache
    (:mod:`cleaner.cache`): widening spells out every character class, a tenth of a second
    a start would otherwise pay again and again for the same rules."""
    key = cache.key_of(["widened", *(f"{flags}:{source}" for source, flags in patterns)])
    programs = cache.load("widened", key)
    if isinstance(programs, list) and len(programs) == len(patterns):
        return programs
    programs = []
    for source, flags in patterns:
        try:
            programs.append(widen(source, flags))
        except Exception:  # noqa: BLE001 - Unsupported, or a pattern too deep to walk: it just runs
            programs.append(None)
    cache.store("widened", key, programs)
    return programs


class RuleFilter:
    """``candidates(text)``: the positions (in ``patterns``, one ``(source, flags)`` per rule) of
    the rules that may match ``text``."""

    def __init__(self, patterns: list[tuple[str, int]]):
        options = re2.Options()
        options.log_errors = False
        options.max_mem = 256 << 20
        self._set = re2.Set.SearchSet(options)
        self._rule_of: dict[int, int] = {}
        self.always: set[int] = set()  # rules that could not be widened
        for number, program in enumerate(widened(patterns)):
            try:
                if program is None:
                    raise Unsupported("cannot widen")
                self._rule_of[self._set.Add(program)] = number
            except Exception:  # noqa: BLE001 - whatever the reason (Unsupported, RE2 refusal), it just runs
                self.always.add(number)
        self._sentinel = self._set.Add(_ALWAYS)
        self._set.Compile()

    def candidates(self, text: str) -> set[int] | None:
        """The rules whose regex may match ``text`` (the others cannot); None: any may."""
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates
            return None
        found = self._set.Match(data) or []
        if self._sentinel not in found:  # RE2 gave up (memory budget): no answer
            return None
        return {self._rule_of[index] for index in found if index != self._sentinel} | self.always


@lru_cache(maxsize=64)
def may_match(pattern: re.Pattern) -> Callable[[str], bool]:
    """``test(text)``: False only when ``pattern`` has no match in ``text`` (its widened program
    has none: one RE2 pass, where ``re`` may try every position); True when it may, or when the
    pattern cannot be widened or RE2 cannot answer. A quick "no" before a slow ``re`` search."""
    rule_filter = RuleFilter([(pattern.pattern, pattern.flags)])
    if rule_filter.always:
        return lambda text: True
    return lambda text: rule_filter.candidates(text) != set()
