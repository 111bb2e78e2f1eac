"""The seed archive (fixtures/archive.json) and the command that builds it.

The first half loads the committed fixture into the database and checks what a reader
would find; the second half runs ``build_fixtures`` on copies of the inputs, good and bad.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from archive.ingest.normalise import appears_in, normalise_for_match
from archive.models import Event, Quote, Source, Speaker, Speech

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DOCUMENTS = sorted(p.name for p in FIXTURES.glob("00*.txt"))

# Every quotation of the five documents: (speaker, kind, words it contains). The direct
# quotations are every one the reports print; the letter's are its curated key passages.
EXPECTED = [
    # 000 -- the Commissioning Show (HSJ)
    ("andrew-lansley", "direct", "Sometimes improving outcomes means reorganising services"),
    ("andrew-lansley", "direct", "but we will help"),
    ("andrew-lansley", "direct", "I'm not asking you [commissioners] to use your budgets"),
    ("andrew-lansley", "direct", "We are still intending that you should start in April 2013"),
    ("andrew-lansley", "direct", "decisions will need to be made, and bullets will have to be"),
    ("andrew-lansley", "direct", "I will back you"),
    ("andrew-lansley", "direct", "embody the values of the NHS - a free, comprehensive service"),
    ("andrew-lansley", "direct", "It has to be a service that is clear about clinical"),
    ("andrew-lansley", "reported", "sometimes improving services will involve taking difficult"),
    # 001 -- Reform's event on clinical commissioning (GP)
    ("andrew-lansley", "direct", "put their own houses in order"),
    ("andrew-lansley", "direct", "have access to a range of viable sustainable high quality"),
    ("andrew-lansley", "direct", "CCGs when they take up their responsibilities"),
    ("andrew-lansley", "direct", "no more sticking plaster solutions"),
    ("andrew-lansley", "direct", "There is an unsustainable providers' regime"),
    ("andrew-lansley", "direct", "You have signed agreement telling us by when"),
    ("andrew-lansley", "direct", "not hesitate"),
    ("andrew-lansley", "reported", "he would not shy away from closing down providers"),
    ("andrew-lansley", "reported", "only if they can meet four tough tests"),
    ("charles-alessi", "direct", "So for integrated care, we really need to be thinking"),
    ("charles-alessi", "direct", "If we accept that we live within a process"),
    ("charles-alessi", "reported", "trusts must have financial responsibility"),
    ("charles-alessi", "reported", "in order to have productive discussions about budgets"),
    # 002 -- the NHS Alliance conference, 2006 (HSJ)
    ("patricia-hewitt", "direct", "I will work with you to get all the time the best care"),
    ("patricia-hewitt", "direct", "The clinicians were absolutely clear"),
    ("patricia-hewitt", "direct", "There were huge protests in Huddersfield"),
    ("patricia-hewitt", "direct", "a very thoughtful report which said of course people"),
    ("patricia-hewitt", "direct", "They said it was the right decision; I absolutely backed"),
    ("patricia-hewitt", "direct", "The critical thing was the clinicians getting out there"),
    ("patricia-hewitt", "direct", "Complex care like primary angioplasty"),
    ("patricia-hewitt", "direct", "Immediately the cry goes up - you're closing my A&E"),
    ("duncan-selbie", "direct", "I can tell you that working in the DoH"),
    ("duncan-selbie", "direct", "And if it can be set out around the preventive path"),
    ("patricia-hewitt", "reported", "it was 'crucial' that clinicians were also signed up"),
    ("patricia-hewitt", "reported", "changes were also afoot in other areas"),
    # 003 -- the meeting of 150 CCG leaders (GP)
    ("andrew-lansley", "direct", "Let's focus on results. I'm giving you autonomy"),
    ("michael-dixon", "direct", "I counted the use of the word autonomy 10 times"),
    ("andrew-lansley", "reported", "the funding formula for CCGs would change"),
    ("andrew-lansley", "reported", "there had been no evidence that PCTs with deprived"),
    ("andrew-lansley", "reported", "PCT managers often talked to hospital managers"),
    ("andrew-lansley", "direct", "If we turned you into managers"),
    ("andrew-lansley", "direct", "Clinical redesign can lead to reconfiguration"),
    # 004 -- the letter of 16 February 2012: key passages
    ("andrew-lansley", "direct", "You will have the freedom, with your new powers"),
    ("andrew-lansley", "direct", "you will be forced to fragment services"),
    ("andrew-lansley", "direct", "It is a fundamental principle of the Bill"),
    ("andrew-lansley", "direct", "The healthcare regulator, Monitor, would not have the power"),
    ("andrew-lansley", "direct", "You will have the freedom to work with whoever you want"),
    ("andrew-lansley", "direct", "Whatever commissioning support arrangements you choose"),
    ("andrew-lansley", "direct", "You will be free from top-down interference"),
    ("andrew-lansley", "direct", "The NHS Commissioning Board will hold you to account"),
    ("andrew-lansley", "direct", "For as long as there is an authority other than the CCG"),
]

BOILERPLATE = [
    "Have you registered",
    "Register now",
    "Already registered",
    "Sign in",
    "Disqus",
    "rules for commenting",
    "flag as inappropriate",
    "Editor's blog",
    "unit?it",
]


def _holding(words: str) -> list[Quote]:
    needle = normalise_for_match(words).casefold()
    return [q for q in Quote.objects.all() if needle in normalise_for_match(q.text).casefold()]


# -- the committed fixture, loaded ----------------------------------------------------


def test_each_expected_quotation_is_present_once_with_the_right_speaker(seed):
    problems = []
    for speaker, kind, words in EXPECTED:
        found = [(q.speaker.slug, q.kind) for q in _holding(words)]
        if found != [(speaker, kind)]:
            problems.append(f"{words!r}: expected [{(speaker, kind)}], found {found}")
    assert problems == []


def test_there_are_no_other_quotes(seed):
    assert Quote.objects.count() == len(EXPECTED)


def test_quotes_per_speaker(seed):
    counts = {s.slug: s.quotes.count() for s in Speaker.objects.all()}
    assert counts == {
        "andrew-lansley": 33,
        "patricia-hewitt": 10,
        "charles-alessi": 4,
        "duncan-selbie": 2,
        "michael-dixon": 1,
    }


def test_every_quote_occurs_verbatim_in_its_source_and_its_speech(seed):
    for quote in Quote.objects.select_related("speech__source"):
        assert appears_in(quote.text, quote.speech.source.original_text), quote.slug
        assert appears_in(quote.text, quote.speech.text), quote.slug


def test_no_site_furniture_survives_in_any_record(seed):
    """Source.original_text is the document as received and keeps it, by design."""
    texts = [
        *(f"{s.title} {s.summary} {s.text}" for s in Speech.objects.all()),
        *(f"{q.text} {q.attribution}" for q in Quote.objects.all()),
        *(s.title for s in Source.objects.all()),
    ]
    for phrase in BOILERPLATE:
        assert not [t for t in texts if phrase.casefold() in t.casefold()], phrase


def test_pull_quotes_and_the_repeated_paragraph_are_not_duplicated(seed):
    assert len(_holding("There is an unsustainable providers' regime")) == 1
    assert len(_holding("Let's focus on results.")) == 1
    assert not Quote.objects.filter(text__in=["rarely", "crucial", "warning"]).exists()
    hewitt = Speech.objects.get(slug="hewitt-nhs-alliance-conference-2006")
    assert hewitt.text.count("has given her strongest promise yet") == 1


def test_the_letter_is_a_letter_dated_16_february_2012_with_no_event(seed):
    letter = Speech.objects.get(kind="letter")
    assert (letter.date, letter.date_precision) == (dt.date(2012, 2, 16), "day")
    assert letter.event is None
    assert letter.quotes.count() == 9
    assert letter.speaker_office().post == "Secretary of State for Health"


def test_dates_are_stored_only_as_precisely_as_known(seed):
    shown = {s.slug: s.date_display for s in Speech.objects.all()}
    assert shown == {
        "lansley-commissioning-show-2012": "June 2012",
        "lansley-reform-clinical-commissioning": "Date unknown",
        "hewitt-nhs-alliance-conference-2006": "2006",
        "lansley-ccg-leaders-meeting-2012": "2012",
        "lansley-letter-to-prospective-ccgs-2012-02-16": "16 February 2012",
    }


def test_events_have_their_kinds(seed):
    assert dict(Event.objects.values_list("slug", "kind")) == {
        "commissioning-show-2012": "conference",
        "reform-clinical-commissioning-event": "think-tank",
        "nhs-alliance-conference-2006": "conference",
        "meeting-of-150-ccg-leaders-2012": "meeting",
    }


def test_attributions_are_kept_as_printed(seed):
    assert {q.attribution for q in Quote.objects.filter(speaker__slug="duncan-selbie")} == {"he"}
    assert _holding("I counted the use")[0].attribution == "Dr Michael Dixon"
    assert _holding("So for integrated care")[0].attribution == "Dr Alessi"
    assert _holding("I will work with you")[0].attribution == "she"


def test_the_speech_text_is_the_cleaned_article_and_the_source_keeps_the_original(seed):
    speech = Speech.objects.get(slug="hewitt-nhs-alliance-conference-2006")
    assert "unit—it was very noisy" in speech.text
    assert "unit?it was very noisy" in speech.source.original_text
    # The repair is told to readers; the other speeches are as printed.
    assert speech.editorial_note == (
        "The source prints a dash as “?” (“unit?it”); the archive shows it as a dash."
    )
    assert not Speech.objects.exclude(pk=speech.pk).exclude(editorial_note="").exists()
    original = (FIXTURES / speech.source.filename).read_text(encoding="utf-8")
    assert speech.source.original_text == original


def test_ministers_held_office_on_the_day_they_spoke(seed):
    hewitt = Speech.objects.get(slug="hewitt-nhs-alliance-conference-2006")
    assert hewitt.speaker_office().post == "Secretary of State for Health"
    assert set(Speaker.objects.ministers().values_list("slug", flat=True)) == {
        "andrew-lansley",
        "patricia-hewitt",
    }


def test_quote_positions_follow_the_text(seed):
    for speech in Speech.objects.all():
        quotes = list(speech.quotes.order_by("position"))
        assert [q.position for q in quotes] == list(range(1, len(quotes) + 1))
        places = [
            normalise_for_match(speech.text).find(normalise_for_match(q.text)) for q in quotes
        ]
        assert places == sorted(places), speech.slug


# -- building ---------------------------------------------------------------------------


def test_the_committed_fixture_is_reproducible_byte_for_byte(tmp_path):
    output = tmp_path / "archive.json"
    call_command("build_fixtures", output=output, stdout=io.StringIO())
    assert output.read_bytes() == (FIXTURES / "archive.json").read_bytes()


def test_check_passes_on_the_committed_fixture_and_fails_on_a_stale_one(tmp_path):
    call_command("build_fixtures", check=True, stdout=io.StringIO())
    stale = tmp_path / "archive.json"
    stale.write_text("[]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="out of date"):
        call_command("build_fixtures", check=True, output=stale, stdout=io.StringIO())
    assert stale.read_text(encoding="utf-8") == "[]\n"


@pytest.fixture
def inputs(tmp_path) -> Path:
    """A copy of the documents and the curation file, to break."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    for name in [*DOCUMENTS, "curation.toml"]:
        shutil.copy(FIXTURES / name, folder / name)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _build_fails(inputs: Path, *expected: str) -> None:
    """Building from ``inputs`` stops, says each of ``expected``, and writes nothing."""
    output = inputs.parent / "archive.json"
    output.write_text("previous fixture\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("build_fixtures", source_dir=inputs, output=output, stdout=io.StringIO())
    for words in expected:
        assert words in str(raised.value)
    assert output.read_text(encoding="utf-8") == "previous fixture\n"
    assert sorted(p.name for p in output.parent.iterdir()) == ["archive.json", "inputs"]


def test_a_good_copy_builds_the_same_fixture(inputs):
    output = inputs.parent / "archive.json"
    call_command("build_fixtures", source_dir=inputs, output=output, stdout=io.StringIO())
    assert output.read_bytes() == (FIXTURES / "archive.json").read_bytes()


def test_a_missing_document_stops_the_build(inputs):
    (inputs / DOCUMENTS[2]).unlink()
    _build_fails(inputs, "curation.toml", f"documents[2] ({DOCUMENTS[2]})", "is missing")


def test_a_curation_entry_naming_a_quote_not_in_its_document_stops_the_build(inputs):
    _edit(inputs / "curation.toml", 'match = "but we will help"', 'match = "but we will not help"')
    _build_fails(
        inputs,
        "curation.toml",
        f"documents[0] ({DOCUMENTS[0]}).quotes[1]",
        "'but we will not help'",
        "not in",
    )


def test_a_key_passage_not_in_the_letter_stops_the_build(inputs):
    _edit(
        inputs / "curation.toml",
        'text = "You will be free from top-down interference"',
        'text = "You will be free from all interference"',
    )
    _build_fails(inputs, f"documents[4] ({DOCUMENTS[4]}).add[6]", "not in")


def test_a_quote_attributed_to_an_unknown_speaker_stops_the_build(inputs):
    _edit(
        inputs / "curation.toml",
        'match = "not hesitate"',
        'match = "not hesitate"\n  speaker = "jeremy-hunt"',
    )
    _build_fails(inputs, f"documents[1] ({DOCUMENTS[1]}).quotes[6]", "'jeremy-hunt'", "known")


def test_a_quotation_by_someone_the_curation_does_not_know_stops_the_build(inputs):
    _edit(inputs / DOCUMENTS[2], "director Duncan Selbie backed", "director Jane Smith backed")
    _build_fails(
        inputs, f"documents[2] ({DOCUMENTS[2]}).quotes[8]", "Jane Smith", "not a known speaker"
    )


def test_an_uncurated_quotation_stops_the_build(inputs):
    _edit(
        inputs / DOCUMENTS[3],
        "Mr Lansley cited examples",
        "Mr Lansley said ‘the examples speak for themselves’ and cited examples",
    )
    _build_fails(inputs, f"documents[3] ({DOCUMENTS[3]})", "the examples speak", "not curated")


def test_an_unknown_theme_stops_the_build(inputs):
    _edit(
        inputs / "curation.toml",
        'match = "I counted the use of the word autonomy"\n  themes = ["commissioning-autonomy"]',
        'match = "I counted the use of the word autonomy"\n  themes = ["autonomy"]',
    )
    _build_fails(inputs, f"documents[3] ({DOCUMENTS[3]}).quotes[1]", "theme 'autonomy'")


def test_a_field_the_model_refuses_stops_the_build(inputs):
    _edit(inputs / "curation.toml", 'kind = "think-tank"', 'kind = "party"')
    _build_fails(inputs, "curation.toml", "events[1]", "kind")
