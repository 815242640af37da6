"""Demo requests for `seed_demo`: a few typical situations, added once per practitioner."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import services
from .models import ContactRequest

# (client reference, local time today, facts): the reference marks a demo row as already there.
# They arrive today, so the policy seed_demo publishes today is the one that decides them.
DEMO_REQUESTS = [
    ("DEMO-FB1", dt.time(7, 40), {
        "kind": "friend_request", "medium": "facebook", "relationship": "client_family",
        "client_status": "current", "context": "Parent of a toddler on the caseload; posts hospital updates there.",
    }),
    ("DEMO-TX2", dt.time(7, 5), {
        "kind": "text_message", "medium": "work_text", "relationship": "current_client",
        "client_status": "current", "context": "Asking to move Thursday's visit.",
    }),
    ("", dt.time(12, 15), {
        "kind": "connection_request", "medium": "linkedin", "relationship": "colleague",
        "context": "A peer from the neighbouring team.",
    }),
    # "Before I do it": a check on something the practitioner is about to do, with three options.
    ("", dt.time(12, 40), {
        "kind": "post_photo", "medium": "instagram", "written_consent": False,
        "context": "Group photo from the playgroup picnic.",
    }),
]


def seed_demo_requests(*, agency, practitioner) -> int:
    """Log the demo requests this practitioner doesn't have yet; returns how many were added."""
    existing = set(ContactRequest.objects.for_agency(agency).for_practitioner(practitioner)
                   .values_list("client_reference", "kind", "medium"))
    added = 0
    now = timezone.localtime()
    for reference, at, facts in DEMO_REQUESTS:
        if (reference, facts["kind"], facts.get("medium", "")) in existing:
            continue
        received = _earlier_today(at, now)
        services.request_log(agency=agency, practitioner=practitioner, client_reference=reference,
                             received_at=received, **facts)
        added += 1
    return added


def _earlier_today(at: dt.time, now: dt.datetime) -> dt.datetime:
    """`at` today, or a few minutes ago when `at` is still to come (never before midnight)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    wanted = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return max(midnight, min(wanted, now - dt.timedelta(minutes=5)))
