"""The agency policy: its frozen types and its JSON document, read, written and described in one place.

The document ("boundaries.policy/2") is what a policy version stores, and the product's import
and export format. `to_document` and `parse_document` are exact inverses, so export -> import ->
export gives identical JSON. Documents written for "boundaries.policy/1" are still read (the
settings /2 added take their defaults), and a version stored as /1 is still written as /1, so
its export never changes.

`json_schema()` describes the same format as a JSON Schema, built from the same field lists,
words and limits as the reader (docs/policy.schema.json is generated from it). The reader stays
the judge: it also checks what a schema can't say well (a rule repeated, an allowed channel with
no uses, a day that ends before it starts) and words every problem for a supervisor.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from .errors import PolicyDocumentError
from .reading import MISSING, Reader, item, join, values_of
from .vocabulary import (
    CLIENT_SIDE_RELATIONSHIPS,
    AccountStance,
    AfterHours,
    Channel,
    ChannelUse,
    Conduct,
    Decision,
    PeriodUnit,
    Platform,
    PlatformGroup,
    Relationship,
    Weekday,
    group_of,
)

SCHEMA = "boundaries.policy/2"
SCHEMA_V1 = "boundaries.policy/1"
SCHEMAS = (SCHEMA, SCHEMA_V1)
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
    # Whom an allowed channel is for; empty means everyone on the client side.
    relationships: tuple[Relationship, ...] = ()

    def allowed_for(self, relationship: Relationship) -> bool:
        return self.allowed and (not self.relationships or relationship in self.relationships)


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


@dataclass(frozen=True, slots=True)
class Expectation:
    """One conduct expectation: whether the policy states it, and the agency's own note on it."""

    conduct: Conduct
    on: bool = False
    note: str = ""
    # Professional accounts only: whether they are allowed, expected or not used.
    stance: AccountStance | None = None


def _off(conduct: Conduct) -> Expectation:
    stance = AccountStance.ALLOWED if conduct is Conduct.PROFESSIONAL_ACCOUNTS else None
    return Expectation(conduct, stance=stance)


# What a policy written before conduct expectations existed states about them: nothing.
NO_CONDUCT: tuple[Expectation, ...] = tuple(_off(conduct) for conduct in Conduct)


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
    # One per Conduct, in its order.
    conduct: tuple[Expectation, ...] = NO_CONDUCT
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

    @cached_property
    def _conduct_index(self) -> Mapping[Conduct, Expectation]:
        return {expectation.conduct: expectation for expectation in self.conduct}

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

    def expects(self, conduct: Conduct) -> Expectation:
        return self._conduct_index.get(conduct) or _off(conduct)

    @property
    def allowed_channels(self) -> tuple[Channel, ...]:
        return tuple(rule.channel for rule in self.channels if rule.allowed)

    def channels_for(self, relationship: Relationship) -> tuple[Channel, ...]:
        """The work channels the policy allows with this relationship."""
        return tuple(rule.channel for rule in self.channels if rule.allowed_for(relationship))

    @property
    def conduct_stated(self) -> tuple[Expectation, ...]:
        return tuple(expectation for expectation in self.conduct if expectation.on)


# --- the JSON document: the field lists the reader, the writer and the JSON Schema share ----------

_RELATIONSHIPS = values_of(Relationship)
_CHANNEL_RELATIONSHIPS = {relationship.value: relationship for relationship in CLIENT_SIDE_RELATIONSHIPS}
_SCOPES: dict[str, Scope] = {**values_of(Platform), **values_of(PlatformGroup)}
_DECISIONS = values_of(Decision)
_CHANNELS = values_of(Channel)
_USES = values_of(ChannelUse)
_UNITS = values_of(PeriodUnit)
_WEEKDAYS = values_of(Weekday)
_AFTER_HOURS = values_of(AfterHours)
_STANCES = values_of(AccountStance)

_TOP_KEYS_V1 = (
    "schema",
    "title",
    "connection_rules",
    "cooling_off",
    "channels",
    "working_hours",
    "exceptions",
    "procedures",
)
_TOP_KEYS = _TOP_KEYS_V1 + ("conduct",)
_RULE_KEYS, _RULE_OPTIONAL = ("relationship", "scope", "decision"), ("rationale",)
_PERIOD_KEYS = ("amount", "unit")
_COOLING_KEYS = ("after_discharge", "after_leaving")
_CHANNEL_KEYS, _CHANNEL_OPTIONAL = ("channel", "allowed", "uses"), ("relationships",)
_HOURS_KEYS = ("days", "start", "end", "response_within_hours", "after_hours")
_EXCEPTION_KEYS = ("small_community", "accidental_connection", "public_account")
_PROCEDURE_KEYS = ("consult_supervisor_when", "documentation")
_CONDUCT_KEYS = tuple(conduct.value for conduct in Conduct)
_EXPECTATION_KEYS = ("on", "note")
_STANCE_KEYS = ("on", "stance", "note")

_EMERGENCIES_MESSAGE = (
    "Emergencies can't be an allowed use: these channels are not watched around the clock, "
    "so emergencies always go to emergency services or the crisis line."
)


def _expectation_keys(conduct: Conduct) -> tuple[str, ...]:
    return _STANCE_KEYS if conduct is Conduct.PROFESSIONAL_ACCOUNTS else _EXPECTATION_KEYS


# --- writing ----------------------------------------------------------------------------------


def _period_document(period: Period | None) -> dict[str, Any] | None:
    return None if period is None else {"amount": period.amount, "unit": period.unit.value}


def _expectation_document(expectation: Expectation) -> dict[str, Any]:
    written: dict[str, Any] = {"on": expectation.on}
    if expectation.conduct is Conduct.PROFESSIONAL_ACCOUNTS:
        written["stance"] = (expectation.stance or AccountStance.ALLOWED).value
    written["note"] = expectation.note
    return written


def to_document(policy: Policy, *, schema: str = SCHEMA) -> dict[str, Any]:
    """The policy as a JSON-ready dict with a fixed key order (`is_default` is not exported).

    `schema=SCHEMA_V1` writes the older format, for a version that was stored in it; a policy
    that uses what /1 can't hold raises ValueError rather than losing it.
    """
    if schema == SCHEMA_V1:
        return _v1_document(policy)
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
            {
                "channel": rule.channel.value,
                "allowed": rule.allowed,
                "uses": [use.value for use in rule.uses],
                "relationships": [relationship.value for relationship in rule.relationships],
            }
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
        "conduct": {expectation.conduct.value: _expectation_document(expectation) for expectation in _all_conduct(policy)},
    }


def _all_conduct(policy: Policy) -> tuple[Expectation, ...]:
    return tuple(policy.expects(conduct) for conduct in Conduct)


def fits_v1(policy: Policy) -> bool:
    """Whether the older format can hold this policy without losing a setting."""
    return _all_conduct(policy) == NO_CONDUCT and not any(rule.relationships for rule in policy.channels)


def _v1_document(policy: Policy) -> dict[str, Any]:
    if not fits_v1(policy):
        raise ValueError(f"This policy uses settings {SCHEMA_V1!r} can't hold; write it as {SCHEMA!r}.")
    document = to_document(policy)
    document["schema"] = SCHEMA_V1
    del document["conduct"]
    for channel in document["channels"]:
        del channel["relationships"]
    return document


def schema_of(document: object) -> str:
    """The format a stored or uploaded document says it is written in (the current one if it doesn't say)."""
    if isinstance(document, dict) and document.get("schema") == SCHEMA_V1:
        return SCHEMA_V1
    return SCHEMA


# --- reading ----------------------------------------------------------------------------------


def parse_document(doc: object, *, at: str = "") -> Policy:
    """Validate a policy document (/2, or /1 with the newer settings at their defaults) and build the Policy.

    Every problem is collected; PolicyDocumentError carries them all as (path, message)
    pairs. `at` prefixes the paths when the policy sits inside a larger document.
    """
    reader = Reader()
    policy = _read_policy(reader, doc, at)
    if reader.errors or policy is None:
        raise PolicyDocumentError(reader.errors)
    return policy


def _read_policy(reader: Reader, doc: object, at: str) -> Policy | None:
    v1 = schema_of(doc) == SCHEMA_V1
    fields = reader.fields(doc, at, _TOP_KEYS_V1 if v1 else _TOP_KEYS)
    if fields is None:
        return None
    if fields["schema"] is not MISSING and fields["schema"] not in SCHEMAS:
        reader.fail(join(at, "schema"), f"Expected the schema {SCHEMA!r} (or {SCHEMA_V1!r}, which is still read).")
    title = reader.string(fields.get("title"), join(at, "title"), max_length=MAX_TITLE, non_blank=True)
    rules = _read_rules(reader, fields.get("connection_rules"), join(at, "connection_rules"))
    cooling = _read_cooling_off(reader, fields.get("cooling_off"), join(at, "cooling_off"))
    channels = _read_channels(reader, fields.get("channels"), join(at, "channels"), v1=v1)
    hours = _read_working_hours(reader, fields.get("working_hours"), join(at, "working_hours"))
    exceptions = _read_exceptions(reader, fields.get("exceptions"), join(at, "exceptions"))
    procedures = _read_procedures(reader, fields.get("procedures"), join(at, "procedures"))
    conduct = NO_CONDUCT if v1 else _read_conduct(reader, fields.get("conduct"), join(at, "conduct"))
    if reader.errors:
        return None
    assert title is not None and rules is not None and cooling is not None and conduct is not None
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
        conduct=conduct,
    )


def _read_rules(reader: Reader, value: object, path: str) -> tuple[ConnectionRule, ...] | None:
    entries = reader.array(value, path)
    if entries is None:
        return None
    rules: list[ConnectionRule] = []
    first_index: dict[tuple[Relationship, Scope], int] = {}
    for index, entry in enumerate(entries):
        at = item(path, index)
        fields = reader.fields(entry, at, _RULE_KEYS, _RULE_OPTIONAL)
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
    fields = reader.fields(value, path, _PERIOD_KEYS)
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
    fields = reader.fields(value, path, _COOLING_KEYS)
    if fields is None:
        return None
    periods: list[Period | None] = []
    for key in _COOLING_KEYS:
        raw = fields.get(key)
        # null means "no cooling-off period set"; the missing-key error is already recorded.
        periods.append(None if raw is None else _read_period(reader, raw, join(path, key)))
    return periods[0], periods[1]


def _read_channels(reader: Reader, value: object, path: str, *, v1: bool) -> tuple[ChannelRule, ...] | None:
    entries = reader.array(value, path)
    if entries is None:
        return None
    rules: list[ChannelRule] = []
    first_index: dict[Channel, int] = {}
    for index, entry in enumerate(entries):
        at = item(path, index)
        fields = reader.fields(entry, at, _CHANNEL_KEYS, () if v1 else _CHANNEL_OPTIONAL)
        if fields is None:
            continue
        channel = reader.choice(fields.get("channel"), join(at, "channel"), _CHANNELS)
        allowed = reader.boolean(fields.get("allowed"), join(at, "allowed"))
        uses = _read_uses(reader, fields.get("uses"), join(at, "uses"))
        relationships = _read_channel_relationships(reader, fields.get("relationships", []), join(at, "relationships"))
        if channel is None or allowed is None or uses is None or relationships is None:
            continue
        if channel in first_index:
            reader.fail(at, f"The channel {channel.value} is already listed at {item(path, first_index[channel])}.")
            continue
        first_index[channel] = index
        if allowed and not uses:
            reader.fail(join(at, "uses"), "List at least one use for an allowed channel.")
        elif not allowed and uses:
            reader.fail(join(at, "uses"), "A channel that is not allowed can't have uses; leave the list empty.")
        if not allowed and relationships:
            reader.fail(
                join(at, "relationships"),
                "A channel that is not allowed is not allowed with anyone; leave the list empty.",
            )
        rules.append(ChannelRule(channel, allowed, uses, relationships))
    return tuple(rules)


def _read_distinct(reader: Reader, value: object, path: str, allowed, noun: str,
                   refuse: Callable[[object], str | None]) -> tuple | None:
    """A list of distinct choices; `refuse` names entries that read well but don't belong here."""
    entries = reader.array(value, path)
    if entries is None:
        return None
    chosen: list = []
    ok = True
    for index, entry in enumerate(entries):
        at = item(path, index)
        refusal = refuse(entry)
        if refusal:
            reader.fail(at, refusal)
            ok = False
            continue
        choice = reader.choice(entry, at, allowed)
        if choice is None:
            ok = False
        elif choice in chosen:
            reader.fail(at, f"The {noun} {choice.value} is listed twice.")
            ok = False
        else:
            chosen.append(choice)
    return tuple(chosen) if ok else None


def _read_uses(reader: Reader, value: object, path: str) -> tuple[ChannelUse, ...] | None:
    return _read_distinct(reader, value, path, _USES, "use",
                          lambda entry: _EMERGENCIES_MESSAGE if entry == "emergencies" else None)


def _read_channel_relationships(reader: Reader, value: object, path: str) -> tuple[Relationship, ...] | None:
    def colleague(entry: object) -> str | None:
        if isinstance(entry, str) and entry in _RELATIONSHIPS and entry not in _CHANNEL_RELATIONSHIPS:
            return "Work channels with colleagues are not set by the policy; name people on the client side."
        return None

    return _read_distinct(reader, value, path, _CHANNEL_RELATIONSHIPS, "relationship", colleague)


def _read_working_hours(reader: Reader, value: object, path: str) -> WorkingHours | None:
    fields = reader.fields(value, path, _HOURS_KEYS)
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
    texts = _read_texts(reader, value, path, _EXCEPTION_KEYS)
    return None if texts is None else Exceptions(*texts)


def _read_procedures(reader: Reader, value: object, path: str) -> Procedures | None:
    texts = _read_texts(reader, value, path, _PROCEDURE_KEYS)
    return None if texts is None else Procedures(*texts)


def _read_conduct(reader: Reader, value: object, path: str) -> tuple[Expectation, ...] | None:
    fields = reader.fields(value, path, _CONDUCT_KEYS)
    if fields is None:
        return None
    expectations = [_read_expectation(reader, fields.get(conduct.value), join(path, conduct.value), conduct)
                    for conduct in Conduct]
    if any(expectation is None for expectation in expectations):
        return None
    return tuple(expectation for expectation in expectations if expectation is not None)


def _read_expectation(reader: Reader, value: object, path: str, conduct: Conduct) -> Expectation | None:
    fields = reader.fields(value, path, _expectation_keys(conduct))
    if fields is None:
        return None
    on = reader.boolean(fields.get("on"), join(path, "on"))
    note = reader.string(fields.get("note"), join(path, "note"), max_length=MAX_TEXT)
    stance = None
    if conduct is Conduct.PROFESSIONAL_ACCOUNTS:
        stance = reader.choice(fields.get("stance"), join(path, "stance"), _STANCES)
        if stance is None:
            return None
    if on is None or note is None:
        return None
    return Expectation(conduct, on, note, stance)


# --- the same format as a JSON Schema ------------------------------------------------------------


def _object(properties: dict[str, Any], required: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}


def _enum(values: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _text(max_length: int = MAX_TEXT) -> dict[str, Any]:
    # No NUL characters: no database or terminal can hold them (lone surrogates JSON Schema can't name).
    return {"type": "string", "maxLength": max_length, "pattern": "^[^\\u0000]*$"}


def _unique_list(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items, "uniqueItems": True}


def _period_schema() -> dict[str, Any]:
    by_unit = [
        {"properties": {"unit": {"const": unit.value}, "amount": {"type": "integer", "minimum": 1, "maximum": limit}}}
        for unit, limit in MAX_PERIOD.items()
    ]
    return {**_object({"amount": {"type": "integer"}, "unit": _enum(_UNITS)}, _PERIOD_KEYS), "oneOf": by_unit}


def _expectation_schema(conduct: Conduct) -> dict[str, Any]:
    properties: dict[str, Any] = {"on": {"type": "boolean"}, "note": _text()}
    if conduct is Conduct.PROFESSIONAL_ACCOUNTS:
        properties["stance"] = _enum(_STANCES)
    return {**_object(properties, _expectation_keys(conduct)), "title": conduct.label}


def json_schema() -> dict[str, Any]:
    """The current document format as a JSON Schema (draft 2020-12); docs/policy.schema.json is this."""
    texts = lambda keys: _object({key: _text() for key in keys}, keys)  # noqa: E731
    clock = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
    rule = _object(
        {
            "relationship": _enum(_RELATIONSHIPS),
            "scope": _enum(_SCOPES),
            "decision": _enum(_DECISIONS),
            "rationale": _text(),
        },
        _RULE_KEYS,
    )
    channel = _object(
        {
            "channel": _enum(_CHANNELS),
            "allowed": {"type": "boolean"},
            "uses": _unique_list(_enum(_USES)),
            "relationships": _unique_list(_enum(_CHANNEL_RELATIONSHIPS)),
        },
        _CHANNEL_KEYS,
    )
    # An allowed channel lists its uses; one that isn't allowed lists no uses and names nobody.
    channel["if"] = {"properties": {"allowed": {"const": True}}}
    channel["then"] = {"properties": {"uses": {"minItems": 1}}}
    channel["else"] = {"properties": {"uses": {"maxItems": 0}, "relationships": {"maxItems": 0}}}
    hours = _object(
        {
            "days": {**_unique_list(_enum(_WEEKDAYS)), "minItems": 1},
            "start": clock,
            "end": clock,
            "response_within_hours": {"type": "integer", "minimum": 1, "maximum": MAX_RESPONSE_HOURS},
            "after_hours": _enum(_AFTER_HOURS),
        },
        _HOURS_KEYS,
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://boundaries.example/policy.schema.json",
        "title": "Boundaries agency policy",
        "description": (
            f"The policy document {SCHEMA!r}. Generated by `manage.py policy_schema`; the product's reader also "
            "refuses a rule that repeats a relationship and scope, a channel listed twice, and a working day "
            "that ends before it starts."
        ),
        **_object(
            {
                "schema": {"const": SCHEMA},
                "title": {**_text(MAX_TITLE), "minLength": 1, "not": {"pattern": r"^\s*$"}},
                "connection_rules": {"type": "array", "items": rule},
                "cooling_off": _object(
                    {key: {"oneOf": [{"type": "null"}, _period_schema()]} for key in _COOLING_KEYS}, _COOLING_KEYS
                ),
                "channels": {"type": "array", "items": channel},
                "working_hours": hours,
                "exceptions": texts(_EXCEPTION_KEYS),
                "procedures": texts(_PROCEDURE_KEYS),
                "conduct": _object({conduct.value: _expectation_schema(conduct) for conduct in Conduct}, _CONDUCT_KEYS),
            },
            _TOP_KEYS,
        ),
    }
