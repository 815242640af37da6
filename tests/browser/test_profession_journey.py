from playwright.sync_api import expect

from scenarios.models import ContactRequest

from .conftest import check_accessibility, screenshot


def test_an_admin_records_a_counsellor_who_logs_a_clients_facebook_request_and_sees_aca_first(
        page, live_server, sign_in, admin, practitioner):
    # The admin records Pat's profession on the staff pages.
    sign_in(admin.user.email)
    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("link", name="Change role or profession of Pat Practitioner").click()
    expect(page.get_by_role("heading", name="Role and profession of Pat Practitioner")).to_be_visible()
    page.get_by_label("Profession").select_option("counselor")
    check_accessibility(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Pat Practitioner is now practitioner. Profession: counsellor.")).to_be_visible()
    expect(page.get_by_role("row", name="Pat Practitioner").get_by_role("cell", name="Counsellor")).to_be_visible()
    check_accessibility(page)
    page.context.clear_cookies()

    # Pat, a counsellor, logs a current client's Facebook friend request.
    sign_in(practitioner.user.email)
    page.goto(f"{live_server.url}/requests/new/")
    page.get_by_label("What kind of request").select_option("friend_request")
    page.get_by_label("Platform or channel").select_option("facebook")
    page.get_by_label("When it arrived").fill("2026-03-10T10:05")
    page.get_by_label("Who sent it").select_option("current_client")
    page.get_by_label("Current").check()
    page.get_by_label("Client reference").fill("RB-2077")
    page.get_by_role("button", name="Log it and see the guidance").click()

    expect(page.get_by_role("heading", level=2, name="Recommended: Discuss, then decline")).to_be_visible()
    expect(page.locator("#codes-cited")).to_have_text(
        "Logged by a counsellor, so the ACA Code of Ethics (2014) is cited first; the general references "
        "(NASW, ACA) only where it is silent.")
    decline = page.get_by_role("region", name="Decline")
    decline.get_by_text("Professional codes").click()
    codes = decline.get_by_role("listitem").filter(has_text="ACA Code of Ethics (2014)")
    expect(decline.locator("details li").first).to_contain_text("ACA Code of Ethics (2014) A.5.e")
    expect(codes.first).to_be_visible()
    expect(decline.locator("details li").filter(has_text="NASW")).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "profession-counsellor-guidance")
    assert ContactRequest.objects.get().profession == "counselor"
