"""Create a draft policy version from a JSON document."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Agency
from policies.services import policy_import
from policies.document.errors import PolicyDocumentError
from policies.document.reading import shown, text_problem


def _read_document(file: Path) -> object:
    name = shown(str(file))
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"Can't read {name}: {error.strerror}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{name} is not valid JSON: {error}.") from None
    except RecursionError:
        raise CommandError(f"{name} nests too deeply to be a policy document.") from None
    except ValueError:
        # open() refuses a path holding a NUL character before it reaches the file system.
        raise CommandError(f"Can't read {name}: its name contains a NUL character.") from None


class Command(BaseCommand):
    help = "Import a policy document as a new draft (never published). A bad document writes nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agency", required=True, help="The agency's slug.")
        parser.add_argument("file", type=Path, help="The JSON document to import.")

    def handle(self, *args, agency: str, file: Path, **options) -> None:
        # PostgreSQL can't even compare a text holding NUL (or a lone surrogate): such a slug matches no agency.
        found = None if text_problem(agency) else Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"No agency has the slug {agency!r}.")
        document = _read_document(file)
        try:
            version = policy_import(agency=found, document=document, actor=None)
        except PolicyDocumentError as error:
            lines = "\n".join(f"  {path}: {message}" for path, message in error.errors)
            raise CommandError(f"{shown(str(file))} was not imported; nothing was written. Problems:\n{lines}") \
                from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported as draft version {version.number} of {found.name}."))
