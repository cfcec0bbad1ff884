"""Stage ``repair``: rejoin lines a scraper broke where a link, a quote or an emphasis was.

A line is joined to the one before it when it starts with closing punctuation, with a quote
mark that closes a quote left open, or with a lowercase letter, bracketed or not (unless the
line before ends a sentence: then it is a tag, a comment or code); when the line before ends
mid-phrase (on a comma, on an opening quote mark or bracket, on an elided article, or on an
article or preposition from the configured word lists, capitalised only when a sentence ends
just before it: "… doing it. The"); when it is a short fragment (a link's
text, a name) between a line that ends no sentence and a line that continues it; or when the
line before is a drop cap or a list item's number alone. Blank lines are paragraph breaks and
are never crossed (but for a drop cap); markdown headings and list items are never joined.
The tests on lines are in :mod:`cleaner.text.lines`.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Union

from cleaner.document import Document, Edit
from cleaner.text.lines import (CLOSING, OPENING_BRACKETS, LineStart, closes_open_quote, is_byline, is_drop_cap,
                                in_short_runs, is_list_marker, last_word, names_something, opens_quotation,
                                opens_quote, split_capital, unspaced_join)
from cleaner.text.normalise import lines_stand_apart, strip_line

STAGE = "repair"
_SPACED_IN_FRENCH = ";:!?"
# a line ending on a comma, possibly inside a closing quote, ends no sentence
_TRAILING_COMMA = re.compile(r"[,，、][\"»”’“]?$")
# a line that ends a sentence (a quote or bracket may close after the mark): a line after it
# that starts in lowercase is a tag, a comment or code, not the rest of the sentence
_SENTENCE_END = re.compile(r"[.!?…。！？][\"»”’)\]」』）]?$")
# the same with ``:`` and ``;``: never continued by a fragment
_CLAUSE_END = re.compile(r"[.!?…:;。！？：；][\"»”’)\]」』）]?$")
_FRAGMENT_MAX_WORDS = 6
_FRAGMENT_MIN_CONTEXT_WORDS = 8
_BLOCK_START = re.compile(r"^(?:#{1,6}\s|[-*•·▪–—]\s|\d{1,3}[.)]\s)")
# One match per mark; the mark comes first in the pattern so the regex engine skips to it.
_FRENCH_SPACED = re.compile(r"[;:!?](?=\s|$)(?<=\w[ \u00a0\u202f][;:!?])")
_UNSPACED = re.compile(r"[;:!?](?=\s|$)(?<=\w[;:!?])")
_WORD = re.compile(r"\w+['’]?")
_SPLIT_CAPITAL = LineStart(r"[^\W\d_] (?=[^\W\d_])")
_DROP_CAP_PARAGRAPH = LineStart(r"[^\W\d_]\n\n(?=[^\W\d_])")  # "Q", a blank line, "uand…"
_NOT_ITEMS = ("lowercase-start", "inline-fragment")  # joins refused in a run of short lines
_NO_SPACE = ("elision", "drop-cap")  # joins that put no space between the halves
_WORDS_AT_ONCE = 1 << 20  # characters whose words are listed at once (a big file's are not all listed)


def _lower_start(line: str) -> bool:
    """The line starts with a lowercase letter, or with a bracket before one ("(which had …")."""
    rest = line[1:] if line[0] in OPENING_BRACKETS else line
    return rest[:1].islower()


def uses_french_spacing(text: str) -> bool:
    """True when the text mostly puts a space before ``; : ! ?``, as French typography does.

    >>> uses_french_spacing("Il a dit : « oui ». Vraiment ?")
    True
    >>> uses_french_spacing("He said: yes. Really?")
    False
    """
    return len(_FRENCH_SPACED.findall(text)) > len(_UNSPACED.findall(text))


def _word_key(word: str) -> str:
    return word.lower().replace("'", "’")


def word_counts(text: str) -> Counter[str]:
    """How often each word (``_WORD``) occurs in ``text``, as it is written; listed a stretch of
    text at a time, cut at a newline (no word holds one).

    >>> sorted(word_counts("l'eau, l'eau\\nL'EAU").items())
    [('EAU', 1), ("L'", 1), ('eau', 2), ("l'", 2)]
    """
    counts: Counter[str] = Counter()
    start = 0
    while start < len(text):
        end = text.find("\n", start + _WORDS_AT_ONCE)
        end = len(text) if end < 0 else end
        counts.update(_WORD.findall(text, start, end))
        start = end + 1
    return counts


@dataclass(frozen=True)
class Words:
    """The word lists of one language: function words a line cannot end on, elided words
    (written against the next word: ``l’``, ``dell’``), and words of one letter (those of
    the language detected, ``metadata.language``)."""

    dangling: frozenset[str] = frozenset()
    elisions: frozenset[str] = frozenset()
    one_letter: frozenset[str] | None = None  # None: not known, no drop cap is told


class _DocumentWords:
    """``Repairer.words_for(text)``, worked out the first time a line needs it (a
    :class:`Words` to the tests that read it)."""

    def __init__(self, repairer: "Repairer", text: str, language: str = ""):
        self.repairer, self.text = repairer, text
        self._words: Words | None = None
        self.one_letter = repairer.one_letter.get(language)

    @property
    def words(self) -> Words:
        if self._words is None:
            self._words = self.repairer.words_for(self.text)
        return self._words

    @property
    def dangling(self) -> frozenset[str]:
        return self.words.dangling

    @property
    def elisions(self) -> frozenset[str]:
        return self.words.elisions



WordLists = Union[Words, _DocumentWords]


class Repairer:
    """Stage ``repair``. Each mapping is keyed by language: ``dangling_words`` the words a
    line cannot end on, ``elisions`` the elided words, ``one_letter_words`` the words of one
    letter (a capital alone that is not one is a drop cap)."""

    name = STAGE

    def __init__(self, dangling_words: Mapping[str, Iterable[str]] | None = None,
                 elisions: Mapping[str, Iterable[str]] | None = None,
                 one_letter_words: Mapping[str, Iterable[str]] | None = None):
        dangling, elided, letters = dangling_words or {}, elisions or {}, one_letter_words or {}
        self.words = {lang: Words(frozenset(map(_word_key, dangling.get(lang, ()))),
                                  frozenset(map(_word_key, elided.get(lang, ()))))
                      for lang in sorted({*dangling, *elided})}
        self.one_letter = {lang: frozenset(map(_word_key, words)) for lang, words in sorted(letters.items())}
        self._counted = [(words, words.dangling | words.elisions) for words in self.words.values()]
        self._listed = frozenset().union(*(counted for _, counted in self._counted))
        self.longest = max(map(len, self._listed), default=0)

    def words_for(self, text: str) -> Words:
        """The lists of the language whose function words the text uses most."""
        written = word_counts(text)
        short = [word for word in written if len(word) <= self.longest]  # lower() never shortens a word
        # the keys of all at once: lower() reads no context across a newline (none is in a word)
        keys = _word_key("\n".join(short)).split("\n")
        counts: Counter[str] = Counter()
        for word, key in zip(short, keys):
            if key in self._listed:
                counts[key] += written[word]
        best, best_hits = Words(), 0
        for words, counted in self._counted:
            hits = sum(counts[word] for word in counted)
            if hits > best_hits:
                best, best_hits = words, hits
        return best

    def join_reason(self, previous: str, line: str, words: WordLists = Words(), following: str = "") -> str | None:
        """Why ``line`` continues ``previous`` (both stripped, non-empty), or None.

        ``following`` is the stripped line after ``line`` ("" at a paragraph break).
        """
        if _BLOCK_START.match(line) or previous.startswith("#"):
            return None
        first = line[0]
        if first.islower() and self._is_drop_cap(previous, words):
            return "drop-cap"
        if is_list_marker(previous):
            return "list-marker"
        word = last_word(previous)
        key = _word_key(word) if word else ""
        if word and word[-1] in "'’" and key in words.elisions:
            return "elision"
        if first in CLOSING:
            return "closing-punctuation"
        if first in "»«”“‘’\"" and closes_open_quote(previous, first) and not opens_quotation(line):
            return "closing-quote"
        if opens_quote(previous):
            return "opening-quote"
        if previous[-1] in OPENING_BRACKETS:
            return "opening-bracket"
        if (_lower_start(line) and not _SENTENCE_END.search(previous)
                and not is_byline(line.lstrip(OPENING_BRACKETS), following)):
            return "lowercase-start"
        if _TRAILING_COMMA.search(previous):
            return "trailing-comma"
        if (word and key in words.dangling and previous[-len(word) - 1:-len(word)] != "-"  # "built-in" is no "in"
                and (not word.istitle() or word == previous  # a title ends on "The", not a sentence
                     or _SENTENCE_END.search(previous[:-len(word)].rstrip()))):  # "… doing it. The"
            return "dangling-word"
        if self._is_inline_fragment(previous, line, following, words):
            return "inline-fragment"
        return None

    @staticmethod
    def _is_drop_cap(line: str, words: WordLists) -> bool:
        """A capital alone on its line that is not a word of one letter (English "I", "A") of
        the document's language (none is told in a language without the list)."""
        return (is_drop_cap(line) and words.one_letter is not None
                and _word_key(line) not in words.one_letter)

    def _is_inline_fragment(self, previous: str, line: str, following: str, words: WordLists) -> bool:
        """A link's text alone on its line (a name, a title), inside a sentence that goes on
        after it.

        A line ending on a function word ("Article rédigé par") is a label for what follows,
        not the middle of the sentence before it; a clause ("He would speak…") is a list item.
        """
        word = last_word(line)
        if (not following or _CLAUSE_END.search(previous) or _CLAUSE_END.search(line)
                or len(line.split()) > _FRAGMENT_MAX_WORDS
                or len(previous.split()) < _FRAGMENT_MIN_CONTEXT_WORDS
                or (word and _word_key(word) in words.dangling) or not names_something(line)):
            return False
        reason = self.join_reason(f"{previous} {line}", following, words)
        return reason in ("closing-punctuation", "closing-quote", "lowercase-start")

    @staticmethod
    def separator(reason: str, line: str, french: bool, previous: str = "") -> str:
        """The text put between the halves of a joined sentence."""
        first = line[0]
        if reason in _NO_SPACE:
            return ""
        if reason == "closing-punctuation":
            return " " if french and first in _SPACED_IN_FRENCH else ""
        if reason == "closing-quote":
            return " " if first == "»" else ""
        if reason == "opening-quote":
            mark = previous[-1]
            return " " if mark == "«" or (mark == '"' and french) else ""
        return "" if previous and unspaced_join(previous, line) else " "

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        words = _DocumentWords(self, text, str(doc.metadata.get("language", "")))
        if lines_stand_apart(text) and not _DROP_CAP_PARAGRAPH.search(text):  # no line to join, none to strip
            return self._drop_caps(doc, text, words)
        french = uses_french_spacing(text)
        raws = text.split("\n")
        stripped = [strip_line(raw) for raw in raws]
        items = in_short_runs(stripped)
        out: list[str] = []
        previous_end = -1  # offset in ``text`` where the last kept line's content ends
        previous_line = 1  # and its line number (counting newlines at each edit made big files quadratic)
        offset = 0
        for index, raw in enumerate(raws):
            line = stripped[index]
            start = offset + raw.find(line) if line else offset
            following = stripped[index + 1] if index + 1 < len(stripped) else ""
            reason = (self.join_reason(out[-1], line, words, following)
                      if out and out[-1] and line else None)
            if items[index] and reason in _NOT_ITEMS:  # a tag, a name in a list: an item of its own,
                word = last_word(out[-1])            # unless the line before ends on a function word
                reason = "dangling-word" if word and _word_key(word) in words.dangling else None
            if (reason is None and line[:1].islower() and len(out) > 1 and not out[-1]
                    and self._is_drop_cap(out[-2], words)):
                out.pop()  # a drop cap set apart as a paragraph of its own
                reason = "drop-cap"
            if reason:
                sep = self.separator(reason, line, french, out[-1])
                doc.edits.append(Edit.at(STAGE, f"repair/{reason}", text, previous_end, start, sep,
                                         line=previous_line))
                out[-1] = out[-1] + sep + line
            else:
                out.append(line)
            if line:
                previous_end, previous_line = start + len(line), index + 1
            offset += len(raw) + 1
        doc.text = "\n".join(out)
        return self._drop_caps(doc, doc.text, words)

    def _drop_caps(self, doc: Document, text: str, words: _DocumentWords) -> Document:
        """Put a drop cap back against its word when the space between them is on one line
        ("L e chantier"), where the language's one-letter words are known and the text uses
        the word they make elsewhere."""
        if not _SPLIT_CAPITAL.search(text):
            return doc
        lines = text.split("\n")
        offset, changed, used = 0, False, None
        for index, line in enumerate(lines):
            if len(line) > 2 and line[1] == " " and line[0].isupper() and words.one_letter is not None:
                used = used or {word.lower() for word in word_counts(text)}
                if split_capital(line, words.one_letter, used):
                    doc.edits.append(Edit.at(STAGE, "repair/drop-cap", text, offset + 1, offset + 2, ""))
                    lines[index], changed = line[0] + line[2:], True
            offset += len(line) + 1
        if changed:
            doc.text = "\n".join(lines)
        return doc
