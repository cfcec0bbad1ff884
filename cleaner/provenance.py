"""What, besides the input and the settings, decides the cleaned bytes: the package's own code
and rule packs, and the versions of the libraries and Unicode data it cleans with.

:func:`provenance` goes into the configuration's fingerprint, so that a re-run after an
upgrade or a code change cleans again instead of keeping outputs of another version.
"""
from __future__ import annotations

import hashlib
import sys
import unicodedata
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# the distributions whose behaviour shows in the output (extraction, decoding, fixes, languages, regexes)
LIBRARIES = ("ftfy", "trafilatura", "justext", "htmldate", "langdetect", "lxml", "google-re2",
             "charset-normalizer")


def library_versions() -> dict[str, str | None]:
    """The installed version of each of :data:`LIBRARIES` (None if not installed), of Python
    (major.minor) and of its Unicode database."""
    found: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    found["python"] = "%d.%d" % sys.version_info[:2]
    found["unicodedata"] = unicodedata.unidata_version
    return found


@lru_cache(maxsize=4)
def code_digest(package: Path = PACKAGE) -> str:
    """SHA-256 of the package's Python files (``cleaner/**/*.py``), names and bytes, in a stable order."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def provenance() -> dict[str, str | None]:
    """The code digest and the library versions, as one mapping (what the fingerprint hashes)."""
    return {"code": code_digest(), **library_versions()}
