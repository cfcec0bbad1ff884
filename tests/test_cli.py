"""The command line: folders to folders with a manifest, stdin/stdout, JSONL, explain, rules."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main
from conftest import FIXTURES, ROOT

SEED = FIXTURES / "seed-000" / "input.txt"
SEED_EXPECTED = (FIXTURES / "seed-000" / "expected.txt").read_text(encoding="utf-8")


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "fr").mkdir(parents=True)
    (src / "fr" / "seed.txt").write_bytes(SEED.read_bytes())
    (src / "bad.txt").write_bytes(b"caf\x00 au lait\n")
    (src / "empty.txt").write_bytes(b"")
    (src / "notes.md").write_text("not an article\n")
    (src / ".hidden.txt").write_text("hidden\n")
    return src


def manifest(outdir: Path) -> list[dict]:
    return [json.loads(line) for line in (outdir / "manifest.jsonl").read_text().splitlines()]


def test_clean_folder_to_folder_with_manifest(tree, tmp_path):
    out = tmp_path / "out"
    result = run("clean", str(tree), "-o", str(out), "-j", "1")
    assert result.exit_code == 1  # bad.txt failed, the rest went on
    assert (out / "fr" / "seed.txt").read_text(encoding="utf-8") == SEED_EXPECTED
    assert (out / "empty.txt").read_bytes() == b""
    assert not (out / "bad.txt").exists() and not (out / "notes.md").exists()
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {tree / 'bad.txt'}: binary data, not text (NUL byte at offset 3)"]
    records = {Path(r["source"]).name: r for r in manifest(out)}
    assert set(records) == {"seed.txt", "bad.txt", "empty.txt"}
    seed = records["seed.txt"]
    assert seed["output"] == "fr/seed.txt" and seed["error"] is None
    assert seed["metadata"]["language"] == "fr" and 0.9 < seed["metadata"]["language_score"] <= 1
    assert seed["rules"]["new-window-label"] == 9
    assert records["empty.txt"]["metadata"]["language"] == "und"
    assert records["bad.txt"]["error"].endswith("binary data, not text (NUL byte at offset 3)")
    assert records["bad.txt"]["output"] is None
    assert not [p for p in out.rglob("*.tmp")]


def test_same_bytes_with_any_number_of_workers(tree, tmp_path):
    run("clean", str(tree), "-o", str(tmp_path / "j1"), "-j", "1")
    run("clean", str(tree), "-o", str(tmp_path / "j2"), "-j", "2")
    for name in ("fr/seed.txt", "empty.txt", "manifest.jsonl"):
        assert (tmp_path / "j1" / name).read_bytes() == (tmp_path / "j2" / name).read_bytes()


def test_file_given_directly_keeps_its_name_with_txt_suffix(tmp_path):
    src = tmp_path / "article.text"
    src.write_bytes(SEED.read_bytes())
    run("clean", str(src), "-o", str(tmp_path / "out"), "-j", "1")
    assert (tmp_path / "out" / "article.txt").read_text(encoding="utf-8") == SEED_EXPECTED


def test_stdin_to_stdout():
    result = run("clean", "-", input=SEED.read_bytes())
    assert result.exit_code == 0 and result.stdout == SEED_EXPECTED


def test_stdin_jsonl():
    result = run("clean", "-", "--format", "jsonl", input=SEED.read_bytes())
    record = json.loads(result.stdout)
    assert set(record) == {"id", "text", "metadata"}
    assert record["text"] == SEED_EXPECTED and record["metadata"]["language"] == "fr"


def test_folder_as_jsonl_on_stdout_and_in_outdir(tree, tmp_path):
    result = run("clean", str(tree), "--format", "jsonl", "-j", "1")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["empty", "fr/seed"]
    out = tmp_path / "out"
    run("clean", str(tree), "--format", "jsonl", "-o", str(out), "-j", "1")
    stored = [json.loads(line) for line in (out / "documents.jsonl").read_text().splitlines()]
    assert stored == records and not (out / "fr").exists()


def test_stdin_bad_bytes_is_one_line_error():
    result = run("clean", "-", input=b"\xff\xfe\x00bad" + b"\x00" * 3)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "<stdin>" in result.stderr


def test_several_inputs_need_an_outdir(tree):
    result = run("clean", str(tree))
    assert result.exit_code == 2 and "-o OUTDIR" in result.stderr


def test_bad_rule_pack_exits_2_with_file_and_line(tmp_path, tree):
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: bad\ndescription: d\nrules:\n  - id: x\n    description: d\n    delete: '(x'\n"
                   "    examples: [{in: a, out: a}]\n")
    for args in (["clean", str(tree), "-o", str(tmp_path / "o")], ["rules", "list"], ["rules", "test"]):
        result = run(*args, "--rules", str(bad))
        assert result.exit_code == 2, args
        assert f"{bad}:6: rule 'x': bad regex in delete" in result.stderr


def test_rules_test_names_failing_rule(tmp_path):
    pack = tmp_path / "p.yaml"
    pack.write_text("pack: p\ndescription: d\nrules:\n  - id: wrong-rule\n    description: d\n"
                    "    delete: x\n    examples:\n      - {in: ax, out: ax}\n")
    result = run("rules", "test", str(pack))
    assert result.exit_code == 2
    assert f"FAIL {pack}:8: rule 'wrong-rule' fails its example" in result.stderr
    assert "1 rules, 1 examples, 1 failed" in result.stdout
    ok = run("rules", "test")
    assert ok.exit_code == 0 and re.search(r"\d+ rules, \d+ examples, 0 failed", ok.stdout)


def test_rules_list_shows_every_rule():
    result = run("rules", "list")
    assert "new-window-label" in result.stdout and "tweet-embed-line" in result.stdout
    assert re.search(r"^on  new-window-label +delete +fr/labels +re2 ", result.stdout, re.M)


def test_explain_shows_each_edit():
    result = run("explain", str(SEED), "--no-color")
    assert result.exit_code == 0
    out = result.stdout
    assert "rules  new-window-label  (line 7)" in out
    assert "des drones ukrainiens[- (nouvelle fenêtre)-] testés sur" in out
    assert "repair repair/dangling-word  (line 20)" in out
    assert "Une enquête du[-⏎-]New York Times" in out and "Une enquête du{+ +}New York Times" in out
    assert "language: fr" in out


@pytest.mark.parametrize("command", [[], ["clean"], ["check"], ["explain"], ["rules"], ["rules", "list"],
                                     ["rules", "test"]])
def test_help_everywhere(command):
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.stdout and len(result.stdout) > 200


def test_every_command_is_documented_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("cleaner clean", "cleaner check", "cleaner explain", "cleaner report", "cleaner rules list", "cleaner rules test",
                    "cleaner clean --in-place", "cleaner clean --diff", "cleaner check --diff"):
        assert command in readme, command


def test_console_script_runs():
    """The installed entry point, as a user runs it, on the seed."""
    exe = Path(sys.executable).with_name("cleaner")
    result = subprocess.run([str(exe), "clean", str(SEED)], capture_output=True, check=True)
    assert result.stdout.decode("utf-8") == SEED_EXPECTED


# --- saying what is wrong, and nothing else ------------------------------------------------

def test_verbose_shows_our_lines_and_no_library_debug(tmp_path):
    import logging

    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>" + "Un paragraphe de texte assez long pour un article. " * 8
                    + "</p></article></body></html>")
    result = run("clean", str(page), "-o", str(tmp_path / "out"), "-v")
    assert result.exit_code == 0 and f"{page} -> page.txt" in result.stderr
    assert logging.getLogger("cleaner").isEnabledFor(logging.DEBUG)
    for library in ("trafilatura", "htmldate", "charset_normalizer", "urllib3", "courlan"):
        assert not logging.getLogger(library).isEnabledFor(logging.DEBUG), library


def test_a_librarys_warning_does_not_reach_the_user_but_ours_do(tmp_path):
    """dateutil warns on a page's unknown time zone; the user can do nothing about it. A warning of
    ours still shows, and -W (the user's own filters) is obeyed."""
    source = tmp_path / "in.txt"
    source.write_text("Le conseil a voté le budget hier soir, après un long débat sur les écoles.\n", encoding="utf-8")
    script = ("import warnings, sys\n"
              "import cleaner.pipeline as pipeline\n"
              "from cleaner.cli import main\n"
              "real = pipeline.Cleaner.run\n"
              "def run(self, doc):\n"
              "    warnings.warn_explicit('tzname EST not understood', UserWarning, 'parser.py', 1,\n"
              "                           module='dateutil.parser._parser')\n"
              "    warnings.warn_explicit('a warning of ours', UserWarning, 'stage.py', 1, module='cleaner.stage')\n"
              "    return real(self, doc)\n"
              "pipeline.Cleaner.run = run\n"
              "main()\n")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONWARNINGS"}
    env.update(PYTHONPATH=str(ROOT), CLEANER_CACHE_DIR="off")
    for flags, library_shown in (([], False), (["-W", "default"], True)):
        result = subprocess.run([sys.executable, *flags, "-c", script, "clean", str(source), "-o",
                                 str(tmp_path / f"out{len(flags)}"), "-j", "1", "-q"],
                                env=env, capture_output=True, text=True, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "a warning of ours" in result.stderr
        assert ("tzname EST" in result.stderr) is library_shown, result.stderr


@pytest.mark.parametrize("args, says", [
    (["--gzip"], "--gzip shapes the JSONL files written to OUTDIR: it needs --format jsonl and -o OUTDIR"),
    (["--gzip", "--format", "jsonl"], "--gzip shapes the JSONL files written to OUTDIR: it needs -o OUTDIR"),
    (["--gzip", "-o", "OUT"], "--gzip shapes the JSONL files written to OUTDIR: it needs --format jsonl"),
    (["--shard-size", "10", "--format", "jsonl"], "--shard-size shapes the JSONL or Parquet files written to "
                                                  "OUTDIR: it needs -o OUTDIR"),
    (["--shard-size", "10", "-o", "OUT"], "--shard-size shapes the JSONL or Parquet files written to OUTDIR: "
                                          "it needs --format jsonl or parquet"),
])
def test_jsonl_file_options_without_jsonl_files_say_what_is_missing(tree, tmp_path, args, says):
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    result = run("clean", str(tree), *args)
    assert result.exit_code == 2 and says in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_relative_and_absolute_paths_of_the_same_files_are_the_same_inputs(tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    first = run("clean", "in", "-o", str(out), "-j", "1")
    assert "cleaned 2 file(s), 1 failed, 0 up to date" in first.stderr
    for spelling in (str(tree), "./in/", str(tmp_path / "in" / ".." / "in")):
        again = run("clean", spelling, "-o", str(out), "-j", "1")
        assert "cleaned 0 file(s), 1 failed, 2 up to date" in again.stderr, (spelling, again.stderr)
    assert {record["source"] for record in manifest(out)} == {"in/fr/seed.txt", "in/bad.txt", "in/empty.txt"}


def test_progress_bar_has_a_total_when_the_inputs_are_files(tree, monkeypatch):
    from cleaner.batch import report

    totals = []
    real = report.TerminalEvents.__init__

    def init(self, quiet, verbose, total=None):
        totals.append(total)
        real(self, quiet, verbose, total)

    monkeypatch.setattr(report.TerminalEvents, "__init__", init)
    files = [str(tree / "fr" / "seed.txt"), str(tree / "empty.txt")]
    run("clean", *files, "-o", str(tree.parent / "out1"))
    run("clean", str(tree), "-o", str(tree.parent / "out2"))
    assert totals == [2, None]  # a folder is walked as it is cleaned: its count is not known


def test_every_error_line_starts_the_same_way(tree, tmp_path):
    pack = tmp_path / "two.yaml"
    pack.write_text("pack: two\ndescription: d\nrules:\n"
                    "  - id: a\n    description: d\n    delete: '(x'\n    examples: [{in: x, out: ''}]\n"
                    "  - id: b\n    description: d\n    delete: '(y'\n    examples: [{in: y, out: ''}]\n")
    cases = [
        (["clean", str(tree), "--bogus"], 2),  # click's own usage error
        (["clean", str(tree)], 2),  # ours
        (["clean", str(tree), "-o", str(tmp_path / "out"), "--rules", str(pack)], 2),  # two mistakes, two lines
        (["explain", str(tmp_path / "missing.txt")], 1),
        (["clean", str(tree), "-o", str(tmp_path / "out2"), "-j", "1"], 1),  # a bad input
    ]
    for args, code in cases:
        result = run(*args)
        assert result.exit_code == code, (args, result.stderr)
        errors = [line for line in result.stderr.splitlines()
                  if line and not line.startswith(("Usage:", "Try ", "cleaned ", "languages:", "top rules:"))]
        assert errors and all(line.startswith("error: ") for line in errors), (args, result.stderr)
    assert len([line for line in run(*cases[2][0]).stderr.splitlines() if "bad regex" in line]) == 2
