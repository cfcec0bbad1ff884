"""``cleaner rules list``, ``cleaner rules test`` and ``cleaner rules schema``: the rules in use,
their examples run, and the JSON Schema of a pack file."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from cleaner.cli.options import EXIT_USAGE, UsageError, build, config_options
from cleaner.config import Config
from cleaner.errors import CleanerError
from cleaner.rules.kinds import Rule
from cleaner.rules.pack import load_pack, load_packs


@click.group("rules")
def rules_group() -> None:
    """List and test rule packs."""


@rules_group.command("list")
@config_options
def rules_list(config: Config) -> None:
    """List the rules in use: on/off, id, kind, pack, regex engine, description.

    The engine is re2 (linear time) or re (Python's syntax on a backtracking engine, under the
    time limit; the reason follows).
    """
    loaded = build(config).rules
    for rule in loaded:
        state = "on " if rule.enabled else "off"
        if not isinstance(rule, Rule):  # CSS and XPath run in lxml, shapes on word sets: no regex engine
            click.echo(f"{state} {rule.id:<32} {rule.kind:<14} {rule.pack:<16} {'-':<3} {rule.description.strip()}")
            continue
        why = "".join(f" [re: {r.fallback_reason}]" for r in (rule.pattern, rule.end) if r is not None and r.engine == "re")
        click.echo(f"{state} {rule.id:<32} {rule.kind:<14} {rule.pack:<16} {rule.engine:<3} "
                   f"{rule.description.strip()}{why}")


@rules_group.command("test")
@click.argument("packs", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@config_options
def rules_test(config: Config, packs: tuple[Path, ...]) -> None:
    """Run every rule's examples (built-in packs, --rules packs, or the PACKS given)."""
    try:
        if packs:
            loaded = [rule for path in packs for rule in load_pack(path, check=False)[1]]
        else:
            loaded = load_packs(config.packs, config.rules, check=False)
    except CleanerError as exc:
        raise UsageError(str(exc)) from None
    failures = [failure for rule in loaded for failure in rule.check_examples()]
    for failure in failures:
        click.echo(f"FAIL {failure}", err=True)
    examples = sum(len(rule.examples) for rule in loaded)
    click.echo(f"{len(loaded)} rules, {examples} examples, {len(failures)} failed")
    sys.exit(EXIT_USAGE if failures else 0)


@rules_group.command("schema")
def rules_schema() -> None:
    """Print the JSON Schema of a rule pack file (the one the loader validates with; also in
    rules/schema.json, for editors: `# yaml-language-server: $schema=...`)."""
    from cleaner.rules.schema import schema_json

    click.echo(schema_json(), nl=False)
