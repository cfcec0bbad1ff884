"""Stage ``language``: language identification with langdetect's model and seeded algorithm.

The detection runs on :class:`cleaner.text.langmodel.LanguageModel`, a fast implementation of
langdetect's own algorithm that gives the probabilities langdetect gives (seed 0, profiles
in sorted order); the profiles are loaded once per process (per worker). A long text is
identified from a sample spread over it (:func:`language_sample`), which gives the label
langdetect gives for the whole text on every document of the benchmark corpus.
"""
from __future__ import annotations

from functools import lru_cache

from cleaner.document import Document
from cleaner.text.langmodel import LanguageModel

UNDETERMINED = "und"
SEED = 0
SAMPLE_CHARS = 2000
SAMPLE_SLICES = 4


@lru_cache(maxsize=1)
def language_model() -> LanguageModel:
    """The 55 langdetect profiles as one matrix, loaded on first use in each process."""
    return LanguageModel(seed=SEED)


def language_sample(text: str, size: int = SAMPLE_CHARS, slices: int = SAMPLE_SLICES) -> str:
    """``text`` itself up to ``size`` characters; else ``slices`` slices of ``size // slices``
    characters taken at even intervals (at the start, a quarter, half way...), cut at spaces
    so no word is broken, one per line.

    >>> language_sample("un deux trois quatre cinq six sept huit", size=16, slices=2)
    'un deux\\ncinq six'
    """
    if len(text) <= size:
        return text
    width, parts = size // slices, []
    for number in range(slices):
        start = len(text) * number // slices
        if start:
            space = text.find(" ", start, start + width)
            start = space + 1 if space >= 0 else start
        cut = text.rfind(" ", start, start + width + 1)
        parts.append(text[start:cut if cut > start else start + width])
    return "\n".join(parts)


def detect_language(text: str) -> tuple[str, float]:
    """``(language code, probability)``; ``("und", 0.0)`` for empty or featureless text.

    >>> detect_language("")
    ('und', 0.0)
    >>> detect_language("Le chat est assis sur le tapis de la cuisine.")[0]
    'fr'
    """
    if not text.strip():
        return UNDETERMINED, 0.0
    best = language_model().detect(language_sample(text))
    if best is None:
        return UNDETERMINED, 0.0
    return best[0], round(best[1], 4)


class LanguageDetector:
    """Stage ``language``: sets ``metadata.language`` and ``metadata.language_score``."""

    name = "language"

    def __call__(self, doc: Document) -> Document:
        language, score = detect_language(doc.text)
        doc.metadata["language"] = language
        doc.metadata["language_score"] = score
        return doc
