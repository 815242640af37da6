"""What the practitioner tells us about one request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .vocabulary import ClientStatus, Medium, Relationship, RequestKind


@dataclass(frozen=True, slots=True)
class Facts:
    kind: RequestKind
    # Both are always given for a request that arrived; a "Before I do it" check (BEFORE_KINDS) may
    # leave out the platform, and the person it concerns when it concerns no one in particular.
    medium: Medium | None
    relationship: Relationship | None
    client_status: ClientStatus | None
    discharged_on: dt.date | None
    # Naive wall-clock time at the agency: working hours are local, so no time zone applies.
    received_at: dt.datetime
    small_community: bool = False
    context: str = ""
    # "Before I do it" only: looking a client up for their safety; written consent for a photo.
    safety_concern: bool = False
    written_consent: bool = False
