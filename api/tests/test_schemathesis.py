"""Every operation of the API against its own OpenAPI document, as each role, with the default checks.

In-process over WSGI (no server); the seed, the example bound and any per-operation exclusion (with
its reason) live in schemathesis.toml at the repository root.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.core.wsgi import get_wsgi_application

from accounts.models import Role
from api.models import scopes_for_role
from api.services import api_token_create
from tests.factories import MembershipFactory, PolicyVersionFactory


# Loaded when collected: serving the document touches no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def role_tokens(db, settings, agency_a):
    settings.API_RATE = "100000/min"  # the rate limit has its own test; here it would only stop the run
    settings.API_AUTH_FAILURE_LIMIT = 100000
    cache.clear()
    PolicyVersionFactory(agency=agency_a, number=1, published=True)
    tokens = {}
    for role in Role.values:
        membership = MembershipFactory(agency=agency_a, role=role)
        _token, secret = api_token_create(membership=membership, name=f"Schemathesis {role}",
                                          scopes=scopes_for_role(role))
        tokens[role] = secret
    # The raw WSGI handler would close the test's connection after each request (PostgreSQL);
    # Django's own test client holds these signals off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield tokens
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
# The tokens are meant to outlive each generated example: they are the callers, not the input.
@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_keeps_its_contract(case, role_tokens):
    for role, secret in role_tokens.items():
        # Identity: the WSGI test client hands back gzip bytes as they are (a real client unpacks them).
        case.call_and_validate(headers={"Authorization": f"Bearer {secret}", "Accept-Encoding": "identity"})
