"""Django's date format strings, read once per format and language instead of once per date.

`django.utils.formats.date_format` splits the format string with a regular expression and looks up
each translated month or weekday name through the active translation for every date it writes:
some 40 to 90 microseconds a date on this machine, so 4 ms of an audit page's fifty rows (issue 14).
`writer(format, language)` does the splitting and the name lookups once and returns a function of
the date; characters it has no fast form for are handed to Django's own formatter, one at a time.
boundaries/tests/test_date_writer.py holds its output equal to Django's for every character it knows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache

from django.utils import dateformat, translation
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_ALT, MONTHS_AP, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext

Piece = Callable[[dt.date], str]


def _names(table: dict) -> dict[int, str]:
    return {number: str(name) for number, name in table.items()}


def _pieces(language: str) -> dict[str, Piece]:
    """The fast form of each format character, with the language's names already translated."""
    months, months_3, months_alt, months_ap = _names(MONTHS), _names(MONTHS_3), _names(MONTHS_ALT), _names(MONTHS_AP)
    weekdays, weekdays_abbr = _names(WEEKDAYS), _names(WEEKDAYS_ABBR)
    months_3_title = {number: name.title() for number, name in months_3.items()}
    am, pm, a_m, p_m = gettext("AM"), gettext("PM"), gettext("a.m."), gettext("p.m.")
    return {
        "d": lambda value: f"{value.day:02d}",
        "j": lambda value: str(value.day),
        "D": lambda value: weekdays_abbr[value.weekday()],
        "l": lambda value: weekdays[value.weekday()],
        "m": lambda value: f"{value.month:02d}",
        "n": lambda value: str(value.month),
        "M": lambda value: months_3_title[value.month],
        "b": lambda value: months_3[value.month],
        "F": lambda value: months[value.month],
        "E": lambda value: months_alt[value.month],
        "N": lambda value: months_ap[value.month],
        "Y": lambda value: f"{value.year:04d}",
        "y": lambda value: f"{value.year % 100:02d}",
        "H": lambda value: f"{value.hour:02d}",
        "G": lambda value: str(value.hour),
        "i": lambda value: f"{value.minute:02d}",
        "s": lambda value: f"{value.second:02d}",
        "A": lambda value: pm if value.hour > 11 else am,
        "a": lambda value: p_m if value.hour > 11 else a_m,
    }


@lru_cache(maxsize=64)
def writer(format_string: str, language: str | None) -> Callable[[dt.date], str]:
    """A function writing a date or datetime as `dateformat.format(value, format_string)` does in
    `language` (the caller passes the active one, so the cache never mixes languages)."""
    with translation.override(language):
        fast = _pieces(language)
    parts: list[str | Piece] = []
    for index, piece in enumerate(dateformat.re_formatchars.split(format_string)):
        if index % 2:  # a format character
            parts.append(fast.get(piece) or _django(piece, language))
        elif piece:
            parts.append(dateformat.re_escaped.sub(r"\1", piece))

    def write(value: dt.date) -> str:
        return "".join(part if type(part) is str else part(value) for part in parts)

    return write


def _django(character: str, language: str | None) -> Piece:
    def piece(value: dt.date) -> str:
        with translation.override(language):
            return dateformat.format(value, character)

    return piece
