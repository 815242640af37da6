import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from scenarios.models import ContactRequest
from tests.factories import PolicyVersionFactory

pytestmark = pytest.mark.django_db

FACTS = {"kind": "friend_request", "platform": "facebook", "relationship": "current_client",
         "received_at": "2026-03-02T10:00:00"}
LOG = {"kind": "friend_request", "platform": "facebook", "relationship": "current_client",
       "received_at": "2026-03-02T10:00:00-05:00", "client_reference": "AB12"}


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_evaluate_returns_the_engines_guidance_and_stores_nothing(practitioner_api):
    before = AuditEvent.objects.count()
    response = practitioner_api.post("/api/v1/evaluate", {"facts": FACTS})
    assert response.status_code == 200
    guidance = response.json()
    assert guidance["recommended"] == ["discuss", "decline"]
    assert guidance["options"]["accept"]["verdict"] == "not_allowed"
    assert AuditEvent.objects.count() == before and not ContactRequest.objects.exists()


def test_evaluate_lists_every_wrong_fact_by_its_path(practitioner_api):
    body = _problem(practitioner_api.post("/api/v1/evaluate", {"facts": {**FACTS, "kind": "hug", "platform": 3}}), 400)
    assert {error["field"] for error in body["errors"]} == {"facts.kind", "facts.platform"}


def test_evaluate_under_a_named_version(practitioner_api, agency_a):
    PolicyVersionFactory(agency=agency_a, number=4, published=True)
    assert practitioner_api.post("/api/v1/evaluate?version=4", {"facts": FACTS}).status_code == 200
    _problem(practitioner_api.post("/api/v1/evaluate?version=5", {"facts": FACTS}), 404)
    assert _problem(practitioner_api.post("/api/v1/evaluate?version=x", {"facts": FACTS}), 400)["errors"][0]["field"] == "version"


def test_logging_a_request_returns_it_with_its_guidance(practitioner_api, practitioner):
    response = practitioner_api.post("/api/v1/requests", LOG)
    assert response.status_code == 201, response.content
    body = response.json()
    row = ContactRequest.objects.get()
    assert body["id"] == row.pk and row.practitioner == practitioner.user and row.client_reference == "AB12"
    assert body["guidance"]["recommended"] == ["discuss", "decline"]
    assert body["received_at"] == "2026-03-02T10:00:00-05:00"
    assert [e.action for e in AuditEvent.objects.filter(target_type="scenarios.contactrequest")] == [
        AuditAction.REQUEST_LOGGED, AuditAction.GUIDANCE_SHOWN]


def test_logging_refuses_a_name_as_the_client_reference_and_stores_nothing(practitioner_api):
    body = _problem(practitioner_api.post("/api/v1/requests", {**LOG, "client_reference": "Jane Smith",
                                                               "received_at": "2099-01-01T00:00:00Z"}), 400)
    assert {error["field"] for error in body["errors"]} == {"client_reference", "received_at"}
    body = _problem(practitioner_api.post("/api/v1/requests", {**LOG, "received_at": "0001-01-01T00:00:00Z"}), 400)
    assert [error["field"] for error in body["errors"]] == ["received_at"]
    assert not ContactRequest.objects.exists()


def test_logging_refuses_nul_characters(practitioner_api):
    body = _problem(practitioner_api.post("/api/v1/requests", {**LOG, "context": "a\x00b"}), 400)
    assert body["errors"][0]["field"] == "context"


def test_list_filters_and_pages_by_cursor(practitioner_api, practitioner):
    for day in range(1, 6):
        practitioner_api.post("/api/v1/requests", {**LOG, "received_at": f"2026-03-0{day}T10:00:00-05:00"})
    page = practitioner_api.get("/api/v1/requests", {"limit": 2}).json()
    assert [r["received_at"][:10] for r in page["results"]] == ["2026-03-05", "2026-03-04"]
    second = practitioner_api.get(page["next"]).json()
    assert [r["received_at"][:10] for r in second["results"]] == ["2026-03-03", "2026-03-02"]
    since = practitioner_api.get("/api/v1/requests", {"since": "2026-03-04T00:00:00-05:00"}).json()
    assert len(since["results"]) == 2
    assert practitioner_api.get("/api/v1/requests", {"status": "closed"}).json()["results"] == []
    assert _problem(practitioner_api.get("/api/v1/requests", {"status": "nope"}), 400)["errors"][0]["field"] == "status"


def test_a_misspelt_or_unknown_query_parameter_is_refused_not_ignored(practitioner_api):
    practitioner_api.post("/api/v1/requests", LOG)
    problem = _problem(practitioner_api.get("/api/v1/requests", {"stauts": "closed"}), 400)
    assert problem["errors"] == [{"field": "stauts", "message": "This operation takes no such query parameter."}]
    # The declared ones still work, and an operation without query parameters takes none.
    assert len(practitioner_api.get("/api/v1/requests", {"status": "open", "limit": 5}).json()["results"]) == 1
    assert _problem(practitioner_api.get("/api/v1/policy", {"version": "1"}), 400)["errors"][0]["field"] == "version"


def test_a_practitioner_sees_only_their_own_and_a_supervisor_the_agencys(practitioner_api, supervisor_api, api_for,
                                                                          agency_a):
    from tests.factories import MembershipFactory
    colleague = api_for(MembershipFactory(agency=agency_a))
    mine = practitioner_api.post("/api/v1/requests", LOG).json()["id"]
    theirs = colleague.post("/api/v1/requests", LOG).json()["id"]
    assert [r["id"] for r in practitioner_api.get("/api/v1/requests").json()["results"]] == [mine]
    _problem(practitioner_api.get(f"/api/v1/requests/{theirs}"), 404)
    assert {r["id"] for r in supervisor_api.get("/api/v1/requests").json()["results"]} == {mine, theirs}
    assert supervisor_api.get(f"/api/v1/requests/{theirs}").status_code == 200


def test_closing_takes_an_option_and_an_outcome(practitioner_api):
    pk = practitioner_api.post("/api/v1/requests", LOG).json()["id"]
    response = practitioner_api.post(f"/api/v1/requests/{pk}/close", {"option": "decline", "outcome": "declined"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed"
    row = ContactRequest.objects.get()
    assert (row.chosen_option, row.outcome, row.status) == ("decline", "declined", "closed")
    again = _problem(practitioner_api.post(f"/api/v1/requests/{pk}/close", {"outcome": "declined"}), 400)
    assert again["errors"] == [{"field": "outcome", "message": "This request is already closed."}]


def test_closing_around_the_policy_is_refused_and_changes_nothing(practitioner_api):
    pk = practitioner_api.post("/api/v1/requests", LOG).json()["id"]
    body = _problem(practitioner_api.post(f"/api/v1/requests/{pk}/close", {"option": "accept", "outcome": "accepted"}), 400)
    assert body["errors"][0]["field"] == "option" and "not allowed" in body["errors"][0]["message"]
    row = ContactRequest.objects.get()
    assert (row.status, row.chosen_option) == ("open", "")
    wrong = _problem(practitioner_api.post(f"/api/v1/requests/{pk}/close", {"option": "decline", "outcome": "accepted"}), 400)
    assert wrong["errors"][0]["field"] == "outcome"
    assert ContactRequest.objects.get().chosen_option == ""  # the choice rolled back with the refused close


def test_policy_in_force_and_its_versions(practitioner_api, agency_a):
    assert practitioner_api.get("/api/v1/policy").json()["number"] is None
    PolicyVersionFactory(agency=agency_a, number=1, published=True, effective_from=dt.date(2026, 1, 5))
    PolicyVersionFactory(agency=agency_a, number=2)  # a draft stays out of the API
    policy = practitioner_api.get("/api/v1/policy").json()
    assert policy["number"] == 1 and policy["schema"] == "boundaries.policy/2"
    assert policy["document"]["schema"] == "boundaries.policy/2"
    versions = practitioner_api.get("/api/v1/policy/versions").json()
    assert [(v["number"], v["state"]) for v in versions["results"]] == [(1, "in force")]
    assert practitioner_api.get("/api/v1/policy/versions/1").json()["effective_from"] == "2026-01-05"
    _problem(practitioner_api.get("/api/v1/policy/versions/2"), 404)


def test_audit_events_come_in_chain_order_with_their_hashes(admin_api, admin):
    events = admin_api.get("/api/v1/audit/events", {"after": 0, "limit": 10}).json()
    first = events["results"][0]
    assert first["sequence"] == 1 and first["prev_hash"] == "0" * 64 and first["action"] == "api.token_created"
    assert first["occurred_at"].endswith(("+00:00", "-05:00", "-04:00")) or "+" in first["occurred_at"]
    assert events["next"] is None
    head = admin_api.get("/api/v1/audit/head").json()
    assert head["sequence"] == events["results"][-1]["sequence"] and head["hash"] == events["results"][-1]["hash"]


def test_an_unknown_address_or_method_is_a_problem_not_html(practitioner_api):
    assert _problem(practitioner_api.get("/api/v1/nowhere"), 404)["status"] == 404
    _problem(practitioner_api.get("/api/v1/evaluate"), 405)
    bad_json = practitioner_api.client.post("/api/v1/evaluate", "{not json", content_type="application/json",
                                            HTTP_AUTHORIZATION=f"Bearer {practitioner_api.secret}")
    _problem(bad_json, 400)


def test_the_schema_is_openapi_3_1_and_the_reference_page_needs_no_cdn(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"] == "3.1.0"
    assert {"/api/v1/evaluate", "/api/v1/requests/{id}/close", "/api/v1/audit/events"} <= set(schema["paths"])
    page = client.get("/api/v1/docs")
    html = page.content.decode()
    assert page.status_code == 200 and "<script>" not in html and "https://" not in html
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_the_schema_generates_without_warnings():
    from django.core.management import call_command
    import io
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO())
