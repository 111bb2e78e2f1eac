"""The search page's search: filter, count, rank one page, highlight it, count facets.

Cost is bounded by the page, not by the number of matches:

- matches are counted only up to ``SEARCH_MATCH_LIMIT`` (default 1,000) per record type;
- relevance ranking scores at most that many candidates, and date order lets the database
  pick the top of the list;
- only the records on the page are loaded and highlighted, in one query per record type;
- facets count the same capped candidate set, one GROUP BY per facet.

The number of queries is the same whatever the page size.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Model, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.html import escape
from django.utils.text import Truncator

from archive.filters import FacetOption, QuoteFilter, SpeechFilter, StatementFilterSet
from archive.models import Quote, Speech, SpeechKind
from archive.search.documents import QUOTE_DOCUMENT, SPEECH_DOCUMENT, DocumentSpec
from archive.search.engines import Engine, engine_for
from archive.search.highlight import marked_html
from archive.search.models import QuoteSearchEntry, SpeechSearchEntry
from archive.search.query import ParsedQuery, parse_query
from archive.search.results import QUOTE, SPEECH, SearchHit, SearchResults
from archive.search.suggestions import suggestions_for

SORTS = ("relevance", "newest", "oldest")
SHOWS = ("all", "quotes", "speeches")
# Parameters the search itself reads; every other one is a filter for the FilterSets.
OWN_PARAMETERS = ("q", "sort", "page", "show")
# Themes and quotation kinds belong to quotations, so filtering by them shows quotations.
QUOTE_ONLY_FILTERS = ("theme", "quote_kind")
FACET_SIZE = 10
SNIPPET_WORDS = 40


def match_limit() -> int:
    return int(getattr(settings, "SEARCH_MATCH_LIMIT", 1000))


@dataclass(frozen=True)
class RecordType:
    """How one kind of record is searched."""

    name: str  # "quotes" / "speeches"
    hit_kind: str
    model: type[Model]
    entry: type[Model]
    spec: DocumentSpec
    filterset: type[StatementFilterSet]
    date: str  # path to the statement's date
    kind: str  # path to the speech kind


QUOTES = RecordType(
    "quotes",
    QUOTE,
    Quote,
    QuoteSearchEntry,
    QUOTE_DOCUMENT,
    QuoteFilter,
    "speech__date",
    "speech__kind",
)
SPEECHES = RecordType(
    "speeches", SPEECH, Speech, SpeechSearchEntry, SPEECH_DOCUMENT, SpeechFilter, "date", "kind"
)
RECORD_TYPES = (QUOTES, SPEECHES)


def search(
    query: str | None,
    *,
    filters: Mapping[str, str] | None = None,
    sort: str = "relevance",
    show: str = "all",
    page: int = 1,
    per_page: int | None = None,
) -> SearchResults:
    """Search published quotes and speeches; see the module docstring for what it costs.

    ``filters`` takes the lists' parameters (speaker, office, event, theme, kind, date_after,
    date_before …, validated by ``archive.filters``); invalid ones are left out and reported
    in ``filter_errors``. ``show`` is "all", "quotes" or "speeches".
    """
    parsed = parse_query(query)
    results = SearchResults(
        query=parsed,
        sort=sort if sort in SORTS else "relevance",
        show=show if show in SHOWS else "all",
        per_page=per_page or settings.ARCHIVE_PAGE_SIZE,
        match_limit=match_limit(),
        notices=list(parsed.notices),
    )
    if not parsed.is_searchable:
        if not parsed.is_blank:
            results.problem = "There was nothing in your search that we could look for."
        return results

    engine = engine_for()
    active, results.filter_errors = _valid_filters(filters or {})
    types = list(RECORD_TYPES)
    if any(name in active for name in QUOTE_ONLY_FILTERS):
        types = [QUOTES]
        if results.show == "speeches":
            results.notices.append(
                "Themes and quotation kinds belong to quotations, so only quotations are shown."
            )
            results.show = "quotes"
    candidates = {t.name: _candidates(t, engine, parsed, active) for t in types}

    limit = results.match_limit
    for t in types:
        found = candidates[t.name].values("pk")[: limit + 1].count()
        results.counts[t.name] = min(found, limit)
        if found > limit:
            results.capped.add(t.name)

    results.page = _clamp_page(page, results)
    shown = [t for t in types if t.name in results.shown_types and results.counts.get(t.name)]
    results.hits = _page_hits(shown, candidates, engine, parsed, results)
    results.facets = _facets(types, candidates, active, limit)
    if results.total == 0:
        results.suggestions = suggestions_for(parsed, has_filters=bool(active))
    return results


def _valid_filters(filters: Mapping[str, str]) -> tuple[dict[str, object], dict[str, list]]:
    """The filters that validate (as cleaned values), and the messages for those that did not."""
    if hasattr(filters, "lists"):
        data = filters.copy()
        for name in OWN_PARAMETERS:
            data.pop(name, None)
    else:
        data = {k: v for k, v in filters.items() if k not in OWN_PARAMETERS}
    filterset = QuoteFilter(data=data, queryset=Quote.objects.none())
    errors = {name: list(messages) for name, messages in filterset.errors.items()}
    active = {
        name: value
        for name, value in filterset.form.cleaned_data.items()
        if name not in OWN_PARAMETERS and value not in (None, "", [], ())
    }
    return active, errors


def _candidates(t: RecordType, engine: Engine, query: ParsedQuery, active) -> QuerySet:
    """Published records of type ``t`` that pass the filters and match the query (unordered)."""
    queryset = t.model.objects.published().order_by()
    filterset = t.filterset(queryset=queryset)
    for name, value in active.items():
        queryset = filterset.filters[name].filter(queryset, value)
    matching = t.entry.objects.filter(engine.match(query, t.spec)).values("pk")
    return queryset.filter(pk__in=matching)


def _clamp_page(page: int, results: SearchResults) -> int:
    try:
        page = int(page)
    except (TypeError, ValueError):
        page = 0
    if page < 1:
        results.notices.append("That page number was not understood; this is the first page.")
        return 1
    if page > results.num_pages:
        pages = f"{results.num_pages} page{'s' if results.num_pages != 1 else ''}"
        results.notices.append(f"The results fill only {pages}; this is the last one.")
        return results.num_pages
    return page


def _page_hits(types, candidates, engine, query, results: SearchResults) -> list[SearchHit]:
    """The hits on the requested page, loaded and highlighted in one go per record type."""
    end = results.page * results.per_page
    start = end - results.per_page
    keyed: list[tuple[tuple, str, int]] = []  # (sort key, record type, id)
    for order, t in enumerate(types):
        for pk, value in _top(t, candidates[t.name], engine, query, results, end):
            if results.sort == "relevance":
                key = (-value, order, pk)
            else:
                # Undated records go last in either direction.
                ordinal = value.toordinal() if value else None
                sign = -1 if results.sort == "newest" else 1
                key = (ordinal is None, sign * (ordinal or 0), order, pk)
            keyed.append((key, t.name, pk))
    keyed.sort()
    page = keyed[start:end]
    scores = {(name, pk): key[0] for key, name, pk in page}

    hits = []
    records, marked = {}, {}
    for t in types:
        ids = [pk for _, name, pk in page if name == t.name]
        if not ids:
            continue
        records[t.name] = t.model.objects.for_list().in_bulk(ids)
        if t is QUOTES:
            marked[t.name] = engine.highlight_quotes(query, ids)
        else:
            marked[t.name] = engine.highlight_speeches(query, ids)
    by_name = {t.name: t for t in types}
    for _, name, pk in page:
        record = records[name].get(pk)
        if record is None:  # deleted between the ranking and the loading
            continue
        t = by_name[name]
        score = -scores[(name, pk)] if results.sort == "relevance" else None
        hits.append(_hit(t, record, marked[name].get(pk, {}), score))
    return hits


def _top(t, candidates: QuerySet, engine, query, results, limit: int):
    """(id, score or date) of the first ``limit`` records of one type, in page order."""
    if results.sort == "relevance":
        capped = candidates.values("pk")[: results.match_limit]
        return (
            t.entry.objects.filter(engine.match(query, t.spec), pk__in=capped)
            .annotate(score=engine.rank(query, t.spec))
            .order_by("-score", "pk")
            .values_list("pk", "score")[:limit]
        )
    date = F(t.date)
    ordering = date.desc(nulls_last=True) if results.sort == "newest" else date.asc(nulls_last=True)
    return candidates.order_by(ordering, "pk").values_list("pk", t.date)[:limit]


def _hit(t: RecordType, record, marked: dict, score) -> SearchHit:
    if t is QUOTES:
        text = marked.get("marked_text") or escape(record.text)
        return SearchHit(QUOTE, record, score, marked_text=marked_html(text))
    snippet = marked.get("marked_snippet") or ""
    if not snippet.strip():
        # Matched on the title or speaker only: show the summary (or the opening) instead.
        snippet = Truncator(record.summary or record.text).words(SNIPPET_WORDS)
    return SearchHit(
        SPEECH,
        record,
        score,
        marked_text=marked_html(snippet),
        marked_title=marked_html(marked.get("marked_title") or record.title),
    )


# --- facets --------------------------------------------------------------------------


def _facets(types, candidates, active, limit: int) -> dict[str, list[FacetOption]]:
    """Counts by speaker, theme, year and kind over the (capped) matching records."""
    bases = {
        t.name: t.model.objects.filter(pk__in=candidates[t.name].values("pk")[:limit]).order_by()
        for t in types
    }
    speakers: dict[str, list] = {}
    years: dict[int, int] = {}
    kinds: dict[str, int] = {}
    for t in types:
        base = bases[t.name]
        for row in base.values("speaker__slug", "speaker__name").annotate(n=Count("pk")):
            entry = speakers.setdefault(row["speaker__slug"], [row["speaker__name"], 0])
            entry[1] += row["n"]
        for row in base.annotate(year=ExtractYear(t.date)).values("year").annotate(n=Count("pk")):
            if row["year"] is not None:
                years[row["year"]] = years.get(row["year"], 0) + row["n"]
        for row in base.values(t.kind).annotate(n=Count("pk")):
            kinds[row[t.kind]] = kinds.get(row[t.kind], 0) + row["n"]

    chosen = {
        name: getattr(active.get(name), "slug", active.get(name) or "")
        for name in ("speaker", "theme", "kind")
    }
    facets = {
        "speaker": _options(
            [(slug, name, n) for slug, (name, n) in speakers.items()], chosen["speaker"]
        ),
        "year": _year_options(years, active),
        "kind": [
            FacetOption(value, label, kinds[value], value == chosen["kind"])
            for value, label in SpeechKind.choices
            if kinds.get(value)
        ],
    }
    if "quotes" in bases:
        rows = (
            bases["quotes"]
            .filter(themes__isnull=False)
            .values("themes__slug", "themes__name")
            .annotate(n=Count("pk"))
        )
        facets["theme"] = _options(
            [(r["themes__slug"], r["themes__name"], r["n"]) for r in rows], chosen["theme"]
        )
    return facets


def _options(rows: list[tuple[str, str, int]], chosen: str) -> list[FacetOption]:
    """The most frequent values (ties by name), the chosen one always included."""
    rows = sorted(rows, key=lambda r: (-r[2], str(r[1]).casefold()))
    top = rows[:FACET_SIZE]
    if chosen and all(r[0] != chosen for r in top):
        top += [r for r in rows if r[0] == chosen]
    return [FacetOption(value, label, n, value == chosen) for value, label, n in top]


def _year_options(years: dict[int, int], active) -> list[FacetOption]:
    after, before = active.get("date_after"), active.get("date_before")
    chosen = ""
    if after and before and after.text == before.text and len(after.text) == 4:
        chosen = after.text
    return [
        FacetOption(str(year), str(year), n, str(year) == chosen)
        for year, n in sorted(years.items(), reverse=True)
    ]
