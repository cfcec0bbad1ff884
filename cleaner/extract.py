"""Stage ``extract``: the article text and metadata of a parsed HTML page, with trafilatura.

The page is parsed once (:func:`parse_html`, trafilatura's own parser settings); the HTML
rules prune that tree, and the same tree goes to ``trafilatura.bare_extraction``: no second
parse. The text comes out as ``trafilatura.extract`` gives it (one line per paragraph, and a
line break where the page had a ``<br>``), ready for the text stages.
"""
from __future__ import annotations

from typing import Any

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import Extractor

from .config import HtmlOptions
from .errors import InputError

STAGE = "extract"
METADATA_FIELDS = ("title", "author", "date", "sitename", "url", "description")
# htmldate rejects dates after ``max_date``, today by default: a fixed bound keeps the output
# the same whatever the day it runs.
_DATE_PARAMS = {"original_date": True, "extensive_search": True, "max_date": "2099-12-31"}


def parse_html(text: str, path: str = "<html>") -> etree._Element:
    """The page as an lxml tree, parsed as trafilatura parses it; a bare fragment is wrapped."""
    tree = trafilatura.load_html(text)
    if tree is None:  # trafilatura refuses fragments without an <html> near the start
        try:
            tree = lxml.html.document_fromstring(f"<html><body>{text}</body></html>")
        except (etree.ParserError, ValueError) as exc:
            raise InputError(f"cannot parse HTML ({exc})", path) from None
    return tree


class HtmlExtractor:
    """Stage ``extract``: ``tree -> (text, metadata)`` with the ``[html]`` options of the config."""

    stage = STAGE

    def __init__(self, options: HtmlOptions | None = None):
        self.options = options or HtmlOptions()

    def extractor(self, url: str | None = None) -> Extractor:
        """trafilatura's option object for one page (it carries the page URL)."""
        opts = self.options
        return Extractor(
            output_format="python",
            precision=opts.favor == "precision",
            recall=opts.favor == "recall",
            comments=opts.include_comments,
            tables=opts.include_tables,
            links=opts.include_links,
            formatting=opts.include_formatting,
            with_metadata=opts.metadata or opts.title_first_line,
            url=url,
            date_params=dict(_DATE_PARAMS),
        )

    def __call__(self, tree: etree._Element, url: str | None = None) -> tuple[str, dict[str, Any]]:
        """The article text (empty when trafilatura finds none) and the page's metadata."""
        result = trafilatura.bare_extraction(tree, options=self.extractor(url))
        metadata: dict[str, Any] = {}
        if result is None:
            if self.options.metadata:
                metadata = dict.fromkeys(METADATA_FIELDS)
            return "", metadata
        text = result.text or ""
        if self.options.include_comments and result.comments:
            text = f"{text}\n{result.comments}".strip()
        if self.options.metadata:
            metadata = {name: _clean_field(getattr(result, name, None)) for name in METADATA_FIELDS}
        title = _clean_field(result.title)
        if self.options.title_first_line and title:
            text = with_title(text, title)
        return text, metadata


def with_title(text: str, title: str) -> str:
    """``text`` with ``title`` as its first line, a paragraph of its own, unless it already starts with it.

    >>> with_title("Body.", "Title")
    'Title\\n\\nBody.'
    >>> with_title("Title\\nBody.", "Title")
    'Title\\nBody.'
    """
    first = text.lstrip().split("\n", 1)[0].strip()
    if " ".join(first.split()) == " ".join(title.split()):
        return text
    return f"{title}\n\n{text}" if text else title


def _clean_field(value: Any) -> str | None:
    """A metadata value as one line of text, or None when empty."""
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None
