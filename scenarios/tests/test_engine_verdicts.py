"""`verdicts` is the what-if's fast path: it must decide exactly as `evaluate` does."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from policies.document import Policy
from scenarios.engine import evaluate, verdicts, verdicts_key
from scenarios.engine.facts import Facts
from scenarios.tests.strategies import ENGINE_PROPERTY, MOMENTS, facts, policies


@ENGINE_PROPERTY
@given(policy=st.none() | policies(), request=facts(), now=MOMENTS)
def test_verdicts_are_the_verdicts_evaluate_gives_each_option(policy: Policy | None, request: Facts,
                                                             now: dt.datetime) -> None:
    guidance = evaluate(request, policy, now)
    assert verdicts(request, policy, now) == tuple(option.verdict for option in guidance.options)


@ENGINE_PROPERTY
@given(policy=st.none() | policies(), request=facts(), now=MOMENTS, other=facts(), other_now=MOMENTS)
def test_requests_with_the_same_key_get_the_same_verdicts(policy: Policy | None, request: Facts, now: dt.datetime,
                                                          other: Facts, other_now: dt.datetime) -> None:
    # The same request at another time, with other words of context and another discharge date;
    # where a cooling-off period can apply, the date and the day matter, so they stay as they were.
    variant = dataclasses.replace(request, received_at=other.received_at, context=other.context,
                                  discharged_on=other.discharged_on)
    if verdicts_key(variant, other_now) != verdicts_key(request, now):
        variant, other_now = dataclasses.replace(variant, discharged_on=request.discharged_on), now
    assert verdicts_key(variant, other_now) == verdicts_key(request, now)
    assert verdicts(variant, policy, other_now) == verdicts(request, policy, now)
