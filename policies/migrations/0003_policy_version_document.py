"""Each version now holds its policy as one document; the rule and channel tables go.

Every existing version's rows become the document its export already was (boundaries.policy/1,
key for key, in the same order), so nothing is lost and each export stays byte-identical. The
code reads /1 documents as they are; new and edited drafts are written as /2. The document is
built here from the rows alone, not with the app's code, so this migration keeps meaning what
it meant when it was written.

Going back writes the rows from each document again; what /2 added (channels for named
relationships, conduct expectations) has no column to go back to and is dropped.
"""

import datetime as dt

from django.db import migrations, models


def _period(amount, unit):
    return None if amount is None or not unit else {"amount": amount, "unit": unit}


def _document(version, rules, channels) -> dict:
    """The boundaries.policy/1 export of a version, exactly as the old code wrote it."""
    return {
        "schema": "boundaries.policy/1",
        "title": version.title,
        "connection_rules": [
            {"relationship": rule.relationship, "scope": rule.scope, "decision": rule.decision,
             "rationale": rule.rationale}
            for rule in sorted(rules, key=lambda rule: rule.position)
        ],
        "cooling_off": {
            "after_discharge": _period(version.discharge_amount, version.discharge_unit),
            "after_leaving": _period(version.leaving_amount, version.leaving_unit),
        },
        "channels": [
            {"channel": channel.channel, "allowed": channel.allowed, "uses": list(channel.uses)}
            for channel in sorted(channels, key=lambda channel: channel.position)
        ],
        "working_hours": {
            "days": list(version.work_days),
            "start": version.work_start.strftime("%H:%M"),
            "end": version.work_end.strftime("%H:%M"),
            "response_within_hours": version.response_within_hours,
            "after_hours": version.after_hours,
        },
        "exceptions": {
            "small_community": version.small_community,
            "accidental_connection": version.accidental_connection,
            "public_account": version.public_account,
        },
        "procedures": {
            "consult_supervisor_when": version.consult_supervisor_when,
            "documentation": version.documentation,
        },
    }


def rows_to_documents(apps, schema_editor) -> None:
    PolicyVersion = apps.get_model("policies", "PolicyVersion")
    ConnectionRule = apps.get_model("policies", "ConnectionRule")
    ChannelRule = apps.get_model("policies", "ChannelRule")
    rules: dict[int, list] = {}
    channels: dict[int, list] = {}
    for rule in ConnectionRule.objects.all():
        rules.setdefault(rule.version_id, []).append(rule)
    for channel in ChannelRule.objects.all():
        channels.setdefault(channel.version_id, []).append(channel)
    for version in PolicyVersion.objects.all():
        version.document = _document(version, rules.get(version.pk, []), channels.get(version.pk, []))
        version.save(update_fields=["document"])


def documents_to_rows(apps, schema_editor) -> None:
    PolicyVersion = apps.get_model("policies", "PolicyVersion")
    ConnectionRule = apps.get_model("policies", "ConnectionRule")
    ChannelRule = apps.get_model("policies", "ChannelRule")
    for version in PolicyVersion.objects.all():
        document = version.document
        discharge, leaving = document["cooling_off"]["after_discharge"], document["cooling_off"]["after_leaving"]
        hours = document["working_hours"]
        version.title = document["title"]
        version.discharge_amount, version.discharge_unit = (discharge["amount"], discharge["unit"]) if discharge else (None, "")
        version.leaving_amount, version.leaving_unit = (leaving["amount"], leaving["unit"]) if leaving else (None, "")
        version.work_days = hours["days"]
        version.work_start, version.work_end = (dt.time.fromisoformat(hours[key]) for key in ("start", "end"))
        version.response_within_hours, version.after_hours = hours["response_within_hours"], hours["after_hours"]
        for key, value in {**document["exceptions"], **document["procedures"]}.items():
            setattr(version, key, value)
        version.save()
        ConnectionRule.objects.bulk_create(
            ConnectionRule(agency_id=version.agency_id, version=version, position=index, rationale=rule.get("rationale", ""),
                           relationship=rule["relationship"], scope=rule["scope"], decision=rule["decision"])
            for index, rule in enumerate(document["connection_rules"]))
        ChannelRule.objects.bulk_create(
            ChannelRule(agency_id=version.agency_id, version=version, position=index, channel=channel["channel"],
                        allowed=channel["allowed"], uses=channel["uses"])
            for index, channel in enumerate(document["channels"]))


_MOVED_INTO_THE_DOCUMENT = (
    "title", "discharge_amount", "discharge_unit", "leaving_amount", "leaving_unit", "work_days", "work_start",
    "work_end", "response_within_hours", "after_hours", "small_community", "accidental_connection",
    "public_account", "consult_supervisor_when", "documentation",
)


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0002_derive_superseded_state"),
    ]

    operations = [
        # Nullable first, so that going back can add these columns to existing rows before filling them.
        *(migrations.AlterField(model_name="policyversion", name=name, field=field) for name, field in (
            ("work_start", models.TimeField(null=True)),
            ("work_end", models.TimeField(null=True)),
            ("response_within_hours", models.PositiveSmallIntegerField(null=True)),
        )),
        migrations.AddField(
            model_name="policyversion",
            name="document",
            field=models.JSONField(null=True),
        ),
        migrations.RunPython(rows_to_documents, documents_to_rows, elidable=False),
        migrations.AlterField(
            model_name="policyversion",
            name="document",
            field=models.JSONField(),
        ),
        migrations.DeleteModel(name="ConnectionRule"),
        migrations.DeleteModel(name="ChannelRule"),
        *(migrations.RemoveField(model_name="policyversion", name=name) for name in _MOVED_INTO_THE_DOCUMENT),
    ]
