"""The JSON schema of a YAML rule pack: the keys a pack and each of its rules may have.

The loader validates every pack with :data:`PACK_SCHEMA`; ``rules/schema.json`` is the same
schema published for editors (``cleaner rules schema`` prints it; a test checks the two agree).
"""
from __future__ import annotations

import json

from cleaner.rules.shapes import LISTS, REGEX_LISTS, SHAPE_KINDS

_PATTERN = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    ]
}
_WORDS = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
_REGEXES = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1,
            "description": "regular expressions (Python syntax, case-insensitive), searched in each line"}
_LIST_DOC = {
    "labels": "labels that open the shape, matched on whole words, case-insensitive",
    "words": "words and phrases the line may be made of",
    "phrases": "phrases that make a short line this shape wherever they are in it",
    "weak": "words that do not make an interface line on their own (and, of, x...)",
    "agencies": "agency and photo-library names that end a credit (\"… / AFP\")",
    "separators": "characters that separate the parts of a breadcrumb",
    "signatures": "words that make a name beside a date or a time a comment's signature (posted by, guest)",
}


def _shape(kind: str) -> dict:
    lists = {name: {**(_REGEXES if name in REGEX_LISTS else
                       {"type": "string", "minLength": 1} if name == "separators" else _WORDS),
                    **({"description": _LIST_DOC[name]} if name in _LIST_DOC else {})}
             for name in LISTS[kind]}
    return {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": lists}


_RULE = {
    "type": "object",
    "required": ["id", "description", "examples"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "description": {"type": "string", "minLength": 1},
        "enabled": {"type": "boolean"},
        "site": {"type": "string", "minLength": 1, "pattern": "^\\S(.*\\S)?$",
                 "description": "text rules: the rule runs only on documents of this site (address's host, "
                                "else site name, else folder of the file), when it is known"},
        "ignore-case": {"type": "boolean"},
        "delete": _PATTERN,
        "replace": _PATTERN,
        "with": {"type": "string"},
        "drop-line": _PATTERN,
        "remove-element": _PATTERN,
        "remove-xpath": _PATTERN,
        "max-chars": {"type": "integer", "minimum": 1},
        "max-text-share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        "min-link-density": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        "prose-guard": {"type": "boolean"},
        "max-run": {"type": "integer", "minimum": 1},
        "outside-article": {"type": "boolean"},
        "and-next": {"type": "integer", "minimum": 1},
        **{kind: _shape(kind) for kind in SHAPE_KINDS},
        "drop-block": {
            "type": "object",
            "required": ["from", "to"],
            "additionalProperties": False,
            "properties": {
                "from": _PATTERN,
                "to": _PATTERN,
                "max-lines": {"type": "integer", "minimum": 1},
            },
        },
        "examples": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["in", "out"],
                "additionalProperties": False,
                "properties": {"in": {"type": "string"}, "out": {"type": "string"}},
            },
        },
    },
    "dependentRequired": {"with": ["replace"], "replace": ["with"], "and-next": ["drop-line"]},
}
PACK_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://example.invalid/article-cleaner/rules/schema.json",
    "title": "article-cleaner rule pack",
    "type": "object",
    "required": ["pack", "description", "rules"],
    "additionalProperties": False,
    "properties": {
        "pack": {"type": "string", "pattern": "^[a-z0-9][a-z0-9/-]*$"},
        "description": {"type": "string", "minLength": 1},
        "language": {"type": "string", "pattern": "^[a-z]{2,3}$",
                     "description": "the pack's rules run only on documents in this language (ISO 639-1)"},
        "site": {"type": "string", "pattern": "^[a-z0-9.-]+\\.[a-z]+$",
                 "description": "the pack's text rules run only on pages of this site, when the page's "
                                "address or site name is known"},
        "stoplist": {"type": "string", "minLength": 1,
                     "description": "jusText stoplist of the language, for the line classifier"},
        "stopwords": {**_WORDS, "description": "stopwords for the line classifier (besides the stoplist)"},
        "rules": {"type": "array", "items": _RULE},
    },
}


def schema_json() -> str:
    """The schema as published in ``rules/schema.json``."""
    return json.dumps(PACK_SCHEMA, indent=2, ensure_ascii=False) + "\n"
