"""Under the real Content-Security-Policy, every role's everyday journey runs with no violation
reported and no error in the console: Bootstrap's menus, the request form's script and htmx's
in-place step saving, the account pages, two-factor set-up with its QR code and the code step,
and the idle warning all work without inline script, inline style or eval."""

import re

from playwright.sync_api import expect

from tests.factories import PolicyVersionFactory

from .conftest import check_accessibility
from .test_two_factor_journey import app_code

# Added through DevTools before any page script runs (init scripts are not subject to the page's CSP).
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


def watch(page) -> list[str]:
    """Console errors and warnings, and CSP violations, as they happen, page after page."""
    heard: list[str] = []
    page.add_init_script(LISTEN)
    page.on("console", lambda message: heard.append(f"console {message.type}: {message.text} ({message.location.get('url')})")
            if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: heard.append(f"page error: {error}"))
    page.on("response", lambda response: heard.append(f"{response.status} for {response.url}")
            if response.status >= 400 else None)
    return heard


def violations(page) -> list[str]:
    return page.evaluate("window.__violations || []")


def test_each_role_works_through_its_pages_with_no_csp_violation(page, live_server, sign_in, practitioner,
                                                                  supervisor, admin):
    PolicyVersionFactory(agency=practitioner.agency, number=1, published=True, created_by=supervisor.user)
    heard = watch(page)
    seen: list[str] = []

    def look() -> None:
        seen.extend(violations(page))

    response = page.goto(f"{live_server.url}/sign-in/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    sign_in(practitioner.user.email)
    look()

    # Bootstrap's dropdown (script from our static files) opens the account menu.
    page.get_by_role("button", name=re.compile("Pat Practitioner")).click()
    expect(page.get_by_role("link", name="Change password")).to_be_visible()
    page.keyboard.press("Escape")

    # The request form's own script shows the client questions once a client relationship is chosen.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My requests").click()
    page.get_by_role("link", name="Log a request").first.click()
    expect(page.get_by_label("Client reference")).to_be_hidden()
    page.get_by_label("What kind of request").select_option("friend_request")
    page.get_by_label("Platform or channel").select_option("facebook")
    page.get_by_label("When it arrived").fill("2026-03-10T21:05")
    page.get_by_label("Who sent it").select_option("client_family")
    expect(page.get_by_label("Client reference")).to_be_visible()
    page.get_by_label("Current").check()
    page.get_by_label("Client reference").fill("RB-1042")
    page.get_by_role("button", name="Log it and see the guidance").click()
    look()
    page.get_by_label("Choose discuss").check()
    page.get_by_role("button", name="Choose this option").click()
    look()

    # htmx autosaves a box in place as it is left: the page is not reloaded (the marker survives), and
    # no eval is needed.
    page.evaluate("window.__same_page = true")
    step = page.locator("#step-talking_points")
    step.get_by_role("textbox").fill("Thank her; explain the policy.")
    step.get_by_role("textbox").blur()
    expect(page.locator("#step-talking_points").get_by_text("Saved.")).to_be_visible()
    assert page.evaluate("window.__same_page === true")
    look()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Policy").click()
    look()
    page.get_by_role("button", name=re.compile("Pat Practitioner")).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    sign_in(supervisor.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Policies").click()
    look()
    page.get_by_role("link", name="Start a new draft").click()
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit draft version 2")
    look()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    look()
    page.get_by_role("button", name=re.compile("Sam Supervisor")).click()
    page.get_by_role("button", name="Sign out").click()

    sign_in(admin.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    look()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    look()

    assert seen == [], "CSP violations:\n" + "\n".join(seen)
    assert heard == [], "The console reported:\n" + "\n".join(heard)


def test_account_pages_and_two_factor_sign_in_run_with_no_csp_violation(page, live_server, sign_in, admin):
    heard = watch(page)
    seen: list[str] = []

    def look() -> None:
        seen.extend(violations(page))

    sign_in(admin.user.email)
    page.get_by_role("button", name=re.compile("Alex Admin")).click()
    page.get_by_role("link", name="Account and security").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account and security")
    look()

    # The QR code is an inline SVG drawn with attributes, not inline style, so the policy lets it show.
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    qr = page.get_by_role("img", name="QR code to add Boundaries to your authenticator app")
    expect(qr).to_be_visible()
    assert page.locator(".qr-code svg").evaluate("svg => svg.getBBox().width") > 100
    assert page.locator(".qr-code [style], .qr-code style").count() == 0
    look()
    typed_key = page.locator("#totp-key").inner_text()
    page.get_by_label("Code from your app").fill(app_code(typed_key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    look()
    page.get_by_role("link", name="I've saved them, carry on").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Sign-in security").click()
    page.get_by_label("Require two-factor sign-in for admins and supervisors").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved. Admins and supervisors here must now sign in with a code.")).to_be_visible()
    look()

    page.get_by_role("button", name=re.compile("Alex Admin")).click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(admin.user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("One more step")
    look()
    page.get_by_label("Code").fill(app_code(typed_key, steps_ahead=1))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello, Alex")
    look()

    assert seen == [], "CSP violations:\n" + "\n".join(seen)
    assert heard == [], "The console reported:\n" + "\n".join(heard)


def test_the_idle_warning_runs_with_no_csp_violation(page, settings, sign_in, practitioner):
    """The warning's script asks the server how long is left and keeps the session alive with fetch
    (connect-src 'self'), shows and hides its box without inline style, then leaves for sign-in."""
    settings.SESSION_IDLE_SECONDS = 9
    settings.SESSION_WARNING_SECONDS = 6
    settings.SESSION_ACTIVITY_WRITE_SECONDS = 0
    heard = watch(page)
    sign_in(practitioner.user.email)
    warning = page.get_by_role("alert").filter(has_text="Still there?")
    expect(warning).to_be_visible(timeout=8000)
    seen = violations(page)
    with page.expect_response(lambda response: "/session/keep-alive/" in response.url) as kept:
        warning.get_by_role("button", name="Stay signed in").click()
    assert kept.value.ok
    expect(warning).to_be_hidden()
    seen += violations(page)
    expect(page).to_have_title("Sign in · Boundaries", timeout=20000)
    seen += violations(page)

    assert seen == [], "CSP violations:\n" + "\n".join(seen)
    assert heard == [], "The console reported:\n" + "\n".join(heard)


def test_the_api_reference_runs_with_no_csp_violation(page, live_server):
    """Swagger UI, from drf-spectacular-sidecar's packaged files and started by our own script, draws
    every operation of the OpenAPI document under the same strict policy: no CDN, no inline script or eval.
    With an operation open, axe finds nothing: one main landmark (our layout puts Swagger UI's operations
    in a <div>), headings that step down one level at a time, and our stylesheet's darker colours."""
    heard = watch(page)
    response = page.goto(f"{live_server.url}/api/v1/docs")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp and "unsafe-inline" not in csp
    expect(page.get_by_role("heading", name="Boundaries API reference")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Boundaries API 1"))).to_be_visible()  # Swagger UI's own
    operations = page.locator(".opblock-summary-path")
    expect(operations.filter(has_text=re.compile(r"^/api/v1/evaluate$"))).to_be_visible()
    expect(operations).to_have_count(10)
    # Opening an operation renders its parameters and responses in place.
    page.locator(".opblock-summary").filter(has_text="/api/v1/audit/events").first.click()
    expect(page.get_by_role("cell", name=re.compile("^after")).first).to_be_visible()
    assert page.get_by_role("main").count() == 1
    check_accessibility(page)
    seen = violations(page)
    assert seen == [], "CSP violations:\n" + "\n".join(seen)
    assert heard == [], "The console reported:\n" + "\n".join(heard)


def test_the_api_reference_stays_accessible_with_everything_open(page, live_server):
    """axe finds nothing in the deeper states too: every operation open (each responses region named
    after its operation, the examples reachable by keyboard), "Try it out" on GET /api/v1/requests
    (its enum filters labelled) and a request sent (refused without a token), then the Authorize dialog
    open. Swagger UI leaves these gaps; static/api/js/reference.js fills them, still under the strict CSP."""
    heard = watch(page)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".opblock-summary-path")).to_have_count(10)

    # (a) Every operation open.
    summaries = page.locator(".opblock-summary-control")
    for index in range(summaries.count()):
        summaries.nth(index).click()
    expect(page.locator(".opblock.is-open")).to_have_count(10)
    expect(page.get_by_role("region", name=re.compile("^Responses of "))).to_have_count(10)
    expect(page.get_by_role("region", name="Responses of GET /api/v1/requests", exact=True)).to_be_visible()
    check_accessibility(page)

    # (b) "Try it out" on GET /api/v1/requests: the status and kind filters become enabled <select>s.
    path = page.locator('.opblock-summary-path[data-path="/api/v1/requests"]')
    listing = page.locator(".opblock-get").filter(has=path)
    listing.get_by_role("button", name="Try it out").click()
    expect(listing.get_by_role("combobox", name="status")).to_be_enabled()
    expect(listing.get_by_role("combobox", name="kind")).to_be_enabled()
    check_accessibility(page)
    # Sent with no token, the API refuses it: the response is drawn all the same.
    with page.expect_response(lambda response: response.url.endswith("/api/v1/requests")) as sent:
        listing.get_by_role("button", name="Execute").click()
    assert sent.value.status == 401
    expect(listing.locator(".live-responses-table tbody .response-col_status")).to_have_text("401")
    check_accessibility(page)

    # (c) The Authorize dialog.
    page.get_by_role("button", name="Authorize", exact=True).first.click()
    expect(page.get_by_role("heading", name="Available authorizations")).to_be_visible()
    expect(page.get_by_label("Value:")).to_be_focused()
    check_accessibility(page)
    page.locator(".close-modal").click()
    expect(page.get_by_role("heading", name="Available authorizations")).to_be_hidden()

    seen = violations(page)
    assert seen == [], "CSP violations:\n" + "\n".join(seen)
    # The 401 is the one expected error (Chromium logs every failed fetch to the console).
    refused = [line for line in heard if re.search(r"\b401\b.*/api/v1/requests\)?$", line)]
    assert len(refused) == 2, heard
    assert [line for line in heard if line not in refused] == [], "The console reported:\n" + "\n".join(heard)
