"""Stage 6: language identification with langdetect's model and seeded algorithm.

The detection runs on :class:`cleaner.langcore.LanguageModel`, a fast implementation of
langdetect's own algorithm that gives the probabilities langdetect gives (seed 0, profiles
in sorted order); the profiles are loaded once per process (per worker).
"""
from __future__ import annotations

from functools import lru_cache

from .document import Document
from .langcore import LanguageModel

UNDETERMINED = "und"
SEED = 0


@lru_cache(maxsize=1)
def language_model() -> LanguageModel:
    """The 55 langdetect profiles as one matrix, loaded on first use in each process."""
    return LanguageModel(seed=SEED)


def detect_language(text: str) -> tuple[str, float]:
    """``(language code, probability)``; ``("und", 0.0)`` for empty or featureless text.

    >>> detect_language("")
    ('und', 0.0)
    >>> detect_language("Le chat est assis sur le tapis de la cuisine.")[0]
    'fr'
    """
    if not text.strip():
        return UNDETERMINED, 0.0
    best = language_model().detect(text)
    if best is None:
        return UNDETERMINED, 0.0
    return best[0], round(best[1], 4)


class LanguageDetector:
    """Stage ``language``: sets ``metadata.language`` and ``metadata.language_score``."""

    stage = "language"

    def __call__(self, doc: Document) -> Document:
        language, score = detect_language(doc.text)
        doc.metadata["language"] = language
        doc.metadata["language_score"] = score
        return doc
