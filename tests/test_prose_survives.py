"""Teaser, share and notice rules match whole lines shaped like page furniture, never prose:
sentences that start with, or contain, the very words of labels and buttons come out whole.

The sentences end with a full stop: a teaser title may end with "?" or "!", so a one-line
question right after a teaser label is taken as its title (see the teaser packs)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Words of labels and buttons, in the six languages, as they can open or sit inside a sentence.
LABEL_WORDS = [
    "Lire aussi", "À lire aussi", "Voir aussi", "À découvrir", "Partager", "Publicité", "Newsletter",
    "Commenter", "Imprimer", "Sommaire", "Read more", "Related", "See also", "Read next", "Share",
    "Advertisement", "Most read", "Listen", "Lesen Sie auch", "Mehr zum Thema", "Anzeige", "Teilen",
    "Lea también", "Más información", "Publicidad", "Compartir", "Leggi anche", "Pubblicità",
    "Condividi", "Czytaj też", "Zobacz także", "Reklama", "Udostępnij", "Polecamy",
]
WORDS = ["le", "rapport", "the", "minister", "said", "die", "Regierung", "el", "gobierno", "il",
         "governo", "rząd", "was", "published", "on", "Monday", "in", "Paris", "and", "des", "chiffres",
         "new", "figures", "über", "Haushalt", "de", "la", "reforma", "della", "legge", "w", "sprawie"]


@st.composite
def sentences(draw) -> str:
    opener = draw(st.sampled_from(LABEL_WORDS))
    words = draw(st.lists(st.sampled_from(WORDS + LABEL_WORDS), min_size=4, max_size=14))
    return " ".join([opener, *words]) + "."


def articles() -> st.SearchStrategy[list[str]]:
    return st.lists(sentences(), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=articles())
def test_sentences_made_of_label_words_survive(cleaner, lines):
    text = "\n".join(lines) + "\n"
    assert cleaner.clean(text).text == "\n\n".join(lines) + "\n"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=articles(), blank=st.booleans())
def test_sentences_between_teaser_boxes_survive(cleaner, lines, blank):
    """A teaser box before each sentence goes; the sentence after it stays whole. (A paragraph of
    French before each box makes the document French: the French pack's box runs on French
    documents only.)"""
    sep = "\n\n" if blank else "\n"
    french = ("Le conseil municipal a voté mardi soir la réouverture du vieux quai, fermé depuis deux ans "
              "pour des travaux de consolidation qui ont coûté bien plus que prévu. Les habitants du "
              "quartier, qui attendaient cette décision depuis longtemps, se sont dits soulagés.")
    boxed = [f"{french}{sep}Lire aussi{sep}Un titre de l’article lié{sep}{line}" for line in lines]
    kept = [part for line in lines for part in (french, line)]
    assert cleaner.clean(sep.join(boxed) + "\n").text == "\n\n".join(kept) + "\n"
