"""Helpers for the audit tests: a way past the triggers for tamper tests, and a few events."""

import contextlib
import importlib

import pgtrigger
import pytest
from django.db import connection

from audit.models import AuditAction
from audit.services import record

SQLITE = importlib.import_module("audit.migrations.0003_append_only_sqlite")


@contextlib.contextmanager
def triggers_lifted():
    """Tamper as an attacker with database access would: with the append-only triggers off."""
    if connection.vendor == "postgresql":
        with pgtrigger.ignore("audit.AuditEvent:append_only_update", "audit.AuditEvent:append_only_delete"):
            yield
        return
    with connection.cursor() as cursor:
        for statement in SQLITE.DROP:
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(SQLITE.UPDATE_TRIGGER)
            cursor.execute(SQLITE.DELETE_TRIGGER)


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
