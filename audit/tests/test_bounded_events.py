"""Events a caller can repeat at will reach the trail at most once per window and person."""

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection

from audit import services
from audit.models import AuditAction, AuditEvent
from audit.services import record_at_most_every

MINUTE = dt.timedelta(minutes=1)


def test_one_event_per_person_and_action_in_the_window(practitioner, supervisor):
    agency, pat, sam = practitioner.agency, practitioner.user, supervisor.user
    for _ in range(5):
        record_at_most_every(agency=agency, actor=pat, action=AuditAction.SIGN_IN_FAILED, window=MINUTE)
    record_at_most_every(agency=agency, actor=sam, action=AuditAction.SIGN_IN_FAILED, window=MINUTE)
    record_at_most_every(agency=agency, actor=pat, action=AuditAction.ACCESS_DENIED, window=MINUTE)
    assert list(AuditEvent.objects.values_list("actor__email", "action")) == [
        ("pat@riverside.example", AuditAction.SIGN_IN_FAILED),
        ("sam@riverside.example", AuditAction.SIGN_IN_FAILED),
        ("pat@riverside.example", AuditAction.ACCESS_DENIED),
    ]


def test_after_the_window_the_next_one_is_recorded(practitioner):
    first = record_at_most_every(agency=practitioner.agency, actor=practitioner.user,
                                 action=AuditAction.SIGN_IN_FAILED, window=MINUTE)
    # A window that ended at the first event's time: the next attempt is a new window.
    elapsed = dt.timedelta(0)
    second = record_at_most_every(agency=practitioner.agency, actor=practitioner.user,
                                  action=AuditAction.SIGN_IN_FAILED, window=elapsed)
    assert first is not None and second is not None and second.sequence == first.sequence + 1


def test_each_agency_trail_is_bounded_on_its_own(practitioner, pat_at_both):
    for membership in [practitioner, pat_at_both, practitioner, pat_at_both]:
        record_at_most_every(agency=membership.agency, actor=membership.user, action=AuditAction.SIGN_IN_FAILED,
                             window=MINUTE)
    assert sorted(AuditEvent.objects.values_list("agency__slug", flat=True)) == ["hilltop", "riverside"]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_attempts_at_the_same_moment_leave_one_event(practitioner):
    """Both pass the unlocked check together; the check repeated under the chain lock stops the second."""
    barrier, original, local = threading.Barrier(2, timeout=5), services._lock_head, threading.local()

    def held(agency):
        if not getattr(local, "held", False):
            local.held = True
            barrier.wait()  # both threads have passed the unlocked check
        return original(agency)

    failures = []

    def attempt():
        try:
            record_at_most_every(agency=practitioner.agency, actor=practitioner.user,
                                 action=AuditAction.SIGN_IN_FAILED, window=MINUTE)
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    with mock.patch.object(services, "_lock_head", held):
        threads = [threading.Thread(target=attempt) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 1
