""""Before I do it": the three options for what a practitioner is about to do, one case per decision path."""

import dataclasses
import datetime as dt

import pytest

from policies.document import STARTER_TEMPLATES, Expectation
from policies.document.policy import Policy
from scenarios.engine import evaluate_document
from scenarios.engine.evaluate import evaluate
from scenarios.engine.facts import Facts
from scenarios.engine.vocabulary import BeforeOption, Conduct, Platform, Relationship, RequestKind, Verdict

NOW = dt.datetime(2026, 3, 16, 10, 0)
BASE = STARTER_TEMPLATES["early_intervention"].policy
NOTE = "Photos for the newsletter go through the office manager."


def with_conduct(conduct: Conduct, on: bool, note: str = "") -> Policy:
    """The starter policy with one expectation stated (on) or not (off), the others as they are."""
    kept = tuple(expectation for expectation in BASE.conduct if expectation.conduct is not conduct)
    return dataclasses.replace(BASE, conduct=kept + (Expectation(conduct, on=on, note=note),))


def check(kind: RequestKind, *, safety: bool = False, consent: bool = False) -> Facts:
    return Facts(kind, None, None, None, None, NOW, safety_concern=safety, written_consent=consent)


LOOK, POST, PHOTO, REVIEW = (RequestKind.LOOK_UP_CLIENT, RequestKind.POST_ABOUT_WORK, RequestKind.POST_PHOTO,
                             RequestKind.REPLY_TO_REVIEW)
SEARCH, POSTS, PHOTOS, REVIEWS = (Conduct.NO_SEARCHING_FOR_CLIENTS, Conduct.NO_POSTS_ABOUT_WORK,
                                  Conduct.CLIENT_PHOTOS_WITH_CONSENT, Conduct.ONLINE_REVIEWS)
NOT_ALLOWED, NEEDS, ALLOWED = Verdict.NOT_ALLOWED, Verdict.NEEDS_APPROVAL, Verdict.ALLOWED

# (facts, policy: None = the default, or (expectation, on)), then what going ahead is, what is
# recommended, the clause of the reason that decided it, and whether the policy left it open.
CASES = {
    "look up, default policy": (check(LOOK), None, NOT_ALLOWED, "hold_off", "conduct.no_searching_for_clients", True),
    "look up, searching expectation on": (check(LOOK), (SEARCH, True), NOT_ALLOWED, "hold_off",
                                          "conduct.no_searching_for_clients", False),
    "look up, searching expectation off": (check(LOOK), (SEARCH, False), NOT_ALLOWED, "hold_off",
                                           "professional codes", True),
    "look up for safety, default policy": (check(LOOK, safety=True), None, NEEDS, "ask_supervisor",
                                           "facts.safety_concern", True),
    "look up for safety, expectation on": (check(LOOK, safety=True), (SEARCH, True), NEEDS, "ask_supervisor",
                                           "facts.safety_concern", False),
    "look up for safety, expectation off": (check(LOOK, safety=True), (SEARCH, False), NEEDS, "ask_supervisor",
                                            "facts.safety_concern", False),
    "post about work, default policy": (check(POST), None, NOT_ALLOWED, "hold_off", "conduct.no_posts_about_work",
                                        True),
    "post about work, expectation on": (check(POST), (POSTS, True), NOT_ALLOWED, "hold_off",
                                        "conduct.no_posts_about_work", False),
    "post about work, expectation off": (check(POST), (POSTS, False), NEEDS, "ask_supervisor", "fallback", True),
    "photo without consent, default policy": (check(PHOTO), None, NOT_ALLOWED, "hold_off",
                                              "conduct.client_photos_with_consent", True),
    "photo without consent, expectation on": (check(PHOTO), (PHOTOS, True), NOT_ALLOWED, "hold_off",
                                              "conduct.client_photos_with_consent", False),
    "photo without consent, expectation off": (check(PHOTO), (PHOTOS, False), NOT_ALLOWED, "hold_off",
                                               "facts.written_consent", True),
    "photo with consent, default policy": (check(PHOTO, consent=True), None, ALLOWED, "proceed",
                                           "conduct.client_photos_with_consent", True),
    "photo with consent, expectation on": (check(PHOTO, consent=True), (PHOTOS, True), ALLOWED, "proceed",
                                           "conduct.client_photos_with_consent", False),
    "photo with consent, expectation off": (check(PHOTO, consent=True), (PHOTOS, False), NEEDS, "ask_supervisor",
                                            "fallback", True),
    "review reply, default policy": (check(REVIEW), None, ALLOWED, "proceed", "conduct.online_reviews", True),
    "review reply, expectation on": (check(REVIEW), (REVIEWS, True), ALLOWED, "proceed", "conduct.online_reviews",
                                     False),
    "review reply, expectation off": (check(REVIEW), (REVIEWS, False), NEEDS, "ask_supervisor", "fallback", True),
}


@pytest.mark.parametrize(("facts", "setting", "verdict", "recommended", "clause", "fallback"), CASES.values(),
                         ids=CASES.keys())
def test_each_decision_path(facts: Facts, setting, verdict: Verdict, recommended: str, clause: str,
                            fallback: bool) -> None:
    policy = None if setting is None else with_conduct(*setting)
    guidance = evaluate(facts, policy, NOW)
    proceed = guidance.option("proceed")
    assert proceed.verdict is verdict
    assert [option.value for option in guidance.recommended] == [recommended]
    assert proceed.reasons[0].clause == clause
    assert guidance.fallback is fallback
    # Going ahead where it isn't allowed has no walk; the supervisor sees what needs them.
    assert (proceed.steps == ()) is (verdict is NOT_ALLOWED)
    assert guidance.supervisor_review is (verdict is NEEDS or (fallback and setting is not None))


def test_the_output_has_the_three_options_and_a_recommendation_drawn_from_them() -> None:
    output = evaluate_document({"facts": {"kind": "post_photo", "received_at": "2026-03-16T10:00"}}, NOW)
    assert list(output["options"]) == ["proceed", "hold_off", "ask_supervisor"]
    assert set(output["recommended"]) <= set(output["options"])
    photo = output["options"]["proceed"]
    assert photo["label"] == "Post the photo"
    assert {"code": "HIPAA Privacy Rule", "section": "45 CFR 164.502(b)"}.items() <= photo["citations"][1].items()
    assert all({"code", "section"} <= set(citation) for option in output["options"].values()
               for citation in option["citations"])


def test_holding_off_is_always_allowed_and_asking_always_goes_to_the_supervisor() -> None:
    for kind in (LOOK, POST, PHOTO, REVIEW):
        guidance = evaluate(check(kind, consent=True), BASE, NOW)
        hold_off, ask = guidance.option(BeforeOption.HOLD_OFF), guidance.option(BeforeOption.ASK_SUPERVISOR)
        assert hold_off.verdict is ALLOWED and hold_off.steps[-1].key == "done_it"
        assert ask.verdict is NEEDS
        assert [step.key for step in ask.steps][:2] == ["question_for_supervisor", "supervisor_approval"]


def test_a_safety_concern_walk_documents_the_professional_reason_before_the_supervisors_approval() -> None:
    guidance = evaluate(check(LOOK, safety=True), BASE, NOW)
    steps = [step.key for step in guidance.option("proceed").steps]
    assert steps == ["professional_reason", "what_you_looked_at", "supervisor_approval", "done_it"]
    assert "Ask your supervisor before you look, and document the professional reason." == guidance.summary
    cited = [(citation.code, citation.section) for citation in guidance.option("proceed").citations]
    assert cited[:3] == [("NASW Code of Ethics", "1.07(a)"), ("NASW Code of Ethics", "1.07(q)"),
                         ("ACA Code of Ethics (2014)", "H.6.c")]


def test_a_photo_with_consent_goes_on_the_agencys_page_when_posts_about_work_are_not_for_personal_accounts() -> None:
    on = with_conduct(POSTS, True)
    off = with_conduct(POSTS, False)
    on_clauses = [reason.clause for reason in evaluate(check(PHOTO, consent=True), on, NOW).option("proceed").reasons]
    off_clauses = [reason.clause for reason in evaluate(check(PHOTO, consent=True), off, NOW).option("proceed").reasons]
    assert "conduct.no_posts_about_work" in on_clauses
    assert "conduct.no_posts_about_work" not in off_clauses


def test_the_agencys_note_on_the_expectation_follows_under_every_option() -> None:
    guidance = evaluate(check(PHOTO), with_conduct(PHOTOS, True, NOTE), NOW)
    for option in guidance.options:
        assert NOTE in [reason.text for reason in option.reasons]


def test_the_platform_and_the_person_may_be_given_or_left_out() -> None:
    bare = evaluate_document({"facts": {"kind": "look_up_client", "received_at": "2026-03-16T10:00"}}, NOW)
    full = evaluate_document({"facts": {"kind": "look_up_client", "platform": "facebook",
                                        "relationship": "client_family", "received_at": "2026-03-16T10:00",
                                        "safety_concern": True}}, NOW)
    assert bare["recommended"] == ["hold_off"]
    assert full["recommended"] == ["ask_supervisor"]


def test_a_tag_or_mention_still_arrives_with_the_four_options() -> None:
    facts = Facts(RequestKind.TAG_MENTION, Platform.FACEBOOK, Relationship.CURRENT_CLIENT, None, None, NOW)
    guidance = evaluate(dataclasses.replace(facts, client_status=None), None, NOW)
    assert [option.option.value for option in guidance.options] == ["accept", "ignore", "discuss", "decline"]


@pytest.mark.parametrize("setting", ["default", "all stated", "none stated"])
def test_every_check_gives_well_formed_guidance(setting: str) -> None:
    policy = {"default": None, "all stated": BASE,
              "none stated": dataclasses.replace(BASE, conduct=())}[setting]
    for kind in (LOOK, POST, PHOTO, REVIEW):
        for medium in (None, Platform.FACEBOOK, Platform.LINKEDIN):
            for relationship in (None, Relationship.CURRENT_CLIENT, Relationship.FORMER_CLIENT):
                for safety, consent in ((False, False), (True, False), (False, True)):
                    facts = Facts(kind, medium, relationship, None, None, NOW, safety_concern=safety,
                                  written_consent=consent)
                    guidance = evaluate(facts, policy, NOW)
                    assert tuple(option.option for option in guidance.options) == tuple(BeforeOption)
                    assert len(guidance.recommended) == 1
                    assert guidance.option(guidance.recommended[0]).verdict is not NOT_ALLOWED
                    assert guidance.summary and "\n" not in guidance.summary
                    for option in guidance.options:
                        keys = [step.key for step in option.steps]
                        assert len(keys) == len(set(keys)) and option.reasons
                        assert all(step.prompt for step in option.steps)
