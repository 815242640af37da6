"""One person, several agencies: the switcher, the session's active agency and the scoping behind it."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditAction, AuditEvent
from boundaries.tenancy import ACTIVE_AGENCY_SESSION_KEY
from scenarios import services as request_services
from tests.factories import PASSWORD, AcknowledgementFactory, AgencyFactory, MembershipFactory, PolicyVersionFactory

SWITCHER = 'id="agency-switch"'


def _log(membership, reference: str):
    return request_services.request_log(
        agency=membership.agency, practitioner=membership.user, client_reference=reference, kind="friend_request",
        medium="facebook", relationship="client_family", client_status="current",
        received_at=timezone.now() - dt.timedelta(hours=2))


def _nav(response) -> str:
    return response.content.decode().split('id="main-nav"')[1].split("</nav>")[0]


def test_someone_in_one_agency_sees_no_switcher(client_for, practitioner):
    assert SWITCHER not in _nav(client_for(practitioner).get(reverse("home")))


def test_someone_in_two_agencies_gets_a_labelled_switcher_in_the_navigation(client_for, practitioner, pat_at_both):
    nav = _nav(client_for(practitioner).get(reverse("home")))
    assert '<label class="text-white small text-nowrap" for="agency-switch">Working in</label>' in nav
    assert f'action="{reverse("agency_switch")}"' in nav and 'method="post"' in nav
    assert f'<option value="{practitioner.agency_id}" selected>Riverside Early Intervention' in nav
    assert f'<option value="{pat_at_both.agency_id}">Hilltop Family Services' in nav
    assert "Switch<span class=\"visually-hidden\"> agency</span></button>" in nav
    assert not re.search(r"\son[a-z]+=", nav) and "<script" not in nav, "no inline script (strict CSP)"


def test_switching_changes_what_every_page_is_scoped_to(client_for, practitioner, pat_at_both):
    at_a, at_b = _log(practitioner, "RB-A1"), _log(pat_at_both, "HB-B1")
    client = client_for(practitioner)
    listing = client.get(reverse("scenarios:list")).content.decode()
    assert "RB-A1" in listing and "HB-B1" not in listing
    assert client.get(reverse("scenarios:detail", args=[at_b.pk])).status_code == 404

    response = client.post(reverse("agency_switch"), {"agency": pat_at_both.agency_id}, follow=True)
    assert "You&#x27;re working in Hilltop Family Services now." in response.content.decode()
    assert client.session[ACTIVE_AGENCY_SESSION_KEY] == pat_at_both.agency_id
    listing = client.get(reverse("scenarios:list")).content.decode()
    assert "HB-B1" in listing and "RB-A1" not in listing
    assert client.get(reverse("scenarios:detail", args=[at_a.pk])).status_code == 404
    assert client.get(reverse("scenarios:detail", args=[at_b.pk])).status_code == 200


def test_switching_is_recorded_on_the_chosen_agencys_trail_without_content(client_for, practitioner, pat_at_both):
    client_for(practitioner).post(reverse("agency_switch"), {"agency": pat_at_both.agency_id})
    event = AuditEvent.objects.get(action=AuditAction.AGENCY_SWITCHED)
    assert (event.agency_id, event.actor_id, event.data) == (pat_at_both.agency_id, practitioner.user_id, {})


def test_the_role_follows_the_active_agency(client_for, practitioner, agency_b):
    MembershipFactory(agency=agency_b, user=practitioner.user, role=Role.ADMIN)
    client = client_for(practitioner)
    assert client.get(reverse("accounts:staff_list")).status_code == 403
    client.post(reverse("agency_switch"), {"agency": agency_b.pk})
    staff = client.get(reverse("accounts:staff_list"))
    assert staff.status_code == 200 and "Staff of Hilltop Family Services" in staff.content.decode()


def test_switching_to_an_agency_that_is_not_yours_changes_nothing(client_for, practitioner, pat_at_both):
    elsewhere = AgencyFactory(slug="elsewhere")
    MembershipFactory(agency=elsewhere)
    client = client_for(practitioner)
    response = client.post(reverse("agency_switch"), {"agency": elsewhere.pk}, follow=True)
    assert "That agency isn&#x27;t one of yours, so nothing changed." in response.content.decode()
    assert ACTIVE_AGENCY_SESSION_KEY not in client.session
    assert "Riverside Early Intervention" in _nav(client.get(reverse("home")))
    assert not AuditEvent.objects.filter(action=AuditAction.AGENCY_SWITCHED).exists()


def test_switching_needs_a_post(client_for, practitioner, pat_at_both):
    assert client_for(practitioner).get(reverse("agency_switch")).status_code == 405


def test_a_session_pointing_to_an_agency_you_left_falls_back_to_your_first(client_for, practitioner, pat_at_both):
    client = client_for(practitioner)
    client.post(reverse("agency_switch"), {"agency": pat_at_both.agency_id})
    pat_at_both.is_active = False  # Hilltop deactivates Pat
    pat_at_both.save()
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Riverside Early Intervention" in _nav(home) and SWITCHER not in _nav(home)
    assert ACTIVE_AGENCY_SESSION_KEY not in client.session
    assert client.get(reverse("accounts:staff_list")).status_code == 403


def test_deactivation_in_one_agency_leaves_the_other_open(client, client_for, admin, practitioner, pat_at_both):
    client_for(admin).post(reverse("accounts:staff_deactivate", args=[practitioner.pk]))
    practitioner.refresh_from_db()
    pat_at_both.refresh_from_db()
    assert (practitioner.is_active, pat_at_both.is_active) == (False, True)
    response = client.post(reverse("login"), {"username": "pat@riverside.example", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    nav = _nav(response)
    assert "Hilltop Family Services" in nav and SWITCHER not in nav
    signed_in = AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=practitioner.user)
    assert list(signed_in.values_list("agency", flat=True)) == [pat_at_both.agency_id]


def test_the_middleware_reads_every_membership_in_one_query(client_for, practitioner, pat_at_both,
                                                           django_assert_num_queries):
    client = client_for(practitioner)
    client.get(reverse("policies:read"))
    # session, user, memberships; the policy in force (one row, its whole document); what awaits acknowledgement
    with django_assert_num_queries(5):
        assert client.get(reverse("policies:read")).status_code == 200


def test_signing_in_is_recorded_on_the_trail_of_each_agency_you_work_in(client, practitioner, pat_at_both):
    client.post(reverse("login"), {"username": "pat@riverside.example", "password": PASSWORD})
    signed_in = AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=practitioner.user)
    assert sorted(signed_in.values_list("agency", flat=True)) == sorted([practitioner.agency_id,
                                                                         pat_at_both.agency_id])


def test_acknowledgements_count_once_per_agency_for_someone_in_two(client_for, supervisor, practitioner,
                                                                   pat_at_both):
    version = PolicyVersionFactory(agency=supervisor.agency, published=True)
    AcknowledgementFactory(version=version, user=practitioner.user)
    listing = client_for(supervisor).get(reverse("policies:list")).content.decode()
    assert "1 of 2 active staff" in listing
    pat_at_both.is_active = False  # deactivated at the other agency: still counts here
    pat_at_both.save()
    assert "1 of 2 active staff" in client_for(supervisor).get(reverse("policies:list")).content.decode()
    practitioner.is_active = False
    practitioner.save()
    assert "0 of 1 active staff" in client_for(supervisor).get(reverse("policies:list")).content.decode()
