"""CSS selectors that test only an element's tag, class and id, matched from the page's class
and id values instead of an XPath walk of the whole page.

An XPath walk costs the same whatever it finds, once per selector of a list; most selectors of
the HTML rules (``.sr-only``, ``[class*="related"]``, ``div#main``) test one element's class or
id. :class:`AttributeIndex` keeps, in document order, the elements that have a class or an id,
and their values joined in one string per attribute: a selector's candidates are the elements
whose value holds one of its words (one regular expression search of that string), and each
candidate is tested as cssselect's XPath would (:class:`AttributeTest`). What a rule removed
earlier is no longer under the page's root and is not found, as with XPath.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml import etree

_SEPARATOR = "\x00"  # never in an attribute value: a match of a word never spans two values
_XML_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space collapses
_NON_WHITESPACE = re.compile(r"[^ \t\r\n\f]+")  # cssselect's test of a class name it can match
_SAFE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_OPERATORS = ("=", "~=", "^=", "*=")
Check = tuple[str, str, str]  # (attribute "class" | "id", operator, value)


@dataclass(frozen=True)
class AttributeTest:
    """What an element must be to match a selector: its tag (None: any) and its attribute checks."""

    tag: str | None
    checks: tuple[Check, ...]

    def matches(self, tag: str, values: dict[str, str | None]) -> bool:
        """True when an element of ``tag`` with these ``values`` of class and id passes the test.

        >>> AttributeTest(None, (("class", "~=", "ad"),)).matches("div", {"class": "box ad", "id": None})
        True
        >>> AttributeTest("p", (("id", "^=", "ad"),)).matches("div", {"class": None, "id": "ad-1"})
        False
        """
        if self.tag is not None and tag != self.tag:
            return False
        for attribute, operator, value in self.checks:
            held = values[attribute]
            if held is None:
                return False
            if operator == "=":
                passed = held == value
            elif operator == "~=":
                passed = value in _XML_SPACE.split(held)
            elif operator == "^=":
                passed = held.startswith(value)
            else:
                passed = value in held
            if not passed:
                return False
        return True


def attribute_test(tree: Any) -> AttributeTest | None:
    """The test of a cssselect parsed tree made only of a tag (or ``*``), classes, ids and
    ``[class|id OP value]`` with ``=``, ``~=``, ``^=`` or ``*=`` and a value; None for any other.

    >>> from cssselect import parser
    >>> [attribute_test(one.parsed_tree) for one in parser.parse("div.ad, [id*=promo], a > b")]
    [AttributeTest(tag='div', checks=(('class', '~=', 'ad'),)), AttributeTest(tag=None, checks=(('id', '*=', 'promo'),)), None]
    """
    from cssselect import parser as css

    checks: list[Check] = []
    while not isinstance(tree, css.Element):
        if isinstance(tree, css.Class):
            if not _NON_WHITESPACE.fullmatch(tree.class_name):
                return None
            checks.append(("class", "~=", tree.class_name))
        elif isinstance(tree, css.Hash):
            if not tree.id:
                return None
            checks.append(("id", "=", tree.id))
        elif isinstance(tree, css.Attrib):
            name, value = tree.attrib.lower(), getattr(tree.value, "value", None)
            if (tree.namespace is not None or name not in ("class", "id") or tree.operator not in _OPERATORS
                    or tree.flag == "i" or not isinstance(value, str) or not value
                    or (tree.operator == "~=" and not _NON_WHITESPACE.fullmatch(value))):
                return None
            checks.append((name, tree.operator, value))
        else:
            return None
        tree = tree.selector
    if tree.namespace is not None or not checks:
        return None
    if tree.element in (None, "*"):
        return AttributeTest(None, tuple(reversed(checks)))
    if not _SAFE_NAME.fullmatch(tree.element):
        return None
    return AttributeTest(tree.element.lower(), tuple(reversed(checks)))


class AttributeIndex:
    """The elements of a page that have a class or an id, in document order, and each
    attribute's values joined (``values``: the attribute's text to search for a word)."""

    def __init__(self, root: etree._Element):
        self.root = root
        self.elements: list[etree._Element] = _with_attributes()(root)
        self.values: dict[str, str] = {}
        self._owners: dict[str, tuple[list[int], list[int]]] = {}  # attribute -> (value starts, element numbers)
        for attribute in ("class", "id"):
            parts: list[str] = []
            starts: list[int] = []
            numbers: list[int] = []
            at = 0
            for number, element in enumerate(self.elements):
                value = element.get(attribute)
                if value is not None:
                    parts.append(value)
                    starts.append(at)
                    numbers.append(number)
                    at += len(value) + 1
            self.values[attribute] = _SEPARATOR.join(parts)
            self._owners[attribute] = (starts, numbers)

    def matching(self, tests: tuple[AttributeTest, ...]) -> list[etree._Element]:
        """The elements still under the root that pass one of ``tests``, in document order."""
        found: set[int] = set()
        for attribute, words in _words(tests).items():
            starts, numbers = self._owners[attribute]
            for match in words.finditer(self.values[attribute]):
                found.add(numbers[bisect_right(starts, match.start()) - 1])
        chosen = []
        for number in sorted(found):
            element = self.elements[number]
            values = {"class": element.get("class"), "id": element.get("id")}
            if any(test.matches(element.tag, values) for test in tests) and self._attached(element):
                chosen.append(element)
        return chosen

    def _attached(self, element: etree._Element) -> bool:
        """True when ``element`` is the root or under it (a rule has not removed it or an ancestor)."""
        root = self.root
        return element is root or any(ancestor is root for ancestor in element.iterancestors())


@lru_cache(maxsize=1)
def _with_attributes() -> etree.XPath:
    """The elements that have a class or an id, compiled on first use."""
    from lxml import etree

    return etree.XPath("descendant-or-self::*[@class or @id]")


@lru_cache(maxsize=1024)
def _words(tests: tuple[AttributeTest, ...]) -> dict[str, re.Pattern[str]]:
    """Per attribute, a pattern finding the words that the value of any element matching one of
    ``tests`` must hold: each test's first check's value (every operator needs it as a substring)."""
    words: dict[str, list[str]] = {}
    for test in tests:
        attribute, _, value = test.checks[0]
        words.setdefault(attribute, []).append(value)
    return {attribute: re.compile("|".join(re.escape(w) for w in sorted(set(found), key=lambda w: (-len(w), w))))
            for attribute, found in words.items()}
