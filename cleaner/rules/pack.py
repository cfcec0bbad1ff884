"""Loading and validating YAML rule packs into compiled rules (:mod:`cleaner.rules.build`).

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

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleaner import cache
from cleaner.errors import RuleError, raise_all
from cleaner.rules.build import AnyRule, build_rule
from cleaner.html.prune import HtmlRule
from cleaner.rules.kinds import Rule
from cleaner.rules.schema import PACK_SCHEMA
from cleaner.rules.lexicon import Lexicon, Words, phrase_set
from cleaner.rules.shapes import ShapeRule

if TYPE_CHECKING:
    import jsonschema


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema  # late: a start whose packs come from the cache needs no validator

    return jsonschema.Draft202012Validator(PACK_SCHEMA)


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
    import yaml  # late, with the YAML reader: a start whose packs come from the cache needs neither

    from cleaner.rules import yamlsource

    path = Path(path)
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"cannot read rule pack ({exc})", where) from None
    try:
        data = yamlsource.load(text)
        errors = [_best_match([error]) for error in _validator().iter_errors(data)]
    except yaml.YAMLError as exc:
        reason = (str(getattr(exc, "problem", None) or exc).strip().splitlines() or ["?"])[0]
        raise RuleError(f"invalid YAML: {reason}", where, yamlsource.error_line(exc, text)) from None
    except RecursionError:
        raise RuleError("invalid YAML: nested too deeply", where) from None
    raise_all([_schema_error(error, data, where) for error in sorted(errors, key=_in_file_order)])
    rules, mistakes = [], []
    for raw in data["rules"]:
        try:
            rules.append(build_rule(raw, data["pack"], where, engine))
        except RuleError as exc:
            mistakes.append(exc)
    raise_all(mistakes)
    _check_unique_ids(rules)
    _tell_pack(rules, data)
    raise_all([failure for rule in (rules if check else ()) for failure in rule.check_examples()])
    return data["pack"], rules


def _best_match(errors: Any) -> Any:
    import jsonschema

    return jsonschema.exceptions.best_match(errors)


def _in_file_order(error: jsonschema.ValidationError) -> tuple:
    """Errors by place (the pack, then rule by rule); in one place an unknown key before a
    missing one, which is often the same key misspelt."""
    path = tuple(error.absolute_path)
    return (path[:2], error.validator != "additionalProperties", path)


def _schema_error(error: jsonschema.ValidationError, data: Any, where: str) -> RuleError:
    from cleaner.rules import yamlsource

    at = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return RuleError(f"{at.lstrip('.') or 'pack'}: {error.message}", where,
                     yamlsource.line_of(data, error.absolute_path))


def _tell_pack(rules: list[AnyRule], data: dict) -> None:
    """Give the pack's text rules its language and site, its HTML rules its site, and its shape rules the lists of the
    whole pack (one shape may read another's: a teaser box reads the date words)."""
    lexicon: Lexicon = {}
    for rule in rules:
        if isinstance(rule, ShapeRule):
            lexicon[rule.kind] = lexicon[rule.kind].merged(rule.words) if rule.kind in lexicon else rule.words
    stopwords = set(data.get("stopwords", ()))
    if data.get("stoplist"):
        stopwords |= stoplist(data["stoplist"])
    if stopwords:
        lexicon["context"] = Words({"stopwords": phrase_set(stopwords)})
    for rule in rules:
        if isinstance(rule, (Rule, ShapeRule)):
            rule.language, rule.site = data.get("language"), data.get("site")
        elif isinstance(rule, HtmlRule):
            rule.site = data.get("site")
        if isinstance(rule, ShapeRule):
            rule.lexicon = lexicon


def stoplist(name: str) -> set[str]:
    """jusText's stoplist ``name`` (``English``...), lowercased; ``RuleError`` if unknown."""
    import justext  # late: only packs with a stoplist need it

    try:
        return {word.lower() for word in justext.get_stoplist(name)}
    except ValueError:
        raise RuleError(f"unknown jusText stoplist {name!r}") from None


def _check_unique_ids(rules: list[AnyRule]) -> None:
    seen: dict[str, AnyRule] = {}
    for rule in rules:
        if rule.id in seen:
            other = seen[rule.id]
            raise RuleError(f"duplicate rule id {rule.id!r} (first in {other.source}:{other.line})",
                            rule.source, rule.line)
        seen[rule.id] = rule


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


def load_packs_cached(builtin: list[str] | tuple[str, ...], extra: list[Path] | tuple[Path, ...] = (),
                      engine: str = "auto") -> list[AnyRule]:
    """:func:`load_packs` with every example checked, taken from the cache (:mod:`cleaner.cache`)
    when neither a pack file nor the code changed since it was built: a start then neither
    parses YAML nor compiles or checks a rule. The examples run whenever a pack changes."""
    parts = ["packs", engine, "\0".join(builtin)]
    try:
        for path in [*builtin_pack_files(), *extra]:
            parts += [str(path), Path(path).read_bytes()]
    except OSError:  # load_packs says what is wrong with the file
        return load_packs(builtin, extra, engine=engine)
    key = cache.key_of(parts)
    rules = cache.load("packs", key)
    if isinstance(rules, list):
        return rules
    rules = load_packs(builtin, extra, engine=engine)
    cache.store("packs", key, rules)
    return rules
