"""The fast paths give what the plain libraries give (correctness only: speed is in bench/).

- cleaner.text.langmodel: the same n-grams as langdetect, bit-identical probabilities to seeded
  langdetect with the profiles in the same order, the same label as langdetect as installed;
- the language stage, which looks at a sample of a long text: the label langdetect gives
  for the whole text;
- cleaner.text.fixfilter: the same text as ftfy.fix_text, for our configuration and others;
- repair / normalise shortcuts: the same results as the plain regexes they replace, and the
  same result when the shortcut for text that needs nothing is taken.
"""
from __future__ import annotations

import doctest
import random
from array import array
import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

import ftfy
import pytest
from ftfy.badness import BADNESS_RE
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from cleaner.text import language
from cleaner.text import lines
from cleaner.text import normalise
from cleaner.text import repair
from cleaner.text import scripts
from cleaner.document import Document
from cleaner.text.fix import FTFY_DEFAULTS, Fixer
from cleaner.text.fixfilter import SegmentFilter, badness_branches
from cleaner.text.langdraws import _Draws, _PlainDraws, _draws_match
from cleaner.text.langmodel import LanguageModel, profile_files
from cleaner.text.language import (LABELS, MIN_EVIDENCE, detect_language, evidence, language_model,
                                   language_sample, script_language, unprofiled_script_language)
from conftest import FIXTURES, SEEDS, SHARED

REALNEWS = SHARED / "realnews"
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _local_texts() -> list[str]:
    paths = sorted(FIXTURES.glob("*/*.txt")) + sorted(SEEDS.glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


@lru_cache(maxsize=1)
def real_texts() -> tuple[str, ...]:
    """The scraped dumps, and the text of every 3rd HTML page (both dev sets)."""
    import trafilatura

    if not REALNEWS.is_dir():
        pytest.skip(f"{REALNEWS} not found")
    texts = [p.read_text(encoding="utf-8") for p in sorted((REALNEWS / "scraped-dev/dumps").glob("*.txt"))]
    pages = sorted(REALNEWS.glob("*/html/*.html"))[::3]
    texts += [t for t in (trafilatura.extract(p.read_bytes()) for p in pages) if t]
    return tuple(texts)


def _mojibake(text: str, encoding: str) -> str:
    """Every other line of ``text`` as a site that read UTF-8 as ``encoding`` would show it."""
    lines = text.split("\n")
    for i in range(0, len(lines), 2):
        lines[i] = lines[i].encode("utf-8").decode(encoding, errors="replace")
    return "\n".join(lines)


# ---------------------------------------------------------------- language

@lru_cache(maxsize=1)
def sorted_factory() -> DetectorFactory:
    """Plain langdetect, seeded, with the profiles in the order LanguageModel uses."""
    factory = DetectorFactory()
    factory.load_json_profile([Path(p).read_text(encoding="utf-8") for p in profile_files()])
    factory.set_seed(0)
    return factory


@lru_cache(maxsize=1)
def installed_factory() -> DetectorFactory:
    """Plain langdetect, seeded, loaded as langdetect loads itself (directory order)."""
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


def plain_ngrams(text: str) -> list[str]:
    detector = sorted_factory().create()
    detector.append(text)
    detector.cleaning_text()
    return detector._extract_ngrams()


def plain_probabilities(factory: DetectorFactory, text: str) -> list[float] | None:
    detector = factory.create()
    detector.append(text)
    try:
        detector.get_probabilities()
    except LangDetectException:
        return None
    return detector.langprob


def plain_label(factory: DetectorFactory, text: str) -> str | None:
    detector = factory.create()
    detector.append(text)
    try:
        found = detector.get_probabilities()
    except LangDetectException:
        return None
    return found[0].lang if found else None


def assert_same_as_langdetect(model: LanguageModel, text: str) -> None:
    grams = plain_ngrams(text)
    assert list(model.ngram_rows(text)) == [model.index[g] for g in grams]
    expected = plain_probabilities(sorted_factory(), text)
    got = model.probabilities(text)
    assert (got is None) == (expected is None)
    if got is not None:
        assert got.tolist() == expected  # bit for bit
        best = model.detect(text)
        assert (best[0] if best else None) == plain_label(sorted_factory(), text)


def test_profiles_are_langdetect_profiles_in_sorted_order():
    model = language_model()
    assert model.languages == sorted_factory().langlist
    assert sorted(model.languages) == sorted(installed_factory().langlist)
    assert len(model.languages) == 55


def test_language_same_as_langdetect_on_fixtures_and_seeds():
    model = language_model()
    for text in _local_texts():
        assert_same_as_langdetect(model, text)


def test_language_same_as_langdetect_on_real_texts():
    model = language_model()
    texts = real_texts()
    for text in texts:
        assert_same_as_langdetect(model, text)
    # and the same label as langdetect loaded the way it loads itself
    same = sum(model.detect(t)[0] == plain_label(installed_factory(), t) for t in texts)
    assert same == len(texts)
    assert len({model.detect(t)[0] for t in texts}) >= 5  # several languages were tried


def test_language_sample_gives_langdetect_whole_text_label():
    texts = _local_texts() + list(real_texts())
    sampled = [t for t in texts if language_sample(t) != t]
    assert len(sampled) >= 40  # most real texts are longer than the sample
    for text in texts:
        label = plain_label(installed_factory(), text) if text.strip() else None
        best = language_model().detect(language_sample(text)) if text.strip() else None
        assert (best[0] if best else None) == label


def test_language_stage_gives_langdetect_label_where_langdetect_is_right():
    """Our label is langdetect's (zh-cn, zh-tw: zh) on every text long enough whose script
    does not contradict it."""
    texts = [t for t in _local_texts() + list(real_texts()) if evidence(language_sample(t)) >= MIN_EVIDENCE]
    for text in texts:
        label = plain_label(installed_factory(), text)
        label = LABELS.get(label, label)
        sample = language_sample(text)
        script = script_language(sample, strict=label not in ("zh", "ja", "ko")) or unprofiled_script_language(sample)
        assert detect_language(text)[0] == (script or label)


def test_doctests_of_the_modules_sped_up():
    for module in (language, scripts, lines, repair, normalise):
        assert doctest.testmod(module).failed == 0, module.__name__


WORDISH = st.sampled_from([
    "le", "La", "NASA", "McDonald", "ÉTÉ", "été", "straße", "ĲSSEL", "Ωmega", "москва", "ПУТИН",
    "東京", "ひらがな", "カタカナ", "한국어", "ㄅㄆ", "مرحبا", "یک", "ș", "ț", "Việt", "Vie\u0301t",
    "a\u0300", "http://example.com/x?y=1", "mail@example.org", "12", "-", "_", "[", "`", "«", "»",
    "’", "…", "\u00a0", " ", "  ", "\n", "\t", "x", "I", "AB",
])
LANGUAGE_TEXT = st.lists(WORDISH, max_size=40).map(" ".join) | st.lists(WORDISH, max_size=40).map("".join) \
    | st.text(max_size=80)


@SETTINGS
@given(text=LANGUAGE_TEXT)
def test_language_same_as_langdetect_on_any_text(text):
    assert_same_as_langdetect(language_model(), text)


def test_word_cache_does_not_change_answers():
    model = LanguageModel()
    text = max(_local_texts(), key=len)
    first = model.probabilities(text)
    model._words.clear()
    again = model.probabilities(text)
    assert first.tolist() == again.tolist()


@pytest.mark.parametrize("count", [1, 2, 7, 1000, 4096, 4097, 1 << 20, 3_000_001])
def test_draws_taken_ahead_are_those_of_the_seeded_generator(count):
    rows = array("i", [7 * number for number in range(min(count, 50_000))]) if count <= 50_000 \
        else array("i", range(count))
    fast, plain = _Draws(0, rows), _PlainDraws(0, rows)
    for block in (1, 5, 5, 36, 40, 1, 5, 2000, 5, 9000):  # past the first stretch of the stream
        assert fast.gauss() == plain.gauss()
        assert fast.ahead(block).tolist() == plain.ahead(block).tolist()
        taken = block // 3 + 1
        fast.skip(taken), plain.skip(taken)
    assert _draws_match(0)


def test_probabilities_stop_when_settled_and_not_before():
    model, text = language_model(), max(_local_texts(), key=len)
    whole = model.probabilities(text)
    seen = []
    partial = model.probabilities(text, lambda total, left: seen.append((total.sum(), left)) or len(seen) == 3)
    assert [round(left * 7) for _, left in seen] == [6, 5, 4]
    assert abs(partial.sum() - 3 / 7) < 1e-9 and abs(whole.sum() - 1) < 1e-9
    assert model.probabilities(text, lambda total, left: False).tolist() == whole.tolist()



@SETTINGS
@given(text=LANGUAGE_TEXT, stop=st.integers(1, 6), plain=st.booleans())
def test_whole_detection_going_on_from_a_stopped_one_is_the_fresh_one(text, stop, plain):
    """A detection stopped early (``settled``) is kept, and a whole detection of the same text goes
    on from it: the same probabilities, bit for bit, as a fresh one; with the plain draws too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("cleaner.text.langmodel._draws_match", lambda seed: not plain)
        _go_on_from_stopped(text, stop)


def _go_on_from_stopped(text: str, stop: int) -> None:
    model = language_model()
    model._stopped.clear()
    fresh = model.probabilities(text)
    stopped = model.probabilities(text, lambda total, left: round(left * 7) == 7 - stop)
    kept = model._stopped.get(text)
    assert (stopped is None) == (fresh is None)
    if fresh is None:
        return
    assert kept is not None and kept.trials == stop
    assert model.probabilities(text).tolist() == fresh.tolist()
    assert model.probabilities(text).tolist() == fresh.tolist()  # the kept one is not used up
    assert kept.total.tolist() == model._stopped[text].total.tolist()
    model._stopped.clear()


def test_stopped_detections_kept_are_few():
    model = language_model()
    model._stopped.clear()
    for number in range(10):
        model.probabilities(f"Un texte numéro {number} qui parle du temps qu'il fait.", lambda total, left: True)
    assert len(model._stopped) == 4 and "Un texte numéro 9 qui parle du temps qu'il fait." in model._stopped
    model._stopped.clear()


# ---------------------------------------------------------------- ftfy

CONFIGS = {
    "ours": Fixer().config,
    "ftfy defaults": ftfy.TextFixerConfig(explain=False),
    "all off but encoding": ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_c1_controls=False, fix_latin_ligatures=False,
        fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=False,
        remove_control_chars=False, normalization=None, explain=False),
    "html on, NFKC, short segments": ftfy.TextFixerConfig(
        **{**FTFY_DEFAULTS, "unescape_html": True, "normalization": "NFKC", "max_decode_length": 37}),
}


@lru_cache(maxsize=None)
def segment_filter(name: str) -> SegmentFilter:
    return SegmentFilter(CONFIGS[name])


def test_the_fast_path_is_in_use():
    assert badness_branches() is not None
    assert all(segment_filter(name).exact for name in CONFIGS)


def test_badness_analysis_refuses_what_looks_outside_the_match():
    patterns = [r"a(?=b)", r"(?<!x)a", r"(?i:a)b", r"a\b", r"a$", r"(a)\1", r"a+"]  # a+: no longest match
    if sys.version_info >= (3, 11):
        patterns.append(r"(?>ab)c")  # atomic groups came in 3.11
    for pattern in patterns:
        assert badness_branches(re.compile(pattern)) is None, pattern
    found = badness_branches(re.compile(r"[a-z]é|^Ã |x[€£]y"))
    assert found is not None
    assert set(found) == {"é", "Ã", "€", "£"}  # the rarest required character of each branch
    assert [longest for _, longest in found["€"]] == [3]


@pytest.mark.parametrize("name", CONFIGS)
def test_ftfy_filter_same_as_ftfy_on_fixtures_and_real_texts(name):
    fast, config = segment_filter(name), CONFIGS[name]
    texts = list(_local_texts()) + list(real_texts())
    texts += [_mojibake(t, enc) for t, enc in zip(texts, ["cp1252", "latin-1", "cp1251", "macroman"] * 99)]
    changed = 0
    for text in texts:
        expected = ftfy.fix_text(text, config=config)
        assert fast.fix_text(text) == expected
        changed += expected != text
    assert changed >= len(texts) // 3  # mojibake was there to fix


MOJIBAKE_PRONE = st.sampled_from(
    list("aeiouAEZ  \n\n\r\t&;#<>") + ["&amp;", "&eacute;", "&#x41;", "&EACUTE;", "\x1b[31m", "\r\n"]
    + list("éèàçâêîôûœŒÉÀÂÃÐØÙ€£¥©®™°±²³µ¶·¸¹º»«¼½¾¿×÷ÅŠšŸžƒˆ˜–—‘’‚“”„†‡•…‰‹›")
    + list("\x80\x81\x85\x8d\x9d\x9f\ufeff\u2028\u2029\u200b\x00\x7f\ud83d\udca9ﬁﬂＡ　")
    + list("вЂВГРСβ€ΒΓΞΟā√≈│┌═▀░ўЃ") + ["Ã©", "Ã¨", "Ã ", "Ã¢", "â€™", "â€œ", "Â ", "Ã\xa0"]
)
FTFY_TEXT = st.lists(MOJIBAKE_PRONE, max_size=50).map("".join) | st.text(max_size=60)


@SETTINGS
@given(text=FTFY_TEXT, name=st.sampled_from(sorted(CONFIGS)))
def test_ftfy_filter_same_as_ftfy_on_any_text(text, name):
    assert segment_filter(name).fix_text(text) == ftfy.fix_text(text, config=CONFIGS[name])


@SETTINGS
@given(text=FTFY_TEXT)
def test_every_badness_match_holds_a_hint_of_its_branch(text):
    branches = badness_branches()
    for match in BADNESS_RE.finditer(text):
        start, end = match.span()
        assert any(branch.search(text, max(0, i - longest + 1), i + longest)
                   for i in range(start, end) if text[i] in branches
                   for branch, longest in branches[text[i]])


def test_fixer_memory_does_not_change_answers():
    fixer = Fixer()
    rng = random.Random(0)
    texts = list(real_texts())[:20]
    for text in texts + [_mojibake(t, "cp1252") for t in texts]:
        rng.shuffle(lines := text.split("\n"))
        for variant in (text, "\n".join(lines)):
            assert fixer.segments.fix_text(variant) == ftfy.fix_text(variant, config=fixer.config)


def test_pipeline_same_with_ftfy_run_on_every_line(cleaner):
    from cleaner import Cleaner

    plain = Cleaner(cleaner.config)
    plain.stage("fix").segments.exact = False  # SegmentFilter hands every text to ftfy.fix_text
    texts = list(real_texts())[:30]
    for text in texts + [_mojibake(t, enc) for t, enc in zip(texts, ["cp1252", "latin-1", "macroman"] * 10)]:
        fast, slow = cleaner.clean(text), plain.clean(text)
        assert (fast.text, fast.edits, fast.metadata) == (slow.text, slow.edits, slow.metadata)


# ---------------------------------------------------------------- repair and normalise shortcuts

PLAIN_FRENCH_SPACED = re.compile(r"\w[ \u00a0\u202f][;:!?](?=\s|$)")
PLAIN_UNSPACED = re.compile(r"\w[;:!?](?=\s|$)")
PUNCTUATED = st.lists(st.sampled_from(list("ab é_1 ;:!?\u00a0\u202f\n\t") + ["  ", " ;", "x;", "d’", "l'"]),
                      max_size=40).map("".join)


@SETTINGS
@given(text=PUNCTUATED)
def test_french_spacing_counts_match_the_plain_regexes(text):
    assert len(repair._FRENCH_SPACED.findall(text)) == len(PLAIN_FRENCH_SPACED.findall(text))
    assert len(repair._UNSPACED.findall(text)) == len(PLAIN_UNSPACED.findall(text))


@SETTINGS
@example(line="a\n", pad=0, quote="")  # $ matches before a final newline too
@given(line=PUNCTUATED, pad=st.integers(0, 120), quote=st.sampled_from(["", "'", "’", "''"]))
def test_last_word_matches_the_plain_search(line, pad, quote):
    line = line + "w" * pad + quote
    plain = lines._LAST_WORD.search(line)
    assert (plain.group(1) if plain else None) == lines.last_word(line)


CAPITALS = st.lists(st.sampled_from(["Q", "q", "É", "1", "_", " ", "\n", "\n\n", "uand", "L e", "x y"]),
                    max_size=16).map("".join)


@SETTINGS
@given(text=CAPITALS)
def test_line_start_search_is_the_multiline_search(text):
    """``LineStart`` answers as the ``(?m)^`` regexes it stands for (drop caps in repair)."""
    for body in (r"[^\W\d_] (?=[^\W\d_])", r"[^\W\d_]\n\n(?=[^\W\d_])"):
        assert lines.LineStart(body).search(text) == bool(re.search("(?m)^" + body, text)), body

LAYOUT = st.lists(st.sampled_from(["a", "b c", " ", "  ", "\t", "\n", "\n\n", "\n\n\n", "\xa0", "\u2028", "\r",
                                   "\x00", "e\u0301", "é", "de", "« x", ".", ","]), max_size=14).map("".join)


@settings(max_examples=1500, deadline=None)
@given(text=LAYOUT)
def test_is_normal_only_when_normalise_gives_the_text_back(text):
    once = normalise.normalise_text(text)
    if normalise.is_normal(text):
        assert once == text
    if normalise.is_normal(once):
        assert normalise.normalise_text(once) == once


def whole_text_normalise(text: str) -> str:
    """normalise_text as it was, NFC and space runs over the whole text at once."""
    text = normalise._LINE_BREAKS.sub("\n", normalise._CONTROLS.sub("", text))
    text = normalise._SPACE_RUN.sub(" ", unicodedata.normalize("NFC", text))
    paragraphs = [p for p in map(normalise.strip_line, text.split("\n")) if p]
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


COMPOSING = st.lists(st.sampled_from(["a", "e", " ", "\t", "\n", "\r", "\x00", "\u0301", "\u0327", "\u0323",
                                      "\u1100", "\u1161", "\u11a8", "\u2126", "\u212b", "\u0958", "\u2028",
                                      "\u200b", "\xa0", "\u3000"]), max_size=16).map("".join)


@settings(max_examples=1500, deadline=None)
@example(text="e\n\u0301")  # a combining mark after a newline stays where it is
@example(text="\u1100\x00\u1161")  # Hangul jamo compose across a removed control
@given(text=COMPOSING)
def test_normalise_line_by_line_is_the_whole_text_normalise(text):
    assert normalise.normalise_text(text) == whole_text_normalise(text)


@settings(max_examples=1500, deadline=None)
@example(text="e\n\u0301")
@example(text="\u0958\n")  # a composition exclusion at a line's end
@given(text=COMPOSING)
def test_nfc_line_by_line_is_nfc(text):
    assert normalise.nfc(text) == unicodedata.normalize("NFC", text)


def test_cleaned_texts_take_the_shortcuts(cleaner):
    for text in list(real_texts())[:20]:
        cleaned = cleaner.clean(text).text
        assert normalise.is_normal(cleaned) and normalise.lines_stand_apart(cleaned)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=LAYOUT)
def test_repair_shortcut_gives_what_the_full_repair_gives(cleaner, text):
    repairer = cleaner.stage("repair")
    fast = repairer(Document(text=text))
    original = repair.lines_stand_apart
    repair.lines_stand_apart = lambda text: False  # always the full repair
    try:
        slow = repairer(Document(text=text))
    finally:
        repair.lines_stand_apart = original
    assert (fast.text, fast.edits) == (slow.text, slow.edits)


# ---------------------------------------------------------------- lines, one at a time or remembered

@SETTINGS
@given(text=st.text(alphabet="ab \n\u00e9\U0001f600", max_size=60))
def test_fix_lines_one_at_a_time_are_split_lines(text):
    from cleaner.text.fix import _lines

    assert list(_lines(text)) == text.split("\n")


def test_split_lines_remembered_or_not_are_the_lines_of_the_text():
    from cleaner.rules import lexicon
    from cleaner.rules.lexicon import Line, split_lines, tokens

    first = "Le maire a parlé.\nPartager sur Facebook\n\nLe maire a parlé hier, et le maire reviendra."
    texts = [first, first.replace("hier", "ce matin"), "Un.\nDeux.", first, "Un.\n\nUn.\n\nTrois\n",
             "x" * (lexicon._REMEMBERED_CHARS + 1), "y\n\ny\n" * (lexicon._REMEMBERED_CHARS // 3)]
    for text in texts:
        lines = split_lines(text)
        assert lines == [Line(line, tuple(tokens(line))) for line in text.split("\n")]
    lines = split_lines(first)
    words = [token for line in lines for token in line.toks if token == "maire"]
    assert len(words) == 3 and all(word is words[0] for word in words)  # one string per distinct token
    split_lines("x" * (lexicon._REMEMBERED_CHARS + 1))
    assert lexicon._previous == {}  # a long text's lines are not kept


@settings(max_examples=500, deadline=None)
@given(text=LAYOUT)
def test_lines_sliced_when_asked_are_those_of_split(text):
    from cleaner.rules.kinds import _Lines
    lines = _Lines(text)
    assert [lines[index] for index in range(len(lines))] == text.split("\n")


@SETTINGS
@example(text="Read MORE: 3 Things_ok")
@example(text="東京で3日 ΣΟΦΟΣ İstanbul")
@given(text=st.text(alphabet="aZé\u0301_1٣ \n.,-ΣσςİıK東京かナ한ไทยက\uf900\u3000", max_size=40))
def test_tokens_without_unspaced_characters_are_word_runs(text):
    from cleaner.rules.lexicon import _TOKEN, tokens

    assert tokens(text) == _TOKEN.findall(unicodedata.normalize("NFC", text).lower())
