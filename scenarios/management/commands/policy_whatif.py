"""Print how an agency's past requests would be judged under its draft (or a version), as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Agency
from policies.models import PolicyVersion
from scenarios import whatif


def _months(value: str) -> int:
    try:
        months = int(value)
    except ValueError:
        months = 0
    if not 1 <= months <= whatif.MAX_MONTHS:
        raise CommandError(f"--months must be a whole number from 1 to {whatif.MAX_MONTHS}, not {value!r}.")
    return months


class Command(BaseCommand):
    help = ("Compare how the agency's requests received in the last months were judged with how its draft "
            "(or --version N) would judge them, and print the counts and the changed cases as JSON. "
            "Nothing is changed.")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        # Our --version names a policy version; it replaces Django's "print Django's version" flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agency", required=True, help="The agency's slug.")
        parser.add_argument("--version", type=int, dest="number",
                            help="The version to compare (its number); the agency's draft when left out.")
        parser.add_argument("--months", default=str(whatif.DEFAULT_MONTHS),
                            help=f"How many months back from today (default {whatif.DEFAULT_MONTHS}).")

    def handle(self, *args, agency: str, number: int | None, months: str, **options) -> None:
        months_back = _months(months)
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"No agency has the slug {agency!r}.")
        versions = PolicyVersion.objects.for_agency(found)
        if number is None:
            candidate = versions.drafts().first()
            if candidate is None:
                raise CommandError(f"{found.name} has no draft to compare; start one, or name a version with "
                                   "--version N.")
        else:
            candidate = versions.filter(number=number).first()
            if candidate is None:
                raise CommandError(f"{found.name} has no policy version {number}.")
        # Periods and working hours are the agency's own, as on its pages.
        with timezone.override(found.zone):
            result = whatif.compare(candidate=candidate, months=months_back)
        self.stdout.write(json.dumps(result.to_dict()))
