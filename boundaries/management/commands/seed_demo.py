"""Create (or refresh) the demo agencies and their users. Safe to run again and again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Agency, Membership, Role, User
from scenarios.demo import seed_demo_requests

DEMO_PASSWORD = "boundaries-demo"

AGENCIES = [
    ("riverside", "Riverside Early Intervention", [
        ("practitioner@riverside.example", "Pat Practitioner", Role.PRACTITIONER),
        ("supervisor@riverside.example", "Sam Supervisor", Role.SUPERVISOR),
        ("admin@riverside.example", "Alex Admin", Role.ADMIN),
    ]),
    ("hilltop", "Hilltop Family Services", [
        ("practitioner@hilltop.example", "Harper Practitioner", Role.PRACTITIONER),
        ("supervisor@hilltop.example", "Hayden Supervisor", Role.SUPERVISOR),
        ("admin@hilltop.example", "Hollis Admin", Role.ADMIN),
    ]),
]


class Command(BaseCommand):
    help = "Create the demo agencies and one user per role in each, and print their logins."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        logins = []
        for slug, name, people in AGENCIES:
            agency, _ = Agency.objects.update_or_create(slug=slug, defaults={"name": name})
            for email, full_name, role in people:
                user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
                user.full_name, user.is_active = full_name, True
                user.set_password(DEMO_PASSWORD)
                user.save()
                Membership.objects.update_or_create(user=user, defaults={"agency": agency, "role": role})
                logins.append((name, role.label, email))
                if slug == "riverside" and role == Role.PRACTITIONER:
                    seed_demo_requests(agency=agency, practitioner=user)
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in at http://127.0.0.1:8000/ with:"))
        for agency_name, role, email in logins:
            self.stdout.write(f"  {agency_name:<30} {role:<13} {email:<32} password: {DEMO_PASSWORD}")
