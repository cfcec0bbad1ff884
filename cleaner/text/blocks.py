"""Stage ``text`` of a big text: each round of the text stages runs block by block, so that time
and memory grow with the size and not faster (issue 15).

A text of at most :data:`BLOCKWISE_CHARS` characters goes to the text stages whole, as it always
has (:class:`~cleaner.stage.FixedPoint`). A longer one is cleaned in rounds as the fixed point
cleans a text, until a round leaves it as it was: at the start of a round, ``language-in`` labels
the whole text (the same sample of it as for a text cleaned whole: the label chooses the rule
packs, and a big text's packs are those its label gives, as before); then the text is cut into
blocks and each block runs one round of the stages, as a text of its own, with that label; the
blocks are joined again with a blank line between them (how the normalise stage separates two
lines). Each block is a string of its own, as narrow as its characters allow (one emoji no longer
makes every stage's copy four bytes a character), no stage holds two copies of the whole text,
and a block's time does not depend on the size of the text.

Cleaning twice is cleaning once, as for a text cleaned whole: the last round left the text as it
was, cut where it is cut and labelled as it is labelled, so the first round of a second cleaning
leaves it too. Where the blocks are cut is decided by the content, so that cuts do not move from
one round to the next: some words are *anchors* (a word of six or more word characters whose
CRC-32 is a multiple of ``spacing``: about one such word in ``spacing``), and a block ends at the
end of the first line that holds an anchor and ends a sentence (:func:`block_spans`): the stages
keep such a line, and the repair stage does not join a line that ends a sentence to the next.

An edit's line is its block's line as the stage saw it plus the lines before the block in the
text the round started from.
"""
from __future__ import annotations

import dataclasses
import re
import zlib

from cleaner.document import Document, Edit
from cleaner.stage import FixedPoint, Stage, digest

BLOCKWISE_CHARS = 500_000  # longer texts are cleaned in blocks (every text of the dev sets is < 80K)
BLOCK_CHARS = 100_000  # a block ends at the first line it may end with past this many characters
ANCHOR_SPACING = 64  # one long word in about this many is an anchor
LABEL_STAGE = "language-in"  # its label chooses the rule packs: the whole text's, for every block

_WORD = re.compile(r"\w{6,}")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'»”’)\]」』）]*[^\S\n]*$")  # the end of a line that ends a sentence
_LINE_BREAKS = re.compile(r"\n(?:[^\S\n]*\n)*")  # a line break and the blank lines after it


def is_anchor(word: str, spacing: int = ANCHOR_SPACING) -> bool:
    """Whether the line holding ``word`` may end a block: its CRC-32 is a multiple of ``spacing``.

    >>> [is_anchor(w, 2) for w in ("Ombrelune", "Cendrine", "Tourbillon")]
    [False, True, True]
    """
    return zlib.crc32(word.encode("utf-8", "surrogatepass")) % spacing == 0


def block_spans(text: str, size: int = BLOCK_CHARS, spacing: int = ANCHOR_SPACING) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each block of ``text``: a block ends with the first line, ``size``
    characters or more after its start, that holds an anchor word (:func:`is_anchor`) and ends a
    sentence; the line break and blank lines after it belong to no block.

    >>> text = "Ombrelune passe.\\nCendrine arrive, puis\\nCendrine repart.\\n\\nFin du texte."
    >>> [text[s:e] for s, e in block_spans(text, 1, 2)]
    ['Ombrelune passe.\\nCendrine arrive, puis\\nCendrine repart.', 'Fin du texte.']
    """
    spans, start = [], 0
    for word in _WORD.finditer(text):
        if word.start() < start + size or not is_anchor(word.group(), spacing):
            continue
        end = text.find("\n", word.end())
        if end < 0:
            break
        if _SENTENCE_END.search(text, word.end(), end):
            spans.append((start, end))
            start = _LINE_BREAKS.match(text, end).end()  # type: ignore[union-attr]
    spans.append((start, len(text)))
    return spans


class Blockwise:
    """Stage ``text``: ``inner`` (the text stages' :class:`FixedPoint`) on the whole text, or its
    rounds block by block on a text longer than ``threshold`` characters (module docstring).

    ``stages`` is ``inner``'s list itself, so that a stage inserted in ``text`` runs in both."""

    name = "text"

    def __init__(self, inner: FixedPoint, threshold: int = BLOCKWISE_CHARS, size: int = BLOCK_CHARS,
                 spacing: int = ANCHOR_SPACING):
        self.inner = inner
        self.stages = inner.stages
        self.threshold = threshold
        self.size = size
        self.spacing = spacing

    def __call__(self, doc: Document) -> Document:
        if len(doc.text) <= self.threshold or len(block_spans(doc.text, self.size, self.spacing)) == 1:
            return self.inner(doc)
        for _ in range(self.inner.rounds):
            before = digest(doc.text)
            self._round(doc, FixedPoint(self._with_label(self._label(doc)), rounds=1))
            if digest(doc.text) == before:
                break
        if len(doc.text) <= self.threshold:  # cleaned again, it would be cleaned whole: so it is now
            return self.inner(doc)
        return doc

    def _label(self, doc: Document) -> str | None:
        """The label ``language-in`` gives the whole of ``doc.text`` (None without that stage)."""
        stage = next((stage for stage in self.stages if stage.name == LABEL_STAGE), None)
        if stage is None:
            return None
        whole = Document(text=doc.text, id=doc.id, metadata=dict(doc.metadata), path=doc.path, url=doc.url)
        return stage(whole).metadata.get("language")

    def _with_label(self, label: str | None) -> list[Stage]:
        """The stages, ``language-in`` giving every block ``label``."""
        if label is None:
            return list(self.stages)
        return [_Label(label) if stage.name == LABEL_STAGE else stage for stage in self.stages]

    def _round(self, doc: Document, stages: FixedPoint) -> None:
        """``doc.text`` cut into blocks, each cleaned by ``stages``, joined again. Once cut, the
        text is let go: the blocks wait in UTF-8 (a character outside the BMP in every block would
        make each block's string four bytes a character) and each is decoded when its turn comes."""
        text, doc.text = doc.text, ""
        spans = block_spans(text, self.size, self.spacing)
        blocks = [text[start:end].encode("utf-8", "surrogatepass") for start, end in spans]
        lines, counted = [0], 0  # the lines before each block
        for start, _ in spans:
            lines.append(lines[-1] + text.count("\n", counted, start))
            counted = start
        del text
        pieces: list[str] = []
        for number, before in enumerate(lines[1:]):
            block, blocks[number] = blocks[number].decode("utf-8", "surrogatepass"), b""
            part = Document(text=block, id=doc.id, metadata=doc.metadata, path=doc.path, url=doc.url,
                            html=doc.html, page=doc.page)
            del block
            part = stages(part)
            doc.edits.extend(_shifted(part.edits, before))
            piece = part.text.rstrip("\n")
            if piece:
                pieces.append(piece)
        if pieces:
            pieces[-1] += "\n"  # the text's last line break, added to the piece, not to a copy of the text
        doc.text = "\n\n".join(pieces)


class _Label:
    """Stage ``language-in`` of a block: the label of the whole text, not the block's own."""

    name = LABEL_STAGE

    def __init__(self, label: str):
        self.label = label

    def __call__(self, doc: Document) -> Document:
        doc.metadata["language"] = self.label
        return doc


def _shifted(edits: list[Edit], lines: int) -> list[Edit]:
    """``edits`` of a block, their lines moved down by the ``lines`` before it (line 0: no line)."""
    if not lines:
        return edits
    return [dataclasses.replace(edit, line=edit.line + lines) if edit.line else edit for edit in edits]
