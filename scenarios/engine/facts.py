"""What the practitioner tells us about one request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .vocabulary import ClientStatus, Medium, Relationship, RequestKind


@dataclass(frozen=True, slots=True)
class Facts:
    kind: RequestKind
    medium: Medium
    relationship: Relationship
    client_status: ClientStatus | None
    discharged_on: dt.date | None
    # Naive wall-clock time at the agency: working hours are local, so no time zone applies.
    received_at: dt.datetime
    small_community: bool = False
    context: str = ""
