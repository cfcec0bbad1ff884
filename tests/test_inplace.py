"""In-place cleaning, --check and --diff: exit codes as black, untouched files keep bytes and mtime."""
from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from cleaner import load_config
from cleaner.batch import inplace
from cleaner.cli import main
from conftest import FIXTURES
from test_properties import ARTICLE_LIKE

SEED = (FIXTURES / "seed-000" / "input.txt").read_bytes()
SEED_CLEAN = (FIXTURES / "seed-000" / "expected.txt").read_bytes()
OLD_TIME = 1_000_000_000 * 10**9


def run(*args: str, cwd: Path | None = None):
    if cwd is None:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    here = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(here)


def state(*paths: Path) -> list[tuple[bytes, int, int]]:
    return [(p.read_bytes(), p.stat().st_mtime_ns, stat.S_IMODE(p.stat().st_mode)) for p in paths]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    made = {"dirty": (tmp_path / "dirty.txt", SEED), "clean": (tmp_path / "clean.txt", SEED_CLEAN),
            "bad": (tmp_path / "bad.txt", b"caf\x00 au lait\n")}
    for path, data in made.values():
        path.write_bytes(data)
        os.utime(path, ns=(OLD_TIME, OLD_TIME))
    return {key: path for key, (path, _) in made.items()}


def test_in_place_rewrites_only_what_changes_and_reports_bad_files(files, tmp_path):
    missing = tmp_path / "missing.txt"
    untouched_before = state(files["clean"], files["bad"])
    result = run("clean", "--in-place", "-j", "1", *map(str, files.values()), str(missing))
    assert result.exit_code == 1
    assert result.stdout == f"Fixing {files['dirty']}\n"
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {files['bad']}: binary data, not text (NUL byte at offset 3)",
                      f"error: {missing}: cannot read (No such file or directory)"]
    assert "1 file(s) fixed, 1 clean, 2 failed" in result.stderr
    assert files["dirty"].read_bytes() == SEED_CLEAN
    assert state(files["clean"], files["bad"]) == untouched_before
    assert not list(tmp_path.glob(".*.tmp"))

    again = run("clean", "--in-place", "-j", "1", str(files["dirty"]), str(files["clean"]))
    assert again.exit_code == 0 and again.stdout == ""


@pytest.mark.parametrize("command", [["check"], ["clean", "--check"]])
def test_check_changes_nothing_and_lists_what_would_change(files, command):
    before = state(*files.values())
    result = run(*command, "-j", "1", str(files["dirty"]), str(files["clean"]))
    assert result.exit_code == 1 and result.stdout == f"Would fix {files['dirty']}\n"
    assert state(*files.values()) == before
    ok = run(*command, "-j", "1", str(files["clean"]))
    assert ok.exit_code == 0 and ok.stdout == "" and "0 file(s) would be fixed, 1 clean, 0 failed" in ok.stderr
    failed = run(*command, "-j", "1", str(files["clean"]), str(files["bad"]))
    assert failed.exit_code == 1 and f"error: {files['bad']}: binary data, not text" in failed.stderr


def test_diff_is_a_patch_that_makes_the_file_clean(tmp_path):
    dirty = tmp_path / "a.txt"
    dirty.write_bytes(b"Titre\r\nUn  texte (nouvelle fen\xc3\xaatre) ici.\r\nFin")  # CRLF, no final newline
    diff = run("clean", "--diff", "-j", "1", "a.txt", cwd=tmp_path)
    assert diff.exit_code == 0 and dirty.read_bytes().endswith(b"Fin")  # --diff alone: exit 0, as black
    assert diff.stdout.startswith("--- a.txt\n+++ a.txt\n@@ ") and "\\ No newline at end of file\n" in diff.stdout
    checked = run("check", "--diff", "-j", "1", "a.txt", cwd=tmp_path)
    assert checked.exit_code == 1 and checked.stdout == diff.stdout  # the diff, no "Would fix" lines
    subprocess.run(["patch", "-s", "-p0"], input=diff.stdout_bytes, cwd=tmp_path, check=True)
    assert dirty.read_bytes() == b"Titre\n\nUn texte ici.\n\nFin\n"
    assert run("clean", "--diff", "-j", "1", "a.txt", cwd=tmp_path).stdout == ""


def test_diff_shows_a_byte_order_mark_and_an_encoding_change(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbfTitre\n")
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes("Titre\n".encode("utf-16"))
    result = run("check", "--diff", "-j", "1", str(bom), str(utf16))
    assert result.exit_code == 1
    assert f"-\ufeffTitre\n+Titre\n" in result.stdout
    assert f"{utf16}: only the encoding would change (to UTF-8)" in result.stderr


def test_in_place_keeps_mode_and_writes_through_symlinks(tmp_path):
    target = tmp_path / "article.txt"
    target.write_bytes(SEED)
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target.name)
    result = run("clean", "--in-place", "-j", "1", str(link))
    assert result.exit_code == 1 and result.stdout == f"Fixing {link}\n"
    assert link.is_symlink() and target.read_bytes() == SEED_CLEAN
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_folders_with_workers(tmp_path):
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "a.txt").write_bytes(SEED)
    (tmp_path / "b.txt").write_bytes(SEED_CLEAN)
    (tmp_path / "c.md").write_bytes(SEED)
    result = run("check", "-j", "2", str(tmp_path))
    assert result.exit_code == 1 and result.stdout == f"Would fix {tmp_path / 'fr' / 'a.txt'}\n"
    assert run("check", "-j", "1", "--include", "*.md", str(tmp_path)).stdout == f"Would fix {tmp_path / 'c.md'}\n"


def test_config_and_rules_apply(tmp_path):
    pack = tmp_path / "house.yaml"
    pack.write_text("pack: house\ndescription: d\nrules:\n  - id: ad-line\n    description: d\n"
                    "    drop-line: '^HOUSE AD$'\n    examples: [{in: \"a\\nHOUSE AD\\nb\", out: \"a\\nb\"}]\n")
    article = tmp_path / "a.txt"
    article.write_text("Un.\n\nHOUSE AD\n\nDeux.\n")  # no built-in rule takes it
    assert run("check", "-j", "1", str(article)).exit_code == 0
    assert run("check", "-j", "1", "--rules", str(pack), str(article)).exit_code == 1
    (tmp_path / "cleaner.toml").write_text('rules = ["house.yaml"]\n')
    assert run("clean", "--in-place", "-j", "1", "--config", str(tmp_path / "cleaner.toml"), str(article)).exit_code == 1
    assert article.read_text() == "Un.\n\nDeux.\n"


@pytest.mark.parametrize("args,message", [
    (["clean", "--in-place", "--check"], "cannot be combined"),
    (["clean", "--in-place", "--diff"], "cannot be combined"),
    (["clean", "--in-place", "-o", "out"], "neither -o nor --format"),
    (["clean", "--check", "--format", "jsonl"], "neither -o nor --format"),
    (["check", "-"], "not on '-'"),
    (["check", "--rules", "no-such-pack.yaml"], "no-such-pack.yaml"),
])
def test_usage_errors_exit_2_before_reading(files, args, message):
    before = state(*files.values())
    result = run(*args, str(files["dirty"]))
    assert result.exit_code == 2 and message in result.stderr
    assert state(*files.values()) == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ARTICLE_LIKE)
def test_second_run_passes_on_the_first_runs_output(tmp_path, text):
    """The hook's idempotence: after --in-place, --check finds nothing and the file stays as it is."""
    config = load_config(start=Path("/"))
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode("utf-8"))
    first = inplace.run([path], config, inplace.Mode(write=True), quiet=True)
    os.utime(path, ns=(OLD_TIME, OLD_TIME))
    fixed = state(path)
    assert inplace.run([path], config, inplace.Mode(check=True), quiet=True) == 0
    assert inplace.run([path], config, inplace.Mode(write=True), quiet=True) == 0
    assert state(path) == fixed
    assert first == (0 if fixed[0][0] == text.encode("utf-8") else 1)


NOT_ARTICLES = {  # invented; cleaning would join the lines of each
    "stopwords.txt": b"the\nand\nof\nto\nin\n",
    "requirements.txt": b"click>=8\npyyaml>=6\n",
    "poem.txt": ("Le vent du soir descend sur la colline,\nEt les troupeaux reviennent lentement ;\n"
                 "La lampe brille au fond de la cuisine\nO\u00f9 le pain chaud attend patiemment.\n").encode(),
    "notes.txt": b"- call the printer about the proofs\n- buy stamps\n- check the train times for Monday\n",
}


def test_prose_only_leaves_word_lists_requirements_notes_and_verse_alone(tmp_path):
    for name, data in NOT_ARTICLES.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "article.txt").write_bytes(SEED)
    assert run("check", str(tmp_path)).stdout.count("Would fix") == len(NOT_ARTICLES) + 1  # without it
    result = run("clean", "--in-place", "--prose-only", str(tmp_path), "-j", "1")
    assert result.exit_code == 1 and result.stdout == f"Fixing {tmp_path / 'article.txt'}\n"
    assert all((tmp_path / name).read_bytes() == data for name, data in NOT_ARTICLES.items())
    assert f"{tmp_path / 'poem.txt'}: left as it is, not prose (short lines that each start with a capital: verse)" \
        in result.stderr
    assert "1 file(s) fixed, 0 clean, 4 not prose, 0 failed" in result.stderr
    assert run("check", "--prose-only", str(tmp_path)).exit_code == 0


@pytest.mark.parametrize("case", ["seed-000", "repair-lowercase-start", "repair-quote-styles", "site-fr-one-line-dump"])
def test_articles_and_hard_wrapped_article_text_read_as_prose(case):
    assert inplace.not_prose((FIXTURES / case / "input.txt").read_text(encoding="utf-8")) is None
