"""Events: where things were said, and who said what there."""

from django.db.models import F
from django.shortcuts import get_object_or_404, render

from archive.filters import EventFilter, FacetOption
from archive.models import Event, Quote, Speech
from archive.views.counts import attach_counts, published_speeches
from archive.views.listing import ANY_LABELS, FormField, paginate

EVENT_QUOTES = 200


def event_list(request):
    """Events, newest first, filterable by kind (conference, meeting, Parliament …)."""
    events = Event.objects.order_by(F("date").desc(nulls_last=True), "name")
    filterset = EventFilter(data=request.GET, queryset=events)
    page, message = paginate(request, filterset.qs)
    attach_counts(page.object_list, speech_count=(published_speeches(), "event"))
    field = FormField(
        "kind",
        "Kind of event",
        "select",
        any_label=ANY_LABELS["event_kind"],
        errors=list(filterset.errors.get("kind", [])),
    )
    chosen = filterset.form.cleaned_data.get("kind", "") if filterset.is_bound else ""
    field.options = [
        FacetOption(value, label, -1, value == chosen)
        for value, label in filterset.filters["kind"].extra["choices"]
    ]
    context = {"page_obj": page, "page_message": message, "kind_field": field, "kind": chosen}
    return render(request, "archive/event_list.html", context)


def event_detail(request, slug):
    """An event: its speeches, and each speaker's quotations there."""
    event = get_object_or_404(Event, slug=slug)
    speeches = Speech.objects.published().filter(event=event).for_list()
    quotes = (
        Quote.objects.published()
        .filter(speech__event=event)
        .for_list()
        .order_by("speaker__name", "speaker_id", "speech__date", "speech_id", "position")
    )
    shown = list(quotes[: EVENT_QUOTES + 1])
    speakers = {s.speaker.pk: s.speaker for s in speeches}
    speakers.update({q.speaker.pk: q.speaker for q in shown})
    context = {
        "event": event,
        "speeches": speeches,
        "quotes": shown[:EVENT_QUOTES],
        "more_quotes": len(shown) > EVENT_QUOTES,
        "speakers": sorted(speakers.values(), key=lambda s: s.name),
    }
    return render(request, "archive/event_detail.html", context)
