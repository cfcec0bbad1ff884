"""Lines as the learner sees them: normalised, keyed by a hash of their template (digits
masked, so "Comments (27)" and "Comments (3)" are one candidate), and told prose or not.

>>> template("Updated 16:45, 3 Jun 2025")
'Updated 0:0, 0 Jun 0'
>>> key("Comments (27)") == key("Comments  (3)"), key("Comments (27)") == key("Comment (27)")
(True, False)
>>> looks_like_prose("Share this article"), looks_like_prose("The minister said the bridge would reopen in May after repairs.")
(False, True)
"""
from __future__ import annotations

import hashlib
import re

_DIGITS = re.compile(r"\d+")
_UNSPACED = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD = re.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+")  # a character of a script without spaces is a word
_SENTENCE_END = re.compile(r"[.!?…。！？;:]['\"»”’)\]]*$")
PROSE_WORDS = 8  # a line ending as a sentence with this many words reads as prose
LONG_WORDS = 25  # a line this long is prose whatever its end
LONG_CHARS = 200


def normal(line: str) -> str:
    """The line with its spaces collapsed and trimmed."""
    return " ".join(line.split())


def template(line: str) -> str:
    """The normalised line with every run of digits as ``0``."""
    return _DIGITS.sub("0", normal(line))


def digest(text: str) -> int:
    """An 8-byte BLAKE2b digest of ``text``, as an int (what the counters keep instead of text)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def key(line: str) -> int:
    """The candidate a line counts for: the digest of its template."""
    return digest(template(line))


def word_count(line: str) -> int:
    """Words, each Han, kana, hangul, Thai... character counting as one.

    >>> word_count("Read the 2 reports"), word_count("港口理事会宣布")
    (4, 7)
    """
    return len(_WORD.findall(line))


def looks_like_prose(line: str) -> bool:
    """A sentence (ends as one, with 8+ words; a character of Chinese or Japanese is a word)
    or a long paragraph; a headline-like question of a few words is not."""
    words, chars = word_count(line), len(line)
    if words >= LONG_WORDS or chars >= LONG_CHARS:
        return True
    return bool(_SENTENCE_END.search(line)) and words >= PROSE_WORDS
