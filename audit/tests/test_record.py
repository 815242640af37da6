from datetime import timedelta

import pytest
from django.utils import timezone

from audit.hashing import GENESIS_HASH, event_hash
from audit.keys import signing_key
from audit.models import AuditAction, AuditChainHead, AuditEvent
from audit.services import record
from boundaries.prepared import statement_of

from .conftest import triggers_lifted


def test_events_form_a_hash_chain_per_agency(agency_a, agency_b, practitioner):
    first = record(agency=agency_a, actor=practitioner.user, action=AuditAction.SIGN_IN)
    second = record(agency=agency_a, actor=practitioner.user, action=AuditAction.ROLE_CHANGED,
                    target=practitioner, data={"from": "practitioner", "to": "supervisor"})
    other = record(agency=agency_b, action=AuditAction.SIGN_IN)
    assert (first.sequence, second.sequence, other.sequence) == (1, 2, 1)
    assert first.prev_hash == GENESIS_HASH and other.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert second.target_type == "accounts.membership" and second.target_id == str(practitioner.pk)
    stored = AuditEvent.objects.get(pk=second.pk)
    assert stored.key_id == "dev", "DEBUG's development key, the first of AUDIT_KEYS"
    assert stored.hash == event_hash(
        key=signing_key().secret, key_id="dev", agency_id=stored.agency_id, sequence=stored.sequence, occurred_at=stored.occurred_at,
        actor_id=stored.actor_id, action=stored.action, target_type=stored.target_type,
        target_id=stored.target_id, data=stored.data, prev_hash=stored.prev_hash,
    )


@pytest.mark.parametrize("data", [
    {"note": "Client's mother asked about her son's diagnosis"},
    {"reason": "x" * 65},
    {"Free text key": 1},
    {"nested": {"a": 1}},
])
def test_free_text_never_reaches_the_trail(agency_a, data):
    with pytest.raises(ValueError, match="Audit data"):
        record(agency=agency_a, action=AuditAction.REQUEST_UPDATED, data=data)
    assert AuditEvent.objects.count() == 0


def test_the_model_refuses_changes_and_deletion(agency_a):
    event = record(agency=agency_a, action=AuditAction.SIGN_IN)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="auth.sign_out")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.SIGN_IN


def test_times_never_run_backwards_along_a_chain(agency_a):
    """If the clock is stepped back, new events take the newest time on the chain."""
    record(agency=agency_a, action=AuditAction.SIGN_IN)
    ahead = timezone.now() + timedelta(hours=1)  # as if the clock had since been stepped back an hour
    with triggers_lifted():  # the head's trigger refuses any change that doesn't advance it
        AuditChainHead.objects.filter(agency=agency_a).update(occurred_at=ahead)
    event = record(agency=agency_a, action=AuditAction.SIGN_OUT)
    assert event.occurred_at == ahead
    assert AuditChainHead.objects.get(agency=agency_a).occurred_at == ahead


def test_a_date_far_in_the_future_is_refused_by_the_audit_filter(client_for, admin):
    response = client_for(admin).get("/audit/?until=9999-12-31")
    assert "Choose a date before the year 9000." in response.content.decode()


def test_an_agency_has_its_chain_head_from_the_start(agency_a):
    head = AuditChainHead.objects.get(agency=agency_a)
    assert (head.sequence, head.hash, head.occurred_at) == (0, GENESIS_HASH, None)


def test_appending_an_event_locks_the_head_inserts_and_moves_it_with_no_savepoint(agency_a, django_assert_num_queries):
    from django.db import connection, transaction

    with transaction.atomic():  # as inside a service: no savepoint of record()'s own
        with django_assert_num_queries(3) as queries:
            event = record(agency=agency_a, action=AuditAction.SIGN_IN)
    sent = [statement_of(query["sql"]) for query in queries.captured_queries]  # planned once on PostgreSQL
    assert [statement.split()[0].upper() for statement in sent] == ["SELECT", "INSERT", "UPDATE"]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in sent[0].upper()
    assert AuditChainHead.objects.get(agency=agency_a).sequence == event.sequence == 1


def test_an_agency_loaded_behind_the_apps_back_gets_its_head_on_its_first_event(db):
    from accounts.models import Agency

    (loaded,) = Agency.objects.bulk_create([Agency(name="Loaded Agency", slug="loaded")])  # no post_save
    assert not AuditChainHead.objects.filter(agency=loaded).exists()
    first = record(agency=loaded, action=AuditAction.SIGN_IN)
    assert first.sequence == 1 and AuditChainHead.objects.get(agency=loaded).hash == first.hash
