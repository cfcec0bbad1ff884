"""The trafilatura-dev quality gate: on its 99 real HTML pages our precision, recall and F1 stay
above the floors of eval/baseline-trafilatura-dev.json, and our F1 above plain
trafilatura.extract's, both measured in this run (eval/trafilatura_dev.py)."""
from __future__ import annotations

import importlib.util
import json
import sys

from conftest import ROOT, require_data

_SPEC = importlib.util.spec_from_file_location("trafilatura_dev_eval", ROOT / "eval" / "trafilatura_dev.py")
evaluation = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = evaluation  # dataclasses look their module up there
_SPEC.loader.exec_module(evaluation)



def test_scoring_is_trafilaturas():
    score = evaluation.Score()
    item = {"with": ["une phrase entière", "absente"], "without": ["Lire aussi", "Partager"]}
    score.add("page.html", "Le début, une  phrase\nentière. Lire aussi : autre chose.", item)
    assert (score.tp, score.fn, score.fp) == (1, 1, 1)
    assert score.figures() == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert score.failures == [("page.html", "missing", "absente"), ("page.html", "kept", "Lire aussi")]


def test_floors_and_the_trafilatura_bar_are_both_checked():
    ours, theirs = evaluation.Score(tp=9, fn=1, fp=1), evaluation.Score(tp=9, fn=1, fp=2)
    assert evaluation.below_floors({"ours": ours, "trafilatura": theirs}, {"f1": 0.9}) == []
    assert evaluation.below_floors({"ours": ours, "trafilatura": theirs}, {"f1": 0.95}) == [
        "f1: 0.9000 < floor 0.9500"]
    assert evaluation.below_floors({"ours": theirs, "trafilatura": ours}, {}) == [
        "f1: 0.8571 not above trafilatura's 0.9000"]


def test_trafilatura_dev_figures_stay_above_floors_and_above_trafilatura():
    require_data(evaluation.DATA / "evaldata.json", "the trafilatura-dev gate")
    scores = evaluation.evaluate(processes=2)
    items = json.loads((evaluation.DATA / "evaldata.json").read_text(encoding="utf-8"))
    assert all(s.tp + s.fn == sum(len(i["with"]) for i in items) for s in scores.values())
    low = evaluation.below_floors(scores, evaluation.load_floors())
    assert not low, "\n".join([*low, scores["ours"].line("ours"), scores["trafilatura"].line("trafilatura")])
