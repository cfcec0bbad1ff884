"""HTML pages, ``favor = "precision-guarded"``: trafilatura's precision extraction, and a balanced
one kept instead only when the precise text looks wrong (cleaner/html/favor.py)."""
from __future__ import annotations

import dataclasses
import json

import pytest

from cleaner import Cleaner
from cleaner.config import Config, ConfigError, HtmlOptions, load_config
from cleaner.document import Document
from cleaner.html.favor import balanced_wins, precision_suspect
from cleaner.html.fallback import tokens

SENTENCES = [
    "Le conseil de quartier de Valombre a adopté jeudi un plan de rénovation des trois fontaines de la place.",
    "Les habitants avaient signé une pétition au printemps pour demander la remise en eau des bassins.",
    "La première tranche des travaux coûtera quarante mille euros, financés pour moitié par la région.",
    "Le chantier doit commencer en septembre et se terminer avant les fêtes de fin d'année selon l'adjoint.",
    "Une exposition de photographies anciennes de la place sera installée sous les arcades pendant les travaux.",
]
# a box trafilatura's precision drops (a class named "link") and its balanced extraction keeps
BOX = "<div class='link'><p>Horaires de la mairie annexe : du lundi au vendredi, de neuf heures à midi.</p></div>"


def article_page(extra: str = "") -> str:
    paragraphs = "".join(f"<p>{s}</p>" for s in SENTENCES * 2)
    return ("<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Fontaines</title></head><body>"
            "<nav><a href='/'>Accueil</a> <a href='/ville'>Ville</a></nav>"
            f"<div class='story'><h1>Les fontaines rénovées</h1>{paragraphs}{extra}</div>"
            "<footer><a href='/contact'>Contact</a></footer></body></html>")


def script_page() -> str:
    """A page whose article is only in its JSON-LD (a page its script fills in): precision,
    without trafilatura's baseline rescue, extracts the loading notice."""
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Les fontaines rénovées",
            "articleBody": " ".join(SENTENCES)}
    return ("<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Fontaines</title>"
            f"<script type='application/ld+json'>{json.dumps(data, ensure_ascii=False)}</script></head><body>"
            "<nav><a href='/'>Accueil</a></nav><div id='app'><h1>Les fontaines rénovées</h1>"
            "<p>Chargement de l'article.</p></div></body></html>")


def cleaner(favor: str) -> Cleaner:
    return Cleaner(dataclasses.replace(Config(), html=HtmlOptions(favor=favor)))


def favor_edits(doc: Document) -> list:
    return [e for e in doc.edits if e.rule in ("extract/balanced-kept", "extract/precision-kept")]


def test_precision_text_is_used_when_it_holds_the_article():
    doc = cleaner("precision-guarded").clean(article_page(BOX), path="a.html")
    assert SENTENCES[0] in doc.text and "Horaires" not in doc.text
    assert doc.metadata["extraction"] == "precision:main" and favor_edits(doc) == []  # no second extraction
    assert "Horaires" in cleaner("balanced").clean(article_page(BOX), path="a.html").text


def test_balanced_text_is_kept_when_precision_loses_the_article_and_the_log_says_why():
    assert SENTENCES[0] not in cleaner("precision").clean(script_page(), path="a.html").text
    doc = cleaner("precision-guarded").clean(script_page(), path="a.html")
    assert SENTENCES[0] in doc.text and SENTENCES[-1] in doc.text
    assert doc.metadata["extraction"] == "balanced:baseline-json-ld"
    assert doc.metadata["title"] == "Les fontaines rénovées"  # read by the first extraction only
    [edit] = favor_edits(doc)
    assert edit.rule == "extract/balanced-kept" and "fallback (readability)" in edit.before
    assert edit.after.startswith("the balanced text (baseline-json-ld): precision text")


@pytest.mark.parametrize("page", [article_page(BOX), script_page()])
def test_precision_guarded_cleans_idempotently_and_deterministically(page):
    run = cleaner("precision-guarded")
    once = run.clean(page, path="a.html")
    assert run.clean(page, path="a.html").text == once.text
    assert run.run(Document(text=once.text, page=True)).text == once.text


def test_suspect_precision_texts_and_the_balanced_choice():
    candidate = tokens(" ".join(SENTENCES))
    article = "\n".join(SENTENCES)
    assert precision_suspect(article, "main", len(article), candidate) is None
    assert precision_suspect("", "none", 500, candidate) == "precision extracted nothing"
    assert precision_suspect(article, "main", 0, []).startswith("no article candidate")
    assert precision_suspect(SENTENCES[0], "main", len(article), candidate).startswith("precision text 10")
    other = " ".join(["Publicité"] * 40 + [SENTENCES[0]])
    assert "of the article candidate's words" in precision_suspect(other, "main", len(article), candidate)
    assert precision_suspect(article, "recall:justext", len(article), candidate).endswith("(recall:justext)")
    assert balanced_wins(SENTENCES[0], article) == "precision text 19 tokens vs 85 balanced"
    assert balanced_wins(article, article + " Lire aussi.") is None


def test_the_trade_off_is_a_config_value(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[html]\nfavor = "precision-guarded"\n')
    assert load_config(config).html.favor == "precision-guarded"
    config.write_text('[html]\nfavor = "guarded"\n')
    with pytest.raises(ConfigError, match="html.favor"):
        load_config(config)
