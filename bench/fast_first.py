"""Would "trafilatura's fast mode first, the full cascade only when a guard says so" pay? (issue 15)

usage: python bench/fast_first.py [--split tune|validate|all] [--pages DIR] [--limit N] [--no-metadata]

Cleans each page in process with the configuration's extraction as it is, and for every call of
``HtmlExtractor.bare`` (the pruned page, the unpruned page when it is compared) runs the same call
again with ``Extractor.fast`` set, on the same tree. It prints how often the rendered texts differ,
how many calls a guard on the shape of the fast result flags (:func:`flags`), how many differing
calls it misses, and the CPU of extraction under four policies, as ratios to the full cascade:
fast everywhere, fast first with the guard (a flagged call pays fast and full), and fast first
with a perfect guard (only the calls whose text differs pay twice). Read from the same process
and the same trees, the ratios hold on a busy machine; the milliseconds do not.
"""
from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POOL = ROOT.parent / "shared" / "realnews" / "pool"
SHORT = 250  # trafilatura's MIN_EXTRACTED_SIZE: a shorter text calls jusText and the baseline
_retries = [0]


def flags(body, text: str, path: str, retried: bool, candidate_chars: int, prose: int, held: float) -> list[str]:
    """Why the full cascade could give another text than the fast result (``body``, its rendered
    ``text``, trafilatura's ``path``), from its shape and the page's profile; empty: no sign."""
    from trafilatura.external import SANITIZED_XPATH

    if body is None or not text:
        return ["empty"]
    why = []
    if len(text) < SHORT:
        why.append("short")  # jusText, the baseline rescue
    if body.xpath(SANITIZED_XPATH):
        why.append("unclean")  # jusText
    if not body.xpath(".//p//text()") or len(body.findall(".//table")) > len(body.findall(".//p")):
        why.append("structure")  # readability preferred when it has 500 characters
    if path != "main":
        why.append("path")  # a rescue ran: the cascade differs from there
    if retried:
        why.append("recall-retry")  # the full retry compares with readability and jusText too
    if prose > 2 * len(text) and (candidate_chars > 0.9 * len(text) or held < 0.9):
        why.append("readability-longer")  # readability may find twice the text: its proxy
    return why


def pages(args: argparse.Namespace) -> list[tuple[str, bytes]]:
    if args.pages:
        return [(p.name, p.read_bytes()) for p in sorted(args.pages.glob("*.htm*"))][:args.limit]
    gold = json.loads((POOL / "gold.json").read_text(encoding="utf-8"))
    names = [n for n in sorted(gold) if args.split == "all" or gold[n]["split"] == args.split][:args.limit]
    return [(n, gzip.decompress((POOL / "html" / f"{n}.html.gz").read_bytes())) for n in names]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("tune", "validate", "all"), default="tune")
    parser.add_argument("--pages", type=Path, help="a folder of .html pages instead of the pool")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--no-metadata", action="store_true", help="[html] metadata = false")
    args = parser.parse_args()

    import trafilatura.core as core
    from cleaner import Cleaner, load_config
    from cleaner.html import extract, fallback
    from cleaner.html.guard import page_profile, text_of

    retry = core._recall_retry

    def counted(*a, **k):
        _retries[0] += 1
        return retry(*a, **k)

    core._recall_retry = counted
    calls: list[dict] = []
    current: dict = {}
    plain_call, plain_bare = extract.HtmlExtractor.__call__, extract.HtmlExtractor.bare

    def call(self, doc):
        current["doc"] = doc
        return plain_call(self, doc)

    def bare(self, tree, url=None, favor=None, metadata=True):
        start = time.process_time()
        full = plain_bare(self, tree, url, favor, metadata)
        middle = time.process_time()
        _retries[0] = 0
        made = self.extractor
        self.extractor = lambda *a: _fast(made(*a))
        try:
            fast = plain_bare(self, tree, url, favor, metadata)
        finally:
            del self.extractor
        end = time.process_time()
        doc = current["doc"]
        profile = doc.pruned.profile if doc.pruned is not None and tree is doc.tree else page_profile(tree)
        text = self.render(fast[0])
        words = fallback.tokens(text_of(profile.candidate)) if profile.candidate is not None else []
        why = flags(fast[0].body if fast[0] is not None else None, text, fast[1], _retries[0] > 0,
                    profile.candidate_chars, profile.prose, fallback.coverage(words, text))
        calls.append({"page": current["name"], "same": self.render(full[0]) == text, "why": why,
                      "full": middle - start, "fast": end - middle})
        return full

    extract.HtmlExtractor.__call__, extract.HtmlExtractor.bare = call, bare
    config = load_config()
    if args.no_metadata:
        config = dataclasses.replace(config, html=dataclasses.replace(config.html, metadata=False))
    cleaner = Cleaner(config)
    for name, data in pages(args):
        current["name"] = name
        cleaner.clean(data, path=name if name.endswith((".html", ".htm")) else f"{name}.html")

    differ = [c for c in calls if not c["same"]]
    flagged = [c for c in calls if c["why"]]
    missed = [c for c in differ if not c["why"]]
    full = sum(c["full"] for c in calls)
    print(f"{len(calls)} extraction calls on {len({c['page'] for c in calls})} pages; the fast text differs in "
          f"{len(differ)} calls ({len({c['page'] for c in differ})} pages)")
    print(f"guard: {len(flagged)} calls flagged, {len(missed)} differing calls missed"
          + (f" ({', '.join(sorted({c['page'] for c in missed}))})" if missed else ""))
    reasons: dict[str, int] = {}
    for c in flagged:
        for why in c["why"]:
            reasons[why] = reasons.get(why, 0) + 1
    print("  flags:", ", ".join(f"{k} {v}" for k, v in sorted(reasons.items(), key=lambda kv: -kv[1])))
    print("extraction CPU against the full cascade:")
    print(f"  fast everywhere                 {sum(c['fast'] for c in calls) / full:.3f}")
    print(f"  fast first, this guard          {sum(c['fast'] + (c['full'] if c['why'] else 0) for c in calls) / full:.3f}")
    print(f"  fast first, a perfect guard     {sum(c['fast'] + (c['full'] if not c['same'] else 0) for c in calls) / full:.3f}")
    print(f"  (full cascade {1000 * full / len(calls):.1f} ms a call)")
    return 0


def _fast(options):
    options.fast = True
    return options


if __name__ == "__main__":
    sys.exit(main())
