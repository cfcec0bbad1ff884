"""Batch cleaning of files: discovery, worker processes, one outcome per input, in input order."""
from __future__ import annotations

import hashlib
import multiprocessing
import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from .config import Config
from .errors import CleanerError
from .pipeline import Cleaner
from .source import Job


@dataclass
class Outcome:
    """What became of one input; ``error`` is a one-line reason, or None when it was cleaned."""

    source: str
    output: str | None
    text: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    rules: dict[str, int] = field(default_factory=dict)
    input_sha256: str | None = None
    error: str | None = None

    def manifest_record(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "output": self.output,
            "input_sha256": self.input_sha256,
            "metadata": self.metadata,
            "rules": self.rules,
            "error": self.error,
        }


_worker: Cleaner | None = None


def _init_worker(config: Config) -> None:
    global _worker
    _worker = Cleaner(config)


def clean_job(job: Job, cleaner: Cleaner | None = None) -> Outcome:
    """Read and clean one file. Any problem becomes ``Outcome.error``; nothing is raised."""
    cleaner = cleaner or _worker
    assert cleaner is not None
    outcome = Outcome(source=str(job.source), output=str(job.output))
    try:
        data = job.source.read_bytes()
    except OSError as exc:
        outcome.error = f"{job.source}: cannot read ({exc.strerror or exc})"
        return outcome
    outcome.input_sha256 = hashlib.sha256(data).hexdigest()
    try:
        doc = cleaner.clean(data, id=job.output.with_suffix("").as_posix(), path=str(job.source))
    except CleanerError as exc:
        outcome.error = str(exc)
        return outcome
    outcome.text, outcome.metadata, outcome.rules = doc.text, doc.metadata, doc.rule_hits()
    return outcome


def run(jobs: Iterable[Job], config: Config, processes: int = 1) -> Iterator[Outcome]:
    """Clean every job, yielding outcomes in input order as they complete."""
    if processes <= 1:
        cleaner = Cleaner(config)
        for job in jobs:
            yield clean_job(job, cleaner)
        return
    Cleaner(config)  # fail fast, in this process, on a bad rule pack or config
    context = multiprocessing.get_context("spawn" if os.name == "nt" else "forkserver")
    with context.Pool(processes, initializer=_init_worker, initargs=(config,)) as pool:
        yield from pool.imap(clean_job, jobs, chunksize=8)
