"""Two-factor sign-in: set-up, the code step, recovery codes, turning it off, and the agency's rule."""

import re
import time
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Agency, Role, User
from accounts.views import PENDING_KEY, SETUP_KEY
from audit.models import AuditAction, AuditEvent
from tests.factories import PASSWORD, MembershipFactory

from .conftest import code_for


def password_step(client, email="pat@riverside.example", password=PASSWORD, next_url=""):
    return client.post(reverse("login") + next_url, {"username": email, "password": password})


def code_step(client, code):
    return client.post(reverse("sign_in_code"), {"code": code})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def events(action, **filters) -> list:
    return list(AuditEvent.objects.filter(action=action, **filters).values_list("agency__slug", "data"))


# Setting it up --------------------------------------------------------------------------------


def test_setting_it_up_shows_a_qr_code_and_a_key_then_the_recovery_codes(client_for, pat_at_both):
    client = client_for(pat_at_both)
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "<svg" in page and "QR code for your authenticator app" in page
    key = client.session[SETUP_KEY]
    typed_key = re.search(r'id="totp-key">([A-Z2-7 ]+)<', page).group(1)
    assert len(typed_key.replace(" ", "")) == 32
    response = client.post(reverse("two_factor_setup"), {"code": code_for(key)})
    body = response.content.decode()
    assert "Two-factor sign-in is on" in body
    assert "no-store" in response["Cache-Control"], "the codes are not kept in the browser's cache"
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", body)
    assert len(codes) == 10
    user = User.objects.get(pk=pat_at_both.user.pk)
    assert user.two_factor_enabled
    assert TOTPDevice.objects.get(user=user).confirmed
    assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == sorted(codes)
    assert events(AuditAction.TWO_FACTOR_ENABLED) == [("hilltop", {}), ("riverside", {})]
    assert client.get(reverse("home")).status_code == 200, "this session counts as having passed the code"


def test_a_wrong_code_at_set_up_is_explained_and_changes_nothing(client_for, practitioner):
    client = client_for(practitioner)
    client.get(reverse("two_factor_setup"))
    key = client.session[SETUP_KEY]
    wrong = f"{(int(code_for(key)) + 1) % 1000000:06d}"
    response = client.post(reverse("two_factor_setup"), {"code": wrong})
    assert response.status_code == 400
    assert "That code doesn&#x27;t match" in response.content.decode()
    assert client.session[SETUP_KEY] == key, "the same key stays, so the app needn't be set up again"
    assert not TOTPDevice.objects.exists() and not User.objects.get(pk=practitioner.user.pk).two_factor_enabled
    assert not AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_ENABLED).exists()


# Signing in with a code -----------------------------------------------------------------------


def test_the_password_alone_does_not_sign_in_someone_with_two_factor(client, practitioner, enrol):
    key, _ = enrol(practitioner)
    response = password_step(client)
    assert response.status_code == 302 and response["Location"] == reverse("sign_in_code")
    assert not signed_in(client)
    assert client.get(reverse("home")).status_code == 302
    response = code_step(client, code_for(key, steps_ahead=1))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in(client)
    assert events(AuditAction.SIGN_IN) == [("riverside", {})]
    assert events(AuditAction.TWO_FACTOR_USED) == [("riverside", {"method": "totp"})]


def test_the_code_step_keeps_where_the_person_was_going(client, practitioner, enrol):
    key, _ = enrol(practitioner)
    password_step(client, next_url="?next=/staff/")
    assert code_step(client, code_for(key, steps_ahead=1))["Location"] == "/staff/"


def test_a_code_works_once(practitioner, enrol):
    key, _ = enrol(practitioner)
    code = code_for(key, steps_ahead=1)
    first, second = Client(), Client(REMOTE_ADDR="10.0.0.2")
    password_step(first)
    code_step(first, code)
    password_step(second)
    response = code_step(second, code)
    assert response.status_code == 400 and "That code doesn&#x27;t match" in response.content.decode()
    assert not signed_in(second)


def test_a_recovery_code_works_once_and_says_how_many_are_left(practitioner, enrol):
    _, codes = enrol(practitioner)
    client = Client()
    password_step(client)
    response = client.post(reverse("sign_in_code"), {"code": f" {codes[3].upper()} "}, follow=True)
    assert "You used a recovery code; 9 left." in response.content.decode()
    assert events(AuditAction.TWO_FACTOR_USED) == [("riverside", {"method": "recovery_code",
                                                                   "recovery_codes_left": 9})]
    again = Client(REMOTE_ADDR="10.0.0.2")
    password_step(again)
    assert code_step(again, codes[3]).status_code == 400
    assert not signed_in(again)


def test_wrong_codes_count_towards_the_lockout_with_one_audit_event(client, practitioner, enrol, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the app's own back-off is tested below; here only the lockout
    key, _ = enrol(practitioner)
    password_step(client)
    for n in range(4):
        response = code_step(client, f"{n:06d}")
        assert response.status_code == 400
    response = code_step(client, "000009")
    assert response.status_code == 429 and "Signing in is paused for this email." in response.content.decode()
    response = code_step(client, code_for(key, steps_ahead=1))
    assert response["Location"] == reverse("login"), "the code step is over"
    assert password_step(client).status_code == 429
    assert events(AuditAction.SIGN_IN_FAILED) == [("riverside", {"step": "code"})]
    assert len(events(AuditAction.SIGN_IN_LOCKED)) == 1


def test_wrong_codes_in_a_row_ask_for_a_pause(client, practitioner, enrol, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 10  # a 10-second pause after one wrong code, so no test is too slow
    key, _ = enrol(practitioner)
    password_step(client)
    code_step(client, "000000")
    response = code_step(client, code_for(key, steps_ahead=1))
    assert response.status_code == 400
    assert "please wait" in response.content.decode() and not signed_in(client)


def test_the_code_step_waits_only_five_minutes(client, practitioner, enrol):
    key, _ = enrol(practitioner)
    password_step(client)
    session = client.session
    session[PENDING_KEY] = {**session[PENDING_KEY], "at": int(time.time()) - 301}
    session.save()
    response = code_step(client, code_for(key, steps_ahead=1))
    assert response["Location"] == reverse("login")
    assert not signed_in(client)


def test_the_code_step_needs_the_password_step(client, practitioner, enrol):
    enrol(practitioner)
    assert client.get(reverse("sign_in_code"))["Location"] == reverse("login")


def test_someone_deactivated_between_the_steps_is_not_let_in(client, practitioner, enrol):
    key, _ = enrol(practitioner)
    password_step(client)
    practitioner.is_active = False
    practitioner.save()
    assert code_step(client, code_for(key, steps_ahead=1))["Location"] == reverse("login")
    assert not signed_in(client)


def test_sessions_opened_before_set_up_are_signed_out(client_for, practitioner):
    here, elsewhere = client_for(practitioner), client_for(practitioner)
    here.get(reverse("two_factor_setup"))
    here.post(reverse("two_factor_setup"), {"code": code_for(here.session[SETUP_KEY])})
    response = elsewhere.get(reverse("home"), follow=True)
    assert "please sign in again with a code" in response.content.decode()
    assert not signed_in(elsewhere)
    assert here.get(reverse("home")).status_code == 200


def test_an_authenticator_removed_in_the_django_admin_no_longer_asks_for_a_code(client, practitioner, enrol):
    enrol(practitioner)
    TOTPDevice.objects.all().delete()
    assert password_step(client)["Location"] == reverse("home")
    assert not User.objects.get(pk=practitioner.user.pk).two_factor_enabled
    assert client.get(reverse("home")).status_code == 200


def test_the_django_admin_asks_staff_with_two_factor_for_their_code(client, enrol, agency_a):
    staff = MembershipFactory(agency=agency_a, role=Role.ADMIN, user__email="root@riverside.example",
                              user__is_staff=True, user__is_superuser=True)
    key, _ = enrol(staff)
    response = client.get("/django-admin/", follow=True)
    assert unquote(response.redirect_chain[-1][0]) == "/sign-in/?next=/django-admin/"
    response = password_step(client, email="root@riverside.example", next_url="?next=/django-admin/")
    assert response["Location"] == reverse("sign_in_code")
    assert code_step(client, code_for(key, steps_ahead=1))["Location"] == "/django-admin/"


# Recovery codes and turning it off ------------------------------------------------------------


def test_new_recovery_codes_replace_the_old_ones(client_for, practitioner, enrol):
    _, old = enrol(practitioner)
    client = client_for(practitioner)
    session = client.session  # this session passed the code step, as after a real sign-in
    session["otp_device_id"] = TOTPDevice.objects.get().persistent_id
    session.save()
    body = client.post(reverse("recovery_codes_renew")).content.decode()
    new = re.findall(r"<li>([a-z2-7]{8})</li>", body)
    assert len(new) == 10 and "Your earlier codes no longer work" in body
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == set(new) and not stored & set(old)
    assert events(AuditAction.RECOVERY_CODES_RENEWED) == [("riverside", {})]


def _verified(client) -> Client:
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get().persistent_id
    session.save()
    return client


def test_turning_it_off_needs_the_password(client_for, practitioner, enrol):
    enrol(practitioner)
    client = _verified(client_for(practitioner))
    response = client.post(reverse("two_factor_disable"), {"password": "not-it"})
    assert response.status_code == 400 and "That isn&#x27;t your current password" in response.content.decode()
    assert TOTPDevice.objects.exists()
    response = client.post(reverse("two_factor_disable"), {"password": PASSWORD}, follow=True)
    assert "Two-factor sign-in is off." in response.content.decode()
    assert not TOTPDevice.objects.exists() and not StaticToken.objects.exists()
    assert not User.objects.get(pk=practitioner.user.pk).two_factor_enabled
    assert events(AuditAction.TWO_FACTOR_DISABLED) == [("riverside", {})]


# The agency's rule ----------------------------------------------------------------------------


def test_an_admin_sets_up_their_own_before_requiring_it(client_for, admin):
    response = client_for(admin).post(reverse("accounts:agency_security"), {"require_two_factor": "on"})
    assert response.status_code == 400
    assert "Set up two-factor sign-in for yourself first" in response.content.decode()
    assert not Agency.objects.get(pk=admin.agency_id).require_two_factor
    assert not AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_REQUIREMENT_CHANGED).exists()


def test_when_required_supervisors_set_it_up_before_working_and_practitioners_are_free(
        client_for, admin, supervisor, practitioner, enrol):
    enrol(admin)
    admin_client = _verified(client_for(admin))
    response = admin_client.post(reverse("accounts:agency_security"), {"require_two_factor": "on"}, follow=True)
    assert "Admins and supervisors here must now sign in with a code" in response.content.decode()
    assert events(AuditAction.TWO_FACTOR_REQUIREMENT_CHANGED) == [("riverside", {"required": True})]

    sam = client_for(supervisor)
    for url in [reverse("home"), reverse("scenarios:review"), reverse("policies:list")]:
        assert sam.get(url)["Location"] == reverse("two_factor_setup")
    page = sam.get(reverse("two_factor_setup")).content.decode()
    assert "Riverside Early Intervention asks admins and supervisors to sign in with a code" in page
    sam.post(reverse("two_factor_setup"), {"code": code_for(sam.session[SETUP_KEY])})
    assert sam.get(reverse("home")).status_code == 200

    assert client_for(practitioner).get(reverse("home")).status_code == 200


def test_a_requirement_in_one_agency_leaves_the_other_alone(client_for, practitioner, agency_b, enrol):
    MembershipFactory(agency=agency_b, user=practitioner.user, role=Role.SUPERVISOR)
    Agency.objects.filter(pk=agency_b.pk).update(require_two_factor=True)
    client = client_for(practitioner)
    assert client.get(reverse("home")).status_code == 200, "a practitioner at Riverside"
    client.post(reverse("agency_switch"), {"agency": agency_b.pk})
    assert client.get(reverse("home"))["Location"] == reverse("two_factor_setup"), "a supervisor at Hilltop"


def test_it_cant_be_turned_off_where_it_is_required(client_for, supervisor, enrol):
    enrol(supervisor)
    Agency.objects.filter(pk=supervisor.agency_id).update(require_two_factor=True)
    client = _verified(client_for(supervisor))
    response = client.post(reverse("two_factor_disable"), {"password": PASSWORD})
    assert response.status_code == 400
    assert "Riverside Early Intervention asks you to sign in with a code" in response.content.decode()
    assert TOTPDevice.objects.exists()


@pytest.mark.parametrize("persona", ["practitioner", "supervisor"])
def test_only_admins_change_the_rule(request, client_for, persona):
    membership = request.getfixturevalue(persona)
    response = client_for(membership).post(reverse("accounts:agency_security"), {"require_two_factor": "on"})
    assert response.status_code == 403
    assert not Agency.objects.get(pk=membership.agency_id).require_two_factor


def test_the_security_page_lists_who_has_set_it_up(client_for, admin, supervisor, practitioner, enrol):
    enrol(supervisor)
    body = client_for(admin).get(reverse("accounts:agency_security")).content.decode()
    table = body.split("<tbody>")[1]
    assert "Sam Supervisor" in table and "Alex Admin" in table and "Pat Practitioner" not in table
    assert table.count("Set up</span>") == 1 and table.count("Not yet</span>") == 1
