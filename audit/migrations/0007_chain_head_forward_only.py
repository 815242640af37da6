"""The chain head only moves forward, and only to an event that is stored.

The runtime role must UPDATE the head to append, so privileges alone can't stop it moving the
head back; these triggers do. On PostgreSQL they are plain SQL, not pgtrigger: pgtrigger's
`ignore` is a session setting any role may set, so it would let the runtime role past. Removing
a head (DELETE, TRUNCATE) is refused too, except inside audit.retention.purge_window(), and
then only for the table's owner or a superuser, who could drop the trigger anyway.

On SQLite the same rules are triggers that RAISE(ABORT); a DELETE passes only on a connection
holding the purge window's TEMP table. A later migration that makes SQLite remake the head's
table drops them and must create them again (audit/tests/test_append_only.py checks them).
"""

from django.db import migrations

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE')
       AND current_setting('boundaries.audit_purge_window', true) = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF NEW.agency_id = OLD.agency_id AND NEW.sequence > OLD.sequence AND EXISTS (
            SELECT 1 FROM audit_auditevent
            WHERE agency_id = NEW.agency_id AND sequence = NEW.sequence AND hash = NEW.hash
        ) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'The audit chain head of agency % only moves forward to a stored event (sequence % to %).',
            OLD.agency_id, OLD.sequence, NEW.sequence USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RAISE EXCEPTION 'Audit chain heads cannot be removed (%).', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$
"""

POSTGRESQL_TRIGGERS = [
    "CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE OR DELETE ON audit_auditchainhead "
    "FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward_only()",
    "CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_auditchainhead "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_forward_only()",
]

POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_chain_head_forward_only ON audit_auditchainhead",
    "DROP TRIGGER IF EXISTS audit_chain_head_no_truncate ON audit_auditchainhead",
    "DROP FUNCTION IF EXISTS audit_chain_head_forward_only()",
]

SQLITE_UPDATE_TRIGGER = """
CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE ON audit_auditchainhead
WHEN NEW.agency_id IS NOT OLD.agency_id OR NEW.sequence <= OLD.sequence OR NOT EXISTS (
    SELECT 1 FROM audit_auditevent WHERE agency_id = NEW.agency_id AND sequence = NEW.sequence AND hash = NEW.hash
)
BEGIN
    SELECT RAISE(ABORT, 'The audit chain head only moves forward to a stored event: UPDATE refused');
END
"""

SQLITE_DELETE_TRIGGER = """
CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_auditchainhead
WHEN NOT EXISTS (
    SELECT 1 FROM pragma_table_list WHERE schema = 'temp' AND name = 'audit_purge_allowed'
)
BEGIN
    SELECT RAISE(ABORT, 'Audit chain heads cannot be removed: DELETE refused');
END
"""

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_chain_head_forward_only",
    "DROP TRIGGER IF EXISTS audit_chain_head_no_delete",
]


def create(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in (POSTGRESQL_FUNCTION, *POSTGRESQL_TRIGGERS):
            schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UPDATE_TRIGGER)
        schema_editor.execute(SQLITE_DELETE_TRIGGER)


def drop(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in POSTGRESQL_DROP if vendor == "postgresql" else SQLITE_DROP if vendor == "sqlite" else []:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0006_keyed_chain"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
