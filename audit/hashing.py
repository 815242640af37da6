"""The canonical form of an event and its hash. Pure functions, shared by record and verify."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

GENESIS_HASH = "0" * 64


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
                   action: str, target_type: str, target_id: str, data: dict, prev_hash: str) -> bytes:
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
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(**fields) -> str:
    return hashlib.sha256(canonical_json(**fields)).hexdigest()
