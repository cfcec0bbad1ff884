"""Stamped lines: reader comment threads and timestamped lists of other stories.

A *stamp* is a date or a time of day written in digits ("14:05", "2012-01-17", "17.01.12",
"2012年1月17日": ``STAMP``), or one of the ``patterns`` of the ``stamp-list`` rule ("Jan 17,
2012"); every stamp holds a digit, so a line without one is not searched. A line is *stamped*
when it holds one, and is then one of:

- ``only``: nothing but stamps and date words ("- [21:26] 01-17", "| 17:17 | |");
- ``signature``: a few other words (a name) beside a date *and* a time, or beside any stamp
  when the line holds a ``signatures`` word of the language ("Posted by: NAME at DATE TIME",
  "NAME (guest) DATE TIME", "NAME | DATE TIME");
- ``headline``: a title with the stamp before or after it ("09:21 // Headline", "Headline
  Nov 17, 2010"), not a sentence of prose ("14:05 The minister said …" is a live blog's entry).

``stamp_list``: three or more stamped lines, each at most one headline-like line from the next,
are a list of other stories (a line that introduces a list, ending with a colon, keeps it).
``comment_thread``: three or more signatures after the article's first line of prose, each at
most ``MAX_GAP`` lines from the next and not all with the same words ("Tracked on DATE" each
time is a list of links, not readers talking), are a thread: the signatures, the comments between them,
a thread label just above the first ("12 comments"), and the last comment when the thread
ends the text, go. A byline with a date at the top
comes before the article's prose, so it never starts a thread.

These two shapes run on HTML pages (``PAGE_KINDS``): trafilatura keeps such lines when the
site does not mark them as comments or as a sidebar. ``comment_thread`` runs on pages only,
unless ``[html] include-comments`` asks for the comments (the stage decides).
"""
from __future__ import annotations

import re
from functools import lru_cache

from cleaner.rules.lexicon import (
    CJK, Lexicon, Line, Phrases, Words, contains, headline_like, line_test, prose_like, tokens, words_of,
)
from cleaner.rules.prefilter import may_match

Span = tuple[int, int]
EMBED = re.compile(r"\(@\w+\)|pic\.twitter\.com/")
DIGIT = re.compile(r"\d")
CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?!\d)")
STAMP = (r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?!\d)(?:\s*[ap]\.?m\.?)?",  # 14:05, 2:05 pm
         r"(?<![\d.])\d{1,4}[./-]\d{1,2}[./-]\d{2,4}(?!\d)",  # 2012-01-17, 17.01.12
         r"\d{2,4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?<!\d)\d{1,2}\s*月\s*\d{1,2}\s*日")
MAX_GAP = 10      # lines of comment text between two signatures of one thread
MAX_REST = 6      # other words a signature may hold (a name, "posted by")
LABEL_TOKENS = 6  # a thread label is a short line
PAGE_KINDS = ("stamp-list", "comment-thread")
EDGE = " -–—|[]()•·*>»›/"  # what may stand between a stamp and the edge of its line


def stamps_of(lexicon: Lexicon) -> re.Pattern:
    """``STAMP`` and the ``patterns`` of the ``stamp-list`` rules of ``lexicon``, as one regex."""
    return _stamps(words_of(lexicon, "stamp-list").patterns)


@lru_cache(maxsize=64)
def _stamps(extra: tuple[str, ...]) -> re.Pattern:
    """The regex of :func:`stamps_of`, joined once per set of patterns (not at every document)."""
    return re.compile("|".join(f"(?:{p})" for p in (*STAMP, *extra)), re.IGNORECASE)


def rest_of(line: Line, stamps: re.Pattern, dates: Phrases) -> list[str]:
    """The tokens of ``line`` that are not stamps, numbers or date words (a name, a title)."""
    return [t for t in tokens(stamps.sub(" ", line.s)) if not t.isdigit() and t not in dates.singles]


def stamped(line: Line, stamps: re.Pattern, dates: Phrases, signatures: Phrases = Phrases()) -> str:
    """The class of a line that holds a stamp (``only``, ``signature``, ``headline``), else ""."""
    if not line.toks or len(line.toks) > 50 or not DIGIT.search(line.s):
        return ""
    found = list(stamps.finditer(line.s)) if may_match(stamps)(line.s) else []  # most lines: RE2 says none
    if not found or line.s[found[0].end():].lstrip().startswith((":", "：")) or EMBED.search(line.s):
        return ""  # "12 March 2011: the bands that play" is a dated entry of the text; "— Name
        # (@name) May 2, 2024" ends an embedded post the text quotes
    bare = stamps.sub(" ", line.s)
    rest = rest_of(line, stamps, dates)
    clock = any(CLOCK.search(m.group()) for m in found)
    dated = any(not CLOCK.fullmatch(m.group().strip()) for m in found)
    if not rest:
        return "only" if len(line.toks) <= 16 else ""
    cjk = bool(CJK.search(bare))
    signed = bool(signatures) and contains(line.toks, signatures) is not None
    if len(rest) <= MAX_REST * (2 if cjk else 1) and ((clock and dated) or signed) \
            and not prose_like(Line(bare, tuple(rest))):
        return "signature"
    lead = len(line.s) - len(line.s.lstrip(EDGE))
    at_edge = found[0].start() <= lead + 1 or found[-1].end() >= len(line.s.rstrip(EDGE)) - 1
    core = Line(bare, tuple(tokens(bare)))
    if at_edge and 2 <= len(rest) and headline_like(core, 20) and not prose_like(core):
        return "headline"
    return ""


def _filler(line: Line) -> bool:
    """A line that may sit between two stamped ones of a list: a headline (cut short with "..",
    too), a short label."""
    if line.s.endswith(".."):
        line = Line(line.s.rstrip("."), line.toks)
    return headline_like(line, 20) and not prose_like(line)


def stamp_list(lines: list[Line], words: Words, lexicon: Lexicon) -> list[Span]:
    """Runs of three or more stamped lines, at most one headline-like line apart."""
    dates, stamps = words_of(lexicon, "date-line").get("words"), stamps_of({**lexicon, "stamp-list": words})
    tested = line_test(stamped, stamps, dates)
    kinds = [tested(line) if line.toks else "" for line in lines]
    out: list[Span] = []
    run: list[int] = []

    def close() -> None:
        if len(run) < 3:
            return
        a, b = run[0], run[-1] + 1
        before = _neighbour(lines, a, -1)
        if before is not None and lines[before].s.endswith((":", "：")):
            return  # the article's own list ("The programme:")
        after = _neighbour(lines, run[-1], 1)
        if kinds[run[-1]] == "only" and after is not None and not kinds[after] and _filler(lines[after]):
            b = after + 1  # "- 10:11" over its headline: the last headline goes too
        out.append((a, b))

    gap: list[int] = []
    for i, line in enumerate(lines):
        if not line.toks:
            continue
        if kinds[i]:
            run.append(i)
            gap = []
            continue
        if run and not gap and _filler(line):
            gap.append(i)
            continue
        close()
        run, gap = [], []
    close()
    return out


def comment_thread(lines: list[Line], words: Words, lexicon: Lexicon) -> list[Span]:
    """Three or more signatures after the article's first prose, at most ``MAX_GAP`` lines apart."""
    stamps = stamps_of(lexicon)
    dates, signatures, labels = words_of(lexicon, "date-line").get("words"), words.get("signatures"), words.get("labels")
    first = next((i for i, line in enumerate(lines) if prose_like(line)), None)
    if first is None:
        return []
    sigs = [i for i in range(first + 1, len(lines)) if stamped(lines[i], stamps, dates, signatures) == "signature"]
    out: list[Span] = []
    chain: list[int] = []
    for i in [*sigs, None]:
        if i is not None and (not chain or sum(bool(lines[k].toks) for k in range(chain[-1] + 1, i)) <= MAX_GAP):
            chain.append(i)
            continue
        names = {tuple(rest_of(lines[k], stamps, dates)) for k in chain}
        if len(chain) >= 3 and len(names) >= 2:  # a thread has more than one author
            a = chain[0]
            label = _neighbour(lines, a, -1)
            if label is not None and label > first and _is_label(lines[label], labels):
                a = label
            out.append((a, _thread_end(lines, chain)))
        chain = [] if i is None else [i]
    return out


def _thread_end(lines: list[Line], chain: list[int]) -> int:
    """One past the thread's last line: its last signature, or the end of the text when no more
    lines follow it than a comment between two of its signatures holds (the last comment)."""
    def held(a: int, b: int) -> int:
        return sum(bool(lines[k].toks) for k in range(a, b))
    widest = max(held(a + 1, b) for a, b in zip(chain, chain[1:]))
    return len(lines) if held(chain[-1] + 1, len(lines)) <= widest else chain[-1] + 1


def _is_label(line: Line, labels: Phrases) -> bool:
    return 0 < len(line.toks) <= LABEL_TOKENS and contains(line.toks, labels) is not None


def _neighbour(lines: list[Line], i: int, step: int) -> int | None:
    """The nearest non-blank line before (step -1) or after (step 1) line ``i``."""
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].toks:
            return j
        j += step
    return None
