"""Hypothesis strategies for the engine's inputs: well-formed policies and facts, and hostile JSON.

Well-formed means what `parse_document` and `parse_facts` accept: any ISO date from year 1 to
9999, any period up to the documented maximum, any text that can be stored.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from scenarios.engine.facts import Facts
from scenarios.engine.policy import (
    MAX_PERIOD,
    MAX_RESPONSE_HOURS,
    STARTER_TEMPLATES,
    ChannelRule,
    ConnectionRule,
    Exceptions,
    Period,
    Policy,
    Procedures,
    WorkingHours,
    to_document,
)
from scenarios.engine.vocabulary import (
    AfterHours,
    Channel,
    ChannelUse,
    ClientStatus,
    Decision,
    Platform,
    PlatformGroup,
    Relationship,
    RequestKind,
    Weekday,
)

# Few examples per property: the suite runs on two shared cores. No example database: nothing
# is written to the working tree.
PROPERTY = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# The pure engine is fast enough for more.
ENGINE_PROPERTY = settings(PROPERTY, max_examples=150)

# Storable text; control characters included, NUL and lone surrogates are not.
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
# Anything a JSON string may hold once decoded, the characters the reader refuses included.
HOSTILE_TEXT = st.text(st.characters(exclude_categories=()), max_size=12) | st.sampled_from(
    ["\x00", "facebook\x00", "\ud800", "9999-12-31", "9999-12-31T23:59", "0001-01-01T00:00", "emergencies"]
)

SCOPES = st.sampled_from([*Platform, *PlatformGroup])
# Two draws in three sit at the ends of the calendar, where date arithmetic overflows.
DATES = st.dates() | st.dates(min_value=dt.date(9990, 1, 1)) | st.dates(max_value=dt.date(1, 1, 31))
MOMENTS = st.datetimes() | st.datetimes(min_value=dt.datetime(9999, 12, 31)) | st.datetimes(
    max_value=dt.datetime(1, 1, 2)
)
CLOCK = st.times().map(lambda moment: moment.replace(second=0, microsecond=0))


@st.composite
def periods(draw: st.DrawFn) -> Period:
    unit = draw(st.sampled_from(list(MAX_PERIOD)))
    return Period(draw(st.integers(1, MAX_PERIOD[unit])), unit)


@st.composite
def working_hours(draw: st.DrawFn) -> WorkingHours:
    days = draw(st.lists(st.sampled_from(list(Weekday)), min_size=1, max_size=7, unique=True))
    start, end = sorted(draw(st.lists(CLOCK, min_size=2, max_size=2, unique=True)))
    return WorkingHours(
        tuple(days),
        start,
        end,
        draw(st.integers(1, MAX_RESPONSE_HOURS)),
        draw(st.sampled_from(list(AfterHours))),
    )


@st.composite
def channel_rules(draw: st.DrawFn) -> tuple[ChannelRule, ...]:
    rules = []
    for channel in draw(st.lists(st.sampled_from(list(Channel)), unique=True)):
        allowed = draw(st.booleans())
        uses = draw(st.lists(st.sampled_from(list(ChannelUse)), min_size=1, unique=True)) if allowed else []
        rules.append(ChannelRule(channel, allowed, tuple(uses)))
    return tuple(rules)


@st.composite
def connection_rules(draw: st.DrawFn) -> tuple[ConnectionRule, ...]:
    keys = draw(st.lists(st.tuples(st.sampled_from(list(Relationship)), SCOPES), unique=True, max_size=30))
    return tuple(
        ConnectionRule(relationship, scope, draw(st.sampled_from(list(Decision))), draw(TEXT))
        for relationship, scope in keys
    )


@st.composite
def _any_policy(draw: st.DrawFn) -> Policy:
    return Policy(
        title=draw(TEXT.filter(lambda title: bool(title.strip()))),
        connection_rules=draw(connection_rules()),
        cooling_off_after_discharge=draw(st.none() | periods()),
        cooling_off_after_leaving=draw(st.none() | periods()),
        channels=draw(channel_rules()),
        working_hours=draw(working_hours()),
        exceptions=Exceptions(draw(TEXT), draw(TEXT), draw(TEXT)),
        procedures=Procedures(draw(TEXT), draw(TEXT)),
    )


@st.composite
def _any_facts(draw: st.DrawFn) -> Facts:
    return Facts(
        kind=draw(st.sampled_from(list(RequestKind))),
        medium=draw(st.sampled_from([*Platform, *Channel])),
        relationship=draw(st.sampled_from(list(Relationship))),
        client_status=draw(st.none() | st.sampled_from(list(ClientStatus))),
        discharged_on=draw(st.none() | DATES),
        received_at=draw(MOMENTS.map(lambda moment: moment.replace(second=0, microsecond=0))),
        small_community=draw(st.booleans()),
        context=draw(TEXT),
    )


def facts() -> st.SearchStrategy[Facts]:
    """Any facts `parse_facts` accepts, odd combinations and contradictions included.

    A third are a client's text on a work channel and a third a former client's request, so the
    reply deadline and the cooling-off arithmetic meet the ends of the calendar often.
    """
    message = st.builds(
        lambda base, medium: replace(base, kind=RequestKind.TEXT_MESSAGE, medium=medium,
                                     relationship=Relationship.CURRENT_CLIENT, client_status=ClientStatus.CURRENT),
        _any_facts(), st.sampled_from(list(Channel)),
    )
    former = st.builds(
        lambda base, discharged_on: replace(base, relationship=Relationship.FORMER_CLIENT,
                                            client_status=ClientStatus.DISCHARGED, discharged_on=discharged_on),
        _any_facts(), DATES,
    )
    return _any_facts() | message | former


def policies() -> st.SearchStrategy[Policy]:
    """Any policy `parse_document` accepts (never the default: documents can't claim to be it).

    Some are the starter templates, whose work channels and cooling-off periods are in use.
    """
    return _any_policy() | st.sampled_from([template.policy for template in STARTER_TEMPLATES.values()])


def facts_document(value: Facts) -> dict[str, Any]:
    return {
        "kind": value.kind.value,
        "platform": value.medium.value,
        "relationship": value.relationship.value,
        "client_status": value.client_status.value if value.client_status else None,
        "discharged_on": value.discharged_on.isoformat() if value.discharged_on else None,
        "received_at": value.received_at.isoformat(timespec="minutes"),
        "small_community": value.small_community,
        "context": value.context,
    }


JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | HOSTILE_TEXT
JSON = st.recursive(
    JSON_LEAVES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(HOSTILE_TEXT, children, max_size=4),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside a JSON value that a mutation may replace."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, prefix + (index,))
    return found


@st.composite
def mutated(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """A valid document with one value replaced by anything JSON can hold, or one extra field."""
    changed = copy.deepcopy(document)
    path = draw(st.sampled_from(_paths(changed)))
    target: Any = changed
    for key in path[:-1]:
        target = target[key]
    if isinstance(target, dict) and draw(st.booleans()):
        target[draw(HOSTILE_TEXT)] = draw(JSON)
    else:
        target[path[-1]] = draw(JSON)
    return changed


@st.composite
def policy_documents(draw: st.DrawFn) -> Any:
    """Mostly near-valid policy documents with one thing wrong (or right), sometimes any JSON at all."""
    valid = to_document(draw(policies()))
    return draw(st.one_of(st.just(valid), mutated(valid), JSON))
