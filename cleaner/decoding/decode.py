"""Reading, before the stages: bytes to text, or an :class:`InputError` saying why the bytes are not text.

In this order: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; a charset declared by the
container (HTML ``<meta charset>``, an HTTP header) is used if the bytes decode with it; what
starts like a known binary format or holds a NUL byte is refused; valid UTF-8 stays UTF-8
(whatever a legacy declaration says: legacy text with accents is almost never valid UTF-8);
anything else goes to charset-normalizer, whose ties (short texts give many) are broken in
favour of the Western encodings this tool meets most: cp1252, then ISO-8859-15, then Latin-1.
"""
from __future__ import annotations

import codecs
import re


from cleaner.decoding.charsets import declared_codec
from cleaner.decoding.signatures import binary_kind
from cleaner.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Characters no text file holds in numbers: C0 controls other than tab, newlines, form feed, escape.
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1a\x7f]")
_MAX_CONTROL_SHARE = 0.05
_PIECE = 1 << 16  # characters of a text read at a time when its control characters are counted
_WESTERN = frozenset(("cp1252", "iso8859-15", "iso8859-1"))
# charset-normalizer is unsure on short texts: it may rank French in cp1252 below the same bytes
# read as Polish cp1250 or Lithuanian cp1257, or leave cp1252 out. Its mess measure still tells a
# clean Western reading from a garbled one (Cyrillic, Greek or Polish read as cp1252).
# With fewer than _SHORT_TEXT non-ASCII bytes the measure itself wavers ("Noël à l'Élysée" scores
# 0.4, "Noėl ą l'Élysée" 0), so a Western reading up to _SHORT_TEXT_MESS is taken.
_MARGIN, _MAX_WESTERN_MESS, _SAMPLE = 0.01, 0.2, 32_768
_SHORT_TEXT, _SHORT_TEXT_MESS = 32, 0.4
# Bytes where ISO-8859-15 differs from Latin-1: € Š š Ž ž Œ œ Ÿ instead of ¤ ¦ ¨ ´ ¸ ¼ ½ ¾.
_LATIN9_BYTES = frozenset(b"\xa4\xa6\xa8\xb4\xb8\xbc\xbd\xbe")


def _c1_as_latin1(error: UnicodeDecodeError) -> tuple[str, int]:
    """cp1252 leaves five bytes undefined; browsers read them as the C1 controls of Latin-1."""
    return error.object[error.start:error.end].decode("latin-1"), error.end


codecs.register_error("cleaner-cp1252-c1", _c1_as_latin1)


def decode(data: bytes, path: str = "<bytes>", declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`InputError` for what is not text.

    ``declared`` is a charset named by the container (``<meta charset>``, ``Content-Type``).

    >>> decode("héllo".encode())
    ('héllo', 'utf-8')
    >>> decode(codecs.BOM_UTF8 + b"a")
    ('a', 'utf-8-sig')
    >>> decode("Noël à Paris".encode("cp1252"))
    ('Noël à Paris', 'cp1252')
    """
    found = _from_bom(data, path)
    if found is None:
        found = _from_label(data, path, declared_codec(declared))
    if found is None:
        found = _from_detection(data, path)
    return found


def _from_bom(data: bytes, path: str) -> tuple[str, str] | None:
    """A byte-order mark decides the encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), path), encoding
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {encoding} text ({exc.reason} at byte {exc.start})", path) from None
    return None


def _from_label(data: bytes, path: str, codec: str | None) -> tuple[str, str] | None:
    """A declared codec that is not ASCII-compatible (only the label tells), else UTF-8, else the
    declared codec if the bytes decode with it; binary data is refused on the way."""
    if codec and not _ascii_compatible(codec):  # UTF-16 without a BOM, say
        try:
            return _checked(data.decode(codec), path), codec
        except UnicodeDecodeError:
            codec = None
    _refuse_binary(data, path)
    try:
        return _checked(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError:
        pass
    if codec and codec != "utf-8":
        text = _try_decode(data, codec)
        if text is not None:
            return _checked(text, path), codec
    return None


def _from_detection(data: bytes, path: str) -> tuple[str, str]:
    """The legacy encoding :func:`detect` finds."""
    encoding = detect(data)
    if encoding is None:
        raise InputError("not text: no character encoding fits these bytes (binary data?)", path)
    text = _try_decode(data, encoding)
    if text is None:
        raise InputError(f"not valid {encoding} text, the closest encoding found", path)
    return _checked(text, path), encoding


def detect(data: bytes) -> str | None:
    """The legacy encoding of ``data`` (not valid UTF-8), as a Python codec name, or None.

    charset-normalizer ranks the candidates; a Western reading (cp1252) wins when it is no
    messier than the best one, by charset-normalizer's own mess measure.
    """
    from charset_normalizer import from_bytes  # late: only input that is not UTF-8 needs it
    from charset_normalizer.md import mess_ratio

    matches = [m for m in from_bytes(data) if _ascii_compatible(m.encoding)]
    western_mess = mess_ratio(data[:_SAMPLE].decode("cp1252", errors="cleaner-cp1252-c1"), 1.0)
    if not matches:
        return _western(data) if western_mess <= _MAX_WESTERN_MESS else None
    least_chaos = min(m.chaos for m in matches)
    best = max((m for m in matches if m.chaos <= least_chaos + _MARGIN), key=lambda m: m.coherence)
    names = {_python_name(name) for name in (best.encoding, *best.could_be_from_charset)}
    best_text = data[:_SAMPLE].decode(best.encoding, errors="ignore")
    allowance = _SHORT_TEXT_MESS if sum(byte > 0x7F for byte in data[:_SAMPLE]) < _SHORT_TEXT else 0.0
    if names & _WESTERN or western_mess <= max(mess_ratio(best_text, 1.0) + _MARGIN, allowance):
        return _western(data)
    return _python_name(best.encoding)


def _western(data: bytes) -> str:
    """cp1252, ISO-8859-15 or Latin-1, told apart by the bytes where they differ."""
    if any(0x80 <= byte <= 0x9F for byte in data):
        return "cp1252"  # Latin-1 and -15 have C1 controls there, which text does not hold
    if not _LATIN9_BYTES.intersection(data):
        return "cp1252"  # all three read these bytes alike: name the one the web uses
    latin9 = _try_decode(data, "iso8859_15") or ""
    votes = 0
    for index, char in enumerate(latin9):
        if char in "€ŒœŠšŸ":
            around = latin9[max(0, index - 1):index] + latin9[index + 1:index + 2]
            votes += 1 if char == "€" or any(c.isalpha() for c in around) else -1
        elif char in "Žž":
            votes -= 1  # ´ and ¸ used as apostrophes are commoner than Ž in Western text
    return "iso8859-15" if votes > 0 else "cp1252"


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        if encoding == "cp1252":
            return data.decode("cp1252", errors="cleaner-cp1252-c1")
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _python_name(name: str) -> str:
    return codecs.lookup(name).name


def _ascii_compatible(encoding: str) -> bool:
    probe = b"Az09 .,:;'\"()[]\n"
    try:
        return probe.decode(encoding) == probe.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def _refuse_binary(data: bytes, path: str) -> None:
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(f"binary data, not text ({kind})", path)
    if b"\x00" in data:
        hint = utf16_without_bom(data)
        if hint:
            raise InputError(f"not UTF-8 text (NUL bytes): it reads as {hint} without a byte order mark; convert it "
                             f"(iconv -f {hint.replace('-LE', 'LE').replace('-BE', 'BE')} -t UTF-8) or add the mark", path)
        raise InputError(f"binary data, not text (NUL byte at offset {data.index(0)})", path)


def utf16_without_bom(data: bytes) -> str | None:
    """``UTF-16-LE`` or ``-BE`` if ``data`` reads as such text: every NUL byte on the same side
    of its code unit, and the decoded text printable. Refused all the same (a guess is not
    a declaration), but the error says what to do.

    >>> utf16_without_bom("Texte.\\n".encode("utf-16-le")), utf16_without_bom(b"\\x00\\x01\\x02\\x03")
    ('UTF-16-LE', None)
    """
    if len(data) % 2:
        return None
    nuls = {offset % 2 for offset in range(len(data)) if data[offset] == 0}
    if len(nuls) != 1:
        return None
    name = "UTF-16-LE" if nuls == {1} else "UTF-16-BE"
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return None
    readable = sum(char.isprintable() or char in "\t\n\r" for char in text)
    return name if readable >= 0.98 * len(text) else None


def _checked(text: str, path: str) -> str:
    """``text``, unless control characters make up more of it than text ever has."""
    if text:  # counted a piece at a time: a copy of a big text is as big as the text
        controls = sum(len(piece) - len(_BINARY_CONTROLS.sub("", piece))
                       for piece in (text[start:start + _PIECE] for start in range(0, len(text), _PIECE)))
        if controls > max(2, _MAX_CONTROL_SHARE * len(text)):
            raise InputError(f"binary data, not text ({controls} control characters "
                             f"in {len(text)})", path)
    return text

