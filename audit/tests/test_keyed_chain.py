"""The keyed chain: HMAC-SHA256 under an audit key from the environment, with a key id per event."""

import importlib
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from audit.checkpoints import checkpoint_line, checkpoint_take
from audit.hashing import GENESIS_HASH, event_hash
from audit.models import AuditAction, AuditChainHead, AuditEvent
from audit.services import record

from .conftest import legacy_events, raw, rewrite_chain

ROOT = Path(__file__).resolve().parents[2]
DEV = ("dev", "insecure-development-audit-key-never-use-in-production")
NEW = ("2027a", "a-fresh-secret-that-is-long-enough-for-hmac-0123456789")
SEAL = importlib.import_module("audit.migrations.0006_keyed_chain").seal_unkeyed_chains


def verify(*args) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def broken(*args) -> str:
    with pytest.raises(CommandError) as error:
        verify(*args)
    assert error.value.returncode == 1
    return str(error.value)


def test_new_events_carry_the_current_key_id_and_an_hmac_only_the_key_reproduces(agency_a):
    event = AuditEvent.objects.get(pk=record(agency=agency_a, action=AuditAction.SIGN_IN).pk)
    fields = dict(agency_id=agency_a.pk, sequence=1, occurred_at=event.occurred_at, actor_id=None,
                  action="auth.sign_in", target_type="", target_id="", data={}, prev_hash=GENESIS_HASH)
    assert event.key_id == "dev"
    assert event.hash == event_hash(key=DEV[1].encode(), key_id="dev", **fields)
    assert event.hash != event_hash(**fields), "not the unkeyed SHA-256 of before"
    assert event.hash != event_hash(key=b"a guessed key, of the same id", key_id="dev", **fields)


def test_a_chain_rewritten_without_the_key_fails(five_events):
    forged = {"from": "practitioner", "to": "admin"}
    rewrite_chain(five_events[0].agency, changes={3: forged}, key=b"the attacker's own key", key_id="dev")
    message = broken()
    assert f"sequence 1 (event id {five_events[0].pk}): its stored content no longer matches its hash" in message
    assert "rewritten without the audit key" in message


def test_a_chain_rewritten_as_unkeyed_sha256_fails(five_events):
    """Passing the whole chain off as written before the key existed doesn't work either."""
    rewrite_chain(five_events[0].agency, changes={3: {"from": "practitioner", "to": "admin"}})
    assert "sequence 5 (no stored event): the chain ends with an event that is not keyed" in broken()


def test_an_unkeyed_event_appended_after_keyed_ones_breaks_the_chain(five_events):
    """The runtime role may INSERT and move the head forward: an unkeyed event it slips in is caught."""
    agency, newest = five_events[0].agency, five_events[-1]
    fields = dict(agency_id=agency.pk, sequence=6, occurred_at=newest.occurred_at, actor_id=None,
                  action="auth.sign_in", target_type="", target_id="", data={}, prev_hash=newest.hash)
    slipped = AuditEvent.objects.create(**fields, hash=event_hash(**fields))
    AuditChainHead.objects.filter(agency=agency).update(sequence=6, hash=slipped.hash)
    assert (f"sequence 6 (event id {slipped.pk}): it is not keyed, but an event before it is") in broken()


def test_events_from_before_the_keyed_chain_still_verify_once_the_migration_closes_them(agency_a, agency_b):
    old = legacy_events(agency_a, 3)
    assert {event.key_id for event in old} == {""}
    assert "the chain ends with an event that is not keyed" in broken(), "what migration 0005 is there for"
    assert SEAL(AuditEvent, AuditChainHead) == 1 and SEAL(AuditEvent, AuditChainHead) == 0
    seal = AuditEvent.objects.get(agency=agency_a, sequence=4)
    assert (seal.action, seal.key_id, seal.prev_hash, seal.data) == (
        AuditAction.CHAIN_KEYED, "dev", old[-1].hash, {"unkeyed_through": 3})
    record(agency=agency_a, action=AuditAction.SIGN_OUT)
    assert verify() == ("5 events checked: every chain is intact "
                        "(3 of them from before the chain was keyed, checked with plain SHA-256).\n")
    rewrite_chain(agency_a, changes={2: {"view": "forged"}}, through=3)  # the old events rewritten, unkeyed
    seal = AuditEvent.objects.get(agency=agency_a, sequence=4)
    assert f"sequence 4 (event id {seal.pk}): its stored content no longer matches its hash" in broken()


def test_rotating_the_key_keeps_older_events_and_checkpoints_verifiable(settings, five_events, tmp_path):
    agency = five_events[0].agency
    before = tmp_path / "before.jsonl"
    before.write_text(checkpoint_line(checkpoint_take(agency=agency)) + "\n")
    settings.AUDIT_KEYS = (NEW, DEV)  # the new key first; the old one kept to verify
    rotated = record(agency=agency, action=AuditAction.SIGN_IN)
    after = tmp_path / "after.jsonl"
    after.write_text(checkpoint_line(checkpoint_take(agency=agency)) + "\n")
    assert rotated.key_id == "2027a" and '"key_id":"2027a"' in after.read_text()
    assert verify("--checkpoint", str(before)).endswith("6 events checked: every chain is intact.\n")
    settings.AUDIT_KEYS = (NEW,)  # the old key retired too early
    message = broken()
    assert "sequence 1 (event id" in message and "signed with the audit key 'dev', which is not in AUDIT_KEYS" in message
    assert "line 1 was signed with the audit key 'dev', which is not in AUDIT_KEYS" in broken("--checkpoint", str(before))


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "AUDIT_KEYS", "AUDIT_KEY")}
    return subprocess.run([sys.executable, "-c", "import boundaries.settings as s; print(s.AUDIT_KEYS[0][0])"],
                          cwd=ROOT, env={**clean, **env}, capture_output=True, text=True)


def test_start_up_without_an_audit_key_says_what_to_set():
    result = load_settings(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "AUDIT_KEYS is not set. Set it to an id and a long random secret" in result.stderr


def test_a_malformed_audit_key_is_named_without_showing_the_secret():
    short = load_settings(DEBUG="true", AUDIT_KEYS="2027a:too-short-a-secret")
    assert "AUDIT_KEYS must be id:secret pairs" in short.stderr and "entry 1 is not" in short.stderr
    assert "too-short-a-secret" not in short.stderr
    twice = load_settings(DEBUG="true", AUDIT_KEYS=f"{NEW[0]}:{NEW[1]},{NEW[0]}:{DEV[1]}")
    assert "AUDIT_KEYS names the key id '2027a' twice." in twice.stderr


def test_audit_key_or_audit_keys_chooses_the_signing_key_and_debug_has_a_development_key():
    assert load_settings(DEBUG="false", SECRET_KEY="x" * 50, AUDIT_KEY=f"{NEW[0]}:{NEW[1]}").stdout == "2027a\n"
    assert load_settings(DEBUG="true", AUDIT_KEYS=f"{NEW[0]}:{NEW[1]}, dev:{DEV[1]}").stdout == "2027a\n"
    assert load_settings(DEBUG="true").stdout == "dev\n"


def test_the_head_may_not_point_past_the_stored_events(five_events):
    """A runtime-role UPDATE of the head to a sequence that has no event is refused by its trigger."""
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError, match="only moves forward to a stored event"):
        with transaction.atomic():
            raw("UPDATE audit_auditchainhead SET sequence = 9 WHERE agency_id = %s", [five_events[0].agency_id])
