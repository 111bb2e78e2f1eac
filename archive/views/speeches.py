"""Speeches: the filterable list and one page per speech."""

from django.shortcuts import get_object_or_404, render

from archive.cards import speech_items
from archive.filters import SpeechFilter
from archive.models import Speech
from archive.views.listing import statement_listing
from archive.views.marking import marked_paragraphs


def speech_list(request):
    """Published speeches, letters, interviews and statements, filterable."""
    context = statement_listing(
        request, SpeechFilter, Speech.objects.published(), cards=speech_items
    )
    return render(request, "archive/speech_list.html", context)


def speech_detail(request, slug):
    """A speech: its text with the quotations marked, who, where, when, in what capacity."""
    speech = get_object_or_404(
        # The source's original document can be long, and this page only names the source.
        Speech.objects.published().for_list().defer("source__original_text"),
        slug=slug,
    )
    # The page names each quotation's speaker and lists its themes, nothing more of either.
    # In the speech's own order: the default ordering would join the speech again to sort by
    # its date, and then read every speaker to hash-join them (PostgreSQL at scale).
    quotes = list(
        speech.quotes.select_related("speaker")
        .prefetch_related("themes")
        .order_by("position", "pk")
    )
    for quote in quotes:  # reversed once: the marked text and the list below both link it
        quote.url = quote.get_absolute_url()
    paragraphs, found = marked_paragraphs(speech.text, quotes)
    themes = sorted(
        {theme for quote in quotes for theme in quote.themes.all()}, key=lambda t: t.name
    )
    context = {
        "speech": speech,
        "office": speech.speaker_office(),
        "quotes": quotes,
        "paragraphs": paragraphs,
        "unmarked_quotes": [q for q in quotes if q.slug not in found],
        "themes": themes,
    }
    return render(request, "archive/speech_detail.html", context)
