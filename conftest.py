"""Personas shared by every test: three roles in agency A, and an outsider from agency B."""

from unittest import mock

import pytest
from django.core.management.commands import flush
from django.db import connection
from django.test import Client

from audit.retention import purge_window

from accounts.models import Role
from tests.factories import AgencyFactory, MembershipFactory


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` need PostgreSQL's row locks; on SQLite they are not collected."""
    if connection.vendor == "postgresql":
        return
    deselected = [item for item in items if item.get_closest_marker("postgresql")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]


@pytest.fixture(scope="session", autouse=True)
def _flush_may_empty_the_audit_trail():
    """Transactional tests (the browser journeys) end with `flush`, which empties every table.

    The audit table's triggers refuse that, so the harness, and only the harness, opens the
    same purge window a supervised DBA purge would use (audit/retention.py).
    """
    handle = flush.Command.handle

    def guarded(self, **options):
        with purge_window(options.get("database") or "default"):
            return handle(self, **options)

    with mock.patch.object(flush.Command, "handle", guarded):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agency_a(db):
    return AgencyFactory(name="Riverside Early Intervention", slug="riverside")


@pytest.fixture
def agency_b(db):
    return AgencyFactory(name="Hilltop Family Services", slug="hilltop")


@pytest.fixture
def practitioner(agency_a):
    return MembershipFactory(agency=agency_a, role=Role.PRACTITIONER, user__full_name="Pat Practitioner",
                             user__email="pat@riverside.example")


@pytest.fixture
def supervisor(agency_a):
    return MembershipFactory(agency=agency_a, role=Role.SUPERVISOR, user__full_name="Sam Supervisor",
                             user__email="sam@riverside.example")


@pytest.fixture
def admin(agency_a):
    return MembershipFactory(agency=agency_a, role=Role.ADMIN, user__full_name="Alex Admin",
                             user__email="alex@riverside.example")


@pytest.fixture
def outsider(agency_b):
    return MembershipFactory(agency=agency_b, role=Role.ADMIN, user__full_name="Olive Outsider",
                             user__email="olive@hilltop.example")


@pytest.fixture
def pat_at_both(practitioner, agency_b):
    """Pat works at both agencies (a practitioner in each): Pat's membership of agency B."""
    return MembershipFactory(agency=agency_b, user=practitioner.user, role=Role.PRACTITIONER)


@pytest.fixture
def client_for(db):
    """A signed-in test client for a membership: `client_for(practitioner)`."""

    def make(membership) -> Client:
        client = Client()
        client.force_login(membership.user)
        return client

    return make
