"""Print a policy version as a JSON document."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Agency
from policies.models import PolicyVersion
from policies.services import policy_export, policy_in_force


class Command(BaseCommand):
    help = "Print an agency's policy version as JSON (the version in force today unless --version is given)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        # Our --version names a policy version; it replaces Django's "print Django's version" flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agency", required=True, help="The agency's slug.")
        parser.add_argument("--version", type=int, dest="number", help="The version number to export.")

    def handle(self, *args, agency: str, number: int | None, **options) -> None:
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"No agency has the slug {agency!r}.")
        if number is None:
            # "Today" is the agency's own, as on its pages.
            version, _ = policy_in_force(found, timezone.localdate(timezone=found.zone))
            if version is None:
                raise CommandError(f"{found.name} has no policy in force; name a draft with --version N.")
        else:
            version = PolicyVersion.objects.for_agency(found).filter(number=number).first()
            if version is None:
                raise CommandError(f"{found.name} has no policy version {number}.")
        self.stdout.write(json.dumps(policy_export(version), indent=2, ensure_ascii=False))
