"""Full-text search: one interface, one engine per database.

Callers (the search page, the lists' ``q`` filter, the admin) use only what this module
exports:

- ``filter_queryset(queryset, query)``: a Quote or Speech queryset restricted to matches,
  best match first;
- ``matching(queryset, query)``: restricted to matches, unranked, in its own order (for
  walking a list's index);
- ``matches_many(queryset, query)``: whether more match than a search ranks;
- ``search(query, filters=…, sort=…, show=…, page=…)``: the search page's results, with
  highlighted hits, facet counts and advice (``archive.search.service``);
- ``capped_matches(query, limit=…, kind=…)``: ids of up to ``limit`` published matches,
  read in the index's own order (the search page's candidate read, for other features);
- ``parse_query(text)``: the query language (``archive.search.query``);
- ``rebuild_index()``: rewrite the index from the records.

Behind it, ``archive.search.engines`` holds one engine per database: SQLite FTS5 and
PostgreSQL full-text search. Both speak the same query language and pass the same tests.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from archive.search.query import ParsedQuery, parse_query

__all__ = [
    "ParsedQuery",
    "capped_matches",
    "filter_queryset",
    "matches_many",
    "matching",
    "parse_query",
    "rebuild_index",
    "search",
]

# The annotation filter_queryset adds: bigger is a better match.
RANK_ANNOTATION = "search_rank"


def _record_type(model):
    from archive.search.service import RECORD_TYPES

    for record_type in RECORD_TYPES:
        if issubclass(model, record_type.model):
            return record_type
    return None


def _searching(queryset: QuerySet, query: str | None):
    """``((record type, parsed query, engine), queryset)`` to search ``queryset`` with, or
    ``(None, answer)`` when there is nothing to search: the queryset as it is (a blank
    query, a model the index does not hold) or none of it (nothing searchable)."""
    from archive.search.engines import engine_for

    record_type = _record_type(queryset.model)
    parsed = parse_query(query)
    if record_type is None or parsed.is_blank:
        return None, queryset
    if not parsed.is_searchable:
        return None, queryset.none()
    return (record_type, parsed, engine_for(queryset.db)), queryset


def filter_queryset(queryset: QuerySet, query: str | None) -> QuerySet:
    """Restrict a Quote or Speech queryset to the records matching ``query``, best first.

    The result is annotated with ``search_rank`` and ordered by it (then by id); a caller
    that wants another order applies ``order_by()`` afterwards. A blank query leaves the
    queryset as it is; a query with nothing searchable in it (only ``OR``, punctuation, very
    common words) matches nothing. Drafts are not excluded here: pass a published queryset.

    A queryset of a model the index does not hold is returned as it is (the same object),
    so a caller such as the admin can fall back to its own lookup.
    """
    parts, unsearched = _searching(queryset, query)
    if parts is None:
        return unsearched
    record_type, parsed, engine = parts
    # An inner join to the index row, so the database can read the matches from the index
    # and fetch their records, rather than probe the index once per record.
    path = "search_entry__"
    return (
        queryset.filter(search_entry__isnull=False)
        .filter(engine.match(parsed, record_type.spec, path=path))
        .annotate(**{RANK_ANNOTATION: engine.rank(parsed, record_type.spec, path=path)})
        .order_by(f"-{RANK_ANNOTATION}", "pk")
    )


def matching(queryset: QuerySet, query: str | None, *, dense: bool = False) -> QuerySet:
    """Restrict a Quote or Speech queryset to the records matching ``query``, unranked, in
    the queryset's own order.

    The matches are gathered once and each record the database reaches is checked against
    them, so a list can be read by walking its own index (newest first) and stop after a
    page, where joining the matches and sorting them took 0.6 s at a million quotations.
    A caller that knows most records it walks will match (``dense``: one in twenty or
    more) may have each record looked up in the index instead, where the engine does that
    faster (SQLite: the newest twenty of 300,000 matches in 0.5 ms, where gathering them
    took 35 ms); with few matches that lookup would run for every record walked past, so
    it is never the default, and such a walk is bounded (``archive.walks``).
    """
    parts, unsearched = _searching(queryset, query)
    if parts is None:
        return unsearched
    record_type, parsed, engine = parts
    entries = record_type.entry.objects.using(queryset.db)
    matches = entries.filter(engine.match(parsed, record_type.spec))
    if dense and engine.looks_up_dense:
        return queryset.filter(Exists(matches.filter(pk=OuterRef("pk"))))
    return queryset.filter(engine.among(matches.values("pk")))


def matches_many(queryset: QuerySet, query: str) -> bool:
    """Whether ``query`` matches more of ``queryset`` than a search ranks
    (``SEARCH_MATCH_LIMIT``); counted no further than that."""
    from archive.search.service import match_limit

    limit = match_limit()
    # Ids only: counting needs no score (bm25 computed for a thousand rows only to count
    # them took half of this count).
    matches = filter_queryset(queryset, query).order_by().values("pk")
    return matches[: limit + 1].count() > limit


def search(query, **options):
    """The search page's search; see ``archive.search.service.search``."""
    from archive.search.service import search as run

    return run(query, **options)


def capped_matches(query, **options) -> list[tuple[int, float]]:
    """Up to ``limit`` published matches as (id, score); see
    ``archive.search.service.capped_matches``."""
    from archive.search.service import capped_matches as read

    return read(query, **options)


def capped_matches_per_word(words, **options) -> dict[str, list[int]]:
    """Each word's capped matches (ids), in one statement; see
    ``archive.search.service.capped_matches_per_word``."""
    from archive.search.service import capped_matches_per_word as read

    return read(words, **options)


def rebuild_index(**options) -> dict[str, int]:
    """Rewrite the whole index; see ``archive.search.indexing.rebuild``."""
    from archive.search.indexing import rebuild

    return rebuild(**options)
