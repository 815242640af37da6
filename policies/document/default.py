"""The conservative default: what the guidance follows while an agency has no policy published.

Its building blocks (the rules for clients, colleagues and supervision, office hours, work
channels) are shared with the starter templates (templates.py).
"""

from __future__ import annotations

import datetime as dt

from .policy import (
    ChannelRule,
    ConnectionRule,
    Exceptions,
    Expectation,
    Policy,
    Procedures,
    Scope,
    WorkingHours,
)
from .vocabulary import (
    AccountStance,
    AfterHours,
    Channel,
    ChannelUse,
    Conduct,
    Decision,
    PlatformGroup,
    Relationship,
    Weekday,
)

_ALL_GROUPS = tuple(PlatformGroup)
WEEKDAYS_MON_FRI = (Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI)


def rules_for(relationship: Relationship, *entries: tuple[Scope, Decision, str]) -> tuple[ConnectionRule, ...]:
    return tuple(ConnectionRule(relationship, scope, decision, rationale) for scope, decision, rationale in entries)


def everywhere(relationship: Relationship, decision: Decision, rationale: str) -> tuple[ConnectionRule, ...]:
    return rules_for(relationship, *((group, decision, rationale) for group in _ALL_GROUPS))


_NO_CURRENT_CLIENTS = (
    "A personal connection with someone you serve mixes a private relationship into the "
    "professional one and lets each of you see more of the other's life than the work needs "
    "(NASW 1.06(c), 1.06(h); ACA A.5.e)."
)
_NO_FAMILIES = (
    "Family members are part of the work with the client, so a personal connection with them "
    "blurs the same line as a connection with the client (NASW 1.06(c), 1.06(h))."
)
_NO_FORMER_CLIENTS = (
    "The difference in power does not end at discharge and the family may come back for "
    "services, so former clients stay off personal accounts (NASW 1.06(c), 1.06(h))."
)
ASK_ABOUT_COMMUNITY = (
    "People met through work often know your clients; a supervisor can help weigh what a "
    "connection would reveal."
)
_PEERS_ARE_PERSONAL = (
    "Connecting with a peer is a personal choice; keep clients and agency business out of it."
)
_ASK_ACROSS_SUPERVISION = (
    "Supervision carries power over evaluations and careers, so a personal connection across it "
    "needs a supervisor's view first (NASW 3.01(c), 3.02(d))."
)
_PROFESSIONAL_LINK_IS_FINE = (
    "A professional-network link with your supervisor or supervisee is part of ordinary working life."
)

SUPERVISION_RULES = tuple(
    rule
    for relationship in (Relationship.OWN_SUPERVISOR, Relationship.OWN_SUPERVISEE)
    for rule in rules_for(
        relationship,
        (PlatformGroup.PERSONAL_NETWORKS, Decision.NEEDS_APPROVAL, _ASK_ACROSS_SUPERVISION),
        (PlatformGroup.PROFESSIONAL_NETWORKS, Decision.ALLOWED, _PROFESSIONAL_LINK_IS_FINE),
        (PlatformGroup.PERSONAL_CHANNELS, Decision.NEEDS_APPROVAL, _ASK_ACROSS_SUPERVISION),
    )
)
COLLEAGUE_RULES = everywhere(Relationship.COLLEAGUE, Decision.ALLOWED, _PEERS_ARE_PERSONAL)
CLIENT_RULES = everywhere(Relationship.CURRENT_CLIENT, Decision.NOT_ALLOWED, _NO_CURRENT_CLIENTS) + everywhere(
    Relationship.CLIENT_FAMILY, Decision.NOT_ALLOWED, _NO_FAMILIES
)

OFFICE_HOURS = WorkingHours(WEEKDAYS_MON_FRI, dt.time(9, 0), dt.time(17, 0), 24, AfterHours.NEXT_WORKING_DAY)


def work_channels(uses: tuple[ChannelUse, ...], *, texts: bool = True, video: bool = False) -> tuple[ChannelRule, ...]:
    return (
        ChannelRule(Channel.WORK_PHONE, True, uses),
        ChannelRule(Channel.WORK_TEXT, texts, uses if texts else ()),
        ChannelRule(Channel.WORK_EMAIL, True, uses),
        ChannelRule(Channel.AGENCY_PORTAL, True, uses),
        ChannelRule(Channel.VIDEO, video, (ChannelUse.SESSIONS,) if video else ()),
    )


# Good practice in the sources: personal accounts private, no posts about the work, photos only with
# written consent, no searching for clients, reviews answered without confirming anyone is a client.
# Separate professional accounts are a choice each agency makes, so the default leaves them unstated.
GOOD_PRACTICE_CONDUCT = (
    Expectation(Conduct.PRIVATE_PERSONAL_ACCOUNTS, on=True),
    Expectation(Conduct.PROFESSIONAL_ACCOUNTS, on=False, stance=AccountStance.ALLOWED),
    Expectation(Conduct.NO_POSTS_ABOUT_WORK, on=True),
    Expectation(Conduct.CLIENT_PHOTOS_WITH_CONSENT, on=True),
    Expectation(Conduct.NO_SEARCHING_FOR_CLIENTS, on=True),
    Expectation(Conduct.ONLINE_REVIEWS, on=True),
)


DEFAULT_POLICY = Policy(
    title="Conservative default (no agency policy published)",
    connection_rules=(
        CLIENT_RULES
        + everywhere(Relationship.FORMER_CLIENT, Decision.NOT_ALLOWED, _NO_FORMER_CLIENTS)
        + COLLEAGUE_RULES
        + SUPERVISION_RULES
        + everywhere(Relationship.COMMUNITY_MEMBER, Decision.NEEDS_APPROVAL, ASK_ABOUT_COMMUNITY)
    ),
    # None here means "never": the default keeps former clients off personal accounts for good.
    cooling_off_after_discharge=None,
    cooling_off_after_leaving=None,
    channels=work_channels((ChannelUse.SCHEDULING,)),
    working_hours=OFFICE_HOURS,
    exceptions=Exceptions(
        small_community_guidance=(
            "Where a connection can't be avoided, tell your supervisor about it, keep what you "
            "post general, and never mention the work."
        ),
        accidental_connection_guidance=(
            "If you connected before realising who it was, don't interact on the platform; talk "
            "with the person at your next contact, then remove the connection."
        ),
        public_account_guidance=(
            "Anyone can follow a public account: keep personal accounts private, don't follow "
            "clients back, and post nothing about your work."
        ),
    ),
    procedures=Procedures(
        consult_supervisor_when=(
            "Talk to your supervisor before accepting anything marked as needing approval, after "
            "any accidental connection with a client, and whenever you are unsure."
        ),
        documentation=(
            "Record each request, your plan and the conversation about it, using the client's "
            "reference rather than their name."
        ),
    ),
    conduct=GOOD_PRACTICE_CONDUCT,
    is_default=True,
)
