"""Lines of the extracted text that come from link-dense blocks outside the article.

trafilatura's balanced mode keeps some of a page's menus, link lists and sidebars: runs of short
lines, one-word lines, headline lists. Each line of the extracted text is looked up in the page
(:class:`BlockIndex`): the element whose text it is, else the element holding it as one piece
of text. A line goes (:func:`drop_link_blocks`) when that element lies outside the page's
article candidate (:mod:`cleaner.html.guard`: neither inside it nor one of its ancestors), its
text is not also in the candidate's nor in a heading of the page (outside link-dense branches) nor in the
page's title, it is short
(25 tokens at most) and does not read as prose, and either

- links make at least 80 % of its text, it has 15 tokens at most, and the block around it
  (its branch off the article, or its nearest larger ancestor) is at least half link text, in a
  branch of four links or more: a menu entry, a headline of a list of other stories; or
- its branch off the article (the ancestor that is a child of the candidate's chain) is at
  least 60 % link text and holds five links or more: the labels, dates and teaser lines of a
  sidebar or a menu.

A page without a candidate keeps its text: nothing says where the article is; so does a text
whose lines kept would hold less than a third of its tokens: trafilatura took it from elsewhere
than the candidate, and what it found is all the page gives.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cleaner.html.guard import NO_TEXT_TAGS, PageProfile, reads_as_prose, text_of

if TYPE_CHECKING:
    from lxml import etree

KEPT_SHARE = 1 / 3  # below this share of the tokens kept, nothing is dropped
MAX_TOKENS = 25  # a longer line is never dropped here
MAX_LINK_TOKENS = 15  # a line that is a link: at most this long
LINK_SHARE = 0.8  # a line's element is a link when links make this share of its text
BOX_SHARE = 0.5  # ... and the block around it is at least this much link text
LIST_LINKS = 4  # ... and its branch holds this many links: a list, not a "related" line or two
BRANCH_SHARE = 0.6  # a branch off the article at least this much link text ...
BRANCH_LINKS = 5  # ... with this many links is a menu or a sidebar
_LONGEST = 600  # characters: the text of a bigger element is not put together (no line is that long)
# elements that stand apart in the text trafilatura renders (a cell, an item, a line break)
_BLOCK_TAGS = frozenset("address article aside blockquote br dd div dl dt figcaption footer form h1 h2 h3 h4 h5 h6 "
                        "header li main nav ol p pre section table tbody td th thead tr ul".split())
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_TITLES = ("og:title", "twitter:title")
_TOKEN = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]|\w+")
_MARKERS = re.compile(r"^(?:[-*•]\s+)|\|")


def tokens(text: str) -> int:
    """Tokens of ``text``: words, and every CJK, Thai, Burmese or Hangul character alone.

    >>> tokens("Le port de Brest"), tokens("港口今日開放")
    (4, 6)
    """
    return len(_TOKEN.findall(text))


def line_key(line: str) -> str:
    """A line as the page's text would read: list bullets and table bars gone, spaces collapsed.

    >>> line_key("| Météo | Annonces |"), line_key("- Un titre")
    ('Météo Annonces', 'Un titre')
    """
    return " ".join(_MARKERS.sub(" ", line.strip()).split())


@dataclass
class Block:
    """An element of the page as the line test sees it."""

    element: etree._Element
    chars: int  # characters of its text
    link_chars: int  # of which are a link's


class BlockIndex:
    """The page's elements whose text is one of ``keys`` (lines of the extracted text), and the
    text and link sizes of every element (characters of its pieces of text, spaces collapsed)."""

    def __init__(self, root: etree._Element, profile: PageProfile, keys: set[str], article_text: str | None = None):
        body = root.find(".//body")
        self.profile = profile
        self.keys = keys
        self.by_text: dict[str, list[Block]] = {}
        self.sizes: dict[etree._Element, tuple[int, int, int]] = {}  # chars, link chars, links
        self.inside: set[etree._Element] = set(profile.candidate.iter()) if profile.candidate is not None else set()
        self._walk(body if body is not None else root)
        self.article_text = article_text if article_text is not None else (
            text_of(profile.candidate) if profile.candidate is not None else "")

    def _walk(self, top: etree._Element) -> None:
        """Size every element of ``top`` after its descendants (no recursion: pages nest deep); the
        text of a short one is put together from its children's and looked up in ``keys``."""
        from lxml import etree

        linked: set[etree._Element] = set()
        for a in top.iter("a"):
            linked.update(a.iter())
        sizes, keys, raws = self.sizes, self.keys, {}
        for element in reversed(list(top.iter(etree.Element))):
            if element.tag in NO_TEXT_TAGS:
                raws[element] = ""
                continue
            own = element.text
            chars = len(own.strip()) if own else 0
            links = count = 0
            parts: list[str] | None = [own or ""]
            for child in element:
                tail = child.tail
                if tail:
                    chars += len(tail.strip())
                size = sizes.get(child)
                if size is not None:
                    chars, links, count = chars + size[0], links + size[1], count + size[2]
                inner = raws.pop(child, "")
                if inner is None or parts is None:
                    parts = None
                else:
                    parts.append(f" {inner} " if child.tag in _BLOCK_TAGS else inner)
                    parts.append(tail or "")
            if element.tag == "a":
                links, count = chars, count + 1
            sizes[element] = (chars, links, count)
            if parts is None or chars > _LONGEST:
                raws[element] = None
                continue
            raw = raws[element] = "".join(parts)
            if not chars:
                continue
            text = " ".join(raw.split())
            if text in keys:
                self.by_text.setdefault(text, []).append(Block(element, chars, chars if element in linked else links))
            for piece in (own, *(child.tail for child in element)):
                key = " ".join(piece.split()) if piece else ""
                if key and key != text and key in keys:
                    self.by_text.setdefault(key, []).append(Block(element, len(key), len(key) if element in linked else 0))

    def share(self, element: etree._Element) -> float:
        chars, links, _ = self.sizes.get(element, (0, 0, 0))
        return links / chars if chars else 0.0

    def branch(self, element: etree._Element) -> etree._Element | None:
        """The ancestor-or-self of ``element`` whose parent is the candidate or one of its ancestors."""
        for node in (element, *element.iterancestors()):
            parent = node.getparent()
            if parent is not None and parent in self.profile.protected:
                return node
        return None

    def box(self, element: etree._Element, chars: int) -> etree._Element | None:
        """The nearest ancestor of ``element`` with clearly more text than ``chars``."""
        for node in element.iterancestors():
            if self.sizes.get(node, (0, 0, 0))[0] > 2 * chars + 20:
                return node
        return None


def page_titles(root: etree._Element) -> list[str]:
    """The page's title, ``og:title`` and ``twitter:title``, lower-cased, spaces collapsed."""
    found = [" ".join("".join(e.itertext()).split()) for e in root.iter("title")]
    found += [" ".join((m.get("content") or "").split()) for m in root.iter("meta")
              if (m.get("property") or m.get("name") or "").lower() in _TITLES]
    return [t.lower() for t in found if t]


def may_go(key: str, article_text: str, titles: list[str]) -> bool:
    """What a line's ``key`` must be to go, whatever the page around it: short, neither in the
    article's text nor in a title, and no sentence of prose even if it were all link text.

    >>> may_go("Weather", "The harbour reopened.", ["harbour reopens"])
    True
    >>> may_go("Harbour reopens", "The harbour reopened.", ["harbour reopens"])
    False
    """
    return (bool(key) and tokens(key) <= MAX_TOKENS and key not in article_text
            and not any(key.lower() in t for t in titles) and not reads_as_prose(key, len(key)))


def is_link_block_line(line: str, index: BlockIndex, titles: list[str]) -> bool:
    """True when ``line`` of the extracted text comes from a link-dense block outside the article."""
    key = line_key(line)
    if index.profile.candidate is None or not may_go(key, index.article_text, titles):
        return False
    count = tokens(key)
    blocks = index.by_text.get(key)
    if not blocks:
        return False
    if any(b.element in index.inside or b.element in index.profile.protected for b in blocks):
        return False
    for other in blocks:  # the same words in a heading: maybe the page's headline, linked in a sidebar too
        if any(n.tag in _HEADINGS for n in (other.element, *other.element.iterancestors())):
            branch = index.branch(other.element)
            if branch is None or index.share(branch) < BRANCH_SHARE:
                return False  # (a heading in a link-dense branch heads a teaser: it is no headline)
    block = min(blocks, key=lambda b: b.chars)  # the deepest: a link rather than its list item
    element = block.element
    link_share = block.link_chars / block.chars if block.chars else 0.0
    if reads_as_prose(key, round(link_share * len(key))):
        return False
    branch = index.branch(element)
    if branch is None:
        return False
    links = index.sizes.get(branch, (0, 0, 0))[2]
    if link_share >= LINK_SHARE and count <= MAX_LINK_TOKENS and links >= LIST_LINKS:
        box = index.box(element, block.chars)
        if index.share(branch) >= BOX_SHARE or (box is not None and index.share(box) >= BOX_SHARE):
            return True
    return index.share(branch) >= BRANCH_SHARE and links >= BRANCH_LINKS


def drop_link_blocks(text: str, root: etree._Element, profile: PageProfile) -> tuple[str, list[tuple[int, str]]]:
    """``text`` without its lines from link-dense blocks outside the article of ``root``; and
    those lines, with their number (blank lines around a dropped line do not pile up)."""
    if profile.candidate is None or not text:
        return text, []
    lines = text.split("\n")
    keys, titles, article_text = {line_key(line) for line in lines}, page_titles(root), text_of(profile.candidate)
    if not any(may_go(key, article_text, titles) for key in keys):
        return text, []  # no line could go: the page is not walked
    index = BlockIndex(root, profile, keys, article_text)
    kept: list[str] = []
    dropped: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        if line.strip() and is_link_block_line(line, index, titles):
            dropped.append((number, line.strip()))
            if kept and not kept[-1].strip():
                kept.pop()
            continue
        kept.append(line)
    while kept and not kept[0].strip():
        kept.pop(0)
    if dropped and tokens("\n".join(kept)) < KEPT_SHARE * tokens(text):
        return text, []
    return "\n".join(kept), dropped
