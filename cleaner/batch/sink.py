"""Writing results: atomic file writes, JSONL streams and shards (optionally gzip), the manifest.

Every file is written to a temporary file and renamed into place, so a reader, or a re-run
after a kill, sees the old file or the new one, never half of one. A re-run reads the
previous documents.jsonl back (:class:`PreviousStream`) to copy the lines still up to date.
The core never calls this.
"""
from __future__ import annotations

import errno
import gzip
import json
import os
import tempfile
from pathlib import Path
from typing import IO, Any

from cleaner.document import Document
from cleaner.errors import OutputError

_UMASK = os.umask(0)
os.umask(_UMASK)
_FILE_MODE = 0o666 & ~_UMASK


def _temp_file(folder: Path, name: str) -> tuple[int, str]:
    """A new open temporary file in ``folder`` for a file called ``name``, with the mode a
    plain new file would get."""
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name[:100]}.", suffix=".tmp")
    os.fchmod(handle, _FILE_MODE)
    return handle, tmp


def _temp_for(path: Path, tmpdir: Path | None) -> tuple[int, str]:
    """An open temporary file for ``path`` (in ``tmpdir``, else beside it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return _temp_file(tmpdir or path.parent, path.name)


def _rename(tmp: str, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as exc:
        if exc.errno != errno.EXDEV:  # tmpdir on another file system: copy beside, then rename
            raise
        handle, beside = _temp_for(path, None)
        with os.fdopen(handle, "wb") as out, open(tmp, "rb") as src:
            out.write(src.read())
        os.replace(beside, path)
        os.unlink(tmp)


def stage(data: bytes, tmpdir: Path, name: str) -> str:
    """The first half of an atomic write, done where the data is made (a worker process):
    write ``data`` to a new temporary file in ``tmpdir`` and return its path."""
    handle, tmp = _temp_file(tmpdir, name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def place(tmp: str, path: Path) -> None:
    """The second half: rename the staged file ``tmp`` onto ``path``, creating its folder."""
    try:
        try:
            _rename(tmp, path)
        except FileNotFoundError:  # the folder is not there yet
            path.parent.mkdir(parents=True, exist_ok=True)
            _rename(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: bytes, tmpdir: Path | None = None) -> None:
    """Write ``data`` to a temporary file (in ``tmpdir``, else beside ``path``), then rename it
    into place. A reader (or a re-run after a kill) sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    place(stage(data, tmpdir or path.parent, path.name), path)


def json_line(record: dict[str, Any]) -> str:
    """One JSONL line: UTF-8 characters kept, keys in a fixed order, no spaces to vary."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def jsonl_record(doc: Document) -> dict[str, Any]:
    """The datatrove / dolma / HF datasets record: ``id``, ``text``, ``metadata``."""
    return doc.to_json()


class AtomicLines:
    """A JSONL file (gzip when its name ends in ``.gz``) written line by line to a temporary
    file and renamed into place by :meth:`commit`; until then the previous file stays whole.
    The gzip header carries no name and no time, so the same lines give the same bytes."""

    def __init__(self, path: Path, tmpdir: Path | None = None):
        self.path = path
        self.lines = 0
        handle, self._tmp = _temp_for(path, tmpdir)
        self._raw: IO[bytes] = os.fdopen(handle, "wb")
        self._out: IO[bytes] = self._raw
        if path.name.endswith(".gz"):
            self._out = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0, compresslevel=6)

    def write(self, record: dict[str, Any]) -> None:
        self.write_line(json_line(record).encode("utf-8"))

    def write_line(self, line: bytes) -> None:
        """One line as it is (ending with a line break)."""
        self._out.write(line)
        self.lines += 1

    def commit(self) -> None:
        try:
            self._close()
            _rename(self._tmp, self.path)
        except BaseException:
            Path(self._tmp).unlink(missing_ok=True)
            raise

    def discard(self) -> None:
        try:
            self._close()
        except OSError:
            pass
        Path(self._tmp).unlink(missing_ok=True)

    def _close(self) -> None:
        if self._out is not self._raw:
            self._out.close()
        self._raw.close()

    def __enter__(self) -> "AtomicLines":
        return self

    def __exit__(self, exc_type: Any, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


class PreviousStream:
    """The documents.jsonl an earlier run committed, read once, in order, to copy lines from.

    The batch's journal keeps the run that wrote it and its size and modification time then
    (:meth:`signature`); a file changed since, or records from a run that did not commit it
    (one killed midway), are not used: those inputs are cleaned again."""

    def __init__(self, path: Path, run: int):
        self.path, self.run = path, run
        self.planned = 0  # the last line the plan chose to copy
        self._file: IO[bytes] | None = None
        self._at = 0

    @staticmethod
    def signature(path: Path, run: int) -> str:
        info = os.stat(path)
        return f"{run}:{info.st_size}:{info.st_mtime_ns}"

    @classmethod
    def find(cls, path: Path, recorded: str | None) -> "PreviousStream | None":
        """The stream at ``path`` if it is still the one whose :meth:`signature` was ``recorded``."""
        run = (recorded or "").partition(":")[0]
        if not run.isdigit() or not path.is_file() or cls.signature(path, int(run)) != recorded:
            return None
        return cls(path, int(run))

    def line(self, number: int, id: str) -> bytes:
        """Line ``number`` (from 1; never one before the last asked for) of the previous stream,
        which must be the record of ``id``."""
        if self._file is None:
            self._file = gzip.open(self.path) if self.path.name.endswith(".gz") else open(self.path, "rb")
        line = b""
        while self._at < number:
            line = self._file.readline()
            self._at += 1
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if not isinstance(record, dict) or record.get("id") != id:
            raise OutputError(f"changed since the last run (line {number} is not the record of {id!r}); "
                              "run again with --force", str(self.path))
        return line

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def shard_name(index: int | None, compress: bool) -> str:
    """``documents.jsonl`` (one stream) or ``documents-00003.jsonl``; ``.gz`` when compressed.

    >>> shard_name(None, False), shard_name(3, True)
    ('documents.jsonl', 'documents-00003.jsonl.gz')
    """
    stem = "documents" if index is None else f"documents-{index:05d}"
    return f"{stem}.jsonl" + (".gz" if compress else "")
