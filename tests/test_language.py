"""Language labels a filter can trust (issue 13): the label scheme, the script check, ``und``
below a minimum of evidence with a score that falls with the evidence, and the declared
language combined with the detection. All texts are invented."""
from __future__ import annotations

import json

import pytest

from cleaner.batch.readers.jsonl import _record
from cleaner.text.language import (FULL_EVIDENCE, INPUT_SAMPLE_CHARS, LABELS, MIN_EVIDENCE, detect_language,
                                   language_model, profiled)

TRADITIONAL = ["臺北市政府今日宣佈，將於明年擴建捷運路線，並增設公車專用道，以改善市區交通壅塞問題。",
               "立法院昨日三讀通過修正條文，行政院長表示將全力配合執行，各部會須於三個月內提出具體方案。",
               "本報記者報導：經濟部統計處公布最新數據，外銷訂單連續六個月成長，顯示景氣逐漸回溫。"]
FRENCH = ("Le conseil municipal a voté hier soir le budget de la commune pour l’année prochaine. "
          "Les élus de l’opposition ont demandé que les travaux du nouveau pont soient reportés, "
          "faute de financement, mais la majorité a maintenu le calendrier prévu depuis le printemps.")
BURMESE = "မြန်မာနိုင်ငံ၏ မြို့တော်သည် နေပြည်တော် ဖြစ်ပြီး ရန်ကုန်မြို့သည် အကြီးဆုံးမြို့ ဖြစ်သည်။"
ZULU = "Ngiyabonga kakhulu ngosizo lwakho namuhla, sizobonana kusasa ekuseni ngemva kokudla kwasekuseni."


def test_labels_are_iso_639_1_and_chinese_is_zh():
    assert all(len(label) == 2 for label in profiled())
    assert "zh" in profiled() and not {"zh-cn", "zh-tw"} & profiled()
    assert set(LABELS) == {"zh-cn", "zh-tw"} and set(LABELS) <= set(language_model().languages)
    simplified = "北京市政府今天宣布，明年将扩建地铁线路，并增设公交专用道，以改善市区交通拥堵问题。"
    assert detect_language(simplified)[0] == "zh"


@pytest.mark.parametrize("text", TRADITIONAL)
def test_text_without_hangul_is_not_korean(text):
    assert language_model().detect(text)[0] == "ko"  # what langdetect says
    assert detect_language(text)[0] == "zh"


def test_kana_is_japanese_and_hangul_korean():
    assert detect_language("東京の天気は晴れです。今日は暖かい日になるでしょう。明日も晴れです。")[0] == "ja"
    assert detect_language("서울시는 오늘 새로운 교통 정책을 발표했다. 시민들은 환영했다.")[0] == "ko"
    # a few Han characters in an English sentence do not make it Chinese
    assert detect_language("The sign read 東京 and 大阪 in large letters, the guide told the group.")[0] == "en"


@pytest.mark.parametrize("text", ["x", "Ok.", "Court texte ici.", "12 345 !", "…"])
def test_too_little_text_is_undetermined(text):
    assert detect_language(text) == ("und", 0.0)


def test_score_falls_with_the_evidence():
    words = FRENCH.split()
    scores = []
    for count in range(3, len(words) + 1):
        label, score = detect_language(" ".join(words[:count]))
        scores.append(score)
        assert label in ("und", "fr") or score < 0.5
    assert scores[-1] > 0.9
    assert min(scores) == 0.0  # und at first
    short = detect_language(" ".join(words[:6]))  # some 30 letters: a low score
    assert short[0] == "fr" and 0 < short[1] <= 30 * 1.2 / FULL_EVIDENCE
    assert MIN_EVIDENCE < FULL_EVIDENCE


def test_a_language_without_profile_is_taken_from_the_declaration():
    assert "zu" not in profiled()
    assert detect_language(ZULU)[0] != "zu"  # langdetect cannot say it
    label, score = detect_language(ZULU, declared="zu-ZA")
    assert label == "zu" and 0.5 < score <= 1
    # not when the text is not in the script of the declared language
    assert detect_language(BURMESE, declared="zu")[0] != "zu"


def test_a_script_of_one_language_without_profile_gives_that_language():
    assert language_model().detect(BURMESE) is None  # langdetect has nothing to say
    assert detect_language(BURMESE)[0] == "my"
    label, score = detect_language(" ".join([BURMESE] * 4))
    assert label == "my" and score > 0.5


def test_a_confident_detection_wins_over_a_wrong_declaration():
    assert detect_language(FRENCH, declared="en") == detect_language(FRENCH)
    assert detect_language(FRENCH, declared="fr") == detect_language(FRENCH)


def test_an_unsure_detection_gives_way_to_the_declaration():
    text = "Barcelona Madrid Valencia Sevilla"  # names: the model is not sure of any language
    assert language_model().detect(text)[1] < 0.9
    detected = detect_language(text)
    label, score = detect_language(text, declared="it")
    assert detected[0] == "es" and label == "it" and score < detected[1]


def test_html_lang_and_jsonl_language_are_the_declaration(cleaner):
    page = (f"<html lang='zu'><head><title>Izindaba</title></head><body><article><p>{ZULU}</p>"
            f"<p>{ZULU}</p></article></body></html>").encode()
    doc = cleaner.clean(page, path="page.html")
    assert doc.metadata["declared_language"] == "zu" and doc.language == "zu"
    line = json.dumps({"id": "a", "text": ZULU, "language": "zu-ZA"}).encode()
    item = _record(__import__("pathlib").Path("x.jsonl"), "x", 1, line, "text", 1 << 20)
    assert item.metadata == {"declared_language": "zu"}
    assert cleaner.clean(item.data, metadata=item.metadata).language == "zu"


def test_labels_do_not_depend_on_what_was_detected_before():
    texts = [FRENCH, *TRADITIONAL, ZULU, "Ok."]
    first = [detect_language(t) for t in texts]
    assert [detect_language(t) for t in reversed(texts)][::-1] == first


DECLARED = [None, "fr", "en", "zh", "ja", "ru", "pl", "de", "zu", "is"]


def _input_label_texts() -> list[str]:
    """Invented texts, cut to every length where the evidence changes, alone and mixed."""
    texts = [FRENCH, *TRADITIONAL, ZULU, FRENCH + " " + TRADITIONAL[0], TRADITIONAL[1] + " Le chat dort."]
    return [text[:cut] for text in texts for cut in (len(text), 400, 120, 60, 30)]


@pytest.mark.parametrize("declared", DECLARED)
def test_language_in_gives_the_label_of_the_whole_detection(declared):
    """``label_only`` stops the model's trials once the label cannot change: the label is the
    whole detection's, with or without a declared language (a known one, one the model has no
    profile for, one the text is not in)."""
    for text in _input_label_texts():
        whole = detect_language(text, INPUT_SAMPLE_CHARS, declared)
        assert detect_language(text, INPUT_SAMPLE_CHARS, declared, label_only=True)[0] == whole[0], (text, declared)


def test_language_in_sets_the_label_and_leaves_the_score_to_the_end():
    from cleaner.document import Document
    from cleaner.text.language import LanguageDetector

    doc = LanguageDetector("language-in", INPUT_SAMPLE_CHARS, label_only=True)(Document(text=FRENCH))
    assert doc.metadata == {"language": "fr"}
    assert LanguageDetector()(doc).metadata["language_score"] == detect_language(FRENCH)[1]
