"""The batch's memory, on disk so that it does not grow in RAM and survives a kill.

``OUTDIR/.cleaner/journal.sqlite`` keeps, for every finished input, the manifest record it
produced (with its input hash and config fingerprint): a re-run skips what is up to date and a
run killed at any moment resumes from there. SQLite commits are atomic, so a kill leaves the
journal as of its last commit. Per run it also keeps which ids and files were claimed, to report
two inputs that map to one output and to clean a file given twice only once. A writer that writes
whole files of many documents (a JSONL stream, shards) records each one it wrote or kept, with a
signature of its own, so that a re-run can tell whether a file is still the one it wrote, and
removes the files of earlier runs it did not write again. It also keeps the paths each run was
given, so that a run over other inputs is refused rather than dropping an earlier run's output.
"""
from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable, Iterator

from cleaner.batch.atomic import Durability

# ``shards`` holds every output file a writer records (a JSONL stream too): the name it had
# when only shards were recorded, kept so that journals of earlier versions still resume.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS done (source TEXT PRIMARY KEY, run INTEGER, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shards (name TEXT PRIMARY KEY, run INTEGER, members TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (run INTEGER PRIMARY KEY, finished INTEGER);
CREATE TABLE IF NOT EXISTS inputs (run INTEGER, path TEXT, PRIMARY KEY (run, path));
CREATE TEMP TABLE ids (id TEXT PRIMARY KEY, source TEXT);
CREATE TEMP TABLE files (identity TEXT PRIMARY KEY, source TEXT);
"""
_KEYS = {"ids": "id", "files": "identity"}  # the claim tables of a run and their key columns
_COMMIT_EVERY = 0.2  # seconds: a kill costs at most this much finished work, redone on re-run


class Journal:
    """The state of a batch run; ``path`` None keeps it in a temporary file (nothing to resume)."""

    def __init__(self, path: Path | None, durability: Durability | None = None):
        self.durability = durability or Durability()
        self._tmp = tempfile.TemporaryDirectory(prefix="cleaner-") if path is None else None
        self.path = Path(self._tmp.name) / "journal.sqlite" if self._tmp else path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(f"PRAGMA synchronous={'FULL' if self.durability.enabled else 'NORMAL'}")
        self.db.executescript(_SCHEMA)
        self.db.execute("BEGIN")
        self.run = self.db.execute("INSERT INTO runs (finished) VALUES (0)").lastrowid
        self._committed = time.monotonic()

    def lookup(self, source: str) -> dict[str, Any] | None:
        """The manifest record of ``source`` from an earlier (or this) run, if any."""
        row = self.db.execute("SELECT record FROM done WHERE source = ?", (source,)).fetchone()
        return json.loads(row[0]) if row else None

    def lookup_with_run(self, source: str) -> tuple[dict[str, Any], int] | None:
        """The manifest record of ``source`` and the run that wrote or last kept it."""
        row = self.db.execute("SELECT record, run FROM done WHERE source = ?", (source,)).fetchone()
        return (json.loads(row[0]), row[1]) if row else None

    def keep(self, source: str) -> None:
        """Mark ``source``'s record as still current in this run."""
        self.db.execute("UPDATE done SET run = ? WHERE source = ?", (self.run, source))
        self._tick()

    def record(self, source: str, record: dict[str, Any]) -> None:
        self.db.execute("INSERT OR REPLACE INTO done VALUES (?, ?, ?)",
                        (source, self.run, json.dumps(record, ensure_ascii=False)))
        self._tick()

    def output_signature(self, name: str) -> str | None:
        """The signature recorded with the output file ``name`` (relative to OUTDIR), if any."""
        row = self.db.execute("SELECT members FROM shards WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def record_output(self, name: str, signature: str) -> None:
        """This run wrote (or kept) the output file ``name``, whose state is ``signature``."""
        self.db.execute("INSERT OR REPLACE INTO shards VALUES (?, ?, ?)", (name, self.run, signature))
        self._tick()

    def claim_id(self, id: str, source: str) -> str | None:
        """Claim an output id for ``source``; returns the source that claimed it first, if another."""
        return self._claim("ids", id, source)

    def claim_file(self, identity: str, source: str) -> str | None:
        """Claim a file (``device:inode``); returns the source it was first read as, if any."""
        return self._claim("files", identity, source)

    def _claim(self, table: str, key: str, source: str) -> str | None:
        """``key`` for ``source`` in this run's ``table`` (``ids`` or ``files``), or who had it first."""
        row = self.db.execute(f"SELECT source FROM {table} WHERE {_KEYS[table]} = ?",  # noqa: S608 - fixed names
                              (key,)).fetchone()
        if row:
            return row[0]
        self.db.execute(f"INSERT INTO {table} VALUES (?, ?)", (key, source))  # noqa: S608
        return None

    def record_inputs(self, paths: Iterable[str]) -> None:
        """The paths (absolute) this run was given."""
        self.db.executemany("INSERT OR IGNORE INTO inputs VALUES (?, ?)", [(self.run, p) for p in paths])

    def earlier_inputs(self) -> tuple[set[str], int]:
        """The paths given to the earlier runs whose records are still here, and the number of
        those records (journals of versions that kept no paths give none)."""
        owners = "SELECT run FROM done WHERE run != ? UNION SELECT run FROM shards WHERE run != ?"
        paths = {row[0] for row in self.db.execute(f"SELECT path FROM inputs WHERE run IN ({owners})",  # noqa: S608
                                                   (self.run, self.run))}
        count = self.db.execute("SELECT count(*) FROM done WHERE run != ?", (self.run,)).fetchone()[0]
        return paths, count

    def stale_outputs(self) -> Iterator[str]:
        """Output files recorded by earlier runs that this run did not write or keep."""
        for (name,) in self.db.execute("SELECT name FROM shards WHERE run != ?", (self.run,)).fetchall():
            yield name

    def finish(self) -> None:
        """The run went through: forget inputs and output files it did not see, and commit."""
        self.db.execute("DELETE FROM done WHERE run != ?", (self.run,))
        self.db.execute("DELETE FROM shards WHERE run != ?", (self.run,))
        self.db.execute("DELETE FROM inputs WHERE run != ?", (self.run,))
        self.db.execute("UPDATE runs SET finished = 1 WHERE run = ?", (self.run,))
        self.commit()

    def commit(self) -> None:
        """Commit what is recorded, once the outputs recorded are on the disk (``--fsync``)."""
        self.durability.flush()
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")
        self._committed = time.monotonic()

    def close(self) -> None:
        """Commit what is done and close (after an interruption too)."""
        if self.db.in_transaction:
            self.durability.flush()
            self.db.execute("COMMIT")
        self.db.close()
        if self._tmp:
            self._tmp.cleanup()

    def _tick(self) -> None:
        if time.monotonic() - self._committed > _COMMIT_EVERY:
            self.commit()
