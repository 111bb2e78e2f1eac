"""Finding direct quotations, whatever marks the report uses (archive.ingest.extract)."""

from archive.ingest.extract import extract_quotations


def texts(article: str) -> list[str]:
    return [q.text for q in extract_quotations(article)]


def test_curly_double_quotations():
    article = (
        "He said strong leadership will be called for, “but we will help”.  “I’m not asking you.”"
    )
    assert texts(article) == ["but we will help", "I’m not asking you."]


def test_straight_single_quotations_with_apostrophes_inside_words():
    article = (
        "She called in the panel, which brought out 'a very thoughtful report which said you "
        "can't do that with modern medicine'."
    )
    assert texts(article) == [
        "a very thoughtful report which said you can't do that with modern medicine"
    ]


def test_the_closing_mark_that_is_also_an_apostrophe_ends_the_quotation():
    article = (
        "Mr Lansley: ‘There is an unsustainable providers' regime… I will not flinch from "
        "using it if NHS trusts are failing patients or failing financially'"
    )
    assert texts(article) == [
        "There is an unsustainable providers' regime… I will not flinch from using it if "
        "NHS trusts are failing patients or failing financially"
    ]


def test_a_plural_possessive_does_not_close_a_quotation_closed_later():
    article = (
        "‘There is an unsustainable providers' regime… I will not flinch from using it if NHS "
        "trusts are failing patients or failing financially,’ he said."
    )
    assert texts(article) == [
        "There is an unsustainable providers' regime… I will not flinch from using it if NHS "
        "trusts are failing patients or failing financially"
    ]


def test_a_quoted_word_before_another_quotation_closes_at_its_own_mark():
    article = (
        "He said he had a ‘warning’ for managers who were failing to perform; ‘You have "
        "signed agreement telling us.’"
    )
    assert texts(article) == ["warning", "You have signed agreement telling us."]


def test_a_quoted_word_inside_a_sentence_with_straight_marks():
    article = "She said it was 'crucial' that clinicians were also signed up for change."
    assert texts(article) == ["crucial"]


def test_a_quotation_over_three_paragraphs_is_one_quotation():
    article = (
        "He told delegates that sometimes it is hard. “Sometimes improving outcomes means "
        "reorganising services.\n\n“While rarely will care settings close down, many will "
        "change.\n\n“We can’t just keep kicking the can down the road.”\n\nHe said more."
    )
    [quotation] = extract_quotations(article)
    assert quotation.text == (
        "Sometimes improving outcomes means reorganising services.\n\n"
        "While rarely will care settings close down, many will change.\n\n"
        "We can’t just keep kicking the can down the road."
    )
    assert quotation.closed
    assert article[quotation.start] == "“"
    assert article[quotation.end - 1] == "”"


def test_a_single_quoted_quotation_over_two_paragraphs():
    article = (
        "Mr Lansley said: ‘Let’s focus on results. I’m giving you autonomy. They’re two very "
        "hard things.\n\n‘I think the evidence is already there.’"
    )
    assert texts(article) == [
        "Let’s focus on results. I’m giving you autonomy. They’re two very hard things."
        "\n\nI think the evidence is already there."
    ]


def test_an_unclosed_quotation_not_reopened_ends_with_its_paragraph():
    article = "He said: ‘We will act.\n\nThe onus will be on NHS trusts."
    [quotation] = extract_quotations(article)
    assert quotation.text == "We will act."
    assert not quotation.closed


def test_the_comma_before_the_attribution_is_not_part_of_the_quotation():
    article = "‘CCGs have to be focused on patients,’ Mr Lansley said."
    assert texts(article) == ["CCGs have to be focused on patients"]


def test_editorial_brackets_inside_a_quotation_are_kept():
    article = "She added: 'So I will absolutely back you [managers] and we will help.'"
    assert texts(article) == ["So I will absolutely back you [managers] and we will help."]


def test_possessives_and_plural_possessives_open_nothing():
    article = (
        "DoH director Duncan Selbie backed Ms Hewitt's comments about the Bill's return, "
        "in your patients' interests."
    )
    assert texts(article) == []


def test_two_quotations_around_an_attribution():
    article = (
        "'The clinicians were absolutely clear - they could not staff them both safely,' she "
        "told delegates. 'There were huge protests in Huddersfield.'"
    )
    assert texts(article) == [
        "The clinicians were absolutely clear - they could not staff them both safely",
        "There were huge protests in Huddersfield.",
    ]
