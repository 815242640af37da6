"""audit_verify recomputes the chains and names the first event that was changed, removed or moved."""

import json
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.hashing import event_hash
from audit.models import AuditAction, AuditEvent
from audit.services import record
from audit.verify import verify_agency

from .conftest import raw, triggers_lifted

KEY = b"insecure-development-audit-key-never-use-in-production"  # DEBUG's default key, id "dev"


def verify(*args) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def broken(*args) -> str:
    with pytest.raises(CommandError) as error:
        verify(*args)
    assert error.value.returncode == 1
    return str(error.value)


def test_intact_chains_pass_and_say_how_many_events_were_checked(five_events, agency_b):
    record(agency=agency_b, action=AuditAction.SIGN_IN)
    assert verify() == "6 events checked: every chain is intact.\n"
    assert verify("--agency", "riverside") == "5 events checked: every chain is intact.\n"
    assert verify("--agency", "hilltop", "--chunk-size", "1") == "1 events checked: every chain is intact.\n"


def test_an_unknown_agency_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No agency has the slug 'nowhere'") as error:
        verify("--agency", "nowhere")
    assert error.value.returncode == 2


@pytest.mark.parametrize("column, before, after", [
    ("target_id", None, None),  # one digit of the target id
    ("data", "supervisor", "supervisos"),
    ("action", "staff.role_changed", "staff.role_changeD"),
    ("hash", None, None),  # the stored hash itself
])
def test_one_changed_byte_breaks_the_chain_at_that_event(five_events, column, before, after):
    third = five_events[2]
    stored = AuditEvent.objects.filter(pk=third.pk).values_list(column, flat=True).get()
    text = stored if isinstance(stored, str) else json.dumps(stored)
    if before is None:
        before, after = text[-1], chr(ord(text[-1]) ^ 1)
    changed = text[: text.rindex(before)] + after + text[text.rindex(before) + len(before):]
    assert len(changed) == len(text) and changed != text
    with triggers_lifted():
        raw(f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s", [changed, third.pk])
    message = broken("--agency", "riverside")
    assert f"agency riverside, sequence 3 (event id {third.pk})" in message
    assert "no longer matches its hash" in message and "2 events checked before the break" in message


def test_a_removed_event_breaks_the_chain_where_it_was(five_events):
    with triggers_lifted():
        raw("DELETE FROM audit_auditevent WHERE id = %s", [five_events[2].pk])
    message = broken()
    assert "agency riverside, sequence 3 (no stored event): the event is missing" in message
    assert f"next stored one is sequence 4, id {five_events[3].pk}" in message


def test_removing_the_newest_event_is_caught_by_the_chain_head(five_events):
    with triggers_lifted():
        raw("DELETE FROM audit_auditevent WHERE id = %s", [five_events[4].pk])
    message = broken()
    assert "sequence 5 (no stored event): the chain head says sequence 5 but the stored chain ends at 4" in message


def test_reordered_events_break_the_chain(five_events):
    third, fourth = five_events[2], five_events[3]
    with triggers_lifted():
        # Swap two positions through a spare number: (agency, sequence) is unique.
        raw("UPDATE audit_auditevent SET sequence = -1 WHERE id = %s", [third.pk])
        raw("UPDATE audit_auditevent SET sequence = 3 WHERE id = %s", [fourth.pk])
        raw("UPDATE audit_auditevent SET sequence = 4 WHERE id = %s", [third.pk])
    message = broken()
    assert f"sequence 3 (event id {fourth.pk}): it does not follow the event before it" in message


def test_a_rewritten_event_with_a_fresh_hash_still_breaks_the_next_link(five_events):
    """Even with the key, recomputing only the changed event's hash is caught by the event after it."""
    third = AuditEvent.objects.get(pk=five_events[2].pk)
    forged = {"from": "practitioner", "to": "admin"}
    digest = event_hash(key=KEY, key_id="dev", agency_id=third.agency_id, sequence=3, occurred_at=third.occurred_at,
                        actor_id=third.actor_id, action=third.action, target_type=third.target_type,
                        target_id=third.target_id, data=forged, prev_hash=third.prev_hash)
    with triggers_lifted():
        raw("UPDATE audit_auditevent SET data = %s, hash = %s WHERE id = %s",
            [json.dumps(forged), digest, third.pk])
    assert f"sequence 4 (event id {five_events[3].pk}): it does not follow" in broken()


def test_an_event_dated_before_the_one_before_it_breaks_the_chain(agency_a, admin):
    first = record(agency=agency_a, actor=admin.user, action=AuditAction.SIGN_IN)
    second = AuditEvent.objects.get(pk=record(agency=agency_a, actor=admin.user, action=AuditAction.SIGN_OUT).pk)
    earlier = first.occurred_at - timedelta(minutes=5)
    digest = event_hash(key=KEY, key_id="dev", agency_id=agency_a.pk, sequence=2, occurred_at=earlier, actor_id=admin.user.pk,
                        action=second.action, target_type="", target_id="", data={}, prev_hash=first.hash)
    with triggers_lifted():  # a consistent rewrite of the newest event and the head, but back in time
        raw("UPDATE audit_auditevent SET occurred_at = %s, hash = %s WHERE id = %s", [earlier, digest, second.pk])
        raw("UPDATE audit_auditchainhead SET hash = %s WHERE agency_id = %s", [digest, agency_a.pk])
    assert f"sequence 2 (event id {second.pk}): its time is earlier than the event before it" in broken()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_lose_nothing_and_never_repeat_a_sequence(agency_a, admin):
    threads, each = 8, 500
    start, failures = threading.Barrier(threads), []

    def append() -> None:
        try:
            start.wait()
            for _ in range(each):
                record(agency=agency_a, actor=admin.user, action=AuditAction.SIGN_IN)
        except Exception as error:  # reported below; a thread's exception is otherwise lost
            failures.append(error)
        finally:
            connection.close()  # each thread has its own connection

    workers = [threading.Thread(target=append) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    sequences = list(AuditEvent.objects.filter(agency=agency_a).values_list("sequence", flat=True))
    assert len(sequences) == threads * each
    assert len(set(sequences)) == len(sequences)
    assert sorted(sequences) == list(range(1, threads * each + 1))
    report = verify_agency(agency_a)
    assert report.broken is None and report.checked == threads * each


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_events_recorded_during_a_walk_are_not_a_break(agency_a, admin, monkeypatch):
    """The walk reads the events and the chain head in one snapshot: a colleague signing in while
    audit_verify runs moves the head on, and the walk must neither fail nor count the new event."""
    for _ in range(5):
        record(agency=agency_a, actor=admin.user, action=AuditAction.SIGN_IN)
    from audit import verify as walking

    original_step, written = walking._step, []

    def step_then_someone_signs_in(walk, row):
        original_step(walk, row)
        if not written:  # once, after the first event was read: from another connection, committed
            worker = threading.Thread(target=lambda: (
                record(agency=agency_a, actor=admin.user, action=AuditAction.SIGN_IN), connection.close()))
            worker.start()
            worker.join()
            written.append(True)

    monkeypatch.setattr(walking, "_step", step_then_someone_signs_in)
    report = verify_agency(agency_a, chunk_size=2)
    assert written and report.broken is None and report.checked == 5
    assert verify_agency(agency_a).checked == 6
