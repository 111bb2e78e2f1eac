"""Read-only viewsets: each list is the same queryset and FilterSet as the page it mirrors.

Every list costs a constant number of queries whatever the page size: a count, the page,
and one query per prefetched relation. The count is capped (``COUNT_LIMIT`` rows, or as far
as the requested page reaches), so a list of a million quotations does not count them all
on every request; ``count_capped`` says when ``count`` is only a lower bound. A list of
statements whose page has been counted since the last write takes that page's exact total.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property, partial

from django.core.paginator import Paginator
from django.db.models import F, Prefetch, QuerySet
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

from archive.api import filters, serializers
from archive.api.schema import LIST_RESPONSES, NOT_FOUND
from archive.filters import StatementFilterSet
from archive.middleware import mark_incomplete
from archive.models import Event, Office, Quote, Speaker, Speech, Theme
from archive.views.counts import attach_counts, published_quotes, published_speeches
from archive.views.listing import count_total_later, known_total, rows_by_id
from archive.views.reads import QUOTE_UNSHOWN, quote_records, speech_records

COUNT_LIMIT = 10_000  # rows a list counts at most (further when a deeper page is asked for)
# A database LIMIT is a signed 64-bit number: a page "past the end" by more than any list
# could hold counts this far and is a 404 like any other page past the end.
MAX_REACH = 2**62


class CappedCountPaginator(Paginator):
    """A paginator that counts at most ``reach + 1`` rows, not the whole result.

    ``reach`` is at least the end of the requested page, so whether that page exists and
    whether another follows it are exact; beyond ``reach`` the count is a lower bound.
    """

    def __init__(self, object_list, per_page, *, reach: int, known: int | None = None, **kw):
        super().__init__(object_list, per_page, **kw)
        self.reach = reach
        self.known = known  # the exact count, when the list page's is current

    @cached_property
    def counted(self) -> int:
        if self.known is not None:
            return self.known
        # COUNT(*) over a LIMITed subquery: the database stops reading at reach + 1 rows.
        return self.object_list.order_by()[: self.reach + 1].count()

    @cached_property
    def capped(self) -> bool:
        """Whether there are more rows than were counted."""
        return self.known is None and self.counted > self.reach

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.reach) if self.capped else self.counted

    @cached_property
    def num_pages(self) -> int:
        # One page past the counted rows when capped, so the last counted page has a next.
        return super().num_pages + (1 if self.capped else 0)


class StatementPaginator(CappedCountPaginator):
    """Pages of quotations or speeches, read as the list pages read them.

    The page's ids come first (sorting narrow rows is cheap), then its records by id: the
    view's ``read_page`` (``archive.views.reads.quote_records``), or the queryset's joins and
    prefetches. From ``walk_from_rows()`` counted rows (or fewer, where the walk finds
    them sooner: ``StatementFilterSet.walks``) the ids are read by walking the date index,
    through the list's FilterSet (``walker``), instead of sorting the whole set: a theme's
    first page of a million quotations took a second, sorting a hundred thousand wide rows.
    """

    def __init__(
        self,
        object_list,
        per_page,
        *,
        walker: StatementFilterSet | None,
        read_rows: Callable[[list], list] | None = None,
        **kw,
    ):
        super().__init__(object_list, per_page, **kw)
        self.walker = walker
        self.read_rows = read_rows or partial(rows_by_id, object_list)

    @cached_property
    def counted(self) -> int:
        if self.known is not None or self.walker is None:
            return super().counted
        # The same capped count, kept once per state of the archive.
        return self.walker.counted_to(self.reach + 1)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        # Up to a whole page, not to the count: a count kept from before a write must not
        # hide the rows added since (as the list pages read them).
        top = bottom + self.per_page
        if self.walker is not None and self.walker.walks(self.counted, top):
            ids = self.walker.walked(self.counted).ids(bottom, top)
        else:
            ids = list(self.object_list[bottom:top].values_list("pk", flat=True))
        return self._get_page(self.read_rows(ids), number, self)


class ArchivePagination(PageNumberPagination):
    """``?page=2``; ``?page_size=`` up to 100 (20 by default).

    A page number or size that is not a whole number in range is a ``400`` naming it, like
    any other parameter; a page past the end is a ``404``. ``count`` is exact up to
    ``COUNT_LIMIT`` results (or the end of the requested page, if further);
    ``count_capped`` is true when there are more, and the counting thread then counts them
    all for the next request.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    _reach = COUNT_LIMIT
    _known: int | None = None
    _walker: StatementFilterSet | None = None
    _read_page: Callable[[list], list] | None = None

    @property
    def django_paginator_class(self):
        options = {"reach": self._reach, "known": self._known}
        if self._walker is not None or self._read_page is not None:
            return partial(
                StatementPaginator, walker=self._walker, read_rows=self._read_page, **options
            )
        return partial(CappedCountPaginator, **options)

    def get_page_size(self, request) -> int:
        return self._whole_number(request, self.page_size_query_param, self.max_page_size) or (
            self.page_size
        )

    def paginate_queryset(self, queryset, request, view=None):
        page = self._whole_number(request, self.page_query_param) or 1
        reach = max(COUNT_LIMIT, page * (self.get_page_size(request) or self.page_size))
        self._reach = min(reach, MAX_REACH)
        filterset = getattr(view, "filterset", None)
        self._walker = _walker(filterset)
        self._read_page = getattr(view, "read_page", None)
        # Statements: the list page's exact total, if counted since the last write (by a
        # reader of the page or by count_archive), saves counting up to 10,000 rows, which
        # took 90 ms for a theme's speeches at a million quotations.
        valid = isinstance(filterset, StatementFilterSet) and filterset.is_valid()
        self._known = known_total(filterset) if valid else None
        try:
            page = super().paginate_queryset(queryset, request, view)
        except NotFound:
            # DRF says only "Invalid page."; say where the results end.
            size = self.get_page_size(request) or self.page_size
            last = self.django_paginator_class(queryset, size).num_pages
            raise NotFound(
                f"That page is past the end of the results, which fill {last} "
                f"page{'s' if last != 1 else ''} of {size}."
            ) from None
        if valid and self.page.paginator.capped:
            # More than were counted: the counting thread counts them all, once, for the
            # next request (and the list page) to give the exact total. Until then no
            # cache may keep this answer, as the list page's (``mark_incomplete``).
            count_total_later(filterset)
            mark_incomplete(request._request)  # the HttpRequest the middleware sees
        return page

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = [*answer["required"], "count_capped"]
        # DRF writes OpenAPI 3.0's "nullable"; the schema is 3.1 (settings), where null is a
        # type of its own.
        for link in ("next", "previous"):
            field = answer["properties"][link]
            if field.pop("nullable", False):
                field["type"] = [field["type"], "null"]
        answer["properties"]["count"]["description"] = (
            f"How many results: exact up to {COUNT_LIMIT:,} (or the end of the requested "
            "page), and beyond when the archive has counted them already (a capped list is "
            "counted in full for later requests); a lower bound when count_capped is true."
        )
        answer["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "True when there are more results than count.",
        }
        return answer

    @staticmethod
    def _whole_number(request, name: str, maximum: int | None = None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        limit = f" from 1 to {maximum}" if maximum else " from 1"
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= (maximum or int(raw)):
            raise filters.InvalidParameters({name: [f"Give a whole number{limit}."]})
        return int(raw)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


def _walker(filterset) -> StatementFilterSet | None:
    """For a list of statements in date order, the FilterSet that reads its pages by walking
    the date index when that is cheaper (``walks``), their SQL written once per set of filter
    values (``walked``; ``archive.walks``)."""
    if not isinstance(filterset, StatementFilterSet) or filterset.keyset() is None:
        return None
    return filterset


def documented(serializer_class, *, tag: str, summary: str):
    """Schema for a list and its detail, with the 400 and 404 answers.

    The filters' parameters are documented by ``archive.api.schema.StrictFilterExtension``.
    """
    errors = {**LIST_RESPONSES, **NOT_FOUND}
    return extend_schema_view(
        list=extend_schema(
            summary=summary,
            tags=[tag],
            responses={200: serializer_class(many=True), **errors},
        ),
        retrieve=extend_schema(tags=[tag], responses={200: serializer_class, **errors}),
    )


class ArchiveViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint with the archive's strict filters and pagination."""

    filter_backends = [filters.StrictFilterBackend]
    pagination_class = ArchivePagination
    lookup_field = "slug"
    # Any value reaches the view, so an id that names nothing is the API's JSON 404.
    lookup_value_regex = r"[^/]+"
    # What an id can look like; anything else is a 404 before it reaches the database
    # (PostgreSQL refuses some characters, such as NUL, outright).
    lookup_pattern = re.compile(r"[-a-zA-Z0-9_]{1,200}")

    def get_serializer_context(self) -> dict:
        # A record's api_url is its one address however the list was asked for: DRF gave
        # every link of /api/quotes.json a ".json" of its own, so one record had two ids.
        return {**super().get_serializer_context(), "format": None}

    def get_object(self):
        value = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
        try:
            if not self.lookup_pattern.fullmatch(value):
                raise Http404
            return super().get_object()
        except Http404:
            # Every endpoint words its 404 alike, whether the id could not be one or names
            # nothing ("No quote has that id."), not DRF's "No Quote matches the given query."
            name = self.get_queryset().model._meta.verbose_name
            raise NotFound(f"No {name} has that id.") from None


@documented(
    serializers.QuoteSerializer,
    tag="quotes",
    summary="Quotations from published speeches, newest first; the /quotes/ page's filters.",
)
class QuoteViewSet(ArchiveViewSet):
    """Quotations from published speeches, as on /quotes/: the same filters, search and order."""

    serializer_class = serializers.QuoteSerializer
    filterset_class = filters.QuoteApiFilter
    # A page's quotations, read by id with what ``get_queryset`` joins and prefetches.
    read_page = staticmethod(quote_records)

    def get_queryset(self) -> QuerySet:
        return (
            Quote.objects.published()
            .for_list()
            .select_related("speech__source")
            # Long texts a quotation's record never shows (a whole article, a whole speech).
            .defer(*QUOTE_UNSHOWN)
            .order_by(*filters.QuoteApiFilter.newest_first)
        )


@documented(
    serializers.SpeechSerializer,
    tag="speeches",
    summary="Published speeches, letters, interviews and statements; the /speeches/ filters.",
)
class SpeechViewSet(ArchiveViewSet):
    """Published speeches, letters, interviews and statements, as on /speeches/."""

    serializer_class = serializers.SpeechSerializer
    filterset_class = filters.SpeechApiFilter
    # A page's speeches, read by id with their records and their quotations' themes.
    read_page = staticmethod(speech_records)

    def get_queryset(self) -> QuerySet:
        # Only what the themes need from each quote: its id and its themes.
        quotes = Quote.objects.only("pk", "speech_id").prefetch_related("themes")
        return (
            Speech.objects.published()
            .for_list()
            .defer("source__original_text", "speaker__bio")
            .prefetch_related(Prefetch("quotes", queryset=quotes))
            .order_by(*filters.SpeechApiFilter.newest_first)
        )


class CountingViewSet(ArchiveViewSet):
    """An endpoint whose records carry counts of their statements.

    Counted for the records being answered only (one GROUP BY per count, cached when slow,
    as the pages count), not as a subquery per row: a page of themes each counting tens of
    thousands of quotations took seconds.
    """

    # name -> (the statements counted, the field pointing at the record)
    counts: dict[str, tuple[Callable[[], QuerySet], str]] = {}

    def get_serializer(self, *args, **kwargs):
        if args and args[0] is not None:
            records = list(args[0]) if kwargs.get("many") else [args[0]]
            statements = {name: (make(), field) for name, (make, field) in self.counts.items()}
            attach_counts(records, **statements)
        return super().get_serializer(*args, **kwargs)


@documented(serializers.PersonSerializer, tag="speakers", summary="Everyone whose words are here.")
class SpeakerViewSet(CountingViewSet):
    """Speakers as Popolo persons, with their offices as memberships."""

    serializer_class = serializers.PersonSerializer
    filterset_class = filters.SpeakerApiFilter
    counts = {
        "speech_count": (published_speeches, "speaker"),
        "quote_count": (published_quotes, "speaker"),
    }

    def get_queryset(self) -> QuerySet:
        return Speaker.objects.prefetch_related("offices")


@documented(
    serializers.MembershipSerializer, tag="offices", summary="Offices held (Popolo memberships)."
)
class OfficeViewSet(ArchiveViewSet):
    """Offices held, as Popolo memberships: person, post, organization, start and end dates."""

    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.OfficeApiFilter
    lookup_field = "pk"
    lookup_pattern = re.compile(r"[0-9]{1,18}")  # within a 64-bit id

    def get_queryset(self) -> QuerySet:
        return Office.objects.select_related("speaker").order_by("slug", "start_date", "pk")


@documented(serializers.EventSerializer, tag="events", summary="Events, newest first.")
class EventViewSet(CountingViewSet):
    """Events where statements were made, newest first."""

    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventApiFilter
    counts = {"speech_count": (published_speeches, "event")}

    def get_queryset(self) -> QuerySet:
        # Undated events last, as /events/ lists them, on both databases.
        return Event.objects.order_by(F("date").desc(nulls_last=True), "name", "pk")


@documented(serializers.ThemeSerializer, tag="themes", summary="Policy themes.")
class ThemeViewSet(CountingViewSet):
    """Policy themes, with how many published quotations each has."""

    serializer_class = serializers.ThemeSerializer
    filterset_class = filters.ThemeApiFilter
    counts = {"quote_count": (published_quotes, "themes")}

    def get_queryset(self) -> QuerySet:
        return Theme.objects.select_related("parent")


def not_found(request, *args, **kwargs):
    """A JSON 404 for any address under /api/ that is not an endpoint; an endpoint's
    address typed without its final slash is redirected to it, as the site's pages are
    (this catch-all would otherwise stop Django's ``APPEND_SLASH`` from seeing it).

    Not a path holding a percent sign: no id holds one, and bytes that are not UTF-8 stay
    percent-encoded in ``request.path`` ("%FF"), whose percent sign Django encodes again
    when it writes the address with a slash ("%25FF/"): another address, naming nothing."""
    if (
        request.method in ("GET", "HEAD")
        and not request.path.endswith("/")
        and "%" not in request.path
    ):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name:  # an endpoint, not this catch-all
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return JsonResponse({"detail": "There is no such address in the API."}, status=404)
