"""Full-text search: one interface, one engine per database.

Callers (the search page, the lists' ``q`` filter, the admin) use only the functions here.
"""

from django.db.models import QuerySet


def filter_queryset(queryset: QuerySet, query: str) -> QuerySet:
    """Restrict a Quote or Speech queryset to the records matching ``query``.

    Placeholder: returns the queryset unchanged until the engines land.
    """
    return queryset
