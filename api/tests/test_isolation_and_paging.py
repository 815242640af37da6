"""Another agency's ids are 404s everywhere; lists never show them; the audit trail pages flat."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from audit.hashing import event_hash
from audit.keys import signing_key
from audit.models import AuditChainHead, AuditEvent
from scenarios.models import ContactRequest
from tests.factories import MembershipFactory, PolicyVersionFactory

from .conftest import make_api

pytestmark = pytest.mark.django_db

LOG = {"kind": "friend_request", "platform": "facebook", "relationship": "current_client",
       "received_at": "2026-03-02T10:00:00-05:00", "client_reference": "AB12"}


@pytest.fixture
def other_agency(agency_b, outsider):
    """Agency B with a request, a published version 7 and audit events of its own."""
    their_practitioner = make_api(MembershipFactory(agency=agency_b, role=Role.PRACTITIONER))
    request_id = their_practitioner.post("/api/v1/requests", LOG).json()["id"]
    PolicyVersionFactory(agency=agency_b, number=7, published=True)
    return {"request": request_id, "version": 7}


def _not_found(response):
    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert b"AB12" not in response.content


def test_another_agencys_ids_are_not_found(supervisor_api, practitioner_api, admin_api, other_agency):
    pk, number = other_agency["request"], other_agency["version"]
    _not_found(supervisor_api.get(f"/api/v1/requests/{pk}"))
    _not_found(practitioner_api.post(f"/api/v1/requests/{pk}/close", {"option": "decline", "outcome": "declined"}))
    _not_found(supervisor_api.get(f"/api/v1/policy/versions/{number}"))
    _not_found(practitioner_api.post(f"/api/v1/evaluate?version={number}", {"facts": {}}))
    assert ContactRequest.objects.get(pk=pk).status == "open"


def test_lists_heads_and_the_policy_show_only_the_callers_agency(supervisor_api, admin_api, admin, other_agency):
    assert supervisor_api.get("/api/v1/requests").json()["results"] == []
    assert supervisor_api.get("/api/v1/policy/versions").json()["results"] == []
    assert supervisor_api.get("/api/v1/policy").json()["number"] is None
    ours = AuditEvent.objects.filter(agency=admin.agency).order_by("sequence")
    events = admin_api.get("/api/v1/audit/events", {"limit": 1000}).json()["results"]
    assert [e["hash"] for e in events] == [e.hash for e in ours]
    assert admin_api.get("/api/v1/audit/head").json()["hash"] == ours.last().hash


def _append_events(agency, actor, count: int) -> None:
    """`count` valid events at the end of the agency's chain, written in bulk (record() is one at a time)."""
    key = signing_key()
    head, _ = AuditChainHead.objects.get_or_create(agency=agency)
    sequence, previous = head.sequence, head.hash
    start = timezone.now()
    rows = []
    for n in range(count):
        fields = dict(agency_id=agency.pk, sequence=sequence + 1, occurred_at=start + dt.timedelta(microseconds=n),
                      actor_id=actor.pk, action="request.viewed", target_type="", target_id="",
                      data={"status": "open"}, prev_hash=previous)
        digest = event_hash(key=key.secret, key_id=key.id, **fields)
        rows.append(AuditEvent(**fields, hash=digest, key_id=key.id))
        sequence, previous = sequence + 1, digest
    AuditEvent.objects.bulk_create(rows, batch_size=2000)
    head.sequence, head.hash, head.occurred_at = sequence, previous, rows[-1].occurred_at
    head.save()


def test_a_collector_pulls_ten_thousand_events_by_cursor_and_verifies_the_chain(admin_api, admin,
                                                                                django_assert_max_num_queries):
    _append_events(admin.agency, admin.user, 10_000)
    head = admin_api.get("/api/v1/audit/head").json()
    url, held, previous, pages = "/api/v1/audit/events?after=0&limit=1000", 0, "0" * 64, 0
    while url:
        with django_assert_max_num_queries(5):  # the same few queries on the first page and the last
            page = admin_api.get(url).json()
        pages += 1
        for event in page["results"]:
            assert event["sequence"] == held + 1 and event["prev_hash"] == previous
            held, previous = event["sequence"], event["hash"]
        url = page["next"]
    assert held == head["sequence"] == 10_001 and previous == head["hash"]
    assert pages == 11


@pytest.mark.parametrize("rows", [2, 20])
def test_query_counts_do_not_grow_with_rows(rows, supervisor, supervisor_api, django_assert_num_queries):
    # Token + membership lookups (2), the last-use stamp (1, once a minute), then the endpoint's own.
    supervisor_api.get("/api/v1/policy")  # stamps last use, so every count below is steady
    for day in range(rows):
        ContactRequest.objects.create(agency=supervisor.agency, practitioner=supervisor.user, kind="friend_request",
                                      medium="facebook", relationship="current_client",
                                      received_at=timezone.now() - dt.timedelta(hours=day + 1))
    pk = ContactRequest.objects.first().pk
    PolicyVersionFactory(agency=supervisor.agency, number=1, published=True)
    expected = {
        "/api/v1/requests": 3,
        f"/api/v1/requests/{pk}": 3,
        "/api/v1/policy": 3,
        "/api/v1/policy/versions": 3,
        "/api/v1/policy/versions/1": 3,
    }
    for url, count in expected.items():
        with django_assert_num_queries(count):
            assert supervisor_api.get(url).status_code == 200


def test_audit_and_evaluate_query_counts(admin_api, django_assert_num_queries):
    admin_api.get("/api/v1/audit/head")
    with django_assert_num_queries(3):
        admin_api.get("/api/v1/audit/events")
    with django_assert_num_queries(3):
        admin_api.get("/api/v1/audit/head")
    with django_assert_num_queries(3):
        facts = {"kind": "friend_request", "platform": "facebook", "relationship": "current_client",
                 "received_at": "2026-03-02T10:00:00"}
        assert admin_api.post("/api/v1/evaluate", {"facts": facts}).status_code == 200
