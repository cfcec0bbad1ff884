"""WARC readers: fastwarc (resiliparse) against warcio on a real-sized WARC; prints MB/s and the ratio.

    pip install fastwarc warcio && python bench/warc_libraries.py [REPEATS]

Builds, in a temporary folder, a gzipped WARC of every HTML page of ../shared/realnews/pool/html
(one request and one response record each, as a crawler writes them), then reads every record's
headers and whole payload with each library; timings are the best of REPEATS rounds. The choice
made from it is written in cleaner/batch/readers/warc.py.
"""
from __future__ import annotations

import gzip
import io
import sys
import tempfile
import time
from pathlib import Path

from fastwarc.warc import ArchiveIterator as FastIterator, WarcRecordType
from warcio.archiveiterator import ArchiveIterator as WarcioIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

POOL = Path(__file__).resolve().parents[1].parent / "shared" / "realnews" / "pool" / "html"


def build(path: Path) -> int:
    """Write the WARC; the number of pages in it."""
    pages = sorted(POOL.glob("*.html*"))
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for number, page in enumerate(pages):
            data = gzip.decompress(page.read_bytes()) if page.name.endswith(".gz") else page.read_bytes()
            uri = f"https://example.org/{number}"
            writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(data),
                                                          http_headers=headers))
    return len(pages)


def read_warcio(path: Path) -> int:
    total = 0
    with open(path, "rb") as handle:
        for record in WarcioIterator(handle):
            if record.rec_type == "response":
                record.rec_headers.get_header("WARC-Target-URI")
                total += len(record.content_stream().read())
    return total


def read_fastwarc(path: Path) -> int:
    total = 0
    with open(path, "rb") as handle:
        for record in FastIterator(handle, parse_http=True):
            if record.record_type == WarcRecordType.response:
                record.headers.get("WARC-Target-URI")
                total += len(record.reader.read())
    return total


def best(reader, path: Path, repeats: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        size = reader(path)
        times.append(time.perf_counter() - start)
    return min(times), size


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pool.warc.gz"
        pages = build(path)
        print(f"{path.name}: {pages} pages, {path.stat().st_size / 1e6:.1f} MB gzipped")
        results = {name: best(reader, path, repeats) for name, reader in
                   (("warcio", read_warcio), ("fastwarc", read_fastwarc))}
    for name, (seconds, size) in results.items():
        print(f"{name:9s} {seconds:6.2f} s  {size / 1e6 / seconds:7.1f} MB/s of payload")
    print(f"fastwarc is {results['warcio'][0] / results['fastwarc'][0]:.1f}x warcio")


if __name__ == "__main__":
    main()
