"""Two-factor sign-in in a real browser: set it up from the account page, then sign in with a code."""

import re
import time
from binascii import hexlify, unhexlify
from base64 import b32decode

from django_otp.oath import TOTP
from playwright.sync_api import expect

from accounts.models import Agency, User

from .conftest import check_accessibility, screenshot


def app_code(typed_key: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key as the page gives it to type."""
    secret = b32decode(typed_key.replace(" ", "") + "=" * (-len(typed_key.replace(" ", "")) % 8))
    totp = TOTP(unhexlify(hexlify(secret)))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_someone_sets_up_two_factor_and_signs_in_with_a_code(page, live_server, sign_in, practitioner):
    sign_in(practitioner.user.email)
    page.get_by_role("button", name=re.compile("Pat Practitioner")).click()
    page.get_by_role("link", name="Account and security").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account and security")
    check_accessibility(page)
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("img", name="QR code to add Boundaries to your authenticator app")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "two-factor-set-up")

    typed_key = page.locator("#totp-key").inner_text()
    page.get_by_label("Code from your app").fill("000000" if app_code(typed_key) != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_text("That code doesn't match.")).to_be_visible()
    page.get_by_label("Code from your app").fill(app_code(typed_key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in is on")
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    check_accessibility(page)
    screenshot(page, "two-factor-recovery-codes")
    assert User.objects.get(pk=practitioner.user.pk).two_factor_enabled

    page.get_by_role("button", name=re.compile("Pat Practitioner")).click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(practitioner.user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("One more step")
    check_accessibility(page)
    # The code the app shows next (the one used at set-up can't be used again).
    page.get_by_label("Code").fill(app_code(typed_key, steps_ahead=1))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello, Pat")
    screenshot(page, "two-factor-signed-in")


def test_a_supervisor_is_asked_to_set_it_up_when_the_agency_requires_it(page, sign_in, supervisor):
    Agency.objects.filter(pk=supervisor.agency_id).update(require_two_factor=True)
    sign_in(supervisor.user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("status")).to_contain_text(
        "Riverside Early Intervention asks admins and supervisors to sign in with a code")
    check_accessibility(page)
    typed_key = page.locator("#totp-key").inner_text()
    page.get_by_label("Code from your app").fill(app_code(typed_key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("link", name="I've saved them, carry on").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello, Sam")
