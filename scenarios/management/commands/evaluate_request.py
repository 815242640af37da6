"""`python manage.py evaluate_request FILE`: the engine on one JSON document, guidance out as JSON."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from scenarios.engine import DocumentError, evaluate_document


def _local_now(value: str | None) -> dt.datetime:
    if value is None:
        return timezone.localtime().replace(tzinfo=None)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--now {value!r} is not an ISO date-time such as 2026-03-14T09:00.") from None
    return timezone.localtime(moment).replace(tzinfo=None) if moment.tzinfo else moment


class Command(BaseCommand):
    help = ('Evaluate a request document {"policy": ..., "facts": ...} and print the guidance as JSON. '
            "Without a policy the conservative default applies.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the JSON document; - reads standard input")
        parser.add_argument("--now", help="evaluate as if it were this local date-time (ISO), for repeatable output")
        parser.add_argument("--compact", action="store_true", help="print on one line")

    def handle(self, *args, file: str, now: str | None, compact: bool, **options) -> None:
        path = "standard input" if file == "-" else file
        try:
            text = (options.get("stdin") or sys.stdin).read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{path}: can't read the file ({error.strerror or error}).") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path}: the file is not UTF-8 text.") from None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}).") \
                from None
        except RecursionError:
            raise CommandError(f"{path}: the JSON nests too deeply to be a request document.") from None
        try:
            guidance = evaluate_document(document, _local_now(now))
        except DocumentError as error:
            problems = "\n".join(f"  {where}: {message}" for where, message in error.errors)
            raise CommandError(f"{path}: {error.summary.lower()}:\n{problems}") from None
        self.stdout.write(json.dumps(guidance, indent=None if compact else 2, ensure_ascii=False))
