import pytest
from django.db import DatabaseError
from django.urls import reverse

from accounts.models import Role

NAV = {
    Role.PRACTITIONER: ["My requests", "Policy"],
    Role.SUPERVISOR: ["My requests", "Policies", "Review"],
    Role.ADMIN: ["Staff", "Audit trail"],
}
NOT_SEEN = {
    Role.PRACTITIONER: ["Staff", "Audit trail", "Review"],
    Role.SUPERVISOR: ["Staff", "Audit trail"],
    Role.ADMIN: ["My requests", "Review"],
}


@pytest.mark.parametrize("persona", ["practitioner", "supervisor", "admin"])
def test_each_role_sees_its_own_navigation(request, client_for, persona):
    membership = request.getfixturevalue(persona)
    body = client_for(membership).get(reverse("home")).content.decode()
    nav = body.split('id="main-nav"')[1].split("</nav>")[0]
    for label in NAV[membership.role]:
        assert f">{label}" in nav
    for label in NOT_SEEN[membership.role]:
        assert f">{label}<" not in nav and f">{label} <" not in nav
    assert "<title>Home · Boundaries</title>" in body


def test_a_missing_page_is_friendly(client_for, practitioner):
    response = client_for(practitioner).get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


def test_a_user_without_an_agency_is_refused(client, django_user_model):
    user = django_user_model.objects.create_user(email="lonely@example.org", password="x-long-password")
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 403


def test_healthz_answers_when_the_database_does(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not(client, db, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", broken_cursor)
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_static_assets_are_served_locally(client_for, practitioner):
    body = client_for(practitioner).get(reverse("home")).content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in body
    assert "/static/django_htmx/htmx" in body
    assert "https://" not in body.split("<body")[0]


def test_the_500_page_stands_alone_without_a_request_context():
    from django.template.loader import render_to_string

    body = render_to_string("500.html")
    assert "Something went wrong on our side" in body
    assert "<title>Something went wrong · Boundaries</title>" in body
