"""The page parser of :mod:`cleaner.html.load` gives the trees trafilatura's ``load_html`` gives,
with lxml's ``HtmlElement`` for every element (no Python class lookup)."""
from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
import trafilatura
from lxml import etree

from cleaner.html.extract import parse_html
from cleaner.html.load import load_html
from cleaner.html.sniff import decode_page

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAGES = [
    "<!DOCTYPE html><html><head><title>Titre</title></head><body><p>Un texte.</p><!-- note --></body></html>",
    "<html/>\n<body><p>Une page dont la balise html se ferme.</p></body>",
    "<?xml version='1.0' encoding='utf-8'?><html><body><p>Déclarée en XML.</p></body></html>",
    "<html><body><form action='/x'><label>Nom</label><input name='n' value='v'><select><option>a</option>"
    "</select><textarea>Écrire ici.</textarea></form><p>Fin\x00 du texte.</p></body></html>",
    "<div><p>Pas de balise html du tout, deux blocs.</p></div><p>Le second.</p>",
    "pas du HTML",
]


def serialised(tree: etree._Element | None) -> bytes | None:
    return None if tree is None else etree.tostring(tree.getroottree(), encoding="utf-8")


@pytest.mark.parametrize("page", PAGES + [decode_page(p.read_bytes())[0] for p in sorted(FIXTURES.glob("*/input.htm*"))])
def test_same_tree_as_trafilatura(page: str) -> None:
    ours, theirs = load_html(page), trafilatura.load_html(page)
    assert serialised(ours) == serialised(theirs)
    if ours is not None:
        assert {type(e) for e in ours.iter() if isinstance(e.tag, str)} == {lxml.html.HtmlElement}


def test_trafilatura_takes_the_tree_as_it_is() -> None:
    tree = parse_html(PAGES[0])
    assert trafilatura.load_html(tree) is tree  # an HtmlElement: trafilatura does not parse it again
    assert trafilatura.bare_extraction(tree).text == "Un texte."
