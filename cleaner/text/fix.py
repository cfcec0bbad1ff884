"""Stage ``fix``: repair broken Unicode with ftfy, keeping the author's typography by default."""
from __future__ import annotations

from typing import Any, Iterator

import ftfy

from cleaner.document import Document, Edit
from cleaner.errors import ConfigError
from cleaner.text.fixfilter import SegmentFilter
from cleaner.text.normalise import nfc

# ftfy's own defaults, except where a news corpus wants the author's text kept as written:
# curly quotes, ligatures and full-width characters stay; NFC is applied by the normalise stage.
FTFY_DEFAULTS: dict[str, Any] = {
    "uncurl_quotes": False,
    "fix_latin_ligatures": False,
    "fix_character_width": False,
    "normalization": None,
    "explain": False,
}
_MAX_ROUNDS = 3


def fix_to_fixed_point(text: str, segments: SegmentFilter) -> str:
    """Apply ``ftfy.fix_text`` until the text stops changing (at most a few rounds).

    The text is put in NFC first: ftfy does not see mojibake spelt with combining marks,
    which the normalise stage would compose, so a second cleaning would find it.
    ``segments`` runs ftfy only on the lines it can change, with the same result.
    """
    text = nfc(text)
    for _ in range(_MAX_ROUNDS):
        fixed = segments.fix_text(text)
        if fixed == text:
            break
        text = fixed
    return text


class Fixer:
    """Stage ``fix``: ftfy with a configurable :class:`ftfy.TextFixerConfig`.

    Its :class:`~cleaner.text.fixfilter.SegmentFilter` keeps a bounded memo of the lines it found
    to need nothing; a line's answer depends on that line only, so the memo never changes a result.
    """

    name = "fix"

    def __init__(self, options: dict[str, Any] | None = None):
        options = {**FTFY_DEFAULTS, **(options or {})}
        unknown = set(options) - set(ftfy.TextFixerConfig._fields)
        if unknown:
            raise ConfigError(f"[fix] unknown ftfy option(s): {', '.join(sorted(unknown))}")
        self.config = ftfy.TextFixerConfig(**options)
        self.segments = SegmentFilter(self.config)

    def __call__(self, doc: Document) -> Document:
        fixed = fix_to_fixed_point(doc.text, self.segments)
        if fixed != doc.text:
            doc.edits.extend(_line_edits(self.name, doc.text, fixed))
            doc.text = fixed
        return doc


def _line_edits(stage: str, before: str, after: str) -> list[Edit]:
    """One edit per changed line when the line count is kept, else one for the whole text.
    The lines are taken one at a time (a big text is not split into two lists of them)."""
    if before.count("\n") != after.count("\n"):
        return [Edit.at(stage, "ftfy", before, 0, len(before), after)]
    edits, offset = [], 0
    for number, (a, b) in enumerate(zip(_lines(before), _lines(after)), 1):
        if a != b:
            edits.append(Edit.at(stage, "ftfy", before, offset, offset + len(a), b, number))
        offset += len(a) + 1
    return edits


def _lines(text: str) -> Iterator[str]:
    """``text.split("\\n")``, one line at a time.

    >>> list(_lines("a\\n\\nb")), list(_lines(""))
    (['a', '', 'b'], [''])
    """
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]
