"""Each agency's own time zone decides its working hours, its "today" and its date filters.

Two agencies far apart see the same instant differently. The "today" tests run on the real clock
(views read it themselves), so they use Pacific/Kiritimati (UTC+14) and Pacific/Pago_Pago (UTC-11):
25 hours apart, their calendars never show the same date.
"""

import datetime as dt
import io
import json
import zoneinfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency, Membership, Role
from audit.models import AuditAction
from audit.services import record
from policies.models import PolicyVersion
from scenarios import services
from scenarios.models import ContactRequest
from tests.factories import MembershipFactory, PolicyVersionFactory

UTC = dt.timezone.utc
AHEAD, BEHIND = "Pacific/Kiritimati", "Pacific/Pago_Pago"


def in_zone(*agencies_and_zones) -> None:
    for agency, zone in agencies_and_zones:
        Agency.objects.filter(pk=agency.pk).update(time_zone=zone)
        agency.refresh_from_db()


def today_in(zone: str) -> dt.date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(zone))


def work_in(client: Client, agency: Agency) -> None:
    assert client.post(reverse("agency_switch"), {"agency": agency.pk}).status_code == 302


@pytest.fixture
def log_request():
    """Log a request through the service, judged in its agency's zone as a page would judge it."""

    def log(membership, **changes):
        facts = dict(kind="friend_request", medium="facebook", relationship="client_family",
                     client_status="current", client_reference="RB-1042", context="",
                     received_at=dt.datetime(2026, 3, 10, 14, 30, tzinfo=UTC))
        facts.update(changes)
        with timezone.override(membership.agency.zone):
            return services.request_log(agency=membership.agency, practitioner=membership.user, **facts)

    return log


def text_from_a_client(client_reference: str, received_at: str) -> dict:
    return {"kind": "text_message", "medium": "work_text", "received_at": received_at,
            "relationship": "current_client", "client_status": "current", "client_reference": client_reference,
            "context": ""}


def test_the_same_instant_is_inside_working_hours_in_new_york_and_outside_in_honolulu(
        client_for, practitioner, pat_at_both, agency_a, agency_b):
    """Pat works at both. A text arrives on Tuesday 10 March 2026 at 14:30 UTC: 10:30 in New York,
    04:30 in Honolulu. Pat types each agency's own wall-clock time; both record the same instant."""
    in_zone((agency_a, "America/New_York"), (agency_b, "Pacific/Honolulu"))
    client = client_for(practitioner)
    form = client.get(reverse("scenarios:log")).content.decode()
    assert "Your agency's local date and time (America/New_York)" in form
    client.post(reverse("scenarios:log"), text_from_a_client("NY-1", "2026-03-10T10:30"))
    work_in(client, agency_b)
    assert "local date and time (Pacific/Honolulu)" in client.get(reverse("scenarios:log")).content.decode()
    client.post(reverse("scenarios:log"), text_from_a_client("HI-1", "2026-03-10T04:30"))

    new_york, honolulu = (ContactRequest.objects.get(client_reference=ref) for ref in ("NY-1", "HI-1"))
    instant = dt.datetime(2026, 3, 10, 14, 30, tzinfo=UTC)
    assert new_york.received_at == honolulu.received_at == instant
    assert (new_york.outside_working_hours, honolulu.outside_working_hours) == (False, True)
    honolulu_page = client.get(reverse("scenarios:detail", args=[honolulu.pk])).content.decode()
    assert "received 10 Mar 2026, 04:30" in honolulu_page and "Outside working hours" in honolulu_page
    work_in(client, agency_a)
    new_york_page = client.get(reverse("scenarios:detail", args=[new_york.pk])).content.decode()
    assert "received 10 Mar 2026, 10:30" in new_york_page
    assert "Outside working hours" not in new_york_page


def test_today_is_each_agencys_own_day_for_follow_ups(client_for, practitioner, pat_at_both, agency_a, agency_b,
                                                     log_request):
    """The same follow-up date, at the same moment: due today at one agency, overdue at the other."""
    in_zone((agency_a, AHEAD), (agency_b, BEHIND))
    due = today_in(BEHIND)
    for membership in (practitioner, pat_at_both):
        contact_request = log_request(membership)
        ContactRequest.objects.filter(pk=contact_request.pk).update(follow_up_on=due)
    client = client_for(practitioner)
    ahead = client.get(reverse("scenarios:list")).content.decode()
    work_in(client, agency_b)
    behind = client.get(reverse("scenarios:list")).content.decode()
    assert 'badge text-bg-danger">Overdue' in ahead and 'badge text-bg-warning">Today' not in ahead
    assert 'badge text-bg-warning">Today' in behind and "Overdue" not in behind


def test_a_policy_taking_effect_today_is_in_force_only_where_today_has_come(client_for, agency_a, agency_b):
    in_zone((agency_a, AHEAD), (agency_b, BEHIND))
    starts = today_in(AHEAD)
    pages = []
    for agency in (agency_a, agency_b):
        PolicyVersionFactory(agency=agency, number=1, published=True, effective_from=starts)
        member = MembershipFactory(agency=agency, role=Role.PRACTITIONER)
        pages.append(client_for(member).get(reverse("home")).content.decode())
    ahead, behind = pages
    assert "Version 1 of the agency's social-media and contact policy is in force" in ahead
    assert f"takes effect on {starts.day} {starts:%b} {starts.year}" in behind


def test_the_review_dates_are_the_agencys_local_days(client_for, agency_a, agency_b, log_request):
    """06:00 UTC on 11 March is 02:00 that day in New York and still 20:00 on 10 March in Honolulu."""
    in_zone((agency_a, "America/New_York"), (agency_b, "Pacific/Honolulu"))
    instant = dt.datetime(2026, 3, 11, 6, 0, tzinfo=UTC)
    rows = {}
    for agency in (agency_a, agency_b):
        practitioner = MembershipFactory(agency=agency, role=Role.PRACTITIONER)
        supervisor = MembershipFactory(agency=agency, role=Role.SUPERVISOR)
        logged = log_request(practitioner, received_at=instant)
        client = client_for(supervisor)
        rows[agency.slug] = {
            query: [row.pk for row in client.get(reverse("scenarios:review") + query).context["page"].object_list]
            for query in ("?received_from=2026-03-11", "?received_to=2026-03-10")
        }
        rows[agency.slug]["logged"] = logged.pk
    ny, hi = rows["riverside"], rows["hilltop"]
    assert ny["?received_from=2026-03-11"] == [ny["logged"]] and ny["?received_to=2026-03-10"] == []
    assert hi["?received_from=2026-03-11"] == [] and hi["?received_to=2026-03-10"] == [hi["logged"]]


def test_the_audit_trail_dates_are_the_agencys_local_days(client_for, agency_a, agency_b):
    in_zone((agency_a, AHEAD), (agency_b, BEHIND))
    since = f"?since={today_in(AHEAD).isoformat()}"
    shown = []
    for agency in (agency_a, agency_b):
        admin = MembershipFactory(agency=agency, role=Role.ADMIN)
        event = record(agency=agency, actor=admin.user, action=AuditAction.STAFF_ADDED)
        page = client_for(admin).get(reverse("audit:event_list") + since).context["page"]
        shown.append(event in page.events)
    assert shown == [True, False], "what happened just now is on today's page ahead, on yesterday's behind"


def test_each_request_runs_in_its_agencys_zone_and_leaves_the_sites_zone_behind(client_for, admin, agency_a):
    in_zone((agency_a, "Pacific/Honolulu"))
    client = client_for(admin)
    assert "in Pacific/Honolulu." in client.get(reverse("accounts:agency_settings")).content.decode()
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
    Membership.objects.filter(pk=admin.pk).update(is_active=False)
    client.get(reverse("home"))
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


# Commands acting for an agency judge dates in its zone too -------------------------------------


def test_audit_export_reads_its_days_in_the_agencys_zone(settings, agency_a):
    settings.TIME_ZONE = AHEAD
    in_zone((agency_a, BEHIND))
    record(agency=agency_a, action=AuditAction.SIGN_IN)
    out = io.StringIO()
    call_command("audit_export", "--agency", "riverside", "--format", "jsonl", "--until",
                 today_in(BEHIND).isoformat(), stdout=out)
    actions = [json.loads(line).get("action") for line in out.getvalue().splitlines()]
    assert "auth.sign_in" in actions, "just now is still today in Pago Pago, though tomorrow in the site's zone"


def test_policy_export_takes_the_version_in_force_on_the_agencys_today(settings, agency_a):
    settings.TIME_ZONE = BEHIND
    in_zone((agency_a, AHEAD))
    PolicyVersionFactory(agency=agency_a, number=1, published=True, effective_from=today_in(AHEAD))
    out = io.StringIO()
    call_command("policy_export", "--agency", "riverside", stdout=out)
    assert json.loads(out.getvalue())["schema"].startswith("boundaries.policy/")


def test_seed_demo_gives_each_agency_its_own_zone_and_judges_riverside_in_its_own(settings, db):
    settings.TIME_ZONE = AHEAD
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    zones = dict(Agency.objects.values_list("slug", "time_zone"))
    assert zones == {"riverside": "America/New_York", "hilltop": "America/Chicago"}
    assert "(America/Chicago time)" in out.getvalue()
    riverside = Agency.objects.get(slug="riverside")
    version = PolicyVersion.objects.for_agency(riverside).released().get()
    assert version.effective_from == today_in("America/New_York") - dt.timedelta(days=365)
    local_days = {timezone.localtime(row.received_at, riverside.zone).date()
                  for row in ContactRequest.objects.for_agency(riverside).not_closed()}
    assert local_days == {today_in("America/New_York")}
    # The year of closed requests arrived at half past ten, Riverside's time.
    assert {timezone.localtime(row.received_at, riverside.zone).time()
            for row in ContactRequest.objects.for_agency(riverside).closed()} == {dt.time(10, 30)}
    Agency.objects.filter(slug="hilltop").update(time_zone="Europe/Madrid")
    call_command("seed_demo", stdout=io.StringIO())
    assert Agency.objects.get(slug="hilltop").time_zone == "Europe/Madrid", "an admin's choice survives a re-seed"
