"""Lines of the extracted text that are only the text of a link outside the article.

Related headlines, "Add a comment", menu entries: trafilatura keeps some of them as lines of
their own. A line is dropped when it is exactly the text of one of the page's links that sits
outside the article candidate (:mod:`cleaner.html.guard`), has 2 to 15 words, does not end as
a sentence, is not an item of a list, and is not part of the page's headline (its title, ``h1``, ``og:title``: a headline
often links to its own article).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cleaner.html.guard import PageProfile, text_of, word_count

if TYPE_CHECKING:
    from lxml import etree

MAX_WORDS = 15
MAX_RUN = 2  # link lines in a row, between lines of the article, that may still go
_LIST_ITEM = ("- ", "* ", "• ")  # an item of a list the article holds (a reading list, sources) stays
_STRIP = " .:|-–—»›>•·"
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'»”’)\]]*$")
_TITLES = ("og:title", "twitter:title")


def _key(text: str) -> str:
    return " ".join(text.split()).strip(_STRIP)


def outside_links(root: etree._Element, profile: PageProfile) -> set[str]:
    """The texts of the page's links outside the article candidate, minus those in its headline."""
    inside = set(profile.candidate.iter("a")) if profile.candidate is not None else set()
    links = {_key(text_of(a)) for a in root.iter("a") if a not in inside}
    heads = [_key(text_of(e)) for e in root.iter("title", "h1")]
    heads += [_key(m.get("content") or "") for m in root.iter("meta")
              if (m.get("property") or m.get("name") or "").lower() in _TITLES]
    heads = [h for h in heads if h]
    return {link for link in links if link and not any(link in head for head in heads)}


def drop_link_lines(text: str, links: set[str]) -> tuple[str, list[tuple[int, str]]]:
    """``text`` without its lines that are one of ``links``; and those lines, with their number.
    A run of more than MAX_RUN such lines with the article's lines on both sides stays: a list
    the article holds, whose links the page's candidate did not cover.

    >>> drop_link_lines("Le texte.\\n\\nPlus lus du jour\\n\\nLa suite.", {"Plus lus du jour"})
    ('Le texte.\\n\\nLa suite.', [(3, 'Plus lus du jour')])
    """
    if not links:
        return text, []
    lines = text.split("\n")
    found = [_is_link_line(line, links) for line in lines]
    for start, end in _interior_runs(lines, found):
        found[start:end] = [False] * (end - start)
    kept: list[str] = []
    dropped: list[tuple[int, str]] = []
    for number, (line, drop) in enumerate(zip(lines, found), 1):
        if drop:
            dropped.append((number, line.strip()))
            if kept and not kept[-1].strip():
                kept.pop()  # the blank line before it goes too
            continue
        kept.append(line)
    while kept and not kept[0].strip():
        kept.pop(0)
    return "\n".join(kept), dropped


def _is_link_line(line: str, links: set[str]) -> bool:
    key = _key(line)
    return (key in links and 2 <= word_count(key) <= MAX_WORDS and not _SENTENCE_END.search(line.strip())
            and not line.lstrip().startswith(_LIST_ITEM))


def _interior_runs(lines: list[str], found: list[bool]) -> list[tuple[int, int]]:
    """(start, end) of each run of more than MAX_RUN link lines (blank lines between them
    allowed) that has a line of other text before it and after it."""
    runs: list[tuple[int, int]] = []
    start = count = 0
    other_before = False
    for i, line in enumerate([*lines, ""]):
        if i < len(lines) and found[i]:
            if count == 0:
                start = i
            count, end = count + 1, i + 1
        elif i < len(lines) and line.strip():
            if count > MAX_RUN and other_before:
                runs.append((start, end))
            count, other_before = 0, True
    return runs
