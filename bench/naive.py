"""The plain libraries as a user would chain them, as a whole process: the baseline of
bench/processes.py.

    python bench/naive.py text OUT PATH...     # ftfy + a few re + langdetect (seeded), per text file
    python bench/naive.py html OUT PATH...     # trafilatura.extract(page) per HTML file
    python bench/naive.py html-meta OUT PATH...  # trafilatura.extract(page, with_metadata=True)

PATH is a file or a folder (its *.txt or *.html files, recursively). Each result goes to
OUT/<name>.txt (the path without its suffix, folders flattened with "__"), and the language found for each text to
OUT/languages.json.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

SPACES = re.compile(r"[ \t\u00a0]+")
BLANK_LINES = re.compile(r"\n{3,}")
LINE_EDGES = re.compile(r"(?m)^ +| +$")


def inputs(paths: list[str], suffix: str) -> list[tuple[str, Path]]:
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += [(str(p.relative_to(path).with_suffix("")).replace("/", "__"), p)
                      for p in sorted(path.rglob(f"*{suffix}"))]
        else:
            found.append((path.stem, path))
    return found


def main() -> None:
    mode, out, *paths = sys.argv[1:]
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    languages = {}
    if mode == "text":
        import ftfy
        from langdetect import DetectorFactory, detect
        from langdetect.lang_detect_exception import LangDetectException

        DetectorFactory.seed = 0
        for name, path in inputs(paths, ".txt"):
            text = ftfy.fix_text(path.read_text(encoding="utf-8", errors="replace"))
            text = LINE_EDGES.sub("", BLANK_LINES.sub("\n\n", SPACES.sub(" ", text)))
            try:
                languages[name] = detect(text)
            except LangDetectException:
                languages[name] = "und"
            (target / f"{name}.txt").write_text(text, encoding="utf-8")
    else:
        import trafilatura

        for name, path in inputs(paths, ".html"):
            text = trafilatura.extract(path.read_bytes(), with_metadata=mode == "html-meta") or ""
            (target / f"{name}.txt").write_text(text, encoding="utf-8")
    (target / "languages.json").write_text(json.dumps(languages, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()
