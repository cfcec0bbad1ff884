"""What the input bytes are: compressed or not, HTML or text, and the charset a page declares.

Decisions are made from the content; a file name (``.html``, ``.htm``, ``.html.gz`` ...) only
adds to them, so a page saved as ``.txt`` or read from stdin is still read as HTML.
"""
from __future__ import annotations

import bz2
import codecs
import lzma
import re
import zlib
from typing import Any, Callable

from cleaner.decoding.decode import decode
from cleaner.errors import InputError

# Magic numbers; bzip2's "BZh" is followed by a block size and a block (or end) marker, so
# that a text starting with "BZh" is never taken for it.
_MAGIC: tuple[tuple[re.Pattern[bytes], str, Callable[[], Any]], ...] = (
    (re.compile(rb"\x1f\x8b"), "gzip", lambda: zlib.decompressobj(16 + zlib.MAX_WBITS)),
    (re.compile(rb"BZh[1-9](?:1AY&SY|\x17rE8P\x90)"), "bzip2", bz2.BZ2Decompressor),
    (re.compile(rb"\xfd7zXZ\x00"), "xz", lzma.LZMADecompressor),
)
# A compressed article that unpacks to more than this is refused (a "zip bomb" would fill memory).
MAX_UNPACKED = 256 * 1024 * 1024
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
# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_CHARSET = re.compile(rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
# Labels browsers read differently from Python's codec of the same name (WHATWG Encoding).
_BROWSER_LABELS = {
    "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252",
    "us-ascii": "cp1252", "iso-8859-9": "cp1254", "gb2312": "gb18030", "gbk": "gb18030",
    "tis-620": "cp874", "iso-8859-11": "cp874",
}


def decompress(data: bytes, path: str = "<bytes>") -> bytes:
    """The bytes inside a gzip, bzip2 or xz stream (found by its magic number), else ``data``.

    >>> import gzip; decompress(gzip.compress(b"<p>x</p>"))
    b'<p>x</p>'
    >>> decompress(bz2.compress(b"x"))
    b'x'
    >>> decompress(b"BZh, a plain text")
    b'BZh, a plain text'
    """
    for magic, name, unpacker in _MAGIC:
        if magic.match(data):
            try:
                return _unpack(data, magic, unpacker)
            except _TooLarge:
                raise InputError(f"{name} data unpacking to more than {MAX_UNPACKED // 2**20} MiB", path) from None
            except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as exc:
                raise InputError(f"corrupt {name} data ({exc})", path) from None
    return data


class _TooLarge(Exception):
    """More unpacked bytes than MAX_UNPACKED."""


def _unpack(data: bytes, magic: re.Pattern[bytes], unpacker: Callable[[], Any]) -> bytes:
    """Every stream of ``data`` unpacked (gzip files may hold several), at most MAX_UNPACKED bytes."""
    parts, size = [], 0
    while True:
        stream = unpacker()
        part = stream.decompress(data, MAX_UNPACKED - size + 1)
        size += len(part)
        if size > MAX_UNPACKED:
            raise _TooLarge
        if not stream.eof:
            raise EOFError("the stream ends before its end marker")
        parts.append(part)
        data = stream.unused_data
        if not magic.match(data):  # trailing padding, or the end
            return b"".join(parts)


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
    label = match.group(1).decode("ascii").lower()
    label = _BROWSER_LABELS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_page(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode an HTML page with :func:`~cleaner.decoding.decode.decode`, told the charset the page
    declares (used when the bytes are not UTF-8: pages often declare one they do not use).

    >>> decode_page('<meta charset="windows-1252"><p>café</p>'.encode("cp1252"))
    ('<meta charset="windows-1252"><p>café</p>', 'cp1252')
    """
    return decode(data, path, declared=declared_charset(data))
