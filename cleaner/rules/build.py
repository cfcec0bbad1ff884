"""One validated YAML rule (a mapping from :mod:`cleaner.rules.yamlsource`) to a compiled rule:
a text :class:`~cleaner.rules.kinds.Rule` or an :class:`~cleaner.html.prune.HtmlRule`.

Every problem is a :class:`RuleError` at the rule's line, or at the line of the key at fault.
"""
from __future__ import annotations

import re
from typing import Any

from cleaner.errors import RuleError
from cleaner.html.prune import HTML_KINDS, HtmlRule, compile_selector
from cleaner.rules.example import Example
from cleaner.rules.kinds import KINDS, Rule
from cleaner.rules.regex import Regex
from cleaner.rules.lexicon import compile_words
from cleaner.rules.shapes import SHAPE_KINDS, ShapeRule

ALL_KINDS = KINDS + SHAPE_KINDS + HTML_KINDS
_TEXT_ONLY_KEYS = ("ignore-case", "with", "and-next")
_OWN_SITE = ("site",)  # a text rule's own site (what ``cleaner learn`` writes)
_HTML_ONLY_KEYS = ("max-chars", "max-text-share", "min-link-density", "prose-guard", "max-run", "outside-article")
AnyRule = Rule | ShapeRule | HtmlRule


def build_rule(raw: dict[str, Any], pack: str, where: str, engine: str = "auto") -> AnyRule:
    """The compiled rule of ``raw``, from pack ``pack`` in file ``where``."""
    kind = _kind_of(raw, where)
    if kind in HTML_KINDS:
        return _html_rule(raw, kind, pack, where)
    if kind in SHAPE_KINDS:
        return _shape_rule(raw, kind, pack, where)
    return _text_rule(raw, kind, pack, where, engine)


def _kind_of(raw: dict[str, Any], where: str) -> str:
    kinds = [kind for kind in ALL_KINDS if kind in raw]
    if len(kinds) != 1:
        found = ", ".join(kinds) or "none"
        raise RuleError(f"rule {raw['id']!r}: needs exactly one of {', '.join(ALL_KINDS)} (found {found})",
                        where, getattr(raw, "line", None))
    return kinds[0]


def _key_line(raw: dict[str, Any], key: str) -> int | None:
    """The line of ``key`` in the rule, else the rule's line."""
    line = getattr(raw, "line", None)
    return raw.key_lines.get(key, line) if hasattr(raw, "key_lines") else line


def _refuse_keys(raw: dict[str, Any], keys: tuple[str, ...], kind: str, where: str, belongs_to: str) -> None:
    misplaced = [key for key in keys if key in raw]
    if misplaced:
        raise RuleError(f"rule {raw['id']!r}: {misplaced[0]!r} applies to {belongs_to} rules, not {kind}",
                        where, _key_line(raw, misplaced[0]))


def _examples(raw: dict[str, Any]) -> tuple[Example, ...]:
    return tuple(Example(ex["in"], ex["out"], getattr(ex, "line", None)) for ex in raw["examples"])


def _shape_rule(raw: dict[str, Any], kind: str, pack: str, where: str) -> ShapeRule:
    _refuse_keys(raw, _TEXT_ONLY_KEYS + _HTML_ONLY_KEYS + _OWN_SITE, kind, where, "regex")
    try:
        words = compile_words(kind, raw[kind])
    except (re.error, OverflowError, RecursionError) as exc:
        raise RuleError(f"rule {raw['id']!r}: bad regex in {kind}.patterns: {exc}", where,
                        _key_line(raw, kind)) from None
    return ShapeRule(id=raw["id"], kind=kind, description=raw["description"], words=words,
                     enabled=raw.get("enabled", True), examples=_examples(raw), pack=pack,
                     source=where, line=getattr(raw, "line", None))


def _regex(raw: dict[str, Any], key: str, value: Any, flags: int, where: str, engine: str) -> Regex:
    """One pattern, or a list of them as alternatives, compiled; each is first compiled alone so a
    bad one is named and cannot unbalance the rest."""
    patterns = [value] if isinstance(value, str) else value
    for pattern in patterns:
        try:
            re.compile(pattern, flags)
        except (re.error, OverflowError, RecursionError) as exc:
            raise RuleError(f"rule {raw['id']!r}: bad regex in {key}: {exc}", where, _key_line(raw, key)) from None
    source = "|".join(f"(?:{p})" for p in patterns) if len(patterns) > 1 else patterns[0]
    try:
        return Regex(source, flags, engine)
    except (re.error, OverflowError, RecursionError, ValueError) as exc:
        raise RuleError(f"rule {raw['id']!r}: bad regex in {key}: {exc}", where, _key_line(raw, key)) from None


def _text_rule(raw: dict[str, Any], kind: str, pack: str, where: str, engine: str) -> Rule:
    _refuse_keys(raw, _HTML_ONLY_KEYS, kind, where, "HTML")
    flags = re.MULTILINE | (re.IGNORECASE if raw.get("ignore-case") else 0)
    block = raw.get("drop-block") or {}
    examples = _examples(raw)
    rule = Rule(
        id=raw["id"],
        kind=kind,
        description=raw["description"],
        pattern=_regex(raw, kind, block["from"] if block else raw[kind], flags, where, engine),
        replacement=raw.get("with", ""),
        next_lines=raw.get("and-next", 0),
        end=_regex(raw, "drop-block", block["to"], flags, where, engine) if block else None,
        max_lines=block.get("max-lines", 30) if block else 30,
        enabled=raw.get("enabled", True),
        examples=examples,
        own_site=raw.get("site"),
        pack=pack,
        source=where,
        line=getattr(raw, "line", None),
    )
    if kind == "replace":
        try:
            rule.pattern.template(rule.replacement)
        except (re.error, IndexError) as exc:
            raise RuleError(f"rule {raw['id']!r}: bad replacement in with: {exc}", where,
                            _key_line(raw, "with")) from None
    return rule


def _html_rule(raw: dict[str, Any], kind: str, pack: str, where: str) -> HtmlRule:
    _refuse_keys(raw, _TEXT_ONLY_KEYS + _OWN_SITE, kind, where, "text")
    value = raw[kind]
    patterns = [value] if isinstance(value, str) else value
    source = (", " if kind == "remove-element" else " | ").join(patterns)
    try:
        selector = compile_selector(kind, source)
    except ValueError as exc:
        what = "CSS selector" if kind == "remove-element" else "XPath"
        raise RuleError(f"rule {raw['id']!r}: bad {what} in {kind}: {exc}", where, _key_line(raw, kind)) from None
    return HtmlRule(
        id=raw["id"],
        kind=kind,
        description=raw["description"],
        selector=selector,
        max_chars=raw.get("max-chars"),
        max_text_share=raw.get("max-text-share"),
        min_link_density=raw.get("min-link-density"),
        prose_guard=raw.get("prose-guard", False),
        max_run=raw.get("max-run"),
        outside_article=raw.get("outside-article", False),
        enabled=raw.get("enabled", True),
        examples=_examples(raw),
        pack=pack,
        source=where,
        line=getattr(raw, "line", None),
    )
