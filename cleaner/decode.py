"""Stage 1: bytes to text. UTF-8 (with or without BOM) and UTF-16/32 with a BOM."""
from __future__ import annotations

import codecs

from .errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`InputError` for what is not text.

    >>> decode("héllo".encode())
    ('héllo', 'utf-8')
    >>> decode(codecs.BOM_UTF8 + b"a")
    ('a', 'utf-8-sig')
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {encoding} text ({exc.reason} at byte {exc.start})", path) from None
    if b"\x00" in data:
        raise InputError(f"binary data, not text (NUL byte at offset {data.index(0)})", path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", path
        ) from None
