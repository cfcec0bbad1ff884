"""Quality gate on real HTML pages: our pipeline against plain ``trafilatura.extract`` on
../shared/realnews/trafilatura-dev.

usage: python eval/trafilatura_dev.py [--shared DIR] [-j N] [--check] [--raise-floors] [-v] [--json]

Cleans the 99 pages of ``trafilatura-dev/html`` as HTML (the default configuration) and
scores both outputs, in the same run, on the ``with`` / ``without`` snippets of
``evaldata.json`` as trafilatura's own evaluation does: whitespace collapsed, a ``with``
snippet found is a true positive (missing: a false negative), a ``without`` snippet found is
a false positive, pooled over all pages; precision = tp/(tp+fp), recall = tp/(tp+fn),
F1 = 2tp/(2tp+fp+fn). ``--check`` exits 1 when one of our figures is below its floor in
``eval/baseline-trafilatura-dev.json`` or our F1 is not above trafilatura's;
``--raise-floors`` writes the figures that went up (floors never go down). Exit 2 when the
data set is missing.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from cleaner import load_config
from cleaner.batch import workers
from cleaner.batch.source import Job

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared" / "realnews"
DATA = DEFAULT_SHARED / "trafilatura-dev"
BASELINE = Path(__file__).resolve().parent / "baseline-trafilatura-dev.json"


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, name: str, text: str | None, item: dict) -> None:
        flat = " ".join((text or "").split())
        for snippet in item["with"]:
            if snippet in flat:
                self.tp += 1
            else:
                self.fn += 1
                self.failures.append((name, "missing", snippet))
        for snippet in item["without"]:
            if snippet in flat:
                self.fp += 1
                self.failures.append((name, "kept", snippet))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0

    def figures(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}

    def line(self, label: str) -> str:
        return (f"{label:<12} precision={self.precision:.4f} recall={self.recall:.4f} f1={self.f1:.4f} "
                f"(tp={self.tp} fn={self.fn} fp={self.fp})")


def evaluate(data: Path = DATA, processes: int = 2) -> dict[str, Score]:
    """Score our pipeline (default configuration) and plain ``trafilatura.extract`` on every page."""
    items = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))
    pages = [data / "html" / item["file"] for item in items]
    jobs = [Job(page, Path(f"{index:03d}.txt")) for index, page in enumerate(pages)]
    ours, theirs = Score(), Score()
    config = load_config(start=Path("/"))  # the built-in profile, whatever pyproject is around
    for item, outcome in zip(items, workers.clean_files(jobs, config, processes)):
        if outcome.error:
            raise RuntimeError(outcome.error)
        ours.add(item["file"], outcome.text, item)
    for item, page in zip(items, pages):
        theirs.add(item["file"], trafilatura.extract(page.read_bytes()), item)
    return {"ours": ours, "trafilatura": theirs}


def load_floors(path: Path = BASELINE) -> dict[str, float]:
    return json.loads(path.read_text(encoding="utf-8"))["floors"]


def below_floors(scores: dict[str, Score], floors: dict[str, float]) -> list[str]:
    """What fails the gate: each of our figures under its floor, and an F1 not above trafilatura's."""
    figures = scores["ours"].figures()
    low = [f"{name}: {figures[name]:.4f} < floor {floor:.4f}" for name, floor in sorted(floors.items())
           if figures[name] < floor]
    if scores["ours"].f1 <= scores["trafilatura"].f1:
        low.append(f"f1: {scores['ours'].f1:.4f} not above trafilatura's {scores['trafilatura'].f1:.4f}")
    return low


def raise_floors(scores: dict[str, Score], path: Path = BASELINE) -> dict[str, float]:
    """Pin the figures that went up; a floor never goes down."""
    baseline = json.loads(path.read_text(encoding="utf-8"))
    figures = scores["ours"].figures()
    baseline["floors"] = {name: max(floor, figures[name]) for name, floor in baseline["floors"].items()}
    path.write_text(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return baseline["floors"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the realnews folder")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="worker processes for our pipeline")
    parser.add_argument("--check", action="store_true", help="exit 1 when the gate fails")
    parser.add_argument("--raise-floors", action="store_true", help="pin the figures that went up")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every failed snippet")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    data = args.shared / "trafilatura-dev"
    if not (data / "evaldata.json").is_file():
        print(f"error: {data / 'evaldata.json'} not found (the real-news data set lives beside the repository)",
              file=sys.stderr)
        return 2
    scores = evaluate(data, processes=args.jobs)
    if args.json:
        print(json.dumps({name: score.figures() for name, score in scores.items()}, indent=2))
    else:
        for name, score in scores.items():
            print(score.line(name))
    if args.verbose:
        for name, score in scores.items():
            for page, how, snippet in score.failures:
                print(f"{name:<12} {how:<8} {page[:40]:<40} {snippet[:100]}")
    if args.raise_floors:
        print("floors:", json.dumps(raise_floors(scores)))
    low = below_floors(scores, load_floors())
    for line in low:
        print(f"below: {line}", file=sys.stderr)
    return 1 if args.check and low else 0


if __name__ == "__main__":
    sys.exit(main())
