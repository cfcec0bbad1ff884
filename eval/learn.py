"""``cleaner learn`` on the pool: per site, learn on the first half of its pages (sorted by
name), clean the second half with and without the learned pack, score both.

usage: python eval/learn.py [--split tune|validate|all] [--min-pages 20] [--mode dumps|wholepage|both]
                            [--shared DIR] [-j N] [--keep DIR] [-- LEARN OPTIONS...]

The sites are those of the pool (``gold.json``) with ``--min-pages`` pages or more, in the
split's sites (tune on ``tune``; ``validate`` only to check). Two kinds of text: the pool's
``dumps`` (the article region as a scraper writes it) and ``wholepage`` text (all of the body's
text, block by block, made by ``eval/wholepage.py`` from ``html/``). Each site's pages sit in a
folder named after the site, so that plain files are grouped by their folder, as users' are.
The commands are the ones users run (``cleaner learn``, ``cleaner clean [--rules PACK]``), in a
subprocess from an empty folder. Scores are the pool's ``score.py`` (``score_page``), averaged
per site; ``ceiling`` is the share of the boilerplate lines left without the pack that repeat,
as they are, on at least two of the site's learning pages (cleaned the same way): what any
learner of repeated lines could remove at most; ``cut`` is the share of those lines the pack
removed. Targets: boiler lines per page 25% lower on dumps, 50% on whole-page text, recall at
most 0.003 lower, over all the sites' pages.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pool import DEFAULT_SHARED, load_scorer  # noqa: E402
from wholepage import read_page  # noqa: E402

TARGETS = {"dumps": 0.25, "wholepage": 0.50}
MAX_R_DROP = 0.003


def _cleaner(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from cleaner.cli import main; main()", *args]
    with tempfile.TemporaryDirectory(prefix="learn-cwd-") as cwd:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"cleaner {args[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return done


def sites_of(gold: dict, split: str, min_pages: int) -> dict[str, list[str]]:
    """Site -> its page names, sorted, for the sites of ``split`` with ``min_pages`` pages or more."""
    pages: dict[str, list[str]] = defaultdict(list)
    for name, page in gold.items():
        if split == "all" or page["split"] == split:
            pages[page["site"]].append(name)
    return {site: sorted(names) for site, names in sorted(pages.items()) if len(names) >= min_pages}


def _lay_out(pool: Path, mode: str, sites: dict[str, list[str]], root: Path) -> None:
    """root/learn/<site>/<name>.txt and root/test/<site>/<name>.txt."""
    for site, names in sites.items():
        half = len(names) // 2
        for part, chosen in (("learn", names[:half]), ("test", names[half:])):
            folder = root / part / site
            folder.mkdir(parents=True, exist_ok=True)
            for name in chosen:
                text = ((pool / "dumps" / f"{name}.txt").read_text(encoding="utf-8", errors="replace")
                        if mode == "dumps" else read_page(pool / "html" / f"{name}.html.gz"))
                (folder / f"{name}.txt").write_text(text, encoding="utf-8")


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def evaluate(mode: str, split: str, min_pages: int, shared: Path, jobs: int, work: Path,
             learn_options: list[str]) -> dict:
    pool = shared / "pool"
    scorer = load_scorer(pool)
    gold = json.loads((pool / "gold.json").read_text(encoding="utf-8"))
    sites = sites_of(gold, split, min_pages)
    root = work / mode
    _lay_out(pool, mode, sites, root)
    folders = {part: [str(root / part / site) for site in sites] for part in ("learn", "test")}
    pack, report = root / "learned.yaml", root / "candidates.tsv"
    learned = _cleaner("learn", str(root / "learn"), "-o", str(pack), "--report", str(report),
                       "-j", str(jobs), *learn_options)
    _cleaner("rules", "test", str(pack))
    _cleaner("clean", *folders["learn"], "-o", str(root / "out-learn"), "-q", "-j", str(jobs))
    _cleaner("clean", *folders["test"], "-o", str(root / "out-without"), "-q", "-j", str(jobs))
    _cleaner("clean", *folders["test"], "-o", str(root / "out-with"), "-q", "-j", str(jobs), "--rules", str(pack))
    result: dict = {"mode": mode, "split": split, "learn": learned.stderr.strip(), "sites": {}}
    for site, names in sites.items():
        half = len(names) // 2
        seen: Counter = Counter()
        for name in names[:half]:
            seen.update(set(_lines(root / "out-learn" / f"{name}.txt")))
        rows = {"without": [], "with": []}
        boiler_lines = repeated = repeated_left = 0
        for name in names[half:]:
            paragraphs = gold[name]["paragraphs"]
            for which in rows:
                text = "\n".join(_lines(root / f"out-{which}" / f"{name}.txt"))
                rows[which].append(scorer.score_page(text, paragraphs))
            after = Counter(_lines(root / "out-with" / f"{name}.txt"))
            for line in _lines(root / "out-without" / f"{name}.txt"):
                if scorer.score_page(line, paragraphs)["boiler"]:
                    boiler_lines += 1
                    if seen[line] >= 2:
                        repeated += 1
                        if after[line] > 0:
                            after[line] -= 1
                            repeated_left += 1
        figures = {which: {k: sum(r[k] for r in rs) / len(rs) for k in ("P", "R", "F1", "boiler")}
                   for which, rs in rows.items()}
        figures.update(pages=len(names) - half, lang=gold[names[0]]["lang"],
                       ceiling=repeated / boiler_lines if boiler_lines else 0.0,
                       cut_of_repeated=(repeated - repeated_left) / repeated if repeated else 0.0)
        result["sites"][site] = figures
    total = {which: {k: sum(s[which][k] * s["pages"] for s in result["sites"].values())
                     / max(1, sum(s["pages"] for s in result["sites"].values())) for k in ("P", "R", "F1", "boiler")}
             for which in ("without", "with")}
    result["all"] = total
    return result


def _cut(before: float, after: float) -> float:
    return (before - after) / before if before else 0.0


def print_result(result: dict) -> bool:
    mode = result["mode"]
    print(f"== {mode} ({result['split']} sites) — {result['learn']}")
    print(f"{'site':<22}{'lang':>5}{'pages':>6}  {'R without':>9}{'R with':>8}  {'boiler without':>14}"
          f"{'with':>7}{'cut':>7}  {'ceiling':>7}{'cut of repeated':>16}")
    for site, s in result["sites"].items():
        print(f"{site:<22}{s['lang']:>5}{s['pages']:>6}  {s['without']['R']:>9.3f}{s['with']['R']:>8.3f}  "
              f"{s['without']['boiler']:>14.2f}{s['with']['boiler']:>7.2f}{_cut(s['without']['boiler'], s['with']['boiler']):>7.0%}"
              f"  {s['ceiling']:>7.0%}{s['cut_of_repeated']:>16.0%}")
    a = result["all"]
    cut = _cut(a["without"]["boiler"], a["with"]["boiler"])
    drop = a["without"]["R"] - a["with"]["R"]
    ok = cut >= TARGETS[mode] and drop <= MAX_R_DROP
    print(f"all: P {a['without']['P']:.3f} -> {a['with']['P']:.3f}, R {a['without']['R']:.3f} -> {a['with']['R']:.3f} "
          f"(drop {drop:.4f}), F1 {a['without']['F1']:.3f} -> {a['with']['F1']:.3f}, boiler lines/page "
          f"{a['without']['boiler']:.2f} -> {a['with']['boiler']:.2f} (cut {cut:.0%}; target {TARGETS[mode]:.0%}) "
          f"{'OK' if ok else 'MISSED'}")
    return ok


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("tune", "validate", "all"), default="tune")
    ap.add_argument("--min-pages", type=int, default=20)
    ap.add_argument("--mode", choices=("dumps", "wholepage", "both"), default="both")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="keep the texts, pack, report and outputs here")
    ap.add_argument("learn_options", nargs="*", help="passed to cleaner learn (after --)")
    args = ap.parse_args(argv)
    if not (args.shared / "pool" / "gold.json").is_file():
        print(f"{args.shared / 'pool'}: the pool is not there", file=sys.stderr)
        return 2
    ok = True
    with tempfile.TemporaryDirectory(prefix="learn-eval-") as tmp:
        work = args.keep or Path(tmp)
        for mode in (("dumps", "wholepage") if args.mode == "both" else (args.mode,)):
            ok &= print_result(evaluate(mode, args.split, args.min_pages, args.shared, args.jobs, work,
                                        args.learn_options))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
