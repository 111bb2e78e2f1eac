"""A quotation's slug is its public URL: fixed once the quotation is saved."""

from __future__ import annotations

from django.urls import reverse

from archive.models import Quote, Status
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


def test_new_quotations_in_a_speech_get_the_seeds_kind_of_slug_and_the_next_positions(
    curator_client,
):
    text = "Mr Lansley said: ‘I will back you. Naive optimism is not a plan for the NHS.’"
    speech = make_speech("A speech with a long title about many things", text=text)
    make_quote("I will back you.", speech=speech, position=3)
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    fields = form_values(curator_client.get(url).content.decode())
    for n, words in ((1, "Naive optimism is not a plan for the NHS."), (2, "I will back")):
        fields.update(
            {
                f"quotes-{n}-text": words,
                f"quotes-{n}-speaker": str(speech.speaker_id),
                f"quotes-{n}-kind": "direct",
                f"quotes-{n}-position": "0",  # the form's default, left as it is
            }
        )
    fields["quotes-TOTAL_FORMS"] = "3"
    assert curator_client.post(url, fields).status_code == 302
    added = {q.text: q for q in Quote.objects.filter(speech=speech)}
    speaker = speech.speaker.slug
    # The speaker's slug and the first six words, as the seed's; not the speech's title.
    assert added["Naive optimism is not a plan for the NHS."].slug == (
        f"{speaker}-naive-optimism-is-not-a-plan"
    )
    assert added["I will back"].slug == f"{speaker}-i-will-back"
    # After the speech's last quotation, in the order of the form.
    assert added["Naive optimism is not a plan for the NHS."].position == 4
    assert added["I will back"].position == 5


def test_a_drafts_quotations_have_no_view_on_site_link_a_published_speechs_do(curator_client):
    # The link led to the public site's "not found" for a draft.
    draft = make_speech("A draft", status=Status.DRAFT)
    make_quote("Not yet public.", speech=draft)
    published = make_speech("Public")
    make_quote("Public words.", speech=published)
    page = curator_client.get(reverse("admin:archive_speech_change", args=[draft.pk]))
    assert "View on site" not in page.content.decode()
    page = curator_client.get(reverse("admin:archive_speech_change", args=[published.pk]))
    assert page.content.decode().count("View on site") == 2  # the speech's, its quotation's


def test_a_source_has_a_view_on_site_link_once_a_published_statement_cites_it(curator_client):
    # Its page is a 404 until then: the link led to "not found".
    from tests.factories import make_source

    source = make_source("Not yet cited")
    speech = make_speech("A draft", status=Status.DRAFT, source=source)
    url = reverse("admin:archive_source_change", args=[source.pk])
    assert "View on site" not in curator_client.get(url).content.decode()
    speech.status = Status.PUBLISHED
    speech.save()
    assert "View on site" in curator_client.get(url).content.decode()


def test_a_name_in_another_script_gets_a_readable_address_without_javascript(curator_client):
    from archive.models import Speaker, Theme
    from tests.admin.html_forms import post_form

    # Django's slugify drops every letter it cannot decompose: "item", "item-2" …
    for model, name, slug in (
        (Theme, "Ærø test theme", "aero-test-theme"),
        (Theme, "日本", "riben"),
        (Speaker, "Καλημέρα Ωμέγα", "kalimera-omega"),
        # Only letters are spelled out: a symbol is dropped, as the admin's script drops it.
        (Theme, "£20bn for the NHS", "20bn-for-the-nhs"),
    ):
        url = reverse(f"admin:archive_{model._meta.model_name}_add")
        assert post_form(curator_client, url, name=name, slug="").status_code == 302
        assert model.objects.get(name=name).slug == slug
