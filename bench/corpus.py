"""The benchmark corpus: article texts and HTML pages from ../shared/realnews, varied to size.

Nothing is copied into the repository: the pages are read from the shared folder beside the
repo at each run. Texts are the 24 scraped dumps and the text trafilatura extracts from the
120 HTML pages; each copy beyond the first is varied (paragraphs rotated, and in one copy out
of ten a paragraph turned into mojibake) so no two documents are identical.
"""
from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REALNEWS = ROOT.parent / "shared" / "realnews"
HTML_DIRS = (REALNEWS / "scraped-dev" / "html", REALNEWS / "trafilatura-dev" / "html")
DUMPS = REALNEWS / "scraped-dev" / "dumps"
MIN_CHARS = 1500  # pages whose extracted text is shorter are not article-sized


@lru_cache(maxsize=1)
def html_pages() -> list[tuple[str, bytes]]:
    """``(name, bytes)`` of the real HTML pages, in a stable order."""
    if not REALNEWS.is_dir():
        raise SystemExit(f"error: {REALNEWS}: not found (the benchmark reads ../shared/realnews)")
    return [(p.name, p.read_bytes()) for d in HTML_DIRS for p in sorted(d.glob("*.html"))]


@lru_cache(maxsize=1)
def base_texts() -> list[tuple[str, str]]:
    """The scraped dumps, and the article text trafilatura extracts from each HTML page."""
    import trafilatura

    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(DUMPS.glob("*.txt"))]
    for name, data in html_pages():
        text = trafilatura.extract(data) or ""
        if len(text) >= MIN_CHARS:
            texts.append((name, text))
    return texts


def _mojibake(paragraph: str) -> str:
    """The paragraph as a site that decoded UTF-8 as Windows-1252 shows it."""
    try:
        return paragraph.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return paragraph


def vary(text: str, copy: int) -> str:
    """Copy number ``copy`` of ``text``: 0 is the text itself; others rotate its paragraphs."""
    if copy == 0:
        return text
    paragraphs = text.split("\n")
    shift = copy % len(paragraphs)
    paragraphs = paragraphs[shift:] + paragraphs[:shift]
    if copy % 10 == 3:
        index = random.Random(copy).randrange(len(paragraphs))
        paragraphs[index] = _mojibake(paragraphs[index])
    return "\n".join(paragraphs)


def text_corpus(count: int = 1000) -> list[str]:
    """``count`` article texts, the base texts round-robin, each copy varied."""
    bases = [text for _, text in base_texts()]
    return [vary(bases[i % len(bases)], i // len(bases)) for i in range(count)]


def html_corpus(count: int = 200) -> list[bytes]:
    """``count`` HTML pages: the real pages, repeated round-robin."""
    pages = [data for _, data in html_pages()]
    return [pages[i % len(pages)] for i in range(count)]
