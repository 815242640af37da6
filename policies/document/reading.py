"""Small checked readers for JSON-like documents that collect every error instead of stopping.

Each reader returns the parsed value, or None after recording a (path, message) pair.
Every JSON document the product accepts (a policy document, the facts of a request) passes
through this Reader, so it is the one place that refuses text no database or terminal can
hold: NUL characters and lone surrogates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")
E = TypeVar("E", bound=Enum)

ROOT = "(document)"


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


# Stands in for a required key that is absent: its "required" error is already recorded,
# so every reader skips it quietly instead of adding a second, confusing error.
MISSING: Any = _Missing()
_CLOCK = re.compile(r"\d{2}:\d{2}")


NUL_MESSAGE = "This text contains a NUL character (\\x00), which can't be saved; remove it and try again."
UNICODE_MESSAGE = "This text contains a character that isn't valid Unicode, which can't be saved; remove it."


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def shown(key: str) -> str:
    """A key as it may appear in an error path: control characters and lone surrogates escaped."""
    return key if key.isprintable() else repr(key)[1:-1]


def text_problem(value: str) -> str | None:
    """Why a string can't be stored or printed, or None when it can."""
    if "\x00" in value:
        return NUL_MESSAGE
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return UNICODE_MESSAGE
    return None


def item(path: str, index: int) -> str:
    return f"{path}[{index}]"


def values_of(enum_cls: type[E]) -> dict[str, E]:
    return {member.value: member for member in enum_cls}


class Reader:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append((path or ROOT, message))

    def fields(
        self,
        value: object,
        path: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> Mapping[str, Any] | None:
        """An object with exactly the known keys; unknown keys and missing required keys are errors."""
        if value is MISSING:
            return None
        if not isinstance(value, dict):
            self.fail(path, f"Expected an object with the fields: {', '.join(required + optional)}.")
            return None
        known = required + optional
        for key in value:
            if key not in known:
                self.fail(join(path, shown(str(key))), f"Unknown field; the fields here are: {', '.join(known)}.")
        present = dict(value)
        for key in required:
            if key not in value:
                self.fail(join(path, key), "This field is required.")
                present[key] = MISSING
        return present

    def array(self, value: object, path: str) -> list[Any] | None:
        if value is MISSING:
            return None
        if not isinstance(value, list):
            self.fail(path, "Expected a list.")
            return None
        return value

    def string(self, value: object, path: str, *, max_length: int, non_blank: bool = False) -> str | None:
        if value is MISSING:
            return None
        if not isinstance(value, str):
            self.fail(path, "Expected a text string.")
            return None
        problem = text_problem(value)
        if problem is not None:
            self.fail(path, problem)
            return None
        if non_blank and not value.strip():
            self.fail(path, "This must not be empty.")
            return None
        if len(value) > max_length:
            self.fail(path, f"This text is {len(value)} characters long; the limit is {max_length}.")
            return None
        return value

    def boolean(self, value: object, path: str) -> bool | None:
        if value is MISSING:
            return None
        if not isinstance(value, bool):
            self.fail(path, "Expected true or false.")
            return None
        return value

    def integer(self, value: object, path: str, *, minimum: int, maximum: int, unit: str = "") -> int | None:
        if value is MISSING:
            return None
        # bool is an int subclass in Python, but `true` is never a sensible number here.
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(path, "Expected a whole number.")
            return None
        if not minimum <= value <= maximum:
            suffix = f" {unit}" if unit else ""
            self.fail(path, f"Use a whole number from {minimum} to {maximum}{suffix}.")
            return None
        return value

    def choice(self, value: object, path: str, allowed: Mapping[str, T]) -> T | None:
        if value is MISSING:
            return None
        if isinstance(value, str) and value in allowed:
            return allowed[value]
        listed = ", ".join(allowed)
        if isinstance(value, str):
            self.fail(path, f"Unknown value {value!r}; use one of: {listed}.")
        else:
            self.fail(path, f"Expected a text value; use one of: {listed}.")
        return None

    def clock(self, value: object, path: str) -> dt.time | None:
        if value is MISSING:
            return None
        if isinstance(value, str) and _CLOCK.fullmatch(value):
            try:
                return dt.time.fromisoformat(value)
            except ValueError:
                pass
        self.fail(path, "Use a 24-hour time such as 08:30.")
        return None

    def date(self, value: object, path: str) -> dt.date | None:
        if value is MISSING:
            return None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(path, "Use an ISO date such as 2026-03-14.")
        return None

    def local_datetime(self, value: object, path: str) -> dt.datetime | None:
        """A naive wall-clock date-time; an offset is refused because the agency's local time is meant."""
        if value is MISSING:
            return None
        if isinstance(value, str) and "T" in value:
            try:
                parsed = dt.datetime.fromisoformat(value)
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                return parsed
            if parsed is not None:
                self.fail(path, "Give the agency's local time without a time-zone offset, such as 2026-03-14T23:05.")
                return None
        self.fail(path, "Use an ISO date-time such as 2026-03-14T23:05.")
        return None
