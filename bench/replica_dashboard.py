"""Ask for the supervisor's dashboard and an audit export with the replica router on, and say which
server answered.

Run by bench/replica.sh with DATABASE_URL (the primary) and DATABASE_REPLICA_URL (its streaming
replica) set. Prints, for each database alias, the queries it ran and what the server says it is.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boundaries.settings")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from scenarios.models import ContactRequest  # noqa: E402


def server(alias: str) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
        standby, port = cursor.fetchone()
    return f"port {port}, {'a standby replaying the WAL' if standby else 'the primary'}"


def report(title: str, response, primary, replica) -> None:
    print(f"{title} -> {response.status_code}")
    for alias, queries in (("default", primary), ("replica", replica)):
        tables = sorted({sql.split('FROM "', 1)[1].split('"', 1)[0]
                         for sql in (query["sql"] for query in queries.captured_queries) if 'FROM "' in sql})
        print(f"  {alias:8} {server(alias)}: {len(queries)} queries ({', '.join(tables)})")


def main() -> None:
    assert "replica" in connections.databases, "DATABASE_REPLICA_URL is not set"
    expected = ContactRequest.objects.using("default").count()
    for _ in range(100):  # the replica replays the seed within moments
        if ContactRequest.objects.using("replica").count() == expected:
            break
        time.sleep(0.1)
    print(f"requests on the primary: {expected}; on the replica: {ContactRequest.objects.using('replica').count()}")

    client = Client()
    client.force_login(User.objects.get(email="supervisor@riverside.example"))
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        response = client.get("/dashboard/")
    report(f"GET /dashboard/ ({len(response.content):,} bytes)", response, primary, replica)
    assert response.status_code == 200, response.content[:500]
    assert any("scenarios_contactrequest" in query["sql"] for query in replica.captured_queries), \
        "the dashboard's figures did not come from the replica"
    assert not any("scenarios_contactrequest" in query["sql"] for query in primary.captured_queries)
    print("The dashboard's figures came from the replica; the session, user and membership from the primary.")

    client = Client()
    client.force_login(User.objects.get(email="admin@riverside.example"))
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        response = client.post("/audit/export/csv/")
        lines = b"".join(response.streaming_content).decode().splitlines()
    report(f"POST /audit/export/csv/ ({len(lines) - 2} events)", response, primary, replica)
    assert response.status_code == 200
    assert any("audit_auditevent" in query["sql"] and "ORDER BY" in query["sql"]
               for query in replica.captured_queries), "the export's rows did not come from the replica"
    print("The export recorded its event on the primary and streamed the rows from the replica once it "
          "had replayed that event.")


if __name__ == "__main__":
    main()
