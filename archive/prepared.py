"""Reads by a list of ids whose SQL the ORM writes once, then runs again with other ids.

A list page reads its twenty rows by primary key (``archive.cards``). Writing such a query
costs Django more than running it: for the twenty cards of a quotation list, about 1.3 ms
in the queryset and SQL compiler against 0.2 ms in the database, three times a page. A
``PreparedRead`` has the ORM write the query once per database (with ``AmongIds``, the ids
are one parameter, so one SQL text serves any number of ids), then only binds new ids and
converts the values as the ORM would (a date column is text on SQLite, for one).

Only for queries whose SQL depends on nothing but the ids: no filter on a value that
changes between calls (the published status is a constant of the code, and may be in it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import BooleanField, Expression, F, Model, QuerySet


class AmongIds(Expression):
    """``column IN (ids)`` with the ids as one parameter (a JSON array on SQLite, an array on
    PostgreSQL): a thousand ids cost one bound value, not a thousand the ORM prepares one by
    one and the database parses one by one."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, ids: Iterable[int]):
        super().__init__()
        self.column = F(column)
        self.ids = [int(pk) for pk in ids]

    @staticmethod
    def parameter(ids: list[int], vendor: str):
        """The one bound value that carries ``ids`` on this database."""
        return ids if vendor == "postgresql" else json.dumps(ids)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        column_sql, params = compiler.compile(self.column)
        # The column comes from the compiler; the ids are one bound parameter.
        sql = f"{column_sql} IN (SELECT value FROM json_each(%s))"  # noqa: S608
        return sql, [*params, self.parameter(self.ids, connection.vendor)]

    def as_postgresql(self, compiler, connection):
        column_sql, params = compiler.compile(self.column)
        return f"{column_sql} = ANY(%s)", [*params, self.parameter(self.ids, "postgresql")]


# Ids no record has: how the compiled query's parameter for the ids is recognised.
_SENTINEL = [-7_919, -104_729]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    at: int  # which parameter carries the ids
    converters: dict  # column -> (converter functions, expression), as the ORM applies them


class PreparedRead:
    """A ``values_list()`` query by ids, written by the ORM once per database.

    ``build`` takes the ids' condition (an ``AmongIds`` on the primary key or another
    column) and returns the query; ``rows(ids)`` runs it. Rows come back as tuples, in the
    database's order.
    """

    def __init__(self, model: type[Model], column: str, build: Callable[[AmongIds], QuerySet]):
        self.model = model
        self.column = column
        self.build = build
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def rows(self, ids: Iterable[int]) -> list[tuple]:
        """The query's rows for these ids."""
        ids = [int(pk) for pk in ids]
        if not ids:
            return []
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        compiled = self._compiled_for(alias, connection.vendor)
        params = list(compiled.params)
        params[compiled.at] = AmongIds.parameter(ids, connection.vendor)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            values = list(row)
            for index, (functions, expression) in compiled.converters.items():
                value = values[index]
                for convert in functions:
                    value = convert(value, expression, connection)
                values[index] = value
            converted.append(tuple(values))
        return converted

    def _compiled_for(self, alias: str, vendor: str) -> _Compiled:
        key = (alias, vendor)
        if key not in self._compiled:
            queryset = self.build(AmongIds(self.column, _SENTINEL)).using(alias)
            compiler = queryset.query.get_compiler(alias)
            sql, params = compiler.as_sql()
            marker = AmongIds.parameter(_SENTINEL, vendor)
            holding = [i for i, value in enumerate(params) if value == marker]
            if len(holding) != 1:  # a query this was not written for
                raise ValueError("a prepared read needs its ids as exactly one parameter")
            fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
            converters = compiler.get_converters(fields)
            self._compiled[key] = _Compiled(sql, tuple(params), holding[0], converters)
        return self._compiled[key]
