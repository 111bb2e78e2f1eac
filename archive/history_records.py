"""The records' histories (django-simple-history), indexed for the admin's deleted lists."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef
from simple_history.models import HistoricalRecords


class ArchiveHistory(HistoricalRecords):
    """``HistoricalRecords`` whose table is also indexed by kind of change and time.

    A kind's "Deleted …" page (``archive.admin.deleted_views``) reads its deletions, most
    recent first: without this index the database read the whole history in date order to
    find them (every version of every record, a million rows and more in a large archive).
    """

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        by_change = models.Index(fields=("history_type", "history_date"))
        options["indexes"] = (*options.get("indexes", ()), by_change)
        return options


def deletions(model: type[models.Model]) -> models.QuerySet:
    """The history rows that deleted ``model``'s records not brought back since, most
    recent first (a record deleted twice has two), read through the index above."""
    pk = model._meta.pk.attname
    # NOT EXISTS, not NOT IN: PostgreSQL reads every live record's id for a NOT IN.
    live = model._default_manager.filter(pk=OuterRef(pk))
    return (
        model.history.filter(history_type="-")
        .exclude(Exists(live))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
