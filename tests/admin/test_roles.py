"""Curators add and change; Editors also publish, unpublish and delete; nobody else gets in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from archive.models import Speech, Status
from tests.factories import make_quote, make_speech


def _change_data(speech: Speech, **overrides) -> dict:
    """The speech change form as the browser would post it, with no quotes changed."""
    data = {
        "version": speech.version,
        "title": speech.title,
        "speaker": speech.speaker_id,
        "kind": speech.kind,
        "date": speech.date.isoformat() if speech.date else "",
        "date_precision": speech.date_precision,
        "summary": speech.summary,
        "text": speech.text,
        "status": speech.status,
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
        "quotes-MIN_NUM_FORMS": "0",
        "quotes-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_the_roles_exist_with_the_permissions_of_their_job(db):
    curators, editors = (
        set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        for name in ("Curators", "Editors")
    )
    assert {"add_speech", "change_speech", "add_quote", "change_quote"} <= curators
    assert not {c for c in curators if c.startswith("delete_")}
    assert "publish_speech" not in curators
    assert {"publish_speech", "delete_speech", "delete_quote"} <= editors
    # Neither role may manage users or groups.
    assert not {c for c in curators | editors if c.endswith(("_user", "_group", "_permission"))}


def test_a_curator_sees_the_status_but_cannot_change_it(curator_client):
    speech = make_speech(status=Status.DRAFT)
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    page = curator_client.get(url)
    assert page.status_code == 200
    assert b'name="status"' not in page.content
    assert b"Draft" in page.content

    response = curator_client.post(url, _change_data(speech, status=Status.PUBLISHED))
    assert response.status_code == 302
    speech.refresh_from_db()
    assert speech.status == Status.DRAFT


def test_a_curator_can_save_changes_to_a_draft(curator_client, curator):
    speech = make_speech(status=Status.DRAFT, title="Old title")
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    response = curator_client.post(url, _change_data(speech, title="New title"))
    assert response.status_code == 302
    speech.refresh_from_db()
    assert speech.title == "New title"
    assert speech.history.first().history_user == curator


def test_a_curator_cannot_delete(curator_client):
    quote = make_quote()
    speech = quote.speech
    for url in (
        reverse("admin:archive_speech_delete", args=[speech.pk]),
        reverse("admin:archive_quote_delete", args=[quote.pk]),
    ):
        assert curator_client.get(url).status_code == 403
        assert curator_client.post(url, {"post": "yes"}).status_code == 403
    changelist = curator_client.get(reverse("admin:archive_speech_changelist"))
    assert b"delete_selected" not in changelist.content
    assert b"publish_selected" not in changelist.content
    # The bulk action is refused even when posted by hand.
    curator_client.post(
        reverse("admin:archive_speech_changelist"),
        {"action": "delete_selected", "_selected_action": [speech.pk], "post": "yes"},
    )
    assert Speech.objects.filter(pk=speech.pk).exists()


def test_a_curator_cannot_publish_with_the_list_action(curator_client):
    speech = make_speech(status=Status.DRAFT)
    curator_client.post(
        reverse("admin:archive_speech_changelist"),
        {"action": "publish_selected", "_selected_action": [speech.pk]},
    )
    speech.refresh_from_db()
    assert speech.status == Status.DRAFT


def test_an_editor_publishes_with_the_list_action_and_the_public_sees_it(editor_client, client):
    speech = make_speech(status=Status.DRAFT, text="He said: ‘Hello.’")
    make_quote("Hello.", speech=speech)
    assert client.get(speech.get_absolute_url()).status_code == 404
    response = editor_client.post(
        reverse("admin:archive_speech_changelist"),
        {"action": "publish_selected", "_selected_action": [speech.pk]},
        follow=True,
    )
    assert "Published 1 speech" in response.content.decode()
    speech.refresh_from_db()
    assert speech.status == Status.PUBLISHED
    editor_client.logout()
    assert client.get(speech.get_absolute_url()).status_code == 200


def test_an_editor_changes_the_status_in_the_form(editor_client):
    speech = make_speech(status=Status.DRAFT)
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    assert b'name="status"' in editor_client.get(url).content
    editor_client.post(url, _change_data(speech, status=Status.PUBLISHED))
    speech.refresh_from_db()
    assert speech.status == Status.PUBLISHED
    assert speech.history.first().history_change_reason == "Published"


def test_an_editor_deletes_a_speech(editor_client):
    speech = make_speech()
    url = reverse("admin:archive_speech_delete", args=[speech.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not Speech.objects.filter(pk=speech.pk).exists()


@pytest.mark.parametrize("model", ["user", "group"])
def test_curators_and_editors_cannot_reach_user_management(client, curator, editor, model):
    for user in (curator, editor):
        client.force_login(user)
        assert client.get(reverse(f"admin:auth_{model}_changelist")).status_code == 403
        assert client.get(reverse(f"admin:auth_{model}_add")).status_code == 403
        index = client.get(reverse("admin:index")).content.decode()
        assert f"/admin/auth/{model}/" not in index


def test_reverting_to_a_published_version_does_not_let_a_curator_publish(curator_client, editor):
    speech = make_speech(status=Status.PUBLISHED, title="First")
    speech.status, speech.title = Status.DRAFT, "Second"
    speech.save()
    published_version = speech.history.order_by("history_date").first()
    url = reverse("admin:archive_speech_simple_history", args=[speech.pk, published_version.pk])
    response = curator_client.post(url, _change_data(speech, title="First"), follow=True)
    assert "only an editor can change it" in response.content.decode()
    speech.refresh_from_db()
    assert (speech.title, speech.status) == ("First", Status.DRAFT)


def test_a_curators_revert_form_says_the_status_stays_as_it_is(client, curator, editor):
    speech = make_speech(status=Status.DRAFT, title="First")
    speech.status, speech.title = Status.PUBLISHED, "Second"
    speech.save()
    draft_version = speech.history.order_by("history_date").first()
    url = reverse("admin:archive_speech_simple_history", args=[speech.pk, draft_version.pk])
    said = "Reverting keeps this speech published, as it is now"
    client.force_login(curator)
    assert said in client.get(url).content.decode()
    assert client.get(f"/admin/archive/speech/{speech.pk}/history/x1/").status_code == 404
    # An editor's revert does change it: nothing to say.
    client.force_login(editor)
    assert said not in client.get(url).content.decode()
