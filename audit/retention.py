"""The one way past the append-only triggers, for one database connection at a time.

Nothing in the application calls this. It exists for two callers only:
the test harness, whose flush between transactional tests empties every table, and
the supervised purge procedure described in the README ("Audit trail: retention").
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pgtrigger
from django.db import DEFAULT_DB_ALIAS, connections

# The guard the SQLite DELETE trigger looks for (audit/migrations/0003_append_only_sqlite.py).
SQLITE_GUARD = "audit_purge_allowed"
POSTGRESQL_TRIGGERS = ("audit.AuditEvent:append_only_delete", "audit.AuditEvent:append_only_truncate")


@contextlib.contextmanager
def purge_window(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Allow DELETE and TRUNCATE of audit events on this connection, in this thread, for the block."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with pgtrigger.ignore(*POSTGRESQL_TRIGGERS, databases=[using]):
            yield
        return
    if connection.vendor != "sqlite":
        yield
        return
    # A TEMP table lives only in the connection that made it: other connections stay guarded.
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {SQLITE_GUARD} (opened INTEGER)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{SQLITE_GUARD}")
