"""Ready to shard by agency: every tenant table's indexes and unique constraints lead with `agency`.

A sharded database (Citus, docs/scaling.md) keeps each agency's rows together; an index or a unique
constraint that starts with another column can't be enforced or used within one shard. The model
test runs on both databases; the catalogue test reads what PostgreSQL actually built.
"""

import pytest
from django.apps import apps
from django.db import connection, models

from accounts.models import Agency, Invitation, Membership
from api.models import ApiToken

# Read before the agency is known (which agencies is this person in? whose invitation is this
# token? whose API token is this secret?), so they are reference tables, copied to every node with
# users and agencies.
REFERENCE_TABLES = {Membership, Invitation, ApiToken}


def tenant_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        field = next((f for f in model._meta.concrete_fields if f.name == "agency"), None)
        if field is not None and field.is_relation and field.related_model is Agency and model not in REFERENCE_TABLES:
            found.append(model)
    return found


def test_the_tenant_tables_are_the_ones_we_shard():
    names = {model._meta.label for model in tenant_models()}
    assert {"scenarios.ContactRequest", "scenarios.StepRecord", "audit.AuditEvent", "audit.AuditChainHead",
            "policies.PolicyVersion", "policies.Acknowledgement", "notifications.Notification",
            "boundaries.FormSubmission"} <= names


@pytest.mark.parametrize("model", tenant_models(), ids=lambda model: model._meta.label)
def test_every_index_and_unique_constraint_of_a_tenant_model_leads_with_the_agency(model):
    meta = model._meta
    for index in meta.indexes:
        assert index.fields and index.fields[0] == "agency", f"{meta.label}: index {index.name} {index.fields}"
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            assert constraint.fields and constraint.fields[0] == "agency", f"{meta.label}: {constraint.name}"
    assert not meta.unique_together
    for field in meta.concrete_fields:
        if field.name == "agency" or field.primary_key:
            continue
        # A foreign key gets its own single-column index unless told not to (db_index=False).
        assert not field.db_index and not field.unique, (
            f"{meta.label}.{field.name} has an index of its own; use db_index=False and an "
            f"(agency, {field.name}) index in Meta.indexes")


@pytest.mark.postgresql
@pytest.mark.django_db
def test_every_index_postgresql_built_on_a_tenant_table_leads_with_agency_id():
    """The catalogue, not the models: what migrations really left behind, the primary key apart."""
    leading = {}
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT t.relname, i.relname, a.attname, x.indisprimary
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
            WHERE t.relname = ANY(%s)
        """, [[model._meta.db_table for model in tenant_models()]])
        for table, index, column, primary in cursor.fetchall():
            leading[(table, index)] = (column, primary)
    assert len({table for table, _ in leading}) == len(tenant_models())
    wrong = {key: column for key, (column, primary) in leading.items() if column != "agency_id" and not primary}
    assert wrong == {}
