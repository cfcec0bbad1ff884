"""The magic numbers of the files a scrape folder may hold: the compressed containers that are
unpacked (:mod:`cleaner.decoding.unpack`) and the binary formats that are refused as not text
(:func:`cleaner.decoding.decode.decode`). One table for both."""
from __future__ import annotations

import bz2
import lzma
import re
import zlib
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Signature:
    """A format told by how its bytes start.

    ``what`` names it in the refusal message (empty: :func:`decode` does not refuse it);
    ``container`` and ``unpacker`` are set for the compressed formats that are unpacked.
    """

    magic: re.Pattern[bytes]
    what: str = ""
    container: str = ""
    unpacker: Callable[[], Any] | None = None


def _literal(prefix: bytes, what: str) -> Signature:
    return Signature(re.compile(re.escape(prefix)), what)


# Each signature has a byte or a run that no text starts with, so "ID3 tags…" or "BZh, said he"
# stay text; bzip2's "BZh" is followed by a block size and a block (or end) marker.
SIGNATURES: tuple[Signature, ...] = (
    Signature(re.compile(rb"\x1f\x8b"), "gzip data", "gzip", lambda: zlib.decompressobj(16 + zlib.MAX_WBITS)),
    Signature(re.compile(rb"BZh[1-9](?:1AY&SY|\x17rE8P\x90)"), "", "bzip2", bz2.BZ2Decompressor),
    Signature(re.compile(rb"\xfd7zXZ\x00"), "xz data", "xz", lzma.LZMADecompressor),
    _literal(b"\x89PNG\r\n\x1a\n", "a PNG image"), _literal(b"\xff\xd8\xff", "a JPEG image"),
    _literal(b"GIF87a", "a GIF image"), _literal(b"GIF89a", "a GIF image"),
    _literal(b"%PDF-", "a PDF document"), _literal(b"PK\x03\x04", "a ZIP archive"),
    _literal(b"PK\x05\x06", "a ZIP archive"), _literal(b"(\xb5/\xfd", "zstd data"),
    _literal(b"7z\xbc\xaf\x27\x1c", "a 7z archive"), _literal(b"Rar!\x1a\x07", "a RAR archive"),
    _literal(b"\x7fELF", "an executable"),
    _literal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an MS Office document"),
    _literal(b"SQLite format 3\x00", "an SQLite database"), _literal(b"OggS\x00", "Ogg media"),
    _literal(b"ID3\x02", "an MP3 file"), _literal(b"ID3\x03", "an MP3 file"), _literal(b"ID3\x04", "an MP3 file"),
)
CONTAINERS = tuple(s for s in SIGNATURES if s.unpacker is not None)
REFUSED = tuple(s for s in SIGNATURES if s.what)
# RIFF files say what they hold at bytes 8-12.
RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV file", b"AVI ": "an AVI video"}


def binary_kind(data: bytes) -> str | None:
    """What binary format ``data`` starts like (as the refusal message says it), if any.

    >>> binary_kind(b"%PDF-1.7"), binary_kind(b"RIFF\\0\\0\\0\\0WAVEfmt "), binary_kind(b"BZh, said he")
    ('a PDF document', 'a WAV file', None)
    """
    for signature in REFUSED:
        if signature.magic.match(data):
            return signature.what
    if data.startswith(b"RIFF") and data[8:12] in RIFF_KINDS:
        return RIFF_KINDS[data[8:12]]
    return None
