"""Under the real Content-Security-Policy, every role's everyday journey runs with no violation
reported and no error in the console: Bootstrap's menus, the request form's script and htmx's
in-place step saving all work without inline script, inline style or eval."""

import re

from playwright.sync_api import expect

from tests.factories import PolicyVersionFactory

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

    # htmx saves a step in place: the page is not reloaded (the marker survives), and no eval is needed.
    page.evaluate("window.__same_page = true")
    step = page.locator("#step-talking_points")
    step.get_by_role("textbox").fill("Thank her; explain the policy.")
    step.get_by_role("button", name=re.compile("Save step")).click()
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
