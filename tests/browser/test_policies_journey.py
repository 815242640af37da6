import re

from playwright.sync_api import expect

from policies.models import Acknowledgement, PolicyStatus, PolicyVersion

from .conftest import check_accessibility, screenshot


def test_a_supervisor_publishes_a_policy_and_a_practitioner_acknowledges_it(page, sign_in, supervisor, practitioner):
    sign_in(supervisor.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Policies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Policies")
    check_accessibility(page)

    page.get_by_role("link", name="Start a new draft").click()
    page.get_by_label(re.compile("Early intervention: A five-year")).check()
    check_accessibility(page)
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit draft version 1")
    check_accessibility(page)

    page.get_by_label("Amount after discharge").fill("-3")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Use a whole number from 1 to 30 years.")).to_be_visible()
    expect(page.get_by_label("Amount after discharge")).to_have_value("-3")
    check_accessibility(page)
    screenshot(page, "policy-edit-error")

    page.get_by_label("Amount after discharge").fill("3")
    page.get_by_label("Relationship, platform rule 1").select_option("former_client")
    page.get_by_label("Platform, platform rule 1").select_option("linkedin")
    page.get_by_label("Decision, platform rule 1").select_option("allowed")
    page.get_by_label("Reason shown to staff, platform rule 1").fill("A work-history link three years on is fine.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Version 1 was saved as a draft.")
    check_accessibility(page)

    page.get_by_role("link", name="Compare with where it started").click()
    changes = page.get_by_role("table")
    expect(changes.get_by_role("row", name=re.compile("After discharge"))).to_contain_text("5 years")
    expect(changes.get_by_role("row", name=re.compile("After discharge"))).to_contain_text("3 years")
    expect(changes.get_by_role("row", name=re.compile("Former client, LinkedIn Not in"))).to_contain_text("Allowed")
    check_accessibility(page)
    screenshot(page, "policy-diff")

    page.go_back()
    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish version 1?")
    check_accessibility(page)
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_role("alert")).to_contain_text("Version 1 is published.")
    expect(page.get_by_text("Pat Practitioner")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "policy-published")
    assert PolicyVersion.objects.get().status == PolicyStatus.PUBLISHED

    page.get_by_role("button", name=re.compile("Sam Supervisor")).click()
    page.get_by_role("button", name="Sign out").click()

    sign_in(practitioner.user.email)
    banner = page.get_by_role("region", name="Please read and acknowledge the new policy")
    expect(banner).to_contain_text("Version 1")
    check_accessibility(page)
    screenshot(page, "practitioner-home-acknowledgement-due")
    banner.get_by_role("link", name="Read version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Early intervention social media policy")
    expect(page.get_by_text("Former client on LinkedIn:")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="I have read version 1 and will follow it").click()
    expect(page.get_by_role("alert")).to_contain_text("We recorded that you read and accept version 1.")
    check_accessibility(page)
    assert Acknowledgement.objects.get().user == practitioner.user

    page.get_by_role("link", name="Client statement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("how we keep in touch, and social media")
    expect(page.get_by_role("button", name="Print")).to_have_attribute("data-print", "")
    expect(page.get_by_role("heading", name="In an emergency")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "client-statement")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    screenshot(page, "client-statement-print")


def test_staff_of_an_agency_without_a_policy_read_the_labelled_default(page, sign_in, outsider):
    sign_in(outsider.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Policies").click()
    expect(page.get_by_text("No policy published yet")).to_be_visible()
    check_accessibility(page)
    page.goto(page.url.replace("/policies/", "/policy/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Conservative default policy")
    expect(page.get_by_text("NASW Code of Ethics 1.06(c)", exact=False)).to_be_visible()
    check_accessibility(page)
    screenshot(page, "policy-default")
