"""Helpers for the audit tests: a way past the triggers for tamper tests, and a few events."""

import contextlib
import importlib

import pytest
from django.db import connection

from audit.models import AuditAction
from audit.services import record

SQLITE = importlib.import_module("audit.migrations.0003_append_only_sqlite")
HEAD = importlib.import_module("audit.migrations.0006_chain_head_forward_only")
AUDIT_TABLES = ("audit_auditevent", "audit_auditchainhead")


@contextlib.contextmanager
def triggers_lifted():
    """Tamper as the tables' owner could: with every trigger on the audit tables switched off."""
    if connection.vendor == "postgresql":
        # PostgreSQL won't ALTER a table with deferred foreign-key checks pending: run them now.
        raw("SET CONSTRAINTS ALL IMMEDIATE")
        for table in AUDIT_TABLES:
            raw(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            yield
        finally:
            raw("SET CONSTRAINTS ALL IMMEDIATE")
            for table in AUDIT_TABLES:
                raw(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            raw("SET CONSTRAINTS ALL DEFERRED")
        return
    for statement in (*SQLITE.DROP, *HEAD.SQLITE_DROP):
        raw(statement)
    try:
        yield
    finally:
        for statement in (SQLITE.UPDATE_TRIGGER, SQLITE.DELETE_TRIGGER, HEAD.SQLITE_UPDATE_TRIGGER,
                          HEAD.SQLITE_DELETE_TRIGGER):
            raw(statement)


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def five_events(agency_a, admin, practitioner):
    """Sequence 1-5 of agency A: a role change in the middle carries data."""
    events = [record(agency=agency_a, actor=admin.user, action=AuditAction.SIGN_IN)]
    events.append(record(agency=agency_a, actor=admin.user, action=AuditAction.STAFF_ADDED,
                         target=practitioner, data={"role": "practitioner"}))
    events.append(record(agency=agency_a, actor=admin.user, action=AuditAction.ROLE_CHANGED,
                         target=practitioner, data={"from": "practitioner", "to": "supervisor"}))
    events.append(record(agency=agency_a, actor=practitioner.user, action=AuditAction.SIGN_IN))
    events.append(record(agency=agency_a, actor=admin.user, action=AuditAction.SIGN_OUT))
    return events
