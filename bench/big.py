"""Big files: time and memory of ``cleaner clean`` on one scraper dump of growing size.

    python bench/big.py                  # 3 MB and 30 MB (from the repository root)
    python bench/big.py --sizes 1 3 10   # other sizes, in MB

A dump is the scraped-dev dumps of ../shared/realnews (broken lines, labels, share bars all
through them: every repair and rule runs often) one after another, each copy varied as in
bench/corpus.py, until the size is reached. Each size runs as a whole process, ``-j 1``,
``--rounds`` times (median wall and CPU time: on a machine busy with other work, the CPU
time is the steadier figure), with the rules' time limit lifted; its peak memory (max RSS, from ``wait4``) is compared
with that of the same command on a one-line file: what the file itself costs, as a multiple of
its size. Prints the time ratio of each size to the smallest, against the size ratio.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
from procstat import status_kb  # noqa: E402

TARGETS = {"time": 12.0, "memory": 10.0}  # 30 MB vs 3 MB: at most 12x the time; memory <= 10x the file


def dump(size: int) -> str:
    """About ``size`` bytes of scraped dumps, one after another, with a blank line between."""
    bases = [text for name, text in corpus.base_texts() if name.endswith(".txt")]
    parts, total, copy = [], 0, 0
    while total < size:
        text = corpus.vary(bases[copy % len(bases)], copy // len(bases))
        parts.append(text)
        total += len(text.encode("utf-8")) + 2
        copy += 1
    return "\n\n".join(parts)


def run(path: Path, out: Path, config: Path) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, peak memory (bytes, max RSS) and peak anonymous memory (bytes,
    polled every 10 ms) of ``cleaner clean PATH -o OUT -j 1`` in a fresh process.

    Max RSS also counts the pages of the language model's matrix, a mapped file shared by every
    process (and, for files read from the page cache, the pages around each row read): anonymous
    memory is what the process itself holds."""
    args = [sys.executable, "-c", "from cleaner.cli import main; main()", "clean", str(path), "-o", str(out),
            "-j", "1", "-q", "--max-size", "1GB", "--force", "--config", str(config)]
    begin = time.perf_counter()
    process = subprocess.Popen(args, stderr=subprocess.PIPE)
    anonymous = [0]

    def watch() -> None:
        while process.returncode is None:
            anonymous[0] = max(anonymous[0], status_kb(process.pid, "RssAnon"))
            time.sleep(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = status
    watcher.join()
    wall = time.perf_counter() - begin
    if status != 0:
        raise SystemExit(f"error: cleaner clean {path} failed: {process.stderr.read().decode()[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, anonymous[0] * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[3, 30], help="dump sizes in MB (default 3 30)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per size (default 3)")
    options = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="cleaner-big-") as tmp:
        root = Path(tmp)
        config = root / "config.toml"  # what is measured is time: no rule stopped by its time limit
        config.write_text("rule-time-limit = 36000\n", encoding="utf-8")
        tiny = root / "tiny.txt"
        tiny.write_text("Une phrase.\n", encoding="utf-8")
        article = root / "article.txt"  # the process's own: one ordinary article (its language reads the model)
        article.write_text(min((t for _, t in corpus.base_texts() if len(t) > 2000), key=len), encoding="utf-8")
        run(tiny, root / "out-tiny", config)  # fills the cache
        owns = [run(tiny, root / "out-tiny", config) for _ in range(options.rounds)]
        own, own_anonymous = min(r[2] for r in owns), min(r[3] for r in owns)
        articles = [run(article, root / "out-article", config) for _ in range(options.rounds)]
        print(f"one line: peak memory {own / 1e6:.0f} MB ({own_anonymous / 1e6:.0f} MB anonymous); one article of "
              f"{article.stat().st_size} bytes: {min(r[2] for r in articles) / 1e6:.0f} MB "
              f"({min(r[3] for r in articles) / 1e6:.0f} MB anonymous)")
        rows = []
        for size in options.sizes:
            path = root / f"dump-{size:g}MB.txt"
            path.write_text(dump(int(size * 1e6)), encoding="utf-8")
            runs = [run(path, root / f"out-{size:g}", config) for _ in range(options.rounds)]
            wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            peak, bytes_ = max(r[2] for r in runs), path.stat().st_size
            anonymous = max(r[3] for r in runs)
            rows.append((size, wall, cpu))
            print(f"{size:g} MB dump: {wall:.1f} s wall, {cpu:.1f} s CPU (medians of {options.rounds}), "
                  f"peak memory {peak / 1e6:.0f} MB, "
                  f"{(peak - own) / bytes_:.1f}x the file above the process's own {own / 1e6:.0f} MB "
                  f"(target <= {TARGETS['memory']:g}x); anonymous memory {anonymous / 1e6:.0f} MB, "
                  f"{(anonymous - own_anonymous) / bytes_:.1f}x the file above the process's own")
        (small, first, first_cpu), *others = rows
        for size, wall, cpu in others:
            print(f"{size:g} MB vs {small:g} MB: {wall / first:.1f}x the wall time, {cpu / first_cpu:.1f}x the CPU "
                  f"time for {size / small:g}x the size (target <= {TARGETS['time']:g}x for 30 MB vs 3 MB)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
