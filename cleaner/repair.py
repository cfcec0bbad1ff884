"""Stage 4: rejoin lines a scraper broke where a link, a quote or an emphasis was.

A line is joined to the one before it when it starts with closing punctuation or with a
lowercase letter, or when the line before ends mid-phrase (on an article or preposition
from the configured word lists). Blank lines are paragraph breaks and are never crossed;
markdown headings and list items are never joined.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Container, Iterable, Mapping

from .document import Document, Edit

STAGE = "repair"
_CLOSING = ",.;:!?)]}…"
_SPACED_IN_FRENCH = ";:!?"
# opening quote -> its closing quote, in the styles news sites use (fr, en, de, pl ...)
_QUOTE_PAIRS = {"«": "»", "»": "«", "“": "”", "„": "“", "‚": "‘"}
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
    """
    if mark == '"':
        return previous.count('"') % 2 == 1
    return any(
        closer == mark and previous.count(opener) > previous.count(closer)
        for opener, closer in _QUOTE_PAIRS.items()
        if opener != closer
    )


def _last_word(line: str) -> str | None:
    """``_LAST_WORD.search(line).group(1)``, read backwards from the end of the line."""
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

    stage = STAGE

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

    def join_reason(self, previous: str, line: str, dangling: Container[str] = frozenset()) -> str | None:
        """Why ``line`` continues ``previous`` (both stripped, non-empty), or None."""
        if _BLOCK_START.match(line) or previous.startswith("#"):
            return None
        first = line[0]
        if first in _CLOSING:
            return "closing-punctuation"
        if first in "»«”“\"" and closes_open_quote(previous, first):
            return "closing-quote"
        if first.islower():
            return "lowercase-start"
        word = _last_word(previous)
        if word and _word_key(word) in dangling:
            return "dangling-word"
        return None

    @staticmethod
    def separator(reason: str, line: str, french: bool) -> str:
        """The text put between the halves of a joined sentence."""
        first = line[0]
        if reason == "closing-punctuation":
            return " " if french and first in _SPACED_IN_FRENCH else ""
        if reason == "closing-quote":
            return " " if first == "»" else ""
        return " "

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        french = uses_french_spacing(text)
        dangling = _DanglingWords(self, text)
        out: list[str] = []
        previous_end = -1  # offset in ``text`` where the last kept line's content ends
        offset = 0
        for raw in text.split("\n"):
            line = raw.strip()
            start = offset + (len(raw) - len(raw.lstrip()))
            reason = self.join_reason(out[-1], line, dangling) if out and out[-1] and line else None
            if reason:
                sep = self.separator(reason, line, french)
                doc.edits.append(Edit.at(STAGE, f"repair/{reason}", text, previous_end, start, sep))
                out[-1] = out[-1] + sep + line
            else:
                out.append(line)
            if line:
                previous_end = offset + len(raw.rstrip())
            offset += len(raw) + 1
        doc.text = "\n".join(out)
        return doc
