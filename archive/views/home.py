"""The home page: what the archive holds, and ways in."""

from django.db.models import Exists, F, OuterRef
from django.shortcuts import render

from archive.models import Event, Office, Quote, Speaker, Speech, Theme
from archive.views.counts import published_quotes_by

HOME_ITEMS = 6


def home(request):
    """Counts, the latest statements, and the themes, ministers and events to browse."""
    is_minister = Exists(Office.objects.filter(speaker=OuterRef("pk"), is_ministerial=True))
    context = {
        "counts": {
            "speeches": Speech.objects.published().count(),
            "quotes": Quote.objects.published().count(),
            "speakers": Speaker.objects.count(),
            "themes": Theme.objects.count(),
            "events": Event.objects.count(),
        },
        "latest_speeches": Speech.objects.published().for_list()[:HOME_ITEMS],
        "latest_quotes": Quote.objects.published()
        .for_list()
        .order_by(F("speech__date").desc(nulls_last=True), "-speech_id", "position")[:3],
        "themes": Theme.objects.annotate(quote_count=published_quotes_by("themes"))
        .filter(quote_count__gt=0)
        .order_by("-quote_count", "name")[:12],
        "ministers": Speaker.objects.filter(is_minister).prefetch_related("offices")[:12],
        "events": Event.objects.order_by(F("date").desc(nulls_last=True), "name")[:HOME_ITEMS],
    }
    return render(request, "archive/home.html", context)
