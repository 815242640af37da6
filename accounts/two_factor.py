"""Two-factor sign-in: an authenticator app (TOTP) and single-use recovery codes, kept by django-otp.

Every change is a keyword-only service here, in one transaction with the person's row locked, and
recorded on the trail of each agency they work at. `User.two_factor_enabled` mirrors "has a
confirmed authenticator" so a request can tell without a query that its session needs a code.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from audit.models import AuditAction
from audit.services import record

from .models import TWO_FACTOR_ROLES, Agency, Membership, User

RECOVERY_CODE_COUNT = 10
_SIX_DIGITS = re.compile(r"^\d{6}$")


# Enrolment ------------------------------------------------------------------------------------


def new_totp_key() -> str:
    """A fresh 20-byte secret, hex as django-otp stores it; it lives in the session until confirmed."""
    return random_hex(20)


def totp_key_for_people(key: str) -> str:
    """The secret as authenticator apps ask for it when typed: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def totp_setup_url(*, user: User, key: str) -> str:
    return TOTPDevice(user=user, key=key).config_url


def totp_qr_svg(url: str) -> str:
    """An inline SVG (no script, no data: URL), so the page stays within a strict CSP."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, title="QR code for your authenticator app")


def _totp_matches(key: str, token: str) -> int | None:
    """The time step a code belongs to (one step either side allowed), else None."""
    if not _SIX_DIGITS.match(token):
        return None
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6)
    totp.time = time.time()
    if totp.verify(int(token), tolerance=1):
        return totp.t()
    return None


def _record_for_person(user: User, action: AuditAction, data: dict | None = None) -> None:
    for membership in Membership.objects.active().select_related("agency").filter(user=user).order_by("agency_id"):
        record(agency=membership.agency, actor=user, action=action, data=data)


def _new_recovery_codes(device: StaticDevice) -> list[str]:
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


class WrongCode(ValidationError):
    """The code typed doesn't match the authenticator being set up."""


def two_factor_enrol(*, user: User, key: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm a new authenticator with a code it shows; returns it and a fresh set of recovery codes.

    Setting up again replaces the previous authenticator and its recovery codes.
    """
    step = _totp_matches(key, normalise_code(token))
    if step is None:
        raise WrongCode(_("That code doesn't match. Check the time on your phone is set automatically, "
                          "then type the code your app shows now."), code="wrong_code")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        # last_t is the step just used, so the same code can't then sign anyone in.
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", key=key, confirmed=True,
                                           last_t=step)
        codes = _new_recovery_codes(StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True))
        user.two_factor_enabled = True
        user.save(update_fields=["two_factor_enabled"])
        _record_for_person(user, AuditAction.TWO_FACTOR_ENABLED)
    return device, codes


def recovery_codes_renew(*, user: User) -> list[str]:
    """Replace every recovery code (used or not) with a new set."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.two_factor_enabled:
            raise ValidationError(_("Set up two-factor sign-in first."), code="not_enrolled")
        device, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
        device.token_set.all().delete()
        codes = _new_recovery_codes(device)
        _record_for_person(user, AuditAction.RECOVERY_CODES_RENEWED)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def memberships_requiring_two_factor(user: User) -> list[Membership]:
    return list(Membership.objects.active().select_related("agency")
                .filter(user=user, agency__require_two_factor=True, role__in=TWO_FACTOR_ROLES)
                .order_by("agency__name"))


def two_factor_disable(*, user: User) -> None:
    """Turn it off, unless an agency the person works at requires it for their role there."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        requiring = memberships_requiring_two_factor(user)
        if requiring:
            names = ", ".join(m.agency.name for m in requiring)
            raise ValidationError(_("%(agencies)s asks you to sign in with a code in your role there, so it stays on.")
                                  % {"agencies": names},
                                  code="required")
        if not user.two_factor_enabled:
            return
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        user.two_factor_enabled = False
        user.save(update_fields=["two_factor_enabled"])
        _record_for_person(user, AuditAction.TWO_FACTOR_DISABLED)


# Signing in -----------------------------------------------------------------------------------


def normalise_code(token: str) -> str:
    """People type codes with spaces or dashes, and recovery codes in capitals: all are accepted."""
    return re.sub(r"[\s-]", "", token or "").lower()


def has_authenticator(user: User) -> bool:
    """Whether the sign-in needs a code, from the devices themselves; mends the flag if it drifted."""
    has_it = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if user.two_factor_enabled != has_it:
        User.objects.filter(pk=user.pk).update(two_factor_enabled=has_it)
        user.two_factor_enabled = has_it
    return has_it


@dataclass(frozen=True)
class CodeCheck:
    device: Device | None = None
    method: str = ""  # "totp" or "recovery_code"
    wait_until: dt.datetime | None = None  # set when too many wrong codes ask for a pause


def two_factor_check(*, user: User, token: str) -> CodeCheck:
    """Check a code from the app or a recovery code. The device row is locked while checking, so a
    code (or a recovery code) used twice at the same moment lets in only one of them."""
    token = normalise_code(token)
    is_totp = bool(_SIX_DIGITS.match(token))
    model = TOTPDevice if is_totp else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            return CodeCheck()
        allowed, details = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(wait_until=(details or {}).get("locked_until"))
        if device.verify_token(token):
            return CodeCheck(device=device, method="totp" if is_totp else "recovery_code")
    return CodeCheck()


def signed_in_with_code(*, user: User, method: str) -> int:
    """Record the code step on each of the person's agency trails; returns the recovery codes left."""
    left = recovery_codes_left(user)
    data = {"method": method, "recovery_codes_left": left} if method == "recovery_code" else {"method": method}
    _record_for_person(user, AuditAction.TWO_FACTOR_USED, data)
    return left


# The agency's requirement ---------------------------------------------------------------------


def agency_require_two_factor(*, agency: Agency, actor: User, required: bool) -> Agency:
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        if agency.require_two_factor == required:
            return agency
        if required and not User.objects.filter(pk=actor.pk, two_factor_enabled=True).exists():
            raise ValidationError(_("Set up two-factor sign-in for yourself first (from Account and security), "
                                    "so this doesn't lock you out."), code="actor_not_enrolled")
        agency.require_two_factor = required
        agency.save(update_fields=["require_two_factor"])
        record(agency=agency, actor=actor, action=AuditAction.TWO_FACTOR_REQUIREMENT_CHANGED,
               data={"required": required})
    return agency
