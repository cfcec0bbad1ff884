"""The metadata keys of a cleaned document, in one list: what a format with a fixed schema
(Parquet) gives every record, with null where a key is unknown.

The keys are those the pipeline sets (the input's encoding, the page's metadata and how its
text was extracted, the language) and those the web-archive reader sets. Any other key (the
fields of a JSONL input record, say) goes, as one JSON object, into ``other``.
"""
from __future__ import annotations

import json
from typing import Any

from cleaner.html.extract import METADATA_FIELDS

# key -> Python type of its values (str or float); the order is the schema's
METADATA_KEYS: dict[str, type] = {
    "language": str,
    "language_score": float,
    "encoding": str,
    "extraction": str,
    "declared_language": str,
    **{name: str for name in METADATA_FIELDS},  # the page's title, author, date, sitename, url, description
    "warc_record_id": str,
    "fetch_date": str,
}
OTHER = "other"  # the keys not listed, as a JSON object (sorted keys), or null


def fixed_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """``metadata`` with every key of :data:`METADATA_KEYS` (None where absent, values of the
    wrong type made to fit) and the rest in ``other``.

    >>> fixed_metadata({"language": "fr", "language_score": 1, "source": "a"})["other"]
    '{"source":"a"}'
    """
    fixed: dict[str, Any] = {key: _as(kind, metadata.get(key)) for key, kind in METADATA_KEYS.items()}
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
