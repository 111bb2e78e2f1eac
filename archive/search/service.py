"""The search page's search: filter, count, rank one page, highlight it, count facets.

Cost is bounded by the page and by ``SEARCH_MATCH_LIMIT`` (default 1,000), not by how many
records match. Per record type (quotes, speeches):

1. one read of the index fetches the ids of up to 1,001 matching published records that
   pass the filters, scored (bm25 / ts_rank) when ordering by relevance; the reading stops
   there (SQLite reads newest first). These are the *candidates*: a search matching more
   says "more than 1,000 results" and ranks, dates and facets the 1,000 it read;
2. candidates are ranked in Python, or put in date order by one query over their ids;
3. only the records on the page are loaded and highlighted, in one query each;
4. facets are one GROUP BY over the candidates' ids (plus one for themes).

The number of queries is the same whatever the page size or the number of matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db.models import CharField, Count, Exists, F, Model, OuterRef
from django.db.models.functions import Cast, Substr
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


def few_records() -> int:
    """Filters that leave at most this many records are applied as a list of their ids."""
    return int(getattr(settings, "SEARCH_FEW_RECORDS", 20_000))


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
    limit = results.match_limit
    # One read of the index per record type: up to limit + 1 candidates (the extra one
    # tells "exactly 1,000" from "more than 1,000"), with scores when ranking by relevance.
    candidates: dict[str, list[tuple[int, float]]] = {}
    for t in types:
        rows = _candidates(t, engine, parsed, active, limit + 1, scored=results.sort == "relevance")
        results.counts[t.name] = min(len(rows), limit)
        if len(rows) > limit:
            results.capped.add(t.name)
        candidates[t.name] = rows[:limit]

    results.page = _clamp_page(page, results)
    shown = [t for t in types if t.name in results.shown_types and results.counts.get(t.name)]
    results.hits = _page_hits(shown, candidates, engine, parsed, results)
    ids = {name: [pk for pk, _ in rows] for name, rows in candidates.items()}
    results.facets = _facets(types, ids, active)
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


def capped_matches(
    query: ParsedQuery | str,
    *,
    limit: int,
    kind: str = "quotes",
    scored: bool = False,
    engine: Engine | None = None,
) -> list[tuple[int, float]]:
    """(id, score) of up to ``limit`` published records of ``kind`` matching ``query``.

    This is the search page's candidate read, for callers that want matches without a
    results page (related statements, for one): the index is read in the engine's scan
    order (newest first on SQLite) and the reading stops at ``limit``, so the cost does not
    grow with how common the words are. Scores (bigger is better) are computed only when
    ``scored``; otherwise they are 0.0. ``kind`` is "quotes" or "speeches"; ``engine``
    defaults to the default database's.
    """
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    if not parsed.is_searchable:
        return []
    record_type = QUOTES if kind == "quotes" else SPEECHES
    return _candidates(record_type, engine or engine_for(), parsed, {}, limit, scored=scored)


def _candidates(t: RecordType, engine: Engine, query, active, limit: int, *, scored: bool):
    """(id, score) of up to ``limit`` published records that match and pass the filters.

    Read from the index in the engine's scan order, so the reading stops at ``limit``; the
    score (``bm25()`` / ``ts_rank()``) is computed for those rows only, and is 0.0 when not
    ``scored``. How each match is checked against the filters depends on how many records
    the filters leave: a few thousand (a speaker, a theme) are collected once and looked
    up; otherwise each match is checked with an EXISTS on its record. (Going from records
    to the index instead re-runs the full-text match per record on SQLite.)
    """
    records = t.model.objects.published().order_by()
    filterset = t.filterset(queryset=records)
    for name, value in active.items():
        records = filterset.filters[name].filter(records, value)
    entries = t.entry.objects.filter(engine.match(query, t.spec)).order_by(*engine.scan_order)
    ids = records.values("pk")
    if active and ids[: few_records() + 1].count() <= few_records():
        entries = entries.filter(engine.among(ids))
    else:
        entries = entries.filter(Exists(records.filter(pk=OuterRef("pk"))))
    if scored:
        entries = entries.annotate(score=engine.rank(query, t.spec)).values_list("pk", "score")
    else:
        entries = entries.values_list("pk")
    return [
        (row[0], row[1] if scored else 0.0) for row in engine.read(entries[:limit], query, t.spec)
    ]


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
    keyed: list[tuple[tuple, str, int, float | None]] = []  # (sort key, type, id, score)
    for order, t in enumerate(types):
        if results.sort == "relevance":
            for pk, score in candidates[t.name]:
                keyed.append(((-score, order, pk), t.name, pk, score))
            continue
        for pk, date in _by_date(t, [pk for pk, _ in candidates[t.name]], results.sort, end):
            # Undated records go last in either direction.
            ordinal = date.toordinal() if date else None
            sign = -1 if results.sort == "newest" else 1
            keyed.append(((ordinal is None, sign * (ordinal or 0), order, pk), t.name, pk, None))
    keyed.sort(key=lambda row: row[0])
    page = keyed[start:end]

    hits = []
    records, marked = {}, {}
    for t in types:
        ids = [pk for _, name, pk, _ in page if name == t.name]
        if not ids:
            continue
        records[t.name] = t.model.objects.for_list().in_bulk(ids)
        if t is QUOTES:
            marked[t.name] = engine.highlight_quotes(query, ids)
        else:
            marked[t.name] = engine.highlight_speeches(query, ids)
    by_name = {t.name: t for t in types}
    for _, name, pk, score in page:
        record = records[name].get(pk)
        if record is None:  # deleted between the ranking and the loading
            continue
        hits.append(_hit(by_name[name], record, marked[name].get(pk, {}), score))
    return hits


def _by_date(t: RecordType, ids: list[int], sort: str, limit: int):
    """(id, date) of the first ``limit`` of these records in date order."""
    if not ids:
        return []
    date = F(t.date)
    ordering = date.desc(nulls_last=True) if sort == "newest" else date.asc(nulls_last=True)
    records = t.model.objects.filter(pk__in=ids).order_by(ordering, "pk")
    return records.values_list("pk", t.date)[:limit]


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


def _facets(types, ids: dict[str, list[int]], active) -> dict[str, list[FacetOption]]:
    """Counts by speaker, theme, year and kind over the candidates (capped matches)."""
    bases = {t.name: t.model.objects.filter(pk__in=ids[t.name]).order_by() for t in types}
    speakers: dict[str, list] = {}
    years: dict[int, int] = {}
    kinds: dict[str, int] = {}
    for t in types:
        if not ids[t.name]:
            continue
        # One GROUP BY per record type gives speaker, year and kind counts together.
        year = Substr(Cast(t.date, CharField()), 1, 4)
        rows = (
            bases[t.name]
            .annotate(year=year)
            .values("speaker__slug", "speaker__name", "year", t.kind)
            .annotate(n=Count("pk"))
        )
        for row in rows:
            n = row["n"]
            entry = speakers.setdefault(row["speaker__slug"], [row["speaker__name"], 0])
            entry[1] += n
            if row["year"]:
                years[int(row["year"])] = years.get(int(row["year"]), 0) + n
            kinds[row[t.kind]] = kinds.get(row[t.kind], 0) + n

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
    if ids.get("quotes"):
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
