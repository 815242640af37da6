from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Agency
from audit.checkpoints import checkpoints_check, checkpoints_read
from audit.verify import ChainReport, verify_agencies


class Command(BaseCommand):
    help = ("Recompute every agency's audit hash chain (or one agency's) and report the first break; "
            "with --checkpoint, also check that the chains still contain every checkpoint in FILE.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agency", metavar="SLUG", help="check only this agency")
        parser.add_argument("--chunk-size", type=int, default=2000, help="rows fetched at a time")
        parser.add_argument("--checkpoint", metavar="FILE", type=Path,
                            help="a file of checkpoints (audit_checkpoint's lines), or an audit export")

    def handle(self, *args, agency: str | None = None, chunk_size: int = 2000, checkpoint: Path | None = None,
               **options) -> None:
        agencies = Agency.objects.order_by("pk")
        if agency is not None:
            agencies = agencies.filter(slug=agency)
            if not agencies.exists():
                raise CommandError(f"No agency has the slug {agency!r}.", returncode=2)
        checkpoint_problems = self._checkpoints(checkpoint, agency) if checkpoint is not None else []
        report = verify_agencies(agencies.iterator(), chunk_size=chunk_size)
        problems = [f"Audit chain broken at {report.broken}. {report.checked} events checked before the break."
                    ] if report.broken is not None else []
        problems += checkpoint_problems
        if problems:
            raise CommandError("\n".join(problems), returncode=1)
        self.stdout.write(self._summary(report))

    def _summary(self, report: ChainReport) -> str:
        notes = []
        if report.unkeyed:
            notes.append(f"{report.unkeyed} of them from before the chain was keyed, checked with plain SHA-256")
        notes += [f"{slug}'s chain starts after sequence {through}, purged" for slug, through in report.purged]
        extra = f" ({'; '.join(notes)})" if notes else ""
        return f"{report.checked} events checked: every chain is intact{extra}."

    def _checkpoints(self, path: Path, agency: str | None) -> list[str]:
        try:
            checkpoints, problems = checkpoints_read(path)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Can't read the checkpoints in {path}: "
                               f"{getattr(error, 'strerror', None) or error}.", returncode=2) from None
        problems = [f"Checkpoint file {path}, {problem}." for problem in problems]
        if agency is not None:
            checkpoints = [c for c in checkpoints if c.agency == agency]
        for found, problem in checkpoints_check(checkpoints):
            if problem is None:
                self.stdout.write(f"The chain still contains the {found} (line {found.line}).")
            else:
                problems.append(f"The chain no longer contains the {found} (line {found.line} of {path}): {problem}.")
        return problems
