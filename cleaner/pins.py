"""The private parts of other packages this one reads, and the versions they were tested with.

The RE2 engine is driven through ``re2._Anchor`` and ``_regexp.Match`` (:mod:`cleaner.rules.regex`),
ftfy's ``badness.BADNESS_RE`` is parsed with Python's ``re._parser`` (:mod:`cleaner.text.fixfilter`),
langdetect's model and seeded algorithm are mirrored (:mod:`cleaner.text.langmodel`), and
trafilatura's extraction cascade is wrapped and its page loading copied (:mod:`cleaner.html.paths`,
:mod:`cleaner.html.load`). A
release may change any of them without notice, and the output would change silently; so each
module calls :func:`require` when it is imported, and a version outside the tested range, or a
missing attribute, stops the import with a message that says what to do. The same ranges are the
upper bounds in ``pyproject.toml``.
"""
from __future__ import annotations

from importlib import metadata
from typing import Any

# distribution: (lowest tested, first untested), what of it is read
TESTED = {
    "google-re2": ("1.1", "1.2", "re2._Anchor, _Regexp._regexp.Match and _re2.BytesToCharLen"),
    "ftfy": ("6.1", "6.4", "ftfy.badness.BADNESS_RE, parsed with re._parser"),
    "langdetect": ("1.0.9", "1.1", "its model and seeded algorithm, mirrored in cleaner/text/langmodel.py"),
    "trafilatura": ("2.3", "2.4", "its extraction cascade's functions (cleaner/html/paths.py), its load_html "
                    "steps (cleaner/html/load.py) and xml.xmltotxt"),
}


class UntestedDependency(ImportError):
    """A package this one reads the private parts of is not a tested version, or has changed."""


def _numbers(version: str) -> tuple[int, ...]:
    """``1.1.20251105`` -> ``(1, 1, 20251105)``; the numbers before any letter of a part."""
    numbers = []
    for part in version.split("."):
        digits = ""
        for char in part:
            if not char.isdigit():
                break
            digits += char
        if not digits:
            break
        numbers.append(int(digits))
        if len(digits) < len(part):
            break
    return tuple(numbers)


def require(distribution: str, module: Any = None, *attributes: str) -> None:
    """Raise :class:`UntestedDependency` if ``distribution`` is outside its tested range, or
    ``module`` lacks one of ``attributes`` (dotted paths)."""
    low, high, reads = TESTED[distribution]
    try:
        version = metadata.version(distribution)
    except metadata.PackageNotFoundError:
        version = None
    advice = (f"article-cleaner reads {reads}, tested with {distribution}>={low},<{high}: "
              f"pip install '{distribution}>={low},<{high}', or an article-cleaner release that supports it")
    if version is not None and not _numbers(low) <= _numbers(version) < _numbers(high):
        raise UntestedDependency(f"{distribution} {version} is not a tested version; {advice}")
    for path in attributes:
        target = module
        for name in path.split("."):
            target = getattr(target, name, None)
            if target is None:
                raise UntestedDependency(f"{distribution} {version or '?'} has no {path}; {advice}")
