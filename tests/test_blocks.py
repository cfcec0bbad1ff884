"""A big text is cleaned block by block (cleaner.text.blocks): cleaning twice is cleaning once,
every block gets the whole text's label, edits keep their lines, a small text is cleaned whole.

The thresholds are lowered so that texts of a few thousand characters are cut into blocks; the
texts are invented."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, Document, load_config
from cleaner.stage import digest
from cleaner.text.blocks import Blockwise, block_spans
from cleaner.text.language import INPUT_SAMPLE_CHARS, detect_language
from conftest import ROOT, SHARED, require_data

FRENCH = [
    "Mirelle Dantaud a ouvert la boulangerie du quartier des Tilleuls en mars dernier.",
    "Les habitants de Varnolles attendaient ce commerce depuis la fermeture de l'ancienne épicerie.",
    "Selon la mairie, la place du marché sera entièrement rénovée avant la fin de l'été prochain.",
    "Le maire a expliqué que",
    "la route départementale serait fermée pendant trois semaines.",
    "Les travaux commenceront lundi ; les riverains ont été prévenus par courrier.",
    "Partager sur Facebook",
    "Lire aussi : Le marché couvert de Varnolles rouvre ses portes",
    "Publicité",
    "Tags : commerce, quartier, travaux",
    "Il fait Ã©tÃ© depuis des semaines dans la vallée de la Brenne.",
]
ENGLISH = [
    "The council of Brackenford voted on the new bridge plan yesterday evening.",
    "Residents had asked for a safer crossing since the old ferry stopped running.",
    "Share this article",
    "Read more: Brackenford bridge plan explained",
    "Advertisement",
    "Work on the riverbank is expected to start early next spring, officials said.",
]
LINES = st.lists(st.sampled_from(FRENCH + ENGLISH), min_size=4, max_size=60)
BREAKS = st.lists(st.sampled_from(["\n", "\n\n", "\n \n\n"]), min_size=60, max_size=60)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _text(lines: list[str], breaks: list[str]) -> str:
    return "".join(line + brk for line, brk in zip(lines, breaks))


@pytest.fixture(scope="module")
def small_blocks() -> Cleaner:
    """A cleaner that cuts any text past 300 characters into blocks of some 150."""
    cleaner = Cleaner(load_config(start=Path("/")))
    text = cleaner.stage("text")
    assert isinstance(text, Blockwise)
    text.threshold, text.size, text.spacing = 300, 150, 2
    return cleaner


class _Seen:
    """A stage that notes the length and label of each text it sees."""

    name = "seen"

    def __init__(self) -> None:
        self.texts: list[tuple[int, str]] = []

    def __call__(self, doc: Document) -> Document:
        self.texts.append((len(doc.text), doc.metadata.get("language", "")))
        return doc


@SETTINGS
@given(lines=LINES, breaks=BREAKS)
@example(lines=[FRENCH[7], FRENCH[9], FRENCH[7], FRENCH[9], ENGLISH[0], ENGLISH[2], ENGLISH[4]] * 5,
         breaks=["\n\n"] * 60).via("labelled fr, then en once the French labels are gone: two rounds")
def test_cleaning_a_big_text_twice_is_cleaning_it_once(small_blocks, lines, breaks):
    once = small_blocks.clean(_text(lines, breaks))
    twice = small_blocks.clean(once.text)
    assert twice.text == once.text
    assert twice.language == once.language
    assert once.text == "" or once.text.endswith("\n") and not once.text.endswith("\n\n")


def test_a_big_text_runs_the_stages_block_by_block_with_the_whole_texts_label():
    cleaner = Cleaner(load_config(start=Path("/")))
    cleaner.stage("text").threshold, cleaner.stage("text").size = 300, 150
    cleaner.stage("text").spacing = 2
    seen = _Seen()
    cleaner.insert(seen, after="language-in")
    french = "\n\n".join(FRENCH[:3] + FRENCH[5:6]) * 6
    english = "\n\n".join(ENGLISH[:2] + ENGLISH[5:])
    text = french + "\n\n" + english + "\n"  # French but for its end: a block of its own is English
    assert detect_language(text, INPUT_SAMPLE_CHARS, label_only=True)[0] == "fr"
    assert detect_language(english, INPUT_SAMPLE_CHARS, label_only=True)[0] == "en"
    cleaner.clean(text)
    assert len(seen.texts) >= len(block_spans(text, 150, 2)) > 2  # a round of several blocks, at least
    assert max(length for length, _ in seen.texts) < len(text) / 2
    assert {label for _, label in seen.texts} == {"fr"}


def test_a_text_at_most_the_threshold_is_cleaned_whole():
    cleaner = Cleaner(load_config(start=Path("/")))
    seen = _Seen()
    cleaner.insert(seen, after="language-in")
    text = "\n\n".join(FRENCH) * 4
    cleaner.stage("text").size, cleaner.stage("text").spacing = 150, 2
    cleaner.stage("text").threshold = len(text)
    cleaner.clean(text)
    assert seen.texts[0][0] == len(text)


def test_an_edit_in_a_later_block_has_its_line_in_the_whole_text(small_blocks):
    lines = FRENCH[:3] * 8 + ["Partager sur Facebook"] + FRENCH[:3]
    text = "\n\n".join(lines) + "\n"
    doc = small_blocks.clean(text)
    assert len(block_spans(text, 150, 2)) > 3
    share = [edit for edit in doc.edits if edit.before == "Partager sur Facebook\n"]
    assert share and share[0].stage == "rules"
    assert share[0].line == 2 * lines.index("Partager sur Facebook") + 1  # its line in ``text``


def test_block_spans_cut_after_a_sentence_past_the_size_and_leave_the_line_breaks_out():
    text = "Cendrine arrive.\nCendrine arrive, puis\nCendrine repart.\n\n\nOmbrelune passe."
    spans = block_spans(text, size=5, spacing=2)  # "Cendrine", "arrive" and "repart" are anchors
    assert [text[s:e] for s, e in spans] == ["Cendrine arrive.", "Cendrine arrive, puis\nCendrine repart.",
                                             "Ombrelune passe."]
    assert block_spans(text, size=len(text), spacing=2) == [(0, len(text))]


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(codec=None)), piece=st.integers(1, 40))
@example(text="Un \ud83d texte \U0001f327 coupé", piece=3).via("a lone surrogate, a character past the BMP")
def test_the_digest_of_a_text_a_piece_at_a_time_is_that_of_the_whole(text, piece):
    assert digest(text, piece) == hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@pytest.mark.skipif(not (SHARED / "realnews").is_dir(), reason="needs ../shared/realnews beside the repository")
def test_the_3_mb_bench_dump_cleaned_twice_is_cleaned_once(cleaner):
    require_data(SHARED / "realnews", "the bench dump")
    sys.path.insert(0, str(ROOT / "bench"))
    import big  # the dump bench/big.py times: scraped dumps one after another, ~3 MB

    text = big.dump(3_000_000)
    assert len(block_spans(text)) > 10
    once = cleaner.clean(text.encode("utf-8"))
    assert cleaner.clean(once.text.encode("utf-8")).text == once.text


def test_labelling_a_big_text_makes_no_copy_of_it():
    import tracemalloc

    text = "\N{UMBRELLA} " + "Le conseil de Brenne a voté le plan du nouveau pont hier soir.\n" * 20_000 + "  \n"
    detect_language(text)  # the model loaded, the sample's detection remembered
    tracemalloc.start()
    try:
        assert detect_language(text, label_only=True)[0] == "fr"
        assert detect_language(" \n\t" * 100_000) == ("und", 0.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < len(text)  # the text is two bytes a character: a copy would be twice this
