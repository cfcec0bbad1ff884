"""A Hugging Face ``datasets`` map function: ``CleanMap`` cleans a column as ``cleaner clean``
would and adds ``language`` and ``language_score`` columns.

    from datasets import load_dataset
    from cleaner.integrations.datasets import CleanMap

    ds = load_dataset("json", data_files="raw.jsonl", split="train")
    ds = ds.map(CleanMap(column="text"), batched=True, num_proc=4)

The cleaner is built once per process, on the first batch it sees (the ``CleanMap`` sent to each
worker carries only its configuration). A document the cleaner refuses gets ``None`` as its
text and language, and the reason in ``cleaner_error`` (None for the others).
"""
from __future__ import annotations

from typing import Any

from cleaner.config import Config
from cleaner.integrations import clean_text, process_cleaner


class CleanMap:
    """``Dataset.map(CleanMap(), batched=True)``: cleans ``column`` (text or HTML pages) in place."""

    def __init__(self, config: Config | None = None, column: str = "text", id_column: str | None = "id"):
        self.config, self.column, self.id_column = config, column, id_column

    def __call__(self, batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        cleaner = process_cleaner(self.config)
        texts, languages, scores, errors = [], [], [], []
        ids = batch.get(self.id_column) if self.id_column else None
        for number, text in enumerate(batch[self.column]):
            id = str(ids[number]) if ids is not None else ""
            cleaned, error = clean_text(cleaner, text or "", id)
            texts.append(cleaned.text if cleaned else None)
            languages.append(cleaned.language if cleaned else None)
            scores.append(cleaned.language_score if cleaned else None)
            errors.append(error)
        return {self.column: texts, "language": languages, "language_score": scores, "cleaner_error": errors}
