"""Working hours and the reply deadline: the one rule behind the guidance and the client statement.

A message inside working hours is due `response_within_hours` after it arrived. Outside them
nothing runs until work next starts (the agency doesn't watch its channels around the clock):
with `next_working_day` the reply is due during that next working day; with
`within_response_time` the response time counts from that moment.

Date arithmetic saturates instead of raising: a moment past 9999-12-31 23:59 is None, which
the texts turn into a reply with no date named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .policy import WorkingHours
from .vocabulary import AfterHours, weekday_of


@dataclass(frozen=True, slots=True)
class ReplyDeadline:
    outside_hours: bool
    after_hours: AfterHours
    response_within_hours: int
    # When the response time starts to run: the arrival inside working hours, otherwise the next
    # start of work. None when the policy has no working days or that start is past the calendar.
    counts_from: dt.datetime | None
    # The latest moment the reply is due. None for the same reasons, or when it is past the calendar.
    due: dt.datetime | None


def within_hours(at: dt.datetime, hours: WorkingHours) -> bool:
    """Inside working hours: a working day, from the start time up to (not including) the end time."""
    return weekday_of(at.date()) in hours.days and hours.start <= at.time() < hours.end


def later(at: dt.datetime, delta: dt.timedelta) -> dt.datetime | None:
    """`at + delta`, or None past the last moment a datetime can hold."""
    if dt.datetime.max - at < delta:
        return None
    return at + delta


def next_start_of_work(at: dt.datetime, hours: WorkingHours) -> dt.datetime | None:
    """When the next working period starts: later today if today is a working day not yet begun.

    None when the policy lists no working days, or when that day is past 9999-12-31.
    """
    day = at.date()
    if weekday_of(day) in hours.days and at.time() < hours.start:
        return dt.datetime.combine(day, hours.start)
    for offset in range(1, 8):
        if (dt.date.max - day).days < offset:
            return None
        candidate = day + dt.timedelta(days=offset)
        if weekday_of(candidate) in hours.days:
            return dt.datetime.combine(candidate, hours.start)
    return None


def reply_deadline(received_at: dt.datetime, hours: WorkingHours) -> ReplyDeadline:
    """When a reply to a message received at `received_at` (local wall-clock time) is due."""
    response = dt.timedelta(hours=hours.response_within_hours)
    outside = not within_hours(received_at, hours)
    counts_from = next_start_of_work(received_at, hours) if outside else received_at
    due: dt.datetime | None = None
    if counts_from is not None:
        if outside and hours.after_hours is AfterHours.NEXT_WORKING_DAY:
            due = dt.datetime.combine(counts_from.date(), hours.end)
        else:
            due = later(counts_from, response)
    return ReplyDeadline(outside, hours.after_hours, hours.response_within_hours, counts_from, due)
