"""Properties of the pure engine: it never raises on well-formed input, and bad JSON is an error, not a crash."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from scenarios.engine.document import evaluate_document
from scenarios.engine.errors import DocumentError
from scenarios.engine.evaluate import evaluate
from scenarios.engine.facts import Facts
from scenarios.engine.guidance import Guidance
from policies.document import STARTER_TEMPLATES, Policy, parse_document, to_document
from policies.document.reading import text_problem
from scenarios.engine.vocabulary import BeforeOption, Option, Verdict
from scenarios.tests.strategies import (
    ENGINE_PROPERTY,
    JSON,
    MOMENTS,
    PROPERTY,
    facts,
    facts_document,
    mutated,
    policies,
    policy_documents,
)

NOW = dt.datetime(2026, 3, 14, 12, 0)
REQUEST = {
    "policy": to_document(STARTER_TEMPLATES["early_intervention"].policy),
    "facts": {"kind": "text_message", "platform": "work_text", "relationship": "former_client",
              "client_status": "discharged", "discharged_on": "2021-03-14", "received_at": "2026-03-13T23:05",
              "small_community": False, "context": "A text after hours."},
}


def assert_well_formed(guidance: Guidance) -> None:
    # A request that arrived has the four options; a "Before I do it" check the three.
    offered = tuple(option.option for option in guidance.options)
    assert offered in (tuple(Option), tuple(BeforeOption))
    assert guidance.recommended and set(guidance.recommended) <= set(offered)
    assert all(guidance.option(option).verdict is not Verdict.NOT_ALLOWED for option in guidance.recommended)
    assert guidance.summary and "\n" not in guidance.summary
    for option in guidance.options:
        keys = [step.key for step in option.steps]
        assert len(keys) == len(set(keys))
        assert option.reasons
        assert len(option.citations) == len(set(option.citations))
        assert all(citation.code for citation in option.citations)
        # A practitioner's own code that forbids an option makes it not allowed, so it is never recommended.
        if any(reason.clause == "professional code" for reason in option.reasons):
            assert option.verdict is Verdict.NOT_ALLOWED
    # Asking the supervisor is a choice the practitioner makes, so it alone calls for no review.
    if any(option.verdict is Verdict.NEEDS_APPROVAL for option in guidance.options
           if option.option is not BeforeOption.ASK_SUPERVISOR):
        assert guidance.supervisor_review


@ENGINE_PROPERTY
@given(policy=st.none() | policies(), request=facts(), now=MOMENTS)
def test_any_well_formed_policy_and_facts_give_well_formed_guidance(
    policy: Policy | None, request: Facts, now: dt.datetime
) -> None:
    guidance = evaluate(request, policy, now)
    assert_well_formed(guidance)
    # Deterministic: the same input, evaluated again, gives the same answer down to the JSON.
    assert evaluate(request, policy, now) == guidance
    document = {"facts": facts_document(request), **({"policy": to_document(policy)} if policy else {})}
    assert evaluate_document(json.loads(json.dumps(document)), now) == guidance.to_dict()


@ENGINE_PROPERTY
@given(policy=policies())
def test_every_well_formed_policy_survives_export_and_import(policy: Policy) -> None:
    assert parse_document(json.loads(json.dumps(to_document(policy)))) == policy


def _assert_refused_cleanly(error: DocumentError) -> None:
    assert error.errors
    for path, message in error.errors:
        # Paths and messages are printed by the commands and shown on pages: nothing unprintable.
        assert text_problem(path) is None and text_problem(message) is None


@PROPERTY
@given(document=JSON)
def test_any_json_document_is_guidance_or_a_document_error(document: Any) -> None:
    try:
        evaluate_document(document, NOW)
    except DocumentError as error:
        _assert_refused_cleanly(error)


@ENGINE_PROPERTY
@given(document=mutated(REQUEST), now=MOMENTS)
def test_a_request_document_with_one_thing_wrong_is_guidance_or_a_document_error(
    document: dict[str, Any], now: dt.datetime
) -> None:
    try:
        guidance = evaluate_document(document, now)
    except DocumentError as error:
        _assert_refused_cleanly(error)
    else:
        json.dumps(guidance)


@ENGINE_PROPERTY
@given(document=policy_documents())
def test_any_policy_document_is_a_policy_or_a_document_error(document: Any) -> None:
    try:
        parse_document(document)
    except DocumentError as error:
        _assert_refused_cleanly(error)
