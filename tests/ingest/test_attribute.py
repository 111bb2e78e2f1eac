"""Resolving who said each quotation from the sentences around it (archive.ingest.attribute)."""

from archive.ingest.attribute import attribute
from archive.ingest.extract import extract_quotations
from archive.ingest.speakers import KnownSpeaker

KNOWN = [
    KnownSpeaker("Andrew Lansley", "andrew-lansley", ("Mr Lansley", "Lansley")),
    KnownSpeaker("Patricia Hewitt", "patricia-hewitt", ("Ms Hewitt",)),
    KnownSpeaker("Charles Alessi", "charles-alessi", ("Dr Alessi",)),
    KnownSpeaker("Duncan Selbie", "duncan-selbie", ("Mr Selbie",)),
    KnownSpeaker("Michael Dixon", "michael-dixon", ("Dr Dixon",)),
]


def who(article: str) -> list[tuple[str, str | None]]:
    """(attribution as printed, resolved speaker slug) for each quotation in ``article``."""
    found = attribute(article, extract_quotations(article), KNOWN)
    return [(a.attribution, a.speaker_slug) for a in found]


def test_name_said_before_the_quotation():
    assert who("Mr Lansley said: ‘If we turned you into managers.’") == [
        ("Mr Lansley", "andrew-lansley")
    ]


def test_name_said_after_the_quotation():
    assert who("‘So for integrated care, we really need to think,’ Dr Alessi said.") == [
        ("Dr Alessi", "charles-alessi")
    ]


def test_a_role_and_full_name_before_the_quotation():
    article = "NHS Alliance chairman Dr Michael Dixon said: ‘It’s music to our ears.’"
    assert who(article) == [("Dr Michael Dixon", "michael-dixon")]


def test_she_told_delegates_resolves_to_the_last_named_woman():
    article = (
        "Health secretary Patricia Hewitt has given her strongest promise yet.\n\n"
        "She told primary care trust managers at the NHS Alliance conference: 'I will work "
        "with you.'"
    )
    assert who(article) == [("she", "patricia-hewitt")]


def test_he_added_resolves_to_the_speaker_named_earlier():
    article = (
        "Mr Lansley said the document will “embody the values of the NHS”.\n\n"
        "However - he added: “It has to be a service that is clear about effectiveness.”"
    )
    assert who(article) == [("Mr Lansley", "andrew-lansley"), ("he", "andrew-lansley")]


def test_a_pronoun_skips_a_name_only_mentioned_in_the_possessive():
    article = (
        "Ms Hewitt said it. DoH commissioning director Duncan Selbie backed Ms Hewitt's "
        "comments. 'I can tell you that working in the DoH,' he said. 'And if it can be set out.'"
    )
    assert who(article) == [("he", "duncan-selbie"), ("he", "duncan-selbie")]


def test_the_sentence_before_a_quotation_gives_its_speaker():
    article = (
        "He told delegates that sometimes improving services will involve difficult "
        "decisions. “Sometimes improving outcomes means reorganising services.”"
    )
    assert who("Mr Lansley spoke.\n\n" + article) == [("he", "andrew-lansley")]


def test_a_paragraph_that_is_all_quotation_keeps_the_previous_speaker():
    article = (
        "She added: 'The critical thing was the clinicians.'\n\n"
        "'They said it was the right decision; I absolutely backed that.'"
    )
    assert who("Ms Hewitt spoke.\n\n" + article) == [
        ("she", "patricia-hewitt"),
        ("she", "patricia-hewitt"),
    ]


def test_a_second_quotation_after_she_said_in_the_same_paragraph():
    article = (
        "Ms Hewitt said changes were afoot. 'Complex care needs to be done in specialist "
        "centres,' she said. 'Immediately the cry goes up - you're closing my A&E.'"
    )
    assert who(article) == [("she", "patricia-hewitt"), ("she", "patricia-hewitt")]


def test_the_speaker_of_the_next_quotation_is_not_taken_for_a_trailing_attribution():
    article = "Mr Lansley said: ‘Let’s focus on results.’ Dr Dixon said: ‘Music to our ears.’"
    assert who(article) == [("Mr Lansley", "andrew-lansley"), ("Dr Dixon", "michael-dixon")]


def test_the_last_speaking_name_in_a_sentence_wins_over_other_names():
    article = (
        "The health secretary had the power to remove teams and Mr Lansley said he would "
        "‘not hesitate’ to use that power."
    )
    assert who(article) == [("Mr Lansley", "andrew-lansley")]


def test_names_inside_a_quotation_are_the_speakers_words_not_an_attribution():
    article = (
        "Mr Lansley said: ‘Let’s focus on results.’\n\n"
        "‘I counted it within Mr Selbie’s speech. He said it ten times.’"
    )
    assert who(article) == [("Mr Lansley", "andrew-lansley"), ("Mr Lansley", "andrew-lansley")]


def test_an_unknown_person_is_returned_by_name_without_a_slug():
    article = "Dr Howard Stoate, Bexley chairman, said: ‘It will destabilise secondary care.’"
    [found] = attribute(article, extract_quotations(article), KNOWN)
    assert (found.attribution, found.speaker_slug, found.speaker_name) == (
        "Dr Howard Stoate",
        None,
        "Howard Stoate",
    )


def test_an_unknown_name_without_honorific_before_said():
    article = "‘We will appeal,’ Jane Smith said."
    [found] = attribute(article, extract_quotations(article), KNOWN)
    assert (found.attribution, found.speaker_name) == ("Jane Smith", "Jane Smith")


def test_a_quotation_with_no_speaker_anywhere_is_left_unattributed():
    article = "The slogan was ‘no decision about me without me’ for years."
    [found] = attribute(article, extract_quotations(article), KNOWN)
    assert (found.attribution, found.speaker_slug, found.speaker_name) == ("", None, "")


def test_context_is_the_sentence_around_the_quotation_and_its_attribution():
    article = (
        "The onus will be on trusts.\n\nThere will be ‘no more sticking plaster solutions’, "
        "he said. Mr Lansley said more."
    )
    article = "Mr Lansley spoke.\n\n" + article
    [found] = attribute(article, extract_quotations(article), KNOWN)
    assert found.context == "There will be ‘no more sticking plaster solutions’, he said."


def test_an_unknown_person_introduced_by_their_role_is_the_antecedent_of_he():
    article = (
        "Ms Hewitt said it. DoH commissioning director Jane Smith backed Ms Hewitt's "
        "comments. 'I can tell you that working in the DoH,' he said."
    )
    [found] = attribute(article, extract_quotations(article), KNOWN)
    assert (found.attribution, found.speaker_slug, found.speaker_name) == ("he", None, "Jane Smith")


def test_the_health_secretary_said_resolves_to_the_last_person_named():
    article = (
        "Andrew Lansley has admitted the pressures will take years.\n\n"
        'In an interview, the health secretary said: "We have a system designed for another era."'
    )
    assert who(article) == [("the health secretary", "andrew-lansley")]


def test_names_with_accented_letters_are_names():
    article = (
        "Mr Hunt said: ‘We will publish the plan.’\n\n"
        "Dr Zoë Brontë, chair of the Royal College, said: "
        "“This is a promise we have heard many times before.”\n\n"
        "‘It is late,’ José Núñez said.\n\n"
        "Seán Ó Dálaigh said: ‘We were not asked.’\n\n"
        "‘Nor were we,’ said Dr Máire Ní Bhriain."
    )
    found = attribute(article, extract_quotations(article), KNOWN)
    assert [(a.attribution, a.speaker_name) for a in found][1:] == [
        ("Dr Zoë Brontë", "Zoë Brontë"),
        ("José Núñez", "José Núñez"),
        ("Seán Ó Dálaigh", "Seán Ó Dálaigh"),
        ("Dr Máire Ní Bhriain", "Máire Ní Bhriain"),
    ]


def test_a_known_speaker_is_found_whether_a_report_prints_the_accents_or_not():
    known = [*KNOWN, KnownSpeaker("Zoë Brontë", "zoe-bronte", ("Dr Brontë",))]
    for printed in ("Dr Zoe Bronte", "Dr Zoë Brontë", "Dr Bronte"):
        article = f"{printed} said: ‘Not again.’"
        [found] = attribute(article, extract_quotations(article), known)
        assert found.speaker_slug == "zoe-bronte", printed


def test_a_name_after_the_verb_that_follows_a_quotation_is_its_speaker():
    article = (
        "Mr Hunt said: ‘We will publish the plan.’\n\n"
        "‘We were not consulted,’ said Jane Smith, a GP in Leeds.\n\n"
        "‘Nor were we,’ said Dr Jo Bloggs.\n\n"
        "‘It will be published,’ Mr Hunt told Health Committee members."
    )
    found = attribute(article, extract_quotations(article), KNOWN)
    assert [(a.attribution, a.speaker_name) for a in found] == [
        ("Mr Hunt", "Hunt"),
        ("Jane Smith", "Jane Smith"),
        ("Dr Jo Bloggs", "Jo Bloggs"),
        ("Mr Hunt", "Hunt"),  # who was told is not a speaker
    ]


def test_someone_else_of_a_known_speakers_surname_is_not_that_speaker():
    # A surname alone is the known speaker; a different first name is somebody new.
    article = (
        "‘We cannot go on like this,’ said Janet Dixon, a nurse.\n\n"
        "‘Staffing is at breaking point,’ said Sarah Lansley, a midwife."
    )
    assert who(article) == [("Janet Dixon", None), ("Sarah Lansley", None)]
    # A surname alone, with no namesake named before it, is the known speaker.
    assert who("‘It is music to our ears,’ said Dr Dixon.") == [("Dr Dixon", "michael-dixon")]


def test_a_first_name_or_its_initial_agrees_with_the_known_speakers():
    from archive.ingest.attribute import _same_first_name

    assert _same_first_name("andrew lansley", "andrew lansley")
    assert _same_first_name("a. lansley", "andrew lansley")
    assert _same_first_name("lansley", "andrew lansley")
    assert not _same_first_name("sarah lansley", "andrew lansley")
    assert not _same_first_name("s. lansley", "andrew lansley")


def test_two_new_people_of_one_surname_are_two_people():
    article = (
        "‘Wards are full,’ said Janet Smith, a nurse.\n\n"
        "‘Clinics are full,’ said Sarah Smith, a GP.\n\n"
        "‘And rising,’ said Ms Smith."
    )
    found = attribute(article, extract_quotations(article), KNOWN)
    assert [a.speaker_name for a in found] == ["Janet Smith", "Sarah Smith", "Janet Smith"]


def test_a_surname_after_a_namesake_the_report_named_is_that_namesake():
    # Not the known speaker of that surname: the report introduced its own Dixon.
    article = (
        "‘We cannot go on like this,’ said Janet Dixon, a nurse.\n\n"
        "‘Staffing is at breaking point,’ Ms Dixon added."
    )
    assert who(article) == [("Janet Dixon", None), ("Ms Dixon", None)]
    found = attribute(article, extract_quotations(article), KNOWN)
    assert [a.speaker_name for a in found] == ["Janet Dixon", "Janet Dixon"]
