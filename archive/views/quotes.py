"""Quotes: the filterable list and one page per quotation."""

from django.shortcuts import render

from archive.cards import quote_cards
from archive.filters import QuoteFilter
from archive.insight.related import related_quotes
from archive.models import Quote
from archive.views.listing import statement_listing
from archive.views.marking import quote_in_context
from archive.views.reads import more_from_speech, published_quote


def quote_list(request):
    """Quotations from published speeches, filterable."""
    context = statement_listing(request, QuoteFilter, Quote.objects.published(), cards=quote_cards)
    return render(request, "archive/quote_list.html", context)


def quote_detail(request, slug):
    """A quotation with who said it, in what capacity, where, its context and themes."""
    quote = published_quote(slug)
    speech = quote.speech
    if speech.speaker_id == quote.speaker_id:
        # One person: the structured data's speech author then reuses the offices loaded above.
        speech.speaker = quote.speaker
    context = {
        "quote": quote,
        "speech": speech,
        "office": quote.speaker_office(),
        "context_paragraphs": quote_in_context(speech.text, quote),
        "more_quotes": more_from_speech(quote),
        "permalink": request.build_absolute_uri(quote.get_absolute_url()),
        # Insight (issue 9): the commitment made here, and similar words by other speakers.
        "pledge": getattr(quote, "pledge", None),
        "related": related_quotes(quote),
    }
    return render(request, "archive/quote_detail.html", context)
