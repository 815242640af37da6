"""The one way past the append-only triggers, for one database connection at a time, and the purge.

Nothing in the application calls this. It exists for two callers only:
the test harness, whose flush between transactional tests empties every table, and
the supervised purge procedure described in the README ("Retention and lawful purge"),
`events_purge()`, run by the database's owner role (the runtime role has no DELETE at all).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pgtrigger
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .models import AuditAction, AuditEvent
from .services import record

# The guard the SQLite DELETE triggers look for (migrations 0003 and 0006).
SQLITE_GUARD = "audit_purge_allowed"
POSTGRESQL_TRIGGERS = ("audit.AuditEvent:append_only_delete", "audit.AuditEvent:append_only_truncate")
# What the chain head's own trigger looks for (migration 0006); it also insists on the table's owner.
POSTGRESQL_SETTING = "boundaries.audit_purge_window"


@contextlib.contextmanager
def purge_window(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Allow DELETE and TRUNCATE of audit events and chain heads on this connection, for the block."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with _postgresql_setting(connection), pgtrigger.ignore(*POSTGRESQL_TRIGGERS, databases=[using]):
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


@contextlib.contextmanager
def _postgresql_setting(connection) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', false)", [POSTGRESQL_SETTING])
    try:
        yield
    finally:
        # In a failed transaction the rollback undoes the setting; otherwise close the window here.
        if not connection.needs_rollback and connection.connection is not None and not _in_error(connection):
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, '', false)", [POSTGRESQL_SETTING])


def _in_error(connection) -> bool:
    import psycopg2.extensions

    status = connection.connection.get_transaction_status()
    return status == psycopg2.extensions.TRANSACTION_STATUS_INERROR


@dataclass(frozen=True)
class Purge:
    through: int  # the last sequence removed
    removed: int
    event: AuditEvent  # the keyed `audit.purged` event that accounts for them


def events_purge(*, agency, before: datetime, actor=None) -> Purge:
    """Remove an agency's events older than `before`, leaving a keyed event that accounts for them.

    The `audit.purged` event names the last sequence removed and its hash; audit_verify then
    starts from the first remaining event, and any other missing start of a chain is a break.
    """
    with transaction.atomic():
        last = (AuditEvent.objects.filter(agency=agency, occurred_at__lt=before)
                .order_by("-sequence").values_list("sequence", "hash").first())
        if last is None:
            raise ValueError(f"No audit event of {agency.slug} is older than {before.isoformat()}: nothing to purge.")
        through, through_hash = last
        event = record(agency=agency, actor=actor, action=AuditAction.AUDIT_PURGED,
                       data={"through": through, "through_hash": through_hash})
        with purge_window(), connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE agency_id = %s AND sequence <= %s",
                           [agency.pk, through])
            removed = cursor.rowcount
    return Purge(through, removed, event)
