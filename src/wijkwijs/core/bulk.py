"""Bulk inserts for imports of many thousands of rows, without model instances.

Django's ``bulk_create`` builds a model instance and prepares every value of every row; for an
import of 200,000 observations that costs far more than the database does. ``insert_rows``
takes plain tuples that are already database values (ints, floats, strings, None, dates;
JSON as text) and sends them as multi-row ``INSERT`` statements (``COPY`` on PostgreSQL). Callers validate first and
run inside their own transaction. Model-level checks (``clean()``) are not run: the caller
guarantees them; database constraints still apply.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain, islice
from typing import Any

from django.db import connection, models
from django.db.models.sql import InsertQuery

BATCH = 10_000
ANALYZE_FROM = 1_000


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a bulk import runs (restored after, also on errors).

    An import holds a few hundred thousand live objects (rows, their dicts, the tuples to
    insert); every automatic collection walks all of them again, which costs a quarter of a
    national CBS import. Reference counting still frees everything as usual; only cycles wait
    until the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch: int = BATCH,
    constants: Mapping[str, Any] | None = None,
) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``) into ``model``'s table; returns the count.

    ``constants``: field -> one value for every row (an import's indicator, period, source),
    so the rows carry only what varies: fewer Python objects, and on SQLite each constant is
    bound once per statement instead of once per row."""
    meta = model._meta
    qn = connection.ops.quote_name
    consts = dict(constants or {})
    names = [*fields, *consts]
    columns = ", ".join(qn(meta.get_field(f).column) for f in names)
    tail = tuple(consts.values())
    it = iter(rows)
    total = 0
    if connection.vendor == "postgresql":  # COPY: the PostgreSQL way to load many rows
        copy_sql = f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in it:
                copy.write_row((*row, *tail) if tail else row)
                total += 1
        if total >= ANALYZE_FROM:
            # Fresh statistics, or the deferred foreign-key checks of rows that refer to these
            # (planned while the table looked empty) scan it once per referring row.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {qn(meta.db_table)}")
        return total
    if connection.vendor == "sqlite":
        chunks = (list(chain.from_iterable(chunk)) for chunk in iter(lambda: list(islice(it, batch)), []))
        return _insert_sqlite(meta.db_table, columns, len(fields), tail, chunks)
    placeholders = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from _meta
    with connection.cursor() as cursor:
        while chunk := list(islice(it, batch)):
            cursor.executemany(sql, [(*row, *tail) for row in chunk] if tail else chunk)
            total += len(chunk)
    return total


def insert_columns(
    model: type[models.Model],
    columns: Mapping[str, Sequence[Any]],
    *,
    constants: Mapping[str, Any] | None = None,
    batch: int = BATCH,
) -> int:
    """``insert_rows`` for rows given as columns of equal length (field -> values), for callers
    that build their data column-wise. On SQLite the statement parameters are interleaved from
    the columns with slice assignments, without a tuple per row. Returns the count."""
    fields = list(columns)
    cols = [columns[f] for f in fields]
    n = len(cols[0]) if cols else 0
    if any(len(c) != n for c in cols):
        raise ValueError("columns of different lengths")
    if connection.vendor != "sqlite":
        return insert_rows(model, fields, zip(*cols, strict=True), batch=batch, constants=constants)
    meta = model._meta
    qn = connection.ops.quote_name
    consts = dict(constants or {})
    names = ", ".join(qn(meta.get_field(f).column) for f in [*fields, *consts])
    width = len(fields)

    def chunks() -> Iterator[list[Any]]:
        for start in range(0, n, batch):
            stop = min(n, start + batch)
            flat: list[Any] = [None] * ((stop - start) * width)
            for i, col in enumerate(cols):
                flat[i::width] = col[start:stop]
            yield flat

    return _insert_sqlite(meta.db_table, names, width, tuple(consts.values()), chunks())


def _insert_sqlite(table: str, columns: str, width: int, tail: tuple[Any, ...], chunks: Iterator[list[Any]]) -> int:
    """Multi-row ``INSERT`` statements of as many rows as Django's parameter limit allows.

    SQLite pays a fixed cost per statement (reset, the AUTOINCREMENT counter, the deferred
    foreign-key bookkeeping), so about 160 rows a statement halves the CPU time of a row-by-row
    ``executemany`` into a table with an index and foreign keys. The SQL is written with
    numbered parameters and sent through the driver's own cursor on Django's connection (same
    transaction): Django's cursor would rewrite ``%s`` to ``?`` in every long statement again.
    The constants (``tail``) are parameters ``?1`` to ``?k``, bound once per statement and
    named in every row. ``chunks``: the row values, flat (``width`` per row), a batch at a time."""
    k = len(tail)
    limit = connection.features.max_query_params or 999
    per = max(1, (limit - k) // max(1, width))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) VALUES "  # noqa: S608 - names from _meta
    many_sql = sql + _values_sql(k, width, per)
    head = list(tail)
    step = per * width
    total = 0
    with connection.cursor():  # connects if needed; the raw cursor below shares the connection
        raw = connection.connection.cursor()
        try:
            for flat in chunks:
                rows = len(flat) // max(1, width)
                full = (rows - rows % per) * width
                for start in range(0, full, step):
                    raw.execute(many_sql, head + flat[start : start + step])
                if full < len(flat):
                    raw.execute(sql + _values_sql(k, width, rows % per), head + flat[full:])
                total += rows
        finally:
            raw.close()
    return total


@lru_cache(maxsize=64)
def _values_sql(k: int, width: int, n: int) -> str:
    """``(?4, ?5, ?1, ?2, ?3), (?6, ?7, ?1, ?2, ?3), ...``: ``n`` rows of ``width`` numbered
    parameters after ``k`` constants (built once: every import sends the same few shapes)."""
    const = "".join(f", ?{i + 1}" for i in range(k))
    return ", ".join("(" + ", ".join(f"?{k + j * width + i + 1}" for i in range(width)) + const + ")" for j in range(n))


@contextmanager
def pipelined() -> Iterator[None]:
    """On PostgreSQL, send the statements of the block without waiting for each answer.

    psycopg's pipeline mode: a statement whose result nobody reads (an insert through
    :func:`insert_unreturned`, a row with a client-side primary key) is queued and goes out with
    the next statement that is read, or at the end of the block; errors are raised there at the
    latest (as Django's database errors). Use inside a transaction, for a handful of inserts that
    belong together. Elsewhere (SQLite, no pipeline support in libpq) it does nothing.
    """
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield
        return
    import psycopg

    connection.ensure_connection()
    if not psycopg.Pipeline.is_supported():
        yield
        return
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


def insert_unreturned(obj: models.Model) -> None:
    """Insert a new row for ``obj`` without reading anything back (its ``pk`` stays unset).

    One ``INSERT`` without ``RETURNING``, so within :func:`pipelined` it costs no round trip of
    its own. Defaults and ``pre_save`` (``auto_now`` and the like) apply as in ``save()``; model
    ``save()`` overrides and signals do not run. The statement is prepared once (:func:`insert_one`).
    """
    insert_one(obj, returning=False)


#: (model, database alias, primary key given, returning) -> (INSERT statement, its fields)
_INSERT_PLANS: dict[tuple[type[models.Model], str, bool, bool], tuple[str, list[models.Field]]] = {}


def insert_one(obj: models.Model, *, returning: bool = True) -> None:
    """Insert a new row for ``obj`` as ``save()`` does, with the statement prepared once per model.

    For a handful of inserts per request on a hot path (the intake's receipt): Django's compiler
    builds the same ``INSERT`` again for every ``save()``, about a third of the Python time of an
    insert. Here the compiler builds it once per model (and alias, and whether the primary key
    is given) and only the values are prepared per row, by the same field methods (``pre_save``,
    ``get_db_prep_save``). ``returning``: read back the new primary key (``RETURNING``, or the last
    insert id where the database cannot return); without it ``obj.pk`` stays as it was. The
    instance is then saved as far as Django is concerned (``_state.adding`` false).

    Like :func:`insert_unreturned`, model ``save()`` overrides and ``pre_save``/``post_save``
    signals do not run: use it for models whose ``save()`` adds nothing to an insert. A value that
    is an expression (``Now()``, ``F()``) or a field whose placeholder depends on the value
    (geometry) takes Django's ordinary insert instead.
    """
    meta = obj._meta
    alias = connection.alias
    pk_given = getattr(obj, meta.pk.attname) is not None
    key = (type(obj), alias, pk_given, returning)
    plan = _INSERT_PLANS.get(key)
    obj._prepare_related_fields_for_save(operation_name="save")
    if plan is None:
        fields = [f for f in meta.local_concrete_fields if not f.generated and not (f.primary_key and not pk_given)]
        if any(hasattr(f, "get_placeholder") for f in fields) or any(f is not meta.pk for f in meta.db_returning_fields):
            plan = ("", fields)
        else:
            query = InsertQuery(type(obj))
            query.insert_values(fields, [obj])
            compiler = query.get_compiler(using=alias)
            compiler.returning_fields = [meta.pk] if returning and not pk_given else None
            [(sql, _params)] = compiler.as_sql()
            plan = (sql, fields)
        _INSERT_PLANS[key] = plan
    sql, fields = plan
    values = [f.pre_save(obj, True) for f in fields]
    if not sql or any(hasattr(v, "resolve_expression") for v in values):
        _insert_with_orm(obj, fields, returning=returning and not pk_given)
        return
    params = [f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning and not pk_given:
            if connection.features.can_return_columns_from_insert:
                new_pk = connection.ops.fetch_returned_insert_columns(cursor, [])[0]
            else:
                new_pk = connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)
            setattr(obj, meta.pk.attname, meta.pk.to_python(new_pk))
    obj._state.adding = False
    obj._state.db = alias


def _insert_with_orm(obj: models.Model, fields: list[models.Field], *, returning: bool) -> None:
    returning_fields = [f for f in obj._meta.db_returning_fields if returning or f is not obj._meta.pk]
    rows = type(obj)._base_manager._insert(  # type: ignore[attr-defined]
        [obj], fields=fields, returning_fields=returning_fields or None, using=connection.alias)
    for field, value in zip(returning_fields, rows[0] if rows else (), strict=False):
        setattr(obj, field.attname, value)
    obj._state.adding = False
    obj._state.db = connection.alias
