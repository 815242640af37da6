"""Benchmark: the policy what-if over 100,000 stored requests on PostgreSQL.

    python bench/whatif_bench.py [--requests 100000] [--small 1000]
                                 [--server postgres://postgres@127.0.0.1:5432] [--database boundaries_whatif_bench]

Creates (and drops first) the database on the server, migrates it, and loads through COPY two
agencies' requests received over the last year: "bench" with --requests of them and "small" with
--small, each with a published version (the early-intervention template) that judged most of them,
the conservative default for the rest, and a draft that changes two rules. Then, in a fresh
process pinned to one core, it runs the what-if as the draft page does (`scenarios.whatif.compare`,
one page of cases kept) and as the command does (every case kept), and prints the time (wall
clock, and the CPU time of the process), the peak memory (ru_maxrss, before and after), the query
count for both agencies (it must not grow with the number of requests) and the ratio to the
10-second target. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import itertools
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path, where bench/http.py would hide the standard
# library's http; the project's root goes there instead, so `bench.…` imports work.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

from bench import standalone  # noqa: E402
from bench.standalone import rss_mb  # noqa: E402
DATABASE = "boundaries_whatif_bench"  # --database replaces it in every phase
TARGET_SECONDS = 10.0
BATCH = 50_000
# (kind, medium, relationship, client_status): connections, follows, accidents and texts from
# clients, families, former clients, community members and colleagues.
SHAPES = (
    ("friend_request", "facebook", "current_client", "current"),
    ("friend_request", "instagram", "client_family", "current"),
    ("connection_request", "linkedin", "former_client", "discharged"),
    ("follow", "tiktok", "current_client", "current"),
    ("accidental_connection", "facebook", "client_family", "current"),
    ("text_message", "work_text", "current_client", "current"),
    ("text_message", "personal_phone", "client_family", "current"),
    ("friend_request", "facebook", "own_supervisee", ""),
    ("friend_request", "snapchat", "colleague", ""),
    ("connection_request", "linkedin", "community_member", ""),
    ("friend_request", "facebook", "colleague", ""),
    ("accidental_connection", "linkedin", "community_member", ""),
)
COLUMNS = ("agency_id", "practitioner_id", "kind", "medium", "relationship", "client_status", "discharged_on",
           "client_reference", "context", "small_community", "received_at", "outside_working_hours", "status",
           "chosen_option", "deviation_reason", "needs_review", "review_decision", "review_note", "outcome",
           "outcome_note", "policy_version_id", "guidance", "recommended", "fallback", "policy_title",
           "created_at", "updated_at", "profession", "safety_concern", "written_consent")


def environment(server: str) -> dict:
    return standalone.environment(server, DATABASE)


def django_setup(server: str) -> None:
    standalone.django_setup(server, DATABASE)


def create_database(server: str) -> None:
    standalone.create_database(server, DATABASE)


def draft_policy():
    """The early-intervention template with two rules changed: one stricter, one looser."""
    from policies.document import STARTER_TEMPLATES
    from policies.document.vocabulary import Decision, PlatformGroup, Relationship

    template = STARTER_TEMPLATES["early_intervention"].policy
    changes = {(Relationship.COLLEAGUE, PlatformGroup.PERSONAL_NETWORKS): Decision.NEEDS_APPROVAL,
               (Relationship.COMMUNITY_MEMBER, PlatformGroup.PROFESSIONAL_NETWORKS): Decision.ALLOWED}
    return dataclasses.replace(template, connection_rules=tuple(
        dataclasses.replace(rule, decision=changes.get((rule.relationship, rule.scope), rule.decision))
        for rule in template.connection_rules))


def fill_agency(connection, slug: str, count: int) -> None:
    from accounts.models import Agency, Membership, Role, User
    from policies.document import STARTER_TEMPLATES
    from policies.models import PolicyStatus, PolicyVersion

    agency = Agency.objects.create(name=f"Benchmark {slug}", slug=slug, time_zone="America/New_York")
    user = User.objects.create_user(email=f"staff@{slug}.example", full_name="Staff Member")
    Membership.objects.create(agency=agency, user=user, role=Role.PRACTITIONER)
    now = dt.datetime.now(dt.timezone.utc)
    published = PolicyVersion(agency=agency, number=1, status=PolicyStatus.PUBLISHED, published_at=now,
                              effective_from=(now - dt.timedelta(days=300)).date())
    published.policy = STARTER_TEMPLATES["early_intervention"].policy
    published.save()
    draft = PolicyVersion(agency=agency, number=2, based_on="version:1")
    draft.policy = draft_policy()
    draft.save()
    random.seed(slug)
    shapes = itertools.cycle(SHAPES)
    done = 0
    while done < count:
        buffer = io.StringIO()
        for _ in range(min(BATCH, count - done)):
            done += 1
            kind, medium, relationship, status = next(shapes)
            received = now - dt.timedelta(seconds=random.randrange(360 * 86_400))
            # Before the version took effect, the conservative default judged the request.
            version = published.pk if received.date() >= published.effective_from else r"\N"
            discharged = (received.date() - dt.timedelta(days=random.randrange(30, 3000))).isoformat() \
                if status == "discharged" else r"\N"
            small = "t" if random.random() < 0.1 else "f"
            stamp = received.isoformat()
            buffer.write("\t".join((str(agency.pk), str(user.pk), kind, medium, relationship, status, discharged, "",
                                    "", small, stamp, "f", "open", "", "", "f", "", "", "", "", str(version), "{}",
                                    "[]", "f", "", stamp, stamp, "", "f", "f")) + "\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY scenarios_contactrequest ({', '.join(COLUMNS)}) FROM STDIN", buffer)
        connection.commit()
        print(f"  {slug}: loaded {done:,} requests", flush=True)


def fill(server: str, requests: int, small: int) -> None:
    django_setup(server)
    connection = psycopg2.connect(f"{server}/{DATABASE}")
    fill_agency(connection, "bench", requests)
    fill_agency(connection, "small", small)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE scenarios_contactrequest")
    connection.commit()
    connection.close()


def pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this platform)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core}"


def measure(server: str, slug: str, keep_all: bool) -> None:
    """One what-if in a fresh process, so its peak memory is its own."""
    django_setup(server)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import Agency
    from policies.models import PolicyVersion
    from scenarios import whatif

    pinned = pin_to_one_core()
    agency = Agency.objects.get(slug=slug)
    candidate = PolicyVersion.objects.for_agency(agency).drafts().get()
    before = rss_mb()
    with timezone.override(agency.zone), CaptureQueriesContext(connection) as queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = whatif.compare(candidate=candidate, keep=None if keep_all else slice(0, 20))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(json.dumps({"requests": result.requests, "changed": result.total.changed, "stricter": result.total.stricter,
                      "looser": result.total.looser, "cases": result.cases_total, "kept": len(result.cases),
                      "seconds": elapsed, "cpu_seconds": cpu, "queries": len(queries), "rss_before_mb": before,
                      "rss_peak_mb": rss_mb(), "pinned": pinned}))


def main() -> None:
    global DATABASE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=DATABASE, help="the database to (re)create on the server")
    parser.add_argument("--reuse", action="store_true", help="time again without re-creating the database")
    parser.add_argument("--phase", choices=["fill", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--slug", help=argparse.SUPPRESS)
    parser.add_argument("--keep-all", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    DATABASE = args.database
    if args.phase == "fill":
        return fill(args.server, args.requests, args.small)
    if args.phase == "measure":
        return measure(args.server, args.slug, args.keep_all)

    me = [sys.executable, __file__, "--server", args.server, "--requests", str(args.requests),
          "--small", str(args.small), "--database", DATABASE]
    if not args.reuse:
        print(f"Creating {DATABASE} and loading {args.requests:,} + {args.small:,} requests…", flush=True)
        create_database(args.server)
        started = time.perf_counter()
        subprocess.run([*me, "--phase", "fill"], check=True)
        print(f"  filled in {time.perf_counter() - started:.1f} s", flush=True)

    def run(slug: str, keep_all: bool = False) -> dict:
        flags = ["--keep-all"] if keep_all else []
        done = subprocess.run([*me, "--phase", "measure", "--slug", slug, *flags], check=True, capture_output=True,
                              text=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    small, page, command = run("small"), run("bench"), run("bench", keep_all=True)
    for name, figures in (("draft page (one page of cases kept)", page), ("command (every case kept)", command)):
        print(f"{name}: {figures['requests']:,} requests, {figures['changed']:,} changed "
              f"({figures['stricter']:,} stricter, {figures['looser']:,} looser; {figures['cases']:,} cases, "
              f"{figures['kept']:,} kept) in {figures['seconds']:.2f} s ({figures['cpu_seconds']:.2f} s of CPU in "
              f"this process; the rest is PostgreSQL and waiting for the core), {figures['pinned']}")
        print(f"  {figures['seconds'] / TARGET_SECONDS:.2f}x the {TARGET_SECONDS:.0f}-second target "
              f"({figures['requests'] / figures['seconds']:,.0f} requests/s); peak RSS {figures['rss_peak_mb']:.0f} MB, "
              f"{figures['rss_before_mb']:.0f} MB of it before the first row; {figures['queries']} queries")
    print(f"query count: {small['queries']} for {small['requests']:,} requests, {page['queries']} for "
          f"{page['requests']:,} ({'the same' if small['queries'] == page['queries'] else 'DIFFERENT'})")


if __name__ == "__main__":
    main()
