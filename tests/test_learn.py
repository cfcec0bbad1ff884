"""``cleaner learn``: lines a site repeats become a reviewed rule pack; content does not.

Every page here is invented: a small town paper's site, "harbour.example", and another site
that must not get its rules.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cleaner import Cleaner, load_config
from cleaner.cli import main
from cleaner.document import Document
from cleaner.errors import RuleError
from cleaner.learn.count import Counter
from cleaner.learn.judge import Options, judge
from cleaner.learn.lines import looks_like_prose
from cleaner.learn.write import pack_yaml, report_lines, to_rules
from cleaner.rules.pack import load_pack
from cleaner.rules.siteof import site_of
from cleaner.rules.stage import runs_on
from conftest import ROOT

sys.path.insert(0, str(ROOT / "eval"))
from wholepage import page_text  # noqa: E402

WORDS = ("harbour council ferry bridge market school mayor river boats fishermen winter storm "
         "repairs budget vote island pier morning evening families visitors season road").split()
MENU = ["Front page", "Ferries and tides", "Markets", "Letters to the editor"]
PITCH = "The Tide Letter arrives every Tuesday with the week's harbour news, sign up at the desk."
PRINTED = "The Quay Courier is printed on recycled paper and read aloud at the harbour library on Fridays."
SYNDICATED = ("The coastguard said the northern channel would stay closed to small boats until the "
              "buoys were replaced after the storm.")


def sentence(rng: random.Random, words: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def article(number: int, syndicated: bool = False) -> str:
    """One page of harbour.example as a scraper dumps it: menu, date line, prose, comments, pitch."""
    rng = random.Random(number)
    body = [" ".join(sentence(rng) for _ in range(3)) for _ in range(4)]
    if syndicated:
        body.insert(2, SYNDICATED)
    lines = MENU + [f"Posted {number % 28 + 1:02d}/0{number % 9 + 1}/2024 at {number % 12 + 8}:{number % 60:02d}"]
    lines += body + [f"Reader comments ({number * 7 % 40 + 1})", PITCH]
    return "\n".join(lines) + "\n"


def learned(docs: int = 30, options: Options = Options()):
    counter = Counter()
    for number in range(docs):
        counter.add("harbour.example", article(number, syndicated=number % 5 == 0))
    return judge(counter, options)


def verdicts(candidates) -> dict[str, tuple[bool, str]]:
    return {c.line: (c.rule, c.reason) for c in candidates}


def test_site_lines_become_rules_literal_or_generalised():
    candidates, findings = learned()
    rules = to_rules(findings)
    patterns = [p for r in rules for p in ([r["drop-line"]] if isinstance(r["drop-line"], str) else r["drop-line"])]
    assert r"^[ \t]*Front[ \t]+page[ \t]*$" in patterns  # always the same: literal
    assert any(r"Reader[ \t]+comments[ \t]+\(\d+\)" in p for p in patterns)  # its count changes
    assert any(r"Posted[ \t]+\d+/\d+/\d+[ \t]+at[ \t]+\d+:\d+" in p for p in patterns)  # a date line
    assert all(r["site"] == "harbour.example" for r in rules)
    for rule in rules:
        assert "of 30 documents of harbour.example" in rule["description"]
        assert rule["examples"] and all(e["in"] != e["out"] for e in rule["examples"])
    varying = next(r for r in rules if any("Reader" in p for p in ([r["drop-line"]] if isinstance(r["drop-line"], str) else r["drop-line"])))
    assert any("Reader comments (" in e["in"] for e in varying["examples"])


def test_the_menu_is_one_run():
    _, findings = learned()
    menu = next(f for f in findings if f.lines[0].line == MENU[0])
    assert [c.line for c in menu.lines][:4] == MENU
    assert to_rules([menu])[0]["id"].startswith("harbour-example-run-")


def test_content_is_not_boilerplate():
    """A syndicated paragraph on 20% of the pages stays (prose needs half the pages); the site's
    newsletter pitch, a sentence on every page, is learned; a line on too few pages is not."""
    candidates, _ = learned()
    seen = verdicts(candidates)
    assert seen[SYNDICATED][0] is False and "syndicated story" in seen[SYNDICATED][1]
    assert seen[PITCH][0] is True and seen[PITCH][1].startswith("prose on 100%")
    rare = learned(30, Options(min_docs=7))[0]
    assert "fewer than --min-docs 7" in verdicts(rare)[SYNDICATED][1]
    share = learned(30, Options(min_share=0.5, prose_share=0.1))[0]
    assert "under --min-share 50%" in verdicts(share)[SYNDICATED][1]


def test_a_long_paragraph_in_the_body_is_content_even_on_most_pages():
    counter = Counter()
    quote = " ".join(["The statement of the harbour board, read in full at every council meeting,"] * 3) + "."
    for number in range(10):
        lines = article(number).splitlines()
        counter.add("harbour.example", "\n".join(lines[:7] + [quote] + lines[7:]))
    seen = verdicts(judge(counter)[0])
    assert seen[quote][0] is False and "in the body of the page" in seen[quote][1]


def test_a_headline_is_not_learned_from_its_teasers():
    """Pages of the same days list the same headlines; on its own page a headline is the title
    too (twice on that page): it is not learned, unless it is on most pages."""
    counter = Counter()
    headline = "Council votes to rebuild the old pier"
    for number in range(20):
        lines = article(number).splitlines()
        own = [headline] if number == 3 else []
        teaser = ["Most read", headline] if number < 6 else ["Most read"]
        counter.add("harbour.example", "\n".join(own + lines[:5] + teaser + lines[5:]))
    seen = verdicts(judge(counter)[0])
    assert seen[headline][0] is False and "a headline" in seen[headline][1]
    assert seen["Most read"][0] is True


def test_a_changing_line_on_few_pages_is_a_value_not_a_slot():
    counter = Counter()
    for number in range(20):
        lines = article(number).splitlines()
        dated = [f"Printed edition of {number % 3 + 1} March"] if number < 6 else []
        counter.add("harbour.example", "\n".join(lines[:5] + dated + lines[5:]))
    seen = verdicts(judge(counter)[0])
    line = next(line for line in seen if line.startswith("Printed edition"))
    assert seen[line][0] is False and "not a slot of every page" in seen[line][1]


def test_only_text_rules_take_a_site_of_their_own(tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text("pack: mine\ndescription: x\nrules:\n  - id: a\n    description: x\n    site: harbour.example\n"
                    "    ui-line: {words: [share]}\n    examples: [{in: 'Share\\n', out: ''}]\n", encoding="utf-8")
    with pytest.raises(RuleError, match="'site' applies to regex rules"):
        load_pack(path)


def test_prose_shape():
    assert looks_like_prose(SYNDICATED) and looks_like_prose(PITCH)
    assert not looks_like_prose("Letters to the editor") and not looks_like_prose("Why did the ferry stop?")
    assert looks_like_prose("港口理事会昨天宣布，北部航道将在暴风雨后继续关闭，直到浮标更换完毕为止。")


def test_pack_loads_and_runs_its_examples(tmp_path):
    candidates, findings = learned()
    path = tmp_path / "learned.yaml"
    path.write_text(pack_yaml(to_rules(findings), 30, 1), encoding="utf-8")
    name, rules = load_pack(path)  # validates the schema and runs every example
    assert name == "learned" and len(rules) == len(findings)
    report = list(report_lines(candidates, findings))
    assert report[0].startswith("site\tdocs") and len(report) == len(candidates) + 1
    assert any("not a rule: prose on 20%" in line for line in report)


def test_counting_memory_is_bounded():
    """Lines that do not repeat are forgotten bucket by bucket: the table holds the same number of
    entries after 2,000 documents as after 8,000, and the repeated lines keep exact counts."""
    counter = Counter(width=100)
    sizes = {}
    for number in range(8000):
        counter.add("big.example", f"Front page\nStory {number} of the day, told once\nUnique {number * 31}\n")
        if number + 1 in (2000, 8000):
            sizes[number + 1] = counter.size()
    assert sizes[8000] <= sizes[2000] <= 700
    site = counter.sites["big.example"]
    assert max(e.count for e in site.lines.values()) == 8000


def test_readme_tells_learn():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "cleaner learn" in readme and "--min-share" in readme and "--report" in readme
    assert run("learn", "--help").exit_code == 0


def test_site_of_a_document():
    assert site_of("https://www.harbour.example/a", "Harbour Gazette", "x/y.txt") == "harbour.example"
    assert site_of(None, None, "learn/harbour.example/a.txt") == site_of(None, None, "test/harbour.example/b.txt")


def _rule_with_site(tmp_path: Path):
    _, findings = learned()
    path = tmp_path / "learned.yaml"
    path.write_text(pack_yaml(to_rules(findings), 30, 1), encoding="utf-8")
    return next(r for r in load_pack(path)[1] if r.own_site)


def test_a_learned_rule_runs_only_on_its_site_when_known(tmp_path):
    rule = _rule_with_site(tmp_path)
    assert runs_on(rule, Document("x", path="test/harbour.example/a.txt"))
    assert not runs_on(rule, Document("x", path="test/other.example/a.txt"))
    assert runs_on(rule, Document("x", url="https://harbour.example/news/1", path="elsewhere/a.txt"))
    assert not runs_on(rule, Document("x", metadata={"url": "https://other.example/1"}))
    assert runs_on(rule, Document("x", path="<stdin>"))  # site unknown: it runs


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    for part, numbers in (("learn", range(0, 12)), ("test", range(100, 103))):
        folder = tmp_path / part / "harbour.example"
        folder.mkdir(parents=True)
        for number in numbers:
            (folder / f"{number:03d}.txt").write_text(article(number), encoding="utf-8")
    other = tmp_path / "test" / "other.example"
    other.mkdir()
    (other / "a.txt").write_text(article(200), encoding="utf-8")
    return tmp_path


def test_cli_learn_then_clean_with_the_pack(batch, tmp_path, cleaner):
    """Folders and JSONL records, two workers: the pack is byte for byte what the learner makes of
    the pipeline's texts in input order; a bad file is named, the rest is learned; the pack
    passes 'rules test' and, given to clean, takes the site's lines and nothing of its story,
    and not on another site's pages."""
    (batch / "learn" / "harbour.example" / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    for number in range(4):  # HTML pages: learned on their text, grouped by their address
        rng = random.Random(number)
        (batch / "learn" / "harbour.example" / f"p{number}.html").write_text(
            f"<html><head><title>{sentence(rng, 5)}</title><link rel='canonical' "
            f"href='https://www.pages.example/story/{number}'></head><body><article><h1>{sentence(rng, 6)}</h1>"
            + "".join(f"<p>{sentence(rng, 25)}</p>" for _ in range(4))
            + f"<p>{PRINTED}</p></article></body></html>", encoding="utf-8")
    records = tmp_path / "records.jsonl"
    with records.open("w", encoding="utf-8") as handle:
        for number in range(300, 306):
            handle.write(json.dumps({"id": str(number), "text": article(number).replace("Tide", "Quay"),
                                     "metadata": {"url": f"https://www.quay.example/n/{number}"}}) + "\n")
    pack, report = tmp_path / "learned.yaml", tmp_path / "candidates.tsv"
    result = run("learn", str(batch / "learn"), str(records), "-o", str(pack), "--report", str(report), "-j", "2")
    assert result.exit_code == 1  # the binary file failed, named on one line; the rest was learned
    assert "broken.txt" in result.stderr and "learned" in result.stderr

    counter = Counter()
    for path in sorted((batch / "learn" / "harbour.example").iterdir()):
        if path.name != "broken.txt":
            doc = cleaner.clean(path.read_bytes(), path=str(path))
            counter.add(site_of(doc.metadata.get("url"), doc.metadata.get("sitename"), str(path)), doc.text)
    for line in records.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        counter.add(site_of(record["metadata"]["url"], None, None), cleaner.clean(record["text"]).text)
    candidates, findings = judge(counter)
    assert pack.read_text(encoding="utf-8") == pack_yaml(to_rules(findings), 22, 3)
    assert {r["site"] for r in yaml.safe_load(pack.read_text(encoding="utf-8"))["rules"]} == {
        "harbour.example", "quay.example", "pages.example"}
    assert report.read_text(encoding="utf-8").splitlines() == list(report_lines(candidates, findings))
    assert run("rules", "test", str(pack)).exit_code == 0

    page = batch / "test" / "harbour.example" / "100.txt"
    before = cleaner.clean(page.read_bytes(), path=str(page)).text
    with_pack = Cleaner(load_config(start=Path("/")).with_rules([pack]))
    after = with_pack.clean(page.read_bytes(), path=str(page)).text
    assert PITCH in before and "Ferries and tides" in before
    assert PITCH not in after and "Ferries and tides" not in after
    body = [line for line in article(100).splitlines() if len(line) > 150]
    assert body and all(line in after for line in body)
    assert after == with_pack.clean(after, path=str(page)).text  # cleaning twice = once
    other = batch / "test" / "other.example" / "a.txt"
    assert PITCH in with_pack.clean(other.read_bytes(), path=str(other)).text  # not its site's rules


def test_whole_page_text_is_learned(tmp_path):
    """Whole-page text (all of the body, block by block): the menus and footer go, the story stays."""
    def page(number: int) -> str:
        rng = random.Random(number)
        nav = "".join(f"<li><a href='/{i}'>{item}</a></li>" for i, item in enumerate(MENU))
        story = "".join(f"<p>{sentence(rng, 20)}</p>" for _ in range(4))
        return (f"<html><body><nav><ul>{nav}</ul></nav><div class='tide'>High tide {number % 12 + 1}:15</div>"
                f"<article><h1>{sentence(rng, 6)}</h1>{story}</article>"
                f"<footer><p>Harbour Gazette, Quay Street 4</p><p>About us</p><p>Advertise with us</p></footer>"
                f"</body></html>")

    counter = Counter()
    for number in range(10):
        counter.add("harbour.example", page_text(page(number)))
    rules = [r for r in load_pack_of(to_rules(judge(counter)[1]), tmp_path)]
    text = page_text(page(50))
    cleaned = text
    for rule in rules:
        cleaned = rule.apply_text(cleaned)
    kept = cleaned.splitlines()
    assert len(kept) == 5 and all(len(line) > 60 for line in kept[1:])  # the headline and the story


def load_pack_of(rules: list[dict], tmp_path: Path):
    path = tmp_path / "pack.yaml"
    path.write_text(pack_yaml(rules, 10, 1), encoding="utf-8")
    return load_pack(path)[1]
