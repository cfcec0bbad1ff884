"""Tests on one or two lines that the ``repair`` stage reads: quotes left open or closed, the
last word of a line, bylines, link texts, drop caps, list markers and unspaced scripts.

Pure functions of the lines given; the word lists they need are passed in.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Container

# marks that close what the line before began: a line starting with one goes on from it
# (CJK ones too: "、" "，" "。" "）" start no sentence)
CLOSING = ",.;:!?)]}…，。、；：！？）」』】》"
# (opening quote, closing quote) in the styles news sites use: « » (fr, it, es), » « (de),
# “ ” (en), „ “ (de), „ ” (pl), ‚ ‘ (de, single), ‚ ’ (pl, single), ‘ ’ (en, single)
_QUOTE_PAIRS = (("«", "»"), ("»", "«"), ("“", "”"), ("„", "“"), ("„", "”"), ("‚", "‘"), ("‚", "’"),
                ("‘", "’"))
QUOTE_MARKS = "»«”“‘’\""
# a quote mark at a line's end -> (the marks that close it, from _QUOTE_PAIRS; the marks it
# closes itself when it ends a German „ … “ or ‚ … ‘ quotation)
_CLOSES_ITSELF = {"“": "„", "‘": "‚"}
_OPENING = {opener: ("".join(c for o, c in _QUOTE_PAIRS if o == opener), _CLOSES_ITSELF.get(opener, ""))
            for opener, _ in _QUOTE_PAIRS}
_LAST_WORD = re.compile(r"(\w+['’]?)$")
_LAST_WORD_REVERSED = re.compile(r"['’]?\w+")  # _LAST_WORD on the reversed line
_TAIL = 40
# a list marker alone on its line: "12." "3)" "-" "•"
_PUNCTUATED = re.compile(r"[.,;:!?…()\"«»“”„。，：；！？、]")
_ITEM_START = re.compile(r"^(?:[-*•·▪–—]|\d{1,3}[.)])\s")
_LIST_MARKER = re.compile(r"^(?:\d{1,3}[.)]|[-*•·▪–—])$")
# Han, kana, hangul, Thai, Lao, Myanmar, Khmer and CJK punctuation: scripts written without
# spaces between words, so the halves of a broken line join without one
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3000-\u30ff\u3400-\u4dbf"
                       r"\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
OPENING_BRACKETS = "([{（【「『〈《［｛"
# a line opening on a capital alone before the rest of its word ("L e chantier")
_SPLIT_CAPITAL = re.compile(r"^(\w) (?=\w)")
_FIRST_WORD = re.compile(r"\w+")


def closes_open_quote(previous: str, mark: str) -> bool:
    """True when ``mark`` closes a quote left open at the end of ``previous``.

    >>> closes_open_quote("un accord « gagnant-gagnant", "»")
    True
    >>> closes_open_quote("Er sagte: »Nein«", "»")
    False
    >>> closes_open_quote("Prezes mówił o „przełomie", "”")
    True
    """
    if mark == '"':
        return previous.count('"') % 2 == 1
    return any(closer == mark and previous.count(opener) > previous.count(closer)
               for opener, closer in _QUOTE_PAIRS)


def opens_quotation(line: str) -> bool:
    """True when ``line`` starts with a quote mark written against the word after it: it opens
    a quotation (a new paragraph of dialogue), it does not close the one before.

    >>> opens_quotation('"He would use me," she said.'), opens_quotation('", he said.'), opens_quotation("’s book")
    (True, False, False)
    """
    return len(line) > 1 and line[0] in QUOTE_MARKS and line[0] != "’" and line[1].isalnum()


def opens_quote(line: str) -> str | None:
    """The quote mark ``line`` ends on when that mark opens a quote, else None.

    >>> opens_quote("il a déclaré : «")
    '«'
    >>> opens_quote('ce matin : "')
    '"'
    >>> opens_quote("Er sagte: »")
    '»'
    >>> opens_quote("un accord « gagnant »") is None
    True
    >>> opens_quote("Sie sagte: „Wir haben geliefert.“") is None
    True
    """
    if not line:
        return None
    mark = line[-1]
    if mark == '"':
        return mark if line.count('"') % 2 == 1 and (len(line) == 1 or not line[-2].isalnum()) else None
    if mark not in _OPENING:
        return None
    closers, closes_itself = _OPENING[mark]
    opened = line.count(mark) - sum(line.count(other) for other in closes_itself)
    return mark if opened > sum(line.count(closer) for closer in closers) else None


def is_byline(line: str, following: str = "") -> bool:
    """True for a byline that starts in lowercase ("di Marco Bellini", "par Jean Dupont et Léa
    Roy"): a lowercase word, then two or more capitalised names (short lowercase particles
    allowed between them), and no lowercase or punctuation going on after it.

    >>> is_byline("di Marco Bellini", "15 Ottobre 2024")
    True
    >>> is_byline("di Bankitalia", "15 Ottobre 2024")
    False
    >>> is_byline("della Banca Centrale Europea", ", che ha alzato i tassi.")
    False
    """
    names = line.split()[1:]
    if not 2 <= len(names) <= 6 or not names[-1][:1].isupper():
        return False
    if following and (following[0].islower() or following[0] in CLOSING):
        return False
    capitalised = [name for name in names if name[:1].isupper() and name.rstrip(".").isalpha()]
    particles = [name for name in names if name.islower() and len(name) <= 3]
    return len(capitalised) >= 2 and len(capitalised) + len(particles) == len(names)


def names_something(line: str) -> bool:
    """True when ``line`` reads as a link's text: a name or a title ("Google Earth Pro",
    "Shadow of Mordor", "Parmesan rinds"), or a quotation; not a clause, as a list item is
    ("He would speak against corruption"): at most two words in lowercase, or one in two past
    the first.

    >>> names_something("Jean-Paul Exemple"), names_something('"regrettable but manageable"')
    (True, True)
    >>> names_something("He would speak against corruption"), names_something("But what they love")
    (False, False)
    >>> names_something("21 manned checkpoints")
    True
    """
    if line[0] in QUOTE_MARKS:
        return True
    words = line.split()[1:]
    lowercase = sum(word[0].islower() for word in words)
    return lowercase <= max(2, len(words) // 2)


def in_short_runs(lines: list[str], shortest_run: int = 3) -> list[bool]:
    """For each line, whether it is in a run of ``shortest_run`` or more lines of one to three
    words with no punctuation (a list of tags, of names, of menu entries), unless the line
    after it goes on in lowercase: such lines are items, not the rest of the line before
    (unless it ends on a function word).

    >>> in_short_runs(["Fin de l'article sans point", "Économie", "budget", "vie locale", "Suite."])
    [False, True, True, True, False]
    >>> in_short_runs(["Add", "Despite", "some popular deals", "were never big sellers."])
    [False, False, False, False]
    """
    short = [bool(line) and len(line.split()) <= 3 and not _PUNCTUATED.search(line)
             and not _ITEM_START.match(line) for line in lines]  # a "- item" is a list item already
    marks, start = [False] * len(lines), 0
    for end in range(len(lines) + 1):
        if end == len(lines) or not short[end]:
            goes_on = end < len(lines) and lines[end][:1].islower()  # a sentence broken into short lines
            if end - start >= shortest_run and not goes_on:
                marks[start:end] = [True] * (end - start)
            start = end + 1
    return marks


def last_word(line: str) -> str | None:
    """The word ``line`` ends on (with an elision's apostrophe), read backwards from the end.

    >>> last_word("de la volonté qu’"), last_word("fin."), last_word("")
    ('qu’', None, None)
    """
    if line.endswith("\n"):  # ``$`` also matches before a final newline
        line = line[:-1]
    tail = line[-_TAIL:][::-1]
    match = _LAST_WORD_REVERSED.match(tail)
    if match is None:
        return None
    if match.end() == len(tail) < len(line):  # the word may go on to the left
        return _LAST_WORD.search(line).group(1)  # type: ignore[union-attr]
    return match.group(0)[::-1]


def is_list_marker(line: str) -> bool:
    """A list item's number or bullet alone on its line, its text on the next.

    >>> is_list_marker("12."), is_list_marker("•"), is_list_marker("2012.")
    (True, True, False)
    """
    return bool(_LIST_MARKER.match(line))


def is_drop_cap(line: str) -> bool:
    """A paragraph's first letter set apart (a drop cap): one capital letter alone.

    >>> is_drop_cap("L"), is_drop_cap("A."), is_drop_cap("l")
    (True, False, False)
    """
    return len(line) == 1 and line.isupper()


def split_capital(line: str, one_letter_words: Container[str], words_used: Container[str]) -> bool:
    """True when ``line`` opens on a drop cap cut from the rest of its word by a space
    ("L e chantier"): a capital alone that is not a word of one letter in the language ("A",
    "I" in English, "W", "Z" in Polish...), of the script of the letters after it, and that
    makes with them a word the text uses elsewhere (``words_used``, in lower case): "M
    begins" is a character called M, not "Mbegins".

    >>> split_capital("L e chantier a commencé.", {"à", "a", "y"}, {"le"})
    True
    >>> split_capital("A man came.", {"a", "i"}, {"aman"}), split_capital("M begins.", {"a"}, {"the"})
    (False, False)
    """
    match = _SPLIT_CAPITAL.match(line)
    if not (match and match.group(1).isupper() and line[2].islower()):
        return False
    capital, rest = match.group(1), _FIRST_WORD.match(line, 2).group()  # type: ignore[union-attr]
    return (capital.lower() not in one_letter_words and (capital + rest).lower() in words_used
            and _script(capital) == _script(rest[0]))


def _script(letter: str) -> str:
    """The first word of the letter's Unicode name: LATIN, GREEK, CYRILLIC..."""
    return unicodedata.name(letter, "").split(" ")[0]


def unspaced_join(previous: str, line: str) -> bool:
    """True when the halves of a broken line meet without a space: Chinese, Japanese, Thai...
    on both sides of the break, or a bracket that opens at the end of the line before.

    >>> unspaced_join("数据显示，2011年中国", "电信天翼3G手机"), unspaced_join("ボルノ州（", "Damboa）で")
    (True, True)
    >>> unspaced_join("the line", "goes on")
    False
    """
    return previous[-1] in OPENING_BRACKETS or bool(_UNSPACED.match(previous[-1]) and _UNSPACED.match(line[0]))


class LineStart:
    """``re.compile("(?m)^" + body).search(text)``, as a yes or no, found faster: ``(?m)^`` makes the
    regex engine try every position of the text, where a pattern that starts with the newline
    makes it skip from one newline to the next (and the text's start is tried apart)."""

    def __init__(self, body: str):
        self.first, self.after = re.compile(body), re.compile(f"\n(?:{body})")

    def search(self, text: str) -> bool:
        return self.first.match(text) is not None or self.after.search(text) is not None
