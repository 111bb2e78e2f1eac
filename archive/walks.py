"""A large list's page read by walking the date index, its SQL written once.

A page of a large filtered list is read by walking the date index until the page is full
(``StatementFilterSet.walking``). Building that queryset from the filters and having the
ORM write its SQL took 0.7–1 ms of a list page at a million quotations; running the SQL
took 0.06 ms. The SQL depends only on the list, the filters' values (records by id and
slug, dates, kinds, the order) and the page's place in the list, never on the archive's
rows, so it is written once per process and database for each, and the most recent
``KEPT_READS`` are kept. Words are the exception: how they are searched for depends on the
rows (the search engine's plans), so a list with words is built afresh every time.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from functools import cached_property
from typing import TYPE_CHECKING

from django.db import connections
from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from archive.filters import StatementFilterSet

KEPT_READS = 512

_reads: OrderedDict[tuple, tuple[str, tuple]] = OrderedDict()
_lock = threading.Lock()


class IdWindow(list):
    """The ids of one part of a walked list, in list order."""


class WalkedRows:
    """A valid filterset's set in list order, read by walking the date index.

    Sliced as a paginator slices its list, it gives the ids of that part (an ``IdWindow``);
    ``queryset`` is the walking queryset itself, built only when something needs it (a
    page reached by cursor, records read through the queryset).
    """

    def __init__(self, filterset: StatementFilterSet):
        self.filterset = filterset

    @cached_property
    def queryset(self) -> QuerySet:
        return self.filterset.walking()

    def __getitem__(self, part: slice) -> IdWindow:
        if not isinstance(part, slice) or part.step is not None:
            raise TypeError("a walked list is read a page at a time")
        return IdWindow(self.ids(part.start or 0, part.stop))

    def ids(self, start: int, stop: int | None) -> list[int]:
        """The ids of rows ``start`` to ``stop`` of the list, in its order."""
        key = read_key(self.filterset, start, stop)
        if key is None:
            return list(self.queryset.values_list("pk", flat=True)[start:stop])
        with _lock:
            read = _reads.get(key)
            if read is not None:
                _reads.move_to_end(key)
        if read is None:
            ids = self.queryset.values_list("pk", flat=True)[start:stop]
            sql, params = ids.query.get_compiler(using=ids.db).as_sql()
            read = (sql, tuple(params))
            with _lock:
                _reads[key] = read
                while len(_reads) > KEPT_READS:
                    _reads.popitem(last=False)
        with connections[self.filterset.queryset.db].cursor() as cursor:
            cursor.execute(*read)
            return [row[0] for row in cursor.fetchall()]


def read_key(filterset: StatementFilterSet, start: int, stop: int | None) -> tuple | None:
    """What a walked read's SQL depends on, or None when it depends on more (words)."""
    values = filterset.form.cleaned_data
    if values.get("q"):
        return None
    try:
        filters = tuple((name, _fingerprint(values[name])) for name in sorted(values))
    except TypeError:
        return None
    base = filterset.queryset.query
    # The list's own set (the model and what it is narrowed to before any filter: the
    # published statements, a speaker's pledges …), on this database.
    return (
        type(filterset),
        base.model,
        base.where,
        base.distinct,
        filterset.queryset.db,
        filters,
        start,
        stop,
    )


def forget_reads() -> None:
    """Drop every kept read (for tests that change how reads are written)."""
    with _lock:
        _reads.clear()


def _fingerprint(value: object) -> object:
    """A filter's cleaned value as a key: a record by its id and slug (the filters write one
    or the other into the SQL), a span of dates by its days."""
    if value is None or isinstance(value, str | int | dt.date):
        return value
    if isinstance(value, Model):
        return (value._meta.label, value.pk, getattr(value, "slug", None))
    start, end = getattr(value, "start", None), getattr(value, "end", None)
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        return ("span", start, end)
    raise TypeError(f"no key for {type(value).__name__}")
