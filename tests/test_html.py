"""HTML input: detection, charsets, compression, HTML rules, extraction block by block, metadata."""
from __future__ import annotations

import bz2
import codecs
import gzip
import json
import lzma
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml.cssselect import CSSSelector

from cleaner import Cleaner, ConfigError, Document, InputError, RuleError, load_config
from cleaner.decoding import unpack
from cleaner.cli import main
from cleaner.html.extract import parse_html, render_blocks
from cleaner.html.prune import HtmlRule, parse_snippet, snippet_text
from cleaner.rules.pack import load_pack, load_packs
from cleaner.html.selectors import PageIndex
from cleaner.decoding.unpack import decompress
from cleaner.html.sniff import declared_charset, decode_page, has_html_suffix, looks_like_html
from conftest import FIXTURES, SHARED

FR_PAGE = FIXTURES / "html-fr-screen-reader-labels" / "input.html"
HTML_INPUTS = sorted(FIXTURES.glob("html-*/input.html"))
BUILTIN_HTML_RULES = [r for r in load_packs(["*"], check=False) if isinstance(r, HtmlRule)]


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


ARTICLE = (
    "<article><h1>Titre de l’article</h1>"
    "<p>Le conseil municipal a voté mardi soir le budget de l’année prochaine, après trois heures de débat.</p>"
    "<p>L’opposition a dénoncé une hausse des impôts locaux et annoncé un recours devant le tribunal administratif.</p>"
    "<p>Le maire a répondu que les investissements prévus étaient indispensables pour rénover les écoles.</p>"
    "</article>"
)


# --- detection, charsets, compression -------------------------------------------------------

@pytest.mark.parametrize("start,expected", [
    ("<!DOCTYPE html>\n<html>", True),
    ("  <html lang='de'><head>", True),
    ("<?xml version='1.0'?><!DOCTYPE html><html>", True),
    ("<!-- saved by wget -->\n<div class='post'><p>Un texte.</p></div>", True),
    ("<p>Un paragraphe.</p>\n<p>Un autre.</p>", True),
    ("<p> est la balise d’un paragraphe en HTML.", False),
    ("Le président a parlé <html> à la presse.", False),
    ("", False),
])
def test_html_is_told_by_content(start, expected):
    assert looks_like_html(start) is expected


def test_html_suffixes_are_a_hint():
    assert has_html_suffix("a/b.html") and has_html_suffix("x.HTM") and has_html_suffix("x.html.gz")
    assert not has_html_suffix("x.txt") and not has_html_suffix(None) and not has_html_suffix("html")


def test_bytes_and_their_text_are_sniffed_apart(cleaner):
    """The start of the bytes decides whether a declared charset is read, the decoded text whether
    the HTML stages run: they disagree on these, so neither can stand for the other."""
    page = b"<html><body><p>x</p></body></html>"
    for data in (codecs.BOM_UTF8 + page, page.decode().encode("utf-16"), b"<div>" + b"a" * 5000 + b"</div>"):
        assert not looks_like_html(data[:4096].decode("latin-1")) and cleaner.read(data).html
    nel = b"\x85" + page  # a space in Latin-1, an ellipsis in cp1252
    assert looks_like_html(nel[:4096].decode("latin-1")) and not cleaner.read(nel).html


def test_declared_charset_is_respected_and_utf8_wins_when_valid():
    latin = '<html><head><meta charset="iso-8859-1"></head><body><p>Été à Noël</p></body></html>'
    text, encoding = decode_page(latin.encode("cp1252"))
    assert "Été à Noël" in text and encoding == "cp1252"
    # declared latin-1, but the bytes are valid UTF-8: the page is UTF-8 (a common mislabel)
    assert decode_page(latin.encode("utf-8")) == (latin, "utf-8")
    assert declared_charset(b'<meta http-equiv="content-type" content="text/html; charset=Windows-1250">') == "cp1250"
    assert declared_charset(b"<p>charset=utf-8 in prose</p>") is None


def test_legacy_page_cleans_with_its_declared_charset(cleaner):
    data = page(ARTICLE.replace("l’année", "l'année")).replace("utf-8", "windows-1252").encode("cp1252")
    doc = cleaner.clean(data)
    assert doc.metadata["encoding"] == "cp1252"
    assert "le budget de l'année prochaine" in doc.text and "Ã" not in doc.text


def test_compressed_input_is_unpacked_within_bounds(monkeypatch):
    assert decompress(gzip.compress(b"abc") + gzip.compress(b"def")) == b"abcdef"
    assert decompress(bz2.compress(b"abc")) == decompress(lzma.compress(b"abc")) == b"abc"
    with pytest.raises(InputError, match="^x.html.gz: corrupt gzip data"):
        decompress(b"\x1f\x8b\x08\x00broken", "x.html.gz")
    with pytest.raises(InputError, match="corrupt gzip data .the stream ends"):
        decompress(gzip.compress(b"abc" * 100)[:-20], "x.gz")
    monkeypatch.setattr(unpack, "MAX_UNPACKED", 2**20)
    with pytest.raises(InputError, match="^bomb.gz: gzip data unpacking to more than 1 MiB$"):
        decompress(gzip.compress(b"\0" * (2**20 + 1)), "bomb.gz")


def test_same_text_from_bytes_str_gzip_and_path_hint(cleaner):
    data = FR_PAGE.read_bytes()
    expected = (FR_PAGE.parent / "expected.txt").read_text(encoding="utf-8")
    assert cleaner.clean(data).text == expected
    assert cleaner.clean(data.decode("utf-8")).text == expected
    assert cleaner.clean(gzip.compress(data)).text == expected
    fragment = "<p>Le conseil municipal a voté mardi soir le budget de la ville."
    assert cleaner.clean(fragment.encode(), path="a.txt").text.startswith("<p>")  # not HTML by content
    assert cleaner.clean(fragment.encode(), path="a.html").text == (
        "Le conseil municipal a voté mardi soir le budget de la ville.\n")


# --- HTML rules ------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", BUILTIN_HTML_RULES, ids=lambda r: r.id)
def test_builtin_html_rule_examples(rule):
    assert rule.examples and rule.description.strip()
    assert [str(f) for f in rule.check_examples()] == []


def test_removal_keeps_the_text_after_the_element():
    root = parse_snippet("<p>Voir <a href='#'>le site<span class='sr-only'>(nouvelle fenêtre)</span></a>. Puis la suite.</p>")
    rule = next(r for r in BUILTIN_HTML_RULES if r.id == "html-screen-reader-only")
    edits = rule.prune(root)
    assert snippet_text(root) == "Voir le site. Puis la suite."
    assert [(e.stage, e.rule, e.before) for e in edits] == [("prune", "html-screen-reader-only", "(nouvelle fenêtre)")]


def test_max_chars_spares_a_page_wide_container(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent("""\
        pack: p
        description: d
        rules:
          - id: boxes
            description: d
            remove-element: '[class*="newsletter"]'
            max-chars: 30
            examples:
              - in: '<div class="newsletter">Abonnez-vous</div><p>Texte.</p>'
                out: "Texte."
              - in: '<div class="has-newsletter"><p>Un long article qui dépasse la limite fixée.</p></div>'
                out: "Un long article qui dépasse la limite fixée."
        """), encoding="utf-8")
    _, (rule,) = load_pack(path)
    assert rule.max_chars == 30 and rule.check_examples() == []



def test_a_site_packs_html_rules_run_only_on_that_sites_pages(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text(textwrap.dedent("""\
        pack: sites/example-org
        site: example.org
        description: d
        rules:
          - id: example-promo
            description: d
            remove-element: .promo-strip
            max-chars: 100
            examples:
              - in: '<div class="promo-strip">Abonnez-vous</div><p>Texte.</p>'
                out: "Texte."
        """), encoding="utf-8")
    cleaner = Cleaner(load_config(None, tmp_path).with_rules([path]))
    body = "<p>" + "Le conseil municipal a voté le budget de l’année prochaine après un long débat. " * 4 + "</p>"

    def page(head: str) -> str:
        return (f"<html><head><title>Budget</title>{head}</head><body><article>"
                f"<div class='promo-strip'>Offre spéciale abonnés</div>{body}</article></body></html>")

    elsewhere = cleaner.clean(page('<link rel="canonical" href="https://news.example.com/a">'))
    assert "Offre spéciale" in elsewhere.text and "example-promo" not in {e.rule for e in elsewhere.edits}
    for head in ('<link rel="canonical" href="https://www.Example.org/a">',
                 '<meta property="og:url" content="https://example.org/a">', ""):  # its site, or unknown
        assert "Offre spéciale" not in cleaner.clean(page(head)).text, head


BAD_HTML_RULES = [
    ("bad css", "    remove-element: 'div[class='\n", 4, "bad CSS selector in remove-element"),
    ("bad xpath", "    remove-xpath: '//p[@class'\n", 4, "bad XPath in remove-xpath"),
    ("text key on html rule", "    remove-element: p\n    ignore-case: true\n", 5, "'ignore-case' applies to text rules"),
    ("html key on text rule", "    delete: x\n    max-chars: 3\n", 5, "'max-chars' applies to HTML rules"),
]


@pytest.mark.parametrize("body,line,message", [b[1:] for b in BAD_HTML_RULES], ids=[b[0] for b in BAD_HTML_RULES])
def test_bad_html_rule_fails_with_file_and_line(tmp_path, body, line, message):
    path = tmp_path / "bad.yaml"
    path.write_text("pack: bad\ndescription: d\nrules:\n  - id: r\n    description: d\n" + body
                    + "    examples: [{in: '<p>x</p>', out: x}]\n", encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_pack(path)
    assert str(info.value).startswith(f"{path}:{line + 2}: ") and message in str(info.value), str(info.value)


def test_rules_test_runs_and_names_a_failing_html_example(tmp_path):
    path = tmp_path / "h.yaml"
    path.write_text("pack: h\ndescription: d\nrules:\n  - id: drop-aside\n    description: d\n"
                    "    remove-element: aside\n    examples:\n"
                    "      - {in: '<p>A.</p><aside>B.</aside>', out: 'A.\\nB.'}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "test", str(path)])
    assert result.exit_code == 2
    assert f"FAIL {path}:8: rule 'drop-aside' fails its example" in result.stderr
    listed = CliRunner().invoke(main, ["rules", "list"])
    assert "html-screen-reader-only" in listed.stdout and "remove-element" in listed.stdout


def _pages() -> list[Path]:
    pages = [*HTML_INPUTS]
    for folder in ("scraped-dev/html", "trafilatura-dev/html"):
        pages += sorted((SHARED / "realnews" / folder).glob("*.htm*"))[:40]
    return pages


def test_page_index_never_hides_a_match():
    """The shortcut (only selectors whose class names occur in the page run) finds exactly what
    the plain CSS selectors find, on the fixtures and on real pages when they are at hand."""
    css_rules = [r for r in BUILTIN_HTML_RULES if r.kind == "remove-element"]
    for path in _pages():
        root = parse_html(decode_page(path.read_bytes())[0])
        index = PageIndex(root)
        for rule in css_rules:
            plain = CSSSelector(rule.selector.source, translator="html")(root)
            assert rule.selector(root, index) == plain, (path.name, rule.id)


# --- extraction --------------------------------------------------------------------------------

def test_blocks_keep_paragraphs_apart_and_br_inside():
    from lxml import etree

    body = etree.fromstring("<body><p>la diaria publica hoy.</p><div><p>un<lb/>dos</p><head>Tres</head></div>"
                            "<code>import os\nimport re</code></body>")
    assert render_blocks(body) == "la diaria publica hoy.\n\nun\ndos\n\nTres\n\nimport os\n\nimport re"


def test_br_wraps_are_rejoined_but_paragraphs_are_not(cleaner):
    body = ("<article><p>Le maire a présenté le budget de<br>la ville, qui prévoit une hausse<br>"
            "des investissements dans les écoles.</p>"
            "<p>iPhone et tablettes seront distribués aux élèves de sixième à la rentrée prochaine.</p>"
            "<pre>ligne un\nligne deux</pre></article>")
    text = cleaner.clean(page(body)).text
    assert text == ("Le maire a présenté le budget de la ville, qui prévoit une hausse des investissements "
                    "dans les écoles.\n\niPhone et tablettes seront distribués aux élèves de sixième à la "
                    "rentrée prochaine.\n\nligne un\n\nligne deux\n")


def test_metadata_and_title_first_line(tmp_path):
    doc = Cleaner(load_config(start=Path("/"))).clean(FR_PAGE.read_bytes())
    meta = doc.metadata
    assert meta["title"] == "Sécheresse : les préfets multiplient les arrêtés de restriction d’eau"
    assert meta["author"] == "Claire Montaigne" and meta["date"] == "2023-07-18"
    assert meta["sitename"] == "Le Quotidien du Centre"
    assert meta["url"] == "https://www.quotidien-du-centre.fr/environnement/secheresse-restrictions-eau-2023"
    assert meta["description"].startswith("Quarante-trois départements")
    assert meta["language"] == "fr" and not doc.text.startswith("Sécheresse")
    config = tmp_path / "c.toml"
    config.write_text("[html]\ntitle-first-line = true\nmetadata = false\n")
    titled = Cleaner(load_config(config)).clean(FR_PAGE.read_bytes())
    assert titled.text.startswith("Sécheresse : les préfets multiplient les arrêtés de restriction d’eau\n\nQuarante")
    assert "title" not in titled.metadata
    assert Cleaner(load_config(config)).clean(titled.text).text == titled.text


def test_html_options_are_validated(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[html]\nfavor = "speed"\n')
    with pytest.raises(ConfigError, match="html.favor"):
        load_config(config)
    config.write_text("[html]\ninclude-comments = true\ninclude-tables = false\n")
    options = load_config(config).html
    assert options.include_comments and not options.include_tables and options.favor == "balanced"


def test_page_without_article_text_gives_empty_text(cleaner):
    doc = cleaner.clean(page("<script>var a = 1;</script>"))
    assert doc.text == "" and doc.language == "und" and doc.metadata["title"] is None


def test_cli_cleans_html_and_gzip_folder_with_metadata_in_manifest(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.html").write_bytes(FR_PAGE.read_bytes())
    (src / "b.html.gz").write_bytes(gzip.compress(FR_PAGE.read_bytes()))
    (src / "c.htm").write_bytes(b"\x1f\x8b\x08broken")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["clean", str(src), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1 and "c.htm: corrupt gzip data" in result.stderr
    expected = (FR_PAGE.parent / "expected.txt").read_text(encoding="utf-8")
    assert (out / "a.txt").read_text(encoding="utf-8") == expected == (out / "b.txt").read_text(encoding="utf-8")
    records = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert [Path(r["source"]).name for r in records] == ["a.html", "b.html.gz", "c.htm"]
    assert records[0]["metadata"]["sitename"] == "Le Quotidien du Centre"
    assert records[0]["rules"]["html-screen-reader-only"] == 5  # skip link, "Publié le", 3 labels
    jsonl = CliRunner().invoke(main, ["clean", str(src / "a.html"), "--format", "jsonl"])
    assert json.loads(jsonl.stdout)["metadata"]["author"] == "Claire Montaigne"


def test_explain_shows_what_the_html_rules_removed():
    result = CliRunner().invoke(main, ["explain", str(FIXTURES / "html-de-instagram-embed-related-box" / "input.html"),
                                       "--no-color"])
    assert result.exit_code == 0
    assert "prune  html-instagram-embed" in result.stdout and "Ein Beitrag geteilt von Lena Brandt" in result.stdout
    assert "prune  html-related-articles-box" in result.stdout


def test_in_place_never_rewrites_an_html_page_and_takes_only_txt_from_folders(tmp_path):
    page_path = tmp_path / "a.html"
    page_path.write_bytes(FR_PAGE.read_bytes())
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(FR_PAGE.read_bytes()))
    result = CliRunner().invoke(main, ["clean", "--in-place", str(page_path), str(tmp_path / "b.html.gz")])
    assert result.exit_code == 1 and page_path.read_bytes() == FR_PAGE.read_bytes()
    assert f"error: {page_path}: HTML or compressed: cleaned into a new .txt file (-o), not in place" in result.stderr
    folder = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert folder.exit_code == 0 and "0 file(s) would be fixed, 0 clean, 0 failed" in folder.stderr


WORDS = st.sampled_from(["Le", "maire", "a", "présenté", "le", "budget", "de", "la", "ville", "the", "council",
                         "voted", "und", "der", "Rat", ",", ".", "«", "»", "“", "”", "—", "l’école", "2024"])
INLINE = st.one_of(
    st.lists(WORDS, min_size=1, max_size=12).map(" ".join),
    st.just("<br>"), st.just("<br/>\n"),
    st.lists(WORDS, min_size=1, max_size=4).map(lambda w: f"<a href='/x'>{' '.join(w)}</a>"),
    st.just("<span class='sr-only'>(nouvelle fenêtre)</span>"),
    st.lists(WORDS, min_size=1, max_size=4).map(lambda w: f"<q>{' '.join(w)}</q>"),
    st.lists(WORDS, min_size=1, max_size=4).map(lambda w: f"<em>{' '.join(w)}</em>"),
)
BLOCK = st.one_of(
    st.lists(INLINE, min_size=1, max_size=10).map(lambda parts: "<p>" + " ".join(parts) + "</p>"),
    st.lists(WORDS, min_size=1, max_size=8).map(lambda w: f"<h2>{' '.join(w)}</h2>"),
    st.just("<blockquote class='twitter-tweet'><p>Un tweet.</p>&mdash; Jean (@jean) 5 avril 2023</blockquote>"),
    st.lists(WORDS, min_size=1, max_size=6).map(lambda w: f"<ul><li>{' '.join(w)}</li><li>{' '.join(w)}</li></ul>"),
    st.lists(WORDS, min_size=2, max_size=6).map(lambda w: "<pre>" + "\n".join(w) + "</pre>"),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blocks=st.lists(BLOCK, max_size=8))
def test_any_article_page_cleans_idempotently(cleaner, blocks):
    once = cleaner.clean(page("<article>" + "".join(blocks) + "</article>"))
    assert once.text == "" or once.text.endswith("\n") and not once.text.endswith("\n\n")
    assert "(nouvelle fenêtre)" not in once.text and "@jean" not in once.text
    # cleaning twice is cleaning once: the page's text through the text stages again, as a page's
    # text (the dump-only shape stage skips pages; a page's text re-read as a dump meets it: see README)
    assert cleaner.run(Document(text=once.text, page=True)).text == once.text


def test_every_builtin_html_rule_has_a_size_or_share_guard():
    """A remove-element or remove-xpath rule without a bound could take a page-wide container."""
    from cleaner.html.prune import HtmlRule
    from cleaner.rules.pack import load_packs

    unbounded = [rule.id for rule in load_packs(["*"], []) if isinstance(rule, HtmlRule)
                 and rule.max_chars is None and rule.max_text_share is None]
    assert unbounded == []
