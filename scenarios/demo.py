"""Demo requests for `seed_demo`: a few typical situations, added once per practitioner."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import services
from .models import ContactRequest

# (client reference, days ago, local time, facts): the reference marks a demo row as already there.
DEMO_REQUESTS = [
    ("DEMO-FB1", 1, dt.time(21, 40), {
        "kind": "friend_request", "medium": "facebook", "relationship": "client_family",
        "client_status": "current", "context": "Parent of a toddler on the caseload; posts hospital updates there.",
    }),
    ("DEMO-TX2", 3, dt.time(23, 10), {
        "kind": "text_message", "medium": "work_text", "relationship": "current_client",
        "client_status": "current", "context": "Asking to move Thursday's visit.",
    }),
    ("", 6, dt.time(12, 15), {
        "kind": "connection_request", "medium": "linkedin", "relationship": "colleague",
        "context": "A peer from the neighbouring team.",
    }),
]


def seed_demo_requests(*, agency, practitioner) -> int:
    """Log the demo requests this practitioner doesn't have yet; returns how many were added."""
    existing = set(ContactRequest.objects.for_agency(agency).for_practitioner(practitioner)
                   .values_list("client_reference", "kind", "medium"))
    added = 0
    today = timezone.localdate()
    for reference, days_ago, at, facts in DEMO_REQUESTS:
        if (reference, facts["kind"], facts["medium"]) in existing:
            continue
        received = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago), at))
        services.request_log(agency=agency, practitioner=practitioner, client_reference=reference,
                             received_at=received, **facts)
        added += 1
    return added
