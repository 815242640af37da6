"""`make bench`: every page against its ceiling at scale, the audit export and verify against COPY, the
engine, query counts at 10 rows and at scale, and fifty people at once. See docs/performance.md.

    python -m bench.run [--quick] [--database NAME] [--rounds N] [--seconds S] [--load-seconds S]

Writes bench/results.json and bench/results.md and prints the table. Targets not met are reported,
not failed on: the run fails only when it cannot measure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from . import data, wrk
from .common import BIG, ROOT, SCALES, environment
from .results import Measure, ratio_measure, write

HERE = Path(__file__).resolve().parent
APP_PORT, CEILING_PORT = 8106, 8116
WORKERS = 4
SMALL_DATABASE = "boundaries_bench_small"


def say(text: str) -> None:
    print(text, flush=True)


# --- the servers ---------------------------------------------------------------------------------------


def static_collected() -> bool:
    """The collected files' manifest is newer than every static source and the pinned packages."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    sources = [ROOT / "requirements.txt", *ROOT.glob("static/**/*"), *ROOT.glob("*/static/**/*")]
    return all(path.stat().st_mtime <= manifest.stat().st_mtime for path in sources if path.is_file())


class Servers:
    """The app and the ceiling, each under gunicorn with the same workers, settings and database."""

    def __init__(self, database: str, log: Path):
        self.database, self.log, self.processes = database, log, []

    def __enter__(self) -> "Servers":
        for port in (APP_PORT, CEILING_PORT):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            except (urllib.error.URLError, ConnectionError, OSError):
                continue
            raise RuntimeError(f"Something already answers on port {port}: stop it first (a bench left running?).")
        if not static_collected():
            subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT,
                           env=environment(self.database), check=True)
        for port, settings in ((APP_PORT, "boundaries.settings"), (CEILING_PORT, "bench.ceiling_settings")):
            command = [str(Path(sys.executable).parent / "gunicorn"), "boundaries.wsgi", "--workers", str(WORKERS),
                       "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--graceful-timeout", "5"]
            handle = open(self.log.with_suffix(f".{port}.log"), "w")
            self.processes.append(subprocess.Popen(
                command, cwd=ROOT, env=environment(self.database, DJANGO_SETTINGS_MODULE=settings),
                stdout=handle, stderr=subprocess.STDOUT, start_new_session=True))
        for port in (APP_PORT, CEILING_PORT):
            self._wait(port)
        return self

    def _wait(self, port: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn on port {port} did not answer /healthz within a minute; see {self.log}.*")

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


# --- signing in, and the pages' URLs -------------------------------------------------------------------


def sessions(roles: set[str]) -> dict[str, object]:
    """One signed-in browser per role (the app and the ceiling share sessions: same database, same key)."""
    from .http import Browser, sign_in
    from .pages import USERS, totp_code

    browsers = {}
    for role in sorted(roles):
        browser = Browser("127.0.0.1", APP_PORT)
        sign_in(browser, USERS[role], code=totp_code)
        browsers[role] = browser
    return browsers


def drain(port: int, limit: float = 180.0) -> float:
    """Wait until the server has worked off what wrk left queued (a slow page keeps its workers busy
    after wrk stops), so the next run starts on idle workers: /healthz answers once the queue before
    it is done. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        asked = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=limit) as answer:
                answer.read()
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
            continue
        if time.monotonic() - asked < 0.5:
            break
    return time.monotonic() - started


def measure_pages(args, browsers, notes: list[str]) -> tuple[list[Measure], dict, str | None]:
    from .http import Browser
    from .pages import CEILING, PAGES, Site, Skip

    def fetch(role: str, path: str) -> tuple[int, str]:
        response = browsers[role].get(path)
        return response.status, response.body

    site = Site(fetch)
    chosen = []
    for page in PAGES:
        try:
            path = page.path(site)
        except Skip as reason:
            say(f"  skipped: {page.name}: {reason}")
            notes.append(f"Not measured: {page.name} ({reason}).")
            continue
        port = APP_PORT if page.server == "app" else CEILING_PORT
        probe = Browser("127.0.0.1", port)
        probe.cookies = dict(browsers[page.role].cookies)
        answer = probe.get(path)
        probe.close()
        if answer.status != 200:
            say(f"  skipped: {page.name}: {path} answered {answer.status}")
            notes.append(f"Not measured: {page.name} ({path} answered {answer.status}).")
            continue
        label = page.name
        if page.key == "review_deep":
            match = re.search(r"page=(\d+)", path)
            label = f"{page.name} (page {match.group(1)})" if match else f"{page.name} ({path})"
        chosen.append((page, path, port, label))
    ceiling_url = f"http://127.0.0.1:{CEILING_PORT}{CEILING.path(site)}"
    ceiling_cookie = browsers[CEILING.role].session_cookie
    rates: dict[str, list[float]] = {page.key: [] for page, *_ in chosen}
    ceilings: dict[str, list[float]] = {page.key: [] for page, *_ in chosen}
    latency: dict[str, list[dict]] = {page.key: [] for page, *_ in chosen}
    errors, drained = 0, 0.0
    say(f"Measuring {len(chosen)} pages and the ceiling: {args.rounds} rounds of {args.seconds:g} s each, "
        f"{args.connections} connections, {WORKERS} gunicorn workers")
    for round_number in range(args.rounds):
        # The ceiling before each page (A, B, A, B, ...), the pages in a rotated order each round.
        order = chosen[round_number % len(chosen):] + chosen[:round_number % len(chosen)]
        for page, path, port, label in order:
            ceiling = wrk.run(ceiling_url, ceiling_cookie, seconds=args.seconds, connections=args.connections)
            drained += drain(CEILING_PORT)
            result = wrk.run(f"http://127.0.0.1:{port}{path}", browsers[page.role].session_cookie,
                             seconds=args.seconds, connections=args.connections)
            drained += drain(port)
            rates[page.key].append(result.rate)
            ceilings[page.key].append(ceiling.rate)
            latency[page.key].append(result.latency_ms)
            errors += result.errors + ceiling.errors
        say(f"  round {round_number + 1} of {args.rounds} done")
    if drained > args.rounds * len(chosen):
        notes.append(f"The servers needed {drained:.0f} s in all to finish requests queued when wrk stopped: "
                     "some pages take longer than a run lasts on this machine.")
    thin = sorted({label for page, path, port, label in chosen
                   if min(rates[page.key]) * args.seconds < 10 or min(ceilings[page.key]) * args.seconds < 10})
    if thin:
        notes.append(f"Fewer than 10 requests finished in some {args.seconds:g}-second runs of: {', '.join(thin)}. "
                     "Those figures are too thin to read: the machine was busy or the page is slow; run again "
                     "with a longer --seconds.")
    if errors:
        notes.append(f"wrk saw {errors} non-2xx/3xx responses or socket errors during the page rounds.")
    measures = []
    for page, path, port, label in chosen:
        p50 = sorted(item.get("p50", 0) for item in latency[page.key])[len(latency[page.key]) // 2]
        measures.append(ratio_measure(label, rates[page.key], ceilings[page.key], "requests/s", page.target,
                                      "ceiling", path=path, p50_ms=round(p50, 1)))
    review = [measure for (page, *_), measure in zip(chosen, measures) if page.key == "review_first"]
    admin = [measure for (page, *_), measure in zip(chosen, measures) if page.key == "admin_changelist"]
    if review and admin:
        measures.append(ratio_measure("review list vs the Django admin changelist", rates["review_first"],
                                      rates["admin_changelist"], "requests/s", 2.0, "admin changelist"))
    deep = next((path for page, path, *_ in chosen if page.key == "review_deep"), None)
    return measures, {page.key: path for page, path, *_ in chosen}, deep


def bench_token() -> tuple[object, str]:
    """A guidance token of the measured practitioner, made as the account page makes one (a day long)."""
    from accounts.models import Membership
    from api.services import api_token_create

    from .pages import USERS

    membership = Membership.objects.select_related("agency", "user").get(user__email=USERS["practitioner"],
                                                                         agency__slug=BIG)
    return api_token_create(membership=membership, name="make bench", scopes=["guidance"], days=1)


def post_once(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def measure_api(args, browsers, notes: list[str]) -> list[Measure]:
    """POST /api/v1/evaluate with a bearer token against the ceiling, in interleaved rounds like the pages.
    The token is revoked afterwards, so a reused bench database holds no live secret."""
    from api.services import api_token_revoke

    from .pages import CEILING, EVALUATE_BODY, EVALUATE_PATH, EVALUATE_TARGET, Site, evaluate_script

    token, secret = bench_token()
    url = f"http://127.0.0.1:{APP_PORT}{EVALUATE_PATH}"
    name = f"API: POST {EVALUATE_PATH}"
    try:
        status = post_once(url, json.dumps(EVALUATE_BODY).encode(), {"Content-Type": "application/json",
                                                                     "Authorization": f"Bearer {secret}"})
        if status != 200:
            say(f"  skipped: {name}: answered {status}")
            notes.append(f"Not measured: {name} (answered {status}).")
            return []
        def fetch(role: str, path: str) -> tuple[int, str]:
            response = browsers[role].get(path)
            return response.status, response.body

        ceiling_url = f"http://127.0.0.1:{CEILING_PORT}{CEILING.path(Site(fetch))}"
        ceiling_cookie = browsers[CEILING.role].session_cookie
        rates, ceilings, latency, errors = [], [], [], 0
        say(f"Measuring {name} and the ceiling: {args.rounds} rounds of {args.seconds:g} s each")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-evaluate-") as script:
            script.write(evaluate_script(secret))
            script.flush()
            for _round in range(args.rounds):
                ceiling = wrk.run(ceiling_url, ceiling_cookie, seconds=args.seconds, connections=args.connections)
                drain(CEILING_PORT)
                result = wrk.run(url, None, seconds=args.seconds, connections=args.connections,
                                 script=Path(script.name))
                drain(APP_PORT)
                rates.append(result.rate)
                ceilings.append(ceiling.rate)
                latency.append(result.latency_ms)
                errors += result.errors + ceiling.errors
    finally:
        api_token_revoke(token=token, actor=token.user)
    if errors:
        notes.append(f"wrk saw {errors} non-2xx/3xx responses or socket errors during the API rounds.")
    p50 = sorted(item.get("p50", 0) for item in latency)[len(latency) // 2]
    return [ratio_measure(name, rates, ceilings, "requests/s", EVALUATE_TARGET, "ceiling", path=EVALUATE_PATH,
                          p50_ms=round(p50, 1))]


# --- query counts, audit, engine, load --------------------------------------------------------------


def query_counts(large: str, deep: str | None, notes: list[str]) -> list[Measure]:
    from .pages import CEILING, PAGES

    results = {}
    for database, extra in ((SMALL_DATABASE, []), (large, ["--deep", deep] if deep else [])):
        finished = subprocess.run([sys.executable, "-m", "bench.queries", "--database", database, *extra], cwd=ROOT,
                                  env=environment(database), capture_output=True, text=True)
        if finished.returncode != 0:
            raise RuntimeError(f"query counts on {database} failed:\n{finished.stderr[-3000:]}")
        results[database] = json.loads(finished.stdout.strip().splitlines()[-1])
    measures = []
    for page in [*PAGES, CEILING]:
        small, big = results[SMALL_DATABASE].get(page.key), results[large].get(page.key)
        if not isinstance(small, int) or not isinstance(big, int):
            notes.append(f"Query count of {page.name} not taken: {small if not isinstance(small, int) else big}.")
            continue
        measures.append(Measure(f"queries: {page.name}", big, "queries", ceiling=small,
                                ratio=round(big / small, 3) if small else None, target="value == ceiling",
                                compared_with="at 10 rows").check())
    return measures


def audit_measures(database: str) -> tuple[list[Measure], dict]:
    from .audit_measures import copy_rate, export_copy_sql, run_phase, verify_copy_sql

    export = run_phase(database, "export")
    copy = copy_rate(database, export_copy_sql(export["through"]), export["rows"])
    export_rate, copy_rate_value = export["rows"] / export["seconds"], copy["rows"] / copy["seconds"]
    verify = run_phase(database, "verify")
    copy_verify = copy_rate(database, verify_copy_sql(), verify["rows"])
    verify_rate = verify["rows"] / verify["seconds"] if verify["seconds"] else 0
    copy_verify_rate = copy_verify["rows"] / copy_verify["seconds"] if copy_verify["seconds"] else 0
    measures = [
        Measure("audit export (CSV)", round(export_rate), "rows/s", ceiling=round(copy_rate_value),
                ratio=round(export_rate / copy_rate_value, 3), target="ratio >= 0.5", compared_with="COPY",
                extra={"rows": export["rows"], "seconds": round(export["seconds"], 2)}).check(),
        Measure("audit export peak RSS", round(export["rss_peak_mb"], 1), "MB", target="value < 150",
                extra={"before_first_row_mb": round(export["rss_before_mb"], 1)}).check(),
        Measure("audit_verify", round(verify_rate), "rows/s", ceiling=round(copy_verify_rate),
                ratio=round(verify_rate / copy_verify_rate, 3) if copy_verify_rate else None, target="ratio >= 0.25",
                compared_with="COPY", extra={"rows": verify["rows"], "seconds": round(verify["seconds"], 2),
                                             "intact": verify["intact"]}).check(),
    ]
    return measures, verify


def engine(evaluations: int) -> Measure:
    finished = subprocess.run([sys.executable, str(HERE / "engine_bench.py"), str(evaluations)], cwd=ROOT,
                              capture_output=True, text=True, check=True)
    rate = re.search(r"([\d,]+) evaluations per second", finished.stdout)
    return Measure("engine", int(rate.group(1).replace(",", "")), "evaluations/s",
                   extra={"evaluations": evaluations, "output": finished.stdout.strip().splitlines()[0]})


def load_test(seconds: float) -> tuple[list[Measure], dict]:
    from django.db.models import Count

    from accounts.models import Agency
    from audit.models import AuditChainHead, AuditEvent

    from . import load
    from .pages import totp_code

    agency = Agency.objects.get(slug=BIG)
    heads_before = dict(AuditChainHead.objects.values_list("agency_id", "sequence"))
    say(f"Load: {sum(count for _, count in load.MIX)} people at once for {seconds:g} s "
        f"({', '.join(f'{count} {role}s' for role, count in load.MIX)})")
    drain(APP_PORT)
    report = load.run(APP_PORT, seconds, totp_code, ramp=min(10.0, seconds / 2))
    stored = dict(AuditEvent.objects.filter(agency=agency, sequence__gt=heads_before[agency.pk])
                  .values_list("action").annotate(n=Count("pk")).values_list("action", "n"))
    elsewhere = sum(sequence - heads_before.get(agency_id, 0)
                    for agency_id, sequence in AuditChainHead.objects.values_list("agency_id", "sequence")
                    if agency_id != agency.pk)
    expected = report["expected_events"]
    actions = sorted(set(stored) | set(expected))
    mismatched = {action: {"performed": expected.get(action, 0), "stored": stored.get(action, 0)}
                  for action in actions if expected.get(action, 0) != stored.get(action, 0)}
    report.update(stored_events=stored, mismatched=mismatched, events_elsewhere=elsewhere)
    measures = [
        Measure("load: throughput (50 users)", round(report["throughput"], 1), "requests/s",
                extra={"requests": report["requests"], "seconds": round(report["seconds"], 1),
                       "actions": report["actions"]}),
        Measure("load: p50 latency", round(report["p50_ms"], 1), "ms"),
        Measure("load: p95 latency", round(report["p95_ms"], 1), "ms"),
        Measure("load: p99 latency", round(report["p99_ms"], 1), "ms"),
        Measure("load: errors", report["errors"], "responses", target="value == 0",
                extra={"samples": report["error_samples"]}).check(),
        Measure("load: audit events equal to actions performed", sum(stored.values()), "events",
                ceiling=sum(expected.values()), target="value == ceiling", compared_with="actions' events",
                extra={"per_action": {action: {"performed": expected.get(action, 0), "stored": stored.get(action, 0)}
                                      for action in actions},
                       "events_in_other_agencies": elsewhere}).check(),
    ]
    if mismatched or elsewhere:
        measures[-1].met = False
    return measures, report


# --- the run ------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="make bench: see docs/performance.md")
    parser.add_argument("--quick", action="store_true", help="20,000 requests, shorter rounds: under 3 minutes")
    parser.add_argument("--database", help="default boundaries_bench (boundaries_bench_quick with --quick)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 5; 2 with --quick)")
    parser.add_argument("--seconds", type=float, help="seconds per wrk run (default 3; 1 with --quick)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--load-seconds", type=float, help="the 50-user run (default 60; 15 with --quick)")
    parser.add_argument("--fresh", action="store_true", help="make the database again even if it is there")
    parser.add_argument("--output", type=Path, default=HERE, help="where results.json and results.md go")
    args = parser.parse_args()
    scale = SCALES["quick" if args.quick else "full"]
    args.database = args.database or ("boundaries_bench_quick" if args.quick else "boundaries_bench")
    args.rounds = args.rounds or (2 if args.quick else 5)
    args.seconds = args.seconds or (1.0 if args.quick else 3.0)
    args.load_seconds = args.load_seconds or (15.0 if args.quick else 60.0)
    if not wrk.available():
        sys.exit("wrk is not installed: apt-get install wrk (the Debian package).")
    started = time.perf_counter()
    notes: list[str] = []

    # Each database is made (or checked and reused) in a process of its own: Django is set up once per process.
    found = data.marker(args.database)
    reused = not args.fresh and bool(found) and found["scale"] == scale.name
    # The two at once: on a fresh machine (CI) most of the time is `migrate` starting up, twice.
    makers = [subprocess.Popen([sys.executable, "-m", "bench.data", "--database", database, "--scale", scale_name,
                                *(["--fresh"] if fresh else [])], cwd=ROOT, env=environment(database))
              for database, scale_name, fresh in ((args.database, scale.name, args.fresh),
                                                  (SMALL_DATABASE, "small", False))]
    if any([maker.wait() != 0 for maker in makers]):  # a list: wait for both, whatever the first did
        sys.exit("Making the benchmark databases failed (above).")
    from .common import django_setup

    django_setup(args.database)
    measures: list[Measure] = []
    log = Path(os.environ.get("BENCH_LOG_DIR", "/tmp")) / f"bench-{args.database}"
    with Servers(args.database, log):
        say(f"gunicorn: the app on :{APP_PORT}, the ceiling on :{CEILING_PORT}, {WORKERS} workers each "
            f"({time.perf_counter() - started:.0f} s)")
        browsers = sessions({"practitioner", "supervisor", "admin", "superuser"})
        page_measures, paths, deep = measure_pages(args, browsers, notes)
        measures += page_measures
        measures += measure_api(args, browsers, notes)
        for browser in browsers.values():
            browser.close()
        say(f"Query counts at 10 rows and at {scale.requests:,} ({time.perf_counter() - started:.0f} s)")
        measures += query_counts(args.database, deep, notes)
        load_measures, load_report = load_test(args.load_seconds)
    say(f"Audit export and audit_verify against COPY ({time.perf_counter() - started:.0f} s)")
    audit, verify = audit_measures(args.database)
    chain = Measure("load: audit_verify after the load", verify["rows"], "events checked",
                    target=None, extra={"intact": verify["intact"], "output": verify["output"]})
    chain.met = verify["intact"]
    chain.target = "chain intact"
    measures += load_measures + [chain] + audit
    say("Engine")
    measures.append(engine(20_000 if args.quick else 50_000))

    seconds = time.perf_counter() - started
    about = {
        "scale": scale.name, "database": args.database, "requests": scale.requests, "events": scale.events,
        "agencies": scale.agencies, "rounds": args.rounds, "seconds_per_run": args.seconds,
        "connections": args.connections, "workers": WORKERS, "load_seconds": args.load_seconds,
        "database_reused": reused, "run_seconds": round(seconds),
        "finished": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end",
        "summary": (f"{scale.requests:,} requests over {scale.agencies} agencies and {scale.events:,} audit events; "
                    f"gunicorn with {WORKERS} workers and wrk with {args.connections} connections, "
                    f"{args.rounds} interleaved rounds of {args.seconds:g} s; figures are medians (min–max)."),
        "load": {key: value for key, value in load_report.items() if key != "error_samples"},
    }
    table = write(args.output, measures, about, notes)
    say("")
    say(table)
    say(f"Written: {args.output / 'results.json'} and {args.output / 'results.md'} ({seconds:.0f} s in all)")


if __name__ == "__main__":
    main()
