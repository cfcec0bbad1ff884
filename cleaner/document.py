"""The document that flows through the pipeline, and the record of each edit made to it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CONTEXT_CHARS = 40

# Every metadata key the pipeline may set, in the order records carry them, with the value a
# record holds when it is unknown: decoding, language, then an HTML page's fields (trafilatura's,
# and how the page was extracted). Each output record of a batch has all of them, so that readers
# that take one schema for a whole dataset (HF datasets, pyarrow, Parquet) load a batch mixing text
# files and pages. Unknown is a value of the key's type, not null: HF datasets takes the types of
# the first file it reads, and a key that was null in all of it (a shard of text files has no
# title) cannot hold a string in the next.
METADATA_KEYS: dict[str, Any] = {
    "encoding": "", "language": "und", "language_score": 0.0,
    "title": "", "author": "", "date": "", "sitename": "", "url": "", "description": "",
    "extraction": "", "declared_language": "",
    "warc_record_id": "", "fetch_date": "",  # a web archive's record (cleaner.batch.readers.warc)
}


def complete_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """``metadata`` with every key of :data:`METADATA_KEYS`, in that order (its unknown value
    where ``metadata`` lacks it or holds None), followed by its other keys (fields an input
    record brought along) as they are.

    >>> complete_metadata({"language": "fr", "title": None, "source": "crawl"})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'encoding': '', 'language': 'fr', 'language_score': 0.0, 'title': '', 'author': '', 'date': '',
     'sitename': '', 'url': '', 'description': '', 'extraction': '', 'declared_language': '',
     'warc_record_id': '', 'fetch_date': '', 'source': 'crawl'}
    """
    completed = {key: unknown if metadata.get(key) is None else metadata[key]
                 for key, unknown in METADATA_KEYS.items()}
    completed.update((key, value) for key, value in metadata.items() if key not in METADATA_KEYS)
    return completed


@dataclass(frozen=True)
class Edit:
    """One change made by one stage: which rule or repair, where, and what became what.

    ``line`` is 1-based in the text the stage received; ``left``/``right`` hold a little
    unchanged context around the span so the edit can be shown on its own.
    """

    stage: str
    rule: str
    line: int
    before: str
    after: str
    left: str = ""
    right: str = ""

    @classmethod
    def at(cls, stage: str, rule: str, text: str, start: int, end: int, after: str,
           line: int | None = None) -> "Edit":
        """Record that ``text[start:end]`` became ``after`` (``line``: its line, if known)."""
        return cls(
            stage=stage,
            rule=rule,
            line=text.count("\n", 0, start) + 1 if line is None else line,
            before=text[start:end],
            after=after,
            left=text[max(0, start - CONTEXT_CHARS):start],
            right=text[end:end + CONTEXT_CHARS],
        )


@dataclass
class Document:
    """Text plus metadata plus the log of edits; datatrove's ``id``/``text``/``metadata`` shape.

    What the HTML stages need travels with the document but is never serialised: ``path``
    (the input's name, for error messages), ``url`` (the page's address), ``html`` (the text is
    a page: the ``parse`` stage parses it) and ``tree`` (the parsed page, from ``parse`` until
    ``extract`` puts the article text in its place and clears it), and ``pruned`` (what the
``prune`` stage removed from it, which ``extract`` reads).
    """

    text: str
    id: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)
    path: str | None = field(default=None, compare=False)
    url: str | None = field(default=None, compare=False)
    html: bool = field(default=False, compare=False)
    page: bool = field(default=False, compare=False)  # the input was an HTML page (stays true after extract)
    tree: Any = field(default=None, repr=False, compare=False)
    pruned: Any = field(default=None, repr=False, compare=False)  # html.prune.Pruned, until extract

    @property
    def where(self) -> str:
        """The name errors give for this document: its path, else its id."""
        return self.path or self.id or "<bytes>"

    @property
    def language(self) -> str:
        return self.metadata.get("language", "und")

    @property
    def language_score(self) -> float:
        return self.metadata.get("language_score", 0.0)

    def rule_hits(self) -> dict[str, int]:
        """Number of edits per rule or repair id, sorted by id."""
        hits: dict[str, int] = {}
        for edit in self.edits:
            hits[edit.rule] = hits.get(edit.rule, 0) + 1
        return dict(sorted(hits.items()))

    def to_json(self) -> dict[str, Any]:
        """The datatrove / dolma / HF ``{"id", "text", "metadata"}`` record."""
        return {"id": self.id, "text": self.text, "metadata": self.metadata}
