"""Quality gate on the pool: real news pages of sites the rules were not written from.

usage: python eval/pool.py {dumps,html} [--split validate|tune|all] [--lang xx] [--shared DIR]
                           [-j N] [--keep DIR] [--check] [--raise-floors] [-v]

Cleans the split's pages of ``../shared/realnews/pool`` (``dumps/*.txt`` or ``html/*.html.gz``)
with ``cleaner clean FILES -o OUT`` (the command users run, in a subprocess, from an empty
folder so that no ``[tool.cleaner]`` applies) and scores OUT with the pool's own ``score.py``
(its ``score_page``: token P/R/F1, integrity, boiler lines; the manifest gives the language).
In the same run it scores the baseline a user would otherwise have: the raw dumps themselves,
or ``trafilatura.extract`` alone on the pages (comments off, as our default); for HTML it
also lists the pages where our recall is more than 0.05 below trafilatura's.

Figures are compared with ``eval/baseline-pool-<mode>.json``: ``floors`` (higher is better)
and ``ceilings`` (lower is better: boiler lines, pages worse than trafilatura). ``--check``
exits 1 when a figure is on the wrong side; ``--raise-floors`` tightens them to the figures
reached (never loosens); both need all the split's pages (no ``--lang``, which is for a quick
look at one language's pages). Exit 2 when the data set is missing.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared" / "realnews"
HIGHER = ("P", "R", "F1", "integrity", "lang")
LOWER = ("boiler", "worse_than_baseline")
WORSE_RECALL = 0.05  # a page whose recall is this much below trafilatura's is counted as worse


def baseline_path(mode: str) -> Path:
    return Path(__file__).resolve().parent / f"baseline-pool-{mode}.json"


def load_scorer(pool: Path) -> ModuleType:
    """The pool's own score.py, imported (standard library only)."""
    path = pool / "score.py"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found (the real-news data set lives beside the repository)")
    spec = importlib.util.spec_from_file_location("pool_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Page:
    name: str
    lang: str
    ours: dict
    baseline: dict
    language: str | None = None


@dataclass
class Report:
    """Every page's scores, ours and the baseline's, and the figures by language."""

    mode: str
    split: str
    pages: list[Page] = field(default_factory=list)

    def figures(self, side: str = "ours", lang: str | None = None) -> dict[str, float]:
        pages = [p for p in self.pages if lang is None or p.lang == lang]
        scores = [getattr(p, side) for p in pages]
        n = len(scores) or 1
        out = {k: round(sum(s[k] for s in scores) / n, 3) for k in ("P", "R", "F1", "boiler")}
        shares = [s["whole"] / s["paras"] for s in scores if s["paras"]]
        out["integrity"] = round(sum(shares) / len(shares), 3) if shares else 1.0
        if side == "ours":
            out["lang"] = round(sum(p.language == p.lang for p in pages) / n, 3)
            out["worse_than_baseline"] = len(self.worse(lang))
        return out

    def worse(self, lang: str | None = None) -> list[Page]:
        """HTML pages whose recall is more than WORSE_RECALL below trafilatura alone's."""
        if self.mode != "html":
            return []
        return [p for p in self.pages if (lang is None or p.lang == lang)
                and p.ours["R"] < p.baseline["R"] - WORSE_RECALL]

    def languages(self) -> list[str]:
        counts = defaultdict(int)
        for page in self.pages:
            counts[page.lang] += 1
        return sorted(counts, key=lambda k: (-counts[k], k))


def _clean(inputs: list[Path], out: Path, jobs: int) -> None:
    command = [sys.executable, "-c", "from cleaner.cli import main; main()", "clean",
               *map(str, inputs), "-o", str(out), "-q", "-j", str(jobs)]
    with tempfile.TemporaryDirectory(prefix="pool-cwd-") as cwd:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: some inputs failed, each counts as an empty output
        raise RuntimeError(f"cleaner clean failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def _baseline_text(mode: str, path: Path) -> str:
    if mode == "dumps":
        return path.read_text(encoding="utf-8", errors="replace")
    import trafilatura

    return trafilatura.extract(gzip.decompress(path.read_bytes()), include_comments=False) or ""


def evaluate(mode: str, split: str = "validate", shared: Path = DEFAULT_SHARED, jobs: int = 2,
             keep: Path | None = None, lang: str | None = None) -> Report:
    """Clean and score every page of ``split`` (of language ``lang``, if given), with the
    baseline scored in the same run."""
    pool = shared / "pool"
    scorer = load_scorer(pool)
    gold = json.loads((pool / "gold.json").read_text(encoding="utf-8"))
    suffix = ".txt" if mode == "dumps" else ".html.gz"
    names = [n for n in sorted(gold) if (split == "all" or gold[n]["split"] == split)
             and lang in (None, gold[n]["lang"])]
    if not names:
        raise FileNotFoundError(f"no page of split {split!r} and language {lang!r} in {pool / 'gold.json'}")
    inputs = [pool / mode / f"{name}{suffix}" for name in names]
    report = Report(mode, split)
    with tempfile.TemporaryDirectory(prefix=f"pool-{mode}-") as tmp:
        out = keep or Path(tmp) / "out"
        _clean(inputs, out, jobs)
        manifest = out / "manifest.jsonl"
        languages = scorer.read_manifest(manifest) if manifest.is_file() else {}
        for name, path in zip(names, inputs):
            output = out / f"{name}.txt"
            text = output.read_text(encoding="utf-8") if output.is_file() else ""
            paragraphs = gold[name]["paragraphs"]
            report.pages.append(Page(name, gold[name]["lang"], scorer.score_page(text, paragraphs),
                                     scorer.score_page(_baseline_text(mode, path), paragraphs),
                                     languages.get(name)))
    return report


def load_baseline(mode: str) -> dict:
    return json.loads(baseline_path(mode).read_text(encoding="utf-8"))


def failures(report: Report, baseline: dict) -> list[str]:
    """One line per figure on the wrong side of its floor or ceiling."""
    figures = report.figures()
    low = [f"{k}: {figures[k]:.3f} < floor {v:.3f}" for k, v in sorted(baseline.get("floors", {}).items())
           if figures[k] < v]
    high = [f"{k}: {figures[k]:.3f} > ceiling {v:.3f}" for k, v in sorted(baseline.get("ceilings", {}).items())
            if figures[k] > v]
    return low + high


def tighten(report: Report, mode: str) -> dict:
    """Pin the figures reached where they are better than the pinned ones."""
    data = load_baseline(mode)
    figures = report.figures()
    data["floors"] = {k: max(v, figures[k]) for k, v in data.get("floors", {}).items()}
    data["ceilings"] = {k: min(v, figures[k]) for k, v in data.get("ceilings", {}).items()}
    baseline_path(mode).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return data


def table(report: Report) -> list[str]:
    """Ours and the baseline's figures, by language then for all pages."""
    other = "raw dumps" if report.mode == "dumps" else "trafilatura"
    lines = [f"{'lang':<5} {'docs':>5}  {'side':<11} {'P':>5}  {'R':>5}  {'F1':>5}  {'integ':>5}  "
             f"{'boiler':>6}  lang"]
    for lang in [*report.languages(), None]:
        docs = sum(1 for p in report.pages if lang is None or p.lang == lang)
        for side, label in (("baseline", other), ("ours", "cleaner")):
            f = report.figures(side, lang)
            extra = f"{f['lang']:.3f}" if side == "ours" else "-"
            lines.append(f"{lang or 'all':<5} {docs:>5}  {label:<11} {f['P']:.3f}  {f['R']:.3f}  {f['F1']:.3f}  "
                         f"{f['integrity']:.3f}  {f['boiler']:6.2f}  {extra}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("dumps", "html"))
    parser.add_argument("--split", choices=("validate", "tune", "all"), default="validate")
    parser.add_argument("--lang", help="only the pages of this gold language (no gate: figures only)")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the realnews folder")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="worker processes of the cleaner")
    parser.add_argument("--keep", type=Path, help="write the cleaned pages here, not in a temporary folder")
    parser.add_argument("--check", action="store_true", help="exit 1 when a figure is past its floor or ceiling")
    parser.add_argument("--raise-floors", action="store_true", help="tighten the pinned figures to these")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the pages worse than the baseline")
    args = parser.parse_args(argv)
    try:
        report = evaluate(args.mode, args.split, args.shared, args.jobs, args.keep, args.lang)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(table(report)))
    worse = report.worse()
    for page in worse if args.verbose else ():
        print(f"worse: {page.name} R {page.ours['R']:.3f} < trafilatura {page.baseline['R']:.3f}")
    f = report.figures()
    print(f"pool-{args.mode}({args.split}): P={f['P']:.3f} R={f['R']:.3f} F1={f['F1']:.3f} "
          f"integrity={f['integrity']:.3f} boiler_lines_per_doc={f['boiler']:.2f} lang={f['lang']:.3f} "
          f"worse_than_trafilatura={len(worse)} docs={len(report.pages)}")
    gated = args.split == "validate" and args.lang is None
    if args.raise_floors and gated:
        tighten(report, args.mode)
        print(f"pinned in {baseline_path(args.mode)}")
    wrong = failures(report, load_baseline(args.mode)) if gated else []
    print("\n".join(wrong))
    return 1 if args.check and wrong else 0


if __name__ == "__main__":
    sys.exit(main())
