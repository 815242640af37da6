import pytest
from playwright.sync_api import expect

from accounts.models import Role

from .conftest import check_accessibility, screenshot


def test_the_sign_in_page_is_accessible_and_explains_a_wrong_password(page, live_server, practitioner):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_title("Sign in · Boundaries")
    check_accessibility(page)
    page.get_by_label("Email").fill("pat@riverside.example")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That email and password don't match an active account.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("pat@riverside.example")
    check_accessibility(page)
    screenshot(page, "sign-in-wrong-password")


LANDINGS = [
    ("practitioner", "My requests", "Staff"),
    ("supervisor", "Policies", "Audit trail"),
    ("admin", "Staff", "Review"),
]


@pytest.mark.parametrize("persona, sees, does_not_see", LANDINGS)
def test_each_role_signs_in_to_its_own_landing_page(request, page, sign_in, persona, sees, does_not_see):
    membership = request.getfixturevalue(persona)
    sign_in(membership.user.email)
    expect(page).to_have_title("Home · Boundaries")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=sees)).to_be_visible()
    expect(nav.get_by_role("link", name=does_not_see)).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello,")
    check_accessibility(page)
    screenshot(page, f"landing-{persona}")


def test_an_admin_adds_and_deactivates_a_colleague(page, sign_in, admin, practitioner):
    sign_in(admin.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    check_accessibility(page)
    page.get_by_role("link", name="Add staff member").click()
    page.get_by_label("Full name").fill("Nina New")
    page.get_by_label("Work email").fill("nina@riverside.example")
    page.get_by_label("Role").select_option(Role.SUPERVISOR.value)
    check_accessibility(page)
    page.get_by_role("button", name="Add staff member").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "We emailed nina@riverside.example a link to join Riverside Early Intervention as supervisor.")
    page.get_by_role("link", name="Deactivate Pat Practitioner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate Pat Practitioner?")
    check_accessibility(page)
    page.get_by_role("button", name="Deactivate account").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Pat Practitioner can no longer sign in to Riverside Early Intervention.")
    check_accessibility(page)
    screenshot(page, "staff-after-deactivation")
