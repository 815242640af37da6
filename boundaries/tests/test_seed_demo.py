import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency, Membership, Role, User
from policies.services import policy_in_force
from scenarios import services as request_services
from scenarios.models import ContactRequest


def test_seed_demo_is_idempotent_and_prints_every_login(db):
    first, second = StringIO(), StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)
    assert Agency.objects.count() == 2
    assert User.objects.count() == 6 and Membership.objects.count() == 7
    for email in ["practitioner@riverside.example", "supervisor@riverside.example", "admin@riverside.example",
                  "admin@hilltop.example"]:
        assert email in second.getvalue()
        assert User.objects.get(email=email).check_password("boundaries-demo")
    assert "password: boundaries-demo" in second.getvalue()


def test_pat_works_at_both_demo_agencies_and_sees_the_switcher(db, client):
    call_command("seed_demo", stdout=(out := StringIO()))
    pat = User.objects.get(email="practitioner@riverside.example")
    places = {(m.agency.slug, m.role) for m in pat.memberships.select_related("agency")}
    assert places == {("riverside", Role.PRACTITIONER), ("hilltop", Role.PRACTITIONER)}
    assert "practitioner@riverside.example works at both agencies" in out.getvalue()
    client.post(reverse("login"), {"username": pat.email, "password": "boundaries-demo"})
    body = client.get(reverse("home")).content.decode()
    assert 'id="agency-switch"' in body and "Hilltop Family Services" in body


def test_riverside_policy_judges_everything_logged_for_the_past_year(db):
    call_command("seed_demo", stdout=StringIO())
    riverside = Agency.objects.get(slug="riverside")
    today = timezone.localdate()
    version, _policy = policy_in_force(riverside, on=today - dt.timedelta(days=364))
    assert version is not None and version.effective_from <= today - dt.timedelta(days=364)
    # A newcomer logs a request that came in last month: Riverside's own policy decides it.
    newcomer = Membership.objects.create(agency=riverside, role=Role.PRACTITIONER,
                                         user=User.objects.create_user("nell@riverside.example", "long-pass-123"))
    logged = request_services.request_log(
        agency=riverside, practitioner=newcomer.user, client_reference="RB-1", kind="friend_request",
        medium="facebook", relationship="current_client", client_status="current", context="",
        received_at=timezone.now() - dt.timedelta(days=30))
    assert logged.policy_version == version
    assert all(row.policy_version == version for row in ContactRequest.objects.for_agency(riverside))
