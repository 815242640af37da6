"""Create (or refresh) the demo agencies and their users. Safe to run again and again."""

import dataclasses
import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, Membership, Role, User
from scenarios.engine.facts import Profession
from policies.models import PolicyVersion
from policies.document.vocabulary import Decision, PlatformGroup, Relationship
from policies.services import (policy_acknowledge, policy_publish, policy_save_draft, policy_start_draft,
                               statement_receipt_record)
from scenarios.demo import seed_demo_history, seed_demo_requests
from training.demo import seed_demo_training

DEMO_PASSWORD = "boundaries-demo"

# Each agency works in its own time zone (set when it is created; an admin may change it later):
# switching between them shows the same moment in two local times.
AGENCIES = [
    ("riverside", "Riverside Early Intervention", "America/New_York", [
        ("practitioner@riverside.example", "Pat Practitioner", Role.PRACTITIONER,
         Profession.EARLY_INTERVENTION_PROVIDER),
        ("supervisor@riverside.example", "Sam Supervisor", Role.SUPERVISOR, Profession.SOCIAL_WORKER),
        ("admin@riverside.example", "Alex Admin", Role.ADMIN, Profession.OTHER),
    ]),
    ("hilltop", "Hilltop Family Services", "America/Chicago", [
        # A mixed team: the guidance cites each person's own code first (ACA for Harper).
        ("practitioner@hilltop.example", "Harper Practitioner", Role.PRACTITIONER, Profession.COUNSELOR),
        ("supervisor@hilltop.example", "Hayden Supervisor", Role.SUPERVISOR, Profession.MARRIAGE_FAMILY_THERAPIST),
        ("admin@hilltop.example", "Hollis Admin", Role.ADMIN, Profession.OTHER),
        # Pat also works for Hilltop, as early-intervention providers often contract with more
        # than one programme: the agency switcher appears in Pat's navigation.
        ("practitioner@riverside.example", "Pat Practitioner", Role.PRACTITIONER,
         Profession.EARLY_INTERVENTION_PROVIDER),
    ]),
]
SHARED_LOGIN = "practitioner@riverside.example"
# Riverside's policy took effect a year ago, so everything logged for the past year (the demo
# requests included) is judged by it rather than by the conservative default.
POLICY_AGE = dt.timedelta(days=365)


class Command(BaseCommand):
    help = "Create the demo agencies and one user per role in each, and print their logins."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        logins = []
        for slug, name, zone, people in AGENCIES:
            agency, _ = Agency.objects.update_or_create(slug=slug, defaults={"name": name},
                                                        create_defaults={"name": name, "time_zone": zone})
            for email, full_name, role, profession in people:
                user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
                user.full_name, user.is_active = full_name, True
                user.set_password(DEMO_PASSWORD)
                user.save()
                Membership.objects.update_or_create(agency=agency, user=user,
                                                    defaults={"role": role, "profession": profession,
                                                              "is_active": True})
                logins.append((name, role.label, email, agency.time_zone, profession.label))
        riverside = Agency.objects.get(slug="riverside")
        # "Today" and the demo requests' times are Riverside's own.
        with timezone.override(riverside.zone):
            self._seed_policy(riverside)
            pat = User.objects.get(email="practitioner@riverside.example")
            seed_demo_history(agency=riverside, practitioner=pat)
            seed_demo_requests(agency=riverside, practitioner=pat)
            self._seed_draft(riverside)
            seed_demo_training(agency=riverside, supervisor=User.objects.get(email="supervisor@riverside.example"))
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in at http://127.0.0.1:8000/ with:"))
        for agency_name, role, email, zone, profession in logins:
            self.stdout.write(f"  {agency_name:<30} {role:<13} {email:<32} password: {DEMO_PASSWORD}  "
                              f"({zone} time), {profession.lower()}")
        self.stdout.write("Riverside has a published policy (early-intervention template, in force for the past "
                          "year) that Pat has not acknowledged yet, a year of Pat's requests, and a draft version 2 whose "
                          "page shows how those requests would be judged under it; Hilltop has no policy, so it "
                          "shows the conservative default.")
        self.stdout.write(f"{SHARED_LOGIN} works at both agencies: switch between them with "
                          "\"Working in\" at the top of each page.")

    def _seed_policy(self, riverside: Agency) -> None:
        """Riverside's published policy, acknowledged by the supervisor only; left alone once it exists."""
        if PolicyVersion.objects.for_agency(riverside).exists():
            return
        supervisor = User.objects.get(email="supervisor@riverside.example")
        draft = policy_start_draft(agency=riverside, actor=supervisor, template="early_intervention")
        start = timezone.localdate() - POLICY_AGE
        # Published "as of" a year ago: the service refuses a start in the past relative to `today`.
        version = policy_publish(version=draft, actor=supervisor, effective_from=start, today=start)
        policy_acknowledge(version=version, user=supervisor)
        # Two families Pat has gone through the client statement with (docs/statement.md).
        pat = Membership.objects.get(agency=riverside, user__email="practitioner@riverside.example")
        for reference, language, days_ago in (("RB-1042", "es", 40), ("J.T.", "en", 90)):
            statement_receipt_record(membership=pat, client_reference=reference, language=language,
                                     received_on=timezone.localdate() - dt.timedelta(days=days_ago))

    def _seed_draft(self, riverside: Agency) -> None:
        """A draft version 2 that changes two rules, started once, while version 1 is the only version."""
        versions = PolicyVersion.objects.for_agency(riverside)
        if versions.count() != 1:
            return
        supervisor = User.objects.get(email="supervisor@riverside.example")
        draft = policy_start_draft(agency=riverside, actor=supervisor)
        # Stricter for colleagues on personal networks, looser for families on professional ones.
        changes = {
            (Relationship.COLLEAGUE, PlatformGroup.PERSONAL_NETWORKS): (
                Decision.NEEDS_APPROVAL, "A personal network shows much of your private life: talk to your "
                "supervisor first, so that connections within the team stay fair to everyone."),
            (Relationship.CLIENT_FAMILY, PlatformGroup.PROFESSIONAL_NETWORKS): (
                Decision.NEEDS_APPROVAL, "A parent who works in a related field may ask for a professional "
                "connection: ask your supervisor first, and keep it to professional matters."),
        }
        policy = draft.policy
        rules = tuple(dataclasses.replace(rule, decision=changes[key][0], rationale=changes[key][1])
                      if (key := (rule.relationship, rule.scope)) in changes else rule
                      for rule in policy.connection_rules)
        policy_save_draft(version=draft, actor=supervisor, policy=dataclasses.replace(policy, connection_rules=rules),
                          expected_lock_version=draft.lock_version)
