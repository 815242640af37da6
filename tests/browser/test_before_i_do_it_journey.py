"""A practitioner checks "post a photo taken at work" on a phone before doing it, and is told to hold off."""

from playwright.sync_api import expect

from scenarios.models import ContactRequest

from .conftest import check_accessibility, screenshot

PHONE = {"width": 390, "height": 844}


def test_a_photo_taken_at_work_without_written_consent_is_held_off(page, live_server, sign_in, practitioner):
    page.set_viewport_size(PHONE)
    sign_in(practitioner.user.email)
    page.goto(f"{live_server.url}/requests/new/")
    page.get_by_role("link", name="Before I do it").click()
    expect(page.get_by_role("heading", name="Log a request")).to_be_visible()
    expect(page.get_by_role("link", name="Before I do it")).to_have_attribute("aria-current", "page")

    consent = page.get_by_role("group", name="Do you have written consent from everyone we serve who is in the photo?")
    # The consent question is hidden until a photo is chosen, and not even laid out before then.
    expect(consent).to_be_hidden()
    check_accessibility(page)
    page.get_by_label("Post a photo taken at work").check()
    expect(consent).to_be_visible()
    expect(page.get_by_role("group", name="Are you worried about someone's safety?")).to_be_hidden()
    consent.get_by_label("No").check()
    page.get_by_label("Context (optional)").fill("Playgroup picnic for the newsletter")
    check_accessibility(page)
    screenshot(page, "before-i-do-it-form")
    page.get_by_role("button", name="Check it and see the guidance").click()

    expect(page.get_by_role("heading", name="Post a photo taken at work")).to_be_visible()
    expect(page.get_by_role("heading", name="Recommended: Hold off")).to_be_visible()
    expect(page.get_by_text("hold off: don't post a photo taken at work without written consent")).to_be_visible()
    expect(page.get_by_role("radio", name="Choose post the photo")).to_be_disabled()
    check_accessibility(page)
    screenshot(page, "before-i-do-it-guidance")
    assert ContactRequest.objects.get().recommended == ["hold_off"]

    # Holding off is walked through like a request: why, what instead, and that nothing went online.
    page.get_by_role("radio", name="Choose hold off").check()
    page.get_by_role("button", name="Choose this option").click()
    expect(page.get_by_role("heading", name="Walk-through: hold off")).to_be_visible()
    expect(page.get_by_role("heading", name="Before you act")).to_be_visible()
    expect(page.get_by_label("Ask for written consent first, or keep the photo off social media.")).to_be_visible()
    check_accessibility(page)
