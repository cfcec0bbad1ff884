"""What the HTML rules must not remove: the page's article.

Before any rule runs, the page is profiled once (:func:`page_profile`): how much text that is
not a link's it holds (its prose), and its article candidate, the element whose paragraphs hold
the most such text (with its ancestors). A rule then spares an element that is or holds the
candidate, or that holds more than the rule's share of the page's prose (``max-text-share``);
and a rule whose matches together hold more than that share is spared whole: a class name
that also names the article's paragraphs (``subscriber-only``) is not boilerplate on that page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:  # lxml is imported where a page is parsed: a run of text files never imports it
    from lxml import etree

DEFAULT_TEXT_SHARE = 0.25  # a rule without max-text-share spares elements holding more of the prose
MIN_GUARDED_CHARS = 200  # an element with less prose than this is never spared for its share
MIN_GUARDED_RULE_CHARS = 300  # nor a rule whose matches hold less than this in all
MIN_CANDIDATE_CHARS = 150  # a candidate with less prose than this is no article to protect
NO_TEXT_TAGS = frozenset(("script", "style", "template", "noscript"))  # elements whose text is not shown
_NOT_ARTICLE = re.compile(r"comment|footer|sidebar|discussion|disqus", re.IGNORECASE)
_PROSE_END = re.compile(r"[.。][\"'»”’)\]]*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def word_count(text: str) -> int:
    """Words of ``text``; in Chinese or Japanese, every two characters count as a word."""
    return len(text) // 2 if _CJK.search(text) else len(text.split())


def text_of(element: etree._Element) -> str:
    """The visible text of ``element`` (scripts, styles and comments left out), spaces collapsed.

    >>> from lxml import etree
    >>> text_of(etree.fromstring("<p>Un <a>lien</a><script>x()</script> et  la suite.</p>"))
    'Un lien et la suite.'
    """
    parts: list[str] = []
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag not in NO_TEXT_TAGS and node.text:
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    return " ".join("".join(parts).split())


def prose_chars(element: etree._Element, text: str | None = None,
                lengths: Mapping[etree._Element, int] | None = None) -> int:
    """Characters of ``element``'s text that are not a link's (``lengths``: each link's, when
    already read)."""
    total = len(text_of(element) if text is None else text)
    return max(0, total - link_chars(element, lengths))


def link_chars(element: etree._Element, lengths: Mapping[etree._Element, int] | None = None) -> int:
    """Characters of the text of ``element``'s links (``lengths``: each link's, when already read)."""
    if lengths is None:
        return sum(len(text_of(a)) for a in element.iter("a"))
    return sum(lengths[a] for a in element.iter("a"))


def reads_as_prose(text: str, link_text_chars: int) -> bool:
    """A paragraph of prose, not a teaser: a sentence of eight words or more ending in a full
    stop (a call to action ends in "!"), or sixty characters or more that are not a link's.

    >>> reads_as_prose("Le détail des mesures est publié sur le site du ministère.", 21)
    True
    >>> reads_as_prose("Related: Storm Closes Coastal Road for a Week", 36)
    False
    """
    if _PROSE_END.search(text) and word_count(text) >= 8:
        return True
    return len(text) - link_text_chars >= 60


@dataclass
class PageProfile:
    """The page as the guards see it, before any rule ran."""

    prose: int  # characters of the page's text that are not a link's
    candidate: etree._Element | None = None  # the element whose paragraphs hold the most prose
    candidate_chars: int = 0
    protected: set = field(default_factory=set)  # the candidate and its ancestors


def page_profile(root: etree._Element) -> PageProfile:
    """The profile of a parsed page: its prose and its article candidate.

    >>> from lxml import etree
    >>> page = etree.fromstring("<html><body><div id='a'><p>" + "Mot. " * 60 + "</p><p>Fin.</p></div>"
    ...                         "<div class='comments'><p>" + "Bla. " * 90 + "</p></div></body></html>")
    >>> profile = page_profile(page)
    >>> profile.candidate.get("id"), profile.candidate_chars
    ('a', 303)
    """
    body = root.find(".//body")
    body = body if body is not None else root
    links = {a: len(text_of(a)) for a in body.iter("a")}  # each link's text, read once (lists nest)
    scores: dict[etree._Element, int] = {}
    for paragraph in body.iter("p", "h2", "h3", "li", "blockquote", "pre"):
        parent = paragraph.getparent()
        if parent is None:
            continue
        text = text_of(paragraph)
        length = prose_chars(paragraph, text, links) if paragraph.tag == "li" or paragraph.find(".//a") is not None \
            else len(text)
        if length > 0:
            scores[parent] = scores.get(parent, 0) + length
    for element in body.iter("div", "td", "article", "section", "font", "span"):  # <br> layouts
        if element.find("br") is None:
            continue
        direct = len(" ".join(((element.text or "") + " ".join((c.tail or "") for c in element)).split()))
        if direct > 200:
            scores[element] = scores.get(element, 0) + direct
    for element in list(scores):
        if any(_NOT_ARTICLE.search(f"{a.get('class') or ''} {a.get('id') or ''}")
               for a in (element, *element.iterancestors())):
            del scores[element]
    profile = PageProfile(prose_chars(body, None, links))
    if scores and max(scores.values()) >= MIN_CANDIDATE_CHARS:
        profile.candidate = max(scores, key=lambda e: scores[e])
        profile.candidate_chars = scores[profile.candidate]
        profile.protected = {profile.candidate, *profile.candidate.iterancestors()}
    return profile
