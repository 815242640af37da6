"""Issue 8, item 8: request races answer with a clear message and keep what was typed, never a 500.

Each test runs two real connections (threads, each with its own test client) on PostgreSQL and
forces the interleaving that broke before: both saves past their checks at once, or a step save
that checked the status while a close held the row.
"""

import threading
import time
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
    closing, saving = threading.Event(), threading.Event()
    record = services.record

    def record_slowly(**kwargs):
        # The close holds the request's row here; let the step save start, and give it time to
        # reach the row before the close commits.
        if kwargs["action"] == AuditAction.REQUEST_CLOSED:
            closing.set()
            saving.wait(timeout=5)
            time.sleep(0.5)
        return record(**kwargs)

    close_client, step_client = signed_in(practitioner), signed_in(practitioner)

    def close():
        return close_client.post(reverse("scenarios:close", args=[walking.pk]), {"outcome": "withdrawn"})

    def save_step():
        closing.wait(timeout=5)
        saving.set()
        return step_client.post(reverse("scenarios:step", args=[walking.pk, "conversation_notes"]),
                                {"value": "She understood.", "revision": "0"}, HTTP_HX_REQUEST="true")

    with mock.patch.object(services, "record", record_slowly):
        closed, saved = run_together(close, save_step)
    assert closed.status_code == 302
    assert saved.status_code == 422
    body = saved.content.decode()
    assert "it was closed." in body and ">She understood.</textarea>" in body
    walking.refresh_from_db()
    assert walking.status == RequestStatus.CLOSED and walking.outcome == "withdrawn"
    assert not StepRecord.objects.exists()
    assert ContactRequest.objects.count() == 1
