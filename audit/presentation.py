"""The audit page's rows as plain dictionaries of what each cell shows.

A template reads a dictionary key at once, where an attribute costs a failed key lookup first; with
fifty rows of six cells, working the cells out here halved the table's rendering time (issue 14).
"""

from __future__ import annotations

from boundaries.dates import iso_moment, show_moment

from .models import AuditEvent


def rows(events: list[AuditEvent]) -> list[dict]:
    return [_row(event) for event in events]


def _row(event: AuditEvent) -> dict:
    actor = event.actor
    return {
        "sequence": event.sequence,
        "iso": iso_moment(event.occurred_at),
        "when": show_moment(event.occurred_at),
        "who": (actor.full_name or actor.email) if actor is not None else None,
        "what": event.action_label,
        "target": f"{event.target_label} {event.target_id}" if event.target_type else None,
        "url": event.target_url if event.target_type else "",
        "details": [f"{key}={value}" for key, value in event.data.items()],
    }
