"""Highlighting: the record's text is escaped first, then matched words are marked."""

from archive.search.engines import MARK_END, MARK_START
from archive.search.highlight import marked_html


def test_markers_become_mark_elements_around_escaped_text():
    html = marked_html(f"<b>NHS</b> & {MARK_START}reform{MARK_END}")
    assert html == "&lt;b&gt;NHS&lt;/b&gt; &amp; <mark>reform</mark>"


def test_marks_stay_balanced_whatever_the_text_holds():
    assert marked_html(f"{MARK_END}a{MARK_START}b") == "a<mark>b</mark>"
    assert marked_html(f"{MARK_START}{MARK_START}a{MARK_END}{MARK_END}") == "<mark>a</mark>"


def test_empty_text_is_empty():
    assert marked_html(None) == ""


def test_text_between_marks_is_kept_whole():
    text = f"Cut {MARK_START}waiting{MARK_END} lists & {MARK_START}waiting{MARK_END} times."
    assert marked_html(text) == ("Cut <mark>waiting</mark> lists &amp; <mark>waiting</mark> times.")


def test_a_mark_holds_both_halves_of_an_editorial_bracket():
    # A phrase's mark runs from its first word to its last: "[managers" without its "]".
    text = f"we will {MARK_START}back you [managers{MARK_END}] and help"
    assert marked_html(text) == "we will <mark>back you [managers]</mark> and help"
    text = f"the [{MARK_START}Department] will{MARK_END} help"
    assert marked_html(text) == "the <mark>[Department] will</mark> help"
    # A bracket the mark holds whole, or none of, is left where it is.
    assert marked_html(f"[{MARK_START}NHS{MARK_END}]") == "[<mark>NHS</mark>]"
    text = f"{MARK_START}[the] NHS{MARK_END}] said"
    assert marked_html(text) == "<mark>[the] NHS</mark>] said"
