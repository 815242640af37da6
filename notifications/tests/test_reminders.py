"""`send_reminders`: each person's follow-ups, acknowledgements and decisions waiting, once a day."""

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from notifications.models import Delivery, Preference, ReminderSent
from notifications.services import reminders_send
from scenarios import services
from scenarios.models import ContactRequest
from tests.factories import PolicyVersionFactory

from .conftest import CLIENT_REFERENCE


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """The command as cron runs it: each person's mail leaves once their items are written down."""

    def command() -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", stdout=out)
        return out.getvalue()

    return command


@pytest.fixture
def a_day_of_work(log_request, practitioner, supervisor):
    """An overdue follow-up and one due today, a policy to acknowledge and a request awaiting a decision."""
    today = timezone.localdate()
    overdue, due, flagged = log_request(), log_request(), log_request()
    ContactRequest.objects.filter(pk=overdue.pk).update(follow_up_on=today - dt.timedelta(days=3))
    ContactRequest.objects.filter(pk=due.pk).update(follow_up_on=today)
    services.request_choose_option(contact_request=flagged, actor=practitioner.user, option="ignore",
                                   reason="Waiting to see whether it is repeated.")
    # Published after the requests were logged, so their guidance stays the default's.
    version = PolicyVersionFactory(agency=practitioner.agency, number=1, published=True,
                                   published_by=supervisor.user, created_by=supervisor.user)
    overdue.refresh_from_db()
    due.refresh_from_db()
    return {"overdue": overdue, "due": due, "flagged": flagged, "version": version}


def test_it_mails_each_person_what_waits_for_them_and_says_what_it_sent(a_day_of_work, practitioner, supervisor,
                                                                        mailoutbox, run):
    output = run()
    assert f"riverside: sent {practitioner.user.email} 2 follow-ups, 1 acknowledgement" in output
    assert f"riverside: sent {supervisor.user.email} 1 acknowledgement, 1 decision waiting" in output
    assert "2 reminder mails sent." in output
    mails = {message.to[0]: message for message in mailoutbox}
    body = mails[practitioner.user.email].body
    overdue, due = a_day_of_work["overdue"], a_day_of_work["due"]
    day = overdue.follow_up_on
    assert f"Request {overdue.pk}: a follow-up overdue since {day.day} {day:%b %Y}" in body
    assert f"Request {due.pk}: a follow-up due today" in body
    assert "Version 1 of the policy waits for you to read and acknowledge it" in body
    assert f"http://127.0.0.1:8000/requests/{overdue.pk}/" in body
    flagged = a_day_of_work["flagged"]
    assert f"Request {flagged.pk} waits for your decision" in mails[supervisor.user.email].body
    for message in mailoutbox:
        assert CLIENT_REFERENCE not in message.body and "hospital" not in message.body


def test_a_second_run_the_same_day_sends_nothing_new(a_day_of_work, mailoutbox, run):
    run()
    sent, rows = len(mailoutbox), ReminderSent.objects.count()
    output = run()
    assert output.strip() == "Nothing new to send today."
    assert len(mailoutbox) == sent == 2 and ReminderSent.objects.count() == rows == 5


def test_something_new_the_same_day_is_sent_alone(a_day_of_work, log_request, practitioner, mailoutbox, run):
    run()
    newer = log_request()
    ContactRequest.objects.filter(pk=newer.pk).update(follow_up_on=timezone.localdate())
    output = run()
    assert f"sent {practitioner.user.email} 1 follow-up\n" in output
    assert f"Request {newer.pk}" in mailoutbox[-1].body and "acknowledge" not in mailoutbox[-1].body


def test_the_next_day_it_reminds_again(a_day_of_work, practitioner, mailoutbox, run):
    run()
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert len(reminders_send(membership=practitioner, now=tomorrow)) == 3


def test_nothing_to_say_sends_nothing(practitioner, mailoutbox, run):
    assert run().strip() == "Nothing new to send today."
    assert mailoutbox == []


def test_closed_requests_and_deactivated_staff_get_no_reminders(a_day_of_work, practitioner, supervisor, mailoutbox,
                                                                run):
    ContactRequest.objects.filter(pk__in=[a_day_of_work["overdue"].pk, a_day_of_work["due"].pk]).update(
        status="closed", outcome="declined", closed_at=timezone.now())
    practitioner.is_active = False
    practitioner.save(update_fields=["is_active"])
    run()
    assert [message.to for message in mailoutbox] == [[supervisor.user.email]]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(a_day_of_work, practitioner):
    """Two cron jobs overlapping: each item is written once (the unique day key), so mailed once."""
    mail.outbox = []
    barrier, results = threading.Barrier(2), []

    def send() -> None:
        try:
            barrier.wait()
            results.append(len(reminders_send(membership=practitioner)))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 3]
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.filter(user=practitioner.user).count() == 3


def test_a_supervisor_on_the_daily_digest_finds_the_waiting_request_in_the_reminder(
        log_request, practitioner, supervisor, mailoutbox, run, django_capture_on_commit_callbacks):
    Preference.objects.create(agency=supervisor.agency, user=supervisor.user, waiting_delivery=Delivery.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        flagged = log_request()
        services.request_choose_option(contact_request=flagged, actor=practitioner.user, option="ignore",
                                       reason="Waiting to see whether it is repeated.")
    assert mailoutbox == []
    assert f"sent {supervisor.user.email} 1 decision waiting" in run()
    assert f"Request {flagged.pk} waits for your decision" in mailoutbox[0].body
