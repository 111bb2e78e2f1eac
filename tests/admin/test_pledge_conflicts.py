"""A pledge's outcome, recorded on its own page, is never put back by a stale copy of it:
neither its own page's nor the one inline on its quotation's page."""

from __future__ import annotations

from html import unescape

from django.test import Client
from django.urls import reverse

from archive.models import Pledge
from tests.admin.html_forms import open_form as _open
from tests.admin.html_forms import save_form as _save
from tests.factories import make_quote, make_speech

SPEECH_TEXT = "He said: ‘We will help.’"
CONFLICT = "was changed by someone else while you were editing it"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page_text(response) -> str:
    return unescape(response.content.decode())


def test_a_pledges_outcome_is_not_put_back_from_its_quotations_stale_page(curator, editor):
    # Eddie records the outcome on the pledge's own page while Carol has the quotation's
    # page open, with the pledge as it was; she then saves a change to the quotation.
    quote = make_quote("We will help.", speech=make_speech(text=SPEECH_TEXT))
    pledge = Pledge.objects.create(quote=quote, promise="To help.")
    quote_url = reverse("admin:archive_quote_change", args=[quote.pk])
    pledge_url = reverse("admin:archive_pledge_change", args=[pledge.pk])
    carol, eddie = signed_in(curator), signed_in(editor)
    carols_form = _open(carol, quote_url)
    outcome = {
        "status": "broken",
        "outcome_note": "Not done, as the report shows.",
        "outcome_source_url": "https://example.org/report",
    }
    assert _save(eddie, pledge_url, _open(eddie, pledge_url), **outcome).status_code == 302

    # She did not touch the pledge: her change is saved, and the pledge left as Eddie left it
    # (compared with what her page showed her, not with the pledge as it is now).
    saved = _save(carol, quote_url, carols_form, attribution="said at the conference")
    assert saved.status_code == 302
    quote.refresh_from_db()
    assert quote.attribution == "said at the conference"
    pledge.refresh_from_db()
    assert (pledge.status, pledge.outcome_note) == ("broken", "Not done, as the report shows.")
    # Had she changed the pledge on that stale page, that would be refused, her words kept.
    refused = _save(carol, quote_url, carols_form, **{"pledge-0-promise": "To help soon."})
    assert refused.status_code == 200
    assert CONFLICT in _page_text(refused)
    pledge.refresh_from_db()
    assert (pledge.promise, pledge.status) == ("To help.", "broken")
    # Two saves of the pledge's own page: the second, from a stale copy, is refused.
    first, second = _open(eddie, pledge_url), _open(carol, pledge_url)
    assert _save(eddie, pledge_url, first, outcome_note="Not done.").status_code == 302
    assert CONFLICT in _page_text(_save(carol, pledge_url, second, outcome_note="Done?"))
    pledge.refresh_from_db()
    assert pledge.outcome_note == "Not done."


def test_a_pledge_changed_since_is_not_deleted_from_a_stale_page(curator, editor):
    quote = make_quote("We will help.", speech=make_speech(text=SPEECH_TEXT))
    pledge = Pledge.objects.create(quote=quote, promise="To help.")
    quote_url = reverse("admin:archive_quote_change", args=[quote.pk])
    pledge_url = reverse("admin:archive_pledge_change", args=[pledge.pk])
    carol, eddie = signed_in(curator), signed_in(editor)
    eddies_form = _open(eddie, quote_url)
    _save(carol, pledge_url, _open(carol, pledge_url), promise="To help, by April.")

    refused = _save(eddie, quote_url, eddies_form, **{"pledge-0-DELETE": "on"})
    assert refused.status_code == 200
    assert "was changed by someone else since you opened this page, so it was not deleted" in (
        _page_text(refused)
    )
    assert Pledge.objects.get(pk=pledge.pk).promise == "To help, by April."


def test_a_pledge_added_elsewhere_meanwhile_is_said_in_words(curator):
    quote = make_quote("We will help.", speech=make_speech(text=SPEECH_TEXT))
    quote_url = reverse("admin:archive_quote_change", args=[quote.pk])
    carol = signed_in(curator)
    form = _open(carol, quote_url)
    Pledge.objects.create(quote=quote, promise="Added on the pledges page.")
    mine = {
        "pledge-TOTAL_FORMS": "1",
        "pledge-0-promise": "Typed on the quotation's page.",
        "pledge-0-due_date_precision": "unknown",
        "pledge-0-status": "pending",
    }
    refused = _save(carol, quote_url, form, **mine)
    assert refused.status_code == 200
    page = _page_text(refused)
    assert "Pledge with this Quote already exists." in page
    assert "Nothing was saved." in page
    assert Pledge.objects.get(quote=quote).promise == "Added on the pledges page."


def test_a_quotation_changed_since_is_not_deleted_from_a_stale_speech_page(curator, editor):
    speech = make_speech(text=SPEECH_TEXT)
    quote = make_quote("We will help.", speech=speech)
    speech_url = reverse("admin:archive_speech_change", args=[speech.pk])
    quote_url = reverse("admin:archive_quote_change", args=[quote.pk])
    carol, eddie = signed_in(curator), signed_in(editor)
    eddies_form = _open(eddie, speech_url)
    _save(carol, quote_url, _open(carol, quote_url), attribution="Mr Lansley")

    refused = _save(eddie, speech_url, eddies_form, **{"quotes-0-DELETE": "on"})
    assert refused.status_code == 200
    assert "so it was not deleted" in _page_text(refused)
    assert speech.quotes.get().attribution == "Mr Lansley"
