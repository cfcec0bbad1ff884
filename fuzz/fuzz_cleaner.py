"""Fuzz the cleaner with a fixed budget: arbitrary bytes as a document, and as a rule pack.

The first byte picks the target. A document must come out cleaned (sane and idempotent) or be
refused with ``InputError``; a rule pack must load or be refused with ``RuleError``. Anything
else is a crash.

    python fuzz/fuzz_cleaner.py -runs=3000 -seed=1 -max_total_time=25     # atheris (libFuzzer flags)

Without atheris (it has wheels for Linux and CPython up to 3.11/3.12), the same targets run
under hypothesis for the number of examples given by ``-runs=N``.
"""
from __future__ import annotations

import sys
import tempfile
import unicodedata
from pathlib import Path

try:
    import atheris
except ImportError:  # pragma: no cover - depends on the platform
    atheris = None

if atheris is not None:
    with atheris.instrument_imports(include=["cleaner"]):
        from cleaner import Cleaner, InputError, RuleError, load_config
        from cleaner.rules.pack import load_pack
else:
    from cleaner import Cleaner, InputError, RuleError, load_config
    from cleaner.rules.pack import load_pack

ROOT = Path(__file__).resolve().parents[1]
CLEANER = Cleaner(load_config(start=Path("/")))
PACK = Path(tempfile.mkdtemp(prefix="cleaner-fuzz-")) / "pack.yaml"


def clean_bytes(data: bytes) -> None:
    try:
        doc = CLEANER.clean(data, id="fuzz")
    except InputError as exc:
        assert "\n" not in str(exc), str(exc)
        return
    text = doc.text
    assert not [c for c in text if unicodedata.category(c) == "Cc" and c != "\n"], repr(text)
    assert text == "" or (text.endswith("\n") and not text.endswith("\n\n")), repr(text)
    assert CLEANER.clean(text).text == text, repr(text)


def load_rules(data: bytes) -> None:
    PACK.write_bytes(data)
    try:
        load_pack(PACK)
    except RuleError as exc:  # one line per mistake, each naming the file
        assert all(line.startswith(f"{PACK}:") for line in str(exc).strip().split("\n")), str(exc)


def one_input(data: bytes) -> None:
    if not data:
        return
    (load_rules if data[0] % 4 == 0 else clean_bytes)(data[1:])


def seeds() -> list[bytes]:
    """Starting inputs: the golden fixtures as documents, the built-in packs as rule files."""
    documents = [b"\x01" + path.read_bytes()[:4000] for path in sorted(ROOT.glob("fixtures/*/input.txt"))]
    packs = [b"\x00" + path.read_bytes() for path in sorted(ROOT.glob("rules/*.yaml"))]
    return documents + packs


def main(argv: list[str]) -> None:
    if atheris is not None:
        corpus = Path(tempfile.mkdtemp(prefix="cleaner-fuzz-corpus-"))
        for index, seed in enumerate(seeds()):
            (corpus / f"seed-{index}").write_bytes(seed)
        atheris.Setup([argv[0], *argv[1:], str(corpus)], one_input)
        atheris.Fuzz()
        return
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    runs = next((int(arg.split("=", 1)[1]) for arg in argv if arg.startswith("-runs=")), 1000)
    examples = st.sampled_from(seeds()) | st.binary(max_size=2000)

    @settings(max_examples=runs, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(examples)
    def run(data: bytes) -> None:
        one_input(data)

    run()
    print(f"hypothesis: {runs} examples, no crash")


if __name__ == "__main__":
    main(sys.argv)
