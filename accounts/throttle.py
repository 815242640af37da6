"""Counting requests per source in fixed windows, in the database so every worker sees the same count."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import IntegrityError, transaction

from .models import RateLimit


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def throttle_take(*, scope: str, key: str, limit: int, window: dt.timedelta, now: dt.datetime) -> bool:
    """Count one request of `scope` from `key`; False (and nothing counted) once `limit` is reached.

    The row is locked while counting, so requests racing each other are counted one by one.
    """
    key_hash = _hash(key)
    with transaction.atomic():
        try:
            with transaction.atomic():
                RateLimit.objects.get_or_create(scope=scope, key_hash=key_hash, defaults={"window_start": now})
        except IntegrityError:
            pass  # created meanwhile by a request racing this one; the lock below waits for it
        row = RateLimit.objects.select_for_update().get(scope=scope, key_hash=key_hash)
        if now - row.window_start >= window:
            row.window_start, row.count = now, 0
        if row.count >= limit:
            return False
        row.count += 1
        row.save(update_fields=["window_start", "count"])
    return True


def throttle_forget_old(*, window: dt.timedelta, now: dt.datetime) -> int:
    """Drop counters whose window ended long ago, so the table stays the size of recent traffic."""
    deleted, _ = RateLimit.objects.filter(window_start__lt=now - window).delete()
    return deleted
