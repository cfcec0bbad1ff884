"""The pool gates: the validate split of ../shared/realnews/pool (sites no rule was written from),
as text dumps and as HTML pages, must stay within the floors and ceilings pinned in
eval/baseline-pool-*.json. Without the data set they skip, except under CI, where they fail."""
from __future__ import annotations

import importlib.util
import os
import sys

import pytest

from conftest import ROOT, SHARED

_SPEC = importlib.util.spec_from_file_location("pool_eval", ROOT / "eval" / "pool.py")
pool = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = pool  # dataclasses look their module up there
_SPEC.loader.exec_module(pool)

DATA = SHARED / "realnews" / "pool"


def _page(name: str, lang: str, ours_r: float, theirs_r: float, boiler: int = 0) -> pool.Page:
    def score(r: float) -> dict:
        return {"P": 1.0, "R": r, "F1": 2 * r / (1 + r), "whole": 1, "paras": 1, "boiler": boiler}
    return pool.Page(name, lang, score(ours_r), score(theirs_r), language=lang)


def test_pages_worse_than_trafilatura_are_counted_for_html_only():
    pages = [_page("a", "en", 0.90, 0.96), _page("b", "en", 0.92, 0.96), _page("c", "pl", 0.5, 0.5)]
    assert [p.name for p in pool.Report("html", "validate", pages).worse()] == ["a"]
    assert pool.Report("dumps", "validate", pages).worse() == []


def test_figures_past_a_floor_or_a_ceiling_fail_the_gate():
    report = pool.Report("html", "validate", [_page("a", "en", 0.90, 0.96, boiler=3)])
    baseline = {"floors": {"R": 0.95, "lang": 1.0}, "ceilings": {"boiler": 2.0, "worse_than_baseline": 1}}
    assert pool.failures(report, baseline) == ["R: 0.900 < floor 0.950", "boiler: 3.000 > ceiling 2.000"]


def test_figures_are_given_by_language():
    report = pool.Report("dumps", "validate", [_page("a", "en", 1.0, 1.0), _page("b", "zh", 0.5, 1.0)])
    assert report.figures(lang="zh")["R"] == 0.5 and report.figures()["R"] == 0.75
    assert [line.split()[0] for line in pool.table(report)[1:]] == ["en", "en", "zh", "zh", "all", "all"]


def _data_or_skip() -> None:
    if not (DATA / "gold.json").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{DATA} is missing: CI must run the pool gates")
        pytest.skip("../shared/realnews/pool not present: the pool gates need the data set beside the repository")


@pytest.mark.parametrize("mode", ["dumps", "html"])
def test_pool_validate_stays_within_its_pinned_figures(mode):
    _data_or_skip()
    report = pool.evaluate(mode, "validate", SHARED / "realnews", jobs=2)
    wrong = pool.failures(report, pool.load_baseline(mode))
    worse = [f"{p.name} R {p.ours['R']:.3f} < {p.baseline['R']:.3f}" for p in report.worse()]
    assert not wrong, "\n".join([*wrong, *pool.table(report), *worse])
