"""Where inputs come from: files given or found in folders (lazily, in a stable order), and the
records of JSONL files. Each input becomes an :class:`Item` holding its bytes or text."""
from __future__ import annotations

import fnmatch
import gzip
import hashlib
import json
import logging
import os
import stat
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import IO, Any, Callable, Iterable, Iterator

DEFAULT_INCLUDE = ("*.txt", "*.html", "*.htm", "*.xhtml", "*.txt.gz", "*.html.gz", "*.htm.gz")
# In place, only text files: an HTML page is cleaned into a new .txt file, never over itself.
TEXT_INCLUDE = ("*.txt",)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

log = logging.getLogger("cleaner")


@dataclass(frozen=True)
class Job:
    """One input file and the path of its output, relative to the output folder;
    ``error`` when the file could not even be listed."""

    source: Path
    output: Path
    error: str | None = None


@dataclass
class Item:
    """One document to clean: where it came from, its id, and its content (or why it has none)."""

    source: str
    id: str
    data: bytes | str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    identity: str | None = None  # "device:inode" of the file, to spot a file given twice
    input_sha256: str | None = None

    @cached_property
    def output(self) -> str | None:
        """The output file of this item, relative to OUTDIR; None when its id is unsafe as a path."""
        return output_path(self.id)


def output_name(relative: Path) -> Path:
    """``a/b.html`` → ``a/b.txt``; ``x.html.gz`` → ``x.txt``."""
    name = relative.name
    for suffix in (".gz", ".bz2", ".xz"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return relative.with_name(stem + ".txt")


def output_path(id: str) -> str | None:
    """``id`` + ``.txt`` as a path inside OUTDIR, or None if the id could escape it or hide in it.

    >>> output_path("fr/a"), output_path("../etc/passwd"), output_path("/abs"), output_path(".cleaner/x")
    ('fr/a.txt', None, None, None)
    """
    if not id or "\x00" in id or "\\" in id or id.startswith("/") or (len(id) > 1 and id[1] == ":"):
        return None
    parts = id.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") or len(part.encode()) > 250 for part in parts):
        return None
    return str(PurePosixPath(id + ".txt"))


def is_jsonl(path: Path) -> bool:
    return path.name.endswith(JSONL_SUFFIXES)


def discover(paths: Iterable[Path], include: Iterable[str] = DEFAULT_INCLUDE,
             skip: Path | None = None, warn: Callable[[str], None] = log.warning) -> Iterator[Job]:
    """Inputs in a stable order, found lazily: files given directly, and the files of the folders
    given whose names match ``include``. Hidden files and folders, and the folder ``skip`` (the
    output folder), are left out; symbolic links are followed, except back into a folder being walked."""
    patterns = tuple(include)
    skipped = {_identity(skip)} if skip is not None and skip.is_dir() else set()
    for path in paths:
        if path.is_dir():
            yield from _walk(path, Path(), patterns, skipped, (_identity(path),), warn)
        else:
            yield Job(path, output_name(Path(path.name)))


def _identity(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_dev, st.st_ino


def _walk(root: Path, relative: Path, patterns: tuple[str, ...], skipped: set[tuple[int, int]],
          ancestors: tuple[tuple[int, int], ...], warn: Callable[[str], None]) -> Iterator[Job]:
    folder = root / relative
    files: list[str] = []
    subfolders: list[str] = []
    try:  # names only, and only those kept: a folder of a million files costs tens of MB
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.name.startswith("."):
                    continue
                try:
                    is_folder = entry.is_dir()
                except OSError:
                    is_folder = False
                if is_folder:
                    subfolders.append(entry.name)
                elif any(fnmatch.fnmatch(entry.name, pattern) for pattern in patterns):
                    files.append(entry.name)
    except OSError as exc:
        yield Job(folder, relative, error=f"{folder}: cannot list folder ({exc.strerror or exc})")
        return
    files.sort()
    subfolders.sort()
    for name in files:
        yield Job(folder / name, output_name(relative / name))
    for name in subfolders:
        try:
            identity = _identity(folder / name)
        except OSError as exc:
            yield Job(folder / name, relative / name, error=f"{folder / name}: cannot list folder "
                                                            f"({exc.strerror or exc})")
            continue
        if identity in skipped:
            continue
        if identity in ancestors:
            warn(f"{folder / name}: symbolic link loop, not followed")
            continue
        yield from _walk(root, relative / name, patterns, skipped, ancestors + (identity,), warn)


def read_items(jobs: Iterable[Job], max_bytes: int = DEFAULT_MAX_BYTES,
               text_field: str = "text") -> Iterator[Item]:
    """The documents of each job, read lazily: a file's bytes, or each record of a JSONL file."""
    for job in jobs:
        if job.error:
            yield Item(str(job.source), job.output.as_posix(), error=job.error)
        elif is_jsonl(job.source):
            yield from read_jsonl(job, max_bytes, text_field)
        else:
            yield read_file(job, max_bytes)


def read_file(job: Job, max_bytes: int) -> Item:
    """A file's bytes and their SHA-256; a file over ``max_bytes`` is refused without being read."""
    item = Item(str(job.source), job.output.with_suffix("").as_posix())
    try:
        info = os.stat(job.source)
        item.identity = f"{info.st_dev}:{info.st_ino}"
        if not stat.S_ISREG(info.st_mode):
            item.error = f"{job.source}: not a regular file"
        elif info.st_size > max_bytes:
            item.error = f"{job.source}: too large ({info.st_size} bytes, limit {max_bytes}), not read"
        else:
            with open(job.source, "rb") as handle:
                data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:
                item.error = f"{job.source}: too large (over the limit of {max_bytes} bytes), not read"
            else:
                item.data, item.input_sha256 = data, hashlib.sha256(data).hexdigest()
    except OSError as exc:
        item.error = f"{job.source}: cannot read ({exc.strerror or exc})"
    return item


def read_jsonl(job: Job, max_bytes: int, text_field: str = "text") -> Iterator[Item]:
    """One item per line of a JSONL file (``.gz`` read as gzip): ``{"id", TEXT_FIELD, ...}``.

    The other fields, and the fields of a ``metadata`` object, become the item's metadata.
    A line without a usable id gets ``<file stem>/<line number>``.
    """
    stem = job.output.with_suffix("").as_posix()
    number = 0
    try:
        opener = gzip.open if job.source.name.endswith(".gz") else open
        info = os.stat(job.source)
        with opener(job.source, "rb") as handle:
            for number, line in _lines(handle, max_bytes):
                item = _record(job.source, stem, number, line, text_field, max_bytes)
                item.identity = f"{info.st_dev}:{info.st_ino}#{number}"  # a JSONL file given twice
                yield item
    except (OSError, EOFError, zlib.error) as exc:
        where = f"{job.source}:{number + 1}" if number else str(job.source)
        yield Item(where, f"{stem}/{number + 1}",
                   error=f"{where}: cannot read ({getattr(exc, 'strerror', None) or exc})")


def _lines(handle: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, line)`` for the non-blank lines of ``handle``; None for a line longer
    than ``max_bytes`` (skipped, not kept)."""
    number = 0
    while True:
        line = handle.readline(max_bytes + 1)
        number += 1
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = handle.readline(1 << 20)
            yield number, None
        elif line.strip():
            yield number, line


def _record(path: Path, stem: str, number: int, line: bytes | None, text_field: str,
            max_bytes: int) -> Item:
    where = f"{path}:{number}"
    item = Item(where, f"{stem}/{number}")
    if line is None:
        item.error = f"{where}: record too large (limit {max_bytes} bytes), not read"
        return item
    try:
        record = json.loads(line)
    except ValueError as exc:
        item.error = f"{where}: not a JSON record ({exc})"
        return item
    if not isinstance(record, dict) or not isinstance(record.get(text_field), str):
        item.error = f"{where}: no string field {text_field!r} in the record"
        return item
    if isinstance(record.get("id"), (str, int)) and not isinstance(record.get("id"), bool):
        item.id = str(record["id"])
    metadata = record.get("metadata")
    item.metadata = {**{k: v for k, v in record.items() if k not in ("id", text_field, "metadata")},
                     **(metadata if isinstance(metadata, dict) else {})}
    item.data = record[text_field]
    item.input_sha256 = hashlib.sha256(line.rstrip(b"\r\n")).hexdigest()
    return item
