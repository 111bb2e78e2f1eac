"""The write rules in archive.services: import, publish, delete and restore."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from archive.models import DatePrecision, Quote, Source, Speaker, Speech, Status, Theme
from archive.services import (
    REASON_IMPORTED,
    REASON_RESTORED,
    QuotationChoice,
    SourceDetails,
    SpeechDetails,
    delete_speech,
    deleted_speeches,
    import_article,
    publish_speech,
    restore_deleted_speech,
    unpublish_speech,
)
from tests.factories import (
    make_event,
    make_office,
    make_quote,
    make_source,
    make_speaker,
    make_speech,
    make_theme,
)

CLEANED = "Mr Lansley said: ‘We can’t keep services where they are.’ Mr Farrar said: ‘Yes.’"


def _import(*, by=None, quotations=None, **speech):
    return import_article(
        original_text=CLEANED + "\n\nRegister now",
        cleaned_text=CLEANED,
        source=SourceDetails(title="HSJ report", publisher="HSJ"),
        speech=SpeechDetails(**{"title": "Speech to managers", **speech}),
        quotations=quotations or [],
        by=by,
    )


def test_import_saves_a_draft_with_source_quotes_and_new_speakers(
    lansley, reconfiguration, curator
):
    speech = _import(
        speaker=lansley,
        by=curator,
        quotations=[
            QuotationChoice(
                text="We can't keep services where they are.",  # straight apostrophe
                attribution="Mr Lansley",
                speaker=lansley,
                themes=(reconfiguration,),
            ),
            QuotationChoice(text="Yes.", attribution="Mr Farrar", new_speaker_name="Mike Farrar"),
        ],
    )
    assert speech.status == Status.DRAFT
    assert speech.text == CLEANED
    assert speech.source.original_text.endswith("Register now")
    quotes = list(speech.quotes.order_by("position"))
    assert [q.speaker.name for q in quotes] == ["Andrew Lansley", "Mike Farrar"]
    assert list(quotes[0].themes.all()) == [reconfiguration]
    history = speech.history.first()
    assert (history.history_user, history.history_change_reason) == (curator, REASON_IMPORTED)
    # One version for the import, themes and all (setting them made a second one).
    [version] = quotes[0].history.all()
    assert version.history_change_reason == REASON_IMPORTED
    assert [row.theme for row in version.themes.all()] == [reconfiguration]


def test_import_reuses_a_speaker_of_the_same_name_rather_than_duplicating(lansley):
    _import(
        new_speaker_name="andrew  LANSLEY",
        quotations=[QuotationChoice(text="Yes.", new_speaker_name="Andrew Lansley")],
    )
    assert Speaker.objects.filter(name__iexact="andrew lansley").count() == 1


def test_import_reports_every_problem_at_once(lansley):
    with pytest.raises(ValidationError) as caught:
        _import(
            speaker=None,
            date=None,
            date_precision=DatePrecision.DAY,
            quotations=[
                QuotationChoice(text="Words nobody said.", speaker=lansley),
                QuotationChoice(text="Yes.", speaker=lansley),
                QuotationChoice(text="yes.", speaker=lansley),
            ],
        )
    problems = caught.value.message_dict
    assert set(problems) == {"speaker", "date_precision", "quotations"}
    assert any("Quotation 1" in p and "do not appear" in p for p in problems["quotations"])
    assert any("Quotation 3" in p and "already in this speech" in p for p in problems["quotations"])
    assert not Speech.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_import_that_fails_halfway_leaves_nothing_behind():
    # A theme deleted after the curator picked it: the speech, source, new speaker and first
    # quote are written before linking the theme fails, so only a real rollback undoes them.
    theme = make_theme("Provider failure")
    stale = Theme.objects.get(pk=theme.pk)
    theme.delete()
    with pytest.raises(ValidationError):
        _import(
            new_speaker_name="Mike Farrar",
            quotations=[
                QuotationChoice(text="Yes.", new_speaker_name="Mike Farrar", themes=(stale,))
            ],
        )
    assert not Speech.objects.exists()
    assert not Source.objects.exists()
    assert not Quote.objects.exists()
    assert not Speaker.objects.filter(name="Mike Farrar").exists()


def test_only_an_editor_publishes_and_unpublishes(curator, editor):
    speech = make_speech(status=Status.DRAFT)
    with pytest.raises(PermissionDenied):
        publish_speech(speech, by=curator)
    publish_speech(speech, by=editor)
    speech.refresh_from_db()
    assert speech.status == Status.PUBLISHED
    assert speech.history.first().history_user == editor
    with pytest.raises(PermissionDenied):
        unpublish_speech(speech, by=curator)
    unpublish_speech(speech, by=editor)
    speech.refresh_from_db()
    assert speech.status == Status.DRAFT


def test_publishing_refuses_a_speech_whose_quote_is_not_in_its_text(editor):
    speech = make_speech(status=Status.DRAFT, text="He said: ‘Hello.’")
    make_quote("Goodbye.", speech=speech)
    with pytest.raises(ValidationError) as caught:
        publish_speech(speech, by=editor)
    assert "do not appear" in " ".join(caught.value.messages)
    speech.refresh_from_db()
    assert speech.status == Status.DRAFT


def test_a_deleted_speech_comes_back_with_its_quotes_and_themes(editor, reconfiguration):
    speech = make_speech(text="He said: ‘One.’ Then: ‘Two.’ And: ‘Three.’")
    one = make_quote("One.", speech=speech, themes=[reconfiguration])
    two = make_quote("Two.", speech=speech)
    removed_earlier = make_quote("Three.", speech=speech)
    removed_earlier.delete()
    speech_id, slug = speech.pk, speech.slug

    delete_speech(speech, by=editor)
    assert not Speech.objects.filter(pk=speech_id).exists()
    [listed] = deleted_speeches().speeches
    assert (listed.id, listed.quote_count, listed.deleted_by) == (speech_id, 2, str(editor))

    restored = restore_deleted_speech(speech_id, by=editor)
    assert (restored.pk, restored.slug) == (speech_id, slug)
    assert sorted(restored.quotes.values_list("pk", flat=True)) == sorted([one.pk, two.pk])
    assert list(Quote.objects.get(pk=one.pk).themes.all()) == [reconfiguration]
    assert deleted_speeches().speeches == []
    # One version for the restore, with the themes (the first of two had none).
    restored_versions = one.history.filter(history_change_reason=REASON_RESTORED)
    [version] = restored_versions
    assert [row.theme for row in version.themes.all()] == [reconfiguration]


def test_a_curator_can_neither_delete_nor_restore(curator, editor):
    speech = make_speech()
    speech_id = speech.pk
    with pytest.raises(PermissionDenied):
        delete_speech(speech, by=curator)
    delete_speech(speech, by=editor)
    with pytest.raises(PermissionDenied):
        restore_deleted_speech(speech_id, by=curator)
    assert not Speech.objects.filter(pk=speech_id).exists()


def test_restore_explains_when_the_address_has_been_taken_since(editor):
    speech = make_speech(slug="speech-to-managers")
    speech_id = speech.pk
    delete_speech(speech, by=editor)
    make_speech(slug="speech-to-managers")
    with pytest.raises(ValidationError, match="speech-to-managers"):
        restore_deleted_speech(speech_id, by=editor)


def test_a_speech_comes_back_without_the_optional_records_deleted_since(editor):
    # Its office named by the source, its event and its source deleted after the speech:
    # restoring failed on the office with a database error (a 500 in the admin).
    speaker = make_speaker("Patricia Hewitt")
    office = make_office(speaker, post="Secretary of State for Health")
    event = make_event("NHS Alliance conference 2006")
    source = make_source("Hewitt backs managers")
    speech = make_speech(speaker=speaker, event=event, source=source)
    speech.stated_office = office
    speech.save()
    quote = make_quote("We will back you.", speech=speech)
    speech_id = speech.pk
    delete_speech(speech, by=editor)
    office.delete()
    event.delete()
    source.delete()

    notes: list[str] = []
    restored = restore_deleted_speech(speech_id, by=editor, notes=notes)
    restored = Speech.objects.get(pk=speech_id)
    assert restored.speaker == speaker
    assert (restored.event, restored.source, restored.stated_office) == (None, None, None)
    assert list(restored.quotes.all()) == [quote]
    assert len(notes) == 3
    assert "“NHS Alliance conference 2006”" in " ".join(notes)


def test_a_speech_whose_speaker_was_deleted_since_is_not_restored_and_says_why(editor):
    speaker = make_speaker("Duncan Selbie")
    speech = make_speech(speaker=speaker)
    speech_id = speech.pk
    delete_speech(speech, by=editor)
    speaker.delete()
    with pytest.raises(ValidationError, match="“Duncan Selbie”.*cannot come back without"):
        restore_deleted_speech(speech_id, by=editor)
    assert not Speech.objects.filter(pk=speech_id).exists()


def test_the_admin_restores_it_and_says_what_was_left_empty(editor_client, editor):
    from django.urls import reverse

    office = make_office(make_speaker("Alan Johnson"), post="Secretary of State for Health")
    speech = make_speech(speaker=office.speaker)
    speech.stated_office = office
    speech.save()
    speech_id = speech.pk
    delete_speech(speech, by=editor)
    office.delete()
    response = editor_client.post(
        reverse("admin:archive_speech_restore", args=[speech_id]), follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Restored" in page
    assert "office named by the source" in page
    assert Speech.objects.filter(pk=speech_id).exists()


def test_a_quotation_whose_named_office_was_deleted_since_comes_back_without_it(editor):
    speaker = make_speaker("Charles Alessi")
    office = make_office(speaker, post="Chairman elect", start_date=None)
    speech = make_speech()
    quote = make_quote("We will back you.", speech=speech, speaker=speaker)
    quote.stated_office = office
    quote.save()
    speech_id = speech.pk
    delete_speech(speech, by=editor)
    office.delete()
    notes: list[str] = []
    restore_deleted_speech(speech_id, by=editor, notes=notes)
    assert Quote.objects.get(pk=quote.pk).stated_office is None
    assert any("Chairman elect" in note and quote.slug in note for note in notes)
