"""Stage ``normalise``: Unicode NFC, LF line ends, one paragraph per line, blank line between paragraphs.

Control characters (Unicode Cc) other than the newline are gone from the result; format
characters (bidi marks and isolates, ZWJ, ZWNJ) are kept, in the order they came, inside a
line; the invisible ones (zero-width space, ZWNJ, ZWJ, word joiner, soft hyphen, BOM) go from
the ends of a line, as spaces do, so a line holding only them is empty.
"""
from __future__ import annotations

import re
import unicodedata

from cleaner.document import Document

STAGE = "normalise"
_SPACE_RUN = re.compile(r"[ \t]+")
_LINE_BREAKS = re.compile(r"\r\n?|[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
# Both start with the newline, so the regex engine jumps from one newline to the next.
_ADJACENT_LINES = re.compile(r"\n(?<=[^\n]\n)(?=[^\n])")  # two lines with no blank line between
INVISIBLE = "\u200b\u200c\u200d\u2060\u00ad\ufeff"
_EDGE_CHARS = "".join(chr(code) for code in range(0x3001) if chr(code).isspace()) + INVISIBLE
# what strip_line() takes off a line, at a line's start or end
_EDGE_SPACE = re.compile(rf"\n(?:(?<=[^\S\n]\n)|(?=[^\S\n])|(?<=[{INVISIBLE}]\n)|(?=[{INVISIBLE}]))")


def strip_line(line: str) -> str:
    """``line`` without spaces or invisible characters at either end.

    >>> strip_line("\\u200b Quels sont les risques ?\\u00a0"), strip_line("\\u200c\\u2060")
    ('Quels sont les risques ?', '')
    """
    return line.strip(_EDGE_CHARS)


def lines_stand_apart(text: str) -> bool:
    """True when no two non-empty lines touch and no line has space at either end.

    >>> lines_stand_apart("Un.\\n\\nDeux.\\n"), lines_stand_apart("Un\\nDeux."), lines_stand_apart("Un \\n")
    (True, False, False)
    """
    return not (_ADJACENT_LINES.search(text) or _EDGE_SPACE.search(text) or text[:1].isspace()
                or (text[-1:].isspace() and text[-1] != "\n") or (text and text[0] in INVISIBLE)
                or (text and text[-1] in INVISIBLE))


def is_normal(text: str) -> bool:
    """True only when :func:`normalise_text` would give ``text`` back (a cheaper test).

    >>> is_normal("Titre\\n\\nUn paragraphe.\\n"), is_normal("Titre\\nUn paragraphe.\\n"), is_normal("")
    (True, False, True)
    """
    if not text:
        return True
    return (text.endswith("\n") and not text.endswith("\n\n") and not text.startswith("\n")
            and "\n\n\n" not in text and "  " not in text and "\t" not in text
            and lines_stand_apart(text) and unicodedata.is_normalized("NFC", text)
            and not _LINE_BREAKS.search(text) and not _CONTROLS.search(text))


def nfc(text: str) -> str:
    """``unicodedata.normalize("NFC", text)``, line by line: the same text (no character composes
    with a newline, nor is moved across one), but only the lines outside NFC are copied, and
    NFC's working buffers (4 bytes a character) are a line's, not the whole text's.

    >>> nfc("Cafe\\u0301\\nde\\u0301ja\\u0300") == "Caf\\u00e9\\nd\\u00e9j\\u00e0", nfc("e\\n\\u0301") == "e\\n\\u0301"
    (True, True)
    """
    if unicodedata.is_normalized("NFC", text):
        return text
    parts: list[str] = []
    done = start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        if not unicodedata.is_normalized("NFC", line):
            parts += [text[done:start], unicodedata.normalize("NFC", line)]
            done = end
        start = end + 1
    return "".join([*parts, text[done:]])


def normalise_text(text: str) -> str:
    """The canonical layout of a cleaned article.

    >>> normalise_text("  Titre \\r\\nUn  paragraphe.\\n\\n\\nUn autre.  ")
    'Titre\\n\\nUn paragraphe.\\n\\nUn autre.\\n'
    >>> normalise_text(" \\n ")
    ''
    >>> normalise_text("a\\x00b\\x81c")
    'abc\\n'
    """
    text = _LINE_BREAKS.sub("\n", _CONTROLS.sub("", text))  # controls first: NFC composes across
    paragraphs = [p for p in map(_normal_line, text.split("\n")) if p]  # the gap a removed one leaves
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def _normal_line(line: str) -> str:
    """One line in NFC, its runs of spaces collapsed, its ends stripped. Line by line, not the
    whole text at once: the same result (no character composes with a newline, nor is moved
    across one), without whole-text copies and NFC's working buffers of 4 bytes a character."""
    line = unicodedata.normalize("NFC", line)  # the line itself when it is already NFC
    if "  " in line or "\t" in line:  # else no run to collapse
        line = _SPACE_RUN.sub(" ", line)
    return strip_line(line)


class Normaliser:
    """Stage ``normalise``: layout only, so it keeps no edit log."""

    name = STAGE

    def __call__(self, doc: Document) -> Document:
        if not is_normal(doc.text):  # the text stages' second round mostly finds it so
            doc.text = normalise_text(doc.text)
        return doc
