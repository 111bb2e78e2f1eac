"""Record addresses are remembered, but never a stale one: a new slug, a site prefix."""

import pytest
from django.urls import reverse, set_script_prefix

from archive.models import Quote
from tests.factories import make_quote, make_theme

pytestmark = pytest.mark.django_db


def test_every_record_links_where_the_url_configuration_says():
    quote = make_quote(text="We will publish the waiting times of every hospital.")
    speech, speaker = quote.speech, quote.speaker
    assert quote.get_absolute_url() == reverse("archive:quote-detail", args=[quote.slug])
    assert speech.get_absolute_url() == reverse("archive:speech-detail", args=[speech.slug])
    assert speaker.get_absolute_url() == reverse("archive:speaker-detail", args=[speaker.slug])


def test_a_renamed_slug_is_linked_at_its_new_address(client):
    theme = make_theme("Waiting times")
    quote = make_quote(text="Waiting times will fall.", themes=[theme])
    old = theme.get_absolute_url()
    theme.slug = "waiting-lists"
    theme.save()
    page = client.get(Quote.objects.get(pk=quote.pk).get_absolute_url()).content.decode()
    assert 'href="/themes/waiting-lists/"' in page
    assert f'href="{old}"' not in page


def test_a_site_mounted_under_a_prefix_links_under_it():
    theme = make_theme("Public health")
    assert theme.get_absolute_url() == "/themes/public-health/"
    set_script_prefix("/archive/")
    try:
        assert theme.get_absolute_url() == "/archive/themes/public-health/"
    finally:
        set_script_prefix("/")
    assert theme.get_absolute_url() == "/themes/public-health/"


def test_the_layouts_page_links_follow_the_prefix_too(client):
    page = client.get("/quotes/").content.decode()
    assert f'href="{reverse("archive:speech-list")}"' in page
    assert 'action="/search/"' in page
    set_script_prefix("/archive/")
    try:
        assert client.get("/quotes/", SCRIPT_NAME="/archive").status_code == 200
        page = client.get("/quotes/", SCRIPT_NAME="/archive").content.decode()
        assert 'href="/archive/speeches/"' in page and 'action="/archive/search/"' in page
        assert 'href="/speeches/"' not in page
    finally:
        set_script_prefix("/")
    assert 'href="/speeches/"' in client.get("/quotes/").content.decode()


def test_a_lists_cards_link_under_the_prefix_of_their_own_request(client):
    theme = make_theme("Public health")
    quote = make_quote(text="Prevention is better than cure.", themes=[theme])
    set_script_prefix("/archive/")  # as the server sets it from the request's SCRIPT_NAME
    try:
        page = client.get("/quotes/", SCRIPT_NAME="/archive").content.decode()
    finally:
        set_script_prefix("/")
    # The cards' addresses are worked out once per list (record_urls), for its request.
    for record in (quote, quote.speaker, quote.speech, theme):
        assert f'href="/archive{record.get_absolute_url()}"' in page
    page = client.get("/quotes/").content.decode()
    assert f'href="{quote.get_absolute_url()}"' in page and 'href="/archive/' not in page
