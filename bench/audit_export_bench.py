"""Benchmark: stream a million audit events as CSV, against PostgreSQL's own COPY.

    python bench/audit_export_bench.py [--events 1000000] [--server postgres://postgres@127.0.0.1:5432]
                                       [--database boundaries_bench]

Creates (and drops first) the database `boundaries_bench_export` on the server, migrates it, fills
one agency's chain with valid events, HMAC-chained under the audit key, through COPY FROM, then, in a fresh
process, times the export's CSV writer (audit.exports.csv_chunks, the generator the view
streams) consumed to the end, and in this process COPY (SELECT ...) TO STDOUT WITH CSV of
the same rows. Prints rows per second for both, the ratio and the export's peak RSS, then
how long one page of the audit list takes for a few filters.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path, where bench/http.py would hide the standard
# library's http; the project's root goes there instead, so `bench.…` imports work.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

from bench import standalone  # noqa: E402
from bench.standalone import rss_mb  # noqa: E402
DATABASE = "boundaries_bench_export"  # --database replaces it in every phase; `make bench` owns boundaries_bench
BATCH = 100_000
ACTIONS = [
    ("auth.sign_in", None, {}), ("auth.sign_out", None, {}), ("request.viewed", "scenarios.contactrequest", {}),
    ("staff.role_changed", "accounts.membership", {"from": "practitioner", "to": "supervisor"}),
    ("access.denied", None, {"view": "accounts:staff_list"}), ("option.chosen", "scenarios.contactrequest",
                                                                {"option": "discuss", "step": 3}),
]


def environment(server: str) -> dict:
    return standalone.environment(server, DATABASE)


def django_setup(server: str) -> None:
    standalone.django_setup(server, DATABASE)


def create_database(server: str) -> None:
    standalone.create_database(server, DATABASE)


def fill(server: str, events: int) -> None:
    """Hash-chained rows computed here and loaded with COPY: record() a million times would take hours."""
    django_setup(server)
    from accounts.models import Agency, Membership, Role, User
    from audit.hashing import GENESIS_HASH, canonical_data, event_hash
    from audit.keys import signing_key
    from audit.models import AuditChainHead

    agency = Agency.objects.create(name="Benchmark Agency", slug="bench")
    staff = [User.objects.create_user(email=f"staff{n}@bench.example", full_name=f"Staff Member {n}")
             for n in range(20)]
    for n, user in enumerate(staff):
        Membership.objects.create(agency=agency, user=user, role=Role.ADMIN if n == 0 else Role.PRACTITIONER)
    random.seed(2026)
    moment = datetime.now(timezone.utc) - timedelta(seconds=30 * events)
    previous, sequence, key = GENESIS_HASH, 0, signing_key()
    connection = psycopg2.connect(f"{server}/{DATABASE}")
    columns = ("(agency_id, sequence, occurred_at, actor_id, action, target_type, target_id, data, prev_hash, hash, "
               "key_id)")
    while sequence < events:
        buffer = io.StringIO()
        for _ in range(min(BATCH, events - sequence)):
            sequence += 1
            moment += timedelta(seconds=30, microseconds=random.randrange(1_000_000))
            actor = random.choice(staff).pk
            action, target_type, data = random.choice(ACTIONS)
            target_id = str(random.randrange(1, 50_000)) if target_type else ""
            digest = event_hash(key=key.secret, key_id=key.id, agency_id=agency.pk, sequence=sequence,
                                occurred_at=moment, actor_id=actor, action=action, target_type=target_type or "",
                                target_id=target_id, data=data, prev_hash=previous)
            buffer.write(f"{agency.pk}\t{sequence}\t{moment.isoformat()}\t{actor}\t{action}\t{target_type or ''}\t"
                         f"{target_id}\t{canonical_data(data)}\t{previous}\t{digest}\t{key.id}\n")
            previous = digest
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY audit_auditevent {columns} FROM STDIN", buffer)
        connection.commit()
        print(f"  loaded {sequence:,} events", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")
    connection.commit()
    connection.close()
    # The head was made with the agency (audit/signals.py); it moves forward to the last event loaded.
    AuditChainHead.objects.filter(agency=agency).update(sequence=sequence, hash=previous, occurred_at=moment)


def export(server: str) -> None:
    """The export path alone, in a fresh process so its peak RSS is its own."""
    django_setup(server)
    from accounts.models import Agency
    from audit import exports
    from audit.models import AuditEvent

    agency = Agency.objects.get(slug="bench")
    before = rss_mb()
    queryset, head = exports.export_begin(agency=agency, actor=None, fmt="csv", codes={}, via="bench",
                                          queryset=AuditEvent.objects.filter(agency=agency))
    started, size, lines = time.perf_counter(), 0, 0
    for chunk in exports.csv_chunks(queryset, head):
        size += len(chunk.encode())  # the response encodes each chunk the same way
        lines += chunk.count("\n")
    elapsed = time.perf_counter() - started
    print(json.dumps({"rows": lines - 2, "seconds": elapsed, "bytes": size, "head": head.sequence,
                      "rss_before_mb": before, "rss_peak_mb": rss_mb()}))


def pages(server: str) -> None:
    """One page of the audit list (the view's own keyset query), for a few filters."""
    django_setup(server)
    from accounts.models import Agency, User
    from audit.filters import within_days
    from audit.models import AuditEvent
    from audit.views import _keyset_page

    agency = Agency.objects.get(slug="bench")
    events = AuditEvent.objects.select_related("actor").filter(agency=agency)
    oldest = events.order_by("sequence").values_list("occurred_at", flat=True).first().date()
    cases = [
        ("newest page", events, None),
        ("a page half-way back (?before=500000)", events, 500_000),
        ("one action", events.filter(action="staff.role_changed"), None),
        ("one person and one action", events.filter(actor=User.objects.get(email="staff3@bench.example"),
                                                    action="access.denied"), None),
        ("one month, the oldest", within_days(events, oldest, oldest + timedelta(days=30)), None),
    ]
    for name, queryset, before in cases:
        _keyset_page(queryset, before=before, after=None)  # warm the cache once, as a live server would be
        started = time.perf_counter()
        page = _keyset_page(queryset, before=before, after=None)
        print(f"page: {name}: {len(page.events)} events in {(time.perf_counter() - started) * 1000:.1f} ms")


class Sink(io.RawIOBase):
    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        return len(data)


def copy_out(server: str, head: int) -> dict:
    connection = psycopg2.connect(f"{server}/{DATABASE}")
    sql = ("COPY (SELECT e.sequence, e.occurred_at, e.actor_id, u.full_name, e.action, e.target_type, e.target_id, "
           "e.data, e.prev_hash, e.hash FROM audit_auditevent e LEFT JOIN accounts_user u ON u.id = e.actor_id "
           "JOIN accounts_agency a ON a.id = e.agency_id "
           f"WHERE a.slug = 'bench' AND e.sequence <= {head} ORDER BY e.sequence) TO STDOUT WITH CSV")
    sink = Sink()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.copy_expert(sql, sink)
    elapsed = time.perf_counter() - started
    connection.close()
    return {"rows": head, "seconds": elapsed, "bytes": sink.size}


def main() -> None:
    global DATABASE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=DATABASE, help="the database to (re)create on the server")
    parser.add_argument("--reuse", action="store_true", help="time again without re-creating the database")
    parser.add_argument("--phase", choices=["fill", "export", "pages"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    DATABASE = args.database
    if args.phase == "fill":
        return fill(args.server, args.events)
    if args.phase == "export":
        return export(args.server)
    if args.phase == "pages":
        return pages(args.server)

    me = [sys.executable, __file__, "--server", args.server, "--events", str(args.events), "--database", DATABASE]
    if not args.reuse:
        print(f"Creating {DATABASE} and loading {args.events:,} events…", flush=True)
        create_database(args.server)
        started = time.perf_counter()
        subprocess.run([*me, "--phase", "fill"], check=True)
        print(f"  filled in {time.perf_counter() - started:.1f} s", flush=True)
    result = subprocess.run([*me, "--phase", "export"], check=True, capture_output=True, text=True)
    ours = json.loads(result.stdout.strip().splitlines()[-1])
    theirs = copy_out(args.server, ours["head"])
    ours_rate, theirs_rate = ours["rows"] / ours["seconds"], theirs["rows"] / theirs["seconds"]
    ratio = ours_rate / theirs_rate
    print(f"export (audit.exports.csv_chunks): {ours['rows']:,} rows in {ours['seconds']:.2f} s = "
          f"{ours_rate:,.0f} rows/s, {ours['bytes'] / 1e6:.0f} MB of CSV")
    print(f"COPY (SELECT ...) TO STDOUT WITH CSV: {theirs['rows']:,} rows in {theirs['seconds']:.2f} s = "
          f"{theirs_rate:,.0f} rows/s, {theirs['bytes'] / 1e6:.0f} MB of CSV")
    print(f"ratio: {ratio:.0%} of COPY's rate (target at least 30%)")
    print(f"export peak RSS: {ours['rss_peak_mb']:.0f} MB, {ours['rss_before_mb']:.0f} MB of it before the first "
          f"row (target under 150 MB)")
    subprocess.run([*me, "--phase", "pages"], check=True)


if __name__ == "__main__":
    main()
