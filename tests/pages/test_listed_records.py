"""The public lists name speakers and events with something published: a curator's new
speaker or event, or one whose statements are all still drafts, is not listed (nor
counted on the home page) until a statement of theirs is published; its page answers."""

import pytest

from archive.models import Event, EventKind, Speaker, Speech, Status
from tests.factories import make_event, make_quote, make_speaker, make_speech


@pytest.fixture
def records(db):
    said = make_speaker("Alice Spoke")
    reported = make_speaker("Bob Reported")  # quoted in another's published speech
    drafted = make_speaker("Carol Drafted")  # a speech, not yet published
    new = make_speaker("Dan New")  # nothing at all
    held = make_event("Conference Held", kind=EventKind.CONFERENCE)
    pending = make_event("Meeting Pending", kind=EventKind.MEETING)
    empty = make_event("Debate Empty", kind=EventKind.PARLIAMENT)
    speech = make_speech("Opening", speaker=said, event=held)
    make_quote("A word from the floor.", speech=speech, speaker=reported)
    make_speech("Draft", speaker=drafted, event=pending, status=Status.DRAFT)
    return {
        "said": said,
        "reported": reported,
        "drafted": drafted,
        "new": new,
        "held": held,
        "pending": pending,
        "empty": empty,
    }


def test_only_speakers_with_a_published_statement_are_listed(records, client):
    page = client.get("/speakers/").content.decode()
    assert "Alice Spoke" in page and "Bob Reported" in page
    assert "Carol Drafted" not in page and "Dan New" not in page
    assert set(Speaker.objects.with_statements()) == {records["said"], records["reported"]}


def test_only_events_with_a_published_speech_are_listed_and_counted_by_kind(records, client):
    page = client.get("/events/").content.decode()
    assert "Conference Held" in page
    assert "Meeting Pending" not in page and "Debate Empty" not in page
    # The kind filter offers only the kinds of listed events.
    assert 'value="conference"' in page
    assert 'value="meeting"' not in page and 'value="parliament"' not in page
    chosen = client.get("/events/", {"kind": "meeting"}).content.decode()
    assert "Meeting Pending" not in chosen
    assert set(Event.objects.with_statements()) == {records["held"]}


def test_the_home_page_counts_and_shows_only_listed_speakers_and_events(records, client):
    page = client.get("/").content.decode()
    assert "Conference Held" in page
    assert "Meeting Pending" not in page and "Debate Empty" not in page
    assert client.get("/").context["counts"]["speakers"] == 2
    assert client.get("/").context["counts"]["events"] == 1


def test_an_unlisted_speaker_or_event_still_has_its_page(records, client):
    assert client.get(records["new"].get_absolute_url()).status_code == 200
    assert client.get(records["empty"].get_absolute_url()).status_code == 200


def test_publishing_a_statement_lists_its_speaker_and_event(
    records, client, django_capture_on_commit_callbacks
):
    assert "Carol Drafted" not in client.get("/speakers/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        speech = Speech.objects.get(speaker=records["drafted"])
        speech.status = Status.PUBLISHED
        speech.save()
    assert "Carol Drafted" in client.get("/speakers/").content.decode()
    assert "Meeting Pending" in client.get("/events/").content.decode()


def test_compare_offers_without_a_theme_only_speakers_with_a_published_statement(records, client):
    page = client.get("/compare/").content.decode()
    assert "Alice Spoke" in page and "Bob Reported" in page
    assert "Carol Drafted" not in page and "Dan New" not in page
