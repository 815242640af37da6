import datetime as dt
import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.client import normalise_email
from accounts.models import Agency, Membership

from .models import AuditAction, AuditChainHead
from .services import record, record_at_most_every

log = logging.getLogger(__name__)

# However many wrong passwords or codes arrive, each agency trail gets at most one failure event
# per account in this window (an anonymous caller can't grow a tenant's trail at will).
FAILURE_WINDOW = dt.timedelta(minutes=1)


def _agencies(user, *, active_only: bool = True) -> list:
    """Every agency the person works in: each one's trail shows their sign-ins (a person may have several)."""
    memberships = Membership.objects.select_related("agency").filter(user=user).order_by("agency_id")
    if active_only:
        memberships = memberships.filter(is_active=True)
    return [membership.agency for membership in memberships]


def _account(email: str | None):
    email = normalise_email(email)
    return get_user_model().objects.filter(email__iexact=email).first() if email else None


@receiver(post_save, sender=Agency, dispatch_uid="audit_chain_head_with_agency")
def on_agency_created(sender, instance, created, raw=False, **kwargs):
    """The chain head is made with its agency, so appending an event only locks and moves it."""
    if created and not raw:
        AuditChainHead.objects.create(agency=instance)


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs):
    for agency in _agencies(user):
        record(agency=agency, actor=user, action=AuditAction.SIGN_IN)


@receiver(user_logged_out)
def on_sign_out(sender, request, user, **kwargs):
    # A session ended by its idle or overall limit says so (accounts/middleware.py sets the reason).
    reason = getattr(request, "session_end_reason", None)
    data = {"reason": reason} if reason else None
    for agency in _agencies(user) if user is not None else []:
        record(agency=agency, actor=user, action=AuditAction.SIGN_OUT, data=data)


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    # Only an account we know can be put on an agency's chain; the typed email is never stored.
    credentials = credentials or {}
    user = _account(credentials.get("email") or credentials.get("username"))
    agencies = _agencies(user, active_only=False) if user is not None else []
    if not agencies:
        log.info("Sign-in failed for an address that belongs to no agency.")
    data = {"step": credentials["step"]} if credentials.get("step") else None
    for agency in agencies:
        record_at_most_every(agency=agency, actor=user, action=AuditAction.SIGN_IN_FAILED,
                             window=FAILURE_WINDOW, data=data)


@receiver(user_locked_out)
def on_locked_out(sender, request=None, username=None, **kwargs):
    """One event per account and lockout period, however many attempts the lockout then refuses."""
    user = _account(username)
    for agency in _agencies(user, active_only=False) if user is not None else []:
        record_at_most_every(agency=agency, actor=user, action=AuditAction.SIGN_IN_LOCKED,
                             window=settings.AXES_COOLOFF_TIME,
                             data={"failure_limit": settings.AXES_FAILURE_LIMIT,
                                   "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)})
