"""What the admin says a deletion takes with it: records a curator knows, not join rows."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import make_quote, make_speech, make_theme


def test_deleting_a_quotation_lists_it_not_its_rows_in_the_themes_table(editor_client):
    speech = make_speech(text="Mr Lansley said: ‘I will back you.’")
    quote = make_quote(
        "I will back you.",
        speech=speech,
        themes=[make_theme("Accountability"), make_theme("Access")],
    )
    page = editor_client.get(reverse("admin:archive_quote_delete", args=[quote.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Quote_themes object" not in html
    assert "relationship" not in html.lower()
    assert f"/admin/archive/quote/{quote.pk}/change/" in html  # the quotation itself

    page = editor_client.get(reverse("admin:archive_speech_delete", args=[speech.pk]))
    html = page.content.decode()
    assert "Quote_themes object" not in html
    assert f"/admin/archive/quote/{quote.pk}/change/" in html  # taken with its speech
