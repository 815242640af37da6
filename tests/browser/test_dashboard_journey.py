"""A supervisor reads the team's day at a glance and opens the dashboard, at desktop and phone sizes."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from policies.models import PolicyStatus
from scenarios.tests.factories import ContactRequestFactory
from tests.factories import AcknowledgementFactory, MembershipFactory, PolicyVersionFactory

from .conftest import check_accessibility, screenshot

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _team(agency, practitioner):
    now = timezone.now()
    today = timezone.localdate(timezone=agency.zone)
    quinn = MembershipFactory(agency=agency, role=Role.PRACTITIONER, user__full_name="Quinn Practitioner")
    for days, medium, relationship in ((3, "facebook", "client_family"), (40, "instagram", "current_client"),
                                       (70, "linkedin", "colleague"), (100, "facebook", "former_client")):
        ContactRequestFactory(membership=practitioner, received_at=now - dt.timedelta(days=days), medium=medium,
                              relationship=relationship, status="closed", outcome="declined",
                              chosen_option="decline", closed_at=now - dt.timedelta(days=days - 5))
    ContactRequestFactory(membership=quinn, received_at=now - dt.timedelta(days=20), status="in_progress",
                          chosen_option="discuss", follow_up_on=today - dt.timedelta(days=4))
    ContactRequestFactory(membership=quinn, received_at=now - dt.timedelta(hours=5), status="awaiting_approval",
                          chosen_option="accept", medium="tiktok")
    version = PolicyVersionFactory(agency=agency, number=1, status=PolicyStatus.PUBLISHED,
                                   effective_from=today - dt.timedelta(days=200), published_at=now)
    AcknowledgementFactory(version=version, user=practitioner.user)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_supervisor_reads_the_counts_and_the_dashboard_draws_its_charts(size, page, live_server, sign_in,
                                                                          practitioner, supervisor, agency_a):
    _team(agency_a, practitioner)
    page.set_viewport_size(SIZES[size])
    sign_in(supervisor.user.email)

    glance = page.get_by_role("region", name="At a glance")
    expect(glance.locator("#glance-waiting")).to_contain_text("1 decision waiting for you")
    expect(glance.locator("#glance-overdue")).to_contain_text("1 overdue follow-up across the team")
    expect(glance.locator("#glance-coverage")).to_contain_text("33%")
    check_accessibility(page)
    screenshot(page, f"supervisor-home-{size}")

    glance.locator("#glance-overdue").click()
    expect(page.get_by_role("heading", level=1, name="Review")).to_be_visible()
    expect(page.get_by_label("Only overdue follow-ups")).to_be_checked()
    page.go_back()
    page.get_by_role("link", name="Open the dashboard").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    for key in ("platforms", "relationships", "outcomes", "resolved", "options", "acknowledgements", "overdue"):
        chart = page.locator(f'svg[data-chart="{key}"]')
        expect(chart).to_be_visible()
        assert chart.bounding_box()["width"] > 300
        assert chart.locator("rect").count() > 0
    # The bars are coloured by the stylesheet, not left black: the static CSS loaded under the CSP.
    fill = page.locator('svg[data-chart="platforms"] rect').first.evaluate("el => getComputedStyle(el).fill")
    assert fill not in ("rgb(0, 0, 0)", "none", "")
    expect(page.get_by_role("table", name="Overdue follow-ups, as a table")).to_contain_text("Quinn Practitioner")
    check_accessibility(page)
    screenshot(page, f"dashboard-{size}")

    # A range that ends before it starts is refused by its field, and what was typed stays.
    page.get_by_label("From").fill("2026-03-31")
    page.get_by_label("To").fill("2026-01-01")
    page.get_by_role("button", name="Show these dates").click()
    expect(page.get_by_text("The end date is before the start date.")).to_be_visible()
    expect(page.get_by_label("From")).to_have_value("2026-03-31")
    check_accessibility(page)
    if size == "phone":
        screenshot(page, "dashboard-reversed-range-phone")


def test_a_practitioner_sees_what_needs_them_today(page, live_server, sign_in, practitioner, agency_a):
    today = timezone.localdate(timezone=agency_a.zone)
    overdue = ContactRequestFactory(membership=practitioner, status="in_progress", chosen_option="discuss",
                                    follow_up_on=today - dt.timedelta(days=2))
    ContactRequestFactory(membership=practitioner)
    page.set_viewport_size(SIZES["phone"])
    sign_in(practitioner.user.email)

    items = page.get_by_role("region", name="What needs you today").get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text(f"Request {overdue.pk}")
    expect(items.first).to_contain_text("Overdue")
    check_accessibility(page)
    screenshot(page, "practitioner-today-phone")
