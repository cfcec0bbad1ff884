"""Configuration: the package's default profile, overridden by ``--config FILE`` or by the
``[tool.cleaner]`` table of the nearest ``pyproject.toml``."""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from cleaner.errors import ConfigError
from cleaner.rules.context import ContextOptions

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_PROFILE = Path(__file__).with_name("default.toml")

_STRINGS = {"type": "array", "items": {"type": "string"}}
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "packs": _STRINGS,
        "rules": _STRINGS,
        "disable": _STRINGS,
        "enable": _STRINGS,
        "rule-time-limit": {"type": "number", "exclusiveMinimum": 0},
        "fix": {"type": "object"},
        "html": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "favor": {"enum": ["balanced", "precision", "precision-guarded", "recall"]},
                "include-tables": {"type": "boolean"},
                "include-comments": {"type": "boolean"},
                "include-links": {"type": "boolean"},
                "include-formatting": {"type": "boolean"},
                "metadata": {"type": "boolean"},
                "extensive-date-search": {"type": "boolean"},
                "title-first-line": {"type": "boolean"},
                "drop-link-lines": {"type": "boolean"},
                "drop-link-blocks": {"type": "boolean"},
            },
        },
        "context": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "enabled": {"type": "boolean"},
                "good-tokens": {"type": "integer", "minimum": 1},
                "stop-good": {"type": "number", "minimum": 0, "maximum": 1},
                "ui-bad": {"type": "number", "minimum": 0, "maximum": 1},
                "tail-run": {"type": "integer", "minimum": 0},
            },
        },
        "repair": {
            "type": "object",
            "additionalProperties": False,
            "properties": {name: {"type": "object", "additionalProperties": _STRINGS}
                           for name in ("dangling-words", "elisions", "one-letter-words")},
        },
    },
}


@dataclass(frozen=True)
class HtmlOptions:
    """How HTML pages are extracted (the ``[html]`` table); see ``default.toml`` for each key."""

    favor: str = "balanced"
    include_tables: bool = True
    include_comments: bool = False
    include_links: bool = False
    include_formatting: bool = False
    metadata: bool = True
    extensive_date_search: bool = False
    title_first_line: bool = False
    drop_link_lines: bool = False
    drop_link_blocks: bool = True

    @classmethod
    def from_table(cls, table: dict[str, Any]) -> "HtmlOptions":
        return cls(**{key.replace("-", "_"): value for key, value in table.items()})


@dataclass(frozen=True)
class Config:
    """Everything that decides the output, besides the input itself."""

    packs: tuple[str, ...] = ("*",)
    rules: tuple[Path, ...] = ()
    disable: frozenset[str] = frozenset()
    enable: frozenset[str] = frozenset()
    fix: dict[str, Any] = field(default_factory=dict)
    dangling_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    elisions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    one_letter_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    html: HtmlOptions = HtmlOptions()
    context: ContextOptions = ContextOptions()
    source: str = "default"
    rule_time_limit: float = 2.0

    def with_rules(self, extra: list[Path] | tuple[Path, ...]) -> "Config":
        """This config with more user rule packs (``--rules``)."""
        if not extra:
            return self
        return replace(self, rules=self.rules + tuple(Path(p) for p in extra))

    def fingerprint(self) -> str:
        """A hash of the settings, of every rule file's bytes, of the package's code and of the
        versions of the libraries it cleans with (:mod:`cleaner.provenance`), to tell if outputs are stale."""
        from cleaner.provenance import provenance
        from cleaner.rules.pack import builtin_pack_files  # late: the rule engine imports are heavier

        digest = hashlib.sha256()
        digest.update(json.dumps(provenance(), sort_keys=True).encode())
        settings = {"packs": self.packs, "disable": sorted(self.disable), "enable": sorted(self.enable),
                    "fix": self.fix, "dangling": self.dangling_words,
                    "elisions": self.elisions, "one-letter": self.one_letter_words, "html": asdict(self.html), "context": asdict(self.context)}
        digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
        for path in [*builtin_pack_files(), *self.rules]:
            digest.update(Path(path).read_bytes())
        return digest.hexdigest()[:16]


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read config ({exc.strerror})", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", str(path)) from None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _validate(table: dict[str, Any], where: str) -> None:
    import jsonschema  # late: 0.1 s of every start otherwise

    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(SCHEMA).iter_errors(table))
    if error is not None:
        at = ".".join(str(p) for p in error.absolute_path)
        raise ConfigError(f"{at + ': ' if at else ''}{error.message}", where)


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.cleaner]`` table, up to the project root."""
    for folder in [start.resolve(), *start.resolve().parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate if "cleaner" in _read_toml(candidate).get("tool", {}) else None
        if (folder / ".git").exists():
            return None
    return None


def load_config(path: Path | str | None = None, start: Path | None = None) -> Config:
    """The default profile overridden by ``path`` (a TOML file), else by the nearest
    ``pyproject.toml`` ``[tool.cleaner]`` above ``start`` (default: the current folder)."""
    table = _read_toml(DEFAULT_PROFILE)
    source, base_dir = "default", Path.cwd()
    if path is None:
        path = find_pyproject(start or Path.cwd())
    if path is not None:
        path = Path(path)
        user = _read_toml(path)
        if path.name == "pyproject.toml" or "tool" in user:
            user = user.get("tool", {}).get("cleaner", {})
        where = f"{path} [tool.cleaner]" if path.name == "pyproject.toml" else str(path)
        _validate(user, where)
        table = _merge(table, user)
        source, base_dir = str(path), path.resolve().parent
    if path is not None:  # the default profile alone is valid (tests/test_speed_start.py checks it)
        _validate(table, source)
    repair = table.get("repair", {})
    return Config(
        packs=tuple(table.get("packs", ["*"])),
        rules=tuple(base_dir / p for p in table.get("rules", [])),
        disable=frozenset(table.get("disable", [])),
        enable=frozenset(table.get("enable", [])),
        fix=dict(table.get("fix", {})),
        dangling_words={k: tuple(v) for k, v in repair.get("dangling-words", {}).items()},
        elisions={k: tuple(v) for k, v in repair.get("elisions", {}).items()},
        one_letter_words={k: tuple(v) for k, v in repair.get("one-letter-words", {}).items()},
        html=HtmlOptions.from_table(table.get("html", {})),
        context=ContextOptions(**{key.replace("-", "_"): value for key, value in table.get("context", {}).items()}),
        source=source,
        rule_time_limit=float(table.get("rule-time-limit", 2.0)),
    )
