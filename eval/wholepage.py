"""Whole-page text of an HTML page, as Common Crawl's WET records or a ``get_text()`` give it:
all the text of ``<body>``, one line per block element (scripts, styles and the like left out),
menus and footers included. For evaluating ``cleaner learn`` on such text.

usage: python eval/wholepage.py PAGE.html[.gz] ...   (the text of each page to stdout)
"""
from __future__ import annotations

import gzip
import sys
from pathlib import Path

import lxml.html

SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas"}
BLOCKS = {"address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset",
          "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
          "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "th",
          "thead", "tfoot", "tr", "ul", "br", "body", "center", "option", "select", "button", "label"}


def page_text(html: bytes | str) -> str:
    """The text of the page's body, block by block: one line per block, spaces collapsed.

    >>> page_text("<html><body><ul><li>Home</li><li>News</li></ul><p>A <b>bold</b> claim.</p>"
    ...           "<script>x=1</script><footer>© Site</footer></body></html>")
    'Home\\nNews\\nA bold claim.\\n© Site\\n'
    """
    root = lxml.html.fromstring(html)
    body = root.find(".//body")
    parts: list[str] = []
    _walk(root if body is None else body, parts)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    return text + "\n" if text else ""


def _inline(text: str) -> str:
    """Text inside a block: its line breaks are spaces (only blocks break lines)."""
    return " ".join(text.split("\n"))


def _walk(element: lxml.html.HtmlElement, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in SKIP or not tag:
        if element.tail:
            parts.append(_inline(element.tail))
        return
    block = tag in BLOCKS
    if block:
        parts.append("\n")
    if element.text:
        parts.append(_inline(element.text))
    for child in element:
        _walk(child, parts)
    if block:
        parts.append("\n")
    if element.tail:
        parts.append(_inline(element.tail))


def read_page(path: Path) -> str:
    """The whole-page text of a page file (``.gz`` or not)."""
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return page_text(data)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        sys.stdout.write(read_page(Path(name)))
