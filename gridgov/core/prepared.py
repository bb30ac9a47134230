"""Queries that every request runs, compiled to SQL once per connection instead of every time.

On an indexed lookup Django spends far longer building a queryset's SQL than the database
spends answering it: for the API token's lookup (the token joined to its user) about 0.9 ms of
compiling against 0.05 ms in SQLite, on every authenticated request. A `PreparedQuery` builds its
queryset once per database connection with stand-in values for its parameters, keeps the SQL and
what turns rows into model instances, and runs that SQL again with each call's values.

Only for plain lookups on a hot path: one model with `select_related`, filters whose values are
parameters. Anything else (prefetching, annotations, values) is refused when first compiled,
because the rows would not come back as the queryset would have given them. `PreparedValues` does
the same for a plain `.values(...)` queryset and gives its dicts. Every value that
changes between calls must be one of the named values: anything else the queryset was built with
(a constant, but also a `timezone.now()`) is compiled into the plan and sent as it was then.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler
from django.utils.dateparse import parse_datetime

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Plan:
    sql: str
    # For each parameter of the SQL: the name of the call's value, or the constant to send.
    params: tuple[tuple[str | None, Any], ...]
    compiler: SQLCompiler
    converters: dict[int, Any]
    model: type[Model]
    init_list: list[str]
    model_columns: slice
    related_populators: list[Any]


def _check_values(stand_ins: dict[str, Any], values: dict[str, Any]) -> None:
    if values.keys() != stand_ins.keys():
        raise TypeError(f"expected the values {sorted(stand_ins)}, got {sorted(values)}")


def _converted_rows(
    plan: _Plan | _ValuesPlan, connection: BaseDatabaseWrapper, values: dict[str, Any]
) -> Sequence[Any]:
    """Run a compiled plan with the call's values where its stand-ins were: its rows, each value
    converted as the ORM converts it."""
    params = [values[name] if name is not None else constant for name, constant in plan.params]
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        rows: Sequence[Any] = cursor.fetchall()
    if plan.converters:
        rows = list(plan.compiler.apply_converters(rows, plan.converters))
    return rows


class PreparedQuery(Generic[M]):
    """`build(**values)` returns the queryset; `stand_ins` gives each value a placeholder that
    must reach the SQL as exactly one parameter of its own (pick values no real call sends).

        token_by_hash = PreparedQuery(
            lambda key_hash: ApiToken.objects.select_related("user").filter(key_hash=key_hash)[:1],
            key_hash="\\x00stand-in",
        )
        token_by_hash.fetch(key_hash=digest)  # a list of ApiToken, each with its user
    """

    def __init__(self, build: Callable[..., QuerySet[M]], **stand_ins: Any) -> None:
        self._build = build
        self._stand_ins = stand_ins
        # Per connection object: a connection is per thread, and its backend's converters with it.
        self._plans: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Plan] = (
            weakref.WeakKeyDictionary()
        )

    def fetch(self, *, using: str = "default", **values: Any) -> list[M]:
        _check_values(self._stand_ins, values)
        connection = connections[using]
        plan = self._plans.get(connection)
        if plan is None:
            plan = self._plans[connection] = self._compile(using)
        rows = _converted_rows(plan, connection, values)
        found: list[M] = []
        for row in rows:
            obj = plan.model.from_db(using, plan.init_list, row[plan.model_columns])
            for populator in plan.related_populators:
                populator.populate(row, obj)
            found.append(obj)  # type: ignore[arg-type]
        return found

    def _compile(self, using: str) -> _Plan:
        queryset = self._build(**self._stand_ins).using(using)
        if (
            queryset._iterable_class is not ModelIterable
            or queryset._prefetch_related_lookups  # type: ignore[attr-defined]
            or queryset.query.annotation_select
            or queryset.query.extra_select
        ):
            raise ImproperlyConfigured("PreparedQuery takes plain model lookups only")
        compiler = queryset.query.get_compiler(using=using)
        sql, sql_params = compiler.as_sql()
        klass_info = compiler.klass_info
        if klass_info is None:
            raise ImproperlyConfigured("PreparedQuery takes model lookups only")
        select = compiler.select
        fields = [column[0] for column in select[: compiler.col_count]]
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Plan(
            sql=sql,
            params=_slots(sql_params, self._stand_ins),
            compiler=compiler,
            converters=_quicker(compiler.get_converters(fields), compiler.connection),
            model=klass_info["model"],
            init_list=[column[0].target.attname for column in select[first:last]],
            model_columns=slice(first, last),
            # (the stubs follow a newer Django, whose version takes a fetch mode too)
            related_populators=get_related_populators(klass_info, select, using),  # type: ignore[call-arg]
        )


def _quicker(converters: dict[int, Any], connection: BaseDatabaseWrapper) -> dict[int, Any]:
    """The ORM's converters, with SQLite's for datetimes replaced by one that does the same
    without looking settings up twice a value: the driver has already parsed the column (Django
    registers a converter for its declared type), so what is left is giving a naive value the
    connection's time zone. A page of 50 cases has 100 of them."""
    # Django's own, not a subclass's override (its module says which); none on other databases.
    sqlite_datetime = getattr(connection.ops, "convert_datetimefield_value", None)
    if (
        not settings.USE_TZ
        or connection.vendor != "sqlite"
        or getattr(sqlite_datetime, "__module__", None) != "django.db.backends.sqlite3.operations"
    ):
        return converters
    zone = connection.timezone

    def to_aware(value: Any, expression: Any, connection: Any) -> Any:
        if value is not None:
            if not isinstance(value, datetime):
                value = parse_datetime(value)
            if value.tzinfo is None:
                value = value.replace(tzinfo=zone)
        return value

    return {
        position: ([to_aware if f == sqlite_datetime else f for f in functions], expression)
        for position, (functions, expression) in converters.items()
    }


def _slots(
    sql_params: Sequence[Any], stand_ins: dict[str, Any]
) -> tuple[tuple[str | None, Any], ...]:
    """For each parameter of the SQL: the name of the value it takes, or the constant it was."""
    slots: list[tuple[str | None, Any]] = [(None, value) for value in sql_params]
    for name, stand_in in stand_ins.items():
        positions = [i for i, value in enumerate(sql_params) if value == stand_in]
        if len(positions) != 1:
            raise ImproperlyConfigured(
                f"the stand-in for {name!r} reaches the SQL {len(positions)} times, not once"
            )
        slots[positions[0]] = (name, None)
    return tuple(slots)


@dataclass(frozen=True)
class _ValuesPlan:
    sql: str
    params: tuple[tuple[str | None, Any], ...]
    compiler: SQLCompiler
    converters: dict[int, Any]
    names: tuple[str, ...]


class PreparedValues:
    """A `.values(...)` queryset compiled once per connection, like PreparedQuery: `fetch` gives
    the dicts the queryset would give (each value converted as the ORM converts it), for a list
    read on every request (the API's case list). Only plain `.values()` of fields: annotations,
    extra selects and prefetching are refused."""

    def __init__(self, build: Callable[..., QuerySet[Any, dict[str, Any]]], **stand_ins: Any):
        self._build = build
        self._stand_ins = stand_ins
        self._plans: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _ValuesPlan] = (
            weakref.WeakKeyDictionary()
        )

    def fetch(self, *, using: str = "default", **values: Any) -> list[dict[str, Any]]:
        _check_values(self._stand_ins, values)
        connection = connections[using]
        plan = self._plans.get(connection)
        if plan is None:
            plan = self._plans[connection] = self._compile(using)
        rows = _converted_rows(plan, connection, values)
        names = plan.names
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _compile(self, using: str) -> _ValuesPlan:
        queryset = self._build(**self._stand_ins).using(using)
        query = queryset.query
        if (
            queryset._iterable_class is not ValuesIterable
            or queryset._prefetch_related_lookups  # type: ignore[attr-defined]
            or query.annotation_select
            or query.extra_select
        ):
            raise ImproperlyConfigured("PreparedValues takes plain .values() of fields only")
        compiler = query.get_compiler(using=using)
        sql, sql_params = compiler.as_sql()
        names = tuple(query.values_select)
        if compiler.col_count != len(names):
            raise ImproperlyConfigured("PreparedValues takes plain .values() of fields only")
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        return _ValuesPlan(
            sql=sql,
            params=_slots(sql_params, self._stand_ins),
            compiler=compiler,
            converters=_quicker(compiler.get_converters(fields), compiler.connection),
            names=names,
        )
