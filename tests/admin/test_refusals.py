"""A curator refused an admin page gets the site's own page saying so, not a bare 403."""

from __future__ import annotations

import pytest
from django.urls import reverse

from archive.models import Speech, Status
from tests.factories import make_quote, make_speech


@pytest.mark.parametrize("where", ["users", "delete"])
def test_a_refused_curator_is_told_in_the_sites_design(curator_client, where):
    if where == "users":
        url = reverse("admin:auth_user_changelist")
    else:
        speech = make_speech(text="Mr Lansley said: ‘I will back you.’")
        quote = make_quote("I will back you.", speech=speech, position=1)
        url = reverse("admin:archive_quote_delete", args=[quote.pk])
    response = curator_client.get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Not allowed</h1>" in page
    assert "ask the site's administrator" in page  # who grants permissions
    assert f'href="{reverse("admin:index")}"' in page
    assert "<!DOCTYPE html>" in page or "<!doctype html>" in page.lower()


@pytest.mark.parametrize(
    "query",
    [
        "speaker=9999999999999999999999999",
        "speaker=-1",
        "speaker=١٢",
        "event=abc&source=1e9",
    ],
)
def test_an_add_page_given_an_id_no_column_holds_opens_without_it(curator_client, query):
    response = curator_client.get(f"/admin/archive/speech/add/?{query}")
    assert response.status_code == 200
    assert "9999999999999999999999999" not in response.content.decode()


def test_an_add_page_given_a_real_id_starts_with_that_record(curator_client):
    from tests.factories import make_speaker

    speaker = make_speaker("Ann Example")
    response = curator_client.get(f"/admin/archive/speech/add/?speaker={speaker.pk}")
    assert response.status_code == 200
    assert "Ann Example" in response.content.decode()


UNUSABLE_IDS = ["abc", "99999999999999999999999", "1.5", "١٢"]


def _posted_with(client, url: str, **changes):
    from tests.admin.html_forms import form_values

    fields = form_values(client.get(url).content.decode())
    fields.update(changes)
    return client.post(url, fields)


@pytest.mark.parametrize("bad", UNUSABLE_IDS)
def test_a_search_as_you_type_menu_posted_an_unusable_id_says_so(client, superuser, bad):
    # The page came back with its errors and showed the choice again by looking it up: a 500.
    client.force_login(superuser)
    speech = make_speech(text="Mr Lansley said: ‘I will back you.’")
    quote = make_quote("I will back you.", speech=speech, position=1)
    pages = [
        (f"/admin/archive/speech/{speech.pk}/change/", {"speaker": bad, "event": bad}),
        (f"/admin/archive/speech/{speech.pk}/change/", {"quotes-0-speaker": bad}),
        (f"/admin/archive/quote/{quote.pk}/change/", {"speech": bad, "themes": [bad]}),
        ("/admin/archive/theme/add/", {"name": "A theme", "parent": bad}),
        ("/admin/archive/pledge/add/", {"promise": "To do it.", "quote": bad}),
        (
            "/admin/archive/speech/import/",
            {"text": "He said: ‘We will.’", "speaker": bad, "event": bad, "_preview": "Preview"},
        ),
    ]
    for url, changes in pages:
        response = _posted_with(client, url, **changes)
        assert response.status_code == 200, url
        assert "Select a valid choice" in response.content.decode(), url


@pytest.mark.parametrize("bad", UNUSABLE_IDS)
@pytest.mark.parametrize("action", ["publish_selected", "delete_selected"])
def test_an_action_on_ids_no_column_holds_changes_nothing_and_says_so(editor_client, bad, action):
    draft = make_speech(text="Words.", status=Status.DRAFT)
    response = editor_client.post(
        "/admin/archive/speech/",
        {"action": action, "_selected_action": [bad, str(draft.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert "No items have been changed" in response.content.decode()
    assert Speech.objects.get(pk=draft.pk).status == Status.DRAFT
