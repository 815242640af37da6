"""Channels for named relationships and the conduct expectations, in the engine and in `evaluate_request`."""

import copy
import dataclasses
import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from policies.document import STARTER_TEMPLATES, ChannelRule, Expectation, to_document
from policies.document.policy import NO_CONDUCT
from scenarios.engine.evaluate import evaluate
from scenarios.engine.facts import Facts
from scenarios.engine.vocabulary import (
    Channel,
    ChannelUse,
    ClientStatus,
    Conduct,
    Platform,
    Relationship,
    RequestKind,
    Verdict,
)

NOW = dt.datetime(2026, 3, 16, 10, 0)
MONDAY_MORNING = dt.datetime(2026, 3, 16, 9, 30)
BASE = STARTER_TEMPLATES["early_intervention"].policy
# "Families may text the work mobile; clients only by phone."
FAMILIES_TEXT = dataclasses.replace(BASE, channels=(
    ChannelRule(Channel.WORK_PHONE, True, (ChannelUse.SCHEDULING,)),
    ChannelRule(Channel.WORK_TEXT, True, (ChannelUse.SCHEDULING, ChannelUse.ENCOURAGEMENT), (Relationship.CLIENT_FAMILY,)),
))
NOTE = "Our photo consent form is in the shared drive."


def text_from(relationship: Relationship, channel: Channel = Channel.WORK_TEXT) -> Facts:
    status = ClientStatus.CURRENT if relationship in (Relationship.CURRENT_CLIENT, Relationship.CLIENT_FAMILY) else None
    return Facts(RequestKind.TEXT_MESSAGE, channel, relationship, status, None, MONDAY_MORNING)


def texts_of(option) -> list[str]:
    return [reason.text for reason in option.reasons]


def test_a_channel_for_families_only_allows_a_familys_text():
    accept = evaluate(text_from(Relationship.CLIENT_FAMILY), FAMILIES_TEXT, NOW).option("accept")
    assert accept.verdict is Verdict.ALLOWED
    assert accept.reasons[0].text == ("The policy allows work mobile texts with a client's family member for: "
                                      "scheduling and reminders and a word of encouragement.")


def test_a_channel_for_families_only_refuses_a_clients_text_and_offers_the_phone():
    guidance = evaluate(text_from(Relationship.CURRENT_CLIENT), FAMILIES_TEXT, NOW)
    accept, discuss = guidance.option("accept"), guidance.option("discuss")
    assert accept.verdict is Verdict.NOT_ALLOWED
    assert accept.reasons[0].text == "The policy allows work mobile texts only with a client's family member."
    assert accept.reasons[0].clause == "channels: work_text"
    assert "Offer the channels the policy allows: work phone calls." in texts_of(discuss)


def test_a_channel_that_names_nobody_is_for_everyone_on_the_client_side():
    for relationship in (Relationship.CURRENT_CLIENT, Relationship.CLIENT_FAMILY):
        assert evaluate(text_from(relationship, Channel.WORK_PHONE), FAMILIES_TEXT, NOW).option("accept").verdict \
            is Verdict.ALLOWED


CONDUCT_ON = tuple(dataclasses.replace(expectation, on=True) for expectation in NO_CONDUCT)
WITH_NOTE = tuple(
    Expectation(Conduct.CLIENT_PHOTOS_WITH_CONSENT, True, NOTE) if expectation.conduct is Conduct.CLIENT_PHOTOS_WITH_CONSENT
    else expectation for expectation in CONDUCT_ON
)


@pytest.mark.parametrize(("kind", "platform", "relationship", "expected"), [
    (RequestKind.FRIEND_REQUEST, Platform.FACEBOOK, Relationship.CURRENT_CLIENT,
     ["conduct.private_personal_accounts", "conduct.no_searching_for_clients"]),
    (RequestKind.FOLLOW, Platform.INSTAGRAM, Relationship.FORMER_CLIENT,
     ["conduct.private_personal_accounts", "conduct.no_searching_for_clients"]),
    (RequestKind.TAG_MENTION, Platform.FACEBOOK, Relationship.CLIENT_FAMILY,
     ["conduct.private_personal_accounts", "conduct.no_searching_for_clients", "conduct.no_posts_about_work",
      "conduct.client_photos_with_consent", "conduct.client_photos_with_consent"]),
    (RequestKind.TEXT_MESSAGE, Channel.WORK_TEXT, Relationship.CLIENT_FAMILY, []),
    (RequestKind.FRIEND_REQUEST, Platform.FACEBOOK, Relationship.COLLEAGUE, []),
])
def test_the_stated_conduct_is_recalled_where_the_request_touches_it(kind, platform, relationship, expected):
    status = ClientStatus.DISCHARGED if relationship is Relationship.FORMER_CLIENT else ClientStatus.CURRENT
    facts = Facts(kind, platform, relationship, status, dt.date(2020, 1, 1), MONDAY_MORNING)
    stated = evaluate(facts, dataclasses.replace(BASE, conduct=WITH_NOTE), NOW)
    unstated = evaluate(facts, dataclasses.replace(BASE, conduct=NO_CONDUCT), NOW)
    for option in ("accept", "ignore", "discuss", "decline"):
        clauses = [reason.clause for reason in stated.option(option).reasons if reason.clause.startswith("conduct.")]
        assert clauses == expected
        assert not [r for r in unstated.option(option).reasons if r.clause.startswith("conduct.")]
    if "conduct.client_photos_with_consent" in expected:
        assert NOTE in texts_of(stated.option("discuss"))
    # A reminder never changes what may be done.
    assert stated.option("accept").verdict is unstated.option("accept").verdict


def test_evaluate_request_reads_a_v2_policy_with_both_settings(tmp_path):
    policy = to_document(dataclasses.replace(FAMILIES_TEXT, conduct=WITH_NOTE))
    facts = {"kind": "text_message", "platform": "work_text", "relationship": "current_client",
             "client_status": "current", "received_at": "2026-03-16T09:30"}
    tag = {**facts, "kind": "tag_mention", "platform": "facebook", "relationship": "client_family"}
    for document, check in [
        ({"policy": policy, "facts": facts},
         lambda out: out["options"]["accept"]["reasons"][0]["text"]
         == "The policy allows work mobile texts only with a client's family member."),
        ({"policy": policy, "facts": tag},
         lambda out: NOTE in [reason["text"] for reason in out["options"]["discuss"]["reasons"]]),
    ]:
        path = tmp_path / "request.json"
        path.write_text(json.dumps(document))
        out = StringIO()
        call_command("evaluate_request", str(path), "--now", "2026-03-16T10:00", stdout=out)
        assert check(json.loads(out.getvalue()))


def test_a_v1_policy_in_a_request_document_keeps_its_old_answer(tmp_path):
    policy = copy.deepcopy(to_document(FAMILIES_TEXT))
    policy["schema"] = "boundaries.policy/1"
    del policy["conduct"]
    for channel in policy["channels"]:
        del channel["relationships"]
    facts = {"kind": "friend_request", "platform": "facebook", "relationship": "current_client",
             "client_status": "current", "received_at": "2026-03-16T09:30"}
    path = tmp_path / "request.json"
    path.write_text(json.dumps({"policy": policy, "facts": facts}))
    out = StringIO()
    call_command("evaluate_request", str(path), "--now", "2026-03-16T10:00", stdout=out)
    reasons = json.loads(out.getvalue())["options"]["accept"]["reasons"]
    assert not [reason for reason in reasons if reason["clause"].startswith("conduct.")]
