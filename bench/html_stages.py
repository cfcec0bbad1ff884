"""Cost of the HTML stages (decode, parse once, prune with the HTML rules, extract) against
plain ``trafilatura.extract`` on the same pages, in the same run.

usage: python bench/html_stages.py [--pages DIR] [--repeat N] [--by-stage]
Prints milliseconds per page (best of N rounds, the variants interleaved) and ratios.
The text stages (ftfy, rules, repair, language) come after and are not counted here;
``--by-stage`` prints instead the CPU time of every stage of the whole pipeline, text stages
included, and of the parts of ``prune`` and ``extract``, against ``trafilatura.extract``.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

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


def _timed(totals: dict[str, float], name: str, function: Callable) -> Callable:
    """``function``, adding the CPU seconds each call takes to ``totals[name]``."""
    def run(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] += time.process_time() - start
    return run


class _TimedStage:
    """A stage that adds the CPU seconds of each call to ``totals[its name]``."""

    def __init__(self, stage: Any, totals: dict[str, float]):
        self.stage, self.name, self.totals = stage, stage.name, totals

    def __call__(self, doc: Any) -> Any:
        start = time.process_time()
        try:
            return self.stage(doc)
        finally:
            self.totals[self.name] += time.process_time() - start


def by_stage(pages: list[bytes], config: Any, repeat: int) -> None:
    """CPU ms per page of each stage of the whole pipeline (best of ``repeat`` rounds each) and its
    ratio to ``trafilatura.extract``'s; parts are indented under their stage."""
    import cleaner.html.extract as extract_module
    import cleaner.html.prune as prune_module
    from cleaner.html.extract import HtmlExtractor

    totals: dict[str, float] = defaultdict(float)
    cleaner = Cleaner(config)
    text = cleaner.stage("text")
    for stages in (cleaner.stages, text.stages):
        stages[:] = [stage if stage is text else _TimedStage(stage, totals) for stage in stages]
    prune_module.page_profile = _timed(totals, "  prune: page profile", prune_module.page_profile)
    prune_module.PageIndex = _timed(totals, "  prune: page index", prune_module.PageIndex)
    HtmlExtractor.bare = _timed(totals, "  extract: bare_extraction (each call)", HtmlExtractor.bare)
    extract_module.parse_html = _timed(totals, "parse_html", extract_module.parse_html)
    baselines = {"trafilatura.extract": trafilatura.extract,
                 "trafilatura.extract(with_metadata)": lambda data: trafilatura.extract(data, with_metadata=True)}
    plain = dict.fromkeys(baselines, float("inf"))
    best: dict[str, float] = {"whole pipeline": float("inf")}
    cleaner.clean(pages[0], path="page.html")
    for _ in range(repeat):
        for name, function in baselines.items():
            start = time.process_time()
            for data in pages:
                function(data)
            plain[name] = min(plain[name], time.process_time() - start)
        totals.clear()
        start = time.process_time()
        for number, data in enumerate(pages):
            cleaner.clean(data, path=f"{number}.html")
        totals["whole pipeline"] = time.process_time() - start
        if totals["whole pipeline"] < best["whole pipeline"]:
            best = dict(totals)
    best["  extract: parse again (unpruned page)"] = best.pop("parse_html", 0.0) - best.get("parse", 0.0)
    best["  prune: selectors and guards"] = (best.get("prune", 0.0) - best.get("  prune: page profile", 0.0)
                                             - best.get("  prune: page index", 0.0))
    count, base = len(pages), plain["trafilatura.extract"]
    for name, seconds in plain.items():
        print(f"{name:<40} {seconds * 1000 / count:7.2f} ms/page CPU")
    order = ["whole pipeline", "parse", "prune", "extract", *(s.name for s in text.stages), "language"]
    for name in sorted(best, key=lambda n: (order.index(n.split(":")[0].strip()) if n.split(":")[0].strip() in order
                                           else len(order), n.startswith(" "), n)):
        print(f"{name:<40} {best[name] * 1000 / count:7.2f} ms/page CPU  {best[name] / base:5.2f}x")
    print(f"(x: CPU time against trafilatura.extract on the same pages; best of {repeat} rounds)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder of HTML pages")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the best one counts")
    parser.add_argument("--by-stage", action="store_true", help="CPU time of each stage of the whole pipeline")
    parser.add_argument("--no-metadata", action="store_true", help="with --by-stage: [html] metadata = false")
    args = parser.parse_args()
    pages = [p.read_bytes() for p in sorted(args.pages.glob("*.htm*"))]
    if not pages:
        print(f"error: no HTML pages in {args.pages}", file=sys.stderr)
        return 2
    config = load_config(start=Path("/"))
    no_metadata = dataclasses.replace(config, html=dataclasses.replace(config.html, metadata=False))
    if args.by_stage:
        by_stage(pages, no_metadata if args.no_metadata else config, args.repeat)
        return 0
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
