"""``first_words`` cuts a text as Django's ``Truncator.words`` does, for less."""

import pytest
from django.utils.text import Truncator

from archive.words import first_spoken_words, first_words

TEXTS = [
    "",
    "   ",
    "One.",
    "one two three",
    "one two three four",
    "  Spaces\tand\nnew lines   between\u00a0words, “quotes” & <tags>.",
    "It ends … as it began …",
    "one two … three",
    "one two…",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("count", [0, 1, 2, 3, 4, 70])
@pytest.mark.parametrize("ellipsis", [" …", "…"])
def test_the_same_words_as_djangos_truncation(text, count, ellipsis):
    assert first_words(text, count, ellipsis) == Truncator(text).words(count, truncate=ellipsis)


def test_a_long_text_is_cut_after_its_first_words():
    text = "word " * 10_000
    assert first_words(text, 3) == "word word word …"
    assert first_words("one  two", 3) == "one two"


@pytest.mark.parametrize("text", [*TEXTS, "<script>alert('x')</script> & more words here", None])
@pytest.mark.parametrize("count", ["0", "3", "70", "x", ""])
def test_the_template_filter_renders_what_truncatewords_renders(text, count):
    """Pages cut texts with ``first_words`` where Django's ``truncatewords`` was: the same
    words, escaped the same way, and the text as it is for a count it cannot read."""
    from django.template import Context, Template

    def rendered(name: str) -> str:
        source = f"{{% load archive_tags %}}{{{{ text|{name}:'{count}' }}}}"
        return Template(source).render(Context({"text": text}))

    assert rendered("first_words") == rendered("truncatewords")


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("one – two – three – four", "one – two – three […]"),
        ("one two three", "one two three"),
        ("one two three –", "one two three –"),
        ("“One,” he said … “two.” Three", "“One,” he said … “two.” […]"),
        ("one two three […]", "one two three […]"),
        ("", ""),
    ],
)
def test_a_citations_cut_counts_words_not_marks(text, cut):
    assert first_spoken_words(text, 4 if "he said" in text else 3, " […]") == cut


@pytest.mark.parametrize(
    ("number", "shown"),
    [(0, "0"), (999, "999"), (1000, "1,000"), (1_000_000, "1,000,000"), ("n/a", "n/a")],
)
def test_counts_are_shown_with_their_thousands_grouped(number, shown):
    from archive.templatetags.archive_tags import grouped

    assert grouped(number) == shown
