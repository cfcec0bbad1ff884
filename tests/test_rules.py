"""Rule packs: every built-in example passes, each kind works, bad files fail with FILE:LINE."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cleaner import Cleaner, RuleError, load_config
from cleaner.rules.pack import builtin_pack_files, load_pack, load_packs

BUILTIN = load_packs(["*"], check=False)


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda r: r.id)
def test_builtin_rule_examples(rule):
    assert rule.description.strip() and rule.examples
    assert [str(f) for f in rule.check_examples()] == []


def test_builtin_rules_have_unique_ids_and_packs_load():
    assert len({r.id for r in BUILTIN}) == len(BUILTIN)
    assert builtin_pack_files()


def write_pack(tmp_path: Path, body: str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def one_rule(tmp_path: Path, rule_yaml: str):
    path = write_pack(tmp_path, "pack: test\ndescription: test pack\nrules:\n" + textwrap.indent(
        textwrap.dedent(rule_yaml).lstrip(), "  "))
    return load_pack(path)[1][0]


def test_delete_tidies_spaces_and_empty_lines(tmp_path):
    rule = one_rule(tmp_path, """
        - id: label
          description: a label
          delete: '\\[x\\]'
          examples: [{in: "a [x] b", out: "a b"}]
    """)
    assert rule.apply("a [x] b")[0] == "a b"
    assert rule.apply("a [x].")[0] == "a."
    assert rule.apply("a [x] , b")[0] == "a, b"
    assert rule.apply("a[x] b")[0] == "a b"
    assert rule.apply("a ?\n[x] b")[0] == "a ?\nb"
    assert rule.apply("a\n[x]\nb")[0] == "a\nb"
    assert rule.apply("a\n  [x]  ")[0] == "a"
    text, edits = rule.apply("one [x] two [x] three")
    assert text == "one two three" and len(edits) == 2 and edits[0].line == 1


def test_replace_with_group_and_ignore_case(tmp_path):
    rule = one_rule(tmp_path, """
        - id: shout
          description: lower a word
          replace: 'HELLO (\\w+)'
          with: 'hello \\1'
          ignore-case: true
          examples: [{in: "Hello World", out: "hello World"}]
    """)
    assert rule.apply("hello there, HELLO you")[0] == "hello there, hello you"


def test_drop_line_with_next_lines_and_pattern_list(tmp_path):
    rule = one_rule(tmp_path, """
        - id: teaser
          description: teaser and its title
          drop-line: ['^Read more$', '^Lire aussi$']
          and-next: 1
          examples: [{in: "a\\nRead more\\ntitle\\nb", out: "a\\nb"}]
    """)
    assert rule.apply("a\nLire aussi\nTitre\nb\nRead more")[0] == "a\nb"
    assert rule.apply("Read more about it\nb")[0] == "Read more about it\nb"


def test_drop_block_needs_its_end_within_bound(tmp_path):
    rule = one_rule(tmp_path, """
        - id: box
          description: a box
          drop-block: {from: '^BEGIN$', to: '^END$', max-lines: 3}
          examples: [{in: "a\\nBEGIN\\nx\\nEND\\nb", out: "a\\nb"}]
    """)
    assert rule.apply("BEGIN\n1\n2\n3\n4\nEND\nb")[0] == "BEGIN\n1\n2\n3\n4\nEND\nb"
    assert rule.apply("a\nBEGIN\nEND")[0] == "a"


BAD_PACKS = [
    ("unknown key", "rules:\n  - id: a\n    description: d\n    delete: x\n    colour: red\n"
     "    examples: [{in: x, out: ''}]\n", 2, "colour"),
    ("missing examples", "rules:\n  - id: a\n    description: d\n    delete: x\n", 2, "examples"),
    ("two kinds", "rules:\n  - id: a\n    description: d\n    delete: x\n    drop-line: y\n"
     "    examples: [{in: x, out: ''}]\n", 2, "exactly one of"),
    ("no kind", "rules:\n  - id: a\n    description: d\n    examples: [{in: x, out: ''}]\n", 2, "exactly one of"),
    ("bad regex", "rules:\n  - id: a\n    description: d\n    delete: '(x'\n"
     "    examples: [{in: x, out: ''}]\n", 4, "bad regex"),
    ("bad id", "rules:\n  - id: Bad Id\n    description: d\n    delete: x\n"
     "    examples: [{in: x, out: ''}]\n", 2, "does not match"),
    ("failing example", "rules:\n  - id: my-rule\n    description: d\n    delete: x\n"
     "    examples:\n      - {in: ax, out: a}\n      - {in: xb, out: xb}\n", 7, "'my-rule' fails its example"),
    ("duplicate key", "rules:\n  - id: a\n    description: d\n    delete: x\n    delete: y\n"
     "    examples: [{in: x, out: ''}]\n", 5, "duplicate key 'delete'"),
    ("yaml syntax", "rules:\n  - id: a\n    description: [unclosed\n", 4, "invalid YAML"),
    ("replace without with", "rules:\n  - id: a\n    description: d\n    replace: x\n"
     "    examples: [{in: x, out: ''}]\n", 2, "'with' is a dependency"),
]


@pytest.mark.parametrize("body,line,message", [b[1:] for b in BAD_PACKS], ids=[b[0] for b in BAD_PACKS])
def test_bad_pack_fails_with_file_and_line(tmp_path, body, line, message):
    path = write_pack(tmp_path, "pack: bad\ndescription: bad pack\n" + body)
    with pytest.raises(RuleError) as info:
        load_pack(path)
    assert str(info.value).startswith(f"{path}:{line + 2}: "), str(info.value)
    assert message in str(info.value)


def test_duplicate_ids_across_packs(tmp_path):
    rule = "rules:\n  - id: new-window-label\n    description: d\n    delete: x\n    examples: [{in: x, out: ''}]\n"
    path = write_pack(tmp_path, "pack: mine\ndescription: mine\n" + rule)
    with pytest.raises(RuleError, match="duplicate rule id 'new-window-label'"):
        load_packs(["*"], [path])


def test_config_disables_and_enables_by_id(tmp_path):
    pack = write_pack(tmp_path, """
        pack: extra
        description: opt-in rule
        rules:
          - id: drop-shouting
            description: drop lines in capitals
            enabled: false
            drop-line: '^[A-Z ]+$'
            examples: [{in: "a\\nLOUD\\nb", out: "a\\nb"}]
    """)
    config_file = tmp_path / "cleaner.toml"
    config_file.write_text('rules = ["pack.yaml"]\ndisable = ["new-window-label"]\nenable = ["drop-shouting"]\n')
    cleaner = Cleaner(load_config(config_file))
    text = "Un texte (nouvelle fenêtre) ici.\nLOUD\nFin."
    assert cleaner.clean(text).text == "Un texte (nouvelle fenêtre) ici.\n\nFin.\n"
    default = Cleaner(load_config(start=Path("/")))
    assert default.clean(text).text == "Un texte ici.\n\nLOUD\n\nFin.\n"


def test_pyproject_tool_cleaner_is_found(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\npacks = ["fr/labels"]\n')
    (tmp_path / "sub").mkdir()
    config = load_config(start=tmp_path / "sub")
    assert config.packs == ("fr/labels",) and "pyproject.toml" in config.source
    assert {r.id for r in Cleaner(config).rules} == {"new-window-label", "fr-new-window-suffix"}


def test_bad_config_is_an_error(tmp_path):
    from cleaner import ConfigError

    bad = tmp_path / "c.toml"
    bad.write_text("packs = 'all'\n")
    with pytest.raises(ConfigError, match="c.toml: packs: 'all' is not of type 'array'"):
        load_config(bad)
    bad.write_text("[fix]\nno_such_option = true\n")
    with pytest.raises(ConfigError, match="no_such_option"):
        Cleaner(load_config(bad))
    bad.write_text('disable = ["no-such-rule"]\n')
    with pytest.raises(RuleError, match="no-such-rule"):
        Cleaner(load_config(bad))
