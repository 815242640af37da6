"""Password-reset mails: at most 3 an hour per address and 10 an hour per client address."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import RateLimit
from tests.factories import MembershipFactory

SENT = "Check your email"


def reset(client, email):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def test_thirty_requests_for_one_address_send_three_mails(client, practitioner):
    responses = [reset(Client(REMOTE_ADDR=f"10.0.{n}.1"), "pat@riverside.example") for n in range(30)]
    assert all(SENT in r.content.decode() for r in responses), "the page never tells the limit from a sent mail"
    assert len(mail.outbox) == 3


def test_the_address_is_counted_whatever_its_capitals(practitioner):
    for n, email in enumerate(["pat@riverside.example", "PAT@riverside.example", " Pat@riverside.example ",
                               "pat@RIVERSIDE.example"]):
        reset(Client(REMOTE_ADDR=f"10.0.{n}.1"), email)
    assert len(mail.outbox) == 3


def test_one_client_address_is_told_to_wait_after_ten_requests(client, agency_a):
    for n in range(10):
        MembershipFactory(agency=agency_a, user__email=f"person{n}@riverside.example")
    for n in range(10):
        assert SENT in reset(client, f"person{n}@riverside.example").content.decode()
    response = client.post(reverse("password_reset"), {"email": "pat@riverside.example"})
    body = response.content.decode()
    assert response.status_code == 429
    assert "many reset requests from your network" in body
    assert 'value="pat@riverside.example"' in body, "the typed email is kept"
    assert len(mail.outbox) == 10
    assert SENT in reset(Client(REMOTE_ADDR="10.9.9.9"), "person0@riverside.example").content.decode()
    assert len(mail.outbox) == 11, "another network is not held up"


def test_unknown_addresses_count_against_the_network_too(client, db):
    for n in range(10):
        reset(client, f"nobody{n}@example.org")
    assert client.post(reverse("password_reset"), {"email": "x@example.org"}).status_code == 429


def test_the_window_is_an_hour(client, practitioner, settings):
    for _ in range(3):
        reset(client, "pat@riverside.example")
    RateLimit.objects.update(window_start=timezone.now() - dt.timedelta(hours=1, seconds=1))
    reset(client, "pat@riverside.example")
    assert len(mail.outbox) == 4
    assert RateLimit.objects.count() == 2, "old windows are dropped, not kept forever"


def test_the_limits_come_from_settings(client, practitioner, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 1
    reset(client, "pat@riverside.example")
    reset(client, "pat@riverside.example")
    assert len(mail.outbox) == 1


def test_no_email_address_is_stored_in_the_counters(client, practitioner):
    reset(client, "pat@riverside.example")
    stored = " ".join(f"{row.scope} {row.key_hash}" for row in RateLimit.objects.all())
    assert "pat" not in stored and "127.0.0.1" not in stored


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_eight_requests_at_once_still_send_three_mails(practitioner):
    barrier, failures, statuses = threading.Barrier(8, timeout=5), [], []

    def run(n):
        try:
            barrier.wait()
            statuses.append(Client(REMOTE_ADDR=f"10.1.{n}.1").post(reverse("password_reset"),
                                                                   {"email": "pat@riverside.example"}).status_code)
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and statuses == [302] * 8
    assert len(mail.outbox) == 3
    assert RateLimit.objects.get(scope="password_reset_address").count == 3
