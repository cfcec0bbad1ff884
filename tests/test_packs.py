"""How the built-in packs are organised: a reader finds a rule where its name says, and every
rule shows, next to what it removes, prose it must leave alone."""
from __future__ import annotations

import pytest

from cleaner.html.prune import HtmlRule, parse_snippet, snippet_text
from cleaner.rules.pack import builtin_pack_files, builtin_rules_dir, load_pack

PACKS = [(path, *load_pack(path, check=False)) for path in builtin_pack_files()]
LANGUAGES = {"fr", "en", "de", "es", "it", "pl"}
FAMILIES = {"labels", "teasers", "notices", "ui"}
# ids that predate the per-language packs and stay stable for users' enable/disable lists
LEGACY_IDS = {"new-window-label", "follow-full-coverage", "blocked-video-notice", "blocked-content-consent"}


@pytest.mark.parametrize("path, name, rules", PACKS, ids=[p[1] for p in PACKS])
def test_pack_name_is_its_path(path, name, rules):
    assert name == path.relative_to(builtin_rules_dir()).with_suffix("").as_posix()


def test_each_language_has_each_family():
    names = {name for _, name, _ in PACKS}
    missing = {f"{lang}/{family}" for lang in LANGUAGES for family in FAMILIES} - names
    assert not missing, missing


@pytest.mark.parametrize("path, name, rules", PACKS, ids=[p[1] for p in PACKS])
def test_language_pack_rule_ids_name_their_language(path, name, rules):
    """Rule ids in a folder start with the folder's name: the language, or html."""
    language = name.split("/")[0] if "/" in name else None
    for rule in rules:
        if language and rule.id not in LEGACY_IDS:
            assert rule.id.startswith(f"{language}-"), (name, rule.id)


def _unchanged(rule, example) -> bool:
    """The example leaves its input alone: the same text (for an HTML rule, the snippet's own text)."""
    if isinstance(rule, HtmlRule):
        return snippet_text(parse_snippet(example.input)) == example.output
    return example.input == example.output


@pytest.mark.parametrize("rule", [rule for _, _, rules in PACKS for rule in rules], ids=lambda r: r.id)
def test_every_rule_has_an_example_it_leaves_alone(rule):
    assert any(_unchanged(rule, example) for example in rule.examples), rule.id
    assert any(not _unchanged(rule, example) for example in rule.examples), rule.id
