"""The canonical form of an event and its hash. Pure functions, shared by record and verify.

New events are hashed with HMAC-SHA256 under an audit key (audit/keys.py), so nobody without the
key can recompute a rewritten chain. Events written before the chain was keyed have an empty key
id and a plain SHA-256 over a body without a key id; they still verify (audit/verify.py limits
where they may stand).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import datetime, timezone

GENESIS_HASH = "0" * 64
CHECKPOINT_DOMAIN = b"boundaries-audit-checkpoint\n"  # a checkpoint's MAC can never pass for an event's


def canonical_time(moment: datetime) -> str:
    """UTC, always six digits of microseconds, then Z: 2026-01-31T09:05:00.000000Z."""
    if moment.utcoffset():
        moment = moment.astimezone(timezone.utc)
    # isoformat is several times faster than strftime, which matters to a million-row export.
    return moment.isoformat(timespec="microseconds")[:-6] + "Z"


def canonical_data(data: dict) -> str:
    """The `data` object exactly as it is written inside the hashed body."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(*, agency_id: int, sequence: int, occurred_at: datetime, actor_id: int | None,
                   action: str, target_type: str, target_id: str, data: dict, prev_hash: str,
                   key_id: str = "") -> bytes:
    body = {
        "agency": agency_id,
        "sequence": sequence,
        "occurred_at": canonical_time(occurred_at),
        "actor": actor_id,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "data": data,
        "prev_hash": prev_hash,
    }
    if key_id:  # unkeyed events keep the body they were hashed with
        body["key_id"] = key_id
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def hasher(key: bytes | None) -> Callable[[bytes], str]:
    """HMAC-SHA256 under `key`, or plain SHA-256 for unkeyed events; reused across a whole chain."""
    if key is None:
        return lambda body: hashlib.sha256(body).hexdigest()
    base = hmac.new(key, digestmod=hashlib.sha256)

    def digest(body: bytes) -> str:
        mac = base.copy()  # the key's padding is worked out once, not per event
        mac.update(body)
        return mac.hexdigest()

    return digest


def event_hash(*, key: bytes | None = None, key_id: str = "", **fields) -> str:
    if (key is None) != (not key_id):
        raise ValueError("A keyed event needs both its key and its key id; an unkeyed one neither.")
    return hasher(key)(canonical_json(key_id=key_id, **fields))


def checkpoint_body(checkpoint: dict) -> bytes:
    """What a checkpoint's signature covers: every field but the signature, canonically."""
    fields = {name: value for name, value in checkpoint.items() if name != "signature"}
    return CHECKPOINT_DOMAIN + json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def checkpoint_signature(key: bytes, checkpoint: dict) -> str:
    return hmac.new(key, checkpoint_body(checkpoint), hashlib.sha256).hexdigest()
