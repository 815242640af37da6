"""WhatsApp is a platform of its own, in the personal channels group (added by following docs/extending.md)."""

import dataclasses
import datetime as dt

from django.urls import reverse

from policies.document import STARTER_TEMPLATES, ConnectionRule, parse_document, to_document
from scenarios.engine.evaluate import evaluate
from scenarios.engine.facts import Facts
from scenarios.engine.vocabulary import (
    GROUP_MEMBERS,
    ClientStatus,
    Decision,
    Platform,
    PlatformGroup,
    Relationship,
    RequestKind,
    Verdict,
    parse_medium,
)
from scenarios.models import ContactRequest
from scenarios.tests.test_request_views import post_log

NOW = dt.datetime(2026, 3, 16, 10, 0)
BASE = STARTER_TEMPLATES["early_intervention"].policy
PEER_ON_WHATSAPP = Facts(RequestKind.DIRECT_MESSAGE, Platform.WHATSAPP, Relationship.COLLEAGUE, None, None,
                         dt.datetime(2026, 3, 16, 9, 30))
FAMILY_ON_WHATSAPP = Facts(RequestKind.DIRECT_MESSAGE, Platform.WHATSAPP, Relationship.CLIENT_FAMILY,
                           ClientStatus.CURRENT, None, dt.datetime(2026, 3, 16, 9, 30))


def test_whatsapp_is_a_personal_channel_with_its_own_name():
    assert parse_medium("whatsapp") is Platform.WHATSAPP and Platform.WHATSAPP.label == "WhatsApp"
    assert Platform.WHATSAPP in GROUP_MEMBERS[PlatformGroup.PERSONAL_CHANNELS]
    assert Platform.MESSAGING_APPS.label == "Other messaging apps"


def test_the_groups_rule_decides_until_the_agency_sets_one_for_whatsapp():
    guidance = evaluate(FAMILY_ON_WHATSAPP, BASE, NOW)
    assert guidance.option("accept").verdict is Verdict.NOT_ALLOWED
    assert guidance.option("accept").reasons[0].clause == "connection_rules: client_family / personal_channels"
    with_own_rule = dataclasses.replace(BASE, connection_rules=BASE.connection_rules + (
        ConnectionRule(Relationship.COLLEAGUE, Platform.WHATSAPP, Decision.NEEDS_APPROVAL, "Team chat stays on Teams."),))
    peer = evaluate(PEER_ON_WHATSAPP, with_own_rule, NOW).option("accept")
    assert peer.verdict is Verdict.NEEDS_APPROVAL
    assert any(reason.text.endswith("on WhatsApp is allowed only with your supervisor's approval. "
                                    "Team chat stays on Teams.") for reason in peer.reasons), peer.reasons


def test_a_document_with_a_whatsapp_rule_imports():
    document = to_document(BASE)
    document["connection_rules"].append({"relationship": "colleague", "scope": "whatsapp", "decision": "allowed"})
    policy = parse_document(document)
    assert policy.decision_for(Relationship.COLLEAGUE, Platform.WHATSAPP)[0] is Decision.ALLOWED


def test_a_practitioner_logs_a_whatsapp_message(client_for, practitioner):
    client = client_for(practitioner)
    assert '<option value="whatsapp">WhatsApp</option>' in client.get(reverse("scenarios:log")).content.decode()
    response = post_log(client, kind="direct_message", medium="whatsapp")
    assert response.status_code == 302
    assert ContactRequest.objects.get().medium == "whatsapp"
