"""The audit export and `audit_verify` on the big agency's chain, each against PostgreSQL's COPY of the
same rows. The export and the verify run in fresh processes, so a peak RSS is theirs alone.

    python -m bench.audit_measures --database boundaries_bench --phase export|verify
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time

from .common import BIG, ROOT, environment
from .standalone import rss_mb


def export_phase() -> dict:
    """The CSV export's own generator (the one the view streams), consumed to the end."""
    from accounts.models import Agency, User
    from audit import exports
    from audit.models import AuditEvent

    from .data import email

    agency = Agency.objects.get(slug=BIG)
    actor = User.objects.get(email=email(BIG, "admin", 1))
    before = rss_mb()
    queryset, checkpoint = exports.export_begin(agency=agency, actor=actor, fmt="csv", codes={}, via="bench",
                                                queryset=AuditEvent.objects.filter(agency=agency))
    started, size, lines = time.perf_counter(), 0, 0
    for chunk in exports.csv_chunks(queryset, checkpoint):
        size += len(chunk.encode())  # the response encodes each chunk the same way
        lines += chunk.count("\n")
    seconds = time.perf_counter() - started
    return {"rows": lines - 2, "seconds": seconds, "bytes": size, "through": checkpoint.sequence,
            "rss_before_mb": before, "rss_peak_mb": rss_mb()}


def verify_phase() -> dict:
    """`audit_verify --agency bench-big`, as the command runs it, timed around the command alone."""
    from django.core.management import call_command

    out = io.StringIO()
    started = time.perf_counter()
    try:
        call_command("audit_verify", agency=BIG, stdout=out, stderr=out)
        intact = True
    except SystemExit as stop:
        intact = stop.code in (0, None)
    except Exception as error:  # a broken chain is reported by the command as an error
        out.write(str(error))
        intact = False
    seconds = time.perf_counter() - started
    text = out.getvalue().strip()
    checked = int(text.split(" ", 1)[0]) if text[:1].isdigit() else 0
    return {"rows": checked, "seconds": seconds, "intact": intact and "intact" in text, "output": text[-500:],
            "rss_peak_mb": rss_mb()}


class Sink(io.RawIOBase):
    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        return len(data)


def copy_rate(database: str, sql: str, rows: int) -> dict:
    """COPY (SELECT ...) TO STDOUT of the same rows, into a sink: PostgreSQL's own best."""
    import psycopg2

    from .common import SERVER

    connection = psycopg2.connect(f"{SERVER}/{database}")
    sink = Sink()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.copy_expert(sql, sink)
    seconds = time.perf_counter() - started
    connection.close()
    return {"rows": rows, "seconds": seconds, "bytes": sink.size}


def export_copy_sql(through: int) -> str:
    """What the export writes: the event columns and the actor's name, in chain order, as CSV."""
    return ("COPY (SELECT e.sequence, e.occurred_at, e.actor_id, u.full_name, e.action, e.target_type, e.target_id, "
            "e.data, e.prev_hash, e.hash, e.key_id FROM audit_auditevent e "
            "LEFT JOIN accounts_user u ON u.id = e.actor_id JOIN accounts_agency a ON a.id = e.agency_id "
            f"WHERE a.slug = '{BIG}' AND e.sequence <= {int(through)} ORDER BY e.sequence) TO STDOUT WITH CSV")


def verify_copy_sql() -> str:
    """What verify reads: every column of the agency's events, in chain order."""
    return ("COPY (SELECT e.id, e.sequence, e.occurred_at, e.actor_id, e.action, e.target_type, e.target_id, e.data, "
            "e.prev_hash, e.hash, e.key_id FROM audit_auditevent e JOIN accounts_agency a ON a.id = e.agency_id "
            f"WHERE a.slug = '{BIG}' ORDER BY e.sequence) TO STDOUT")


def run_phase(database: str, phase: str) -> dict:
    finished = subprocess.run([sys.executable, "-m", "bench.audit_measures", "--database", database, "--phase", phase],
                              cwd=ROOT, env=environment(database), capture_output=True, text=True)
    if finished.returncode != 0:
        raise RuntimeError(f"{phase} failed:\n{finished.stderr[-2000:]}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--phase", choices=["export", "verify"], required=True)
    args = parser.parse_args()
    from .common import django_setup

    django_setup(args.database)
    result = export_phase() if args.phase == "export" else verify_phase()
    print(json.dumps(result))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
