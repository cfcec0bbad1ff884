"""What the input is: HTML or text, and the charset and language a page declares (containers: :mod:`cleaner.decoding.unpack`).

Decisions are made from the content; a file name (``.html``, ``.htm``, ``.html.gz`` ...) only
adds to them, so a page saved as ``.txt`` or read from stdin is still read as HTML.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cleaner.decoding.charsets import page_codec
from cleaner.decoding.decode import decode
from cleaner.decoding.unpack import decompress

if TYPE_CHECKING:
    from lxml import etree

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz")
# A document that opens (after spaces, comments, an XML declaration) on a doctype or on one of
# the tags a page starts with; or on a tag a saved fragment starts with, if a block closes later.
_HTML_START = re.compile(
    r"(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:(!doctype\s+html|html|head|body|meta|title|base|link)|"
    r"article|main|section|header|div|p|h[1-6])[\s/>]",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK_END = re.compile(r"</(?:p|div|article|section|main|header|h[1-6]|body|html)\s*>", re.IGNORECASE)
_SNIFF_CHARS = 4096
_STRAY_NUL_SHARE = 100  # a page may hold one NUL byte in this many and be read
# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_CHARSET = re.compile(rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)


def looks_like_html(start: str) -> bool:
    """True when ``start`` (the beginning of a document) opens like an HTML page or fragment.

    >>> looks_like_html("<!DOCTYPE html><html><body>…")
    True
    >>> looks_like_html("\\n<!-- saved -->\\n<div class='article'><p>Texte.</p></div>")
    True
    >>> looks_like_html("Le <div> est un élément HTML.")
    False
    >>> looks_like_html("<p> est la balise d'un paragraphe.")
    False
    """
    match = _HTML_START.match(start.lstrip("\ufeff"), 0, _SNIFF_CHARS)
    return bool(match) and (match.group(1) is not None or _BLOCK_END.search(start) is not None)


def has_html_suffix(path: str | None) -> bool:
    """True for ``a.html``, ``a.htm``, ``a.html.gz`` ... (the name is a hint; content decides too)."""
    if not path:
        return False
    name = path.lower()
    for suffix in COMPRESSED_SUFFIXES:
        name = name.removesuffix(suffix)
    return name.endswith(HTML_SUFFIXES)


def declared_charset(data: bytes) -> str | None:
    """The Python codec for the charset a page declares in a ``<meta>`` near its start, if known.

    >>> declared_charset(b'<html><head><meta charset="ISO-8859-1">')
    'cp1252'
    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
    'cp1251'
    >>> declared_charset(b'<meta charset="no-such-charset">') is None
    True
    """
    match = _META_CHARSET.search(data, 0, _SNIFF_CHARS)
    if not match:
        return None
    return page_codec(match.group(1).decode("ascii").lower())


def decode_page(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode an HTML page with :func:`~cleaner.decoding.decode.decode`, told the charset the page
    declares (used when the bytes are not UTF-8: pages often declare one they do not use).

    >>> decode_page('<meta charset="windows-1252"><p>café</p>'.encode("cp1252"))
    ('<meta charset="windows-1252"><p>café</p>', 'cp1252')
    """
    return decode(data, path, declared=declared_charset(data))


def decode_input(data: bytes, path: str = "<bytes>", html_name: bool = False) -> tuple[str, str]:
    """The text and encoding of an input's bytes: unpacked, then decoded; a page (told by its
    name, ``html_name``, or by how its bytes start) is decoded with the charset it declares."""
    data = decompress(data, path)
    if html_name or looks_like_html(data[:_SNIFF_CHARS].decode("latin-1")):
        return decode_page(drop_stray_nuls(data), path)
    return decode(data, path)


def drop_stray_nuls(page: bytes) -> bytes:
    """A page's bytes without the few NUL bytes a bad save left in them (normalise would remove
    them from the text anyway): at most one byte in a hundred. Text in UTF-16 or UTF-32 without a byte-order mark is a NUL in
    every few bytes, and a binary file many: those keep their NULs, and decoding refuses them.

    >>> page = b"<html><body><p>" + b"Un texte. " * 20 + b"</p></body></html>"
    >>> drop_stray_nuls(page.replace(b"Un", b"U\\x00n", 1)) == page
    True
    >>> drop_stray_nuls("<html>".encode("utf-16-le")) == "<html>".encode("utf-16-le")
    True
    """
    count = page.count(0)
    if count and count * _STRAY_NUL_SHARE <= len(page):
        return page.replace(b"\x00", b"")
    return page


def declared_language(tree: etree._Element) -> str | None:
    """The language the page declares (``<html lang>``, else ``Content-Language``), as its
    primary subtag in lower case; None when it declares none.

    >>> import lxml.html
    >>> declared_language(lxml.html.document_fromstring('<html lang="pt-BR"><body><p>Olá</p></body></html>'))
    'pt'
    """
    root = tree.getroottree().getroot()
    for value in (root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang"), root.get("xml:lang")):
        if value and value.strip():
            return re.split(r"[-_\s]", value.strip())[0].lower()[:8] or None
    for meta in root.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-language" and (meta.get("content") or "").strip():
            return re.split(r"[-_,\s]", meta.get("content").strip())[0].lower()[:8] or None
    return None
