import datetime as dt
import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import Role
from api.models import ApiToken, Scope, scopes_for_role
from api.services import api_token_create, api_token_revoke
from audit.models import AuditAction, AuditEvent

from .conftest import Api, make_api

pytestmark = pytest.mark.django_db

POLICY = "/api/v1/policy"


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_only_the_hash_of_the_secret_is_stored(practitioner):
    token, secret = api_token_create(membership=practitioner, name="Case system", scopes=[Scope.GUIDANCE])
    assert secret.startswith("bnd_") and len(secret) > 40
    row = ApiToken.objects.get(pk=token.pk)
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert row.expires_at - row.created_at == dt.timedelta(days=90)


def test_creating_and_revoking_are_audit_events_without_free_text(practitioner):
    token, _ = api_token_create(membership=practitioner, name="Secret name of my system", scopes=[Scope.GUIDANCE])
    api_token_revoke(token=token, actor=practitioner.user)
    api_token_revoke(token=token, actor=practitioner.user)  # a second click records nothing
    events = list(AuditEvent.objects.filter(agency=practitioner.agency).order_by("sequence"))
    assert [e.action for e in events] == [AuditAction.API_TOKEN_CREATED, AuditAction.API_TOKEN_REVOKED]
    assert "Secret name" not in str([e.data for e in events])
    assert events[0].target_id == str(token.pk)


def test_scopes_beyond_the_role_and_long_lives_are_refused(practitioner):
    with pytest.raises(Exception) as error:
        api_token_create(membership=practitioner, name="x", scopes=[Scope.AUDIT_READ], days=366)
    assert set(error.value.message_dict) == {"scopes", "days"}
    assert not ApiToken.objects.exists()


def test_a_revoked_or_expired_token_is_refused(practitioner):
    token, secret = api_token_create(membership=practitioner, name="x", scopes=[Scope.POLICY_READ], days=1)
    api = Api(secret)
    assert api.get(POLICY).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _problem(api.get(POLICY), 401)["detail"] == "This token is unknown, revoked or expired."
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    api_token_revoke(token=token, actor=practitioner.user)
    _problem(api.get(POLICY), 401)


def test_a_request_without_a_token_or_with_a_session_is_refused(practitioner, client):
    response = client.get(POLICY)
    assert _problem(response, 401)["status"] == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    client.force_login(practitioner.user)
    _problem(client.get(POLICY), 401)  # a signed-in browser session is not an API credential


def test_a_token_in_the_url_is_refused_even_with_a_good_header(practitioner_api):
    response = practitioner_api.get(f"{POLICY}?access_token={practitioner_api.secret}")
    assert "never in the URL" in _problem(response, 401)["detail"]
    _problem(practitioner_api.get(POLICY, {"q": practitioner_api.secret}), 401)


def test_last_use_is_recorded(practitioner_api):
    assert ApiToken.objects.get().last_used_at is None
    practitioner_api.get(POLICY)
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(("url", "method", "scope"), [
    ("/api/v1/evaluate", "post", Scope.GUIDANCE),
    ("/api/v1/requests", "get", Scope.REQUESTS_READ),
    ("/api/v1/requests", "post", Scope.REQUESTS_WRITE),
    ("/api/v1/policy/versions", "get", Scope.POLICY_READ),
    ("/api/v1/audit/head", "get", Scope.AUDIT_READ),
])
def test_each_endpoint_needs_its_scope(admin, supervisor, url, method, scope):
    owner = admin if scope == Scope.AUDIT_READ else supervisor
    others = [other for other in scopes_for_role(owner.role) if other != scope]
    without = make_api(owner, scopes=others)
    assert f"does not have the {scope} scope" in _problem(getattr(without, method)(url), 403)["detail"]
    assert getattr(make_api(owner, scopes=[scope]), method)(url).status_code != 403


def test_a_role_change_or_deactivation_takes_effect_at_once(admin):
    api = make_api(admin, scopes=[Scope.AUDIT_READ, Scope.POLICY_READ])
    assert api.get("/api/v1/audit/head").status_code == 200
    admin.role = Role.PRACTITIONER
    admin.save()
    assert "role" in _problem(api.get("/api/v1/audit/head"), 403)["detail"]
    assert api.get(POLICY).status_code == 200
    admin.is_active = False
    admin.save()
    assert "no longer works" in _problem(api.get(POLICY), 401)["detail"]


def test_failed_authentications_are_throttled(db, settings, client):
    settings.API_AUTH_FAILURE_LIMIT = 3
    for _ in range(3):
        _problem(client.get(POLICY, HTTP_AUTHORIZATION="Bearer bnd_wrong"), 401)
    response = client.get(POLICY, HTTP_AUTHORIZATION="Bearer bnd_wrong")
    _problem(response, 429)
    assert int(response["Retry-After"]) > 0


def test_each_token_has_a_rate_limit(practitioner_api, settings):
    settings.API_RATE = "2/min"
    from django.core.cache import cache
    cache.clear()
    assert practitioner_api.get(POLICY).status_code == 200
    assert practitioner_api.get(POLICY).status_code == 200
    response = practitioner_api.get(POLICY)
    _problem(response, 429)
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_command_prints_the_secret_alone_lists_and_revokes(practitioner):
    out = io.StringIO()
    call_command("api_token", "create", "--email", practitioner.user.email, "--agency", practitioner.agency.slug,
                 "--scopes", "guidance,policy:read", "--days", "30", stdout=out)
    secret = out.getvalue().strip()
    assert out.getvalue() == secret + "\n" and secret.startswith("bnd_")
    assert Api(secret).get(POLICY).status_code == 200
    token = ApiToken.objects.get()
    assert token.scopes == ["guidance", "policy:read"] and (token.expires_at - token.created_at).days == 30
    out = io.StringIO()
    call_command("api_token", "list", "--agency", practitioner.agency.slug, stdout=out)
    assert token.hint in out.getvalue() and secret not in out.getvalue() and "live" in out.getvalue()
    call_command("api_token", "revoke", "--agency", practitioner.agency.slug, str(token.pk), stdout=io.StringIO())
    assert Api(secret).get(POLICY).status_code == 401


def test_the_command_refuses_scopes_beyond_the_role(practitioner):
    with pytest.raises(CommandError, match="audit:read"):
        call_command("api_token", "create", "--email", practitioner.user.email, "--agency", practitioner.agency.slug,
                     "--scopes", "audit:read", stdout=io.StringIO())


def test_the_rate_limit_counts_across_workers_that_share_a_cache(practitioner_api, settings, tmp_path):
    """Two workers with CACHE_URL=file:///dir each open the cache themselves; the count is one."""
    from django.core.cache import caches

    settings.API_RATE = "1/min"
    shared = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(tmp_path / "cache")}}
    settings.CACHES = shared
    first_worker = caches["default"]
    assert practitioner_api.get(POLICY).status_code == 200
    settings.CACHES = {"default": dict(shared["default"])}  # the second worker: a backend of its own
    assert caches["default"] is not first_worker
    response = practitioner_api.get(POLICY)
    _problem(response, 429)
    assert 0 < int(response["Retry-After"]) <= 60
