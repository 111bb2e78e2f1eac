"""A large list's page read by walking the date index, its SQL written once.

A page of a large filtered list is read by walking the date index until the page is full
(``StatementFilterSet.walking``). Building that queryset from the filters and having the
ORM write its SQL took 0.7–1 ms of a list page at a million quotations; running the SQL
took 0.06 ms. The SQL depends only on the list, the filters' values (records by id and
slug, dates, kinds, the order) and the page's place in the list (its slice, or the row
its cursor names), never on the archive's rows, so it is written once per process and
database for each, and the most recent ``KEPT_READS`` are kept. Words are the exception:
how they are searched for depends on the rows (the search engine's plans), so a list with
words is built afresh every time.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from django.db import connections
from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from archive.filters import StatementFilterSet
    from archive.keyset import Keyset

KEPT_READS = 512

_reads: OrderedDict[tuple, tuple[str, tuple]] = OrderedDict()
_lock = threading.Lock()


class IdWindow(list):
    """The ids of one part of a walked list, in list order."""


class WalkedRows:
    """A valid filterset's set in list order, read by walking the date index.

    Sliced as a paginator slices its list, it gives the ids of that part (an ``IdWindow``);
    ``cursor_window`` gives a page reached by cursor. ``queryset`` is the walking queryset
    itself, built only when a read is written or records are read through it.
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
        return self._read(key, lambda: self.queryset.values_list("pk", flat=True)[start:stop])

    def cursor_window(self, keyset: Keyset, cursor: tuple, size: int, *, forward: bool):
        """``keyset.page`` of this list: the ids of up to ``size`` rows after (or before)
        the row ``cursor`` names, each part of the read written once for that row."""
        key = read_key(self.filterset, cursor, keyset, forward)
        if key is None:
            return keyset.page(self.queryset, cursor, size, forward=forward)

        def read_ids(part: int, make, wanted: int) -> list[int]:
            return self._read(
                (*key, part, wanted), lambda: make().values_list("pk", flat=True)[:wanted]
            )

        return keyset.page(lambda: self.queryset, cursor, size, forward=forward, read_ids=read_ids)

    def _read(self, key: tuple | None, make: Callable[[], QuerySet]) -> list[int]:
        """The ids ``make()`` reads, through the SQL kept under ``key`` (written and kept
        first if need be; never kept without a key)."""
        if key is None:
            return list(make())
        with _lock:
            read = _reads.get(key)
            if read is not None:
                _reads.move_to_end(key)
        if read is None:
            query = make()
            sql, params = query.query.get_compiler(using=query.db).as_sql()
            read = (sql, tuple(params))
            with _lock:
                _reads[key] = read
                while len(_reads) > KEPT_READS:
                    _reads.popitem(last=False)
        with connections[self.filterset.queryset.db].cursor() as cursor:
            cursor.execute(*read)
            return [row[0] for row in cursor.fetchall()]


def read_key(filterset: StatementFilterSet, *where: object) -> tuple | None:
    """What a walked read's SQL depends on: the list, its filters' values and ``where`` in
    it the read is (a slice, a cursor); None when it depends on more (words)."""
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
        *where,
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
