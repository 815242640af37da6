"""Every agency gets its chain head when it is made (audit/signals.py), so appending an event only
locks and moves it; this creates the heads of the agencies that have none yet.

It also drops the actor column's own index: audit_agency_actor_idx, led by the agency, serves it
(docs/scaling.md). The index is dropped by name rather than by AlterField, which on SQLite would
remake the table and lose the append-only triggers of migrations 0003 and 0007.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

EVENTS = "audit_auditevent"


def _actor_indexes(schema_editor) -> list[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, EVENTS)
    return [name for name, info in constraints.items()
            if info["index"] and not info["unique"] and not info["primary_key"] and info["columns"] == ["actor_id"]]


def drop_actor_index(apps, schema_editor) -> None:
    for name in _actor_indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_actor_index(apps, schema_editor) -> None:
    if not _actor_indexes(schema_editor):
        schema_editor.execute(f"CREATE INDEX audit_auditevent_actor_id_perf ON {EVENTS} (actor_id)")


def create_heads(apps, schema_editor) -> None:
    Agency = apps.get_model("accounts", "Agency")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    # An agency with events has its head already: its first event made it.
    headless = Agency.objects.exclude(pk__in=AuditChainHead.objects.values("agency_id"))
    AuditChainHead.objects.bulk_create(AuditChainHead(agency_id=pk) for pk in headless.values_list("pk", flat=True))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_agency_time_zone"),
        ("audit", "0010_new_actions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="actor",
                    field=models.ForeignKey(blank=True, db_index=False, null=True,
                                            on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                            to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[migrations.RunPython(drop_actor_index, create_actor_index, elidable=False)],
        ),
        migrations.RunPython(create_heads, migrations.RunPython.noop, elidable=False),
    ]
