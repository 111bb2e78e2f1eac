"""The home page: what the archive holds, and ways in."""

from django.db.models import Exists, F, OuterRef
from django.shortcuts import render

from archive.models import Event, Office, Quote, Speaker, Speech, Theme
from archive.views.counts import published_quote_total, published_quotes_per_theme
from archive.views.summaries import cached_summary

HOME_ITEMS = 6
HOME_THEMES = 12


def home(request):
    """Counts, the latest statements, and the themes, ministers and events to browse."""
    summary = cached_summary("home", (), archive_summary)
    is_minister = Exists(Office.objects.filter(speaker=OuterRef("pk"), is_ministerial=True))
    context = {
        **summary,
        "latest_speeches": Speech.objects.published().for_list()[:HOME_ITEMS],
        "latest_quotes": Quote.objects.published()
        .for_list()
        .order_by(F("speech__date").desc(nulls_last=True), "-speech_id", "position")[:3],
        "ministers": Speaker.objects.filter(is_minister).prefetch_related("offices")[:12],
        "events": Event.objects.order_by(F("date").desc(nulls_last=True), "name")[:HOME_ITEMS],
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
            "speakers": Speaker.objects.count(),
            "themes": Theme.objects.count(),
            "events": Event.objects.count(),
        },
        "themes": themes,
    }
