"""Cost of the HTML stages (decode, parse once, prune with the HTML rules, extract) against
plain ``trafilatura.extract`` on the same pages, in the same run.

usage: python bench/html_stages.py [--pages DIR] [--repeat N]
Prints milliseconds per page (best of N rounds, the variants interleaved) and ratios.
The text stages (ftfy, rules, repair, language) come after and are not counted here.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path
from typing import Callable

import trafilatura

from cleaner import Cleaner, load_config
from cleaner.html.extract import parse_html
from cleaner.html.sniff import decode_page

# the date search of our default profile (htmldate without its extensive search), for a fair ratio
SAME_DATE_SEARCH = {"original_date": True, "extensive_search": False, "max_date": "2099-12-31"}
DEFAULT_PAGES = Path(__file__).resolve().parents[2] / "shared" / "realnews" / "trafilatura-dev" / "html"


def html_stages(cleaner: Cleaner) -> Callable[[bytes], object]:
    def run(data: bytes) -> object:
        text, _ = decode_page(data)
        tree = parse_html(text)
        cleaner.stage("prune").prune(tree)
        return cleaner.stage("extract").extract(tree)
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder of HTML pages")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the best one counts")
    args = parser.parse_args()
    pages = [p.read_bytes() for p in sorted(args.pages.glob("*.htm*"))]
    if not pages:
        print(f"error: no HTML pages in {args.pages}", file=sys.stderr)
        return 2
    config = load_config(start=Path("/"))
    no_metadata = dataclasses.replace(config, html=dataclasses.replace(config.html, metadata=False))
    variants: dict[str, Callable[[bytes], object]] = {
        "trafilatura.extract": trafilatura.extract,
        "trafilatura.extract(with_metadata)": lambda data: trafilatura.extract(
            data, with_metadata=True, date_extraction_params=SAME_DATE_SEARCH),
        "ours, metadata on (default)": html_stages(Cleaner(config)),
        "ours, metadata off": html_stages(Cleaner(no_metadata)),
    }
    best = dict.fromkeys(variants, float("inf"))
    for function in variants.values():  # warm up caches and lazy imports
        function(pages[0])
    for _ in range(args.repeat):
        for name, function in variants.items():
            start = time.perf_counter()
            for data in pages:
                function(data)
            best[name] = min(best[name], (time.perf_counter() - start) * 1000 / len(pages))
    for name, ms in best.items():
        print(f"{name:<36} {ms:7.2f} ms/page")
    plain, with_meta = best["trafilatura.extract"], best["trafilatura.extract(with_metadata)"]
    print(f"ratio metadata off / trafilatura.extract:                  {best['ours, metadata off'] / plain:.2f}")
    print(f"ratio metadata on / trafilatura.extract(with_metadata):    {best['ours, metadata on (default)'] / with_meta:.2f}")
    print(f"ratio metadata on / trafilatura.extract:                   {best['ours, metadata on (default)'] / plain:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
