"""A cache of what every start would build again: the compiled rule packs, the language model.

Entries are pickles in ``$CLEANER_CACHE_DIR``, else ``$XDG_CACHE_HOME/article-cleaner``, else
``~/.cache/article-cleaner``; ``CLEANER_CACHE_DIR=off`` turns the cache off. An entry is named
by a hash of everything it was built from (the caller's ``parts``) and of this package's own
code and Python's version, so a changed pack, profile or cleaner never finds a stale entry: the
cache makes a start faster and can never change an output. Writes are atomic (a temporary file
in the folder, then a rename); a folder that cannot be read or written, or that belongs to
another user, is no cache at all, silently.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Callable, Iterable

KEEP = 4  # entries kept per kind: older ones go when a new one is written
_OFF = ("", "0", "off", "no", "false")


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when the cache is off."""
    chosen = os.environ.get("CLEANER_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in _OFF else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "article-cleaner"


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """A hash of this package's Python files (the digest resume's fingerprint takes too: the files
    are read once a process) and of Python's version (a new cleaner, a new entry)."""
    from cleaner.provenance import code_digest

    return hashlib.sha256(sys.version.encode() + b"\0" + code_digest().encode()).digest()


def key_of(parts: Iterable[bytes | str]) -> str:
    """The entry name of what was built from ``parts`` with this code."""
    digest = hashlib.sha256(code_fingerprint())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()[:32]


def _usable(folder: Path) -> bool:
    """The folder is ours (not another user's, where anyone may have left a pickle)."""
    try:
        info = folder.stat()
    except OSError:
        return False
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def load(kind: str, key: str) -> Any | None:
    """The entry ``kind``/``key``, or ``None`` (no cache, no entry, or one that cannot be read)."""
    folder = cache_dir()
    if folder is None or not _usable(folder):
        return None
    try:
        with open(folder / f"{kind}-{key}.pickle", "rb") as handle:
            return pickle.load(handle)  # noqa: S301 - our own folder, entries we wrote
    except Exception:  # noqa: BLE001 - a missing, truncated or foreign entry is a miss
        return None


def store(kind: str, key: str, value: Any) -> None:
    """Write the entry atomically, and drop the oldest entries of ``kind`` beyond :data:`KEEP`."""
    _write(kind, key, ".pickle", lambda out: pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL))


def load_array(kind: str, key: str) -> Any | None:
    """The numpy array ``kind``/``key``, mapped read-only from its file (nothing is read until a
    row is used, and forked workers share the pages), or ``None``."""
    folder = cache_dir()
    if folder is None or not _usable(folder):
        return None
    import numpy as np

    try:
        return np.asarray(np.load(folder / f"{kind}-{key}.npy", mmap_mode="r", allow_pickle=False))
    except Exception:  # noqa: BLE001 - a missing or damaged entry is a miss
        return None


def store_array(kind: str, key: str, array: Any) -> None:
    """Write the array atomically as ``kind-key.npy`` (kept, like pickles, :data:`KEEP` per kind)."""
    import numpy as np

    _write(kind, key, ".npy", lambda out: np.save(out, array, allow_pickle=False))


def _write(kind: str, key: str, suffix: str, dump: Callable[[IO[bytes]], None]) -> None:
    """``dump`` into a temporary file of the cache, renamed to ``kind-key`` + ``suffix``; then the
    oldest entries of ``kind`` beyond :data:`KEEP` go."""
    folder = cache_dir()
    if folder is None:
        return
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _usable(folder):
            return
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            dump(out)
        os.replace(temporary, folder / f"{kind}-{key}{suffix}")
        temporary = None
        _prune(folder, kind, suffix)
    except Exception:  # noqa: BLE001 - an unwritable cache only costs the next start its time
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def _prune(folder: Path, kind: str, suffix: str = ".pickle") -> None:
    entries = []
    for path in folder.glob(f"{kind}-*{suffix}"):
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:
            continue
    for _, path in sorted(entries, reverse=True)[KEEP:]:
        try:
            path.unlink()
        except OSError:
            pass
