"""The words a policy document is written in: relationships, platforms, channels, decisions, days.

Every enum value is the snake_case string stored in documents and database rows; every member
also carries a human `label` for forms and pages. The engine speaks these words too and adds its
own for requests (scenarios/engine/vocabulary.py); they are defined here so that the policy,
which the engine reads, depends on nothing of the engine's.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class LabelledEnum(StrEnum):
    """A StrEnum whose members are declared as `NAME = "value"` or `NAME = "value", "Label"`.

    Without an explicit label the value is humanised ("work_email" -> "Work email").
    """

    label: str

    def __new__(cls, value: str, label: str | None = None) -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value.replace("_", " ").capitalize()
        return member


def choices(enum_cls: type[LabelledEnum]) -> tuple[tuple[str, str], ...]:
    """(value, label) pairs in declaration order, the shape Django choices expect."""
    return tuple((member.value, member.label) for member in enum_cls)


class Relationship(LabelledEnum):
    CURRENT_CLIENT = "current_client"
    CLIENT_FAMILY = "client_family", "Client's family member"
    FORMER_CLIENT = "former_client"
    COLLEAGUE = "colleague", "Colleague (peer)"
    OWN_SUPERVISOR = "own_supervisor"
    OWN_SUPERVISEE = "own_supervisee", "Own supervisee or student"
    COMMUNITY_MEMBER = "community_member", "Community member met through work"


COLLEAGUE_RELATIONSHIPS = frozenset(
    {Relationship.COLLEAGUE, Relationship.OWN_SUPERVISOR, Relationship.OWN_SUPERVISEE}
)
# The people on the client side of the work: the ones work channels and the client statement are for.
CLIENT_SIDE_RELATIONSHIPS: tuple[Relationship, ...] = tuple(
    relationship for relationship in Relationship if relationship not in COLLEAGUE_RELATIONSHIPS
)


class Platform(LabelledEnum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    X = "x", "X (Twitter)"
    TIKTOK = "tiktok", "TikTok"
    SNAPCHAT = "snapchat"
    LINKEDIN = "linkedin", "LinkedIn"
    OTHER_PERSONAL = "other_personal", "Other personal network"
    OTHER_PROFESSIONAL = "other_professional", "Other professional network"
    WHATSAPP = "whatsapp", "WhatsApp"
    MESSAGING_APPS = "messaging_apps", "Other messaging apps"
    PERSONAL_PHONE = "personal_phone", "Personal phone and text"
    PERSONAL_EMAIL = "personal_email"


class PlatformGroup(LabelledEnum):
    PERSONAL_NETWORKS = "personal_networks"
    PROFESSIONAL_NETWORKS = "professional_networks"
    PERSONAL_CHANNELS = "personal_channels"


GROUP_MEMBERS: dict[PlatformGroup, tuple[Platform, ...]] = {
    PlatformGroup.PERSONAL_NETWORKS: (
        Platform.FACEBOOK,
        Platform.INSTAGRAM,
        Platform.X,
        Platform.TIKTOK,
        Platform.SNAPCHAT,
        Platform.OTHER_PERSONAL,
    ),
    PlatformGroup.PROFESSIONAL_NETWORKS: (Platform.LINKEDIN, Platform.OTHER_PROFESSIONAL),
    PlatformGroup.PERSONAL_CHANNELS: (
        Platform.WHATSAPP,
        Platform.MESSAGING_APPS,
        Platform.PERSONAL_PHONE,
        Platform.PERSONAL_EMAIL,
    ),
}

_GROUP_OF: dict[Platform, PlatformGroup] = {
    platform: group for group, members in GROUP_MEMBERS.items() for platform in members
}


def group_of(platform: Platform) -> PlatformGroup:
    return _GROUP_OF[platform]


class Channel(LabelledEnum):
    """Contact channels the agency provides for client work."""

    WORK_PHONE = "work_phone", "Work phone calls"
    WORK_TEXT = "work_text", "Work mobile texts"
    WORK_EMAIL = "work_email"
    AGENCY_PORTAL = "agency_portal"
    VIDEO = "video", "Video platform"


class ChannelUse(LabelledEnum):
    SCHEDULING = "scheduling", "Scheduling and reminders"
    ENCOURAGEMENT = "encouragement", "A word of encouragement"
    INFORMATION = "information", "Sharing information and resources"
    SESSIONS = "sessions", "Sessions and check-ins"


class Decision(LabelledEnum):
    ALLOWED = "allowed"
    NEEDS_APPROVAL = "needs_approval", "Needs supervisor approval"
    NOT_ALLOWED = "not_allowed"


class PeriodUnit(LabelledEnum):
    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"


class Weekday(LabelledEnum):
    """Declared Monday first so that `WEEKDAYS[date.weekday()]` is the date's weekday."""

    MON = "mon", "Monday"
    TUE = "tue", "Tuesday"
    WED = "wed", "Wednesday"
    THU = "thu", "Thursday"
    FRI = "fri", "Friday"
    SAT = "sat", "Saturday"
    SUN = "sun", "Sunday"


WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)


def weekday_of(day: dt.date) -> Weekday:
    return WEEKDAYS[day.weekday()]


class AfterHours(LabelledEnum):
    NEXT_WORKING_DAY = "next_working_day", "Reply on the next working day"
    WITHIN_RESPONSE_TIME = "within_response_time", "Reply within the response time"


class Conduct(LabelledEnum):
    """What the agency expects of staff online, whatever request arrives (each is on or off in a policy)."""

    PRIVATE_PERSONAL_ACCOUNTS = "private_personal_accounts", "Personal accounts kept private"
    PROFESSIONAL_ACCOUNTS = "professional_accounts", "Separate professional accounts"
    NO_POSTS_ABOUT_WORK = "no_posts_about_work", "No posts about work, clients or a hard day at work"
    CLIENT_PHOTOS_WITH_CONSENT = "client_photos_with_consent", "Photos of clients only with written consent"
    NO_SEARCHING_FOR_CLIENTS = "no_searching_for_clients", "No searching for clients online"
    ONLINE_REVIEWS = "online_reviews", "Answering a client's online review"


class AccountStance(LabelledEnum):
    """Whether staff keep a professional account apart from their personal one."""

    ALLOWED = "allowed", "Allowed"
    EXPECTED = "expected", "Expected"
    NOT_USED = "not_used", "Not used"
