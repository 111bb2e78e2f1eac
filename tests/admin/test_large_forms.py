"""A speech with a hundred quotations saves; a form past the site's field limit is told so."""

import pytest
from django.urls import reverse

from archive.models import Quote
from tests.admin.html_forms import form_values
from tests.factories import make_quote, make_speech, make_theme

pytestmark = pytest.mark.django_db


def test_a_speech_with_over_a_hundred_quotations_can_be_saved(curator_client):
    # About ten fields a quotation: Django's default limit of 1,000 refused this form.
    words = [f"Sentence number {n} about beds." for n in range(110)]
    speech = make_speech(text=" ".join(words))
    theme = make_theme()
    for n, sentence in enumerate(words, start=1):
        make_quote(sentence, speech=speech, position=n, themes=[theme])
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    fields = form_values(curator_client.get(url).content.decode())
    assert len(fields) > 1000
    fields["summary"] = "A long speech."
    response = curator_client.post(url, fields)
    assert response.status_code == 302
    speech.refresh_from_db()
    assert speech.summary == "A long speech."
    assert Quote.objects.filter(speech=speech).count() == 110


def test_a_form_past_the_field_limit_is_explained(curator_client, settings):
    speech = make_speech(text="Words.")
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    fields = {f"field-{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = curator_client.post(url, fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Too many fields were sent" in page
    assert "at most 10,000 fields" in page
    assert "Nothing was saved." in page
