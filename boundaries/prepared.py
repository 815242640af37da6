"""Queries built and compiled by the ORM once per worker, then run again with new values.

Django builds a queryset and compiles its SQL on every call. On the busiest pages that costs more
than running the query: the guidance page's read of one request took 0.9 ms of CPU to build and
compile and 0.07 ms to run, and the review list compiles three such queries a page (issue 14).

A `Prepared` query is written as an ordinary queryset, in a function of its values. The first call
builds it with stand-in values (sentinels), compiles it, and notes where each stand-in landed among
the SQL's parameters; later calls with the same shape reuse that SQL with their own values in
those places. Everything else about the query (columns, joins, order, the model instances made
from the rows, converters) is Django's own, so a prepared query returns what the queryset would.

What may vary between calls:
- values (`run(**values)`): whole integers, text, dates and times, each only used as a plain
  parameter (equal to a column, in a list, in a range, or as a LIKE pattern, as Django's
  `contains` lookups make it). A value the ORM would turn into anything else is refused when the
  query is compiled, loudly, never silently run with the stand-in;
- the shape (`run(*shape)`): anything else the builder branches on (which filters are on, a flag,
  None). Each shape is compiled once.

On PostgreSQL a query can also be planned once per connection (`plan_once=True`, and `execute` below
for hand-written statements): the server keeps the statement (PREPARE) and each call only sends its
values (EXECUTE). Planning the guidance page's read of its request cost PostgreSQL more than running
it. Only for queries whose values are keys (a primary key, the agency, a parent): PostgreSQL may come
to reuse one generic plan for every value, which is right for a key and can be wrong for a filter
whose best plan depends on how common the value is.

The builder must read nothing but its arguments: a time, a setting or the active time zone read
inside it would be frozen into the SQL. The active time zone is part of the key anyway, because
date lookups write it into the query.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.query import ModelIterable, get_related_populators
from django.utils import timezone

from .memo import Memo

SHAPES_KEPT = 512  # compiled shapes per worker, over every prepared query: a few kB each
_STAND_IN_INT = 1_999_000_000  # in range for 32-bit columns and wider; nothing real is numbered so high


def _stand_in(kind: type, index: int):
    if kind is int:
        return _STAND_IN_INT + index
    if kind is str:
        return f"\x00prepared-{index}\x00"
    if kind is dt.datetime:
        return dt.datetime(2001, 2, 3, 4, 5, 6, index + 1, tzinfo=dt.timezone.utc)
    return dt.date(2001, 2, 3) + dt.timedelta(days=index)


def _kind(value) -> type | None:
    """Which stand-in a value takes, or None when it is part of the shape (a flag, None, a list, or a
    whole number too large for any column, which the ORM itself answers: such a row cannot exist)."""
    if isinstance(value, bool) or value is None or (isinstance(value, int) and not -2**63 <= value < 2**63):
        return None
    for kind in (int, str, dt.datetime, dt.date):  # datetime before date: a datetime is a date
        if isinstance(value, kind):
            return kind
    return None


def _adapt(connection, kind: type, value):
    """The value as the ORM hands it to the driver (SQLite takes dates and times as text)."""
    if kind is dt.datetime:
        return connection.ops.adapt_datetimefield_value(value)
    if kind is dt.date:
        return connection.ops.adapt_datefield_value(value)
    return value


@dataclass(frozen=True)
class _Slot:
    """Where a parameter's value comes from: a constant of the query, or one of the values."""

    constant: object = None
    name: str | None = None
    pattern: str | None = None  # a LIKE pattern holding the value: the stand-in's place in it


@dataclass(frozen=True)
class _Rows:
    """How a row becomes a model instance, as Django's ModelIterable does it, worked out once."""

    model: type[models.Model]
    start: int
    end: int
    init_list: list[str]
    converters: list  # (position, (functions, expression)) for the columns that need converting
    populators: list  # select_related rows
    annotations: dict[str, int]

    @classmethod
    def of(cls, compiler) -> "_Rows":
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return cls(klass_info["model"], start, end, [column[0].target.attname for column in select[start:end]],
                   list(compiler.get_converters([column[0] for column in select[:compiler.col_count]]).items()),
                   get_related_populators(klass_info, select, compiler.connection.alias),
                   dict(compiler.annotation_col_map or {}))


@dataclass(frozen=True)
class _Compiled:
    sql: str | None  # None: the query can match nothing (`none()`), so nothing is run
    slots: tuple[_Slot, ...]
    kinds: dict[str, type]
    rows: _Rows | None


class Prepared:
    def __init__(self, build: Callable[..., models.QuerySet], *, count: bool = False, plan_once: bool = False):
        """`build(*shape, **values)` returns the queryset. With `count=True` the query answers how
        many rows it has: return it unordered, as `values("pk")`, and sliced to cap the count.
        `plan_once`: the values are keys, so PostgreSQL may plan the query once per connection."""
        self.build, self.count, self.plan_once = build, count, plan_once

    def run(self, *shape, using: str = DEFAULT_DB_ALIAS, **values):
        """The queryset's model instances (a list), or with `count=True`, the number of rows."""
        connection = connections[using]
        kinds = {name: _kind(value) for name, value in values.items()}
        # A value with no stand-in is part of the shape: the key holds the value itself.
        given = tuple(sorted((name, kind or ("value", values[name])) for name, kind in kinds.items()))
        # The query itself, not its id(): an id can be reused once an object is gone, and the memo's
        # reference keeps this one alive while its shapes are kept.
        key = (self, using, timezone.get_current_timezone_name(), shape, given)
        compiled = _shapes.get_or_make(key, lambda: self._compile(connection, shape, values, kinds))
        if compiled.sql is None:  # the ORM found that no row can match: the stand-ins had no part in it
            return 0 if self.count else []
        if compiled.sql is _UNPREPARED:
            queryset = self.build(*shape, **values)
            return queryset.count() if self.count else list(queryset)
        params = [self._value(connection, slot, compiled.kinds, values) for slot in compiled.slots]
        with connection.cursor() as cursor:
            if self.plan_once:
                execute(cursor, compiled.sql, params)
            else:
                cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if self.count:
            return rows[0][0]
        return _instances(compiled.rows, connection, rows)

    @staticmethod
    def _value(connection, slot: _Slot, kinds: dict[str, type], values: dict):
        if slot.name is None:
            return slot.constant
        value = _adapt(connection, kinds[slot.name], values[slot.name])
        if slot.pattern is None:
            return value
        return slot.pattern.replace(_IN_PATTERN, connection.ops.prep_for_like_query(value))

    def _compile(self, connection, shape: tuple, values: dict, kinds: dict[str, type | None]) -> _Compiled:
        names = sorted(name for name, kind in kinds.items() if kind is not None)
        stand_ins = {name: _stand_in(kinds[name], index) for index, name in enumerate(names)}
        queryset = self.build(*shape, **{**values, **stand_ins})
        if queryset._prefetch_related_lookups or not (self.count or queryset._iterable_class is ModelIterable):
            raise ImproperlyConfigured("A prepared query returns model instances, with no prefetching.")
        compiler = queryset.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            # "No row can match" may be the stand-ins' doing (one too large for a small column): such
            # a shape is left to the ORM, with the real values, every time.
            return _Compiled(_UNPREPARED if names else None, (), {}, None)
        if self.count:
            sql = f"SELECT COUNT(*) FROM ({sql}) counted"
        adapted = [(_adapt(connection, kinds[name], value), name) for name, value in stand_ins.items()]
        slots = tuple(_slot(param, adapted, stand_ins) for param in params)
        missing = set(names) - {slot.name for slot in slots}
        inlined = {name for name, value in stand_ins.items() if str(value) in sql}
        if missing or inlined:
            raise ImproperlyConfigured(f"Prepared query: {sorted(missing | inlined)} not used as plain "
                                       "parameters; make them part of the shape instead.")
        return _Compiled(sql, slots, {name: kinds[name] for name in names}, None if self.count else _Rows.of(compiler))


_IN_PATTERN = "\x00value\x00"
_UNPREPARED = "unprepared"


def _slot(param, adapted: list[tuple[object, str]], stand_ins: dict) -> _Slot:
    for value, name in adapted:
        if type(param) is type(value) and param == value:
            return _Slot(name=name)
    if isinstance(param, str):
        for name, value in stand_ins.items():
            if isinstance(value, str) and value in param:
                # Django's LIKE lookups wrap the value in % signs once escaped: keep the wrapping.
                return _Slot(name=name, pattern=param.replace(value, _IN_PATTERN))
    return _Slot(constant=param)


def _instances(shape: _Rows, connection, rows: list) -> list[models.Model]:
    """Model instances from the rows, as Django's ModelIterable makes them."""
    db, start, end = connection.alias, shape.start, shape.end
    objects = []
    for row in rows:
        if shape.converters:
            row = list(row)
            for position, (functions, expression) in shape.converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
        instance = shape.model.from_db(db, shape.init_list, row[start:end])
        for populator in shape.populators:
            populator.populate(row, instance)
        for name, position in shape.annotations.items():
            setattr(instance, name, row[position])
        objects.append(instance)
    return objects


_shapes = Memo(SHAPES_KEPT)


class Pages:
    """Rows Django's Paginator can page without a queryset: `count()` and each page's slice are asked
    of prepared queries (`window(start, stop)`), so paging compiles no SQL either."""

    ordered = True  # the window query orders its rows (the Paginator warns about unordered lists)

    def __init__(self, count: Callable[[], int], window: Callable[[int, int], list]):
        self._count, self._window = count, window

    def count(self) -> int:
        return self._count()

    def __len__(self) -> int:
        return self._count()

    def __getitem__(self, window: slice) -> list:
        return self._window(window.start or 0, window.stop)


# --- Planned once per connection (PostgreSQL) ----------------------------------------------------------

_PLACEHOLDER = re.compile(r"%([%s])")
_names: dict[str, str] = {}  # SQL -> its statement's name, the same on every connection of this process
_numbers = itertools.count(1)


@dataclass
class _Held:
    """What one connection holds: the name each statement was prepared under, and for a statement whose
    first run failed, how many times it did (its PREPARE may have been taken, so the next try uses a
    name of its own: PREPARE outlives the failed run, as it outlives any rolled-back transaction)."""

    prepared: dict[str, str]
    failed: dict[str, int]


# By the driver's connection object: a new connection, after a restart or CONN_MAX_AGE, starts empty.
_held: "weakref.WeakKeyDictionary[object, _Held]" = weakref.WeakKeyDictionary()


def _numbered(sql: str) -> str:
    """The driver's %s placeholders as PostgreSQL's own $1, $2, ...; "%%" stays for the driver to
    turn into "%", since the PREPARE is sent through it too."""
    numbers = itertools.count(1)
    return _PLACEHOLDER.sub(lambda match: "%%" if match.group(1) == "%" else f"${next(numbers)}", sql)


def execute(cursor, sql: str, params: list | tuple) -> None:
    """`cursor.execute(sql, params)`; on PostgreSQL (unless DATABASE_PLAN_ONCE is off, as behind a
    pooler that shares server connections between transactions) through a statement the connection
    prepared the first time it ran this SQL, in the same round trip as that first run."""
    connection = cursor.db
    if connection.vendor != "postgresql" or not settings.DATABASE_PLAN_ONCE or not params:
        cursor.execute(sql, params)
        return
    held = _held.get(connection.connection)
    if held is None:
        held = _held[connection.connection] = _Held({}, {})
    arguments = f"({', '.join(['%s'] * len(params))})"
    name = held.prepared.get(sql)
    if name is not None:
        cursor.execute(f"EXECUTE {name}{arguments}", params)
        return
    name = _names.get(sql) or _names.setdefault(sql, f"boundaries_{next(_numbers)}")
    if sql in held.failed:
        name = f"{name}_{held.failed[sql]}"
    # Both in one round trip: the driver returns the last statement's rows.
    try:
        cursor.execute(f"PREPARE {name} AS {_numbered(sql)}; EXECUTE {name}{arguments}", params)
    except Exception:
        held.failed[sql] = held.failed.get(sql, 0) + 1
        raise
    held.prepared[sql] = name


_RUN = re.compile(r"^(?:PREPARE \S+ AS .*; )?EXECUTE (boundaries_\d+)")


def statement_of(sent: str) -> str:
    """The SQL behind what was sent ("EXECUTE boundaries_3(...)" or its first PREPARE), for reading
    captured queries and logs; any other text as it is."""
    match = _RUN.match(sent.replace("\n", " "))
    if match is None:
        return sent
    return next((sql for sql, name in _names.items() if name == match.group(1)), sent)
