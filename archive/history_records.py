"""The records' histories (django-simple-history), indexed for the admin's deleted lists."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db import models
from django.db.models import Exists, OuterRef, Q
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
    """The history rows that deleted ``model``'s records not brought back since (each
    record's last), most recent first, read through the index above."""
    pk = model._meta.pk.attname
    # NOT EXISTS, not NOT IN: PostgreSQL reads every live record's id for a NOT IN.
    live = model._default_manager.filter(pk=OuterRef(pk))
    # Only a record's last deletion: an earlier one (deleted, restored, deleted again) came
    # back on an older page, whose revert would bring back the older version.
    later = model.history.filter(**{pk: OuterRef(pk)}, history_id__gt=OuterRef("history_id"))
    return (
        model.history.filter(history_type="-")
        .exclude(Exists(live))
        .exclude(Exists(later))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


class DeletionsPage(NamedTuple):
    rows: dict[int, Any]  # each record's latest deletion on the page, by record number
    older: int | None  # the ``before`` of the next page, if there are older deletions


def deletions_page(model: type[models.Model], *, limit: int, before: int | None = None):
    """Up to ``limit`` records of ``model`` deleted and not brought back, most recently
    deleted first, from the deletion before history row ``before`` (a page's ``older``;
    None: the most recent). Keyset paging: a page deep in the history costs what the first
    does. Raises ``LookupError`` if ``before`` is not a deletion of ``model``."""
    rows = deletions(model)
    if before is not None:
        start = model.history.filter(history_id=before, history_type="-").first()
        if start is None:
            raise LookupError(before)
        rows = rows.filter(
            Q(history_date__lt=start.history_date)
            | Q(history_date=start.history_date, history_id__lt=before),
            history_date__lte=start.history_date,  # a bound the index can read from
        )
    # One row per record (``deletions`` keeps each record's last): the page is a slice.
    page = list(rows[: limit + 1])
    older = page[limit - 1].history_id if len(page) > limit else None
    pk = model._meta.pk.attname
    return DeletionsPage({getattr(row, pk): row for row in page[:limit]}, older)
