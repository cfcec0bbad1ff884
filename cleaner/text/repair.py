"""Stage ``repair``: rejoin lines a scraper broke where a link, a quote or an emphasis was.

A line is joined to the one before it when it starts with closing punctuation, with a quote
mark that closes a quote left open, or with a lowercase letter (unless the line before ends a
sentence: then it is a tag, a comment or code); when the line before ends
mid-phrase (on a comma, on an opening quote mark, or on an article or preposition from the
configured word lists); or when it is a short fragment (a link's text) between a line that
ends no sentence and a line that continues it. Blank lines are paragraph breaks and are
never crossed; markdown headings and list items are never joined.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Container, Iterable, Mapping

from cleaner.document import Document, Edit
from cleaner.text.normalise import lines_stand_apart

STAGE = "repair"
_CLOSING = ",.;:!?)]}…"
_SPACED_IN_FRENCH = ";:!?"
# (opening quote, closing quote) in the styles news sites use: « » (fr, it, es), » « (de),
# “ ” (en), „ “ (de), „ ” (pl), ‚ ‘ (de, single), ‚ ’ (pl, single), ‘ ’ (en, single)
_QUOTE_PAIRS = (("«", "»"), ("»", "«"), ("“", "”"), ("„", "“"), ("„", "”"), ("‚", "‘"), ("‚", "’"),
                ("‘", "’"))
# a quote mark at a line's end -> (the marks that close it, from _QUOTE_PAIRS; the marks it
# closes itself when it ends a German „ … “ or ‚ … ‘ quotation)
_CLOSES_ITSELF = {"“": "„", "‘": "‚"}
_OPENING = {opener: ("".join(c for o, c in _QUOTE_PAIRS if o == opener), _CLOSES_ITSELF.get(opener, ""))
            for opener, _ in _QUOTE_PAIRS}
# a line ending on a comma, possibly inside a closing quote, ends no sentence
_TRAILING_COMMA = re.compile(r",[\"»”’“]?$")
# a line that ends a sentence (a quote or bracket may close after the mark): a line after it
# that starts in lowercase is a tag, a comment or code, not the rest of the sentence
_SENTENCE_END = re.compile(r"[.!?…][\"»”’)\]]?$")
# the same with ``:`` and ``;``: never continued by a fragment
_CLAUSE_END = re.compile(r"[.!?…:;][\"»”’)\]]?$")
_FRAGMENT_MAX_WORDS = 6
_FRAGMENT_MIN_CONTEXT_WORDS = 8
_BLOCK_START = re.compile(r"^(?:#{1,6}\s|[-*•·▪–—]\s|\d{1,3}[.)]\s)")
# One match per mark; the mark comes first in the pattern so the regex engine skips to it.
_FRENCH_SPACED = re.compile(r"[;:!?](?=\s|$)(?<=\w[ \u00a0\u202f][;:!?])")
_UNSPACED = re.compile(r"[;:!?](?=\s|$)(?<=\w[;:!?])")
_LAST_WORD = re.compile(r"(\w+['’]?)$")
_LAST_WORD_REVERSED = re.compile(r"['’]?\w+")  # _LAST_WORD on the reversed line
_TAIL = 40
_WORD = re.compile(r"\w+['’]?")


def uses_french_spacing(text: str) -> bool:
    """True when the text mostly puts a space before ``; : ! ?``, as French typography does.

    >>> uses_french_spacing("Il a dit : « oui ». Vraiment ?")
    True
    >>> uses_french_spacing("He said: yes. Really?")
    False
    """
    return len(_FRENCH_SPACED.findall(text)) > len(_UNSPACED.findall(text))


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
    if following and (following[0].islower() or following[0] in _CLOSING):
        return False
    capitalised = [name for name in names if name[:1].isupper() and name.rstrip(".").isalpha()]
    particles = [name for name in names if name.islower() and len(name) <= 3]
    return len(capitalised) >= 2 and len(capitalised) + len(particles) == len(names)


def _last_word(line: str) -> str | None:
    """``_LAST_WORD.search(line).group(1)``, read backwards from the end of the line."""
    if line.endswith("\n"):  # ``$`` also matches before a final newline
        line = line[:-1]
    tail = line[-_TAIL:][::-1]
    match = _LAST_WORD_REVERSED.match(tail)
    if match is None:
        return None
    if match.end() == len(tail) < len(line):  # the word may go on to the left
        return _LAST_WORD.search(line).group(1)  # type: ignore[union-attr]
    return match.group(0)[::-1]


def _word_key(word: str) -> str:
    return word.lower().replace("'", "’")


class _DanglingWords:
    """``Repairer.words_for(text)``, worked out the first time a line ends on a word."""

    def __init__(self, repairer: "Repairer", text: str):
        self.repairer, self.text = repairer, text
        self.words: frozenset[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self.words is None:
            self.words = self.repairer.words_for(self.text)
        return word in self.words


class Repairer:
    """Stage ``repair``. ``dangling_words`` maps a language to the words a line cannot end on."""

    name = STAGE

    def __init__(self, dangling_words: Mapping[str, Iterable[str]] | None = None):
        self.dangling = {lang: frozenset(map(_word_key, words))
                         for lang, words in sorted((dangling_words or {}).items())}
        self.longest = max((len(word) for words in self.dangling.values() for word in words), default=0)

    def words_for(self, text: str) -> frozenset[str]:
        """The dangling-word list of the language whose words the text uses most."""
        counts: Counter[str] = Counter()
        for word, count in Counter(_WORD.findall(text)).items():
            if len(word) <= self.longest:  # lower() never shortens a word
                counts[_word_key(word)] += count
        best, best_hits = frozenset(), 0
        for words in self.dangling.values():
            hits = sum(counts[word] for word in words)
            if hits > best_hits:
                best, best_hits = words, hits
        return best

    def join_reason(self, previous: str, line: str, dangling: Container[str] = frozenset(),
                    following: str = "") -> str | None:
        """Why ``line`` continues ``previous`` (both stripped, non-empty), or None.

        ``following`` is the stripped line after ``line`` ("" at a paragraph break).
        """
        if _BLOCK_START.match(line) or previous.startswith("#"):
            return None
        first = line[0]
        if first in _CLOSING:
            return "closing-punctuation"
        if first in "»«”“‘’\"" and closes_open_quote(previous, first):
            return "closing-quote"
        if opens_quote(previous):
            return "opening-quote"
        if first.islower() and not _SENTENCE_END.search(previous) and not is_byline(line, following):
            return "lowercase-start"
        if _TRAILING_COMMA.search(previous):
            return "trailing-comma"
        word = _last_word(previous)
        if word and _word_key(word) in dangling:
            return "dangling-word"
        if self._is_inline_fragment(previous, line, following, dangling):
            return "inline-fragment"
        return None

    def _is_inline_fragment(self, previous: str, line: str, following: str,
                            dangling: Container[str]) -> bool:
        """A link's text alone on its line, inside a sentence that goes on after it.

        A line ending on a function word ("Article rédigé par") is a label for what follows,
        not the middle of the sentence before it.
        """
        last_word = _last_word(line)
        if (not following or _CLAUSE_END.search(previous) or _CLAUSE_END.search(line)
                or len(line.split()) > _FRAGMENT_MAX_WORDS
                or len(previous.split()) < _FRAGMENT_MIN_CONTEXT_WORDS
                or (last_word and _word_key(last_word) in dangling)):
            return False
        reason = self.join_reason(f"{previous} {line}", following, dangling)
        return reason in ("closing-punctuation", "closing-quote", "lowercase-start")

    @staticmethod
    def separator(reason: str, line: str, french: bool, previous: str = "") -> str:
        """The text put between the halves of a joined sentence."""
        first = line[0]
        if reason == "closing-punctuation":
            return " " if french and first in _SPACED_IN_FRENCH else ""
        if reason == "closing-quote":
            return " " if first == "»" else ""
        if reason == "opening-quote":
            mark = previous[-1]
            return " " if mark == "«" or (mark == '"' and french) else ""
        return " "

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if lines_stand_apart(text):
            return doc  # no line to join, none to strip: nothing to do
        french = uses_french_spacing(text)
        dangling = _DanglingWords(self, text)
        raws = text.split("\n")
        stripped = [raw.strip() for raw in raws]
        out: list[str] = []
        previous_end = -1  # offset in ``text`` where the last kept line's content ends
        previous_line = 1  # and its line number (counting newlines at each edit made big files quadratic)
        offset = 0
        for index, raw in enumerate(raws):
            line = stripped[index]
            start = offset + (len(raw) - len(raw.lstrip()))
            following = stripped[index + 1] if index + 1 < len(stripped) else ""
            reason = (self.join_reason(out[-1], line, dangling, following)
                      if out and out[-1] and line else None)
            if reason:
                sep = self.separator(reason, line, french, out[-1])
                doc.edits.append(Edit.at(STAGE, f"repair/{reason}", text, previous_end, start, sep,
                                         line=previous_line))
                out[-1] = out[-1] + sep + line
            else:
                out.append(line)
            if line:
                previous_end, previous_line = offset + len(raw.rstrip()), index + 1
            offset += len(raw) + 1
        doc.text = "\n".join(out)
        return doc
