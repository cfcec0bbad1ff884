"""The rule filter (cleaner/rulefilter.py) skips only rules that cannot match: same output."""
from __future__ import annotations

import re

import pytest
import re2
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleaner.document import Document
from cleaner.rules import prefilter
from cleaner.rules.prefilter import may_match, widen
from cleaner.rules.stage import RuleSet
from conftest import FIXTURES, SHARED

DUMPS = SHARED / "realnews" / "scraped-dev" / "dumps"
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))


class NoFilter:
    """A filter that lets every rule run, as the rules stage did before the filter."""

    def candidates(self, text: str) -> None:
        return None


def unfiltered(rule_set: RuleSet) -> RuleSet:
    plain = RuleSet([], rule_set.seconds)
    plain.rules, plain.filter = rule_set.rules, NoFilter()
    return plain


def _mojibake(text: str) -> str:
    return "\n".join(line.encode("utf-8").decode("cp1252", errors="replace") if i % 3 == 0 else line
                     for i, line in enumerate(text.split("\n")))


@pytest.fixture(scope="module")
def rule_set(cleaner) -> RuleSet:
    return cleaner.stage("rules")


def test_every_builtin_rule_is_widened(rule_set):
    assert len(rule_set.rules) > 50 and rule_set.filter.always == set()


def test_same_output_with_and_without_the_filter(rule_set):
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*/*.txt"))]
    if DUMPS.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(DUMPS.glob("*.txt"))]
    texts += [example.input for rule in rule_set.rules for example in rule.examples]
    texts += [_mojibake(t) for t in texts[:40]]
    plain, skipped = unfiltered(rule_set), 0
    for text in texts:
        fast, slow = rule_set(Document(text=text)), plain(Document(text=text))
        assert (fast.text, fast.edits) == (slow.text, slow.edits)
        skipped += len(rule_set.rules) - len(rule_set.filter.candidates(text) or rule_set.rules)
    assert skipped > len(texts) * len(rule_set.rules) // 2  # most rules were skipped


def test_every_rule_example_input_is_a_candidate_for_its_rule(rule_set):
    for number, rule in enumerate(rule_set.rules):
        for case in rule.examples:
            if case.input != case.output:  # the rule matched there
                assert number in rule_set.filter.candidates(case.input), rule.id


def test_no_answer_from_re2_lets_every_rule_run(rule_set, monkeypatch):
    assert rule_set.filter.candidates("\ud800 lone surrogate") is None
    monkeypatch.setattr(rule_set.filter, "_set", type("Failed", (), {"Match": lambda self, data: None})())
    assert rule_set.filter.candidates("Lire aussi : la suite") is None


PIECES = st.sampled_from([
    "a", "b", "é", "K", "ſ", " ", "\n", r"\w", r"\d", r"\s", r"\S", ".", "[ab]", "[^a\\n]", "^", "$",
    r"\A", r"\Z", r"\b", r"\B", "(?=a)", "(?!b)", "(?<=a)", "(?<!\\n)", "(a)\\1", "(?:x)?+", "(?>ab|a)",
    "^a", r"\Ab", "a$", r"b\Z", "(?<=\\n)a", "(?<!a)b", r"\bé",
])


def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, inner).map("".join), st.tuples(inner, inner).map("|".join),
        inner.map("(?:{})".format), inner.map("(?i:{})".format),
        st.tuples(inner, st.sampled_from(["*", "+", "?", "*?", "+?", "{2}", "{1,3}", "{0,2}?", "{1200}"]))
        .map(lambda t: f"(?:{t[0]}){t[1]}"),
    )


def _compiles(source: str, flags: int) -> bool:
    try:
        re.compile(source, flags)
    except re.error:
        return False
    return True


@SETTINGS
@example(source="^a", flags=0, text="b\na")  # a line start, not the text's
@example(source=r"\Ab", flags=0, text="a\nb")
@example(source="a$", flags=0, text="a\nb")
@example(source=r"(?<!\n)b", flags=re.M, text="a\nb")
@example(source=r"(?<![\d:])\d{1,2}:\d{2}(?!\d)", flags=re.I, text="a 12:30")
@given(source=st.recursive(PIECES, grow, max_leaves=6),
       flags=st.sets(st.sampled_from([re.I, re.M, re.S, re.A])).map(sum),
       text=st.text(alphabet="ab éKkſs\nΣσς1_-x", max_size=30))
def test_the_widened_program_and_may_match_find_wherever_the_regex_does(source, flags, text):
    if not _compiles(source, flags):
        return
    python = re.compile(source, flags)
    widened = re2.compile(widen(source, flags))
    if python.search(text) or any(python.search(line) for line in text.split("\n")):
        assert widened.search(text) is not None
    if python.search(text):  # may_match, a quick "no" before a search: never "no" where it finds one
        assert may_match(python)(text)


@SETTINGS
@given(text=st.lists(st.sampled_from([
    "Lire aussi", "À LIRE AUSSI", "Read more", "Lesen Sie auch", "(nouvelle fenêtre)", "(Opens in new window)",
    "pic.twitter.com/abc", "— Jane (@jane) July 16, 2025", "Newsletter", "Inscrivez-vous", "s’ouvre dans",
    "[texte](https://x.fr)", "Suivez la couverture complète", "\n", "\n\n", " ", ". ", "Le président", ":",
    "»", "«", "Ã©", "a", "Publicité", "Leggi anche", "Czytaj też", "Lee también",
]), max_size=30).map("".join))
def test_same_output_with_and_without_the_filter_on_any_text(rule_set, text):
    fast, slow = rule_set(Document(text=text)), unfiltered(rule_set)(Document(text=text))
    assert (fast.text, fast.edits) == (slow.text, slow.edits)


def test_may_match_says_yes_when_it_cannot_tell(monkeypatch):
    assert may_match(re.compile("a"))("b\ud800") and not may_match(re.compile("a"))("b")  # lone surrogate
    monkeypatch.setattr(prefilter, "widened", lambda patterns: [None] * len(patterns))  # cannot be widened
    assert may_match(re.compile("never widened"))("c")
