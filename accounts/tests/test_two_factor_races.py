"""One code, two sign-ins at the same moment (PostgreSQL, real threads): only one gets in.

Both requests are held just before checking the code (see test_races._hold_both_at): without the
device's row lock both would check it before either used it up.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

from .conftest import code_for
from .test_races import _hold_both_at

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def _both_at_the_code_step(email: str) -> list[Client]:
    clients = [Client(REMOTE_ADDR=f"10.0.0.{n}") for n in (1, 2)]
    for client in clients:
        response = client.post(reverse("login"), {"username": email, "password": PASSWORD})
        assert response["Location"] == reverse("sign_in_code")
    return clients


def _at_once(clients: list[Client], code: str) -> list[int]:
    barrier, statuses, failures = threading.Barrier(len(clients), timeout=5), [], []

    def run(client):
        try:
            barrier.wait()
            statuses.append(client.post(reverse("sign_in_code"), {"code": code}).status_code)
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return sorted(statuses)


def test_one_recovery_code_used_twice_at_once_lets_in_one(practitioner, enrol):
    _, codes = enrol(practitioner)
    clients = _both_at_the_code_step("pat@riverside.example")
    with _hold_both_at(StaticDevice, "verify_token"):
        assert _at_once(clients, codes[0]) == [302, 400]
    assert sum("_auth_user_id" in client.session for client in clients) == 1
    assert StaticToken.objects.count() == 9


def test_one_app_code_used_twice_at_once_lets_in_one(practitioner, enrol):
    key, _ = enrol(practitioner)
    clients = _both_at_the_code_step("pat@riverside.example")
    with _hold_both_at(TOTPDevice, "verify_token"):
        assert _at_once(clients, code_for(key, steps_ahead=1)) == [302, 400]
    assert sum("_auth_user_id" in client.session for client in clients) == 1
