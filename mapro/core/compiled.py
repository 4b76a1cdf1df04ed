"""Queries that every request runs, compiled to SQL once per process and then run as that SQL.

Building a query through the ORM (filters, joins, the compiler) costs several times more CPU
than sending it: for the few statements of every signed-in page (the session, the user, the
unread notices; ``organization.permissions`` does the same for the grants) that is most of
their cost (docs/benchmarks.md, sections 1 and 8). ``CompiledQuery`` builds the queryset once,
with stand-in values for its parameters, finds where each stand-in went, and afterwards only
binds new values to the same SQL. The queryset stays the one definition of the query.

Stand-ins must be values no real query uses (a negative id, a key no real key can be), so that
each one is found exactly where it was put; a parameter that is not a stand-in (a constant of
the query, e.g. ``read_at IS NULL`` has none, ``is_active = true`` has one) is kept as is.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any, NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet


def _adapt(connection: Any, value: Any) -> Any:
    """A parameter as the ORM would send it (dates and datetimes per backend)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


class CompiledQuery:
    """``build(**stand_ins)`` compiled once per thread's connection; ``rows(**values)`` runs it.

    Rows come back as the ORM would return them for ``values_list`` (the backend's converters
    applied: SQLite's text datetimes and integer booleans become Python's).
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], **stand_ins: Any) -> None:
        self.build = build
        self.stand_ins = stand_ins
        # Per thread, as Django's connections are: the converters are bound to one.
        self._local = threading.local()

    def _compile(self, connection: Any) -> _Compiled:
        queryset = self.build(**self.stand_ins)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        adapted = {name: _adapt(connection, value) for name, value in self.stand_ins.items()}
        slots: list[tuple[str | None, Any]] = []
        for param in params:
            names = [name for name, value in adapted.items() if value == param]
            if len(names) > 1:  # pragma: no cover - two stand-ins with one value
                raise ImproperlyConfigured(f"Valores de reemplazo repetidos: {names}")
            slots.append((names[0], None) if names else (None, param))
        missing = set(self.stand_ins) - {name for name, _ in slots}
        if missing:  # pragma: no cover - a stand-in the query does not use
            raise ImproperlyConfigured(f"Parámetros sin usar en la consulta: {missing}")
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(fields)
        query = queryset.query
        # The names ``values()`` would give the columns (Django's ValuesIterable: the extra
        # selects, the fields, then the annotations, which is the compiler's select order).
        columns = (*query.extra_select, *query.values_select, *query.annotation_select)
        return _Compiled(
            sql, tuple(slots), compiler if converters else None, converters, columns, compiler
        )

    def rows(self, **values: Any) -> list[tuple[Any, ...]]:
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = getattr(self._local, "compiled", None)
        if compiled is None or compiled[0] is not connection:
            compiled = self._local.compiled = (connection, self._compile(connection))
        query = compiled[1]
        params = [
            _adapt(connection, values[name]) if name else constant for name, constant in query.slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(query.sql, params)
            rows = cursor.fetchall()
        if query.compiler is None:
            return rows
        return [tuple(row) for row in query.compiler.apply_converters(rows, query.converters)]

    def dicts(self, **values: Any) -> list[dict[str, Any]]:
        """The rows as ``values()`` would return them (the query must be a ``values()`` one)."""
        rows = self.rows(**values)
        names = self._local.compiled[1].names
        return [dict(zip(names, row, strict=True)) for row in rows]

    def objects(self, **values: Any) -> list[Any]:
        """The rows as model instances, as iterating the queryset would give them (Django's
        ``ModelIterable``): its ``select_related`` objects attached, deferred fields deferred,
        annotations set. For a queryset of model instances (no ``values()``)."""
        rows = self.rows(**values)
        connection, compiled = self._local.compiled
        cached = getattr(self._local, "populate", None)
        if cached is None or cached[0] is not compiled:
            cached = self._local.populate = (compiled, _Populate.of(compiled.full))
        populate, db = cached[1], connection.alias
        objects = []
        for row in rows:
            obj = populate.model.from_db(db, populate.init_list, row[populate.start : populate.end])
            for related in populate.related:
                related.populate(row, obj)
            for name, position in populate.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


class _Populate(NamedTuple):
    """How ``ModelIterable`` turns a row into a model instance, worked out once."""

    model: Any
    init_list: list[str]
    start: int
    end: int
    related: list[Any]
    annotations: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, compiler: Any) -> _Populate:
        from django.db.models.query import get_related_populators

        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return cls(
            klass_info["model"],
            [column[0].target.attname for column in select[start:end]],
            start,
            end,
            # (django-stubs describe Django 6, whose version takes a fetch mode too.)
            get_related_populators(klass_info, select, compiler.using),  # type: ignore[call-arg]
            tuple((compiler.annotation_col_map or {}).items()),
        )


class _Compiled(NamedTuple):
    sql: str
    slots: tuple[tuple[str | None, Any], ...]
    compiler: Any
    converters: dict[int, Any]
    names: tuple[str, ...] = ()
    #: The compiler itself (its select, klass_info, annotation columns), for ``objects``.
    full: Any = None
