"""Saving a speech, a quote or a source in the admin reports every broken rule at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from archive.models import Office, Quote, Source
from tests.admin.html_forms import form_values, post_form
from tests.factories import (
    make_event,
    make_office,
    make_quote,
    make_source,
    make_speaker,
    make_speech,
    make_theme,
)

TEXT = "Mr Lansley said: ‘I will back you.’ He added: ‘We can’t keep kicking the can.’"


def _speech_with_quotes():
    speech = make_speech(text=TEXT)
    make_quote("I will back you.", speech=speech, position=1)
    make_quote("We can’t keep kicking the can.", speech=speech, position=2)
    return speech


def test_the_speech_form_reports_date_text_and_duplicate_problems_together(curator_client):
    speech = _speech_with_quotes()
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    fields = form_values(curator_client.get(url).content.decode())
    fields.update(
        {
            "date": "2012-07-04",
            "date_precision": "year",
            "quotes-0-text": "Words the report never printed.",
            # Straight apostrophe and extra spaces: still the same words as quote 1.
            "quotes-1-text": "We can't  keep kicking the can.",
            "quotes-2-text": "We can’t keep kicking the can.",
            "quotes-2-speaker": str(speech.speaker_id),
            "quotes-2-kind": "direct",
            "quotes-2-position": "3",
            "quotes-TOTAL_FORMS": "3",
        }
    )
    response = curator_client.post(url, fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert "A date known to the year is stored as 1 January of that year." in page
    assert "These words do not appear in the speech" in page
    assert "This quotation is already in this speech." in page
    assert Quote.objects.filter(speech=speech).count() == 2


def test_quote_text_may_match_the_source_text_instead_of_the_speech_text(curator_client):
    source = make_source(original_text="Dr Alessi said: ‘They have a fiscal responsibility.’")
    speech = make_speech(text="", source=source)
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    fields = form_values(curator_client.get(url).content.decode())
    fields.update(
        {
            "quotes-0-text": "They have a “fiscal” responsibility.",
            "quotes-0-speaker": str(speech.speaker_id),
            "quotes-0-kind": "direct",
            "quotes-0-position": "1",
            "quotes-TOTAL_FORMS": "1",
        }
    )
    # Different quote marks around "fiscal" are not in the source: refused.
    assert b"do not appear" in curator_client.post(url, fields).content
    fields["quotes-0-text"] = "They have a fiscal   responsibility."
    response = curator_client.post(url, fields)
    assert response.status_code == 302
    quote = Quote.objects.get(speech=speech)
    assert quote.slug == f"{speech.speaker.slug}-they-have-a-fiscal-responsibility"


def test_the_quote_form_refuses_words_not_in_the_speech_and_repeats(curator_client):
    speech = _speech_with_quotes()
    second = speech.quotes.get(position=2)
    url = reverse("admin:archive_quote_change", args=[second.pk])
    fields = form_values(curator_client.get(url).content.decode())
    fields["text"] = "I will  back you."
    assert (
        "This quotation is already in this speech."
        in curator_client.post(url, fields).content.decode()
    )
    fields["text"] = "I will never back you."
    assert "do not appear in the speech" in curator_client.post(url, fields).content.decode()
    second.refresh_from_db()
    assert second.text == "We can’t keep kicking the can."


def test_a_source_date_must_fit_its_precision(curator_client):
    url = reverse("admin:archive_source_add")
    fields = form_values(curator_client.get(url).content.decode())
    fields.update(
        {
            "title": "Letter to CCG leaders",
            "slug": "letter-to-ccg-leaders",
            "date": "",
            "date_precision": "day",
        }
    )
    page = curator_client.post(url, fields).content.decode()
    assert "A precision of “day” needs a date: give the date, or choose “unknown”." in page
    assert not Source.objects.exists()
    fields.update({"date": "2012-02-16"})
    assert curator_client.post(url, fields).status_code == 302
    assert Source.objects.get().date_display == "16 February 2012"


def test_a_web_address_typed_without_its_scheme_is_kept_as_https(curator_client):
    url = reverse("admin:archive_source_add")
    fields = form_values(curator_client.get(url).content.decode())
    fields.update(
        {"title": "Letter", "slug": "letter", "date_precision": "unknown", "url": "gov.uk/x"}
    )
    assert curator_client.post(url, fields).status_code == 302
    assert Source.objects.get().url == "https://gov.uk/x"


def test_the_speech_form_takes_an_office_its_source_names_only_if_it_is_the_speakers(
    curator_client,
):
    speech = make_speech(date=None, date_precision="unknown")
    own = make_office(speech.speaker)
    elsewhere = make_office(make_speaker("Another Minister"))
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    response = post_form(curator_client, url, stated_office=str(elsewhere.pk))
    assert response.status_code == 200
    assert "is another speaker&#x27;s office" in response.content.decode()
    assert post_form(curator_client, url, stated_office=str(own.pk)).status_code == 302
    speech.refresh_from_db()
    assert speech.stated_office == own
    assert speech.speaker_office() == own


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        ("speaker", {"name": "andrew lansley", "slug": "andrew-lansley-again"}),
        ("event", {"name": "The Commissioning Show 2012", "slug": "the-show-again"}),
    ],
)
def test_a_second_record_of_the_same_name_is_saved_with_a_warning(curator_client, model, fields):
    first = (
        make_speaker("Andrew Lansley")
        if model == "speaker"
        else make_event("The Commissioning Show 2012")
    )
    url = reverse(f"admin:archive_{model}_add")
    response = post_form(curator_client, url, **fields)
    assert response.status_code == 302
    page = curator_client.get(response["Location"]).content.decode()
    assert f"Another {model} is already called" in page
    assert f'href="/admin/archive/{model}/{first.pk}/change/"' in page
    # A name nobody else has: no warning.
    fields = {**fields, "name": "Someone New", "slug": "someone-new"}
    page = curator_client.get(post_form(curator_client, url, **fields)["Location"])
    assert "is already called" not in page.content.decode()


@pytest.mark.parametrize("model", ["speaker", "event"])
def test_a_namesakes_slug_as_the_browser_fills_it_in_is_made_free(curator_client, model):
    # The admin's script fills the slug in from the name ("andrew-lansley"): that slug was
    # refused as taken, where the same form without JavaScript (slug empty) was saved.
    first = make_speaker("Andrew Lansley") if model == "speaker" else make_event("Andrew Lansley")
    url = reverse(f"admin:archive_{model}_add")
    response = post_form(curator_client, url, name="Andrew Lansley", slug=first.slug)
    assert response.status_code == 302
    page = curator_client.get(response["Location"]).content.decode()
    second = type(first).objects.exclude(pk=first.pk).get()
    assert (first.slug, second.slug) == ("andrew-lansley", "andrew-lansley-2")
    assert "The address “andrew-lansley” belongs to another" in page
    assert (
        "this one&#x27;s is “andrew-lansley-2”" in page
        or "this one's is “andrew-lansley-2”" in page
    )
    assert f"Another {model} is already called" in page


def test_a_speech_may_share_its_title_with_another_without_a_warning(curator_client):
    # An annual conference speech has the same title year after year.
    make_speech("Speech to the NHS Alliance conference")
    url = reverse("admin:archive_speech_add")
    fields = form_values(curator_client.get(url).content.decode())
    speaker = make_speaker("Another Year's Speaker")
    fields.update(
        {
            "title": "Speech to the NHS Alliance conference",
            "slug": "nhs-alliance-another-year",
            "speaker": str(speaker.pk),
            "kind": "speech",
            "date": "2007-11-01",
            "date_precision": "month",
            "quotes-TOTAL_FORMS": "0",
        }
    )
    response = curator_client.post(url, fields)
    assert response.status_code == 302, form_values(response.content.decode())
    page = curator_client.get(response["Location"]).content.decode()
    assert "is already called" not in page


def test_a_speakers_aliases_left_empty_are_saved_as_none_and_others_are_refused(curator_client):
    """An emptied aliases box is no aliases (it was a 500: the column is not nullable);
    anything but a list of names is explained on the form, and nothing is saved."""
    from archive.models import Speaker

    speaker = make_speaker("Jane Namesake", aliases=["Ms Namesake"])
    url = reverse("admin:archive_speaker_change", args=[speaker.pk])
    fields = form_values(curator_client.get(url).content.decode())
    fields["aliases"] = ""
    response = curator_client.post(url, fields)
    assert response.status_code == 302
    speaker.refresh_from_db()
    assert speaker.aliases == []

    for wrong in ('"Ms Namesake"', '{"name": "Ms Namesake"}', "[1, 2]", "Zoe, Bronte"):
        fields["aliases"] = wrong
        response = curator_client.post(url, fields)
        assert response.status_code == 200, wrong
        assert "A list of names, each in double quotes" in response.content.decode()
    speaker.refresh_from_db()
    assert speaker.aliases == []

    add = reverse("admin:archive_speaker_add")
    fields = form_values(curator_client.get(add).content.decode())
    fields.update({"name": "New Person", "slug": "new-person", "aliases": ""})
    assert curator_client.post(add, fields).status_code == 302
    assert Speaker.objects.get(slug="new-person").aliases == []


def test_a_new_record_saved_without_a_slug_gets_one_from_its_name(curator_client):
    """The browser fills the slug in from the name; without JavaScript the box was required
    and empty. Left empty, the slug is made on saving, free of any other record's."""
    from archive.models import Event, Speaker

    make_speaker("Jane Minister", slug="jane-minister")
    add = reverse("admin:archive_speaker_add")
    fields = form_values(curator_client.get(add).content.decode())
    fields.update({"name": "Jane Minister", "slug": "", "aliases": "[]"})
    assert curator_client.post(add, fields).status_code == 302
    assert Speaker.objects.filter(name="Jane Minister").count() == 2
    assert Speaker.objects.filter(slug="jane-minister-2").exists()

    add = reverse("admin:archive_event_add")
    fields = form_values(curator_client.get(add).content.decode())
    fields.update({"name": "NHS Confed Expo 2013", "slug": "", "kind": "conference"})
    assert curator_client.post(add, fields).status_code == 302
    assert Event.objects.get(slug="nhs-confed-expo-2013").name == "NHS Confed Expo 2013"


def _add_office(client, start: str, end: str, **more: str):
    """Post the office form for Alan Johnson's term as Secretary of State for Health."""
    fields = {
        "speaker": str(make_speaker("Alan Johnson").pk),
        "post": "Secretary of State for Health",
        "start_date": start,
        "end_date": end,
        **more,
    }
    return post_form(client, reverse("admin:archive_office_add"), **fields)


def test_an_office_that_ends_before_it_starts_is_explained_in_words(curator_client):
    response = _add_office(curator_client, "2009-06-05", "2007-06-28", is_ministerial="on")
    assert response.status_code == 200
    page = response.content.decode()
    assert "The term cannot end before it starts: check both dates." in page
    assert "office_ends_after_start" not in page
    assert not Office.objects.exists()


def test_an_offices_slug_left_empty_is_made_from_its_post(curator_client):
    # Without JavaScript the slug was required; the model makes it from the post.
    assert _add_office(curator_client, "2007-06-28", "2009-06-05", slug="").status_code == 302
    assert Office.objects.get().slug == "secretary-of-state-for-health"


def _opened(client, speech):
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    return url, form_values(client.get(url).content.decode())


def test_two_quotations_words_swapped_on_the_speech_form_are_saved(curator_client):
    speech = _speech_with_quotes()
    url, fields = _opened(curator_client, speech)
    fields["quotes-0-text"], fields["quotes-1-text"] = (
        fields["quotes-1-text"],
        fields["quotes-0-text"],
    )
    fields["summary"] = "A summary typed in the same save."
    assert curator_client.post(url, fields).status_code == 302
    assert [q.text for q in speech.quotes.order_by("position")] == [
        "We can’t keep kicking the can.",
        "I will back you.",
    ]
    speech.refresh_from_db()
    assert speech.summary == "A summary typed in the same save."


def test_a_quotation_deleted_and_typed_again_in_a_new_row_is_saved(editor_client):
    speech = _speech_with_quotes()
    url, fields = _opened(editor_client, speech)
    fields.update(
        {
            "quotes-0-DELETE": "on",
            "quotes-2-text": "I will back you.",
            "quotes-2-speaker": str(speech.speaker_id),
            "quotes-2-kind": "reported",
            "quotes-2-position": "3",
            "quotes-TOTAL_FORMS": "3",
        }
    )
    assert editor_client.post(url, fields).status_code == 302
    assert speech.quotes.get(text="I will back you.").kind == "reported"
    assert speech.quotes.count() == 2


def test_words_a_colleague_added_meanwhile_are_refused_with_a_message_not_a_500(
    curator_client,
):
    speech = make_speech(text=TEXT)
    make_quote("I will back you.", speech=speech, position=1)
    url, fields = _opened(curator_client, speech)
    theirs = make_quote("We can’t keep kicking the can.", speech=speech, position=2)
    fields.update(
        {
            "summary": "Mine.",
            "quotes-1-text": "We can’t keep kicking the can.",
            "quotes-1-speaker": str(speech.speaker_id),
            "quotes-1-kind": "direct",
            "quotes-1-position": "3",
            "quotes-TOTAL_FORMS": "2",
        }
    )
    response = curator_client.post(url, fields)
    assert response.status_code == 200
    assert f"Quotation “{theirs.slug}”, added to this speech since you opened" in (
        response.content.decode()
    )
    assert speech.quotes.count() == 2


def test_a_text_that_drops_a_quotation_shown_on_the_page_says_so_on_its_row_only(
    curator_client,
):
    speech = _speech_with_quotes()
    url, fields = _opened(curator_client, speech)
    fields["text"] = "Mr Lansley said: ‘I will back you.’"  # the second quotation's words go
    response = curator_client.post(url, fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert "We can’t keep kicking the can." in page and "errorlist" in page  # its row says why
    # Nobody else changed anything: the page must not send the curator looking for them.
    assert "elsewhere since you opened this page" not in page
    speech.refresh_from_db()
    assert speech.text == TEXT


def test_a_quotation_deleted_meanwhile_is_named_in_the_forms_message(curator_client):
    speech = _speech_with_quotes()
    url, fields = _opened(curator_client, speech)
    speech.quotes.get(position=2).delete()  # a colleague, in the quotation's own page
    fields["summary"] = "Mine."
    response = curator_client.post(url, fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert "A quote on this page was deleted by someone else since you opened it." in page
    speech.refresh_from_db()
    assert speech.summary != "Mine."


def test_a_sources_text_keeps_the_quotations_found_only_in_it(curator_client):
    # A quotation may be checked against the article (its speech's text holds only part of
    # it): editing or reverting the article's text must not take it away.
    source = make_source(original_text="Dr Alessi said: ‘They have a fiscal responsibility.’")
    speech = make_speech(text="", source=source)
    quote = make_quote("They have a fiscal responsibility.", speech=speech)
    url = reverse("admin:archive_source_change", args=[source.pk])
    response = post_form(curator_client, url, original_text="Dr Alessi spoke.")
    assert response.status_code == 200
    assert "would no longer hold these quotations" in response.content.decode()
    assert f"“{quote.slug}”" in response.content.decode()
    source.refresh_from_db()
    assert "fiscal" in source.original_text
    # Text that keeps it saves.
    kept = "Dr Alessi said: ‘They have a fiscal responsibility.’ He left."
    assert post_form(curator_client, url, original_text=kept).status_code == 302
    # A revert goes through the same form.
    first = source.history.last()
    history_url = reverse("admin:archive_source_simple_history", args=[source.pk, first.pk])
    assert post_form(curator_client, history_url).status_code == 302  # the first version held it


def test_pasted_line_and_page_breaks_in_a_long_text_are_kept_as_line_breaks(curator_client):
    # Word's Shift+Enter is a vertical tab, a page break a form feed: XML cannot carry
    # either, and a quotation holding one made every feed that listed it a 500.
    speech = make_speech(text="First paragraph.\n\nSecond paragraph.")
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    fields = form_values(curator_client.get(url).content.decode())
    fields["summary"] = "One line\x0bthe next\x0cand a page."
    response = curator_client.post(url, fields)
    assert response.status_code == 302
    speech.refresh_from_db()
    assert speech.summary == "One line\nthe next\nand a page."


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("title", "A title\x0bbroken", "(U+000B) after “A title”"),  # one line: no break
        ("summary", "A bell\x07rings", "(U+0007) after “A bell”"),
        ("text", "Escape\x1b[0m", "(U+001B) after “Escape”"),
    ],
)
def test_other_control_characters_are_refused_saying_where(curator_client, field, value, where):
    speech = make_speech(text="First paragraph.", title="Speech on beds")
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    fields = form_values(curator_client.get(url).content.decode())
    fields[field] = value
    response = curator_client.post(url, fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Remove the invisible control character {where}" in page
    speech.refresh_from_db()
    assert getattr(speech, field) != value


@pytest.mark.parametrize("mark", ["\u202e", "\u202d", "\u2067"])
def test_a_mark_turning_the_texts_direction_is_refused(curator_client, mark):
    speech = make_speech(text="First paragraph.", title="Speech on beds")
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    fields = form_values(curator_client.get(url).content.decode())
    fields["title"] = f"Speech on {mark}sdeb"
    page = curator_client.post(url, fields).content.decode()
    assert f"Remove the invisible direction mark (U+{ord(mark):04X}) after “Speech on”" in page
    speech.refresh_from_db()
    assert speech.title == "Speech on beds"


def test_the_single_marks_right_to_left_text_needs_are_kept(curator_client):
    speech = make_speech(text="First paragraph.", title="Speech on beds")
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    fields = form_values(curator_client.get(url).content.decode())
    fields["summary"] = "Quoted: \u200fשלום\u200e, in Hebrew."
    assert curator_client.post(url, fields).status_code == 302
    speech.refresh_from_db()
    assert "\u200f" in speech.summary


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r"])
def test_a_line_break_in_a_one_line_field_is_refused_saying_where(curator_client, line_break):
    # A crafted post kept it; the admin's text box then showed the lines joined, and the
    # next save from a browser would have joined them in the record.
    speech = make_speech(text="First paragraph.", title="Speech on beds")
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    fields = form_values(curator_client.get(url).content.decode())
    fields["title"] = f"Speech on beds{line_break}TY  - JOUR"
    fields["summary"] = f"Two lines{line_break}of summary."  # a long text keeps its breaks
    page = curator_client.post(url, fields).content.decode()
    assert "Remove the line break after “Speech on beds”: this field holds one line." in page
    speech.refresh_from_db()
    assert speech.title == "Speech on beds"
    fields["title"] = "Speech on beds and wards"
    assert curator_client.post(url, fields).status_code == 302
    speech.refresh_from_db()
    assert speech.summary.splitlines() == ["Two lines", "of summary."]


def test_a_theme_cannot_be_within_itself(admin_client):
    broad = make_theme("Service change")
    narrow = make_theme("Service reconfiguration", parent=broad)
    for theme, parent, path in (
        (broad, broad, "Service change within Service change"),
        (broad, narrow, "Service change within Service reconfiguration within Service change"),
    ):
        url = reverse("admin:archive_theme_change", args=[theme.pk])
        fields = form_values(admin_client.get(url).content.decode())
        fields["parent"] = str(parent.pk)
        page = admin_client.post(url, fields).content.decode()
        assert f"A theme cannot be within itself: {path}." in page
        theme.refresh_from_db()
        assert theme.parent_id is None
    # A broader theme that is not itself within the theme is kept.
    url = reverse("admin:archive_theme_change", args=[narrow.pk])
    fields = form_values(admin_client.get(url).content.decode())
    assert admin_client.post(url, fields).status_code == 302


@pytest.mark.parametrize("name", ["NHS funding", "nhs FUNDING", "NHS  fúnding"])
def test_a_theme_is_not_given_another_themes_name_in_any_capitals_or_accents(curator_client, name):
    from archive.models import Theme

    make_theme("NHS funding")
    url = reverse("admin:archive_theme_add")
    response = post_form(curator_client, url, name=name, slug="nhs-funding-again")
    assert response.status_code == 200
    page = response.content.decode()
    assert "already exists" in page or "has this name already" in page
    assert Theme.objects.count() == 1
