"""Stage 6: language identification with langdetect, seeded so the answer never varies."""
from __future__ import annotations

from functools import lru_cache

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from .document import Document

UNDETERMINED = "und"
SEED = 0


@lru_cache(maxsize=1)
def _factory() -> DetectorFactory:
    """Load the 55 language profiles once per process (about a second)."""
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(SEED)
    return factory


def detect_language(text: str) -> tuple[str, float]:
    """``(language code, probability)``; ``("und", 0.0)`` for empty or featureless text.

    >>> detect_language("")
    ('und', 0.0)
    >>> detect_language("Le chat est assis sur le tapis de la cuisine.")[0]
    'fr'
    """
    if not text.strip():
        return UNDETERMINED, 0.0
    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNDETERMINED, 0.0
    return best.lang, round(best.prob, 4)


class LanguageDetector:
    """Stage ``language``: sets ``metadata.language`` and ``metadata.language_score``."""

    stage = "language"

    def __call__(self, doc: Document) -> Document:
        language, score = detect_language(doc.text)
        doc.metadata["language"] = language
        doc.metadata["language_score"] = score
        return doc
