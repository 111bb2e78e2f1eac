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


def test_a_theme_on_quotations_or_broader_than_another_is_not_deleted(editor_client):
    from archive.models import Quote, Theme

    theme = make_theme("Accountability")
    narrower = make_theme("Local accountability")
    narrower.parent = theme
    narrower.save()
    quote = make_quote("I will back you.", themes=[theme])
    url = reverse("admin:archive_theme_delete", args=[theme.pk])
    html = editor_client.get(url).content.decode()
    assert "cannot be deleted while these records refer to it" in html
    assert f"Quotation “{quote}”: on this theme; take the theme off it first" in html
    assert "Theme “Local accountability”: this is its broader theme" in html
    assert 'value="Yes, I’m sure"' not in html
    # Posted anyway (a stale page, a hand-made request): refused, nothing changed.
    assert editor_client.post(url, {"post": "yes"}).status_code == 200
    assert Theme.objects.filter(pk=theme.pk).exists()
    assert list(Quote.objects.get(pk=quote.pk).themes.all()) == [theme]
    # The list's "delete selected" refuses it too.
    changelist = reverse("admin:archive_theme_changelist")
    response = editor_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [theme.pk], "post": "yes"}
    )
    assert "take the theme off it first" in response.content.decode()
    assert Theme.objects.filter(pk=theme.pk).exists()
    # Taken off its quotation and its narrower theme, it goes.
    quote.themes.clear()
    Theme.objects.filter(pk=narrower.pk).update(parent=None)
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not Theme.objects.filter(pk=theme.pk).exists()


def test_an_office_a_source_names_is_not_deleted_from_its_page_or_its_speakers(editor_client):
    from archive.models import Office, Speech
    from tests.admin.html_forms import form_values
    from tests.factories import make_office

    office = make_office(post="Secretary of State for Health")
    speech = make_speech(speaker=office.speaker, text="He said: ‘Yes.’")
    Speech.objects.filter(pk=speech.pk).update(stated_office=office)
    quote = make_quote("Yes.", speech=speech)
    html = editor_client.get(reverse("admin:archive_office_delete", args=[office.pk])).content
    assert f"Speech “{speech}”: its source names this office".encode() in html
    # Ticked for deletion among the speaker's offices: refused with the same reason.
    url = reverse("admin:archive_speaker_change", args=[office.speaker.pk])
    fields = form_values(editor_client.get(url).content.decode())
    fields["offices-0-DELETE"] = "on"
    response = editor_client.post(url, fields)
    assert response.status_code == 200
    assert "An office ticked for deletion is named by a source" in response.content.decode()
    assert Office.objects.filter(pk=office.pk).exists()
    # A quotation's named office counts as its speech's does.
    Speech.objects.filter(pk=speech.pk).update(stated_office=None)
    from archive.models import Quote

    Quote.objects.filter(pk=quote.pk).update(stated_office=office)
    html = editor_client.get(reverse("admin:archive_office_delete", args=[office.pk])).content
    assert f"Quotation “{quote}”: its source names this office".encode() in html


def test_an_office_typed_on_a_speakers_page_without_a_slug_gets_one(editor_client):
    from archive.models import Office
    from tests.admin.html_forms import form_values
    from tests.factories import make_speaker

    speaker = make_speaker("Alan Johnson")
    url = reverse("admin:archive_speaker_change", args=[speaker.pk])
    fields = form_values(editor_client.get(url).content.decode())
    fields.update(
        {
            "offices-TOTAL_FORMS": "1",
            "offices-0-post": "Secretary of State for Health",
            "offices-0-organisation": "Department of Health",
            "offices-0-start_date": "2009-06-05",
            "offices-0-slug": "",  # no JavaScript to fill it in
        }
    )
    assert editor_client.post(url, fields).status_code == 302
    assert Office.objects.get(speaker=speaker).slug == "secretary-of-state-for-health"
