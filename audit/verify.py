"""Recompute the hash chains: the proof that no stored event was changed, removed or reordered.

Keyed events (a key id) are checked with HMAC-SHA256 under that audit key, so a chain rewritten
without the key fails. Unkeyed events, from before the chain was keyed, are checked with plain
SHA-256, and may only come before the first keyed event: a chain never ends unkeyed, because
migration 0005 closed every older chain with a keyed event. A chain may start after sequence 1
only when a keyed `audit.purged` event names the last event removed (audit/retention.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connections, transaction

from accounts.models import Agency

from .hashing import GENESIS_HASH, canonical_body, hasher
from .keys import key_for
from .models import AuditAction, AuditChainHead, AuditEvent
from .stored import canonical_data_text, parsed_data, with_text

CHUNK_SIZE = 2000
# Time and data as text in canonical form (audit/stored.py): canonical times compare in time order
# as text, since every one has the same width.
_FIELDS = ("pk", "sequence", "occurred_text", "actor_id", "action", "target_type", "target_id",
           "data_text", "prev_hash", "hash", "key_id")


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
    unkeyed: int = 0  # events from before the chain was keyed, checked with plain SHA-256
    purged: tuple[tuple[str, int], ...] = ()  # (agency, last purged sequence) for chains that start later


@dataclass
class _Walk:
    """Where the walk along one chain has got to."""

    agency: Agency
    agency_json: str = field(init=False)  # the agency's id as the hashed body writes it
    expected: int = 1
    previous: str = GENESIS_HASH
    previous_time: str | None = None
    keyed: bool = False  # a keyed event has been seen: no unkeyed one may follow
    unkeyed: int = 0
    checked: int = 0
    purge_unaccounted: tuple[int, str] | None = None  # (last missing sequence, its hash) until a purge event names it
    hashers: dict[str, Callable[[bytes], str] | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.agency_json = str(self.agency.pk)

    def hasher_for(self, key_id: str) -> Callable[[bytes], str] | None:
        if key_id not in self.hashers:
            key = key_for(key_id) if key_id else None
            self.hashers[key_id] = None if key_id and key is None else hasher(key.secret if key else None)
        return self.hashers[key_id]


def _fault(walk: _Walk, row: tuple) -> ChainBreak | None:
    pk, sequence, occurred_at, actor_id, action, target_type, target_id, data, prev_hash, digest, key_id = row
    slug = walk.agency.slug
    if sequence != walk.expected:
        return ChainBreak(slug, walk.expected, None,
                          f"the event is missing (the next stored one is sequence {sequence}, id {pk})")
    if prev_hash != walk.previous:
        return ChainBreak(slug, sequence, pk,
                          "it does not follow the event before it: an event was removed, replaced or reordered")
    if not key_id and walk.keyed:
        return ChainBreak(slug, sequence, pk, "it is not keyed, but an event before it is: "
                                              "only events from before the chain was keyed may lack a key")
    digest_of = walk.hasher_for(key_id)
    if digest_of is None:
        return ChainBreak(slug, sequence, pk, f"it was signed with the audit key {key_id!r}, which is not in "
                                              "AUDIT_KEYS: add that key back (after the current one) to check it")
    recomputed = digest_of(canonical_body(
        agency=walk.agency_json, sequence=sequence, occurred_at=occurred_at, actor_id=actor_id, action=action,
        target_type=target_type, target_id=target_id, data=canonical_data_text(data), prev_hash=prev_hash,
        key_id=key_id))
    if recomputed != digest:
        return ChainBreak(slug, sequence, pk, "its stored content no longer matches its hash: it was changed, "
                                              "or rewritten without the audit key")
    if walk.previous_time is not None and occurred_at < walk.previous_time:
        return ChainBreak(slug, sequence, pk, "its time is earlier than the event before it")
    return None


def _step(walk: _Walk, row: tuple) -> None:
    sequence, occurred_at, action, data, digest, key_id = row[1], row[2], row[4], row[7], row[9], row[10]
    if walk.purge_unaccounted and key_id and action == AuditAction.AUDIT_PURGED:
        data = parsed_data(data)
        if isinstance(data, dict) and (data.get("through"), data.get("through_hash")) == walk.purge_unaccounted:
            walk.purge_unaccounted = None
    walk.keyed = walk.keyed or bool(key_id)
    walk.unkeyed += not key_id
    walk.expected, walk.previous, walk.previous_time = sequence + 1, digest, occurred_at
    walk.checked += 1


def _start_after_purge(walk: _Walk, first: tuple) -> None:
    """A chain whose oldest events were purged is checked from its first remaining event."""
    sequence, prev_hash = first[1], first[8]
    if sequence > 1:
        walk.expected, walk.previous = sequence, prev_hash
        walk.purge_unaccounted = (sequence - 1, prev_hash)


def _ending(walk: _Walk) -> ChainBreak | None:
    slug = walk.agency.slug
    if walk.purge_unaccounted is not None:
        last = walk.purge_unaccounted[0]
        return ChainBreak(slug, 1, None, f"events 1 to {last} are missing, and no keyed purge event accounts "
                                         "for them: the start of the chain was removed")
    if walk.checked and not walk.keyed:
        return ChainBreak(slug, walk.expected - 1, None, "the chain ends with an event that is not keyed: "
                                                         "it was rewritten without the audit key")
    head = AuditChainHead.objects.filter(agency=walk.agency).first()
    head_sequence, head_hash = (head.sequence, head.hash) if head else (0, GENESIS_HASH)
    last = walk.expected - 1
    if head_sequence != last:
        # The newest events were removed, or the head itself was changed.
        return ChainBreak(slug, last + 1 if head_sequence > last else head_sequence, None,
                          f"the chain head says sequence {head_sequence} but the stored chain ends at {last}")
    if head_hash != walk.previous:
        return ChainBreak(slug, head_sequence, None, "the chain head's hash does not match the newest event")
    return None


def verify_agency(agency: Agency, *, chunk_size: int = CHUNK_SIZE) -> ChainReport:
    """Walk one agency's chain in sequence order, holding one chunk of rows at a time.

    The events and the chain head are read in one snapshot (one REPEATABLE READ transaction on
    PostgreSQL), so events recorded while the walk goes on never look like a head ahead of its chain.
    Inside a transaction the walk also reads through a plain server-side cursor, not the WITH HOLD one
    Django needs in autocommit, which copied every row once more before the first was read.
    """
    with transaction.atomic(using=AuditEvent.objects.db):
        _one_snapshot()
        rows = (with_text(AuditEvent.objects.filter(agency=agency)).order_by("sequence")
                .values_list(*_FIELDS).iterator(chunk_size=chunk_size))
        walk = _Walk(agency)
        for row in rows:
            if walk.checked == 0:
                _start_after_purge(walk, row)
            fault = _fault(walk, row)
            if fault is not None:
                return ChainReport(walk.checked, fault, walk.unkeyed)
            _step(walk, row)
        start = walk.expected - walk.checked
        purged = ((agency.slug, start - 1),) if start > 1 else ()
        return ChainReport(walk.checked, _ending(walk), walk.unkeyed, purged)


def _one_snapshot() -> None:
    """Ask PostgreSQL for one snapshot for the whole transaction. Inside a caller's transaction the
    caller chose its level already (and PostgreSQL takes it only as a transaction's first statement);
    SQLite's transactions are one snapshot anyway."""
    connection = connections[AuditEvent.objects.db]
    outer = len(connection.atomic_blocks) > 1
    if connection.vendor == "postgresql" and not outer:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def verify_agencies(agencies: Iterable[Agency], *, chunk_size: int = CHUNK_SIZE) -> ChainReport:
    """Stop at the first break; otherwise the total number of events checked."""
    total, unkeyed, purged = 0, 0, ()
    for agency in agencies:
        report = verify_agency(agency, chunk_size=chunk_size)
        total, unkeyed, purged = total + report.checked, unkeyed + report.unkeyed, purged + report.purged
        if report.broken is not None:
            return ChainReport(total, report.broken, unkeyed, purged)
    return ChainReport(total, None, unkeyed, purged)
