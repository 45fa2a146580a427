"""Bulk inserts for imports of many thousands of rows: one ``executemany`` per batch.

Django's ``bulk_create`` builds a model instance and prepares every value of every row; for an
import of 200,000 observations that costs far more than the database does. ``insert_rows``
takes plain tuples that are already database values (ints, floats, strings, None, dates;
JSON as text) and sends them with the driver's ``executemany`` (``COPY`` on PostgreSQL). Callers validate first and
run inside their own transaction. Model-level checks (``clean()``) are not run: the caller
guarantees them; database constraints still apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models

BATCH = 10_000
ANALYZE_FROM = 1_000


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], *, batch: int = BATCH) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``) into ``model``'s table; returns the count."""
    meta = model._meta
    qn = connection.ops.quote_name
    columns = ", ".join(qn(meta.get_field(f).column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from _meta
    it = iter(rows)
    total = 0
    if connection.vendor == "postgresql":  # COPY: the PostgreSQL way to load many rows
        copy_sql = f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in it:
                copy.write_row(row)
                total += 1
        if total >= ANALYZE_FROM:
            # Fresh statistics, or the deferred foreign-key checks of rows that refer to these
            # (planned while the table looked empty) scan it once per referring row.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {qn(meta.db_table)}")
        return total
    with connection.cursor() as cursor:
        while chunk := list(islice(it, batch)):
            cursor.executemany(sql, chunk)
            total += len(chunk)
    return total
