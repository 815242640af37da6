"""One person, several agencies: the switcher by keyboard, and joining a second agency by invitation."""

import re

from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role

from .conftest import check_accessibility, screenshot


def test_someone_in_two_agencies_switches_by_keyboard(page, sign_in, practitioner, pat_at_both):
    sign_in(practitioner.user.email)
    nav = page.get_by_role("navigation", name="Main")
    switcher = nav.get_by_label("Working in")
    expect(switcher).to_have_value(str(practitioner.agency_id))
    check_accessibility(page)
    switcher.focus()
    switcher.select_option(label="Hilltop Family Services")
    page.keyboard.press("Tab")
    expect(nav.get_by_role("button", name="Switch agency")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text("You're working in Hilltop Family Services now.")
    expect(nav.get_by_label("Working in")).to_have_value(str(pat_at_both.agency_id))
    check_accessibility(page)
    screenshot(page, "agency-switched")


def test_an_admin_invites_a_colleague_from_another_agency_who_accepts(page, sign_in, admin, outsider):
    sign_in(admin.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Add staff member").click()
    page.get_by_label("Full name").fill("Olive Outsider")
    page.get_by_label("Work email").fill("olive@hilltop.example")
    page.get_by_label("Role").select_option(Role.SUPERVISOR.value)
    page.get_by_role("button", name="Add staff member").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "We emailed olive@hilltop.example a link to join Riverside Early Intervention as supervisor.")
    expect(page.get_by_role("heading", name="Invitations waiting for an answer")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "staff-invitation-waiting")

    link = re.search(r"https?://\S+/join/\S+", mail.outbox[-1].body).group(0)
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_label("Email").fill("olive@hilltop.example")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Riverside Early Intervention?")
    check_accessibility(page)
    page.get_by_role("button", name="Join Riverside Early Intervention").click()
    expect(page.get_by_role("alert")).to_contain_text("Welcome to Riverside Early Intervention.")
    switcher = page.get_by_role("navigation", name="Main").get_by_label("Working in")
    expect(switcher).to_have_value(str(admin.agency_id))
    check_accessibility(page)
    screenshot(page, "invitation-accepted")
