"""Signed checkpoints kept outside the database catch what the chain alone can't: a cut-off tail."""

import csv
import io
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from audit.checkpoints import checkpoint_line, checkpoint_sign
from audit.hashing import checkpoint_signature
from audit.models import AuditAction, AuditChainHead, AuditEvent
from audit.retention import events_purge
from audit.services import record

from .conftest import raw, rewrite_chain, triggers_lifted

KEY = b"insecure-development-audit-key-never-use-in-production"


def run(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def broken(*args) -> str:
    with pytest.raises(CommandError) as error:
        run("audit_verify", *args)
    assert error.value.returncode == 1
    return str(error.value)


@pytest.fixture
def checkpoint_file(tmp_path, five_events):
    """What a cron line leaves on another volume: a checkpoint of riverside at sequence 5."""
    path = tmp_path / "checkpoints.jsonl"
    path.write_text(run("audit_checkpoint", "--agency", "riverside"))
    return path


def cut_off_tail(agency, keep: int) -> None:
    """The attack from the issue: delete the newest events and move the head back, as the tables' owner."""
    kept = AuditEvent.objects.get(agency=agency, sequence=keep)
    with triggers_lifted():
        raw("DELETE FROM audit_auditevent WHERE agency_id = %s AND sequence > %s", [agency.pk, keep])
        raw("UPDATE audit_auditchainhead SET sequence = %s, hash = %s, occurred_at = %s WHERE agency_id = %s",
            [keep, kept.hash, kept.occurred_at, agency.pk])


def test_audit_checkpoint_prints_one_signed_json_line(agency_b, five_events):
    out = run("audit_checkpoint", "--agency", "riverside")
    assert out.count("\n") == 1
    checkpoint = json.loads(out)
    assert list(checkpoint) == ["agency", "agency_id", "sequence", "hash", "at", "key_id", "signature"]
    assert (checkpoint["agency"], checkpoint["sequence"], checkpoint["hash"], checkpoint["key_id"]) == (
        "riverside", 5, five_events[-1].hash, "dev")
    assert checkpoint["signature"] == checkpoint_signature(KEY, checkpoint)
    both = [json.loads(line) for line in run("audit_checkpoint", "--all").splitlines()]
    assert sorted((c["agency"], c["sequence"]) for c in both) == [("hilltop", 0), ("riverside", 5)]
    with pytest.raises(CommandError, match="No agency has the slug 'nowhere'.") as error:
        run("audit_checkpoint", "--agency", "nowhere")
    assert error.value.returncode == 2


def test_an_intact_chain_still_contains_its_checkpoints(checkpoint_file, five_events):
    record(agency=five_events[0].agency, action=AuditAction.SIGN_IN)  # the chain grows after the checkpoint
    out = run("audit_verify", "--checkpoint", str(checkpoint_file))
    assert "The chain still contains the checkpoint of riverside at sequence 5" in out
    assert out.endswith("6 events checked: every chain is intact.\n")


def test_a_cut_off_tail_passes_the_chain_check_but_not_the_checkpoint(checkpoint_file, five_events):
    cut_off_tail(five_events[0].agency, keep=3)
    assert run("audit_verify") == "3 events checked: every chain is intact.\n", "why checkpoints are needed"
    message = broken("--checkpoint", str(checkpoint_file))
    assert "The chain no longer contains the checkpoint of riverside at sequence 5" in message
    assert "(line 1 of" in message and "the chain now ends at sequence 3: the events after it, up to at least 5, " \
                                         "were cut off" in message


def test_a_tail_cut_off_and_written_again_is_a_rewritten_event(checkpoint_file, five_events):
    agency = five_events[0].agency
    cut_off_tail(agency, keep=3)
    for _ in range(3):  # the app carries on writing, reusing sequences 4 and 5
        record(agency=agency, action=AuditAction.SIGN_IN)
    assert "event 5 was rewritten: its hash is no longer the one in the checkpoint" in broken(
        "--checkpoint", str(checkpoint_file))


def test_a_rewritten_chain_breaks_both_the_chain_and_the_checkpoint(checkpoint_file, five_events):
    rewrite_chain(five_events[0].agency, changes={2: {"role": "admin"}}, key=b"a guess", key_id="dev")
    message = broken("--checkpoint", str(checkpoint_file))
    assert "Audit chain broken at agency riverside, sequence 1" in message
    assert "event 5 was rewritten" in message


def test_a_changed_or_foreign_checkpoint_line_is_named(tmp_path, checkpoint_file, five_events):
    forged = json.loads(checkpoint_file.read_text())
    forged["sequence"] = 3
    lines = [checkpoint_file.read_text().strip(), json.dumps(forged), "hello", "[1, 2]"]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    message = broken("--checkpoint", str(path))
    assert "line 2: the signature does not match: the checkpoint was changed" in message
    assert "line 3 is not a checkpoint" in message and "line 4 is not a checkpoint" in message
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    assert f"Checkpoint file {empty}, it holds no checkpoint." in broken("--checkpoint", str(empty))
    with pytest.raises(CommandError, match="Can't read the checkpoints in /no/such/file") as error:
        run("audit_verify", "--checkpoint", "/no/such/file")
    assert error.value.returncode == 2


def test_a_checkpoint_of_an_agency_that_is_gone_is_named(tmp_path, five_events):
    path = tmp_path / "gone.jsonl"
    path.write_text(checkpoint_line(checkpoint_sign(agency_slug="gone", agency_id=999, sequence=1,
                                                    head_hash="a" * 64)) + "\n")
    assert "agency gone (id 999) is no longer in the database" in broken("--checkpoint", str(path))


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_every_export_ends_with_a_checkpoint_that_verify_reads(client_for, admin, five_events, tmp_path, fmt):
    response = client_for(admin).post(reverse("audit:export", args=[fmt]))  # 6: the sign-in, 7: the export
    path = tmp_path / f"trail.{fmt}"
    path.write_bytes(b"".join(response.streaming_content))
    assert "The chain still contains the checkpoint of riverside at sequence 7" in run(
        "audit_verify", "--checkpoint", str(path))
    cut_off_tail(admin.agency, keep=4)
    assert "the chain now ends at sequence 4" in broken("--checkpoint", str(path))
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n")  # an export missing its closing checkpoint
    assert f"line {len(lines) - 1} is not a checkpoint" in broken("--checkpoint", str(path))


def test_the_command_export_ends_with_a_checkpoint_too(five_events, tmp_path):
    path = tmp_path / "trail.csv"
    call_command("audit_export", "--agency", "riverside", "--format", "csv", "--output", str(path),
                 stderr=io.StringIO())
    last = list(csv.reader(io.StringIO(path.read_text())))[-1]
    assert last[0] == "#checkpoint" and json.loads(last[1])["sequence"] == 6
    assert "at sequence 6" in run("audit_verify", "--checkpoint", str(path))


def purge_oldest(agency, count: int):
    """Purge the events before the `count + 1`th one: times along a chain never run backwards."""
    cutoff = AuditEvent.objects.get(agency=agency, sequence=count + 1).occurred_at
    return events_purge(agency=agency, before=cutoff)


def test_a_lawful_purge_keeps_verifying_from_the_first_remaining_event(checkpoint_file, five_events, tmp_path):
    agency = five_events[0].agency
    old = tmp_path / "old.jsonl"  # checkpoints of events that are about to be purged
    old.write_text("".join(checkpoint_line(checkpoint_sign(
        agency_slug="riverside", agency_id=agency.pk, sequence=event.sequence, head_hash=event.hash)) + "\n"
        for event in five_events[:3]))
    purge = purge_oldest(agency, 3)
    assert (purge.through, purge.removed) == (3, 3) and purge.event.sequence == 6
    assert purge.event.data == {"through": 3, "through_hash": five_events[2].hash} and purge.event.key_id == "dev"
    assert list(AuditEvent.objects.filter(agency=agency).values_list("sequence", flat=True)) == [4, 5, 6]
    assert run("audit_verify") == ("3 events checked: every chain is intact "
                                   "(riverside's chain starts after sequence 3, purged).\n")
    assert "at sequence 5" in run("audit_verify", "--checkpoint", str(checkpoint_file))
    assert run("audit_verify", "--checkpoint", str(old)).count("The chain still contains") == 3


def test_a_purged_checkpoint_with_another_hash_is_still_caught(five_events, tmp_path):
    agency = five_events[0].agency
    path = tmp_path / "wrong.jsonl"
    path.write_text(checkpoint_line(checkpoint_sign(agency_slug="riverside", agency_id=agency.pk, sequence=3,
                                                    head_hash=five_events[1].hash)) + "\n")
    purge_oldest(agency, 3)
    assert "event 3 was rewritten before it was purged" in broken("--checkpoint", str(path))


def test_removing_the_start_of_a_chain_without_the_purge_is_a_break(five_events):
    with triggers_lifted():
        raw("DELETE FROM audit_auditevent WHERE agency_id = %s AND sequence <= 2", [five_events[0].agency_id])
    assert ("sequence 1 (no stored event): events 1 to 2 are missing, and no keyed purge event accounts for them"
            in broken())


def test_a_purge_with_nothing_old_enough_changes_nothing(five_events):
    agency = five_events[0].agency
    with pytest.raises(ValueError, match="No audit event of riverside is older than"):
        events_purge(agency=agency, before=five_events[0].occurred_at - timedelta(days=1))
    assert AuditEvent.objects.count() == 5 and AuditChainHead.objects.get(agency=agency).sequence == 5


@hypothesis_settings(max_examples=25, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300)
       | st.lists(st.dictionaries(st.sampled_from(["agency", "agency_id", "sequence", "hash", "at", "key_id",
                                                   "signature", "checkpoint"]),
                                  st.one_of(st.none(), st.integers(), st.text(max_size=70), st.booleans())),
                  max_size=4).map(lambda rows: "\n".join(json.dumps(row) for row in rows)))
def test_any_checkpoint_file_gets_an_answer_never_a_traceback(tmp_path_factory, five_events, text):
    path = tmp_path_factory.mktemp("any") / "checkpoints.txt"
    path.write_text(text, encoding="utf-8")
    before = AuditEvent.objects.count()
    try:
        out = run("audit_verify", "--checkpoint", str(path))
        assert "every chain is intact" in out
    except CommandError as error:
        assert error.returncode in (1, 2) and str(error)
    assert AuditEvent.objects.count() == before
