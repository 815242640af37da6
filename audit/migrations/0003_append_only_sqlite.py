"""Append-only on SQLite: triggers that abort UPDATE and DELETE on audit events.

PostgreSQL gets its triggers from pgtrigger (0002); this migration does nothing there.
DELETE is allowed only on a connection that holds the TEMP table `audit_purge_allowed`
(see audit/retention.py). A non-TEMP trigger may not name the temp schema directly, so it
asks `pragma_table_list` (SQLite 3.37 or later; an older SQLite fails closed and refuses
every DELETE). A later migration that makes SQLite remake this table drops these triggers:
it must create them again (audit/tests/test_append_only.py checks that they exist).
"""

from django.db import migrations

UPDATE_TRIGGER = """
CREATE TRIGGER audit_event_append_only_update BEFORE UPDATE ON audit_auditevent
BEGIN
    SELECT RAISE(ABORT, 'Audit events are append-only: UPDATE refused');
END
"""

DELETE_TRIGGER = """
CREATE TRIGGER audit_event_append_only_delete BEFORE DELETE ON audit_auditevent
WHEN NOT EXISTS (
    SELECT 1 FROM pragma_table_list WHERE schema = 'temp' AND name = 'audit_purge_allowed'
)
BEGIN
    SELECT RAISE(ABORT, 'Audit events are append-only: DELETE refused');
END
"""

DROP = [
    "DROP TRIGGER IF EXISTS audit_event_append_only_update",
    "DROP TRIGGER IF EXISTS audit_event_append_only_delete",
]


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(UPDATE_TRIGGER)
        schema_editor.execute(DELETE_TRIGGER)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_append_only_postgresql"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
