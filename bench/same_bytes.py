"""Same input, same bytes out: snapshot what the cleaner writes for every input set, and compare
two snapshots (before and after a change that must not change behaviour, such as a refactor).

    python bench/same_bytes.py snapshot /tmp/before     # with the code before the change
    python bench/same_bytes.py snapshot /tmp/after      # with the code after it
    python bench/same_bytes.py compare /tmp/before /tmp/after

Each set is cleaned by the ``cleaner`` command of this environment, from the repository root
(so the manifests name the same sources), into ``SNAPSHOT/<set>/``: every fixture input, the
real pages and dumps of ``../shared/realnews`` (scraped-dev, trafilatura-dev, the pool's html
and dumps), in text, JSONL and gzip-shard output, plus stdin to stdout. ``compare`` lists every
file that differs or exists on one side only (the resume journal in ``.cleaner/`` is left out,
and so is the ``config`` fingerprint of each manifest line, which changes with the code by
design), and exits 1 if any does.
"""
from __future__ import annotations

import argparse
import filecmp
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALNEWS = ROOT.parent / "shared" / "realnews"
CLEANER = [str(Path(sys.executable).parent / "cleaner")]  # the command of this environment

# set name -> (inputs, extra arguments); paths relative to the repository root
SETS: dict[str, tuple[list[str], list[str]]] = {
    "fixtures-text": (["fixtures"], ["--include", "input.*"]),
    "fixtures-jsonl": (["fixtures"], ["--include", "input.*", "--format", "jsonl"]),
    "fixtures-shards": (["fixtures"], ["--include", "input.*", "--format", "jsonl", "--shard-size", "7",
                                       "--gzip"]),
    "scraped-dev": (["../shared/realnews/scraped-dev/dumps"], []),
    "trafilatura-dev": (["../shared/realnews/trafilatura-dev/html"], []),
    "pool-html": (["../shared/realnews/pool/html"], ["--include", "*.html.gz"]),
    "pool-dumps": (["../shared/realnews/pool/dumps"], []),
}


def snapshot(target: Path, jobs: int) -> None:
    """Clean every set into ``target/<set>``, and the seed from stdin into ``target/stdin``."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name, (inputs, extra) in SETS.items():
        if not all((ROOT / path).exists() for path in inputs):
            print(f"{name}: inputs missing, skipped", file=sys.stderr)
            continue
        command = [*CLEANER, "clean", *inputs, "-o", str(target / name), "-j", str(jobs), "-q", *extra]
        result = subprocess.run(command, cwd=ROOT)
        print(f"{name}: exit {result.returncode}", file=sys.stderr)
        (target / f"{name}.exit").write_text(f"{result.returncode}\n")
    seed = (ROOT / "fixtures/seed-000/input.txt").read_bytes()
    for fmt in ("text", "jsonl"):
        out = subprocess.run([*CLEANER, "clean", "-", "--format", fmt], input=seed, capture_output=True,
                             cwd=ROOT, check=True).stdout
        (target / f"stdin.{fmt}").write_bytes(out)


_FINGERPRINT = re.compile(rb'"config":"[0-9a-f]{16}"')


def _same(a: Path, b: Path) -> bool:
    """Byte for byte; a manifest's ``config`` (the fingerprint of the settings, the rules and
    the package's code, which any change of code changes by design) is left out."""
    if a.name != "manifest.jsonl":
        return filecmp.cmp(a, b, shallow=False)
    blank = b'"config":""'
    return _FINGERPRINT.sub(blank, a.read_bytes()) == _FINGERPRINT.sub(blank, b.read_bytes())


def _files(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file() and ".cleaner" not in p.parts}


def compare(before: Path, after: Path) -> int:
    """Print a line per set (files compared, files that differ) and each difference; 1 if any."""
    differences = 0
    for name in sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()}):
        a, b = before / name, after / name
        if a.is_file() or b.is_file():
            same = a.is_file() and b.is_file() and _same(a, b)
            print(f"{name}: {'same' if same else 'DIFFERENT'}")
            differences += not same
            continue
        left, right = _files(a) if a.is_dir() else set(), _files(b) if b.is_dir() else set()
        only = sorted(left ^ right)
        changed = sorted(p for p in left & right if not _same(a / p, b / p))
        print(f"{name}: {len(left | right)} files, {len(changed)} different, {len(only)} on one side only")
        for path in changed:
            print(f"  differs: {path}")
        for path in only:
            print(f"  only in {'before' if path in left else 'after'}: {path}")
        differences += len(changed) + len(only)
    print(f"total: {differences} difference(s)")
    return 1 if differences else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("snapshot", help="clean every set into a folder")
    take.add_argument("target", type=Path)
    take.add_argument("-j", "--jobs", type=int, default=2)
    both = commands.add_parser("compare", help="compare two snapshots")
    both.add_argument("before", type=Path)
    both.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "snapshot":
        snapshot(args.target.resolve(), args.jobs)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
