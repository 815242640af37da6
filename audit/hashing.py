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
from json.encoder import encode_basestring

GENESIS_HASH = "0" * 64
CHECKPOINT_DOMAIN = b"boundaries-audit-checkpoint\n"  # a checkpoint's MAC can never pass for an event's


def canonical_time(moment: datetime) -> str:
    """UTC, always six digits of microseconds, then Z: 2026-01-31T09:05:00.000000Z."""
    if moment.utcoffset():
        moment = moment.astimezone(timezone.utc)
    # isoformat is several times faster than strftime, which matters to a million-row export.
    return moment.isoformat(timespec="microseconds")[:-6] + "Z"


# One encoder for every event: json.dumps with these arguments builds a new encoder on each call.
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def canonical_data(data: dict) -> str:
    """The `data` object exactly as it is written inside the hashed body."""
    return _ENCODE(data)


def _json(value) -> str:
    """One value as json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False) writes it."""
    if type(value) is str:
        return encode_basestring(value)
    if type(value) is int:
        return str(value)
    if value is None:
        return "null"
    return _ENCODE(value)


def canonical_json(*, agency_id: int, sequence: int, occurred_at: datetime, actor_id: int | None,
                   action: str, target_type: str, target_id: str, data: dict, prev_hash: str,
                   key_id: str = "") -> bytes:
    """The event's body as json.dumps({...}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    writes it (audit/tests/test_hashing.py holds the two equal)."""
    return canonical_body(agency=_json(agency_id), sequence=sequence, occurred_at=canonical_time(occurred_at),
                          actor_id=actor_id, action=action, target_type=target_type, target_id=target_id,
                          data=canonical_data(data), prev_hash=prev_hash, key_id=key_id)


def canonical_body(*, agency: str, sequence: int, occurred_at: str, actor_id: int | None, action: str,
                   target_type: str, target_id: str, data: str, prev_hash: str, key_id: str) -> bytes:
    """The same body from text already in canonical form: `agency` as JSON, `occurred_at` as
    canonical_time writes it and `data` as canonical_data writes it; the other text fields are
    strings, as stored. audit_verify feeds it times the database wrote and data it has seen before,
    so a million events are not parsed and written again one by one.

    Built field by field in sorted key order: building and sorting a dictionary per event was half
    of what `audit_verify` spent.
    """
    return "".join((
        '{"action":', encode_basestring(action), ',"actor":', "null" if actor_id is None else str(actor_id),
        ',"agency":', agency, ',"data":', data,
        # Unkeyed events keep the body they were hashed with: no key_id at all.
        ',"key_id":' + encode_basestring(key_id) if key_id else "",
        ',"occurred_at":"', occurred_at, '","prev_hash":', encode_basestring(prev_hash),
        ',"sequence":', str(sequence), ',"target_id":', encode_basestring(target_id),
        ',"target_type":', encode_basestring(target_type), "}",
    )).encode()


# RFC 2104's block size and its two pads, as byte-translation tables: key.translate(_IPAD) is key XOR 0x36.
_BLOCK = hashlib.sha256().block_size
_IPAD = bytes(byte ^ 0x36 for byte in range(256))
_OPAD = bytes(byte ^ 0x5C for byte in range(256))


def hasher(key: bytes | None) -> Callable[[bytes], str]:
    """HMAC-SHA256 under `key`, or plain SHA-256 for unkeyed events; reused across a whole chain.

    HMAC written out (RFC 2104) over two SHA-256 states padded with the key once: copying those is a
    third cheaper per event than copying an hmac object, which matters to a five-million-event verify.
    audit/tests/test_hashing.py holds it equal to hmac.new for keys of every length.
    """
    if key is None:
        return lambda body: hashlib.sha256(body).hexdigest()
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    inner_start = hashlib.sha256(key.translate(_IPAD))
    outer_start = hashlib.sha256(key.translate(_OPAD))

    def digest(body: bytes) -> str:
        inner = inner_start.copy()
        inner.update(body)
        outer = outer_start.copy()
        outer.update(inner.digest())
        return outer.hexdigest()

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
