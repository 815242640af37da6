"""The idle warning in a real browser: it appears before the session ends, staying works, and then
the person lands on the sign-in page, which says why. The limits are shortened to a few seconds."""

from playwright.sync_api import expect

from .conftest import check_accessibility, screenshot


def test_the_page_warns_before_the_idle_time_and_then_signs_out(page, settings, sign_in, practitioner):
    settings.SESSION_IDLE_SECONDS = 9
    settings.SESSION_WARNING_SECONDS = 6
    settings.SESSION_ACTIVITY_WRITE_SECONDS = 0
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    sign_in(practitioner.user.email)
    warning = page.get_by_role("alert").filter(has_text="Still there?")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=8000)
    expect(warning).to_contain_text("you'll be signed out in about a minute")
    check_accessibility(page)
    screenshot(page, "session-idle-warning")

    warning.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()

    expect(warning).to_be_visible(timeout=8000)
    expect(page).to_have_title("Sign in · Boundaries", timeout=15000)
    expect(page.get_by_role("alert")).to_contain_text("without activity")
    assert page.url.endswith("/sign-in/?next=%2F")
    assert [m for m in messages if "Content Security Policy" in m] == []
