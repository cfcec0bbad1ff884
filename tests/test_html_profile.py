"""The page profile (cleaner/html/guard.py) reads each link's text once: the same prose, the
same article candidate and the same protected elements as reading it for every paragraph that
holds the link (the plain version below). Pages are generated: nested lists, links in
paragraphs and items, scripts, comments, <br> layouts, classes that are no article."""
from __future__ import annotations

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.html.guard import (_NOT_ARTICLE, MIN_CANDIDATE_CHARS, PageProfile, page_profile, prose_chars,
                                text_of)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = ["Le port", " rouvre", " lundi.", "  Un ferry", "\n", "", "x" * 160]
TAGS = ["p", "li", "ul", "div", "a", "h2", "span", "blockquote", "br", "script"]
CLASSES = ["", " class='story'", " class='comments'", " id='sidebar'"]


@st.composite
def trees(draw: st.DrawFn, depth: int = 4) -> str:
    """A fragment of nested elements holding text, links, comments and scripts."""
    tag = draw(st.sampled_from(TAGS))
    if tag == "br":
        return "<br>" + draw(st.sampled_from(WORDS))
    inner = "".join(draw(st.lists(st.one_of(st.sampled_from(WORDS), st.just("<!-- c -->"),
                                            trees(depth - 1) if depth else st.sampled_from(WORDS)), max_size=4)))
    return f"<{tag}{draw(st.sampled_from(CLASSES))}>{inner}</{tag}>{draw(st.sampled_from(WORDS))}"


def plain_profile(root: lxml.html.HtmlElement) -> PageProfile:
    """page_profile as it was: every paragraph's links read again."""
    body = root.find(".//body")
    body = body if body is not None else root
    scores: dict = {}
    for paragraph in body.iter("p", "h2", "h3", "li", "blockquote", "pre"):
        parent = paragraph.getparent()
        if parent is None:
            continue
        text = text_of(paragraph)
        length = prose_chars(paragraph, text) if paragraph.tag == "li" or paragraph.find(".//a") is not None \
            else len(text)
        if length > 0:
            scores[parent] = scores.get(parent, 0) + length
    for element in body.iter("div", "td", "article", "section", "font", "span"):
        if element.find("br") is None:
            continue
        direct = len(" ".join(((element.text or "") + " ".join((c.tail or "") for c in element)).split()))
        if direct > 200:
            scores[element] = scores.get(element, 0) + direct
    for element in list(scores):
        if any(_NOT_ARTICLE.search(f"{a.get('class') or ''} {a.get('id') or ''}")
               for a in (element, *element.iterancestors())):
            del scores[element]
    profile = PageProfile(prose_chars(body))
    if scores and max(scores.values()) >= MIN_CANDIDATE_CHARS:
        profile.candidate = max(scores, key=lambda e: scores[e])
        profile.candidate_chars = scores[profile.candidate]
        profile.protected = {profile.candidate, *profile.candidate.iterancestors()}
    return profile


@SETTINGS
@given(st.lists(trees(), min_size=1, max_size=4))
def test_the_profile_reads_each_link_once_and_finds_what_the_plain_one_finds(fragments: list[str]) -> None:
    root = lxml.html.document_fromstring(f"<html><body>{''.join(fragments)}</body></html>")
    fast, plain = page_profile(root), plain_profile(root)
    assert (fast.prose, fast.candidate, fast.candidate_chars, fast.protected) == \
        (plain.prose, plain.candidate, plain.candidate_chars, plain.protected)
