"""Hypothesis strategies for policies: well-formed policies and documents, and hostile JSON.

Well-formed means what `parse_document` accepts: any period up to the documented maximum, any
text that can be stored. The engine's own strategies (scenarios/tests/strategies.py) build on these.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from policies.document import STARTER_TEMPLATES, Policy, to_document
from policies.document.policy import (
    MAX_PERIOD,
    MAX_RESPONSE_HOURS,
    ChannelRule,
    ConnectionRule,
    Exceptions,
    Expectation,
    Period,
    Procedures,
    WorkingHours,
)
from policies.document.vocabulary import (
    CLIENT_SIDE_RELATIONSHIPS,
    AccountStance,
    AfterHours,
    Channel,
    ChannelUse,
    Conduct,
    Decision,
    Platform,
    PlatformGroup,
    Relationship,
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
        who = draw(st.lists(st.sampled_from(CLIENT_SIDE_RELATIONSHIPS), unique=True)) if allowed else []
        rules.append(ChannelRule(channel, allowed, tuple(uses), tuple(who)))
    return tuple(rules)


@st.composite
def connection_rules(draw: st.DrawFn) -> tuple[ConnectionRule, ...]:
    keys = draw(st.lists(st.tuples(st.sampled_from(list(Relationship)), SCOPES), unique=True, max_size=30))
    return tuple(
        ConnectionRule(relationship, scope, draw(st.sampled_from(list(Decision))), draw(TEXT))
        for relationship, scope in keys
    )


@st.composite
def conduct(draw: st.DrawFn) -> tuple[Expectation, ...]:
    return tuple(
        Expectation(
            item,
            draw(st.booleans()),
            draw(TEXT),
            draw(st.sampled_from(list(AccountStance))) if item is Conduct.PROFESSIONAL_ACCOUNTS else None,
        )
        for item in Conduct
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
        conduct=draw(conduct()),
    )


def policies() -> st.SearchStrategy[Policy]:
    """Any policy `parse_document` accepts (never the default: documents can't claim to be it).

    Some are the starter templates, whose work channels and cooling-off periods are in use.
    """
    return _any_policy() | st.sampled_from([template.policy for template in STARTER_TEMPLATES.values()])


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
