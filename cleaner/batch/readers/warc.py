"""Web archives: WARC (``.warc``, ``.warc.gz``), ARC (``.arc``, ``.arc.gz``) and WET
(``.warc.wet.gz``): one document per HTML response record or WET conversion record.

A response record whose HTTP status is 2xx and whose content type is HTML gives a page (the
pipeline extracts its article); a ``conversion`` record (WET: the whole page's text) gives a
text document. Every other record (``warcinfo``, ``request``, ``metadata``, ``revisit``, a
redirect, an image...) is skipped and counted by kind in ``ReadOptions.skipped``, which the
summary prints. The record's target URI, id and date go into the metadata as ``url``,
``warc_record_id`` and ``fetch_date``.

The library is warcio, measured against fastwarc (resiliparse) by ``bench/warc_libraries.py`` on
a 48 MB WARC of the 2,500 pool pages: fastwarc reads 2.7 times faster (0.8 ms a page against
2.1 ms), but cleaning a page takes some 40 ms, so the difference is a few percent of a run;
warcio also reads ARC files (fastwarc does not), WET and WARC through one iterator, and is pure
Python. Records are streamed: one record's payload is in memory at a time.
"""
from __future__ import annotations

import hashlib
import os
import zlib
from pathlib import Path
from typing import Any, Iterator

from cleaner.batch.readers.base import Reader
from cleaner.batch.source import Item, Job, identity

SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz", ".wet", ".wet.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")


class WarcReader(Reader):
    """One item per HTML response or WET conversion record; a broken archive ends in one error item."""

    name = "warc"
    many = True
    suffixes = SUFFIXES

    def read(self, job: Job) -> Iterator[Item]:
        stem = job.output.with_suffix("").as_posix()
        try:
            from warcio.archiveiterator import ArchiveIterator
            from warcio.exceptions import ArchiveLoadFailed
        except ImportError:
            yield Item(str(job.source), stem, error=f"{job.source}: reading web archives needs warcio "
                                                    "(pip install 'article-cleaner[warc]')")
            return
        number = 0
        try:
            info = os.stat(job.source)
            with open(job.source, "rb") as handle:
                for record in ArchiveIterator(handle, arc2warc=True):
                    number += 1
                    skip = skipped_kind(record)
                    if skip:
                        self.options.skipped[skip] += 1
                        continue
                    item = self._item(job.source, stem, number, record)
                    item.identity = f"{identity(info)}#{number}"
                    yield item
        except (OSError, EOFError, zlib.error, ArchiveLoadFailed, ValueError) as exc:
            where = f"{job.source}:{number + 1}" if number else str(job.source)
            reason = getattr(exc, "strerror", None) or (str(exc).strip() or type(exc).__name__).splitlines()[0]
            yield Item(where, f"{stem}/{number + 1}", error=f"{where}: cannot read the archive ({reason})")

    def _item(self, path: Path, stem: str, number: int, record: Any) -> Item:
        """Record ``number`` (from 1, counting every record) as an item ``<stem>/<number>``."""
        where = f"{path}:{number}"
        item = Item(where, f"{stem}/{number}")
        limit = self.options.max_bytes
        data = record.content_stream().read(limit + 1)
        if len(data) > limit:
            item.error = f"{where}: record too large (limit {limit} bytes), not read"
            return item
        if getattr(record.raw_stream, "limit", 0):  # bytes of the record still owed: the file ends early
            item.error = f"{where}: cannot read the archive (the record is cut short)"
            return item
        headers = record.rec_headers
        item.metadata = {"url": headers.get_header("WARC-Target-URI"),
                         "warc_record_id": headers.get_header("WARC-Record-ID"),
                         "fetch_date": headers.get_header("WARC-Date")}
        digest = hashlib.sha256()
        for value in item.metadata.values():
            digest.update(f"{value}\0".encode())
        digest.update(data)
        item.data, item.input_sha256 = data, digest.hexdigest()
        return item


def skipped_kind(record: Any) -> str | None:
    """Why ``record`` is not a document (``request``, ``response not HTML``, ...), or None."""
    if record.rec_type == "conversion":
        return None
    if record.rec_type != "response":
        return record.rec_type
    http = record.http_headers
    if http is None:
        return "response without HTTP headers"
    if not http.get_statuscode().startswith("2"):
        return f"response {http.get_statuscode()}"
    content_type = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return None if content_type in HTML_TYPES else "response not HTML"
