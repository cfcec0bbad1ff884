"""Quality gate on real scraped pages: clean ../shared/realnews/scraped-dev and score it.

usage: python eval/scraped_dev.py [--shared DIR] [--keep DIR] [--check] [--raise-floors] [-v]

Runs ``cleaner clean scraped-dev/dumps -o OUT`` (the command users run, in a subprocess),
then the data set's own ``score.py OUT --manifest OUT/manifest.jsonl``, and compares every
figure it prints (artefacts_removed, content_kept, joins, lang, and artefacts removed per
kind) with the floors pinned in ``eval/baseline-scraped-dev.json``, as trafilatura's
``eval_gate.py`` does. ``--check`` exits 1 when a figure is below its floor;
``--raise-floors`` writes the figures that went up into the baseline (floors never go down).
Exit 2 when the data set is missing.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared" / "realnews"
BASELINE = Path(__file__).resolve().parent / "baseline-scraped-dev.json"
METRICS = ("artefacts_removed", "content_kept", "joins", "lang")
_HELDOUT = re.compile(r"^heldout: (.*)$", re.MULTILINE)
_BY_KIND = re.compile(r"^artefacts removed by kind: (.*)$", re.MULTILINE)


@dataclass
class Result:
    """The figures score.py printed, and its failure rows."""

    metrics: dict[str, float]
    by_kind: dict[str, tuple[int, int]]
    failures: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        """Every gated figure: the four metrics, then ``kind/<name>`` shares (3 decimals)."""
        out = dict(self.metrics)
        for kind, (ok, total) in sorted(self.by_kind.items()):
            out[f"kind/{kind}"] = round(ok / total, 3) if total else 1.0
        return out


def dataset(shared: Path) -> tuple[Path, Path]:
    """The dumps folder and score.py of the data set, or FileNotFoundError naming what is missing."""
    dumps, score = shared / "scraped-dev" / "dumps", shared / "score.py"
    for path in (dumps, score):
        if not path.exists():
            raise FileNotFoundError(f"{path} not found (the real-news data set lives beside the repository)")
    return dumps, score


def parse_score(output: str) -> Result:
    """Read score.py's summary lines (``heldout: …`` and ``artefacts removed by kind: …``)."""
    heldout = _HELDOUT.search(output)
    if not heldout:
        raise ValueError(f"score.py printed no 'heldout:' line:\n{output}")
    values = dict(item.split("=") for item in heldout.group(1).split())
    metrics = {name: float(values[name]) for name in METRICS}
    by_kind: dict[str, tuple[int, int]] = {}
    kinds = _BY_KIND.search(output)
    if kinds:
        for kind, ok, total in re.findall(r"(\w+) (\d+)/(\d+)", kinds.group(1)):
            by_kind[kind] = (int(ok), int(total))
    failures = [line for line in output.splitlines()
                if re.match(r"^\S+\.txt\s+(artefact|content|join|lang|missing)\s", line)]
    return Result(metrics, by_kind, failures)


def run(shared: Path = DEFAULT_SHARED, keep: Path | None = None) -> Result:
    """Clean every dump with the ``cleaner`` command and score the output folder."""
    dumps, score = dataset(shared)
    with tempfile.TemporaryDirectory(prefix="scraped-dev-") as tmp:
        out = keep or Path(tmp) / "out"
        command = [sys.executable, "-c", "from cleaner.cli import main; main()",
                   "clean", str(dumps), "-o", str(out), "-q"]
        # run from the temporary folder so no [tool.cleaner] of a surrounding project applies
        cleaned = subprocess.run(command, cwd=tmp, capture_output=True, text=True)
        if cleaned.returncode != 0:
            raise RuntimeError(f"cleaner clean failed ({cleaned.returncode}): {cleaned.stderr.strip()}")
        scored = subprocess.run([sys.executable, str(score), str(out), "--manifest", str(out / "manifest.jsonl")],
                                cwd=tmp, capture_output=True, text=True)
        if scored.returncode not in (0, 1):
            raise RuntimeError(f"score.py failed ({scored.returncode}): {scored.stderr.strip()}")
        return parse_score(scored.stdout)


def load_floors(path: Path = BASELINE) -> dict[str, float]:
    return json.loads(path.read_text(encoding="utf-8"))["floors"]


def below_floors(result: Result, floors: dict[str, float]) -> list[str]:
    """One line per figure under its floor (a figure the baseline has but the run lacks counts as 0)."""
    figures = result.figures()
    return [f"{name}: {figures.get(name, 0.0):.3f} < floor {floor:.3f}"
            for name, floor in sorted(floors.items()) if figures.get(name, 0.0) < floor]


def raise_floors(result: Result, path: Path = BASELINE) -> dict[str, float]:
    """Write max(floor, figure) for every figure; floors never go down."""
    data = json.loads(path.read_text(encoding="utf-8"))
    floors = data["floors"]
    for name, value in result.figures().items():
        floors[name] = max(floors.get(name, 0.0), value)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
    return floors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the realnews folder")
    parser.add_argument("--keep", type=Path, help="write the cleaned dumps here instead of a temporary folder")
    parser.add_argument("--check", action="store_true", help="exit 1 when a figure is below its floor")
    parser.add_argument("--raise-floors", action="store_true", help="raise the floors to the figures reached")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print score.py's failure rows")
    args = parser.parse_args(argv)
    try:
        result = run(args.shared, args.keep)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    floors = load_floors()
    if args.verbose:
        print("\n".join(result.failures))
    for name, value in result.figures().items():
        floor = floors.get(name)
        mark = "" if floor is None else ("  BELOW FLOOR" if value < floor else "")
        kind = result.by_kind.get(name.removeprefix("kind/"))
        count = f" ({kind[0]}/{kind[1]})" if kind else ""
        print(f"{name:26s} {value:.3f}{count}   floor {'-' if floor is None else f'{floor:.3f}'}{mark}")
    if args.raise_floors:
        raise_floors(result)
        print(f"floors written to {BASELINE}")
    low = below_floors(result, floors)
    return 1 if args.check and low else 0


if __name__ == "__main__":
    sys.exit(main())
