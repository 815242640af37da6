"""A person's follow-ups as an iCalendar feed (RFC 5545), written by hand: a few all-day events.

Each event names the request by its number and the step that falls due, and links to the
request; it never carries a client reference, the context or anything the practitioner wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings

from .services import request_link

MEETING_STEPS = ("next_session_date", "next_contact_date")
FOLLOW_UP = "Come back to it, as the guidance says"


def follow_up_step(contact_request) -> str:
    """The title of the step due on the request's follow-up day (its meeting step, else the guidance's)."""
    titles = {step["key"]: step["title"] for step in contact_request.steps_of_choice()}
    for record in contact_request.steps.all():
        if record.step_key in MEETING_STEPS and record.date == contact_request.follow_up_on:
            return titles.get(record.step_key, FOLLOW_UP)
    return FOLLOW_UP


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next with a leading space (RFC 5545, 3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _day(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def feed_text(requests: Iterable, *, now: dt.datetime) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "boundaries"
    stamp = now.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Boundaries//Follow-ups//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "X-WR-CALNAME:Boundaries follow-ups"]
    for contact_request in requests:
        day = contact_request.follow_up_on
        lines += [
            "BEGIN:VEVENT",
            f"UID:request-{contact_request.pk}-follow-up@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_day(day)}",
            f"DTEND;VALUE=DATE:{_day(day + dt.timedelta(days=1))}",
            f"SUMMARY:{_escape(f'Request {contact_request.pk}: {follow_up_step(contact_request)}')}",
            f"URL:{request_link(contact_request)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
