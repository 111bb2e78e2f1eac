"""How many statements belong to each record on a list page.

Pages count for their own rows only (``attach_counts``: one GROUP BY per count, cached
when slow). ``published_*_by`` are the same counts as subquery annotations, for callers
that need them inside a queryset (the JSON API).
"""

from collections.abc import Sequence

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from archive.models import Quote, Speech
from archive.views.summaries import cached_summary


def count_by(queryset: QuerySet, field: str, records: Sequence) -> dict[int, int]:
    """``{record id: rows of queryset pointing at it through field}`` for these records.

    One GROUP BY over the records of one page; cached when slow (see ``summaries``).
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
    return cached_summary(label, ids, compute)


def attach_counts(records: Sequence, **counts: tuple[QuerySet, str]) -> None:
    """Set ``record.<name>`` for each ``name=(queryset, field)``: the per-record count."""
    for name, (queryset, field) in counts.items():
        by_id = count_by(queryset, field, records)
        for record in records:
            setattr(record, name, by_id.get(record.pk, 0))


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
