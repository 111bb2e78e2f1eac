"""Cleaning site furniture and copy damage out of an article (archive.ingest.clean)."""

import pytest

from archive.ingest.clean import clean

REGISTRATION = """Health secretary Andrew Lansley has pledged to be tougher.

Have you registered with us yet?

Register now to enjoy more articles and free email bulletins

Register

Already registered?

Sign in

Before commenting please read our rules for commenting on articles.

If you see a comment you find offensive, you can flag it as inappropriate. For further \
information see our rules for commenting on articles.

comments powered by Disqus"""


def test_registration_prompts_comment_rules_and_disqus_are_removed():
    result = clean(REGISTRATION)
    assert result.text == "Health secretary Andrew Lansley has pledged to be tougher."
    assert "Sign in" in result.removed
    assert "comments powered by Disqus" in result.removed
    assert len(result.removed) == 8


def test_a_link_to_the_editors_blog_is_removed():
    text = "Mr Lansley said so.\n\nEditor's blog: Autonomy and what made the health secretary blush"
    assert clean(text).text == "Mr Lansley said so."


@pytest.mark.parametrize(
    "prompt",
    [
        "Register now to read more articles like this.",
        "Register for free to continue reading",
        "Register to get unlimited access",
    ],
)
def test_other_publishers_registration_prompts_are_removed(prompt):
    assert clean(f"Mr Lansley said so.\n\n{prompt}").text == "Mr Lansley said so."


def test_a_sentence_about_registering_to_do_something_is_kept():
    text = "Register to vote, Mr Lansley urged."
    assert clean(text).text == text


def test_words_like_register_inside_a_sentence_are_kept():
    text = "Trusts must register with the regulator and sign in at the door."
    assert clean(text).text == text


def test_a_pull_quote_repeating_a_quotation_from_the_body_is_removed_with_its_copy():
    text = (
        "Lansley promises CCGs autonomy\n\n"
        "Andrew Lansley: 'Let's focus on results.'\n"
        "Andrew Lansley: 'Let's focus on results.'\n\n"
        "Mr Lansley said: ‘Let’s focus on results. I’m giving you autonomy.’"
    )
    result = clean(text)
    assert "Andrew Lansley:" not in result.text
    assert result.removed == ["Andrew Lansley: 'Let's focus on results.'"] * 2


def test_a_pull_quote_whose_closing_mark_is_an_apostrophe_is_recognised():
    text = (
        "Mr Lansley: ‘There is an unsustainable providers' regime… failing financially'\n\n"
        "‘There is an unsustainable providers' regime… failing financially,’ he said."
    )
    assert clean(text).text.startswith("‘There is")


def test_a_display_quote_not_repeated_in_the_body_is_kept():
    text = "Mr Lansley: ‘Nothing else says this.’\n\nThe rest of the report."
    assert clean(text).text == text


def test_a_repeated_paragraph_is_kept_once():
    first = "Health secretary Patricia Hewitt has given her strongest promise yet."
    result = clean(f"{first}\n\n{first}\n\nAnd in the week before.")
    assert result.text == f"{first}\n\nAnd in the week before."
    assert result.removed == [first]


def test_the_misencoded_dash_is_repaired():
    result = clean("they did not want to lose their consultant-led unit?it was very noisy")
    assert result.text == "they did not want to lose their consultant-led unit—it was very noisy"
    assert result.removed == ["mis-encoded dash: unit?it"]
    # The words are no longer as printed: readers are told so, naming them.
    assert result.editorial_note == (
        "The source prints a dash as “?” (“unit?it”); the archive shows it as a dash."
    )


def test_a_question_mark_in_a_web_address_is_left_alone():
    text = "See https://www.gov.uk/search?q=nhs and gov.uk/find?x=y or www.nhs.uk?ref=a."
    result = clean(text)
    assert result.text == text
    assert result.editorial_note == ""
    # A garbled dash beside an address is still repaired, and only it is named.
    result = clean("The unit?it was at gov.uk/search?q=nhs today.")
    assert result.text == "The unit—it was at gov.uk/search?q=nhs today."
    assert result.repaired == ["unit?it"]


def test_words_left_as_printed_need_no_editorial_note():
    result = clean("Is it fair? It is not.\n\n*Dear all*, we can't wait.")
    assert result.editorial_note == ""
    assert "Is it fair? It is not." in result.text


def test_stray_emphasis_markup_in_the_letterhead_is_removed():
    text = "*From the Rt Hon Andrew Lansley CBE MP\nSecretary of State for Health*\n\nDear *all*,"
    assert clean(text).text == (
        "From the Rt Hon Andrew Lansley CBE MP\nSecretary of State for Health\n\nDear all,"
    )


def test_short_address_lines_keep_their_line_breaks():
    text = "*Richmond House\n79 Whitehall\nLondon\nSW1A 2NS*"
    assert clean(text).text == "Richmond House\n79 Whitehall\nLondon\nSW1A 2NS"


def test_a_long_line_wrapped_mid_sentence_is_rejoined():
    text = (
        "Ms Hewitt described her decision to back managers in West Yorkshire over the "
        "closure of a maternity unit in Huddersfield and the maintenance of another in\nHalifax."
    )
    assert clean(text).text.endswith("maintenance of another in Halifax.")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "It is a principle. You, not regulators, should decide when and how",
            "competition should be used to serve your patients' interests.",
        ),
        (
            "It is not the case. Clinical senates will advise both CCGs and the NHS Commissioning",
            "Board on clinical issues at a broad strategic level.",
        ),
    ],
)
def test_a_sentence_split_across_two_paragraphs_is_rejoined(first, second):
    assert clean(f"{first}\n\n{second}").text == f"{first} {second}"


def test_headlines_and_numbered_headings_are_not_joined_to_what_follows():
    text = (
        "Lansley says trusts must improve to allow CCGs to commission effectively\n\n"
        "Health secretary Andrew Lansley has pledged to be tougher.\n\n"
        "2. You will have the freedom to work with whoever you want to in commissioning\n\n"
        "Many of you will be building on strong relationships."
    )
    assert clean(text).text == text


def test_windows_line_endings_and_blank_padding_are_tidied():
    text = "\r\n\r\n  First paragraph.  \r\n \r\nSecond\u00a0paragraph.\r\n"
    assert clean(text).text == "First paragraph.\n\nSecond paragraph."
