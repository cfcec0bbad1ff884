"""The JSON schema of a YAML rule pack: the keys a pack and each of its rules may have."""
from __future__ import annotations

_PATTERN = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    ]
}
_RULE = {
    "type": "object",
    "required": ["id", "description", "examples"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "description": {"type": "string", "minLength": 1},
        "enabled": {"type": "boolean"},
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
        "and-next": {"type": "integer", "minimum": 1},
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
    "type": "object",
    "required": ["pack", "description", "rules"],
    "additionalProperties": False,
    "properties": {
        "pack": {"type": "string", "pattern": "^[a-z0-9][a-z0-9/-]*$"},
        "description": {"type": "string", "minLength": 1},
        "rules": {"type": "array", "items": _RULE},
    },
}
