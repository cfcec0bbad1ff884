"""Stamped lines (cleaner.rules.thread): comment threads and timestamped story lists go, the
article's own stamped lines stay. Every text here is invented."""
from __future__ import annotations

from cleaner.config import load_config
from cleaner.document import Document
from cleaner.pipeline import Cleaner
from cleaner.rules.lexicon import split_lines
from cleaner.rules.shapes import ShapeRule
from cleaner.rules.stage import ShapeSet
from cleaner.rules.thread import stamped, stamps_of

from conftest import default_cleaner

P1 = ("The council voted on Tuesday to reopen the old ferry pier, which has been closed for two years of "
      "repairs that cost far more than planned.\n")
P2 = ("Residents said the new timetable would help everyone who works across the river and who has had "
      "to take the long way round by the bridge until now.\n")
P3 = ("The harbour master added that the first crossing would leave at seven in the morning and that "
      "tickets would cost the same as before the works began.\n")
LIST_AFTER = ("- 10:41\nStorm closes two mountain roads\n- 10:12\nLibrary opens on Sundays\n"
              "- 09:55\nNew bridge lights switched on\n- 09:30\nSchool choir wins regional prize\n")
STAMP_FIRST = ("09:21 // Storm closes two mountain roads\n08:48 // Library opens on Sundays\n"
               "07:02 // New bridge lights switched on\n")
STAMP_LAST = ("Storm closes two mountain roads Nov 17, 2010\nLibrary opens on Sundays Nov 16, 2010\n"
              "New bridge lights switched on Nov 15, 2010\n")
THREAD = ("12 comments\n"
          "Posted by: Mira Quell at March 4, 2024 9:15 AM\nGreat news, the bridge detour was a nightmare.\n"
          "Posted by: Tobin Vale at March 4, 2024 10:02 AM\nAbout time. My commute will be half as long.\n"
          "I hope the fares stay low though.\n"
          "Posted by: Ada Brisk at March 5, 2024 8:40 AM\n")
GUEST_THREAD = ("Ola Nimb (guest) 2024-03-04 09:15\nGreat news for the town.\n"
                "Pim Dorr (guest) 2024-03-04 11:20\nAbout time they fixed it.\n"
                "Kit Laine (guest) 2024-03-05 07:45\nWill the night boat run again?\n")
def _ids(doc: Document) -> set[str]:
    return {edit.rule for edit in doc.edits}


def _stable(text: str) -> Document:
    doc = default_cleaner().clean(text)
    assert default_cleaner().clean(doc.text).text == doc.text  # cleaning twice = once
    return doc


def _shapes(keep_comments: bool = False) -> ShapeSet:
    cleaner = default_cleaner()
    return ShapeSet([r for r in cleaner.rules if isinstance(r, ShapeRule)], cleaner.config.context, keep_comments)


def _page(text: str, keep_comments: bool = False) -> Document:
    """The shapes stage on a page's extracted text (comment threads are looked for on pages)."""
    shapes = _shapes(keep_comments)
    doc = shapes(Document(text, metadata={"language": "en"}, page=True))
    again = shapes(Document(doc.text, metadata={"language": "en"}, page=True))
    assert again.text == doc.text and not again.edits  # twice = once
    return doc


def test_a_list_of_stamped_headlines_goes():
    for run in (LIST_AFTER, STAMP_FIRST, STAMP_LAST):
        doc = _stable(P1 + P2 + P3 + run)
        assert "Library opens on Sundays" not in doc.text, run
        assert "stamp-list" in _ids(doc)
        assert "first crossing" in doc.text
    doc = _stable(STAMP_FIRST + P1 + P2 + P3)  # before the article too
    assert "Library" not in doc.text and "ferry pier" in doc.text


def test_the_last_headline_of_a_stamp_over_title_list_goes_too():
    doc = _stable(P1 + P2 + P3 + LIST_AFTER)
    assert "School choir" not in doc.text and "10:41" not in doc.text


def test_a_comment_thread_on_a_page_goes_from_its_label_to_its_last_signature():
    doc = _page(P1 + P2 + P3 + THREAD)
    assert doc.text.splitlines() == (P1 + P2 + P3).splitlines()
    assert _ids(doc) == {"en-comment-thread"}
    guests = _page(P1 + P2 + P3 + GUEST_THREAD)
    assert "Ola Nimb" not in guests.text and "About time" not in guests.text
    assert "night boat" not in guests.text  # the last comment, at the end of the text
    followed = _page(P1 + P2 + GUEST_THREAD + P3 + P1 + P2)
    assert "night boat" in followed.text and "first crossing" in followed.text


def test_comment_threads_stay_when_comments_are_wanted_and_in_text_dumps():
    assert "Tobin Vale" in _page(P1 + P2 + P3 + THREAD, keep_comments=True).text
    assert "Tobin Vale" in _stable(P1 + P2 + P3 + THREAD).text


def test_a_name_over_a_date_and_time_line_is_no_signature():
    """Measured: names over "[DATE TIME]" lines on pages whose extraction missed most of the
    article; dropping those threads cost recall against the gold's vocabulary (pool validate)."""
    thread = ("Quill\n[2024-03-04 09:15]\nGreat news for the town, the detour was a nightmare.\n"
              "Harbour Fan\n[2024-03-04 11:20]\nAbout time they fixed it.\n"
              "Nemo\n[2024-03-05 07:45]\nWill the night boat run again?\n")
    assert "About time they fixed it." in _page(P1 + P2 + P3 + thread).text


def test_signatures_with_the_same_words_each_time_are_no_thread():
    same = "".join(f"Noted on March {d}, 2024 9:{d}0 AM\nA line about the pier number {d}.\n" for d in (1, 2, 3))
    assert "Noted on March 2" in _page(P1 + P2 + P3 + same).text


def test_two_signatures_are_no_thread():
    text = P1 + P2 + P3 + "\n".join(THREAD.splitlines()[:5]) + "\n"
    assert "Mira Quell" in _page(text).text


def test_a_byline_with_a_date_at_the_top_stays():
    byline = "Posted by: Mira Quell at March 4, 2024 9:15 AM\n"
    doc = _page(byline + P1 + P2 + P3 + GUEST_THREAD)
    assert "Mira Quell" in doc.text and "ferry pier" in doc.text and "first crossing" in doc.text
    assert "Ola Nimb" not in doc.text


def test_a_live_blogs_entries_stay():
    live = ("14:05 The minister said the pier would reopen in the spring, once the last repairs are checked.\n"
            "14:20 Residents who gathered outside the hall welcomed the news with applause and some relief.\n"
            "14:42 The harbour master told reporters that the first ferry would leave at seven in the morning.\n")
    for doc in (_stable(P1 + live), _page(P1 + live)):
        assert all(entry in doc.text for entry in live.splitlines())
    time_over_prose = "14:05\n" + P1 + "14:20\n" + P2 + "14:42\n" + P3
    for doc in (_stable(time_over_prose), _page(time_over_prose)):
        assert "ferry pier" in doc.text and "long way round" in doc.text and "first crossing" in doc.text


def test_dated_sections_of_the_article_stay():
    sections = "Monday, March 4, 2024\n" + P1 + "Tuesday, March 5, 2024\n" + P2 + "Wednesday, March 6, 2024\n" + P3
    doc = _page(sections)
    for part in ("ferry pier", "long way round", "first crossing"):
        assert part in doc.text
    assert not {"stamp-list", "en-comment-thread"} & _ids(doc)


def test_an_interviews_answers_and_a_programme_stay():
    interview = ("Lina Hart: We waited two years for this pier and the town never gave up on it.\n"
                 "Question: What changes for the people who cross every day at dawn?\n"
                 "Lina Hart: The first boat leaves at 6:30 and the last one at 23:10, as before.\n")
    programme = P1 + "The day went like this:\n09:00 Doors open\n09:30 Welcome by the mayor\n10:15 Tour of the pier\n"
    dated = P1 + ("12 March 2011: Flood season opens with two closed quays\n"
                  "14 March 2011: Divers inspect the pylons of the pier\n"
                  "20 March 2011: Repairs start on the north side\n")
    for text in (P1 + interview, programme, dated):
        for doc in (_stable(text), _page(text)):
            assert not {"stamp-list", "en-comment-thread"} & _ids(doc), text


def test_the_article_own_table_of_figures_stays():
    table = P1 + "| Pier | 2.5 | 3.1 |\n| Bridge | 4.0 | 4.2 |\n| Tunnel | 1.2 | 1.9 |\n"
    assert "| Bridge | 4.0 | 4.2 |" in _stable(table).text


def test_stamped_line_classes():
    cleaner = default_cleaner()
    shapes = ShapeSet([r for r in cleaner.rules if isinstance(r, ShapeRule)])
    lexicon = shapes.lexicon("en")
    stamps, dates = stamps_of(lexicon), lexicon["date-line"].get("words")
    line = lambda s: split_lines(s)[0]  # noqa: E731
    assert stamped(line("- [21:26] 01-17"), stamps, dates) == "only"
    assert stamped(line("Posted by: Mira Quell at March 4, 2024 9:15 AM"), stamps, dates) == "signature"
    assert stamped(line("09:21 // Storm closes two mountain roads"), stamps, dates) == "headline"
    assert stamped(line("The minister spoke at 14:05 and said the pier would reopen in the spring "
                        "once the repairs are checked."), stamps, dates) == ""
    assert stamped(line("Mira Quell, 2024-03-04"), stamps, dates) == ""  # a date alone and a name: a byline


def test_embedded_posts_with_their_dates_are_no_list():
    posts = ("Ferries are back at last — Ola Nimb (@olanimb) March 4, 2024\n"
             "Quiet morning on the quay — Pim Dorr (@pimdorr) March 4, 2024\n"
             "First boat left on time — Kit Laine (@kitlaine) March 5, 2024\n")
    assert not {"stamp-list"} & _ids(_page(P1 + posts))


def test_stamped_shapes_run_on_html_pages_and_the_context_does_not():
    text = P1 + P2 + P3 + "Share on Facebook\n" + STAMP_FIRST
    doc = _page(text)
    assert "Library opens" not in doc.text
    assert "Share on Facebook" in doc.text  # a page's lines are trafilatura's to judge, not the context's
    assert _ids(doc) == {"stamp-list"}


def test_the_stamped_shapes_are_turned_off_by_configuration(tmp_path):
    config = tmp_path / "cleaner.toml"
    config.write_text('disable = ["stamp-list", "en-comment-thread"]\n', encoding="utf-8")
    cleaner = Cleaner(load_config(config))
    shapes = ShapeSet([r for r in cleaner.rules if isinstance(r, ShapeRule)], cleaner.config.context)
    doc = shapes(Document(P1 + P2 + P3 + THREAD + STAMP_FIRST, metadata={"language": "en"}, page=True))
    assert "Tobin Vale" in doc.text and "Library opens" in doc.text and not doc.edits


def test_stamped_lines_with_and_without_the_re2_check(monkeypatch):
    """``stamped`` asks RE2 first whether a line may hold a stamp (``may_match``): the same class
    as searching every line with ``re``."""
    from cleaner.rules import thread

    cleaner = default_cleaner()
    lexicon = ShapeSet([r for r in cleaner.rules if isinstance(r, ShapeRule)]).lexicon("en")
    stamps, dates = stamps_of(lexicon), lexicon["date-line"].get("words")
    text = P1 + LIST_AFTER + STAMP_FIRST + STAMP_LAST + THREAD + GUEST_THREAD + "Ferries, 1 2 3 und 2024\n4:5 1.2.3"
    lines = [line for line in split_lines(text + "\n" + text.upper()) if line.toks]
    fast = [stamped(line, stamps, dates) for line in lines]
    monkeypatch.setattr(thread, "may_match", lambda pattern: lambda text: True)
    assert fast == [stamped(line, stamps, dates) for line in lines]
    assert {"only", "signature", "headline", ""} <= set(fast)
