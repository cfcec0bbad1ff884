"""The highest ``integrity`` any cleaner of the pool's dumps can reach, by split.

usage: python eval/integrity_ceiling.py [--shared DIR] [--gap N]

``integrity`` (the pool's score.py) is the share of gold paragraphs of 8 tokens or more found
whole on one output line. A cleaner of a dump removes and joins, it does not write text: a
gold paragraph can end up whole only if its tokens are in the dump, in order, with nothing
between them but what a cleaner may remove. This prints that bound three ways, each more
lenient: the paragraph contiguous in the dump once its lines are joined; the same once the
lines holding no gold token are removed; its tokens in order with at most ``--gap`` tokens
inserted (inline labels a rule removes). Scored as score.py does (mean of the pages' shares).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared" / "realnews"


def in_order(unit: list[str], stream: list[str], starts: dict[str, list[int]], gap: int) -> bool:
    """``unit`` is a subsequence of ``stream`` with at most ``gap`` tokens inserted."""
    for start in starts.get(unit[0], ()):
        j, inserted = start + 1, 0
        for token in unit[1:]:
            while j < len(stream) and stream[j] != token and inserted <= gap:
                j, inserted = j + 1, inserted + 1
            if inserted > gap or j >= len(stream):
                break
            j += 1
        else:
            return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--gap", type=int, default=12, help="tokens a cleaner may remove inside a paragraph")
    args = parser.parse_args()
    pool = args.shared / "pool"
    spec = importlib.util.spec_from_file_location("pool_score", pool / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    gold = json.loads((pool / "gold.json").read_text(encoding="utf-8"))
    for split in ("tune", "validate"):
        shares: dict[str, list[float]] = {"joined": [], "gold lines only": [], f"in order, gap {args.gap}": []}
        for name, page in gold.items():
            units = [score.tokens(p) for p in page["paragraphs"]]
            long_units = [u for u in units if len(u) >= 8]
            if page["split"] != split or not long_units:
                continue
            vocab = {t for u in units for t in u}
            text = (pool / "dumps" / f"{name}.txt").read_text(encoding="utf-8", errors="replace")
            lines = [score.tokens(line) for line in text.splitlines()]
            stream = [t for line in lines for t in line]
            joined = f" {' '.join(stream)} "
            kept = f" {' '.join(t for line in lines if vocab.intersection(line) for t in line)} "
            starts: dict[str, list[int]] = {}
            for i, token in enumerate(stream):
                starts.setdefault(token, []).append(i)
            for key, found in zip(shares, (
                    sum(f" {' '.join(u)} " in joined for u in long_units),
                    sum(f" {' '.join(u)} " in kept for u in long_units),
                    sum(in_order(u, stream, starts, args.gap) for u in long_units))):
                shares[key].append(found / len(long_units))
        figures = "  ".join(f"{k}: {sum(v) / len(v):.3f}" for k, v in shares.items())
        print(f"{split:<8} pages {len(shares['joined'])}  ceiling of integrity  {figures}")


if __name__ == "__main__":
    main()
