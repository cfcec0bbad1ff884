"""The shape rule kinds, packs that know their language, and the line classifier (stage shapes)."""
from __future__ import annotations

import json
from dataclasses import replace

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.cli import main
from cleaner.config import load_config
from cleaner.pipeline import Cleaner
from cleaner.rules.context import ContextOptions
from cleaner.rules.lexicon import SENT_END, Line, ends_sentence, line_test, split_lines
from cleaner.rules.shapes import LINE_TESTS
from cleaner.rules.pack import builtin_rules_dir
from cleaner.rules.schema import PACK_SCHEMA, schema_json

from conftest import default_cleaner

FR = ("Le conseil municipal a voté mardi soir la réouverture du vieux quai, fermé depuis deux ans pour des "
      "travaux de consolidation qui ont coûté plus que prévu.\n")
FR_AFTER = ("Les habitants estiment que les nouveaux horaires aideront tous ceux qui travaillent sur l'autre rive "
            "et qui devaient jusqu'ici faire un long détour par le pont.\n")
ES = ("El ayuntamiento votó el martes reabrir el viejo muelle, cerrado desde hace dos años por unas obras de "
      "refuerzo que costaron más de lo previsto.\n")
ES_AFTER = ("Los vecinos creen que el nuevo horario ayudará a todos los que trabajan al otro lado del río y que "
            "hasta ahora tenían que dar un largo rodeo por el puente.\n")


def _ids(doc) -> set[str]:
    return {edit.rule for edit in doc.edits}


def test_published_schema_is_the_loaders():
    path = builtin_rules_dir() / "schema.json"
    assert path.read_text(encoding="utf-8") == schema_json()
    assert json.loads(path.read_text(encoding="utf-8")) == PACK_SCHEMA


def test_rules_schema_command_prints_it():
    result = CliRunner().invoke(main, ["rules", "schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == PACK_SCHEMA


def test_spanish_pack_does_not_run_on_french_text():
    """es-newsletter-box takes a lone "Newsletter …" heading; a French line of that shape is
    not the Spanish rule's business."""
    cleaner = Cleaner()
    french = cleaner.clean(FR + "Newsletter matinale\n" + FR_AFTER)
    assert "es-newsletter-box" not in _ids(french)
    spanish = cleaner.clean(ES + "Newsletter matinal\n" + ES_AFTER)
    assert "es-newsletter-box" in _ids(spanish)


def test_site_pack_runs_only_on_its_site():
    cleaner = Cleaner()
    site_rules = [rule for rule in cleaner.rules if getattr(rule, "site", None) == "bbc.co.uk"]
    assert site_rules
    rule = next(r for r in site_rules if hasattr(r, "apply") and r.examples)
    example = next(e for e in rule.examples if e.input != e.output)
    from cleaner.document import Document
    from cleaner.rules.stage import runs_on

    assert runs_on(rule, Document(example.input))  # address unknown: it runs
    assert runs_on(rule, Document(example.input, url="https://www.bbc.co.uk/news/x"))
    assert not runs_on(rule, Document(example.input, url="https://example.org/news/x"))


def test_teaser_box_shape_and_its_reason():
    doc = Cleaner().clean(FR + "À lire aussi\nLe port prépare un deuxième bac pour l'été\n"
                          "La boulangerie du quai fête ses cent ans\n" + FR_AFTER)
    assert doc.text == FR + "\n" + FR_AFTER or doc.text == FR + FR_AFTER
    assert "fr-teaser-box" in _ids(doc)


def test_context_keeps_an_intertitle_and_drops_a_line_among_boilerplate():
    intertitle = FR + "Un chantier plus long que prévu\n" + FR_AFTER
    assert "Un chantier plus long que prévu" in Cleaner().clean(intertitle).text
    among = (FR + FR_AFTER + "Partager Facebook Twitter\nLe port en images\nImprimer E-mail\n" + FR)
    doc = Cleaner().clean(among)
    assert "Le port en images" not in doc.text
    assert "context/short-between-boilerplate" in _ids(doc)


def test_context_is_turned_off_by_configuration(tmp_path):
    among = (FR + FR_AFTER + "Partager Facebook Twitter\nLe port en images\nImprimer E-mail\n" + FR)
    config = tmp_path / "cleaner.toml"
    config.write_text("[context]\nenabled = false\n", encoding="utf-8")
    loaded = load_config(config)
    assert loaded.context == replace(ContextOptions(), enabled=False)
    doc = Cleaner(loaded).clean(among)
    assert "Le port en images" in doc.text
    assert not any(rule.startswith("context/") for rule in _ids(doc))


def test_traditional_chinese_is_chinese():
    text = "台灣的新聞報導說，今天的天氣很好，大家都出去走走了。市政府表示，明年將會增加公園的數量。" * 3
    assert Cleaner().clean(text).language.startswith("zh")


EN = ("The council voted on Tuesday to reopen the old ferry pier, which has been closed for two years of "
      "repairs that cost far more than planned.\n")
EN_AFTER = ("Residents said the new timetable would help everyone who works across the river and who has had "
            "to take the long way round by the bridge until now.\n")
TEASERS = "Town plans a second ferry for the summer\nBakery on Quay Street turns 100\nNew bus lane opens next week\n"


def test_a_run_of_headlines_after_the_article_goes():
    doc = default_cleaner().clean(EN + EN_AFTER + TEASERS)
    assert "second ferry" not in doc.text and "Bakery" not in doc.text and "bus lane" not in doc.text
    assert "context/headline-run-after-article" in _ids(doc)
    assert default_cleaner().clean(doc.text).text == doc.text
    labelled = default_cleaner().clean(EN + EN_AFTER + "Elsewhere\n" + TEASERS + "Weather\n")
    assert "Elsewhere" not in labelled.text  # an unknown label goes with the run it heads
    assert "Weather" in labelled.text


def test_the_articles_own_lists_after_its_prose_stay():
    introduced = EN + EN_AFTER.replace("now.", "now:") + TEASERS
    bulleted = EN + EN_AFTER + "".join(f"• {line}\n" for line in TEASERS.splitlines())
    rows = EN + EN_AFTER + "Ferry: 6 am to 11 pm\nBus: 5 am to midnight\nTram: 7 am to 9 pm\n"
    two_lines = EN + EN_AFTER + "\n".join(TEASERS.splitlines()[:2]) + "\n"
    between = EN + TEASERS + EN_AFTER  # inside the article: intertitles, not a tail
    broken = (EN + EN_AFTER + "The mayor called the plan\n\"Bold and overdue\"\n.\nShe thanked the harbour crew\n"
              "\"Brave and tireless\"\n.\n")  # sentences broken at quotes
    for text in (introduced, bulleted, rows, two_lines, between, broken):
        doc = default_cleaner().clean(text)
        assert "context/headline-run-after-article" not in _ids(doc), text


def test_tail_run_is_turned_off_by_configuration(tmp_path):
    config = tmp_path / "cleaner.toml"
    config.write_text("[context]\ntail-run = 0\n", encoding="utf-8")
    doc = Cleaner(load_config(config)).clean(EN + EN_AFTER + TEASERS)
    assert "Bakery on Quay Street turns 100" in doc.text


def test_a_date_that_begins_a_broken_sentence_stays_and_is_joined():
    doc = default_cleaner().clean(FR + "Le 11 mars\n, le maire a signé le contrat avec le chantier naval de la ville voisine.\n"
                          + FR_AFTER)
    assert "Le 11 mars, le maire a signé" in doc.text
    assert not any(edit.rule == "fr-date-line" for edit in doc.edits)


def test_a_sentence_naming_a_dot_com_company_is_not_a_link_line():
    doc = default_cleaner().clean(EN + "For Example.com Inc. the deal could mean even more.\n" + EN_AFTER)
    assert "For Example.com Inc. the deal could mean even more." in doc.text
    doc = default_cleaner().clean(EN + "More at www.example.com\n" + EN_AFTER)
    assert "www.example.com" not in doc.text


_ENDS = st.text(alphabet=st.sampled_from(list("ab .!?;…。\"'»”’)」』\n,:")), max_size=12)


@settings(max_examples=400, deadline=None)
@given(_ENDS)
def test_ends_sentence_is_the_sentence_end_regex(text):
    """ends_sentence, read from the end of the text, answers as SENT_END.search does."""
    assert ends_sentence(text) == bool(SENT_END.search(text))


def test_line_test_keeps_an_answer_per_line_and_lists():
    """A line is tested once with the same lists; other lists, or another line, are tested anew."""
    calls: list[tuple[str, frozenset]] = []

    def short(line: Line, words: frozenset) -> bool:
        calls.append((line.text, words))
        return len(line.toks) <= len(words)

    line, other = Line("Lire aussi", ("lire", "aussi"), {}), Line("Lire", ("lire",), {})
    one, three = frozenset({"a"}), frozenset({"a", "b", "c"})
    by_one, by_three = line_test(short, one), line_test(short, three)
    assert [by_one(line), by_one(line), by_three(line), by_one(other), line_test(short, one)(line)] == \
        [False, False, True, True, False]
    assert calls == [("Lire aussi", one), ("Lire aussi", three), ("Lire", one)]
    alone = Line("Lire", ("lire",))  # a line that keeps no tests (a big text's) is tested each time
    assert [by_one(alone), by_one(alone)] == [True, True] and alone.found is None
    assert calls[3:] == [("Lire", one), ("Lire", one)]


# words of invented lines: interface words, credits, dates, consent and prose, in both languages
LINE_WORDS = st.sampled_from([
    "Share", "share", "Tweet", "Email", "Print", "12", "comments", "Photo:", "AFP", "/", "Reuters", "©",
    "2021", "Updated", "9:15", "am", "Monday", "cookies", "accept", "Partager", "Lire", "aussi", "mardi",
    "The", "council", "voted", "to", "reopen", "the", "pier.", "Le", "conseil", "a", "voté", "hier.",
    "(@example)", "pic.twitter.com/abc", "Jane", "Example", "|", "All", "rights", "reserved",
])


@settings(max_examples=80, deadline=None)
@given(lines=st.lists(st.lists(LINE_WORDS, max_size=14).map(" ".join), max_size=14),
       language=st.sampled_from(["en", "fr", ""]))
def test_lines_passing_gives_the_spans_of_each_rule(lines, language):
    """The shapes stage finds the lines that pass each line test at once: the spans each rule
    of those kinds gives alone, and the same again from the answers kept on the lines."""
    shapes = default_cleaner().stage("shapes")
    rules = [rule for rule in shapes.of_language(language) if rule.kind in LINE_TESTS]
    split = split_lines("\n".join(lines))
    expected = [rule.spans(split, shapes.lexicon(language)) for rule in rules]
    assert shapes.lines_passing(split, rules) == expected
    assert shapes.lines_passing(split_lines("\n".join(lines)), rules) == expected


def test_lines_passing_tests_a_line_of_the_last_split_no_more(monkeypatch):
    import cleaner.rules.stage as stage

    calls: list[str] = []
    passed = stage._passed
    monkeypatch.setattr(stage, "_passed", lambda line, tests: calls.append(line.text) or passed(line, tests))
    shapes = default_cleaner().stage("shapes")
    rules = [rule for rule in shapes.of_language("en") if rule.kind in LINE_TESTS]
    text = "Share | Tweet | Email\nThe council voted to reopen the pier.\n"
    first = shapes.lines_passing(split_lines(text), rules)
    assert first[[rule.kind for rule in rules].index("ui-line")] == [(0, 1)]
    assert calls == ["Share | Tweet | Email", "The council voted to reopen the pier."]
    assert shapes.lines_passing(split_lines(text), rules) == first and len(calls) == 2
