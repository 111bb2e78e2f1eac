"""Reads whose SQL the ORM writes once, then runs again with other ids or another value.

A list page reads its twenty rows by primary key (``archive.cards``). Writing such a query
costs Django more than running it: for the twenty cards of a quotation list, about 1.3 ms
in the queryset and SQL compiler against 0.2 ms in the database, three times a page. A
``PreparedRead`` has the ORM write the query once per database (with ``AmongIds``, the ids
are one parameter, so one SQL text serves any number of ids), then only binds new ids and
converts the values as the ORM would (a date column is text on SQLite, for one).

A ``PreparedRecords`` does the same for a detail page's records, found by a slug or a
foreign key's id, and makes model instances (with their ``select_related()`` records) as
the ORM does; ``prefetched`` hands such records to another as its prefetched relation. The
speech page's four reads took 9.0 and 8.5 ms written afresh, 2.3 and 2.6 ms prepared
(interleaved, on the million-quotation archive). On PostgreSQL, the reads whose best plan
is the same for every value are also prepared statements, planned once per connection
(``_cursor``).

Only for queries whose SQL depends on nothing but the ids or the value: no filter on a
value that changes between calls (the published status is a constant of the code, and may
be in it).
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from django.db import connections, router
from django.db.models import BooleanField, Expression, F, Model, QuerySet, Subquery
from django.db.models.fields.related_descriptors import ManyToManyDescriptor
from django.db.models.query import get_related_populators


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


class AmongRows(Expression):
    """``column IN (subquery)``, ``subquery`` a ``values()`` query of one column of ids.

    On PostgreSQL written ``column = ANY(ARRAY(subquery))``: the ids are gathered once, then
    each looked up by the column's index. As ``IN`` PostgreSQL may plan a hash semi join
    over the whole table instead (a million quotations read for a speaker's 28,000 on a
    theme: 0.4 s, and 2 s through an export's cursor).
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, subquery: QuerySet):
        super().__init__()
        self.column = F(column)
        self.subquery = Subquery(subquery)

    def get_source_expressions(self):
        return [self.column, self.subquery]

    def set_source_expressions(self, exprs):
        self.column, self.subquery = exprs

    def _parts(self, compiler) -> tuple[str, str, list]:
        column_sql, column_params = compiler.compile(self.column)
        rows_sql, rows_params = compiler.compile(self.subquery)
        return column_sql, rows_sql, [*column_params, *rows_params]

    def as_sql(self, compiler, connection):
        column_sql, rows_sql, params = self._parts(compiler)
        return f"{column_sql} IN {rows_sql}", params

    def as_postgresql(self, compiler, connection):
        column_sql, rows_sql, params = self._parts(compiler)
        return f"{column_sql} = ANY(ARRAY{rows_sql})", params


# Ids no record has: how the compiled query's parameter for the ids is recognised.
_SENTINEL = [-7_919, -104_729]
# A value no field holds (a slug cannot contain control characters): how the compiled
# query's parameter for a ``PreparedRecords`` value is recognised.
_VALUE_SENTINEL = "\x00prepared\x00"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    at: int | None  # which parameter carries the ids or the value (None: a fixed query)
    converters: dict  # column -> (converter functions, expression), as the ORM applies them
    compiler: object  # what a PreparedRecords needs to make instances (SQLCompiler)


def _cursor(connection, *, keep_plan: bool):
    """A cursor for a prepared read: on PostgreSQL, with ``keep_plan`` and prepared
    statements allowed (``PG_PREPARED_STATEMENTS``), one whose queries the server prepares
    on first use and plans once per connection.

    PostgreSQL plans every query it is sent: 3 ms for the quotation page's read of its
    record and five related ones, which then runs in 0.2 ms. Django's cursors bind values
    on the client and are never prepared; this one binds them on the server (as Django's
    own cursor does with ``server_side_binding``), so only these reads are prepared.
    """
    if not (
        keep_plan
        and connection.vendor == "postgresql"
        and connection.settings_dict["OPTIONS"].get("prepare_threshold") is not None
    ):
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = ServerBindingCursor(connection.connection)
    # Wrapped as Django wraps its own: the query is counted, timed and (when queries are
    # logged) logged the same way.
    if connection.queries_logged:
        return _logged_cursor_class()(cursor, connection)
    return connection.make_cursor(cursor)


@cache
def _logged_cursor_class():
    from django.db.backends.postgresql.base import CursorDebugWrapper
    from django.db.backends.utils import CursorWrapper

    class PreparedDebugWrapper(CursorDebugWrapper):
        """Logs a prepared read with its values written in, as Django logs its own queries
        (psycopg keeps no text of a prepared statement's run to log)."""

        def execute(self, sql, params=None):
            with self.debug_sql(self.db.ops.compose_sql(sql, params)):
                return CursorWrapper.execute(self, sql, params)

    return PreparedDebugWrapper


class _Prepared:
    """A query written by the ORM once per database, with one parameter bound per run.

    ``placeholder()`` is what ``build`` receives, ``marker(vendor)`` the parameter it
    becomes in the compiled query, ``bound(value, vendor)`` what replaces it for a run.
    """

    def __init__(
        self, model: type[Model], build: Callable[..., QuerySet], *, same_plan: bool = True
    ):
        self.model = model
        self.build = build
        # Whether one plan serves every value (a unique key, a list of ids, a foreign key):
        # then PostgreSQL keeps the plan too (see ``_cursor``).
        self.same_plan = same_plan
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def placeholder(self):
        raise NotImplementedError

    def marker(self, vendor: str):
        raise NotImplementedError

    def bound(self, value, vendor: str):
        raise NotImplementedError

    def _run(self, value) -> tuple[_Compiled, list[tuple], str]:
        """Run the query with ``value`` bound: its compiled form, converted rows, alias."""
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        compiled = self._compiled_for(alias, connection.vendor)
        params = list(compiled.params)
        if compiled.at is not None:
            params[compiled.at] = self.bound(value, connection.vendor)
        with _cursor(connection, keep_plan=self.same_plan) as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return compiled, [tuple(row) for row in rows], alias
        converted = []
        for row in rows:
            values = list(row)
            for index, (functions, expression) in compiled.converters.items():
                item = values[index]
                for convert in functions:
                    item = convert(item, expression, connection)
                values[index] = item
            converted.append(tuple(values))
        return compiled, converted, alias

    def _compiled_for(self, alias: str, vendor: str) -> _Compiled:
        key = (alias, vendor)
        if key not in self._compiled:
            placeholder = self.placeholder()
            queryset = (self.build() if placeholder is None else self.build(placeholder)).using(
                alias
            )
            compiler = queryset.query.get_compiler(alias)
            sql, params = compiler.as_sql()
            if placeholder is None:
                at = None
            else:
                marker = self.marker(vendor)
                holding = [i for i, value in enumerate(params) if value == marker]
                if len(holding) != 1:  # a query this was not written for
                    raise ValueError(
                        "a prepared read needs its ids or value as exactly one parameter"
                    )
                at = holding[0]
            fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
            converters = compiler.get_converters(fields)
            self._compiled[key] = _Compiled(sql, tuple(params), at, converters, compiler)
        return self._compiled[key]


class PreparedRead(_Prepared):
    """A ``values_list()`` query by ids, written by the ORM once per database.

    ``build`` takes the ids' condition (an ``AmongIds`` on the primary key or another
    column) and returns the query; ``rows(ids)`` runs it. Rows come back as tuples, in the
    database's order.
    """

    def __init__(self, model: type[Model], column: str, build: Callable[[AmongIds], QuerySet]):
        super().__init__(model, build)
        self.column = column

    def placeholder(self):
        return AmongIds(self.column, _SENTINEL)

    def marker(self, vendor: str):
        return AmongIds.parameter(_SENTINEL, vendor)

    def bound(self, value, vendor: str):
        return AmongIds.parameter(value, vendor)

    def rows(self, ids: Iterable[int]) -> list[tuple]:
        """The query's rows for these ids."""
        ids = [int(pk) for pk in ids]
        if not ids:
            return []
        return self._run(ids)[1]


class PreparedRecords(_Prepared):
    """Model instances by one value (a slug, or with ``by_id`` a foreign key's id; with
    ``fixed``, by none; with ``among``, a list of ids of that column), written by the ORM
    once per database.

    ``build`` takes the value (a stand-in while the query is written, an ``AmongIds`` with
    ``among``; nothing when ``fixed``) and returns a queryset filtering on it exactly; its
    ``select_related()`` records are made as the ORM makes them. Not for
    ``prefetch_related()``, whose queries are the ORM's own (see ``prefetched``).
    ``records(value)`` returns the instances in the query's order; ``rows(value)`` the rows
    of a ``values_list()`` query.
    """

    def __init__(
        self,
        model: type[Model],
        build: Callable[..., QuerySet],
        *,
        by_id: bool = False,
        fixed: bool = False,
        among: str | None = None,
        same_plan: bool = True,
    ):
        super().__init__(model, build, same_plan=same_plan)
        self.among = among
        self.sentinel = None if fixed else _SENTINEL[0] if by_id else _VALUE_SENTINEL

    def placeholder(self):
        return AmongIds(self.among, _SENTINEL) if self.among else self.sentinel

    def marker(self, vendor: str):
        return AmongIds.parameter(_SENTINEL, vendor) if self.among else self.sentinel

    def bound(self, value, vendor: str):
        if self.among:
            return AmongIds.parameter([int(pk) for pk in value], vendor)
        return type(self.sentinel)(value)

    def rows(self, value=None) -> list[tuple]:
        """The rows the query finds for ``value``, as tuples (for a ``values_list()`` query)."""
        if self.among and not value:
            return []
        return self._run(value)[1]

    def records(self, value=None) -> list[Model]:
        """The instances the query finds for ``value``."""
        if self.among and not value:
            return []
        compiled, rows, alias = self._run(value)
        maker = self._maker(compiled, alias)
        return [maker(row) for row in rows]

    def _maker(self, compiled: _Compiled, alias: str) -> Callable[[tuple], Model]:
        # As Django's ModelIterable makes instances from a compiler's rows.
        compiler = compiled.compiler
        select, klass_info = compiler.select, compiler.klass_info
        model = klass_info["model"]
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        attnames = [column[0].target.attname for column in select[first:last]]
        populators = get_related_populators(klass_info, select, alias)
        annotations = compiler.annotation_col_map

        def make(row: tuple) -> Model:
            record = model.from_db(alias, attnames, row[first:last])
            for populator in populators:
                populator.populate(row, record)
            for name, column in annotations.items():
                setattr(record, name, row[column])
            return record

        return make


def prefetched(record: Model, relation: str, related: list[Model]) -> None:
    """Give ``record`` its ``relation`` (a reverse foreign key or many-to-many manager) as
    ``prefetch_related()`` would have: ``record.<relation>.all()`` is then ``related``,
    without a query."""
    name, read_already = _relation_cache(type(record), relation)
    if not hasattr(record, "_prefetched_objects_cache"):
        record._prefetched_objects_cache = {}
    record._prefetched_objects_cache[name] = read_already(record, relation, related)


@cache
def _relation_cache(model: type[Model], relation: str) -> tuple[str, type[QuerySet]]:
    """The name Django's prefetching files ``relation`` under, and the class of queryset
    its records come in (``ReadAlready`` mixed with their manager's)."""
    descriptor = getattr(model, relation)
    rel = descriptor.rel
    if isinstance(descriptor, ManyToManyDescriptor):
        forward = not descriptor.reverse
        name = rel.field.name if forward else rel.field.related_query_name()
        related = rel.model if forward else rel.related_model
    else:  # a reverse foreign key
        name, related = rel.field.remote_field.cache_name, rel.related_model
    ordinary = type(related._default_manager.all())
    attributes = {"related_model": related, "ordinary": ordinary}
    return name, type(f"ReadAlready{ordinary.__name__}", (ReadAlready, ordinary), attributes)


class ReadAlready(QuerySet):
    """A relation's records, read already, as ``prefetch_related()`` files them in a
    record's cache; made without the relation's manager, whose making (and its filtered
    queryset's) cost 17 µs a record: most of what reading the themes and offices of a page
    of API records took. Reading the records needs nothing more; anything else (filtering,
    ordering, counting or iterating in SQL) gets the manager's own query, made then."""

    # The record (held weakly), its model, key and database, and the relation's name.
    _source: tuple[weakref.ref, type[Model], object, str | None, str] | None = None
    # Set on the class made for each relation (see ``_relation_cache``).
    related_model: type[Model]
    ordinary: type[QuerySet]

    def __init__(self, record: Model, relation: str, rows: list[Model]):
        super().__init__(model=self.related_model)
        # Weakly: the record holds this queryset in its cache, and a strong reference back
        # made each record a cycle that only the garbage collector could free (a collection
        # of a few thousand such objects every few pages: an API page's 95th percentile).
        self._source = (weakref.ref(record), type(record), record.pk, record._state.db, relation)
        self._result_cache = list(rows)
        self._prefetch_done = True

    @property
    def query(self):
        if self._source is not None:
            held, model, pk, db, relation = self._source
            self._source = None
            record = held()
            if record is None:  # gone: a record with its key makes the same query
                record = model(pk=pk)
                record._state.db, record._state.adding = db, False
            own = _manager_queryset(record, relation)
            self._query = own.query
            self._db, self._hints = own._db, own._hints
            self._sticky_filter = own._sticky_filter
            self._known_related_objects = own._known_related_objects
        return QuerySet.query.fget(self)

    @query.setter
    def query(self, value):
        self._source = None
        self._query = value

    def _clone(self):
        # A queryset made from this one is an ordinary one of the manager's class (with the
        # manager's query).
        clone = self.ordinary(
            model=self.model, query=self.query.chain(), using=self._db, hints=self._hints
        )
        clone._sticky_filter = self._sticky_filter
        clone._for_write = self._for_write
        clone._prefetch_related_lookups = self._prefetch_related_lookups[:]
        clone._known_related_objects = self._known_related_objects
        clone._iterable_class = self._iterable_class
        clone._fields = self._fields
        return clone


def _manager_queryset(record: Model, relation: str) -> QuerySet:
    """The queryset ``record.<relation>`` makes when nothing is prefetched."""
    name, _ = _relation_cache(type(record), relation)
    kept = getattr(record, "_prefetched_objects_cache", {}).pop(name, None)
    try:
        return getattr(record, relation).get_queryset()
    finally:
        if kept is not None:
            record._prefetched_objects_cache[name] = kept
