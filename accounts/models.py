from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scenarios.engine.facts import Profession
from scenarios.engine.vocabulary import choices

# Whose professional code the guidance cites first; the values are the engine's (scenarios/engine/facts.py).
PROFESSION_CHOICES = choices(Profession)
PROFESSION_MAX_LENGTH = 40


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, email: str) -> "User":
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text=_("Can use the Django admin site."))
    # Kept in step with the person's confirmed authenticator (accounts/two_factor.py), so every
    # request can tell without a query whether its session must have passed the code step.
    two_factor_enabled = models.BooleanField(default=False, editable=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


# Names the tz database lists that aren't places: the host's own zone and tzdata's placeholder.
NOT_A_PLACE = frozenset({"localtime", "Factory", "posixrules"})
TIME_ZONE_MAX_LENGTH = 64


@functools.cache
def known_time_zones() -> frozenset[str]:
    """Every IANA zone name this machine's tz database knows (read once: it scans the files)."""
    return frozenset(zoneinfo.available_timezones() - NOT_A_PLACE)


@functools.cache
def suggested_time_zones() -> tuple[str, ...]:
    """The names offered in the list: places ("Europe/Madrid") and UTC, not the old aliases ("EST5EDT")."""
    return tuple(sorted(name for name in known_time_zones() if "/" in name and not name.startswith("Etc/"))) + ("UTC",)


@functools.cache
def _by_folded_name() -> dict[str, str]:
    return {_fold(name): name for name in known_time_zones()}


def _fold(text: str) -> str:
    return text.strip().replace(" ", "_").casefold()


def canonical_time_zone(text: str) -> str | None:
    """The zone's exact name for what someone typed ("europe/madrid", "America/New York"), else None."""
    return _by_folded_name().get(_fold(text))


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(_("That isn't a time zone we know. Choose one from the list: a region and a city, "
                                "such as America/Chicago or Europe/Madrid."), code="unknown_time_zone")


def default_time_zone() -> str:
    """A new agency starts in the site's zone (the TIME_ZONE setting)."""
    return settings.TIME_ZONE


class Agency(models.Model):
    """A tenant: every tenant-owned row carries a foreign key to one of these."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    require_two_factor = models.BooleanField(
        default=False, help_text=_("Admins and supervisors must set up two-factor sign-in before working here."))
    # Working hours, "today", follow-up and publish dates and the date filters are judged in it:
    # AgencyMiddleware activates it for every request, commands for the agency they act for.
    time_zone = models.CharField(
        max_length=TIME_ZONE_MAX_LENGTH, default=default_time_zone, validators=[validate_time_zone],
        help_text=_("The agency's local time, as an IANA zone name such as America/Chicago."))
    # Moves whenever someone joins or leaves the staff or a staff member's name or email changes
    # (accounts/signals.py). The filter forms keep the staff list in each worker under it
    # (boundaries/filter_forms.py); the number arrives with the agency's row, which every request reads.
    staff_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # staff_version only moves by staff_changed()'s UPDATE: a whole-row save (the Django admin's)
        # must not write back the number it read, which would bring back a worker's older staff list.
        if not self._state.adding and kwargs.get("update_fields") is None:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [field.name for field in self._meta.concrete_fields
                                       if not field.primary_key and field.name != "staff_version"
                                       and field.attname not in deferred]
        super().save(*args, **kwargs)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The agency's zone; the site's own if the name has left the tz database (after an upgrade)."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def staff_changed(agency_ids) -> None:
    """Move the staff version of these agencies (ids, or a query of them): their staff lists are read again."""
    Agency.objects.filter(pk__in=agency_ids).update(staff_version=models.F("staff_version") + 1)


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Admin")


# The roles an agency can require two-factor sign-in for.
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_agency(self, agency: Agency) -> "MembershipQuerySet":
        return self.filter(agency=agency)

    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True, user__is_active=True)


class Membership(models.Model):
    """A user's place in one agency, with the role that decides what they see.

    A person may belong to several agencies (providers often contract with more than one
    programme), with a role and an active flag in each: deactivating someone in one agency
    leaves their place in another untouched.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    # Per agency, like the role: someone may work as a nurse in one programme and a counsellor in another.
    profession = models.CharField(max_length=PROFESSION_MAX_LENGTH, choices=PROFESSION_CHOICES,
                                  default=Profession.OTHER)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="membership_agency_user_uniq"),
        ]
        indexes = [models.Index(fields=["agency", "role"], name="membership_agency_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.agency})"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def needs_two_factor(self) -> bool:
        """The agency asks this person, by their role here, to sign in with a code."""
        return self.agency.require_two_factor and self.role in TWO_FACTOR_ROLES


INVITATION_LIFETIME = dt.timedelta(days=7)


def invitation_token_hash(token: str) -> str:
    """Only the hash of a token is stored, so a copy of the database can't accept invitations."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def for_agency(self, agency: Agency) -> "InvitationQuerySet":
        return self.filter(agency=agency)

    def unanswered(self) -> "InvitationQuerySet":
        """Neither accepted nor cancelled (it may have expired)."""
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True)

    def usable(self, now: dt.datetime) -> "InvitationQuerySet":
        return self.unanswered().filter(expires_at__gt=now)


class Invitation(models.Model):
    """An agency's offer of a place to someone who already has an account (through another agency).

    Single-use (accepted or cancelled once), it expires, and only its token's hash is stored.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="invitations")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=Role.choices)
    profession = models.CharField(max_length=PROFESSION_MAX_LENGTH, choices=PROFESSION_CHOICES,
                                  default=Profession.OTHER)
    token_hash = models.CharField(max_length=64)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "token_hash"], name="invitation_agency_token_uniq"),
            # One unanswered invitation per person and agency: a second one replaces the first.
            models.UniqueConstraint(fields=["agency", "user"], name="invitation_agency_user_open_uniq",
                                    condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True)),
            models.CheckConstraint(condition=models.Q(accepted_at__isnull=True) | models.Q(cancelled_at__isnull=True),
                                   name="invitation_accepted_or_cancelled"),
        ]
        indexes = [models.Index(fields=["agency", "created_at"], name="invitation_agency_created_idx")]

    def __str__(self) -> str:
        return f"Invitation to {self.agency} ({self.get_role_display()})"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    def is_expired(self, now: dt.datetime) -> bool:
        return now >= self.expires_at

    def is_usable(self, now: dt.datetime) -> bool:
        return self.accepted_at is None and self.cancelled_at is None and not self.is_expired(now)


class RateLimit(models.Model):
    """A fixed-window counter for one kind of request from one source (an address, a client IP).

    Only a hash of the source is stored, so the table holds no email addresses.
    """

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key_hash"], name="rate_limit_scope_key_uniq")]
        indexes = [models.Index(fields=["window_start"], name="rate_limit_window_idx")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_hash[:8]}: {self.count}"
