"""Signed checkpoints: an agency's chain head at a moment, kept outside the database.

A checkpoint is one JSON line (agency, agency id, sequence, head hash, time, key id and an
HMAC-SHA256 signature under the audit key). Kept elsewhere (a file on another volume, a mail),
it proves later that the chain still holds that event unchanged: cutting off the tail, moving
the head back or rewriting the chain are all caught, even by someone who owns the database.
"""

from __future__ import annotations

import csv
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from accounts.models import Agency

from .hashing import GENESIS_HASH, canonical_time, checkpoint_signature
from .keys import key_for, signing_key
from .models import AuditChainHead, AuditEvent

FIELDS = ("agency", "agency_id", "sequence", "hash", "at", "key_id", "signature")
CSV_MARK = "#checkpoint"
_LOOKUP_BATCH = 1000


class CheckpointError(ValueError):
    """A line that is not a usable checkpoint; the message says why."""


@dataclass(frozen=True)
class Checkpoint:
    agency: str
    agency_id: int
    sequence: int
    hash: str
    at: str
    key_id: str
    signature: str
    line: int = 0  # where it was read from, for messages

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in FIELDS}

    def __str__(self) -> str:
        return f"checkpoint of {self.agency} at sequence {self.sequence} (taken {self.at})"


def checkpoint_sign(*, agency_slug: str, agency_id: int, sequence: int, head_hash: str,
                    now: datetime | None = None) -> Checkpoint:
    key = signing_key()
    fields = {"agency": agency_slug, "agency_id": agency_id, "sequence": sequence, "hash": head_hash,
              "at": canonical_time(now or timezone.now()), "key_id": key.id}
    return Checkpoint(**fields, signature=checkpoint_signature(key.secret, fields))


def checkpoint_take(*, agency: Agency, now: datetime | None = None) -> Checkpoint:
    """The agency's chain head, signed. An agency with no events is at sequence 0."""
    head = AuditChainHead.objects.filter(agency=agency).values_list("sequence", "hash").first()
    sequence, head_hash = head or (0, GENESIS_HASH)
    return checkpoint_sign(agency_slug=agency.slug, agency_id=agency.pk, sequence=sequence, head_hash=head_hash,
                           now=now)


def checkpoint_line(checkpoint: Checkpoint) -> str:
    return json.dumps(checkpoint.as_dict(), separators=(",", ":"))


def checkpoint_parse(fields: object, *, line: int) -> Checkpoint:
    """A checkpoint from its JSON object, its signature checked."""
    if isinstance(fields, dict) and set(fields) == {"checkpoint"}:
        fields = fields["checkpoint"]  # the closing line of a JSON Lines export
    if not isinstance(fields, dict) or set(fields) != set(FIELDS):
        raise CheckpointError(f"line {line} is not a checkpoint (it needs exactly: {', '.join(FIELDS)})")
    kinds = {"agency": str, "agency_id": int, "sequence": int, "hash": str, "at": str, "key_id": str,
             "signature": str}
    if any(type(fields[name]) is not kind for name, kind in kinds.items()):
        raise CheckpointError(f"line {line} is not a checkpoint: a field has the wrong type")
    key = key_for(fields["key_id"])
    if key is None:
        raise CheckpointError(f"line {line} was signed with the audit key {fields['key_id']!r}, which is not in "
                              "AUDIT_KEYS: add that key back (after the current one) to check it")
    if not hmac.compare_digest(checkpoint_signature(key.secret, fields), fields["signature"]):
        raise CheckpointError(f"line {line}: the signature does not match: the checkpoint was changed, "
                              "or signed with another key of the same id")
    return Checkpoint(**fields, line=line)


def _json_or_none(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _export_kind(first: str) -> str | None:
    """'csv' or 'jsonl' when the file is an audit export, whose last line is its checkpoint."""
    if first.startswith("sequence,occurred_at,"):
        return "csv"
    parsed = _json_or_none(first)
    if isinstance(parsed, dict) and "prev_hash" in parsed:
        return "jsonl"
    return None


def _candidates(lines: list[str]) -> Iterator[tuple[int, object]]:
    """(line number, JSON object) of every line that should be a checkpoint."""
    numbered = [(number, text) for number, text in enumerate(lines, start=1) if text.strip()]
    kind = _export_kind(numbered[0][1]) if numbered else None
    if kind is None:  # a file of checkpoints: every line must be one
        for number, text in numbered:
            yield number, _json_or_none(text)
        return
    # An export: only its last line is its checkpoint (a name can't smuggle in another one).
    number, text = numbered[-1]
    if kind == "jsonl":
        yield number, _json_or_none(text)
        return
    cells = next(csv.reader([text])) if text.startswith(CSV_MARK + ",") else []
    yield number, _json_or_none(cells[1]) if len(cells) == 2 else None


def checkpoints_read(path: Path) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints of a checkpoint file or an export, and a problem for each line that isn't one."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found, problems = [], []
    for number, fields in _candidates(lines):
        try:
            found.append(checkpoint_parse(fields, line=number))
        except CheckpointError as error:
            problems.append(str(error))
    if not found and not problems:
        problems.append("it holds no checkpoint")
    return found, problems


def _stored_hashes(agency_id: int, sequences: Iterable[int]) -> dict[int, str]:
    wanted, hashes = sorted(set(sequences)), {}
    for start in range(0, len(wanted), _LOOKUP_BATCH):
        batch = wanted[start:start + _LOOKUP_BATCH]
        hashes.update(AuditEvent.objects.filter(agency_id=agency_id, sequence__in=batch)
                      .values_list("sequence", "hash"))
    return hashes


def _problem(checkpoint: Checkpoint, stored: dict[int, str], first, last: int) -> str | None:
    """Why the chain no longer contains this checkpoint, or None when it does (or it was lawfully purged)."""
    sequence = checkpoint.sequence
    if sequence == 0:
        return None if checkpoint.hash == GENESIS_HASH else "it claims an empty chain with a hash"
    if sequence > last:
        return (f"the chain now ends at sequence {last}: the events after it, up to at least {sequence}, "
                "were cut off" if last else "no events of this agency remain: the whole chain was removed")
    if sequence in stored:
        return None if stored[sequence] == checkpoint.hash else (
            f"event {sequence} was rewritten: its hash is no longer the one in the checkpoint")
    first_sequence, first_prev_hash = first
    if sequence < first_sequence:
        # Purged: the chain check insists on a keyed purge event for that. The last purged event's
        # hash is still known, as the prev_hash of the first remaining one.
        if sequence == first_sequence - 1 and first_prev_hash != checkpoint.hash:
            return f"event {sequence} was rewritten before it was purged: its hash is not the one in the checkpoint"
        return None
    return f"event {sequence} is missing from the chain"


def checkpoints_check(checkpoints: list[Checkpoint]) -> list[tuple[Checkpoint, str | None]]:
    """Each checkpoint with the reason the chain no longer contains it, or None when it does."""
    results = []
    by_agency: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        by_agency.setdefault(checkpoint.agency_id, []).append(checkpoint)
    known = set(Agency.objects.filter(pk__in=by_agency).values_list("pk", flat=True))
    for agency_id, group in by_agency.items():
        if agency_id not in known:
            results += [(c, f"agency {c.agency} (id {agency_id}) is no longer in the database") for c in group]
            continue
        events = AuditEvent.objects.filter(agency_id=agency_id)
        first = events.order_by("sequence").values_list("sequence", "prev_hash").first() or (0, GENESIS_HASH)
        last = events.order_by("-sequence").values_list("sequence", flat=True).first() or 0
        stored = _stored_hashes(agency_id, (c.sequence for c in group))
        results += [(c, _problem(c, stored, first, last)) for c in group]
    return sorted(results, key=lambda pair: pair[0].line)
