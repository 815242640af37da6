"""Whose code the guidance cites, and a code stricter than the agency's policy: pure engine, no database."""

import dataclasses
import datetime as dt

import pytest

from policies.document import STARTER_TEMPLATES, ConnectionRule, Policy
from scenarios.engine import FactsError, evaluate_document
from scenarios.engine.evaluate import evaluate
from scenarios.engine.facts import Facts, Profession
from scenarios.engine.professions import CODE_CLAUSE, citation
from scenarios.engine.vocabulary import (
    ClientStatus,
    Decision,
    Option,
    Platform,
    PlatformGroup,
    Relationship,
    RequestKind,
    Verdict,
    parse_medium,
)

NOW = dt.datetime(2026, 3, 14, 12, 0)
THURSDAY_MORNING = dt.datetime(2026, 3, 12, 10, 0)
STRICT = STARTER_TEMPLATES["strict"].policy
FALLBACK_OPENING = "Your code speaks generally here; "


def request(profession: Profession | None, *, kind: str = "friend_request", medium: str = "facebook",
            relationship: str = "current_client", status: str | None = "current") -> Facts:
    return Facts(
        kind=RequestKind(kind),
        medium=parse_medium(medium),
        relationship=Relationship(relationship),
        client_status=None if status is None else ClientStatus(status),
        discharged_on=None,
        received_at=THURSDAY_MORNING,
        profession=profession,
    )


def allowing(decision: Decision, scope=PlatformGroup.PERSONAL_NETWORKS) -> Policy:
    """The strict template, with current clients on personal networks decided as given."""
    rule = ConnectionRule(Relationship.CURRENT_CLIENT, scope, decision, "Our families asked for it.")
    others = tuple(r for r in STRICT.connection_rules if (r.relationship, r.scope) != (rule.relationship, rule.scope))
    return dataclasses.replace(STRICT, connection_rules=(rule,) + others)


def cited(option) -> list[tuple[str, str]]:
    return [(c.code, c.section) for c in option.citations]


# A current client's Facebook friend request under the strict template: what the decline card cites
# first, and whether the practitioner's code is silent somewhere (so general references follow, marked).
CASES = [
    (Profession.SOCIAL_WORKER, ("NASW Code of Ethics", "1.06(h)"), False),
    (Profession.COUNSELOR, ("ACA Code of Ethics (2014)", "A.5.e"), False),
    (Profession.MARRIAGE_FAMILY_THERAPIST, ("AAMFT Code (2015)", "1.3"), True),
    (Profession.PSYCHOLOGIST, ("APA Ethics Code", "3.05"), True),
    (Profession.NURSE, ("ANA Principles for Social Networking and the Nurse (2011)", ""), True),
    (Profession.OCCUPATIONAL_THERAPIST,
     ("AOTA Occupational Therapy Code of Ethics (2020)", "Standards of Conduct 1B, 1G"), True),
    (Profession.SPEECH_LANGUAGE_PATHOLOGIST, ("ASHA Issues in Ethics: Ethical Use of Social Media", ""), True),
    (Profession.PHYSICAL_THERAPIST, ("APTA Code of Ethics for the Physical Therapist", "2E"), True),
    (Profession.EARLY_INTERVENTION_PROVIDER,
     ("DEC Code of Ethics (Division for Early Childhood)", "Professional and Interpersonal Behavior, item 2"), True),
]


@pytest.mark.parametrize(("profession", "first", "silent_somewhere"), CASES, ids=[case[0].value for case in CASES])
def test_it_cites_the_practitioners_own_code_first(profession, first, silent_somewhere) -> None:
    decline = evaluate(request(profession), STRICT, NOW).option(Option.DECLINE)
    assert cited(decline)[0] == first
    marked = [c for c in decline.citations if c.gist.startswith(FALLBACK_OPENING)]
    assert bool(marked) is silent_somewhere
    # Own code before any general reference it falls back on.
    if marked:
        assert decline.citations.index(marked[0]) > 0
        assert all(c.gist.startswith(FALLBACK_OPENING) for c in decline.citations[decline.citations.index(marked[0]):])


def test_a_social_worker_sees_only_nasw_where_nasw_speaks() -> None:
    guidance = evaluate(request(Profession.SOCIAL_WORKER), STRICT, NOW)
    codes = {c.code for option in guidance.options for c in option.citations}
    assert "ACA Code of Ethics (2014)" not in codes
    assert not any(c.gist.startswith(FALLBACK_OPENING) for option in guidance.options for c in option.citations)


def test_the_fallback_names_the_general_section_and_says_the_code_speaks_generally() -> None:
    decline = evaluate(request(Profession.EARLY_INTERVENTION_PROVIDER), STRICT, NOW).option(Option.DECLINE)
    dec, nasw = decline.citations[0], decline.citations[1]
    assert "speaks only generally" in dec.gist
    assert (nasw.code, nasw.section) == ("NASW Code of Ethics", "1.06(h)")
    assert nasw.gist == (
        "Your code speaks generally here; NASW Code of Ethics 1.06(h) says: don't accept requests from clients on "
        "personal social networks or build personal ties there."
    )


def test_each_reason_names_the_own_code_first_too() -> None:
    decline = evaluate(request(Profession.COUNSELOR), STRICT, NOW).option(Option.DECLINE)
    reason = next(r for r in decline.reasons if r.text.startswith("Declining is the usual answer"))
    assert reason.citation_keys == ("aca_a_5_e",)


@pytest.mark.parametrize("profession", [None, Profession.OTHER], ids=["not recorded", "other"])
def test_without_a_known_profession_the_general_references_stand_as_today(profession) -> None:
    # Only the recorded fact differs: every option, reason and citation is today's.
    assert evaluate(request(profession), STRICT, NOW).options == evaluate(request(None), STRICT, NOW).options
    decline = evaluate(request(profession), STRICT, NOW).option(Option.DECLINE)
    assert cited(decline)[:2] == [("NASW Code of Ethics", "1.06(h)"), ("ACA Code of Ethics (2014)", "A.5.e")]


# --- a code stricter than the agency's policy -------------------------------------------------------


@pytest.mark.parametrize("decision", [Decision.ALLOWED, Decision.NEEDS_APPROVAL])
def test_a_counsellors_code_forbids_what_the_policy_would_allow(decision) -> None:
    guidance = evaluate(request(Profession.COUNSELOR), allowing(decision), NOW)
    accept = guidance.option(Option.ACCEPT)
    assert accept.verdict is Verdict.NOT_ALLOWED
    assert accept.steps == ()
    # The policy's own line first, then what the code says about it.
    assert accept.reasons[0].clause.startswith("connection_rules:")
    note = accept.reasons[1]
    assert note.clause == CODE_CLAUSE
    assert note.text.startswith("Your agency's policy would allow this, but your own code is stricter")
    assert cited(accept)[0][0] == "ACA Code of Ethics (2014)"
    assert note.citation_keys == ("aca_a_5_e",)
    assert Option.ACCEPT not in guidance.recommended
    assert guidance.recommended == (Option.DISCUSS, Option.DECLINE)
    assert guidance.summary.startswith("Don't accept")
    # The note stands under the option concerned only.
    assert not any(r.clause == CODE_CLAUSE for r in guidance.option(Option.DISCUSS).reasons)


def test_a_social_worker_under_the_same_policy_may_accept() -> None:
    guidance = evaluate(request(Profession.SOCIAL_WORKER), allowing(Decision.ALLOWED), NOW)
    assert guidance.option(Option.ACCEPT).verdict is Verdict.ALLOWED
    assert guidance.recommended == (Option.ACCEPT,)
    assert not any(r.clause == CODE_CLAUSE for option in guidance.options for r in option.reasons)


def test_keeping_an_accidental_connection_is_forbidden_both_ways_for_a_counsellor() -> None:
    guidance = evaluate(request(Profession.COUNSELOR, kind="accidental_connection"), allowing(Decision.ALLOWED), NOW)
    for option in (Option.ACCEPT, Option.IGNORE):
        assert guidance.option(option).verdict is Verdict.NOT_ALLOWED
        assert any(reason.clause == CODE_CLAUSE for reason in guidance.option(option).reasons)


def test_a_professional_network_is_not_a_personal_virtual_relationship() -> None:
    policy = allowing(Decision.ALLOWED, scope=Platform.LINKEDIN)
    guidance = evaluate(request(Profession.COUNSELOR, kind="connection_request", medium="linkedin"), policy, NOW)
    assert guidance.option(Option.ACCEPT).verdict is Verdict.ALLOWED


def test_a_former_client_is_left_to_the_policy() -> None:
    policy = dataclasses.replace(STRICT, connection_rules=(
        ConnectionRule(Relationship.FORMER_CLIENT, PlatformGroup.PERSONAL_NETWORKS, Decision.ALLOWED),),
        cooling_off_after_discharge=None)
    facts = request(Profession.COUNSELOR, relationship="former_client", status="discharged")
    assert evaluate(facts, policy, NOW).option(Option.ACCEPT).verdict is Verdict.ALLOWED


# --- the request document --------------------------------------------------------------------------


def _document(**facts) -> dict:
    return {"facts": {"kind": "friend_request", "platform": "facebook", "relationship": "current_client",
                      "client_status": "current", "received_at": "2026-03-12T10:00:00", **facts}}


def test_the_document_takes_a_profession_and_keeps_code_and_section() -> None:
    output = evaluate_document(_document(profession="counselor"), NOW)
    first = output["options"]["decline"]["citations"][0]
    assert first["code"] == "ACA Code of Ethics (2014)"
    assert first["section"] == "A.5.e"


def test_an_unknown_profession_is_a_clear_facts_error() -> None:
    with pytest.raises(FactsError) as caught:
        evaluate_document(_document(profession="dentist"), NOW)
    (path, message), = caught.value.errors
    assert path == "facts.profession"
    assert message.startswith("Unknown value 'dentist'; use one of: social_worker, counselor,")


def test_a_stored_key_for_a_code_named_alone_can_be_looked_up() -> None:
    named = citation("general:nurse")
    assert named is not None and named.code == "ANA Code of Ethics for Nurses"
    assert citation("general:dentist") is None
    assert citation("aca_a_6_e").section == "A.6.e"
