"""A hostile string saved by a curator is shown as text everywhere, never run as markup."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests.factories import (
    make_event,
    make_office,
    make_quote,
    make_speaker,
    make_speech,
    make_theme,
)

HOSTILE = "<script>alert('archive')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;archive&#x27;)&lt;/script&gt;"


def _assert_escaped(html: str, where: str) -> None:
    assert "<script>alert(" not in html, where
    assert ESCAPED in html, where


def test_a_script_in_a_quote_is_escaped_in_the_admin_and_on_public_pages(curator_client, client):
    speech = make_speech(title=f"Speech {HOSTILE}", text=f"He said: ‘{HOSTILE}’")
    quote = make_quote(HOSTILE, speech=speech, attribution=HOSTILE)
    quote.text = HOSTILE  # a second version, so the history diff shows it too
    quote.attribution = "he"
    quote.save()
    admin_pages = [
        reverse("admin:archive_quote_changelist"),
        reverse("admin:archive_quote_change", args=[quote.pk]),
        reverse("admin:archive_quote_history", args=[quote.pk]),
        reverse("admin:archive_speech_changelist"),
        reverse("admin:archive_speech_change", args=[speech.pk]),
        reverse("admin:archive_speech_history", args=[speech.pk]),
    ]
    for url in admin_pages:
        _assert_escaped(curator_client.get(url).content.decode(), url)
    curator_client.logout()
    for url in (speech.get_absolute_url(), quote.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<script>alert(" not in html, url
        assert "&lt;script&gt;" in html, url


def test_a_script_in_an_imported_article_is_escaped_in_the_preview(curator_client):
    from tests.admin.html_forms import form_values

    url = "/admin/archive/speech/import/"
    fields = form_values(curator_client.get(url).content.decode())
    fields.update(
        {"text": f"Mike Farrar said: ‘{HOSTILE} is not a policy.’", "_preview": "Preview"}
    )
    page = curator_client.post(url, fields).content.decode()
    assert 'id="preview"' in page
    _assert_escaped(page, url)


def test_a_script_in_any_field_a_list_shows_is_escaped_on_the_lists(client, db):
    # Quotation cards and speech items are written in Python (archive_tags), not by the
    # template engine's autoescaping: every field they show is tried here.
    speaker = make_speaker(f"Ann {HOSTILE}", slug="ann")
    make_office(speaker, post=f"Minister {HOSTILE}", start_date=dt.date(2010, 1, 1))
    event = make_event(f"Conference {HOSTILE}", slug="conference")
    speech = make_speech(
        f"Speech {HOSTILE}",
        speaker=speaker,
        event=event,
        summary=f"Summary {HOSTILE}",
        text=f"He said: {HOSTILE} and more.",
    )
    theme = make_theme(f"Theme {HOSTILE}", slug="theme")
    make_quote(HOSTILE, speech=speech, themes=[theme])
    pages = [
        "/",
        reverse("archive:speech-list"),
        reverse("archive:quote-list"),
        speaker.get_absolute_url(),
        event.get_absolute_url(),
        theme.get_absolute_url(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<script>alert(" not in html, url
        assert html.count(ESCAPED) >= 3, url
