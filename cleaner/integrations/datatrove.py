"""A datatrove step: ``CleanStep`` cleans each ``Document``'s text (an HTML page is extracted
first) and drops the documents left empty; needs ``pip install 'article-cleaner[datatrove]'``.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanStep

    LocalPipelineExecutor([JsonlReader("raw/"), CleanStep(), JsonlWriter("clean/")], tasks=4).run()

Each kept document gets ``language``, ``language_score`` and ``cleaner_rules`` (hits per rule
id) in its metadata; the step's stats count ``cleaned``, ``dropped_empty``, ``dropped_error``
(a document the cleaner refuses) and datatrove's ``forwarded``/``dropped``.
"""
from __future__ import annotations

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.utils.typeshelper import StatHints

from cleaner.config import Config
from cleaner.integrations import clean_text, process_cleaner


class CleanStep(PipelineStep):
    """Clean every document with the configuration ``config`` (None: the one ``cleaner clean``
    would find from the current folder)."""

    name = "🧹 article-cleaner"
    type = "✂️ - CLEAN"

    def __init__(self, config: Config | None = None):
        super().__init__()
        self.config = config

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        cleaner = process_cleaner(self.config)
        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                cleaned, error = clean_text(cleaner, doc.text, str(doc.id), dict(doc.metadata))
            if cleaned is None or not cleaned.text.strip():
                self.stat_update("dropped_error" if cleaned is None else "dropped_empty", StatHints.dropped)
                continue
            doc.text = cleaned.text
            doc.metadata = {**cleaned.metadata, "cleaner_rules": cleaned.rule_hits()}
            self.stat_update("cleaned", StatHints.forwarded)
            yield doc

    def __repr__(self) -> str:
        return f"{self.type}: {self.name}"
