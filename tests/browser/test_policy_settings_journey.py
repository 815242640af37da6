"""A supervisor sets a channel for families only and a conduct expectation; staff read it, clients are told."""

import re

from playwright.sync_api import expect

from policies.document.vocabulary import Channel, Conduct, Relationship
from policies.models import PolicyVersion

from .conftest import check_accessibility, screenshot

NOTE = "Use the agency's consent form; it is in each family's file."


def test_a_channel_for_families_and_a_conduct_expectation_reach_staff_and_the_statement(
        page, sign_in, supervisor, practitioner):
    sign_in(supervisor.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Policies").click()
    page.get_by_role("link", name="Start a new draft").click()
    page.get_by_label(re.compile("Strict: No personal connections")).check()
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit draft version 1")

    texts = page.get_by_role("group", name="Work mobile texts", exact=True)
    texts.get_by_label("Work mobile texts allowed").check()
    texts.get_by_label("Scheduling and reminders").check()
    texts.get_by_label("Client's family member").check()
    conduct = page.get_by_role("group", name="Conduct online")
    conduct.get_by_label("Photos of clients only with written consent", exact=True).check()
    conduct.get_by_label("Photos of clients only with written consent: note for staff (optional)").fill(NOTE)
    conduct.get_by_label("Answering a client's online review", exact=True).uncheck()
    check_accessibility(page)
    screenshot(page, "policy-edit-channel-and-conduct")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Version 1 was saved as a draft.")
    check_accessibility(page)

    page.get_by_role("link", name="Publish…").click()
    changes = page.get_by_role("table")
    expect(changes.get_by_role("row", name=re.compile("Work mobile texts"))).to_contain_text(
        "only with: client's family member")
    expect(changes.get_by_role("row", name=re.compile("Answering a client's online review"))).to_contain_text(
        "Not stated")
    check_accessibility(page)
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_role("alert")).to_contain_text("Version 1 is published.")
    policy = PolicyVersion.objects.get().policy
    assert policy.channel_rule(Channel.WORK_TEXT).relationships == (Relationship.CLIENT_FAMILY,)
    assert policy.expects(Conduct.CLIENT_PHOTOS_WITH_CONSENT).note == NOTE

    page.get_by_role("button", name=re.compile("Sam Supervisor")).click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(practitioner.user.email)
    page.get_by_role("region", name="Please read and acknowledge the new policy").get_by_role(
        "link", name="Read version 1").click()
    section = page.get_by_role("region", name="Conduct online")
    expect(section).to_contain_text("Photos of clients only with written consent.")
    expect(section).to_contain_text(f"Agency note: {NOTE}")
    expect(section).not_to_contain_text("Answering a client's online review")
    expect(page.get_by_role("region", name="Contact channels for client work")).to_contain_text(
        "only with client's family member")
    check_accessibility(page)
    screenshot(page, "policy-read-conduct")
    page.get_by_role("button", name="I have read version 1 and will follow it").click()
    expect(page.get_by_role("alert")).to_contain_text("We recorded that you read and accept version 1.")

    page.get_by_role("link", name="Client statement").click()
    expect(page.get_by_role("heading", name="Tags, photos and check-ins")).to_be_visible()
    expect(page.get_by_text("Our staff never post photos from work without your written consent.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Work texts")).to_have_text(
        "Work texts: for appointments and reminders (families only)")
    expect(page.get_by_text(NOTE)).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "client-statement-conduct")
