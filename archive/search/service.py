"""The search page's search: filter, count, rank one page, highlight it, count facets.

Cost is bounded by the page and by ``SEARCH_MATCH_LIMIT`` (default 1,000), not by how many
records match. Per record type (quotes, speeches):

1. one read of the index fetches up to 1,001 matching published records that pass the
   filters: id, speaker, date and kind, and a score (bm25 / ts_rank) when ordering by
   relevance; the reading stops there. It reads the most recently added first (on
   PostgreSQL only for words with no other filter: ``Engine.newest_first``). These are the
   *candidates*: a search matching more says "more than 1,000 results" and ranks, dates
   and facets the 1,000 it read;
2. candidates are ranked or put in date order in Python, from what the read returned;
3. only the records on the page are loaded, as the lists' cards (``archive.cards``: three
   queries for quotations, two for speeches), and highlighted, in one query;
4. speaker, year and kind facets are counted from the candidates; then one query reads the
   names of the speakers shown, and one GROUP BY counts the quotes' themes.

The number of queries is the same whatever the page size or the number of matches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import operator
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import (
    CharField,
    Count,
    Exists,
    FloatField,
    Model,
    OuterRef,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from archive.cards import quote_cards, speech_items
from archive.filters import (
    FEW_TAGGED,
    FacetOption,
    QuoteFilter,
    SpeechFilter,
    StatementFilterSet,
    tag_count,
)
from archive.models import Quote, Speaker, Speech, SpeechKind, Status, Theme
from archive.page_links import requested_page
from archive.prepared import PreparedRead
from archive.search.documents import (
    QUOTE_DOCUMENT,
    SPEECH_DOCUMENT,
    DocumentSpec,
    speaker_token,
    theme_token,
)
from archive.search.engines import Engine, engine_for
from archive.search.highlight import has_marks, marked_html
from archive.search.models import QuoteSearchEntry, SpeechSearchEntry
from archive.search.query import Group, ParsedQuery, Term, parse_query
from archive.search.reading import read_kept, read_rows
from archive.search.results import QUOTE, SPEECH, SearchHit, SearchResults, Suggestion
from archive.search.side_reads import both
from archive.search.suggestions import name_words, suggestions_for
from archive.views.summaries import data_version

SORTS = ("relevance", "newest", "oldest")
SHOWS = ("all", "quotes", "speeches")
# Parameters the search itself reads; every other one is a filter for the FilterSets.
OWN_PARAMETERS = ("q", "sort", "page", "show")
# Themes and quotation kinds belong to quotations, so filtering by them shows quotations.
QUOTE_ONLY_FILTERS = ("theme", "quote_kind")
FACET_SIZE = 10
# How long the size of a filter's record set is remembered (see _leaves_few).
FEW_RECORDS_SECONDS = 600
SNIPPET_WORDS = 40
QUOTE_WORDS = 90  # a quotation's hit shows at most this many words
# Words as Django's Truncator counts them in HTML: tags are not words.
_HTML_WORDS = re.compile(r"<[^>]+?>|([^<>\s]+)")


def repeated_parameters(params) -> list[str]:
    """The search's own parameters (``OWN_PARAMETERS``) given more than once in ``params``
    (a QueryDict), of which a page reads only the last."""
    return [name for name in OWN_PARAMETERS if len(params.getlist(name)) > 1]


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
    link: str  # from an index row to its record ("quote" / "speech")
    # From an index row to its record's publication status: the model's ``published()``,
    # as a join the candidate read shares with the columns it reads (see _candidate_rows).
    status: str


QUOTES = RecordType(
    "quotes",
    QUOTE,
    Quote,
    QuoteSearchEntry,
    QUOTE_DOCUMENT,
    QuoteFilter,
    "speech__date",
    "speech__kind",
    "quote",
    "quote__speech__status",
)
SPEECHES = RecordType(
    "speeches",
    SPEECH,
    Speech,
    SpeechSearchEntry,
    SPEECH_DOCUMENT,
    SpeechFilter,
    "date",
    "kind",
    "speech",
    "speech__status",
)


class Candidate(NamedTuple):
    """One matching record as the index read returns it: enough to rank it, put it in date
    order and count it in the facets without reading the record again."""

    pk: int
    score: float
    speaker_id: int
    date: str | None  # ISO "YYYY-MM-DD", which sorts as the date does
    kind: str  # the speech kind


RECORD_TYPES = (QUOTES, SPEECHES)
_SPEAKER = operator.attrgetter("speaker_id")
_DATE = operator.attrgetter("date")
_KIND = operator.attrgetter("kind")
_SORT_KEY = operator.itemgetter(0)


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
    # As the lists explain a value they cannot use, rather than quietly showing another.
    if sort not in SORTS:
        results.notices.append("That order was not understood, so the best matches come first.")
    if show not in SHOWS:
        results.notices.append(
            "That choice of records was not understood, so quotations and speeches are shown."
        )
    if not parsed.is_searchable:
        if not parsed.is_blank:
            results.problem = "There was nothing in your search that we could look for."
        return results

    engine = engine_for()
    active, results.filter_errors, dated = _valid_filters(filters or {})
    results.filters = active
    types = _types_for(active)
    if types == [QUOTES] and results.show == "speeches":
        results.notices.append(
            "Themes and quotation kinds belong to quotations, so only quotations are shown."
        )
        results.show = "quotes"
    limit = results.match_limit

    # One read of the index per record type: up to limit + 1 candidates (the extra one
    # tells "exactly 1,000" from "more than 1,000"), with scores when ranking by relevance.
    def read(t: RecordType) -> Callable[[], list[Candidate]]:
        return lambda: _candidates(
            t,
            engine,
            parsed,
            active,
            limit + 1,
            scored=results.sort == "relevance",
            dated=dated if t is QUOTES else None,
        )

    # Quotations and speeches are read at once where they can be (``side_reads``).
    if len(types) == 2:
        read_rows = dict(zip(types, both(read(types[0]), read(types[1])), strict=True))
    else:
        read_rows = {t: read(t)() for t in types}
    candidates: dict[str, list[Candidate]] = {}
    for t, rows in read_rows.items():
        results.counts[t.name] = min(len(rows), limit)
        if len(rows) > limit:
            results.capped.add(t.name)
        candidates[t.name] = rows[:limit]

    results.page = _clamp_page(page, results)
    shown = [t for t in types if t.name in results.shown_types and results.counts.get(t.name)]
    # The themes' counts (a GROUP BY over up to a thousand quotations: 3 ms on PostgreSQL
    # at a million) need nothing the page's hits read, so they are read beside them.
    # The menus count what the page lists: with show=speeches, a speaker's count is their
    # speeches', not their quotations' as well (a choice must give the count it promised).
    counted = {t.name: candidates[t.name] for t in types if t.name in results.shown_types}
    results.hits, theme_rows = both(
        lambda: _page_hits(shown, candidates, engine, parsed, results),
        lambda: _theme_rows(counted),
    )
    results.facets = _facets(counted, active, theme_rows)
    if results.total == 0:
        results.suggestions = [
            suggestion
            for suggestion in suggestions_for(
                parsed,
                has_filters=bool(active),
                vocabulary=_names_for_spelling(),
                known_to_index=lambda word: _indexed(word, engine),
            )
            if _finds_any(suggestion, engine, active, dated)
        ]
    return results


# The names' words, kept for the data version they were read at (one entry).
_spelling: dict[str, list[str]] = {}


def _names_for_spelling() -> list[str]:
    """The words of the names a search that found nothing is compared with for its
    spelling: speakers' (with their other names) and themes', read once per data version
    (2,000 speakers' names took up to 0.1 s to read and sort on every such search)."""
    version = data_version()
    words = _spelling.get(version)
    if words is None:
        names: list[str] = []
        for name, aliases in Speaker.objects.values_list("name", "aliases"):
            names.append(name)
            names.extend(alias for alias in aliases or () if isinstance(alias, str))
        names.extend(Theme.objects.values_list("name", flat=True))
        words = name_words(names)
        _spelling.clear()
        _spelling[version] = words
    return words


def _finds_any(suggestion: Suggestion, engine: Engine, active, dated) -> bool:
    """Whether a looser search finds at least one record: one that finds nothing too
    ("Leave out services: xylophone") would only send the reader on to another empty page.
    A read of one match per record type; only searches that found nothing ask."""
    query = parse_query(suggestion.query)
    if not query.is_searchable:
        return False
    kept = {} if suggestion.drop_filters else active
    return any(
        _candidates(
            t,
            engine,
            query,
            kept,
            1,
            scored=False,
            details=False,
            dated=dated if t is QUOTES and kept else None,
        )
        for t in _types_for(kept)
    )


def _indexed(word: str, engine: Engine) -> bool:
    """Whether any published record holds ``word`` (a word the index knows is not offered
    another spelling)."""
    return _finds_any(Suggestion("", word), engine, {}, None)


def _types_for(active) -> list[RecordType]:
    """The kinds of record a search with these filters reads: quotations alone when a
    filter belongs to them (a theme, a quotation kind)."""
    if any(name in active for name in QUOTE_ONLY_FILTERS):
        return [QUOTES]
    return list(RECORD_TYPES)


def _valid_filters(
    filters: Mapping[str, str],
) -> tuple[dict[str, object], dict[str, list], QuerySet | None]:
    """The filters that validate (as cleaned values), the messages for those that did not,
    and, when they name a theme and nothing the dated tags do not hold (a speaker, dates),
    the published quotations' tags they leave (``QuoteFilter.dated_tags``), else None."""
    if hasattr(filters, "lists"):
        data = filters.copy()
        for name in OWN_PARAMETERS:
            data.pop(name, None)
    else:
        data = {k: v for k, v in filters.items() if k not in OWN_PARAMETERS}
    if not data:  # a plain search: no FilterSet to build (it deep-copies every filter)
        return {}, {}, None
    filterset = QuoteFilter(data=data, queryset=Quote.objects.published())
    errors = {name: list(messages) for name, messages in filterset.errors.items()}
    active = {
        name: value
        for name, value in filterset.form.cleaned_data.items()
        if name not in OWN_PARAMETERS and value not in (None, "", [], ())
    }
    dated = filterset.dated_tags() if filterset.dated_theme() is not None else None
    return active, errors, dated


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
    order (newest first on SQLite, where that is free; whatever the index gives first on
    PostgreSQL) and the reading stops at ``limit``, so the cost does not grow with how
    common the words are. Scores (bigger is better) are computed only when
    ``scored``; otherwise they are 0.0. ``kind`` is "quotes" or "speeches"; ``engine``
    defaults to the default database's.
    """
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    if not parsed.is_searchable:
        return []
    record_type = QUOTES if kind == "quotes" else SPEECHES
    engine = engine or engine_for()
    rows = _candidates(
        record_type, engine, parsed, {}, limit, scored=scored, details=False, newest=False
    )
    return [(row.pk, row.score) for row in rows]


# A word's capped read differs from any other word's only in the word: its SQL is built by
# the ORM once per process and database (a few milliseconds each time) and reused.
_SENTINEL = "qqxsentinelqqx"
_word_reads: dict[tuple, tuple[str, str, list, int] | None] = {}


def capped_matches_per_word(
    words: list[str], *, limit: int, kind: str = "quotes", engine: Engine | None = None
) -> dict[str, list[int]]:
    """For each single word, the ids ``capped_matches(word, limit=limit)`` gives, in one
    statement for all the words (a UNION ALL of the capped reads).

    Related statements look up sixteen words per quote page; building sixteen ORM queries
    cost more than running them. Words that are not plain runs of letters and digits, or
    that the query parser does not take as they are, are read one by one as before.
    """
    engine = engine or engine_for()
    record_type = QUOTES if kind == "quotes" else SPEECHES
    read = _word_read(record_type, engine, limit)
    found: dict[str, list[int]] = {}
    batch: list[tuple[str, str]] = []  # (word, the term the parser made of it)
    for word in dict.fromkeys(words):
        parsed = parse_query(word)
        if not parsed.is_searchable:
            continue
        items = parsed.items()
        plain = len(items) == 1 and not parsed.excluded and isinstance(items[0], Term)
        if read is not None and plain and word.isalnum() and items[0].to_string() == items[0].word:
            batch.append((word, items[0].word))
        else:
            rows = capped_matches(parsed, limit=limit, kind=kind, engine=engine)
            found[word] = [pk for pk, _ in rows]
    if not batch:
        return found
    alias, sql, params, at = read
    parts, values = [], []
    for index, (word, term) in enumerate(batch):
        # The position is a literal integer of ours; every word stays a bound parameter.
        parts.append(f"SELECT {index} AS word, pk FROM ({sql}) AS read_{index}")  # noqa: S608
        values += [*params[:at], params[at].replace(_SENTINEL, term), *params[at + 1 :]]
        found[word] = []
    with connections[alias].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), values)
        for index, pk in cursor.fetchall():
            found[batch[index][0]].append(pk)
    return found


def _word_read(t: RecordType, engine: Engine, limit: int) -> tuple[str, str, list, int] | None:
    """The database, SQL and parameters of one word's capped read, and which parameter holds
    the word; None if the word is not one parameter as it is (each word is then read alone)."""
    alias = t.model.objects.all().db
    key = (alias, str(connections[alias].settings_dict["NAME"]), t.name, limit, type(engine))
    if key not in _word_reads:
        sentinel = parse_query(_SENTINEL)
        rows = _candidate_rows(t, engine, sentinel, {}, limit, scored=False, newest=False)
        sql, params = rows.query.sql_with_params()
        holding = [i for i, value in enumerate(params) if _SENTINEL in str(value)]
        usable = len(holding) == 1 and isinstance(params[holding[0]], str)
        _word_reads[key] = (alias, sql, list(params), holding[0]) if usable else None
    return _word_reads[key]


def _candidates(
    t: RecordType,
    engine: Engine,
    query,
    active,
    limit: int,
    *,
    scored: bool,
    details: bool = True,
    newest: bool = True,
    dated: QuerySet | None = None,
) -> list[Candidate]:
    """Up to ``limit`` published records that match and pass the filters, as Candidates.

    Read from the index in the engine's scan order, so the reading stops at ``limit``; the
    score (``bm25()`` / ``ts_rank()``) is computed for those rows only, and is 0.0 when not
    ``scored``. A speaker and a theme are matched by the index with the words (their filter
    tokens, see ``_with_filter_tokens``). Other filters are checked depending on how many
    records they leave: a few thousand are collected once and looked up; otherwise each
    match is checked with an EXISTS on its record. (Going from records
    to the index instead re-runs the full-text match per record on SQLite.)
    """
    if active:
        tokens = _with_filter_tokens(t, engine, query, active, scored=scored)
        rows = _candidate_rows(
            t,
            engine,
            query,
            active,
            limit,
            scored=scored,
            details=details,
            newest=newest,
            dated=dated,
            tokens=tokens,
        )
        rows = read_rows(rows, tokens[0], t.spec)
    else:
        # A plain search's read differs from any other of its shape only in the words: its
        # SQL is written once (see ``read_kept``). Filters put their values in the SQL and
        # choose between plans by how many records they leave, so they are built each time.
        rows = read_kept(
            ("candidates", t.name, limit, scored, details, newest, type(engine)),
            t.model.objects.db,
            lambda q: _candidate_rows(
                t, engine, q, {}, limit, scored=scored, details=details, newest=newest
            ),
            query,
            t.spec,
        )
    if not details:
        return [Candidate(pk, score, 0, None, "") for pk, score in rows]
    return [Candidate._make(row) for row in rows]


def _candidate_rows(
    t: RecordType,
    engine: Engine,
    query,
    active,
    limit: int,
    *,
    scored: bool,
    details: bool = False,
    newest: bool = True,
    dated: QuerySet | None = None,
    tokens: tuple[ParsedQuery, bool] | None = None,
) -> QuerySet:
    """The capped read of ``_candidates`` as a ``values_list`` query, not yet run: the most
    recently added matches first where the engine affords it (``newest``, see
    ``Engine.newest_first``), else the first the index gives. ``dated``, the tags in date
    order that ``active`` leaves (quotations only), is where those filters are checked;
    ``tokens``, what ``_with_filter_tokens`` gave for them, if the caller has it."""
    records = t.model.objects.published().order_by()
    if tokens is None:
        tokens = _with_filter_tokens(t, engine, query, active, scored=scored)
    matched, covered = tokens
    checked = {} if covered else active  # the filters the index does not answer itself
    if checked and dated is not None:
        # A theme's published quotations (by a speaker, between dates) are one range of the
        # dated tags' index, and one tag is found by its quotation: a check per match costs
        # one index probe, where the quotation, its speech and its tags were three.
        ids = dated.values("quote_id")
    elif checked:  # building a FilterSet deep-copies every filter: only when one is used
        filterset = t.filterset(queryset=records)
        for name, value in checked.items():
            records = filterset.filters[name].filter(records, value)
        ids = records.values("pk")
    order = engine.newest_first(query, filtered=bool(active)) if newest else engine.scan_order
    entries = t.entry.objects.filter(engine.match(matched, t.spec)).order_by(*order)
    if not checked:
        # Joined, not checked with an EXISTS: the join is the one the record's columns are
        # read through, where the EXISTS looked the record up a second time per match
        # (15-25 ms of a phrase's read at a million quotations).
        entries = entries.filter(**{t.status: Status.PUBLISHED})
    elif _leaves_few(ids):
        entries = entries.filter(engine.among(ids))
    elif dated is not None:
        entries = entries.filter(Exists(dated.filter(quote_id=OuterRef("pk"))))
    else:
        entries = entries.filter(Exists(records.filter(pk=OuterRef("pk"))))
    # The record's speaker, date and kind come along (two primary-key lookups per row, which
    # the filter above has just made), so facets and date order need no second pass.
    # (A caller that wants ids alone, ``details=False``, is spared those joins.)
    columns: list = ["pk", Value(0.0, output_field=FloatField())]
    if details:
        columns += [
            f"{t.link}__speaker_id",
            Cast(f"{t.link}__{t.date}", CharField()),
            f"{t.link}__{t.kind}",
        ]
    if scored:
        entries = entries.annotate(score=engine.rank(query, t.spec))
        columns[1] = "score"
    return entries.values_list(*columns)[:limit]


# Filters whose records the index holds tokens of (``archive.search.documents``), per kind.
_TOKENS = {
    "quotes": {"speaker": speaker_token, "theme": theme_token},
    "speeches": {"speaker": speaker_token},
}


def _with_filter_tokens(
    t: RecordType, engine: Engine, query: ParsedQuery, active, *, scored: bool
) -> tuple[ParsedQuery, bool]:
    """``query`` with the filter tokens of the active speaker and theme as words it must
    match too, and whether those filters are all that is active.

    The index then intersects the words' records with the speaker's or theme's, reading
    only records that pass: checking the words' matches one by one instead read 12,000 of
    "services" at a million quotations to find a thousand by the most quoted speaker, and
    all of them for a small theme (SQLite 38 -> 29 ms and 33 -> 23, PostgreSQL 57 -> 49
    and 47 -> 38). Tokens rank for nothing (class D), so the order of the matches is the
    words' alone.

    Where ranking counts the records holding each word matched (``bm25()``'s inverse
    document frequency, on SQLite), a token of a theme on more than ``FEW_TAGGED``
    quotations is left out when ranking: counting a third of the archive cost more than
    checking the words' matches, one in three of which passes (22 -> 26 ms).
    """
    tokens = _TOKENS[t.name]
    extra = []
    for name, value in active.items():
        counted = name == "theme" and scored and engine.counts_ranked_records
        if name not in tokens or (counted and tag_count(value) > FEW_TAGGED):
            continue
        extra.append(Group((Term(tokens[name](value.pk)),)))
    if not extra:
        return query, False
    narrowed = replace(query, groups=query.groups + tuple(extra), notices=())
    return narrowed, len(extra) == len(active)


def _leaves_few(ids: QuerySet) -> bool:
    """Whether the filtered records (a values("pk") query) number at most ``few_records()``.

    Counting them costs up to 20,000 rows (50 ms at a million quotes), and the answer only
    chooses between two plans that return the same matches, so it is remembered in the
    cache for ``FEW_RECORDS_SECONDS``, keyed by the filters' SQL: a stale answer can make a
    search slower, never wrong.
    """
    limit = few_records()
    sql, params = ids.query.sql_with_params()
    where = (ids.db, str(connections[ids.db].settings_dict["NAME"]), limit)
    digest = hashlib.sha256(repr((where, sql, params)).encode()).hexdigest()[:40]
    key = f"archive:search:few:{digest}"
    few = cache.get(key)
    if few is None:
        few = ids[: limit + 1].count() <= limit
        cache.set(key, few, FEW_RECORDS_SECONDS)
    return few


def _clamp_page(page, results: SearchResults) -> int:
    page = requested_page(page, results.num_pages)  # as the lists read it
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
            for row in candidates[t.name]:
                keyed.append(((-row.score, order, row.pk), t.name, row.pk, row.score))
            continue
        sign = -1 if results.sort == "newest" else 1
        for row in candidates[t.name]:
            # Undated records go last in either direction.
            ordinal = dt.date.fromisoformat(row.date[:10]).toordinal() if row.date else None
            key = (ordinal is None, sign * (ordinal or 0), order, row.pk)
            keyed.append((key, t.name, row.pk, None))
    # Only the rows up to the page's end are put in order (keys are unique: the same rows
    # as sorting them all, in a third of the time for two thousand candidates).
    page = heapq.nsmallest(end, keyed, key=_SORT_KEY)[start:]

    hits = []
    records, marked = {}, {}
    for t in types:
        ids = [pk for _, name, pk, _ in page if name == t.name]
        if not ids:
            continue
        # Read as the lists read their rows (``archive.cards``): plain values, not models.
        if t is QUOTES:
            records[t.name] = {card.pk: card for card in quote_cards(ids)}
            marked[t.name] = engine.highlight_quotes(query, ids)
        else:
            records[t.name] = {item.pk: item for item in speech_items(ids)}
            marked[t.name] = engine.highlight_speeches(query, ids)
    by_name = {t.name: t for t in types}
    for _, name, pk, score in page:
        record = records[name].get(pk)
        if record is None:  # deleted between the ranking and the loading
            continue
        hits.append(_hit(by_name[name], record, marked[name].get(pk, {}), score))
    return hits


def _hit(t: RecordType, record, marked: dict, score) -> SearchHit:
    if t is QUOTES:
        text = marked.get("marked_text") or escape(record.text)
        return SearchHit(
            QUOTE,
            record,
            score,
            marked_text=_shortened(marked_html(text)),
            in_words=has_marks(text),
        )
    snippet = marked.get("marked_snippet") or ""
    if not snippet.strip():
        # Both engines give the text's opening when the words are only in the title or the
        # speaker's name, so the snippet is empty only when the text is: show the summary.
        snippet = Truncator(record.summary).words(SNIPPET_WORDS)
    return SearchHit(
        SPEECH,
        record,
        score,
        marked_text=marked_html(snippet),
        marked_title=marked_html(marked.get("marked_title") or record.title),
    )


def _shortened(html: SafeString) -> SafeString:
    """A quotation's marked text cut after QUOTE_WORDS words, tags kept balanced.

    Most quotations are shorter: counting their words with a regular expression is cheap,
    and only the long ones go through the HTML-aware truncation (an HTML parser per hit).
    """
    words = sum(1 for match in _HTML_WORDS.finditer(html) if match.group(1))
    if words <= QUOTE_WORDS:
        return html
    return mark_safe(Truncator(html).words(QUOTE_WORDS, html=True, truncate=" …"))  # noqa: S308


# --- facets --------------------------------------------------------------------------


# Written once by the ORM and, on PostgreSQL, planned once per connection with the ids
# bound on the server (``archive.prepared``): as ORM queries, building them and sending a
# thousand ids cost more than counting (3.3 ms of a common word's search on PostgreSQL).
_THEME_COUNTS = PreparedRead(
    Quote.themes.through,
    "quote_id",
    lambda among: (
        Quote.themes.through.objects.filter(among)
        .order_by()
        .values("theme__slug", "theme__name")
        .annotate(n=Count("quote_id"))
        .values_list("theme__slug", "theme__name", "n")
    ),
)
_SPEAKER_NAMES = PreparedRead(
    Speaker,
    "pk",
    lambda among: Speaker.objects.filter(among).order_by().values_list("pk", "slug", "name"),
)


def _theme_rows(candidates: dict[str, list[Candidate]]) -> list[tuple[str, str, int]]:
    """(slug, name, count) of the themes of the candidate quotations: one GROUP BY over
    their ids (a quotation may have several themes, so the rows cannot count them)."""
    quote_ids = [row.pk for row in candidates.get("quotes", ())]
    return _THEME_COUNTS.rows(quote_ids) if quote_ids else []


def _facets(
    candidates: dict[str, list[Candidate]], active, theme_rows: list[tuple[str, str, int]]
) -> dict[str, list[FacetOption]]:
    """Counts by speaker, theme, year and kind over the candidates (capped matches) of the
    record types shown.

    Speaker, year and kind are counted from the candidate rows themselves; only the names of
    the speakers that can make the list are read (one small query); ``theme_rows`` are the
    themes' counts (``_theme_rows``).
    """
    speakers: Counter[int] = Counter()
    dates: Counter[str | None] = Counter()
    kinds: Counter[str] = Counter()
    for rows in candidates.values():
        # Counted in Counter's own loop, which runs in C (a loop over the 2,000 candidates
        # in Python took a millisecond); years from the few distinct dates.
        speakers.update(map(_SPEAKER, rows))
        dates.update(map(_DATE, rows))
        kinds.update(map(_KIND, rows))
    years: Counter[int] = Counter()
    for date, n in dates.items():
        if date:
            years[int(date[:4])] += n

    chosen = {
        name: getattr(active.get(name), "slug", active.get(name) or "")
        for name in ("speaker", "theme", "kind")
    }
    # A chosen speaker or theme that nothing matched stays in its menu, counted 0: the form
    # must send it again, or "Apply filters" would quietly drop it.
    speaker, theme = active.get("speaker"), active.get("theme")
    speaker_rows = _named_speakers(speakers, speaker)
    if speaker is not None and speaker.pk not in speakers:
        speaker_rows.append((speaker.slug, speaker.name, 0))
    facets = {
        "speaker": _options(speaker_rows, chosen["speaker"]),
        "year": _year_options(years, active),
        # Counted beside the years, so they add up; not a link: no filter picks them out.
        "undated": [FacetOption("", "Date unknown", dates[None])] if dates.get(None) else [],
        "kind": [
            FacetOption(value, label, kinds[value], value == chosen["kind"])
            for value, label in SpeechKind.choices
            if kinds.get(value) or value == chosen["kind"]
        ],
    }
    theme_rows = list(theme_rows)
    if theme is not None and all(slug != theme.slug for slug, _, _ in theme_rows):
        theme_rows.append((theme.slug, theme.name, 0))
    if theme_rows:
        facets["theme"] = _options(theme_rows, chosen["theme"])
        if theme is not None:
            # With a theme chosen, the others' counts are of quotations holding both, but
            # choosing one replaces the theme: its count is not known here, so none is shown.
            facets["theme"] = [o if o.selected else replace(o, count=-1) for o in facets["theme"]]
    return facets


def _named_speakers(counts: Counter[int], chosen) -> list[tuple[str, str, int]]:
    """(slug, name, count) of the speakers that can be among the FACET_SIZE shown: those
    counted at least as often as the FACET_SIZE-th (ties are broken by name), and the
    chosen one."""
    if not counts:
        return []
    ranked = sorted(counts.values(), reverse=True)
    floor = ranked[min(FACET_SIZE, len(ranked)) - 1]
    wanted = {pk for pk, n in counts.items() if n >= floor}
    if chosen is not None and getattr(chosen, "pk", None) in counts:
        wanted.add(chosen.pk)
    return [(slug, name, counts[pk]) for pk, slug, name in _SPEAKER_NAMES.rows(wanted)]


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
