"""Python's regex parser and compiler internals, under the names of every supported Python
(``re._parser`` since 3.11, ``sre_parse`` before): read by the RE2 translation and by the
analysis of ftfy's badness regex."""
from __future__ import annotations

try:  # Python 3.11+
    from re import _compiler as sre_compile, _constants as sre, _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile  # type: ignore[no-redef]
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

__all__ = ["sre", "sre_compile", "sre_parse"]
