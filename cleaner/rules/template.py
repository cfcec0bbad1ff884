"""Replacement templates of ``replace`` rules, compiled once: literal text and group numbers,
read exactly as ``re`` reads them, then expanded against a match of any engine (``re``, RE2,
the backtracking one)."""
from __future__ import annotations

import re
from typing import Protocol, Union


class Groups(Protocol):
    """A match of any of the engines: what :func:`expand` reads of it."""

    def group(self, group: int = 0) -> str | None: ...


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


def expand(template: Template, match: Groups) -> str:
    """The replacement text for ``match``; an unmatched group gives the empty string, as in ``re``."""
    return "".join(part if isinstance(part, str) else (match.group(part) or "") for part in template)
