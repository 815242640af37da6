import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from policies.models import Acknowledgement, PolicyStatus, PolicyVersion
from policies.services import policy_save_draft
from policies.document import STARTER_TEMPLATES
from tests.factories import PolicyVersionFactory

from .conftest import check_accessibility, screenshot


def test_a_draft_changed_after_review_is_shown_again_and_a_scheduled_version_waits_its_turn(
        page, sign_in, live_server, agency_a, supervisor, practitioner):
    today = timezone.localdate()
    PolicyVersionFactory(agency=agency_a, number=1, published=True, template="strict",
                         effective_from=today - dt.timedelta(days=30))
    draft = PolicyVersionFactory(agency=agency_a, number=2)
    later = today + dt.timedelta(days=14)

    sign_in(supervisor.user.email)
    page.goto(f"{live_server.url}/policies/2/publish/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish version 2?")
    # Someone else saves the draft while the page is open.
    changed = STARTER_TEMPLATES["professional_after_discharge"].policy
    policy_save_draft(version=draft, actor=supervisor.user, policy=changed, expected_lock_version=0)
    page.get_by_label("In force from").fill(later.isoformat())
    page.get_by_role("button", name="Publish this version").click()
    notice = page.get_by_role("region", name="Not published: the draft changed after you reviewed it")
    expect(notice).to_contain_text("What changed since you reviewed it")
    expect(notice.get_by_role("row", name=re.compile("Title"))).to_contain_text(changed.title)
    expect(page.get_by_label("In force from")).to_have_value(later.isoformat())
    check_accessibility(page)
    screenshot(page, "policy-publish-outdated-review")
    assert PolicyVersion.objects.get(number=2).status == PolicyStatus.DRAFT

    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_role("alert")).to_contain_text("Version 2 is published.")
    page.get_by_role("link", name="All versions").click()
    expect(page.get_by_role("row", name=re.compile("Version 1"))).to_contain_text("In force")
    expect(page.get_by_role("row", name=re.compile("Version 2"))).to_contain_text("Scheduled")
    check_accessibility(page)
    page.get_by_role("button", name=re.compile("Sam Supervisor")).click()
    page.get_by_role("button", name="Sign out").click()

    sign_in(practitioner.user.email)
    banner = page.get_by_role("region", name="Please read and acknowledge the new policy")
    expect(banner).to_contain_text("Version 1")
    expect(banner).to_contain_text("Version 2")
    check_accessibility(page)
    banner.get_by_role("link", name="Read version 1").click()
    expect(page.get_by_text("Version 1, in force since")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "policy-in-force-and-scheduled-due")
    page.get_by_role("button", name="I have read version 2 and will follow it").click()
    expect(page.get_by_role("alert")).to_contain_text("version 2")
    page.get_by_role("button", name="I have read version 1 and will follow it").click()
    expect(page.get_by_role("alert")).to_contain_text("version 1")
    assert sorted(Acknowledgement.objects.values_list("version__number", flat=True)) == [1, 2]
