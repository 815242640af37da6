"""The audit keys, from settings.AUDIT_KEYS (the environment): never stored in the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class AuditKey:
    id: str
    secret: bytes

    def __repr__(self) -> str:  # keeps the secret out of tracebacks and logs
        return f"AuditKey({self.id!r})"


def signing_key() -> AuditKey:
    """The key new events and checkpoints are signed with: the first one listed."""
    key_id, secret = settings.AUDIT_KEYS[0]
    return AuditKey(key_id, secret.encode())


def key_for(key_id: str) -> AuditKey | None:
    """A key that may still verify older events, or None once it has been retired."""
    for known_id, secret in settings.AUDIT_KEYS:
        if known_id == key_id:
            return AuditKey(known_id, secret.encode())
    return None
