"""CSV downloads of the quotes and speeches lists: ``/quotes/export.csv?theme=…&q=…``.

An export takes the same query string as its list page (the same FilterSet, search and
order) and holds every matching record, not just one page. It is streamed: rows are read
from the database in chunks of ``EXPORT_CHUNK_SIZE`` with their related records fetched per
chunk, so memory stays flat and the number of queries depends on the number of chunks, never
on the number of rows within one.

Unlike the pages, which leave an unusable filter out and say so, an export refuses it with
a ``400`` naming the parameter: a file silently holding more than was asked for would
mislead whoever analyses it later.

The file is UTF-8 with a byte-order mark, which spreadsheet programs need to show curly
quotes and dashes correctly. Cells that a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``) are prefixed with an apostrophe; the API gives the exact text.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse

from archive.api.fields import partial_date
from archive.filters import QuoteFilter, SpeechFilter, StatementFilterSet
from archive.models import Quote, Speech

# Rows read from the database at a time; each chunk costs one query per prefetched
# relation, so a bigger chunk means fewer queries (a 40,000-row export: ~20 chunks, not 80).
EXPORT_CHUNK_SIZE = 2000
STREAMED_ROWS = 500  # rows per piece of the streamed response: the download starts soon
BYTE_ORDER_MARK = "\ufeff"
# A spreadsheet treats a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

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
    data = params.copy()
    for name, value in (fixed or {}).items():
        data[name] = value
    filterset = filterset_class(data=data, queryset=queryset)
    if filterset.errors:
        raise FilterProblem({name: list(msgs) for name, msgs in filterset.errors.items()})
    return filterset, filterset.qs


def filter_problem_response(problem: FilterProblem) -> HttpResponse:
    """A plain-text ``400`` naming each parameter that could not be used, and why."""
    lines = ["Some filters could not be used:"]
    lines += [f"- {name}: {' '.join(messages)}" for name, messages in problem.errors.items()]
    return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain")


def spreadsheet_safe(value: object) -> str:
    """``value`` as a cell that a spreadsheet will show rather than run."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


@dataclass(frozen=True)
class Export:
    """One kind of CSV: its records, columns and how a record becomes a row."""

    name: str
    filterset_class: type[StatementFilterSet]
    columns: tuple[str, ...]
    queryset: Callable[[], QuerySet]
    row: Callable[[HttpRequest, object], list]


def _quote_queryset() -> QuerySet:
    return Quote.objects.published().for_list().select_related("speech__source")


def _speech_queryset() -> QuerySet:
    # Themes come from the speech's quotes; fetch only what naming them needs.
    quotes = Quote.objects.only("pk", "speech_id").prefetch_related("themes")
    return (
        Speech.objects.published()
        .for_list()
        .prefetch_related(Prefetch("quotes", queryset=quotes, to_attr="theme_quotes"))
    )


def _source(source) -> tuple[str, str]:
    if source is None:
        return "", ""
    title = f"{source.title}, {source.publisher}" if source.publisher else source.title
    return title, source.url


def _quote_row(request: HttpRequest, quote: Quote) -> list:
    speech = quote.speech
    office = quote.speaker_office()
    source, source_url = _source(speech.source)
    return [
        quote.slug,
        partial_date(speech.date, speech.date_precision) or "",
        speech.date_precision,
        quote.speaker.name,
        office.post if office else "",
        speech.event.name if speech.event else "",
        speech.title,
        quote.text,
        "; ".join(theme.name for theme in quote.themes.all()),
        speech.kind,
        quote.kind,
        source,
        source_url,
        request.build_absolute_uri(quote.get_absolute_url()),
    ]


def _speech_row(request: HttpRequest, speech: Speech) -> list:
    office = speech.speaker_office()
    source, source_url = _source(speech.source)
    themes = sorted({t.name for quote in speech.theme_quotes for t in quote.themes.all()})
    return [
        speech.slug,
        partial_date(speech.date, speech.date_precision) or "",
        speech.date_precision,
        speech.speaker.name,
        office.post if office else "",
        speech.event.name if speech.event else "",
        speech.title,
        speech.summary,
        "; ".join(themes),
        speech.kind,
        source,
        source_url,
        request.build_absolute_uri(speech.get_absolute_url()),
    ]


QUOTES = Export("quotes", QuoteFilter, QUOTE_COLUMNS, _quote_queryset, _quote_row)
SPEECHES = Export("speeches", SpeechFilter, SPEECH_COLUMNS, _speech_queryset, _speech_row)


def csv_lines(header: Iterable[str], rows: Iterable[list]) -> Iterator[str]:
    """The CSV text in pieces of about ``STREAMED_ROWS`` rows, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
        if count % STREAMED_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _started(records: Iterator) -> Iterator:
    """The same records, with the first already fetched from the database."""
    first = list(itertools.islice(records, 1))
    return itertools.chain(first, records)


def export_csv(request: HttpRequest, export: Export) -> HttpResponse:
    """Stream the filtered list as CSV, or explain in a ``400`` which filter was unusable."""
    try:
        _, queryset = filtered_statements(export.filterset_class, export.queryset(), request.GET)
    except FilterProblem as problem:
        return filter_problem_response(problem)
    records = queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    # Run the query before the first byte goes out: a database outage is then a 503 page
    # (archive.faults), not a download cut off after its header row.
    records = _started(records)
    rows = (export.row(request, record) for record in records)

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
