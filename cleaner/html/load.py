"""A page parsed as ``trafilatura.load_html`` parses it, with lxml's C-level element class lookup.

trafilatura parses with an ``lxml.html.HTMLParser``, whose element class lookup
(``HtmlElementClassLookup``) is a Python method: lxml calls it for every element proxy it
creates, in our code and in trafilatura's alike (the tree trafilatura extracts from, and the
copies it makes of it, keep their parser). Thousands of calls a page, a tenth of the extraction's
time. :func:`load_html` parses with the same options and the same steps as trafilatura's
``load_html`` (the repair of faulty markup, the fallback to bytes, the rejection of what is not
HTML), but its parser's lookup (``ElementDefaultClassLookup``) makes every element an
``HtmlElement`` without calling back into Python. The one difference: a ``<form>``, ``<input>``,
``<select>``, ``<textarea>`` or ``<label>`` is a plain ``HtmlElement``, not lxml's form classes,
whose form-filling helpers nothing here or in trafilatura uses. ``tests/test_html_load.py``
checks that the trees are the same as trafilatura's.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement, HTMLParser

_local = threading.local()  # an lxml parser is not shared between threads


def parser() -> HTMLParser:
    """This thread's parser: trafilatura's parser options, lxml's C-level class lookup."""
    found = getattr(_local, "parser", None)
    if found is None:
        import lxml.html
        from lxml import etree

        found = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                                     remove_comments=True, remove_pis=True)
        found.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
        _local.parser = found
    return found


def load_html(text: str) -> HtmlElement | None:
    """The tree of ``text`` as ``trafilatura.load_html(text)`` gives it (None when it is not HTML),
    its elements of lxml's ``HtmlElement`` class.

    >>> load_html("<html><body><form><p>Un texte.</p></form></body></html>").find(".//form").__class__.__name__
    'HtmlElement'
    """
    import lxml.html
    from trafilatura.utils import is_dubious_html, repair_faulty_html

    beginning = text[:50].lower()
    dubious = is_dubious_html(beginning)
    text = repair_faulty_html(text, beginning)
    from_bytes = False
    tree: HtmlElement | None = None
    try:
        tree = lxml.html.fromstring(text, parser=parser())
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, from_bytes = _from_bytes(text), True
    except Exception:  # noqa: BLE001  (trafilatura logs it and goes on: so does this)
        tree = None
    if (tree is None or len(tree) < 1) and not from_bytes:
        tree = _from_bytes(text)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


def _from_bytes(text: str) -> HtmlElement | None:
    """The tree of ``text`` given to lxml as UTF-8 bytes (trafilatura's ``fromstring_bytes``)."""
    import lxml.html

    try:
        return lxml.html.fromstring(text.encode("utf8", "surrogatepass"), parser=parser())
    except Exception:  # noqa: BLE001
        return None
