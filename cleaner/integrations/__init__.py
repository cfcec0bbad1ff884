"""The cleaner inside other people's pipelines: a datatrove step (:mod:`.datatrove`, the
``datatrove`` extra) and a Hugging Face ``datasets`` map function (:mod:`.datasets`). Both clean
as ``cleaner clean`` does, with the :class:`Cleaner` of their configuration built once per process."""
from __future__ import annotations

from typing import Any

from cleaner.config import Config, load_config
from cleaner.document import Document
from cleaner.errors import CleanerError
from cleaner.pipeline import Cleaner

_cleaners: dict[str, Cleaner] = {}


def process_cleaner(config: Config | None) -> Cleaner:
    """This process's cleaner for ``config`` (None: the configuration found from the current
    folder, as ``cleaner clean`` finds it), built on first use. A process forked after it was
    built starts with it."""
    config = config or load_config()
    key = config.fingerprint()
    if key not in _cleaners:
        _cleaners.clear()
        _cleaners[key] = Cleaner(config)
    return _cleaners[key]


def clean_text(cleaner: Cleaner, text: str, id: str = "", metadata: dict[str, Any] | None = None,
               ) -> tuple[Document | None, str | None]:
    """``(document, None)``, or ``(None, reason)`` for a document the cleaner refuses; the
    metadata's ``url``, if any, is the page's address (for the HTML stages and site packs)."""
    url = (metadata or {}).get("url")
    try:
        return cleaner.clean(text, id=id, metadata=metadata, url=url if isinstance(url, str) else None), None
    except CleanerError as exc:
        return None, str(exc)
