"""Matching a quotation against its source despite typography (archive.ingest.normalise)."""

from archive.ingest.normalise import (
    appears_in,
    fingerprint,
    fold_with_positions,
    normalise_for_match,
)


def test_curly_and_straight_quote_marks_compare_equal():
    assert normalise_for_match("Let’s focus on “results”") == normalise_for_match(
        'Let\'s focus on "results"'
    )


def test_spacing_line_breaks_and_non_breaking_spaces_fold_to_one_space():
    assert normalise_for_match("in another in\nHalifax.\u00a0 ") == "in another in Halifax."


def test_ellipsis_and_dashes_fold():
    assert normalise_for_match("regime… I – you — it") == "regime... I - you - it"


def test_a_dash_misencoded_as_question_mark_matches_the_repaired_dash():
    assert appears_in("consultant-led unit—it was", "consultant-led unit?it was very noisy")


def test_a_real_question_mark_is_not_taken_for_a_dash():
    assert normalise_for_match("Who is likely? If the") == "Who is likely? If the"


def test_a_quotation_over_several_paragraphs_matches_without_the_reopening_marks():
    source = "“Sometimes … in people’s homes.\n\n“While rarely will care settings close down."
    assert appears_in("in people’s homes.\n\nWhile rarely will care settings", source)


def test_appears_in_refuses_words_not_in_the_document_and_empty_passages():
    assert not appears_in("I will never back you", "He said “I will back you”.")
    assert not appears_in("   ", "anything")


def test_fingerprint_ignores_case_and_typography_but_not_words():
    assert fingerprint("Let’s focus on results.") == fingerprint("LET'S  focus on results.")
    assert fingerprint("Let's focus on results.") != fingerprint("Let's focus on outcomes.")


def test_fold_with_positions_maps_each_folded_character_back_to_the_original():
    text = "He said: “I’m here…\n\n“Still?it works.”"
    folded, origin = fold_with_positions(text)
    assert folded == normalise_for_match(text)
    at = folded.index("Still-it")
    assert text[origin[at] : origin[at + len("Still-it") - 1] + 1] == "Still?it"
