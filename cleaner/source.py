"""Where inputs come from: discovery of files in folders, and the output path of each."""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

DEFAULT_INCLUDE = ("*.txt", "*.html", "*.htm", "*.xhtml", "*.txt.gz", "*.html.gz", "*.htm.gz")
# In place, only text files: an HTML page is cleaned into a new .txt file, never over itself.
TEXT_INCLUDE = ("*.txt",)


@dataclass(frozen=True)
class Job:
    """One input file and the path of its output, relative to the output folder."""

    source: Path
    output: Path


def output_name(relative: Path) -> Path:
    """``a/b.html`` → ``a/b.txt``; ``x.html.gz`` → ``x.txt``."""
    name = relative.name
    for suffix in (".gz", ".bz2", ".xz"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return relative.with_name(stem + ".txt")


def discover(paths: Iterable[Path], include: Iterable[str] = DEFAULT_INCLUDE,
             skip: Path | None = None) -> Iterator[Job]:
    """Inputs in a stable order, found lazily: files given directly, and the files of the
    folders given whose names match ``include`` (hidden files and folders, and ``skip``, left out)."""
    patterns = tuple(include)
    skip = skip.resolve() if skip else None
    for path in paths:
        if not path.is_dir():
            yield Job(path, output_name(Path(path.name)))
            continue
        for folder, dirs, files in os.walk(path):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                             and (skip is None or (here / d).resolve() != skip))
            for name in sorted(files):
                if not name.startswith(".") and any(fnmatch.fnmatch(name, p) for p in patterns):
                    source = here / name
                    yield Job(source, output_name(source.relative_to(path)))


