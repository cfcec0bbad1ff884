"""HTML pages: lines of the extracted text that come from link-dense blocks outside the article
(cleaner/html/linkblocks.py). Pages and texts written for these tests."""
from __future__ import annotations

from cleaner import Cleaner
from cleaner.config import Config, HtmlOptions
from cleaner.html.extract import parse_html
from cleaner.html.guard import page_profile
from cleaner.html.linkblocks import drop_link_blocks, line_key, tokens

ARTICLE = [
    "The harbour of Portvane reopened on Monday after three weeks of repairs to its northern wall.",
    "Fishing boats were the first to come back in, followed by the ferry to the islands.",
    "The council said the works had cost less than planned and the southern wall is next.",
    "Harbour master Lena Osk said the quay would stay closed to lorries until the end of May.",
]
MENU = ["Weather", "Local sport", "Classified ads", "Contact us", "Our archive"]
SIDEBAR = ["Mayor opens new library wing", "School bus route changes again", "Storm warning for the coast",
           "Market moves to the square", "Bakery wins regional prize"]


def page(article_extra: str = "", side_extra: str = "", heading: str = "Harbour reopens",
         title: str = "Harbour reopens | Portvane Post") -> str:
    menu = "".join(f"<li><a href='/m{i}'>{t}</a></li>" for i, t in enumerate(MENU))
    side = "".join(f"<li><a href='/s{i}'>{t}</a></li>" for i, t in enumerate(SIDEBAR))
    paragraphs = "".join(f"<p>{s}</p>" for s in ARTICLE)
    return (f"<html><head><title>{title}</title></head><body><div id='menu'><ul>{menu}</ul></div>"
            f"<div id='main'><h1>{heading}</h1>{paragraphs}{article_extra}</div>"
            f"<div id='side'><h3>Most read</h3><ul>{side}</ul><p>Updated 12 March</p>{side_extra}</div>"
            f"</body></html>")


def dropped(html: str, text: str) -> tuple[str, list[str]]:
    tree = parse_html(html)
    out, gone = drop_link_blocks(text, tree, page_profile(tree))
    return out, [line for _, line in gone]


def test_menu_entries_and_sidebar_headlines_outside_the_article_go():
    text = "\n\n".join([*MENU, "Harbour reopens", *ARTICLE, *(f"- {t}" for t in SIDEBAR)])
    out, gone = dropped(page(), text)
    assert out == "\n\n".join(["Harbour reopens", *ARTICLE])
    assert gone == [*MENU, *(f"- {t}" for t in SIDEBAR)]


def test_a_short_line_that_is_no_link_goes_with_the_link_dense_sidebar_it_sits_in():
    out, gone = dropped(page(), "\n\n".join([*ARTICLE, "Updated 12 March"]))
    assert gone == ["Updated 12 March"] and out == "\n\n".join(ARTICLE)


def test_prose_in_a_link_dense_sidebar_stays():
    note = "The Portvane Post is written by volunteers from the town and its three villages."
    out, gone = dropped(page(side_extra=f"<p>{note}</p>"), "\n\n".join([*ARTICLE, note]))
    assert gone == [] and note in out


def test_a_link_line_also_in_the_article_the_headline_or_the_title_stays():
    inside = f"<p>See also: <a href='/s0'>{SIDEBAR[0]}</a></p>"
    out, gone = dropped(page(article_extra=inside), "\n\n".join([*ARTICLE, SIDEBAR[0]]))
    assert gone == []
    labelled = page().replace("<h3>Most read</h3>", "<h3><a href='/top'>Most read</a></h3>")
    assert dropped(labelled, "\n\n".join(["Most read", *ARTICLE]))[1] == ["Most read"]  # a sidebar's own heading
    headline = (page(title="Portvane Post").replace("<div id='main'><h1>Harbour reopens</h1>", "<div id='top'><h1>"
                "Harbour reopens</h1></div><div id='main'>").replace("<ul><li><a href='/s0'>", "<ul><li><a href='/self'>"
                "Harbour reopens</a></li><li><a href='/s0'>"))
    assert dropped(headline, "\n\n".join(["Harbour reopens", *ARTICLE]))[1] == []  # linked in the sidebar too
    titled = page(title=f"{MENU[3]} - Portvane Post")
    assert dropped(titled, "\n\n".join([MENU[3], *ARTICLE]))[1] == []


def test_the_headings_of_teasers_in_a_link_dense_sidebar_go():
    teasers = "".join(f"<div><h4><a href='/t{i}'>{t}</a></h4><a href='/t{i}'>Read</a> <a href='/c{i}'>Comments</a></div>"
                      for i, t in enumerate(SIDEBAR))
    html = page().replace("<div id='side'>", f"<div id='side'>{teasers}")
    out, gone = dropped(html, "\n\n".join([*ARTICLE, *SIDEBAR]))
    assert gone == SIDEBAR and out == "\n\n".join(ARTICLE)


def test_a_link_among_prose_outside_the_candidate_stays():
    """A list of products, each a link and a paragraph about it: links are a small share of it."""
    items = "".join(f"<div class='item'><p><a href='/p{i}'>The Tern rain jacket {i}</a></p>"
                    f"<p>{ARTICLE[i]} It comes in three colours and two lengths for every size.</p></div>"
                    for i in range(4))
    html = page().replace("<div id='side'>", f"<div id='list'>{items}</div><div id='side'>")
    text = "\n\n".join([*ARTICLE, "The Tern rain jacket 1"])
    assert dropped(html, text)[1] == []


def test_two_or_three_related_links_after_the_article_stay():
    """A short "related" list of three links is not a menu: some sites' articles end with one."""
    titles = ["Ferry timetable for the summer", "Quay works: what changes for lorries", "The northern wall in pictures"]
    related = "".join(f"<a href='/r{i}'>{t}</a><br>" for i, t in enumerate(titles))
    html = page().replace("<div id='side'>", f"<div id='related'><p>{related}</p></div><div id='side'>")
    text = "\n\n".join([*ARTICLE, *titles])
    assert dropped(html, text) == (text, [])


def test_nothing_goes_when_the_lines_kept_would_be_under_a_third_of_the_text():
    """trafilatura took its text from a list, not from the candidate: that list is all there is."""
    text = "\n\n".join([ARTICLE[0], *MENU, *SIDEBAR, "Updated 12 March"])
    assert dropped(page(), text) == (text, [])


def test_a_page_without_an_article_candidate_keeps_its_text():
    html = "<html><body><ul>" + "".join(f"<li><a href='/{i}'>{t}</a></li>" for i, t in enumerate(MENU)) + "</ul></body></html>"
    text = "\n".join(MENU)
    assert dropped(html, text) == (text, [])


def test_dropping_twice_is_dropping_once():
    text = "\n\n".join([*MENU, *ARTICLE, *SIDEBAR])
    once, _ = dropped(page(), text)
    assert dropped(page(), once) == (once, [])


def test_a_cleaned_page_loses_its_sidebar_lines_and_the_option_turns_it_off():
    """The article's wrapper holds a box of other headlines, each a link and a date: trafilatura keeps it."""
    side = "".join(f"<li><a href='/s{i}'>{t}</a> <span>12 March</span></li>" for i, t in enumerate(SIDEBAR))
    html = (f"<html><body><article><div class='text'>{''.join(f'<p>{s}</p>' for s in ARTICLE * 2)}</div>"
            f"<div class='more'><h4>More news</h4><ul>{side}</ul></div></article></body></html>")
    on = Cleaner().clean(html, path="a.html")
    off = Cleaner(Config(html=HtmlOptions(drop_link_blocks=False))).clean(html, path="a.html")
    assert [line for line in off.text.splitlines() if SIDEBAR[0] in line]
    assert not [line for line in on.text.splitlines() if any(t in line for t in SIDEBAR)]
    assert all(s in on.text for s in ARTICLE) and "More news" not in on.text  # the box's heading too
    assert any(e.rule == "extract/link-block-line" for e in on.edits)


def test_a_menu_row_of_table_cells_goes_though_the_cells_touch():
    cells = "".join(f"<td><a href='/m{i}'>{t}</a></td>" for i, t in enumerate(MENU))
    html = page().replace("<div id='menu'>", f"<table><tr>{cells}</tr></table><div id='menu'>")
    text = "\n\n".join(["| " + " | ".join(MENU) + " |", *ARTICLE])
    assert dropped(html, text) == ("\n\n".join(ARTICLE), ["| " + " | ".join(MENU) + " |"])


def test_the_page_is_not_walked_when_no_line_could_go(monkeypatch):
    """Lines of the article, of the title, or sentences of prose: none can go, so the page's
    elements are not sized at all; a short line outside them is looked up as before."""
    import cleaner.html.linkblocks as linkblocks

    built: list[int] = []
    real = linkblocks.BlockIndex

    def counted(*args: object) -> linkblocks.BlockIndex:
        built.append(1)
        return real(*args)

    monkeypatch.setattr(linkblocks, "BlockIndex", counted)
    prose = "The quay will stay closed to lorries and vans until the end of next May."
    text = "\n\n".join(["Harbour reopens", *ARTICLE, prose])
    assert dropped(page(), text) == (text, []) and built == []
    assert dropped(page(), "\n\n".join([*ARTICLE, MENU[0]]))[1] == [MENU[0]] and built == [1]


def test_tokens_and_keys():
    assert tokens("Port news") == 2 and tokens("港口新聞") == 4
    assert line_key("| Weather | Local sport |") == "Weather Local sport"
