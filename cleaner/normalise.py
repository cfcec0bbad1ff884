"""Stage 5: Unicode NFC, LF line ends, one paragraph per line, blank line between paragraphs.

Control characters (Unicode Cc) other than the newline are gone from the result; format
characters (bidi marks and isolates, ZWJ, ZWNJ) are kept, in the order they came.
"""
from __future__ import annotations

import re
import unicodedata

from .document import Document

STAGE = "normalise"
_SPACE_RUN = re.compile(r"[ \t]+")
_LINE_BREAKS = re.compile(r"\r\n?|[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def normalise_text(text: str) -> str:
    """The canonical layout of a cleaned article.

    >>> normalise_text("  Titre \\r\\nUn  paragraphe.\\n\\n\\nUn autre.  ")
    'Titre\\n\\nUn paragraphe.\\n\\nUn autre.\\n'
    >>> normalise_text(" \\n ")
    ''
    >>> normalise_text("a\\x00b\\x81c")
    'abc\\n'
    """
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text))
    text = _CONTROLS.sub("", text)
    paragraphs = [_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


class Normaliser:
    """Stage ``normalise``: layout only, so it keeps no edit log."""

    stage = STAGE

    def __call__(self, doc: Document) -> Document:
        doc.text = normalise_text(doc.text)
        return doc
