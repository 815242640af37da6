"""The engine never raises on a combination it doesn't know, and its answers keep their shape."""

import dataclasses
import datetime as dt
import itertools

import pytest

from scenarios.engine.evaluate import evaluate
from scenarios.engine.facts import Facts
from scenarios.engine.guidance import StepField
from policies.document import DEFAULT_POLICY, STARTER_TEMPLATES, Policy
from scenarios.engine.vocabulary import (
    BEFORE_KINDS,
    Channel,
    ClientStatus,
    Option,
    Platform,
    Relationship,
    RequestKind,
    Verdict,
)

NOW = dt.datetime(2026, 3, 14, 12, 0)
POLICIES: dict[str, Policy] = {
    "default": DEFAULT_POLICY,
    **{slug: template.policy for slug, template in STARTER_TEMPLATES.items()},
    "empty": dataclasses.replace(DEFAULT_POLICY, is_default=False, title="Empty", connection_rules=(), channels=()),
}
MEDIA = (*Platform, *Channel)
STATUSES = (None, *ClientStatus)


# Every kind of request that arrives; the "Before I do it" checks have three options (test_engine_before.py).
ARRIVING = tuple(kind for kind in RequestKind if kind not in BEFORE_KINDS)


def every_request():
    for kind, medium, relationship, status in itertools.product(ARRIVING, MEDIA, Relationship, STATUSES):
        yield Facts(kind, medium, relationship, status, dt.date(2024, 5, 31), dt.datetime(2026, 3, 13, 23, 5))


@pytest.mark.parametrize("slug", list(POLICIES))
def test_every_combination_gives_well_formed_guidance(slug: str) -> None:
    policy = POLICIES[slug]
    for facts in every_request():
        guidance = evaluate(facts, policy, NOW)
        assert tuple(o.option for o in guidance.options) == tuple(Option)
        assert guidance.recommended and set(guidance.recommended) <= set(Option)
        assert guidance.summary and "\n" not in guidance.summary
        for option in guidance.options:
            keys = [step.key for step in option.steps]
            assert len(keys) == len(set(keys)), (facts, option.option)
            assert option.reasons, (facts, option.option)
            assert len(option.citations) == len(set(option.citations))
            if option.option in (Option.DISCUSS, Option.DECLINE):
                assert option.conversation_starters
                assert option.steps[-1].key == "done_on_platform"
            else:
                assert option.conversation_starters == ()
        for recommended in guidance.recommended:
            assert guidance.option(recommended).verdict is not Verdict.NOT_ALLOWED
        if any(o.verdict is Verdict.NEEDS_APPROVAL for o in guidance.options):
            assert guidance.supervisor_review, facts
        if guidance.fallback and not policy.is_default:
            assert any(r.clause == "fallback" or "missing" in r.text for r in guidance.option(Option.DISCUSS).reasons)


# One case per way a request can be odd: a connection on a work channel, one on a personal
# channel, a text on a network, a current client without a status, a discharged "current" client,
# and a "former" client still marked current.
@pytest.mark.parametrize(
    ("kind", "medium", "relationship", "status"),
    [
        (RequestKind.FRIEND_REQUEST, Channel.WORK_PHONE, Relationship.CURRENT_CLIENT, ClientStatus.CURRENT),
        (RequestKind.TAG_MENTION, Platform.MESSAGING_APPS, Relationship.COMMUNITY_MEMBER, None),
        (RequestKind.TEXT_MESSAGE, Platform.INSTAGRAM, Relationship.CURRENT_CLIENT, ClientStatus.CURRENT),
        (RequestKind.FRIEND_REQUEST, Platform.FACEBOOK, Relationship.CURRENT_CLIENT, None),
        (RequestKind.FRIEND_REQUEST, Platform.FACEBOOK, Relationship.CURRENT_CLIENT, ClientStatus.DISCHARGED),
        (RequestKind.FRIEND_REQUEST, Platform.LINKEDIN, Relationship.FORMER_CLIENT, ClientStatus.CURRENT),
    ],
    ids=["work-channel", "personal-channel", "text-on-a-network", "no-status", "discharged-current", "current-former"],
)
def test_odd_combinations_get_the_cautious_answer_and_say_so(kind, medium, relationship, status) -> None:
    facts = Facts(kind, medium, relationship, status, dt.date(2020, 1, 1), dt.datetime(2026, 3, 12, 10, 0))
    guidance = evaluate(facts, POLICIES["professional_after_discharge"], NOW)
    assert guidance.fallback is True
    assert guidance.supervisor_review is True
    assert guidance.option(Option.ACCEPT).verdict is Verdict.NOT_ALLOWED
    assert guidance.summary.startswith("As the policy doesn't settle this")
    assert any(r.clause == "fallback" for option in guidance.options for r in option.reasons)
    assert "Ask your supervisor how your policy applies here." in [f.text for f in guidance.follow_ups]


def test_a_missing_rule_gets_the_cautious_answer_and_names_the_gap() -> None:
    facts = Facts(
        RequestKind.FRIEND_REQUEST, Platform.FACEBOOK, Relationship.COMMUNITY_MEMBER, None, None, NOW
    )
    guidance = evaluate(facts, POLICIES["empty"], NOW)
    assert guidance.option(Option.ACCEPT).verdict is Verdict.NOT_ALLOWED
    assert guidance.fallback is True
    assert any("no rule for a community member met through work on Facebook" in r.text for r in guidance.option(Option.DECLINE).reasons)


def test_the_missing_status_reason_says_what_is_missing() -> None:
    facts = Facts(RequestKind.FRIEND_REQUEST, Platform.FACEBOOK, Relationship.CURRENT_CLIENT, None, None, NOW)
    reasons = evaluate(facts, POLICIES["strict"], NOW).option(Option.ACCEPT).reasons
    assert any("status isn't recorded" in r.text for r in reasons)


def test_walk_prompts_cover_the_documentation_points() -> None:
    facts = Facts(RequestKind.FRIEND_REQUEST, Platform.FACEBOOK, Relationship.CURRENT_CLIENT, ClientStatus.CURRENT, None, NOW)
    guidance = evaluate(facts, POLICIES["strict"], NOW)
    prompts = {step.key: step for o in guidance.options for step in o.steps}
    assert prompts["planned_action"].field is StepField.TEXT
    assert "talking points" in prompts["talking_points"].prompt.lower()
    assert prompts["next_session_date"].field is StepField.DATE
    assert prompts["conversation_date"].field is StepField.DATE
    assert "reaction" in prompts["conversation_notes"].prompt
    assert prompts["done_on_platform"].field is StepField.DONE


def test_the_discuss_walk_follows_the_ten_steps_in_order() -> None:
    facts = Facts(RequestKind.FRIEND_REQUEST, Platform.FACEBOOK, Relationship.CLIENT_FAMILY, ClientStatus.CURRENT, None, NOW)
    discuss = evaluate(facts, None, NOW).option(Option.DISCUSS)
    assert [s.key for s in discuss.steps] == [
        "pause",
        "record_request",
        "planned_action",
        "talking_points",
        "next_session_date",
        "explain_policy",
        "role_not_person",
        "validate_feelings",
        "offer_alternatives",
        "conversation_date",
        "conversation_notes",
        "done_on_platform",
    ]
