"""Where inputs come from: the files given or found in folders (:class:`Job`, lazily, in a stable
order), and what a reader makes of them (:class:`Item`: one document, its bytes or text). How a
file is read (whole, or one record per line) is up to the readers of :mod:`cleaner.batch.readers`."""
from __future__ import annotations

import fnmatch
import logging
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable, Iterator

DEFAULT_INCLUDE = ("*.txt", "*.html", "*.htm", "*.xhtml", "*.txt.gz", "*.html.gz", "*.htm.gz")
# In place, only text files: an HTML page is cleaned into a new .txt file, never over itself.
TEXT_INCLUDE = ("*.txt",)
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


def identity(info: os.stat_result) -> str:
    """A file's identity, ``device:inode``: the same for every path (or link) to it."""
    return f"{info.st_dev}:{info.st_ino}"


def discover(paths: Iterable[Path], include: Iterable[str] = DEFAULT_INCLUDE,
             skip: Path | None = None, warn: Callable[[str], None] = log.warning,
             qualify: bool = False) -> Iterator[Job]:
    """Inputs in a stable order, found lazily: files given directly, and the files of the folders
    given whose names match ``include``. Hidden files and folders, and the folder ``skip`` (the
    output folder), are left out; symbolic links are followed, except back into a folder being walked.

    A job's ``output`` (and so the document's id) is its path relative to the folder given (a
    file given directly: its name); with ``qualify``, it starts with the path given, so that
    ``dumps/a.txt`` and ``html/a.html`` are ``dumps/a`` and ``html/a``, not both ``a``."""
    patterns = tuple(include)
    skipped = {identity(skip.stat())} if skip is not None and skip.is_dir() else set()
    for path in paths:
        root = Path(os.path.normpath(path)) if qualify else Path()
        if path.is_dir():
            for job in _walk(path, Path(), patterns, skipped, (identity(path.stat()),), warn):
                yield Job(job.source, root / job.output, job.error) if qualify else job
        else:
            yield Job(path, output_name(root.parent / path.name if qualify else Path(path.name)))


def _walk(root: Path, relative: Path, patterns: tuple[str, ...], skipped: set[str],
          ancestors: tuple[str, ...], warn: Callable[[str], None]) -> Iterator[Job]:
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
            folder_id = identity((folder / name).stat())
        except OSError as exc:
            yield Job(folder / name, relative / name, error=f"{folder / name}: cannot list folder "
                                                            f"({exc.strerror or exc})")
            continue
        if folder_id in skipped:
            continue
        if folder_id in ancestors:
            warn(f"{folder / name}: symbolic link loop, not followed")
            continue
        yield from _walk(root, relative / name, patterns, skipped, ancestors + (folder_id,), warn)
