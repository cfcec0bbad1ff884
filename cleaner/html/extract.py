"""Stages ``parse`` and ``extract``: the page parsed once, then its article text and metadata
extracted with trafilatura.

The page is parsed once (:func:`parse_html`, as trafilatura parses it: :mod:`cleaner.html.load`); the HTML
rules prune that tree, and the same tree goes to ``trafilatura.bare_extraction``: no second
parse. The text is trafilatura's, block by block (:func:`render_blocks`): a blank line
between the page's paragraphs, headings, lists, quotes and tables, and a single line break
only inside a block (a ``<br>``, or a break trafilatura made at a link or an inline quote),
which is where the repair stage may rejoin lines.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from cleaner.config import HtmlOptions
from cleaner.document import Document, Edit
from cleaner.errors import InputError
from cleaner.html import fallback
from cleaner.html.favor import GUARDED, precision_suspect, weigh
from cleaner.html.guard import PageProfile, page_profile, text_of
from cleaner.html.linkblocks import drop_link_blocks
from cleaner.html.linklines import drop_link_lines, outside_links
from cleaner.html.load import load_html
from cleaner.html.paths import extract_with_path, is_fallback
from cleaner.html.sniff import declared_language

if TYPE_CHECKING:  # lxml and trafilatura are imported on the first page: a run of text files never imports them
    from lxml import etree
    from trafilatura.settings import Extractor

STAGE = "extract"
METADATA_FIELDS = ("title", "author", "date", "sitename", "url", "description")
_DOCUMENT_START = 4096
_DOCUMENT_TAG = re.compile(r"<(?:html|head|body)[\s>]", re.IGNORECASE)
# trafilatura's output vocabulary: wrappers whose children are blocks of their own.
_WRAPPERS = frozenset(("div", "quote", "body"))
_BLOCK_TAGS = frozenset(("p", "head", "list", "table", "code", "quote", "div"))
# htmldate rejects dates after ``max_date``, today by default: a fixed bound keeps the output
# the same whatever the day it runs.
_LATEST_DATE = "2099-12-31"


def parse_html(text: str, path: str = "<html>") -> etree._Element:
    """The page as an lxml tree, parsed as trafilatura parses it; a bare fragment is wrapped
    (trafilatura refuses a document without ``html`` in its first characters)."""
    if not _DOCUMENT_TAG.search(text, 0, _DOCUMENT_START):
        text = f"<html><body>{text}</body></html>"
    import lxml.html  # late here and below: a run of text files never imports lxml or trafilatura (0.3 s)
    from lxml import etree

    tree = load_html(text)
    if tree is None:
        try:
            tree = lxml.html.document_fromstring(text)
        except (etree.ParserError, ValueError) as exc:
            raise InputError(f"cannot parse HTML ({exc})", path) from None
    return tree


class ParseHtml:
    """Stage ``parse``: a document whose text is a page (``doc.html``) gets its parsed tree in
    ``doc.tree``; any other passes through."""

    name = "parse"

    def __call__(self, doc: Document) -> Document:
        if doc.html:
            doc.tree = parse_html(doc.text, doc.where)
        return doc


class HtmlExtractor:
    """Stage ``extract``: the article text of ``doc.tree`` becomes the document's text, the page's
    metadata joins its metadata, and the tree is dropped (a document without one passes through).
    The ``[html]`` options of the config say what is extracted."""

    name = STAGE

    def __init__(self, options: HtmlOptions | None = None):
        self.options = options or HtmlOptions()

    def __call__(self, doc: Document) -> Document:
        if doc.tree is None:
            return doc
        declared = declared_language(doc.tree)
        pruned = doc.pruned
        links = (outside_links(doc.tree, pruned.profile)
                 if self.options.drop_link_lines and pruned is not None else set())
        tree, (result, path) = doc.tree, self.bare(doc.tree, doc.url)
        text = self.render(result)
        profile = pruned.profile if pruned is not None else None
        candidate = fallback.CandidateWords(profile)
        favor = self.options.favor
        if favor == GUARDED:
            favor, result, path, text = self._checked(doc, (result, path, text), profile or page_profile(tree), candidate())
        if pruned is not None and pruned.texts and self._suspect(text, pruned, candidate):
            unpruned = parse_html(doc.text, doc.where)
            # the page's metadata changes neither text (no title line, no links): read only if it wins
            later = self.options.metadata and not (self.options.title_first_line or self.options.include_links)
            other, other_path = self.bare(unpruned, doc.url, favor, metadata=not later)
            other_text = self.render(other)
            why, figures = fallback.weigh_unpruned(text, other_text, candidate())
            if why and later:
                other, other_path = self.bare(unpruned, doc.url, favor)
            kept = "unpruned" if why else "pruned"
            doc.edits.append(Edit(STAGE, f"extract/{kept}-kept", 0, f"the pruned page's text ({path})",
                                  f"the {kept} page's text ({other_path if why else path}): {why or figures}"))
            if why:
                tree, result, path, text = unpruned, other, other_path, other_text
                text = self._drop(doc, text, pruned.texts)
        if is_fallback(path):
            text, cuts = fallback.repair_boundaries(text, fallback.block_starts(tree))
            doc.edits.extend(Edit(STAGE, "extract/block-break", line, " ", "\n\n", right=start) for line, start in cuts)
            if tree is doc.tree and pruned is not None:
                text = self._drop(doc, text, pruned.texts)
        text, dropped = drop_link_lines(text, links)
        doc.edits.extend(Edit(STAGE, "extract/link-line", line, gone, "") for line, gone in dropped)
        if self.options.drop_link_blocks and pruned is not None:
            text, dropped = drop_link_blocks(text, tree, pruned.profile if tree is doc.tree else page_profile(tree))
            doc.edits.extend(Edit(STAGE, "extract/link-block-line", line, gone, "") for line, gone in dropped)
        doc.text, found = text, self.metadata(result)
        doc.metadata.update(found)
        doc.metadata["extraction"] = path if favor == self.options.favor else f"{favor}:{path}"
        doc.metadata["declared_language"] = declared
        doc.tree, doc.pruned, doc.html = None, None, False
        return doc

    def _checked(self, doc: Document, precise: tuple[Any, str, str], profile: PageProfile,
                 candidate: list[str]) -> tuple[str, Any, str, str]:
        """``precision-guarded``: the precise extraction (result, path, text) or, when it looks wrong
        and a balanced one of the same tree has clearly more text, that one, after the trade-off kept.
        A balanced extraction runs only for a suspect precise one."""
        result, path, text = precise
        if profile.candidate is not None and not candidate:
            candidate = fallback.tokens(text_of(profile.candidate))
        why = precision_suspect(text, path, profile.candidate_chars, candidate)
        if why is None:
            return "precision", result, path, text
        other, other_path = self.bare(doc.tree, doc.url, "balanced", metadata=result is None)
        if other is not None and result is not None:  # the page's metadata, read once
            for name in METADATA_FIELDS:
                setattr(other, name, getattr(result, name, None))
        other_text = self.render(other)
        wins, figures = weigh(text, other_text)
        kept = "balanced" if wins else "precision"
        doc.edits.append(Edit(STAGE, f"extract/{kept}-kept", 0, f"the precise text ({path}): {why}",
                              f"the {kept} text ({other_path if wins else path}): {figures}"))
        return ("balanced", other, other_path, other_text) if wins else ("precision", result, path, text)

    @staticmethod
    def _suspect(text: str, pruned: Any, candidate: fallback.CandidateWords) -> bool:
        """Cheap signs that pruning led trafilatura astray: its text far shorter than the page's
        article candidate or holding little of it, or much of the page's prose pruned, enough
        for the unpruned text to win on length (:data:`fallback.GAIN_SHARE`). trafilatura's path
        is no sign: a fallback comes from the page more than from what the rules removed."""
        profile = pruned.profile
        removed = sum(len(t) for t in pruned.texts)
        return (len(text) < fallback.SHORT_SHARE * profile.candidate_chars
                or (removed > fallback.BIG_REMOVAL * profile.prose and removed > 300
                    and removed >= fallback.GAIN_SHARE * len(text))
                or fallback.coverage(candidate(), text) < fallback.MIN_COVERAGE)

    @staticmethod
    def _drop(doc: Document, text: str, removed: list[str]) -> str:
        """``text`` without what the HTML rules had removed (a fallback or the unpruned page brings it back)."""
        text, dropped = fallback.drop_removed(text, removed)
        doc.edits.extend(Edit(STAGE, "extract/pruned-text-dropped", 0, gone, "") for gone in dropped)
        return text

    def extractor(self, url: str | None = None, favor: str | None = None, metadata: bool = True) -> Extractor:
        """trafilatura's option object for one page (it carries the page URL); ``favor`` and
        ``metadata`` override the options' trade-off and metadata reading."""
        from trafilatura.settings import Extractor

        opts = self.options
        favor = favor or opts.favor
        return Extractor(
            output_format="txt",  # the body is rendered here, block by block
            precision=favor in ("precision", GUARDED),
            recall=favor == "recall",
            comments=opts.include_comments,
            tables=opts.include_tables,
            links=opts.include_links,
            formatting=opts.include_formatting,
            with_metadata=metadata and (opts.metadata or opts.title_first_line),
            url=url,
            date_params={"original_date": True, "extensive_search": opts.extensive_date_search,
                         "max_date": _LATEST_DATE},
        )

    def bare(self, tree: etree._Element, url: str | None = None, favor: str | None = None,
             metadata: bool = True) -> tuple[Any, str]:
        """trafilatura's result for ``tree`` (None when it finds no article) and the path that
        gave it (trafilatura copies the tree: ``tree`` stays as it was)."""
        import trafilatura

        options = self.extractor(url, favor, metadata)
        return extract_with_path(lambda: trafilatura.bare_extraction(tree, options=options))

    def render(self, result: Any) -> str:
        """The article text of a trafilatura result (empty for none)."""
        if result is None:
            return ""
        formatting = self.options.include_formatting
        text = render_blocks(result.body, formatting)
        if self.options.include_comments and result.commentsbody is not None:
            text = "\n\n".join(filter(None, (text, render_blocks(result.commentsbody, formatting))))
        title = _clean_field(result.title)
        if self.options.title_first_line and title:
            text = with_title(text, title)
        return text

    def metadata(self, result: Any) -> dict[str, Any]:
        """The page's metadata fields of a trafilatura result (all None for none)."""
        if not self.options.metadata:
            return {}
        return {name: _clean_field(getattr(result, name, None)) if result is not None else None
                for name in METADATA_FIELDS}

    def extract(self, tree: etree._Element, url: str | None = None) -> tuple[str, dict[str, Any]]:
        """The article text (empty when trafilatura finds none) and the page's metadata."""
        result, _ = self.bare(tree, url)
        return self.render(result), self.metadata(result)


def render_blocks(body: etree._Element | None, formatting: bool = False) -> str:
    """trafilatura's text of ``body``, one block per paragraph with a blank line between blocks.

    A block holding preformatted text (code, a ``<pre>``) keeps each of its lines as a block
    of its own, so that no line of code is ever joined to another.

    >>> from lxml import etree
    >>> body = etree.fromstring("<body><head>Titre</head><p>Un<lb/>deux.</p><p>Trois.</p></body>")
    >>> render_blocks(body)
    'Titre\\n\\nUn\\ndeux.\\n\\nTrois.'
    """
    from lxml import etree
    from trafilatura.xml import xmltotxt

    if body is None:
        return ""
    blocks: list[str] = []
    for element in _blocks(body):
        text = xmltotxt(element, formatting).strip() if isinstance(element, etree._Element) else element
        if not text:
            continue
        if isinstance(element, etree._Element) and _holds_code(element):
            blocks.extend(line.strip() for line in text.split("\n") if line.strip())
        else:
            blocks.append(text)
    return "\n\n".join(blocks)


def _blocks(parent: etree._Element) -> list[etree._Element | str]:
    """The blocks under ``parent``: its children, and the children of wrappers that hold only blocks."""
    found: list[etree._Element | str] = []
    if (parent.text or "").strip():
        found.append(parent.text.strip())
    for child in parent:
        if (child.tag in _WRAPPERS and len(child) and not (child.text or "").strip()
                and all(grand.tag in _BLOCK_TAGS and not (grand.tail or "").strip() for grand in child)):
            found.extend(_blocks(child))
            if (child.tail or "").strip():
                found.append(child.tail.strip())
        else:
            found.append(child)
    return found


def _holds_code(element: etree._Element) -> bool:
    """True when ``element`` is or holds preformatted text: a ``<pre>`` becomes trafilatura's
    ``code`` or ``quote`` and keeps its line breaks as such in its text (a ``<br>`` is an element)."""
    return any("\n" in "".join(node.itertext()).strip() for node in element.iter("code", "quote"))


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
