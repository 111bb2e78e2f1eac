"""A quotation's slug is its public URL: fixed once the quotation is saved."""

from __future__ import annotations

from django.urls import reverse

from archive.models import Quote
from tests.admin.html_forms import form_values
from tests.factories import make_quote, make_speech

TEXT = "Mr Lansley said: ‘I will back you.’"


def test_a_saved_quotation_keeps_its_slug_when_a_curator_sends_another(curator_client):
    quote = make_quote("I will back you.", speech=make_speech(text=TEXT), position=1)
    url = reverse("admin:archive_quote_change", args=[quote.pk])
    page = curator_client.get(url).content.decode()
    fields = form_values(page)
    assert "slug" not in fields  # shown, not offered for editing
    assert quote.slug in page
    fields["slug"] = "somewhere-else"
    response = curator_client.post(url, fields)
    assert response.status_code == 302
    assert Quote.objects.get(pk=quote.pk).slug == quote.slug
    assert curator_client.get(quote.get_absolute_url()).status_code == 200


def test_the_speech_form_does_not_offer_its_quotations_slugs(curator_client):
    speech = make_speech(text=TEXT)
    quote = make_quote("I will back you.", speech=speech, position=1)
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    fields = form_values(curator_client.get(url).content.decode())
    assert not any(name.endswith("-slug") for name in fields)
    fields["quotes-0-slug"] = "somewhere-else"
    assert curator_client.post(url, fields).status_code == 302
    assert Quote.objects.get(pk=quote.pk).slug == quote.slug


def test_a_new_quotation_in_a_speech_is_given_a_slug(curator_client):
    speech = make_speech(text=TEXT)
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    fields = form_values(curator_client.get(url).content.decode())
    fields.update(
        {
            "quotes-0-text": "I will back you.",
            "quotes-0-speaker": str(speech.speaker_id),
            "quotes-0-kind": "direct",
            "quotes-0-position": "1",
            "quotes-TOTAL_FORMS": "1",
        }
    )
    assert curator_client.post(url, fields).status_code == 302
    assert Quote.objects.get(speech=speech).slug.startswith(speech.slug)
