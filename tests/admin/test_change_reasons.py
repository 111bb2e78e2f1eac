"""A curator can say why they changed a record; the history keeps it beside who and when."""

from __future__ import annotations

from django.urls import reverse

from archive.models import Speech, Status, Theme
from tests.admin.html_forms import post_form
from tests.factories import make_quote, make_speech, make_theme


def test_a_reason_typed_with_a_correction_is_kept_in_its_version(curator_client):
    speech = make_speech(text="He said: ‘We will help.’ And: ‘We will back you.’")
    quote = make_quote("We will help.", speech=speech)
    url = reverse("admin:archive_quote_change", args=[quote.pk])
    assert "Reason for this change" in curator_client.get(url).content.decode()
    reason = "Wording  corrected from the  HSJ report"
    assert (
        post_form(curator_client, url, text="We will back you.", change_reason=reason).status_code
        == 302
    )
    assert quote.history.first().history_change_reason == "Wording corrected from the HSJ report"
    page = curator_client.get(reverse("admin:archive_quote_history", args=[quote.pk]))
    assert "Wording corrected from the" in page.content.decode()


def test_without_a_reason_the_version_has_none(curator_client):
    theme = make_theme("Service reconfiguration")
    url = reverse("admin:archive_theme_change", args=[theme.pk])
    response = post_form(curator_client, url, description="Closing and merging services.")
    assert response.status_code == 302
    assert theme.history.first().history_change_reason is None
    assert Theme.objects.get(pk=theme.pk).description == "Closing and merging services."


def test_a_publication_keeps_its_own_reason_before_the_editors(editor_client):
    speech = make_speech(status=Status.DRAFT)
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    response = post_form(
        editor_client, url, status="published", change_reason="Checked against the letter"
    )
    assert response.status_code == 302
    assert Speech.objects.get(pk=speech.pk).is_published
    assert speech.history.first().history_change_reason == "Published: Checked against the letter"


def test_a_reason_is_no_longer_than_the_history_keeps(curator_client):
    theme = make_theme("Provider failure")
    url = reverse("admin:archive_theme_change", args=[theme.pk])
    page = post_form(curator_client, url, change_reason="x" * 101).content.decode()
    assert "Ensure this value has at most 100 characters" in page


def test_a_reason_with_a_control_character_or_a_direction_mark_is_refused(curator_client):
    speech = make_speech(text="He said: ‘We will help.’ And: ‘We will back you.’")
    quote = make_quote("We will help.", speech=speech)
    url = reverse("admin:archive_quote_change", args=[quote.pk])
    for reason in ("Fixed\x01 it", "Fixed \u202eti"):
        response = post_form(curator_client, url, text="We will back you.", change_reason=reason)
        assert response.status_code == 200
        assert "Remove the invisible" in response.content.decode()
        quote.refresh_from_db()
        assert quote.text == "We will help."


def test_a_reason_with_a_line_break_is_refused_not_joined(curator_client):
    # A one-line box in the browser: a line break comes only from a hand-made request.
    theme = make_theme("Provider failure")
    url = reverse("admin:archive_theme_change", args=[theme.pk])
    page = post_form(
        curator_client, url, description="New.", change_reason="Fixed\r\nfrom HSJ"
    ).content.decode()
    assert "Remove the line break after “Fixed”" in page
    theme.refresh_from_db()
    assert theme.description != "New."


def test_a_reason_typed_on_a_speechs_page_goes_with_the_quotations_it_changes(curator_client):
    speech = make_speech(text="He said: ‘We will help.’ And: ‘We will back you.’")
    changed = make_quote("We will help.", speech=speech, position=1)
    untouched = make_quote("We will back you.", speech=speech, position=2)
    before = untouched.history.count()
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    response = post_form(
        curator_client,
        url,
        **{"quotes-0-attribution": "the health secretary"},
        change_reason="Attribution  as printed",
    )
    assert response.status_code == 302
    latest = changed.history.first()
    assert (latest.attribution, latest.history_change_reason) == (
        "the health secretary",
        "Attribution as printed",
    )
    assert untouched.history.count() == before
