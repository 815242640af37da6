import pytest

from api.models import ApiToken
from audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_a_member_creates_a_token_sees_it_once_and_revokes_it(client, practitioner):
    client.force_login(practitioner.user)
    response = client.post("/account/api-tokens/", {"name": "Case system", "scopes": ["guidance"], "days": "30"},
                           follow=True)
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert secret.startswith("bnd_") and secret.encode() in response.content
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    again = client.get("/account/api-tokens/")
    assert secret.encode() not in again.content and token.hint.encode() in again.content
    client.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKED).count() == 1


def test_a_scope_beyond_the_role_is_not_offered_or_accepted(client, practitioner):
    client.force_login(practitioner.user)
    assert b"audit:read" not in client.get("/account/api-tokens/").content
    response = client.post("/account/api-tokens/", {"name": "x", "scopes": ["audit:read"], "days": "30"})
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_an_admin_sees_and_revokes_every_token_of_the_agency(client, practitioner, supervisor, admin, api_for):
    api_for(practitioner)
    token = ApiToken.objects.get()
    client.force_login(supervisor.user)
    assert token.hint.encode() not in client.get("/account/api-tokens/").content
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(admin.user)
    assert b"Pat Practitioner" in client.get("/account/api-tokens/").content
    client.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get().revoked_at is not None


def test_revoking_asks_first_and_changes_nothing_until_confirmed(client, practitioner, admin, api_for):
    api_for(practitioner)
    token = ApiToken.objects.get()
    client.force_login(admin.user)
    page = client.get(f"/account/api-tokens/{token.pk}/revoke/")
    assert page.status_code == 200
    assert "Revoke the token “Case system”?" in page.content.decode()
    assert b"acts as Pat Practitioner" in page.content
    assert ApiToken.objects.get().revoked_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKED).exists()
    client.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get().revoked_at is not None
    assert b"no longer works" in client.get(f"/account/api-tokens/{token.pk}/revoke/").content
