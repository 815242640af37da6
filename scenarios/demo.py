"""Demo requests for `seed_demo`: a few typical situations today, and a year of closed ones, added once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import Membership

from . import services
from .models import OUTCOMES_FOR_OPTION, OUTCOMES_REVIEWED, ContactRequest

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
    profession = Membership.objects.for_agency(agency).get(user=practitioner).profession
    for reference, at, facts in DEMO_REQUESTS:
        if (reference, facts["kind"], facts.get("medium", "")) in existing:
            continue
        received = _earlier_today(at, now)
        services.request_log(agency=agency, practitioner=practitioner, client_reference=reference,
                             received_at=received, profession=profession, **facts)
        added += 1
    return added


def _earlier_today(at: dt.time, now: dt.datetime) -> dt.datetime:
    """`at` today, or a few minutes ago when `at` is still to come (never before midnight)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    wanted = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return max(midnight, min(wanted, now - dt.timedelta(minutes=5)))


# A year of requests, closed the way the guidance recommended: the draft policy seed_demo starts
# judges some of them differently, so the draft page's what-if has something to show. None of
# them needs a supervisor's review, so the review list stays as it was.
HISTORY_SHAPES = [
    {"kind": "friend_request", "medium": "facebook", "relationship": "colleague"},
    {"kind": "friend_request", "medium": "facebook", "relationship": "client_family", "client_status": "current"},
    {"kind": "connection_request", "medium": "linkedin", "relationship": "client_family",
     "client_status": "current"},
    {"kind": "follow", "medium": "instagram", "relationship": "current_client", "client_status": "current"},
    {"kind": "text_message", "medium": "work_text", "relationship": "current_client", "client_status": "current"},
]
HISTORY_DAYS = range(14, 365, 15)  # every fortnight or so, from two weeks to a year ago
HISTORY_TIME = dt.time(10, 30)


def seed_demo_history(*, agency, practitioner) -> int:
    """Log and close a year of requests for this practitioner, unless they already have older ones."""
    now = timezone.localtime()
    earliest = now - dt.timedelta(days=min(HISTORY_DAYS) - 1)
    if ContactRequest.objects.for_agency(agency).for_practitioner(practitioner).filter(
            received_at__lt=earliest).exists():
        return 0
    for number, days in enumerate(HISTORY_DAYS):
        facts = HISTORY_SHAPES[number % len(HISTORY_SHAPES)]
        received = timezone.make_aware(dt.datetime.combine(now.date() - dt.timedelta(days=days), HISTORY_TIME))
        reference = f"HIST-{number + 1:02d}" if "client_status" in facts else ""
        logged = services.request_log(agency=agency, practitioner=practitioner, client_reference=reference,
                                      received_at=received, now=received + dt.timedelta(minutes=20), **facts)
        chosen = services.request_choose_option(contact_request=logged, actor=practitioner,
                                                option=logged.recommended[0],
                                                now=received + dt.timedelta(minutes=25))
        outcome = next(outcome for outcome in OUTCOMES_FOR_OPTION[chosen.chosen_option]
                       if outcome not in OUTCOMES_REVIEWED)
        services.request_close(contact_request=chosen, actor=practitioner, outcome=outcome,
                               now=received + dt.timedelta(days=2))
    return len(HISTORY_DAYS)
