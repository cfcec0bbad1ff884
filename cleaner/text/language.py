"""Stage ``language``: language identification with langdetect's model and seeded algorithm,
checked against the script, the amount of text and the language the input declares.

The detection runs on :class:`cleaner.text.langmodel.LanguageModel`, a fast implementation of
langdetect's own algorithm that gives the probabilities langdetect gives (seed 0, profiles
in sorted order); the profiles are loaded once per process (per worker). A long text is
identified from a sample spread over it (:func:`language_sample`), which gives the label
langdetect gives for the whole text on every document of the benchmark corpus.

Labels are ISO 639-1 codes, as langdetect's (``zh-cn`` and ``zh-tw`` are both ``zh``), or
``und``. Then, in this order (README, "Language"):

- the script decides between Chinese, Japanese and Korean: no Hangul is not Korean, kana is
  Japanese, Han alone is Chinese (:func:`script_language`); a script of one language the
  model has no profile for gives that language (Burmese, Khmer...:
  :func:`unprofiled_script_language`);
- below ``MIN_EVIDENCE`` letters the answer is ``und``; up to ``FULL_EVIDENCE`` letters the
  score is the probability times the share of that amount the text has, so that the score
  falls with the evidence (:func:`evidence`);
- a declared language (``metadata.declared_language``) is combined with the detection by
  :func:`combine`.
"""
from __future__ import annotations

import re
from functools import lru_cache, partial
from pathlib import Path

import numpy as np
from langdetect.detector import Detector

from cleaner import cache
from cleaner.document import Document
from cleaner.text.langmodel import LanguageModel, profile_files
from cleaner.text.scripts import (FULL_EVIDENCE, evidence, script_language, unprofiled_script_language,
                                  writes_in)

UNDETERMINED = "und"
SEED = 0
SAMPLE_CHARS = 2000
SAMPLE_SLICES = 4
# language-in's sample is the final stage's: the last round's detection, stopped once its label
# is settled, is the one the final stage goes on with (LanguageModel.probabilities)
INPUT_SAMPLE_CHARS = SAMPLE_CHARS
MIN_EVIDENCE = 20  # letters (a Han, kana or Hangul character counts two): fewer is "und"
_MARGIN = 1e-9  # for the rounding of sums of probabilities
CONFIDENT = 0.9  # a detection this sure wins over a declared language it disagrees with
LABELS = {"zh-cn": "zh", "zh-tw": "zh"}  # langdetect's profile names -> our labels


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


@lru_cache(maxsize=1)
def profiled() -> frozenset[str]:
    """The labels the model can give (``zh`` for ``zh-cn`` and ``zh-tw``)."""
    return frozenset(LABELS.get(name, name) for name in language_model().languages)


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


def base_language(code: object) -> str | None:
    """The primary subtag of a declared language tag, in lower case; None if it is not one.

    >>> base_language("pt-BR"), base_language("zh_Hant"), base_language("und"), base_language(3)
    ('pt', 'zh', None, None)
    """
    if not isinstance(code, str):
        return None
    match = re.match(r"\s*([A-Za-z]{2,3})(?:[-_]|\s*$)", code)
    primary = match.group(1).lower() if match else None
    return None if primary in (None, "und", "mul", "zxx", "mis") else primary


def combine(label: str, scores: dict[str, float], declared: str | None, sample: str,
            share: float) -> tuple[str, float]:
    """The label and score given the detection (``label``; ``scores``: each label's
    probability times ``share``, the evidence) and the declared language (README, "Language").

    - nothing declared, or the language detected declared: the detection;
    - a language the model has no profile for (Zulu, Icelandic, Burmese...), written in the
      script of the text: that language, scored with the evidence (``share``);
    - another language the model knows: the detection when its probability (before the
      evidence is counted) is at least ``CONFIDENT``; else the declared language, scored
      with its own probability.
    """
    detected = (label, round(scores[label], 4))
    if declared is None or declared == label:
        return detected
    if declared not in profiled():
        return (declared, round(share, 4)) if writes_in(sample, declared) else detected
    if scores[label] >= CONFIDENT * share:
        return detected
    return declared, round(scores.get(declared, 0.0), 4)


def detect_language(text: str, size: int = SAMPLE_CHARS, declared: object = None,
                    label_only: bool = False) -> tuple[str, float]:
    """``(language code, score)``; ``("und", 0.0)`` for empty, featureless or too short text.
    ``declared``: the language the input declares, if any (a tag such as ``pt-BR``).
    ``label_only``: the label is the one the whole detection gives, but the model's trials stop
    as soon as the label is settled (:func:`label_settled`), so the score is not the final one.

    >>> detect_language("")
    ('und', 0.0)
    >>> detect_language("Le chat est assis sur le tapis de la cuisine.")[0]
    'fr'
    >>> detect_language("Ok."), detect_language("Court texte ici.")
    (('und', 0.0), ('und', 0.0))
    """
    if not text or text.isspace():  # as ``not text.strip()``, without a copy of a big text
        return UNDETERMINED, 0.0
    return _detect_sample(language_sample(text, size), base_language(declared), label_only)


@lru_cache(maxsize=32)
def _detect_sample(sample: str, declared: str | None, label_only: bool) -> tuple[str, float]:
    """:func:`detect_language` of a sample. Remembered (a pure function: the cache cannot change
    a result): a round of the text stages often leaves a document's sample as it was, and
    ``language-in`` runs at every round."""
    amount = evidence(sample)
    if amount < MIN_EVIDENCE:
        return UNDETERMINED, 0.0
    model = language_model()
    total = model.probabilities(sample, partial(label_settled, declared=declared) if label_only else None)
    best = model.best(total)
    share = min(1.0, amount / FULL_EVIDENCE)
    if best is None:  # no n-gram the profiles know: a script of its own, or nothing
        own = unprofiled_script_language(sample)
        return combine(own, {own: share}, declared, sample, share) if own else (UNDETERMINED, 0.0)
    columns = label_columns()
    scores = {name: min(1.0, float(sum(total[column] for column in columns[name]))) * share  # type: ignore[index]
              for name in {LABELS.get(best[0], best[0]), declared} if name in columns}
    label = LABELS.get(best[0], best[0])
    script = script_language(sample, strict=label not in ("zh", "ja", "ko")) or unprofiled_script_language(sample)
    if script and script != label:
        label, scores[script] = script, share  # the script is surer than the n-grams
    return combine(label, scores, declared, sample, share)


def label_settled(total: np.ndarray, left: float, declared: str | None = None) -> bool:
    """Whether the label :func:`detect_language` gives is settled by the probabilities summed
    so far (``total``), whatever the trials still to come add (at most ``left`` to any language,
    and ``left`` to all of them together): the language ahead stays ahead and above langdetect's
    threshold, and when a language the model knows is declared and differs, the detection stays
    on the same side of ``CONFIDENT``."""
    second, first = np.argpartition(total, -2)[-2:]
    lead = total[first] - total[second]
    if lead <= left + _MARGIN or total[first] <= Detector.PROB_THRESHOLD + _MARGIN:
        return False
    label = LABELS.get(language_model().languages[first], language_model().languages[first])
    columns = label_columns()
    if declared is None or declared == label or declared not in columns:
        return True
    sure = sum(total[column] for column in columns[label])
    return sure >= CONFIDENT + _MARGIN or sure + left < CONFIDENT - _MARGIN


@lru_cache(maxsize=1)
def label_columns() -> dict[str, tuple[int, ...]]:
    """Each label's columns in the model's probabilities (``zh``: those of zh-cn and zh-tw)."""
    columns: dict[str, tuple[int, ...]] = {}
    for column, name in enumerate(language_model().languages):
        label = LABELS.get(name, name)
        columns[label] = columns.get(label, ()) + (column,)
    return columns


class LanguageDetector:
    """Stage ``language``: sets ``metadata.language`` and ``metadata.language_score``.

    The pipeline runs it twice: as ``language-in`` at each round of the text stages, for the
    label only (the packs of a language run only on documents in it: ``label_only`` leaves the
    score to the end), and at the end on the cleaned text, going on from the last round's trials. Both read ``metadata.declared_language`` (an HTML page's ``<html lang>``,
    a JSONL record's ``language`` field)."""

    name = "language"

    def __init__(self, name: str = "language", sample: int = SAMPLE_CHARS, label_only: bool = False):
        self.name = name
        self.sample = sample
        self.label_only = label_only

    def __call__(self, doc: Document) -> Document:
        language, score = detect_language(doc.text, self.sample, doc.metadata.get("declared_language"),
                                          self.label_only)
        doc.metadata["language"] = language
        if not self.label_only:
            doc.metadata["language_score"] = score
        return doc
