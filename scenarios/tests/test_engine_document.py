import copy
import datetime as dt
import json
from typing import Any

import pytest

from scenarios.engine.document import evaluate_document, parse_facts
from scenarios.engine.errors import DocumentError, FactsError, PolicyDocumentError
from policies.document import STARTER_TEMPLATES, to_document
from scenarios.engine.vocabulary import Channel, Platform

NOW = dt.datetime(2026, 3, 14, 12, 0)
FACTS: dict[str, Any] = {
    "kind": "friend_request",
    "platform": "facebook",
    "relationship": "client_family",
    "client_status": "current",
    "discharged_on": None,
    "received_at": "2026-03-13T23:05",
    "small_community": False,
    "context": "Parent of a toddler on the caseload.",
}


def doc(**facts: Any) -> dict[str, Any]:
    return {"facts": {**FACTS, **facts}}


def test_it_returns_json_ready_guidance_with_the_documented_keys() -> None:
    out = evaluate_document(doc(), NOW)
    assert list(out) == [
        "recommended",
        "options",
        "supervisor_review",
        "follow_ups",
        "fallback",
        "outside_working_hours",
        "summary",
        "policy_title",
    ]
    assert out["recommended"] == ["discuss", "decline"]
    assert list(out["options"]) == ["accept", "ignore", "discuss", "decline"]
    accept = out["options"]["accept"]
    assert list(accept) == ["label", "verdict", "reasons", "citations", "consequences", "steps", "conversation_starters"]
    assert list(accept["reasons"][0]) == ["text", "clause", "citations"]
    assert list(accept["citations"][0]) == ["code", "section", "gist"]
    assert list(out["options"]["discuss"]["steps"][0]) == ["key", "title", "prompt", "field"]
    assert out["follow_ups"] == [{"text": "Raise it at the next session.", "due": None}]
    assert out["policy_title"] == "Conservative default (no agency policy published)"
    assert json.loads(json.dumps(out)) == out


def test_it_uses_the_policy_in_the_document() -> None:
    policy = to_document(STARTER_TEMPLATES["early_intervention"].policy)
    out = evaluate_document(
        {"policy": policy, "facts": {**FACTS, "kind": "text_message", "platform": "work_text",
                                     "relationship": "current_client"}},
        NOW,
    )
    assert out["policy_title"] == "Early intervention social media policy"
    assert out["recommended"] == ["accept"]
    assert out["outside_working_hours"] is True
    assert out["follow_ups"] == [{"text": "Reply on the next working day, 2026-03-16, from 08:30.", "due": "2026-03-16"}]
    assert out["fallback"] is False


def test_a_null_policy_means_the_default() -> None:
    assert evaluate_document({"policy": None, "facts": FACTS}, NOW)["fallback"] is True


def test_optional_facts_may_be_left_out() -> None:
    facts = parse_facts({"kind": "follow", "platform": "work_email", "relationship": "colleague",
                         "received_at": "2026-03-13T09:00"})
    assert facts.medium is Channel.WORK_EMAIL
    assert (facts.client_status, facts.discharged_on, facts.small_community, facts.context) == (None, None, False, "")


def test_the_platform_may_be_a_network_or_a_channel() -> None:
    assert parse_facts(FACTS).medium is Platform.FACEBOOK
    assert parse_facts({**FACTS, "platform": "video"}).medium is Channel.VIDEO


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"received_at": "last night"}, "facts.received_at", "Use an ISO date-time such as 2026-03-14T23:05."),
        ({"received_at": "2026-03-13"}, "facts.received_at", "Use an ISO date-time such as 2026-03-14T23:05."),
        ({"received_at": "2026-02-30T23:05"}, "facts.received_at", "Use an ISO date-time such as 2026-03-14T23:05."),
        ({"received_at": "2026-03-13T23:05+01:00"}, "facts.received_at", "without a time-zone offset"),
        ({"discharged_on": "13/03/2021"}, "facts.discharged_on", "Use an ISO date such as 2026-03-14."),
        ({"kind": "poke"}, "facts.kind", "friend_request, follow"),
        ({"platform": "myspace"}, "facts.platform", "work_text"),
        ({"relationship": "neighbour"}, "facts.relationship", "community_member"),
        ({"client_status": "paused"}, "facts.client_status", "current, discharged, not_started"),
        ({"small_community": "yes"}, "facts.small_community", "true or false"),
        ({"context": "x" * 2001}, "facts.context", "2000"),
        ({"context": "Parent\x00"}, "facts.context", "NUL character (\\x00), which can't be saved"),
        ({"platform": "facebook\x00"}, "facts.platform", "Unknown value 'facebook\\x00'"),
        ({"mood": "calm"}, "facts.mood", "Unknown field"),
    ],
)
def test_bad_facts_raise_a_facts_error_with_a_path(change: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(FactsError) as caught:
        evaluate_document(doc(**change), NOW)
    assert any(where == path and message in text for where, text in caught.value.errors), caught.value.errors


def test_missing_facts_are_each_reported() -> None:
    with pytest.raises(FactsError) as caught:
        evaluate_document({"facts": {}}, NOW)
    assert [path for path, _ in caught.value.errors] == [
        "facts.kind",
        "facts.platform",
        "facts.relationship",
        "facts.received_at",
    ]


@pytest.mark.parametrize(
    ("document", "path"),
    [([], "(document)"), ({}, "facts"), ({"facts": FACTS, "extra": 1}, "extra"), ({"facts": []}, "facts")],
)
def test_a_badly_shaped_document_is_a_facts_error(document: Any, path: str) -> None:
    with pytest.raises(FactsError) as caught:
        evaluate_document(document, NOW)
    assert caught.value.errors[0][0] == path


def test_a_bad_policy_alone_is_a_policy_error_with_prefixed_paths() -> None:
    policy = copy.deepcopy(to_document(STARTER_TEMPLATES["strict"].policy))
    policy["working_hours"]["start"] = "18:00"
    with pytest.raises(PolicyDocumentError) as caught:
        evaluate_document({"policy": policy, "facts": FACTS}, NOW)
    assert caught.value.errors == (("policy.working_hours.start", "The working day must start before it ends."),)


def test_bad_facts_and_a_bad_policy_are_reported_together() -> None:
    policy = copy.deepcopy(to_document(STARTER_TEMPLATES["strict"].policy))
    policy["title"] = ""
    with pytest.raises(DocumentError) as caught:
        evaluate_document({"policy": policy, "facts": {**FACTS, "kind": "poke"}}, NOW)
    assert [path for path, _ in caught.value.errors] == ["facts.kind", "policy.title"]
