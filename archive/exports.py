"""CSV downloads of the quotes and speeches lists: ``/quotes/export.csv?theme=…&q=…``.

An export takes the same query string as its list page (the same FilterSet, search and
order) and holds every matching record, not just one page. It is streamed: rows are read
from the database as plain values (``values_list``, no model instances) in chunks of
``EXPORT_CHUNK_SIZE``, with what a row needs beyond its own joins (speakers and their
offices, themes) read once per chunk, so memory stays flat and the number of queries depends
on the number of chunks, never on the number of rows within one. (Model instances per row
made a 28,000-row file take 16 seconds on SQLite; as values it takes about one, most of it
the query and the writing.)

Unlike the pages, which leave an unusable filter out and say so, an export refuses it with
a ``400`` naming the parameter: a file silently holding more than was asked for would
mislead whoever analyses it later.

The file is UTF-8 with a byte-order mark, which spreadsheet programs need to show curly
quotes and dashes correctly. Cells that a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``) are prefixed with an apostrophe; the API gives the exact text.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse

from archive.api.fields import RecordLinks, partial_date
from archive.filters import QuoteFilter, SpeechFilter, StatementFilterSet
from archive.links import web_url
from archive.models import Quote, Speaker, Speech, Theme, stated_office_of

# Rows read from the database at a time; each chunk costs three queries besides its rows
# (speakers, their offices, themes), so a bigger chunk means fewer queries.
EXPORT_CHUNK_SIZE = 2000
STREAMED_ROWS = 500  # rows per piece of the streamed response: the download starts soon
BYTE_ORDER_MARK = "\ufeff"
# A spreadsheet treats a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(_FORMULA_STARTS)

QUOTE_COLUMNS = (
    "id",
    "date",
    "date_precision",
    "speaker",
    "office",
    "event",
    "speech_title",
    "text",
    "themes",
    "kind",
    "quote_kind",
    "source",
    "source_url",
    "permalink",
    "editorial_note",
)
SPEECH_COLUMNS = (
    "id",
    "date",
    "date_precision",
    "speaker",
    "office",
    "event",
    "title",
    "summary",
    "themes",
    "kind",
    "source",
    "source_url",
    "permalink",
    "editorial_note",
)


class FilterProblem(Exception):
    """Some query parameters could not be used; ``errors`` maps each to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def filtered_statements(
    filterset_class: type[StatementFilterSet],
    queryset: QuerySet,
    params: QueryDict,
    *,
    fixed: dict[str, str] | None = None,
) -> tuple[StatementFilterSet, QuerySet]:
    """The list page's filtered set for ``params`` (plus ``fixed`` filters), in its order.

    Raises ``FilterProblem`` when any filter value cannot be used. Parameters the lists do
    not read (``page`` …) are ignored, as the pages ignore them.
    """
    filterset = valid_filters(filterset_class, queryset, params, fixed=fixed)
    return filterset, filterset.qs


def valid_filters(
    filterset_class: type[StatementFilterSet],
    queryset: QuerySet,
    params: QueryDict,
    *,
    fixed: dict[str, str] | None = None,
) -> StatementFilterSet:
    """The list page's filters for ``params`` (plus ``fixed`` ones), validated, its set not
    yet built; ``FilterProblem`` when any value cannot be used."""
    data = params.copy()
    for name, value in (fixed or {}).items():
        # A theme's feed asked for another theme (or two) would quietly give its own.
        if name in params and params.getlist(name) != [value]:
            raise FilterProblem(
                {name: [f"This feed is already for one {name}; leave {name} out of its address."]}
            )
        data[name] = value
    filterset = filterset_class(data=data, queryset=queryset)
    if filterset.errors:
        raise FilterProblem({name: list(msgs) for name, msgs in filterset.errors.items()})
    return filterset


def filter_problem_response(problem: FilterProblem) -> HttpResponse:
    """A plain-text ``400`` naming each parameter that could not be used, and why."""
    lines = ["Some filters could not be used:"]
    lines += [f"- {name}: {' '.join(messages)}" for name, messages in problem.errors.items()]
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


def spreadsheet_safe(value: object) -> str:
    """``value`` as a cell that a spreadsheet will show rather than run."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in _FORMULA_FIRST else text


@dataclass(frozen=True)
class Export:
    """One kind of CSV: its records, columns and how the filtered records become rows."""

    name: str
    filterset_class: type[StatementFilterSet]
    columns: tuple[str, ...]
    queryset: Callable[[], QuerySet]
    rows: Callable[[HttpRequest, QuerySet], Iterator[list[str]]]


def _chunks(records: Iterable, size: int) -> Iterator[list]:
    """``records`` in lists of ``size`` (the last one shorter)."""
    records = iter(records)
    while chunk := list(itertools.islice(records, size)):
        yield chunk


def _source(title: str | None, publisher: str | None) -> str:
    if title is None:
        return ""
    return f"{title}, {publisher}" if publisher else title


class _Offices:
    """The post each speaker of one chunk held on a date (by ``Speaker.office_on``).

    Reads the chunk's speakers with their offices in two queries; answers are remembered,
    since a chunk repeats the same speaker and date many times.
    """

    def __init__(self, speaker_ids: Iterable[int]):
        speakers = Speaker.objects.filter(pk__in=set(speaker_ids)).prefetch_related("offices")
        self.speakers = {speaker.pk: speaker for speaker in speakers}
        self._posts: dict[tuple, str] = {}

    def name(self, speaker_id: int) -> str:
        return self.speakers[speaker_id].name

    def post(
        self, speaker_id: int, date: dt.date | None, precision: str, stated: int | None = None
    ) -> str:
        key = (speaker_id, date, precision, stated)
        if key not in self._posts:
            office = self.speakers[speaker_id].office_on(date, precision, stated)
            self._posts[key] = office.post if office else ""
        return self._posts[key]


_QuoteThemes = Quote.themes.through

QUOTE_VALUES = (
    "pk",
    "slug",
    "speaker_id",
    "speech__date",
    "speech__date_precision",
    "speech__event__name",
    "speech__title",
    "text",
    "speech__kind",
    "kind",
    "speech__source__title",
    "speech__source__publisher",
    "speech__source__url",
    "speech__speaker_id",
    "speech__stated_office_id",
    "stated_office_id",
    "speech__editorial_note",
)


class _Themes:
    """Theme names by id, read once per export (a few dozen themes)."""

    def __init__(self):
        # In the database's order of names: the order the pages and the API list them in.
        names = Theme.objects.order_by("name").values_list("pk", "name")
        self.names = dict(names)
        self.rank = {pk: rank for rank, pk in enumerate(self.names)}
        # Many records share a set of themes: each set is named once.
        self._named: dict[tuple, str] = {}

    def of_quotes(self, quote_ids: list[int]) -> dict[int, str]:
        """``{quote id: "Theme; Theme"}``, the names in the database's order."""
        return self._named_sets(_theme_pairs(quote_ids, by_speech=False), key=self.rank.get)

    def of_speeches(self, speech_ids: list[int]) -> dict[int, str]:
        """``{speech id: "Theme; Theme"}``: its quotes' themes, each once, sorted by name."""
        return self._named_sets(_theme_pairs(speech_ids, by_speech=True), key=self.names.get)

    def _named_sets(self, pairs: list[tuple[int, int]], *, key) -> dict[int, str]:
        ids: dict[int, set[int]] = {}
        for record_id, theme_id in pairs:
            ids.setdefault(record_id, set()).add(theme_id)
        named = {}
        for record_id, themes in ids.items():
            known = (key, frozenset(themes))
            if known not in self._named:
                self._named[known] = "; ".join(self.names[pk] for pk in sorted(themes, key=key))
            named[record_id] = self._named[known]
        return named


def _theme_pairs(ids: list[int], *, by_speech: bool) -> list[tuple[int, int]]:
    """``(quote id, theme id)`` for the quotes ``ids`` (``by_speech``: for their speeches).

    Written as SQL rather than ``filter(quote_id__in=ids)``: the ORM prepares each value of
    an ``IN`` list one by one, which for a 2,000-id chunk took longer than running the query
    (0.4 s of a 28,000-row export). The ids are our own integers, passed as parameters.
    """
    if not ids:
        return []
    alias = _QuoteThemes.objects.all().db
    name = connections[alias].ops.quote_name
    quote_id = name(_QuoteThemes._meta.get_field("quote").column)
    theme_id = name(_QuoteThemes._meta.get_field("theme").column)
    themes_table = name(_QuoteThemes._meta.db_table)
    placeholders = ", ".join(["%s"] * len(ids))
    # Names from the models' metadata; the values go as parameters.
    if by_speech:
        quotes = name(Quote._meta.db_table)
        speech_id = name(Quote._meta.get_field("speech").column)
        pk = name(Quote._meta.pk.column)
        sql = (
            f"SELECT q.{speech_id}, t.{theme_id} FROM {themes_table} t"  # noqa: S608
            f" INNER JOIN {quotes} q ON q.{pk} = t.{quote_id}"
            f" WHERE q.{speech_id} IN ({placeholders})"
        )
    else:
        sql = (
            f"SELECT {quote_id}, {theme_id} FROM {themes_table}"  # noqa: S608
            f" WHERE {quote_id} IN ({placeholders})"
        )
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, ids)
        return cursor.fetchall()


def _quote_rows(request: HttpRequest, quotes: QuerySet) -> Iterator[list[str]]:
    permalink = RecordLinks(request, "archive:quote-detail")
    values = quotes.values_list(*QUOTE_VALUES).iterator(chunk_size=EXPORT_CHUNK_SIZE)
    all_themes = _Themes()
    for chunk in _chunks(values, EXPORT_CHUNK_SIZE):
        themes = all_themes.of_quotes([row[0] for row in chunk])
        offices = _Offices(row[2] for row in chunk)
        for (
            pk,
            slug,
            speaker_id,
            date,
            precision,
            event,
            title,
            text,
            speech_kind,
            quote_kind,
            source_title,
            publisher,
            source_url,
            speech_speaker_id,
            stated,
            own,
            note,
        ) in chunk:
            stated = stated_office_of(speaker_id, speech_speaker_id, stated, own)
            yield [
                slug,
                partial_date(date, precision) or "",
                precision,
                offices.name(speaker_id),
                offices.post(speaker_id, date, precision, stated),
                event or "",
                title,
                text,
                themes.get(pk, ""),
                speech_kind,
                quote_kind,
                _source(source_title, publisher),
                web_url(source_url),
                permalink(slug),
                note,
            ]


SPEECH_VALUES = (
    "pk",
    "slug",
    "date",
    "date_precision",
    "speaker_id",
    "event__name",
    "title",
    "summary",
    "kind",
    "source__title",
    "source__publisher",
    "source__url",
    "stated_office_id",
    "editorial_note",
)


def _speech_rows(request: HttpRequest, speeches: QuerySet) -> Iterator[list[str]]:
    permalink = RecordLinks(request, "archive:speech-detail")
    values = speeches.values_list(*SPEECH_VALUES).iterator(chunk_size=EXPORT_CHUNK_SIZE)
    all_themes = _Themes()
    for chunk in _chunks(values, EXPORT_CHUNK_SIZE):
        themes = all_themes.of_speeches([row[0] for row in chunk])
        offices = _Offices(row[4] for row in chunk)
        for (
            pk,
            slug,
            date,
            precision,
            speaker_id,
            event,
            title,
            summary,
            kind,
            source_title,
            publisher,
            source_url,
            stated,
            note,
        ) in chunk:
            yield [
                slug,
                partial_date(date, precision) or "",
                precision,
                offices.name(speaker_id),
                offices.post(speaker_id, date, precision, stated),
                event or "",
                title,
                summary,
                themes.get(pk, ""),
                kind,
                _source(source_title, publisher),
                web_url(source_url),
                permalink(slug),
                note,
            ]


QUOTES = Export("quotes", QuoteFilter, QUOTE_COLUMNS, Quote.objects.published, _quote_rows)
SPEECHES = Export("speeches", SpeechFilter, SPEECH_COLUMNS, Speech.objects.published, _speech_rows)


def csv_cell(value: str) -> str:
    """One cell as ``csv.writer`` (the excel dialect) writes it, spreadsheet-safe.

    Written out because it runs for every cell of the file: the csv module copies each
    character into its own buffer, several times slower than these few string searches
    (tests prove the two agree).
    """
    if value[:1] in _FORMULA_FIRST:
        value = f"'{value}"
    if '"' in value:
        return '"' + value.replace('"', '""') + '"'
    if "," in value or "\n" in value or "\r" in value:
        return f'"{value}"'
    return value


def csv_lines(header: Iterable[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """The CSV text in pieces of ``STREAMED_ROWS`` rows, header first; cells are strings."""
    lines = [",".join(map(csv_cell, header)) + "\r\n"]
    for count, row in enumerate(rows, start=1):
        lines.append(",".join(map(csv_cell, row)) + "\r\n")
        if count % STREAMED_ROWS == 0:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


def _started(rows: Iterator) -> Iterator:
    """The same rows, with the first already built (its chunk read from the database)."""
    first = list(itertools.islice(rows, 1))
    return itertools.chain(first, rows)


def export_csv(request: HttpRequest, export: Export) -> HttpResponse:
    """Stream the filtered list as CSV, or explain in a ``400`` which filter was unusable."""
    try:
        _, queryset = filtered_statements(export.filterset_class, export.queryset(), request.GET)
    except FilterProblem as problem:
        return filter_problem_response(problem)
    # Run the queries before the first byte goes out: a database outage is then a 503 page
    # (archive.faults), not a download cut off after its header row.
    rows = _started(export.rows(request, queryset))

    def body() -> Iterator[str]:
        yield BYTE_ORDER_MARK
        yield from csv_lines(export.columns, rows)

    response = StreamingHttpResponse(body(), content_type="text/csv; charset=utf-8")
    filename = f"health-policy-archive-{export.name}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def quote_export(request: HttpRequest) -> HttpResponse:
    """``/quotes/export.csv``: every quote the /quotes/ page lists for the same query string."""
    return export_csv(request, QUOTES)


def speech_export(request: HttpRequest) -> HttpResponse:
    """``/speeches/export.csv``: every speech /speeches/ lists for the same query string."""
    return export_csv(request, SPEECHES)
