import re

from playwright.sync_api import expect

from scenarios import services
from scenarios.models import ContactRequest, RequestStatus, StepRecord
from scenarios.tests.conftest import facebook_from_parent
from tests.factories import PASSWORD

from .conftest import AXE, check_accessibility, screenshot


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

    # Two phases, each saved with one button; "Record the request" holds what was just logged.
    expect(page.get_by_role("heading", level=3, name="Before the conversation")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="After the conversation")).to_be_visible()
    expect(page.locator("#step-record_request").get_by_role("textbox")).to_have_value(
        "Friend request on Facebook, from a client's family member, received 10 Mar 2026 at 21:05. "
        "Client reference RB-1042.")
    expect(page.get_by_role("button", name=re.compile("Save step"))).to_have_count(0)

    # Each box autosaves as it is left; a refused one comes back in place, by its field, as typed.
    step = page.locator("#step-next_session_date")
    step.get_by_role("textbox").fill("2026-03-01")
    step.get_by_role("textbox").blur()
    expect(page.locator("#step-next_session_date").get_by_role("alert")).to_contain_text(
        "This date is before the request arrived (10 Mar 2026).")
    expect(page.locator("#step-next_session_date").get_by_role("textbox")).to_have_value("2026-03-01")
    expect(page.locator("#step-next_session_date").get_by_role("textbox")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("heading", name="Walk-through: discuss")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "request-step-refused-in-place")
    page.locator("#step-next_session_date").get_by_role("textbox").fill("2026-03-13")
    page.locator("#step-next_session_date").get_by_role("textbox").blur()
    expect(page.locator("#step-next_session_date").get_by_text("Documented", exact=True)).to_be_visible()
    expect(page.locator("#step-next_session_date").get_by_role("alert")).to_have_count(0)
    step = page.locator("#step-talking_points")
    step.get_by_role("textbox").fill("Thank her for thinking of me; explain the policy; offer the work phone.")
    step.get_by_role("textbox").blur()
    expect(page.locator("#step-talking_points").get_by_text("Saved.")).to_be_visible()

    # The rest of the phase goes with one button.
    page.locator("#step-pause").get_by_role("checkbox").check()
    expect(page.locator("#step-pause").get_by_text("Saved.")).to_be_visible()
    page.locator("#step-planned_action").get_by_role("textbox").fill("Talk at the next visit, then decline.")
    page.get_by_role("button", name="Save “before the conversation”").click()
    expect(page.get_by_role("alert")).to_contain_text("Saved: before the conversation.")
    expect(page.get_by_role("heading", level=3, name=re.compile("Before the conversation"))).to_contain_text("Done")
    assert StepRecord.objects.filter(request=contact_request, done=True).count() == 5
    # Saved once, by the button: the box's pending autosave was dropped, not sent alongside.
    assert StepRecord.objects.get(request=contact_request, step_key="planned_action").revision == 1
    check_accessibility(page)
    screenshot(page, "request-walk-before")

    for key in ("explain_policy", "role_not_person", "validate_feelings", "offer_alternatives"):
        page.locator(f"#step-{key}").get_by_role("checkbox").check()
        expect(page.locator(f"#step-{key}").get_by_text("Saved.")).to_be_visible()
    page.locator("#step-conversation_date").get_by_role("textbox").fill("2026-03-13")
    page.locator("#step-conversation_date").get_by_role("textbox").blur()
    expect(page.locator("#request-status")).to_have_text("In progress")
    page.locator("#step-conversation_notes").get_by_role("textbox").fill("She understood; a little disappointed.")
    expect(page.get_by_role("heading", name="Ready to close")).to_have_count(0)
    page.locator("#step-done_on_platform").get_by_role("checkbox").check()
    expect(page.locator("#step-conversation_notes").get_by_text("Saved.")).to_be_visible()
    # The last box done: "Ready to close" appears in place, with its primary button.
    expect(page.get_by_role("heading", name="Ready to close")).to_be_visible()
    page.get_by_role("button", name="Save “after the conversation”").click()
    expect(page.get_by_role("alert")).to_contain_text("Saved: after the conversation.")
    expect(page.get_by_role("heading", name="Ready to close")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "request-walk-through")

    # Nothing typed is lost: the steps are there after a reload.
    page.reload()
    expect(page.locator("#step-talking_points").get_by_role("textbox")).to_have_value(
        "Thank her for thinking of me; explain the policy; offer the work phone.")
    expect(page.locator("#step-conversation_notes").get_by_role("textbox")).to_have_value(
        "She understood; a little disappointed.")
    assert StepRecord.objects.filter(request=contact_request, done=True).count() == 12

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


def _walking(practitioner, option: str = "discuss") -> ContactRequest:
    contact_request = services.request_log(agency=practitioner.agency, practitioner=practitioner.user,
                                           **facebook_from_parent())
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option=option)
    return contact_request


def _check_accessibility_of(html: str, page, live_server) -> None:
    """axe-core on a page as served without script: axe needs script, so it reads a copy of the
    markup in a page of the same site (for the stylesheets) that has script."""
    page.goto(f"{live_server.url}/sign-in/")
    page.set_content(html)
    check_accessibility(page)


def _sign_in_on(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_without_javascript_a_phase_saves_and_a_refused_box_comes_back_by_its_field(page, browser, live_server, practitioner):
    contact_request = _walking(practitioner)
    context = browser.new_context(java_script_enabled=False)
    try:
        checker, page = page, context.new_page()
        _sign_in_on(page, live_server, practitioner.user.email)
        page.goto(f"{live_server.url}/requests/{contact_request.pk}/")
        step = page.locator("#step-next_session_date")
        step.get_by_role("textbox").fill("2028-12-31")
        page.get_by_role("button", name="Save \u201cbefore the conversation\u201d").click()
        step = page.locator("#step-next_session_date")
        expect(step.get_by_text(re.compile("Give a date within a year from today"))).to_be_visible()
        expect(step.get_by_role("textbox")).to_have_value("2028-12-31")
        expect(page.get_by_role("heading", name="Walk-through: discuss")).to_be_visible()
        _check_accessibility_of(page.content(), checker, live_server)
        screenshot(page, "request-step-refused-without-javascript")
        assert not StepRecord.objects.exists()
        step.get_by_role("textbox").fill("2026-03-13")
        page.get_by_role("button", name="Save \u201cbefore the conversation\u201d").click()
        expect(page.get_by_role("alert")).to_contain_text("Saved: before the conversation.")
        assert StepRecord.objects.get(step_key="next_session_date").date.isoformat() == "2026-03-13"
        # The logged summary that filled "Record the request" was saved with the phase.
        assert StepRecord.objects.get(step_key="record_request").text.startswith("Friend request on Facebook")
    finally:
        context.close()


def test_a_hasty_acceptance_is_recorded_truthfully_and_reaches_the_supervisor(page, browser, live_server, sign_in,
                                                                               practitioner, supervisor):
    contact_request = _walking(practitioner, "decline")
    sign_in(practitioner.user.email)
    page.goto(f"{live_server.url}/requests/{contact_request.pk}/")
    page.get_by_role("link", name="Close this request").click()
    expect(page.get_by_label("Accepted", exact=True)).to_have_count(0)
    expect(page.get_by_text(re.compile("a request closed that way goes to your supervisor for review"))).to_be_visible()
    check_accessibility(page)
    page.get_by_label("I had already accepted it (an accidental or hasty connection)").check()
    page.get_by_role("button", name="Close the request").click()
    expect(page.get_by_text(re.compile("Say briefly what happened and why: .I had already accepted it"))).to_be_visible()
    expect(page.get_by_label("I had already accepted it (an accidental or hasty connection)")).to_be_checked()
    check_accessibility(page)
    screenshot(page, "request-close-needs-a-reason")
    page.get_by_label("Note or reason").fill("I accepted on my phone late at night before I saw it was the parent.")
    page.get_by_role("button", name="Close the request").click()
    expect(page.get_by_role("alert")).to_contain_text("your supervisor has been asked to review how it ended")
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.CLOSED and contact_request.needs_review

    context = browser.new_context()
    try:
        review = context.new_page()
        _sign_in_on(review, live_server, supervisor.user.email)
        review.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
        expect(review.get_by_text("1 needs your decision.")).to_be_visible()
        review.get_by_role("link", name="Friend request on Facebook").click()
        expect(review.get_by_text(re.compile("It stays closed whatever you decide"))).to_be_visible()
        check_accessibility(review)
        screenshot(review, "review-closed-request")
        review.get_by_label("Not approved").check()
        review.get_by_label("Note to the practitioner").fill("Remove the connection after your next visit.")
        review.get_by_role("button", name="Record my decision").click()
        expect(review.get_by_text("Nothing needs your decision right now.")).to_be_visible()
    finally:
        context.close()
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.CLOSED and contact_request.review_decision == "not_approved"
