"""Whatever is typed into the two-factor forms: no 500, no traceback, and nothing half-written."""

from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings, strategies as st

from accounts.models import Agency, User
from accounts.views import SETUP_KEY
from audit.models import AuditEvent
from tests.factories import PASSWORD

from .conftest import code_for

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TEXT = st.text(max_size=40)


def counts() -> tuple:
    return (TOTPDevice.objects.count(), StaticDevice.objects.count(), StaticToken.objects.count(),
            User.objects.filter(two_factor_enabled=True).count(), Agency.objects.filter(require_two_factor=True).count(),
            AuditEvent.objects.count())


def _checked(response, before: tuple) -> None:
    assert response.status_code in (200, 302, 400, 429)
    assert b"Traceback" not in response.content
    assert counts()[:5] == before[:5], "a refused entry changes no device, code, flag or setting"


@SETTINGS
@given(typed=TEXT)
def test_any_text_at_set_up(client_for, practitioner, typed):
    client = client_for(practitioner)
    client.get(reverse("two_factor_setup"))
    if typed.strip() == code_for(client.session[SETUP_KEY]):
        return
    before = counts()
    response = client.post(reverse("two_factor_setup"), {"code": typed})
    _checked(response, before)
    if "\x00" in typed:
        assert "Null characters are not allowed." in response.content.decode()


@SETTINGS
@given(typed=TEXT)
def test_any_text_at_the_code_step(practitioner, enrol, typed):
    if not TOTPDevice.objects.exists():
        enrol(practitioner)
    # Start each example fresh: no lockout and no back-off left by the previous ones.
    AccessAttempt.objects.all().delete()
    for model in (TOTPDevice, StaticDevice):
        model.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    client = Client()
    client.post(reverse("login"), {"username": "pat@riverside.example", "password": PASSWORD})
    before = counts()
    response = client.post(reverse("sign_in_code"), {"code": typed})
    _checked(response, before)
    assert response.status_code == 400, "refused next to the field"
    assert "_auth_user_id" not in client.session


@SETTINGS
@given(typed=TEXT)
def test_any_text_as_the_password_to_turn_it_off(client_for, practitioner, enrol, typed):
    if not TOTPDevice.objects.exists():
        enrol(practitioner)
    client = client_for(practitioner)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get().persistent_id
    session.save()
    if typed == PASSWORD:
        return
    before = counts()
    _checked(client.post(reverse("two_factor_disable"), {"password": typed}), before)


@SETTINGS
@given(value=TEXT)
def test_any_value_for_the_agency_rule(client_for, admin, value):
    before = counts()
    response = client_for(admin).post(reverse("accounts:agency_security"), {"require_two_factor": value})
    assert response.status_code in (200, 302, 400) and b"Traceback" not in response.content
    assert counts()[:5] == before[:5], "an admin without two-factor can never switch the rule on"
