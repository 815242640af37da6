import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from policies.models import PolicyVersion
from scenarios.models import ContactRequest
from scenarios.tests.factories import ContactRequestFactory
from tests.factories import PolicyVersionFactory

from .conftest import check_accessibility, screenshot


def test_a_supervisor_changes_a_rule_in_a_draft_and_sees_the_whatif_change(page, sign_in, supervisor, practitioner):
    published = PolicyVersionFactory(agency=supervisor.agency, number=1, published=True,
                                     effective_from=dt.date(2024, 1, 1))
    draft = PolicyVersion(agency=supervisor.agency, number=2, based_on="version:1")
    draft.policy = published.policy
    draft.save()
    colleague = ContactRequestFactory(membership=practitioner, kind="friend_request", medium="facebook",
                                      relationship="colleague", client_status="", policy_version=published,
                                      received_at=timezone.now() - dt.timedelta(days=40))
    ContactRequestFactory(membership=practitioner, policy_version=published, client_reference="RB-1042",
                          received_at=timezone.now() - dt.timedelta(days=20))
    stored = list(ContactRequest.objects.order_by("pk").values_list("policy_version", "guidance", "updated_at"))

    sign_in(supervisor.user.email)
    page.goto(page.url.rstrip("/") + "/policies/2/")
    panel = page.locator("#whatif-panel")
    expect(panel).to_contain_text("No change: all 2 requests received since")
    check_accessibility(page)

    page.get_by_role("link", name="Edit the draft").click()
    page.get_by_label("Colleague (peer), personal networks: decision").select_option("needs_approval")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Version 2 was saved as a draft.")
    expect(panel).to_contain_text("Of 2 requests received since")
    expect(panel).to_contain_text("1 would be judged differently under version 2: 1 more strictly and 0 more loosely")
    row = panel.get_by_role("row", name=re.compile(f"Request {colleague.pk}"))
    expect(row).to_contain_text("Friend request")
    expect(row).to_contain_text("Facebook")
    expect(row).to_contain_text("Colleague")
    expect(row).to_contain_text("Allowed")
    expect(row).to_contain_text("Needs supervisor approval")
    expect(panel).not_to_contain_text("RB-1042")
    check_accessibility(page)
    screenshot(page, "whatif-draft-page")

    months = page.get_by_label("Months back from today")
    months.fill("abc")
    page.get_by_role("button", name="Compare").click()
    expect(panel).to_contain_text("Give a whole number of months, such as 12.")
    check_accessibility(page)
    months = page.get_by_label("Months back from today")
    months.fill("1")
    page.get_by_role("button", name="Compare").click()
    expect(panel).to_contain_text("No change: all 1 request received since")
    check_accessibility(page)

    page.get_by_label("Months back from today").fill("12")
    page.get_by_role("button", name="Compare").click()
    panel.get_by_role("link", name=f"Request {colleague.pk}").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url.endswith(f"/requests/{colleague.pk}/")

    # Without JavaScript the draft page's link opens the same comparison as a page of its own.
    page.goto(page.url.split("/requests/")[0] + "/policies/2/what-if/?months=12")
    expect(page.get_by_role("heading", level=1)).to_have_text("How past requests would be judged under version 2")
    expect(page.locator("#whatif-summary")).to_contain_text("1 would be judged differently")
    check_accessibility(page)
    screenshot(page, "whatif-page")
    assert list(ContactRequest.objects.order_by("pk").values_list("policy_version", "guidance", "updated_at")) == stored
