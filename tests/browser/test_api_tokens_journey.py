"""Personal API tokens in the browser: a practitioner makes one on their account page, copies the
secret the only time it is shown, sees it used, and revokes it after a confirmation; an admin revokes
a colleague's token. Each revoked secret is refused by the API from then on."""

import json
import re
import urllib.error
import urllib.request

from playwright.sync_api import expect

from api.models import ApiToken
from api.services import api_token_create

from .conftest import check_accessibility, screenshot

FACTS = {"facts": {"kind": "friend_request", "platform": "facebook", "relationship": "current_client",
                   "received_at": "2026-03-02T10:00:00"}}


def evaluate(base: str, secret: str) -> tuple[int, str, dict]:
    """POST /api/v1/evaluate the way another system would: over HTTP, with the secret as a bearer token."""
    request = urllib.request.Request(f"{base}/api/v1/evaluate", data=json.dumps(FACTS).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers["Content-Type"], json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers["Content-Type"], json.loads(refused.read())


def open_token_page(page, name: str) -> None:
    page.get_by_role("button", name=re.compile(name)).click()
    page.get_by_role("link", name="Account and security").click()
    page.get_by_role("link", name="Manage your API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")


def token_row(page, name: str):
    return page.get_by_role("row").filter(has_text=name)


def test_a_practitioner_creates_a_token_sees_it_once_uses_it_and_revokes_it(page, live_server, sign_in,
                                                                           practitioner):
    sign_in(practitioner.user.email)
    open_token_page(page, "Pat Practitioner")
    expect(page.get_by_text("No tokens yet.")).to_be_visible()
    # Only the scopes a practitioner's role can give are offered.
    expect(page.get_by_label("Read the audit trail (admins only)")).to_have_count(0)
    check_accessibility(page)

    page.get_by_label("Name").fill("Case system sync")
    page.get_by_label("Guidance: evaluate facts").check()
    page.get_by_label("Read your requests").check()
    page.get_by_label("Lasts for (days)").fill("30")
    page.get_by_role("button", name="Create token").click()

    notice = page.get_by_role("status").filter(has_text="Copy your new token now")
    expect(notice).to_contain_text("This is the only time it is shown.")
    secret = page.get_by_test_id("new-secret").inner_text().strip()
    assert re.fullmatch(r"bnd_[A-Za-z0-9_-]{43}", secret)
    stored = ApiToken.objects.get()
    assert stored.secret_hash != secret and secret not in stored.secret_hash and stored.hint == secret[:12]
    row = token_row(page, "Case system sync")
    expect(row).to_contain_text(f"{secret[:12]}…")
    expect(row).to_contain_text("guidance, requests:read")
    expect(row.get_by_role("cell").nth(4)).to_have_text("Never")
    check_accessibility(page)
    screenshot(page, "api-token-created")

    # Shown once: neither a reload nor a later visit shows the secret again.
    page.reload()
    expect(page.get_by_test_id("new-secret")).to_have_count(0)
    assert secret not in page.content()
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Manage your API tokens").click()
    expect(token_row(page, "Case system sync")).to_be_visible()
    assert secret not in page.content()

    status, kind, guidance = evaluate(live_server.url, secret)
    assert status == 200 and kind == "application/json" and guidance["options"]
    page.reload()
    expect(token_row(page, "Case system sync").get_by_role("cell").nth(4)).not_to_have_text("Never")

    page.get_by_role("link", name="Revoke Case system sync").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke the token “Case system sync”?")
    expect(page.get_by_text(f"{secret[:12]}…")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "api-token-revoke-confirm")
    page.get_by_role("button", name="Revoke the token").click()

    expect(page.get_by_role("alert")).to_contain_text("The token “Case system sync” is revoked: it no longer works.")
    row = token_row(page, "Case system sync")
    expect(row).to_contain_text("Revoked")
    expect(row.get_by_role("link", name=re.compile("Revoke"))).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "api-token-revoked")
    assert ApiToken.objects.get().revoked_at is not None

    status, kind, problem = evaluate(live_server.url, secret)
    assert status == 401 and kind == "application/problem+json"
    assert problem["status"] == 401 and "revoked" in problem["detail"]


def test_an_admin_revokes_a_colleagues_token_in_their_agency(page, live_server, sign_in, practitioner, admin):
    _token, secret = api_token_create(membership=practitioner, name="Nightly export", scopes=["guidance"])
    assert evaluate(live_server.url, secret)[0] == 200

    sign_in(admin.user.email)
    open_token_page(page, "Alex Admin")
    expect(page.get_by_role("heading", name="Tokens in your agency")).to_be_visible()
    row = token_row(page, "Nightly export")
    expect(row).to_contain_text("Pat Practitioner")
    check_accessibility(page)

    row.get_by_role("link", name="Revoke Nightly export").click()
    expect(page.get_by_text("which acts as Pat Practitioner")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Revoke the token").click()
    expect(page.get_by_role("alert")).to_contain_text("The token “Nightly export” is revoked")
    expect(token_row(page, "Nightly export")).to_contain_text("Revoked")
    check_accessibility(page)
    screenshot(page, "api-token-revoked-by-admin")

    status, kind, problem = evaluate(live_server.url, secret)
    assert status == 401 and kind == "application/problem+json" and problem["status"] == 401
