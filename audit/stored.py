"""Stored events read back as text already in canonical form, for the export and for audit_verify.

At a million rows, parsing each event's time and `data` into Python objects only to write them out
again was a quarter of the export's work and a third of the verify's. The database writes the time
as hashing.canonical_time would, and each distinct `data` text is made canonical once.
"""

from __future__ import annotations

import json
from functools import lru_cache

from django.db.models import CharField, Func, QuerySet, TextField
from django.db.models.functions import Cast

from .hashing import canonical_data


class CanonicalTime(Func):
    """A timestamp written by the database exactly as hashing.canonical_time writes it."""

    arity = 1
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        template = """to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Django keeps UTC in SQLite as 'YYYY-MM-DD HH:MM:SS', with '.ffffff' unless it is zero.
        template = ("replace(substr(%(expressions)s, 1, 19), ' ', 'T') || '.' || "
                    "substr(substr(%(expressions)s, 21) || '000000', 1, 6) || 'Z'")
        return self.as_sql(compiler, connection, template=template, **extra)


def with_text(queryset: QuerySet) -> QuerySet:
    """Events with `occurred_text` (canonical time) and `data_text` (the stored JSON as text)."""
    return queryset.annotate(occurred_text=CanonicalTime("occurred_at"), data_text=Cast("data", TextField()))


@lru_cache(maxsize=4096)
def canonical_data_text(raw: str) -> str:
    # Most events carry one of a few small `data` objects, so each is parsed once, not per row.
    return canonical_data(json.loads(raw))


@lru_cache(maxsize=4096)
def parsed_data(raw: str) -> dict:
    return json.loads(raw)  # shared between rows: only ever serialised or read, never changed
