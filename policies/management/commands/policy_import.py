"""Create a draft policy version from a JSON document."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Agency
from policies.services import policy_import
from scenarios.engine.errors import PolicyDocumentError


class Command(BaseCommand):
    help = "Import a policy document as a new draft (never published). A bad document writes nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agency", required=True, help="The agency's slug.")
        parser.add_argument("file", type=Path, help="The JSON document to import.")

    def handle(self, *args, agency: str, file: Path, **options) -> None:
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"No agency has the slug {agency!r}.")
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Can't read {file}: {error.strerror}.") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{file} is not valid JSON: {error}.") from None
        except RecursionError:
            raise CommandError(f"{file} nests too deeply to be a policy document.") from None
        try:
            version = policy_import(agency=found, document=document, actor=None)
        except PolicyDocumentError as error:
            lines = "\n".join(f"  {path}: {message}" for path, message in error.errors)
            raise CommandError(f"{file} was not imported; nothing was written. Problems:\n{lines}") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported as draft version {version.number} of {found.name}."))
