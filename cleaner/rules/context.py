"""The line classifier: a line's neighbours are evidence too (jusText, Pomikálek 2011).

Lines the scraper broke mid-sentence are glued into groups; each group gets a class from its
own features (``good`` prose: long with stopwords; ``near``: medium; ``short``; ``bad``: a
link, or mostly interface words; a group the shapes took is ``bad``). Short and near groups
then take the class of their nearest good or bad neighbours: a short line between two
paragraphs of prose (an intertitle) stays, the same line among boilerplate goes. Inside the
article (from the first prose group to the last) a short line goes only between two bad
ones. Every line it drops carries its reason, a rule id ``context/…``.

The classes of kept lines do not depend on lines it dropped (a kept short line has a good
neighbour, or is outside the article between good and the edge), so a second run drops
nothing more.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from cleaner.rules.lexicon import (
    CJK, ELLIPSIS, GOES_ON, Lexicon, Line, cover, ends_sentence, headline_like, line_test, starts_lower, words_of,
)

LINK = re.compile(r"https?://|www\.|\.com\b|@\w")
OPEN_END = re.compile(r"[,(«“‘\[\-–—]\s*$|[:：]\s*[\"“«„]?\s*$|\s[\"“„]\s*$")
DIGIT = re.compile(r"\d")
ADDRESS = re.compile(r"https?://|www\.|@\w")  # LINK without the bare ".com" (a name like "Example.com Inc.")
KEY_VALUE = re.compile(r"^[^:：]{1,40}[:：]\s*(?:\S+\s*){1,6}$")  # a short key, a short value
LIST_ITEM = re.compile(r"^\s*(?:[★☆•·▪►◆■□●○*+\-–—]|\d{1,3}[.)]\s)")
SHAPE = "shape"
REASONS = {
    "link": "context/link-line",
    "ui": "context/interface-words",
    "between": "context/short-between-boilerplate",
    "outside": "context/short-outside-article",
    "near": "context/medium-beside-boilerplate",
    "tail": "context/headline-run-after-article",
}


@dataclass(frozen=True)
class ContextOptions:
    enabled: bool = True
    good_tokens: int = 20      # a group this long with enough stopwords is prose
    stop_good: float = 0.15    # share of stopwords prose has (0.03 for CJK text, counted per character)
    ui_bad: float = 0.5        # a group this much made of interface words is bad
    tail_run: int = 3          # this many headline-like lines after the article's last prose are a teaser list (0: off)


def glue(lines: list[Line], stopwords: frozenset) -> list[list[int]]:
    """Groups of consecutive lines the scraper broke at a link or a quote."""
    groups: list[list[int]] = []
    prev = None
    for i, line in enumerate(lines):
        if not line.toks:
            groups.append([i])
            prev = None
            continue
        if prev is not None:
            before = lines[prev].s
            if not ends_sentence(before) and (
                    starts_lower(line.s) or OPEN_END.search(before)
                    or (lines[prev].toks[-1] in stopwords and not CJK.search(before[-1:]))):
                groups[-1].append(i)
                prev = i
                continue
        groups.append([i])
        prev = i
    return groups


def initial_class(toks: list[str] | tuple[str, ...], text: str, lexicon: Lexicon,
                  o: ContextOptions) -> tuple[str, str]:
    n = len(toks)
    if n == 0:
        return "empty", ""
    stopwords = words_of(lexicon, "context").get("stopwords").singles
    ui_words = words_of(lexicon, "ui-line")
    ui, weak = ui_words.get("words"), ui_words.get("weak").singles
    sentence = "sentence" if n >= 3 and ends_sentence(text.strip()) else ""
    if n <= 12 and (ADDRESS.search(text) or LINK.search(text) and not (sentence and n >= 6)):
        return "bad", "link"
    words = tuple(t for t in toks if t not in weak and (t.isalpha() or not DIGIT.search(t))) \
        if n <= 20 and ui and not sentence else ()  # a word of letters alone holds no digit
    if len(words) >= 2:
        miss, _ = cover(words, ui)
        if (len(words) - miss) / len(words) >= o.ui_bad:
            return "bad", "ui"
    cjk = bool(CJK.search(text))
    scale = 2 if cjk else 1
    stop_ok = not stopwords or sum(map(stopwords.__contains__, toks)) / n >= (0.03 if cjk else o.stop_good)
    if n >= o.good_tokens * scale and stop_ok:
        return "good", ""
    if n >= 10 * scale and ends_sentence(text.strip()) and stop_ok:
        return "good", ""
    if n >= 8 * scale and stop_ok:
        return "near", sentence
    return "short", sentence


def _line_class(line: Line, lexicon: Lexicon, o: ContextOptions) -> tuple[str, str]:
    """:func:`initial_class` of a group of one line."""
    return initial_class(line.toks, line.s, lexicon, o)


def resolve(initial: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """jusText's context step: short and near groups take the class of their neighbours
    (a line that reads as a sentence stays). Returns (final class, reason key) per group."""
    cls = [c for c, _ in initial]
    n = len(cls)

    # the class of the nearest good or bad group before and after each group, in one pass each way;
    # the start (a headline) counts as good, the end as bad
    before, after, last = [], [""] * n, "good"
    for c in cls:
        before.append(last)
        last = c if c in ("good", "bad") else last
    last = "bad"
    for i in range(n - 1, -1, -1):
        after[i] = last
        last = cls[i] if cls[i] in ("good", "bad") else last

    goods = [i for i, c in enumerate(cls) if c == "good"]
    first, last = (goods[0], goods[-1]) if goods else (n, -1)
    out = [(c, "") for c in cls]
    for i, c in enumerate(cls):
        if c not in ("short", "near") or initial[i][1] == "sentence":  # a sentence stays
            continue
        p, q = before[i], after[i]
        if first < i < last:
            out[i] = ("bad", "between") if p == q == "bad" else ("good", "")
        elif c == "near":  # before the article, a medium line may be its headline: it stays
            out[i] = ("good", "") if "good" in (p, q) or i < first else ("bad", "near")
        elif p == q == "bad":
            out[i] = ("bad", "outside")
        else:
            out[i] = ("good", "")
    return out


def tail_runs(final: list[tuple[str, str]], initial: list[tuple[str, str]], groups: list[list[int]],
              lines: list[Line], run: int) -> list[tuple[str, str]]:
    """After the article's last prose group, a run of ``run`` or more kept headline-like groups
    is a list of other stories: bad. Blank and bad groups do not break a run, nor do lines of
    one or two words without a number (an unknown label), which go with it when a title follows
    them. Not a list the text introduces (the line before it, or a line of the last prose, ends
    with a colon: the items of a list may be broken sentences that split it in runs), nor bulleted
    or numbered items, nor data rows, which are the article's own lists; a line the next one
    goes on from (". ", ", …") is a piece of a broken sentence and breaks a run."""
    def text_of(i: int) -> str:
        return " ".join(lines[k].s for k in groups[i] if lines[k].toks)

    line_title = line_test(_line_title)  # a group of one line is its line's title or not, in every text
    prose = [i for i, (c, _) in enumerate(initial) if c == "good" and not (
        line_title(lines[groups[i][0]]) if len(groups[i]) == 1 else title(text_of(i), lines, groups[i]))]
    if not run or not prose:
        return final
    out, titles, members, weak, introduced = list(final), [], [], [], False
    before = text_of(prose[-1])
    # "… said that:" on a line of the last prose (a list's first item may be glued to it): what
    # follows is the article's own list
    listed = any(lines[k].s.endswith((":", "：")) for k in groups[prose[-1]])
    for i in [*range(prose[-1] + 1, len(groups)), None]:
        if i is not None and (initial[i][0] in ("empty", "bad") or final[i][0] == "bad"):
            continue
        text = "" if i is None else text_of(i)
        broken = i is not None and groups[i][-1] + 1 < len(lines) and GOES_ON.match(lines[groups[i][-1] + 1].text)
        if i is not None and not broken and initial[i][1] != "sentence" and title(text, lines, groups[i]):
            if not titles:
                introduced = before.endswith((":", "："))
            titles.append(i)
            members += [*weak, i]
            weak = []
            continue
        if i is not None and not broken and label_like(text, tokens_of(groups[i], lines)):
            weak.append(i)
            continue
        if len(titles) >= run and not (introduced or listed) and not specs(titles, groups, lines):
            for j in members:
                out[j] = ("bad", "tail")
        titles, members, weak, before = [], [], [], text
    return out


def label_like(text: str, toks: list[str]) -> bool:
    """One or two words, no number, no colon at the end: a label of a box, a section name."""
    return 0 < len(toks) < 3 and not DIGIT.search(text) and not text.endswith((":", "："))


def tokens_of(group: list[int], lines: list[Line]) -> list[str]:
    return [t for k in group for t in lines[k].toks]


def specs(run: list[int], groups: list[list[int]], lines: list[Line]) -> bool:
    """Half the lines of the run or more are data rows: "Key: value", or two numbers or more (a
    spec sheet, a table, a programme, a CV)."""
    def row(i: int) -> bool:
        line = lines[groups[i][0]]
        return bool(KEY_VALUE.match(line.s)) or sum(bool(DIGIT.search(t)) for t in line.toks) >= 2
    return 2 * sum(map(row, run)) >= len(run)


def title(text: str, lines: list[Line], group: list[int]) -> bool:
    """A group that reads as a headline: 3 to 20 tokens (CJK 40), no closing punctuation (a
    short question is fine), not a list item."""
    n = sum(len(lines[k].toks) for k in group)  # len(tokens_of(group, lines)), without the list
    if n < 3 or LIST_ITEM.match(text) or (n >= 8 and ends_sentence(text) and not ELLIPSIS.search(text)):
        return False
    return all(headline_like(lines[k], 20) for k in group if lines[k].toks)


def _line_title(line: Line) -> bool:
    """:func:`title` of a group of one line (its text: the line, or "" if blank)."""
    return title(line.s if line.toks else "", [line], [0])


def classify(lines: list[Line], taken: dict[int, str], lexicon: Lexicon, o: ContextOptions) -> dict[int, str]:
    """The lines (not in ``taken``, the shapes' lines) the context drops, with their reason."""
    groups = glue(lines, words_of(lexicon, "context").get("stopwords").singles)
    initial, line_class = [], line_test(_line_class, lexicon, o)
    for group in groups:
        live = [k for k in group if k not in taken]
        if not live:
            initial.append(("bad", SHAPE) if any(lines[k].toks for k in group) else ("empty", ""))
            continue
        if len(live) == 1:  # a line alone: classed once (a line of the last text split is not again)
            initial.append(line_class(lines[live[0]]))
            continue
        toks = [t for k in live for t in lines[k].toks]
        initial.append(initial_class(toks, " ".join(lines[k].s for k in live), lexicon, o))
    if not any(c == "good" for c, _ in initial):  # no prose: trust the medium groups, else keep all
        initial = [("good", "") if c == "near" else (c, why) for c, why in initial]
        if not any(c == "good" for c, _ in initial):
            return {}
    final = tail_runs(resolve(initial), initial, groups, lines, o.tail_run)
    dropped: dict[int, str] = {}
    for group, (c0, why0), (c, why) in zip(groups, initial, final):
        reason = why0 if c0 == "bad" and why0 != SHAPE else why if c == "bad" and c0 != "bad" else ""
        for k in group if reason else ():
            if k not in taken and lines[k].toks:
                dropped[k] = REASONS[reason]
    return dropped
