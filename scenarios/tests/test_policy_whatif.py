"""The policy what-if: past requests judged again under a draft, compared with the version that judged them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from policies.document import STARTER_TEMPLATES
from policies.document.vocabulary import Decision, PlatformGroup, Relationship
from policies.models import PolicyVersion
from scenarios import whatif
from scenarios.engine.vocabulary import Option, Verdict
from scenarios.models import ContactRequest
from scenarios.tests.factories import ContactRequestFactory
from tests.factories import MembershipFactory, PolicyVersionFactory

TEMPLATE = STARTER_TEMPLATES["early_intervention"].policy
# The draft asks first before colleagues connect on personal networks (stricter) and lets
# community members connect on professional networks (looser).
CHANGES = {(Relationship.COLLEAGUE, PlatformGroup.PERSONAL_NETWORKS): Decision.NEEDS_APPROVAL,
           (Relationship.COMMUNITY_MEMBER, PlatformGroup.PROFESSIONAL_NETWORKS): Decision.ALLOWED}
DRAFT_POLICY = dataclasses.replace(TEMPLATE, connection_rules=tuple(
    dataclasses.replace(rule, decision=CHANGES.get((rule.relationship, rule.scope), rule.decision))
    for rule in TEMPLATE.connection_rules))

COLLEAGUE_FACEBOOK = dict(kind="friend_request", medium="facebook", relationship="colleague", client_status="")
COMMUNITY_LINKEDIN = dict(kind="connection_request", medium="linkedin", relationship="community_member",
                          client_status="")
CLIENT_FACEBOOK = dict(kind="friend_request", medium="facebook", relationship="current_client",
                       client_status="current")
COMMUNITY_ACCIDENTAL = dict(kind="accidental_connection", medium="linkedin", relationship="community_member",
                            client_status="")


@pytest.fixture
def published(agency_a):
    return PolicyVersionFactory(agency=agency_a, number=1, published=True, effective_from=dt.date(2024, 1, 1))


@pytest.fixture
def draft(agency_a, published):
    version = PolicyVersion(agency=agency_a, number=2, based_on="version:1")
    version.policy = DRAFT_POLICY
    version.save()
    return version


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def make(membership, facts: dict, days: int, version, **extra) -> ContactRequest:
    return ContactRequestFactory(membership=membership, received_at=days_ago(days), policy_version=version,
                                 **facts, **extra)


@pytest.fixture
def history(practitioner, published, outsider):
    """Five requests in the last year and one older, judged by version 1 or by the default; one elsewhere."""
    return {
        "colleague": make(practitioner, COLLEAGUE_FACEBOOK, 10, published),  # accept: allowed -> approval
        "community": make(practitioner, COMMUNITY_LINKEDIN, 20, published),  # accept: approval -> allowed
        "client": make(practitioner, CLIENT_FACEBOOK, 30, published, client_reference="RB-1042",
                       context="Parent posts hospital updates"),  # unchanged
        "by_default": make(practitioner, COMMUNITY_LINKEDIN, 40, None),  # the default asked for approval too
        "accidental": make(practitioner, COMMUNITY_ACCIDENTAL, 50, published),  # accept and ignore loosen
        "old": make(practitioner, COLLEAGUE_FACEBOOK, 400, published),  # outside 12 months
        "elsewhere": make(outsider, COLLEAGUE_FACEBOOK, 10, None),  # another agency's
    }


def test_it_counts_the_changes_and_their_directions_per_request_and_per_option(history, draft):
    result = whatif.compare(candidate=draft)
    assert (result.requests, result.total.changed, result.total.stricter, result.total.looser) == (5, 4, 1, 3)
    per_option = {option: (tally.changed, tally.stricter, tally.looser) for option, tally in result.per_option.items()}
    assert per_option == {Option.ACCEPT: (4, 1, 3), Option.IGNORE: (1, 0, 1), Option.DISCUSS: (0, 0, 0),
                          Option.DECLINE: (0, 0, 0)}
    assert [(case.request_id, case.option, case.before, case.after, case.direction) for case in result.cases] == [
        (history["colleague"].pk, Option.ACCEPT, Verdict.ALLOWED, Verdict.NEEDS_APPROVAL, "stricter"),
        (history["community"].pk, Option.ACCEPT, Verdict.NEEDS_APPROVAL, Verdict.ALLOWED, "looser"),
        (history["by_default"].pk, Option.ACCEPT, Verdict.NEEDS_APPROVAL, Verdict.ALLOWED, "looser"),
        (history["accidental"].pk, Option.ACCEPT, Verdict.NEEDS_APPROVAL, Verdict.ALLOWED, "looser"),
        (history["accidental"].pk, Option.IGNORE, Verdict.NEEDS_APPROVAL, Verdict.ALLOWED, "looser"),
    ]


def test_a_longer_period_takes_in_older_requests(history, draft):
    result = whatif.compare(candidate=draft, months=24)
    assert (result.requests, result.total.changed, result.total.stricter) == (6, 5, 2)
    assert result.cases[-1].request_id == history["old"].pk


def test_the_version_that_judged_them_changes_nothing(history, published):
    result = whatif.compare(candidate=published)
    assert (result.requests, result.total.changed, result.cases) == (5, 0, [])


def test_the_verdict_order_runs_from_allowed_to_not_allowed():
    assert whatif.direction(Verdict.ALLOWED, Verdict.NEEDS_APPROVAL) == "stricter"
    assert whatif.direction(Verdict.NEEDS_APPROVAL, Verdict.NOT_ALLOWED) == "stricter"
    assert whatif.direction(Verdict.NOT_ALLOWED, Verdict.ALLOWED) == "looser"


def test_nothing_stored_changes(history, draft):
    columns = ("pk", "policy_version_id", "guidance", "recommended", "status", "updated_at")
    before = list(ContactRequest.objects.order_by("pk").values_list(*columns))
    whatif.compare(candidate=draft, months=24)
    assert list(ContactRequest.objects.order_by("pk").values_list(*columns)) == before


def test_it_streams_the_facts_in_a_fixed_number_of_queries(history, draft, django_assert_num_queries):
    # The versions that judged the period's requests, then the facts, however small the chunks.
    with django_assert_num_queries(2):
        result = whatif.compare(candidate=draft, chunk_size=2)
    assert result.requests == 5


def test_it_keeps_only_the_cases_asked_for_and_counts_them_all(history, draft):
    result = whatif.compare(candidate=draft, keep=slice(3, 5))
    assert result.cases_total == 5
    assert [(case.request_id, case.option) for case in result.cases] == [
        (history["accidental"].pk, Option.ACCEPT), (history["accidental"].pk, Option.IGNORE)]


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
    (dt.date(2026, 1, 15), 12, dt.date(2025, 1, 15)),
    (dt.date(2024, 2, 29), 12, dt.date(2023, 2, 28)),
])
def test_months_before_keeps_the_day_or_the_end_of_a_shorter_month(day, months, expected):
    assert whatif.months_before(day, months) == expected


# The command.

def run(*args: str) -> dict:
    out = StringIO()
    call_command("policy_whatif", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_the_counts_and_cases_as_json(history, draft):
    assert run("--agency", "riverside") == {
        "requests": 5, "changed": 4, "stricter": 1, "looser": 3,
        "cases": [
            {"request": history["colleague"].pk, "option": "accept", "from": "allowed", "to": "needs_approval"},
            {"request": history["community"].pk, "option": "accept", "from": "needs_approval", "to": "allowed"},
            {"request": history["by_default"].pk, "option": "accept", "from": "needs_approval", "to": "allowed"},
            {"request": history["accidental"].pk, "option": "accept", "from": "needs_approval", "to": "allowed"},
            {"request": history["accidental"].pk, "option": "ignore", "from": "needs_approval", "to": "allowed"},
        ],
    }


def test_the_command_compares_a_named_version_over_a_chosen_period(history, draft):
    assert run("--agency", "riverside", "--version", "1", "--months", "24") == {
        "requests": 6, "changed": 0, "stricter": 0, "looser": 0, "cases": []}
    assert run("--agency", "riverside", "--version", "2", "--months", "24")["changed"] == 5


@pytest.mark.parametrize(("args", "message"), [
    (("--agency", "riverside"), "Riverside Early Intervention has no draft to compare"),
    (("--agency", "nowhere"), "No agency has the slug 'nowhere'."),
    (("--agency", "riverside", "--version", "9"), "Riverside Early Intervention has no policy version 9."),
    (("--agency", "riverside", "--months", "0"), "--months must be a whole number from 1 to 120, not '0'."),
    (("--agency", "riverside", "--months", "twelve"), "--months must be a whole number from 1 to 120"),
])
def test_the_command_says_clearly_what_is_wrong(history, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(".", r"\.")):
        call_command("policy_whatif", *args, stdout=StringIO())


def test_the_command_does_not_reach_another_agencys_draft(history, draft, agency_b):
    with pytest.raises(CommandError, match="Hilltop Family Services has no draft"):
        call_command("policy_whatif", "--agency", "hilltop", stdout=StringIO())


# The page.

def whatif_url(version, **query) -> str:
    url = reverse("scenarios:whatif", kwargs={"number": version.number})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def test_the_draft_page_loads_the_whatif_in_place_with_a_link_without_javascript(client_for, supervisor, draft):
    body = client_for(supervisor).get(reverse("policies:detail", kwargs={"number": 2})).content.decode()
    url = reverse("scenarios:whatif", kwargs={"number": 2})
    assert f'hx-get="{url}" hx-trigger="load"' in body and f'<a href="{url}">' in body


def test_admins_see_the_draft_without_the_whatif(client_for, admin, draft):
    body = client_for(admin).get(reverse("policies:detail", kwargs={"number": 2})).content.decode()
    assert "whatif" not in body.replace("what-if", "")
    assert client_for(admin).get(whatif_url(draft)).status_code == 403


def test_a_supervisor_sees_the_counts_and_the_changed_cases_without_client_details(client_for, supervisor, history,
                                                                                 draft):
    response = client_for(supervisor).get(whatif_url(draft))
    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Of 5 requests received since" in body and "<strong>4</strong> would be judged differently" in body
    assert "1 more strictly and 3 more loosely" in body
    assert '<tr><th scope="row">Accept</th><td>4</td><td>1</td><td>3</td></tr>' in body
    assert '<tr><th scope="row">Ignore</th><td>1</td><td>0</td><td>1</td></tr>' in body
    detail = reverse("scenarios:detail", kwargs={"pk": history["colleague"].pk})
    assert f'<a href="{detail}">Request {history["colleague"].pk}</a>' in body
    assert "Colleague" in body and "Facebook" in body and "Needs supervisor approval" in body
    assert "RB-1042" not in body and "hospital" not in body
    assert f"Request {history['client'].pk}<" not in body and f"Request {history['elsewhere'].pk}<" not in body


def test_in_place_it_answers_the_panel_only(client_for, supervisor, history, draft):
    body = client_for(supervisor).get(whatif_url(draft), HTTP_HX_REQUEST="true").content.decode()
    assert body.lstrip().startswith('<div id="whatif-panel">') and "<html" not in body


@pytest.mark.parametrize(("typed", "message"), [
    ("0", "Give at least 1 month."),
    ("121", "Give at most 120 months (ten years)."),
    ("twelve", "Give a whole number of months, such as 12."),
    ("", "Give a number of months, such as 12."),
    ("1%00", "Give a whole number of months, such as 12."),
])
def test_a_bad_period_is_a_message_by_the_field_and_keeps_what_was_typed(client_for, supervisor, history, draft,
                                                                         typed, message):
    client = client_for(supervisor)
    response = client.get(whatif_url(draft, months=typed))
    body = response.content.decode()
    assert response.status_code == 400 and message in body and 'id="id_months"' in body
    field = body.split('id="id_months"')[0].rsplit("<input", 1)[1]
    assert "is-invalid" in field
    if typed and typed != "1%00":
        assert f'value="{typed}"' in body
    assert client.get(whatif_url(draft, months=typed), HTTP_HX_REQUEST="true").status_code == 422


def test_the_empty_states(client_for, supervisor, practitioner, published, draft):
    client = client_for(supervisor)
    assert "No requests were received in this period" in client.get(whatif_url(draft)).content.decode()
    make(practitioner, CLIENT_FACEBOOK, 5, published)
    assert "No change: all 1 request received since" in client.get(whatif_url(draft)).content.decode()


def test_the_changes_are_paged(client_for, supervisor, practitioner, published, draft):
    for day in range(1, 26):
        make(practitioner, COLLEAGUE_FACEBOOK, day, published)
    client = client_for(supervisor)
    first = client.get(whatif_url(draft)).content.decode()
    assert first.count('<a href="/requests/') == 20 and "Page 1 of 2" in first
    second = client.get(whatif_url(draft, months=12, page=2)).content.decode()
    assert second.count('<a href="/requests/') == 5 and "Page 2 of 2" in second
    beyond = client.get(whatif_url(draft, months=12, page=99)).content.decode()
    assert "Page 2 of 2" in beyond


def test_another_agencys_draft_is_not_found(client_for, history, draft, agency_b):
    PolicyVersionFactory(agency=agency_b, number=7)
    elsewhere = MembershipFactory(agency=agency_b, role=Role.SUPERVISOR)
    assert client_for(elsewhere).get(whatif_url(draft)).status_code == 404


def test_practitioners_may_not_see_it(client_for, practitioner, draft):
    assert client_for(practitioner).get(whatif_url(draft)).status_code == 403


@pytest.mark.parametrize("count", [3, 30])
def test_the_draft_page_and_its_whatif_take_the_same_queries_for_3_and_30_requests(
        client_for, supervisor, practitioner, published, draft, count, django_assert_num_queries):
    for day in range(count):
        make(practitioner, COLLEAGUE_FACEBOOK if day % 2 else CLIENT_FACEBOOK, day + 1, published)
    client = client_for(supervisor)
    # Session, user, membership, the version: the what-if comes separately, so requests add nothing.
    with django_assert_num_queries(4):
        assert client.get(reverse("policies:detail", kwargs={"number": 2})).status_code == 200
    # The same, then the versions that judged the requests and the facts, streamed.
    with django_assert_num_queries(6):
        response = client.get(whatif_url(draft))
    assert response.status_code == 200 and f"Of {count} requests" in response.content.decode()
