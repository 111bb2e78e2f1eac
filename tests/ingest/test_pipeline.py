"""The pipeline's one entry point, as the admin import and the fixture builder call it."""

import dataclasses

import pytest

from archive.ingest.pipeline import (
    MAX_QUOTATIONS,
    Extracted,
    IngestResult,
    KnownSpeaker,
    TooManyQuotations,
    process,
)

KNOWN = [
    KnownSpeaker("Andrew Lansley", "andrew-lansley", ("Mr Lansley", "Andrew Lansley")),
    KnownSpeaker("Michael Dixon", "michael-dixon", ("Dr Dixon",)),
]

ARTICLE = """Lansley promises CCGs autonomy in return for results

Health secretary Andrew Lansley has promised CCG leaders autonomy, but only ‘rarely’ more.

Andrew Lansley: 'Let's focus on results.'
Andrew Lansley: 'Let's focus on results.'

Speaking in London on Tuesday, Mr Lansley said: ‘Let’s focus on results. I’m giving you \
autonomy.

‘I think the evidence is already there.’

NHS Alliance chairman Dr Michael Dixon said: ‘It’s music to our ears.’

Mr Lansley said he wanted ‘rarely’ to see ‘focus on results’ again.

Have you registered with us yet?

Sign in"""


@pytest.fixture(scope="module")
def result() -> IngestResult:
    return process(ARTICLE, KNOWN)


def test_every_quotation_once_with_its_speaker(result):
    assert [(q.speaker_slug, q.attribution, q.text) for q in result.quotations] == [
        (
            "andrew-lansley",
            "Mr Lansley",
            "Let’s focus on results. I’m giving you autonomy.\n\nI think the evidence is "
            "already there.",
        ),
        ("michael-dixon", "Dr Michael Dixon", "It’s music to our ears."),
    ]


def test_positions_count_the_kept_quotations_in_order(result):
    assert [q.position for q in result.quotations] == [0, 1]


def test_quotations_are_direct_and_carry_their_context(result):
    first = result.quotations[0]
    assert first.kind == "direct"
    assert first.speaker_name_guess == "Andrew Lansley"
    assert first.context.startswith("Speaking in London on Tuesday, Mr Lansley said: ‘Let’s")


def test_single_words_and_parts_of_longer_quotations_are_skipped_with_a_reason(result):
    reasons = {s.text: s.reason for s in result.skipped}
    assert reasons["rarely"].startswith("a single quoted word")
    assert reasons["focus on results"].startswith("part of a longer quotation")


def test_cleaned_text_has_no_furniture_and_no_pull_quotes(result):
    assert "Sign in" not in result.cleaned_text
    assert "Andrew Lansley: 'Let's" not in result.cleaned_text
    assert "Andrew Lansley: 'Let's focus on results.'" in result.removed


def test_the_same_words_from_another_speaker_are_kept():
    article = (
        "Mr Lansley said: ‘We will back you all the way.’\n\n"
        "Dr Dixon said: ‘We will back you’ was what we wanted to hear."
    )
    speakers = [q.speaker_slug for q in process(article, KNOWN).quotations]
    assert speakers == ["andrew-lansley", "michael-dixon"]


def test_an_article_without_quotations_gives_none():
    result = process("Dear Colleague,\n\nI am writing to you about the Bill's return.", KNOWN)
    assert result.quotations == []
    assert result.cleaned_text == "Dear Colleague,\n\nI am writing to you about the Bill's return."


def test_the_contract_types_are_frozen_values():
    assert dataclasses.is_dataclass(Extracted)
    speaker = KnownSpeaker("Andrew Lansley", "andrew-lansley", ("Mr Lansley",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        speaker.slug = "other"  # type: ignore[misc]


def test_quotations_in_the_headline_are_skipped():
    article = (
        "Hunt tells trust leaders to stop 'hiding behind' targets\n\n"
        "Mr Lansley said: ‘The culture of the NHS has to change.’"
    )
    result = process(article, KNOWN)
    assert [q.text for q in result.quotations] == ["The culture of the NHS has to change."]
    assert result.skipped[0].text == "hiding behind"
    assert "headline" in result.skipped[0].reason


def test_a_reports_words_and_a_documents_title_are_not_a_persons_quotation():
    article = (
        "Mr Lansley said a new report from the clinical director, Dr Roger Boyle, showed "
        "that 'patients will travel further for better care'.\n\n"
        "The letter follows the white paper “Equity and excellence: Liberating the NHS”.\n\n"
        "The Department later issued a statement saying the Bill “contains explicit safeguards”."
    )
    result = process(article, KNOWN)
    assert result.quotations == []
    assert [s.reason for s in result.skipped] == [
        "quotes the words of a document, not of a person",
        "quotes the title of a document",
        "quotes the words of a document, not of a person",
    ]


def test_a_person_speaking_in_a_letter_is_still_their_quotation():
    article = "In the letter, Mr Lansley said: “The NHS has enjoyed a decade of growth.”"
    [quotation] = process(article, KNOWN).quotations
    assert (quotation.speaker_slug, quotation.attribution) == ("andrew-lansley", "Mr Lansley")


def test_a_speaker_quoted_in_a_statement_is_not_taken_for_a_title():
    article = "Mr Lansley said in a statement “We will act on every recommendation”."
    [quotation] = process(article, KNOWN).quotations
    assert quotation.text == "We will act on every recommendation"


def test_an_article_of_the_most_quotations_is_read_and_one_more_refused():
    def said(n: int) -> str:
        said = (f"‘we will back you number {i} today’ said Andrew Lansley." for i in range(n))
        return "\n\n".join(said)

    assert len(process(said(MAX_QUOTATIONS), []).quotations) == MAX_QUOTATIONS
    with pytest.raises(TooManyQuotations, match=f"holds {MAX_QUOTATIONS + 1} quotations"):
        process(said(MAX_QUOTATIONS + 1), [])
