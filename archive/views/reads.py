"""The detail pages' reads of their records, and the full records of the API's and the
feeds' quotations, each written by the ORM once per database (``archive.prepared``): a page
is read afresh after every write to the archive, and writing these queries cost the ORM
more than running them."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.http import Http404

from archive.cards import offices_of, theme_names
from archive.filters import QuoteFilter, SpeechFilter
from archive.keyset import NoIndex
from archive.models import Quote, Speaker, Speech, Theme
from archive.prepared import PreparedRead, PreparedRecords, prefetched

_SPEECH = PreparedRecords(
    Speech,
    # The source's original document can be long, and a page only names the source.
    lambda slug: (
        Speech.objects.published()
        .select_related("speaker", "event", "source")
        .defer("source__original_text")
        .filter(slug=slug)
    ),
)
_QUOTE = PreparedRecords(
    Quote,
    lambda slug: (
        Quote.objects.published()
        .select_related("speaker", "speech__speaker", "speech__event", "speech__source", "pledge")
        .defer("speech__source__original_text")
        .filter(slug=slug)
    ),
)
_THEME = PreparedRecords(
    Theme, lambda slug: Theme.objects.select_related("parent").filter(slug=slug)
)
_SUBTHEMES = PreparedRecords(Theme, lambda theme: Theme.objects.filter(parent=theme), by_id=True)
_SPEAKER = PreparedRecords(Speaker, lambda slug: Speaker.objects.filter(slug=slug))


# A speech's quotations in its own order, each with its speaker: the default ordering would
# join the speech again to sort by its date, and then read every speaker to hash-join them
# (PostgreSQL at scale).
def _quotes_of(speech):
    return Quote.objects.filter(speech=speech).select_related("speaker").order_by("position", "pk")


_SPEECH_QUOTES = PreparedRecords(Quote, _quotes_of, by_id=True)
# How many of its speech's other quotations a quotation's page lists.
MORE_FROM_SPEECH = 10
# One more than that: the page's own quotation may be among them.
_SPEECH_OPENING_QUOTES = PreparedRecords(
    Quote, lambda speech: _quotes_of(speech)[: MORE_FROM_SPEECH + 1], by_id=True
)
_THROUGH = Quote.themes.through
# One row per quotation and theme, with the theme: of a speech's quotations; of some
# quotations, each quotation's in the themes' own order (by name).
_SPEECH_THEMES = PreparedRecords(
    _THROUGH,
    lambda speech: _THROUGH.objects.filter(quote__speech=speech).select_related("theme").order_by(),
    by_id=True,
)
_QUOTES_THEMES = PreparedRecords(
    _THROUGH,
    lambda among: (
        _THROUGH.objects.filter(among).select_related("theme").order_by("theme__name", "theme_id")
    ),
    among="quote_id",
)

# How many of their latest speeches and quotations a speaker's page lists.
SPEAKER_ITEMS = 10
_SPEAKER_SPEECH_IDS = PreparedRecords(
    Speech,
    lambda speaker: (
        Speech.objects.published()
        .filter(speaker=speaker)
        .order_by(*SpeechFilter.newest_first)
        .values_list("pk")[:SPEAKER_ITEMS]
    ),
    by_id=True,
    same_plan=False,  # a few speeches, or thousands: no one plan suits both
)


def _speaker_quote_ids(speaker, *, walk: bool):
    quotes = Quote.objects.published().order_by(*QuoteFilter.newest_first)
    # Someone who said a great deal: their latest quotations are found by walking the date
    # index rather than by gathering and sorting all of them (see archive/keyset.py).
    mine = Exact(NoIndex(F("speaker_id")), speaker) if walk else Q(speaker=speaker)
    return quotes.filter(mine).values_list("pk")[:SPEAKER_ITEMS]


_SPEAKER_QUOTE_IDS = PreparedRecords(
    Quote, lambda speaker: _speaker_quote_ids(speaker, walk=False), by_id=True, same_plan=False
)
_SPEAKER_QUOTE_IDS_WALKED = PreparedRecords(
    Quote, lambda speaker: _speaker_quote_ids(speaker, walk=True), by_id=True, same_plan=False
)


def with_offices(speakers: list[Speaker]) -> None:
    """Give each speaker their offices as ``prefetch_related("offices")`` would (one query)."""
    held = offices_of([speaker.pk for speaker in speakers])
    for speaker in speakers:
        prefetched(speaker, "offices", held[speaker.pk])


def theme_at(slug: str) -> Theme:
    """The theme at ``slug``, with its parent and its children; 404 if there is none."""
    found = _THEME.records(slug)
    if not found:
        raise Http404("No theme has this address.")
    prefetched(found[0], "children", _SUBTHEMES.records(found[0].pk))
    return found[0]


def speaker_at(slug: str) -> Speaker:
    """The speaker at ``slug``, with their offices; 404 if there is none."""
    found = _SPEAKER.records(slug)
    if not found:
        raise Http404("No speaker has this address.")
    with_offices([found[0]])
    return found[0]


def latest_speech_ids(speaker: Speaker) -> list[int]:
    """The ids of the speaker's ``SPEAKER_ITEMS`` latest published speeches, newest first."""
    return [pk for (pk,) in _SPEAKER_SPEECH_IDS.rows(speaker.pk)]


def latest_quote_ids(speaker: Speaker, *, walk: bool) -> list[int]:
    """The ids of the speaker's ``SPEAKER_ITEMS`` latest published quotations, newest first
    (``walk``: by walking the date index, for someone who said a great deal)."""
    read = _SPEAKER_QUOTE_IDS_WALKED if walk else _SPEAKER_QUOTE_IDS
    return [pk for (pk,) in read.rows(speaker.pk)]


def published_speech(slug: str) -> Speech:
    """The published speech at ``slug``, with its speaker (and their offices), event and
    source; 404 if there is none."""
    found = _SPEECH.records(slug)
    if not found:
        raise Http404("No published speech has this address.")
    speech = found[0]
    with_offices([speech.speaker])
    return speech


def published_quote(slug: str) -> Quote:
    """The published quotation at ``slug``, with its speaker (and their offices), themes,
    pledge, and its speech's speaker, event and source; 404 if there is none."""
    found = _QUOTE.records(slug)
    if not found:
        raise Http404("No published quotation has this address.")
    quote = found[0]
    with_offices([quote.speaker])
    prefetched(quote, "themes", [row.theme for row in _QUOTES_THEMES.records([quote.pk])])
    return quote


def speech_quotes(speech: Speech) -> list[Quote]:
    """The speech's quotations in its own order, each with its speaker."""
    quotes = _SPEECH_QUOTES.records(speech.pk)
    for quote in quotes:
        quote.speech = speech  # as the speech's own manager would have set it
    return quotes


def more_from_speech(quote: Quote) -> list[Quote]:
    """Up to ``MORE_FROM_SPEECH`` other quotations from the quotation's speech, in its order."""
    others = [q for q in _SPEECH_OPENING_QUOTES.records(quote.speech_id) if q.pk != quote.pk]
    for other in others:
        other.speech = quote.speech
    return others[:MORE_FROM_SPEECH]


def speech_themes(speech: Speech) -> list:
    """The themes of the speech's quotations, by name."""
    return sorted({row.theme for row in _SPEECH_THEMES.records(speech.pk)}, key=lambda t: t.name)


# Columns a quotation's full record never shows: its speech's and source's long texts, and
# its speech's timestamps (a speech is shown by reference; each timestamp read is parsed).
QUOTE_UNSHOWN = (
    "speech__text",
    "speech__summary",
    "speech__created_at",
    "speech__updated_at",
    "speech__published_at",
    "speech__source__original_text",
    "speech__speaker__bio",
    "speaker__bio",
)
# Everything a quotation's full record shows but its themes and its speaker's offices (its
# speech is shown by reference: not the speech's own speaker).
QUOTE_RELATED = ("speaker", "speech__event", "speech__source")
_QUOTE_RECORDS = PreparedRecords(
    Quote,
    lambda among: (
        Quote.objects.filter(among).select_related(*QUOTE_RELATED).defer(*QUOTE_UNSHOWN).order_by()
    ),
    among="pk",
)


# What a feed's entry shows of a quotation: its speaker (and their offices), its speech's
# title and dates, its themes; not the speech's speaker, event or source.
_FEED_QUOTES = PreparedRecords(
    Quote,
    lambda among: (
        Quote.objects.filter(among)
        .select_related("speaker", "speech")
        .defer("speech__text", "speech__summary", "speaker__bio")
        .order_by()
    ),
    among="pk",
)


def quote_records(ids: list[int], *, entries: bool = False) -> list[Quote]:
    """The quotations with these ids, in this order, as full records: their speaker (with
    offices), speech (with its event and source) and themes, in three queries;
    with ``entries``, only what a feed's entry shows: not the speech's event and source, and
    the themes' names only (``theme_names``), not their records.

    For the API's lists and the feeds, which read a page's records by id as the list pages
    read their cards: through the queryset (its joins, then a prefetch query per relation),
    twenty quotations cost the ORM 7 ms of writing SQL and making instances at a million.
    """
    read = _FEED_QUOTES if entries else _QUOTE_RECORDS
    found = {quote.pk: quote for quote in read.records(ids)}
    quotes = [found[pk] for pk in ids if pk in found]
    _share_speakers(quotes)
    if entries:
        # An entry names its themes: their names, not two records a theme (a quotation's
        # tag and its theme, some 250 instances of a feed's 375).
        names = theme_names(list(found))
        for quote in quotes:
            quote.theme_names = names.get(quote.pk, [])
        return quotes
    themes = defaultdict(list)
    for row in _QUOTES_THEMES.records(list(found)):
        themes[row.quote_id].append(row.theme)
    for quote in quotes:
        prefetched(quote, "themes", themes[quote.pk])
    return quotes


# A speech's full record shows its speaker (not their biography), event and source (not
# the article's whole text).
_SPEECH_RECORDS = PreparedRecords(
    Speech,
    lambda among: (
        Speech.objects.filter(among)
        .select_related("speaker", "event", "source")
        .defer("source__original_text", "speaker__bio")
        .order_by()
    ),
    among="pk",
)
# The themes of some speeches' quotations, one row per speech and theme.
_SPEECHES_THEMES = PreparedRead(
    _THROUGH,
    "quote__speech_id",
    lambda among: (
        _THROUGH.objects.filter(among)
        .order_by()
        .values_list("quote__speech_id", "theme_id", "theme__name", "theme__slug")
        .distinct()
    ),
)


def speech_records(ids: list[int]) -> list[Speech]:
    """The speeches with these ids, in this order, as full records: their speaker (with
    offices), event and source, and the themes of their quotations (``quote_themes``, by
    name), in three queries.

    For the API's list of speeches. Its queryset's prefetch of every quotation and each
    quotation's themes made a manager and a query set for each of two hundred quotations:
    twenty speeches took 23 ms at a million quotations.
    """
    found = {speech.pk: speech for speech in _SPEECH_RECORDS.records(ids)}
    speeches = [found[pk] for pk in ids if pk in found]
    themes: dict[int, Theme] = {}  # one record per theme, shared by the speeches
    of_speech: defaultdict[int, list[Theme]] = defaultdict(list)
    for speech_id, theme_id, name, slug in _SPEECHES_THEMES.rows(list(found)):
        theme = themes.get(theme_id)
        if theme is None:
            theme = themes[theme_id] = Theme(pk=theme_id, name=name, slug=slug)
        of_speech[speech_id].append(theme)
    _share_speakers(speeches)
    for speech in speeches:
        # By name in Python, as the serializer sorts them: a database collation may not.
        speech.quote_themes = sorted(of_speech[speech.pk], key=lambda theme: theme.name)
    return speeches


def _share_speakers(statements: list) -> None:
    """Give the statements one speaker record per person, as prefetching shares them, with
    their offices (one query)."""
    speakers = {statement.speaker_id: statement.speaker for statement in statements}
    with_offices(list(speakers.values()))
    for statement in statements:
        statement.speaker = speakers[statement.speaker_id]
