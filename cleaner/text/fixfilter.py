"""ftfy on the lines it can change only: the same output as ``ftfy.fix_text``, much sooner.

A speed-up that must stay equal to ``ftfy.fix_text`` with the same configuration, on every text
(``tests/test_speed_equivalence.py`` checks it).

``ftfy.fix_text`` fixes a text segment by segment (a line, or a slice of a very long line)
with ``ftfy.fix_and_explain``, whose round of fixers leaves a segment alone unless:

- a character some fixer acts on is there (C1 and other control characters, surrogates,
  ``\\r``, line/paragraph separators, ESC, ``&`` for HTML entities, and, when those options
  are on, ligatures, full/half-width forms and curly quotes);
- ``fix_encoding`` finds mojibake: it only looks further when ``badness.is_bad`` is true,
  and every match of ftfy's badness regex contains one of a few "hint" characters (derived
  here from the regex itself, see :func:`badness_branches`), within the regex's longest match;
- a ``normalization`` form is set and the segment is not in it.

:class:`SegmentFilter` tests exactly these conditions, runs ``fix_and_explain`` with the same
configuration (HTML unescaping turned off from the first ``<`` on, as ftfy does) on the
segments that meet one, and copies the others. When ftfy has options this module does not
know, or its badness regex cannot be analysed, every segment goes to ftfy.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterator

import ftfy
from ftfy import badness, chardata

from cleaner.pins import require
from cleaner.sre_compat import sre, sre_compile, sre_parse

require("ftfy", ftfy, "badness.BADNESS_RE.pattern", "fix_and_explain", "TextFixerConfig")

# The TextFixerConfig fields whose effect SegmentFilter knows (ftfy 6.x).
KNOWN_OPTIONS = frozenset({
    "unescape_html", "remove_terminal_escapes", "fix_encoding", "restore_byte_a0",
    "replace_lossy_sequences", "decode_inconsistent_utf8", "fix_c1_controls",
    "fix_latin_ligatures", "fix_character_width", "uncurl_quotes", "fix_line_breaks",
    "fix_surrogates", "remove_control_chars", "normalization", "max_decode_length", "explain",
})
_MEMO_SIZE = 1 << 12  # segments remembered as needing nothing
_SAFE_ANCHORS = {sre.AT_BEGINNING, sre.AT_BEGINNING_STRING}


def _char_class(chars: Iterator[str] | set[str]) -> str:
    return "[" + "".join(re.escape(char) for char in sorted(set(chars))) + "]"


def _items_of_class(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The characters of a ``[...]`` item, or None if it holds categories or is negated."""
    chars: set[str] = set()
    for op, value in items:
        if op is sre.LITERAL:
            chars.add(chr(value))
        elif op is sre.RANGE:
            chars.update(chr(code) for code in range(value[0], value[1] + 1))
        else:
            return None
    return chars


def _weight(chars: set[str]) -> tuple[int, int, int]:
    """How common a set of characters is in ordinary text: ASCII and spaces, then letters."""
    plain = sum(1 for c in chars if c.isascii() or c.isspace())
    letters = sum(1 for c in chars if unicodedata.category(c).startswith("L"))
    return plain, letters, len(chars)


def _cover(pattern: Any) -> set[str] | None:
    """A set of characters of which every match of the parsed ``pattern`` contains one."""
    options = []
    for op, value in pattern:
        if op is sre.LITERAL:
            options.append({chr(value)})
        elif op is sre.IN:
            chars = _items_of_class(value)
            if chars:
                options.append(chars)
        elif op is sre.BRANCH:
            covers = [_cover(branch) for branch in value[1]]
            if all(covers):
                options.append(set().union(*covers))
        elif op is sre.SUBPATTERN:
            options.append(_cover(value[-1]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and value[0] >= 1:
            options.append(_cover(value[2]))
    options = [option for option in options if option]
    return min(options, key=_weight) if options else None


def _context_free(pattern: Any) -> bool:
    """True when the pattern only looks at what it matches: literals, classes, groups without
    flags, repeats, alternatives and ``^`` / ``\\A`` (no lookaround, ``\\b``, ``$``, backreference)."""
    for op, value in pattern:
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY):
            continue
        if op is sre.AT and value in _SAFE_ANCHORS:
            continue
        if op is sre.BRANCH and all(_context_free(branch) for branch in value[1]):
            continue
        if op is sre.SUBPATTERN and not value[1] and not value[2] and _context_free(value[-1]):
            continue  # a group that sets no flags
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and _context_free(value[2]):
            continue
        return False
    return True


Branches = dict[str, tuple[tuple[re.Pattern[str], int], ...]]


def badness_branches(regex: re.Pattern[str] = badness.BADNESS_RE) -> Branches | None:
    """Hint character → the branches of ftfy's badness regex to try around it, with their
    longest match; None if the regex cannot be analysed.

    Each alternative of the regex gets a set of characters of which every match contains one
    (its "cover"); a match of that alternative lies within ``longest - 1`` characters of a
    hint from its cover, so searching around the hints for the alternatives they cover finds
    every match. None of the alternatives looks outside its match (checked), so a search
    within a window finds what a search of the whole segment finds there.
    """
    try:
        return _branches(regex)
    except Exception:  # an ftfy or Python whose regex internals differ: ftfy runs everywhere
        return None


def _branches(regex: re.Pattern[str]) -> Branches | None:
    if regex.flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL):
        return None
    parsed = sre_parse.parse(regex.pattern, regex.flags)
    if not _context_free(parsed):
        return None
    single = len(parsed.data) == 1 and parsed.data[0][0] is sre.BRANCH
    alternatives = parsed.data[0][1][1] if single else [parsed]
    found: dict[str, list[tuple[re.Pattern[str], int]]] = {}
    for alternative in alternatives:
        cover, longest = _cover(alternative), alternative.getwidth()[1]
        if not cover or longest >= sre.MAXREPEAT:
            return None
        compiled = sre_compile.compile(alternative, regex.flags)
        for char in cover:
            found.setdefault(char, []).append((compiled, longest))
    return {char: tuple(branches) for char, branches in found.items()}


def _fixer_chars(config: ftfy.TextFixerConfig) -> set[str]:
    """Characters without which the fixers other than fix_encoding change nothing."""
    chars: set[str] = set()
    if config.unescape_html:
        chars.add("&")  # chardata.HTML_ENTITY_RE starts with it
    if config.remove_terminal_escapes:
        chars.add("\x1b")
    if config.fix_c1_controls or config.fix_encoding:
        chars.update(chr(code) for code in range(0x80, 0xA0))
    if config.fix_line_breaks:
        chars.update("\r\u2028\u2029\x85")
    if config.fix_surrogates:
        chars.update(chr(code) for code in range(0xD800, 0xE000))
    if config.remove_control_chars:
        chars.update(map(chr, chardata.CONTROL_CHARS))
    if config.fix_latin_ligatures:
        chars.update(map(chr, chardata.LIGATURES))
    if config.fix_character_width:
        chars.update(map(chr, chardata.WIDTH_MAP))
    if config.uncurl_quotes:
        for quote_re in (chardata.SINGLE_QUOTE_RE, chardata.DOUBLE_QUOTE_RE):
            chars.update(_items_of_class(sre_parse.parse(quote_re.pattern)[0][1]) or ())
    return chars


class SegmentFilter:
    """``fix_text(text)`` equals ``ftfy.fix_text(text, config=config)``, run where it matters.

    ``clean_segments`` is a cache, kept from one text (and one document) to the next: the
    segments :meth:`may_change` found to need nothing, at most ``_MEMO_SIZE`` of them (emptied
    when full). ``may_change`` is a pure function of the segment and this filter's configuration,
    so the cache only spares asking again (a document's lines on the pipeline's next round, the
    lines pages share): it never changes a result.
    """

    def __init__(self, config: ftfy.TextFixerConfig):
        self.config = config
        self.clean_segments: set[str] = set()
        branches = badness_branches()
        self.exact = set(config._fields) <= KNOWN_OPTIONS and branches is not None
        fixer_chars = _fixer_chars(config)
        self._fixer_chars = re.compile(_char_class(fixer_chars)) if fixer_chars else None
        if branches is not None:
            self._branches = branches
            self._hints = re.compile(_char_class(branches))
            self._trigger = re.compile(_char_class(fixer_chars | set(branches)))

    def fix_text(self, text: str) -> str:
        """The text as ``ftfy.fix_text`` fixes it."""
        if not self.exact:
            return ftfy.fix_text(text, config=self.config)
        if self.config.normalization is None:
            positions: Iterator[int] = (match.start() for match in self._trigger.finditer(text))
        else:  # any segment may be outside the normal form: look at each
            positions = self._segment_starts(text)
        first_tag = text.find("<")
        parts: list[str] = []
        done = checked = 0
        for position in positions:
            if position < checked:
                continue
            start, end = self._segment(text, position)
            checked = end
            segment = text[start:end]
            if segment in self.clean_segments:
                continue
            if not self.may_change(segment):
                if len(self.clean_segments) >= _MEMO_SIZE:
                    self.clean_segments.clear()
                self.clean_segments.add(segment)
                continue
            config = self.config
            if config.unescape_html == "auto" and 0 <= first_tag < end:
                config = config._replace(unescape_html=False)  # as ftfy.fix_text does
            parts += [text[done:start], ftfy.fix_and_explain(segment, config)[0]]
            done = end
        return "".join([*parts, text[done:]]) if parts else text  # one copy of a long text, not two

    def _segment_starts(self, text: str) -> Iterator[int]:
        position = 0
        while position < len(text):
            yield position
            position = self._segment(text, position)[1]

    def _segment(self, text: str, position: int) -> tuple[int, int]:
        """Bounds of the ``ftfy.fix_text`` segment that contains ``position``."""
        limit = self.config.max_decode_length
        start = text.rfind("\n", 0, position) + 1
        start += (position - start) // limit * limit
        end = text.find("\n", start) + 1 or len(text)
        return start, min(end, start + limit)

    def may_change(self, segment: str) -> bool:
        """False only when ``ftfy.fix_and_explain`` returns ``segment`` unchanged (with this
        configuration, HTML unescaping on or off: the ``&`` is looked at either way)."""
        config = self.config
        if config.normalization and not unicodedata.is_normalized(config.normalization, segment):
            return True
        if self._fixer_chars is not None and self._fixer_chars.search(segment):
            return True
        if not config.fix_encoding or segment.isascii():
            return False
        for hint in self._hints.finditer(segment):
            at = hint.start()
            for branch, longest in self._branches[hint.group()]:
                if branch.search(segment, max(0, at - longest + 1), at + longest):
                    return True
        return False
