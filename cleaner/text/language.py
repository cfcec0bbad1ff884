"""Stage ``language``: language identification with langdetect's model and seeded algorithm.

The detection runs on :class:`cleaner.text.langmodel.LanguageModel`, a fast implementation of
langdetect's own algorithm that gives the probabilities langdetect gives (seed 0, profiles
in sorted order); the profiles are loaded once per process (per worker). A long text is
identified from a sample spread over it (:func:`language_sample`), which gives the label
langdetect gives for the whole text on every document of the benchmark corpus.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from cleaner import cache
from cleaner.document import Document
from cleaner.text.langmodel import LanguageModel, profile_files

UNDETERMINED = "und"
SEED = 0
SAMPLE_CHARS = 2000
SAMPLE_SLICES = 4
INPUT_SAMPLE_CHARS = 800  # language-in: enough to choose the packs, at a third of the time
HAN = re.compile(r"[\u4e00-\u9fff]")
KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
HAN_ENOUGH = 20  # Han characters in the sample that make it Chinese when no kana or hangul is there


@lru_cache(maxsize=1)
def language_model() -> LanguageModel:
    """The 55 langdetect profiles as one matrix, loaded on first use in each process: from the
    cache (:mod:`cleaner.cache`) unless the profiles changed since it was built."""
    try:
        key = cache.key_of(["language-model", str(SEED), *(Path(p).read_bytes() for p in profile_files())])
    except OSError:  # the model says what is wrong with the profiles
        return LanguageModel(seed=SEED)
    state, matrix = cache.load("language-model", key), cache.load_array("language-matrix", key)
    if isinstance(state, dict) and matrix is not None:
        model = LanguageModel.__new__(LanguageModel)
        model.__setstate__({**state, "matrix": matrix})
        return model
    model = LanguageModel(seed=SEED)
    state = model.__getstate__()
    cache.store_array("language-matrix", key, state.pop("matrix"))  # mapped, not read, when loaded
    cache.store("language-model", key, state)
    return model


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


def detect_language(text: str, size: int = SAMPLE_CHARS) -> tuple[str, float]:
    """``(language code, probability)``; ``("und", 0.0)`` for empty or featureless text.

    >>> detect_language("")
    ('und', 0.0)
    >>> detect_language("Le chat est assis sur le tapis de la cuisine.")[0]
    'fr'
    """
    if not text.strip():
        return UNDETERMINED, 0.0
    sample = language_sample(text, size)
    best = language_model().detect(sample)
    if best is None:
        return UNDETERMINED, 0.0
    if not best[0].startswith("zh") and chinese_script(sample):
        return "zh", 1.0
    return best[0], round(best[1], 4)


def chinese_script(sample: str) -> bool:
    """Han characters and no kana or hangul: Chinese, whatever the profiles say (langdetect
    calls some traditional Chinese ``ko``).

    >>> chinese_script("台灣的新聞報導說，今天的天氣很好，大家都出去走走了。")
    True
    >>> chinese_script("日本語のテキストです。東京都の天気は晴れです。今日は暖かい日です。")
    False
    """
    return len(HAN.findall(sample)) > HAN_ENOUGH and not KANA_HANGUL.search(sample)


class LanguageDetector:
    """Stage ``language``: sets ``metadata.language`` and ``metadata.language_score``.

    The pipeline runs it twice: as ``language-in`` on the text as it comes, from a shorter
    sample (the packs of a language run only on documents in it), and at the end on the
    cleaned text."""

    name = "language"

    def __init__(self, name: str = "language", sample: int = SAMPLE_CHARS):
        self.name = name
        self.sample = sample

    def __call__(self, doc: Document) -> Document:
        language, score = detect_language(doc.text, self.sample)
        doc.metadata["language"] = language
        doc.metadata["language_score"] = score
        return doc
