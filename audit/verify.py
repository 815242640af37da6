"""Recompute the hash chains: the proof that no stored event was changed, removed or reordered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accounts.models import Agency

from .hashing import GENESIS_HASH, event_hash
from .models import AuditChainHead, AuditEvent

CHUNK_SIZE = 2000
_FIELDS = ("pk", "sequence", "occurred_at", "actor_id", "action", "target_type", "target_id",
           "data", "prev_hash", "hash")


@dataclass(frozen=True)
class ChainBreak:
    agency: str
    sequence: int
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        event = f"event id {self.event_id}" if self.event_id is not None else "no stored event"
        return f"agency {self.agency}, sequence {self.sequence} ({event}): {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken: ChainBreak | None


def _fault(agency: Agency, row: tuple, expected: int, previous: str, previous_time) -> ChainBreak | None:
    pk, sequence, occurred_at, actor_id, action, target_type, target_id, data, prev_hash, digest = row
    if sequence != expected:
        return ChainBreak(agency.slug, expected, None,
                          f"the event is missing (the next stored one is sequence {sequence}, id {pk})")
    if prev_hash != previous:
        return ChainBreak(agency.slug, sequence, pk,
                          "it does not follow the event before it: an event was removed, replaced or reordered")
    recomputed = event_hash(agency_id=agency.pk, sequence=sequence, occurred_at=occurred_at,
                            actor_id=actor_id, action=action, target_type=target_type,
                            target_id=target_id, data=data, prev_hash=prev_hash)
    if recomputed != digest:
        return ChainBreak(agency.slug, sequence, pk, "its stored content no longer matches its hash: it was changed")
    if previous_time is not None and occurred_at < previous_time:
        return ChainBreak(agency.slug, sequence, pk, "its time is earlier than the event before it")
    return None


def verify_agency(agency: Agency, *, chunk_size: int = CHUNK_SIZE) -> ChainReport:
    """Walk one agency's chain in sequence order, holding one chunk of rows at a time."""
    rows = (AuditEvent.objects.filter(agency=agency).order_by("sequence")
            .values_list(*_FIELDS).iterator(chunk_size=chunk_size))
    expected, previous, previous_time, checked = 1, GENESIS_HASH, None, 0
    for row in rows:
        fault = _fault(agency, row, expected, previous, previous_time)
        if fault is not None:
            return ChainReport(checked, fault)
        expected, previous, previous_time, checked = expected + 1, row[-1], row[2], checked + 1
    head = AuditChainHead.objects.filter(agency=agency).first()
    head_sequence, head_hash = (head.sequence, head.hash) if head else (0, GENESIS_HASH)
    if (head_sequence, head_hash) != (checked, previous):
        # The newest events were removed, or the head itself was changed.
        return ChainReport(checked, ChainBreak(
            agency.slug, checked + 1 if head_sequence > checked else head_sequence, None,
            f"the chain head says sequence {head_sequence} but the stored chain ends at {checked}"
            if head_sequence != checked else "the chain head's hash does not match the newest event",
        ))
    return ChainReport(checked, None)


def verify_agencies(agencies: Iterable[Agency], *, chunk_size: int = CHUNK_SIZE) -> ChainReport:
    """Stop at the first break; otherwise the total number of events checked."""
    total = 0
    for agency in agencies:
        report = verify_agency(agency, chunk_size=chunk_size)
        total += report.checked
        if report.broken is not None:
            return ChainReport(total, report.broken)
    return ChainReport(total, None)
