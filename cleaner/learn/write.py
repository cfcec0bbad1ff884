"""The learned pack, an ordinary rule pack (``drop-line`` rules, each with its site, a
description of where it was seen and examples from those documents), and the report.

>>> line_pattern("Comments (27)", varies=True)
'^[ \\\\t]*Comments[ \\\\t]+\\\\(\\\\d+\\\\)[ \\\\t]*$'
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from cleaner.learn.judge import Candidate, Finding
from cleaner.rules.build import build_rule
from cleaner.rules.kinds import Rule

_DIGITS = re.compile(r"(\d+)")
_SPACE = "[ \\t]"
MAX_EXAMPLES = 3
PACK = "learned"


def line_pattern(line: str, varies: bool) -> str:
    """A regex for the whole of ``line`` (any spaces around and between its words); with
    ``varies``, any number where it has digits."""
    words = []
    for word in line.split():
        if varies:
            words.append("".join(r"\d+" if part.isdigit() else re.escape(part)
                                 for part in _DIGITS.split(word) if part))
        else:
            words.append(re.escape(word))
    return f"^{_SPACE}*" + f"{_SPACE}+".join(words) + f"{_SPACE}*$"


def rule_id(finding: Finding) -> str:
    """``<site>-line-<hash>`` or ``<site>-run-<hash>``: stable for the same site and lines."""
    site = re.sub(r"[^a-z0-9]+", "-", (finding.site or "any").lower()).strip("-") or "site"
    kind = "run" if len(finding.lines) > 1 else "line"
    return f"{site[:60]}-{kind}-{finding.lines[0].key:016x}"[:80]


def _description(finding: Finding) -> str:
    first = finding.lines[0]
    where = f"of {finding.site}" if finding.site else "whose site is not known"
    seen = f"Seen in {finding.count} of {finding.site_docs} documents {where} ({finding.count / finding.site_docs:.0%})"
    if len(finding.lines) > 1:
        what = f"a run of {len(finding.lines)} lines, from {_quote(first.line)} to {_quote(finding.lines[-1].line)}"
    else:
        what = _quote(first.line) + (", its numbers changing" if first.entry.varies else "")
    edge = first.edge_share
    place = "at the start or end of the text" if edge >= 0.8 else "in the body of the text" if edge <= 0.2 else ""
    return f"{seen}{', ' + place if place else ''}: {what}."


def _quote(line: str, width: int = 60) -> str:
    return '"' + (line if len(line) <= width else line[: width - 1] + "…") + '"'


def to_rule(finding: Finding) -> dict[str, Any]:
    """The YAML mapping of a finding, with examples whose outputs are what the rule makes of them."""
    patterns = [line_pattern(c.line, c.entry.varies) for c in finding.lines]
    raw: dict[str, Any] = {
        "id": rule_id(finding),
        "description": _description(finding),
        **({"site": finding.site} if finding.site else {}),
        "drop-line": patterns[0] if len(patterns) == 1 else patterns,
        "examples": [],
    }
    rule = build_rule({**raw, "examples": []}, PACK, "<learned>")
    assert isinstance(rule, Rule)
    for candidate in finding.lines:
        for before, line, after in candidate.entry.examples:
            text = "\n".join(part for part in (before, line, after) if part) + "\n"
            out = rule.apply_text(text)
            if out != text and len(raw["examples"]) < MAX_EXAMPLES:
                raw["examples"].append({"in": text, "out": out})
    return raw


def to_rules(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """The rules of the findings, in their order (by site, then most seen first)."""
    return [rule for rule in (to_rule(f) for f in findings) if rule["examples"]]


def pack_yaml(rules: list[dict[str, Any]], documents: int, sites: int) -> str:
    """The pack of ``rules``, as YAML."""
    data = {
        "pack": PACK,
        "description": (f"Boilerplate learned by 'cleaner learn' from {documents} documents of {sites} "
                        f"site(s): lines repeated across a site's documents. Review before use."),
        "rules": rules,
    }
    head = "# Written by 'cleaner learn'; every rule says where it was seen. Review, edit, keep.\n"
    import yaml  # late: a start that only cleans (the CLI imports this module) needs no YAML writer

    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


REPORT_FIELDS = ("site", "docs", "site_docs", "share", "at_edge", "prose", "rule", "verdict", "line")


def report_lines(candidates: Iterable[Candidate], findings: list[Finding]) -> Iterable[str]:
    """Tab-separated: one line per candidate, its counts, its rule id or why it is none."""
    ids = {id(c): rule_id(f) for f in findings for c in f.lines}
    yield "\t".join(REPORT_FIELDS)
    for c in candidates:
        line = c.line.replace("\t", " ")
        yield "\t".join((c.site or "", str(c.count), str(c.site_docs), f"{c.share:.3f}",
                         f"{c.edge_share:.3f}", "yes" if c.prose else "no", ids.get(id(c), ""),
                         ("rule: " if c.rule else "not a rule: ") + c.reason, line))
