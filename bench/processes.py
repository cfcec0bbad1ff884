"""What a user times: whole ``cleaner clean`` processes against the plain libraries chained in a
process of their own (bench/naive.py), measured in the same run.

    python bench/processes.py                 # from the repository root, ../shared/realnews beside it
    python bench/processes.py --only start    # start, text, html or parallel

1. start: ``cleaner clean`` of one small article text file vs the naive chain (ftfy + a few ``re``
   + langdetect) on that file; the first start (empty cache: rule packs built, examples run,
   language model built) is shown apart;
2. text: a folder of article texts (bench/corpus.py), ``-j 1``, vs the naive chain over the same
   folder in one process; and how often both find the same language;
3. html: a folder of HTML pages, ``-j 1``, with ``[html] metadata = false`` vs
   ``trafilatura.extract(page)``, and with the default configuration vs
   ``trafilatura.extract(page, with_metadata=True)``;
4. parallel: ``--files`` article texts (10,000 by default), ``cleaner clean -j 2`` vs ``-j 1``.

Each pair runs ``--rounds`` times, the two sides alternating which goes first, and the ratio is
that of the median wall times. The cache (:mod:`cleaner.cache`) is a fresh temporary folder.

The ``cleaner`` package is byte-compiled first (``compileall``), as ``pip install`` does for an
installed package and already did for the plain libraries: in an editable install with
``PYTHONDONTWRITEBYTECODE`` set, every start would otherwise compile its 90-odd modules from
source (about 0.14 s), which no installed copy does.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

NAIVE = str(Path(__file__).resolve().with_name("naive.py"))
TARGETS = {"start": 1.0, "text": 4.0, "html-plain": 1.10, "html-meta": 1.0, "parallel": 1.8}


def wall(args: list[str]) -> float:
    return timed(args)[0]


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the process and its children) of ``args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    result = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    spent = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"error: {' '.join(args[:6])}... failed: {result.stderr.strip()[-500:]}")
    return spent, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def ours(inputs: Path, out: Path, *extra: str, jobs: int = 1) -> list[str]:
    return [sys.executable, "-c", "from cleaner.cli import main; main()", "clean", str(inputs), "-o", str(out),
            "-j", str(jobs), "-q", "--force", *extra]


def naive(mode: str, inputs: Path, out: Path) -> list[str]:
    return [sys.executable, NAIVE, mode, str(out), str(inputs)]


def pair(label: str, plain: list[str], mine: list[str], rounds: int, target: float, faster: bool) -> None:
    """Median wall (and CPU) times of both commands over ``rounds`` alternating rounds, and their ratio."""
    times: dict[int, list[float]] = {0: [], 1: []}
    cpu: dict[int, list[float]] = {0: [], 1: []}
    for round_ in range(rounds):
        for side in (0, 1) if round_ % 2 == 0 else (1, 0):
            spent, used = timed((plain, mine)[side])
            times[side].append(spent)
            cpu[side].append(used)
    a, b = statistics.median(times[0]), statistics.median(times[1])
    ca, cb = statistics.median(cpu[0]), statistics.median(cpu[1])
    if faster:
        verdict = f"{a / b:.2f}x faster (target >= {target:g}x); CPU time {ca:.2f} vs {cb:.2f} s: {ca / cb:.2f}x"
    else:
        verdict = f"{b / a:.2f}x the time (target <= {target:g}x); CPU time {ca:.2f} vs {cb:.2f} s: {cb / ca:.2f}x"
    print(f"   {label}: plain {a:.2f} s, ours {b:.2f} s (medians of {rounds}) -> {verdict}; "
          f"ours round by round {', '.join(f'{t:.2f}' for t in times[1])} s")


def start_section(root: Path, rounds: int) -> None:
    text = min((t for _, t in corpus.base_texts() if len(t) > 2000), key=len)
    path = root / "start" / "article.txt"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    first = wall(ours(path, root / "start-out"))
    print(f"1. start: one article text of {len(text.encode())} bytes; first start (empty cache) {first:.2f} s")
    pair("cleaner clean FILE vs naive chain on FILE", naive("text", path, root / "start-naive"),
         ours(path, root / "start-out"), rounds, TARGETS["start"], faster=True)


def write_texts(folder: Path, count: int) -> None:
    """``count`` article texts of bench/corpus.py, a thousand a subfolder."""
    for number, text in enumerate(corpus.text_corpus(count)):
        (folder / f"{number // 1000:03d}").mkdir(parents=True, exist_ok=True)
        (folder / f"{number // 1000:03d}" / f"{number:06d}.txt").write_text(text, encoding="utf-8")


def text_section(root: Path, count: int, rounds: int) -> None:
    folder = root / "texts"
    write_texts(folder, count)
    print(f"2. text: {count} article texts, one process each side, -j 1")
    out_plain, out_ours = root / "texts-naive", root / "texts-out"
    pair("cleaner clean DIR vs naive chain over DIR", naive("text", folder, out_plain), ours(folder, out_ours),
         rounds, TARGETS["text"], faster=True)
    plain = json.loads((out_plain / "languages.json").read_text())
    found = {}
    for line in (out_ours / "manifest.jsonl").read_text().splitlines():
        record = json.loads(line)
        found[record["output"].replace(".txt", "").replace("/", "__")] = record["metadata"].get("language")
    same = sum(plain.get(f"{name}", None) == language for name, language in found.items())
    print(f"   same language label: {same}/{len(found)} ({same / len(found):.1%}; target >= 99%)")


def html_section(root: Path, count: int, rounds: int) -> None:
    folder = root / "pages"
    folder.mkdir()
    for number, page in enumerate(corpus.html_corpus(count)):
        (folder / f"{number:04d}.html").write_bytes(page)
    plain_config = root / "plain.toml"
    plain_config.write_text("[html]\nmetadata = false\n", encoding="utf-8")
    print(f"3. html: {count} pages, one process each side, -j 1")
    pair("[html] metadata = false vs trafilatura.extract(page)", naive("html", folder, root / "pages-naive"),
         ours(folder, root / "pages-out", "--config", str(plain_config)), rounds, TARGETS["html-plain"], faster=False)
    pair("default vs trafilatura.extract(page, with_metadata=True)", naive("html-meta", folder, root / "pages-naive"),
         ours(folder, root / "pages-out"), rounds, TARGETS["html-meta"], faster=False)


def parallel_section(root: Path, count: int, rounds: int) -> None:
    folder = root / "parallel"
    write_texts(folder, count)
    print(f"4. parallel: {count} article texts, cleaner clean -j 2 vs -j 1")
    pair("-j 2 vs -j 1", ours(folder, root / "parallel-1"), ours(folder, root / "parallel-2", jobs=2),
         rounds, TARGETS["parallel"], faster=True)


def byte_compile() -> None:
    """The ``cleaner`` package byte-compiled where Python looks for it (``__pycache__``), as an
    installed copy is (module docstring)."""
    import compileall

    import cleaner

    package = Path(cleaner.__file__).parent
    if not compileall.compile_dir(str(package), quiet=1):
        raise SystemExit(f"error: {package}: could not be byte-compiled")
    print(f"byte-compiled: {package} (as pip does at install)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=("start", "text", "html", "parallel"), action="append",
                        help="sections to run (default: all)")
    parser.add_argument("--texts", type=int, default=1000, help="article texts (default 1000)")
    parser.add_argument("--pages", type=int, default=200, help="HTML pages (default 200)")
    parser.add_argument("--files", type=int, default=10000, help="texts of the parallel section (default 10000)")
    parser.add_argument("--rounds", type=int, default=5, help="runs per side (default 5)")
    options = parser.parse_args()
    sections = options.only or ["start", "text", "html", "parallel"]
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    byte_compile()
    with tempfile.TemporaryDirectory(prefix="cleaner-processes-") as tmp:
        root = Path(tmp)
        os.environ["CLEANER_CACHE_DIR"] = str(root / "cache")
        if "start" in sections:
            start_section(root, max(options.rounds, 7))
        if "text" in sections:
            text_section(root, options.texts, options.rounds)
        if "html" in sections:
            html_section(root, options.pages, options.rounds)
        if "parallel" in sections:
            parallel_section(root, options.files, options.rounds)
        shutil.rmtree(root / "cache", ignore_errors=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
