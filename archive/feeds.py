"""Atom feeds under ``/feeds/``: the newest records of a list, for feed readers.

==============================  ==============================================================
``/feeds/speeches/``            latest statements (speeches, letters, interviews), as /speeches/
``/feeds/quotes/``              latest quotations, as /quotes/
``/feeds/speakers/<slug>/``     a speaker's latest quotations
``/feeds/themes/<slug>/``       the latest quotations on a theme, as the theme's page
``/feeds/search/?q=…``          the newest quotations and speeches matching a search
``/feeds/new/``                 statements newly published in the archive, whatever their date
==============================  ==============================================================

Each feed takes the query string of the page it mirrors (``/feeds/quotes/?theme=…``) and
holds the first ``FEED_ITEMS`` records that page lists, in the page's order (newest
statement first unless ``sort`` says otherwise, or words rank the list), so a feed and its
page always agree; a feed in another order than the newest first says so in its title and
description. A filter value that cannot be used is a ``400`` naming it.

An archive is filled backwards as well as forwards: a statement made in 1998 and published
today sorts far down every dated list, so a reader following those feeds never sees it.
``/feeds/new/`` takes the filters of /speeches/ and orders their statements by when they
were published instead (``Speech.published_at``), newest publication first.

Entries link to the record's permanent page, which is also the entry's id. ``updated`` is when
the record last changed in the archive; the statement's own date is in the title and
summary, as precise as the sources give it. Text is HTML-escaped before it becomes the
entry's HTML summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial

from django.contrib.syndication.views import Feed
from django.db.models import Model, QuerySet
from django.http import HttpRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.html import escape, linebreaks

from archive import search
from archive.atom import BufferedAtomFeed
from archive.exports import (
    FilterProblem,
    filter_problem_response,
    filtered_statements,
    valid_filters,
)
from archive.filters import MAX_QUERY_LENGTH, QuoteFilter, SpeechFilter, StatementFilterSet
from archive.links import page_url
from archive.models import Quote, Speaker, Speech, Theme, format_date
from archive.plain_text import control_character_message
from archive.search.results import QUOTE, SPEECH
from archive.search.service import SHOWS, SORTS, repeated_parameters
from archive.views.listing import chip_value, count_total_later, known_total, rows_by_id
from archive.views.reads import quote_records
from archive.words import first_words, quoted

FEED_ITEMS = 50
SITE_NAME = "Health Policy Archive"
TITLE_WORDS = 14


@dataclass
class FeedPage:
    """What one request for a feed resolved to: its records and how to describe them."""

    title: str
    link: str  # the page the feed mirrors
    feed_url: str
    description: str
    request: HttpRequest
    items: list[Model] = field(default_factory=list)


class ArchiveFeed(Feed):
    """Atom, with entries for quotes and speeches; subclasses decide which records."""

    feed_type = BufferedAtomFeed
    author_name = SITE_NAME

    def __call__(self, request, *args, **kwargs):
        try:
            response = super().__call__(request, *args, **kwargs)
        except FilterProblem as problem:
            return filter_problem_response(problem)
        # Django dates a feed by its newest entry, which goes back in time when that entry
        # is unpublished and stays put when a theme is renamed: a reader's cache asking
        # "modified since?" was told no (304) and kept the old entries. The ETag, from the
        # document itself, is what tells a changed feed.
        response.headers.pop("Last-Modified", None)
        return response

    # -- the feed --------------------------------------------------------------------------

    def title(self, page: FeedPage) -> str:
        return f"{page.title} — {SITE_NAME}"

    # Absolute here, so that Django's feed does not build them from the request's Host
    # (its get_current_site()): with SITE_URL set they start with it, as every other link.
    def link(self, page: FeedPage) -> str:
        return page.request.build_absolute_uri(page.link)

    def feed_url(self, page: FeedPage) -> str:
        return page.request.build_absolute_uri(page.feed_url)

    def feed_guid(self, page: FeedPage) -> str:
        # The feed's own address, not the page it mirrors (Django's default): /feeds/new/
        # and /feeds/speeches/ mirror one page, and a reader would take them for one feed.
        return page.request.build_absolute_uri(page.feed_url)

    def subtitle(self, page: FeedPage) -> str:
        return page.description

    def items(self, page: FeedPage) -> list[Model]:
        for item in page.items:
            # Entries' author links must be absolute, like their own links.
            item.feed_author_link = page.request.build_absolute_uri(item.speaker.get_absolute_url())
        return page.items

    def get_feed(self, page: FeedPage, request: HttpRequest) -> BufferedAtomFeed:
        """Django's feed, its head made by ``Feed.get_feed``, its entries from this class's
        ``item_*`` methods called directly.

        Django asks for each part of an entry through ``_get_dynamic_attr``, which inspects
        the method's signature on every call: fifteen calls an entry, seven hundred and
        fifty for a feed of fifty. The entries are the same (a test compares the documents
        with Django's own for every kind of feed): parts this archive does not give
        (enclosures, comments, e-mail addresses, copyright) are left empty as Django
        leaves them, and every date is already aware.
        """
        feed = super().get_feed(replace(page, items=[]), request)
        for item in self.items(page):
            link = request.build_absolute_uri(item.get_absolute_url())
            feed.add_item(
                title=self.item_title(item),
                link=link,
                description=self.item_description(item),
                unique_id=link,
                unique_id_is_permalink=None,
                enclosures=[],
                pubdate=self.item_pubdate(item),
                updateddate=self.item_updateddate(item),
                author_name=self.item_author_name(item),
                author_email=None,
                author_link=self.item_author_link(item),
                comments=None,
                categories=self.item_categories(item),
                item_copyright=None,
            )
        return feed

    # -- its entries -----------------------------------------------------------------------

    def item_title(self, item: Model) -> str:
        if isinstance(item, Quote):
            words = quoted(first_words(item.text, TITLE_WORDS, "…"), item.kind)
            return f"{item.speaker.name}: {words} ({_when(item.speech)})"
        return f"{item.title} ({item.speaker.name}, {_when(item)})"

    def item_description(self, item: Model) -> str:
        # The summary is HTML to feed readers: escape the archive's text before it goes in.
        if isinstance(item, Quote):
            speech = item.speech
            office = item.speaker_office()
            who = f"{item.speaker.name}, {office.post}" if office else item.speaker.name
            where = "in" if item.speaker_id == speech.speaker_id else "reported alongside"
            return (
                f"<blockquote>{_paragraphs(item.text)}</blockquote>"
                f"<p>— {escape(who)}, {where} “{escape(speech.title)}”, "
                f"{escape(_when(speech))}.</p>"
            )
        office = item.speaker_office()
        who = f"{item.speaker.name}, {office.post}" if office else item.speaker.name
        summary = f"<p>{escape(item.summary)}</p>" if item.summary else ""
        return (
            f"<p>{escape(item.get_kind_display())} by {escape(who)}, "
            f"{escape(_when(item))}.</p>{summary}"
        )

    def item_author_name(self, item: Model) -> str:
        return item.speaker.name

    def item_author_link(self, item: Model) -> str:
        return item.feed_author_link

    def item_updateddate(self, item: Model):
        if isinstance(item, Quote):
            return max(item.updated_at, item.speech.updated_at)
        return item.updated_at

    def item_pubdate(self, item: Model):
        # When readers could first see it: a draft may wait months before it is published.
        speech = item.speech if isinstance(item, Quote) else item
        return speech.published_at or item.created_at

    def item_categories(self, item: Model) -> list[str]:
        if isinstance(item, Quote):
            names = getattr(item, "theme_names", None)  # read as an entry (quote_records)
            return names if names is not None else [theme.name for theme in item.themes.all()]
        return [item.get_kind_display()]


def _first(
    filterset_class: type[StatementFilterSet],
    queryset: QuerySet,
    params: QueryDict,
    *,
    fixed: dict[str, str] | None = None,
) -> tuple[StatementFilterSet, list[Model]]:
    """The first ``FEED_ITEMS`` records of the list page for ``params``, read as the page
    reads them (sorting a million quotations to take fifty took over a second); quotations
    as the API reads them (``quote_records``), the rest with ``queryset``'s joins."""
    filterset = valid_filters(filterset_class, queryset, params, fixed=fixed)
    # A big list not yet counted is counted once, by the counting thread, so the next
    # request for its feed (or its page) need not count even as far as the threshold.
    ids = filterset.first_ids(
        FEED_ITEMS,
        known=known_total(filterset),
        uncounted=partial(count_total_later, filterset),
    )
    if queryset.model is Quote:
        return filterset, quote_records(ids, entries=True)
    return filterset, rows_by_id(filterset.qs, ids)


def _records(queryset: QuerySet, ordered: QuerySet) -> list[Model]:
    """The first ``FEED_ITEMS`` of ``ordered``, with ``queryset``'s joins and prefetches."""
    return rows_by_id(queryset, list(ordered.values_list("pk", flat=True)[:FEED_ITEMS]))


def _hit_records(hits) -> list[Model]:
    """The records of search hits, in the hits' order, loaded as the other feeds load theirs
    (a hit holds what the search page shows; an entry needs more)."""
    loaded = {
        kind: queryset.in_bulk([hit.record.pk for hit in hits if hit.kind == kind])
        for kind, queryset in ((QUOTE, _quotes()), (SPEECH, _speeches()))
    }
    return [loaded[hit.kind][hit.record.pk] for hit in hits if hit.record.pk in loaded[hit.kind]]


def _quotes() -> QuerySet:
    return Quote.objects.published().for_list()


def _speeches() -> QuerySet:
    return Speech.objects.published().for_list()


def _when(record) -> str:
    """A speech's date as it reads within a sentence ("…, date unknown.")."""
    return format_date(record.date, record.date_precision, within=True)


def _full_path(request: HttpRequest, path: str) -> str:
    """``path`` with the request's query string, minus the page number."""
    params = request.GET.copy()
    params.pop("page", None)
    return f"{path}?{params.urlencode()}" if params else path


# A list's order (its ``sort``, or the one it takes by default), as a feed states it.
ORDERS = {"newest": "newest first", "oldest": "oldest first", "relevance": "best match first"}


def _order(filterset) -> str:
    """The order of the list a feed mirrors ("newest", "oldest", "relevance")."""
    order = filterset.active_values().get("sort") or filterset.default_sort()
    return order if order in ORDERS else "newest"


def _described(filterset, *, leave: tuple[str, ...] = (), ordered: bool = True) -> str:
    """The filters in force, in words: "Theme: Service reconfiguration; Words: “back”",
    and the order when it is not the newest first ("Order: oldest first"); not ``leave``,
    which the feed's title names already. ``ordered``: whether the feed takes the list's
    order (``/feeds/new/`` has its own)."""
    parts = []
    for name, value in filterset.active_values().items():
        if name == "sort" or name in leave:
            continue
        label = filterset.filters[name].label or name
        # As the list's chip says it: an office by its post, not one holder's term.
        parts.append(f"{label}: {chip_value(filterset.filters, name, value)}")
    order = _order(filterset) if ordered else "newest"
    if order != "newest":  # a feed reader shows the title: it must not read as the latest
        parts.append(f"Order: {ORDERS[order]}")
    return "; ".join(str(p) for p in parts)


def _narrowed(title: str, filterset, named: str) -> str:
    """A record's feed title, with the filters that narrow it further: "Quotations on
    Alcohol (Speaker: Andrew Lansley)"."""
    described = _described(filterset, leave=(named,))
    return f"{title} ({described})" if described else title


def _list_feed(
    request: HttpRequest,
    filterset: StatementFilterSet,
    items: list[Model],
    *,
    named: str,
    unfiltered: str,
    list_name: str,
    description: str,
    ordered: bool = True,
) -> FeedPage:
    """A feed of a list page's records: titled by the filters in force, linked to the list."""
    described = _described(filterset, ordered=ordered)
    return FeedPage(
        title=f"{named} ({described})" if described else unfiltered,
        link=_full_path(request, page_url(list_name)),
        feed_url=_full_path(request, request.path),
        description=description,
        request=request,
        items=items,
    )


class QuoteFeed(ArchiveFeed):
    """``/feeds/quotes/``: the newest quotations the /quotes/ page lists."""

    def get_object(self, request, *args, **kwargs) -> FeedPage:
        filterset, items = _first(QuoteFilter, _quotes(), request.GET)
        return _list_feed(
            request,
            filterset,
            items,
            named="Quotations",
            unfiltered="Latest quotations",
            list_name="archive:quote-list",
            description=f"The first quotations of the archive's list, {ORDERS[_order(filterset)]}.",
        )


class SpeechFeed(ArchiveFeed):
    """``/feeds/speeches/``: the latest statements the /speeches/ page lists."""

    def get_object(self, request, *args, **kwargs) -> FeedPage:
        filterset, items = _first(SpeechFilter, _speeches(), request.GET)
        return _list_feed(
            request,
            filterset,
            items,
            named="Statements",
            unfiltered="Latest statements",
            list_name="archive:speech-list",
            description=(
                f"Speeches, letters, interviews and statements, {ORDERS[_order(filterset)]}."
            ),
        )


class PublishedFeed(ArchiveFeed):
    """``/feeds/new/``: the statements most recently published, with /speeches/'s filters."""

    def get_object(self, request, *args, **kwargs) -> FeedPage:
        filterset, queryset = filtered_statements(SpeechFilter, _speeches(), request.GET)
        # Bulk loads write rows without save(), so a published row may lack the time.
        newest = queryset.filter(published_at__isnull=False).order_by("-published_at", "-pk")
        return _list_feed(
            request,
            filterset,
            _records(queryset, newest),
            named="Newly published",
            unfiltered="Newly published",
            list_name="archive:speech-list",
            description=(
                "Statements as they are published in the archive, the latest first, "
                "whatever the date they were made."
            ),
            ordered=False,
        )


class SpeakerFeed(ArchiveFeed):
    """``/feeds/speakers/<slug>/``: a speaker's newest quotations (/quotes/?speaker=…)."""

    def get_object(self, request, slug: str) -> FeedPage:
        speaker = get_object_or_404(Speaker, slug=slug)
        filterset, items = _first(
            QuoteFilter, _quotes(), request.GET, fixed={"speaker": speaker.slug}
        )
        # Narrowed (?theme=…), it mirrors the quotes list so filtered: the speaker's page
        # takes no filters.
        params = request.GET.copy()
        params.pop("page", None)
        link = speaker.get_absolute_url()
        if params:
            params["speaker"] = speaker.slug
            link = f"{page_url('archive:quote-list')}?{params.urlencode()}"
        return FeedPage(
            title=_narrowed(f"Quotations by {speaker.name}", filterset, "speaker"),
            link=link,
            feed_url=_full_path(request, request.path),
            description=f"What {speaker.name} said in public, {ORDERS[_order(filterset)]}.",
            request=request,
            items=items,
        )


class ThemeFeed(ArchiveFeed):
    """``/feeds/themes/<slug>/``: the newest quotations on a theme, as on its page."""

    def get_object(self, request, slug: str) -> FeedPage:
        theme = get_object_or_404(Theme, slug=slug)
        filterset, items = _first(QuoteFilter, _quotes(), request.GET, fixed={"theme": theme.slug})
        return FeedPage(
            title=_narrowed(f"Quotations on {theme.name}", filterset, "theme"),
            link=_full_path(request, theme.get_absolute_url()),
            feed_url=_full_path(request, request.path),
            description=(
                theme.description or f"Quotations on {theme.name}, {ORDERS[_order(filterset)]}."
            ),
            request=request,
            items=items,
        )


class SearchFeed(ArchiveFeed):
    """``/feeds/search/?q=…``: the newest quotations and speeches matching a search.

    The same records, in the same order, as ``/search/?q=…&sort=newest`` shows first, or in
    the order ``sort`` asks for (``oldest``, ``relevance``), as the page does, and says so;
    the search's own filters (speaker, theme, date …) and ``show`` apply too.
    """

    def get_object(self, request, *args, **kwargs) -> FeedPage:
        query = request.GET.get("q", "")
        if not query.strip():
            raise FilterProblem({"q": ["Give words to search for, e.g. ?q=reconfiguration."]})
        if len(query) > MAX_QUERY_LENGTH:  # as the lists' feeds: never a search of part of it
            raise FilterProblem({"q": [f"Use at most {MAX_QUERY_LENGTH} characters."]})
        if message := control_character_message(query):  # as the lists' feeds refuse it
            raise FilterProblem({"q": [message]})
        repeated = repeated_parameters(request.GET)
        if repeated:  # refused, as a filter given twice is
            raise FilterProblem({name: ["Give this once."] for name in repeated})
        show = request.GET.get("show", "all")
        if show not in SHOWS:  # the page explains it in a note; a feed refuses it
            raise FilterProblem({"show": [f"Choose one of: {', '.join(SHOWS)}."]})
        # Newest first unless asked otherwise: the page's own default, best match first,
        # would make a feed whose new entries land anywhere.
        sort = request.GET.get("sort", "newest")
        if sort not in SORTS:
            raise FilterProblem({"sort": [f"Choose one of: {', '.join(SORTS)}."]})
        results = search.search(
            query,
            filters=request.GET,
            sort=sort,
            show=show,
            page=1,
            per_page=FEED_ITEMS,
        )
        if results.filter_errors:
            raise FilterProblem(results.filter_errors)
        if results.problem:
            raise FilterProblem({"q": [results.problem]})
        params = request.GET.copy()
        params["sort"] = sort
        params.pop("page", None)
        in_order = "" if sort == "newest" else f" (Order: {ORDERS[sort]})"
        return FeedPage(
            title=f"Search: {results.query.text}{in_order}",
            link=f"{page_url('archive:search')}?{params.urlencode()}",
            feed_url=_full_path(request, request.path),
            description=f"Statements matching “{results.query.text}”, {ORDERS[sort]}.",
            request=request,
            items=_hit_records(results.hits),
        )


def _paragraphs(text: str) -> str:
    """``text`` escaped, in paragraphs as its page shows them (Django's ``linebreaks``);
    most quotations are one line, which is written without it (a quarter of a millisecond
    of a fifty-entry feed)."""
    if "\n" not in text:
        return f"<p>{escape(text)}</p>"
    return linebreaks(text, autoescape=True)
