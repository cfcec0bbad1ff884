"""Rules stage: RE2 (auto) against Python's re on the real dumps; prints ms per document and the ratio.

    python bench/bench_rules.py [REPEATS]

Reads ../shared/realnews/scraped-dev/dumps/*.txt. Timings are the best of REPEATS rounds.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from cleaner.document import Document
from cleaner.rules.pack import load_packs
from cleaner.rules.kinds import Rule
from cleaner.rules.stage import RuleSet

DUMPS = Path(__file__).resolve().parents[1].parent / "shared" / "realnews" / "scraped-dev" / "dumps"


def best_ms_per_doc(rule_set: RuleSet, texts: list[str], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for text in texts:
            rule_set(Document(text))
        best = min(best, time.perf_counter() - start)
    return best / len(texts) * 1000


def text_rules(engine: str) -> list[Rule]:
    """The built-in text rules (the HTML rules are not regexes)."""
    return [rule for rule in load_packs(["*"], engine=engine) if isinstance(rule, Rule)]


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    texts = [path.read_text(encoding="utf-8") for path in sorted(DUMPS.glob("*.txt"))]
    timings = {engine: best_ms_per_doc(RuleSet(text_rules(engine)), texts, repeats)
               for engine in ("re", "auto")}
    long_line = ["Le mot (nouvelle fenêtre) est là. " * 40_000]
    long = {engine: best_ms_per_doc(RuleSet(text_rules(engine)), long_line, 3)
            for engine in ("re", "auto")}
    print(f"{len(texts)} dumps, {sum(map(len, texts)) // len(texts)} chars on average")
    print(f"rules stage, re only:      {timings['re']:.3f} ms/doc")
    print(f"rules stage, RE2 (auto):   {timings['auto']:.3f} ms/doc   ratio auto/re = {timings['auto'] / timings['re']:.2f}")
    print(f"one 1.4 MB line, re: {long['re']:.0f} ms, RE2: {long['auto']:.0f} ms   ratio = {long['auto'] / long['re']:.2f}")


if __name__ == "__main__":
    main()
