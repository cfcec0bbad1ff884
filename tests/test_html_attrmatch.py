"""HTML rules' selectors that test only tag, class and id are matched from the page's class and
id values (cleaner/html/attrmatch.py): the same elements, in the same order, as cssselect's
XPath, before and after rules removed parts of the page. Pages and selectors are generated."""
from __future__ import annotations

import lxml.html
from cssselect import parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml.cssselect import CSSSelector

from cleaner.html.attrmatch import AttributeIndex, AttributeTest, attribute_test
from cleaner.html.prune import _remove
from cleaner.html.selectors import PageIndex, compile_css

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = ["ad", "ad-slot", "Ad", "share", "share-bar", "x", "promo_1"]
TAGS = ["div", "p", "span", "aside", "section"]
SPACES = [" ", "  ", "\t", "\n", "\f", ""]

value = st.lists(st.tuples(st.sampled_from(SPACES), st.sampled_from(WORDS)), max_size=3).map(
    lambda parts: "".join(space + word for space, word in parts))
attributes = st.fixed_dictionaries({}, optional={"class": value, "id": value})


@st.composite
def trees(draw: st.DrawFn, depth: int = 3) -> str:
    """A small HTML fragment of nested elements with class and id values made of WORDS."""
    children = draw(st.lists(trees(depth - 1), max_size=3)) if depth else []
    tag = draw(st.sampled_from(TAGS))
    attrs = "".join(f' {name}="{text}"' for name, text in draw(attributes).items())
    return f"<{tag}{attrs}>t{''.join(children)}</{tag}>"


simple = st.one_of(
    st.sampled_from(WORDS).map(lambda w: f".{w}"),
    st.sampled_from(WORDS).map(lambda w: f"#{w}"),
    st.tuples(st.sampled_from(["class", "id", "CLASS"]), st.sampled_from(["=", "~=", "^=", "*="]),
              st.sampled_from(WORDS)).map(lambda t: f'[{t[0]}{t[1]}"{t[2]}"]'),
)
selector = st.tuples(st.sampled_from(["", "*", "div", "P", "span"]), st.lists(simple, min_size=1, max_size=2)).map(
    lambda t: t[0] + "".join(t[1]))
selector_list = st.lists(selector, min_size=1, max_size=4).map(", ".join)


def page(fragment: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><body>{fragment}</body></html>")


def _tests_of(css: str) -> tuple[AttributeTest, ...]:
    found = tuple(attribute_test(one.parsed_tree) for one in parser.parse(css))
    assert all(test is not None for test in found), css
    return found  # type: ignore[return-value]


@SETTINGS
@given(trees(), selector_list)
def test_attribute_matching_finds_what_the_css_selector_finds(fragment: str, css: str) -> None:
    root = page(fragment)
    assert AttributeIndex(root).matching(_tests_of(css)) == CSSSelector(css, translator="html")(root)


@SETTINGS
@given(trees(), selector_list, st.data())
def test_what_a_rule_removed_is_not_found(fragment: str, css: str, data: st.DataObject) -> None:
    """The index is made before the rules run (as the pruner does); removed elements and
    everything inside them are no longer matched."""
    root = page(fragment)
    index = PageIndex(root)
    elements = list(root.iter("div", "p", "span", "aside", "section"))
    for element in data.draw(st.lists(st.sampled_from(elements), max_size=3, unique=True)):
        if element.getparent() is not None:
            _remove(element)
    assert compile_css(css)(root, index) == CSSSelector(css, translator="html")(root)


def test_selectors_beyond_tag_class_and_id_are_left_to_xpath() -> None:
    for css in ("div > p.ad", "p:first-child", "[data-x*=ad]", "[class]", "[class*=ad i]", "[class$=ad]",
                "*", "div", ".a\\ b", "[class=\"\"]"):
        assert all(attribute_test(one.parsed_tree) is None for one in parser.parse(css)), css
    selector = compile_css(".ad, div > p")
    assert [b.test is not None for b in selector.branches] == [True, False]
    root = page("<div><p class='ad'>a</p></div><p class='ad'>b</p>")
    assert selector(root) == CSSSelector(".ad, div > p", translator="html")(root)
