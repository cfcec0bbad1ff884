"""The pre-commit hooks, run by the real pre-commit in temporary git repositories.

The hook repository is a snapshot of this working tree as one commit (committed files,
local changes and new files alike), so the hooks tested are the ones of the tree under test,
in CI's clean clone as in a checkout with uncommitted work. `pre-commit try-repo` makes the
same kind of snapshot, but only of tracked files, and builds the hook's virtualenv again on
every call (in a throwaway store): a config pointing at the snapshot, with PRE_COMMIT_HOME set
once per session, builds it once (pip-installing this project, the slow part).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cleaner.batch.inplace import not_prose
from conftest import FIXTURES, ROOT

# the text cases (the hooks take *.txt files; HTML pages are cleaned into new files, not in place)
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.txt").exists() and (p / "input.txt").exists())
IDENTITY = {"GIT_AUTHOR_NAME": "cleaner tests", "GIT_AUTHOR_EMAIL": "tests@cleaner.invalid",
            "GIT_COMMITTER_NAME": "cleaner tests", "GIT_COMMITTER_EMAIL": "tests@cleaner.invalid"}
OLD_TIME = 1_000_000_000 * 10**9  # ns, in 2001: an mtime a rewritten file could not keep by chance


def environment(**extra: str) -> dict[str, str]:
    """This process's environment without GIT_* (a test run from a git hook must not reach the
    outer repository), with a committer identity."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    return {**env, **IDENTITY, **extra}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=cwd, env=environment(), check=True, capture_output=True, text=True).stdout


def new_repo(path: Path, files: dict[str, bytes | Path]) -> Path:
    """A git repository with ``files`` (bytes, or a file to copy) added to its index."""
    for name, content in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copy2(content, target)
        else:
            target.write_bytes(content)
    git(path, "init", "-q")
    git(path, "add", "-A")
    return path


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory) -> tuple[str, str]:
    """This working tree, as git sees it (ignored files left out), committed in a new repository."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    files = {name: ROOT / name for name in listed if name and (ROOT / name).is_file()}
    assert ".pre-commit-hooks.yaml" in files
    repo = new_repo(tmp_path_factory.mktemp("hook-repo"), files)
    git(repo, "commit", "-q", "-m", "snapshot of the working tree")
    return str(repo), git(repo, "rev-parse", "HEAD").strip()


def pre_commit(project: Path, home: Path, *args: str, env: dict[str, str] | None = None):
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never", *args],
                          cwd=project, env=environment(PRE_COMMIT_HOME=str(home), **(env or {})),
                          capture_output=True, text=True, timeout=1200)


def listed(prefix: str, output: str) -> set[str]:
    return set(re.findall(rf"^{prefix} (\S+)$", output, re.M))


def contents(project: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(project).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in project.rglob("*") if p.is_file() and ".git" not in p.relative_to(project).parts}


# Text files that are not articles, which cleaning would rewrite (invented)
STOPWORDS = b"the\nand\nof\nto\nin\n"
POEM = ("Le vent du soir descend sur la colline,\nEt les troupeaux reviennent lentement ;\n"
        "La lampe brille au fond de la cuisine\nO\u00f9 le pain chaud attend patiemment.\n").encode()
NOTES = b"- call the printer about the proofs\n- buy stamps\n- check the train times for Monday\n"

HOUSE_FIRST = "Le premier paragraphe raconte la séance du conseil municipal de mardi soir."
HOUSE_SECOND = "Le second paragraphe donne la date du prochain vote sur le budget des écoles."
HOUSE_PACK = b"""pack: house
description: Leftovers of our own scraper.
rules:
  - id: advertisement-line
    description: The ad slot label our scraper keeps as a line of its own.
    drop-line: '^HOUSE AD$'
    examples:
      - in: "Un.\\nHOUSE AD\\nDeux."
        out: "Un.\\nDeux."
"""


def test_hooks_check_then_fix_every_golden_fixture_then_pass(hook_repo, pre_commit_home, tmp_path):
    repo, rev = hook_repo
    articles = {f"articles/{case}.txt": FIXTURES / case / "input.txt" for case in CASES}
    # the few golden cases too short to read as prose (a layout toy) are left alone by the hooks
    prose = {name for name, path in articles.items() if not_prose(path.read_text(encoding="utf-8")) is None}
    dirty = {name for name, path in articles.items()
             if name in prose and path.read_bytes() != path.with_name("expected.txt").read_bytes()}
    assert "articles/seed-000.txt" in dirty and len(prose) >= len(articles) - 3
    # The two hooks read different configurations, so that each way of giving one shows:
    # the fixer reads [tool.cleaner] of pyproject.toml (the house pack: HOUSE AD lines,
    # which no built-in rule takes, go); the check hook is given --config cleaner.toml, which turns that rule off.
    config = {"repos": [{"repo": repo, "rev": rev, "hooks": [
        {"id": "cleaner-check", "args": ["--config", "cleaner.toml"]}, {"id": "cleaner"}]}]}
    project = new_repo(tmp_path / "project", {
        **articles,
        "articles/already-clean.txt": FIXTURES / "seed-000" / "expected.txt",
        "articles/house-ad.txt": f"{HOUSE_FIRST}\n\nHOUSE AD\n\n{HOUSE_SECOND}\n".encode(),
        "requirements.txt": b"click>=8\npyyaml>=6\n",            # .txt, but not an article
        "stopwords.txt": STOPWORDS,                                  # not under articles/
        "articles/stopwords.txt": STOPWORDS,                         # under articles/, but not prose:
        "articles/poem.txt": POEM,                                   # cleaning would join their lines
        "articles/notes.txt": NOTES,
        "notes.md": (FIXTURES / "seed-000" / "input.txt").read_bytes(),  # not a .txt file
        "house/house.yaml": HOUSE_PACK,
        "pyproject.toml": b'[tool.cleaner]\nrules = ["house/house.yaml"]\n',
        "cleaner.toml": b'rules = ["house/house.yaml"]\ndisable = ["advertisement-line"]\n',
        ".pre-commit-config.yaml": yaml.safe_dump(config).encode(),
    })
    for name in contents(project):
        os.utime(project / name, ns=(OLD_TIME, OLD_TIME))
    before = contents(project)

    check = pre_commit(project, pre_commit_home, "cleaner-check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert listed("Would fix", check.stdout) == dirty  # house-ad.txt is clean under cleaner.toml
    assert contents(project) == before

    fix = pre_commit(project, pre_commit_home, "cleaner")
    assert fix.returncode == 1, fix.stdout + fix.stderr
    assert "files were modified by this hook" in fix.stdout
    assert listed("Fixing", fix.stdout) == dirty | {"articles/house-ad.txt"}
    assert "articles/poem.txt: left as it is, not prose (short lines that each start with a capital: verse)" \
        in fix.stdout
    after = contents(project)
    for name, source in articles.items():
        if name in prose:
            assert after[name][0] == source.with_name("expected.txt").read_bytes(), name
    assert after["articles/house-ad.txt"][0] == f"{HOUSE_FIRST}\n\n{HOUSE_SECOND}\n".encode()
    untouched = set(before) - dirty - {"articles/house-ad.txt"}
    assert {name: after[name] for name in untouched} == {name: before[name] for name in untouched}

    again = pre_commit(project, pre_commit_home)
    assert again.returncode == 0, again.stdout + again.stderr
    assert re.search(r"^check articles are clean\.+Passed$", again.stdout, re.M), again.stdout
    assert re.search(r"^clean articles\.+Passed$", again.stdout, re.M), again.stdout
    assert contents(project) == after


def test_project_config_keeps_seeds_clean(pre_commit_home, tmp_path):
    """The project's own .pre-commit-config.yaml, run on a copy of seeds/: it passes and changes
    nothing; the same config fixes a seed that is not clean."""
    seeds = {p.relative_to(ROOT).as_posix(): p for p in (ROOT / "seeds").rglob("*") if p.is_file()}
    assert seeds
    project = new_repo(tmp_path / "project", {
        **seeds, ".pre-commit-config.yaml": ROOT / ".pre-commit-config.yaml", "pyproject.toml": ROOT / "pyproject.toml"})
    before = contents(project)
    on_path = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}

    run = pre_commit(project, pre_commit_home, env=on_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"^clean seed articles\.+Passed$", run.stdout, re.M), run.stdout
    assert contents(project) == before

    (project / "seeds" / "new.txt").write_bytes((FIXTURES / "seed-000" / "input.txt").read_bytes())
    git(project, "add", "seeds/new.txt")
    dirty = pre_commit(project, pre_commit_home, env=on_path)
    assert dirty.returncode == 1 and listed("Fixing", dirty.stdout) == {"seeds/new.txt"}, dirty.stdout


def test_manifest_hooks_share_files_with_the_project_hook():
    """The two hooks of the manifest select the same files; the project's hook runs the fixer's entry."""
    fixer, checker = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (fixer["id"], checker["id"]) == ("cleaner", "cleaner-check")
    for key in ("language", "types", "files", "exclude"):
        assert fixer[key] == checker[key], key
    assert fixer["language"] == "python" and fixer["types"] == ["text"]
    exclude, files = re.compile(fixer["exclude"]), re.compile(fixer["files"])
    for name in ("requirements.txt", "requirements-dev.txt", "docs/LICENSE.txt", "articles/CMakeLists.txt"):
        assert exclude.search(name), name
    for name in ("articles/notice-of-strike.txt", "data/articles/fr/authorship.txt"):
        assert files.search(name) and not exclude.search(name), name
    for name in ("stopwords.txt", "docs/notes.txt", "poems/ode.txt", "articles/a.html", "myarticles/a.txt"):
        assert not files.search(name), name
    for hook in (fixer, checker):
        assert "--prose-only" in hook["entry"].split()
    (local,) = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]
    assert local["entry"] == fixer["entry"] and local["types"] == fixer["types"]
