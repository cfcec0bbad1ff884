"""The ``precision-guarded`` trade-off: trafilatura's precision extraction, checked.

trafilatura's ``favor_precision`` leaves fewer leftovers (stricter link-density tests on
divisions, lists and paragraphs, link-dense headings and quotes dropped), but it also turns off
its safety nets (the baseline rescue, the recall retry) and drops the text after empty
elements: on some pages it returns nothing, another short block, or part of the article.
So the page is extracted with precision, and only when cheap signals say that went wrong
(:func:`precision_suspect`: empty, far shorter than the page's article candidate, holding
little of its words, no candidate to check against, or one of trafilatura's fallbacks gave
it) is it extracted balanced too; the balanced text is kept when the precise one is clearly
shorter or overlaps it little (:func:`balanced_wins`). Both say why, for the edit log.
"""
from __future__ import annotations

from cleaner.html.fallback import coverage, tokens
from cleaner.html.paths import is_fallback

GUARDED = "precision-guarded"
SHORT_SHARE = 0.8  # precise text shorter than this share of the candidate's characters: check
MIN_COVERAGE = 0.7  # precise text holding less of the candidate's distinct words: check
KEEP_SHARE = 0.9  # balanced text kept when the precise one has fewer tokens than this share of it


def precision_suspect(text: str, path: str, candidate_chars: int, candidate: list[str]) -> str | None:
    """Why the precise extraction ``text`` (from trafilatura's ``path``) should be checked
    against a balanced one, or None when nothing suggests it went wrong.

    >>> precision_suspect("", "none", 900, ["un", "mot"])
    'precision extracted nothing'
    >>> precision_suspect("Un article entier. " * 40, "main", 700, tokens("Un article entier.")) is None
    True
    >>> precision_suspect("Menu principal", "main", 700, tokens("Le conseil municipal a voté"))
    'precision text 14 chars vs article candidate 700'
    """
    if not text.strip():
        return "precision extracted nothing"
    if is_fallback(path):
        return f"precision text from a fallback ({path})"
    if not candidate_chars:
        return "no article candidate to check the precision text against"
    if len(text) < SHORT_SHARE * candidate_chars:
        return f"precision text {len(text)} chars vs article candidate {candidate_chars}"
    held = coverage(candidate, text)
    if held < MIN_COVERAGE:
        return f"precision text holds {held:.0%} of the article candidate's words"
    return None


def weigh(precise: str, balanced: str) -> tuple[bool, str]:
    """Whether the balanced text should replace the precise one (the precise one has fewer than
    ``KEEP_SHARE`` of its tokens: what precision dropped is then more than leftovers), and the
    token counts that decided it, for the edit log either way."""
    mine, theirs = len(tokens(precise)), len(tokens(balanced))
    return mine < KEEP_SHARE * theirs, f"precision text {mine} tokens vs {theirs} balanced"


def balanced_wins(precise: str, balanced: str) -> str | None:
    """Why the balanced text should replace the precise one (:func:`weigh`), or None.

    >>> balanced_wins("Un mot.", "Un mot. " + "Tout un article ici. " * 10)
    'precision text 2 tokens vs 42 balanced'
    >>> balanced_wins("Un article complet ici. " * 10, "Un article complet ici. " * 10 + "Lire aussi.") is None
    True
    """
    wins, figures = weigh(precise, balanced)
    return figures if wins else None
