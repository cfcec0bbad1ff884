"""Speed and memory of article-cleaner against the plain libraries, measured in one run.

    python bench/speed.py            # from the repository root, with ../shared/realnews beside it
    python bench/speed.py --batch-only --rounds 1   # only sections 3 and 4 (the command line on folders)

Prints, for a corpus of article texts and HTML pages built from ../shared/realnews (see
bench/corpus.py):

1. single process, text: the whole pipeline vs the naive chain (ftfy.fix_text + every
   rule's regex with re.sub + langdetect on the whole text, seeded), CPU time per
   document, and how often both give the same language label;
2. single process, HTML: our HTML path vs trafilatura.extract alone;
3. the command line on a folder: wall time with -j 2 vs -j 1 (median of 3 rounds each,
   the two alternating);
4. the command line on a folder: peak memory (max RSS) for 10x the corpus vs 1x.

Timings interleave the two sides in small chunks (alternating which goes first) so that
a machine loaded by other work slows both alike. The figures are ratios, not targets
checked by the test suite.
"""
from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
from procstat import status_kb  # noqa: E402
from cleaner.text.language import LABELS  # noqa: E402

TARGETS = {"text": 4.0, "html": 1.10, "jobs": 1.8, "memory": 1.2}  # issue 15
CHUNK = 20


def _children() -> dict[int, list[int]]:
    """Parent pid → child pids, from /proc (Linux)."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(parent, []).append(int(entry))
    return tree


class MemoryWatch(threading.Thread):
    """Polls the peak memory of a process and of all its descendants until it ends."""

    def __init__(self, process: subprocess.Popen[Any]):
        super().__init__(daemon=True)
        self.process = process
        self.peaks: dict[int, int] = {}

    def run(self) -> None:
        while self.process.poll() is None:
            tree, pids, seen = _children(), [self.process.pid], []
            while pids:
                pid = pids.pop()
                seen.append(pid)
                pids.extend(tree.get(pid, []))
            for pid in seen:
                self.peaks[pid] = max(self.peaks.get(pid, 0), status_kb(pid, "VmHWM"))
            time.sleep(0.05)


def naive_chain(cleaner: Any) -> Callable[[str], str]:
    """ftfy.fix_text, then each enabled rule's regex with re.sub, then seeded langdetect."""
    import ftfy
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
    from langdetect.lang_detect_exception import LangDetectException

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    patterns = []
    text_rules = (r for r in cleaner.rules if r.enabled and hasattr(r, "pattern"))  # not the HTML rules
    for rule in text_rules:  # with Python's re, whatever engine the rules use
        patterns.append((getattr(rule.pattern, "python", rule.pattern), rule.replacement))
        if rule.end is not None:
            patterns.append((getattr(rule.end, "python", rule.end), ""))

    def run(text: str) -> str:
        text = ftfy.fix_text(text, config=cleaner.stage("fix").config)
        for pattern, replacement in patterns:
            text = pattern.sub(replacement, text)
        detector = factory.create()
        detector.append(text)
        try:
            return detector.get_probabilities()[0].lang
        except (LangDetectException, IndexError):
            return "und"

    return run


def compare(items: Sequence[Any], plain: Callable[[Any], Any], ours: Callable[[Any], Any]
            ) -> tuple[float, float, list[Any], list[Any]]:
    """CPU seconds of ``plain`` and ``ours`` over ``items``, interleaved in chunks, and results."""
    spent = [0.0, 0.0]
    results: list[list[Any]] = [[], []]
    for number, start in enumerate(range(0, len(items), CHUNK)):
        chunk = items[start:start + CHUNK]
        order = (0, 1) if number % 2 == 0 else (1, 0)
        for side in order:
            function = (plain, ours)[side]
            begin = time.process_time()
            out = [function(item) for item in chunk]
            spent[side] += time.process_time() - begin
            results[side].extend(out)
    return spent[0], spent[1], results[0], results[1]


def text_section(cleaner: Any, texts: list[str], distinct: int) -> None:
    naive = naive_chain(cleaner)
    naive(texts[0]), cleaner.clean("Bonjour.")  # imports and language profiles, not timed
    # What both sides built before timing (langdetect's 5 million objects for the naive chain)
    # is kept out of the garbage collector, so neither side pays for walking the other's.
    gc.collect()
    gc.freeze()
    kb = sum(len(t.encode("utf-8")) for t in texts) / len(texts) / 1024
    half = distinct // 2
    print(f"1. text pipeline: {len(texts)} texts ({kb:.1f} KB on average), single process, CPU time")
    rows = [(f"the first {half} distinct texts, fresh process (our caches empty)", texts[:half]),
            (f"the next {distinct - half} distinct texts, unseen (caches warmed by the first)",
             texts[half:distinct]),
            (f"all {len(texts)} texts", texts)]
    for what, items in rows:
        plain_s, ours_s, plain_langs, ours_docs = compare(items, naive, cleaner.clean)
        same = sum(LABELS.get(a, a) == b.language for a, b in zip(plain_langs, ours_docs))  # zh-cn, zh-tw: zh
        n = len(items)
        print(f"   {what}: naive chain {plain_s / n * 1000:.2f} ms/doc, article-cleaner "
              f"{ours_s / n * 1000:.2f} ms/doc -> {plain_s / ours_s:.2f}x faster (target >= {TARGETS['text']}x); "
              f"same language label {same}/{n} ({same / n:.1%})")


def html_pipeline(cleaner: Any) -> tuple[str, Callable[[bytes], Any]]:
    """Our HTML path through the public API when the cleaner reads HTML, else (before HTML
    input existed) trafilatura's extraction followed by the text pipeline."""
    import trafilatura

    if hasattr(cleaner, "stages") or hasattr(cleaner, "extract_html"):
        return "Cleaner.clean(page, path='page.html')", lambda page: cleaner.clean(page, path="page.html")
    return ("trafilatura.extract + Cleaner.clean of its text",
            lambda page: cleaner.clean(trafilatura.extract(page) or ""))


def html_section(cleaner: Any, pages: list[bytes]) -> None:
    import trafilatura
    from cleaner import Cleaner

    n = len(pages)
    label, ours = html_pipeline(cleaner)
    print(f"2. HTML: {n} pages, single process, CPU time; ours = {label}")
    html = getattr(cleaner.config, "html", None)
    if html is not None and getattr(html, "metadata", False):  # our default: metadata too
        plain = Cleaner(dataclasses.replace(cleaner.config, html=dataclasses.replace(html, metadata=False)))
        sides = [("trafilatura.extract(page)", trafilatura.extract, "with [html] metadata = false",
                  lambda page: plain.clean(page, path="page.html"), TARGETS["html"]),
                 ("trafilatura.extract(page, with_metadata=True)",
                  lambda page: trafilatura.extract(page, with_metadata=True), "default configuration", ours, 1.0)]
    else:
        sides = [("trafilatura.extract(page)", trafilatura.extract, "default configuration", ours, TARGETS["html"])]
    for plain_label, plain_run, ours_label, ours_run, target in sides:
        plain_run(pages[0]), ours_run(pages[0])
        plain_s, ours_s, _, _ = compare(pages, plain_run, ours_run)
        print(f"   {plain_label} {plain_s / n * 1000:.1f} ms/page, ours ({ours_label}) {ours_s / n * 1000:.1f} "
              f"ms/page -> {ours_s / plain_s:.2f}x the time (target <= {target}x)")


def write_folder(folder: Path, texts: list[str]) -> Path:
    for number, text in enumerate(texts):
        sub = folder / f"{number // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{number:06d}.txt").write_text(text, encoding="utf-8")
    return folder


def run_cli(folder: Path, out: Path, jobs: int) -> dict[str, Any]:
    """``cleaner clean FOLDER -o OUT -j JOBS -q``: wall time, peak memory of the main process
    and of the other processes it started (the workers)."""
    args = [sys.executable, "-c", "from cleaner.cli import main; main()",
            "clean", str(folder), "-o", str(out), "-j", str(jobs), "-q"]
    begin = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    watch = MemoryWatch(process)
    watch.start()
    _, errors = process.communicate()
    wall = time.perf_counter() - begin
    watch.join()
    if process.returncode != 0:
        raise SystemExit(f"error: cleaner clean failed ({process.returncode}): {errors.strip()[-500:]}")
    others = [kb for pid, kb in watch.peaks.items() if pid != process.pid]
    return {"wall": wall, "main_kb": watch.peaks.get(process.pid, 0),
            "worker_kb": max(others, default=0), "total_kb": sum(watch.peaks.values())}


def batch_section(texts: list[str], scale: int, jobs: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as tmp:
        root = Path(tmp)
        small = write_folder(root / "x1", texts)
        big = write_folder(root / f"x{scale}", corpus.text_corpus(len(texts) * scale))
        runs: dict[tuple[str, int], list[dict[str, Any]]] = {}
        for name, folder in (("x1", small), (f"x{scale}", big)):
            for round_ in range(rounds):  # -j 1 and -j N alternate, so drifts of the machine hit both
                for n in (1, jobs) if round_ % 2 == 0 else (jobs, 1):
                    out = root / f"out-{name}-j{n}-{round_}"
                    runs.setdefault((name, n), []).append(run_cli(folder, out, n))
                    shutil.rmtree(out)
        for name, count in (("x1", len(texts)), (f"x{scale}", len(texts) * scale)):
            one = [r["wall"] for r in runs[name, 1]]
            many = [r["wall"] for r in runs[name, jobs]]
            each = sorted(a / b for a, b in zip(one, many))
            print(f"3. cleaner clean on {count} files, {rounds} rounds: -j 1 {statistics.median(one):.1f} s, "
                  f"-j {jobs} {statistics.median(many):.1f} s (medians) -> "
                  f"{statistics.median(one) / statistics.median(many):.2f}x (target >= {TARGETS['jobs']}x); "
                  f"round by round {each[0]:.2f}x to {each[-1]:.2f}x")
        for n in (1, jobs):
            a = {key: max(r[key] for r in runs["x1", n]) for key in runs["x1", n][0]}
            b = {key: max(r[key] for r in runs[f"x{scale}", n]) for key in runs["x1", n][0]}
            line = (f"4. peak memory -j {n}: main process {a['main_kb'] / 1024:.0f} MB for {len(texts)} files, "
                    f"{b['main_kb'] / 1024:.0f} MB for {len(texts) * scale} -> {b['main_kb'] / a['main_kb']:.2f}x")
            if n > 1 and a["worker_kb"]:
                line += (f"; largest other process {a['worker_kb'] / 1024:.0f} MB vs {b['worker_kb'] / 1024:.0f} MB, "
                         f"all processes {a['total_kb'] / 1024:.0f} MB vs {b['total_kb'] / 1024:.0f} MB "
                         f"-> {b['total_kb'] / a['total_kb']:.2f}x")
            print(line + f" (target <= {TARGETS['memory']}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=1000, help="article texts (default 1000)")
    parser.add_argument("--pages", type=int, default=200, help="HTML pages (default 200)")
    parser.add_argument("--scale", type=int, default=10, help="corpus multiple for memory (default 10)")
    parser.add_argument("--jobs", type=int, default=2, help="workers compared with -j 1 (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="command-line runs per side (default 3)")
    parser.add_argument("--skip-batch", action="store_true", help="only the single-process ratios")
    parser.add_argument("--batch-only", action="store_true", help="only the command-line runs (sections 3 and 4)")
    options = parser.parse_args()

    from cleaner import Cleaner, load_config

    cleaner = Cleaner(load_config(start=Path("/")))
    bases = corpus.base_texts()
    texts = corpus.text_corpus(options.texts)
    print(f"corpus: {len(bases)} real texts ({len(corpus.html_pages())} HTML pages) from {corpus.REALNEWS}; "
          f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    if not options.batch_only:
        text_section(cleaner, texts, min(len(bases), len(texts)))
        html_section(cleaner, corpus.html_corpus(options.pages))
    if not options.skip_batch:
        batch_section(texts, options.scale, options.jobs, options.rounds)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
