"""Corpus formats: web archives in (WARC, ARC, WET), Parquet out. The archives are built at run
time with warcio from the project's own fixtures (invented pages and texts)."""
from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest

from cleaner import load_config
from cleaner.batch import source, workers
from cleaner.batch.readers import read_items, reader_for
from cleaner.batch.readers.files import read_file
from cleaner.batch.readers.warc import WarcReader
from cleaner.batch.run import Batch
from cleaner.batch.source import Item, Job
from cleaner.batch.writers import Options
from conftest import FIXTURES

warcio = pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

PAGES = sorted(FIXTURES.glob("html-*/input.html"))[:3]
TEXTS = sorted(FIXTURES.glob("site-*/input.txt"))[:3]
CONFIG = load_config(start=Path("/"))


def _response(writer: WARCWriter, uri: str, body: bytes, status: str = "200 OK",
              content_type: str = "text/html; charset=utf-8") -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                  http_headers=headers))


def build_warc(path: Path, pages: list[Path] = PAGES) -> None:
    """A crawl as a crawler writes it: warcinfo, then a request and a response per page, plus a
    redirect and an image that are not documents."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for number, page in enumerate(pages):
            uri = f"https://news.example/{number}.html"
            writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            _response(writer, uri, page.read_bytes())
        _response(writer, "https://news.example/moved", b"", status="301 Moved Permanently")
        _response(writer, "https://news.example/a.png", b"\x89PNG\r\n", content_type="image/png")


def build_wet(path: Path, texts: list[Path] = TEXTS) -> None:
    """A WET file: warcinfo, then one conversion record (a whole page's text) per text."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for number, text in enumerate(texts):
            writer.write_record(writer.create_warc_record(
                f"https://news.example/{number}", "conversion", payload=io.BytesIO(text.read_bytes()),
                warc_content_type="text/plain"))


def build_arc(path: Path, page: Path) -> None:
    """An ARC v1 file (no library writes them): the file header record, then one response."""
    body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page.read_bytes()
    version = b"1 0 test\nURL IP-address Archive-date Content-type Archive-length\n"
    header = b"filedesc://" + path.name.encode() + b" 0.0.0.0 20240101000000 text/plain %d\n" % len(version)
    record = b"https://news.example/arc.html 192.0.2.1 20240102030405 text/html %d\n" % len(body)
    path.write_bytes(header + version + b"\n" + record + body + b"\n")


def _run(inputs: list[Path], out: Path, fmt: str = "jsonl", shard_size: int = 0):
    skipped: Counter = Counter()
    items = read_items(source.discover(inputs), skipped=skipped)
    summary = Batch(CONFIG, Options(out, fmt, shard_size)).run(items)
    summary.skipped = skipped
    return summary


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def from_files() -> dict[str, str]:
    """What the batch makes of the fixture pages and texts read as files."""
    cleaner = workers._cleaner(CONFIG.fingerprint(), CONFIG)
    return {str(path): workers.clean_item(read_file(Job(path, Path(path.name)), 1 << 20), cleaner).text
            for path in (*PAGES, *TEXTS)}


def test_a_warc_gives_its_html_responses_with_their_record_metadata_and_counts_the_rest(tmp_path, from_files):
    crawl = tmp_path / "crawl.warc.gz"
    build_warc(crawl)
    assert reader_for(crawl) is WarcReader
    out = tmp_path / "out"
    summary = _run([crawl], out)
    assert (summary.cleaned, summary.failed) == (len(PAGES), 0)
    assert summary.skipped == {"warcinfo": 1, "request": len(PAGES), "response 301": 1, "response not HTML": 1}
    assert "skipped 6 record(s) that are not documents" in summary.lines()[1]
    records = _records(out / "documents.jsonl")
    assert [r["text"] for r in records] == [from_files[str(page)] for page in PAGES]
    assert [r["metadata"]["url"] for r in records] == [f"https://news.example/{n}.html" for n in range(len(PAGES))]
    first = records[0]
    assert first["id"] == "crawl/3"  # record 3: after the warcinfo and the first request
    assert first["metadata"]["warc_record_id"].startswith("<urn:uuid:")
    assert first["metadata"]["fetch_date"].endswith("Z")
    assert [r["source"] for r in _records(out / "manifest.jsonl")] == [f"{crawl}:{n}" for n in (3, 5, 7)]


def test_a_warc_resumes_on_records(tmp_path):
    crawl = tmp_path / "crawl.warc"
    build_warc(crawl)
    out = tmp_path / "out"
    _run([crawl], out, shard_size=1)
    again = _run([crawl], out, shard_size=1)
    assert (again.cleaned, again.up_to_date) == (0, len(PAGES))
    build_warc(crawl, [PAGES[0], PAGES[2], PAGES[2]])  # record 5 now holds another page
    changed = _run([crawl], out, shard_size=1)
    assert (changed.cleaned, changed.up_to_date) == (3, 0)  # new record ids: every record is new


def test_a_wet_file_gives_one_text_document_per_conversion_record(tmp_path):
    wet = tmp_path / "crawl.warc.wet.gz"
    build_wet(wet)
    out = tmp_path / "out"
    summary = _run([wet], out)
    assert (summary.cleaned, summary.skipped) == (len(TEXTS), {"warcinfo": 1})
    records = _records(out / "documents.jsonl")
    assert records[0]["metadata"]["url"] == "https://news.example/0"
    cleaner = workers._cleaner(CONFIG.fingerprint(), CONFIG)  # the url known: no other site's rules
    assert [r["text"] for r in records] == [
        workers.clean_item(Item(str(text), "x", text.read_bytes(), {"url": f"https://news.example/{n}"}), cleaner).text
        for n, text in enumerate(TEXTS)]


def test_an_arc_file_is_read_too(tmp_path, from_files):
    arc = tmp_path / "old.arc"
    build_arc(arc, PAGES[0])
    out = tmp_path / "out"
    summary = _run([arc], out)
    assert (summary.cleaned, summary.failed, summary.skipped) == (1, 0, {"warcinfo": 1})
    record = _records(out / "documents.jsonl")[0]
    assert record["text"] == from_files[str(PAGES[0])]
    assert record["metadata"]["fetch_date"].startswith("2024-01-02T03:04:05")


def test_a_broken_archive_is_one_error_and_the_batch_goes_on(tmp_path):
    crawl = tmp_path / "crawl.warc.gz"
    build_warc(crawl, PAGES[:1])
    data = crawl.read_bytes()
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(data[: len(data) // 2])
    out = tmp_path / "out"
    summary = _run([broken, crawl], out)
    assert (summary.cleaned, summary.failed) == (1, 1)
    errors = [r["error"] for r in _records(out / "manifest.jsonl") if r["error"]]
    assert len(errors) == 1 and errors[0].startswith(f"{broken}:") and "cannot read the archive" in errors[0]
    assert "\n" not in errors[0]


def test_a_record_over_the_size_limit_is_refused(tmp_path):
    crawl = tmp_path / "crawl.warc.gz"
    build_warc(crawl, PAGES[:1])
    items = list(read_items(source.discover([crawl]), max_bytes=100))
    assert len(items) == 1 and items[0].error == f"{crawl}:3: record too large (limit 100 bytes), not read"


# --- Parquet out ------------------------------------------------------------------------------

def _jsonl_input(path: Path) -> Path:
    """Texts and pages in a JSONL file, one record with an extra field (kept in ``other``)."""
    records = [{"id": f"page-{n}", "text": page.read_text(encoding="utf-8")} for n, page in enumerate(PAGES[:2])]
    records += [{"id": f"text-{n}", "text": text.read_text(encoding="utf-8")} for n, text in enumerate(TEXTS[:2])]
    records[-1]["source_name"] = "wire"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_parquet_shards_have_one_schema_zstd_and_the_jsonl_records(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    from cleaner.document import METADATA_KEYS
    inputs = _jsonl_input(tmp_path / "in.jsonl")
    summary = _run([inputs], tmp_path / "out", "parquet", shard_size=3)
    assert summary.cleaned == 4
    shards = sorted((tmp_path / "out").glob("*.parquet"))
    assert [s.name for s in shards] == ["documents-00000.parquet", "documents-00001.parquet"]
    tables = [pq.read_table(shard) for shard in shards]
    assert tables[0].schema == tables[1].schema  # the second shard holds a text only: same keys
    assert tables[0].schema.field("metadata").type.names == [*METADATA_KEYS, "other"]
    assert pq.ParquetFile(shards[0]).metadata.row_group(0).column(1).compression == "ZSTD"
    _run([inputs], tmp_path / "jsonl", "jsonl")
    expected = _records(tmp_path / "jsonl" / "documents.jsonl")
    rows = [row for table in tables for row in table.to_pylist()]
    assert [(r["id"], r["text"]) for r in rows] == [(r["id"], r["text"]) for r in expected]
    for row, record in zip(rows, expected):  # JSONL's empty value where Parquet has null
        assert {k: METADATA_KEYS[k] if v is None else v for k, v in row["metadata"].items() if k != "other"} == {
            k: v for k, v in record["metadata"].items() if k in METADATA_KEYS}
    assert rows[0]["metadata"]["title"] is not None and rows[3]["metadata"]["title"] is None
    assert json.loads(rows[3]["metadata"]["other"]) == {"source_name": "wire"}
    manifest = _records(tmp_path / "out" / "manifest.jsonl")
    assert [(m["output"], m["line"]) for m in manifest] == [
        ("documents-00000.parquet", 1), ("documents-00000.parquet", 2), ("documents-00000.parquet", 3),
        ("documents-00001.parquet", 1)]


def test_parquet_resumes_a_shard_at_a_time(tmp_path):
    pytest.importorskip("pyarrow")
    inputs = _jsonl_input(tmp_path / "in.jsonl")
    out = tmp_path / "out"
    _run([inputs], out, "parquet", shard_size=3)
    first = {p.name: p.read_bytes() for p in out.glob("*.parquet")}
    again = _run([inputs], out, "parquet", shard_size=3)
    assert (again.cleaned, again.up_to_date) == (0, 4)
    lines = inputs.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("wire", "agency")  # the last input, alone in the second shard
    inputs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed = _run([inputs], out, "parquet", shard_size=3)
    assert (changed.cleaned, changed.up_to_date) == (1, 3)
    assert (out / "documents-00000.parquet").read_bytes() == first["documents-00000.parquet"]
    assert (out / "documents-00001.parquet").read_bytes() != first["documents-00001.parquet"]
