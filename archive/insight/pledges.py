"""Pledges: quotations marked as commitments, as the pledges list and quote pages ask for them."""

from __future__ import annotations

from django.db.models import QuerySet

from archive.models import Quote


def pledged_quotes() -> QuerySet[Quote]:
    """Published quotations that are commitments, with their pledge and everything a list row
    shows, in a constant number of queries."""
    return (
        Quote.objects.published().filter(pledge__isnull=False).for_list().select_related("pledge")
    )
