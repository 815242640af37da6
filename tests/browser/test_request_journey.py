import re

from playwright.sync_api import expect

from scenarios import services
from scenarios.models import ContactRequest, RequestStatus, StepRecord
from scenarios.tests.conftest import facebook_from_parent

from .conftest import check_accessibility, screenshot


def test_a_practitioner_logs_a_friend_request_walks_through_it_and_closes_it(page, live_server, sign_in,
                                                                             practitioner):
    sign_in(practitioner.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My requests").click()
    expect(page.get_by_text("No open requests")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Log a request").first.click()

    # The client questions stay hidden until a client relationship is chosen.
    expect(page.get_by_label("Client reference")).to_be_hidden()
    page.get_by_label("What kind of request").select_option("friend_request")
    page.get_by_label("Platform or channel").select_option("facebook")
    page.get_by_label("When it arrived").fill("2026-03-10T21:05")
    page.get_by_label("Who sent it").select_option("client_family")
    page.get_by_label("Current").check()
    page.get_by_label("Client reference").fill("Maria Lopez")
    page.get_by_label("Context (optional)").fill("Child in hospital; parent posts updates there.")
    check_accessibility(page)
    screenshot(page, "request-log-form")
    page.get_by_role("button", name="Log it and see the guidance").click()
    expect(page.get_by_text("This looks like a name.")).to_be_visible()
    expect(page.get_by_label("Context (optional)")).to_have_value("Child in hospital; parent posts updates there.")
    check_accessibility(page)
    page.get_by_label("Client reference").fill("RB-1042")
    page.get_by_role("button", name="Log it and see the guidance").click()

    expect(page.get_by_role("heading", level=2, name="Recommended: Discuss, then decline")).to_be_visible()
    expect(page.get_by_label("Choose accept")).to_be_disabled()
    check_accessibility(page)
    screenshot(page, "request-guidance")
    page.get_by_label("Choose discuss").check()
    page.get_by_role("button", name="Choose this option").click()

    expect(page.get_by_role("heading", name="Walk-through: discuss")).to_be_visible()
    expect(page.get_by_text("Ways to start the conversation")).to_be_visible()
    contact_request = ContactRequest.objects.get()
    assert contact_request.status == RequestStatus.AWAITING_CONVERSATION

    step = page.locator("#step-talking_points")
    step.get_by_role("textbox").fill("Thank her for thinking of me; explain the policy; offer the work phone.")
    step.get_by_role("button", name=re.compile("Save step")).click()
    expect(page.locator("#step-talking_points").get_by_text("Saved.")).to_be_visible()
    page.locator("#step-next_session_date").get_by_role("textbox").fill("2026-03-13")
    page.locator("#step-next_session_date").get_by_role("button", name=re.compile("Save step")).click()
    expect(page.locator("#step-next_session_date").get_by_text("Documented", exact=True)).to_be_visible()
    page.locator("#step-explain_policy").get_by_role("checkbox").check()
    page.locator("#step-explain_policy").get_by_role("button", name=re.compile("Save step")).click()
    expect(page.locator("#step-explain_policy").get_by_text("Saved.")).to_be_visible()
    page.locator("#step-conversation_date").get_by_role("textbox").fill("2026-03-13")
    page.locator("#step-conversation_date").get_by_role("button", name=re.compile("Save step")).click()
    expect(page.locator("#request-status")).to_have_text("In progress")
    page.locator("#step-conversation_notes").get_by_role("textbox").fill("She understood; a little disappointed.")
    page.locator("#step-conversation_notes").get_by_role("button", name=re.compile("Save step")).click()
    expect(page.locator("#step-conversation_notes").get_by_text("Saved.")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "request-walk-through")

    # Nothing typed is lost: the steps are there after a reload.
    page.reload()
    expect(page.locator("#step-talking_points").get_by_role("textbox")).to_have_value(
        "Thank her for thinking of me; explain the policy; offer the work phone.")
    assert StepRecord.objects.filter(request=contact_request, done=True).count() == 5

    page.get_by_role("link", name="Close this request").click()
    check_accessibility(page)
    page.get_by_label("Declined or removed on the platform").check()
    page.get_by_role("button", name="Close the request").click()
    expect(page.get_by_role("heading", name="Closed", exact=True)).to_be_visible()
    check_accessibility(page)
    screenshot(page, "request-closed")
    page.goto(f"{live_server.url}/requests/?show=closed")
    expect(page.get_by_role("link", name="Friend request on Facebook")).to_be_visible()
    check_accessibility(page)


def test_a_supervisor_reviews_and_approves_an_option(page, sign_in, practitioner, supervisor):
    facts = facebook_from_parent(relationship="community_member", client_status="", client_reference="")
    contact_request = services.request_log(agency=practitioner.agency, practitioner=practitioner.user, **facts)
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="accept",
                                   reason="We coach the same junior football team.")
    sign_in(supervisor.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    expect(page.get_by_text("1 needs your decision.")).to_be_visible()
    page.get_by_text("Filter the list").click()
    check_accessibility(page)
    screenshot(page, "review-list")
    page.get_by_role("link", name="Friend request on Facebook").click()
    expect(page.get_by_role("heading", name="Your decision")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Approved", exact=True).check()
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Your decision is recorded: Approved.")
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.IN_PROGRESS
