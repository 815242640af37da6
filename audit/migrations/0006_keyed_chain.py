"""The keyed chain: a key id on every event, and a keyed event closing every older chain.

Events written before this migration keep their empty key id and plain SHA-256 hash. Each
agency whose chain ends with such an event gets one keyed event, `audit.chain_keyed`, whose
HMAC covers the hash of the newest unkeyed event; from then on a chain may never end unkeyed
(audit/verify.py), so rewriting the old events, or the whole chain as unkeyed, needs the key.

On SQLite adding a column with a default remakes the table, which drops the append-only
triggers of 0003: they are made again here.
"""

import importlib

from django.db import migrations, models
from django.utils import timezone

from audit.hashing import event_hash
from audit.keys import signing_key

SQLITE = importlib.import_module("audit.migrations.0003_append_only_sqlite")


def recreate_sqlite_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in (*SQLITE.DROP, SQLITE.UPDATE_TRIGGER, SQLITE.DELETE_TRIGGER):
            schema_editor.execute(statement)


def seal_unkeyed_chains(event_model, head_model) -> int:
    """Append one keyed event to every chain whose newest event is unkeyed; returns how many."""
    key, sealed = signing_key(), 0
    for head in head_model.objects.select_for_update().filter(sequence__gt=0).order_by("pk"):
        newest = event_model.objects.filter(agency_id=head.agency_id, sequence=head.sequence).first()
        if newest is None or newest.key_id:
            continue
        moment = max(timezone.now(), newest.occurred_at)
        fields = dict(agency_id=head.agency_id, sequence=head.sequence + 1, occurred_at=moment, actor_id=None,
                      action="audit.chain_keyed", target_type="", target_id="",
                      data={"unkeyed_through": head.sequence}, prev_hash=newest.hash)
        digest = event_hash(key=key.secret, key_id=key.id, **fields)
        event_model.objects.create(**fields, hash=digest, key_id=key.id)
        head_model.objects.filter(pk=head.pk).update(sequence=head.sequence + 1, hash=digest, occurred_at=moment)
        sealed += 1
    return sealed


def seal(apps, schema_editor) -> None:
    seal_unkeyed_chains(apps.get_model("audit", "AuditEvent"), apps.get_model("audit", "AuditChainHead"))


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_invitation_and_switch_actions'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='key_id',
            field=models.CharField(blank=True, default='', max_length=16),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('auth.sign_in', 'Signed in'), ('auth.sign_in_failed', 'Sign-in failed'), ('auth.sign_out', 'Signed out'), ('auth.password_changed', 'Password changed'), ('staff.added', 'Staff added'), ('staff.role_changed', 'Role changed'), ('staff.deactivated', 'Staff deactivated'), ('staff.reactivated', 'Staff reactivated'), ('access.denied', 'Access denied'), ('audit.exported', 'Audit trail exported'), ('audit.chain_keyed', 'Audit chain keyed'), ('audit.purged', 'Old audit events purged'), ('policy.created', 'Policy draft started'), ('policy.edited', 'Policy edited'), ('policy.published', 'Policy published'), ('policy.acknowledged', 'Policy acknowledged'), ('policy.imported', 'Policy imported'), ('policy.exported', 'Policy exported'), ('policy.discarded', 'Policy draft discarded'), ('request.logged', 'Request logged'), ('request.viewed', 'Request viewed'), ('request.updated', 'Request updated'), ('guidance.shown', 'Guidance shown'), ('option.chosen', 'Option chosen'), ('step.documented', 'Step documented'), ('request.closed', 'Request closed'), ('review.decided', 'Review decided')], max_length=40),
        ),
        migrations.RunPython(recreate_sqlite_triggers, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(seal, migrations.RunPython.noop, elidable=False),
    ]
