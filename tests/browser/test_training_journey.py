import datetime as dt

from playwright.sync_api import expect

from tests.factories import AcknowledgementFactory, PolicyVersionFactory
from training.models import TrainingAnswer, TrainingScenario

from .conftest import check_accessibility, screenshot


def test_a_practitioner_rehearses_a_scenario_and_sees_the_feedback(page, live_server, sign_in, practitioner,
                                                                   supervisor):
    version = PolicyVersionFactory(agency=practitioner.agency, number=1, published=True, template="strict",
                                   effective_from=dt.date(2026, 1, 5), published_by=supervisor.user)
    AcknowledgementFactory(agency=version.agency, version=version, user=practitioner.user)
    sign_in(practitioner.user.email)

    # Having acknowledged the policy, Pat is asked to rehearse the set.
    page.get_by_role("link", name="Rehearse the training scenarios").click()
    expect(page.get_by_role("heading", level=1, name="Training")).to_be_visible()
    expect(page.locator("#training-waiting")).to_contain_text("7 of 7")
    check_accessibility(page)
    page.get_by_role("link", name="A text on the work mobile late at night").click()

    # The answer comes first: no feedback before it.
    expect(page.get_by_text("Questions to take to supervision")).to_have_count(0)
    check_accessibility(page)
    page.get_by_label("Reply").check()
    page.get_by_role("button", name="Answer and see the feedback").click()

    expect(page.get_by_role("heading", level=2, name="Feedback")).to_be_visible()
    expect(page.get_by_text("Something to talk about.")).to_be_visible()
    expect(page.get_by_text("Your agency's policy, version 1")).to_be_visible()
    expect(page.get_by_role("heading", name="Questions to take to supervision")).to_be_visible()
    expect(page.get_by_text("NASW Code of Ethics 1.06(e)")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "training-feedback")
    assert TrainingAnswer.objects.get(user=practitioner.user).answer == "accept"

    page.get_by_role("link", name="Back to the training set").click()
    expect(page.locator("#training-waiting")).to_contain_text("6 of 7")


def test_a_supervisor_writes_a_scenario_and_sees_the_teams_progress(page, live_server, sign_in, supervisor,
                                                                    practitioner):
    sign_in(supervisor.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Training").click()
    page.get_by_role("link", name="Your agency's scenarios").click()
    expect(page.get_by_text("has not written any scenarios yet")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Write a scenario").click()
    page.get_by_label("Title").fill("A parent asks for your personal number")
    page.get_by_label("The situation").fill("At the end of a visit a father asks for your own mobile number.")
    page.get_by_label("What kind of request").select_option("other")
    page.get_by_label("Platform or channel").select_option("personal_phone")
    page.get_by_label("Who sends it").select_option("client_family")
    page.get_by_label("Considerations").fill("Your own number reaches you at any hour.")
    page.get_by_label("Questions to take to supervision").fill("What would you offer instead?")
    page.get_by_role("button", name="Save the scenario").click()

    expect(page.get_by_text("Choose the client's status for a client or their family.")).to_be_visible()
    expect(page.get_by_text("Write two or three questions, one a line.")).to_be_visible()
    expect(page.get_by_label("Considerations")).to_have_value("Your own number reaches you at any hour.")
    check_accessibility(page)
    screenshot(page, "training-scenario-form")
    page.get_by_label("Current", exact=True).check()
    page.get_by_label("Questions to take to supervision").fill("What would you offer instead?\nHow would you say no?")
    page.get_by_role("button", name="Save the scenario").click()
    expect(page.get_by_role("heading", level=1, name="A parent asks for your personal number")).to_be_visible()
    assert TrainingScenario.objects.get().created_by == supervisor.user

    page.goto(f"{live_server.url}/training/team/")
    expect(page.get_by_role("link", name="Pat Practitioner")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Pat Practitioner").click()
    expect(page.get_by_text("Not answered yet").first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "training-member")

    # Retiring asks first, says who answered, and can be called off.
    page.goto(f"{live_server.url}/training/scenarios/")
    page.get_by_role("link", name="Retire… A parent asks for your personal number").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retire \u201cA parent asks for your personal number\u201d?")
    expect(page.get_by_text("Nobody has answered it yet.")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "training-retire")
    page.get_by_role("link", name="Keep it").click()
    expect(page.get_by_text("In use")).to_be_visible()
    assert TrainingScenario.objects.get().retired_at is None
    page.get_by_role("link", name="Retire… A parent asks for your personal number").click()
    page.get_by_role("button", name="Retire the scenario").click()
    expect(page.get_by_text("is retired: staff no longer see it. Its answers are kept.")).to_be_visible()
    assert TrainingScenario.objects.get().retired_at is not None
