"""Dask: the cleaner over a ``dask.bag`` of documents (``pip install 'article-cleaner[dask]'``).

``cleaner clean ... --scheduler tcp://HOST:PORT`` runs the usual batch with its workers on a
cluster (see :mod:`cleaner.batch.workers`); :func:`clean_bag` is for pipelines already in Dask.
"""
from __future__ import annotations

from typing import Any, Iterable

from cleaner.config import Config, load_config
from cleaner.batch.source import Item
from cleaner.batch.workers import Cleaned, clean_chunk


def clean_bag(bag: Any, config: Config | None = None, errors: str = "drop") -> Any:
    """Map the cleaner over ``bag``, whose elements are ``{"id", "text", ...}`` dicts (other keys
    and a ``metadata`` dict go to the metadata), or plain text or bytes. Gives a bag of
    ``{"id", "text", "metadata"}`` records, the shape datatrove and HF datasets read.

    A document that cannot be cleaned is dropped (``errors="drop"``), or kept as
    ``{"id", "text": None, "metadata": {"error": REASON}}`` (``errors="keep"``). Each worker
    process builds its cleaner once.
    """
    if errors not in ("drop", "keep"):
        raise ValueError("errors must be 'drop' or 'keep'")
    config = config or load_config()
    return bag.map_partitions(_clean_partition, config.fingerprint(), config, errors == "keep")


def _clean_partition(elements: Iterable[Any], key: str, config: Config, keep: bool) -> list[dict]:
    items = [_item(element, index) for index, element in enumerate(elements)]
    good = iter(clean_chunk(key, config, [item for item in items if item.error is None]))
    records = []
    for item in items:
        cleaned = Cleaned(error=item.error) if item.error else next(good)
        if cleaned.error is None:
            records.append({"id": item.id, "text": cleaned.text, "metadata": cleaned.metadata})
        elif keep:
            records.append({"id": item.id, "text": None, "metadata": {"error": cleaned.error}})
    return records


def _item(element: Any, index: int) -> Item:
    if isinstance(element, (str, bytes)):
        return Item(source=f"<bag>:{index}", id=str(index), data=element)
    record = dict(element)
    id = str(record.pop("id", index))
    text = record.pop("text", None)
    metadata = record.pop("metadata", None)
    item = Item(source=id, id=id, data=text, metadata={**record, **(metadata or {})})
    if not isinstance(text, (str, bytes)):
        item.error = f"{id}: no text"
    return item
