"""The database itself refuses to change or remove audit events, on PostgreSQL and on SQLite."""

import pytest
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from audit.models import AuditAction, AuditChainHead, AuditEvent
from audit.retention import purge_window
from audit.services import record

from .conftest import raw

REFUSED = {"postgresql": "pgtrigger: Cannot", "sqlite": "append-only"}
HEAD_REFUSED = {"postgresql": "only moves forward to a stored event", "sqlite": "only moves forward to a stored event"}
HEAD_KEPT = {"postgresql": "Audit chain heads cannot be removed", "sqlite": "Audit chain heads cannot be removed"}


def refused(sql: str, params=(), expected: dict = REFUSED) -> str:
    """Run raw SQL that must fail, inside a savepoint so the test's transaction stays usable."""
    with pytest.raises(DatabaseError) as error:
        with transaction.atomic():
            raw(sql, params)
    assert expected[connection.vendor] in str(error.value)
    return str(error.value)


def test_the_database_refuses_an_update(agency_a):
    event = record(agency=agency_a, action=AuditAction.SIGN_IN)
    refused("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["auth.sign_out", event.pk])
    refused("UPDATE audit_auditevent SET data = %s", ['{"role": "admin"}'])
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.SIGN_IN


def test_the_database_refuses_a_delete(agency_a):
    event = record(agency=agency_a, action=AuditAction.SIGN_IN)
    refused("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    refused("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_to_empty_the_table(agency_a):
    record(agency=agency_a, action=AuditAction.SIGN_IN)
    if connection.vendor == "postgresql":
        # Check the insert's deferred foreign keys now: PostgreSQL won't TRUNCATE with them pending.
        raw("SET CONSTRAINTS ALL IMMEDIATE")
    # PostgreSQL empties with TRUNCATE; SQLite has no TRUNCATE and its flush is a bare DELETE.
    postgresql = connection.vendor == "postgresql"
    message = refused("TRUNCATE audit_auditevent CASCADE" if postgresql else "DELETE FROM audit_auditevent")
    if connection.vendor == "postgresql":
        assert "Cannot truncate" in message
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), ["audit_auditevent"]))
    assert AuditEvent.objects.count() == 1


def test_the_manager_and_queryset_refuse_too(agency_a):
    event = record(agency=agency_a, action=AuditAction.SIGN_IN)
    for attempt in (lambda: AuditEvent.objects.update(action="auth.sign_out"),
                    lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
                    lambda: AuditEvent.objects.for_agency(agency_a).delete(),
                    event.delete, event.save):
        with pytest.raises(PermissionError, match="append-only"):
            attempt()
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.SIGN_IN


def test_the_triggers_are_installed(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass "
                           "AND NOT tgisinternal AND tgenabled <> 'D'")
            names = {name for (name,) in cursor.fetchall()}
            assert {name.rsplit("_", 1)[0] for name in names} == {
                "pgtrigger_append_only_update", "pgtrigger_append_only_delete", "pgtrigger_append_only_truncate"}
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditchainhead'::regclass "
                           "AND NOT tgisinternal AND tgenabled <> 'D'")
            assert {name for (name,) in cursor.fetchall()} == {
                "audit_chain_head_forward_only", "audit_chain_head_no_truncate"}
        else:
            # A migration that makes SQLite remake a table would silently drop these.
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name LIKE 'audit_%'")
            assert set(cursor.fetchall()) == {
                ("audit_auditevent", "audit_event_append_only_update"),
                ("audit_auditevent", "audit_event_append_only_delete"),
                ("audit_auditchainhead", "audit_chain_head_forward_only"),
                ("audit_auditchainhead", "audit_chain_head_no_delete"),
            }


def test_the_chain_head_never_moves_back_whoever_asks(agency_a):
    """Not even the tables' owner (the test suite connects as a superuser), nor inside the purge window."""
    first = record(agency=agency_a, action=AuditAction.SIGN_IN)
    second = record(agency=agency_a, action=AuditAction.SIGN_OUT)
    back = "UPDATE audit_auditchainhead SET sequence = %s, hash = %s WHERE agency_id = %s"
    message = refused(back, [1, first.hash, agency_a.pk], HEAD_REFUSED)
    refused("UPDATE audit_auditchainhead SET hash = %s WHERE agency_id = %s", [first.hash, agency_a.pk], HEAD_REFUSED)
    refused("UPDATE audit_auditchainhead SET sequence = 3 WHERE agency_id = %s", [agency_a.pk], HEAD_REFUSED)
    with purge_window():
        refused(back, [1, first.hash, agency_a.pk], HEAD_REFUSED)
    head = AuditChainHead.objects.get(agency=agency_a)
    assert (head.sequence, head.hash) == (2, second.hash)
    if connection.vendor == "postgresql":
        assert "(sequence 2 to 1)" in message


def test_a_chain_head_is_removed_only_inside_the_purge_window(agency_a):
    record(agency=agency_a, action=AuditAction.SIGN_IN)
    refused("DELETE FROM audit_auditchainhead", expected=HEAD_KEPT)
    if connection.vendor == "postgresql":
        raw("SET CONSTRAINTS ALL IMMEDIATE")
        refused("TRUNCATE audit_auditchainhead", expected=HEAD_KEPT)
    with transaction.atomic():
        with purge_window():
            raw("DELETE FROM audit_auditchainhead")
        assert not AuditChainHead.objects.exists()
        transaction.set_rollback(True)
    assert AuditChainHead.objects.filter(agency=agency_a).exists()
    refused("DELETE FROM audit_auditchainhead", expected=HEAD_KEPT)


def test_only_the_purge_window_lets_a_delete_through(agency_a):
    record(agency=agency_a, action=AuditAction.SIGN_IN)
    with transaction.atomic():
        with purge_window():
            raw("DELETE FROM audit_auditevent")
        assert AuditEvent.objects.count() == 0
        transaction.set_rollback(True)
    assert AuditEvent.objects.count() == 1
    refused("DELETE FROM audit_auditevent")


def test_the_purge_window_never_allows_an_update(agency_a):
    event = record(agency=agency_a, action=AuditAction.SIGN_IN)
    with purge_window():
        refused("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["auth.sign_out", event.pk])
