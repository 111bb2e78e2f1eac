"""Counts shown beside records in lists, as subqueries so a page costs one query."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from archive.models import Quote, Speech


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
