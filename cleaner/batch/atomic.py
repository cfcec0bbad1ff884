"""Atomic writes: every file the batch writes (texts, JSONL files, the manifest, a file
rewritten in place) goes to a temporary file, renamed into place, so a reader, or a re-run
after a kill, sees the old file or the new one, never half of one. The core never calls this.
"""
from __future__ import annotations

import errno
import gzip
import json
import os
import secrets
import stat
from pathlib import Path
from typing import IO, Any


class Durability:
    """``--fsync``: what survives a power cut. Each file's data reaches the disk before it is
    renamed into place (:func:`stage`, :class:`AtomicLines`), and the folders of the files
    renamed reach it before the journal commits a record of them (:meth:`flush`, called by
    :meth:`cleaner.batch.journal.Journal.commit`): the journal never says done for an output
    that a power cut could leave empty or missing. Off, each is a no-op."""

    def __init__(self, enabled: bool = False):
        self.enabled = enabled
        self._folders: set[str] = set()

    def file(self, handle: int) -> None:
        if self.enabled:
            os.fsync(handle)

    def placed(self, path: Path) -> None:
        if self.enabled:
            self._folders.add(str(path.parent))

    def flush(self) -> None:
        """fsync every folder a file was renamed into since the last flush."""
        for folder in sorted(self._folders):
            handle = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)
        self._folders.clear()


TEXT_PIECE = 1 << 16  # characters of a text encoded at a time when it is written
NEW_FILE = 0o666  # the mode a plain new file asks for; the kernel takes the umask off


def _temp_file(folder: Path, name: str, mode: int | None = None) -> tuple[int, str]:
    """A new open temporary file in ``folder`` for a file called ``name``: with the mode a plain
    new file would get (the process umask applies, read from nobody: the umask is never
    changed, which would race with other threads), or with ``mode`` exactly."""
    prefix = f".{name[:100]}."
    while True:
        tmp = os.path.join(folder, f"{prefix}{secrets.token_hex(6)}.tmp")
        try:
            handle = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), NEW_FILE)
        except FileExistsError:
            continue
        if mode is not None:
            os.fchmod(handle, mode)
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


def stage(data: bytes | str, tmpdir: Path, name: str, mode: int | None = None, sync: bool = False) -> str:
    """The first half of an atomic write, done where the data is made (a worker process):
    write ``data`` (a text: in UTF-8) to a new temporary file in ``tmpdir`` and return its path;
    with ``sync``, on the disk."""
    handle, tmp = _temp_file(tmpdir, name, mode)
    try:
        with os.fdopen(handle, "wb") as out:
            if isinstance(data, str):  # a piece at a time: the encoder's buffer for a whole big text is bigger than it
                for start in range(0, len(data), TEXT_PIECE):
                    out.write(data[start:start + TEXT_PIECE].encode("utf-8"))
            else:
                out.write(data)
            if sync:
                out.flush()
                os.fsync(out.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def place(tmp: str, path: Path, durability: Durability | None = None) -> None:
    """The second half: rename the staged file ``tmp`` onto ``path``, creating its folder."""
    if durability:
        durability.placed(path)
    try:
        try:
            _rename(tmp, path)
        except FileNotFoundError:  # the folder is not there yet
            path.parent.mkdir(parents=True, exist_ok=True)
            _rename(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: bytes | str, tmpdir: Path | None = None, durability: Durability | None = None) -> None:
    """Write ``data`` to a temporary file (in ``tmpdir``, else beside ``path``), then rename it
    into place. A reader (or a re-run after a kill) sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sync = bool(durability and durability.enabled)
    place(stage(data, tmpdir or path.parent, path.name, sync=sync), path, durability)


def rewrite(path: Path, data: bytes) -> None:
    """Replace the file at ``path`` (through a symlink) by ``data`` atomically, keeping its mode."""
    target = path.resolve()
    place(stage(data, target.parent, target.name, stat.S_IMODE(target.stat().st_mode)), target)


def json_line(record: dict[str, Any]) -> str:
    """One JSONL line: UTF-8 characters kept, keys in a fixed order, no spaces to vary."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


class AtomicLines:
    """A JSONL file (gzip when its name ends in ``.gz``) written line by line to a temporary
    file and renamed into place by :meth:`commit`; until then the previous file stays whole.
    The gzip header carries no name and no time, so the same lines give the same bytes."""

    def __init__(self, path: Path, tmpdir: Path | None = None, durability: Durability | None = None):
        self.path = path
        self.durability = durability or Durability()
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
            self._close(sync=True)
            self.durability.placed(self.path)
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

    def _close(self, sync: bool = False) -> None:
        if self._out is not self._raw:
            self._out.close()
        if sync and self.durability.enabled:
            self._raw.flush()
            self.durability.file(self._raw.fileno())
        self._raw.close()

    def __enter__(self) -> "AtomicLines":
        return self

    def __exit__(self, exc_type: Any, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()
