"""The API lists' reads of a page's records by id, each written by the ORM once per
database (``archive.prepared``), as the list pages read their cards.

A page of twenty quotations read through the queryset (its joins, then one prefetch query
per relation) cost the ORM 7 ms of writing SQL and making instances on the
million-quotation archive, most of the list's time outside serializing.
"""

from __future__ import annotations

from collections import defaultdict

from archive.models import Quote
from archive.prepared import PreparedRecords, prefetched
from archive.views.reads import with_offices

# Columns the quote serializer never reads: the joined speech's and source's long texts.
QUOTE_UNSHOWN = (
    "speech__text",
    "speech__summary",
    "speech__source__original_text",
    "speech__speaker__bio",
    "speaker__bio",
)
# Everything a quotation's record shows but its themes and its speaker's offices.
QUOTE_RELATED = ("speaker", "speech__speaker", "speech__event", "speech__source")

_QUOTES = PreparedRecords(
    Quote,
    lambda among: (
        Quote.objects.filter(among).select_related(*QUOTE_RELATED).defer(*QUOTE_UNSHOWN).order_by()
    ),
    among="pk",
)
_THROUGH = Quote.themes.through
# The quotations' themes, each quotation's in the themes' own order (by name).
_QUOTE_THEMES = PreparedRecords(
    _THROUGH,
    lambda among: (
        _THROUGH.objects.filter(among).select_related("theme").order_by("theme__name", "theme_id")
    ),
    among="quote_id",
)


def quotes_by_id(ids: list[int]) -> list[Quote]:
    """The quotations with these ids, in this order, with everything their records show:
    as ``QuoteViewSet``'s queryset reads them, in three queries written once."""
    found = {quote.pk: quote for quote in _QUOTES.records(ids)}
    quotes = [found[pk] for pk in ids if pk in found]
    themes = defaultdict(list)
    for row in _QUOTE_THEMES.records(list(found)):
        themes[row.quote_id].append(row.theme)
    speakers = {quote.speaker_id: quote.speaker for quote in quotes}
    with_offices(list(speakers.values()))
    for quote in quotes:
        prefetched(quote, "themes", themes[quote.pk])
        # One speaker record per person, as prefetching shares them.
        quote.speaker = speakers[quote.speaker_id]
    return quotes
