"""HTML pages: the guards that keep the article, the pruned-or-unpruned choice, the path
trafilatura took and the block breaks put back on its fallbacks, the declared language, and
pages with stray NUL bytes."""
from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path

import pytest
import trafilatura

from cleaner import Cleaner, InputError, load_config
from cleaner.html import paths
from cleaner.html.extract import HtmlExtractor, parse_html
from cleaner.html.fallback import block_starts, repair_boundaries, weigh_unpruned
from cleaner.html.guard import page_profile, text_of
from cleaner.html.linklines import drop_link_lines
from cleaner.html.prune import HtmlRule, Pruned, compile_selector

SENTENCES = [
    "Le conseil municipal a voté mardi soir le budget de l’année prochaine, après trois heures de débat.",
    "L’opposition a dénoncé une hausse des impôts locaux que la majorité juge inévitable.",
    "Le maire a promis de nouvelles pistes cyclables et la rénovation de deux écoles du centre.",
    "Les travaux commenceront au printemps et dureront dix-huit mois selon le calendrier présenté.",
    "Une réunion publique est prévue le mois prochain pour présenter les projets aux habitants.",
]


def article_page(paragraph_class: str = "", lang: str = "fr-FR") -> str:
    paragraphs = "".join(f"<p class='{paragraph_class}'>{s}</p>" for s in SENTENCES * 2)
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>Budget</title></head><body>"
            f"<nav><a href='/'>Accueil</a> <a href='/politique'>Politique</a></nav>"
            f"<div class='main-content related-wrapper'><h1>Le budget voté</h1>{paragraphs}</div>"
            f"<footer><a href='/contact'>Contact</a></footer></body></html>")


def rule(selector: str, **keys) -> HtmlRule:
    return HtmlRule("test-rule", "remove-element", "d", compile_selector("remove-element", selector), **keys)


def test_a_rule_never_removes_the_element_holding_the_article():
    tree = parse_html(article_page())
    pruned = Pruned(page_profile(tree))
    assert rule("[class*='related']").prune(tree, None, pruned.profile, pruned.texts) == []
    assert SENTENCES[0] in trafilatura.extract(tree)


def test_a_rule_whose_matches_hold_much_of_the_prose_is_spared_whole():
    """A class shape that also names the article's paragraphs (subscriber-only) is no box here."""
    tree = parse_html(article_page("subscriber-only"))
    profile = page_profile(tree)
    assert rule("[class*='subscriber']", max_chars=300).prune(tree, None, profile) == []
    small = parse_html(article_page().replace("</h1>", "</h1><p class='subscriber-box'>Abonnez-vous</p>"))
    edits = rule("[class*='subscriber']", max_chars=300).prune(small, None, page_profile(small))
    assert [e.before for e in edits] == ["Abonnez-vous"]


def test_prose_guard_keeps_a_paragraph_of_prose_that_is_a_link():
    html = ("<p><a href='/x'>Le rapport complet de la commission d’enquête a été rendu public lundi.</a></p>"
            "<p>Lire aussi : <a href='/y'>Le budget de la ville</a></p>")
    teaser = next(r for r in Cleaner().stage("prune").rules if r.id == "html-teaser-link-paragraph")
    assert teaser.snippet_result(html) == "Le rapport complet de la commission d’enquête a été rendu public lundi."


def test_a_run_of_linked_paragraphs_inside_the_article_stays():
    """With ``max-run: 2``, a list the article holds (events, recipes, sources), one link a
    paragraph, is not a run of teasers; a lone "Lire aussi" link in the same article still goes.
    (The built-in teaser rule does not set it: on the pool it spared a site's "latest news".)"""
    events = ("<p><a href='/e1'>Festival de jazz, 9-18 novembre, divers lieux</a></p>"
              "<p><a href='/e2'>Nuit du conte, 10 novembre, Théâtre du Port</a></p>"
              "<p><a href='/e3'>Photographies de la mer, Musée des Docks, jusqu’au 27 janvier</a></p>")
    html = article_page().replace(f"<p class=''>{SENTENCES[2]}</p>",
                                  f"<p class=''>{SENTENCES[2]}</p>{events}", 1).replace(
        f"<p class=''>{SENTENCES[4]}</p>", f"<p class=''>{SENTENCES[4]}</p>"
        "<p>Lire aussi : <a href='/y'>Le budget de la ville</a></p>", 1)
    tree = parse_html(html)
    teaser = next(r for r in Cleaner().stage("prune").rules if r.id == "html-teaser-link-paragraph")
    assert teaser.max_run is None
    edits = dataclasses.replace(teaser, max_run=2).prune(tree, None, page_profile(tree))
    assert [e.before for e in edits] == ["Lire aussi : Le budget de la ville"]
    assert "Nuit du conte, 10 novembre" in text_of(tree)


def test_outside_article_spares_lists_inside_the_article_and_pages_without_one():
    links = "".join(f"<li><a href='/{i}'>Titre numéro {i}</a></li>" for i in range(4))
    html = article_page().replace("</div>", f"<ul class='sources'>{links}</ul></div><ul class='box'>{links}</ul>", 1)
    lists = rule("ul", outside_article=True, min_link_density=0.8)
    tree = parse_html(html)
    assert len(lists.prune(tree, None, page_profile(tree))) == 1
    assert tree.find(".//ul[@class='sources']") is not None and tree.find(".//ul[@class='box']") is None
    bare = parse_html(f"<html><body><ul>{links}</ul><p>Court.</p></body></html>")
    assert page_profile(bare).candidate is None and lists.prune(bare, None, page_profile(bare)) == []


def test_link_lines_go_but_a_run_of_them_inside_the_article_stays():
    links = {"Un ferry bloqué au port", "La tempête arrive jeudi", "Les écoles fermées demain"}
    run = "Un ferry bloqué au port\n\nLa tempête arrive jeudi\n\nLes écoles fermées demain"
    inside = f"{SENTENCES[0]}\n\n{run}\n\n{SENTENCES[1]}"
    assert drop_link_lines(inside, links) == (inside, [])
    text, dropped = drop_link_lines(f"{SENTENCES[0]}\n\n{SENTENCES[1]}\n\n{run}", links)
    assert text == f"{SENTENCES[0]}\n\n{SENTENCES[1]}" and len(dropped) == 3
    text, _ = drop_link_lines(f"{SENTENCES[0]}\n\nUn ferry bloqué au port\n\n{SENTENCES[1]}", links)
    assert text == f"{SENTENCES[0]}\n\n{SENTENCES[1]}"


def test_metadata_says_the_path_and_the_declared_language():
    doc = Cleaner().clean(article_page(lang="en-GB"), path="a.html")
    assert doc.metadata["extraction"] == "main"
    assert doc.metadata["declared_language"] == "en"
    assert doc.metadata["language"] == "fr"  # from the article, not from the page's declaration


def test_a_fallback_path_is_named():
    doc = Cleaner().clean("<html><body><div>Un mot.</div></body></html>", path="a.html")
    assert paths.is_fallback(doc.metadata["extraction"]) or doc.metadata["extraction"] == "none"


def test_trafilatura_internals_that_the_path_reads_are_where_expected():
    """Fails when trafilatura moves or renames the functions of its cascade: then every path
    reads "unknown" and :mod:`cleaner.html.paths` needs updating for the new version."""
    for module, name, _ in paths.TARGETS:
        assert callable(getattr(importlib.import_module(module), name, None)), f"{module}.{name}"
    from trafilatura.baseline import _collect_json_content  # noqa: F401

    assert paths.install()
    result, path = paths.extract_with_path(lambda: trafilatura.bare_extraction(parse_html(article_page())))
    assert path == "main" and SENTENCES[0] in trafilatura.xml.xmltotxt(result.body, False)


def test_unknown_path_when_the_internals_moved(monkeypatch):
    monkeypatch.setattr(paths, "_installed", None)
    monkeypatch.setattr(paths, "TARGETS", (("trafilatura.core", "no_such_function", "main"),))
    result, path = paths.extract_with_path(lambda: trafilatura.bare_extraction(parse_html(article_page())))
    assert path == paths.UNKNOWN and result is not None
    monkeypatch.setattr(paths, "_installed", None)


def test_unpruned_text_is_kept_when_pruning_led_extraction_astray():
    assert weigh_unpruned("Menu Accueil", " ".join(SENTENCES))[0].startswith("pruned text 2 tokens")
    assert weigh_unpruned(" ".join(SENTENCES), " ".join(SENTENCES) + " Lire aussi")[0] is None
    held = "Commentaire: " + " ".join(["bla"] * 80)
    assert "article candidate" in weigh_unpruned(held, held + " " + " ".join(SENTENCES),
                                                 ["conseil", "municipal", "budget", "maire"])[0]


def test_the_unpruned_page_is_compared_only_when_its_text_could_win():
    """A fallback path alone calls for no second extraction (trafilatura's path is not among the
    signs), nor rules that removed much of the page's prose but less than half as much as the
    text kept: the unpruned text wins on length only with two-thirds more tokens. Far more removed, a short text, or one that misses the
    candidate's words still call for it."""
    from cleaner.html.fallback import CandidateWords
    from cleaner.html.guard import PageProfile

    text = " ".join(SENTENCES * 4)
    profile = PageProfile(prose=2000, candidate_chars=len(text))
    suspect, words = HtmlExtractor._suspect, CandidateWords(None)
    assert not suspect(text, Pruned(profile, ["Publicité"]), words)
    assert not suspect(text, Pruned(profile, ["Publicité " * 70]), words)  # 700 of the prose's 2000
    assert suspect(text, Pruned(profile, ["Publicité " * 100]), words)  # 1000: over half the text
    assert suspect(SENTENCES[0], Pruned(profile, ["Publicité"]), words)  # short
    other = CandidateWords(page_profile(parse_html(article_page())))
    assert suspect("Menu Accueil Contact " * 100, Pruned(PageProfile(prose=2000), ["Pub"]), other)


def test_the_edit_log_says_which_text_was_kept():
    html = article_page().replace("<footer>", "<div class='ad-slot'>Publicité</div><footer>")
    doc = Cleaner().clean(html, path="a.html")
    kept = [e for e in doc.edits if e.rule.startswith("extract/") and e.rule.endswith("-kept")]
    assert all(e.stage == "extract" for e in kept)


def test_block_breaks_come_back_where_a_fallback_glued_blocks():
    tree = parse_html("<html><body><div><p>" + SENTENCES[0] + "</p><p>" + SENTENCES[1] + "</p><p>"
                      + SENTENCES[2] + "</p></div></body></html>")
    glued = SENTENCES[0] + SENTENCES[1] + " " + SENTENCES[2]
    text, cuts = repair_boundaries(glued, block_starts(tree))
    assert text.split("\n\n") == SENTENCES[:3] and len(cuts) == 2
    assert repair_boundaries(text, block_starts(tree)) == (text, [])


def test_html_page_with_stray_nul_bytes_is_read():
    data = article_page().encode("utf-8").replace(b"Le maire", b"Le\x00 maire", 1)
    assert SENTENCES[2] in Cleaner().clean(data, path="a.html").text
    assert SENTENCES[2] in Cleaner().clean(data).text  # sniffed as HTML without a name


@pytest.mark.parametrize("data", [
    b"Un texte\x00 avec un NUL",  # not a page
    "<html><body><p>Texte.</p></body></html>".encode("utf-16-le"),  # a NUL in every other byte
    b"<html><body>" + b"\x00\x01\x02\x03" * 200,  # binary after an HTML start
])
def test_nul_bytes_outside_a_page_still_refuse_it(data):
    with pytest.raises(InputError, match="binary|NUL|control"):
        Cleaner().clean(data, path="a.html" if data.startswith(b"<") else None)


@pytest.mark.parametrize("metadata", [True, False])
@pytest.mark.parametrize("wins", [None, "the unpruned text is longer"])
def test_the_unpruned_page_is_compared_without_reading_its_metadata(monkeypatch, metadata, wins):
    """The comparison's extraction of the unpruned page skips the metadata (it changes neither
    text); the metadata is read from that page only when its text wins, and kept then."""
    from cleaner.html import fallback

    calls = []
    original = HtmlExtractor.bare

    def bare(self, tree, url=None, favor=None, metadata=True):
        calls.append(metadata and self.options.metadata)
        return original(self, tree, url, favor, metadata)

    monkeypatch.setattr(HtmlExtractor, "bare", bare)
    monkeypatch.setattr(HtmlExtractor, "_suspect", staticmethod(lambda *args: True))
    monkeypatch.setattr(fallback, "weigh_unpruned", lambda *args: (wins, "figures"))
    config = load_config(start=Path("/"))
    cleaner = Cleaner(dataclasses.replace(config, html=dataclasses.replace(config.html, metadata=metadata)))
    html = article_page().replace("<footer>", "<div class='ad-slot'>Publicité pour un produit</div><footer>")
    doc = cleaner.clean(html, path="a.html")
    assert [e.rule for e in doc.edits if e.rule.endswith("-kept")] == [f"extract/{'unpruned' if wins else 'pruned'}-kept"]
    assert calls == [metadata, False] + ([True] if wins and metadata else [])
    assert doc.metadata.get("title") == ("Le budget voté" if metadata else None)
