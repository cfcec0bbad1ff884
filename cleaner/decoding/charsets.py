"""Charset labels to Python codecs, read as browsers read them (the WHATWG Encoding standard).

One table, :data:`WEB_LABELS`: the labels browsers read as another codec than Python's codec of
the same name (``iso-8859-1`` means windows-1252 on the web, ``gb2312`` means GB 18030, ...).
"""
from __future__ import annotations

import codecs

WEB_LABELS = {
    "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252",
    "us-ascii": "cp1252", "iso-8859-9": "cp1254", "gb2312": "gb18030", "gbk": "gb18030",
    "tis-620": "cp874", "iso-8859-11": "cp874",
}
# The Python codecs of the labels above that mean windows-1252 (``ascii`` and ``iso8859-1``).
_WINDOWS_1252_CODECS = frozenset(codecs.lookup(label).name for label, codec in WEB_LABELS.items()
                                 if codec == "cp1252")


def page_codec(label: str) -> str | None:
    """The codec for a label a page declares (lowercase, as read from ``<meta>``); None if unknown.

    >>> page_codec("iso-8859-1"), page_codec("gbk"), page_codec("utf8"), page_codec("nope")
    ('cp1252', 'gb18030', 'utf-8', None)
    """
    try:
        return codecs.lookup(WEB_LABELS.get(label, label)).name
    except LookupError:
        return None


def declared_codec(label: str | None) -> str | None:
    """The codec :func:`cleaner.decoding.decode.decode` uses for a declared charset: Python's
    codec, except that the labels meaning windows-1252 on the web give cp1252.

    >>> declared_codec("Latin-1"), declared_codec('"koi8-r"'), declared_codec(None)
    ('cp1252', 'koi8-r', None)
    """
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in _WINDOWS_1252_CODECS else name
