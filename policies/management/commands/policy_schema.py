"""Write docs/policy.schema.json from the policy document's one definition, or check that it is up to date."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from policies.document import json_schema

SCHEMA_FILE = Path(settings.BASE_DIR) / "docs" / "policy.schema.json"


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the policy document's JSON Schema to docs/policy.schema.json (--check: only compare)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="Fail if the file differs from the definition.")

    def handle(self, *args, check: bool, **options) -> None:
        wanted = schema_text()
        if check:
            current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
            if current != wanted:
                raise CommandError(f"{SCHEMA_FILE.name} is out of date: run `python manage.py policy_schema`.")
            self.stdout.write(f"{SCHEMA_FILE.name} is up to date.")
            return
        SCHEMA_FILE.write_text(wanted, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {SCHEMA_FILE}."))
