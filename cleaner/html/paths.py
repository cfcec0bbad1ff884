"""Which of trafilatura's paths gave the article: its own extractor (``main``), or one of its
fallbacks (``readability``, ``justext``, ``baseline-json-ld``, ``baseline-article``,
``baseline-paragraphs``, ``baseline-body``, or ``recall:<inner>`` for its recall retry).

trafilatura does not say, so the functions of its cascade are wrapped (behaviour unchanged)
and the body it returns is matched, by identity, with the one a wrapped function produced.
This reads trafilatura's internals (version 2.3): when a function is not where it is
expected the wrapping is not installed and every path reads ``unknown``;
``tests/test_html_guard.py`` fails when that happens, and :mod:`cleaner.pins` stops the
import on a version outside the tested range.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Callable

from cleaner.pins import require

if TYPE_CHECKING:
    from lxml import etree

require("trafilatura", None)  # the version only: trafilatura is imported on the first page

UNKNOWN = "unknown"
FALLBACKS = ("readability", "justext", "baseline")
# (module, function name, label): the functions whose result is a candidate body.
TARGETS = (
    ("trafilatura.core", "extract_content", "main"),
    ("trafilatura.external", "sanitize_tree", "readability"),
    ("trafilatura.external", "justext_rescue", "justext"),
    ("trafilatura.core", "justext_rescue", "justext"),
    ("trafilatura.core", "baseline", "baseline"),
    ("trafilatura.core", "_recall_retry", "recall"),
)
_local = threading.local()
_installed: bool | None = None


def is_fallback(path: str) -> bool:
    """True for a path other than trafilatura's own extractor.

    >>> is_fallback("recall:readability"), is_fallback("main"), is_fallback("unknown")
    (True, False, False)
    """
    return path.rsplit(":", 1)[-1].startswith(FALLBACKS)


def install() -> bool:
    """Wrap the cascade's functions once per process; False when trafilatura's internals moved."""
    global _installed
    if _installed is not None:
        return _installed
    import importlib

    try:
        found = [(importlib.import_module(module), name, label) for module, name, label in TARGETS]
        from trafilatura.baseline import _collect_json_content  # noqa: F401  (used to label baseline)
    except ImportError:
        found = []
    if not found or not all(callable(getattr(module, name, None)) for module, name, _ in found):
        _installed = False
        return False
    for module, name, label in found:
        original = getattr(module, name)
        if not getattr(original, "_cleaner_path", None):
            setattr(module, name, _wrap(original, label))
    _installed = True
    return True


def _wrap(function: Callable, label: str) -> Callable:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        out = function(*args, **kwargs)
        tags = getattr(_local, "tags", None)
        from lxml import etree

        if tags is not None and isinstance(out, tuple) and out and isinstance(out[0], etree._Element):
            tags.append((out[0], _label(label, out[0], args)))
        return out

    wrapped._cleaner_path = label  # type: ignore[attr-defined]
    wrapped.__wrapped__ = function  # type: ignore[attr-defined]
    return wrapped


def _label(label: str, body: etree._Element, args: tuple) -> str:
    if label == "recall":
        return "recall:" + (_find(body) or "main")
    if label != "baseline":
        return label
    tree = args[0] if args else None
    try:
        from trafilatura.baseline import _collect_json_content

        bodies, _ = _collect_json_content(tree)
        if bodies:
            return "baseline-json-ld"
    except Exception:  # noqa: BLE001  (a label only: never fail an extraction for it)
        pass
    if len(body) == 1 and "\n" in (body[0].text or ""):
        return "baseline-body"
    if tree is not None and tree.find(".//article") is not None and len(body) <= 3:
        return "baseline-article"
    return "baseline-paragraphs"


def _find(body: etree._Element) -> str | None:
    for element, label in reversed(getattr(_local, "tags", None) or []):
        if element is body:
            return label
    return None


def extract_with_path(extract: Callable[[], Any]) -> tuple[Any, str]:
    """``extract()`` (a call of ``trafilatura.bare_extraction``) and the path its body came from."""
    if not install():
        return extract(), UNKNOWN
    _local.tags = []
    try:
        result = extract()
        if result is None:
            return None, "none"
        return result, _find(result.body) or UNKNOWN
    finally:
        _local.tags = None
