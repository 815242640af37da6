"""`python manage.py evaluate_request FILE`: the engine on one JSON document, guidance out as JSON."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from scenarios.engine import DocumentError, evaluate_document
from policies.document.reading import shown


def _local_now(value: str | None) -> dt.datetime:
    if value is None:
        return timezone.localtime().replace(tzinfo=None)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--now {value!r} is not an ISO date-time such as 2026-03-14T09:00.") from None
    if moment.tzinfo is None:
        return moment
    try:
        return timezone.localtime(moment).replace(tzinfo=None)
    except OverflowError:
        # 0001-01-01T00:00+14:00 is a real instant, but the agency's local clock can't show it.
        raise CommandError(f"--now {value!r} falls outside the calendar in local time; "
                           "give the local date-time without an offset.") from None


def _shown(file: str) -> str:
    return "standard input" if file == "-" else shown(file)


def _read(file: str, stdin: TextIO) -> str:
    path = _shown(file)
    try:
        return stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"{path}: can't read the file ({error.strerror or error}).") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: the file is not UTF-8 text.") from None
    except ValueError:
        # open() refuses a path holding a NUL character before it reaches the file system.
        raise CommandError(f"{path}: can't read the file (its name contains a NUL character).") from None


class Command(BaseCommand):
    help = ('Evaluate a request document {"policy": ..., "facts": ...} and print the guidance as JSON. '
            "Without a policy the conservative default applies.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the JSON document; - reads standard input")
        parser.add_argument("--now", help="evaluate as if it were this local date-time (ISO), for repeatable output")
        parser.add_argument("--compact", action="store_true", help="print on one line")

    def handle(self, *args, file: str, now: str | None, compact: bool, **options) -> None:
        path = _shown(file)
        text = _read(file, options.get("stdin") or sys.stdin)
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
