"""Recording audit events: the one way anything is written to the trail."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone

from boundaries.prepared import execute

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


# The three statements of an append, written once from the models' own table and column names and
# run with the fields' own conversions (the JSON data, the times): through the ORM, building and
# compiling them cost more than running them, on every page that records what someone did (issue 14).
# On PostgreSQL each connection plans them once (boundaries/prepared.py): their values are keys.
_EVENT_COLUMNS = ("agency_id", "sequence", "occurred_at", "actor_id", "action", "target_type", "target_id",
                  "data", "prev_hash", "hash", "key_id")
_HEAD_COLUMNS = ("sequence", "hash", "occurred_at")


@cache
def _statements(alias: str) -> dict[str, str]:
    connection = connections[alias]
    q, lock = connection.ops.quote_name, " FOR UPDATE" if connection.features.has_select_for_update else ""
    event, head = AuditEvent._meta, AuditChainHead._meta
    columns = ", ".join(q(event.get_field(name).column) for name in _EVENT_COLUMNS)
    return {
        "lock": f"SELECT {', '.join(q(name) for name in _HEAD_COLUMNS)} FROM {q(head.db_table)} "
                f"WHERE {q(head.pk.column)} = %s{lock}",
        "insert": f"INSERT INTO {q(event.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(_EVENT_COLUMNS))})"
                  + (f" RETURNING {q(event.pk.column)}" if connection.features.can_return_columns_from_insert else ""),
        "move": f"UPDATE {q(head.db_table)} SET {', '.join(f'{q(name)} = %s' for name in _HEAD_COLUMNS)} "
                f"WHERE {q(head.pk.column)} = %s",
    }


def _alias() -> str:
    return router.db_for_write(AuditEvent)


def _lock_head(agency, *, made: bool = False) -> tuple[int, str, object]:
    """Lock the agency's chain head and read it (sequence, hash, time): one query, since every agency
    gets its head when it is made (audit/signals.py, and migration 0010 for the agencies made before)."""
    alias = _alias()
    connection = connections[alias]
    with connection.cursor() as cursor:
        execute(cursor, _statements(alias)["lock"], [agency.pk])
        found = cursor.fetchone()
    if found is not None:
        sequence, digest, occurred_at = found
        column = AuditChainHead._meta.get_field("occurred_at").get_col(AuditChainHead._meta.db_table)
        for convert in connection.ops.get_db_converters(column):  # SQLite keeps times as text
            occurred_at = convert(occurred_at, column, connection)
        return sequence, digest, occurred_at
    if made:
        raise AuditChainHead.DoesNotExist(f"Agency {agency.pk} has no audit chain head and none could be made.")
    # Only for an agency written straight into the database (a bulk load): make its head once.
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(agency=agency)
    except IntegrityError:
        pass  # another writer made it first; the lock below waits for them
    return _lock_head(agency, made=True)


def _append(fields: dict[str, Any], head_values: tuple) -> int:
    """Write the event and move the head to it; the event's id."""
    alias = _alias()
    connection, statements = connections[alias], _statements(alias)
    event, head = AuditEvent._meta, AuditChainHead._meta
    params = [event.get_field(name).get_db_prep_save(fields[name], connection)
              for name in _EVENT_COLUMNS]
    moved = [head.get_field(name).get_db_prep_save(value, connection)
             for name, value in zip(_HEAD_COLUMNS, head_values)]
    with connection.cursor() as cursor:
        execute(cursor, statements["insert"], params)
        pk = cursor.fetchone()[0] if connection.features.can_return_columns_from_insert else cursor.lastrowid
        execute(cursor, statements["move"], [*moved, fields["agency_id"]])
    return pk


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
    with transaction.atomic(using=_alias(), savepoint=False):
        sequence, prev_hash, last_at = _lock_head(agency)
        # Times never run backwards along a chain, even if the clock is stepped back, so a date
        # range is also a sequence range (audit/filters.py relies on it).
        now = timezone.now()
        if last_at is not None and now < last_at:
            now = last_at
        fields = dict(
            agency_id=agency.pk,
            sequence=sequence + 1,
            occurred_at=now,
            actor_id=actor.pk if actor is not None else None,
            action=action.value,
            target_type=target_type,
            target_id=target_id,
            data=data,
            prev_hash=prev_hash,
        )
        digest = event_hash(key=key.secret, key_id=key.id, **fields)
        fields.update(hash=digest, key_id=key.id)
        event = AuditEvent(pk=_append(fields, (fields["sequence"], digest, now)), **fields)
    event._state.adding, event._state.db = False, _alias()
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
