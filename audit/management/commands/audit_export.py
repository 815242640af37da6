from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Agency
from audit import exports
from audit.filters import within_days
from audit.models import AuditEvent


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date written YYYY-MM-DD, not {value!r}.", returncode=2) from None


class Command(BaseCommand):
    help = ("Write one agency's audit trail as CSV or JSON Lines, ending with a signed checkpoint of the chain head. "
            "The export is itself recorded on the trail.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agency", metavar="SLUG", required=True)
        parser.add_argument("--format", choices=sorted(exports.FORMATS), required=True)
        parser.add_argument("--since", metavar="DATE", help="first day to include, YYYY-MM-DD (agency local time)")
        parser.add_argument("--until", metavar="DATE", help="last day to include, YYYY-MM-DD (agency local time)")
        parser.add_argument("--output", metavar="FILE", help="write here instead of standard output")

    def handle(self, *args, agency: str, format: str, since=None, until=None, output=None, **options) -> None:
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"No agency has the slug {agency!r}.", returncode=2)
        since, until = _day(since, "--since"), _day(until, "--until")
        if since and until and until < since:
            raise CommandError("--until is before --since.", returncode=2)
        codes = {key: day.isoformat() for key, day in (("since", since), ("until", until)) if day}
        try:
            # Opened before the export is recorded, so a bad path records nothing.
            stream = open(output, "w", encoding="utf-8", newline="") if output else None
        except OSError as error:
            raise CommandError(f"Can't write to {output}: {error.strerror}.", returncode=2) from None
        queryset, checkpoint = exports.export_begin(
            agency=found, actor=None, fmt=format, codes=codes, via="cli",
            queryset=self._within(found, since, until),
        )
        write = stream.write if stream else lambda chunk: self.stdout.write(chunk, ending="")
        try:
            for chunk in exports.chunks(format, queryset, checkpoint):
                write(chunk)
        finally:
            if stream:
                stream.close()
        if output:
            self.stderr.write(f"Wrote the audit trail of {found.slug} up to sequence {checkpoint.sequence} to {output}.")

    @staticmethod
    def _within(agency: Agency, since: date | None, until: date | None):
        # The days are the agency's local days, as on its audit page.
        with timezone.override(agency.zone):
            return within_days(AuditEvent.objects.filter(agency=agency), since, until)
