"""The one place where policy rows become an engine `Policy`, and a `Policy` becomes rows."""

from __future__ import annotations

from collections.abc import Iterable

from scenarios.engine.policy import (
    ChannelRule as EngineChannelRule,
    ConnectionRule as EngineConnectionRule,
    Exceptions,
    Period,
    Policy,
    Procedures,
    WorkingHours,
)
from scenarios.engine.vocabulary import (
    AfterHours,
    Channel,
    ChannelUse,
    Decision,
    PeriodUnit,
    Platform,
    PlatformGroup,
    Relationship,
    Weekday,
)

from .models import ChannelRule, ConnectionRule, PolicyVersion


def _scope(value: str) -> Platform | PlatformGroup:
    return PlatformGroup(value) if value in PlatformGroup._value2member_map_ else Platform(value)


def _period(amount: int | None, unit: str) -> Period | None:
    return None if amount is None or not unit else Period(amount, PeriodUnit(unit))


def version_to_policy(version: PolicyVersion, connection_rules: Iterable[ConnectionRule] | None = None,
                      channel_rules: Iterable[ChannelRule] | None = None) -> Policy:
    """The version as an engine Policy.

    Pass the rule rows when they were loaded separately; otherwise the version's
    `connection_rules` and `channel_rules` are used (prefetch them for a fixed query count).
    """
    connection_rules = version.connection_rules.all() if connection_rules is None else connection_rules
    channel_rules = version.channel_rules.all() if channel_rules is None else channel_rules
    return Policy(
        title=version.title,
        connection_rules=tuple(
            EngineConnectionRule(Relationship(rule.relationship), _scope(rule.scope), Decision(rule.decision),
                                 rule.rationale)
            for rule in sorted(connection_rules, key=lambda rule: rule.position)
        ),
        cooling_off_after_discharge=_period(version.discharge_amount, version.discharge_unit),
        cooling_off_after_leaving=_period(version.leaving_amount, version.leaving_unit),
        channels=tuple(
            EngineChannelRule(Channel(rule.channel), rule.allowed, tuple(ChannelUse(use) for use in rule.uses))
            for rule in sorted(channel_rules, key=lambda rule: rule.position)
        ),
        working_hours=WorkingHours(
            days=tuple(Weekday(day) for day in version.work_days),
            start=version.work_start,
            end=version.work_end,
            response_within_hours=version.response_within_hours,
            after_hours=AfterHours(version.after_hours),
        ),
        exceptions=Exceptions(version.small_community, version.accidental_connection, version.public_account),
        procedures=Procedures(version.consult_supervisor_when, version.documentation),
    )


def apply_policy(version: PolicyVersion, policy: Policy) -> None:
    """Copy the policy's own fields onto the version (not saved; rules are written by `write_rules`)."""
    discharge, leaving, hours = policy.cooling_off_after_discharge, policy.cooling_off_after_leaving, policy.working_hours
    version.title = policy.title
    version.discharge_amount = discharge.amount if discharge else None
    version.discharge_unit = discharge.unit.value if discharge else ""
    version.leaving_amount = leaving.amount if leaving else None
    version.leaving_unit = leaving.unit.value if leaving else ""
    version.work_days = [day.value for day in hours.days]
    version.work_start, version.work_end = hours.start, hours.end
    version.response_within_hours = hours.response_within_hours
    version.after_hours = hours.after_hours.value
    version.small_community = policy.exceptions.small_community_guidance
    version.accidental_connection = policy.exceptions.accidental_connection_guidance
    version.public_account = policy.exceptions.public_account_guidance
    version.consult_supervisor_when = policy.procedures.consult_supervisor_when
    version.documentation = policy.procedures.documentation


def write_rules(version: PolicyVersion, policy: Policy) -> None:
    """Replace the version's rule rows with the policy's, keeping the policy's order."""
    ConnectionRule.objects.filter(agency=version.agency, version=version).delete()
    ChannelRule.objects.filter(agency=version.agency, version=version).delete()
    ConnectionRule.objects.bulk_create(
        ConnectionRule(agency=version.agency, version=version, position=index, relationship=rule.relationship.value,
                       scope=rule.scope.value, decision=rule.decision.value, rationale=rule.rationale)
        for index, rule in enumerate(policy.connection_rules)
    )
    ChannelRule.objects.bulk_create(
        ChannelRule(agency=version.agency, version=version, position=index, channel=rule.channel.value,
                    allowed=rule.allowed, uses=[use.value for use in rule.uses])
        for index, rule in enumerate(policy.channels)
    )
