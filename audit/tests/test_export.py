"""Exports: CSV and JSON Lines, from the page and the command line, matching the database."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency
from audit.checkpoints import checkpoint_parse
from audit.exports import COLUMNS, TRAILER_MARK
from audit.hashing import GENESIS_HASH, canonical_time, event_hash
from audit.stored import CanonicalTime
from audit.keys import key_for
from audit.models import AuditAction, AuditChainHead, AuditEvent
from audit.services import record
from tests.factories import MembershipFactory


def download(client, fmt: str, **filters) -> tuple:
    response = client.post(reverse("audit:export", args=[fmt]), filters)
    assert response.status_code == 200 and response.streaming
    return response, b"".join(response.streaming_content).decode()


def database_rows(**filters) -> list[dict]:
    events = AuditEvent.objects.filter(**filters).select_related("actor").order_by("sequence")
    return [{
        "sequence": e.sequence, "occurred_at": canonical_time(e.occurred_at), "actor_id": e.actor_id,
        "actor_name": e.actor.full_name if e.actor else None, "action": e.action, "target_type": e.target_type,
        "target_id": e.target_id, "data": e.data, "prev_hash": e.prev_hash, "hash": e.hash, "key_id": e.key_id,
    } for e in events]


def parse_csv(text: str) -> tuple[list[dict], dict]:
    """The rows, and the closing checkpoint (its signature checked)."""
    lines = list(csv.reader(io.StringIO(text)))
    assert tuple(lines[0]) == COLUMNS
    rows = []
    for line in lines[1:-1]:
        row = dict(zip(COLUMNS, line))
        row.update(sequence=int(row["sequence"]), actor_id=int(row["actor_id"]) if row["actor_id"] else None,
                   actor_name=row["actor_name"] or None, data=json.loads(row["data"]))
        rows.append(row)
    assert lines[-1][0] == TRAILER_MARK and len(lines[-1]) == 2
    return rows, checkpoint_parse(json.loads(lines[-1][1]), line=len(lines)).as_dict()


def checkpoint_of(event: AuditEvent) -> dict:
    return {"agency": event.agency.slug, "agency_id": event.agency_id, "sequence": event.sequence,
            "hash": event.hash, "at": canonical_time(event.occurred_at), "key_id": "dev"}


def test_csv_export_parses_and_matches_the_database(client_for, admin, five_events):
    response, text = download(client_for(admin), "csv")
    rows, checkpoint = parse_csv(text)
    export = AuditEvent.objects.get(action=AuditAction.AUDIT_EXPORTED)
    assert rows == database_rows(agency=admin.agency)
    assert rows[-1]["sequence"] == export.sequence, "the export's own event closes the file"
    assert checkpoint.pop("signature") and checkpoint == checkpoint_of(export)
    assert response["X-Audit-Head-Sequence"] == str(export.sequence) and response["X-Audit-Head-Hash"] == export.hash
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-riverside-')


def test_jsonl_export_parses_line_by_line_and_a_receiver_can_check_the_chain(client_for, admin, five_events):
    response, text = download(client_for(admin), "jsonl")
    lines = [json.loads(line) for line in text.splitlines()]
    rows, head = lines[:-1], checkpoint_parse(lines[-1], line=len(lines))
    assert rows == database_rows(agency=admin.agency)
    # What a receiver holding the audit key does: recompute every hash and link, and end at the checkpoint.
    previous = GENESIS_HASH
    for row in rows:
        occurred_at = datetime.fromisoformat(row["occurred_at"].replace("Z", "+00:00"))
        assert row["prev_hash"] == previous and row["key_id"] == "dev"
        assert row["hash"] == event_hash(
            key=key_for(row["key_id"]).secret, key_id=row["key_id"], agency_id=head.agency_id,
            sequence=row["sequence"], occurred_at=occurred_at, actor_id=row["actor_id"], action=row["action"],
            target_type=row["target_type"], target_id=row["target_id"], data=row["data"], prev_hash=row["prev_hash"])
        previous = row["hash"]
    assert (head.sequence, head.hash) == (rows[-1]["sequence"], previous)
    assert head.agency == "riverside" and response["Content-Type"] == "application/jsonl; charset=utf-8"


def test_an_export_follows_the_filters_and_is_recorded_once_with_codes_only(client_for, admin, practitioner,
                                                                           five_events):
    today = timezone.localdate().isoformat()
    _, text = download(client_for(admin), "csv", action=AuditAction.SIGN_IN, actor=practitioner.user.pk,
                       since=today, until=today)
    rows, checkpoint = parse_csv(text)
    assert [row["sequence"] for row in rows] == [five_events[3].sequence]
    export = AuditEvent.objects.get(action=AuditAction.AUDIT_EXPORTED)
    assert export.actor == admin.user and checkpoint["sequence"] == export.sequence
    assert export.data == {"format": "csv", "via": "web", "action": "auth.sign_in",
                           "actor": practitioner.user.pk, "since": today, "until": today}


def test_an_export_with_bad_filters_is_refused_and_not_recorded(client_for, admin):
    client = client_for(admin)
    today = timezone.localdate()
    response = client.post(reverse("audit:export", args=["csv"]),
                           {"since": today.isoformat(), "until": (today - timedelta(days=1)).isoformat()})
    assert response.status_code == 400 and "The end date is before the start date." in response.content.decode()
    assert client.post(reverse("audit:export", args=["xml"])).status_code == 404
    assert client.get(reverse("audit:export", args=["csv"])).status_code == 405
    assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_EXPORTED).exists()


def test_another_agency_exports_only_its_own_events(client_for, outsider, five_events):
    _, text = download(client_for(outsider), "jsonl")
    lines = [json.loads(line) for line in text.splitlines()]
    assert [row["action"] for row in lines[:-1]] == [AuditAction.SIGN_IN, AuditAction.AUDIT_EXPORTED]
    assert lines[-1]["checkpoint"]["agency"] == "hilltop"
    assert "Alex Admin" not in text and "Pat Practitioner" not in text


def test_the_command_writes_the_same_rows_to_a_file(tmp_path, five_events, admin):
    target = tmp_path / "trail.csv"
    call_command("audit_export", "--agency", "riverside", "--format", "csv", "--output", str(target),
                 stderr=io.StringIO())
    rows, checkpoint = parse_csv(target.read_text(encoding="utf-8"))
    export = AuditEvent.objects.get(action=AuditAction.AUDIT_EXPORTED)
    assert rows == database_rows(agency=admin.agency) and rows[-1]["action"] == AuditAction.AUDIT_EXPORTED
    assert checkpoint.pop("signature") and checkpoint == checkpoint_of(export)
    assert export.actor is None and export.data == {"format": "csv", "via": "cli"}


def test_the_command_writes_jsonl_to_standard_output_within_dates(five_events, admin):
    out = io.StringIO()
    today = timezone.localdate().isoformat()
    call_command("audit_export", "--agency", "riverside", "--format", "jsonl", "--since", today, "--until", today,
                 stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[:-1] == database_rows(agency=admin.agency)
    assert AuditEvent.objects.get(action=AuditAction.AUDIT_EXPORTED).data == {
        "format": "jsonl", "via": "cli", "since": today, "until": today}
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    out = io.StringIO()
    call_command("audit_export", "--agency", "riverside", "--format", "jsonl", "--until", yesterday, stdout=out)
    assert len(out.getvalue().splitlines()) == 1, "only the checkpoint"


@pytest.mark.parametrize("args, message", [
    (["--agency", "nowhere", "--format", "csv"], "No agency has the slug 'nowhere'."),
    (["--agency", "riverside", "--format", "csv", "--since", "21/11/2026"],
     "--since must be a date written YYYY-MM-DD, not '21/11/2026'."),
    (["--agency", "riverside", "--format", "csv", "--since", "2026-02-01", "--until", "2026-01-31"],
     "--until is before --since."),
    (["--agency", "riverside", "--format", "csv", "--output", "/no/such/folder/trail.csv"], "Can't write to"),
])
def test_the_command_explains_bad_arguments(agency_a, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(")) as error:
        call_command("audit_export", *args, stdout=io.StringIO())
    assert error.value.returncode == 2
    assert not AuditEvent.objects.exists(), "a refused export is not recorded"


@pytest.mark.parametrize("moment", [
    datetime(2026, 1, 31, 9, 5, 0, 0, tzinfo=UTC),
    datetime(2026, 1, 31, 9, 5, 0, 7, tzinfo=UTC),
    datetime(2026, 7, 4, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(1, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
])
def test_the_database_writes_times_exactly_as_the_hash_does(agency_a, moment):
    Agency.objects.filter(pk=agency_a.pk).update(created_at=moment)
    written = (Agency.objects.annotate(text=CanonicalTime("created_at"))
               .values_list("text", flat=True).get(pk=agency_a.pk))
    assert written == canonical_time(moment)


def test_names_and_data_with_commas_and_quotes_survive_the_csv(client_for, admin, agency_a):
    odd = MembershipFactory(agency=agency_a, user__full_name='Jo "JJ" O\'Neil, RN')
    data = {"options": ["accept", "decline"], "step": 3}  # its canonical JSON holds commas and quotes
    record(agency=agency_a, actor=odd.user, action=AuditAction.OPTION_CHOSEN, data=data)
    _, text = download(client_for(admin), "csv")
    rows, _ = parse_csv(text)
    assert rows == database_rows(agency=agency_a)
    assert rows[0]["actor_name"] == 'Jo "JJ" O\'Neil, RN' and rows[0]["data"] == data


def test_a_name_that_is_a_spreadsheet_formula_is_written_as_text(client_for, admin, agency_a):
    formula = '=HYPERLINK("http://x.example","click")'
    sneaky = MembershipFactory(agency=agency_a, user__full_name=formula)
    record(agency=agency_a, actor=sneaky.user, action=AuditAction.SIGN_IN)
    _, text = download(client_for(admin), "csv")
    assert '"\'=HYPERLINK(""http://x.example"",""click"")"' in text
    rows, _ = parse_csv(text)
    assert rows[0]["actor_name"] == "'" + formula
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r"))
                   for line in csv.reader(io.StringIO(text)) for cell in line)
    _, lines = download(client_for(admin), "jsonl")
    assert json.loads(lines.splitlines()[0])["actor_name"] == formula, "JSON Lines keep the exact name"


def test_codes_slipped_in_behind_records_back_cannot_carry_a_formula_either(client_for, admin, agency_a):
    """The runtime role may INSERT and move the head forward: a row it writes itself (breaking the
    chain) still exports as text."""
    client = client_for(admin)
    sequence = AuditChainHead.objects.get(agency=agency_a).sequence + 1
    AuditEvent.objects.create(agency=agency_a, sequence=sequence, occurred_at=timezone.now(), action="-2+3",
                              target_type="@SUM(A1)", target_id="7,=1+1", data={}, prev_hash="0" * 64,
                              hash="0" * 64, key_id="+x")
    AuditChainHead.objects.filter(agency=agency_a).update(sequence=sequence, hash="0" * 64)
    _, text = download(client, "csv")
    row = next(line for line in csv.reader(io.StringIO(text)) if line[0] == str(sequence))
    assert row[4:7] == ["'-2+3", "'@SUM(A1)", "7,=1+1"] and row[10] == "'+x", "the comma can't start a cell"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r"))
                   for line in csv.reader(io.StringIO(text)) for cell in line)
