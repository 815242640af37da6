"""The pure pieces of `make bench`: the generated chain verifies, the scales add up, wrk's output is
read right, and results.json has one object per measure. The bench itself is never timed here."""

import datetime as dt
import json
import random

from audit.models import AuditAction, AuditChainHead, AuditEvent
from audit.services import record
from audit.verify import verify_agency
from bench import data, wrk
from bench.http import forms, next_link
from bench.common import ROOT, SCALES
from bench.results import Measure, ratio_measure, write

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8106/review/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.53ms   12.07ms 121.20ms   71.43%
  Latency Distribution
     50%   39.81ms
     75%   47.16ms
     90%   56.12ms
     99%    1.02s
  576 requests in 3.01s, 12.44MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    191.37
Transfer/sec:      4.13MB
"""


def _plan(agency, staff, head, events):
    return {"agency": agency.pk, "slug": agency.slug, "requests": 40, "first_id": 1, "events": events,
            "staff": [user.pk for user in staff], "version": None,
            "variants": [{"kind": "friend_request", "medium": "facebook", "relationship": "client_family",
                          "recommended": ["discuss", "decline"]}],
            "head": [head.sequence, head.hash, head.occurred_at.isoformat()]}


def test_the_generated_chain_continues_the_agencys_own_and_verifies(settings, agency_a, practitioner, supervisor):
    settings.AUDIT_KEYS = ((data.KEY_ID, data.KEY_SECRET),)
    record(agency=agency_a, action=AuditAction.POLICY_PUBLISHED, actor=supervisor.user)  # as the services do
    head = AuditChainHead.objects.get(agency=agency_a)
    chunks = list(data.event_rows(_plan(agency_a, [practitioner.user, supervisor.user], head, 300),
                                  head.occurred_at + dt.timedelta(days=3), random.Random(7)))
    *batches, (sequence, digest, moment) = chunks
    rows = [line.split("\t") for batch in batches for line in batch.splitlines()]
    assert len(rows) == 300 and sequence == head.sequence + 300
    AuditEvent.objects.bulk_create([
        AuditEvent(agency_id=int(agency), sequence=int(number), occurred_at=dt.datetime.fromisoformat(at),
                   actor_id=int(actor), action=action, target_type=target_type, target_id=target_id,
                   data=json.loads(body), prev_hash=prev, hash=this, key_id=key)
        for agency, number, at, actor, action, target_type, target_id, body, prev, this, key in rows])
    AuditChainHead.objects.filter(agency=agency_a).update(sequence=sequence, hash=digest, occurred_at=moment)

    report = verify_agency(agency_a)
    assert report.broken is None and report.checked == 301
    # The app carries on the chain after the generated events, and it still verifies.
    record(agency=agency_a, action=AuditAction.SIGN_IN, actor=practitioner.user)
    assert verify_agency(agency_a).checked == 302
    assert verify_agency(agency_a).broken is None


def test_a_changed_generated_event_is_caught(settings, agency_a, practitioner):
    settings.AUDIT_KEYS = ((data.KEY_ID, data.KEY_SECRET),)
    record(agency=agency_a, action=AuditAction.SIGN_IN, actor=practitioner.user)
    head = AuditChainHead.objects.get(agency=agency_a)
    *batches, (sequence, digest, moment) = data.event_rows(
        _plan(agency_a, [practitioner.user], head, 5), head.occurred_at + dt.timedelta(hours=1), random.Random(3))
    rows = [line.split("\t") for batch in batches for line in batch.splitlines()]
    rows[2][4] = "auth.sign_out" if rows[2][4] != "auth.sign_out" else "auth.sign_in"
    AuditEvent.objects.bulk_create([
        AuditEvent(agency_id=int(row[0]), sequence=int(row[1]), occurred_at=dt.datetime.fromisoformat(row[2]),
                   actor_id=int(row[3]), action=row[4], target_type=row[5], target_id=row[6], data=json.loads(row[7]),
                   prev_hash=row[8], hash=row[9], key_id=row[10]) for row in rows])
    AuditChainHead.objects.filter(agency=agency_a).update(sequence=sequence, hash=digest, occurred_at=moment)
    assert verify_agency(agency_a).broken.sequence == head.sequence + 3


def test_the_scales_put_three_tenths_in_the_big_agency_and_lose_no_request():
    full = SCALES["full"]
    counts = full.per_agency()
    assert (len(counts), counts[0], sum(counts)) == (50, 300_000, 1_000_000)
    assert sum(full.events_for(count) for count in counts) == 5_000_000
    assert sum(SCALES["quick"].per_agency()) == 20_000 and sum(SCALES["small"].per_agency()) == 10


def test_wrk_output_is_read_for_its_rate_errors_and_latencies():
    result = wrk.parse(WRK_OUTPUT)
    assert result.rate == 191.37 and result.errors == 3
    assert result.latency_ms == {"p50": 39.81, "p90": 56.12, "p99": 1020.0}


def test_results_json_has_one_object_per_measure_with_its_ratio_and_verdict(tmp_path):
    page = ratio_measure("review list, first page", [90.0, 100.0, 110.0], [200.0, 200.0, 200.0], "requests/s",
                         0.4, "ceiling")
    export = Measure("audit export peak RSS", 61.0, "MB", target="value < 150").check()
    counts = Measure("queries: audit page", 6, "queries", ceiling=7, target="value == ceiling").check()
    unjudged = Measure("engine", 34_000, "evaluations/s")
    table = write(tmp_path, [page, export, counts, unjudged], {"scale": "quick", "finished": "now"},
                  ["Not measured: what-if (no such page)."])

    written = json.loads((tmp_path / "results.json").read_text())
    assert [measure["name"] for measure in written["measures"]] == [
        "review list, first page", "audit export peak RSS", "queries: audit page", "engine"]
    first = written["measures"][0]
    assert {key: first[key] for key in ("value", "ceiling", "ratio", "unit", "target", "met")} == {
        "value": 100.0, "ceiling": 200.0, "ratio": 0.5, "unit": "requests/s", "target": "ratio >= 0.4", "met": True}
    assert (first["extra"]["ratio_min"], first["extra"]["ratio_max"]) == (0.45, 0.55)
    assert [measure["met"] for measure in written["measures"][1:]] == [True, False, None]
    assert "| review list, first page | 100 requests/s | 200 (ceiling) | 0.500 (0.450–0.550) | ratio >= 0.4 | yes |" \
        in table
    assert "Not measured: what-if" in (tmp_path / "results.md").read_text()


def test_staff_addresses_and_authenticator_keys_are_stable_for_the_runner():
    address = data.email("bench-big", "supervisor", 3)
    assert address == "supervisor3@bench-big.bench.example"
    assert len(data.totp_key(address)) == 40 and data.totp_key(address) != data.totp_key(data.email("bench-big",
                                                                                                    "admin", 3))


def test_the_load_runner_reads_forms_and_next_links_as_a_browser_would():
    page = """<form method="post" action="/requests/7/choose/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input type="radio" name="option" value="accept"><input type="radio" name="option" value="discuss" checked>
      <textarea name="reason"></textarea><button type="submit">Choose</button></form>
      <nav><a class="page-link" href="?status=open&amp;page=2">Next</a></nav>"""
    (form,) = forms("/requests/7/", page)
    assert (form.action, form.method, form.fields) == ("/requests/7/choose/", "post",
                                                       {"csrfmiddlewaretoken": "t", "option": "discuss"})
    assert next_link(page) == "?status=open&page=2"
    assert next_link('<a href="?after=42" rel="next">Older</a>') == "?after=42"
    assert next_link("<p>Page 1 of 1</p>") is None


def _lua_literals(script: str) -> list[str]:
    """The string literals of a wrk script, decoded as Lua reads them (decimal escapes are bytes)."""
    import re

    return [re.sub(rb"\\(\d{3})", lambda m: bytes([int(m.group(1))]), literal.encode("latin-1")).decode("utf-8")
            for literal in re.findall(r'"((?:[^"\\]|\\\d{3})*)"', script)]


def test_the_evaluate_script_posts_the_json_body_with_the_bearer_token():
    from bench.pages import EVALUATE_BODY, evaluate_script

    script = evaluate_script('bnd_odd"secret\\é')
    assert script.splitlines()[0] == 'wrk.method = "POST"'
    method, body, *headers = _lua_literals(script)
    assert method == "POST" and json.loads(body) == EVALUATE_BODY
    assert dict(zip(headers[::2], headers[1::2])) == {"Content-Type": "application/json",
                                                      "Authorization": 'Bearer bnd_odd"secret\\é'}
    assert all(32 <= ord(ch) < 127 for ch in script.replace("\n", ""))  # any secret becomes printable ASCII


def test_the_api_client_sends_its_script_and_no_session_cookie(monkeypatch, tmp_path):
    sent = []

    class Finished:
        stdout = WRK_OUTPUT

    monkeypatch.setattr(wrk.subprocess, "run", lambda command, **kwargs: sent.append(command) or Finished())
    result = wrk.run("http://127.0.0.1:8106/api/v1/evaluate", None, seconds=1, script=tmp_path / "post.lua")
    assert result.rate == 191.37
    assert "-H" not in sent[0] and sent[0][-3:] == ["-s", str(tmp_path / "post.lua"),
                                                    "http://127.0.0.1:8106/api/v1/evaluate"]
    wrk.run("http://127.0.0.1:8116/bench/ceiling/", "sessionid=abc", seconds=1)
    assert sent[1][-3:] == ["-H", "Cookie: sessionid=abc", "http://127.0.0.1:8116/bench/ceiling/"]


def test_the_bench_body_gets_guidance_from_the_api_with_a_guidance_token(practitioner, client):
    from api.services import api_token_create
    from bench.pages import EVALUATE_BODY, EVALUATE_PATH

    _token, secret = api_token_create(membership=practitioner, name="make bench", scopes=["guidance"], days=1)
    response = client.post(EVALUATE_PATH, EVALUATE_BODY, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200, response.content
    assert response.json()["recommended"] == ["discuss", "decline"]


def test_the_api_measure_is_judged_as_a_ratio_to_the_ceiling():
    from bench.pages import EVALUATE_TARGET

    met = ratio_measure("API: POST /api/v1/evaluate", [600, 640], [1000, 1100], "requests/s", EVALUATE_TARGET,
                        "ceiling")
    assert met.target == "ratio >= 0.5" and met.met is True
    missed = ratio_measure("API: POST /api/v1/evaluate", [300], [1000], "requests/s", EVALUATE_TARGET, "ceiling")
    assert missed.ratio == 0.3 and missed.met is False


def test_a_phase_reports_its_own_peak_memory_not_the_bench_that_started_it():
    """Linux keeps `ru_maxrss` across exec, so a phase started by a large bench process reported the
    bench's size (170 MB after the load run) as the export's peak; rss_mb reads the program's own."""
    import subprocess
    import sys

    ballast = bytearray(300 * 1024 * 1024)  # the starting process grows by 300 MB, touched
    for offset in range(0, len(ballast), 4096):
        ballast[offset] = 1
    started = subprocess.run([sys.executable, "-c", "from bench.standalone import rss_mb; print(rss_mb())"],
                             capture_output=True, text=True, check=True, cwd=ROOT)
    assert float(started.stdout) < 100, "the new program's peak, not the 300 MB of the one that started it"
    del ballast
