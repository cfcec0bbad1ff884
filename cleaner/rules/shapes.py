"""The shape rule kinds: boilerplate told by its shape, the words of each language in YAML.

Boilerplate has few shapes and many spellings. Each shape is one pure function here,
``shape(lines, words, lexicon) -> [(first line, one past the last)]``: ``words`` are the lists
of the rule (a ``teaser-box`` rule's ``labels``, an ``ui-line`` rule's ``words`` and
``phrases``...), ``lexicon`` the lists of every shape rule of the document's language, so that
a shape may read the others' (a teaser box lets date lines through between its titles).

Words are matched on whole tokens of the lowercased, NFC-normalised line (a token is a run of
letters and digits, or one CJK character), with frozen sets of token tuples: no regex per
word (the tokens, phrase sets and line tests are in ``cleaner.rules.lexicon``), and adding a
language is adding its lists (``rules/<lang>/shapes.yaml``).

=================  ========================================================================
kind               the shape, and the lists it reads
=================  ========================================================================
teaser-box         a label line ("Read more") and the run of headline-like lines under it
                   (dates between titles too), or "Label: Title" on one line — ``labels``
ui-line            a line made only of interface words (``words``; ``weak`` ones alone do
                   not make one) and counters, or a short line holding a ``phrases`` entry
credit-line        "Photo: …" (``labels``), "… / AFP" (``agencies``), "© …" (``patterns``),
                   "All rights reserved" (``phrases``)
tag-list           "Tags: a, b, c" or a tag label alone over a run of short lines
                   (``labels``); "Home > World > Europe" (``separators``)
embed-residue      fixed strings of embedded posts: ``patterns`` (regexes), ``phrases``
consent-notice     a short line holding a cookie / blocked-content ``phrases`` entry
date-line          a line of numbers and date words only (``words``): "Updated 9:15 am Monday"
stamp-list         three or more stamped lines (``patterns``: dates, times), a headline at most
                   between two: a list of other stories (``cleaner.rules.thread``)
comment-thread     three or more signatures (a name beside a date and a time, or beside a
                   stamp and one of ``signatures``) a few lines apart, the comments between
                   them and a thread label (``labels``) above
=================  ========================================================================
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from cleaner.document import Edit
from cleaner.errors import RuleError
from cleaner.rules.example import Example, check_examples
from cleaner.rules.thread import comment_thread, stamp_list
from cleaner.rules.lexicon import (
    COUNT_SUFFIX, INLINE_LABEL, LABEL_STRIP, QUOTES, Lexicon, Line, Words, contains, cover, ends_sentence,
    fragment, headline_like, is_counter, is_date_line, line_test, prose_like, split_lines, starts_lower,
    starts_with, tokens, words_of,
)

SHAPE_KINDS = ("teaser-box", "ui-line", "credit-line", "tag-list", "embed-residue", "consent-notice", "date-line",
               "stamp-list", "comment-thread")
STAGE = "shapes"
# the lists each kind reads ('patterns' are regexes, 'separators' a string of characters)
LISTS = {
    "teaser-box": ("labels",),
    "ui-line": ("words", "phrases", "weak"),
    "credit-line": ("labels", "agencies", "phrases", "patterns"),
    "tag-list": ("labels", "separators"),
    "embed-residue": ("phrases", "patterns"),
    "consent-notice": ("phrases",),
    "date-line": ("words",),
    "stamp-list": ("patterns",),
    "comment-thread": ("signatures", "labels"),
}
REGEX_LISTS = ("patterns",)

# ---------------------------------------------------------------- the shapes

Span = tuple[int, int]


def teaser_box(lines: list[Line], words: Words, lexicon: Lexicon) -> list[Span]:
    labels, dates = words.get("labels"), words_of(lexicon, "date-line").get("words")
    if not labels:
        return []

    def label(line: Line) -> bool:
        if not line.toks or line.toks[0] not in labels.firsts or len(line.toks) > labels.longest + 2:
            return False
        core = COUNT_SUFFIX.sub("", LABEL_STRIP.sub("", line.s))
        return bool(core) and tuple(tokens(core)) in labels

    out, i, n = [], 0, len(lines)
    while i < n:
        if label(lines[i]):
            j = i + 1
            while j < n and j - i <= 25:
                m = lines[j]
                if m.toks and not (label(m) or is_date_line(m, dates) or (headline_like(m) and not prose_like(m))):
                    break
                if m.toks and j + 1 < n and lines[j + 1].toks and starts_lower(lines[j + 1].s):
                    break  # a sentence broken over lines, not a title
                j += 1
            out.append((i, j))
            i = j
            continue
        inline = INLINE_LABEL.match(lines[i].s) if lines[i].toks and lines[i].toks[0] in labels.firsts else None
        if inline and tuple(tokens(inline.group(1))) in labels:
            rest = inline.group(2)
            if headline_like(Line(rest, tuple(tokens(rest)))):
                out.append((i, i + 1))
        i += 1
    return out


def lines_where(test: Callable[[Line, Words], bool], lines: list[Line], words: Words) -> list[Span]:
    """The lines (non-blank) that pass ``test``, each a span of its own; a line is tested once
    with these lists (:func:`~cleaner.rules.lexicon.line_test`)."""
    tested = line_test(test, words)
    return [(i, i + 1) for i, line in enumerate(lines) if line.toks and tested(line)]


def _ui_line(line: Line, words: Words) -> bool:
    ui, phrases, weak = words.get("words"), words.get("phrases"), words.get("weak").singles
    n = len(line.toks)
    if n <= 15 and ui and not (n >= 3 and ends_sentence(line.s)):  # a sentence is not a button row
        miss, hits = cover(line.toks, ui, allow=is_counter)
        if miss == 0 and hits and any(t not in weak and not is_counter(t) for t in line.toks):
            return True
    return n <= 25 and not prose_like(line) and bool(contains(line.toks, phrases))


def _credit_line(line: Line, words: Words) -> bool:
    labels, agencies, phrases = words.get("labels"), words.get("agencies"), words.get("phrases")
    n, s = len(line.toks), line.s
    if n > 30:
        return False
    if words.search(s) or contains(line.toks, phrases):
        return True
    if n > 16:
        return False
    if (labels and starts_with(line.toks, labels) and re.match(r"^\W*\w[\w\s/.]*?\s*[:：/|]", s)
            and not ends_sentence(s.rstrip("."))):
        return True
    head = tuple(tokens(s.split("/")[0].split("|")[0])) if "/" in s or "|" in s else ()
    if agencies and head in agencies and n - len(head) <= 5 and not re.search(r"[:：]", s) and not ends_sentence(s):
        return True  # "AFP / Jane Example"
    for k in range(min(4, n), 0, -1) if agencies and n <= 12 else ():
        if line.toks[-k:] in agencies:  # "… / AFP", "(Reuters)"
            return bool((re.search(r"[/|©(,]\s*[^/|©(,]*$", s) or n <= k + 1) and not ends_sentence(s.rstrip(")")))
    return False


def tag_list(lines: list[Line], words: Words, lexicon: Lexicon) -> list[Span]:
    labels, seps = words.get("labels"), words.separators
    crumb = re.compile(rf"\s?[{re.escape(seps)}]\s?") if seps else None
    marks = "".join(dict.fromkeys(seps))  # crumb matches where one of them is
    out, i = [], 0
    while i < len(lines):
        line, s = lines[i], lines[i].s
        if crumb is not None and any(mark in s for mark in marks) and not ends_sentence(s) and not QUOTES.search(s):
            parts = [p for p in crumb.split(s) if p.strip()]
            if len(parts) >= 2 and all(len(tokens(p)) <= 4 for p in parts):
                out.append((i, i + 1))
                i += 1
                continue
        label = starts_with(line.toks, labels) if labels else None
        if label:
            rest = re.split(r"[:：]", s, maxsplit=1)[1] if re.search(r"[:：]", s) else None
            if rest is not None and rest.strip():
                items = [x for x in re.split(r"[,;|/·•，、]", rest) if x.strip()]
                if items and all(len(tokens(x)) <= 5 for x in items):
                    out.append((i, i + 1))
            elif len(line.toks) == len(label):
                j = i + 1
                while j < len(lines) and j - i <= 30 and 0 < len(lines[j].toks) <= 5 and not ends_sentence(lines[j].s):
                    j += 1
                out.append((i, j))
                i = j
                continue
        i += 1
    return out


def _embed_residue(line: Line, words: Words) -> bool:
    return len(line.toks) <= 80 and (words.search(line.s) or bool(contains(line.toks, words.get("phrases"))))


def _consent_notice(line: Line, words: Words) -> bool:
    return len(line.toks) <= 40 and bool(contains(line.toks, words.get("phrases")))


def _date_line(line: Line, words: Words) -> bool:
    return is_date_line(line, words.get("words"))


LINE_TESTS: dict[str, Callable[[Line, Words], bool]] = {  # kinds whose spans are lines_where(test)
    "ui-line": _ui_line, "credit-line": _credit_line, "embed-residue": _embed_residue,
    "consent-notice": _consent_notice, "date-line": _date_line}
SHAPES: dict[str, Callable[[list[Line], Words, Lexicon], list[Span]]] = {  # the kinds that read runs of lines
    "teaser-box": teaser_box,
    "tag-list": tag_list,
    "stamp-list": stamp_list,
    "comment-thread": comment_thread,
}


# ---------------------------------------------------------------- the rule

@dataclass
class ShapeRule:
    """One shape rule of a pack: its kind, its compiled lists, and for which language."""

    id: str
    kind: str
    description: str
    words: Words
    language: str | None = None
    site: str | None = None
    enabled: bool = True
    examples: tuple[Example, ...] = ()
    pack: str = ""
    source: str = ""
    line: int | None = None
    lexicon: Lexicon = field(default_factory=dict, repr=False)  # its pack's lists, for its examples

    engine = "-"

    def spans(self, lines: list[Line], lexicon: Lexicon) -> list[Span]:
        test = LINE_TESTS.get(self.kind)
        return lines_where(test, lines, self.words) if test else SHAPES[self.kind](lines, self.words, lexicon)

    def apply(self, text: str, lexicon: Lexicon | None = None) -> tuple[str, list[Edit]]:
        """The text without the lines this rule takes, and one edit per run of them."""
        lines = split_lines(text)
        reasons: dict[int, str] = {}
        mark(reasons, lines, self.spans(lines, lexicon or self.lexicon), self.id)
        return drop_lines(text, lines, reasons)

    def apply_text(self, text: str) -> str:
        return self.apply(text)[0]

    def check_examples(self, seconds: float | None = None) -> list[RuleError]:
        return check_examples(self, self.apply_text, seconds)


def mark(reasons: dict[int, str], lines: list[Line], spans: list[Span], reason: str) -> None:
    """Give the lines of ``spans`` their reason (the first one given stays); blank lines at the
    end of a span are left, so a blank line never goes unless lines it separates go too; nor
    does a line alone that is a fragment of a broken sentence."""
    for a, b in spans:
        if b - a == 1 and fragment(lines, a):
            continue
        while b > a and not lines[b - 1].text.strip():
            b -= 1
        for k in range(a, b):
            reasons.setdefault(k, reason)


def drop_lines(text: str, lines: list[Line], reasons: dict[int, str]) -> tuple[str, list[Edit]]:
    """``text`` without the lines numbered in ``reasons`` (each with its newline), one edit per
    run of consecutive lines dropped for the same reason."""
    if not reasons:
        return text, []
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line.text) + 1
    ends = starts[1:] + [len(text)]
    keep, edits, k = [], [], 0
    while k < len(lines):
        if k not in reasons:
            keep.append(lines[k].text)
            k += 1
            continue
        j = k
        while j + 1 < len(lines) and reasons.get(j + 1) == reasons[k]:
            j += 1
        start, end = starts[k], ends[j]
        if end == len(text) and start > 0 and not text.endswith("\n"):
            start -= 1  # the last line goes with the newline before it
        edits.append(Edit.at(STAGE, reasons[k], text, start, end, "", k + 1))
        k = j + 1
    return "\n".join(keep), edits
