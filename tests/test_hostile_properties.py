"""Properties over arbitrary bytes and arbitrary rule files: the library answers with a result
or with its own error type, never with anything else."""
from __future__ import annotations

import codecs
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import InputError, RuleError
from cleaner.decoding.decode import decode
from cleaner.rules.pack import load_pack

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
PLAIN_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t\r"), max_size=200)
LEGACY = st.sampled_from(["cp1252", "latin-1", "iso8859-15", "cp1251", "koi8-r", "cp1250"])


@SETTINGS
@given(text=PLAIN_TEXT)
def test_valid_utf8_text_always_stays_utf8(text):
    data = text.encode("utf-8")
    try:
        decoded = decode(data, "x.txt")
    except InputError as exc:  # only a binary signature at the very start may refuse it
        assert "binary data" in str(exc) and not text[:1].isalpha()
        return
    expected = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    assert decoded == (text.removeprefix("\ufeff") if expected == "utf-8-sig" else text, expected)


@SETTINGS
@given(text=PLAIN_TEXT, encoding=LEGACY)
def test_legacy_bytes_decode_to_some_text_or_a_clean_refusal(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        decoded, found = decode(data, "x.txt")
    except InputError as exc:
        assert str(exc).startswith("x.txt: ") and "\n" not in str(exc)
        return
    assert decode(data, "x.txt") == (decoded, found)  # deterministic
    if data.isascii():
        assert (decoded, found) == (text, "utf-8")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:  # the declared charset is what the bytes are in: it wins
        assert decode(data, "x.txt", declared=encoding)[0] == text


KEYS = st.sampled_from(["pack", "description", "rules", "id", "delete", "replace", "with", "drop-line",
                        "and-next", "drop-block", "from", "to", "max-lines", "examples", "in", "out",
                        "enabled", "ignore-case", "colour"])
REGEXES = st.sampled_from(["x", "(a+)+$", "(?<=a)b", "(", "[", "\\", "a{99999999999}", "(?P<n>a)", "\\b\\w+",
                           "^", "$", "(?i)é", "a|", "*", "(?#c)", "\\1", "(a)\\2", "[z-a]", "(?x) a # b"])
SCALARS = (st.none() | st.booleans() | st.integers(-5, 50) | st.floats(allow_nan=True)
           | st.text(max_size=15) | REGEXES)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(KEYS | st.text(max_size=5), inner, max_size=6), max_leaves=30)
RULE = st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b", "Bad id", "c-1"]) | VALUES, "description": st.text(max_size=10) | VALUES,
     "examples": st.lists(st.fixed_dictionaries({"in": st.text(max_size=10), "out": st.text(max_size=10)}),
                          max_size=2) | VALUES},
    optional={key: REGEXES | VALUES for key in ("delete", "replace", "drop-line", "with", "and-next",
                                                 "enabled", "ignore-case", "drop-block", "colour")},
)
PACK = st.fixed_dictionaries({"pack": st.sampled_from(["p", "P q"]) | VALUES, "description": st.text(max_size=8),
                              "rules": st.lists(RULE, max_size=3)}) | VALUES


def load_text(text: str | bytes) -> None:
    """Load a rule file holding ``text``; the only exception allowed out is RuleError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        try:
            name, rules = load_pack(path)
        except RuleError as exc:
            # one line per mistake (a pack with several reports them all), each naming the file
            assert all(line.startswith(f"{path}:") for line in str(exc).strip().split("\n"))
            return
    assert isinstance(name, str) and all(not rule.check_examples() for rule in rules)


@SETTINGS
@given(pack=PACK)
def test_any_yaml_structure_loads_or_raises_rule_error(pack):
    load_text(yaml.safe_dump(pack, allow_unicode=True))


@SETTINGS
@given(text=st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_any_text_as_rule_file_loads_or_raises_rule_error(text):
    load_text(text)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_any_bytes_as_rule_file_load_or_raise_rule_error(data):
    load_text(data)
