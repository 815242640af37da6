"""Browser journeys in Debian's Chromium, driven by Playwright's Python package."""

import json
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.factories import PASSWORD

# Playwright runs an event loop in the test thread; Django's ORM calls from that thread are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "artefacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SOURCE = AXE.read_text(encoding="utf-8")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# What a journey waits for before it fails: Playwright's 5 s default was too short on a loaded
# two-core machine (a click's page took over 5 s once, while two suites shared the cores). A wait
# that succeeds returns as soon as the page is there, so only a failing journey takes longer.
expect.set_options(timeout=15_000)
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        reason = "No Chromium found on PATH: install Debian's chromium package to run the browser journeys."
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS, "headless": True}


@pytest.fixture
def sign_in(page, live_server):
    def go(email: str, password: str = PASSWORD):
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    return go


def check_accessibility(page) -> None:
    """Fail with a readable list when axe-core finds any violation on the page."""
    result = _run_axe(page)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert problems == [], f"axe-core violations on {page.url}:\n" + "\n".join(problems)


def _run_axe(page, attempts: int = 3) -> dict:
    # A click that navigates returns before the next page has loaded; injecting axe into the page
    # being torn down fails, so wait for the new one and try again (a page that never loads still fails).
    for attempt in range(attempts):
        page.wait_for_load_state("load")
        try:
            # Evaluated through DevTools rather than added as a <script>: the page's CSP refuses inline script.
            page.evaluate(AXE_SOURCE)
            return page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        except PlaywrightError:
            if attempt == attempts - 1:
                raise
            page.wait_for_timeout(200)
    raise AssertionError("unreachable")


def screenshot(page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
