"""Deactivation moves from the user to the membership without losing anyone's state."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0002_memberships_in_several_agencies")]


@pytest.mark.django_db(transaction=True)
def test_someone_deactivated_on_the_staff_page_stays_deactivated_in_their_agency():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    agency = old.get_model("accounts", "Agency").objects.create(name="Riverside", slug="riverside")
    User, Membership = old.get_model("accounts", "User"), old.get_model("accounts", "Membership")
    for email, active in [("gone@riverside.example", False), ("here@riverside.example", True)]:
        user = User.objects.create(email=email, full_name=email, is_active=active)
        Membership.objects.create(agency=agency, user=user, role="practitioner")
    nobody = User.objects.create(email="locked@example.org", full_name="Locked", is_active=False)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    memberships = new.get_model("accounts", "Membership").objects
    users = new.get_model("accounts", "User").objects
    assert dict(memberships.values_list("user__email", "is_active")) == {
        "gone@riverside.example": False, "here@riverside.example": True}
    assert users.get(email="gone@riverside.example").is_active, "the membership says it now"
    assert not users.get(pk=nobody.pk).is_active, "an account locked outside the staff page stays locked"

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
