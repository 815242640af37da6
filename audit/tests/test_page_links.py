"""The audit page: each target links to what it names, and the filters work in place and without script."""

from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from audit.services import record
from policies.services import policy_start_draft
from scenarios import services
from scenarios.tests.conftest import facebook_from_parent

URL = reverse("audit:event_list")


def test_targets_link_to_the_page_of_what_they_name(client_for, admin, practitioner, agency_a):
    record(agency=agency_a, actor=admin.user, action=AuditAction.ROLE_CHANGED, target=practitioner,
           data={"from": "practitioner", "to": "supervisor"})
    contact_request = services.request_log(agency=agency_a, practitioner=practitioner.user, **facebook_from_parent())
    body = client_for(admin).get(URL).content.decode()
    staff_link = reverse("accounts:staff_role", args=[practitioner.pk])
    assert f'<a href="{staff_link}">Staff member {practitioner.pk}</a>' in body
    request_link = f"{URL}?target=scenarios.contactrequest%3A{contact_request.pk}"
    assert f'href="{request_link}"' in body
    # Following it shows that request's entries only: logged, and its guidance shown.
    followed = client_for(admin).get(request_link)
    events = followed.context["page"].events
    assert {event.action for event in events} == {AuditAction.REQUEST_LOGGED, AuditAction.GUIDANCE_SHOWN}
    assert all(event.target_id == str(contact_request.pk) for event in events)
    assert "Only the entries on one item." in followed.content.decode()


def test_a_policy_version_links_to_that_version(client_for, admin, supervisor, agency_a):
    version = policy_start_draft(agency=agency_a, actor=supervisor.user, template=None)
    body = client_for(admin).get(URL).content.decode()
    assert f'<a href="{reverse("policies:detail", args=[version.number])}">' in body
    assert client_for(admin).get(reverse("policies:detail", args=[version.number])).status_code == 200


def test_a_made_up_target_is_refused_with_a_message(client_for, admin):
    response = client_for(admin).get(URL, {"target": "not a target"})
    assert "That link names no entry we keep." in response.content.decode()
    assert response.context["page"].events == []


def test_the_filters_swap_the_results_in_place_with_htmx(client_for, admin):
    client = client_for(admin)
    partial = client.get(URL, {"action": AuditAction.SIGN_IN}, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="audit-results">') and "<html" not in partial
    assert "Signed in" in partial
    full = client.get(URL, {"action": AuditAction.SIGN_IN}).content.decode()
    assert "<html" in full and 'hx-get="/audit/"' in full and 'method="get"' in full
    restore = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode(), "a history restore gets the whole page"
