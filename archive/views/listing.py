"""What every list page shares: forgiving pagination, the filter form, facets and chips."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from html import escape

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.safestring import SafeString, mark_safe

from archive.filters import FacetOption, StatementFilterSet
from archive.keyset import Keyset, numbered_rows
from archive.middleware import mark_incomplete
from archive.page_links import requested_page
from archive.pending import PENDING
from archive.views.summaries import (
    cached_summary,
    count_later,
    known_summary,
    small_count_min_ms,
)
from archive.walks import IdWindow, WalkedRows

# A list with words whose rows are at least one in this many of the archive's walks by
# looking each row up in the index (see ``words_are_dense``).
DENSE_SHARE = 20
# A facet whose counting changed, by the format it is counted in now, so that the counts the
# release before stored in the database are not read (see summaries.SUMMARY_FORMAT). The
# office: 2, with the statements whose source names the post.
FACET_FORMATS = {"office": 2}

# What "nothing chosen" reads as in each facet's <select>.
ANY_LABELS = {
    "speaker": "Any speaker",
    "minister": "Anyone",
    "office": "Any office",
    "event": "Any event",
    "event_kind": "Any kind of event",
    "theme": "Any theme",
    "kind": "Any kind",
    "quote_kind": "Direct or reported",
    "sort": None,
}
HINTS = {
    "date_after": "YYYY-MM-DD, YYYY-MM or YYYY",
    "date_before": "YYYY-MM-DD, YYYY-MM or YYYY",
    "office": "Statements made while holding the post",
    "minister": "People who have held a ministerial post",
}
TEXT_FIELDS = ("q", "date_after", "date_before")
RANKS_WITHOUT_WORDS = (
    "“Best match” ranks by the words searched for: with none given, the list is newest first."
)
RANKS_TOO_MANY = (
    "These words are in so many statements of the archive that lists with them are shown "
    "newest first. Choose “Best match” under Order to rank every match (slower), or use "
    "Search, which ranks the newest thousand."
)


class _Paginator(Paginator):
    """A paginator that can be told the count (from a cached summary) instead of asking.

    Pages are numbered only up to ``ARCHIVE_NUMBERED_ROWS``: beyond, the last numbered page
    links on with a cursor (see ``keyset``), so no OFFSET grows with the archive.
    """

    def __init__(self, *args, count: int | None = None, capped: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # fills the cached_property
        self.beyond_numbers = capped and self.count > numbered_rows()

    @property
    def num_pages(self) -> int:
        if not self.beyond_numbers:
            return super().num_pages
        return max(1, numbered_rows() // self.per_page)

    def page(self, number):
        """The page's rows, read up to a whole page, where Django's stops at the count: a
        count kept from before a write (served while it is counted again) must not hide the
        rows added since from the last page."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


@dataclass
class CursorPage:
    """A page reached by cursor: the rows after (or before) one row, not a page number."""

    object_list: list
    next_cursor: str = ""
    previous_cursor: str = ""
    number = None
    start_index = None
    is_cursor_page = True

    def has_next(self) -> bool:
        return bool(self.next_cursor)

    def has_previous(self) -> bool:
        return bool(self.previous_cursor)


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    per_page: int | None = None,
    *,
    count: int | None = None,
    keyset: Keyset | None = None,
    rows_queryset: QuerySet | None = None,
    read_rows: Callable[[list], list] | None = None,
):
    """The page the reader asked for, and a message when the request could not be met.

    A malformed number gives the first page, a number past the end gives the last page;
    both say so rather than failing. With a ``keyset`` (the list's order), ``?after=`` and
    ``?before=`` cursors name the page after or before a row, and the last numbered page
    links on with one. ``rows_queryset`` is the same set written for reading in order (see
    ``statement_listing``). The page's rows are read in two steps (their ids, then the
    rows): sorting narrow rows is what keeps a page deep in a long list fast. The rows are
    ``queryset``'s records, or what ``read_rows`` makes of their ids (``archive.cards``).
    """
    per_page = per_page or settings.ARCHIVE_PAGE_SIZE
    read_rows = read_rows or partial(_rows_of, queryset)
    rows_queryset = queryset if rows_queryset is None else rows_queryset
    if keyset is not None:
        for direction in ("after", "before"):
            raw = request.GET.get(direction)
            if raw is None:
                continue
            key = keyset.parse(raw)
            if key is None:
                # Paged as if it were not there: by the page number, if one is given.
                numbered = request.GET.get("page", "").strip() not in ("", "1")
                where = "it was left out" if numbered else "this is the first page"
                message = f"That position in the list was not understood, so {where}."
                page, _ = paginate(
                    request,
                    queryset,
                    per_page,
                    count=count,
                    rows_queryset=rows_queryset,
                    read_rows=read_rows,
                )
                return page, message
            page, message = _cursor_page(rows_queryset, keyset, key, per_page, direction, read_rows)
            if direction == "after" and "before" in request.GET and not message:
                message = (
                    "A page can follow a position in the list or come before one, not both: "
                    "this page follows it."
                )
            return page, message

    paginator = _Paginator(rows_queryset, per_page, count=count, capped=keyset is not None)
    raw = request.GET.get("page", "").strip()
    number, message = 1, ""
    if keyset is None and ("after" in request.GET or "before" in request.GET):
        # A position from a list in date order, brought to one ranked or numbered.
        where = "it was left out" if raw not in ("", "1") else "this is the first page"
        message = f"A position in the list applies to its date order only, so {where}."
    if raw:
        number = requested_page(raw, paginator.num_pages)
        if number < 1:
            number = 1
            message = "That page number was not understood, so this is the first page."
        elif number > paginator.num_pages:
            number = paginator.num_pages
            if paginator.beyond_numbers:
                message = (
                    f"Pages are numbered up to {number}; from there, follow the "
                    "“Next” link to go further."
                )
            else:
                message = (
                    "That page is past the end of the list, so this is the last page "
                    f"(page {number} of {number})."
                )
    if len(request.GET.getlist("page")) > 1:
        # As the search page does: the last one given is used, and said to be.
        message = " ".join(
            filter(
                None, [f"A page number was given more than once; page {number} is shown.", message]
            )
        )
    page = paginator.page(number)
    page.object_list = rows_in_order(queryset, page.object_list, read_rows)
    page.next_cursor = ""
    if paginator.beyond_numbers and number == paginator.num_pages and page.object_list:
        page.next_cursor = keyset.cursor_of(page.object_list[-1])
    # The page links to show: first, last, and two either side of this one.
    page.elided_range = list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1))
    return page, message


def _cursor_page(rows_queryset, keyset: Keyset, key, per_page: int, direction: str, read_rows):
    forward = direction == "after"
    if isinstance(rows_queryset, WalkedRows):
        window = rows_queryset.cursor_window(keyset, key, per_page, forward=forward)
    else:
        window = keyset.page(rows_queryset, key, per_page, forward=forward)
    rows = read_rows(window.ids)
    page = CursorPage(rows)
    if rows:
        if window.more or not forward:
            page.next_cursor = keyset.cursor_of(rows[-1])
        if window.more or forward:
            page.previous_cursor = keyset.cursor_of(rows[0])
    message = "" if rows else "There is nothing further in this direction."
    return page, message


def rows_in_order(
    queryset: QuerySet, window: QuerySet, read_rows: Callable[[list], list] | None = None
) -> list:
    """The records of ``window`` (a slice of ``queryset``), fetched by id, in its order.

    ``queryset``'s joins and prefetches are kept; its filters are not re-run. With
    ``read_rows``, what that makes of the ids instead (``archive.cards``). A window of a
    walked list (``archive.walks``) holds the ids already.
    """
    if isinstance(window, IdWindow):
        return read_rows(window) if read_rows else _rows_of(queryset, window)
    if not isinstance(window, QuerySet) or window._fields is not None:
        return list(window)  # a list or a values() query: nothing wide to defer
    ids = list(window.values_list("pk", flat=True))
    return read_rows(ids) if read_rows else rows_by_id(queryset, ids)


def _rows_of(rows: QuerySet | WalkedRows, ids: list) -> list:
    """``rows_by_id`` for a queryset or a walked list's (built only now)."""
    return rows_by_id(rows.queryset if isinstance(rows, WalkedRows) else rows, ids)


def rows_by_id(queryset: QuerySet, ids: list) -> list:
    """The records with these ids, in this order, with ``queryset``'s joins, prefetches and
    deferred columns."""
    if not ids:
        return []
    rows = queryset.model._default_manager.filter(pk__in=ids)
    rows.query.select_related = queryset.query.select_related
    rows.query.deferred_loading = queryset.query.deferred_loading
    rows = rows.prefetch_related(*queryset._prefetch_related_lookups)
    by_id = {row.pk: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass
class FormField:
    """One control of the filter form, ready for the template."""

    name: str
    label: str
    kind: str  # "text", "date" or "select"
    value: str = ""
    options: list[FacetOption] = field(default_factory=list)
    any_label: str | None = None
    errors: list[str] = field(default_factory=list)
    hint: str = ""

    @property
    def id(self) -> str:
        return f"filter-{self.name}"

    @property
    def options_html(self) -> SafeString:
        """The ``<option>`` elements, escaped; built here because a facet can have a hundred
        options and a form several facets, which template loops render slowly."""
        parts = []
        for option in self.options:
            selected = " selected" if option.selected else ""
            count = f" ({option.count})" if option.count >= 0 else ""
            parts.append(
                f'<option value="{escape(option.value)}"{selected}>{escape(option.label)}'
                f"{count}</option>"
            )
        return mark_safe("\n".join(parts))  # noqa: S308 -- every value escaped above

    @property
    def described_by(self) -> str:
        """Ids of the hint and error messages, for ``aria-describedby``."""
        ids = [f"{self.id}-hint"] if self.hint else []
        ids += [f"{self.id}-error-{n}" for n in range(1, len(self.errors) + 1)]
        return " ".join(ids)


@dataclass
class Chip:
    """A filter in force, with the query string that removes it."""

    name: str
    label: str
    value: str
    remove_query: QueryDict


def chip_value(filters: Mapping, name: str, value) -> str:
    """What a filter's chip says of its cleaned ``value``: a name, not a slug; ``filters``
    are a filterset's (declared or bound) filters."""
    if name == "office":
        return value.post
    if name == "q":
        return f"“{value}”"
    if hasattr(value, "text"):  # a DateSpan
        return value.text
    if hasattr(value, "slug"):
        return str(value)
    choices = dict(filters[name].extra.get("choices", ()))
    return str(choices.get(value, value))


def _worth_keeping(filters: dict[str, str]) -> bool:
    """Whether counts under these filters are kept in the database (see ``cached_summary``):
    those of the lists readers browse (nothing chosen, or one theme, speaker, office …), of
    which there are as many as records; not those of searches and date ranges, which are
    without number."""
    return len(filters) <= 1 and not filters.keys() & set(TEXT_FIELDS)


def words_are_dense(filterset: StatementFilterSet, total: int) -> bool:
    """Whether a list with words holds one in ``DENSE_SHARE`` or more of the statements of
    its kind, so that its walk looks each statement up in the index (``search.matching``).

    Judged against the whole list's total as last counted. Until the whole has been counted
    since the last write (the counting thread is asked to), the list is taken as sparse:
    that plan is never slow.
    """
    if not filterset.active_values().get("q"):
        return False
    whole = known_summary("total", (filterset.counts_kind(), {}))
    if whole is None:
        unfiltered = type(filterset)(data=QueryDict(), queryset=filterset.queryset)
        count_total_later(unfiltered)
        return False
    return total * DENSE_SHARE >= whole


def known_total(filterset: StatementFilterSet) -> int | None:
    """How many statements the (valid) filters match, if the list with these filters has
    been counted since the last write; else None."""
    return known_summary("total", filterset.summary_parts())


def count_total_later(filterset: StatementFilterSet) -> None:
    """Have the counting thread count what the (valid) filters match, as the list page with
    these filters would, for ``known_total`` to give the next reader."""
    kind, keys = filterset.summary_parts()
    made = type(filterset)
    data, queryset, request = filterset.data, filterset.queryset, filterset.request
    count_later(
        "total",
        (kind, keys),
        # A filterset of its own: filtering sets state, and this runs in another thread.
        lambda: made(data=data, queryset=queryset, request=request).qs.count(),
        keep=_worth_keeping(keys),
    )


def statement_listing(
    request: HttpRequest,
    filterset_class: type[StatementFilterSet],
    queryset: QuerySet,
    *,
    fixed: dict[str, str] | None = None,
    shown: tuple[str, ...] | None = None,
    wait_for_counts: bool = False,
    cards: Callable[[list], list] | None = None,
) -> dict:
    """Filter, count, facet and paginate statements; the context a list template needs.

    ``fixed`` pins filters that the page's URL already decides (the theme on a theme page);
    they are neither shown in the form nor offered as removable chips. ``shown`` names the
    filters the form offers, in order (all of them by default).

    Facet counts that another request is still making (the first visits to a large list on
    an empty cache take seconds) are not waited for: the list is shown at once with those
    menus offering only "Any" and a note (``counts_pending``), and the page is marked
    ``incomplete`` so neither the page cache nor a CDN keeps it. A page that shows the
    counts themselves passes ``wait_for_counts``. ``cards`` reads the page's rows from their
    ids (``archive.cards.quote_cards`` or ``speech_items``) instead of as ``queryset``'s models.
    """
    fixed = fixed or {}
    data = request.GET.copy()
    for name, value in fixed.items():
        data[name] = value
    filterset = filterset_class(data=data, queryset=queryset, request=request)
    names = [n for n in (shown or tuple(filterset.filters)) if n not in fixed]
    active = filterset.active_values()
    errors = filterset.errors

    facet_names = tuple(n for n in names if n in filterset.FACETS)

    # Each facet is cached under the filters it depends on (all but its own), so choosing a
    # theme reuses the theme counts already made for the unfiltered list, and so on.
    kind, keys = filterset.summary_parts()

    request_thread = threading.current_thread()

    def detached():
        # A count made in the counting thread (archive.background) gets a filterset of its
        # own: this request goes on using its filterset meanwhile, and filtering sets state.
        if threading.current_thread() is request_thread:
            return filterset
        return filterset_class(data=data, queryset=queryset, request=request)

    def remember(name: str, compute):
        others = {k: v for k, v in keys.items() if k != name}
        parts = (kind, name, others)
        if name in FACET_FORMATS:  # counted differently since: not read as stored before
            parts = (kind, name, FACET_FORMATS[name], others)
        return cached_summary(
            "facet",
            parts,
            lambda: detached().facet_rows(name),
            wait=wait_for_counts,
            keep=_worth_keeping(others),
            min_ms=small_count_min_ms(),
        )

    facets = filterset.facets(facet_names, remember=remember)
    total = cached_summary(
        "total",
        (kind, keys),
        lambda: detached().qs.count(),
        wait=wait_for_counts,
        keep=_worth_keeping(keys),
        min_ms=small_count_min_ms(),
    )
    total_capped = False
    if total is PENDING:
        # Counted up to where page numbers end: enough to number the pages, and cheap.
        total = filterset.qs.order_by()[: numbered_rows() + 1].count()
        total_capped = total > numbered_rows()
        total = min(total, numbered_rows())
    if filterset.pending_facets or total_capped:
        mark_incomplete(request)
    keyset = filterset.keyset()
    rows_queryset = None
    if keyset is not None and filterset.walks(total, _page_end(request)):
        # A large set: read the page by walking the date index, not by sorting the set (a
        # page then costs a few hundred index steps at worst; below the threshold, sorting
        # the set is cheaper unless its pages are found sooner by walking; ``walks``). Its
        # page reads are written once per set of filter values.
        rows_queryset = filterset.walked(total)
    page, page_message = paginate(
        request,
        # The walking set serves as the page's queryset too (the same records, joins and
        # prefetches): building the sorted one as well cost a millisecond for nothing.
        filterset.qs if rows_queryset is None else rows_queryset,
        # A capped total still runs on past the numbered pages (by cursor).
        count=total + 1 if total_capped else total,
        keyset=keyset,
        rows_queryset=rows_queryset,
        read_rows=cards,
    )

    fields = []
    for name in names:
        filt = filterset.filters[name]
        if name in TEXT_FIELDS:
            fields.append(
                FormField(
                    name,
                    filt.label,
                    "date" if name.startswith("date_") else "text",
                    value=request.GET.get(name, ""),
                )
            )
        elif name == "sort":
            chosen = active.get("sort") or filterset.default_sort()
            options = [
                FacetOption(value, label, -1, value == chosen)
                for value, label in filt.extra["choices"]
                if value != "relevance" or active.get("q")
            ]
            fields.append(FormField(name, filt.label, "select", options=options))
        else:
            fields.append(
                FormField(
                    name,
                    filt.label,
                    "select",
                    options=facets.get(name, []),
                    any_label=ANY_LABELS.get(name, "Any"),
                )
            )
        fields[-1].errors = list(errors.get(name, []))
        fields[-1].hint = HINTS.get(name, "")

    chips = []
    for name, value in active.items():
        if name in fixed or name == "sort":
            continue
        remaining = request.GET.copy()
        # A wider list starts at its first page: a position in this one (a page number, or
        # a cursor from "Next") would land part-way down it.
        for key in (name, "page", "after", "before"):
            remaining.pop(key, None)
        chips.append(
            Chip(
                name,
                filterset.filters[name].label,
                chip_value(filterset.filters, name, value),
                remaining,
            )
        )

    if filterset.ranks_too_many():
        page_message = " ".join(filter(None, [RANKS_TOO_MANY, page_message]))
    elif request.GET.get("sort") == "relevance" and not active.get("q"):
        # Nothing to rank by: the list is in its default order, and says so.
        page_message = " ".join(filter(None, [RANKS_WITHOUT_WORDS, page_message]))
    # A theme's page asked for another theme shows its own, and says so (its feed refuses).
    overridden = [
        name for name, value in fixed.items() if request.GET.getlist(name) not in ([], [value])
    ]
    if overridden:
        noun = {"office": "post"}.get(overridden[0], overridden[0])
        note = f"This page is for one {noun} already, so the {noun} asked for was left out."
        page_message = " ".join(filter(None, [page_message, note]))
    return {
        "filterset": filterset,
        "page_obj": page,
        "page_message": page_message,
        "form_fields": fields,
        "chips": chips,
        "facets": facets,
        "total": total,
        # The total is a lower bound ("more than ..."): the exact count is still being made.
        "total_capped": total_capped,
        "is_filtered": bool(chips),
        "counts_pending": bool(filterset.pending_facets),
        # The page's title starts "Error:" (templates/base.html), as its error summary says.
        "has_errors": bool(errors),
    }


def _page_end(request: HttpRequest) -> int:
    """How many rows into the list the requested page ends: a page reached by cursor
    starts where its cursor names, so costs a walk of one page."""
    per_page = settings.ARCHIVE_PAGE_SIZE
    if "after" in request.GET or "before" in request.GET:
        return per_page
    try:
        number = int(request.GET.get("page", "").strip() or 1)
    except ValueError:
        number = 1
    return max(number, 1) * per_page


def timeline_context(request: HttpRequest, timeline) -> dict:
    """The template's ``timeline``, or ``timeline_pending`` while another request or the
    counting thread is still drawing it (the page is then marked incomplete: sent no-store,
    and kept by the page cache only for ``ARCHIVE_PENDING_PAGE_SECONDS``)."""
    if timeline is PENDING:
        mark_incomplete(request)
        return {"timeline": None, "timeline_pending": True}
    return {"timeline": timeline, "timeline_pending": False}
