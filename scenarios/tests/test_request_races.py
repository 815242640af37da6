"""Issue 8, item 8: request races answer with a clear message and keep what was typed, never a 500.

Each test runs two real connections (threads, each with its own test client) on PostgreSQL and
forces the interleaving that broke before: both saves past their checks at once, or a step save
that checked the status while a close held the row.
"""

import threading
import time
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from audit.models import AuditAction
from scenarios import services
from scenarios.models import ContactRequest, RequestStatus, StepRecord

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def run_together(*jobs) -> list:
    """Run each job in its own thread (and connection); return their results, or raise the first error."""
    results, failures = [None] * len(jobs), []

    def run(index, job):
        try:
            results[index] = job()
        except Exception as error:  # a thread's exception is otherwise lost
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    return results


def signed_in(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


@contextmanager
def holding_the_row_during(action: str):
    """While a service records `action` (it holds the request's row then), wait for the other side
    to start, and give it time to reach the row before committing. Yields the other side's cue."""
    holding, started = threading.Event(), threading.Event()
    record = services.record

    def record_slowly(**kwargs):
        if kwargs["action"] == action:
            holding.set()
            started.wait(timeout=5)
            time.sleep(0.5)
        return record(**kwargs)

    def start_when_held() -> None:
        holding.wait(timeout=5)
        started.set()

    with mock.patch.object(services, "record", record_slowly):
        yield start_when_held


@pytest.fixture
def flagged(log_request, practitioner):
    """Ignore chosen instead of the recommendation: in progress, and waiting for a supervisor."""
    contact_request = log_request()
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="ignore",
                                   reason="Waiting to see whether she asks again.")
    return contact_request


def send_back(supervisor, contact_request):
    client = signed_in(supervisor)
    return lambda: client.post(reverse("scenarios:review_decide", args=[contact_request.pk]),
                               {"decision": "not_approved", "note": "Talk about it at the next visit."})


@pytest.fixture
def walking(log_request, practitioner):
    contact_request = log_request()
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="discuss")
    return contact_request


def test_the_same_step_saved_from_two_tabs_saves_once_and_tells_the_other(practitioner, walking):
    url = reverse("scenarios:step", args=[walking.pk, "talking_points"])
    # Hold each save just before it writes, until the other arrives there too (or a second passes:
    # with the row lock, the other is still waiting for it).
    both_writing = threading.Barrier(2)
    save = StepRecord.save

    def save_when_both_are_here(self, *args, **kwargs):
        try:
            both_writing.wait(timeout=1)
        except threading.BrokenBarrierError:
            pass
        return save(self, *args, **kwargs)

    def tab(text: str):
        client = signed_in(practitioner)
        return lambda: client.post(url, {"value": text, "revision": "0"}, HTTP_HX_REQUEST="true")

    with mock.patch.object(StepRecord, "save", save_when_both_are_here):
        first, second = run_together(tab("Points from tab one."), tab("Points from tab two."))
    codes = sorted([first.status_code, second.status_code])
    assert codes == [200, 422]
    refused = first if first.status_code == 422 else second
    kept = "Points from tab one." if refused is first else "Points from tab two."
    body = refused.content.decode()
    assert "saved in another tab or window" in body and f">{kept}</textarea>" in body
    record = StepRecord.objects.get()
    assert record.text != kept and record.revision == 1


def test_a_close_racing_a_step_save_refuses_the_save_and_keeps_the_text(practitioner, walking):
    close_client, step_client = signed_in(practitioner), signed_in(practitioner)

    def close():
        return close_client.post(reverse("scenarios:close", args=[walking.pk]), {"outcome": "withdrawn"})

    def save_step():
        start_when_held()
        return step_client.post(reverse("scenarios:step", args=[walking.pk, "conversation_notes"]),
                                {"value": "She understood.", "revision": "0"}, HTTP_HX_REQUEST="true")

    with holding_the_row_during(AuditAction.REQUEST_CLOSED) as start_when_held:
        closed, saved = run_together(close, save_step)
    assert closed.status_code == 302
    assert saved.status_code == 422
    body = saved.content.decode()
    assert "it was closed." in body and ">She understood.</textarea>" in body
    walking.refresh_from_db()
    assert walking.status == RequestStatus.CLOSED and walking.outcome == "withdrawn"
    assert not StepRecord.objects.exists()
    assert ContactRequest.objects.count() == 1


def test_a_step_saved_as_the_supervisor_sends_the_option_back_keeps_the_text(practitioner, supervisor, flagged):
    step_client = signed_in(practitioner)

    def save_step():  # without script: the whole page comes back
        start_when_held()
        return step_client.post(reverse("scenarios:step", args=[flagged.pk, "record_request"]),
                                {"value": "Facebook, 10 March, parent of RB-1042.", "revision": "0"})

    with holding_the_row_during(AuditAction.REVIEW_DECIDED) as start_when_held:
        decided, saved = run_together(send_back(supervisor, flagged), save_step)
    assert decided.status_code == 302
    assert saved.status_code == 400
    body = saved.content.decode()
    assert "Step &ldquo;Record the request&rdquo; was not saved." in body
    assert "waiting for a supervisor or for an option to be chosen" in body
    assert ">Facebook, 10 March, parent of RB-1042.</textarea>" in body
    flagged.refresh_from_db()
    assert flagged.status == RequestStatus.OPEN and not StepRecord.objects.exists()


def test_a_close_as_the_supervisor_sends_the_option_back_is_refused_and_keeps_the_note(practitioner, supervisor,
                                                                                      flagged):
    close_client = signed_in(practitioner)

    def close():
        start_when_held()
        return close_client.post(reverse("scenarios:close", args=[flagged.pk]),
                                 {"outcome": "left_unanswered", "note": "Left it; she has not asked again."})

    with holding_the_row_during(AuditAction.REVIEW_DECIDED) as start_when_held:
        decided, closed = run_together(send_back(supervisor, flagged), close)
    assert decided.status_code == 302
    assert closed.status_code == 400
    body = closed.content.decode()
    assert "Choose an option first" in body and "Left it; she has not asked again.</textarea>" in body
    flagged.refresh_from_db()
    assert flagged.status == RequestStatus.OPEN and flagged.outcome == ""
