"""The one interface of the pipeline's stages, and the composite that runs stages to a fixed point.

A stage is any callable ``Document -> Document`` with a ``name``: it changes the document's
text or metadata and appends an :class:`~cleaner.document.Edit` per change to ``doc.edits``.
A stage keeps nothing from one document to the next (a cache that cannot change a result,
such as the fix stage's memo of clean lines, says so where it is defined).
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Protocol, runtime_checkable

from cleaner.document import Document


@runtime_checkable
class Stage(Protocol):
    """``stage(doc) -> doc``; ``stage.name`` names it in ``Cleaner.stages`` (and in its edits)."""

    name: str

    def __call__(self, doc: Document) -> Document: ...


class FixedPoint:
    """Stage ``text``: its ``stages`` in order, again and again until a round leaves the text as it
    was (at most ``rounds`` rounds), so that cleaning twice is cleaning once.

    ftfy decides line by line and a rule sees lines as they are when it runs, so a line that a
    later stage shortened or joined may only now read as mojibake or match a rule.
    """

    name = "text"

    def __init__(self, stages: Iterable[Stage], rounds: int = 4):
        self.stages = list(stages)
        self.rounds = rounds

    def __call__(self, doc: Document) -> Document:
        for _ in range(self.rounds):
            before = digest(doc.text)  # not the text itself: a big text is not held a round long
            for stage in self.stages:
                doc = stage(doc)
            if digest(doc.text) == before:
                break
        return doc


def digest(text: str, piece: int = 1 << 16) -> bytes:
    """A fingerprint of ``text`` that two different texts do not share (BLAKE2b, 128 bits), of
    its UTF-8 encoded ``piece`` characters at a time (the encoder's buffer for a whole big text
    is bigger than the text).

    >>> digest("Un texte.") == digest("Un texte."), digest("Un texte.") == digest("Un texte!")
    (True, False)
    """
    hashed = hashlib.blake2b(digest_size=16)
    for start in range(0, len(text), piece):
        hashed.update(text[start:start + piece].encode("utf-8", "surrogatepass"))
    return hashed.digest()


def find(stages: list[Stage], name: str) -> tuple[list[Stage], int]:
    """The list holding the stage called ``name`` (``stages`` or a composite's, at any depth)
    and its position there; ``KeyError`` when there is none."""
    for position, stage in enumerate(stages):
        if stage.name == name:
            return stages, position
        inner = getattr(stage, "stages", None)
        if isinstance(inner, list):
            try:
                return find(inner, name)
            except KeyError:
                pass
    raise KeyError(f"no stage named {name!r}")
