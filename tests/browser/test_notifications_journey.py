"""A supervisor hears that a request waits, approves it, and the practitioner sees the decision:
at desktop and phone sizes, with axe finding nothing."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from scenarios import services

from .conftest import check_accessibility, screenshot

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def open_notices(page) -> None:
    """The Notices link, behind the menu button on a phone; its count arrives after the page."""
    toggler = page.get_by_role("button", name="Show navigation")
    if toggler.is_visible():
        toggler.click()
    link = page.get_by_role("link", name=re.compile(r"^Notices 1 unread"))
    expect(link).to_be_visible()
    link.click()


@pytest.mark.parametrize("size", SIZES)
def test_a_supervisor_approves_and_the_practitioner_sees_it(page, sign_in, live_server, practitioner, supervisor,
                                                            size):
    page.set_viewport_size(SIZES[size])
    contact_request = services.request_log(
        agency=practitioner.agency, practitioner=practitioner.user, kind="friend_request", medium="facebook",
        relationship="community_member", received_at=timezone.now())
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="accept",
                                   reason="We coach the same junior football team.")
    assert [message.to for message in mail.outbox] == [[supervisor.user.email]]

    sign_in(supervisor.user.email)
    open_notices(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Notices")
    check_accessibility(page)
    page.get_by_role("link", name=f"Request {contact_request.pk} waits for your decision.").click()
    page.get_by_role("radio", name="Approved", exact=True).check()
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Your decision is recorded: Approved.")
    assert mail.outbox[-1].to == [practitioner.user.email]
    page.context.clear_cookies()  # signed out (the sign-out menu has its own journeys)

    sign_in(practitioner.user.email)
    open_notices(page)
    notice = page.get_by_role("link", name=f"Your supervisor approved what you chose for request {contact_request.pk}.")
    expect(notice).to_be_visible()
    check_accessibility(page)
    screenshot(page, f"notices-{size}")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("alert")).to_contain_text("All your notices are marked as read.")
    # No count once read (the link may sit behind the phone's menu button).
    expect(page.locator("#main-nav a[href='/notifications/']")).to_have_text("Notices")
    check_accessibility(page)
