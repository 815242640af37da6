"""An admin moves the agency to another time zone; its pages then run on that local time."""

from playwright.sync_api import expect

from accounts.models import Agency

from .conftest import check_accessibility, screenshot


def test_an_admin_sets_the_agencys_time_zone(page, sign_in, admin, agency_a):
    sign_in(admin.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Agency settings").click()
    zone = page.get_by_label("Time zone")
    expect(zone).to_have_value("America/New_York")
    expect(page.locator("#id_time_zone-options option[value='Pacific/Honolulu']")).to_have_count(1)
    check_accessibility(page)

    zone.fill("Mars/Olympus_Mons")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.locator("#error_1_id_time_zone")).to_contain_text("That isn't a time zone we know.")
    expect(page.get_by_label("Time zone")).to_have_value("Mars/Olympus_Mons")
    check_accessibility(page)
    screenshot(page, "time-zone-unknown")

    page.get_by_label("Time zone").fill("pacific/honolulu")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Saved. Riverside Early Intervention works in Pacific/Honolulu time")
    expect(page.get_by_label("Time zone")).to_have_value("Pacific/Honolulu")
    expect(page.get_by_text("in Pacific/Honolulu.")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "time-zone-saved")
    assert Agency.objects.get(pk=agency_a.pk).time_zone == "Pacific/Honolulu"
