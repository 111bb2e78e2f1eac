"""A curator refused an admin page gets the site's own page saying so, not a bare 403."""

from __future__ import annotations

import pytest
from django.urls import reverse

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
