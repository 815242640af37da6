"""The narrow service the rest of the product calls to tell people things.

`scenarios` calls `notify_decided` and `notify_waiting` inside its own transactions; the notices
are written there, and mail goes only once the transaction commits (so a rolled-back decision
never mails anyone). Mails and notices name a request by its number and link to it: never a
client reference, never the practitioner's notes.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from boundaries.dates import show_day

from .models import CalendarFeed, Delivery, Notification, NoticeKind, Preference, ReminderSent, feed_token_hash

if TYPE_CHECKING:
    from accounts.models import Agency, User
    from scenarios.models import ContactRequest

logger = logging.getLogger(__name__)


def request_link(contact_request: "ContactRequest") -> str:
    return settings.SITE_URL + reverse("scenarios:detail", kwargs={"pk": contact_request.pk})


def _mail_on_commit(*, to: str, template: str, context: dict) -> None:
    subject = render_to_string(f"notifications/{template}_subject.txt", context).strip()
    body = render_to_string(f"notifications/{template}_email.txt", context)

    def send() -> None:
        # A mail server's failure must not undo or hide what was decided: it is logged, and the
        # notice in the app and tomorrow's reminder still tell the person.
        try:
            send_mail(subject, body, None, [to])
        except Exception:  # noqa: BLE001 (any backend's failure)
            logger.exception("Could not send the %s mail", template)

    transaction.on_commit(send)


def notify_decided(*, contact_request: "ContactRequest", now: dt.datetime | None = None) -> Notification:
    """Tell the practitioner, in the app and by mail, that a supervisor decided on their request."""
    now = now or timezone.now()
    approved = contact_request.review_decision == "approved"
    message = (_("Your supervisor approved what you chose for request %(number)s.") if approved
               else _("Your supervisor did not approve what you chose for request %(number)s."))
    notice = Notification.objects.create(
        agency=contact_request.agency, recipient=contact_request.practitioner, kind=NoticeKind.DECIDED,
        request=contact_request, created_at=now, message=message % {"number": contact_request.pk})
    _mail_on_commit(to=contact_request.practitioner.email, template="decided", context={
        "number": contact_request.pk, "approved": approved, "link": request_link(contact_request),
        "agency": contact_request.agency.name})
    return notice


def supervisors_of(agency: "Agency", *, besides: "User | None" = None) -> list[Membership]:
    supervisors = Membership.objects.for_agency(agency).active().filter(role=Role.SUPERVISOR).select_related("user")
    if besides is not None:
        supervisors = supervisors.exclude(user=besides)
    return list(supervisors.order_by("pk"))


def delivery_of(agency: "Agency", users: list["User"]) -> dict[int, str]:
    """Each user's chosen delivery of "waiting" notices (at once unless they chose otherwise)."""
    chosen = dict(Preference.objects.for_agency(agency).filter(user__in=users)
                  .values_list("user_id", "waiting_delivery"))
    return {user.pk: chosen.get(user.pk, Delivery.AT_ONCE) for user in users}


def notify_waiting(*, contact_request: "ContactRequest", now: dt.datetime | None = None) -> list[Notification]:
    """Tell the agency's supervisors (not the practitioner, if one of them logged it) that a request waits.

    Each gets a notice in the app; those who chose "at once" get a mail now, the others find it in
    the next daily reminder (`send_reminders`).
    """
    now = now or timezone.now()
    supervisors = [membership.user for membership in
                   supervisors_of(contact_request.agency, besides=contact_request.practitioner)]
    delivery = delivery_of(contact_request.agency, supervisors)
    notices = Notification.objects.bulk_create([
        Notification(agency=contact_request.agency, recipient=user, kind=NoticeKind.WAITING,
                     request=contact_request, created_at=now,
                     message=_("Request %(number)s waits for your decision.") % {"number": contact_request.pk})
        for user in supervisors])
    for user in supervisors:
        if delivery[user.pk] == Delivery.AT_ONCE:
            _mail_on_commit(to=user.email, template="waiting", context={
                "number": contact_request.pk, "link": request_link(contact_request),
                "agency": contact_request.agency.name})
    return notices


def notices_mark_read(*, agency: "Agency", user: "User", now: dt.datetime | None = None) -> int:
    return (Notification.objects.for_agency(agency).for_recipient(user).unread()
            .update(read_at=now or timezone.now()))


def preference_set(*, agency: "Agency", user: "User", waiting_delivery: str) -> Preference:
    preference, _ = Preference.objects.update_or_create(agency=agency, user=user,
                                                        defaults={"waiting_delivery": waiting_delivery})
    return preference


# Calendar feeds ------------------------------------------------------------------------------


@transaction.atomic
def feed_renew(*, agency: "Agency", user: "User", now: dt.datetime | None = None) -> str:
    """A new private address for the person's calendar; the old one stops working. Returns the token."""
    token = CalendarFeed.new_token()
    CalendarFeed.objects.for_agency(agency).filter(user=user).delete()
    CalendarFeed.objects.create(agency=agency, user=user, token_hash=feed_token_hash(token),
                                created_at=now or timezone.now())
    return token


def feed_revoke(*, agency: "Agency", user: "User") -> bool:
    deleted, _ = CalendarFeed.objects.for_agency(agency).filter(user=user).delete()
    return bool(deleted)


def feed_url(agency: "Agency", token: str) -> str:
    return settings.SITE_URL + reverse("notifications:calendar", kwargs={"agency": agency.slug, "token": token})


# Reminders -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderItem:
    key: str  # stable for one thing to do: what makes a second run on the same day send nothing new
    section: str  # "follow_up", "acknowledge" or "decide"
    text: str
    link: str


# Each section's words for one item and for several, for what `send_reminders` prints.
SECTIONS = {"follow_up": ("follow-up", "follow-ups"), "acknowledge": ("acknowledgement", "acknowledgements"),
            "decide": ("decision waiting", "decisions waiting")}


def reminder_items(membership: Membership, today: dt.date) -> list[ReminderItem]:
    """What this person should hear about today in this agency, most pressing first."""
    from policies.services import awaiting_acknowledgements
    from scenarios.models import ContactRequest

    agency, user = membership.agency, membership.user
    items = []
    for contact_request in (ContactRequest.objects.for_agency(agency).for_practitioner(user).not_closed()
                            .filter(follow_up_on__lte=today).order_by("follow_up_on", "pk")):
        day = contact_request.follow_up_on
        text = (_("Request %(number)s: a follow-up overdue since %(day)s") if day < today
                else _("Request %(number)s: a follow-up due today")) % {
            "number": contact_request.pk, "day": show_day(day)}
        items.append(ReminderItem(
            key=f"follow_up:{contact_request.pk}", section="follow_up", text=text,
            link=request_link(contact_request)))
    for version in awaiting_acknowledgements(membership, today):
        items.append(ReminderItem(
            key=f"acknowledge:{version.pk}", section="acknowledge",
            text=_("Version %(number)s of the policy waits for you to read and acknowledge it") % {
                "number": version.number},
            link=settings.SITE_URL + reverse("policies:read_version", kwargs={"number": version.number})))
    if membership.role == Role.SUPERVISOR:
        for contact_request in (ContactRequest.objects.for_agency(agency).needing_review().exclude(practitioner=user)
                                .order_by("received_at", "pk")):
            items.append(ReminderItem(key=f"decide:{contact_request.pk}", section="decide",
                                      text=_("Request %(number)s waits for your decision") % {
                                          "number": contact_request.pk},
                                      link=request_link(contact_request)))
    return items


def reminders_send(*, membership: Membership, now: dt.datetime | None = None) -> list[ReminderItem]:
    """Mail the person what they have not been told today; returns what the mail held (none: no mail).

    The items sent are written down in the same transaction, keyed by the agency's day: a second
    run that day, or one running at the same time, finds them there and sends nothing again.
    """
    now = now or timezone.now()
    today = timezone.localdate(now, membership.agency.zone)
    items = reminder_items(membership, today)
    already = set(ReminderSent.objects.for_agency(membership.agency)
                  .filter(user=membership.user, sent_on=today).values_list("key", flat=True))
    new = [item for item in items if item.key not in already]
    if not new:
        return []
    try:
        with transaction.atomic():
            ReminderSent.objects.bulk_create([
                ReminderSent(agency=membership.agency, user=membership.user, key=item.key, sent_on=today, sent_at=now)
                for item in new])
            _mail_on_commit(to=membership.user.email, template="reminder", context={
                "agency": membership.agency.name, "items": new,
                "home": settings.SITE_URL + reverse("home"),
                "sections": sorted({item.section for item in new})})
    except IntegrityError:
        return []  # another run sent these a moment ago
    return new
