"""Speeches: the filterable list and one page per speech."""

from django.http import Http404
from django.shortcuts import render

from archive.cards import speech_items
from archive.filters import SpeechFilter
from archive.models import Office, Quote, Speech
from archive.prepared import PreparedRecords, prefetched
from archive.views.listing import statement_listing
from archive.views.marking import marked_paragraphs


def speech_list(request):
    """Published speeches, letters, interviews and statements, filterable."""
    context = statement_listing(
        request, SpeechFilter, Speech.objects.published(), cards=speech_items
    )
    return render(request, "archive/speech_list.html", context)


# The speech page's reads, each written by the ORM once (``archive.prepared``).
_SPEECH = PreparedRecords(
    Speech,
    # The source's original document can be long, and this page only names the source.
    lambda slug: (
        Speech.objects.published()
        .select_related("speaker", "event", "source")
        .defer("source__original_text")
        .filter(slug=slug)
    ),
)
_OFFICES = PreparedRecords(
    Office, lambda speaker: Office.objects.filter(speaker=speaker), by_id=True
)
# The page names each quotation's speaker, nothing more. In the speech's own order: the
# default ordering would join the speech again to sort by its date, and then read every
# speaker to hash-join them (PostgreSQL at scale).
_QUOTES = PreparedRecords(
    Quote,
    lambda speech: (
        Quote.objects.filter(speech=speech).select_related("speaker").order_by("position", "pk")
    ),
    by_id=True,
)
# The themes of the speech's quotations (one row per quotation and theme).
_QUOTE_THEMES = PreparedRecords(
    Quote.themes.through,
    lambda speech: (
        Quote.themes.through.objects.filter(quote__speech=speech).select_related("theme").order_by()
    ),
    by_id=True,
)


def speech_detail(request, slug):
    """A speech: its text with the quotations marked, who, where, when, in what capacity."""
    found = _SPEECH.records(slug)
    if not found:
        raise Http404("No published speech has this address.")
    speech = found[0]
    prefetched(speech.speaker, "offices", _OFFICES.records(speech.speaker_id))
    quotes = _QUOTES.records(speech.pk)
    for quote in quotes:
        quote.speech = speech  # as the speech's own manager would have set it
        quote.url = quote.get_absolute_url()  # the marked text and the list both link it
    themes = sorted({row.theme for row in _QUOTE_THEMES.records(speech.pk)}, key=lambda t: t.name)
    paragraphs, marked = marked_paragraphs(speech.text, quotes)
    context = {
        "speech": speech,
        "office": speech.speaker_office(),
        "quotes": quotes,
        "paragraphs": paragraphs,
        "unmarked_quotes": [q for q in quotes if q.slug not in marked],
        "themes": themes,
    }
    return render(request, "archive/speech_detail.html", context)
