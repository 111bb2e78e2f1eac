"""The home page: what the archive holds, and ways in."""

from django.db.models import Exists, F, OuterRef
from django.shortcuts import render

from archive.cards import quote_cards, speech_items
from archive.filters import QuoteFilter, SpeechFilter
from archive.models import Event, Office, Quote, Speaker, Speech, Theme
from archive.prepared import PreparedRecords
from archive.views.counts import published_quote_total, published_quotes_per_theme
from archive.views.events import event_kind_counts
from archive.views.people import listed_speaker_count
from archive.views.reads import with_offices
from archive.views.summaries import cached_summary

HOME_ITEMS = 6
HOME_THEMES = 12
HOME_MINISTERS = 12


# Written by the ORM once per database (``archive.prepared``): the page is built afresh
# after every write to the archive.
_MINISTERS = PreparedRecords(
    Speaker,
    lambda: Speaker.objects.with_statements().filter(
        Exists(Office.objects.filter(speaker=OuterRef("pk"), is_ministerial=True))
    )[:HOME_MINISTERS],
    fixed=True,
)
_EVENTS = PreparedRecords(
    Event,
    lambda: Event.objects.with_statements().order_by(F("date").desc(nulls_last=True), "name")[
        :HOME_ITEMS
    ],
    fixed=True,
)
# Undated statements last, as the lists put them (PostgreSQL puts NULLs first in a
# descending order the models' default ordering asks for).
_LATEST_SPEECH_IDS = PreparedRecords(
    Speech,
    lambda: (
        Speech.objects.published()
        .order_by(*SpeechFilter.newest_first)
        .values_list("pk")[:HOME_ITEMS]
    ),
    fixed=True,
)
_LATEST_QUOTE_IDS = PreparedRecords(
    Quote,
    lambda: Quote.objects.published().order_by(*QuoteFilter.newest_first).values_list("pk")[:3],
    fixed=True,
)


def home(request):
    """Counts, the latest statements, and the themes, ministers and events to browse."""
    summary = cached_summary("home", (), archive_summary)
    ministers = _MINISTERS.records()
    with_offices(ministers)
    context = {
        **summary,
        "latest_speeches": speech_items([pk for (pk,) in _LATEST_SPEECH_IDS.rows()]),
        "latest_quotes": quote_cards([pk for (pk,) in _LATEST_QUOTE_IDS.rows()]),
        "ministers": ministers,
        "events": _EVENTS.records(),
    }
    return render(request, "archive/home.html", context)


def archive_summary() -> dict:
    """How many records the archive holds, and its most quoted themes with their counts."""
    counts = published_quotes_per_theme()
    top = sorted(counts, key=lambda theme: -counts[theme])[:HOME_THEMES]
    themes = list(Theme.objects.filter(pk__in=top))
    for theme in themes:
        theme.quote_count = counts[theme.pk]
    themes.sort(key=lambda t: (-t.quote_count, t.name))
    return {
        "counts": {
            "speeches": Speech.objects.published().count(),
            "quotes": published_quote_total(),
            # The lists' own counts, which they keep: an event's check for a published
            # speech is 50 ms for 20,000 events at a million quotations.
            "speakers": listed_speaker_count(),
            "themes": Theme.objects.count(),
            "events": sum(event_kind_counts().values()),
        },
        "themes": themes,
    }
