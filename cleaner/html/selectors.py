"""Selectors of HTML rules, compiled once, and a cheap test of whether a page can match them.

Evaluating an XPath walks the whole page, and a CSS selector list is one walk per selector:
about 0.1 ms per walk on a news page, so twenty rules of a dozen selectors each would cost
more than the extraction itself. Each CSS selector therefore carries the class names, ids
and tag names it requires (read from cssselect's parse tree); a page is indexed once (its
class and id attribute values) and only the selectors whose requirements are all present in
the page are evaluated; those that test only the tag, class and id of one element are matched
from the index's class and id values (:mod:`cleaner.html.attrmatch`), not by a walk of the page.
XPath rules have no such shortcut and always run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cleaner.html.attrmatch import AttributeIndex, AttributeTest, attribute_test

if TYPE_CHECKING:  # lxml and cssselect are imported on first use: a run of text files never imports them
    from lxml import etree

_EXSLT_REGEX = {"re": "http://exslt.org/regular-expressions"}
Requirement = tuple[str, str]  # ("class" | "id" | "tag", text that must occur)


class PageIndex:
    """What one page offers to selectors: its elements with a class or an id and the text of
    those attributes (``attributes``), its tags."""

    def __init__(self, root: etree._Element):
        self.root = root
        self.attributes = AttributeIndex(root)
        self.classes = self.attributes.values["class"]
        self.ids = self.attributes.values["id"]
        self._tags: dict[str, bool] = {}

    def has(self, requirement: Requirement) -> bool:
        kind, text = requirement
        if kind == "class":
            return text in self.classes
        if kind == "id":
            return text in self.ids
        if text not in self._tags:
            self._tags[text] = next(self.root.iter(text), None) is not None
        return self._tags[text]


@dataclass(frozen=True)
class Branch:
    """One selector of a list: its XPath and what a page needs for it to match anything."""

    xpath: str
    requires: frozenset[Requirement] = field(default_factory=frozenset)
    test: AttributeTest | None = None  # when it tests only one element's tag, class and id


@dataclass(frozen=True)
class Selector:
    """A compiled rule selector: a CSS selector list or an XPath expression."""

    source: str
    branches: tuple[Branch, ...]
    is_xpath: bool = False

    def __call__(self, root: etree._Element, index: PageIndex | None = None) -> list:
        """The nodes the selector matches in ``root``, in document order."""
        if self.is_xpath:
            return _compiled((self.branches[0].xpath,))(root)
        index = index or PageIndex(root)
        branches = [b for b in self.branches if all(index.has(r) for r in b.requires)]
        if not branches:
            return []
        tests = tuple(b.test for b in branches if b.test is not None)
        if len(tests) == len(branches):
            return index.attributes.matching(tests)
        return _compiled(tuple(b.xpath for b in branches))(root)


def compile_css(selector: str) -> Selector:
    """A CSS selector list (``a, b``); ``ValueError`` when it is not valid CSS.

    >>> sorted(compile_css("blockquote.twitter-tweet").branches[0].requires)
    [('class', 'twitter-tweet'), ('tag', 'blockquote')]
    """
    from cssselect import parser as css
    from cssselect.xpath import ExpressionError

    try:
        parsed = css.parse(selector)
        branches = tuple(
            Branch(_translator().selector_to_xpath(one, prefix="descendant-or-self::"), frozenset(_requires(one.parsed_tree)),
                   attribute_test(one.parsed_tree) if one.pseudo_element is None else None)
            for one in parsed
        )
    except (css.SelectorSyntaxError, ExpressionError) as exc:
        raise ValueError(str(exc) or type(exc).__name__) from None
    for branch in branches:
        _compiled((branch.xpath,))
    return Selector(selector, branches)


def compile_xpath(expression: str) -> Selector:
    """An XPath 1.0 expression (EXSLT regular expressions as ``re:``); ``ValueError`` when invalid."""
    from lxml import etree

    try:
        _compiled((expression,))
    except etree.XPathSyntaxError as exc:
        raise ValueError(str(exc) or type(exc).__name__) from None
    return Selector(expression, (Branch(expression),), is_xpath=True)


@lru_cache(maxsize=1)
def _translator() -> Any:
    import cssselect

    return cssselect.HTMLTranslator()


@lru_cache(maxsize=1024)
def _compiled(paths: tuple[str, ...]) -> etree.XPath:
    """One XPath for the union of ``paths`` (document order, no duplicates), compiled once."""
    from lxml import etree

    return etree.XPath(" | ".join(paths), namespaces=_EXSLT_REGEX)


def _requires(node: object) -> set[Requirement]:
    """Class names, ids and tags a parsed CSS selector needs on the page to match anything.

    Only what the selector's subject and its combined parts require; what sits under
    ``:not()``, ``:has()`` or ``:is()`` adds nothing (a necessary condition, never more).
    """
    from cssselect import parser as css

    if isinstance(node, css.Element):
        name = (node.element or "*").lower()
        return set() if name == "*" else {("tag", name)}
    if isinstance(node, css.CombinedSelector):
        return _requires(node.selector) | _requires(node.subselector)
    found = _requires(node.selector) if hasattr(node, "selector") else set()
    if isinstance(node, css.Class):
        found.add(("class", node.class_name))
    elif isinstance(node, css.Hash):
        found.add(("id", node.id))
    elif isinstance(node, css.Attrib) and node.attrib in ("class", "id") and node.operator != "exists":
        value = getattr(node.value, "value", node.value)
        if value:
            found.add((node.attrib, value))
    return found
