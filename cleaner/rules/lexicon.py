"""Lines and words as the shape rules see them: tokens, phrase sets, and the tests of a line.

A token is a run of letters and digits of the lowercased, NFC-normalised line, or one CJK
character; a list of words or phrases is a frozen set of token tuples (``Phrases``), so a line
is matched with set lookups, never with a regex per word. ``Words`` are the compiled lists of
one shape rule, a ``Lexicon`` those of every shape rule of a language.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, TypeVar

UNSPACED = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(rf"[{UNSPACED}]|[^\W{UNSPACED}]+")
_WORD = re.compile(r"\w+")  # _TOKEN where no character is one of UNSPACED: a quicker class to test
CJK = re.compile(rf"[{UNSPACED}]")
COUNTER = re.compile(r"^\d+(?:[a-z]|[^\W\d]{1,3})?$")
DATE_NUM = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{1,2}:\d{2}\b")
SENT_END = re.compile(r"[.!?。！？…;；]['\"»”’)）」』]*$")  # as a test: ends_sentence()
_SENTENCE_MARKS, _SENTENCE_CLOSERS = ".!?。！？…;；", "'\"»”’)）」』"
NO_TITLE_END = re.compile(r"[.,;:，。；：]['\"»”’)]*$")
ELLIPSIS = re.compile(r"(?:\.\.\.|…)['\"»”’)]*$")
LABEL_STRIP = re.compile(r"^[\s>»›▶►→•·*|#\-–—:]+|[\s<«‹◀◄←•·*|#\-–—:：>»›▶►→]+$")
COUNT_SUFFIX = re.compile(r"\s*[(\[]\s*\d+\s*[)\]]\s*$")
INLINE_LABEL = re.compile(r"^\W*([^:：|»›>]{2,40})\s*[:：|»›>]\s*(.+)$")
MONEY = re.compile(r"[%$€£¥]")
QUOTES = re.compile(r"[«‹\"“]")  # » and › close quotes there, not breadcrumbs
MAX_PHRASE = 8  # tokens
T = TypeVar("T")


def ends_sentence(text: str) -> bool:
    """``SENT_END.search(text)``, read from the end (a regex searching for an end looks at every
    mark of a long line): a sentence mark, then closing quotes or brackets only, at the end of
    the text or before a newline that ends it.

    >>> ends_sentence("He left."), ends_sentence("(Il est parti.)»"), ends_sentence("Read more"), ends_sentence("Oui.\\n")
    (True, True, False, True)
    """
    if text.endswith("\n"):
        text = text[:-1]
    core = text.rstrip(_SENTENCE_CLOSERS)
    return bool(core) and core[-1] in _SENTENCE_MARKS


def tokens(text: str) -> list[str]:
    """The tokens of ``text``: lowercased runs of letters and digits, each CJK character alone.

    >>> tokens("Read MORE: 3 Things")
    ['read', 'more', '3', 'things']
    """
    text = unicodedata.normalize("NFC", text).lower()
    return (_TOKEN if CJK.search(text) else _WORD).findall(text)


class Phrases(frozenset):
    """A frozen set of token tuples that also knows their first tokens, so that a line is
    looked up only where one of them starts."""

    def __init__(self, items: Any = ()):
        self.firsts = frozenset(p[0] for p in self)
        self.singles = frozenset(p[0] for p in self if len(p) == 1)  # the one-token entries, as strings
        self.longest = max((len(p) for p in self), default=0)

    def __or__(self, other: Any) -> "Phrases":
        return Phrases(frozenset.__or__(self, other))


EMPTY = Phrases()


def phrase_set(items: Any) -> Phrases:
    return Phrases(t for t in (tuple(tokens(str(x))) for x in items or ()) if t)


@dataclass(frozen=True)
class Line:
    """A line, its tokens, and what the line tests found on it (:func:`line_test`; None: the
    line is not kept for the text's next round, and its tests are not either)."""

    text: str
    toks: tuple[str, ...]
    found: dict | None = field(default=None, compare=False, repr=False)

    @cached_property
    def s(self) -> str:
        return self.text.strip()


def line_test(test: Callable[..., T], *lists: Any) -> Callable[[Line], T]:
    """``test(line, *lists)`` as a function of the line, worked out once per line and lists (a
    test of a line depends on its text and the lists alone): a line :func:`split_lines` takes
    from the last text split is not tested again. The answer is kept on the line with the lists
    (keyed by their ids, and compared when read: an id may be reused)."""
    key = (test, *map(id, lists))

    def tested(line: Line) -> T:
        found = line.found
        if found is None:
            return test(line, *lists)
        known = found.get(key)
        if known is None or known[0] != lists:
            known = found[key] = (lists, test(line, *lists))
        return known[1]
    return tested


_previous: dict[str, Line] = {}  # the lines of the last text split: a text's next round repeats most
_REMEMBERED_CHARS = 1 << 17  # a longer text's lines are not kept once split


def split_lines(text: str) -> list[Line]:
    """The lines of ``text`` with their tokens, each distinct token one string (a long text
    repeats its words thousands of times). A line the last text split also had is taken from
    it (a :class:`Line` depends on its text alone, so this changes no result): the text stages
    run again over a document until it stops changing, and each round changes few lines."""
    global _previous
    known, words, remembered = _previous, {}, len(text) <= _REMEMBERED_CHARS
    lines, made = [], {}  # made: this text's lines so far (a blank or repeated line is made once)
    for line in text.split("\n"):
        found = made.get(line) or known.get(line)  # a Line is never false (no __len__ nor __bool__)
        if found is None:
            toks = tokens(line)
            found = Line(line, tuple(map(words.setdefault, toks, toks)),  # each token: the one string kept
                         {} if remembered else None)  # a big text's lines keep no tests: memory
        made[line] = found
        lines.append(found)
    _previous = made if remembered else {}
    return lines


@dataclass(frozen=True)
class Words:
    """The compiled lists of one shape rule (or of several, merged)."""

    phrases: dict[str, Phrases] = field(default_factory=dict)
    patterns: tuple[str, ...] = ()
    separators: str = ""

    def __post_init__(self) -> None:  # all the patterns as one regex: one search per line
        joined = "|".join(f"(?:{p})" for p in self.patterns)
        object.__setattr__(self, "regex", re.compile(joined, re.IGNORECASE) if joined else None)

    def get(self, name: str) -> Phrases:
        return self.phrases.get(name, EMPTY)

    def search(self, text: str) -> bool:
        return self.regex is not None and self.regex.search(text) is not None

    def merged(self, other: "Words") -> "Words":
        names = set(self.phrases) | set(other.phrases)
        return Words({n: self.get(n) | other.get(n) for n in names}, self.patterns + other.patterns,
                     "".join(dict.fromkeys(self.separators + other.separators)))


def compile_words(kind: str, value: dict[str, Any]) -> Words:
    """A shape rule's YAML value (``{labels: [...]}``) compiled; ``re.error`` on a bad pattern."""
    phrases = {name: phrase_set(items) for name, items in value.items() if name not in ("patterns", "separators")}
    patterns = tuple(value.get("patterns", ()))
    for pattern in patterns:
        re.compile(pattern, re.IGNORECASE)
    return Words(phrases, patterns, value.get("separators", ""))


Lexicon = dict  # kind -> Words: the lists of every shape rule of one language (and the neutral ones)


def words_of(lexicon: Lexicon, kind: str) -> Words:
    return lexicon.get(kind) or Words()


# ---------------------------------------------------------------- token helpers

def cover(toks: tuple[str, ...], phrases: Phrases, allow: Callable[[str], bool] = lambda t: False) -> tuple[int, int]:
    """Greedy longest-match cover of ``toks`` by ``phrases``: (tokens left uncovered, phrases
    used); tokens for which ``allow`` holds count as covered (numbers, counters)."""
    i, n, miss, hits = 0, len(toks), 0, 0
    firsts, longest = phrases.firsts, min(phrases.longest, MAX_PHRASE)
    while i < n:
        if toks[i] not in firsts:
            miss += not allow(toks[i])
            i += 1
            continue
        for k in range(min(longest, n - i), 0, -1):
            if toks[i:i + k] in phrases:
                hits += 1
                i += k
                break
        else:
            if not allow(toks[i]):
                miss += 1
            i += 1
    return miss, hits


def contains(toks: tuple[str, ...], phrases: Phrases) -> tuple[str, ...] | None:
    """The first of ``phrases`` found as a run of ``toks``."""
    if not phrases or phrases.firsts.isdisjoint(toks):  # a phrase found starts with one of its firsts
        return None
    n, firsts, longest = len(toks), phrases.firsts, min(phrases.longest, MAX_PHRASE)
    for i in range(n):
        if toks[i] not in firsts:
            continue
        for k in range(min(longest, n - i), 0, -1):
            if toks[i:i + k] in phrases:
                return toks[i:i + k]
    return None


def starts_with(toks: tuple[str, ...], phrases: Phrases) -> tuple[str, ...] | None:
    if not toks or toks[0] not in phrases.firsts:  # a phrase toks starts with begins with toks[0]
        return None
    for k in range(min(MAX_PHRASE, len(toks)), 0, -1):
        if toks[:k] in phrases:
            return toks[:k]
    return None


def is_counter(tok: str) -> bool:
    return bool(COUNTER.match(tok))


def headline_like(line: Line, max_tokens: int = 25) -> bool:
    """A title: short, not ending on . , ; or : (an ellipsis is fine)."""
    n = len(line.toks)
    if n == 0 or n > (2 * max_tokens if CJK.search(line.s) else max_tokens):
        return False
    return bool(ELLIPSIS.search(line.s)) or not NO_TITLE_END.search(line.s)


def prose_like(line: Line) -> bool:
    n, cjk = len(line.toks), bool(CJK.search(line.s))
    return n >= (60 if cjk else 25) or (n >= (24 if cjk else 12) and ends_sentence(line.s))


def is_date_line(line: Line, dates: frozenset) -> bool:
    """Only numbers and date words, at least one number and one date mark ("Updated 9:15 am")."""
    toks = line.toks
    if not dates or not 2 <= len(toks) <= 16 or not any(t.isdigit() for t in toks) or MONEY.search(line.s):
        return False
    if not (DATE_NUM.search(line.s) or any((t,) in dates and not t.isdigit() for t in toks)
            or any(toks[i:i + 2] in dates for i in range(len(toks) - 1))):
        return False
    miss, _ = cover(toks, dates, allow=str.isdigit)
    return miss == 0


GOES_ON = re.compile(r"^\s*[,.;:)\]»”’!?%]|^\s*[\"“]\s*[,.;:]")
CONTINUES = re.compile(r"^\s*(?:[,;:)\]%]|\.(?!\.))")  # a line can start so only inside a sentence


def starts_lower(text: str) -> bool:
    """The line goes on from the one before: it starts in lowercase or with closing punctuation."""
    first = next((c for c in text if c.isalpha()), "")
    return first.islower() or bool(GOES_ON.match(text))


def fragment(lines: list[Line], i: int) -> bool:
    """Line ``i`` is a piece of a sentence the scraper broke (at a link, say): the line before
    is a long unfinished one and the line after goes on in lowercase; or the line is the head
    of a sentence whose rest starts the next line with a comma or closing punctuation
    ("On 11 March" then ", the council voted…")."""
    if not 0 <= i < len(lines):
        return False
    line, after = lines[i], lines[i + 1] if i + 1 < len(lines) else None
    if after is not None and after.toks and CONTINUES.match(after.text) and not ends_sentence(line.s):
        return True
    if i == 0:
        return False
    before = lines[i - 1]
    unfinished = not ends_sentence(before.s) and not before.s.endswith((":", "："))
    if unfinished and len(before.toks) >= 3 and starts_lower(line.s):
        return True
    return unfinished and len(before.toks) >= 5 and after is not None and len(after.toks) >= 3 and starts_lower(after.s)
