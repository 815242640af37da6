"""Versions stored as rule and channel rows become documents without loss: each export is byte-identical.

The rows and the exports in data/versions_before_documents.json were recorded with the code as it
was before the move (a version from the default, one from each starter template, an imported edge
case with platform rules first, unicode and unusual days, and an empty draft). Here the same rows
are written with the models as they were, the migration runs, and each version is exported again.
"""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts.models import Agency, Role
from policies.document import SCHEMA_V1, parse_document
from policies.models import PolicyVersion
from tests.factories import MembershipFactory

RECORDED = json.loads((Path(__file__).parent / "data" / "versions_before_documents.json").read_text(encoding="utf-8"))
BEFORE = ("policies", "0002_derive_superseded_state")
AFTER = ("policies", "0003_policy_version_document")


def _targets(executor: MigrationExecutor, policies_node: tuple[str, str]) -> list[tuple[str, str | None]]:
    """Policies at `policies_node`; every other app at its newest migration that does not need a later
    policies migration (an app that builds on the document model, such as training, steps back)."""
    graph = executor.loader.graph
    kept = set(graph.forwards_plan(policies_node))
    later = {node for node in graph.nodes if node[0] == "policies" and node not in kept}
    targets: list[tuple[str, str | None]] = [policies_node]
    for leaf in graph.leaf_nodes():
        if leaf[0] == "policies":
            continue
        node: tuple[str, str] | None = leaf
        while node is not None and later.intersection(graph.forwards_plan(node)):
            parents = [parent for parent in graph.node_map[node].parents if parent.key[0] == node[0]]
            node = parents[0].key if parents else None
        targets.append(node if node is not None else (leaf[0], None))
    return targets


def _old_value(name: str, value):
    if value is not None and name in ("effective_from",):
        return dt.date.fromisoformat(value)
    if value is not None and name in ("work_start", "work_end"):
        return dt.time.fromisoformat(value)
    if value is not None and name == "published_at":
        return dt.datetime.fromisoformat(value)
    return value


def _write_old_rows(apps) -> tuple[int, dict[int, str]]:
    agency = apps.get_model("accounts", "Agency").objects.create(name="Riverside", slug="riverside")
    Version = apps.get_model("policies", "PolicyVersion")
    ConnectionRule = apps.get_model("policies", "ConnectionRule")
    ChannelRule = apps.get_model("policies", "ChannelRule")
    exports = {}
    for recorded in RECORDED:
        fields = {name: _old_value(name, value) for name, value in recorded["version"].items()}
        version = Version.objects.create(agency=agency, **fields)
        ConnectionRule.objects.bulk_create(ConnectionRule(agency=agency, version=version, **row)
                                           for row in recorded["connection_rules"])
        ChannelRule.objects.bulk_create(ChannelRule(agency=agency, version=version, **row)
                                        for row in recorded["channel_rules"])
        exports[version.number] = recorded["export"]
    return agency.pk, exports


@pytest.mark.django_db(transaction=True)
def test_every_version_exports_byte_identically_after_the_move_to_documents(client):
    executor = MigrationExecutor(connection)
    before = _targets(executor, BEFORE)
    executor.migrate(before)
    state = executor.loader.project_state([node for node in before if node[1] is not None])
    agency_pk, exports = _write_old_rows(state.apps)

    executor = MigrationExecutor(connection)
    executor.migrate(_targets(executor, AFTER))
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    supervisor = MembershipFactory(agency=Agency.objects.get(pk=agency_pk), role=Role.SUPERVISOR)
    client.force_login(supervisor.user)
    assert len(exports) == len(RECORDED) == 6
    for number, before in exports.items():
        version = PolicyVersion.objects.get(agency_id=agency_pk, number=number)
        assert version.document["schema"] == SCHEMA_V1
        parse_document(version.document)  # a valid document, read whole
        after = client.get(reverse("policies:export", args=[number]))
        assert after.status_code == 200
        assert after.content.decode("utf-8") == before, f"version {number} changed"
    # The edge case kept its platform rules ahead of its group rule, as its rows were ordered.
    edge = PolicyVersion.objects.get(agency_id=agency_pk, based_on="import", status="published").policy
    assert [rule.scope.value for rule in edge.connection_rules][:2] == ["instagram", "personal_networks"]
