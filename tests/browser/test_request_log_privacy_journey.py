import time

import pytest
from playwright.sync_api import expect

from scenarios import services

from scenarios.models import ContactRequest

from .conftest import check_accessibility, screenshot

ISSUE_CONTEXT = "Jennifer Smith's mother, diagnosed with autism"


def fill_the_log_form(page, live_server, context: str) -> None:
    page.goto(f"{live_server.url}/requests/new/")
    page.get_by_label("What kind of request").select_option("friend_request")
    page.get_by_label("Platform or channel").select_option("facebook")
    page.get_by_label("When it arrived").fill("2026-03-10T21:05")
    page.get_by_label("Who sent it").select_option("client_family")
    page.get_by_label("Current").check()
    page.get_by_label("Client reference").fill("RB-1042")
    page.get_by_label("Context (optional)").fill(context)


def test_a_context_that_may_name_the_family_is_questioned_before_it_is_saved(page, live_server, sign_in,
                                                                             practitioner):
    sign_in(practitioner.user.email)
    fill_the_log_form(page, live_server, ISSUE_CONTEXT)
    expect(page.get_by_label("I've checked: these words hold no name and no diagnosis")).to_have_count(0)
    page.get_by_role("button", name="Log it and see the guidance").click()

    expect(page.get_by_text("This may hold a name (\u201cJennifer Smith's\u201d)")).to_be_visible()
    expect(page.get_by_label("Context (optional)")).to_have_value(ISSUE_CONTEXT)
    check_accessibility(page)
    screenshot(page, "request-log-context-warning")
    assert not ContactRequest.objects.exists()

    page.get_by_label("Context (optional)").fill("Parent of a child on the caseload.")
    page.get_by_role("button", name="Log it and see the guidance").click()
    expect(page.get_by_role("heading", level=2, name="Recommended: Discuss, then decline")).to_be_visible()
    assert ContactRequest.objects.get().context == "Parent of a child on the caseload."


# The live server's SQLite test database is shared in memory, where a second writer fails at once
# instead of waiting its turn; PostgreSQL shows the real race.
@pytest.mark.postgresql
def test_a_double_click_on_the_log_button_logs_one_request(page, live_server, sign_in, practitioner, monkeypatch):
    # Saving is made slow, so the second click is sent while the first is still being saved; the
    # mouse clicks twice without waiting for the page, as a hurried person does.
    real_log = services.request_log
    monkeypatch.setattr(services, "request_log", lambda **facts: time.sleep(1) or real_log(**facts))
    sent = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    sign_in(practitioner.user.email)
    fill_the_log_form(page, live_server, "Child in hospital; parent posts updates there.")
    button = page.get_by_role("button", name="Log it and see the guidance")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    expect(page.get_by_role("heading", level=2, name="Recommended: Discuss, then decline")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert [request.url for request in sent].count(f"{live_server.url}/requests/new/") == 2
    assert ContactRequest.objects.count() == 1
