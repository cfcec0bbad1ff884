"""Golden cases: fixtures/<case>/input.* (text or HTML) must clean to expected.txt (read by eye), and
cleaning expected.txt must change nothing."""
from __future__ import annotations

import re

import pytest

from conftest import FIXTURES

CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.txt").exists())


def read(case: str, name: str) -> bytes:
    return (FIXTURES / case / name).read_bytes()


def test_there_are_cases_for_each_rule_kind_and_repair():
    kinds = {"rule-delete", "rule-replace", "rule-drop-line", "rule-drop-block", "repair-closing",
             "repair-lowercase", "repair-dangling", "repair-emptied", "repair-headings", "seed", "html-"}
    assert all(any(case.startswith(kind) for case in CASES) for kind in kinds), CASES


@pytest.mark.parametrize("case", CASES)
def test_golden(cleaner, case):
    input_name = next(p.name for p in (FIXTURES / case).iterdir() if p.name.startswith("input."))
    result = cleaner.clean(read(case, input_name), id=case)
    assert result.text == read(case, "expected.txt").decode("utf-8")


@pytest.mark.parametrize("case", CASES)
def test_golden_is_stable(cleaner, case):
    """black's assert_stable: the expected output is a fixed point."""
    expected = read(case, "expected.txt").decode("utf-8")
    assert cleaner.clean(expected).text == expected


def test_seed_is_french_and_clean(cleaner):
    result = cleaner.clean(read("seed-000", "input.txt"))
    assert result.language == "fr" and result.language_score > 0.9
    text = result.text
    assert "nouvelle fenêtre" not in text
    assert "Suivez la couverture complète" not in text and "Ukraine : 4ᵉ année de guerre" not in text
    assert "pic.twitter.com" not in text and "@Mylovanov" not in text
    assert not re.search(r" [.,]|  ", text)
    lines = text.splitlines()
    for sentence in (
        "par un accord « gagnant-gagnant », a fait valoir Volodymyr Zelensky, expliquant",
        "selon le New York Post. Une enquête du New York Times publiée il y a quelques jours révélait",
        "« Il m’a dit que l’Amérique voulait acheter des drones », assure Volodymyr Zelensky",
        "L’armée américaine à la traîne face à la course mondiale à la production",
    ):
        assert any(sentence in line for line in lines), sentence
    assert sum(line.startswith("- ") for line in lines) == 3
    assert "« Il m’a dit que l’Amérique voulait acheter des drones », assure Volodymyr Zelensky" in lines


def test_seed_edit_log_names_rules_and_repairs(cleaner):
    hits = cleaner.clean(read("seed-000", "input.txt")).rule_hits()
    assert hits["new-window-label"] == 9
    assert hits["follow-full-coverage"] == 1
    assert hits["tweet-embed-line"] == 1
    assert {"repair/closing-punctuation", "repair/lowercase-start", "repair/dangling-word"} <= set(hits)


def test_empty_input_gives_empty_output_and_und(cleaner):
    for data in (b"", b"   \n\n \t\n"):
        result = cleaner.clean(data)
        assert result.text == "" and result.language == "und" and result.language_score == 0.0
