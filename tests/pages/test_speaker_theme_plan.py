"""A quotation list narrowed to a speaker and a theme is read from the dated tags.

A prolific speaker's quotations on a small theme used to be found by reading everything the
speaker said (55 ms on SQLite at a million quotations), then by looking up every quotation
on the theme (16-44 ms). ``DatedTag`` holds the theme's tags with their speaker: the set is
one range of its index by theme and speaker, and the list must hold the same quotations, in
the same order, as ever.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Quote
from tests.factories import make_quote, make_speaker, make_speech, make_theme
from tests.pages.test_walks import listed

pytestmark = pytest.mark.django_db

TAGS = '"archive_datedtag"'


@pytest.fixture
def archive(settings):
    settings.ARCHIVE_SUMMARY_CACHE_SECONDS = 0
    prolific, rare = make_speaker("Pat Prolific"), make_speaker("Rae Rare")
    small, large = make_theme("Alcohol", slug="alcohol"), make_theme("Funding", slug="funding")
    for n in range(8):
        speech = make_speech(speaker=prolific, date=dt.date(2000 + n, 3, 1))
        themes = [large, small] if n in (2, 5) else [large]
        make_quote(f"Prolific {n}.", speech=speech, slug=f"prolific-{n}", themes=themes)
    speech = make_speech(speaker=rare, date=dt.date(2010, 1, 1))
    make_quote("Rare on alcohol.", speech=speech, slug="rare-alcohol", themes=[small, large])
    return {"prolific": prolific, "rare": rare}


def page(client, url: str) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as queries:
        slugs = listed(client.get(url))
    return slugs, " ".join(q["sql"] for q in queries.captured_queries)


def test_a_prolific_speaker_on_a_small_theme_is_read_from_the_dated_tags(client, archive):
    slugs, sql = page(client, "/quotes/?speaker=pat-prolific&theme=alcohol")
    assert slugs == ["prolific-5", "prolific-2"]
    assert TAGS in sql


def test_a_rare_speaker_on_a_large_theme_too(client, archive):
    slugs, sql = page(client, "/quotes/?speaker=rae-rare&theme=funding")
    assert slugs == ["rare-alcohol"]
    assert TAGS in sql


def test_the_list_follows_a_quotation_given_to_another_speaker(client, archive):
    Quote.objects.filter(slug="prolific-5").update(speaker=archive["rare"])
    assert page(client, "/quotes/?speaker=pat-prolific&theme=alcohol")[0] == ["prolific-2"]
    assert page(client, "/quotes/?speaker=rae-rare&theme=alcohol")[0] == [
        "rare-alcohol",
        "prolific-5",
    ]


def test_the_theme_menu_of_a_prolific_speaker_counts_what_they_said(client, archive):
    # The theme menu leaves the theme out: the speaker's own index is the way in, and the
    # counts are the speaker's on every theme.
    html = client.get("/quotes/?speaker=pat-prolific&theme=alcohol").content.decode()
    assert 'value="funding"' in html
    assert "Funding (8)" in html
    assert "Alcohol (2)" in html


def test_the_export_of_a_speaker_on_a_theme_holds_their_quotations_on_it(client, archive):
    response = client.get("/quotes/export.csv?speaker=pat-prolific&theme=alcohol")
    body = b"".join(response.streaming_content).decode()
    assert "/quotes/prolific-5/" in body and "/quotes/prolific-2/" in body
    assert "/quotes/prolific-3/" not in body and "/quotes/rare-alcohol/" not in body
