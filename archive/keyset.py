"""Paging by position ("keyset" or "cursor" paging): the page after or before a given row.

A numbered page deep in a long list costs the database every row before it (an OFFSET);
the page after a row costs only the rows shown, however deep: the query starts at the row
(through an index in the list's order) and reads forward. Lists therefore number their
first pages and, past ``ARCHIVE_NUMBERED_ROWS`` rows (10,000), move on with ``?after=``
links, which also make stable bookmarks (a page keeps starting at the same statement when
others are added).

A cursor names a row by its sort key, readably: ``2012-06-14_4512_3_10234`` is the quote
at position 3 of speech 4512 given on 14 June 2012 (``x`` stands for an unknown date).
Statements of unknown date come after all dated ones in either order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, DateField, F, Func, Q, QuerySet, Value
from django.db.models.expressions import Col

UNKNOWN_DATE = "x"
_BIGINT = 2**63


def numbered_rows() -> int:
    """How far into a list numbered pages reach: no OFFSET exceeds it, whatever the size."""
    return int(getattr(settings, "ARCHIVE_NUMBERED_ROWS", 10_000))


def walk_from_rows() -> int:
    """From this many matching rows a page is read by walking the date index (see listing)."""
    return int(getattr(settings, "ARCHIVE_WALK_FROM_ROWS", 5_000))


class RowCompare(Func):
    """``(a, b, …) <op> (x, y, …)``: a row-value comparison, which an index can seek to."""

    output_field = BooleanField()

    def __init__(self, fields: Sequence[str], op: str, values: Sequence, date_first=False):
        if op not in ("<", "<=", ">", ">="):
            raise ValueError(op)
        rhs = [
            Value(v, output_field=DateField()) if (i == 0 and date_first) else Value(v)
            for i, v in enumerate(values)
        ]
        super().__init__(*[F(name) for name in fields], *rhs)
        self.op = op
        self.width = len(fields)
        self.date_first = date_first

    def resolve_expression(self, *args, **kwargs):
        resolved = super().resolve_expression(*args, **kwargs)
        sources = resolved.get_source_expressions()
        date = sources[0]
        if resolved.date_first and resolved.width > 1 and isinstance(date, Col):
            # (speech.date, quote.speech_id) equals (speech.date, speech.id), but only the
            # latter is a prefix of the speech index the database can seek to.
            model = date.target.model
            group = getattr(sources[1], "target", None)
            if group is not None and group.related_model is model:
                sources[1] = Col(date.alias, model._meta.pk)
                resolved.set_source_expressions(sources)
        return resolved

    def as_sql(self, compiler, connection, **extra):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, sql_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(sql_params)
        left, right = parts[: self.width], parts[self.width :]
        return f"({', '.join(left)}) {self.op} ({', '.join(right)})", params


@dataclass(frozen=True)
class Keyset:
    """A list order that can be paged by position.

    ``date`` is the (nullable) date the list is sorted by, ``group`` the id that breaks
    ties in the date's direction (the speech), ``within`` the fields, ascending, that order
    rows of one group (a quote's position in its speech).
    """

    date: str
    group: str
    within: tuple[str, ...] = ()
    descending: bool = True

    # -- cursors ---------------------------------------------------------------------------

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.date, self.group, *self.within)

    def cursor_of(self, row) -> str:
        """The cursor naming ``row`` (a model instance of the list)."""
        values = [_attribute(row, name) for name in self.fields]
        date = values[0].isoformat() if values[0] is not None else UNKNOWN_DATE
        return "_".join([date, *(str(int(v)) for v in values[1:])])

    def parse(self, raw: str) -> tuple | None:
        """The sort key a cursor names, or None if it is not one of this list's cursors."""
        parts = raw.strip().split("_")
        if len(parts) != len(self.fields):
            return None
        try:
            date = None if parts[0] == UNKNOWN_DATE else dt.date.fromisoformat(parts[0])
            numbers = [int(p) for p in parts[1:]]
        except ValueError:
            return None
        if not all(p.isdigit() for p in parts[1:]) or any(n >= _BIGINT for n in numbers):
            return None
        return (date, *numbers)

    # -- pages -----------------------------------------------------------------------------

    def ordering(self, *, reverse: bool = False, dated: bool = True) -> list:
        """ORDER BY terms in the list's order (or its reverse), shaped to match the index.

        Unknown dates are filtered out of the dated part, so the NULL placement only has
        to agree with the index: PostgreSQL's ``date DESC NULLS LAST`` (read backwards for
        the reverse); SQLite keeps NULLs lowest, its default.
        """
        descending = self.descending != reverse
        date = F(self.date)
        if connection.vendor == "postgresql" and dated:
            date_term = date.desc(nulls_last=True) if descending else date.asc(nulls_first=True)
        else:
            date_term = date.desc() if descending else date.asc()
        group = F(self.group).desc() if descending else F(self.group).asc()
        within = [F(name).desc() if reverse else F(name).asc() for name in self.within]
        return [date_term, group, *within]

    def _beyond(self, key: tuple, *, forward: bool) -> Q:
        """Rows after (forward) or before the row ``key``, within its date part."""
        date, group, *within = key
        ahead = self.descending == forward  # moving towards smaller keys
        group_op = "<" if ahead else ">"
        if date is None:
            lead = RowCompare([self.group], group_op + ("=" if within else ""), [group])
        else:
            lead = RowCompare(
                [self.date, self.group],
                group_op + ("=" if within else ""),
                [date, group],
                date_first=True,
            )
        if not within:
            return Q(lead)
        # Within the cursor's own group, only the rows past it (position order is ascending
        # in both list orders). Only if the group is still at the cursor's date: a cursor
        # kept from before its speech's date was corrected (or typed) names a place in the
        # list that the group's rows are no longer at, and all of them are then on one side.
        passed = RowCompare(self.within, "<=" if forward else ">=", within)
        at_cursor = {self.group: group} if date is None else {self.group: group, self.date: date}
        return Q(lead) & ~(Q(**at_cursor) & Q(passed))

    def page(
        self,
        queryset: QuerySet | Callable[[], QuerySet],
        key: tuple,
        size: int,
        *,
        forward: bool,
        read_ids: Callable[[int, Callable[[], QuerySet], int], list] | None = None,
    ) -> KeysetWindow:
        """The ids of up to ``size`` rows after (or before) ``key``, in list order.

        ``queryset`` may be a function that makes it, called only if a part of the page is
        read through it. ``read_ids(n, make, wanted)`` reads up to ``wanted`` ids of part
        ``n`` of the page, ``make()`` making its ordered queryset; by default it does just
        that (``archive.walks`` keeps the parts' SQL instead).
        """
        read_ids = read_ids or _read_ids
        made: list[QuerySet] = []

        def base() -> QuerySet:
            if not made:
                made.append(queryset() if callable(queryset) else queryset)
            return made[0]

        date = key[0]
        reverse = not forward

        def undated() -> QuerySet:
            return base().filter(**{f"{self.date}__isnull": True})

        def dated() -> QuerySet:
            return base().filter(**{f"{self.date}__isnull": False})

        # The rows in reading direction: for a forward page, the rest of the cursor's date
        # part then (if it is dated) the undated rows; backwards, the mirror image.
        if date is not None:

            def first() -> QuerySet:
                rest = dated().filter(self._beyond(key, forward=forward))
                return rest.order_by(*self.ordering(reverse=reverse))

            def second() -> QuerySet:
                return undated().order_by(*self.ordering(reverse=reverse, dated=False))

            parts = [first] if not forward else [first, second]
        else:

            def first() -> QuerySet:
                rest = undated().filter(self._beyond(key, forward=forward))
                return rest.order_by(*self.ordering(reverse=reverse, dated=False))

            def second() -> QuerySet:
                return dated().order_by(*self.ordering(reverse=reverse))

            parts = [first, second] if not forward else [first]
        ids: list = []
        for index, part in enumerate(parts):
            wanted = size + 1 - len(ids)
            if wanted <= 0:
                break
            ids += read_ids(index, part, wanted)
        more = len(ids) > size
        ids = ids[:size]
        if not forward:
            ids.reverse()
        return KeysetWindow(ids=ids, more=more)


def _read_ids(index: int, make: Callable[[], QuerySet], wanted: int) -> list:
    return list(make().values_list("pk", flat=True)[:wanted])


@dataclass
class KeysetWindow:
    ids: list
    more: bool  # further rows exist in the direction read


def _attribute(row, path: str):
    value = row
    for name in path.split("__"):
        value = getattr(value, "pk" if name == "pk" else name)
    return value


class NoIndex(Func):
    """A column the database must not choose an index for (SQLite's ``+column``).

    SQLite keeps no per-value statistics, so it starts from any indexed equality, even one
    matching a tenth of the table, and sorts. When a list is read in date order from a large
    set, walking the date index and checking each row stops after one page instead.
    """

    template = "%(expressions)s"
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra)
