import csv
import io
import json

from playwright.sync_api import expect

from audit.exports import COLUMNS, TRAILER_MARK
from audit.models import AuditAction, AuditEvent
from audit.services import record

from .conftest import check_accessibility, screenshot


def test_an_admin_filters_the_audit_trail_and_downloads_it_as_csv(page, sign_in, admin, practitioner):
    record(agency=admin.agency, actor=admin.user, action=AuditAction.ROLE_CHANGED, target=practitioner,
           data={"from": "practitioner", "to": "supervisor"})
    sign_in(admin.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(3)  # header, the role change, the sign-in
    expect(table).to_contain_text("from=practitioner")
    check_accessibility(page)
    screenshot(page, "audit-trail")

    page.get_by_label("Action").select_option(label="Signed in")
    page.get_by_label("Who").select_option(label="Alex Admin")
    page.get_by_role("button", name="Show entries").click()
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table).to_contain_text("Signed in")
    expect(table).not_to_contain_text("Role changed")
    check_accessibility(page)
    screenshot(page, "audit-trail-filtered")

    with page.expect_download() as waiting:
        page.get_by_role("button", name="Download CSV").click()
    download = waiting.value
    assert download.suggested_filename.startswith("audit-riverside-") and download.suggested_filename.endswith(".csv")
    lines = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    export = AuditEvent.objects.get(action=AuditAction.AUDIT_EXPORTED)
    assert tuple(lines[0]) == COLUMNS
    assert [(row[4], row[3]) for row in lines[1:-1]] == [(AuditAction.SIGN_IN, "Alex Admin")]
    assert lines[-1][0] == TRAILER_MARK  # the closing signed checkpoint names the export itself
    checkpoint = json.loads(lines[-1][1])
    assert (checkpoint["agency"], checkpoint["sequence"], checkpoint["hash"]) == ("riverside", export.sequence,
                                                                                 export.hash)
    assert export.data == {"format": "csv", "via": "web", "action": "auth.sign_in", "actor": admin.user.pk}

    page.get_by_role("link", name="Clear").click()
    expect(table).to_contain_text("Audit trail exported")
    check_accessibility(page)
    screenshot(page, "audit-trail-after-export")
