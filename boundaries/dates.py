"""Dates as the product shows and checks them, in one place.

Every page shows a day as `DATE_FORMAT` and a moment as `DATETIME_FORMAT` of the active locale
(boundaries/formats/<locale>/formats.py), in the agency's time zone: the `day` and `moment`
filters (boundaries/templatetags/dates.py) and these functions are the only way a date is written out.
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone, translation

from .date_writer import writer

# The same words wherever a range of dates is chosen (the review list, the audit trail).
REVERSED_RANGE = "The end date is before the start date."


def show_day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return writer(formats.get_format("DATE_FORMAT"), translation.get_language())(value)


def show_moment(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return writer(formats.get_format("DATETIME_FORMAT"), translation.get_language())(value)


def iso_moment(value: dt.datetime | None) -> str:
    """The moment for a `<time datetime>` attribute: ISO 8601 in the agency's time, as `|date:"c"`
    gives, without parsing a format string for every row of a list."""
    if value is None:
        return ""
    return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat()


def show_time(value: dt.datetime | dt.time) -> str:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.time_format(value, "TIME_FORMAT")
