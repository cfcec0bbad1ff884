"""The site of a document, as ``cleaner learn`` groups documents and as a learned rule's own
``site:`` is matched: its address's host, else its site name, else the folder holding its file.

>>> site_of("https://www.Example.org/news/1", None, None)
'example.org'
>>> site_of(None, "Le Quotidien du Centre", "scraped/x.txt")
'le quotidien du centre'
>>> site_of(None, None, "learn/bbc/a.txt"), site_of(None, None, "test/bbc/b.html.gz")
('bbc', 'bbc')
>>> site_of(None, None, "a.txt") is None, site_of(None, None, "<stdin>") is None
(True, True)
"""
from __future__ import annotations

from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit


def site_of(url: Any, sitename: Any, path: str | None) -> str | None:
    """The document's site (lowercase), or None when nothing tells it.

    A JSONL record without an address or site name counts as from the folder of its file
    (its path is ``FILE:LINE``); stdin has no site.
    """
    if isinstance(url, str) and url.strip():
        try:
            host = (urlsplit(url.strip()).hostname or "").rstrip(".")
        except ValueError:
            host = ""
        if host:
            return host[4:] if host.startswith("www.") else host
    if isinstance(sitename, str) and sitename.strip():
        return " ".join(sitename.split()).lower()
    if path and not path.startswith("<"):
        folder = PurePath(path).parent.name
        return folder.lower() or None
    return None
