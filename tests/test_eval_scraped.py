"""The scraped-dev quality gate: the real pages in ../shared/realnews, scored by their own score.py,
must not fall below the floors pinned in eval/baseline-scraped-dev.json."""
from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import ROOT, SHARED, require_data

_SPEC = importlib.util.spec_from_file_location("scraped_dev_eval", ROOT / "eval" / "scraped_dev.py")
scraped_dev = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = scraped_dev  # dataclasses look their module up there
_SPEC.loader.exec_module(scraped_dev)

SCORE_OUTPUT = """\
file                                                 kind      item
en_bbc.txt                                           artefact  Related headline
fr_x.txt                                             join      Une phrase coupée.

artefacts removed by kind: teaser 29/34  embed 27/27  share 18/18
heldout: artefacts_removed=0.955 content_kept=0.992 joins=0.983 lang=1.000 docs=24
"""


def test_score_output_is_parsed_into_figures():
    result = scraped_dev.parse_score(SCORE_OUTPUT)
    assert result.metrics == {"artefacts_removed": 0.955, "content_kept": 0.992, "joins": 0.983, "lang": 1.0}
    assert result.by_kind == {"teaser": (29, 34), "embed": (27, 27), "share": (18, 18)}
    assert result.figures()["kind/teaser"] == 0.853
    assert len(result.failures) == 2


def test_a_figure_under_its_floor_is_reported():
    result = scraped_dev.parse_score(SCORE_OUTPUT)
    assert scraped_dev.below_floors(result, {"joins": 0.983, "kind/embed": 1.0}) == []
    low = scraped_dev.below_floors(result, {"joins": 0.99, "kind/teaser": 0.9, "kind/ad": 1.0})
    assert low == ["joins: 0.983 < floor 0.990", "kind/ad: 0.000 < floor 1.000", "kind/teaser: 0.853 < floor 0.900"]


def test_missing_score_line_is_an_error():
    with pytest.raises(ValueError, match="no 'heldout:' line"):
        scraped_dev.parse_score("Traceback …")


def test_floors_reach_the_issue_targets():
    floors = scraped_dev.load_floors()
    # artefacts_removed was 0.95 (issue 3), reached with teaser regexes copied from these pages;
    # without them (issue 11) it is 0.91: the target stays below what generic rules reach, for now
    targets = {"artefacts_removed": 0.90, "content_kept": 0.97, "joins": 0.90, "lang": 0.98}
    assert all(floors[name] >= target for name, target in targets.items()), floors


def test_scraped_dev_figures_stay_above_their_floors():
    require_data(SHARED / "realnews" / "scraped-dev" / "dumps", "the scraped-dev gate")
    result = scraped_dev.run(SHARED / "realnews")
    low = scraped_dev.below_floors(result, scraped_dev.load_floors())
    assert not low, "below the pinned floors:\n" + "\n".join(low) + "\nscore.py failures:\n" + "\n".join(
        result.failures)
