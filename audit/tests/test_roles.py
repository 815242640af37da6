"""Least privilege on PostgreSQL: the runtime role reads and appends to the audit trail, and nothing more.

Each test makes its roles inside its own transaction (PostgreSQL's CREATE ROLE is transactional),
so they vanish with the rollback, and acts as them with SET LOCAL ROLE.
"""

import contextlib
import io
import secrets

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit import exports
from audit.models import AuditAction, AuditChainHead, AuditEvent
from audit.retention import POSTGRESQL_SETTING
from audit.roles import runtime_grants
from audit.services import record
from audit.verify import verify_agency

from .conftest import raw


def fetch(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def new_role(prefix: str) -> str:
    name = f"boundaries_{prefix}_{secrets.token_hex(4)}"  # role names are shared by the whole server
    raw(f"CREATE ROLE {name} NOLOGIN")
    return name


@pytest.fixture
def runtime_role(db) -> str:
    role = new_role("app")
    for statement in runtime_grants(role):
        raw(statement)
    return role


@contextlib.contextmanager
def acting_as(role: str):
    raw(f"SET LOCAL ROLE {role}")
    try:
        yield
    finally:
        raw("RESET ROLE")


def every_guard_lifted() -> None:
    """What an attacker would try first: switch off pgtrigger's and the purge window's checks."""
    triggers = [name for (name,) in fetch("SELECT tgname FROM pg_trigger WHERE tgrelid IN "
                                          "('audit_auditevent'::regclass, 'audit_auditchainhead'::regclass) "
                                          "AND NOT tgisinternal")]
    raw("SELECT set_config('pgtrigger.ignore', %s, true)", ["{" + ",".join(triggers) + "}"])
    raw("SELECT set_config(%s, 'on', true)", [POSTGRESQL_SETTING])


def refused(sql: str, params=()) -> str:
    with pytest.raises(DatabaseError) as error:
        with transaction.atomic():
            raw(sql, params)
    return str(error.value)


@pytest.mark.postgresql
def test_the_runtime_role_appends_verifies_and_exports(agency_a, admin, runtime_role):
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    with acting_as(runtime_role):
        assert fetch("SELECT current_user") == [(runtime_role,)]
        for action in (AuditAction.SIGN_IN, AuditAction.STAFF_ADDED, AuditAction.SIGN_OUT):
            record(agency=agency_a, actor=admin.user, action=action)
        report = verify_agency(agency_a)
        queryset, checkpoint = exports.export_begin(agency=agency_a, actor=admin.user, fmt="csv", codes={},
                                                    queryset=AuditEvent.objects.all(), via="web")
        text = "".join(exports.csv_chunks(queryset, checkpoint))
    assert report.broken is None and report.checked == 3
    assert checkpoint.sequence == 4 and text.count("\r\n") == 6  # header, four events, the checkpoint
    assert AuditChainHead.objects.get(agency=agency_a).sequence == 4


@pytest.mark.postgresql
@pytest.mark.parametrize("sql, message", [
    ("ALTER TABLE audit_auditevent DISABLE TRIGGER USER", "must be owner of table audit_auditevent"),
    ("ALTER TABLE audit_auditchainhead DISABLE TRIGGER USER", "must be owner of table audit_auditchainhead"),
    ("UPDATE audit_auditevent SET action = 'auth.sign_out'", "permission denied for table audit_auditevent"),
    ("DELETE FROM audit_auditevent WHERE sequence = 5", "permission denied for table audit_auditevent"),
    ("TRUNCATE audit_auditevent CASCADE", "permission denied for table audit_auditevent"),
    ("DELETE FROM audit_auditchainhead", "permission denied for table audit_auditchainhead"),
    ("TRUNCATE audit_auditchainhead", "permission denied for table audit_auditchainhead"),
    ("DROP TRIGGER audit_chain_head_forward_only ON audit_auditchainhead",
     "must be owner of relation audit_auditchainhead"),
])
def test_the_runtime_role_cannot_unguard_change_or_remove_the_trail(five_events, runtime_role, sql, message):
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    with acting_as(runtime_role):
        every_guard_lifted()
        assert message in refused(sql)
    assert AuditEvent.objects.count() == 5 and verify_agency(five_events[0].agency).broken is None


@pytest.mark.postgresql
def test_the_runtime_role_moves_the_chain_head_only_forward(five_events, runtime_role):
    agency = five_events[0].agency
    with acting_as(runtime_role):
        every_guard_lifted()
        back = refused("UPDATE audit_auditchainhead SET sequence = 4, hash = %s WHERE agency_id = %s",
                       [five_events[3].hash, agency.pk])
        same = refused("UPDATE audit_auditchainhead SET hash = %s WHERE agency_id = %s", ["0" * 64, agency.pk])
        nowhere = refused("UPDATE audit_auditchainhead SET sequence = 6 WHERE agency_id = %s", [agency.pk])
        appended = record(agency=agency, action=AuditAction.SIGN_IN)  # forward, to a stored event: allowed
    assert "only moves forward to a stored event (sequence 5 to 4)" in back
    assert "(sequence 5 to 5)" in same and "(sequence 5 to 6)" in nowhere
    head = AuditChainHead.objects.get(agency=agency)
    assert (head.sequence, head.hash) == (6, appended.hash)


@pytest.mark.postgresql
def test_database_roles_gives_the_tables_to_the_owner_and_the_runtime_role_only_reading_and_appending(db):
    suffix = secrets.token_hex(4)
    owner, runtime = f"boundaries_owner_{suffix}", f"boundaries_app_{suffix}"
    out = io.StringIO()
    call_command("database_roles", "--apply", "--owner", owner, "--runtime", runtime, stdout=out)
    assert f"{owner} owns the tables" in out.getvalue()
    owners = set(fetch("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"))
    assert owners == {(owner,)}
    privileges = {
        (table, privilege): fetch("SELECT has_table_privilege(%s, %s, %s)", [runtime, table, privilege])[0][0]
        for table in ("audit_auditevent", "audit_auditchainhead", "scenarios_contactrequest")
        for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER")
    }
    assert {key for key, allowed in privileges.items() if allowed} == {
        ("audit_auditevent", "SELECT"), ("audit_auditevent", "INSERT"),
        ("audit_auditchainhead", "SELECT"), ("audit_auditchainhead", "INSERT"), ("audit_auditchainhead", "UPDATE"),
        ("scenarios_contactrequest", "SELECT"), ("scenarios_contactrequest", "INSERT"),
        ("scenarios_contactrequest", "UPDATE"), ("scenarios_contactrequest", "DELETE"),
    }
    with acting_as(owner):  # the owner could switch the triggers off; that is why the app isn't the owner
        with transaction.atomic():
            raw("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            transaction.set_rollback(True)
    with acting_as(runtime):
        assert "must be owner" in refused("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
    call_command("database_roles", "--apply", "--owner", owner, "--runtime", runtime, stdout=io.StringIO())


@pytest.mark.postgresql
def test_every_migrate_grants_the_runtime_role_its_privileges(db, settings):
    role = new_role("app")
    assert not fetch("SELECT has_table_privilege(%s, 'audit_auditevent', 'SELECT')", [role])[0][0]
    settings.DATABASE_RUNTIME_ROLE = role
    call_command("migrate", verbosity=0)
    granted = fetch("SELECT has_table_privilege(%s, 'audit_auditevent', 'INSERT'), "
                    "has_table_privilege(%s, 'audit_auditevent', 'UPDATE'), "
                    "has_table_privilege(%s, 'accounts_membership', 'UPDATE')", [role, role, role])
    assert granted == [(True, False, True)]


def test_database_roles_explains_what_it_needs(db):
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="The two database roles are for PostgreSQL; this database is sqlite"):
            call_command("database_roles", stdout=io.StringIO())
        return
    with pytest.raises(CommandError, match="two different roles") as error:
        call_command("database_roles", "--owner", "boundaries_x", "--runtime", "boundaries_x", stdout=io.StringIO())
    assert error.value.returncode == 2
    out = io.StringIO()
    call_command("database_roles", stdout=out)
    assert 'GRANT SELECT, INSERT ON public.audit_auditevent TO "boundaries_app"' in out.getvalue()
    assert fetch("SELECT count(*) FROM pg_roles WHERE rolname = 'boundaries_app'") == [(0,)], "only printed"
