"""The cleaner inside datatrove and Hugging Face datasets pipelines, and what they read of our
Parquet output: each gives the texts ``cleaner clean`` gives. (Both libraries are slow to
import: one test each.)"""
from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from cleaner import load_config
from cleaner.batch import source
from cleaner.batch.readers import read_items
from cleaner.batch.run import Batch
from cleaner.batch.writers import Options
from conftest import FIXTURES

CONFIG = load_config(start=Path("/"))
INPUTS = [*sorted(FIXTURES.glob("html-*/input.html"))[:2], *sorted(FIXTURES.glob("site-*/input.txt"))[:3]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """``in/docs.jsonl``: fixture pages and texts as records, and one left empty by cleaning;
    beside it, what ``cleaner clean`` makes of it as JSONL (``jsonl/``) and Parquet (``parquet/``)."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "in").mkdir()
    records = [{"id": f"doc-{n}", "text": path.read_text(encoding="utf-8")} for n, path in enumerate(INPUTS)]
    records.append({"id": "blank", "text": " \n\t\n"})
    (root / "in" / "docs.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                            encoding="utf-8")
    for fmt in ("jsonl", "parquet"):
        items = read_items(source.discover([root / "in" / "docs.jsonl"]), skipped=Counter())
        assert Batch(CONFIG, Options(root / fmt, fmt, 0)).run(items).cleaned == len(records)
    return root


def _cleaned(corpus: Path) -> list[dict]:
    path = corpus / "jsonl" / "documents.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_datatrove_runs_the_step_between_its_jsonl_reader_and_writer_and_reads_our_parquet(corpus, tmp_path):
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader, ParquetReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.integrations.datatrove import CleanStep

    executor = LocalPipelineExecutor(
        [JsonlReader(str(corpus / "in")), CleanStep(CONFIG), JsonlWriter(str(tmp_path / "out"))],
        tasks=1, logging_dir=str(tmp_path / "logs"))
    executor.run()
    with gzip.open(tmp_path / "out" / "00000.jsonl.gz", "rt", encoding="utf-8") as handle:
        written = [json.loads(line) for line in handle]
    expected = [r for r in _cleaned(corpus) if r["text"].strip()]
    assert len(expected) == len(INPUTS)  # the blank document is left empty by cleaning
    assert [(d["id"], d["text"]) for d in written] == [(r["id"], r["text"]) for r in expected]
    for doc, record in zip(written, expected):
        assert doc["metadata"]["language"] == record["metadata"]["language"]
        assert doc["metadata"]["language_score"] == record["metadata"]["language_score"]
        assert isinstance(doc["metadata"]["cleaner_rules"], dict)
    assert any(doc["metadata"]["cleaner_rules"] for doc in written)
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    step = next(s for s in stats if "article-cleaner" in s["name"])
    assert step["stats"]["dropped_empty"] == 1 and step["stats"]["cleaned"] == len(INPUTS)

    parquet = list(ParquetReader(str(corpus / "parquet"), glob_pattern="*.parquet").run())
    assert [(d.id, d.text) for d in parquet] == [(r["id"], r["text"]) for r in expected]  # no empty text
    assert parquet[0].metadata["language"] == expected[0]["metadata"]["language"]


def test_a_datasets_map_with_two_processes_gives_what_cleaner_clean_gives(corpus):
    datasets = pytest.importorskip("datasets")
    from cleaner.integrations.datasets import CleanMap

    records = [json.loads(line) for line in (corpus / "in" / "docs.jsonl").read_text(encoding="utf-8").splitlines()]
    dataset = datasets.Dataset.from_list(records)
    mapped = dataset.map(CleanMap(CONFIG), batched=True, batch_size=2, num_proc=2)
    expected = _cleaned(corpus)
    assert mapped["text"] == [r["text"] for r in expected]
    assert mapped["language"] == [r["metadata"]["language"] for r in expected]
    assert mapped["language_score"] == [r["metadata"]["language_score"] for r in expected]
    assert mapped["cleaner_error"] == [None] * len(expected)

    loaded = datasets.load_dataset("parquet", data_files=str(corpus / "parquet" / "*.parquet"), split="train",
                                   cache_dir=str(corpus / "hf-cache"))
    assert loaded["text"] == [r["text"] for r in expected]
    assert [m["language"] for m in loaded["metadata"]] == [r["metadata"]["language"] for r in expected]
