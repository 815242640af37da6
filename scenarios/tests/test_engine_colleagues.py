import dataclasses
import datetime as dt

import pytest

from scenarios.engine.evaluate import evaluate
from scenarios.engine.facts import Facts
from policies.document import DEFAULT_POLICY, STARTER_TEMPLATES, ConnectionRule
from scenarios.engine.vocabulary import (
    Decision,
    Option,
    PlatformGroup,
    Relationship,
    RequestKind,
    Verdict,
    parse_medium,
)

NOW = dt.datetime(2026, 3, 14, 12, 0)
FACTORS = ("power and seniority", "supervises", "team culture", "trust in how they handle")


def colleague_request(relationship: str, medium: str = "facebook", kind: str = "friend_request") -> Facts:
    return Facts(
        kind=RequestKind(kind),
        medium=parse_medium(medium),
        relationship=Relationship(relationship),
        client_status=None,
        discharged_on=None,
        received_at=dt.datetime(2026, 3, 12, 20, 0),
    )


def reason_texts(guidance, option: Option = Option.ACCEPT) -> str:
    return " ".join(r.text for r in guidance.option(option).reasons)


# One case per rule the default has for colleagues; the kind of request never changes the track,
# so each case uses a different one (a direct message on an app is still weighed as a colleague's).
@pytest.mark.parametrize(
    ("relationship", "medium", "kind", "verdict", "recommended"),
    [
        ("colleague", "instagram", "follow", Verdict.ALLOWED, (Option.ACCEPT,)),
        ("own_supervisee", "messaging_apps", "direct_message", Verdict.NEEDS_APPROVAL, (Option.DISCUSS,)),
        ("own_supervisor", "other_professional", "connection_request", Verdict.ALLOWED, (Option.ACCEPT,)),
    ],
)
def test_colleagues_are_weighed_by_the_colleague_factors_under_the_default(
    relationship: str, medium: str, kind: str, verdict: Verdict, recommended: tuple[Option, ...]
) -> None:
    guidance = evaluate(colleague_request(relationship, medium, kind), DEFAULT_POLICY, NOW)
    assert guidance.option(Option.ACCEPT).verdict is verdict
    assert guidance.recommended == recommended
    assert guidance.supervisor_review is (verdict is Verdict.NEEDS_APPROVAL)
    text = reason_texts(guidance)
    assert all(factor in text for factor in FACTORS)
    assert any(r.clause == "colleague factors" for r in guidance.option(Option.ACCEPT).reasons)


def test_between_peers_the_decision_is_personal() -> None:
    guidance = evaluate(colleague_request("colleague"), STARTER_TEMPLATES["strict"].policy, NOW)
    assert "the decision is personal" in reason_texts(guidance)
    assert "the decision is personal" in guidance.summary
    assert not any(c.section.startswith("3.01") for c in guidance.option(Option.ACCEPT).citations)


def test_a_supervisee_on_a_personal_network_needs_approval_with_an_approval_step() -> None:
    guidance = evaluate(colleague_request("own_supervisee"), None, NOW)
    accept = guidance.option(Option.ACCEPT)
    assert accept.verdict is Verdict.NEEDS_APPROVAL
    assert "supervisor_approval" in [s.key for s in accept.steps]
    assert accept.steps[0].key == "weigh_factors"
    assert ("NASW Code of Ethics", "3.01(c), 3.02(d)") in [(c.code, c.section) for c in accept.citations]


def test_a_colleague_on_a_work_channel_is_ordinary_work() -> None:
    guidance = evaluate(colleague_request("own_supervisor", "work_text", "text_message"), None, NOW)
    assert guidance.option(Option.ACCEPT).verdict is Verdict.ALLOWED
    assert "Work channels are there for work between colleagues" in reason_texts(guidance)


def test_a_policy_that_forbids_colleague_connections_is_followed() -> None:
    policy = dataclasses.replace(
        DEFAULT_POLICY,
        is_default=False,
        connection_rules=(
            ConnectionRule(Relationship.COLLEAGUE, PlatformGroup.PERSONAL_NETWORKS, Decision.NOT_ALLOWED, "Team rule."),
        ),
    )
    guidance = evaluate(colleague_request("colleague"), policy, NOW)
    assert guidance.option(Option.ACCEPT).verdict is Verdict.NOT_ALLOWED
    assert guidance.recommended == (Option.DISCUSS, Option.DECLINE)
    assert "Team rule." in reason_texts(guidance)


def test_a_colleague_without_a_rule_is_asked_about_not_refused() -> None:
    policy = dataclasses.replace(DEFAULT_POLICY, is_default=False, connection_rules=())
    guidance = evaluate(colleague_request("colleague"), policy, NOW)
    assert guidance.option(Option.ACCEPT).verdict is Verdict.NEEDS_APPROVAL
    assert guidance.fallback is True
    assert guidance.supervisor_review is True
    assert any(r.clause == "fallback" for r in guidance.option(Option.DISCUSS).reasons)


def test_a_small_community_does_not_change_colleague_guidance() -> None:
    facts = dataclasses.replace(colleague_request("colleague"), small_community=True)
    guidance = evaluate(facts, None, NOW)
    assert guidance.option(Option.ACCEPT).verdict is Verdict.ALLOWED
    assert guidance.supervisor_review is False
