"""The words of requests and guidance.

The words a policy is written in (relationships, platforms, channels, decisions, days, conduct)
belong to the policy document and are defined in policies/document/vocabulary.py; they are
re-exported here because every request and every piece of guidance speaks them too.
Dependencies run one way: the engine reads policies, policies know nothing of the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from policies.document.vocabulary import (
    CLIENT_SIDE_RELATIONSHIPS,
    COLLEAGUE_RELATIONSHIPS,
    GROUP_MEMBERS,
    WEEKDAYS,
    AccountStance,
    AfterHours,
    Channel,
    ChannelUse,
    Conduct,
    Decision,
    LabelledEnum,
    PeriodUnit,
    Platform,
    PlatformGroup,
    Relationship,
    Weekday,
    choices,
    group_of,
    weekday_of,
)

__all__ = [
    "CLIENT_SIDE_RELATIONSHIPS",
    "COLLEAGUE_RELATIONSHIPS",
    "GROUP_MEMBERS",
    "MEDIA",
    "WEEKDAYS",
    "AccountStance",
    "BEFORE_KINDS",
    "AfterHours",
    "Channel",
    "BeforeOption",
    "ChannelUse",
    "ClientStatus",
    "Conduct",
    "Decision",
    "LabelledEnum",
    "Medium",
    "Option",
    "PeriodUnit",
    "Platform",
    "PlatformGroup",
    "Relationship",
    "RequestKind",
    "Verdict",
    "Weekday",
    "choices",
    "group_of",
    "parse_medium",
    "weekday_of",
]

# Policy rules and option verdicts speak the same three words on purpose:
# a verdict is a rule's decision after the facts have been weighed.
Verdict = Decision


class RequestKind(LabelledEnum):
    FRIEND_REQUEST = "friend_request"
    FOLLOW = "follow"
    CONNECTION_REQUEST = "connection_request"
    DIRECT_MESSAGE = "direct_message"
    TEXT_MESSAGE = "text_message"
    TAG_MENTION = "tag_mention", "Tag or mention"
    ACCIDENTAL_CONNECTION = "accidental_connection", "Already connected by accident"
    OTHER = "other"
    # "Before I do it": decisions that start with the practitioner, not with a request.
    LOOK_UP_CLIENT = "look_up_client", "Look up a client online"
    POST_ABOUT_WORK = "post_about_work", "Post about work or a hard day"
    POST_PHOTO = "post_photo", "Post a photo taken at work"
    REPLY_TO_REVIEW = "reply_to_review", "Reply to an online review"


# The kinds a practitioner checks before acting; they have three options, not four. A tag or a
# check-in at the office is done by someone else and arrives, so it stays a request (four options).
BEFORE_KINDS = frozenset(
    {RequestKind.LOOK_UP_CLIENT, RequestKind.POST_ABOUT_WORK, RequestKind.POST_PHOTO, RequestKind.REPLY_TO_REVIEW}
)


class ClientStatus(LabelledEnum):
    CURRENT = "current"
    DISCHARGED = "discharged"
    NOT_STARTED = "not_started", "Not started yet"


class Option(LabelledEnum):
    ACCEPT = "accept"
    IGNORE = "ignore"
    DISCUSS = "discuss"
    DECLINE = "decline"


class BeforeOption(LabelledEnum):
    """The three options of a "Before I do it" check."""

    PROCEED = "proceed", "Go ahead"
    HOLD_OFF = "hold_off", "Hold off"
    ASK_SUPERVISOR = "ask_supervisor", "Ask your supervisor first"


Medium = Platform | Channel

# Every value a request's "platform" may take: the networks and personal channels, then the work channels.
MEDIA: Mapping[str, Medium] = MappingProxyType({**{p.value: p for p in Platform}, **{c.value: c for c in Channel}})


def parse_medium(value: str) -> Medium:
    """A request arrives on a network or personal channel (Platform) or a work channel (Channel).

    Raises ValueError for anything else.
    """
    try:
        return MEDIA[value]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown platform or channel {value!r}") from None
