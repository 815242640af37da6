"""The starter templates a supervisor may begin a draft from, each a complete policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from .default import (
    ASK_ABOUT_COMMUNITY,
    CLIENT_RULES,
    COLLEAGUE_RULES,
    DEFAULT_POLICY,
    GOOD_PRACTICE_CONDUCT,
    OFFICE_HOURS,
    SUPERVISION_RULES,
    WEEKDAYS_MON_FRI,
    everywhere,
    rules_for,
    work_channels,
)
from .policy import Exceptions, Expectation, Period, Policy, Procedures, WorkingHours
from .vocabulary import (
    AccountStance,
    AfterHours,
    ChannelUse,
    Conduct,
    Decision,
    PeriodUnit,
    PlatformGroup,
    Relationship,
)

def _with(conduct: tuple[Expectation, ...], *changed: Expectation) -> tuple[Expectation, ...]:
    """`conduct` with the expectations in `changed` put in place of the ones they replace."""
    by_conduct = {expectation.conduct: expectation for expectation in changed}
    return tuple(by_conduct.get(expectation.conduct, expectation) for expectation in conduct)



class StarterTemplate(NamedTuple):
    name: str
    description: str
    policy: Policy


_STRICT = Policy(
    title="Strict: no personal connections with clients or families",
    connection_rules=(
        CLIENT_RULES
        + everywhere(
            Relationship.FORMER_CLIENT,
            Decision.NOT_ALLOWED,
            "Once someone has been a client of this agency, we keep them off personal accounts for good.",
        )
        + COLLEAGUE_RULES
        + SUPERVISION_RULES
        + rules_for(
            Relationship.COMMUNITY_MEMBER,
            (PlatformGroup.PERSONAL_NETWORKS, Decision.NOT_ALLOWED, ASK_ABOUT_COMMUNITY),
            (PlatformGroup.PROFESSIONAL_NETWORKS, Decision.NEEDS_APPROVAL, ASK_ABOUT_COMMUNITY),
            (PlatformGroup.PERSONAL_CHANNELS, Decision.NOT_ALLOWED, ASK_ABOUT_COMMUNITY),
        )
    ),
    cooling_off_after_discharge=None,
    cooling_off_after_leaving=None,
    channels=work_channels((ChannelUse.SCHEDULING, ChannelUse.INFORMATION), texts=False),
    working_hours=OFFICE_HOURS,
    exceptions=DEFAULT_POLICY.exceptions,
    procedures=DEFAULT_POLICY.procedures,
    conduct=_with(GOOD_PRACTICE_CONDUCT, Expectation(Conduct.PROFESSIONAL_ACCOUNTS, on=True, stance=AccountStance.NOT_USED)),
)

_EARLY_INTERVENTION = Policy(
    title="Early intervention social media policy",
    connection_rules=(
        CLIENT_RULES
        + everywhere(
            Relationship.FORMER_CLIENT,
            Decision.NEEDS_APPROVAL,
            "After the five-year wait a personal connection may be considered, with your "
            "supervisor, if it can't harm the family or the work.",
        )
        + COLLEAGUE_RULES
        + SUPERVISION_RULES
        + everywhere(Relationship.COMMUNITY_MEMBER, Decision.NEEDS_APPROVAL, ASK_ABOUT_COMMUNITY)
    ),
    cooling_off_after_discharge=Period(5, PeriodUnit.YEARS),
    cooling_off_after_leaving=Period(1, PeriodUnit.YEARS),
    channels=work_channels((ChannelUse.SCHEDULING, ChannelUse.ENCOURAGEMENT), video=True),
    working_hours=WorkingHours(
        WEEKDAYS_MON_FRI, dt.time(8, 30), dt.time(17, 0), 24, AfterHours.NEXT_WORKING_DAY
    ),
    exceptions=Exceptions(
        small_community_guidance=(
            "In a small town you may already know a family before the referral. Tell your "
            "supervisor, keep the connection quiet, and never comment on the child or the services."
        ),
        accidental_connection_guidance=(
            "If a parent's profile didn't show who they were, leave the connection untouched, "
            "raise it at the next visit, then remove it."
        ),
        public_account_guidance=(
            "Parents sometimes follow a public page. Keep it free of anything about your work, "
            "don't follow back, and mention our policy kindly at the next visit."
        ),
    ),
    procedures=Procedures(
        consult_supervisor_when=(
            "Before any connection marked as needing approval, after an accidental connection, "
            "and when a family raises the subject more than once."
        ),
        documentation=(
            "Note the request, the plan, and the visit where you talked about it, with the "
            "child's record number only."
        ),
    ),
    conduct=_with(
        GOOD_PRACTICE_CONDUCT,
        Expectation(
            Conduct.CLIENT_PHOTOS_WITH_CONSENT,
            on=True,
            note="Families often want to share a photo of a milestone. Use the agency's consent form, and the agency's device.",
        ),
    ),
)

_PROFESSIONAL_AFTER_DISCHARGE = Policy(
    title="Professional networks after discharge",
    connection_rules=(
        CLIENT_RULES
        + rules_for(
            Relationship.FORMER_CLIENT,
            (
                PlatformGroup.PERSONAL_NETWORKS,
                Decision.NOT_ALLOWED,
                "Personal accounts stay closed to former clients, however long ago the work ended.",
            ),
            (
                PlatformGroup.PROFESSIONAL_NETWORKS,
                Decision.ALLOWED,
                "A year after discharge, a professional-network link is fine: it shows work, not private life.",
            ),
            (
                PlatformGroup.PERSONAL_CHANNELS,
                Decision.NOT_ALLOWED,
                "Personal numbers and addresses stay private; former clients can reach the agency.",
            ),
        )
        + COLLEAGUE_RULES
        + SUPERVISION_RULES
        + everywhere(Relationship.COMMUNITY_MEMBER, Decision.NEEDS_APPROVAL, ASK_ABOUT_COMMUNITY)
    ),
    cooling_off_after_discharge=Period(1, PeriodUnit.YEARS),
    cooling_off_after_leaving=None,
    channels=work_channels((ChannelUse.SCHEDULING, ChannelUse.INFORMATION), video=True),
    working_hours=WorkingHours(
        WEEKDAYS_MON_FRI, dt.time(9, 0), dt.time(17, 0), 24, AfterHours.WITHIN_RESPONSE_TIME
    ),
    exceptions=DEFAULT_POLICY.exceptions,
    procedures=DEFAULT_POLICY.procedures,
    conduct=_with(
        GOOD_PRACTICE_CONDUCT,
        Expectation(
            Conduct.PROFESSIONAL_ACCOUNTS,
            on=True,
            stance=AccountStance.EXPECTED,
            note="Former clients may find you on a professional network, so keep that profile about work only.",
        ),
    ),
)

STARTER_TEMPLATES: Mapping[str, StarterTemplate] = MappingProxyType(
    {
        "strict": StarterTemplate(
            "Strict",
            "No personal connections with clients, their families or former clients, on any platform.",
            _STRICT,
        ),
        "early_intervention": StarterTemplate(
            "Early intervention",
            "A five-year wait after discharge, then former clients only with a supervisor's approval.",
            _EARLY_INTERVENTION,
        ),
        "professional_after_discharge": StarterTemplate(
            "Professional networks after discharge",
            "Former clients may connect on professional networks a year after discharge; personal ones stay closed.",
            _PROFESSIONAL_AFTER_DISCHARGE,
        ),
    }
)
