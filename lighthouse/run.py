"""`make lighthouse`: Lighthouse on the main pages, as each role, on a phone and on a desktop.

Serves the app with gunicorn under production settings (plain HTTP on loopback only: the two
switches below say so explicitly) against a fresh demo database, signs in as each role, runs the
pinned Lighthouse (lighthouse/package.json) in Debian's Chromium, prints a table and writes the JSON
reports to artefacts/lighthouse/. Exits 1 when accessibility, best practices or SEO scores under
MIN_SCORE on any page, or cumulative layout shift reaches MAX_CLS. Performance is printed only: it
is noisy on a shared machine. docs/lighthouse.md explains the run and holds the latest table.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "artefacts" / "lighthouse"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"

MIN_SCORE = 95
MAX_CLS = 0.1
DEMO_PASSWORD = "boundaries-demo"
LOGINS = {
    "practitioner": "practitioner@riverside.example",
    "supervisor": "supervisor@riverside.example",
    "admin": "admin@riverside.example",
}
# The same flags as the browser journeys (tests/browser/conftest.py), in Chrome's new headless mode.
CHROME_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--headless=new",
]
FORM_FACTORS = {"phone": [], "desktop": ["--preset=desktop"]}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


@dataclass(frozen=True)
class Page:
    key: str
    name: str
    role: str | None  # None: signed out
    path: str


@dataclass(frozen=True)
class Result:
    page: Page
    form_factor: str
    scores: dict[str, int]
    cls: float
    report: Path

    @property
    def problems(self) -> list[str]:
        found = [f"{category} {self.scores[category]}" for category in CATEGORIES[1:]
                 if self.scores[category] < MIN_SCORE]
        if self.cls >= MAX_CLS:
            found.append(f"layout shift {self.cls:.3f}")
        return found


def production_env(port: int, database: Path) -> dict[str, str]:
    """Production settings (DEBUG off, manifest static files, HSTS, strict CSP), with only the two
    switches that plain HTTP on loopback needs: no redirect to https and cookies sent over http."""
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AUDIT_KEYS": f"lighthouse:{secrets.token_urlsafe(48)}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "LOG_LEVEL": "ERROR",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_until_up(base: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped before it answered (exit code {server.returncode}).")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"gunicorn did not answer {base}/healthz within {seconds:.0f} seconds.")


class Session:
    """A signed-in browser session, kept in a cookie jar; Lighthouse gets its cookies as a header."""

    def __init__(self, base: str, email: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        sign_in = self.get("/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', sign_in)
        if not token:
            sys.exit("The sign-in page has no CSRF token.")
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "username": email,
                                       "password": DEMO_PASSWORD}).encode()
        with self.opener.open(urllib.request.Request(f"{base}/sign-in/", data=form), timeout=30) as response:
            landed = urllib.parse.urlsplit(response.url).path
        if landed.startswith("/sign-in/"):
            sys.exit(f"Signing in as {email} did not get past {landed} (a code step, or a wrong password).")

    def get(self, path: str) -> str:
        with self.opener.open(f"{self.base}{path}", timeout=30) as response:
            return response.read().decode()

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)


def pages(sessions: dict[str, Session]) -> list[Page]:
    # The guidance page of the practitioner's first demo request.
    listing = sessions["practitioner"].get("/requests/")
    found = re.search(r'href="(/requests/\d+/)"', listing)
    if not found:
        sys.exit("The practitioner's request list links to no request: did seed_demo run?")
    return [
        Page("sign-in", "Sign in", None, "/sign-in/"),
        Page("home", "Practitioner's home", "practitioner", "/"),
        Page("log", "Log a request", "practitioner", "/requests/new/"),
        Page("guidance", "Guidance for a request", "practitioner", found.group(1)),
        Page("policy", "The policy", "practitioner", "/policy/"),
        Page("statement", "Client statement", "practitioner", "/policy/statement/"),
        Page("review", "Supervisor's review list", "supervisor", "/review/"),
        Page("audit", "Admin's audit trail", "admin", "/audit/"),
        # Pages later issues added: "Before I do it", training, the dashboard and the policy what-if
        # (the demo's draft is version 2).
        Page("before", "Before I do it", "practitioner", "/requests/before/"),
        Page("training", "Training", "practitioner", "/training/"),
        Page("dashboard", "Supervisor's dashboard", "supervisor", "/dashboard/"),
        Page("whatif", "Policy what-if", "supervisor", "/policies/2/what-if/"),
        # The API's interactive reference (issue 16): public, like the OpenAPI document it reads.
        Page("api-docs", "API reference", None, "/api/v1/docs"),
    ]


def run_lighthouse(base: str, page: Page, form_factor: str, cookie: str | None, chrome: str,
                   attempts: int = 3) -> Result:
    """Lighthouse now and then fails to record a trace on a busy machine (NO_NAVSTART): try again."""
    for attempt in range(1, attempts + 1):
        try:
            return _run_lighthouse(base, page, form_factor, cookie, chrome)
        except LighthouseError as error:
            if attempt == attempts:
                sys.exit(str(error))
            print(f"    {error.args[0].splitlines()[0]}: trying again", flush=True)
    raise AssertionError("unreachable")


class LighthouseError(Exception):
    pass


def _run_lighthouse(base: str, page: Page, form_factor: str, cookie: str | None, chrome: str) -> Result:
    report = REPORTS / f"{page.key}-{form_factor}.json"
    report.unlink(missing_ok=True)
    command = [
        str(LIGHTHOUSE), f"{base}{page.path}", "--output=json", f"--output-path={report}", "--quiet",
        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        *FORM_FACTORS[form_factor],
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    completed = subprocess.run(command, env={**os.environ, "CHROME_PATH": chrome}, cwd=ROOT,
                               capture_output=True, text=True, timeout=300)
    if completed.returncode != 0 or not report.exists():
        raise LighthouseError(f"Lighthouse failed on {page.path} ({form_factor}):\n{completed.stderr[-2000:]}")
    data = json.loads(report.read_text())
    if data.get("runtimeError"):
        raise LighthouseError(f"Lighthouse could not load {page.path} ({form_factor}): "
                              f"{data['runtimeError'].get('message')}")
    final = urllib.parse.urlsplit(data.get("finalDisplayedUrl") or data.get("finalUrl") or "").path
    if final != page.path:
        sys.exit(f"{page.path} ({form_factor}) ended on {final}: the session did not hold.")
    scores = {category: round(100 * (data["categories"][category]["score"] or 0)) for category in CATEGORIES}
    cls = float(data["audits"]["cumulative-layout-shift"]["numericValue"])
    return Result(page, form_factor, scores, cls, report)


def failing_audits(result: Result) -> list[str]:
    """What cost a failing category its points, to say where to look."""
    data = json.loads(result.report.read_text())
    lines = []
    for category in CATEGORIES[1:]:
        if result.scores[category] >= MIN_SCORE:
            continue
        for ref in data["categories"][category]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                lines.append(f"    {category}: {audit['id']}: {audit['title']}")
    return lines


def table(results: list[Result]) -> str:
    header = ("page", "form factor", "performance", "accessibility", "best practices", "SEO", "CLS")
    rows = [(r.page.name, r.form_factor, *(str(r.scores[c]) for c in CATEGORIES), f"{r.cls:.3f}") for r in results]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    line = lambda cells: "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([line(header), "| " + " | ".join("-" * width for width in widths) + " |", *map(line, rows)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("LIGHTHOUSE_PORT", "8107")))
    parser.add_argument("--only", help="comma-separated page keys (sign-in,home,log,guidance,policy,statement,review,audit,before,training,dashboard,whatif)")
    args = parser.parse_args()
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chrome:
        sys.exit("No Chromium on PATH: install Debian's chromium package (apt-get install chromium).")
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make lighthouse` (it runs npm ci in lighthouse/).")
    REPORTS.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory(prefix="boundaries-lighthouse-") as scratch:
        env = production_env(args.port, Path(scratch) / "demo.sqlite3")
        print("--- a fresh demo database and the collected static files (production settings)", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--noinput")
        server = subprocess.Popen([str(GUNICORN), "boundaries.wsgi", "--bind", f"127.0.0.1:{args.port}",
                                   "--workers", "2", "--log-level", "warning"], cwd=ROOT, env=env)
        try:
            wait_until_up(base, server)
            sessions = {role: Session(base, email) for role, email in LOGINS.items()}
            chosen = pages(sessions)
            if args.only:
                keys = set(args.only.split(","))
                chosen = [page for page in chosen if page.key in keys]
            results = []
            for page in chosen:
                for form_factor in FORM_FACTORS:
                    print(f"--- {page.name} ({page.path}), {form_factor}", flush=True)
                    cookie = sessions[page.role].cookie_header if page.role else None
                    result = run_lighthouse(base, page, form_factor, cookie, chrome)
                    results.append(result)
                    print("    " + ", ".join(f"{c} {result.scores[c]}" for c in CATEGORIES)
                          + f", layout shift {result.cls:.3f}", flush=True)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    print()
    print(table(results))
    print(f"\nReports: {REPORTS.relative_to(ROOT)}/")
    failures = [result for result in results if result.problems]
    if failures:
        print(f"\nUnder {MIN_SCORE}, or layout shift of {MAX_CLS} or more:")
        for result in failures:
            print(f"  {result.page.name} ({result.form_factor}): {', '.join(result.problems)}")
            print("\n".join(failing_audits(result)))
        return 1
    print(f"\nEvery page scores {MIN_SCORE} or more in accessibility, best practices and SEO, "
          f"with layout shift under {MAX_CLS}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
