"""The admin's search box asks the archive's search engine, not a substring scan."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import make_quote, make_speaker, make_speech


def _records(django_capture_on_commit_callbacks):
    # The search index is updated after commit; run those callbacks inside the test.
    with django_capture_on_commit_callbacks(execute=True):
        speaker = make_speaker("Patricia Hewitt")
        speech = make_speech(
            "Speech to the NHS Alliance",
            speaker=speaker,
            text="She said: ‘I will back the closure of a hospital.’ And: ‘Doctors agree.’",
        )
        closure = make_quote("I will back the closure of a hospital.", speech=speech)
        doctors = make_quote("Doctors agree.", speech=speech)
    return speech, closure, doctors


def test_quote_search_finds_other_forms_of_a_word_and_honours_exclusion(
    curator_client, django_capture_on_commit_callbacks
):
    _, closure, doctors = _records(django_capture_on_commit_callbacks)
    url = reverse("admin:archive_quote_changelist")
    # "hospitals" is not a substring of "hospital": only a stemming search finds it.
    page = curator_client.get(url, {"q": "hospitals"}).content.decode()
    assert closure.text in page
    assert doctors.text not in page
    page = curator_client.get(url, {"q": "hewitt -hospital"}).content.decode()
    assert doctors.text in page
    assert closure.text not in page


def test_speech_search_goes_through_the_interface_and_drafts_are_found(
    curator_client, django_capture_on_commit_callbacks
):
    speech, _, _ = _records(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        speech.status = "draft"
        speech.save()
        make_speech("Speech to the King's Fund", text="Nothing about buildings.")
    page = curator_client.get(
        reverse("admin:archive_speech_changelist"), {"q": "closures"}
    ).content.decode()
    assert "Speech to the NHS Alliance" in page
    assert "King&#x27;s Fund" not in page
