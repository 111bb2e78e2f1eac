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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from django.db import OperationalError, connections
from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from archive.filters import StatementFilterSet
    from archive.keyset import Keyset

KEPT_READS = 512
# A walk that looks each record up in the search index (``dense_words``) is stopped after
# this many rows walked per row wanted; a walked row takes 36-57 steps of SQLite's virtual
# machine (the full-text lookup itself is not counted in them).
BOUND_ROWS_PER_ROW = 40
STEPS_PER_ROW = 64
_STEPS_PER_CALL = 1000  # how often SQLite calls the progress handler that counts them
T = TypeVar("T")

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

        def read() -> list[int]:
            return self._read(key, lambda: self.queryset.values_list("pk", flat=True)[start:stop])

        return read() if stop is None else self._within_bound(read, stop)

    def cursor_window(self, keyset: Keyset, cursor: tuple, size: int, *, forward: bool):
        """``keyset.page`` of this list: the ids of up to ``size`` rows after (or before)
        the row ``cursor`` names, each part of the read written once for that row."""
        key = read_key(self.filterset, cursor, keyset, forward)
        if key is None:
            return self._within_bound(
                lambda: keyset.page(lambda: self.queryset, cursor, size, forward=forward), size
            )

        def read_ids(part: int, make, wanted: int) -> list[int]:
            return self._read(
                (*key, part, wanted), lambda: make().values_list("pk", flat=True)[:wanted]
            )

        return keyset.page(lambda: self.queryset, cursor, size, forward=forward, read_ids=read_ids)

    def _within_bound(self, read: Callable[[], T], wanted: int) -> T:
        """``read()``; if the list's words are looked up record by record
        (``dense_words``), within a bound on the work, past which they are gathered instead.

        A list judged dense from its totals can still be sparse where the walk starts: a
        word common over the years but rare among the newest records. Looking each record
        up there would walk on through hundreds of thousands of them; the bound stops it
        after about ``BOUND_ROWS_PER_ROW`` rows walked per row wanted (twice what one match
        in twenty needs), and the matches are then gathered, which costs what it always did.
        """
        if not self.filterset.dense_words:
            return read()
        alias = self.filterset.queryset.db
        try:
            with steps_bounded(alias, wanted * BOUND_ROWS_PER_ROW * STEPS_PER_ROW):
                return read()
        except StepsExceeded:
            pass
        self.filterset.dense_words = False
        self.__dict__.pop("queryset", None)  # built again, gathering the matches
        return read()

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


class DatedTagRows(WalkedRows):
    """A theme's published statements newest first, read from the dated tags' index
    (``DatedTag``): any page of any theme is one range of it, where walking the speeches in
    date order met a small theme's statements once in a hundred rows or more.

    It serves a theme's list narrowed by nothing but dates, or for quotations by a speaker
    too (``dated_theme``), of quotations or of speeches (each speech once, however many of
    its quotations carry the theme). Its
    rows, cursors and order are the walked list's: the filterset's ``dated_keyset`` names
    the same rows over the tags' columns as its list's keyset over its records.
    """

    def __init__(self, filterset: StatementFilterSet):
        super().__init__(filterset)
        self.keyset = filterset.dated_keyset
        self.column = self.keyset.fields[-1]  # the records' id: quote_id or speech_id

    @property
    def queryset(self) -> QuerySet:
        # What the page's records are read with (their joins and prefetches); no filter of
        # it is ever run, the index having chosen the ids.
        return self.filterset.queryset

    def tags(self) -> QuerySet:
        """The list's tags (``dated_tags``), ordered by each read."""
        return self.filterset.dated_tags()

    def _ids(self, tags: QuerySet) -> QuerySet:
        ids = tags.values_list(self.column, flat=True)
        # A speech has a tag for each of its quotations on the theme; the order's columns
        # (date, speech) are the speech's own, so the rows of one speech are one.
        return ids if self.column == "quote_id" else ids.distinct()

    def ids(self, start: int, stop: int | None) -> list[int]:
        if stop is not None and stop <= start:
            return []  # an empty list's page (the ORM writes no SQL for an empty slice)
        key = read_key(self.filterset, "dated", start, stop)

        def make() -> QuerySet:
            return self._ids(self.tags().order_by(*self.keyset.ordering()))[start:stop]

        return self._read(key, make)

    def cursor_window(self, keyset: Keyset, cursor: tuple, size: int, *, forward: bool):
        # ``keyset`` is the list's (on its records); the tags' own names the same rows.
        key = read_key(self.filterset, "dated", cursor, forward)

        def read_ids(part: int, make, wanted: int) -> list[int]:
            where = None if key is None else (*key, part, wanted)
            return self._read(where, lambda: self._ids(make())[:wanted])

        return self.keyset.page(self.tags, cursor, size, forward=forward, read_ids=read_ids)


class StepsExceeded(Exception):
    """A bounded read was stopped (``steps_bounded``)."""


@contextmanager
def steps_bounded(alias: str, steps: int) -> Iterator[None]:
    """Stop the statements run inside after about ``steps`` steps of the database's
    virtual machine, raising ``StepsExceeded`` (SQLite only; elsewhere unbounded).

    Stopping a read changes nothing: a SELECT that is interrupted leaves the transaction
    as it was.
    """
    connection = connections[alias]
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    calls = steps // _STEPS_PER_CALL + 1
    left = [calls]

    def count_down() -> int:
        left[0] -= 1
        return 1 if left[0] < 0 else 0  # non-zero interrupts the statement

    raw.set_progress_handler(count_down, _STEPS_PER_CALL)
    try:
        yield
    except OperationalError as error:
        if left[0] < 0 and "interrupt" in str(error):
            raise StepsExceeded from error
        raise
    finally:
        raw.set_progress_handler(None, 0)


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
