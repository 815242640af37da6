import pytest
from django.test import Client

from api.models import Scope, scopes_for_role
from api.services import api_token_create


class Api:
    """A client that sends one token as Authorization: Bearer, and JSON bodies."""

    def __init__(self, secret: str):
        self.secret, self.client = secret, Client()

    def _headers(self, extra):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.secret}", **{f"HTTP_{k.upper().replace('-', '_')}": v
                                                                   for k, v in (extra or {}).items()}}

    def get(self, url, data=None, headers=None):
        return self.client.get(url, data, **self._headers(headers))

    def post(self, url, body=None, headers=None):
        return self.client.post(url, body if body is not None else {}, content_type="application/json",
                                **self._headers(headers))


def make_api(membership, scopes=None, days=None):
    _token, secret = api_token_create(membership=membership, name="Case system",
                                      scopes=scopes or scopes_for_role(membership.role), days=days)
    return Api(secret)


@pytest.fixture
def api_for():
    return make_api


@pytest.fixture
def practitioner_api(practitioner):
    return make_api(practitioner)


@pytest.fixture
def supervisor_api(supervisor):
    return make_api(supervisor)


@pytest.fixture
def admin_api(admin):
    return make_api(admin)


@pytest.fixture
def outsider_api(outsider):
    return make_api(outsider, scopes=[Scope.GUIDANCE, Scope.POLICY_READ, Scope.AUDIT_READ])
