"""Invariants over arbitrary input: never crash, idempotent, decoding accepts or refuses cleanly."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import InputError
from cleaner.decoding.decode import decode

# Text shaped like scraped articles: words, punctuation, quotes, labels and line breaks.
PIECES = st.sampled_from([
    "Le", "président", "a", "dit", "du", "de la", "the", "of", "New York Post", "drones", "ukrainiens",
    ",", ".", ";", ":", "?", "!", "«", "»", "“", "”", "„", "\"", "(", ")", "…", "-", "—", "#", "##",
    "(nouvelle fenêtre)", "pic.twitter.com/abc", "— Jane (@jane) July 16, 2025", "Suivez la couverture complète",
    " ", "  ", "\t", "\n", "\n", "\n\n", "\r\n", "\u00a0", "e\u0301", "Ã©", "ﬁ",
])
ARTICLE_LIKE = st.lists(PIECES, max_size=60).map(" ".join) | st.lists(PIECES, max_size=60).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(text=ARTICLE_LIKE | st.text(max_size=300))
def test_cleaning_is_idempotent_and_never_crashes(cleaner, text):
    once = cleaner.clean(text)
    assert once.text == "" or once.text.endswith("\n") and not once.text.endswith("\n\n")
    assert "  " not in once.text and " \n" not in once.text
    twice = cleaner.clean(once.text)
    assert twice.text == once.text
    assert twice.language == once.language


@SETTINGS
@given(data=st.binary(max_size=300))
def test_bytes_are_cleaned_or_refused_with_input_error(cleaner, data):
    try:
        text, encoding = decode(data, "x.txt")
    except InputError as exc:
        assert str(exc).startswith("x.txt: ") and "\n" not in str(exc)
        return
    assert isinstance(text, str) and encoding
    assert cleaner.clean(data).text == cleaner.clean(text).text
