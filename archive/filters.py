"""What readers can filter speeches and quotes by: the one place that knows the parameters.

Every parameter is optional and they combine (AND). They live in the URL, so a filtered list
can be bookmarked and shared:

==============  ===========================================================================
``q``           words to search for; matching is decided by ``archive.search``
``speaker``     a speaker's slug, e.g. ``andrew-lansley``
``minister``    ``1``: only speakers who have held a ministerial post; ``0``: only others
``office``      an office slug, e.g. ``secretary-of-state-for-health``: statements made
                while the speaker held that post (every holder, only during their term)
``event``       an event's slug
``event_kind``  conference, think-tank, meeting, letter-recipients, parliament, other
``theme``       a theme's slug
``kind``        the kind of statement: speech, letter, interview, statement
``quote_kind``  direct or reported (on speeches: those with at least one such quote)
``date_after``  on or after this date: ``2012-07-04``, ``2012-07`` or ``2012``
``date_before`` on or before this date, in the same formats
``sort``        newest (the default), oldest, or relevance (best match first, with ``q``;
                the default with ``q``, unless the words match more than
                ``SEARCH_MATCH_LIMIT`` statements)
==============  ===========================================================================

Dates are filtered honestly about precision. A statement known only as "July 2012" could
have been made on any day of July 2012, so it matches a range when *any* day it could have
been made falls inside the range: ``date_after=2012-07-15`` and ``date_before=2012-07-15``
both keep it. A statement whose date is unknown matches no date range. A partial bound
covers its whole period: ``date_after=2012-07`` starts on 1 July, ``date_before=2012-07``
ends on 31 July.

Invalid values never break the page: the filter is left out, the form reports the problem,
and the message never repeats what was typed.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import islice

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    DateField,
    Exists,
    Expression,
    F,
    Min,
    Model,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.lookups import Exact

from archive import budget, search
from archive.keyset import Keyset, NoIndex, walk_from_rows
from archive.models import (
    DatedTag,
    DatePrecision,
    Event,
    EventKind,
    Office,
    PledgeStatus,
    Quote,
    QuoteKind,
    Speaker,
    Speech,
    SpeechKind,
    Status,
    Theme,
)
from archive.pending import PENDING
from archive.prepared import AmongRows, PreparedRecords
from archive.search.query import MAX_QUERY_CHARS, NOT_XML, clean_query_text
from archive.walks import DatedTagRows, WalkedRows

# Facet lists beside a <select> stay short enough to scan: the most frequent choices only.
FACET_LIMIT = 100
SCAN_CHUNK = 10_000  # rows per read when several facets are counted in one pass
COLUMNS_GROUP = "columns:"  # the key of column facets counted together (see ``facet_rows``)
# The words a list, feed, export or the API takes: as many as the search page reads (it
# shortens longer ones and says so); longer input is refused, not quietly cut.
MAX_QUERY_LENGTH = MAX_QUERY_CHARS
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", re.ASCII)  # not "٢٠١٢"

SORT_CHOICES = [
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
    ("relevance", "Best match (with words)"),
]
MINISTER_CHOICES = [("1", "Ministers only"), ("0", "Not ministers")]


# --- Form fields --------------------------------------------------------------------------


class SlugChoiceField(forms.Field):
    """A record chosen by its slug. Returns the record; unknown slugs are a form error."""

    def __init__(self, *, queryset: QuerySet, noun: str, **kwargs):
        self.queryset = queryset
        self.noun = noun
        super().__init__(**kwargs)

    def to_python(self, value) -> Model | None:
        if value in self.empty_values:
            return None
        value = str(value).strip()
        # Checked before any query: hostile values never reach the database.
        if not _SLUG.fullmatch(value):
            raise ValidationError(f"Choose a {self.noun} from the list.", code="invalid_choice")
        record = _record_by_slug(self.queryset, value)
        if record is None:
            raise ValidationError(
                f"There is no {self.noun} with that name in the archive; choose one from the list.",
                code="invalid_choice",
            )
        return record


# The reads of a record by its slug that the filters' fields make, written once each
# (``archive.prepared``): a list filtered by a theme and a speaker looks both up first.
_BY_SLUG: dict[tuple, PreparedRecords] = {}


def _record_by_slug(queryset: QuerySet, slug: str) -> Model | None:
    """The first record of ``queryset`` (unfiltered, in its order) whose slug is ``slug``."""
    if queryset.query.where:  # not a read to keep
        return queryset.filter(slug=slug).first()
    order = tuple(queryset.query.order_by) or ("pk",)
    key = (queryset.model, order)
    if key not in _BY_SLUG:
        model = queryset.model
        _BY_SLUG[key] = PreparedRecords(
            model, lambda value: model._default_manager.filter(slug=value).order_by(*order)[:1]
        )
    found = _BY_SLUG[key].records(slug)
    return found[0] if found else None


@dataclass(frozen=True)
class DateSpan:
    """The first and last day a partial date ("2012-07") could mean."""

    start: dt.date
    end: dt.date
    text: str


class PartialDateField(forms.Field):
    """A date as precise as the reader likes: ``2012-07-04``, ``2012-07`` or ``2012``."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": "Enter a date as YYYY-MM-DD, YYYY-MM or YYYY, for example 2012-07-04.",
    }

    def to_python(self, value) -> DateSpan | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        match = _PARTIAL_DATE.fullmatch(text) if len(text) <= 10 else None
        if match is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            if month is None:
                return DateSpan(dt.date(year, 1, 1), dt.date(year, 12, 31), text)
            if day is None:
                last = calendar.monthrange(year, month)[1]
                return DateSpan(dt.date(year, month, 1), dt.date(year, month, last), text)
            day_date = dt.date(year, month, day)
            return DateSpan(day_date, day_date, text)
        except (ValueError, calendar.IllegalMonthError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class StatementFilterForm(forms.Form):
    """Checks that the date range runs forwards and that the words hold one to look for."""

    def clean(self):
        cleaned = super().clean()
        if hasattr(self.data, "getlist"):
            for name, field in self.fields.items():
                # One value each: of "?speaker=a&speaker=b" the form would quietly keep the
                # last, and the list would look filtered by both (the API refuses it too).
                if len(self.data.getlist(name)) > 1 and not isinstance(
                    field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField
                ):
                    self.add_error(name, "Give this filter once.")
        after, before = cleaned.get("date_after"), cleaned.get("date_before")
        if after and before and after.start > before.end:
            self.add_error("date_before", "The end date is before the start date.")
        words = cleaned.get("q")
        if words and clean_query_text(words)[1]:
            # Within the limit as typed but longer once folded ("ﬃ" is three letters): the
            # search would read only the first MAX_QUERY_CHARS of it.
            self.add_error("q", self.fields["q"].error_messages["max_length"])
        elif words:
            parsed = search.parse_query(words)
            if not parsed.is_searchable:
                # Nothing to look for ("the", "-nhs"): say why, as the search page does,
                # rather than list nothing.
                why = " ".join(parsed.notices) or "There is no word to look for in these."
                self.add_error("q", why)
        if cleaned.get("sort") == "relevance" and not cleaned.get("q"):
            # Nothing to rank by: fall back to the default order quietly.
            cleaned["sort"] = ""
        return cleaned


class PeriodEnd(Expression):
    """The last day a statement's stored date stands for, in SQL: the date itself, or the
    last day of its month or year when its precision is only that (``models.period_end``)."""

    output_field = DateField()

    def __init__(self, date, precision):
        super().__init__()
        self.date, self.precision = date, precision

    def get_source_expressions(self):
        return [self.date, self.precision]

    def set_source_expressions(self, exprs):
        self.date, self.precision = exprs

    def as_sql(self, compiler, connection):
        # SQLite keeps dates as ISO text, which date() reads and writes.
        return self._case(
            compiler,
            "date({0}, 'start of year', '+1 year', '-1 day')",
            "date({0}, 'start of month', '+1 month', '-1 day')",
        )

    def as_postgresql(self, compiler, connection):
        return self._case(
            compiler,
            "(date_trunc('year', {0}) + interval '1 year - 1 day')::date",
            "(date_trunc('month', {0}) + interval '1 month - 1 day')::date",
        )

    def _case(self, compiler, year_end: str, month_end: str) -> tuple[str, list]:
        date, date_params = compiler.compile(self.date)
        precision, precision_params = compiler.compile(self.precision)
        sql = (
            f"CASE {precision} WHEN 'year' THEN {year_end.format(date)} "
            f"WHEN 'month' THEN {month_end.format(date)} ELSE {date} END"
        )
        # The date is written three times, after the precision.
        return sql, [*precision_params, *date_params * 3]


# --- Filters ------------------------------------------------------------------------------

CHOICE_ERROR = {"invalid_choice": "Choose one of the options in the list."}


class CopiedLightly:
    """A declared filter that each filterset copies without copying what it was declared
    with (a queryset, a list of choices), which no request changes.

    django-filter deep-copies every declared filter for every filterset it makes: with the
    speaker, office, event and theme filters' querysets, about 1.5 ms of each list page.
    """

    def __deepcopy__(self, memo):
        copied = copy.copy(self)
        # Re-bound, so that the copy's method is looked up on the copy's own filterset.
        copied.method = self.method
        return copied


class WordsField(forms.CharField):
    """The words box: what a reader typed, less what no XML document may hold (noncharacters
    and lone surrogates), which a feed would repeat in its title."""

    _NOT_XML = re.compile(f"[{NOT_XML}]")

    def to_python(self, value):
        return self._NOT_XML.sub("", super().to_python(value))


class WordsFilter(CopiedLightly, django_filters.CharFilter):
    field_class = WordsField


class SlugFilter(CopiedLightly, django_filters.Filter):
    field_class = SlugChoiceField


class OptionFilter(CopiedLightly, django_filters.Filter):
    field_class = forms.ChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", CHOICE_ERROR)
        super().__init__(*args, **kwargs)


class PartialDateFilter(CopiedLightly, django_filters.Filter):
    field_class = PartialDateField


@dataclass(frozen=True)
class FacetOption:
    """One choice beside a filter: its URL value, what readers see, and how many match."""

    value: str
    label: str
    count: int
    selected: bool = False


# A cache for facet rows: called with a facet's name and the function that counts it.
Remember = Callable[[str, Callable[[], list[tuple]]], list[tuple]]


def said_in_post(slug: str, speech_path: str = "speech__") -> Q:
    """Statements made in the post ``slug``: by a speaker holding it on the statement's date,
    and throughout its month or year when only that is known; the rule of the office shown
    on a statement (``Speaker.office_on``). An undated statement has no office (as its
    facet and its page say), even under a term whose dates are both unknown, which no NULL
    comparison would rule out; unless its source names the post (``Speech.stated_office``
    for the speech's speaker, ``Quote.stated_office`` for a quotation), which counts
    whatever the date. ``speech_path`` leads from
    the statement to its speech (empty for speeches)."""
    date = OuterRef(f"{speech_path}date")
    last = PeriodEnd(date, OuterRef(f"{speech_path}date_precision"))
    terms = Office.objects.filter(slug=slug)
    held = terms.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=date),
        Q(end_date__isnull=True) | Q(end_date__gte=last),
        speaker=OuterRef("speaker"),
    )
    # The speech's column against the post's terms, not a join to the offices.
    stated = Q(**{f"{speech_path}stated_office__in": terms.values("pk")})
    if speech_path:  # a quotation: its speech's post is its speech's speaker's, unless
        # the source names one for the quotation itself (``Quote.stated_office``), which
        # comes first (``stated_office_of``)
        stated &= Q(speaker_id=F(f"{speech_path}speaker_id"), stated_office__isnull=True)
        stated |= Q(stated_office__in=terms.values("pk"))
    return Q(Exists(held), **{f"{speech_path}date__isnull": False}) | stated


class StatementFilterSet(django_filters.FilterSet):
    """Filters shared by speeches and quotes.

    Subclasses say where a statement's speech lives (``speech_path``: ``""`` for a Speech,
    ``"speech__"`` for a Quote); every filter is written once against that path.
    """

    speech_path = ""

    q = WordsFilter(
        method="filter_q",
        label="Words",
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": f"Use at most {MAX_QUERY_LENGTH} characters.",
            "null_characters_not_allowed": "Use words only.",
        },
    )
    speaker = SlugFilter(
        method="filter_speaker", label="Speaker", queryset=Speaker.objects.all(), noun="speaker"
    )
    minister = OptionFilter(method="filter_minister", label="Ministers", choices=MINISTER_CHOICES)
    office = SlugFilter(
        method="filter_office",
        label="Office held",
        queryset=Office.objects.order_by("start_date"),
        noun="office",
    )
    event = SlugFilter(
        method="filter_event", label="Event", queryset=Event.objects.all(), noun="event"
    )
    event_kind = OptionFilter(
        method="filter_event_kind", label="Kind of event", choices=EventKind.choices
    )
    theme = SlugFilter(
        method="filter_theme", label="Theme", queryset=Theme.objects.all(), noun="theme"
    )
    kind = OptionFilter(method="filter_kind", label="Kind of statement", choices=SpeechKind.choices)
    quote_kind = OptionFilter(
        method="filter_quote_kind", label="Quotation", choices=QuoteKind.choices
    )
    date_after = PartialDateFilter(method="filter_date_after", label="From")
    date_before = PartialDateFilter(method="filter_date_before", label="To")
    sort = OptionFilter(method="filter_sort", label="Order", choices=SORT_CHOICES)

    # Filters with a list of choices and counts beside each, in the order the form shows them.
    FACETS = ("speaker", "minister", "office", "event", "event_kind", "theme", "kind", "quote_kind")

    class Meta:
        form = StatementFilterForm
        fields: list[str] = []

    # Paths from the filtered model to the statement's speech fields.
    def _p(self, name: str) -> str:
        return f"{self.speech_path}{name}"

    # -- filter methods --------------------------------------------------------------------

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if self.walk_in_order:
            # Read in date order (never by relevance: that has no keyset, so no walk).
            return search.matching(queryset, value, dense=self.dense_words)
        return search.filter_queryset(queryset, value)

    def filter_speaker(self, queryset: QuerySet, name: str, value: Speaker) -> QuerySet:
        return queryset.filter(speaker=value)

    def filter_minister(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # DESIGN.md: a minister is a speaker who has held a ministerial post at some time.
        is_minister = Exists(
            Office.objects.filter(speaker=OuterRef("speaker"), is_ministerial=True)
        )
        return queryset.filter(is_minister if value == "1" else ~is_minister)

    def filter_office(self, queryset: QuerySet, name: str, value: Office) -> QuerySet:
        return queryset.filter(said_in_post(value.slug, self.speech_path))

    def filter_event(self, queryset: QuerySet, name: str, value: Event) -> QuerySet:
        return queryset.filter(**{self._p("event"): value})

    def filter_event_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{self._p("event__kind"): value})

    def filter_theme(self, queryset: QuerySet, name: str, value: Theme) -> QuerySet:
        raise NotImplementedError

    def filter_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{self._p("kind"): value})

    def filter_quote_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        raise NotImplementedError

    def filter_date_after(self, queryset: QuerySet, name: str, value: DateSpan) -> QuerySet:
        # A statement matches when the last day it could have been made is on or after the
        # bound. Dates known to the month/year are stored as their first day, so compare
        # with the first day of the bound's month/year.
        start = value.start
        date, precision = self._p("date"), self._p("date_precision")
        return queryset.filter(
            # Implied by each case below, and alone a range of the date index the database
            # can start from (a year's speeches: 3 -> 0.3 ms at 100,000 speeches).
            Q(**{f"{date}__gte": dt.date(start.year, 1, 1)}),
            Q(**{precision: DatePrecision.DAY, f"{date}__gte": start})
            | Q(**{precision: DatePrecision.MONTH, f"{date}__gte": start.replace(day=1)})
            | Q(**{precision: DatePrecision.YEAR, f"{date}__gte": dt.date(start.year, 1, 1)}),
        )

    def filter_date_before(self, queryset: QuerySet, name: str, value: DateSpan) -> QuerySet:
        # The first day a statement could have been made is its stored date, whatever the
        # precision; unknown dates are NULL and never match.
        return queryset.filter(**{f"{self._p('date')}__lte": value.end})

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "oldest":
            return queryset.order_by(*self.oldest_first)
        if value == "newest":
            return queryset.order_by(*self.newest_first)
        return queryset  # relevance: the order the search gave

    # -- the filtered set ------------------------------------------------------------------

    newest_first: tuple = ()
    oldest_first: tuple = ()
    # The orders that can be paged by position (``?after=``), by sort choice.
    keysets: dict[str, Keyset] = {}
    # Set on a filterset that reads rows in list order from a large set (see
    # ``statement_listing``): filters then let the database walk the date index.
    walk_in_order = False
    # Set when most records walked are known to match the words (see ``walked``).
    dense_words = False
    # The filters the set being built applies, by name (``filter_queryset`` sets it, or
    # ``filtered_without`` for a facet): a filter's plan can depend on the others.
    applied: dict[str, object] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Facets whose counts another request is still making (see ``facets``).
        self.pending_facets: set[str] = set()
        self._default_sort: str | None = None

    def get_form_class(self):
        """The form that validates the filters: made once per filterset class.

        Its fields depend on the class's filters alone; django-filter makes a new form class
        for every request, with a new field per filter (about 0.5 ms of each list page).
        Each form still deep-copies its fields, so no request changes another's.
        """
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    @classmethod
    def counts_kind(cls) -> str:
        """The name this list's counts are kept under (see ``statement_listing``)."""
        return cls.__name__

    def default_sort(self) -> str:
        """The order when the reader chose none: newest first, or with words best match
        first, unless the words are in more statements of the archive than a search ranks
        (``SEARCH_MATCH_LIMIT``, counted no further). Ranking every match of a common word
        took over a second at a million quotations (the search page ranks the newest
        thousand instead); such a list is newest first and says so (``ranks_too_many``).
        The words alone decide, not the other filters: the same words always give the
        same order, and counting them is one capped read of the index.
        """
        if self._default_sort is None:
            words = self.active_values().get("q")
            many = bool(words) and self._matches_many(words)
            self._default_sort = "relevance" if words and not many else "newest"
        return self._default_sort

    def _matches_many(self, words: str) -> bool:
        """``search.matches_many`` for this list's statements, counted once for each state of
        the archive (1-4 ms at a million quotations, which every page of the list paid).
        Imported here: archive.views imports this module."""
        from archive.views.summaries import cached_summary, small_count_min_ms

        return cached_summary(
            "many-matches",
            (self.counts_kind(), words),
            lambda: search.matches_many(self.queryset, words),
            keep=False,
            min_ms=small_count_min_ms(),
        )

    def ranks_too_many(self) -> bool:
        """Whether the words match too many statements to be put in best-match order
        unasked (see ``default_sort``)."""
        active = self.active_values()
        return (
            bool(active.get("q")) and not active.get("sort") and self.default_sort() != "relevance"
        )

    def keyset(self) -> Keyset | None:
        """The keyset of the order in force, or None (a search ranked by relevance)."""
        return self.keysets.get(self.active_values().get("sort") or self.default_sort())

    def walks(self, total: int, end: int) -> bool:
        """Whether this (valid) set of ``total`` records, in an order with a keyset, has its
        rows up to the ``end``-th read by walking the date index (see ``walking``) rather
        than by gathering and sorting the set.

        From ``walk_from_rows()`` records, always: sorting the set would cost more. Fewer are
        walked when the walk finds them sooner than the set is gathered (``walks_sooner``).
        """
        return self.reads_in_order() or total >= walk_from_rows() or self.walks_sooner(total, end)

    def reads_in_order(self) -> bool:
        """Whether this set is held in list order by an index of its own, so that any part of
        it is read from there whatever its size (``dated_theme``)."""
        return self.dated_theme() is not None

    # The list's order over the dated tags' columns (``DatedTag``), its last field the
    # column naming the list's records; None where the tags hold no such list. The filters
    # that the tags can apply besides the theme.
    dated_keyset: Keyset | None = None
    dated_filters = frozenset({"sort", "date_after", "date_before"})

    def dated_theme(self) -> Theme | None:
        """The theme, when this set is that theme's published statements newest first,
        perhaps between two dates (or by one speaker, for quotations: ``dated_filters``),
        and nothing more: a list the dated tags' indexes hold in order (``DatedTag``), read
        from there (``DatedTagRows``, ``dated_tags``) whatever the theme's size. None for
        any other set (more filters, words, another order, another list's statements, a
        filter not valid)."""
        if "_dated_theme" not in self.__dict__:  # asked several times a request
            active = self.active_values()
            theme = active.get("theme")
            model = self.queryset.model
            dated = (
                self.dated_keyset is not None
                and theme is not None
                and not active.keys() - {"theme", *self.dated_filters}
                and active.get("sort", "newest") == "newest"
                and not self.errors
                and self.queryset.query.where == model.objects.published().query.where
            )
            self._dated_theme = theme if dated else None
        return self._dated_theme

    def dated_tags(self) -> QuerySet:
        """The tags of ``dated_theme()``'s list, its dates applied as ``filter_date_after``
        and ``filter_date_before`` apply them to the statements, and its speaker (not yet
        ordered)."""
        theme, active = self.dated_theme(), self.active_values()
        tags = DatedTag.objects.using(self.queryset.db).filter(
            theme_id=theme.pk, status=Status.PUBLISHED
        )
        after, before = active.get("date_after"), active.get("date_before")
        if after is not None:
            start = after.start
            year = dt.date(start.year, 1, 1)
            # On or after the bound's day whatever the precision (no lookup); or earlier in
            # its month or year, as far as the speech's precision allows (a lookup for those
            # few rows only).
            vague = Speech.objects.filter(pk=OuterRef("speech_id")).filter(
                Q(date_precision=DatePrecision.YEAR)
                | Q(date_precision=DatePrecision.MONTH, date__gte=start.replace(day=1))
            )
            tags = tags.filter(Q(date__gte=year), Q(date__gte=start) | Exists(vague))
        if before is not None:
            tags = tags.filter(date__lte=before.end)
        if "speaker" in active:
            tags = tags.filter(speaker_id=active["speaker"].pk)
        return tags

    # What walking one row of the date index costs, in tags gathered (see ``walks_sooner``).
    walked_row_cost = 1

    def walks_sooner(self, total: int, end: int) -> bool:
        """Whether walking to the ``end``-th of ``total`` records costs less than gathering
        them from a theme's tags.

        A theme's statements narrowed further (by dates, a kind) are gathered from all the
        theme's tags: at a million quotations, 11 ms for a theme of 6,300 quotations, where
        walking to the first page's end took 0.5 ms, and 7.8 ms for a theme's 3,400
        speeches, where the walk took 1.7. A walk meets the set's records about once in
        ``whole / total`` rows (``walked_row_cost`` tags' worth each), so it is chosen when
        reaching ``end`` of them costs less than the theme's tags. The whole list's size is
        its last count; until it is known, the set is gathered, as before.
        """
        from archive.views.summaries import known_summary  # archive.views imports this module

        theme = self.active_values().get("theme")
        if theme is None or total <= 0:
            return False
        whole = known_summary("total", (self.counts_kind(), {}))
        if whole is None:
            return False
        return end * whole * self.walked_row_cost < tag_count(theme) * total

    def walking(self) -> QuerySet:
        """This set, built to be read by walking the date index (``walk_in_order``): for a
        page of a large set, where sorting the whole set would cost more.

        Built from this filterset's validated form, as ``qs`` is: a second filterset would
        validate the filters again (a query per record named) and copy every field.
        """
        queryset = self.queryset.all()
        if not self.is_bound:
            return queryset
        self.errors  # noqa: B018  (validates the form, as ``qs`` does)
        self.walk_in_order = True
        try:
            return self.filter_queryset(queryset)
        finally:
            self.walk_in_order = False

    def walked(self, total: int) -> WalkedRows:
        """This (valid) set of ``total`` records as ``walking()`` reads it (or the dated tags,
        ``dated_theme``), its page reads written once per set of filter values
        (``archive.walks``). How many there are decides how the set's words are looked up
        (``words_are_dense``)."""
        if self.dated_theme() is not None:
            return DatedTagRows(self)
        # Imported here: archive.views imports this module.
        from archive.views.listing import words_are_dense

        self.dense_words = words_are_dense(self, total)
        return WalkedRows(self)

    def summary_parts(self) -> tuple[str, dict[str, str]]:
        """What this list's counts are kept under: its kind of list and its filters (not the
        order). The kind is the list's own filterset's name, which the API's filtersets
        (subclasses that change no filter) share, so the API can use a list's total."""
        keys = {name: v for name, v in self.active_keys().items() if name != "sort"}
        return self.counts_kind(), keys

    def counted_to(self, limit: int) -> int:
        """How many records this (valid) set holds, counted no further than ``limit``
        rows, once for each state of the archive when counting took a page's small-count
        time (``small_count_min_ms``): a feed or an API page of a list nobody has counted in
        full counted it again for every request (13 ms for a speaker's quotations on
        PostgreSQL at a million)."""
        from archive.views.summaries import cached_summary, small_count_min_ms  # see above

        made, data, queryset, request = type(self), self.data, self.queryset, self.request

        def count() -> int:
            # A filterset of its own: a stale count is made again in the counting thread,
            # and filtering sets state this request's filterset goes on using.
            return made(data=data, queryset=queryset, request=request).qs.order_by()[:limit].count()

        return cached_summary(
            "counted-to",
            (*self.summary_parts(), limit),
            count,
            keep=False,
            min_ms=small_count_min_ms(),
            current=True,  # the API's count, given beside the rows it counts
        )

    def first_ids(
        self, n: int, *, known: int | None = None, uncounted: Callable[[], None] | None = None
    ) -> list[int]:
        """The ids of the first ``n`` records of this (valid) set, read as a list page reads
        them: by walking the date index when the set has ``walk_from_rows()`` records or
        more or the walk finds them sooner (``walks``), else by sorting the set's narrow
        rows. ``known`` is the set's size if the caller has it (the list page's kept total);
        else it is counted, no further than the threshold (6–10 ms for a big theme at a
        million quotations), and ``uncounted`` is called when the set reaches it, to have
        the whole set counted for next time."""
        threshold = walk_from_rows()
        if self.keyset() is not None:
            if self.reads_in_order():
                return self.walked(0).ids(0, n)  # read in order, however many there are
            size = self.counted_to(threshold) if known is None else known
            if size >= threshold and known is None and uncounted is not None:
                uncounted()
            if self.walks(size, n):
                return self.walked(size).ids(0, n)  # the sorted set is never built
        return list(self.qs.values_list("pk", flat=True)[:n])

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """Newest first unless a search ranks the results or the reader asks otherwise."""
        self.applied = self.active_values()
        filtered = super().filter_queryset(queryset.order_by(*self.newest_first))
        if self.ranks_too_many():
            filtered = filtered.order_by(*self.newest_first)
        return filtered

    def filtered_without(self, skip: str) -> QuerySet:
        """The statements matching every valid filter except ``skip`` (order irrelevant)."""
        self.applied = {name: v for name, v in self.active_values().items() if name != skip}
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name not in (skip, "sort"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def active_values(self) -> dict[str, object]:
        """The valid filters the reader has set, by name."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018  (validates the form so cleaned_data exists)
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", [], ())
        }

    # -- facets ----------------------------------------------------------------------------

    def facets(
        self, names: tuple[str, ...] | None = None, *, remember: Remember | None = None
    ) -> dict[str, list[FacetOption]]:
        """Choices with counts for each facet: one GROUP BY per facet, plus one for labels.

        Each facet counts what the reader would get by choosing that value with every
        *other* filter kept, so the counts beside the chosen value equal the results shown
        and the other values show where switching would lead. ``remember(name, compute)``
        may cache a facet's rows: they depend on every filter but the facet's own. If it
        gives ``PENDING`` (another request is counting them), the facet is offered without
        options for now (but the chosen one) and named in ``pending_facets``.
        """
        active = self.active_values()
        names = names if names is not None else self.FACETS
        columns = self._column_facets()
        # Facets on a column of the row whose own filter is not set all count the same rows
        # (the fully filtered set): one scan of those columns serves them all, instead of a
        # GROUP BY each over what can be hundreds of thousands of rows.
        shared = [n for n in names if n in columns and n not in active]
        scanned: dict[str, list[tuple]] = {}
        if shared:
            # Remembered together: they come from one read, and none of their own filters is
            # set, so they depend on exactly the same filters.
            group = COLUMNS_GROUP + ",".join(shared)
            compute = partial(self.facet_rows, group)
            scanned = remember(group, compute) if remember else compute()
            if scanned is PENDING:
                self.pending_facets.update(shared)
                scanned = {name: [] for name in shared}
        result = {}
        for name in names:
            if name in scanned:
                rows = scanned[name]
            else:
                compute = partial(self.facet_rows, name)
                rows = remember(name, compute) if remember else compute()
            if rows is PENDING:
                self.pending_facets.add(name)
                rows = []
            selected = self._selected_value(name, active.get(name))
            options = [
                FacetOption(str(v), str(label), n, str(v) == selected) for v, label, n in rows
            ]
            if selected and not any(o.selected for o in options):
                # Beyond the facet limit: still show it, chosen.
                label = self._selected_label(name, active.get(name))
                options.append(FacetOption(selected, label, -1, True))
            result[name] = options
        return result

    def facet_rows(self, key: str):
        """What ``facets`` counts for ``key``: one facet's rows (value, label, count), or,
        for a group of column facets (``"columns:speaker,kind"``), each one's rows by name.

        A ``remember`` hook may run this on a filterset of its own in another thread (see
        ``statement_listing``): it depends only on the filters set, not on earlier calls.
        """
        active = self.active_values()
        if key.startswith(COLUMNS_GROUP):
            shared = key.removeprefix(COLUMNS_GROUP).split(",")
            scan = _ColumnScan(self, shared, active)
            return {name: scan.facet(name) for name in shared}
        return list(getattr(self, f"_facet_{key}")(self._facet_base(key, active)))

    def _column_facets(self) -> dict[str, str]:
        """Facets that count a single-valued column of the filtered row, by path."""
        return {
            "speaker": "speaker",
            "minister": "speaker",
            "event": self._p("event"),
            "event_kind": self._p("event__kind"),
            "kind": self._p("kind"),
        }

    def _facet_base(self, name: str, active: dict) -> QuerySet:
        """The statements facet ``name`` counts, in a form that groups cheaply.

        No filter fans rows out (themes are matched one at a time, the rest are foreign keys
        or EXISTS), so the filtered set is grouped directly. A search's ranking expression
        cannot sit under a GROUP BY, so with words the facet groups the matching ids instead.
        """
        queryset = self.filtered_without(name).order_by()
        if active.get("q"):
            return self._model.objects.filter(pk__in=queryset.values("pk"))
        return queryset

    @property
    def _model(self) -> type[Model]:
        return self.queryset.model

    @staticmethod
    def _selected_value(name: str, value) -> str:
        if value in (None, ""):
            return ""
        return value.slug if hasattr(value, "slug") else str(value)

    def _selected_label(self, name: str, value) -> str:
        if name == "office":
            return value.post
        if isinstance(value, Model):
            return str(value)
        choices = dict(self.filters[name].extra.get("choices", ()))
        return str(choices.get(value, value))

    def active_keys(self) -> dict[str, str]:
        """The valid filters in force as plain strings: a stable key for caching."""
        return {
            name: repr(value) if isinstance(value, DateSpan) else self._selected_value(name, value)
            for name, value in sorted(self.active_values().items())
        }

    @staticmethod
    def _by_record(base, path: str, model: type[Model], *, distinct: bool = False):
        """The most frequent related records (at most FACET_LIMIT), sorted by name.

        Grouping by the foreign key alone, then naming the winners, is several times faster
        on a large archive than grouping by the joined names.
        """
        # Rows without a related record group under None and are dropped here: excluding
        # them in SQL costs a correlated subquery per row for a many-to-many path.
        rows = (
            base.values(path)
            .annotate(n=Count("pk", distinct=distinct))
            .order_by("-n")[: FACET_LIMIT + 1]
        )
        counts = {r[path]: r["n"] for r in rows if r[path] is not None}
        counts = dict(list(counts.items())[:FACET_LIMIT])
        named = model.objects.filter(pk__in=counts).values_list("pk", "slug", "name")
        return sorted(
            ((slug, name, counts[pk]) for pk, slug, name in named),
            key=lambda row: row[1].casefold(),
        )

    @staticmethod
    def _choice_facet(base, path: str, choices, *, distinct=False):
        counts = {
            r[path]: r["n"] for r in base.values(path).annotate(n=Count("pk", distinct=distinct))
        }
        return [(value, label, counts.get(value, 0)) for value, label in choices]

    def _facet_speaker(self, base):
        return self._by_record(base, "speaker", Speaker)

    def _facet_minister(self, base):
        ministers = Office.objects.filter(is_ministerial=True).values("speaker_id")
        counts = base.aggregate(
            ministers=Count("pk", filter=Q(speaker_id__in=ministers)), everyone=Count("pk")
        )
        return [
            ("1", "Ministers only", counts["ministers"]),
            ("0", "Not ministers", counts["everyone"] - counts["ministers"]),
        ]

    def _facet_office(self, base):
        """Each post with the statements made in it, as ``said_in_post`` counts them: by a
        speaker holding it on the statement's date, or named by the speech's source."""
        counts = self._held_by_date(base)
        # Statements whose source names a post (few: a curator sets it) count for that post
        # too, unless their date already counts them there.
        stated = self._p("stated_office__slug")
        named = base.filter(**{f"{self._p('stated_office')}__isnull": False})
        if self.speech_path:  # a quotation: the post named is its speech's speaker's,
            # unless its source names one for the quotation itself (counted below)
            named = named.filter(
                speaker_id=F(f"{self.speech_path}speaker_id"), stated_office__isnull=True
            )
        pairs = set(named.values_list("pk", stated))
        if self.speech_path:  # and the post a quotation's own source names
            own = base.filter(stated_office__isnull=False)
            pairs |= set(own.values_list("pk", "stated_office__slug"))
        if pairs:
            ids = {pk for pk, _ in pairs}
            dated = set(self._held_by_date(base.filter(pk__in=ids), pairs=True))
            missing = {slug for _, slug in pairs} - set(counts)
            if missing:  # posts beyond the top ones by date: their own counts by date
                counts.update(self._held_by_date(base, slugs=missing))
            counts.update(slug for _, slug in pairs - dated)
        counts = dict(counts.most_common(FACET_LIMIT))
        # One slug can be spelt two ways by different holders: show one name for it.
        posts = (
            Office.objects.filter(slug__in=counts)
            .values("slug")
            .annotate(post=Min("post"))
            .values_list("slug", "post")
        )
        return sorted(
            ((slug, post, counts[slug]) for slug, post in posts), key=lambda r: r[1].casefold()
        )

    def _held_by_date(self, base, *, pairs: bool = False, slugs=None):
        """The statements of ``base`` made while their speaker held a post (its whole month
        or year when only that is known; one filter() call, so one join): a Counter of them
        per post's slug, or with ``pairs`` the (statement, slug) pairs themselves.
        ``slugs`` counts those posts only."""
        date = F(self._p("date"))
        last = PeriodEnd(date, F(self._p("date_precision")))
        held = base.filter(
            Q(speaker__offices__start_date__isnull=True)
            | Q(speaker__offices__start_date__lte=date),
            Q(speaker__offices__end_date__isnull=True) | Q(speaker__offices__end_date__gte=last),
            **{f"{self._p('date')}__isnull": False},
        )
        if slugs is not None:
            held = held.filter(speaker__offices__slug__in=slugs)
        if pairs:
            return held.values_list("pk", "speaker__offices__slug").distinct()
        rows = (
            held.values("speaker__offices__slug")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n")[:FACET_LIMIT]
        )
        return Counter({r["speaker__offices__slug"]: r["n"] for r in rows})

    def _facet_event(self, base):
        return self._by_record(base, self._p("event"), Event)

    def _facet_event_kind(self, base):
        return self._choice_facet(base, self._p("event__kind"), EventKind.choices)

    def _facet_kind(self, base):
        return self._choice_facet(base, self._p("kind"), SpeechKind.choices)

    def _facet_theme(self, base):
        raise NotImplementedError

    def _facet_quote_kind(self, base):
        raise NotImplementedError


class _ColumnScan:
    """One read of the filtered set's facet columns, counted in Python for several facets.

    The counts equal the per-facet GROUP BYs (``_by_record``, ``_choice_facet``,
    ``_facet_minister``): each row is one statement, and every column is single-valued.
    """

    def __init__(self, filterset: StatementFilterSet, names: list[str], active: dict):
        self.filterset = filterset
        self.names = names
        self.active = active
        self._counts: dict[str, Counter] | None = None

    def _count(self) -> dict[str, Counter]:
        if self._counts is None:
            columns = self.filterset._column_facets()
            paths = list(dict.fromkeys(columns[name] for name in self.names))
            base = self.filterset._facet_base(self.names[0], self.active)
            by_path = {path: Counter() for path in paths}
            # Streamed in chunks, so a million rows never sit in memory at once.
            rows = base.values_list(*paths).iterator(chunk_size=SCAN_CHUNK)
            while chunk := list(islice(rows, SCAN_CHUNK)):
                budget.check()  # a request's attempt stops at its time limit
                for index, path in enumerate(paths):
                    by_path[path].update(row[index] for row in chunk)
            self._counts = {name: by_path[columns[name]] for name in self.names}
        return self._counts

    def facet(self, name: str) -> list[tuple]:
        """The facet's rows, as its ``_facet_<name>`` method would give them."""
        counts = self._count()[name]
        if name == "minister":
            ministers = set(
                Office.objects.filter(is_ministerial=True).values_list("speaker_id", flat=True)
            )
            inside = sum(n for speaker, n in counts.items() if speaker in ministers)
            everyone = sum(counts.values())
            return [("1", "Ministers only", inside), ("0", "Not ministers", everyone - inside)]
        choices = self.filterset.filters[name].extra.get("choices")
        if choices:
            return [(value, label, counts.get(value, 0)) for value, label in choices]
        model = {"speaker": Speaker, "event": Event}[name]
        ranked = sorted(
            ((n, pk) for pk, n in counts.items() if pk is not None), key=lambda c: (-c[0], c[1])
        )
        top = {pk: n for n, pk in ranked[:FACET_LIMIT]}
        named = model.objects.filter(pk__in=top).values_list("pk", "slug", "name")
        return sorted(
            ((slug, label, top[pk]) for pk, slug, label in named),
            key=lambda row: row[1].casefold(),
        )


class QuoteFilter(StatementFilterSet):
    """Filters for the quotes list, theme, office and search pages."""

    speech_path = "speech__"
    newest_first = (
        F("speech__date").desc(nulls_last=True),
        "-speech_id",
        "position",
        "pk",
    )
    oldest_first = (F("speech__date").asc(nulls_last=True), "speech_id", "position", "pk")
    keysets = {
        "newest": Keyset("speech__date", "speech_id", ("position", "pk"), descending=True),
        "oldest": Keyset("speech__date", "speech_id", ("position", "pk"), descending=False),
    }
    dated_keyset = Keyset("date", "speech_id", ("position", "quote_id"), descending=True)
    # The speaker who said the quotation, as ``filter_speaker`` has it.
    dated_filters = StatementFilterSet.dated_filters | {"speaker"}

    class Meta(StatementFilterSet.Meta):
        model = Quote

    def filter_speaker(self, queryset, name, value):
        if self.walk_in_order:
            # Without per-value statistics SQLite would start from the speaker's index and
            # sort all their quotes; "+" makes it walk the speeches in date order instead.
            return queryset.filter(Exact(NoIndex(F("speaker_id")), value.pk))
        if self._speaker_on_theme():
            # A set too small to walk: what the speaker said on the theme is one range of
            # the dated tags' index by theme and speaker, where joining the theme's tags to
            # the quotations looked each tagged quotation up (at a million quotations, a
            # speaker with 84,000 quotations and a theme with 6,300: 16 ms on SQLite, 44 on
            # PostgreSQL).
            theme = self.applied["theme"]
            tags = DatedTag.objects.filter(theme_id=theme.pk, speaker_id=value.pk)
            return queryset.filter(AmongRows("pk", tags.values("quote_id")))
        return queryset.filter(speaker=value)

    def filter_theme(self, queryset, name, value):
        if self.walk_in_order:
            # A join would make the database gather the whole theme and sort it; checking
            # each quote met in date order stops after one page.
            tagged = Quote.themes.through.objects.filter(quote_id=OuterRef("pk"), theme=value)
            return queryset.filter(Exists(tagged))
        if self._speaker_on_theme():
            return queryset  # the speaker's filter reads the theme's tags (above)
        return queryset.filter(themes=value)

    def _speaker_on_theme(self) -> bool:
        """Whether the set being built (not walked) is one speaker's on one theme."""
        return "speaker" in self.applied and "theme" in self.applied

    def filter_quote_kind(self, queryset, name, value):
        return queryset.filter(kind=value)

    def _facet_theme(self, base):
        if base.query.where == Quote.objects.published().query.where:
            # Every published quotation (no other filter is set): counted from the tags
            # table alone (see ``published_quotes_per_theme``), not by joining a million
            # quotations to their speeches. Imported here: archive.views imports this module.
            from archive.views.counts import published_quotes_per_theme

            counts = published_quotes_per_theme()
            top = sorted(counts, key=lambda pk: (-counts[pk], pk))[:FACET_LIMIT]
            named = Theme.objects.filter(pk__in=top).values_list("pk", "slug", "name")
            return sorted(
                ((slug, name, counts[pk]) for pk, slug, name in named),
                key=lambda row: row[1].casefold(),
            )
        return self._by_record(base, "themes", Theme)

    def _facet_quote_kind(self, base):
        return self._choice_facet(base, "kind", QuoteKind.choices)

    def _column_facets(self) -> dict[str, str]:
        return {**super()._column_facets(), "quote_kind": "kind"}


# Up to this many tagged quotations a theme's speeches are gathered rather than checked (at
# a million quotes: 53,000 took 0.3 s gathered, 1.1 s checked; 332,000 took 1.0 s gathered,
# 0.5 s checked).
FEW_TAGGED = 100_000


def tag_count(theme: Theme) -> int:
    """How many quotations carry ``theme``, counted no further than ``FEW_TAGGED + 1`` (that
    many entries of the tags' theme index at most), once for each state of the archive: 6 ms
    for a large theme at a million quotations. Unpublished quotations count too: the number
    only chooses between plans that give the same rows.
    Imported here: archive.views imports this module."""
    from archive.views.summaries import cached_summary, small_count_min_ms

    def count() -> int:
        tags = Quote.themes.through.objects.filter(theme=theme).order_by()
        return tags[: FEW_TAGGED + 1].count()

    return cached_summary(
        "tag-count", (theme.pk, FEW_TAGGED), count, keep=False, min_ms=small_count_min_ms()
    )


def _few_tagged(theme: Theme) -> bool:
    """Whether at most ``FEW_TAGGED`` quotations carry ``theme``: every request for a theme's
    speeches asked, the API's included."""
    return tag_count(theme) <= FEW_TAGGED


class SpeechFilter(StatementFilterSet):
    """Filters for the speeches list."""

    # A walked speech is checked through each of its quotations (ten on average): 2.8 µs,
    # where a tag gathered costs 1.1.
    walked_row_cost = 3

    speech_path = ""
    newest_first = (F("date").desc(nulls_last=True), "-pk")
    oldest_first = (F("date").asc(nulls_last=True), "pk")
    keysets = {
        "newest": Keyset("date", "pk", descending=True),
        "oldest": Keyset("date", "pk", descending=False),
    }
    # A speech is in a theme's list once, however many of its quotations carry the theme.
    dated_keyset = Keyset("date", "speech_id", descending=True)

    class Meta(StatementFilterSet.Meta):
        model = Speech

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._few_tagged_themes: dict[int, bool] = {}

    def _few_tagged(self, theme: Theme) -> bool:
        """``_few_tagged(theme)``, asked once per list (each facet filters by the theme)."""
        if theme.pk not in self._few_tagged_themes:
            self._few_tagged_themes[theme.pk] = _few_tagged(theme)
        return self._few_tagged_themes[theme.pk]

    def filter_theme(self, queryset, name, value):
        # Never a join, so a speech with several quotes on the theme is listed once.
        if self.walk_in_order or "speaker" in self.applied or not self._few_tagged(value):
            # Checked speech by speech: as the date index is walked (it stops after one
            # page), among one speaker's speeches (a few hundred at most), or when the
            # theme is on so many speeches that gathering them costs more than checking.
            # A speech's tags are one range of the dated tags' index by speech, where its
            # quotations were read and each one's tags looked up.
            tagged = DatedTag.objects.filter(speech_id=OuterRef("pk"), theme_id=value.pk)
            return queryset.filter(Exists(tagged))
        # Counted across speakers, a small theme's speeches are gathered from its tags (one
        # range of the dated tags' index, which holds each tag's speech: no quotation is
        # looked up), not found by testing every speech in the archive: at a million quotes
        # its speaker counts drop from about a second to a tenth of that.
        return queryset.filter(
            pk__in=DatedTag.objects.filter(theme_id=value.pk).values("speech_id")
        )

    def filter_quote_kind(self, queryset, name, value):
        return queryset.filter(Exists(Quote.objects.filter(speech=OuterRef("pk"), kind=value)))

    def _facet_theme(self, base):
        return self._by_record(base, "quotes__themes", Theme, distinct=True)

    def _facet_quote_kind(self, base):
        return self._choice_facet(base, "quotes__kind", QuoteKind.choices, distinct=True)


class EventFilter(django_filters.FilterSet):
    """The events list: by kind of event (audience and venue)."""

    kind = OptionFilter(field_name="kind", label="Kind of event", choices=EventKind.choices)

    class Meta:
        model = Event
        fields: list[str] = []
        form = StatementFilterForm  # "?kind=a&kind=b" explained, as on the other lists


class PledgeFilter(QuoteFilter):
    """The pledges list: every quotation filter, plus the outcome (``status``).

    A pledge is a quotation marked as a commitment, so the list filters quotations that have
    a pledge: a reader filters commitments exactly as they filter quotes.
    """

    status = OptionFilter(method="filter_status", label="Outcome", choices=PledgeStatus.choices)

    FACETS = ("status", *QuoteFilter.FACETS)

    class Meta(QuoteFilter.Meta):
        model = Quote

    def filter_status(self, queryset, name, value):
        return queryset.filter(pledge__status=value)

    def _facet_status(self, base):
        return self._choice_facet(base, "pledge__status", PledgeStatus.choices)

    def _column_facets(self) -> dict[str, str]:
        return {**super()._column_facets(), "status": "pledge__status"}
