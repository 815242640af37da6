import pytest
from django.urls import reverse

from accounts.models import Role
from scenarios.models import RequestStatus
from tests.factories import MembershipFactory


@pytest.fixture
def colleague(agency_a):
    return MembershipFactory(agency=agency_a, role=Role.PRACTITIONER, user__full_name="Cass Colleague")


def pages(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("scenarios:detail", args=[pk])),
        ("post", reverse("scenarios:choose", args=[pk])),
        ("post", reverse("scenarios:step", args=[pk, "pause"])),
        ("get", reverse("scenarios:close", args=[pk])),
    ]


def test_practitioners_see_only_their_own_requests(client_for, colleague, log_request):
    contact_request = log_request()
    client = client_for(colleague)
    for method, url in pages(contact_request.pk):
        assert getattr(client, method)(url, {"option": "discuss", "value": "on"}).status_code == 404
    assert "RB-1042" not in client.get(reverse("scenarios:list")).content.decode()


def test_supervisors_see_every_request_of_their_agency_but_cannot_change_them(client_for, supervisor,
                                                                              log_request):
    contact_request = log_request()
    client = client_for(supervisor)
    body = client.get(reverse("scenarios:detail", args=[contact_request.pk])).content.decode()
    assert "Pat Practitioner" in body and "Choose this option" not in body
    assert client.post(reverse("scenarios:choose", args=[contact_request.pk]),
                       {"option": "discuss"}).status_code == 404
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.OPEN


def test_practitioners_and_admins_cannot_open_the_review(client_for, practitioner, admin, log_request):
    contact_request = log_request()
    for persona in (practitioner, admin):
        client = client_for(persona)
        assert client.get(reverse("scenarios:review")).status_code == 403
        assert client.post(reverse("scenarios:review_decide", args=[contact_request.pk]),
                           {"decision": "approved"}).status_code == 403
    assert client_for(admin).get(reverse("scenarios:list")).status_code == 403


def test_a_supervisor_cannot_review_their_own_request(client_for, supervisor, log_request):
    contact_request = log_request(supervisor, relationship="community_member", client_status="",
                                  client_reference="")
    client = client_for(supervisor)
    client.post(reverse("scenarios:choose", args=[contact_request.pk]), {"option": "accept", "reason": "Club."})
    assert "Your decision" not in client.get(reverse("scenarios:detail", args=[contact_request.pk])).content.decode()
    assert client.post(reverse("scenarios:review_decide", args=[contact_request.pk]),
                       {"decision": "approved"}).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("scenarios:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
