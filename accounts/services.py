"""Staff management: every write that touches several rows goes through here."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record

from scenarios.engine.facts import Profession

from .models import (INVITATION_LIFETIME, Agency, Invitation, Membership, Role, User, invitation_token_hash,
                     known_time_zones, validate_time_zone)


class NotAnAdmin(ValidationError):
    """The acting admin lost their admin role (or their place) while the form was open."""


def _lock_active_admins(agency: Agency) -> list[Membership]:
    """Lock the agency's active admin memberships, always in the same order (no deadlock).

    Taken before counting, so two admins demoting or deactivating each other at once queue up
    here, and the second one counts what the first one left.
    """
    return list(Membership.objects.for_agency(agency).active().filter(role=Role.ADMIN)
                .select_for_update(of=("self",)).order_by("pk"))


def _lock_for_admin_change(*, membership: Membership, actor: User) -> tuple[Membership, list[Membership]]:
    """The target membership as it is now, and the agency's admins, both locked; the actor must still be one."""
    admins = _lock_active_admins(membership.agency)
    if not any(admin.user_id == actor.pk for admin in admins):
        raise NotAnAdmin(_("You are no longer an admin of this agency, so nothing was changed."),
                         code="not_an_admin")
    target = Membership.objects.select_for_update(of=("self",)).select_related("user", "agency").get(
        agency=membership.agency, pk=membership.pk)
    return target, admins


def _ensure_another_admin_remains(target: Membership, admins: list[Membership]) -> None:
    if not any(admin.pk == target.pk for admin in admins):
        return  # not an active admin: changing them leaves the admins as they are
    if len(admins) < 2:
        raise ValidationError(_("The agency needs at least one active admin. Make someone else an admin first."),
                              code="last_admin")


def may_sign_in(user: User, now: dt.datetime | None = None) -> bool:
    """An active place in some agency, or an invitation to one waiting; Django admin staff always."""
    if user.is_staff or user.is_superuser:
        return True
    if Membership.objects.active().filter(user=user).exists():
        return True
    return Invitation.objects.usable(now or timezone.now()).filter(user=user).exists()


# Adding staff ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddOutcome:
    """What adding an address did. The page shows the same words for both, so it reveals nothing."""

    membership: Membership | None = None
    invitation: Invitation | None = None


class AlreadyInAgency(ValidationError):
    """The address already belongs to this agency's staff (something the admin can see anyway)."""


def staff_add(*, agency: Agency, actor: User, email: str, full_name: str, role: str,
              profession: str = Profession.OTHER, request: HttpRequest | None = None) -> AddOutcome:
    """A new address gets an account and a password link; an existing account gets an invitation.

    Raises AlreadyInAgency when the person is already on this agency's staff. Two admins adding
    the same new address at once: the second one's account insert waits for the first and then
    fails on the unique email, so it carries on as an invitation (or as "already on your staff").
    """
    email = User.objects.normalize_email(email).lower()
    if not User.objects.filter(email__iexact=email).exists():
        try:
            membership = _create_account(agency=agency, actor=actor, email=email, full_name=full_name, role=role,
                                         profession=profession)
        except IntegrityError:
            pass  # created meanwhile by another admin: carry on as for an existing account
        else:
            if request is not None:
                _send_welcome(membership, request)
            return AddOutcome(membership=membership)
    invitation, token = invitation_send(agency=agency, actor=actor, email=email, role=role, profession=profession)
    if request is not None:
        _send_invitation(invitation, token, request)
    return AddOutcome(invitation=invitation)


def _create_account(*, agency: Agency, actor: User, email: str, full_name: str, role: str,
                    profession: str) -> Membership:
    with transaction.atomic():
        # A random password keeps the account usable for the reset link until they choose their own.
        user = User.objects.create_user(email=email, full_name=full_name, password=secrets.token_urlsafe(32))
        membership = Membership.objects.create(agency=agency, user=user, role=role, profession=profession)
        record(agency=agency, actor=actor, action=AuditAction.STAFF_ADDED, target=membership,
               data={"role": role, "profession": profession})
    return membership


def _send_welcome(membership: Membership, request: HttpRequest) -> None:
    """A new colleague chooses their own password through the reset link."""
    form = PasswordResetForm({"email": membership.user.email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure(),
            subject_template_name="registration/welcome_subject.txt",
            email_template_name="registration/welcome_email.txt",
            extra_email_context={"agency": membership.agency},
        )


def invitation_send(*, agency: Agency, actor: User, email: str, role: str, profession: str = Profession.OTHER,
                    now: dt.datetime | None = None) -> tuple[Invitation, str]:
    """Invite an existing account to join the agency; returns the invitation and its one-time token.

    An earlier unanswered invitation of the same person to the same agency is replaced, so only
    the newest link works.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Locking the person serialises every invitation and acceptance that concerns them.
        user = User.objects.select_for_update().get(email__iexact=email)
        if Membership.objects.for_agency(agency).filter(user=user).exists():
            raise AlreadyInAgency(
                _("This person is already on your staff. Find them in the staff list "
                  "(reactivate them there if they were deactivated)."), code="already_member")
        Invitation.objects.for_agency(agency).unanswered().filter(user=user).update(cancelled_at=now)
        token = Invitation.new_token()
        invitation = Invitation.objects.create(
            agency=agency, user=user, role=role, profession=profession, token_hash=invitation_token_hash(token),
            invited_by=actor, created_at=now, expires_at=now + INVITATION_LIFETIME)
        record(agency=agency, actor=actor, action=AuditAction.STAFF_INVITED, target=invitation,
               data={"role": role, "profession": profession})
    return invitation, token


def _send_invitation(invitation: Invitation, token: str, request: HttpRequest) -> None:
    path = reverse("invitation_accept", kwargs={"agency": invitation.agency.slug, "token": token})
    context = {
        "user": invitation.user, "agency": invitation.agency, "role": invitation.get_role_display().lower(),
        "link": request.build_absolute_uri(path), "expires_at": invitation.expires_at,
    }
    subject = render_to_string("registration/invitation_subject.txt", context).strip()
    body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, None, [invitation.user.email])


def invitation_cancel(*, invitation: Invitation, actor: User, now: dt.datetime | None = None) -> Invitation:
    now = now or timezone.now()
    with transaction.atomic():
        row = Invitation.objects.for_agency(invitation.agency).select_for_update().get(pk=invitation.pk)
        if row.accepted_at is not None:
            raise ValidationError(_("This invitation was accepted before you cancelled it: they are on your "
                                    "staff now. Deactivate them from the staff list if needed."), code="accepted")
        if row.cancelled_at is not None:
            return row  # cancelled already (another tab, another admin): nothing more to do
        row.cancelled_at = now
        row.save(update_fields=["cancelled_at"])
        record(agency=row.agency, actor=actor, action=AuditAction.INVITATION_CANCELLED, target=row,
               data={"role": row.role})
    return row


class InvitationUnusable(Exception):
    """Unknown, expired, cancelled or already used: the person is told the same for each."""


class InvitationForSomeoneElse(Exception):
    """A valid link opened while signed in as another account."""


def invitation_find(*, agency_slug: str, token: str, now: dt.datetime | None = None) -> Invitation:
    """The usable invitation behind a link. The token is the key: the agency comes from it, not the session."""
    now = now or timezone.now()
    invitation = (Invitation.objects.select_related("agency", "user")
                  .filter(agency__slug=agency_slug, token_hash=invitation_token_hash(token)).first())
    if invitation is None or not invitation.is_usable(now):
        raise InvitationUnusable
    return invitation


def invitation_accept(*, agency_slug: str, token: str, user: User, now: dt.datetime | None = None) -> Membership:
    """Join the agency with the role the admin chose; the invitation can't be used again."""
    now = now or timezone.now()
    with transaction.atomic():
        found = invitation_find(agency_slug=agency_slug, token=token, now=now)
        if found.user_id != user.pk:
            raise InvitationForSomeoneElse
        User.objects.select_for_update().get(pk=user.pk)
        invitation = Invitation.objects.for_agency(found.agency).select_for_update().get(pk=found.pk)
        if not invitation.is_usable(now):
            raise InvitationUnusable  # answered by another tab, or cancelled, while we waited
        membership, created = Membership.objects.get_or_create(
            agency=found.agency, user=user, defaults={"role": invitation.role, "profession": invitation.profession})
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
        if created:
            record(agency=found.agency, actor=user, action=AuditAction.INVITATION_ACCEPTED, target=membership,
                   data={"role": membership.role})
    return membership


# Changing staff -------------------------------------------------------------------------------


def staff_change_role(*, membership: Membership, actor: User, role: str) -> Membership:
    with transaction.atomic():
        target, admins = _lock_for_admin_change(membership=membership, actor=actor)
        if role == target.role:
            return target
        if role != Role.ADMIN:
            _ensure_another_admin_remains(target, admins)
        old = target.role
        target.role = role
        target.save(update_fields=["role"])
        record(agency=target.agency, actor=actor, action=AuditAction.ROLE_CHANGED,
               target=target, data={"from": old, "to": role})
    return target


def staff_change(*, membership: Membership, actor: User, role: str, profession: str = "") -> Membership:
    """Change the role and the profession together: both are saved, or neither (the last admin stays one).

    An empty profession leaves it as it is. Each change is its own audit event, holding the two values only.
    """
    if profession and profession not in Profession._value2member_map_:
        raise ValidationError(_("Choose a profession from the list."), code="unknown_profession")
    with transaction.atomic():
        target = staff_change_role(membership=membership, actor=actor, role=role)
        if profession and profession != target.profession:
            old = target.profession
            target.profession = profession
            target.save(update_fields=["profession"])
            record(agency=target.agency, actor=actor, action=AuditAction.PROFESSION_CHANGED,
                   target=target, data={"from": old, "to": profession})
    return target


def staff_deactivate(*, membership: Membership, actor: User) -> Membership:
    """Deactivate someone in this agency only: their place in any other agency is untouched."""
    if membership.user_id == actor.pk:
        raise ValidationError(_("You can't deactivate your own account."), code="self")
    with transaction.atomic():
        target, admins = _lock_for_admin_change(membership=membership, actor=actor)
        if not target.is_active:
            return target
        _ensure_another_admin_remains(target, admins)
        target.is_active = False
        target.save(update_fields=["is_active"])
        record(agency=target.agency, actor=actor, action=AuditAction.STAFF_DEACTIVATED, target=target)
    return target


def staff_reactivate(*, membership: Membership, actor: User) -> Membership:
    with transaction.atomic():
        target, _admins = _lock_for_admin_change(membership=membership, actor=actor)
        if target.is_active:
            return target
        target.is_active = True
        target.save(update_fields=["is_active"])
        record(agency=target.agency, actor=actor, action=AuditAction.STAFF_REACTIVATED, target=target)
    return target


# Switching agency -----------------------------------------------------------------------------


def agency_switch(*, request: HttpRequest, membership: Membership) -> None:
    """Work in another of the user's agencies from now on; recorded on that agency's trail, content-free."""
    from boundaries.tenancy import set_active_agency

    set_active_agency(request, membership.agency)
    record(agency=membership.agency, actor=request.user, action=AuditAction.AGENCY_SWITCHED)


def agency_set_time_zone(*, agency: Agency, actor: User, time_zone: str) -> Agency:
    """Move the agency to another IANA time zone; recorded with the two zone names, nothing else.

    The row is locked first, so two admins saving at once queue up and the second event's "from"
    is the first one's "to". Raises ValidationError for a name the tz database doesn't know.
    """
    validate_time_zone(time_zone)
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        if agency.time_zone == time_zone:
            return agency
        before, agency.time_zone = agency.time_zone, time_zone
        agency.save(update_fields=["time_zone"])
        # A stored name is a known zone unless it has left the tz database (or was written by hand):
        # the trail then says "" rather than refusing the move to a good zone.
        record(agency=agency, actor=actor, action=AuditAction.TIME_ZONE_CHANGED,
               data={"from": before if before in known_time_zones() else "", "to": time_zone})
    return agency
