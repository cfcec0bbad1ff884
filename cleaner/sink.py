"""Writing results: atomic file writes, the manifest, JSONL records. The core never calls this."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import IO, Any

from .document import Document

_UMASK = os.umask(0)
os.umask(_UMASK)
_FILE_MODE = 0o666 & ~_UMASK


def _temp_beside(path: Path) -> tuple[int, str]:
    """An open temporary file in ``path``'s folder, with the mode a plain new file would get."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.fchmod(handle, _FILE_MODE)
    return handle, tmp


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    A reader (or a re-run after a kill) sees the old file or the new one, never half of one.
    """
    handle, tmp = _temp_beside(path)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def json_line(record: dict[str, Any]) -> str:
    """One JSONL line: UTF-8 characters kept, keys in a fixed order, no spaces to vary."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def jsonl_record(doc: Document) -> dict[str, Any]:
    """The datatrove / dolma / HF datasets record: ``id``, ``text``, ``metadata``."""
    return doc.to_json()


class AtomicLines:
    """A JSONL file written line by line to a temporary file and renamed into place on close.

    Until :meth:`commit`, the previous version of the file (if any) stays whole.
    """

    def __init__(self, path: Path):
        self.path = path
        handle, self._tmp = _temp_beside(path)
        self._out: IO[str] = os.fdopen(handle, "w", encoding="utf-8", newline="\n")

    def write(self, record: dict[str, Any]) -> None:
        self._out.write(json_line(record))

    def commit(self) -> None:
        self._out.close()
        os.replace(self._tmp, self.path)

    def discard(self) -> None:
        self._out.close()
        Path(self._tmp).unlink(missing_ok=True)

    def __enter__(self) -> "AtomicLines":
        return self

    def __exit__(self, exc_type, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()
