"""Quotes: the filterable list and one page per quotation."""

from django.shortcuts import get_object_or_404, render

from archive.cards import quote_cards
from archive.filters import QuoteFilter
from archive.insight.related import related_quotes
from archive.models import Quote
from archive.views.listing import statement_listing
from archive.views.marking import quote_in_context

MORE_FROM_SPEECH = 10


def quote_list(request):
    """Quotations from published speeches, filterable."""
    context = statement_listing(request, QuoteFilter, Quote.objects.published(), cards=quote_cards)
    return render(request, "archive/quote_list.html", context)


def quote_detail(request, slug):
    """A quotation with who said it, in what capacity, where, its context and themes."""
    quote = get_object_or_404(
        Quote.objects.published()
        .select_related("speaker", "speech__speaker", "speech__event", "speech__source", "pledge")
        .prefetch_related("themes", "speaker__offices")
        # The page names the source; its original document can be long.
        .defer("speech__source__original_text"),
        slug=slug,
    )
    speech = quote.speech
    if speech.speaker_id == quote.speaker_id:
        # One person: the structured data's speech author then reuses the offices loaded above.
        speech.speaker = quote.speaker
    context = {
        "quote": quote,
        "speech": speech,
        "office": quote.speaker_office(),
        "context_paragraphs": quote_in_context(speech.text, quote),
        # In the speech's own order, not the default (which joins the speech to sort by date).
        "more_quotes": speech.quotes.exclude(pk=quote.pk)
        .select_related("speaker")
        .order_by("position", "pk")[:MORE_FROM_SPEECH],
        "permalink": request.build_absolute_uri(quote.get_absolute_url()),
        # Insight (issue 9): the commitment made here, and similar words by other speakers.
        "pledge": getattr(quote, "pledge", None),
        "related": related_quotes(quote),
    }
    return render(request, "archive/quote_detail.html", context)
