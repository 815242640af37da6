"""Email each person their reminders for the day: meant for cron, once or more a day.

Idempotent: what was sent is written down per person and agency day, so a second run the same
day sends nothing new (a request that starts waiting in between is still mailed).
"""

from django.core.management.base import BaseCommand

from accounts.models import Membership
from notifications.services import SECTIONS, reminders_send


class Command(BaseCommand):
    help = "Email each person their due and overdue follow-ups, acknowledgements and decisions waiting."

    def handle(self, *args, **options) -> None:
        mails = 0
        for membership in (Membership.objects.active().select_related("agency", "user")
                           .order_by("agency__slug", "user__email")):
            sent = reminders_send(membership=membership)
            if not sent:
                continue
            mails += 1
            counts = ", ".join(_count(sent, section) for section in SECTIONS if any(i.section == section for i in sent))
            self.stdout.write(f"{membership.agency.slug}: sent {membership.user.email} {counts}")
        self.stdout.write(self.style.SUCCESS(f"{mails} reminder mail{'s' if mails != 1 else ''} sent.")
                          if mails else "Nothing new to send today.")


def _count(sent: list, section: str) -> str:
    number = sum(item.section == section for item in sent)
    one, several = SECTIONS[section]
    return f"{number} {one if number == 1 else several}"
