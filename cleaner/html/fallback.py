"""Checks and repairs of an extraction that may have gone wrong.

- :func:`weigh_unpruned`: cheap signals that the pruned page's extraction went wrong (far shorter than
  the page's article candidate or holding little of its words, much of the page pruned) call for
  the unpruned page's extraction; the unpruned text wins when the pruned one is far shorter and
  overlaps it little.
- :func:`repair_boundaries`: trafilatura's fallbacks (readability, jusText, its baseline) may
  glue the page's blocks into one long line; where a long line holds the start of one of the
  page's blocks glued to the text before it, the line break comes back.
- :func:`drop_removed`: a text extracted from the unpruned page, or by a fallback, may bring
  back what the HTML rules removed (an embed's text): those lines go again.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cleaner.html.guard import NO_TEXT_TAGS, PageProfile, text_of
from cleaner.html.prune import _BLOCK_TAGS

if TYPE_CHECKING:
    from lxml import etree

_KEY = 24  # characters of a block's start that must be found glued in a line
MIN_LINE = 200  # lines shorter than this are left as they are
MIN_REMOVED = 25  # a removed element's text shorter than this is not looked for
_SENTENCE_END = ".!?:;。！？\"”»"
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+")
SHORT_SHARE = 0.8  # pruned text shorter than this share of the candidate's: compare
BIG_REMOVAL = 0.3  # the rules removed more than this share of the page's prose: compare ...
# ... if they removed at least this share of the pruned text's characters: the unpruned text wins on
# length only with two-thirds more tokens (:func:`weigh_unpruned`), which what was removed must
# bring unless trafilatura reads another part of the page (the short and coverage signs); a half,
# not two-thirds, for the words of what was removed that may be shorter
GAIN_SHARE = 0.5
MIN_COVERAGE = 0.5  # pruned text holding less of the candidate's words than this: compare


def tokens(text: str) -> list[str]:
    """Words, and each CJK character as a word of its own, lower-cased.

    >>> tokens("Le Monde 日本")
    ['le', 'monde', '日', '本']
    """
    return _TOKEN.findall(text.lower())


class CandidateWords:
    """The words (:func:`tokens`) of a page's article candidate, read on first use: most pages
    never need them."""

    def __init__(self, profile: PageProfile | None):
        self.profile = profile
        self.words: list[str] | None = None

    def __call__(self) -> list[str]:
        if self.words is None:
            element = self.profile.candidate if self.profile is not None else None
            self.words = tokens(text_of(element)) if element is not None else []
        return self.words


def coverage(candidate: list[str], text: str, words: set[str] | None = None) -> float:
    """The share of the candidate's distinct words that ``text`` holds (1.0 without a candidate);
    ``words``: the tokens of ``text``, when already known.

    >>> coverage(tokens("Le maire a parlé"), "Le maire est parti")
    0.5
    """
    distinct = set(candidate)
    if not distinct:
        return 1.0
    return len(distinct & (set(tokens(text)) if words is None else words)) / len(distinct)


def weigh_unpruned(pruned: str, unpruned: str, candidate: list[str] = ()) -> tuple[str | None, str]:
    """Why the unpruned page's text should replace the pruned page's (None: the pruned stays),
    and the figures weighed, for the edit log either way; each text tokenised once. The
    unpruned one wins when the pruned one is far shorter and overlaps it little, or misses the
    article candidate's words that the unpruned one holds.

    >>> weigh_unpruned("Un mot.", "Un mot. " + "Tout un article ici. " * 10)[0]
    'pruned text 2 tokens vs 42 unpruned'
    >>> weigh_unpruned("Un article complet ici.", "Un article complet ici. Lire aussi.")
    (None, '4 tokens vs 6 unpruned, overlap 100%')
    """
    mine, theirs = tokens(pruned), tokens(unpruned)
    distinct, distinct_theirs = set(mine), set(theirs)
    overlap = len(distinct & distinct_theirs) / max(len(distinct), 1)
    figures = f"{len(mine)} tokens vs {len(theirs)} unpruned, overlap {overlap:.0%}"
    if len(mine) < 0.6 * len(theirs) and overlap < 0.7:
        return f"pruned text {figures}", figures
    if len(mine) < 0.5 * len(theirs):
        return f"pruned text {len(mine)} tokens vs {len(theirs)} unpruned", figures
    held, held_unpruned = coverage(candidate, pruned, distinct), coverage(candidate, unpruned, distinct_theirs)
    if held < MIN_COVERAGE and held_unpruned > held + 0.3:
        return (f"pruned text holds {held:.0%} of the article candidate's words, unpruned {held_unpruned:.0%}",
                figures)
    return None, figures


def block_starts(root: etree._Element) -> set[str]:
    """The first characters of the page's text blocks (leaf blocks, and runs of text between blocks)."""
    starts: set[str] = set()
    buffer: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buffer).split())
        buffer.clear()
        if len(text) >= _KEY + 6:
            starts.add(text[:_KEY])

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in NO_TEXT_TAGS or not tag:
            buffer.append(element.tail or "")
            return
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        buffer.append(element.text or "")
        for child in element:
            walk(child)
        if block:
            flush()
        buffer.append(element.tail or "")

    body = root.find(".//body")
    walk(body if body is not None else root)
    flush()
    return starts


def repair_boundaries(text: str, starts: set[str]) -> tuple[str, list[tuple[int, str]]]:
    """``text`` with a paragraph break put back wherever a line of ``MIN_LINE`` characters or
    more holds a block start glued to what comes before it (no space, or a sentence end and a
    space); and the cuts made, as (line number, the text that now starts a paragraph).

    >>> repair_boundaries("Fin de la phrase." + "x" * 200 + "Début du bloc suivant ici et la suite.",
    ...                   {"Début du bloc suivant ic"})[1]
    [(1, 'Début du bloc suivant ic')]
    """
    cuts_made: list[tuple[int, str]] = []
    lines = []
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) < MIN_LINE:
            lines.append(line)
            continue
        flat = " ".join(line.split())
        cuts = set()
        for key in starts:
            position = flat.find(key, 1)
            while position > 0:
                if flat[position - 1] != " " or (position > 1 and flat[position - 2] in _SENTENCE_END):
                    cuts.add(position)
                position = flat.find(key, position + 1)
        if not cuts:
            lines.append(line)
            continue
        pieces, last = [], 0
        for cut in sorted(cuts):
            pieces.append(flat[last:cut].strip())
            cuts_made.append((number, flat[cut:cut + _KEY]))
            last = cut
        pieces.append(flat[last:].strip())
        lines.append("\n\n".join(piece for piece in pieces if piece))
    return "\n".join(lines), cuts_made


def drop_removed(text: str, removed: list[str]) -> tuple[str, list[str]]:
    """``text`` without the lines that are the text of an element the rules removed (and
    without such a text of 60 characters or more inside a longer line); and what went.

    >>> drop_removed("Article.\\nView this post on Instagram by @someone\\nSuite.",
    ...              ["View this post on Instagram by @someone"])
    ('Article.\\nSuite.', ['View this post on Instagram by @someone'])
    """
    texts = [" ".join(t.split()) for t in removed if len(t) >= MIN_REMOVED]
    if not texts:
        return text, []
    joined = "\n".join(texts)
    dropped: list[str] = []
    lines = []
    for line in text.split("\n"):
        flat = " ".join(line.split())
        if len(flat) >= MIN_REMOVED and flat in joined:
            dropped.append(flat)
            continue
        for chunk in texts:
            if len(chunk) >= 60 and chunk in flat and len(chunk) < len(flat):
                flat = " ".join(flat.replace(chunk, " ").split())
                dropped.append(chunk)
        lines.append(flat if flat != " ".join(line.split()) else line)
    return "\n".join(lines), dropped
