"""Speakers and the offices they held."""

from django.db.models import Count, F, Min, Q
from django.http import Http404
from django.shortcuts import render

from archive.cards import quote_cards, speech_items
from archive.filters import FACET_LIMIT, QuoteFilter
from archive.insight.holders import said_by_holders
from archive.insight.timeline import KEEP_AFTER_MS, prerendered, speaker_timeline
from archive.keyset import walk_from_rows
from archive.models import Office, Quote, Speaker, Speech
from archive.views.counts import attach_counts, published_quotes, published_speeches
from archive.views.listing import paginate, statement_listing, timeline_context
from archive.views.reads import latest_quote_ids, latest_speech_ids, speaker_at
from archive.views.summaries import cached_summary, small_count_min_ms


def speaker_list(request):
    """Everyone whose words are in the archive, with their offices and how much they said."""
    speakers = Speaker.objects.with_statements().prefetch_related("offices")
    page, message = paginate(request, speakers, count=listed_speaker_count())
    attach_counts(
        page.object_list,
        speech_count=(published_speeches(), "speaker"),
        quote_count=(published_quotes(), "speaker"),
    )
    return render(request, "archive/speaker_list.html", {"page_obj": page, "page_message": message})


def listed_speaker_count() -> int:
    """How many speakers the public lists name: one probe per speaker for a published
    statement, counted once per state of the archive."""
    listed = Speaker.objects.with_statements()
    return cached_summary("speakers-listed", (), listed.count, min_ms=small_count_min_ms())


def speaker_detail(request, slug):
    """A speaker: offices held with dates, their latest speeches and quotes."""
    speaker = speaker_at(slug)
    counts = cached_summary(
        "speaker",
        speaker.pk,
        lambda: {
            "speeches": Speech.objects.published().filter(speaker=speaker).count(),
            "quotes": Quote.objects.published().filter(speaker=speaker).count(),
        },
        # Made on every build of the page: 8 ms for a speaker of 17,000 quotations.
        min_ms=small_count_min_ms(),
        current=True,  # headings over the lists they count
    )
    walk = counts["quotes"] >= walk_from_rows()
    context = {
        "speaker": speaker,
        "offices": speaker.offices.all(),
        "speech_count": counts["speeches"],
        "quote_count": counts["quotes"],
        "speeches": speech_items(latest_speech_ids(speaker)),
        "quotes": quote_cards(latest_quote_ids(speaker, walk=walk)),
        # The chart summarises everything they said: cached when slow to draw.
        **timeline_context(
            request,
            cached_summary(
                "speaker-timeline",
                speaker.pk,
                lambda: prerendered(speaker_timeline(speaker, walk=walk)),
                wait=False,
                min_ms=KEEP_AFTER_MS,
            ),
        ),
    }
    return render(request, "archive/speaker_detail.html", context)


def office_list(request):
    """Each post once, however many people held it, with its holders and dates."""
    posts = (
        Office.objects.values("slug")
        .annotate(
            title=Min("post"),
            holders=Count("speaker", distinct=True),
            first_start=Min("start_date"),
            ministerial=Count("pk", filter=Q(is_ministerial=True)),
        )
        .order_by("title", "slug")
    )
    page, message = paginate(request, posts)
    return render(request, "archive/office_list.html", {"page_obj": page, "page_message": message})


def office_detail(request, slug):
    """A post: its holders in order with their terms, and what they said while in it."""
    holders = list(
        Office.objects.filter(slug=slug)
        .select_related("speaker")
        .order_by(F("start_date").asc(nulls_first=True), "pk")
    )
    if not holders:
        raise Http404("No such office")
    listing = statement_listing(
        request,
        QuoteFilter,
        Quote.objects.published(),
        fixed={"office": slug},
        shown=("q", "speaker", "theme", "date_after", "date_before", "sort"),
        wait_for_counts=True,  # each holder's count in post is the speaker facet's
        cards=quote_cards,
    )
    for office, count in zip(holders, counts_in_post(listing["facets"], holders), strict=True):
        office.statement_count = count
    # Insight (issue 9): with a theme chosen, what each holder said on it while in post.
    theme = listing["filterset"].active_values().get("theme")
    by_holder = said_by_holders(holders, theme) if theme else None
    context = {
        **listing,
        "office": holders[0],
        "holders": holders,
        "chosen_theme": theme,
        "by_holder": by_holder,
    }
    return render(request, "archive/office_detail.html", context)


def counts_in_post(facets: dict, holders: list[Office]) -> list[int | None]:
    """Each holder's statements in post under the page's filters, from the speaker facet,
    which already counts them; None where it cannot tell. The facet lists the
    ``FACET_LIMIT`` most frequent speakers (and a chosen one it did not count, marked -1):
    a holder it leaves out said nothing in post when it listed fewer, but is not known to
    have said nothing when the post had more holders than that."""
    options = facets.get("speaker", [])
    counts = {option.value: option.count for option in options if option.count >= 0}
    complete = len(counts) < FACET_LIMIT
    return [counts.get(office.speaker.slug, 0 if complete else None) for office in holders]
