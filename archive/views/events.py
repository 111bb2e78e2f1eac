"""Events: where things were said, and who said what there."""

from django.db.models import Count, F
from django.shortcuts import get_object_or_404, render

from archive.cards import quote_cards, speech_items
from archive.filters import EventFilter, FacetOption
from archive.models import Event, Quote, Speech
from archive.views.counts import attach_counts, published_speeches
from archive.views.listing import ANY_LABELS, FormField, paginate
from archive.views.summaries import cached_summary, small_count_min_ms

EVENT_QUOTES = 200


def event_list(request):
    """Events, newest first, filterable by kind (conference, meeting, Parliament …)."""
    events = Event.objects.with_statements().order_by(F("date").desc(nulls_last=True), "name")
    filterset = EventFilter(data=request.GET, queryset=events)
    # The list's length is the kind counts' (one probe per event for a published speech,
    # counted once per state of the archive), where the kind is understood.
    counts = event_kind_counts()
    count = None
    if filterset.is_valid():
        kind = filterset.form.cleaned_data.get("kind")
        count = counts.get(kind, 0) if kind else sum(counts.values())
    page, message = paginate(request, filterset.qs, count=count)
    attach_counts(page.object_list, speech_count=(published_speeches(), "event"))
    field = FormField(
        "kind",
        "Kind of event",
        "select",
        any_label=ANY_LABELS["event_kind"],
        errors=list(filterset.errors.get("kind", [])),
    )
    chosen = filterset.form.cleaned_data.get("kind", "") if filterset.is_bound else ""
    # Only the kinds some event is of (and the chosen one), each with its count: a kind
    # with no event would only ever list nothing.
    field.options = [
        FacetOption(value, label, counts.get(value, 0), value == chosen)
        for value, label in filterset.filters["kind"].extra["choices"]
        if counts.get(value) or value == chosen
    ]
    context = {
        "page_obj": page,
        "page_message": message,
        "kind_field": field,
        "kind": chosen,
        "has_errors": bool(filterset.errors),  # the title starts "Error:"
    }
    return render(request, "archive/event_list.html", context)


def event_kind_counts() -> dict[str, int]:
    """How many listed events there are of each kind, counted once for each state of the
    archive."""

    def count() -> dict[str, int]:
        listed = Event.objects.with_statements().order_by()
        rows = listed.values_list("kind").annotate(n=Count("pk"))
        return dict(rows)

    return cached_summary("event-kinds", (), count, keep=False, min_ms=small_count_min_ms())


def event_detail(request, slug):
    """An event: its speeches, and each speaker's quotations there.

    Its statements are read as the lists read theirs (``archive.cards``): as values, not
    models. A debate's two hundred quotations, read as models with the lists' joins and
    prefetches, took 22 ms at a million quotations.
    """
    event = get_object_or_404(Event, slug=slug)
    speech_ids = Speech.objects.published().filter(event=event).values_list("pk", flat=True)
    quotes = (
        Quote.objects.published()
        .filter(speech__event=event)
        .order_by("speaker__name", "speaker_id", "speech__date", "speech_id", "position")
        .values_list("pk", "speaker__slug")
    )
    read = list(quotes[: EVENT_QUOTES + 1])
    anchors = dict(read[:EVENT_QUOTES])  # quotation id -> its speaker's slug
    speeches = speech_items(list(speech_ids))
    cards = quote_cards(list(anchors))
    # Each speaker's quotations together, in the order read (by speaker), under an anchor
    # named by the speaker's slug.
    said_by = []
    for card in cards:
        anchor = anchors[card.pk]
        if not said_by or said_by[-1][0] != anchor:
            said_by.append((anchor, card.speaker, []))
        said_by[-1][2].append(card)
    speakers = {item.speaker.url: item.speaker for item in speeches}
    speakers.update({card.speaker.url: card.speaker for card in cards})
    context = {
        "event": event,
        "speeches": speeches,
        "said_by": said_by,
        "more_quotes": len(read) > EVENT_QUOTES,
        "speakers": sorted(speakers.values(), key=lambda speaker: speaker.name),
    }
    return render(request, "archive/event_detail.html", context)
