"""What the practitioner tells us about one request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .vocabulary import ClientStatus, LabelledEnum, Medium, Relationship, RequestKind


# The practitioner's profession decides whose code the guidance cites first (professions.py).
class Profession(LabelledEnum):
    SOCIAL_WORKER = "social_worker"
    COUNSELOR = "counselor", "Counsellor"
    MARRIAGE_FAMILY_THERAPIST = "marriage_family_therapist", "Marriage and family therapist"
    PSYCHOLOGIST = "psychologist"
    NURSE = "nurse"
    OCCUPATIONAL_THERAPIST = "occupational_therapist"
    SPEECH_LANGUAGE_PATHOLOGIST = "speech_language_pathologist", "Speech-language pathologist"
    PHYSICAL_THERAPIST = "physical_therapist"
    EARLY_INTERVENTION_PROVIDER = "early_intervention_provider", "Early-intervention provider"
    OTHER = "other"


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
    # None: not recorded (requests logged before professions were); the general references apply.
    profession: Profession | None = None
    # "Before I do it" only: looking a client up for their safety; written consent for a photo.
    safety_concern: bool = False
    written_consent: bool = False
