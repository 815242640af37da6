"""The benchmark database: agencies, staff, policies, requests and a valid keyed audit chain, by COPY.

    python -m bench.data --database boundaries_bench --scale full   # 1,000,000 requests, 5,000,000 events

What is made, and how:
1. `migrate` on a new database, as the PostgreSQL role the app connects as (the owner here; see
   docs/performance.md). No trigger is disabled: the append-only triggers refuse UPDATE, DELETE
   and TRUNCATE on the events, and COPY only inserts; the chain head's trigger lets it move
   forward to a stored event, which is all this does with it.
2. With the clock held 400 days back, through the app's own services: the agencies (the big one
   asks admins and supervisors for two-factor sign-in), staff with one password hash computed
   once, authenticators for those who need them, and each agency's policy, published then. Those
   services write the first audit events, through `record()`.
3. In two processes, agency by agency: the requests (guidance from the engine under that policy,
   computed once per situation) and the rest of the agency's chain, continuing from its head,
   hashed with HMAC-SHA256 under the audit key exactly as `record()` does, then COPY; then the head
   moves forward to the last event.
4. VACUUM ANALYZE, and a marker row (table `bench_marker`) that records the scale, so the next
   run reuses the database instead of making it again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import multiprocessing
import random
import subprocess
import sys
import time
from contextlib import contextmanager
from unittest import mock

import psycopg2

from audit.hashing import canonical_data, canonical_json, hasher

from .common import AUDIT_KEYS, BIG, PASSWORD, ROOT, SCALES, SERVER, Scale, environment

BATCH = 50_000
HISTORY_DAYS = 400
KEY_ID, KEY_SECRET = AUDIT_KEYS.split(":", 1)
# Staff per agency: (practitioners, supervisors, admins). The big agency has the load test's 50 users too.
STAFF = {"big": (120, 14, 8), "other": (10, 2, 1)}
STATUSES = [("closed", 0.88), ("open", 0.04), ("awaiting_approval", 0.02), ("in_progress", 0.03),
            ("awaiting_conversation", 0.03)]
REQUEST_COLUMNS = (
    "id", "kind", "medium", "relationship", "client_status", "discharged_on", "client_reference", "context",
    "small_community", "received_at", "outside_working_hours", "status", "chosen_option", "deviation_reason",
    "chosen_at", "needs_review", "review_decision", "review_note", "reviewed_at", "outcome", "outcome_note",
    "closed_at", "guidance", "recommended", "fallback", "policy_title", "follow_up_on", "created_at", "updated_at",
    "agency_id", "policy_version_id", "practitioner_id", "reviewed_by_id",
    # Issue 13's columns: no profession recorded (the general references), and no check's answers.
    "profession", "safety_concern", "written_consent",
)
EVENT_COLUMNS = ("agency_id", "sequence", "occurred_at", "actor_id", "action", "target_type", "target_id", "data",
                 "prev_hash", "hash", "key_id")
TARGET = "scenarios.contactrequest"


def email(slug: str, role: str, n: int) -> str:
    return f"{role}{n}@{slug}.bench.example"


def totp_key(address: str) -> str:
    """Each two-factor user's authenticator secret (hex, as django-otp stores it): derived, so the
    runner can work out the codes."""
    return hashlib.sha1(f"bench-totp:{address}".encode()).hexdigest()


def agency_slugs(scale: Scale) -> list[str]:
    return [BIG] + [f"bench-{n:02d}" for n in range(2, scale.agencies + 1)]


# --- the database and the marker ---------------------------------------------------------------------


def connect(database: str):
    return psycopg2.connect(f"{SERVER}/{database}")


def marker(database: str) -> dict | None:
    """The scale a complete benchmark database was made at, or None (no database, or unfinished)."""
    admin = connect("postgres")
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone() is None:
                return None
    finally:
        admin.close()
    connection = connect(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('public.bench_marker') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return None
            cursor.execute("SELECT scale, requests, events, agencies, key_id, seconds FROM bench_marker "
                           "ORDER BY created_at DESC LIMIT 1")
            row = cursor.fetchone()
    finally:
        connection.close()
    if row is None:
        return None
    return dict(zip(("scale", "requests", "events", "agencies", "key_id", "seconds"), row))


def recreate(database: str) -> None:
    admin = connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{database}"')
    admin.close()


def migrations_fingerprint() -> str:
    """The project's migration files and pinned packages: when neither changed, a reused database needs
    no `migrate` (which takes a while just to start on a busy machine)."""
    names = sorted(str(path.relative_to(ROOT)) for path in ROOT.glob("*/migrations/0*.py"))
    return hashlib.sha1("\n".join(names + [(ROOT / "requirements.txt").read_text()]).encode()).hexdigest()


def migrate(database: str) -> None:
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                   env=environment(database), check=True)
    connection = connect(database)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_migrated (fingerprint text NOT NULL)")
        cursor.execute("DELETE FROM bench_migrated")
        cursor.execute("INSERT INTO bench_migrated VALUES (%s)", [migrations_fingerprint()])
    connection.close()


def migrated(database: str) -> bool:
    connection = connect(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('public.bench_migrated') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SELECT fingerprint FROM bench_migrated")
            return cursor.fetchone() == (migrations_fingerprint(),)
    finally:
        connection.close()


# --- step 2: what the app's services make ------------------------------------------------------------


@contextmanager
def clock_at(moment: dt.datetime):
    from django.utils import timezone

    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def guidance_variants(policy, version_id: int) -> list[dict]:
    """The stored guidance for each situation the requests are drawn from, in and out of hours."""
    from bench.engine_bench import SHAPES
    from scenarios.engine import Facts, evaluate

    variants = []
    for kind, medium, relationship, status in SHAPES:
        for received in (dt.datetime(2026, 3, 11, 10, 0), dt.datetime(2026, 3, 11, 22, 30)):
            discharged = dt.date(2019, 6, 30) if status is not None and status.value == "discharged" else None
            facts = Facts(kind, medium, relationship, status, discharged, received)
            guidance = evaluate(facts, policy, received)
            output = guidance.to_dict()
            stored = {"policy_version_id": version_id, "evaluated_at": received.isoformat(timespec="seconds"),
                      "output": output}
            variants.append({
                "kind": kind.value, "medium": medium.value, "relationship": relationship.value,
                "client_status": status.value if status is not None else "",
                "discharged_on": discharged.isoformat() if discharged else None,
                "guidance": json.dumps(stored, separators=(",", ":")),
                "recommended": output["recommended"] or ["discuss"],
                "needs_review": guidance.supervisor_review, "fallback": guidance.fallback,
                "outside": guidance.outside_working_hours, "title": guidance.policy_title[:200],
                "follow_up": bool(output.get("follow_ups")),
            })
    return variants


def set_up_agencies(scale: Scale, started: dt.datetime) -> list[dict]:
    """Agencies, staff, authenticators and policies, through the ORM and the services, 400 days ago."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Agency, Membership, Role, User
    from audit.models import AuditChainHead
    from policies.models import Acknowledgement
    from policies.services import policy_publish, policy_start_draft

    password = make_password(PASSWORD)
    plans = []
    counts = scale.per_agency()
    next_id = 1
    for position, slug in enumerate(agency_slugs(scale)):
        big = slug == BIG
        practitioners, supervisors, admins = STAFF["big" if big else "other"]
        with transaction.atomic(), clock_at(started):
            agency = Agency.objects.create(name=f"Benchmark agency {slug}", slug=slug,
                                           time_zone="America/New_York", require_two_factor=big)
            people = {role: [User(email=email(slug, role, n), full_name=f"{role.title()} {n} {slug}",
                                  password=password, two_factor_enabled=big and role != "practitioner",
                                  is_staff=big and role == "admin" and n == 0,
                                  is_superuser=big and role == "admin" and n == 0)
                             for n in range(count)]
                      for role, count in (("practitioner", practitioners), ("supervisor", supervisors),
                                          ("admin", admins))}
            for group in people.values():
                User.objects.bulk_create(group)
            everyone = [user for group in people.values() for user in group]
            Membership.objects.bulk_create([Membership(agency=agency, user=user, role=Role(role))
                                            for role, group in people.items() for user in group])
            if big:
                TOTPDevice.objects.bulk_create([TOTPDevice(user=user, name="bench", key=totp_key(user.email),
                                                           confirmed=True)
                                                for user in everyone if user.two_factor_enabled])
            author = people["supervisor"][0]
            draft = policy_start_draft(agency=agency, actor=author, template="early_intervention")
            version = policy_publish(version=draft, actor=author, effective_from=started.date(),
                                     today=started.date())
            Acknowledgement.objects.bulk_create([Acknowledgement(agency=agency, version=version, user=user,
                                                                 acknowledged_at=started) for user in everyone])
            head = AuditChainHead.objects.get(agency=agency)
        plans.append({
            "agency": agency.pk, "slug": slug, "requests": counts[position], "first_id": next_id,
            "events": scale.events_for(counts[position]),
            "practitioners": [user.pk for user in people["practitioner"]],
            "supervisors": [user.pk for user in people["supervisor"]],
            "staff": [user.pk for user in everyone], "version": version.pk,
            "variants": guidance_variants(version.policy, version.pk),
            "head": [head.sequence, head.hash, head.occurred_at.isoformat()],
        })
        next_id += counts[position]
    return plans


# --- step 3: COPY, agency by agency ----------------------------------------------------------------


def _null(value) -> str:
    return "\\N" if value is None else str(value)


def _json_text(value: str) -> str:
    """A JSON document as a COPY text field: backslashes doubled (json.dumps leaves no tab or newline)."""
    return value.replace("\\", "\\\\")


def request_rows(plan: dict, start: dt.datetime, end: dt.datetime, rng: random.Random):
    span = (end - start).total_seconds()
    statuses, weights = zip(*STATUSES)
    variants = [{**variant, "index": str(index), "recommended_json": json.dumps(variant["recommended"])}
                for index, variant in enumerate(plan["variants"])]
    from scenarios.models import OUTCOMES_FOR_OPTION  # the pure table of which outcomes fit each option

    # The first two of each agency are its first practitioner's, so even the 10-row database has
    # an open request to show guidance for and a closed one the review list's filter finds.
    facebook = next((variant for variant in variants if variant["medium"] == "facebook"
                     and variant["relationship"] == "current_client"), variants[0])
    for offset in range(plan["requests"]):
        variant = facebook if offset == 1 else rng.choice(variants)
        received = start + dt.timedelta(seconds=rng.random() * span)
        status = "open" if offset == 0 else "closed" if offset == 1 else rng.choices(statuses, weights)[0]
        practitioner = plan["practitioners"][0] if offset < 2 else rng.choice(plan["practitioners"])
        option = "" if status == "open" else variant["recommended"][0]
        closed = status == "closed"
        needs_review = variant["needs_review"] or status == "awaiting_approval"
        decided = closed and needs_review and rng.random() < 0.95
        reviewer = rng.choice(plan["supervisors"]) if decided else None
        chosen_at = received + dt.timedelta(hours=2) if option else None
        closed_at = received + dt.timedelta(days=2) if closed else None
        follow_up = (received + dt.timedelta(days=14)).date() if variant["follow_up"] and not closed else None
        yield "\t".join((
            str(plan["first_id"] + offset), variant["kind"], variant["medium"], variant["relationship"],
            variant["client_status"], _null(variant["discharged_on"]),
            f"RB-{rng.randrange(1000, 99999)}" if variant["client_status"] else "", "",
            "f", received.isoformat(), "t" if variant["outside"] else "f", status, option, "",
            _null(chosen_at and chosen_at.isoformat()), "t" if needs_review and not decided else "f",
            "approved" if decided else "", "", _null(closed_at.isoformat() if decided else None),
            OUTCOMES_FOR_OPTION[option][0] if closed else "", "", _null(closed_at and closed_at.isoformat()),
            variant["index"], variant["recommended_json"], "t" if variant["fallback"] else "f",
            variant["title"], _null(follow_up and follow_up.isoformat()),
            (received + dt.timedelta(minutes=3)).isoformat(), (closed_at or received).isoformat(),
            str(plan["agency"]), str(plan["version"]), str(practitioner), _null(reviewer),
            "", "f", "f",
        )) + "\n"


def event_templates(plan: dict) -> list[tuple[str, str, dict, float]]:
    """(action, target type, data, weight): what a working agency's trail is made of."""
    variant = plan["variants"][0]
    return [
        ("auth.sign_in", "", {}, 10), ("auth.sign_out", "", {}, 1),
        ("request.logged", TARGET, {"kind": variant["kind"], "medium": variant["medium"],
                                    "relationship": variant["relationship"], "client_status": "current",
                                    "small_community": False, "outside_working_hours": False}, 15),
        ("guidance.shown", TARGET, {"recommended": variant["recommended"], "verdicts": ["accept:not_allowed",
                                    "ignore:allowed", "discuss:recommended", "decline:allowed"],
                                    "supervisor_review": False, "fallback": False,
                                    "policy_version": plan["version"]}, 15),
        ("request.viewed", TARGET, {"status": "closed"}, 30),
        ("option.chosen", TARGET, {"option": "discuss", "deviated": False}, 10),
        ("step.documented", TARGET, {"step": "note_in_record", "done": True}, 10),
        ("request.closed", TARGET, {"outcome": "declined"}, 7),
        ("review.decided", TARGET, {"decision": "approved", "status": "closed"}, 2),
    ]


def event_rows(plan: dict, end: dt.datetime, rng: random.Random):
    """The rest of the agency's chain after its head: keyed, linked, in time order. Yields batches of
    COPY text, and finally the new head as (sequence, hash, moment).

    The hashed body is written out directly in canonical_json's exact form (sorted keys, no spaces),
    several times faster than building and dumping a dict; the first event of every agency is
    checked against canonical_json itself, and audit_verify checks them all."""
    sequence, previous, moment = plan["head"][0], plan["head"][1], dt.datetime.fromisoformat(plan["head"][2])
    occurred = moment
    count = plan["events"]
    step = (end - moment) / (count + 1) if count else dt.timedelta(0)
    expanded = [(action, target_type, data, canonical_data(data))
                for action, target_type, data, weight in event_templates(plan) for _ in range(int(weight))]
    digest_of = hasher(KEY_SECRET.encode())
    first, spread = plan["first_id"], max(plan["requests"], 1)
    agency, staff = plan["agency"], plan["staff"]
    lines = []
    for n in range(count):
        sequence += 1
        moment += step
        occurred = moment - step * (rng.random() * 0.5)  # jitter, still after the previous event
        action, target_type, data, data_json = expanded[int(rng.random() * len(expanded))]
        target_id = str(first + int(rng.random() * spread)) if target_type else ""
        actor = staff[int(rng.random() * len(staff))]
        stamp = occurred.isoformat(timespec="microseconds")
        body = (f'{{"action":"{action}","actor":{actor},"agency":{agency},"data":{data_json},"key_id":"{KEY_ID}",'
                f'"occurred_at":"{stamp[:-6]}Z","prev_hash":"{previous}","sequence":{sequence},'
                f'"target_id":"{target_id}","target_type":"{target_type}"}}').encode()
        if n == 0:
            assert body == canonical_json(agency_id=agency, sequence=sequence, occurred_at=occurred, actor_id=actor,
                                          action=action, target_type=target_type, target_id=target_id, data=data,
                                          prev_hash=previous, key_id=KEY_ID), "the body is not canonical"
        digest = digest_of(body)
        lines.append(f"{agency}\t{sequence}\t{stamp}\t{actor}\t{action}\t{target_type}\t{target_id}\t"
                     f"{data_json}\t{previous}\t{digest}\t{KEY_ID}\n")
        previous = digest
        if len(lines) >= BATCH:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)
    yield (sequence, previous, occurred)


def fill_agency(task: tuple[str, dict, str, str]) -> tuple[str, int, int]:
    database, plan, start, end = task
    start, end = dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)
    rng = random.Random(f"bench:{plan['slug']}")
    connection = connect(database)
    staged = [column if column != "guidance" else "variant" for column in REQUEST_COLUMNS]
    with connection.cursor() as cursor:
        # The rows go to a staging table with the guidance's number in the agency's list; one INSERT
        # then joins in the stored documents (bench_guidance, parsed once). COPY would parse every
        # request's 11 kB of JSON again; copying the stored value is an order of magnitude faster.
        cursor.execute("CREATE TEMP TABLE bench_stage AS SELECT * FROM scenarios_contactrequest LIMIT 0")
        cursor.execute("ALTER TABLE bench_stage DROP COLUMN guidance, ADD COLUMN variant integer")

        def flush(buffer: io.StringIO) -> None:
            buffer.seek(0)
            cursor.copy_expert(f"COPY bench_stage ({', '.join(staged)}) FROM STDIN", buffer)
            cursor.execute(f"INSERT INTO scenarios_contactrequest ({', '.join(REQUEST_COLUMNS)}) "
                           f"SELECT {', '.join('g.guidance' if c == 'guidance' else 's.' + c for c in REQUEST_COLUMNS)} "
                           "FROM bench_stage s JOIN bench_guidance g ON g.agency_id = s.agency_id "
                           "AND g.variant = s.variant")
            cursor.execute("TRUNCATE bench_stage")

        buffer = io.StringIO()
        for n, row in enumerate(request_rows(plan, start, end, rng), start=1):
            buffer.write(row)
            if n % BATCH == 0:
                flush(buffer)
                buffer = io.StringIO()
        flush(buffer)
        head = None
        for chunk in event_rows(plan, end, rng):
            if isinstance(chunk, tuple):
                head = chunk
                break
            cursor.copy_expert(f"COPY audit_auditevent ({', '.join(EVENT_COLUMNS)}) FROM STDIN", io.StringIO(chunk))
        sequence, digest, moment = head
        # Forward to a stored event: the only move the head's trigger allows (migration 0007).
        cursor.execute("UPDATE audit_auditchainhead SET sequence = %s, hash = %s, occurred_at = %s "
                       "WHERE agency_id = %s", [sequence, digest, moment, plan["agency"]])
    connection.commit()
    connection.close()
    return plan["slug"], plan["requests"], plan["events"]


def store_guidance(database: str, plans: list[dict]) -> None:
    """Every agency's guidance documents, one per situation, parsed once (see fill_agency)."""
    connection = connect(database)
    with connection.cursor() as cursor:
        cursor.execute("CREATE UNLOGGED TABLE bench_guidance (agency_id bigint, variant integer, guidance jsonb, "
                       "PRIMARY KEY (agency_id, variant))")
        buffer = io.StringIO()
        for plan in plans:
            for index, variant in enumerate(plan["variants"]):
                buffer.write(f"{plan['agency']}\t{index}\t{_json_text(variant['guidance'])}\n")
        buffer.seek(0)
        cursor.copy_expert("COPY bench_guidance FROM STDIN", buffer)
        cursor.execute("ANALYZE bench_guidance")
    connection.commit()
    connection.close()


BULK_TABLES = ("scenarios_contactrequest", "audit_auditevent")


def drop_plain_indexes(database: str) -> list[str]:
    """Drop the loaded tables' indexes that back no constraint, and return how to make them again:
    building an index once over the loaded rows is much faster than keeping it up to date row by row.
    Whatever indexes the migrations define (today's or a later branch's) come back the same."""
    connection = connect(database)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
                       "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                       "WHERE c.conindid = format('%%I.%%I', i.schemaname, i.indexname)::regclass)",
                       [list(BULK_TABLES)])
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    connection.close()
    return [definition for _, definition in found]


def restore_indexes(database: str, definitions: list[str]) -> None:
    connection = connect(database)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for definition in definitions:
            cursor.execute(definition)
    connection.close()


def finish(database: str, scale: Scale, seconds: float) -> None:
    connection = connect(database)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('scenarios_contactrequest', 'id'), "
                       "(SELECT coalesce(max(id), 1) FROM scenarios_contactrequest))")
        for table in ("scenarios_contactrequest", "audit_auditevent", "audit_auditchainhead", "accounts_user",
                      "accounts_membership"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_marker (scale text NOT NULL, requests bigint NOT NULL, "
                       "events bigint NOT NULL, agencies int NOT NULL, key_id text NOT NULL, seconds float NOT NULL, "
                       "created_at timestamptz NOT NULL DEFAULT now())")
        cursor.execute("INSERT INTO bench_marker (scale, requests, events, agencies, key_id, seconds) "
                       "VALUES (%s, %s, %s, %s, %s, %s)",
                       [scale.name, scale.requests, scale.events, scale.agencies, KEY_ID, seconds])
    connection.close()


def build(database: str, scale: Scale, *, processes: int = 2, say=print) -> float:
    """Make the database from nothing; returns the seconds it took."""
    from .common import django_setup

    started = time.perf_counter()
    recreate(database)
    migrate(database)
    say(f"  migrated {database} in {time.perf_counter() - started:.0f} s")
    django_setup(database)
    from django.db import connections
    from django.utils import timezone

    now = timezone.now().replace(microsecond=0)
    history_start = now - dt.timedelta(days=HISTORY_DAYS)
    plans = set_up_agencies(scale, history_start)
    connections.close_all()
    say(f"  {len(plans)} agencies, their staff and policies set up ({time.perf_counter() - started:.0f} s)")
    # Requests arrive from a day after the policies to an hour ago; the chain ends ten minutes ago.
    begin, end = history_start + dt.timedelta(days=1), now - dt.timedelta(minutes=10)
    tasks = [(database, plan, begin.isoformat(), end.isoformat())
             for plan in sorted(plans, key=lambda plan: -plan["events"])]
    store_guidance(database, plans)
    dropped = drop_plain_indexes(database)
    done_requests = done_events = 0
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        for slug, requests, events in pool.imap_unordered(fill_agency, tasks):
            done_requests, done_events = done_requests + requests, done_events + events
            if slug == BIG or done_requests == scale.requests:
                say(f"  loaded {done_requests:,} requests and {done_events:,} audit events "
                    f"({time.perf_counter() - started:.0f} s)")
    restore_indexes(database, dropped)
    connection = connect(database)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_guidance")
    connection.close()
    say(f"  {len(dropped)} indexes made again over the loaded rows ({time.perf_counter() - started:.0f} s)")
    seconds = time.perf_counter() - started
    finish(database, scale, seconds)
    seconds = time.perf_counter() - started
    say(f"  {database} is ready: {scale.requests:,} requests, {scale.events:,} audit events, {seconds:.0f} s")
    return seconds


def ensure(database: str, scale: Scale, *, say=print) -> dict:
    """Reuse the database when it was made at this scale (after `migrate`, for new migrations); else make it."""
    found = marker(database)
    if found and found["scale"] == scale.name and found["key_id"] == KEY_ID:
        fresh = migrated(database)
        say(f"Reusing {database} ({found['requests']:,} requests, {found['events']:,} audit events, "
            f"made in {found['seconds']:.0f} s){'' if fresh else '; running migrate for what is new'}")
        if not fresh:
            migrate(database)
        return {**found, "reused": True}
    say(f"Creating {database} at the {scale.name} scale: {scale.requests:,} requests over {scale.agencies} "
        f"agencies, {scale.events:,} audit events")
    seconds = build(database, scale, say=say)
    return {"scale": scale.name, "requests": scale.requests, "events": scale.events, "seconds": seconds,
            "reused": False}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--scale", choices=sorted(SCALES), default="quick")
    parser.add_argument("--fresh", action="store_true", help="make it again even when it is there")
    args = parser.parse_args()
    if args.fresh:
        build(args.database, SCALES[args.scale])
    else:
        ensure(args.database, SCALES[args.scale])


if __name__ == "__main__":
    main()
