"""Stage ``prune``: HTML rules from the YAML packs remove elements from the parsed page before
extraction, so their text never reaches the article (screen-reader labels, embedded posts,
teaser boxes, share bars ...).

Two kinds: ``remove-element: CSS`` (a CSS selector) and ``remove-xpath: XPATH``. An element
goes with everything inside it; the text that follows it (its tail) stays. ``max-chars: N``
spares a matched element holding more than N characters of text (a guard for selectors that
could also match a page's main container). Each rule's
examples give an HTML snippet and the text it must come to once the rule ran (see
:func:`snippet_text`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from cleaner.document import Document, Edit
from cleaner.errors import RuleError
from cleaner.rules.example import Example, check_examples
from cleaner.html.guard import (DEFAULT_TEXT_SHARE, MIN_GUARDED_CHARS, MIN_GUARDED_RULE_CHARS, NO_TEXT_TAGS, PageProfile,
                                link_chars, page_profile, prose_chars, reads_as_prose, text_of)
from cleaner.html.selectors import PageIndex, Selector, compile_css, compile_xpath

if TYPE_CHECKING:  # lxml is imported where a page is pruned: a run of text files never imports it
    from lxml import etree

HTML_KINDS = ("remove-element", "remove-xpath")
STAGE = "prune"
_SHOWN_CHARS = 200
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd details div dl dt figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul".split()
)


def compile_selector(kind: str, selector: str) -> Selector:
    """The compiled selector of a rule of ``kind``; ``ValueError`` when it is invalid.

    >>> compile_selector("remove-element", "span.sr-only").branches[0].xpath
    "descendant-or-self::span[@class and contains(@class, 'sr-only') and contains(concat(' ', normalize-space(@class), ' '), ' sr-only ')]"
    """
    return compile_css(selector) if kind == "remove-element" else compile_xpath(selector)


@dataclass
class HtmlRule:
    """One compiled HTML rule: removes the elements its selector matches."""

    id: str
    kind: str
    description: str
    selector: Selector
    max_chars: int | None = None
    max_text_share: float | None = None  # spare what holds more of the page's prose (None: the default)
    min_link_density: float | None = None  # spare unless links make at least this share of its text
    prose_guard: bool = False  # spare paragraphs that read as prose (:func:`reads_as_prose`)
    max_run: int | None = None  # spare runs of more matched siblings than this inside the article candidate
    outside_article: bool = False  # spare what is inside the article candidate (and everything without one)
    enabled: bool = True
    site: str | None = None  # its pack's site: runs only on that site's pages, when the page's address is known
    examples: tuple[Example, ...] = ()  # in: an HTML snippet; out: its text
    pack: str = ""
    source: str = ""
    line: int | None = None

    def prune(self, root: etree._Element, index: PageIndex | None = None,
              profile: PageProfile | None = None, removed: list[str] | None = None) -> list[Edit]:
        """Remove every matching element from ``root`` (tails kept) that the guards allow
        (:mod:`cleaner.html.guard`); one edit per element, and its text appended to ``removed``.

        ``index`` and ``profile`` describe ``root`` as it was before any rule ran: the index may
        promise matches that are gone, never hide one.
        """
        from lxml import etree

        try:
            found = self.selector(root, index)
        except etree.XPathEvalError as exc:
            raise RuleError(f"rule {self.id!r} cannot run its XPath: {exc}", self.source, self.line) from None
        if not isinstance(found, list):
            return []
        profile = profile or page_profile(root)
        share = (self.max_text_share if self.max_text_share is not None else DEFAULT_TEXT_SHARE) * max(profile.prose, 1)
        chosen: list[tuple[etree._Element, str]] = []
        taken: set[etree._Element] = set()
        rule_prose = 0
        for element in found:
            if (not isinstance(element, etree._Element) or element is root or element.getparent() is None
                    or any(a in taken for a in element.iterancestors())):
                continue
            text = text_of(element)
            if self.max_chars is not None and len(text) > self.max_chars:
                continue
            prose = prose_chars(element, text) if text else 0
            if element in profile.protected or (prose > share and prose > MIN_GUARDED_CHARS):
                continue
            if self.outside_article and (profile.candidate is None or profile.candidate in element.iterancestors()):
                continue
            if self.min_link_density is not None and text and link_chars(element) < self.min_link_density * len(text):
                continue
            if self.prose_guard and text and reads_as_prose(text, link_chars(element)):
                continue
            taken.add(element)
            chosen.append((element, text))
            rule_prose += prose
        if self.max_run is not None:
            spared = _long_runs(taken, self.max_run, profile)
            chosen = [(e, t) for e, t in chosen if e not in spared]
            rule_prose = sum(prose_chars(e, t) for e, t in chosen if t)
        if rule_prose > share and rule_prose > MIN_GUARDED_RULE_CHARS:
            return []  # together the matches hold much of the page's prose: not boilerplate here
        edits = []
        for element, text in chosen:
            edits.append(Edit(STAGE, self.id, element.sourceline or 0, _shown(element, text), ""))
            if removed is not None and text:
                removed.append(text)
            _remove(element)
        return edits

    def check_examples(self) -> list[RuleError]:
        """One error per example whose snippet does not come to its expected text."""
        return check_examples(self, self.snippet_result)

    def snippet_result(self, html: str) -> str:
        """The text of an example's HTML snippet once this rule pruned it."""
        root = parse_snippet(html)
        self.prune(root)
        return snippet_text(root)


class Pruner:
    """Stage ``prune``: the enabled HTML rules, applied in pack order to the parsed page
    (``doc.tree``; a document without one passes through), one edit per removed element."""

    name = STAGE

    def __init__(self, rules: Iterable[HtmlRule]):
        self.rules = [rule for rule in rules if rule.enabled]

    def __call__(self, doc: Document) -> Document:
        if doc.tree is not None:
            doc.pruned = Pruned(page_profile(doc.tree))
            doc.edits.extend(self.prune(doc.tree, doc.pruned, page_address(doc.tree, doc.url)))
        return doc

    def prune(self, root: etree._Element, pruned: Pruned | None = None, address: str = "") -> list[Edit]:
        """Prune ``root`` in place; the edits, in rule order (what was removed: ``pruned``).
        A site's rule runs only when ``address`` (the page's URLs and site name) names its
        site, or is empty."""
        rules = [rule for rule in self.rules if not rule.site or not address or rule.site in address]
        edits: list[Edit] = []
        if not rules:
            return edits
        index = PageIndex(root)
        pruned = pruned or Pruned(page_profile(root))
        for rule in rules:
            edits.extend(rule.prune(root, index, pruned.profile, pruned.texts))
        return edits


_ADDRESS_META = ("og:url", "og:site_name", "twitter:url")


def page_address(root: etree._Element, url: str | None = None) -> str:
    """Where the page says it lives, lower-cased: ``url``, its canonical link, its ``og:url`` and
    site name (empty when it says nothing).

    >>> import lxml.html
    >>> page_address(lxml.html.document_fromstring('<html><head><link rel="canonical" '
    ...     'href="https://www.Example.org/a"></head><body><p>x</p></body></html>'))
    'https://www.example.org/a'
    """
    found = [url or ""]
    head = root.find(".//head")
    for element in (head if head is not None else root).iter("link", "meta"):
        if element.tag == "link" and "canonical" in (element.get("rel") or "").lower().split():
            found.append(element.get("href") or "")
        elif (element.get("property") or element.get("name") or "").lower() in _ADDRESS_META:
            found.append(element.get("content") or "")
    parts = (part.strip().lower() for part in found)
    return " ".join(dict.fromkeys(part for part in parts if part))


@dataclass
class Pruned:
    """What the prune stage saw and did, for the extract stage: the page's profile before any
    rule ran, and the text of every element removed."""

    profile: PageProfile
    texts: list[str] = field(default_factory=list)


def _long_runs(matched: set[etree._Element], longest: int, profile: PageProfile) -> set[etree._Element]:
    """The matched elements standing in a run of more than ``longest`` consecutive matched
    siblings (nothing but spaces between them) inside the page's article candidate: a list the
    article holds (events, recipes, sources), not a teaser dropped into it."""
    if profile.candidate is None:
        return set()
    inside = {e for e in matched if e is profile.candidate or profile.candidate in e.iterancestors()}
    spared: set[etree._Element] = set()
    for element in inside:
        previous = element.getprevious()
        if previous in inside and not (previous.tail or "").strip():
            continue  # not the start of its run
        run = [element]
        while (run[-1].getnext() is not None and run[-1].getnext() in inside
               and not (run[-1].tail or "").strip()):
            run.append(run[-1].getnext())
        if len(run) > longest:
            spared.update(run)
    return spared


def _remove(element: etree._Element) -> None:
    """Detach ``element`` and its subtree, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _shown(element: etree._Element, text: str) -> str:
    """What the edit log shows of a removed element: its text, shortened, or its tag."""
    if not text:
        return f"<{element.tag}>" if isinstance(element.tag, str) else ""
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…"


def parse_snippet(html: str) -> etree._Element:
    """Parse an example's HTML (a fragment or a whole page) into a document tree."""
    import lxml.html

    return lxml.html.document_fromstring(f"<html><body>{html}</body></html>" if html.strip() else "<html/>")


def snippet_text(root: etree._Element) -> str:
    """The visible text of a small tree as a reader would copy it: one line per block element,
    spaces collapsed, empty lines dropped. Used for the examples of HTML rules.

    >>> snippet_text(parse_snippet("<p>Un <a href='#'>lien</a>.</p><div>Deux<br>lignes</div>"))
    'Un lien.\\nDeux\\nlignes'
    """
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if tag and tag not in NO_TEXT_TAGS:
            parts.append(element.text or "")
            for child in element:
                walk(child)
        if block:
            parts.append("\n")
        parts.append(element.tail or "")

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
