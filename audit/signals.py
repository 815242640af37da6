import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.models import Membership

from .models import AuditAction
from .services import record

log = logging.getLogger(__name__)


def _agencies(user, *, active_only: bool = True) -> list:
    """Every agency the person works in: each one's trail shows their sign-ins (a person may have several)."""
    memberships = Membership.objects.select_related("agency").filter(user=user).order_by("agency_id")
    if active_only:
        memberships = memberships.filter(is_active=True)
    return [membership.agency for membership in memberships]


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs):
    for agency in _agencies(user):
        record(agency=agency, actor=user, action=AuditAction.SIGN_IN)


@receiver(user_logged_out)
def on_sign_out(sender, request, user, **kwargs):
    for agency in _agencies(user) if user is not None else []:
        record(agency=agency, actor=user, action=AuditAction.SIGN_OUT)


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    # Only an account we know can be put on an agency's chain; the typed email is never stored.
    email = (credentials or {}).get("email") or (credentials or {}).get("username") or ""
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    agencies = _agencies(user, active_only=False) if user is not None else []
    if not agencies:
        log.info("Sign-in failed for an address that belongs to no agency.")
    for agency in agencies:
        record(agency=agency, actor=user, action=AuditAction.SIGN_IN_FAILED)
