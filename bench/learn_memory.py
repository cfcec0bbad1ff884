"""Memory of ``cleaner learn``'s counting over many documents: it must not grow with them.

usage: python bench/learn_memory.py [DOCS] [SITES]

Feeds DOCS invented documents (default 100,000) of SITES sites (default 3) to the counter of
:mod:`cleaner.learn.count` (each a menu, a changing date line, three lines told once, and a
footer) and prints, every tenth of the way, the entries held and the memory traced (Python's
``tracemalloc``). The cleaning before the counting streams already (``cleaner clean``'s workers).
"""
from __future__ import annotations

import sys
import time
import tracemalloc

from cleaner.learn.count import Counter
from cleaner.learn.judge import judge


def document(number: int) -> str:
    return (f"Front page\nMarkets\nUpdated {number % 24}:{number % 60:02d}\n"
            f"Story {number} begins with a line told once, {number * 7919 % 100003}.\n"
            f"It goes on with another line of its own, {number * 104729 % 1000003}.\n"
            f"And ends, {number}.\nAbout us\nAdvertise with us\n")


def main(docs: int = 100_000, sites: int = 3) -> None:
    tracemalloc.start()
    counter = Counter(width=100)
    start = time.perf_counter()
    for number in range(docs):
        counter.add(f"site{number % sites}.example", document(number))
        if (number + 1) % (docs // 10) == 0:
            current, peak = tracemalloc.get_traced_memory()
            print(f"{number + 1:>8} documents: {counter.size():>6} entries, {current / 1e6:6.2f} MB now, "
                  f"{peak / 1e6:6.2f} MB peak, {time.perf_counter() - start:5.1f} s")
    findings = judge(counter)[1]
    print(f"{len(findings)} findings over {sites} sites")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
