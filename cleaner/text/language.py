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
import unicodedata
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
MIN_EVIDENCE = 20  # letters (a Han, kana or Hangul character counts two): fewer is "und"
FULL_EVIDENCE = 100  # letters from which the score is the model's probability itself
CONFIDENT = 0.9  # a detection this sure wins over a declared language it disagrees with
LABELS = {"zh-cn": "zh", "zh-tw": "zh"}  # langdetect's profile names -> our labels
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
KANA = re.compile(r"[\u3040-\u30ff]")
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_LETTERS = re.compile(r"[^\W\d_]")
_RUNS = re.compile(r"[^\W\d_]+")  # a run of letters: a word, or a run of Han characters
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
CJK_ENOUGH = 10  # Han, kana and Hangul characters that let the script decide zh / ja / ko
# The script of the languages without a langdetect profile that are not written in Latin
# letters (the first word of the Unicode names of their letters); the others are Latin.
SCRIPTS = {"my": "MYANMAR", "km": "KHMER", "lo": "LAO", "ka": "GEORGIAN", "hy": "ARMENIAN",
           "am": "ETHIOPIC", "ti": "ETHIOPIC", "si": "SINHALA", "bo": "TIBETAN", "dv": "THAANA",
           "iu": "CANADIAN", "chr": "CHEROKEE", "be": "CYRILLIC", "kk": "CYRILLIC", "ky": "CYRILLIC",
           "mn": "CYRILLIC", "sr": "CYRILLIC", "tg": "CYRILLIC", "tt": "CYRILLIC", "ba": "CYRILLIC",
           "cv": "CYRILLIC", "ps": "ARABIC", "ku": "ARABIC", "ckb": "ARABIC", "sd": "ARABIC",
           "ug": "ARABIC", "yi": "HEBREW", "or": "ORIYA", "as": "BENGALI"}

# Scripts written for one language only, that the model has no profile for
_OWN_SCRIPT = {language: re.compile(f"[{block}]") for language, block in (
    ("my", "\u1000-\u109f"), ("km", "\u1780-\u17ff"), ("lo", "\u0e80-\u0eff"), ("ka", "\u10a0-\u10ff"),
    ("hy", "\u0530-\u058f"), ("si", "\u0d80-\u0dff"), ("bo", "\u0f00-\u0fff"), ("dv", "\u0780-\u07bf"))}
_OWN_SCRIPTS = re.compile("[" + "".join(pattern.pattern[1:-1] for pattern in _OWN_SCRIPT.values()) + "]")
_MARKS = re.compile(r"[\u0300-\u036f\u0780-\u07bf\u0d80-\u0dff\u0e80-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff]"
                    r"(?<=[^\w])")  # the vowel signs of these scripts, which are no \w letters


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


def evidence(sample: str, enough: int = FULL_EVIDENCE) -> int:
    """The letters of ``sample``, a Han, kana or Hangul character counting two, counted up to
    ``enough`` (no more is needed).

    >>> evidence("Ok."), evidence("台灣的新聞"), evidence("a" * 500), evidence("un deux trois " * 30)
    (2, 10, 100, 100)
    """
    count = 0
    for match in _RUNS.finditer(sample):
        run = match.group()
        count += len(run) if run.isascii() else len(run) + len(_CJK.findall(run))
        if count >= enough:
            return enough
    return count


def script_language(sample: str, strict: bool = True) -> str | None:
    """``zh``, ``ja`` or ``ko`` as the script tells: Hangul is Korean, kana is Japanese, Han
    alone is Chinese. ``strict``: only when Han, kana and Hangul make at least half the
    letters of ``sample`` (else any of them will do); None when they do not.

    >>> script_language("台灣的新聞報導說，今天的天氣很好，大家都出去走走了。")
    'zh'
    >>> script_language("日本語のテキストです。東京都の天気は晴れです。")
    'ja'
    >>> script_language("The word 東京 means eastern capital, as the guide said.") is None
    True
    """
    if sample.isascii() or not _CJK.search(sample):
        return None
    han, kana, hangul = len(HAN.findall(sample)), len(KANA.findall(sample)), len(HANGUL.findall(sample))
    cjk = han + kana + hangul
    if not cjk or strict and (cjk < CJK_ENOUGH or cjk * 2 < len(_LETTERS.findall(sample))):
        return None
    if hangul * 3 >= cjk:
        return "ko"
    return "ja" if kana * 10 >= cjk else "zh"


def unprofiled_script_language(sample: str) -> str | None:
    """The language of a script only one language the model has no profile for is written in
    (Burmese, Khmer, Lao, Georgian, Armenian, Sinhala, Tibetan, Thaana), when most letters of
    ``sample`` are in it.

    >>> unprofiled_script_language("မြန်မာနိုင်ငံ၏ မြို့တော်သည် နေပြည်တော် ဖြစ်သည်။"), unprofiled_script_language("Bonjour")
    ('my', None)
    """
    if sample.isascii() or not _OWN_SCRIPTS.search(sample):
        return None
    letters = len(_LETTERS.findall(sample)) + len(_MARKS.findall(sample))
    for language, pattern in _OWN_SCRIPT.items():
        if len(pattern.findall(sample)) * 2 > letters:
            return language
    return None


def writes_in(sample: str, language: str) -> bool:
    """True when most letters of ``sample`` are of the script ``language`` is written in
    (:data:`SCRIPTS`, else Latin).

    >>> writes_in("Ngiyabonga kakhulu ngosizo lwakho namuhla.", "zu"), writes_in("မြန်မာစာ", "zu")
    (True, False)
    """
    script = SCRIPTS.get(language, "LATIN")
    letters = _LETTERS.findall(sample)
    fitting = sum(unicodedata.name(letter, "").startswith(script) for letter in letters)
    return fitting * 2 > len(letters)


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


def detect_language(text: str, size: int = SAMPLE_CHARS, declared: object = None) -> tuple[str, float]:
    """``(language code, score)``; ``("und", 0.0)`` for empty, featureless or too short text.
    ``declared``: the language the input declares, if any (a tag such as ``pt-BR``).

    >>> detect_language("")
    ('und', 0.0)
    >>> detect_language("Le chat est assis sur le tapis de la cuisine.")[0]
    'fr'
    >>> detect_language("Ok."), detect_language("Court texte ici.")
    (('und', 0.0), ('und', 0.0))
    """
    if not text.strip():
        return UNDETERMINED, 0.0
    sample = language_sample(text, size)
    amount = evidence(sample)
    if amount < MIN_EVIDENCE:
        return UNDETERMINED, 0.0
    model = language_model()
    total = model.probabilities(sample)
    best = model.best(total)
    share = min(1.0, amount / FULL_EVIDENCE)
    if best is None:  # no n-gram the profiles know: a script of its own, or nothing
        own = unprofiled_script_language(sample)
        return combine(own, {own: share}, base_language(declared), sample, share) if own else (UNDETERMINED, 0.0)
    columns = label_columns()
    declared = base_language(declared)
    scores = {name: min(1.0, float(sum(total[column] for column in columns[name]))) * share  # type: ignore[index]
              for name in {LABELS.get(best[0], best[0]), declared} if name in columns}
    label = LABELS.get(best[0], best[0])
    script = script_language(sample, strict=label not in ("zh", "ja", "ko")) or unprofiled_script_language(sample)
    if script and script != label:
        label, scores[script] = script, share  # the script is surer than the n-grams
    return combine(label, scores, declared, sample, share)


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

    The pipeline runs it twice: as ``language-in`` on the text as it comes, from a shorter
    sample (the packs of a language run only on documents in it), and at the end on the
    cleaned text. Both read ``metadata.declared_language`` (an HTML page's ``<html lang>``,
    a JSONL record's ``language`` field)."""

    name = "language"

    def __init__(self, name: str = "language", sample: int = SAMPLE_CHARS):
        self.name = name
        self.sample = sample

    def __call__(self, doc: Document) -> Document:
        language, score = detect_language(doc.text, self.sample, doc.metadata.get("declared_language"))
        doc.metadata["language"] = language
        doc.metadata["language_score"] = score
        return doc
