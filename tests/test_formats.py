"""Formats as plug-ins: a reader or a writer registered in one place gets the batch's claims,
resume and manifest without a line of the batch loop knowing it; the built-in ones are chosen there."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner

from cleaner import load_config
from cleaner.batch import readers, source, writers
from cleaner.batch.readers import Reader, read_items, reader_for
from cleaner.batch.readers.files import FileReader
from cleaner.batch.readers.jsonl import JsonlReader
from cleaner.batch.readers.stdin import StdinReader
from cleaner.batch.readers.warc import WarcReader
from cleaner.batch.run import Batch
from cleaner.batch.source import Item, Job
from cleaner.batch.workers import Cleaned
from cleaner.batch.writers import Entry, Options, Writer, writer_for
from cleaner.batch.writers.jsonl import JsonlStream
from cleaner.batch.writers.parquet import ParquetShards
from cleaner.batch.writers.shards import JsonlShards
from cleaner.batch.writers.stdout import JsonlStdout, TextStdout
from cleaner.batch.writers.textfiles import TextFiles
from cleaner.cli import main
from conftest import FIXTURES

SEED = FIXTURES / "seed-000" / "input.txt"


class UpperFiles(Writer):
    """A toy format: each text upper-cased in ``OUTDIR/ID.up``."""

    name = "upper"

    @classmethod
    def accepts(cls, options: Options) -> bool:
        return options.fmt == "upper" and options.outdir is not None

    def up_to_date(self, entry: Entry) -> bool:
        return self.current(entry) and (self.outdir / entry.previous["output"]).is_file()

    def write(self, item: Item, cleaned: Cleaned) -> dict[str, Any]:
        target = self.outdir / f"{item.id}.up"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((cleaned.text or "").upper(), encoding="utf-8")
        return {"output": target.name}


class LinesReader(Reader):
    """A toy format: a ``.lines`` file holds one document per line, ``id<TAB>text``."""

    name = "lines"
    many = True

    @classmethod
    def accepts(cls, path: Path) -> bool:
        return path.name.endswith(".lines")

    def read(self, job: Job) -> Iterator[Item]:
        for line in job.source.read_bytes().splitlines():
            id, _, text = line.decode().partition("\t")
            yield Item(f"{job.source}:{id}", id, data=text + "\n",
                       input_sha256=hashlib.sha256(line).hexdigest())


@pytest.fixture
def toys(monkeypatch):
    monkeypatch.setattr(writers, "WRITERS", [UpperFiles, *writers.WRITERS])
    monkeypatch.setattr(readers, "READERS", [LinesReader, *readers.READERS])


def _items(*paths: Path, include: tuple[str, ...] = source.DEFAULT_INCLUDE):
    return read_items(source.discover(paths, include))


def _manifest(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "manifest.jsonl").read_text().splitlines()]


def test_a_registered_writer_gets_resume_and_the_manifest(toys, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(SEED.read_bytes())
    (src / "b.txt").write_text("Un texte (nouvelle fenêtre) .\n", encoding="utf-8")
    out = tmp_path / "out"
    config = load_config(start=Path("/"))
    first = Batch(config, Options(out, "upper")).run(_items(src))
    assert (first.cleaned, first.up_to_date) == (2, 0)
    assert (out / "b.up").read_text(encoding="utf-8") == "UN TEXTE.\n"
    records = _manifest(out)
    assert [r["output"] for r in records] == ["a.up", "b.up"] and all(r["error"] is None for r in records)
    again = Batch(config, Options(out, "upper")).run(_items(src))
    assert (again.cleaned, again.up_to_date) == (0, 2)
    assert _manifest(out) == records
    (src / "b.txt").write_text("Autre texte.\n", encoding="utf-8")
    changed = Batch(config, Options(out, "upper")).run(_items(src))
    assert (changed.cleaned, changed.up_to_date) == (1, 1)


def test_a_registered_reader_is_chosen_by_its_path_and_resumes(toys, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "docs.lines").write_text("one\tUn texte (nouvelle fenêtre) .\ntwo\tDeux.\n", encoding="utf-8")
    assert reader_for(src / "docs.lines") is LinesReader
    out = tmp_path / "out"
    config = load_config(start=Path("/"))
    summary = Batch(config, Options(out)).run(_items(src, include=("*.lines",)))
    assert summary.cleaned == 2 and (out / "one.txt").read_text(encoding="utf-8") == "Un texte.\n"
    assert [r["source"] for r in _manifest(out)] == [f"{src}/docs.lines:one", f"{src}/docs.lines:two"]
    again = Batch(config, Options(out)).run(_items(src, include=("*.lines",)))
    assert (again.cleaned, again.up_to_date) == (0, 2)


def test_the_registries_choose_the_built_in_formats(tmp_path):
    assert writers.formats() == ["text", "jsonl", "parquet"]
    chosen = {(fmt, out, size): writer_for(Options(tmp_path if out else None, fmt, size))
              for fmt in ("text", "jsonl") for out in (False, True) for size in (0, 5)}
    assert chosen[("text", True, 0)] is chosen[("text", True, 5)] is TextFiles
    assert chosen[("text", False, 0)] is TextStdout and chosen[("jsonl", False, 5)] is JsonlStdout
    assert chosen[("jsonl", True, 0)] is JsonlStream and chosen[("jsonl", True, 5)] is JsonlShards
    assert reader_for(Path("-")) is StdinReader
    assert reader_for(Path("a.jsonl.gz")) is reader_for(Path("a.ndjson")) is JsonlReader
    assert reader_for(Path("a.html.gz")) is FileReader
    assert writer_for(Options(tmp_path, "parquet")) is writer_for(Options(tmp_path, "parquet", 5)) is ParquetShards
    assert reader_for(Path("a.warc.gz")) is reader_for(Path("a.arc")) is reader_for(Path("a.warc.wet.gz")) is WarcReader


def test_stdin_through_the_batch_keeps_its_error_line_and_exit_code(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    for fmt in ("text", "jsonl"):
        result = CliRunner().invoke(main, ["clean", "-", "--format", fmt, "-v"], input=png,
                                    catch_exceptions=False)
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr == "error: <stdin>: binary data, not text (a PNG image)\n"
    ignored = tmp_path / "out"  # '-' writes stdout, as it always did, whatever -o says
    ok = CliRunner().invoke(main, ["clean", "-", "-v", "-o", str(ignored)], input=SEED.read_bytes(),
                            catch_exceptions=False)
    assert ok.exit_code == 0 and ok.stderr == "" and not ignored.exists()
    assert ok.stdout == (FIXTURES / "seed-000" / "expected.txt").read_text(encoding="utf-8")


def _mixed_batch(tmp_path: Path) -> list[Path]:
    """A text file, then an HTML page, then a text file, one a shard (each shard alone would
    give its own schema), cleaned to JSONL; the shards."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(SEED.read_bytes())
    (src / "b.html").write_bytes((FIXTURES / "html-en-br-wraps-rejoined" / "input.html").read_bytes())
    (src / "c.txt").write_bytes((FIXTURES / "site-en-wire-agency" / "input.txt").read_bytes())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["clean", str(src), "-o", str(out), "--format", "jsonl",
                                       "--shard-size", "1", "-j", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return sorted(out.glob("documents-*.jsonl"))


def test_every_record_of_a_mixed_batch_has_the_same_metadata_keys(tmp_path):
    records = [json.loads(line) for shard in _mixed_batch(tmp_path) for line in shard.read_text().splitlines()]
    assert len(records) == 3
    keys = [list(record["metadata"]) for record in records]
    assert keys[0] == keys[1] == keys[2]
    assert records[0]["metadata"]["title"] == "" and records[1]["metadata"]["title"]
    assert all(value is not None for record in records for value in record["metadata"].values())


def test_the_shards_of_a_mixed_batch_load_in_hf_datasets_and_datatrove(tmp_path):
    shards = _mixed_batch(tmp_path)
    import datasets  # the test extra has both
    from datatrove.pipeline.readers.jsonl import JsonlReader

    loaded = datasets.load_dataset("json", data_files=[str(p) for p in shards], split="train",
                                   cache_dir=str(tmp_path / "hf-cache"))
    assert loaded.num_rows == 3 and loaded[0]["metadata"]["title"] == "" and loaded[1]["metadata"]["title"]
    documents = list(JsonlReader(str(shards[0].parent), glob_pattern="documents-*.jsonl").run())
    assert [(d.id, d.text) for d in documents] == [(r["id"], r["text"]) for r in loaded]
    assert [d.metadata["language"] for d in documents] == [r["metadata"]["language"] for r in loaded] == ["fr", "en", "en"]
    assert documents[1].metadata["extraction"] and documents[0].metadata["extraction"] == ""
