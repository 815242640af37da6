"""A logged request keeps the practitioner's profession with its facts; the page cites their own code first."""

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from policies.document import STARTER_TEMPLATES, ConnectionRule
from policies.models import PolicyStatus, PolicyVersion
from scenarios.engine.facts import Profession
from scenarios.engine.vocabulary import Decision, PlatformGroup, Relationship
from scenarios.models import ContactRequest
from scenarios.services import facts_for

from .conftest import facebook_from_parent

CLIENT_ON_FACEBOOK = {
    "kind": "friend_request", "medium": "facebook", "received_at": "2026-03-10T21:05",
    "relationship": "current_client", "client_status": "current", "client_reference": "RB-1042",
}


def _as(membership, profession: str):
    membership.profession = profession
    membership.save(update_fields=["profession"])
    return membership


def test_a_counsellor_logs_a_request_and_the_row_keeps_the_profession(client_for, practitioner):
    client = client_for(_as(practitioner, "counselor"))
    response = client.post(reverse("scenarios:log"), CLIENT_ON_FACEBOOK)
    contact_request = ContactRequest.objects.get()
    assert contact_request.profession == "counselor"
    assert facts_for(contact_request).profession is Profession.COUNSELOR
    first = contact_request.option_guidance("decline")["citations"][0]
    assert (first["code"], first["section"]) == ("ACA Code of Ethics (2014)", "A.5.e")
    assert AuditEvent.objects.get(action=AuditAction.REQUEST_LOGGED).data["profession"] == "counselor"
    body = client.get(response.url).content.decode()
    assert ("Logged by a counsellor, so the ACA Code of Ethics (2014) is cited first; the general references "
            "(NASW, ACA) only where it is silent.") in body
    codes = body.split('id="option-decline-heading"')[1].split("Professional codes")[1]
    assert codes.index("ACA Code of Ethics (2014) A.5.e") < codes.index("</ul>")
    assert "NASW Code of Ethics" not in codes.split("</ul>")[0]


def test_an_early_intervention_provider_sees_dec_first_then_the_general_references_marked(client_for, practitioner):
    client = client_for(_as(practitioner, "early_intervention_provider"))
    response = client.post(reverse("scenarios:log"), CLIENT_ON_FACEBOOK)
    codes = client.get(response.url).content.decode().split('id="option-decline-heading"')[1]
    codes = codes.split("Professional codes")[1].split("</ul>")[0]
    assert codes.index("DEC Code of Ethics") < codes.index("NASW Code of Ethics 1.06(h)")
    assert "Your code speaks generally here; NASW Code of Ethics 1.06(h) says:" in codes


def test_a_request_logged_before_professions_were_recorded_is_guided_as_before(log_request):
    contact_request = log_request()
    assert contact_request.profession == ""
    assert facts_for(contact_request).profession is None
    codes = [(c["code"], c["section"]) for c in contact_request.option_guidance("decline")["citations"]]
    assert codes[:2] == [("NASW Code of Ethics", "1.06(h)"), ("ACA Code of Ethics (2014)", "A.5.e")]
    gists = [c["gist"] for c in contact_request.option_guidance("decline")["citations"]]
    assert not any(gist.startswith("Your code speaks generally") for gist in gists)


def test_the_service_refuses_an_unknown_profession_keyed_by_field(practitioner):
    from scenarios import services

    with pytest.raises(ValidationError) as caught:
        services.request_log(agency=practitioner.agency, practitioner=practitioner.user, profession="dentist",
                             **facebook_from_parent())
    assert list(caught.value.message_dict) == ["profession"]
    assert not ContactRequest.objects.exists()


@pytest.fixture
def policy_allowing_clients_on_facebook(agency_a):
    """A published policy looser than the ACA code: current clients may connect on personal networks."""
    strict = STARTER_TEMPLATES["strict"].policy
    rule = ConnectionRule(Relationship.CURRENT_CLIENT, PlatformGroup.PERSONAL_NETWORKS, Decision.ALLOWED)
    version = PolicyVersion(agency=agency_a, number=1, status=PolicyStatus.PUBLISHED, based_on="template:strict",
                            effective_from=dt.date(2026, 1, 5), published_at=timezone.now())
    others = tuple(r for r in strict.connection_rules if (r.relationship, r.scope) != (rule.relationship, rule.scope))
    version.policy = dataclasses.replace(strict, connection_rules=(rule,) + others)
    version.save()
    return version


def test_a_counsellors_stricter_code_shows_under_accept_and_it_cannot_be_chosen(
        client_for, practitioner, policy_allowing_clients_on_facebook):
    client = client_for(_as(practitioner, "counselor"))
    response = client.post(reverse("scenarios:log"), CLIENT_ON_FACEBOOK)
    contact_request = ContactRequest.objects.get()
    assert contact_request.policy_version == policy_allowing_clients_on_facebook
    assert contact_request.verdict_of("accept") == "not_allowed"
    assert contact_request.recommended == ["discuss", "decline"]
    body = client.get(response.url).content.decode()
    accept = body.split('id="option-accept-heading"')[1].split('id="option-ignore-heading"')[0]
    assert "your own code is stricter: the ACA Code of Ethics (A.5.e)" in accept
    assert "From: Your professional code; see ACA Code of Ethics (2014) A.5.e." in accept
    assert "Your professional code doesn't allow this, so it can't be chosen." in accept


def test_a_social_worker_under_the_same_policy_may_accept(client_for, practitioner,
                                                          policy_allowing_clients_on_facebook):
    client_for(_as(practitioner, "social_worker")).post(reverse("scenarios:log"), CLIENT_ON_FACEBOOK)
    contact_request = ContactRequest.objects.get()
    assert contact_request.verdict_of("accept") == "allowed"
    assert contact_request.recommended == ["accept"]
