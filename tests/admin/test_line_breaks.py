"""A browser sends a textarea's line breaks as CRLF; the archive keeps its texts as they
were, so saving one field never rewrites the others."""

from __future__ import annotations

from django.urls import reverse

from archive.models import Quote, Speech
from tests.admin.html_forms import form_values, post_form
from tests.factories import make_quote, make_speech

PARAGRAPHS = "We will back you.\n\nWe will not bail you out.\n\nThe choice is yours."


def _speech_with_a_long_quotation():
    speech = make_speech("On autonomy", text=PARAGRAPHS, summary="A speech.")
    quote = make_quote("We will back you.\n\nWe will not bail you out.", speech=speech)
    return speech, quote


def test_the_form_posts_crlf_as_a_browser_does(curator_client):
    speech, _ = _speech_with_a_long_quotation()
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    assert "\r\n\r\n" in form_values(curator_client.get(url).content.decode())["text"]


def test_saving_a_speechs_summary_leaves_its_text_and_quotations_as_they_were(curator_client):
    speech, quote = _speech_with_a_long_quotation()
    quote_version = quote.version
    quote_history = quote.history.count()
    url = reverse("admin:archive_speech_change", args=[speech.pk])

    response = post_form(curator_client, url, summary="A speech to commissioners.")
    assert response.status_code == 302

    speech = Speech.objects.get(pk=speech.pk)
    quote = Quote.objects.get(pk=quote.pk)
    assert speech.summary == "A speech to commissioners."
    assert speech.text == PARAGRAPHS
    assert quote.text == "We will back you.\n\nWe will not bail you out."
    # No new version of a quotation nobody changed, and nothing in the speech's history
    # but the summary.
    assert (quote.version, quote.history.count()) == (quote_version, quote_history)
    latest, before = speech.history.all()[:2]
    changed = {change.field for change in latest.diff_against(before).changes}
    assert "text" not in changed
    assert "summary" in changed


def test_a_new_text_typed_in_the_admin_is_stored_with_the_archives_line_breaks(curator_client):
    speech, _ = _speech_with_a_long_quotation()
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    typed = PARAGRAPHS.replace("\n", "\r\n") + "\r\n\r\nThank you."
    assert post_form(curator_client, url, text=typed).status_code == 302
    speech.refresh_from_db()
    assert speech.text == PARAGRAPHS + "\n\nThank you."
    assert "\r" not in speech.text
