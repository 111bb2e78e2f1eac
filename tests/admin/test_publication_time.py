"""A speech remembers when it was published, however its status changes: the "newly
published" feed depends on it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from archive.models import Speech, Status
from archive.services import publish_speech, unpublish_speech
from tests.admin.test_roles import _change_data
from tests.factories import make_speech


def _a_while_ago(speech: Speech) -> dt.datetime:
    """Move the speech's publication back a day (as if published yesterday)."""
    earlier = timezone.now() - dt.timedelta(days=1)
    Speech.objects.filter(pk=speech.pk).update(published_at=earlier)
    speech.refresh_from_db()
    return earlier


def test_publishing_stamps_the_time_and_unpublishing_clears_it(editor):
    speech = make_speech(status=Status.DRAFT)
    assert speech.published_at is None
    before = timezone.now()
    publish_speech(speech, by=editor)
    speech.refresh_from_db()
    assert before <= speech.published_at <= timezone.now()
    unpublish_speech(speech, by=editor)
    speech.refresh_from_db()
    assert speech.published_at is None


def test_publishing_again_is_a_new_publication(editor):
    speech = make_speech(status=Status.PUBLISHED)
    earlier = _a_while_ago(speech)
    unpublish_speech(speech, by=editor)
    publish_speech(speech, by=editor)
    speech.refresh_from_db()
    assert speech.published_at > earlier


def test_a_correction_keeps_the_publication_time(editor_client):
    speech = make_speech(status=Status.PUBLISHED, title="Old title")
    earlier = _a_while_ago(speech)
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    assert editor_client.post(url, _change_data(speech, title="New title")).status_code == 302
    speech.refresh_from_db()
    assert (speech.title, speech.published_at) == ("New title", earlier)


def test_publishing_in_the_form_stamps_the_time(editor_client):
    speech = make_speech(status=Status.DRAFT)
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    editor_client.post(url, _change_data(speech, status=Status.PUBLISHED))
    speech.refresh_from_db()
    assert speech.published_at is not None


def test_reverting_to_an_old_version_keeps_the_publication_time(editor_client, editor):
    speech = make_speech(status=Status.DRAFT, title="Draft title")
    publish_speech(speech, by=editor)
    earlier = _a_while_ago(speech)
    # The first version was a draft, with no publication time; the status stays published.
    draft_version = speech.history.order_by("history_date").first()
    assert draft_version.published_at is None
    url = reverse("admin:archive_speech_simple_history", args=[speech.pk, draft_version.pk])
    data = _change_data(speech, title="Draft title", status=Status.PUBLISHED)
    assert editor_client.post(url, data).status_code == 302
    speech.refresh_from_db()
    assert (speech.status, speech.published_at) == (Status.PUBLISHED, earlier)
