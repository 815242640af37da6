"""What every part of `make bench` shares: the scales, the environment the app runs in, Django set-up."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_SERVER", "postgres://postgres@127.0.0.1:5432")
# The audit key the data is chained with and the servers sign with: one fixed key, so a reused
# database still verifies. A benchmark key, never a real one.
AUDIT_KEYS = "bench:benchmark-audit-key-not-a-secret-0123456789"
PASSWORD = "bench-password-2026"
BIG = "bench-big"  # the agency with 30% of the requests; the pages are measured in it


@dataclass(frozen=True)
class Scale:
    name: str
    requests: int
    agencies: int
    big_share: float  # of the requests (and the audit events) in the one big agency
    events: int

    def per_agency(self) -> list[int]:
        """How many requests each agency gets, the big one first."""
        big = round(self.requests * self.big_share) if self.agencies > 1 else self.requests
        rest, others = self.requests - big, self.agencies - 1
        return [big] + [rest // others + (1 if n < rest % others else 0) for n in range(others)]

    def events_for(self, requests: int) -> int:
        return round(self.events * requests / self.requests) if self.requests else 0


SCALES = {
    "full": Scale("full", 1_000_000, 50, 0.3, 5_000_000),
    "quick": Scale("quick", 20_000, 50, 0.3, 100_000),
    "small": Scale("small", 10, 2, 0.8, 50),  # "at 10 rows": the query counts' small database
}


def environment(database: str, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off, collected static files) served over plain HTTP on loopback."""
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{database}",
        "DEBUG": "false",
        "SECRET_KEY": "bench-secret-key-not-for-production-0123456789abcdefghijklmnop",
        "AUDIT_KEYS": AUDIT_KEYS,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",  # loopback only: no TLS in front of the bench servers
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_MANIFEST": "true",
        "DJANGO_SETTINGS_MODULE": "boundaries.settings",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        # wrk sends one token thousands of times a second: the limit is still counted on every request
        # (its cost is measured), but set where it never refuses.
        "API_RATE": "1000000/min",
        **extra,
    }


def django_setup(database: str, settings: str = "boundaries.settings") -> None:
    os.environ.update(environment(database, DJANGO_SETTINGS_MODULE=settings))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
