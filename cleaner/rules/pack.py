"""Loading and validating YAML rule packs into compiled :class:`~cleaner.rules.Rule` objects.

A pack file::

    pack: social-embeds
    description: Residue of embedded social posts
    rules:
      - id: tweet-footer-line
        description: A flattened tweet ends with "— Name (@handle) Month D, YYYY"
        drop-line: '—\\s*[^()\\n]+\\(@\\w{1,15}\\)\\s+\\w+ \\d{1,2}, \\d{4}\\s*$'
        examples:
          - in: "Said.\\nBig news — Jane (@jane) July 16, 2025\\nNext."
            out: "Said.\\nNext."

Every problem is a :class:`RuleError` reading ``FILE:LINE: what is wrong``.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from cleaner.rules import yamlsource
from cleaner.errors import RuleError
from cleaner.html.prune import HTML_KINDS, HtmlRule, compile_selector
from cleaner.rules.regex import Regex
from cleaner.rules.kinds import KINDS, Example, Rule

ALL_KINDS = KINDS + HTML_KINDS
_TEXT_ONLY_KEYS = ("ignore-case", "with", "and-next")
_HTML_ONLY_KEYS = ("max-chars",)
AnyRule = Rule | HtmlRule

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
_VALIDATOR = jsonschema.Draft202012Validator(PACK_SCHEMA)


def builtin_rules_dir() -> Path:
    """The packs shipped with the package (a wheel's ``cleaner/packs``), else the checkout's ``rules/``."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "packs", package.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise RuleError("built-in rule packs not found (neither cleaner/packs nor ./rules)")


def builtin_pack_files() -> list[Path]:
    return sorted(builtin_rules_dir().rglob("*.yaml"))


def load_pack(path: Path | str, check: bool = True, engine: str = "auto") -> tuple[str, list[AnyRule]]:
    """Read, validate and compile one pack file. Returns ``(pack name, rules)``.

    With ``check`` (the default) every rule's examples run too, so a wrong rule does not load.
    ``engine`` is the regex engine (:class:`cleaner.rules.regex.Regex`): ``auto``, ``re`` or ``re2``.
    """
    path = Path(path)
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"cannot read rule pack ({exc})", where) from None
    try:
        data = yamlsource.load(text)
        error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(data))
    except yaml.YAMLError as exc:
        reason = (str(getattr(exc, "problem", None) or exc).strip().splitlines() or ["?"])[0]
        raise RuleError(f"invalid YAML: {reason}", where, yamlsource.error_line(exc, text)) from None
    except RecursionError:
        raise RuleError("invalid YAML: nested too deeply", where) from None
    if error is not None:
        at = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        raise RuleError(f"{at.lstrip('.') or 'pack'}: {error.message}", where,
                        yamlsource.line_of(data, error.absolute_path))
    rules = [_build_rule(raw, data["pack"], where, engine) for raw in data["rules"]]
    _check_unique_ids(rules)
    for rule in rules if check else ():
        failures = rule.check_examples()
        if failures:
            raise failures[0]
    return data["pack"], rules


def _check_unique_ids(rules: list[AnyRule]) -> None:
    seen: dict[str, AnyRule] = {}
    for rule in rules:
        if rule.id in seen:
            other = seen[rule.id]
            raise RuleError(f"duplicate rule id {rule.id!r} (first in {other.source}:{other.line})",
                            rule.source, rule.line)
        seen[rule.id] = rule


def _build_rule(raw: dict[str, Any], pack: str, where: str, engine: str = "auto") -> AnyRule:
    line = getattr(raw, "line", None)
    kinds = [kind for kind in ALL_KINDS if kind in raw]
    if len(kinds) != 1:
        found = ", ".join(kinds) or "none"
        raise RuleError(f"rule {raw['id']!r}: needs exactly one of {', '.join(ALL_KINDS)} (found {found})",
                        where, line)
    kind = kinds[0]
    if kind in HTML_KINDS:
        return _build_html_rule(raw, kind, pack, where)
    misplaced = [key for key in _HTML_ONLY_KEYS if key in raw]
    if misplaced:
        raise RuleError(f"rule {raw['id']!r}: {misplaced[0]!r} applies to HTML rules, not {kind}",
                        where, raw.key_lines.get(misplaced[0], line) if hasattr(raw, "key_lines") else line)
    flags = re.MULTILINE | (re.IGNORECASE if raw.get("ignore-case") else 0)

    def key_line(key: str) -> int | None:
        return raw.key_lines.get(key, line) if hasattr(raw, "key_lines") else line

    def compile_(key: str, value: Any) -> Regex:
        patterns = [value] if isinstance(value, str) else value
        for pattern in patterns:  # each alone, so a bad one is named and cannot unbalance the rest
            try:
                re.compile(pattern, flags)
            except (re.error, OverflowError, RecursionError) as exc:
                raise RuleError(f"rule {raw['id']!r}: bad regex in {key}: {exc}", where, key_line(key)) from None
        source = "|".join(f"(?:{p})" for p in patterns) if len(patterns) > 1 else patterns[0]
        try:
            return Regex(source, flags, engine)
        except (re.error, OverflowError, RecursionError, ValueError) as exc:
            raise RuleError(f"rule {raw['id']!r}: bad regex in {key}: {exc}", where, key_line(key)) from None

    block = raw.get("drop-block") or {}
    examples = tuple(Example(ex["in"], ex["out"], getattr(ex, "line", None)) for ex in raw["examples"])
    rule = Rule(
        id=raw["id"],
        kind=kind,
        description=raw["description"],
        pattern=compile_(kind, block["from"] if block else raw[kind]),
        replacement=raw.get("with", ""),
        next_lines=raw.get("and-next", 0),
        end=compile_("drop-block", block["to"]) if block else None,
        max_lines=block.get("max-lines", 30) if block else 30,
        enabled=raw.get("enabled", True),
        examples=examples,
        pack=pack,
        source=where,
        line=line,
    )
    if kind == "replace":
        try:
            rule.pattern.template(rule.replacement)
        except (re.error, IndexError) as exc:
            raise RuleError(f"rule {raw['id']!r}: bad replacement in with: {exc}", where,
                            key_line("with")) from None
    return rule


def _build_html_rule(raw: dict[str, Any], kind: str, pack: str, where: str) -> HtmlRule:
    line = getattr(raw, "line", None)
    key_lines = getattr(raw, "key_lines", {})
    misplaced = [key for key in _TEXT_ONLY_KEYS if key in raw]
    if misplaced:
        raise RuleError(f"rule {raw['id']!r}: {misplaced[0]!r} applies to text rules, not {kind}",
                        where, key_lines.get(misplaced[0], line))
    value = raw[kind]
    patterns = [value] if isinstance(value, str) else value
    source = (", " if kind == "remove-element" else " | ").join(patterns)
    try:
        selector = compile_selector(kind, source)
    except ValueError as exc:
        what = "CSS selector" if kind == "remove-element" else "XPath"
        raise RuleError(f"rule {raw['id']!r}: bad {what} in {kind}: {exc}", where,
                        key_lines.get(kind, line)) from None
    return HtmlRule(
        id=raw["id"],
        kind=kind,
        description=raw["description"],
        selector=selector,
        max_chars=raw.get("max-chars"),
        enabled=raw.get("enabled", True),
        examples=tuple(Example(ex["in"], ex["out"], getattr(ex, "line", None)) for ex in raw["examples"]),
        pack=pack,
        source=where,
        line=line,
    )


def load_packs(builtin: list[str] | tuple[str, ...], extra: list[Path] | tuple[Path, ...] = (),
               check: bool = True, engine: str = "auto") -> list[AnyRule]:
    """Load the built-in packs named in ``builtin`` (``"*"`` for all) then the ``extra`` files.

    Rule ids must be unique across everything loaded.
    """
    files = builtin_pack_files()
    chosen: list[tuple[str, list[AnyRule]]] = []
    available = {}
    for path in files:
        name, rules = load_pack(path, check, engine)
        if name in available:
            raise RuleError(f"pack name {name!r} also used by {available[name]}", str(path))
        available[name] = path
        if "*" in builtin or name in builtin:
            chosen.append((name, rules))
    missing = [name for name in builtin if name != "*" and name not in available]
    if missing:
        raise RuleError(f"unknown rule pack(s): {', '.join(missing)} (available: {', '.join(sorted(available))})")
    chosen.extend(load_pack(path, check, engine) for path in extra)
    result = [rule for _, rules in chosen for rule in rules]
    _check_unique_ids(result)
    return result
