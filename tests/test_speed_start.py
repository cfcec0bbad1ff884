"""A start that costs little (issue 15): the built rule packs, widened prefilter programs and
language model come from a cache that can never change an output; a run of text files imports
no HTML stack; big files cost time in proportion to their size."""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner, Document, cache
from cleaner.config import DEFAULT_PROFILE, _read_toml, _validate
from cleaner.document import Edit
from cleaner.errors import RuleError
from cleaner.rules.pack import load_packs_cached
from cleaner.rules.regex import Regex
from cleaner.text.langmodel import LanguageModel
from cleaner.text.language import language_model
from cleaner.text.repair import Repairer

ROOT = Path(__file__).resolve().parents[1]
PAGE = ("<html lang='fr'><body><nav><a href='/'>Accueil</a> <a href='/a'>Sport</a></nav><article><h1>Titre</h1>"
        + "<p>Le conseil municipal a voté le budget de la commune pour l'année qui vient, après un long débat.</p>" * 4
        + "</article></body></html>")
TEXT = "Le maire a parlé à la presse\n, a-t-il dit, de la situation du pays.\nPartager\nLa suite du texte ici.\n"

PACK = """pack: mine
description: a pack of the test
rules:
  - id: drop-bonus
    description: drops a bonus line
    drop-line: '^Bonus$'
    examples:
      - in: "A.\\nBonus\\nB."
        out: "{out}"
"""


def outputs(cleaner: Cleaner) -> list[tuple[str, str, list]]:
    docs = [cleaner.clean(TEXT), cleaner.clean(PAGE.encode(), path="page.html")]
    return [(d.text, d.language, [(e.rule, e.line, e.before, e.after) for e in d.edits]) for d in docs]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(folder))
    return folder


def test_default_profile_is_valid():
    """A start without a user config skips validating the shipped profile: it must be valid."""
    _validate(_read_toml(DEFAULT_PROFILE), "default")


def test_a_cleaner_from_the_cache_cleans_as_a_built_one(cache_dir: Path):
    built = Cleaner()  # empty cache: built, examples run, stored
    entries = sorted(p.name.split("-")[0] for p in cache_dir.glob("*.pickle"))
    assert entries == ["packs", "widened"]  # the language model: on first use, once per process
    loaded = Cleaner()
    assert [(r.id, r.enabled, type(r).__name__) for r in loaded.rules] == \
        [(r.id, r.enabled, type(r).__name__) for r in built.rules]
    assert outputs(loaded) == outputs(built)


def test_a_changed_pack_is_built_and_its_examples_run_again(cache_dir: Path, tmp_path: Path):
    pack = tmp_path / "mine.yaml"
    pack.write_text(PACK.format(out="A.\\nB."), encoding="utf-8")
    assert "drop-bonus" in [r.id for r in load_packs_cached(["*"], [pack])]
    assert "drop-bonus" in [r.id for r in load_packs_cached(["*"], [pack])]  # from the cache
    pack.write_text(PACK.format(out="A.\\nBonus\\nB."), encoding="utf-8")  # now a wrong example
    with pytest.raises(RuleError, match="drop-bonus"):
        load_packs_cached(["*"], [pack])


@pytest.mark.parametrize("setting", ["off", "file"])
def test_no_cache_or_an_unusable_one_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("CLEANER_CACHE_DIR", "off" if setting == "off" else str(blocker / "cache"))
    cache.store("packs", "k", [1])
    assert cache.load("packs", "k") is None
    assert blocker.read_text() == "x" and list(tmp_path.iterdir()) == [blocker]


def test_a_damaged_entry_is_a_miss(cache_dir: Path):
    cache.store("packs", "k", [1, 2])
    assert cache.load("packs", "k") == [1, 2]
    entry = next(cache_dir.glob("packs-k.pickle"))
    entry.write_bytes(entry.read_bytes()[:-3])
    assert cache.load("packs", "k") is None
    cache.store("packs", "k", [3])  # written again, atomically: no temporary file left
    assert cache.load("packs", "k") == [3] and [p.name for p in cache_dir.iterdir()] == ["packs-k.pickle"]


def test_old_entries_go(cache_dir: Path):
    for number in range(cache.KEEP + 3):
        cache.store("widened", f"k{number}", [number])
        os.utime(cache_dir / f"widened-k{number}.pickle", (number, number))
    assert len(list(cache_dir.glob("widened-*.pickle"))) == cache.KEEP


def test_a_pickled_regex_compiles_on_first_use_and_matches_the_same():
    for source in (r"(?i)^partager\s*$", r"(\w+) (?=dit)", r"a{2,3}b"):
        regex = Regex(source, 8)
        copy = pickle.loads(pickle.dumps(regex))
        assert "python" not in copy.__dict__ and "re2" not in copy.__dict__
        assert copy.engine == regex.engine
        text = "Il a dit.\nPartager\naaab aab"
        assert [m.span() for m in copy.finditer(text)] == [m.span() for m in regex.finditer(text)]


def test_a_pickled_language_model_gives_the_same_probabilities():
    model = language_model()
    copy = pickle.loads(pickle.dumps(model))
    assert isinstance(copy, LanguageModel) and copy.languages == model.languages
    for text in (TEXT, "The council voted the budget.", "Der Rat hat den Haushalt beschlossen."):
        assert copy.probabilities(text).tolist() == model.probabilities(text).tolist()


def test_a_run_of_text_files_imports_no_html_stack(tmp_path: Path):
    """trafilatura, lxml and cssselect load on the first page only; YAML and the schema
    validator only when a pack is built; tqdm only for a progress bar on a terminal."""
    source = tmp_path / "in.txt"
    source.write_text(TEXT, encoding="utf-8")
    script = ("import sys; from cleaner.cli import main\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "heavy = ('trafilatura', 'lxml', 'cssselect', 'yaml', 'jsonschema', 'tqdm', 'charset_normalizer')\n"
              "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))")
    env = {**os.environ, "CLEANER_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    runs = []
    for out in ("out1", "out2"):
        command = [sys.executable, "-c", script, "clean", str(source), "-o", str(tmp_path / out), "-q"]
        result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=tmp_path, check=True)
        runs.append(json.loads(result.stdout.strip().splitlines()[-1].replace("'", '"')))
    assert runs[1] == []  # the second start takes everything from the cache
    assert (tmp_path / "out1" / "in.txt").read_bytes() == (tmp_path / "out2" / "in.txt").read_bytes()


def test_repair_numbers_its_lines_without_counting_from_the_start(monkeypatch: pytest.MonkeyPatch):
    """Counting newlines from the start at each edit made a big dump quadratic: each edit
    now comes with its line, the one ``Edit.at`` would have counted."""
    at = Edit.at.__func__
    asked = []

    def checked(cls, stage, rule, text, start, end, after, line=None):
        asked.append(line)
        edit = at(cls, stage, rule, text, start, end, after, line)
        assert edit.line == text.count("\n", 0, start) + 1
        return edit

    monkeypatch.setattr(Edit, "at", classmethod(checked))
    text = "Intro.\n\nIl a dit\nque oui et\n\n« Bonjour\n», a-t-il lancé.\nFin.\n" * 3
    doc = Repairer()(Document(text=text))
    assert doc.edits and None not in asked


def test_the_language_model_from_the_cache_is_the_built_one(cache_dir: Path):
    built = language_model.__wrapped__()  # empty cache: built from the profiles, stored
    loaded = language_model.__wrapped__()  # the matrix mapped from its file, the rest unpickled
    assert not loaded.matrix.flags.writeable and (loaded.matrix == built.matrix).all()
    assert loaded.index == built.index and loaded.languages == built.languages
    for text in (TEXT, "The council voted the budget.", "Der Rat hat den Haushalt beschlossen."):
        assert loaded.probabilities(text).tolist() == built.probabilities(text).tolist()
