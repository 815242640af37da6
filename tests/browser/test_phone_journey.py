"""At a 390-px phone width the lists become stacked cards: nothing runs off the side, axe finds nothing."""

import re

from playwright.sync_api import expect

from audit.models import AuditAction
from audit.services import record
from policies.services import policy_start_draft
from scenarios import services
from scenarios.tests.conftest import facebook_from_parent

from .conftest import check_accessibility, screenshot

PHONE = {"width": 390, "height": 844}


def assert_fits(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide on a {widths[1]} px screen"


def sign_out(page) -> None:
    page.context.clear_cookies()


def test_the_lists_read_as_cards_on_a_phone(page, live_server, sign_in, practitioner, supervisor, admin):
    page.set_viewport_size(PHONE)
    services.request_log(agency=practitioner.agency, practitioner=practitioner.user,
                                   **facebook_from_parent())
    services.request_log(agency=practitioner.agency, practitioner=practitioner.user,
                         **facebook_from_parent(client_reference="TK-88", medium="instagram"))
    record(agency=admin.agency, actor=admin.user, action=AuditAction.ROLE_CHANGED, target=practitioner,
           data={"from": "practitioner", "to": "supervisor"})

    sign_in(practitioner.user.email)
    page.goto(f"{live_server.url}/requests/")
    first = page.get_by_role("row").filter(has_text="RB-1042")
    # Each cell shows its column's name in the card (CSS ::before, so it is in the accessible name).
    expect(first.get_by_role("cell", name=re.compile("^Status "))).to_be_visible()
    assert_fits(page)
    check_accessibility(page)
    screenshot(page, "phone-requests")

    # The policy grid: each relationship a card, each platform group named in it.
    page.goto(f"{live_server.url}/policy/")
    assert_fits(page)
    check_accessibility(page)
    screenshot(page, "phone-policy")

    sign_out(page)
    sign_in(supervisor.user.email)
    page.goto(f"{live_server.url}/review/?reference=RB")
    expect(page.get_by_role("row").filter(has_text="RB-1042")).to_have_count(1)
    expect(page.get_by_text("TK-88")).to_have_count(0)
    page.goto(f"{live_server.url}/review/")
    assert_fits(page)
    check_accessibility(page)
    # The menu's name, role and agency wrap instead of being cut off.
    page.get_by_role("button", name="Show navigation").click()
    menu = page.locator(".user-menu")
    expect(menu).to_be_visible()
    assert menu.evaluate("(el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= innerWidth")
    expect(menu).to_contain_text("Supervisor, Riverside Early Intervention")
    screenshot(page, "phone-review")

    # The policy editor's grid: a select and a reason per platform group, each card named.
    draft = policy_start_draft(agency=supervisor.agency, actor=supervisor.user)
    page.goto(f"{live_server.url}/policies/{draft.number}/edit/")
    expect(page.locator(".rule-grid select").first).to_be_visible()
    assert_fits(page)
    check_accessibility(page)
    screenshot(page, "phone-policy-editor")

    sign_out(page)
    sign_in(admin.user.email)
    page.goto(f"{live_server.url}/staff/")
    staff_row = page.get_by_role("row").filter(has_text="Pat Practitioner")
    expect(staff_row.get_by_role("cell", name=re.compile("^Role "))).to_be_visible()
    assert_fits(page)
    check_accessibility(page)
    screenshot(page, "phone-staff")

    page.goto(f"{live_server.url}/audit/")
    assert_fits(page)
    check_accessibility(page)
    screenshot(page, "phone-audit")
    # The filter updates the list in place (htmx): the page itself is not reloaded.
    page.evaluate("() => { window.stayedHere = true; }")
    page.get_by_label("Action").select_option(label="Role changed")
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)
    assert page.evaluate("() => window.stayedHere === true")
    assert f"action={AuditAction.ROLE_CHANGED.value}" in page.url  # pushed, so the view can be shared
    page.get_by_role("link", name=f"Staff member {practitioner.pk}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pat Practitioner")
