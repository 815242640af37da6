"""Reads that may be a moment behind go to the streaming replica, when there is one.

Off by default: with no DATABASE_REPLICA_URL there is no "replica" database and no router, and
`replica_reads` changes nothing. With one, the views wrapped in `replica_reads` (the dashboard)
read every row from the replica; everything else, and every write, uses the primary, so a
page never misses what its own user has just saved. The audit export reads the replica only
once it has replayed the export's own event (`replica_caught_up`). See docs/scaling.md.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Callable, Iterator

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside this block, reads go to the replica (when one is configured)."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def reads_from_replica(view: Callable) -> Callable:
    """A view whose own reads may come from the replica. The middleware's reads (session, user,
    membership) run before it, on the primary."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


def replica_caught_up(*, timeout: float = 1.0) -> bool:
    """True once the replica has replayed all the primary has committed so far, waiting up to
    `timeout` seconds; False at once without a PostgreSQL replica."""
    if not replica_configured() or connections["default"].vendor != "postgresql":
        return False
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (written,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    while True:
        with connections[REPLICA].cursor() as cursor:
            # NULL (so not caught up) on a server that is not a standby.
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            (caught_up,) = cursor.fetchone()
        if caught_up or time.monotonic() >= deadline:
            return bool(caught_up)
        time.sleep(0.02)


class ReplicaRouter:
    """Installed only when DATABASE_REPLICA_URL is set (boundaries/settings.py)."""

    def db_for_read(self, model, **hints) -> str | None:
        return REPLICA if _reading_from_replica.get() else None

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same rows on both: the replica is a copy of the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool:
        return db != REPLICA  # a replica takes its schema from the primary's WAL
