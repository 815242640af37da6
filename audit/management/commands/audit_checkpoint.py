from django.core.management.base import BaseCommand, CommandError

from accounts.models import Agency
from audit.checkpoints import checkpoint_line, checkpoint_take


class Command(BaseCommand):
    help = ("Print a signed checkpoint of one agency's audit chain (or of every agency's) as one JSON line "
            "each, to keep outside the database. `audit_verify --checkpoint FILE` checks them later.")

    def add_arguments(self, parser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--agency", metavar="SLUG")
        group.add_argument("--all", action="store_true", help="one line for every agency")

    def handle(self, *args, agency: str | None = None, all: bool = False, **options) -> None:
        agencies = Agency.objects.order_by("pk")
        if agency is not None:
            agencies = agencies.filter(slug=agency)
            if not agencies.exists():
                raise CommandError(f"No agency has the slug {agency!r}.", returncode=2)
        for found in agencies:
            self.stdout.write(checkpoint_line(checkpoint_take(agency=found)))
