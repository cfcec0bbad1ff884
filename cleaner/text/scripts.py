"""What the script of a text says of its language, and how much text there is to tell it by.

Used by :mod:`cleaner.text.language`: the script decides between Chinese, Japanese and Korean
(:func:`script_language`), gives the language of a script the model has no profile for
(:func:`unprofiled_script_language`), and tells whether a text is written in the script of a
declared language (:func:`writes_in`); :func:`evidence` counts the letters a detection rests on.
"""
from __future__ import annotations

import re
import unicodedata

FULL_EVIDENCE = 100  # letters from which the score is the model's probability itself
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
