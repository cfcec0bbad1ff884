"""The Python API and determinism across processes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import cleaner
from cleaner import Cleaner, Document, Edit, InputError, Stage, clean
from cleaner import load_config
from conftest import FIXTURES, ROOT

SEED = (FIXTURES / "seed-000" / "input.txt").read_bytes()


def test_clean_returns_text_language_score_and_edits():
    result = clean(SEED.decode("utf-8"))
    assert isinstance(result, Document)
    assert result.text == (FIXTURES / "seed-000" / "expected.txt").read_text(encoding="utf-8")
    assert result.language == "fr" and isinstance(result.language_score, float)
    assert any(edit.rule == "new-window-label" and edit.before.strip() == "(nouvelle fenêtre)"
               for edit in result.edits)
    assert result.to_json()["metadata"]["language"] == "fr"


def test_cleaner_is_reused_across_documents(cleaner):
    texts = ["Le chat dort sur le canapé du salon depuis ce matin.",
             "The cat has been sleeping on the living room sofa since this morning."]
    assert [cleaner.clean(t).language for t in texts] == ["fr", "en"]
    assert cleaner.clean(texts[0]).text == cleaner.clean(texts[0]).text


class Shout:
    """A user's stage: upper-cases one word, with an edit per change, like the built-in stages."""

    name = "shout"

    def __call__(self, doc: Document) -> Document:
        start = doc.text.find("chat")
        if start >= 0:
            doc.edits.append(Edit.at(self.name, "shout/chat", doc.text, start, start + 4, "CHAT"))
            doc.text = doc.text[:start] + "CHAT" + doc.text[start + 4:]
        return doc


def test_every_stage_is_a_document_to_document_callable(cleaner):
    names = [stage.name for stage in cleaner.stages]
    assert names == ["parse", "prune", "extract", "text", "language"]
    assert [stage.name for stage in cleaner.stage("text").stages] == ["language-in", "fix", "rules", "shapes", "repair", "normalise"]
    assert all(isinstance(stage, Stage) for stage in [*cleaner.stages, *cleaner.stage("text").stages])
    doc = cleaner.stage("normalise")(Document(text="Un  deux\n\n\ntrois"))
    assert isinstance(doc, Document) and doc.text == "Un deux\n\ntrois\n"


def test_a_user_stage_is_inserted_and_runs_to_the_fixed_point():
    mine = Cleaner(load_config())
    mine.insert(Shout(), after="repair")
    assert [stage.name for stage in mine.stage("text").stages] == ["language-in", "fix", "rules", "shapes", "repair", "shout", "normalise"]
    doc = mine.clean("Le chat et le chat dorment sur le canapé du salon.")
    assert doc.text == "Le CHAT et le CHAT dorment sur le canapé du salon.\n"  # the second round took the second
    assert [edit.rule for edit in doc.edits] == ["shout/chat", "shout/chat"]
    mine.insert(Shout(), before="parse")
    assert mine.stages[0].name == "shout"
    with pytest.raises(KeyError, match="no stage named 'nope'"):
        mine.insert(Shout(), after="nope")


def test_html_stages_leave_no_tree_behind(cleaner):
    page = b"<html><body><article><p>Le chat dort sur le canap\xc3\xa9 du salon depuis ce matin.</p></article></body></html>"
    doc = cleaner.read(page, path="page.html")
    assert doc.html and doc.tree is None
    doc = cleaner.stage("parse")(doc)
    assert doc.tree is not None
    doc = cleaner.run(doc)
    assert doc.tree is None and not doc.html and "tree" not in doc.to_json()
    assert doc.text == cleaner.clean(page, path="page.html").text


def test_bytes_input_raises_input_error():
    with pytest.raises(InputError, match="doc-1: binary data, not text"):
        clean(b"\xe9t\x00\xe9", id="doc-1")


SCRIPT = """
import json, sys
from cleaner import clean
texts = json.load(sys.stdin)
print(json.dumps([[clean(t).language, clean(t).language_score] for t in texts]))
"""


def test_language_is_the_same_in_any_order_and_process():
    texts = ["Ceci est un court texte en français.", "Short English text here.", "ok",
             "Der Hund schläft im Garten.", SEED.decode("utf-8")[:400]]
    runs = []
    for order, seed in ((texts, "1"), (texts[::-1], "2")):
        out = subprocess.run([sys.executable, "-c", SCRIPT], input=json.dumps(order), text=True,
                             capture_output=True, check=True, cwd=ROOT,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        got = json.loads(out.stdout)
        runs.append(got if order is texts else got[::-1])
    assert runs[0] == runs[1]
    assert runs[0][0][0] == "fr" and runs[0][1][0] == "en"


def test_version_is_exposed():
    assert cleaner.__version__


def test_wheel_ships_the_rule_packs(tmp_path):
    """A plain `pip install` gets rules/ inside the package, so the packs work outside a checkout."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("article_cleaner-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    packs = {p.relative_to(ROOT / "rules").as_posix() for p in (ROOT / "rules").rglob("*.yaml")}
    assert packs and {f"cleaner/packs/{p}" for p in packs} <= names
    assert "cleaner/default.toml" in names


def test_the_readme_example_of_a_user_stage_runs():
    """README's example of a stage of one's own is run as it stands (it asserts its own result)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(code for code in readme.split("```python\n")[1:] if "class DropUrls" in code).split("```")[0]
    assert len(block.strip().splitlines()) <= 16
    exec(compile(block, "README.md", "exec"), {})
