"""The agency policy: its frozen types, its JSON document format, the default and starter policies.

The document format ("boundaries.policy/1") is the product's import/export format.
`to_document` and `parse_document` are exact inverses, so export -> import -> export gives
identical JSON.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, NamedTuple

from .errors import PolicyDocumentError
from .reading import MISSING, Reader, item, join, values_of
from .vocabulary import (
    AfterHours,
    Channel,
    ChannelUse,
    Decision,
    PeriodUnit,
    Platform,
    PlatformGroup,
    Relationship,
    Weekday,
    group_of,
)

SCHEMA = "boundaries.policy/1"
MAX_TITLE = 200
MAX_TEXT = 2000
MAX_PERIOD: Mapping[PeriodUnit, int] = MappingProxyType(
    {PeriodUnit.DAYS: 10957, PeriodUnit.MONTHS: 360, PeriodUnit.YEARS: 30}
)
MAX_RESPONSE_HOURS = 168

Scope = Platform | PlatformGroup


@dataclass(frozen=True, slots=True)
class Period:
    amount: int
    unit: PeriodUnit

    def add_to(self, start: dt.date) -> dt.date | None:
        """The calendar date `amount` units after `start`, or None when it falls after 9999-12-31.

        Months and years keep the day of the month; when the target month is shorter the
        result is clamped to its last day: 2024-01-31 + 1 month = 2024-02-29, and
        2024-02-29 + 1 year = 2025-02-28. None means "beyond any date we can name", so a
        period that ends there never ends for the engine, rather than raising.
        """
        if self.unit is PeriodUnit.DAYS:
            if (dt.date.max - start).days < self.amount:
                return None
            return start + dt.timedelta(days=self.amount)
        months = self.amount * 12 if self.unit is PeriodUnit.YEARS else self.amount
        year, month_index = divmod(start.year * 12 + start.month - 1 + months, 12)
        if year > dt.MAXYEAR:
            return None
        month = month_index + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day)

    def describe(self) -> str:
        unit = self.unit.value[:-1] if self.amount == 1 else self.unit.value
        return f"{self.amount} {unit}"


@dataclass(frozen=True, slots=True)
class ConnectionRule:
    relationship: Relationship
    scope: Scope
    decision: Decision
    rationale: str = ""


@dataclass(frozen=True, slots=True)
class ChannelRule:
    channel: Channel
    allowed: bool
    uses: tuple[ChannelUse, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkingHours:
    days: tuple[Weekday, ...]
    start: dt.time
    end: dt.time
    response_within_hours: int
    after_hours: AfterHours


@dataclass(frozen=True, slots=True)
class Exceptions:
    small_community_guidance: str = ""
    accidental_connection_guidance: str = ""
    public_account_guidance: str = ""


@dataclass(frozen=True, slots=True)
class Procedures:
    consult_supervisor_when: str = ""
    documentation: str = ""


@dataclass(frozen=True)
class Policy:
    title: str
    connection_rules: tuple[ConnectionRule, ...]
    cooling_off_after_discharge: Period | None
    cooling_off_after_leaving: Period | None
    channels: tuple[ChannelRule, ...]
    working_hours: WorkingHours
    exceptions: Exceptions = field(default_factory=Exceptions)
    procedures: Procedures = field(default_factory=Procedures)
    is_default: bool = False

    # Built once per policy and kept out of __init__, __eq__ and __hash__ (cached_property
    # writes straight to the instance dict, which a frozen dataclass allows).
    @cached_property
    def _rule_index(self) -> Mapping[tuple[Relationship, Scope], ConnectionRule]:
        index: dict[tuple[Relationship, Scope], ConnectionRule] = {}
        for rule in self.connection_rules:
            index.setdefault((rule.relationship, rule.scope), rule)
        return index

    @cached_property
    def _channel_index(self) -> Mapping[Channel, ChannelRule]:
        index: dict[Channel, ChannelRule] = {}
        for rule in self.channels:
            index.setdefault(rule.channel, rule)
        return index

    def decision_for(
        self, relationship: Relationship, platform: Platform
    ) -> tuple[Decision | None, ConnectionRule | None]:
        """The rule for this relationship on this platform; a platform rule overrides its group's rule."""
        rule = self._rule_index.get((relationship, platform)) or self._rule_index.get(
            (relationship, group_of(platform))
        )
        return (rule.decision, rule) if rule else (None, None)

    def channel_rule(self, channel: Channel) -> ChannelRule | None:
        return self._channel_index.get(channel)

    @property
    def allowed_channels(self) -> tuple[Channel, ...]:
        return tuple(rule.channel for rule in self.channels if rule.allowed)


# --- the JSON document ------------------------------------------------------------------

_RELATIONSHIPS = values_of(Relationship)
_SCOPES: dict[str, Scope] = {**values_of(Platform), **values_of(PlatformGroup)}
_DECISIONS = values_of(Decision)
_CHANNELS = values_of(Channel)
_USES = values_of(ChannelUse)
_UNITS = values_of(PeriodUnit)
_WEEKDAYS = values_of(Weekday)
_AFTER_HOURS = values_of(AfterHours)

_TOP_KEYS = (
    "schema",
    "title",
    "connection_rules",
    "cooling_off",
    "channels",
    "working_hours",
    "exceptions",
    "procedures",
)
_EMERGENCIES_MESSAGE = (
    "Emergencies can't be an allowed use: these channels are not watched around the clock, "
    "so emergencies always go to emergency services or the crisis line."
)


def _period_document(period: Period | None) -> dict[str, Any] | None:
    return None if period is None else {"amount": period.amount, "unit": period.unit.value}


def to_document(policy: Policy) -> dict[str, Any]:
    """The policy as a JSON-ready dict with a fixed key order (`is_default` is not exported)."""
    hours = policy.working_hours
    return {
        "schema": SCHEMA,
        "title": policy.title,
        "connection_rules": [
            {
                "relationship": rule.relationship.value,
                "scope": rule.scope.value,
                "decision": rule.decision.value,
                "rationale": rule.rationale,
            }
            for rule in policy.connection_rules
        ],
        "cooling_off": {
            "after_discharge": _period_document(policy.cooling_off_after_discharge),
            "after_leaving": _period_document(policy.cooling_off_after_leaving),
        },
        "channels": [
            {"channel": rule.channel.value, "allowed": rule.allowed, "uses": [use.value for use in rule.uses]}
            for rule in policy.channels
        ],
        "working_hours": {
            "days": [day.value for day in hours.days],
            "start": hours.start.strftime("%H:%M"),
            "end": hours.end.strftime("%H:%M"),
            "response_within_hours": hours.response_within_hours,
            "after_hours": hours.after_hours.value,
        },
        "exceptions": {
            "small_community": policy.exceptions.small_community_guidance,
            "accidental_connection": policy.exceptions.accidental_connection_guidance,
            "public_account": policy.exceptions.public_account_guidance,
        },
        "procedures": {
            "consult_supervisor_when": policy.procedures.consult_supervisor_when,
            "documentation": policy.procedures.documentation,
        },
    }


def parse_document(doc: object, *, at: str = "") -> Policy:
    """Validate a policy document and build the Policy.

    Every problem is collected; PolicyDocumentError carries them all as (path, message)
    pairs. `at` prefixes the paths when the policy sits inside a larger document.
    """
    reader = Reader()
    policy = _read_policy(reader, doc, at)
    if reader.errors or policy is None:
        raise PolicyDocumentError(reader.errors)
    return policy


def _read_policy(reader: Reader, doc: object, at: str) -> Policy | None:
    fields = reader.fields(doc, at, _TOP_KEYS)
    if fields is None:
        return None
    if fields["schema"] is not MISSING and fields["schema"] != SCHEMA:
        reader.fail(join(at, "schema"), f"Expected the schema {SCHEMA!r}.")
    title = reader.string(fields.get("title"), join(at, "title"), max_length=MAX_TITLE, non_blank=True)
    rules = _read_rules(reader, fields.get("connection_rules"), join(at, "connection_rules"))
    cooling = _read_cooling_off(reader, fields.get("cooling_off"), join(at, "cooling_off"))
    channels = _read_channels(reader, fields.get("channels"), join(at, "channels"))
    hours = _read_working_hours(reader, fields.get("working_hours"), join(at, "working_hours"))
    exceptions = _read_exceptions(reader, fields.get("exceptions"), join(at, "exceptions"))
    procedures = _read_procedures(reader, fields.get("procedures"), join(at, "procedures"))
    if reader.errors:
        return None
    assert title is not None and rules is not None and cooling is not None
    assert channels is not None and hours is not None and exceptions is not None and procedures is not None
    return Policy(
        title=title,
        connection_rules=rules,
        cooling_off_after_discharge=cooling[0],
        cooling_off_after_leaving=cooling[1],
        channels=channels,
        working_hours=hours,
        exceptions=exceptions,
        procedures=procedures,
    )


def _read_rules(reader: Reader, value: object, path: str) -> tuple[ConnectionRule, ...] | None:
    entries = reader.array(value, path)
    if entries is None:
        return None
    rules: list[ConnectionRule] = []
    first_index: dict[tuple[Relationship, Scope], int] = {}
    for index, entry in enumerate(entries):
        at = item(path, index)
        fields = reader.fields(entry, at, ("relationship", "scope", "decision"), ("rationale",))
        if fields is None:
            continue
        relationship = reader.choice(fields.get("relationship"), join(at, "relationship"), _RELATIONSHIPS)
        scope = reader.choice(fields.get("scope"), join(at, "scope"), _SCOPES)
        decision = reader.choice(fields.get("decision"), join(at, "decision"), _DECISIONS)
        rationale = reader.string(fields.get("rationale", ""), join(at, "rationale"), max_length=MAX_TEXT)
        if relationship is None or scope is None or decision is None or rationale is None:
            continue
        key = (relationship, scope)
        if key in first_index:
            reader.fail(
                at,
                f"This rule repeats {item(path, first_index[key])} "
                f"(same relationship {relationship.value} and scope {scope.value}).",
            )
            continue
        first_index[key] = index
        rules.append(ConnectionRule(relationship, scope, decision, rationale))
    return tuple(rules)


def _read_period(reader: Reader, value: object, path: str) -> Period | None:
    fields = reader.fields(value, path, ("amount", "unit"))
    if fields is None:
        return None
    unit = reader.choice(fields.get("unit"), join(path, "unit"), _UNITS)
    if unit is None:
        return None
    amount = reader.integer(
        fields.get("amount"), join(path, "amount"), minimum=1, maximum=MAX_PERIOD[unit], unit=unit.value
    )
    return None if amount is None else Period(amount, unit)


def _read_cooling_off(
    reader: Reader, value: object, path: str
) -> tuple[Period | None, Period | None] | None:
    fields = reader.fields(value, path, ("after_discharge", "after_leaving"))
    if fields is None:
        return None
    periods: list[Period | None] = []
    for key in ("after_discharge", "after_leaving"):
        raw = fields.get(key)
        # null means "no cooling-off period set"; the missing-key error is already recorded.
        periods.append(None if raw is None else _read_period(reader, raw, join(path, key)))
    return periods[0], periods[1]


def _read_channels(reader: Reader, value: object, path: str) -> tuple[ChannelRule, ...] | None:
    entries = reader.array(value, path)
    if entries is None:
        return None
    rules: list[ChannelRule] = []
    first_index: dict[Channel, int] = {}
    for index, entry in enumerate(entries):
        at = item(path, index)
        fields = reader.fields(entry, at, ("channel", "allowed", "uses"))
        if fields is None:
            continue
        channel = reader.choice(fields.get("channel"), join(at, "channel"), _CHANNELS)
        allowed = reader.boolean(fields.get("allowed"), join(at, "allowed"))
        uses = _read_uses(reader, fields.get("uses"), join(at, "uses"))
        if channel is None or allowed is None or uses is None:
            continue
        if channel in first_index:
            reader.fail(at, f"The channel {channel.value} is already listed at {item(path, first_index[channel])}.")
            continue
        first_index[channel] = index
        if allowed and not uses:
            reader.fail(join(at, "uses"), "List at least one use for an allowed channel.")
        elif not allowed and uses:
            reader.fail(join(at, "uses"), "A channel that is not allowed can't have uses; leave the list empty.")
        rules.append(ChannelRule(channel, allowed, uses))
    return tuple(rules)


def _read_uses(reader: Reader, value: object, path: str) -> tuple[ChannelUse, ...] | None:
    entries = reader.array(value, path)
    if entries is None:
        return None
    uses: list[ChannelUse] = []
    ok = True
    for index, entry in enumerate(entries):
        at = item(path, index)
        if entry == "emergencies":
            reader.fail(at, _EMERGENCIES_MESSAGE)
            ok = False
            continue
        use = reader.choice(entry, at, _USES)
        if use is None:
            ok = False
        elif use in uses:
            reader.fail(at, f"The use {use.value} is listed twice.")
            ok = False
        else:
            uses.append(use)
    return tuple(uses) if ok else None


def _read_working_hours(reader: Reader, value: object, path: str) -> WorkingHours | None:
    fields = reader.fields(value, path, ("days", "start", "end", "response_within_hours", "after_hours"))
    if fields is None:
        return None
    days = _read_days(reader, fields.get("days"), join(path, "days"))
    start = reader.clock(fields.get("start"), join(path, "start"))
    end = reader.clock(fields.get("end"), join(path, "end"))
    if start is not None and end is not None and start >= end:
        reader.fail(join(path, "start"), "The working day must start before it ends.")
    response = reader.integer(
        fields.get("response_within_hours"),
        join(path, "response_within_hours"),
        minimum=1,
        maximum=MAX_RESPONSE_HOURS,
        unit="hours",
    )
    after_hours = reader.choice(fields.get("after_hours"), join(path, "after_hours"), _AFTER_HOURS)
    if days is None or start is None or end is None or response is None or after_hours is None:
        return None
    return WorkingHours(days, start, end, response, after_hours)


def _read_days(reader: Reader, value: object, path: str) -> tuple[Weekday, ...] | None:
    entries = reader.array(value, path)
    if entries is None:
        return None
    if not entries:
        reader.fail(path, "List at least one working day.")
        return None
    days: list[Weekday] = []
    ok = True
    for index, entry in enumerate(entries):
        day = reader.choice(entry, item(path, index), _WEEKDAYS)
        if day is None:
            ok = False
        elif day in days:
            reader.fail(item(path, index), f"The day {day.value} is listed twice.")
            ok = False
        else:
            days.append(day)
    return tuple(days) if ok else None


def _read_texts(reader: Reader, value: object, path: str, keys: tuple[str, ...]) -> tuple[str, ...] | None:
    fields = reader.fields(value, path, keys)
    if fields is None:
        return None
    texts = [reader.string(fields.get(key), join(path, key), max_length=MAX_TEXT) for key in keys]
    if any(text is None for text in texts):
        return None
    return tuple(text for text in texts if text is not None)


def _read_exceptions(reader: Reader, value: object, path: str) -> Exceptions | None:
    texts = _read_texts(reader, value, path, ("small_community", "accidental_connection", "public_account"))
    return None if texts is None else Exceptions(*texts)


def _read_procedures(reader: Reader, value: object, path: str) -> Procedures | None:
    texts = _read_texts(reader, value, path, ("consult_supervisor_when", "documentation"))
    return None if texts is None else Procedures(*texts)


# --- the default and the starter policies ----------------------------------------------

_ALL_GROUPS = tuple(PlatformGroup)
_WEEKDAYS_MON_FRI = (Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI)


def _rules(relationship: Relationship, *entries: tuple[Scope, Decision, str]) -> tuple[ConnectionRule, ...]:
    return tuple(ConnectionRule(relationship, scope, decision, rationale) for scope, decision, rationale in entries)


def _everywhere(relationship: Relationship, decision: Decision, rationale: str) -> tuple[ConnectionRule, ...]:
    return _rules(relationship, *((group, decision, rationale) for group in _ALL_GROUPS))


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
_ASK_ABOUT_COMMUNITY = (
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

_SUPERVISION_RULES = tuple(
    rule
    for relationship in (Relationship.OWN_SUPERVISOR, Relationship.OWN_SUPERVISEE)
    for rule in _rules(
        relationship,
        (PlatformGroup.PERSONAL_NETWORKS, Decision.NEEDS_APPROVAL, _ASK_ACROSS_SUPERVISION),
        (PlatformGroup.PROFESSIONAL_NETWORKS, Decision.ALLOWED, _PROFESSIONAL_LINK_IS_FINE),
        (PlatformGroup.PERSONAL_CHANNELS, Decision.NEEDS_APPROVAL, _ASK_ACROSS_SUPERVISION),
    )
)
_COLLEAGUE_RULES = _everywhere(Relationship.COLLEAGUE, Decision.ALLOWED, _PEERS_ARE_PERSONAL)
_CLIENT_RULES = _everywhere(Relationship.CURRENT_CLIENT, Decision.NOT_ALLOWED, _NO_CURRENT_CLIENTS) + _everywhere(
    Relationship.CLIENT_FAMILY, Decision.NOT_ALLOWED, _NO_FAMILIES
)

_OFFICE_HOURS = WorkingHours(_WEEKDAYS_MON_FRI, dt.time(9, 0), dt.time(17, 0), 24, AfterHours.NEXT_WORKING_DAY)


def _work_channels(uses: tuple[ChannelUse, ...], *, texts: bool = True, video: bool = False) -> tuple[ChannelRule, ...]:
    return (
        ChannelRule(Channel.WORK_PHONE, True, uses),
        ChannelRule(Channel.WORK_TEXT, texts, uses if texts else ()),
        ChannelRule(Channel.WORK_EMAIL, True, uses),
        ChannelRule(Channel.AGENCY_PORTAL, True, uses),
        ChannelRule(Channel.VIDEO, video, (ChannelUse.SESSIONS,) if video else ()),
    )


DEFAULT_POLICY = Policy(
    title="Conservative default (no agency policy published)",
    connection_rules=(
        _CLIENT_RULES
        + _everywhere(Relationship.FORMER_CLIENT, Decision.NOT_ALLOWED, _NO_FORMER_CLIENTS)
        + _COLLEAGUE_RULES
        + _SUPERVISION_RULES
        + _everywhere(Relationship.COMMUNITY_MEMBER, Decision.NEEDS_APPROVAL, _ASK_ABOUT_COMMUNITY)
    ),
    # None here means "never": the default keeps former clients off personal accounts for good.
    cooling_off_after_discharge=None,
    cooling_off_after_leaving=None,
    channels=_work_channels((ChannelUse.SCHEDULING,)),
    working_hours=_OFFICE_HOURS,
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
    is_default=True,
)


class StarterTemplate(NamedTuple):
    name: str
    description: str
    policy: Policy


_STRICT = Policy(
    title="Strict: no personal connections with clients or families",
    connection_rules=(
        _CLIENT_RULES
        + _everywhere(
            Relationship.FORMER_CLIENT,
            Decision.NOT_ALLOWED,
            "Once someone has been a client of this agency, we keep them off personal accounts for good.",
        )
        + _COLLEAGUE_RULES
        + _SUPERVISION_RULES
        + _rules(
            Relationship.COMMUNITY_MEMBER,
            (PlatformGroup.PERSONAL_NETWORKS, Decision.NOT_ALLOWED, _ASK_ABOUT_COMMUNITY),
            (PlatformGroup.PROFESSIONAL_NETWORKS, Decision.NEEDS_APPROVAL, _ASK_ABOUT_COMMUNITY),
            (PlatformGroup.PERSONAL_CHANNELS, Decision.NOT_ALLOWED, _ASK_ABOUT_COMMUNITY),
        )
    ),
    cooling_off_after_discharge=None,
    cooling_off_after_leaving=None,
    channels=_work_channels((ChannelUse.SCHEDULING, ChannelUse.INFORMATION), texts=False),
    working_hours=_OFFICE_HOURS,
    exceptions=DEFAULT_POLICY.exceptions,
    procedures=DEFAULT_POLICY.procedures,
)

_EARLY_INTERVENTION = Policy(
    title="Early intervention social media policy",
    connection_rules=(
        _CLIENT_RULES
        + _everywhere(
            Relationship.FORMER_CLIENT,
            Decision.NEEDS_APPROVAL,
            "After the five-year wait a personal connection may be considered, with your "
            "supervisor, if it can't harm the family or the work.",
        )
        + _COLLEAGUE_RULES
        + _SUPERVISION_RULES
        + _everywhere(Relationship.COMMUNITY_MEMBER, Decision.NEEDS_APPROVAL, _ASK_ABOUT_COMMUNITY)
    ),
    cooling_off_after_discharge=Period(5, PeriodUnit.YEARS),
    cooling_off_after_leaving=Period(1, PeriodUnit.YEARS),
    channels=_work_channels((ChannelUse.SCHEDULING, ChannelUse.ENCOURAGEMENT), video=True),
    working_hours=WorkingHours(
        _WEEKDAYS_MON_FRI, dt.time(8, 30), dt.time(17, 0), 24, AfterHours.NEXT_WORKING_DAY
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
)

_PROFESSIONAL_AFTER_DISCHARGE = Policy(
    title="Professional networks after discharge",
    connection_rules=(
        _CLIENT_RULES
        + _rules(
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
        + _COLLEAGUE_RULES
        + _SUPERVISION_RULES
        + _everywhere(Relationship.COMMUNITY_MEMBER, Decision.NEEDS_APPROVAL, _ASK_ABOUT_COMMUNITY)
    ),
    cooling_off_after_discharge=Period(1, PeriodUnit.YEARS),
    cooling_off_after_leaving=None,
    channels=_work_channels((ChannelUse.SCHEDULING, ChannelUse.INFORMATION), video=True),
    working_hours=WorkingHours(
        _WEEKDAYS_MON_FRI, dt.time(9, 0), dt.time(17, 0), 24, AfterHours.WITHIN_RESPONSE_TIME
    ),
    exceptions=DEFAULT_POLICY.exceptions,
    procedures=DEFAULT_POLICY.procedures,
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
