"""Helpers for the audit tests: a way past the triggers for tamper tests, and a few events."""

import contextlib
import importlib
import json

import pytest
from django.db import connection

from audit.models import AuditAction
from audit.services import record

SQLITE = importlib.import_module("audit.migrations.0003_append_only_sqlite")
HEAD = importlib.import_module("audit.migrations.0007_chain_head_forward_only")
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


def rewrite_chain(agency, *, changes: dict[int, dict] | None = None, key: bytes | None = None,
                  key_id: str = "", through: int | None = None) -> None:
    """Rewrite an agency's chain as an attacker without the audit key would: change some events'
    data, recompute every hash and link with `key` (or unkeyed), and move the head along. With
    `through`, only the events up to it; the next one is relinked, as its HMAC can't be redone."""
    from audit.hashing import GENESIS_HASH, event_hash
    from audit.models import AuditEvent

    previous = GENESIS_HASH
    with triggers_lifted():
        for event in AuditEvent.objects.filter(agency=agency).order_by("sequence"):
            if through is not None and event.sequence > through:
                raw("UPDATE audit_auditevent SET prev_hash = %s WHERE id = %s", [previous, event.pk])
                return
            data = (changes or {}).get(event.sequence, event.data)
            digest = event_hash(key=key, key_id=key_id, agency_id=agency.pk, sequence=event.sequence,
                                occurred_at=event.occurred_at, actor_id=event.actor_id, action=event.action,
                                target_type=event.target_type, target_id=event.target_id, data=data,
                                prev_hash=previous)
            raw("UPDATE audit_auditevent SET data = %s, prev_hash = %s, hash = %s, key_id = %s WHERE id = %s",
                [json.dumps(data), previous, digest, key_id, event.pk])
            previous = digest
        raw("UPDATE audit_auditchainhead SET hash = %s WHERE agency_id = %s", [previous, agency.pk])


def legacy_events(agency, count: int) -> list:
    """Events as the code before the keyed chain wrote them: no key id, plain SHA-256."""
    from django.utils import timezone

    from audit.hashing import event_hash
    from audit.models import AuditChainHead, AuditEvent

    head, _ = AuditChainHead.objects.get_or_create(agency=agency)
    events = []
    for _ in range(count):
        fields = dict(agency_id=agency.pk, sequence=head.sequence + 1, occurred_at=timezone.now(), actor_id=None,
                      action="auth.sign_in", target_type="", target_id="", data={}, prev_hash=head.hash)
        events.append(AuditEvent.objects.create(**fields, hash=event_hash(**fields)))
        head.sequence, head.hash, head.occurred_at = fields["sequence"], events[-1].hash, fields["occurred_at"]
        head.save()
    return events
