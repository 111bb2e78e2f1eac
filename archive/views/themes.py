"""Themes: policy topics, and the quotations on each."""

from django.shortcuts import render

from archive.cards import quote_cards
from archive.filters import QuoteFilter
from archive.insight.timeline import KEEP_AFTER_MS, prerendered, theme_timeline
from archive.keyset import walk_from_rows
from archive.models import Quote, Theme
from archive.views.counts import attach_counts, published_quotes
from archive.views.listing import paginate, statement_listing, timeline_context
from archive.views.reads import theme_at
from archive.views.summaries import cached_summary


def theme_list(request):
    """Every theme with its description and how many quotations it has."""
    page, message = paginate(request, Theme.objects.select_related("parent"))
    attach_counts(page.object_list, quote_count=(published_quotes(), "themes"))
    return render(request, "archive/theme_list.html", {"page_obj": page, "page_message": message})


def theme_detail(request, slug):
    """A theme: its description and its quotations, filterable by speaker and date."""
    theme = theme_at(slug)
    listing = statement_listing(
        request,
        QuoteFilter,
        Quote.objects.published(),
        fixed={"theme": slug},
        shown=("q", "speaker", "office", "date_after", "date_before", "sort"),
        cards=quote_cards,
    )
    # The listing's count (cached when slow) says whether the theme is large enough to walk.
    walk = listing["total"] >= walk_from_rows()
    # The chart summarises the whole theme: cached when slow to draw, and like the
    # listing's counts not waited for while another request draws it.
    timeline = cached_summary(
        "theme-timeline",
        theme.pk,
        lambda: prerendered(theme_timeline(theme, walk=walk)),
        wait=False,
        min_ms=KEEP_AFTER_MS,
    )
    context = {**listing, "theme": theme, **timeline_context(request, timeline)}
    return render(request, "archive/theme_detail.html", context)
