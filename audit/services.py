"""Recording audit events: the one way anything is written to the trail."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .hashing import event_hash
from .keys import signing_key
from .models import AuditAction, AuditChainHead, AuditEvent

# Values in `data` are codes, numbers, dates and flags: never free text, names or notes.
# A slash is allowed for the IANA zone names ("America/New_York"), codes like any other.
_CODE = re.compile(r"^[A-Za-z0-9_.:@+/\-]{0,64}$")


def _check_value(key: str, value: Any) -> None:
    if value is None or isinstance(value, (bool, int)):
        return
    if isinstance(value, str) and _CODE.match(value):
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_value(key, item)
        return
    raise ValueError(f"Audit data {key!r} must be a code, number, date or flag, not free text.")


def _check_data(data: dict[str, Any]) -> dict[str, Any]:
    for key, value in data.items():
        if not _CODE.match(key):
            raise ValueError(f"Audit data key {key!r} is not a code.")
        _check_value(key, value)
    return dict(data)


def _lock_head(agency) -> AuditChainHead:
    """Lock the agency's chain head: one query, since every agency gets its head when it is made
    (audit/signals.py, and migration 0010 for the agencies made before)."""
    heads = AuditChainHead.objects.select_for_update()
    try:
        return heads.get(agency=agency)
    except AuditChainHead.DoesNotExist:
        pass
    # Only for an agency written straight into the database (a bulk load): make its head once.
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(agency=agency)
    except IntegrityError:
        pass  # another writer made it first; the lock below waits for them
    return heads.get(agency=agency)


def record(*, agency, action: AuditAction | str, actor=None, target: models.Model | None = None,
           data: dict[str, Any] | None = None) -> AuditEvent:
    """Append one event to the agency's hash chain, keyed with the current audit key."""
    action = AuditAction(action)
    key = signing_key()
    data = _check_data(data or {})
    target_type = target._meta.label_lower if target is not None else ""
    target_id = str(target.pk) if target is not None else ""
    # Everything that needs no lock is done above. No savepoint inside a caller's transaction: nothing
    # below can fail without failing the whole write, and the savepoint cost two queries per event.
    with transaction.atomic(savepoint=False):
        head = _lock_head(agency)
        # Times never run backwards along a chain, even if the clock is stepped back, so a date
        # range is also a sequence range (audit/filters.py relies on it).
        now = timezone.now()
        if head.occurred_at is not None and now < head.occurred_at:
            now = head.occurred_at
        fields = dict(
            agency_id=agency.pk,
            sequence=head.sequence + 1,
            occurred_at=now,
            actor_id=actor.pk if actor is not None else None,
            action=action.value,
            target_type=target_type,
            target_id=target_id,
            data=data,
            prev_hash=head.hash,
        )
        digest = event_hash(key=key.secret, key_id=key.id, **fields)
        event = AuditEvent.objects.create(**fields, hash=digest, key_id=key.id)
        head.sequence, head.hash, head.occurred_at = event.sequence, digest, now
        head.save(update_fields=["sequence", "hash", "occurred_at"])
    return event


def record_at_most_every(*, agency, action: AuditAction | str, window, actor=None,
                         data: dict[str, Any] | None = None) -> AuditEvent | None:
    """Append the event unless the same actor already has one of this action within `window`.

    For what a caller can repeat at will (failed sign-ins, refused pages): the trail keeps one
    event per window instead of one per attempt, so nobody can grow it by hammering. The cheap
    check runs first without the chain lock; it is repeated under the lock, so racing attempts
    still leave one event.
    """
    action = AuditAction(action)

    def recent() -> bool:
        since = timezone.now() - window
        return AuditEvent.objects.filter(agency=agency, actor=actor, action=action.value,
                                         occurred_at__gte=since).exists()

    if recent():
        return None
    with transaction.atomic(savepoint=False):
        _lock_head(agency)
        if recent():
            return None
        return record(agency=agency, action=action, actor=actor, data=data)
