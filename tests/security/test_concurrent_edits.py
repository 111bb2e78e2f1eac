"""Two curators editing the same speech or quote cannot silently overwrite each other.

The admin tests open the same form in two sessions and save both; the model tests race two
real database connections (one thread each) at the conditional UPDATE.
"""

from __future__ import annotations

import threading
import time
from html import unescape

import pytest
from django.db import connection, connections, transaction
from django.db.models import F
from django.db.models.signals import pre_save
from django.urls import reverse

from archive.concurrency import EditConflict
from archive.models import Quote, Speech
from tests.admin.html_forms import form_values
from tests.admin.html_forms import open_form as _open
from tests.admin.html_forms import save_form as _save
from tests.factories import make_quote, make_speech
from tests.security.conftest import signed_in

SPEECH_TEXT = "He said: ‘We will help.’ And: ‘We will back you.’ And: ‘We will not.’"
CONFLICT = "was changed by someone else while you were editing it"


def _page_text(response) -> str:
    return unescape(response.content.decode())


# --- the admin: a stale form is refused, with the curator's text kept ---------------------


def test_the_second_save_of_a_quote_is_refused_and_keeps_the_curators_text(curator, second_curator):
    quote = make_quote("We will help.", speech=make_speech(text=SPEECH_TEXT))
    url = reverse("admin:archive_quote_change", args=[quote.pk])
    carol, dan = signed_in(curator), signed_in(second_curator)
    carols_form, dans_form = _open(carol, url), _open(dan, url)

    assert _save(carol, url, carols_form, text="We will back you.").status_code == 302
    refused = _save(dan, url, dans_form, text="We will not.")

    assert refused.status_code == 200
    html = _page_text(refused)
    assert CONFLICT in html
    assert "carol-curator" in html  # who saved it in between
    # Dan's words are still in the form, ready to be saved again or copied.
    assert form_values(refused.content.decode())["text"] == "We will not."
    quote.refresh_from_db()
    assert quote.text == "We will back you."
    assert quote.version == 2


def test_saving_again_after_the_warning_is_a_deliberate_overwrite(curator, second_curator):
    quote = make_quote("We will help.", speech=make_speech(text=SPEECH_TEXT))
    url = reverse("admin:archive_quote_change", args=[quote.pk])
    carol, dan = signed_in(curator), signed_in(second_curator)
    carols_form, dans_form = _open(carol, url), _open(dan, url)
    _save(carol, url, carols_form, text="We will back you.")
    refused = _save(dan, url, dans_form, text="We will not.")

    again = _save(dan, url, form_values(refused.content.decode()))
    assert again.status_code == 302
    quote.refresh_from_db()
    assert (quote.text, quote.version) == ("We will not.", 3)
    # Both edits are in the history, so nothing is lost even then.
    texts = list(quote.history.order_by("history_date").values_list("text", flat=True))
    assert texts[-2:] == ["We will back you.", "We will not."]


def test_after_a_conflict_the_form_shows_their_change_where_yours_left_the_field_alone(
    curator, second_curator
):
    speech = make_speech(title="Speech to the NHS Alliance", text=SPEECH_TEXT)
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    carol, dan = signed_in(curator), signed_in(second_curator)
    carols_form, dans_form = _open(carol, url), _open(dan, url)
    assert (
        _save(carol, url, carols_form, summary="Carol's summary.", date="2012-06-27").status_code
        == 302
    )

    refused = _save(dan, url, dans_form, title="Speech to the NHS Alliance, Manchester")
    assert refused.status_code == 200
    html = _page_text(refused)
    assert CONFLICT in html
    assert "The form now shows their version of date and summary" in html
    shown = form_values(refused.content.decode())
    # Dan's change kept; Carol's in the fields Dan had not touched, not his stale copy.
    assert shown["title"] == "Speech to the NHS Alliance, Manchester"
    assert shown["summary"] == "Carol's summary."
    assert shown["date"] == _open(carol, url)["date"]  # as the form shows Carol's date

    assert _save(dan, url, shown).status_code == 302
    speech.refresh_from_db()
    assert speech.title == "Speech to the NHS Alliance, Manchester"
    assert speech.summary == "Carol's summary."  # saving again put nobody's words back
    assert str(speech.date) == "2012-06-27"


def test_a_field_both_curators_changed_keeps_the_second_ones_words_and_says_so(
    curator, second_curator
):
    speech = make_speech(title="Speech to the NHS Alliance", text=SPEECH_TEXT)
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    carol, dan = signed_in(curator), signed_in(second_curator)
    carols_form, dans_form = _open(carol, url), _open(dan, url)
    _save(carol, url, carols_form, summary="Carol's summary.")

    refused = _save(dan, url, dans_form, summary="Dan's summary.")
    html = _page_text(refused)
    assert "You both changed summary: the form keeps yours." in html
    assert form_values(refused.content.decode())["summary"] == "Dan's summary."


def test_a_quotations_themes_a_colleague_added_survive_a_save_after_the_conflict(
    curator, second_curator
):
    from tests.factories import make_theme

    waiting, beds = make_theme("Waiting times"), make_theme("Beds")
    quote = make_quote("We will help.", speech=make_speech(text=SPEECH_TEXT), themes=[waiting])
    url = reverse("admin:archive_quote_change", args=[quote.pk])
    carol, dan = signed_in(curator), signed_in(second_curator)
    carols_form, dans_form = _open(carol, url), _open(dan, url)
    _save(carol, url, carols_form, themes=[str(waiting.pk), str(beds.pk)])

    refused = _save(dan, url, dans_form, attribution="the health secretary")
    assert "their version of themes" in _page_text(refused)
    assert _save(dan, url, form_values(refused.content.decode())).status_code == 302
    quote.refresh_from_db()
    assert quote.attribution == "the health secretary"
    assert set(quote.themes.all()) == {waiting, beds}


def test_the_second_save_of_a_speech_is_refused(curator, second_curator):
    speech = make_speech(title="Speech to the NHS Alliance", text=SPEECH_TEXT)
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    carol, dan = signed_in(curator), signed_in(second_curator)
    carols_form, dans_form = _open(carol, url), _open(dan, url)

    assert _save(carol, url, carols_form, summary="Carol's summary.").status_code == 302
    refused = _save(dan, url, dans_form, summary="Dan's summary.")

    assert refused.status_code == 200
    assert CONFLICT in _page_text(refused)
    assert form_values(refused.content.decode())["summary"] == "Dan's summary."
    speech.refresh_from_db()
    assert speech.summary == "Carol's summary."


def test_an_unchanged_save_from_a_stale_form_does_not_undo_anothers_edit(curator, second_curator):
    # The admin saves the whole form even when nothing in it changed: without the check,
    # pressing "Save" on an old copy would put the old words back.
    quote = make_quote("We will help.", speech=make_speech(text=SPEECH_TEXT))
    url = reverse("admin:archive_quote_change", args=[quote.pk])
    carol, dan = signed_in(curator), signed_in(second_curator)
    carols_form, dans_form = _open(carol, url), _open(dan, url)
    _save(carol, url, carols_form, text="We will back you.")

    assert _save(dan, url, dans_form).status_code == 200
    quote.refresh_from_db()
    assert quote.text == "We will back you."


def test_a_quote_changed_on_its_own_page_is_not_overwritten_from_the_speech_page(
    curator, second_curator
):
    speech = make_speech(text=SPEECH_TEXT)
    quote = make_quote("We will help.", speech=speech)
    speech_url = reverse("admin:archive_speech_change", args=[speech.pk])
    quote_url = reverse("admin:archive_quote_change", args=[quote.pk])
    carol, dan = signed_in(curator), signed_in(second_curator)
    dans_speech_form = _open(dan, speech_url)
    _save(carol, quote_url, _open(carol, quote_url), text="We will back you.")

    refused = _save(dan, speech_url, dans_speech_form, **{"quotes-0-text": "We will not."})
    assert refused.status_code == 200
    assert CONFLICT in _page_text(refused)
    quote.refresh_from_db()
    assert quote.text == "We will back you."

    # Leaving the quote's words as his page showed them, his other change is saved and
    # Carol's words stay: the row is compared with what he was shown, not with the quote as
    # it is now, so it is not taken for a change of his (which would put the old words back).
    untouched = _save(dan, speech_url, dans_speech_form, summary="A new summary.")
    assert untouched.status_code == 302
    speech.refresh_from_db()
    assert speech.summary == "A new summary."
    quote.refresh_from_db()
    assert quote.text == "We will back you."


def test_a_speech_text_that_drops_a_quotation_added_elsewhere_is_refused(curator, second_curator):
    speech = make_speech(text=SPEECH_TEXT)
    make_quote("We will help.", speech=speech)
    speech_url = reverse("admin:archive_speech_change", args=[speech.pk])
    dans_form = _open(signed_in(second_curator), speech_url)
    # Carol adds a quotation to the speech on the quotation's own page meanwhile.
    added = make_quote("We will not.", speech=speech)

    refused = _save(
        signed_in(second_curator),
        speech_url,
        dans_form,
        text="He said: ‘We will help.’ And: ‘We will back you.’",
    )
    assert refused.status_code == 200
    assert f"would no longer hold the words of “{added.slug}”" in _page_text(refused)
    speech.refresh_from_db()
    assert speech.text == SPEECH_TEXT


def test_a_speech_text_that_drops_a_quotations_new_words_is_refused(curator, second_curator):
    speech = make_speech(text=SPEECH_TEXT)
    quote = make_quote("We will help.", speech=speech)
    speech_url = reverse("admin:archive_speech_change", args=[speech.pk])
    quote_url = reverse("admin:archive_quote_change", args=[quote.pk])
    carol, dan = signed_in(curator), signed_in(second_curator)
    dans_form = _open(dan, speech_url)
    _save(carol, quote_url, _open(carol, quote_url), text="We will not.")

    # Dan's page still shows "We will help." (kept in his text); he removes "We will not.".
    refused = _save(
        dan, speech_url, dans_form, text="He said: ‘We will help.’ And: ‘We will back you.’"
    )
    assert refused.status_code == 200
    assert f"would no longer hold the words of “{quote.slug}”" in _page_text(refused)
    speech.refresh_from_db()
    assert speech.text == SPEECH_TEXT
    # A text that keeps them is saved.
    kept = _save(dan, speech_url, dans_form, text=SPEECH_TEXT + " More.")
    assert kept.status_code == 302


def test_reverting_to_an_old_version_starts_from_todays_version(curator, second_curator):
    quote = make_quote("We will help.", speech=make_speech(text=SPEECH_TEXT))
    first = quote.history.get()
    quote.text = "We will back you."
    quote.save()
    revert = reverse("admin:archive_quote_simple_history", args=[quote.pk, first.pk])
    carol, dan = signed_in(curator), signed_in(second_curator)
    carols_form, dans_form = _open(carol, revert), _open(dan, revert)

    assert _save(carol, revert, carols_form).status_code == 302
    # Dan's revert page was opened before Carol's revert landed.
    assert CONFLICT in _page_text(_save(dan, revert, dans_form, text="We will not."))
    quote.refresh_from_db()
    assert (quote.text, quote.version) == ("We will help.", 3)


def test_a_form_without_its_version_is_refused(curator):
    quote = make_quote("We will help.", speech=make_speech(text=SPEECH_TEXT))
    url = reverse("admin:archive_quote_change", args=[quote.pk])
    client = signed_in(curator)
    fields = _open(client, url)
    del fields["version"]
    response = _save(client, url, fields, text="We will not.")
    assert response.status_code == 200
    assert "does not say which version" in _page_text(response)
    quote.refresh_from_db()
    assert quote.text == "We will help."


# --- two real connections racing at the UPDATE ----------------------------------------


def _in_thread(work):
    """Run ``work`` in a thread of its own, hence on a database connection of its own."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = work()
        except Exception as error:  # handed to the test to assert on
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _save_text(pk: int, text: str, *, read_version: int):
    """A curator's save: the copy they read (at ``read_version``) with their new text."""

    def work():
        with transaction.atomic():
            quote = Quote.objects.get(pk=pk)
            quote.version = read_version
            quote.text = text
            quote.save()
        return quote.version

    return work


@pytest.mark.django_db(transaction=True)
def test_two_connections_saving_the_same_quote_one_is_refused():
    quote = make_quote("We will help.", speech=make_speech(text=SPEECH_TEXT))
    first, first_outcome = _in_thread(_save_text(quote.pk, "We will back you.", read_version=1))
    first.join()
    second, second_outcome = _in_thread(_save_text(quote.pk, "We will not.", read_version=1))
    second.join()

    assert first_outcome == {"value": 2}
    assert isinstance(second_outcome["error"], EditConflict)
    quote.refresh_from_db()
    assert (quote.text, quote.version) == ("We will back you.", 2)


def _wait_until_blocked() -> None:
    """Wait until another connection's statement is waiting for a row lock (PostgreSQL)."""
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second save never waited for the first")


def _hold_a_save_open(pk: int, text: str, saved, release, *, commit: bool):
    """Save at version 1 in a transaction that stays open (``saved``) until ``release``."""

    def work():
        with transaction.atomic():
            quote = Quote.objects.get(pk=pk)
            quote.text = text
            quote.save()
            saved.set()
            release.wait(timeout=60)
            if not commit:
                transaction.set_rollback(True)
        return quote.version

    return work


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_save_racing_an_uncommitted_one_waits_then_is_refused(vendor):
    if vendor != "postgresql":
        pytest.skip("row locks between two connections: PostgreSQL only")
    quote = make_quote("We will help.", speech=make_speech(text=SPEECH_TEXT))
    saved, release = threading.Event(), threading.Event()
    first, first_outcome = _in_thread(
        _hold_a_save_open(quote.pk, "We will back you.", saved, release, commit=True)
    )
    assert saved.wait(timeout=30), "the first save never reached its UPDATE"
    second, second_outcome = _in_thread(_save_text(quote.pk, "We will not.", read_version=1))
    _wait_until_blocked()
    release.set()
    first.join()
    second.join()

    assert first_outcome == {"value": 2}
    assert isinstance(second_outcome["error"], EditConflict)
    quote.refresh_from_db()
    assert (quote.text, quote.version) == ("We will back you.", 2)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_save_waiting_on_one_that_rolls_back_goes_through(vendor):
    if vendor != "postgresql":
        pytest.skip("row locks between two connections: PostgreSQL only")
    quote = make_quote("We will help.", speech=make_speech(text=SPEECH_TEXT))
    saved, release = threading.Event(), threading.Event()
    first, first_outcome = _in_thread(
        _hold_a_save_open(quote.pk, "We will back you.", saved, release, commit=False)
    )
    assert saved.wait(timeout=30), "the first save never reached its UPDATE"
    second, second_outcome = _in_thread(_save_text(quote.pk, "We will not.", read_version=1))
    _wait_until_blocked()
    release.set()
    first.join()
    second.join()

    assert second_outcome == {"value": 2}
    quote.refresh_from_db()
    assert (quote.text, quote.version) == ("We will not.", 2)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_save_that_loses_the_race_after_the_form_check_is_shown_as_a_conflict(
    vendor, curator
):
    """Another curator's save lands between the form's check and this save's UPDATE."""
    if vendor != "postgresql":
        pytest.skip("needs a second connection committing during the request")
    quote = make_quote("We will help.", speech=make_speech(text=SPEECH_TEXT))
    url = reverse("admin:archive_quote_change", args=[quote.pk])
    carol = signed_in(curator)
    form = _open(carol, url)
    landed = []

    def another_save_lands_first(sender, instance, **kwargs):
        if instance.pk == quote.pk and not landed:
            landed.append(True)
            thread, outcome = _in_thread(
                lambda: Quote.objects.filter(pk=quote.pk).update(
                    text="We will back you.", version=F("version") + 1
                )
            )
            thread.join()
            assert outcome == {"value": 1}

    pre_save.connect(another_save_lands_first, sender=Quote)
    try:
        response = _save(carol, url, form, text="We will not.")
    finally:
        pre_save.disconnect(another_save_lands_first, sender=Quote)

    assert landed
    assert response.status_code == 200
    assert CONFLICT in _page_text(response)
    assert form_values(response.content.decode())["text"] == "We will not."
    quote.refresh_from_db()
    assert (quote.text, quote.version) == ("We will back you.", 2)


def test_a_stale_copy_cannot_be_saved_outside_the_admin_either(db):
    speech = make_speech(title="First")
    stale = Speech.objects.get(pk=speech.pk)
    speech.title = "Second"
    speech.save()
    stale.title = "Third"
    with pytest.raises(EditConflict), transaction.atomic():
        stale.save()
    speech.refresh_from_db()
    assert (speech.title, speech.version) == ("Second", 2)
