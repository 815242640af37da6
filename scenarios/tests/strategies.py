"""Hypothesis strategies for the engine's inputs: well-formed facts, with the policy strategies re-exported.

Well-formed means what `parse_facts` accepts: any ISO date from year 1 to 9999, any text that can
be stored. Policies and hostile JSON come from policies/tests/strategies.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from hypothesis import strategies as st

from policies.tests.strategies import (  # noqa: F401 (shared with the engine's tests)
    ENGINE_PROPERTY,
    HOSTILE_TEXT,
    JSON,
    PROPERTY,
    TEXT,
    mutated,
    periods,
    policies,
    policy_documents,
    working_hours,
)
from scenarios.engine.facts import Facts, Profession
from scenarios.engine.vocabulary import BEFORE_KINDS, Channel, ClientStatus, Platform, Relationship, RequestKind

# Two draws in three sit at the ends of the calendar, where date arithmetic overflows.
DATES = st.dates() | st.dates(min_value=dt.date(9990, 1, 1)) | st.dates(max_value=dt.date(1, 1, 31))
MOMENTS = st.datetimes() | st.datetimes(min_value=dt.datetime(9999, 12, 31)) | st.datetimes(
    max_value=dt.datetime(1, 1, 2)
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
        profession=draw(st.none() | st.sampled_from(list(Profession))),
        safety_concern=draw(st.booleans()),
        written_consent=draw(st.booleans()),
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


def facts_document(value: Facts) -> dict[str, Any]:
    before = value.kind in BEFORE_KINDS
    extra = {"safety_concern": value.safety_concern, "written_consent": value.written_consent} if before else {}
    return {
        **extra,
        "kind": value.kind.value,
        "platform": value.medium.value if value.medium else None,
        "relationship": value.relationship.value if value.relationship else None,
        "client_status": value.client_status.value if value.client_status else None,
        "discharged_on": value.discharged_on.isoformat() if value.discharged_on else None,
        "received_at": value.received_at.isoformat(timespec="minutes"),
        "small_community": value.small_community,
        "context": value.context,
        **({"profession": value.profession.value} if value.profession else {}),
    }


