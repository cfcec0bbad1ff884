"""Encodings and hostile input, one row per case; every cleaned output is checked for sanity.

Sane output: no control character but the newline, paragraphs in the order and the logical
(storage) order of their characters as they came, bidi marks and joiners kept, one final
newline, and cleaning it again changes nothing.
"""
from __future__ import annotations

import codecs
import gzip
import io
import random
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest

from cleaner import Cleaner, InputError, RuleError
from cleaner.decoding.decode import decode
from cleaner.rules.pack import load_pack

REALNEWS = Path(__file__).resolve().parents[1].parent / "shared" / "realnews"
FR = "Le président a déclaré à la presse qu’il était prêt à négocier « sans délai » avec l’opposition."
RU = "Президент заявил журналистам, что готов к переговорам в ближайшее время."

# (case, bytes, declared charset, expected text, expected encoding)
DECODED = [
    ("utf-8", FR.encode(), None, FR, "utf-8"),
    ("utf-8 with BOM", codecs.BOM_UTF8 + FR.encode(), None, FR, "utf-8-sig"),
    ("utf-16-le BOM", codecs.BOM_UTF16_LE + FR.encode("utf-16-le"), None, FR, "utf-16"),
    ("utf-16-be BOM", codecs.BOM_UTF16_BE + FR.encode("utf-16-be"), None, FR, "utf-16"),
    ("utf-32-le BOM", codecs.BOM_UTF32_LE + FR.encode("utf-32-le"), None, FR, "utf-32"),
    ("utf-32-be BOM", codecs.BOM_UTF32_BE + FR.encode("utf-32-be"), None, FR, "utf-32"),
    ("cp1252 with € and curly quotes", (FR + " Prix : 10 €.").encode("cp1252"), None, FR + " Prix : 10 €.", "cp1252"),
    ("latin-1 reads as its superset cp1252", "Noël à l'Élysée, été 1998.".encode("latin-1"), None,
     "Noël à l'Élysée, été 1998.", "cp1252"),
    ("iso-8859-15 œ and €", "Le cœur du problème coûte 100 € à l'œuvre.".encode("iso8859-15"), None,
     "Le cœur du problème coûte 100 € à l'œuvre.", "iso8859-15"),
    ("latin-1 ½ and ´ are not iso-8859-15", "Add 1½ cups, don´t stir.".encode("latin-1"), None,
     "Add 1½ cups, don´t stir.", "cp1252"),
    ("short legacy word", "Café".encode("cp1252"), None, "Café", "cp1252"),
    ("cp1252 bytes it leaves undefined", b"caf\xe9 \x93ok\x94 \x8d", "windows-1252", "café “ok” \x8d", "cp1252"),
    ("cp1251 Russian", RU.encode("cp1251"), None, RU, "cp1251"),
    ("koi8-r Russian", RU.encode("koi8-r"), None, RU, "koi8-r"),
    ("valid utf-8 stays utf-8 whatever is declared", FR.encode(), "iso-8859-1", FR, "utf-8"),
    ("declared latin-1 means cp1252 (WHATWG)", "“é”".encode("cp1252"), "ISO-8859-1", "“é”", "cp1252"),
    ("declared charset decides short text", "Привет, мир".encode("cp1251"), "windows-1251", "Привет, мир", "cp1251"),
    ("declared utf-16 needs no BOM", FR.encode("utf-16-le"), "utf-16le", FR, "utf-16-le"),
    ("unknown declared label is ignored", "Café".encode("cp1252"), "x-no-such-charset", "Café", "cp1252"),
    ("mojibake stays for the fix stage", "prÃ©sident".encode(), None, "prÃ©sident", "utf-8"),
    ("ASCII is utf-8", b"plain text", None, "plain text", "utf-8"),
    ("empty", b"", None, "", "utf-8"),
]


@pytest.mark.parametrize("data,declared,text,encoding", [row[1:] for row in DECODED], ids=[row[0] for row in DECODED])
def test_decoding(data, declared, text, encoding):
    assert decode(data, "in.txt", declared=declared) == (text, encoding)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


# (case, bytes, words of the one-line reason)
REFUSED = [
    ("NUL byte", b"Un texte\x00 avec un NUL", "binary data, not text (NUL byte at offset 8)"),
    ("PNG image", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary data, not text (a PNG image)"),
    ("JPEG image", b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary data, not text (a JPEG image)"),
    ("GIF image", b"GIF89a\x01\x00\x01\x00", "binary data, not text (a GIF image)"),
    ("PDF", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary data, not text (a PDF document)"),
    # gzip, bzip2 and xz are unpacked first (an .html.gz page is read), then their content judged
    ("gzip of an image", gzip.compress(b"\x89PNG\r\n\x1a\n" + bytes(range(256))), "binary data, not text (a PNG image)"),
    ("zip", _zip(), "binary data, not text (a ZIP archive)"),
    ("ELF", b"\x7fELF\x02\x01\x01", "binary data, not text (an executable)"),
    ("WebP", b"RIFF\x24\x00\x00\x00WEBPVP8 ", "binary data, not text (a WebP image)"),
    ("random bytes", bytes(b for b in random.Random(6).randbytes(2000) if b), "not text: no character encoding fits"),
    ("control characters", b"\x01\x02\x03\x04abc\x05\x06", "binary data, not text (6 control characters in 9)"),
    ("UTF-16 BOM with broken tail", codecs.BOM_UTF16_LE + b"a\x00\x00\xd8", "not valid utf-16 text"),
    ("UTF-16-LE without BOM", FR.encode("utf-16-le"), "not UTF-8 text (NUL bytes): it reads as UTF-16-LE without a "
                                                      "byte order mark; convert it (iconv -f UTF-16LE -t UTF-8)"),
    ("UTF-16-BE without BOM", "日本語のテキスト。\n".encode("utf-16-be"), "not UTF-8 text (NUL bytes): it reads as "
                                                                   "UTF-16-BE without a byte order mark"),
    ("NULs on both sides", b"ab\x00c\x00\x00de", "binary data, not text (NUL byte at offset 2)"),
]


@pytest.mark.parametrize("data,reason", [row[1:] for row in REFUSED], ids=[row[0] for row in REFUSED])
def test_not_text_is_refused_with_a_one_line_reason(cleaner, data, reason):
    with pytest.raises(InputError) as info:
        cleaner.clean(data, id="doc", path="in/doc.bin")
    message = str(info.value)
    assert message.startswith(f"in/doc.bin: {reason}") and "\n" not in message


def test_text_that_merely_starts_like_a_format_name_is_text(cleaner):
    for start in ("ID3 tags", "BZh, said he", "OggS", "GIF87 is old", "PK then", "wOFF"):
        assert cleaner.clean(f"{start} and more words.".encode()).text == f"{start} and more words.\n"


RTL = "השר אמר כי «Paris» הוא מקום טוב.\u200f\nمرحبا بالعالم (2025)، قال الوزير."
# (case, input, expected output, expected language or None for "any")
CLEANED = [
    ("empty", b"", "", "und"),
    ("whitespace only", b" \t\r\n \xc2\xa0\r \xe3\x80\x80\n", "", "und"),
    ("CRLF and lone CR", "Un.\r\nDeux.\rTrois.\n\rQuatre.".encode(), "Un.\n\nDeux.\n\nTrois.\n\nQuatre.\n", None),
    ("control characters go", "Le texte\x01 avec\x7f des \x81contrôles\x0b ici.\x1b[0m fin".encode(),
     "Le texte avec des contrôles ici. fin\n", None),
    ("tab, form feed, separators", "A\tb\fC\x1eD\u2028E".encode(), "A b\n\nCD\n\nE\n", None),
    ("mojibake repaired by ftfy", "Le prÃ©sident a dÃ©clarÃ© Ã  la presse.".encode(),
     "Le président a déclaré à la presse.\n", "fr"),
    ("UTF-8 and cp1252 mixed in one file", "Le président ".encode() + "a déclaré".encode("cp1252") + " à Noël.".encode(),
     "Le président a déclaré à Noël.\n", "fr"),
    ("mixed scripts", "Москва и Paris, 東京 and 😀 ok".encode(), "Москва и Paris, 東京 and 😀 ok\n", None),
    ("right-to-left in logical order, marks kept", RTL.encode(), RTL.replace("\n", "\n\n") + "\n", None),
    ("bidi isolates and joiners kept", "abc \u2067שלום\u2069 d\u200de \u200c f".encode(),
     "abc \u2067שלום\u2069 d\u200de \u200c f\n", None),
    ("cp1252 article", (FR + "\r\n\r\nFin (nouvelle fenêtre).").encode("cp1252"), FR + "\n\nFin.\n", "fr"),
]


@pytest.mark.parametrize("data,expected,language", [row[1:] for row in CLEANED], ids=[row[0] for row in CLEANED])
def test_odd_input_comes_out_sane(cleaner, data, expected, language):
    doc = cleaner.clean(data)
    assert doc.text == expected
    if language:
        assert doc.language == language
    assert_sane(cleaner, doc.text)


def assert_sane(cleaner: Cleaner, text: str) -> None:
    assert not [c for c in text if unicodedata.category(c) == "Cc" and c != "\n"]
    assert text == "" or (text.endswith("\n") and not text.endswith("\n\n"))
    assert cleaner.clean(text).text == text


def test_very_long_line_is_cleaned_whole(cleaner):
    line = "Le mot (nouvelle fenêtre) est là. " * 40_000  # 1.4 MB on one line
    doc = cleaner.clean(line.encode())
    assert doc.text == ("Le mot est là. " * 40_000).strip() + "\n"
    assert doc.language == "fr"
    assert_sane(cleaner, doc.text)


@pytest.mark.skipif(not REALNEWS.is_dir(), reason="needs ../shared/realnews beside the repository")
def test_real_page_declared_iso_8859_1_is_read_as_cp1252():
    data = (REALNEWS / "trafilatura-dev" / "html" / "nnz-online.de-Quantensprung.html").read_bytes()
    for declared in (None, "iso-8859-1"):
        text, encoding = decode(data, "page.html", declared=declared)
        assert encoding == "cp1252" and "für" in text and "Ã" not in text


@pytest.mark.skipif(not REALNEWS.is_dir(), reason="needs ../shared/realnews beside the repository")
def test_real_utf8_pages_stay_utf8_even_if_declared_latin1():
    pages = sorted((REALNEWS / "trafilatura-dev" / "html").glob("*.html"))[:40]
    for page in pages:
        data = page.read_bytes()
        if data.startswith(codecs.BOM_UTF8) or page.name.startswith("nnz-online"):
            continue
        assert decode(data, page.name, declared="iso-8859-1")[1] == "utf-8", page.name


# (case, rule pack body after the pack header, line, words of the reason)
BAD_RULE_FILES = [
    ("unknown key", "  - id: a\n    description: d\n    delete: x\n    colour: red\n    examples: [{in: x, out: ''}]\n",
     4, "Additional properties are not allowed ('colour'"),
    ("duplicate id in one pack", "  - id: a\n    description: d\n    delete: x\n    examples: [{in: x, out: ''}]\n"
     "  - id: a\n    description: e\n    delete: y\n    examples: [{in: y, out: ''}]\n", 8, "duplicate rule id 'a'"),
    ("bad regex in a list", "  - id: a\n    description: d\n    drop-line: ['ok', '(x']\n    examples: [{in: x, out: x}]\n",
     6, "bad regex in drop-line: missing ), unterminated subpattern"),
    ("regexes that only balance together", "  - id: a\n    description: d\n    delete: ['(a', 'b)']\n"
     "    examples: [{in: x, out: x}]\n", 6, "bad regex in delete"),
    ("bad group in replacement", "  - id: a\n    description: d\n    replace: '(a)'\n    with: '\\2'\n"
     "    examples: [{in: a, out: a}]\n", 7, "bad replacement in with: invalid group reference 2"),
    ("YAML alias", "  - &r {id: a, description: d, delete: x, examples: [{in: x, out: ''}]}\n  - *r\n", 5,
     "anchors and aliases are not allowed"),
    ("python tag", "  - !!python/object/apply:os.system ['true']\n", 4, "could not determine a constructor"),
    ("complex key", "  - ? [a]\n    : b\n", 4, "a key must be a plain value"),
]


@pytest.mark.parametrize("body,line,reason", [row[1:] for row in BAD_RULE_FILES], ids=[row[0] for row in BAD_RULE_FILES])
def test_bad_rule_files_fail_with_file_and_line(tmp_path, body, line, reason):
    path = tmp_path / "mine.yaml"
    path.write_text("pack: mine\ndescription: mine\nrules:\n" + body, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_pack(path)
    assert str(info.value).startswith(f"{path}:{line}: ") and reason in str(info.value), str(info.value)


def test_a_rule_file_with_several_mistakes_reports_them_all_in_file_order(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("pack: mine\ndescription: mine\nrules:\n"
                    "  - id: a\n    descripton: misspelt\n    delete: x\n    examples: [{in: x, out: ''}]\n"
                    "  - id: b\n    description: d\n    delete: '(x'\n    examples: [{in: x, out: ''}]\n"
                    "  - id: c\n    description: d\n    delete: y\n    colour: red\n    examples: [{in: y, out: y}]\n",
                    encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_pack(path)
    lines = str(info.value).splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{path}:4", f"{path}:4", f"{path}:12"], lines
    assert "Additional properties are not allowed ('descripton'" in lines[0]  # the unknown key first
    assert "'description' is a required property" in lines[1]
    assert "('colour'" in lines[2]
    path.write_text(path.read_text().replace("descripton", "description").replace("    colour: red\n", ""))
    with pytest.raises(RuleError) as info:  # once the file is valid, every rule that cannot build
        load_pack(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 1 and "rule 'b': bad regex in delete" in lines[0]
    path.write_text(path.read_text().replace("'(x'", "'z'"))
    with pytest.raises(RuleError) as info:  # then every example that fails
        load_pack(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 2 and "rule 'b' fails its example" in lines[0] and "rule 'c' fails its example" in lines[1]


def test_deeply_nested_rule_file_is_a_rule_error(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 20_000 + "]" * 20_000)
    with pytest.raises(RuleError, match="nested too deeply"):
        load_pack(path)


# --- private APIs of other packages: pinned, and a change fails loudly -------------------------

@pytest.mark.parametrize("distribution", ["google-re2", "ftfy", "langdetect", "trafilatura"])
def test_installed_versions_are_the_tested_ones(distribution):
    from cleaner import pins

    pins.require(distribution)


@pytest.mark.parametrize("distribution, version", [("google-re2", "1.2.0"), ("ftfy", "7.0"), ("ftfy", "6.0.3"),
                                                   ("langdetect", "1.1.0"), ("trafilatura", "2.4.0")])
def test_an_untested_version_stops_with_a_clear_message(monkeypatch, distribution, version):
    from cleaner import pins

    monkeypatch.setattr(pins.metadata, "version", lambda name: version if name == distribution else "0")
    with pytest.raises(ImportError, match=rf"^{distribution} {re.escape(version)} is not a tested version; "
                                          rf"article-cleaner reads .*pip install '{distribution}>="):
        pins.require(distribution)


def test_a_private_attribute_that_moved_stops_with_a_clear_message(monkeypatch):
    import re2

    from cleaner import pins

    monkeypatch.delattr(re2._Anchor, "UNANCHORED")
    with pytest.raises(pins.UntestedDependency, match=r"^google-re2 [\d.]+ has no _Anchor.UNANCHORED; "):
        pins.require("google-re2", re2, "_Anchor.UNANCHORED")


def test_a_changed_dependency_stops_the_import_of_the_module_that_reads_it():
    import subprocess
    import sys

    script = ("import importlib.metadata as m; real = m.version\n"
              "m.version = lambda name: '6.9' if name == 'ftfy' else real(name)\n"
              "import cleaner.text.fixfilter\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith(
        "cleaner.pins.UntestedDependency: ftfy 6.9 is not a tested version")
