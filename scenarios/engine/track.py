"""Which kind of conversation a request calls for; the wording and steps depend on it."""

from __future__ import annotations

from enum import StrEnum

from .facts import Facts
from .vocabulary import (
    COLLEAGUE_RELATIONSHIPS,
    Channel,
    ClientStatus,
    Platform,
    PlatformGroup,
    Relationship,
    RequestKind,
    group_of,
)


class Track(StrEnum):
    SESSION = "session"  # someone in service: talk about it at the next session
    OUTSIDE = "outside"  # former client, their family, community member: no sessions to use
    ACCIDENTAL = "accidental"
    FOLLOW = "follow"
    MESSAGE = "message"  # texts and direct messages: accept means replying
    COLLEAGUE = "colleague"


class StatusProblem(StrEnum):
    MISSING = "missing"  # a current client with no status recorded
    CONFLICT = "conflict"  # relationship and status disagree


MESSAGE_KINDS = frozenset({RequestKind.TEXT_MESSAGE, RequestKind.DIRECT_MESSAGE})
# A work channel or a personal phone, app or inbox carries messages, not connections.
_KINDS_ON_CHANNELS = frozenset(MESSAGE_KINDS | {RequestKind.OTHER})


def is_channel_like(facts: Facts) -> bool:
    medium = facts.medium
    return isinstance(medium, Channel) or group_of(medium) is PlatformGroup.PERSONAL_CHANNELS


def is_former(facts: Facts) -> bool:
    """A former client, or the family of a client who has been discharged: cooling-off applies."""
    return facts.relationship is Relationship.FORMER_CLIENT or (
        facts.relationship is Relationship.CLIENT_FAMILY and facts.client_status is ClientStatus.DISCHARGED
    )


def track_for(facts: Facts) -> Track:
    if facts.relationship in COLLEAGUE_RELATIONSHIPS:
        return Track.COLLEAGUE
    if facts.kind in MESSAGE_KINDS or is_channel_like(facts):
        return Track.MESSAGE
    if facts.kind is RequestKind.ACCIDENTAL_CONNECTION:
        return Track.ACCIDENTAL
    if facts.kind is RequestKind.FOLLOW:
        return Track.FOLLOW
    if is_former(facts) or facts.relationship is Relationship.COMMUNITY_MEMBER:
        return Track.OUTSIDE
    return Track.SESSION


def odd_combination(facts: Facts) -> bool:
    """A kind of request that can't happen on this medium, e.g. a tag on a messaging app."""
    if facts.relationship in COLLEAGUE_RELATIONSHIPS:
        return False
    if is_channel_like(facts):
        return facts.kind not in _KINDS_ON_CHANNELS
    return isinstance(facts.medium, Platform) and facts.kind is RequestKind.TEXT_MESSAGE


def status_problem(facts: Facts) -> StatusProblem | None:
    """Why the client's status can't be trusted for this relationship, or None when it fits."""
    relationship, status = facts.relationship, facts.client_status
    if relationship is Relationship.CURRENT_CLIENT:
        if status is None:
            return StatusProblem.MISSING
        if status is ClientStatus.DISCHARGED:
            return StatusProblem.CONFLICT
    if relationship is Relationship.FORMER_CLIENT and status in (ClientStatus.CURRENT, ClientStatus.NOT_STARTED):
        return StatusProblem.CONFLICT
    return None
