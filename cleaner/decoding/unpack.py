"""Compressed containers: the bytes inside a gzip, bzip2 or xz stream, found by its magic number."""
from __future__ import annotations

import lzma
import re
import zlib
from typing import Any, Callable

from cleaner.decoding.signatures import CONTAINERS
from cleaner.errors import InputError

# A compressed article that unpacks to more than this is refused (a "zip bomb" would fill memory).
MAX_UNPACKED = 256 * 1024 * 1024


def decompress(data: bytes, path: str = "<bytes>") -> bytes:
    """The bytes inside a gzip, bzip2 or xz stream (found by its magic number), else ``data``.

    >>> import bz2, gzip; decompress(gzip.compress(b"<p>x</p>"))
    b'<p>x</p>'
    >>> decompress(bz2.compress(b"x"))
    b'x'
    >>> decompress(b"BZh, a plain text")
    b'BZh, a plain text'
    """
    for signature in CONTAINERS:
        if signature.magic.match(data):
            name = signature.container
            try:
                return _unpack(data, signature.magic, signature.unpacker)
            except _TooLarge:
                raise InputError(f"{name} data unpacking to more than {MAX_UNPACKED // 2**20} MiB", path) from None
            except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as exc:
                raise InputError(f"corrupt {name} data ({exc})", path) from None
    return data


class _TooLarge(Exception):
    """More unpacked bytes than MAX_UNPACKED."""


def _unpack(data: bytes, magic: re.Pattern[bytes], unpacker: Callable[[], Any] | None) -> bytes:
    """Every stream of ``data`` unpacked (gzip files may hold several), at most MAX_UNPACKED bytes."""
    assert unpacker is not None
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
