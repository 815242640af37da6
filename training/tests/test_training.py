"""Training as practitioners and supervisors use it: answer first, feedback by the agency's policy, re-asks."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from training.builtin import BUILT_IN
from training.models import TrainingAnswer, TrainingScenario
from training.services import answer_give

TEXT = "late-night-text"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def answer(client, key, value, **extra):
    return client.post(reverse("training:scenario", args=[key]), {"answer": value, **extra})


def test_a_practitioner_answers_first_then_sees_the_feedback(practitioner, strict_version, client_for):
    client = client_for(practitioner)
    before = client.get(reverse("training:scenario", args=[TEXT])).content.decode()
    assert 'value="Answer and see the feedback"' in before and "Questions to take to supervision" not in before

    response = answer(client, TEXT, "accept")
    assert response.status_code == 302 and response["Location"].endswith("#feedback")
    page = _text(client.get(reverse("training:scenario", args=[TEXT])))
    assert "You answered Reply" in page
    assert "Something to talk about" in page and "%" not in page
    assert "Your agency's policy, version 1 (" in page
    assert "A work channel is there for exactly this kind of message" in page  # a consideration
    assert "NASW Code of Ethics 1.06(e)" in page
    assert "When would you reply, and what would you write?" in page
    stored = TrainingAnswer.objects.get()
    assert (stored.answer, stored.agrees, stored.policy_version, stored.builtin) == (
        "accept", False, strict_version, TEXT)


def test_the_same_scenario_gives_different_feedback_under_two_versions(practitioner, strict_version,
                                                                       publish_early_intervention, client_for):
    client = client_for(practitioner)
    answer(client, TEXT, "accept")
    under_strict = _text(client.get(reverse("training:scenario", args=[TEXT])))
    assert "The policy's answer: Raise it at the next session" in under_strict
    assert "Something to talk about" in under_strict

    publish_early_intervention()
    answer(client, TEXT, "accept")
    under_early = _text(client.get(reverse("training:scenario", args=[TEXT])))
    assert "The policy's answer: Reply" in under_early
    assert "Your answer matches what the policy says" in under_early
    assert "version 2 (" in under_early


def test_without_a_published_policy_the_feedback_is_the_labelled_conservative_default(practitioner, client_for):
    client = client_for(practitioner)
    answer(client, "client-facebook", "decline")
    page = _text(client.get(reverse("training:scenario", args=["client-facebook"])))
    assert "Conservative default" in page and "has no published policy" in page
    assert TrainingAnswer.objects.get().policy_version is None


def test_a_bad_answer_is_refused_by_the_field_and_nothing_is_stored(practitioner, client_for):
    client = client_for(practitioner)
    for value in ("maybe", "", "yes\x00"):
        response = answer(client, "client-facebook", value)
        assert response.status_code == 400
        assert "Choose one" in _text(response)
    assert "answer" in client.post(reverse("training:scenario", args=["client-facebook"]), {}).context["form"].errors
    assert not TrainingAnswer.objects.exists()


def test_the_same_form_sent_twice_stores_one_answer(practitioner, client_for):
    client = client_for(practitioner)
    first = answer(client, "client-facebook", "discuss", one_time_token="tok-abcdefghijklmnop")
    second = answer(client, "client-facebook", "discuss", one_time_token="tok-abcdefghijklmnop")
    assert first.status_code == second.status_code == 302
    assert TrainingAnswer.objects.count() == 1


def test_new_staff_are_asked_to_complete_the_set_after_acknowledging(practitioner, strict_version, client_for):
    client = client_for(practitioner)
    assert "Rehearse the training scenarios" not in _text(client.get(reverse("home")))
    client.post(reverse("policies:acknowledge", args=[strict_version.number]))
    home = _text(client.get(reverse("home")))
    assert "Rehearse the training scenarios" in home and "7 of 7 scenarios to rehearse" in home


def test_a_new_version_that_changes_an_answer_asks_again_for_that_scenario_only(
        practitioner, acknowledged, publish_early_intervention, client_for):
    client = client_for(practitioner)
    for scenario in BUILT_IN:
        answer(client, scenario.key, scenario.answer_kind == "yes_no" and "no" or "discuss")
    assert "Rehearse the training scenarios" not in _text(client.get(reverse("home")))

    publish_early_intervention()  # replying to a late text on the work mobile becomes allowed
    home = _text(client.get(reverse("home")))
    assert "changed the answer to 1 you rehearsed" in home
    listing = client.get(reverse("training:list"))
    standing = {scenario.key: standing for scenario, standing, _ in listing.context["page"].object_list}
    assert standing == {scenario.key: "asked_again" if scenario.key == TEXT else "done" for scenario in BUILT_IN}
    page = client.get(reverse("training:scenario", args=[TEXT])).content.decode()
    assert "answers this scenario differently from when you last answered it" in page
    assert 'value="Answer and see the feedback"' in page

    answer(client, TEXT, "accept")
    assert TrainingAnswer.objects.filter(builtin=TEXT).latest("answered_at").policy_version.number == 2
    assert "Rehearse the training scenarios" not in _text(client.get(reverse("home")))


def test_answers_and_completions_are_audit_events_without_free_text(practitioner, acknowledged, agency_a):
    for scenario in BUILT_IN[:-1]:
        answer_give(agency=agency_a, user=practitioner.user, key=scenario.key,
                    answer="no" if scenario.answer_kind == "yes_no" else "discuss")
    assert not AuditEvent.objects.filter(action=AuditAction.TRAINING_COMPLETED).exists()
    answer_give(agency=agency_a, user=practitioner.user, key=BUILT_IN[-1].key, answer="yes")
    answer_give(agency=agency_a, user=practitioner.user, key=BUILT_IN[-1].key, answer="no")  # rehearsed again

    answered = AuditEvent.objects.filter(action=AuditAction.TRAINING_ANSWERED).order_by("sequence")
    assert answered.count() == 8
    assert answered.last().data == {"scenario": "small-community", "answer": "no", "agrees": True,
                                    "policy_version": 1}
    completed = AuditEvent.objects.get(action=AuditAction.TRAINING_COMPLETED)
    assert completed.data == {"scenarios": 7, "policy_version": 1}
    assert completed.actor == practitioner.user


def test_supervisors_see_progress_and_answers_as_things_to_talk_about(practitioner, supervisor, strict_version,
                                                                     agency_a, client_for):
    answer_give(agency=agency_a, user=practitioner.user, key=TEXT, answer="accept")
    answer_give(agency=agency_a, user=practitioner.user, key="client-facebook", answer="discuss")
    client = client_for(supervisor)
    team = _text(client.get(reverse("training:team")))
    assert "Pat Practitioner" in team and "2 of 7" in team and "1 thing to talk about" in team
    member = client.get(reverse("training:member", args=[practitioner.pk]))
    assert "no-store" in member["Cache-Control"] and "private" in member["Cache-Control"]
    page = _text(member)
    assert page.count("Something to talk about") == 1  # the late text; the Facebook answer agrees
    assert "Reply Something to talk about" in page and "Raise it at the next session" in page
    assert "Version 1" in page and "Not answered yet" in page
    assert "%" not in page
    assert client_for(practitioner).get(reverse("training:team")).status_code == 403


@pytest.mark.parametrize("persona", ["practitioner", "supervisor", "admin"])
def test_every_role_finds_training_in_the_navigation_and_can_rehearse(request, client_for, persona):
    membership = request.getfixturevalue(persona)
    client = client_for(membership)
    nav = client.get(reverse("home")).content.decode().split('id="main-nav"')[1].split("</nav>")[0]
    assert f'href="{reverse("training:list")}"' in nav
    assert answer(client, "public-follow", "ignore").status_code == 302
    assert TrainingAnswer.objects.get().user == membership.user
