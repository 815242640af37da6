"""In-app notices, each supervisor's choice of how to hear about waiting requests, the reminders
already sent (so a second run of `send_reminders` sends nothing new) and the private calendar feeds.

Every row is tenant-owned: its agency leads its indexes and unique constraints. No row holds a
client reference: a notice names a request by its number and links to it.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.db.models import Q

from boundaries.tenancy import TenantModel, TenantQuerySet


class NoticeKind(models.TextChoices):
    DECIDED = "decided", _("A supervisor decided on your request")
    WAITING = "waiting", _("A request waits for your decision")


class NotificationQuerySet(TenantQuerySet):
    def for_recipient(self, user) -> "NotificationQuerySet":
        return self.filter(recipient=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(TenantModel):
    """One notice shown in the app; its words are ours, and it names the request only by number."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  db_index=False)
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    request = models.ForeignKey("scenarios.ContactRequest", on_delete=models.CASCADE, related_name="+",
                                db_index=False)
    message = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "recipient", "read_at"], name="notice_agency_unread_idx"),
            models.Index(fields=["agency", "recipient", "created_at"], name="notice_agency_recent_idx"),
            models.Index(fields=["agency", "request"], name="notice_agency_request_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (request {self.request_id})"


class Delivery(models.TextChoices):
    AT_ONCE = "at_once", _("At once: an email for each request as it arrives")
    DAILY = "daily", _("Once a day: one email listing every request waiting")


class Preference(TenantModel):
    """How a supervisor hears about requests waiting for them, in one agency (at once unless they chose)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    waiting_delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.AT_ONCE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="notify_pref_agency_user_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.waiting_delivery}"


class ReminderSent(TenantModel):
    """One item of one reminder mail, on one day of the agency: what makes `send_reminders` idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    # What the item is about, e.g. "follow_up:12", "acknowledge:3", "decide:12": never free text.
    key = models.CharField(max_length=60)
    sent_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "user", "sent_on", "key"], name="reminder_agency_user_day_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.key} to {self.user_id} on {self.sent_on}"


def feed_token_hash(token: str) -> str:
    """Only the hash is stored, so a copy of the database can't read anyone's calendar."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class CalendarFeed(TenantModel):
    """A person's private calendar address in one agency; making a new one revokes the old."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="calendar_feed_agency_user_uniq"),
            models.UniqueConstraint(fields=["agency", "token_hash"], name="calendar_feed_agency_token_uniq"),
            models.CheckConstraint(condition=~Q(token_hash=""), name="calendar_feed_has_token"),
        ]

    def __str__(self) -> str:
        return f"Calendar of {self.user_id}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
