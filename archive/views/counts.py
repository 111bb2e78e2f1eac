"""How many statements belong to each record on a list page.

Pages count for their own rows only (``attach_counts``: one GROUP BY per count, cached
when slow). ``published_*_by`` are the same counts as subquery annotations, for callers
that need them inside a queryset (the JSON API).
"""

from collections import Counter
from collections.abc import Sequence

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from archive.models import Quote, Speech, Status
from archive.views.summaries import cached_summary, small_count_min_ms


def count_by(queryset: QuerySet, field: str, records: Sequence) -> dict[int, int]:
    """``{record id: rows of queryset pointing at it through field}`` for these records.

    One GROUP BY over the records of one page; cached when it is not quick
    (``small_count_min_ms``): a page of speakers' counts took 2–3 ms at a million
    quotations, on every view of the list.
    """
    ids = sorted(record.pk for record in records)
    if not ids:
        return {}

    def compute() -> dict[int, int]:
        rows = (
            queryset.filter(**{f"{field}__in": ids})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
        )
        return {row[field]: row["n"] for row in rows}

    label = f"{queryset.model._meta.label}.{field}"
    return cached_summary(label, ids, compute, min_ms=small_count_min_ms())


def attach_counts(records: Sequence, **counts: tuple[QuerySet, str]) -> None:
    """Set ``record.<name>`` for each ``name=(queryset, field)``: the per-record count."""
    for name, (queryset, field) in counts.items():
        by_id = count_by(queryset, field, records)
        for record in records:
            setattr(record, name, by_id.get(record.pk, 0))


# Every status but published: an IN over these starts from the few unpublished speeches.
HIDDEN = [status for status in Status.values if status != Status.PUBLISHED]


def published_quotes_per_theme() -> dict[int, int]:
    """``{theme id: published quotations with that theme}`` for every theme that has any.

    Counted as every tagging less the taggings of unpublished speeches' quotations: the
    first is one pass over the theme index of the tags table (no row of a quotation or a
    speech is read), the second starts from the few unpublished speeches. Joining every
    tagged quotation to its speech to check it is published reads three tables a million
    times (2 s at a million quotations on SQLite; this takes a tenth of that).
    """
    through = Quote.themes.through
    per_theme = through.objects.order_by().values("theme_id").annotate(n=Count("theme_id"))
    counts = Counter({row["theme_id"]: row["n"] for row in per_theme})
    unpublished = per_theme.filter(quote__speech__status__in=HIDDEN)
    counts.subtract({row["theme_id"]: row["n"] for row in unpublished})
    return {theme: n for theme, n in counts.items() if n > 0}


def published_quote_total() -> int:
    """How many quotations are published: all of them less those of unpublished speeches
    (a count over the narrowest index, then over the few unpublished speeches' quotations,
    instead of joining every quotation to its speech)."""
    return Quote.objects.count() - Quote.objects.filter(speech__status__in=HIDDEN).count()


def published_speeches() -> QuerySet:
    return Speech.objects.published()


def published_quotes() -> QuerySet:
    return Quote.objects.published()


def count_of(queryset: QuerySet, field: str) -> Coalesce:
    """An annotation counting the rows of ``queryset`` whose ``field`` is the outer row."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def published_speeches_by(field: str) -> Coalesce:
    """How many published speeches point at the outer row through ``field``."""
    return count_of(Speech.objects.published(), field)


def published_quotes_by(field: str) -> Coalesce:
    """How many quotes of published speeches point at the outer row through ``field``."""
    return count_of(Quote.objects.published(), field)
