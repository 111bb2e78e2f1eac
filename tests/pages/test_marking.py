"""Finding quotations in a speech's text and marking them, safely."""

from types import SimpleNamespace

from archive.views.marking import find_spans, marked_paragraphs, quote_in_context


def quote(text, slug="q"):
    return SimpleNamespace(text=text, slug=slug, get_absolute_url=lambda: f"/quotes/{slug}/")


def test_quotation_is_found_despite_different_quote_marks_and_spacing():
    text = "He said: “We can’t  just\nkeep kicking the can.”"
    (span,) = find_spans(text, [quote("We can't just keep kicking the can.")])
    assert text[span.start : span.end] == "We can’t  just\nkeep kicking the can."


def test_quotation_over_two_paragraphs_is_marked_in_both():
    text = "“First part of it.\n\nSecond part of it.” he said."
    paragraphs, found = marked_paragraphs(text, [quote("First part of it. Second part of it.")])
    assert found == {"q"}
    assert paragraphs[0] == (
        '“<mark class="quote-mark" id="quote-q"><a href="/quotes/q/">First part of it.</a></mark>'
    )
    assert paragraphs[1].startswith(
        '<mark class="quote-mark"><a href="/quotes/q/">Second part of it.</a></mark>”'
    )


def test_text_and_quotations_are_escaped_before_marking():
    text = "<b>bold</b> said “<script>x</script>”"
    paragraphs, _ = marked_paragraphs(text, [quote("<script>x</script>")])
    assert "<script>" not in paragraphs[0] and "<b>" not in paragraphs[0]
    assert "&lt;script&gt;x&lt;/script&gt;</a></mark>" in paragraphs[0]


def test_missing_and_overlapping_quotations_are_skipped():
    text = "one two three four"
    spans = find_spans(text, [quote("two three", "a"), quote("three four", "b"), quote("x", "c")])
    assert [s.slug for s in spans] == ["a"]


def test_context_is_the_paragraph_with_its_neighbours():
    text = "Before.\n\nMiddle “quoted words” here.\n\nAfter.\n\nFar away."
    context = quote_in_context(text, quote("quoted words"))
    assert len(context) == 3
    assert context[0] == "Before." and context[2] == "After."
    assert '<mark class="quote-mark" id="quote-q">quoted words</mark>' in context[1]
    assert quote_in_context(text, quote("not there")) == []


def test_quotation_reopened_on_each_paragraph_is_found_whole():
    # Reports re-open every paragraph of a long quotation with a quote mark; the quote's
    # own text runs the paragraphs together without them.
    text = "He said: “First part, it’s long.\n\n“Second part.”\n\nAfter: “ spaced ” words."
    (span,) = find_spans(text, [quote("First part, it's long. Second part.")])
    assert text[span.start : span.end] == "First part, it’s long.\n\n“Second part."
    (spaced,) = find_spans(text, [quote("spaced words")])
    assert text[spaced.start : spaced.end] == "spaced ” words"


def test_a_reopened_paragraphs_opening_mark_stays_outside_the_mark_as_the_firsts_does():
    text = "He said: ‘First part.\n\n‘Second part.’\n\nAfter."
    paragraphs, _ = marked_paragraphs(text, [quote("First part. Second part.")])
    first, second = paragraphs[0], paragraphs[1]
    assert first.startswith("He said: ‘<mark") and "‘" not in first.split("<mark", 1)[1]
    assert second.startswith("‘<mark") and second.endswith("</mark>’")


def test_runs_of_spacing_and_dropped_quote_marks_between_words_fold_to_one_space():
    # Spaces either side of a stray quote mark, a no-break space, an ellipsis and a dash.
    text = "Intro.\n\nWe will ’ \u00a0 act\u2026 now \u2013 and\t\tfast."
    (span,) = find_spans(text, [quote("We will act... now - and fast.")])
    assert (span.start, span.end) == (8, len(text))


def test_the_fold_maps_every_character_it_keeps_back_to_where_it_came_from():
    """On random texts of words, spacing, quote marks and dashes: the folded text is the
    text with quote marks dropped, dashes and ellipses folded and each run of spacing made
    one space; each of its characters comes from a character that folds to it (a space from
    the first of its run), in order, with nothing kept skipped between them."""
    import random
    import re

    from archive.ingest.normalise import QUOTE_FOLDS
    from archive.views.marking import _fold_with_positions

    def kept(char: str) -> str:
        return "".join(c for c in char.translate(QUOTE_FOLDS) if c not in "'\"")

    pieces = ["We", "can", ",", ".", " ", "  ", "\n\n", "\t", "\u00a0", "'", '"', "\u2019"]
    pieces += ["\u201c", "\u201d", "\u2013", "\u2014", "\u2026", "?", "-"]
    rng = random.Random(7)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        folded, origin = _fold_with_positions(text)
        assert folded == re.sub(r"\s+", " ", "".join(map(kept, text))), repr(text)
        previous = -1
        for index, char in enumerate(folded):
            at = origin[index]
            if char == " ":
                assert text[at].isspace() and (at == 0 or not text[at - 1].isspace())
            else:
                assert char in kept(text[at])
            skipped = text[previous + 1 : at]
            assert all(c.isspace() or not kept(c) for c in skipped), repr(text)
            assert at >= previous
            previous = at
