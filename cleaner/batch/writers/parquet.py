"""``--format parquet -o OUTDIR``: ``documents-00000.parquet``, … (pyarrow, zstd), one schema for
every record of every run: ``id``, ``text`` and ``metadata``, a struct holding every key of
:data:`cleaner.document.METADATA_KEYS` (null where unknown) plus ``other``. Shards are cut as
JSONL shards are (``--shard-size`` inputs, or when their inputs reach 64 MB; a shard size of 0
sets no number) and resume the same way, a shard at a time (:class:`JsonlShards`)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cleaner.batch.atomic import AtomicLines, Durability
from cleaner.batch.source import Item
from cleaner.batch.workers import Cleaned
from cleaner.batch.writers.base import Options
from cleaner.batch.writers.shards import JsonlShards
from cleaner.document import METADATA_KEYS

ROWS_PER_GROUP = 1000  # rows buffered before a row group is written: memory stays bounded
OTHER = "other"  # the keys not listed, as a JSON object (sorted keys), or null


def fixed_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """``metadata`` with every key of :data:`METADATA_KEYS` (None where absent, values of the
    wrong type made to fit) and the rest in ``other``.

    >>> fixed_metadata({"language": "fr", "language_score": 1, "source": "a"})["other"]
    '{"source":"a"}'
    """
    fixed: dict[str, Any] = {key: _as(type(unknown), metadata.get(key)) for key, unknown in METADATA_KEYS.items()}
    rest = {key: value for key, value in metadata.items() if key not in METADATA_KEYS}
    fixed[OTHER] = json.dumps(rest, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                              default=str) if rest else None
    return fixed


def _as(kind: type, value: Any) -> Any:
    if value is None or isinstance(value, kind) and not isinstance(value, bool):
        return value
    if kind is float:
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)



def schema() -> Any:
    """The Arrow schema of every record."""
    import pyarrow as pa

    types = {str: pa.string(), float: pa.float64()}
    fields = [pa.field(key, types[type(unknown)]) for key, unknown in METADATA_KEYS.items()]
    return pa.schema([("id", pa.string()), ("text", pa.string()),
                      ("metadata", pa.struct([*fields, pa.field(OTHER, pa.string())]))])


class AtomicParquet(AtomicLines):
    """A Parquet file written a row group at a time to a temporary file, renamed into place by
    :meth:`commit` (an :class:`AtomicLines` whose lines are rows)."""

    def __init__(self, path: Path, tmpdir: Path | None, durability: Durability | None = None,
                 compression: str = "zstd"):
        import pyarrow.parquet as pq

        super().__init__(path, tmpdir, durability)
        self._schema = schema()
        self._writer = pq.ParquetWriter(self._raw, self._schema, compression=compression)
        self._rows: list[dict[str, Any]] = []

    def write(self, record: dict[str, Any]) -> None:
        self._rows.append({**record, "metadata": fixed_metadata(record["metadata"])})
        self.lines += 1
        if len(self._rows) >= ROWS_PER_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._rows:
            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self._schema))
            self._rows = []

    def _close(self, sync: bool = False) -> None:
        """On commit the rows left and the footer, then the file; on discard whatever state the
        Parquet writer is in, the file is dropped."""
        try:
            if sync:
                self._flush()
            self._writer.close()
        except Exception:  # noqa: BLE001 - only a commit must not go past a failed write
            if sync:
                raise
        super()._close(sync)


class ParquetShards(JsonlShards):
    """Records in Parquet shards, each committed when its last input is written."""

    name = "parquet"

    def __init__(self, *args: Any, **kwargs: Any):
        try:
            import pyarrow.parquet  # noqa: F401
        except ImportError:
            from cleaner.errors import OutputError
            raise OutputError("--format parquet needs pyarrow (pip install 'article-cleaner[parquet]')",
                              str(args[0].outdir)) from None
        super().__init__(*args, **kwargs)

    @classmethod
    def accepts(cls, options: Options) -> bool:
        return options.fmt == "parquet" and options.outdir is not None

    def shard_name(self, index: int) -> str:
        """``documents-00003.parquet``."""
        return f"documents-{index:05d}.parquet"

    def open_shard(self, path: Path) -> AtomicParquet:
        return AtomicParquet(path, self.tmpdir, self.durability)

    def record(self, item: Item, cleaned: Cleaned) -> dict[str, Any]:
        """The record as the pipeline left it: unknown keys become nulls, not JSONL's empty values."""
        return {"id": item.id, "text": cleaned.text or "", "metadata": cleaned.metadata}
