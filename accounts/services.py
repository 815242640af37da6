"""Staff management: every write that touches several rows goes through here."""

from __future__ import annotations

import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from audit.models import AuditAction
from audit.services import record

from .models import Agency, Membership, Role, User


def _ensure_another_admin_remains(membership: Membership) -> None:
    if membership.role != Role.ADMIN:
        return
    others = (
        Membership.objects.for_agency(membership.agency).active()
        .filter(role=Role.ADMIN).exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ValidationError("The agency needs at least one active admin. Make someone else an admin first.")


def staff_add(*, agency: Agency, actor: User, email: str, full_name: str, role: str,
              request: HttpRequest | None = None) -> Membership:
    with transaction.atomic():
        # A random password keeps the account usable for the reset link until they choose their own.
        user = User.objects.create_user(email=email, full_name=full_name, password=secrets.token_urlsafe(32))
        membership = Membership.objects.create(agency=agency, user=user, role=role)
        record(agency=agency, actor=actor, action=AuditAction.STAFF_ADDED, target=membership,
               data={"role": role})
    if request is not None:
        _send_welcome(user, request)
    return membership


def _send_welcome(user: User, request: HttpRequest) -> None:
    """A new colleague chooses their own password through the reset link."""
    form = PasswordResetForm({"email": user.email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure(),
            subject_template_name="registration/welcome_subject.txt",
            email_template_name="registration/welcome_email.txt",
        )


def staff_change_role(*, membership: Membership, actor: User, role: str) -> Membership:
    if role == membership.role:
        return membership
    with transaction.atomic():
        if role != Role.ADMIN:
            _ensure_another_admin_remains(membership)
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record(agency=membership.agency, actor=actor, action=AuditAction.ROLE_CHANGED,
               target=membership, data={"from": old, "to": role})
    return membership


def staff_deactivate(*, membership: Membership, actor: User) -> Membership:
    if membership.user_id == actor.pk:
        raise ValidationError("You can't deactivate your own account.")
    with transaction.atomic():
        _ensure_another_admin_remains(membership)
        membership.user.is_active = False
        membership.user.save(update_fields=["is_active"])
        record(agency=membership.agency, actor=actor, action=AuditAction.STAFF_DEACTIVATED, target=membership)
    return membership


def staff_reactivate(*, membership: Membership, actor: User) -> Membership:
    with transaction.atomic():
        membership.user.is_active = True
        membership.user.save(update_fields=["is_active"])
        record(agency=membership.agency, actor=actor, action=AuditAction.STAFF_REACTIVATED, target=membership)
    return membership
