"""Supervisors' own scenarios: written in the browser, checked like any form, kept per agency."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from tests.factories import MembershipFactory
from accounts.models import Role
from training.models import TrainingAnswer, TrainingScenario
from training.services import answer_give

GOOD = {
    "title": "A parent asks for your personal number",
    "situation": "At the end of a visit a father asks for your own mobile number, in case the work phone is off.",
    "answer_kind": "options", "kind": "other", "medium": "personal_phone", "relationship": "client_family",
    "client_status": "current", "discharged_months_ago": "",
    "considerations": "Your own number reaches you at any hour.\nThe agency gives you a work phone for this.",
    "reflective_questions": "What would you offer instead?\nHow would you say no warmly?",
    "citation_keys": ["nasw_1_06_e"],
}


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_supervisor_writes_a_scenario_that_staff_then_answer(supervisor, practitioner, client_for):
    response = client_for(supervisor).post(reverse("training:scenario_new"), GOOD)
    row = TrainingScenario.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("training:scenario", args=[row.key])
    assert (row.agency, row.created_by, row.citation_keys) == (supervisor.agency, supervisor.user, ["nasw_1_06_e"])
    assert AuditEvent.objects.get(action=AuditAction.TRAINING_SCENARIO_CREATED).data == {"scenario": row.key}

    client = client_for(practitioner)
    listing = _text(client.get(reverse("training:list")))
    assert "A parent asks for your personal number Written by your agency" in listing
    client.post(reverse("training:scenario", args=[row.key]), {"answer": "discuss"})
    page = _text(client.get(reverse("training:scenario", args=[row.key])))
    assert "Your own number reaches you at any hour." in page and "How would you say no warmly?" in page
    assert "NASW Code of Ethics 1.06(e)" in page
    assert TrainingAnswer.objects.get().scenario == row


@pytest.mark.parametrize("change, field, message", [
    ({"client_status": ""}, "client_status", "Choose the client's status"),
    ({"reflective_questions": "Only one?"}, "reflective_questions", "Write two or three questions"),
    ({"discharged_months_ago": "12"}, "discharged_months_ago", "only for a discharged client"),
    ({"situation": "Call him on 555-201-3344 after the visit."}, "situation", "phone number"),
    ({"title": "Bad\x00title"}, "title", "Null characters are not allowed"),
    ({"citation_keys": ["made_up_2_01"]}, "citation_keys", "Select a valid choice"),
])
def test_a_scenario_with_a_problem_is_refused_by_the_field_and_keeps_what_was_typed(
        supervisor, client_for, change, field, message):
    response = client_for(supervisor).post(reverse("training:scenario_new"), {**GOOD, **change})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field] and message in " ".join(errors[field])
    assert "The agency gives you a work phone for this." in response.content.decode()
    if field != "citation_keys":
        assert response.context["form"]["citation_keys"].value() == ["nasw_1_06_e"]
    assert not TrainingScenario.objects.exists()


def test_editing_and_retiring_a_scenario(supervisor, practitioner, agency_a, client_for):
    client = client_for(supervisor)
    client.post(reverse("training:scenario_new"), GOOD)
    row = TrainingScenario.objects.get()
    answer_give(agency=agency_a, user=practitioner.user, key=row.key, answer="discuss")
    edited = client.post(reverse("training:scenario_edit", args=[row.pk]), {**GOOD, "title": "A new title"})
    assert edited.status_code == 302
    row.refresh_from_db()
    assert row.title == "A new title"

    asking = _text(client.get(reverse("training:scenario_retire", args=[row.pk])))  # asks first, changes nothing
    assert "Retire \u201cA new title\u201d?" in asking and "1 person has answered it. Their answer is kept." in asking
    row.refresh_from_db()
    assert row.retired_at is None
    assert client.post(reverse("training:scenario_retire", args=[row.pk])).status_code == 302
    row.refresh_from_db()
    assert row.retired_at is not None
    again = client.get(reverse("training:scenario_retire", args=[row.pk]), follow=True)
    assert "\u201cA new title\u201d is already retired." in _text(again)
    assert "A new title" not in _text(client_for(practitioner).get(reverse("training:list")))
    assert client_for(practitioner).get(reverse("training:scenario", args=[row.key])).status_code == 404
    assert client.get(reverse("training:scenario_edit", args=[row.pk])).status_code == 404
    assert TrainingAnswer.objects.filter(scenario=row).count() == 1  # answers are kept
    actions = list(AuditEvent.objects.filter(action__startswith="training.scenario").values_list("action", flat=True))
    assert actions == [AuditAction.TRAINING_SCENARIO_CREATED, AuditAction.TRAINING_SCENARIO_EDITED,
                       AuditAction.TRAINING_SCENARIO_RETIRED]


def test_another_agencys_scenario_is_not_found(supervisor, practitioner, agency_b, client_for):
    hilltop_supervisor = MembershipFactory(agency=agency_b, role=Role.SUPERVISOR)
    client_for(hilltop_supervisor).post(reverse("training:scenario_new"), {**GOOD, "title": "Hilltop only"})
    theirs = TrainingScenario.objects.get()
    assert theirs.agency == agency_b
    ours = client_for(supervisor)
    assert ours.get(reverse("training:scenario", args=[theirs.key])).status_code == 404
    assert ours.get(reverse("training:scenario_edit", args=[theirs.pk])).status_code == 404
    assert ours.post(reverse("training:scenario_retire", args=[theirs.pk])).status_code == 404
    assert client_for(practitioner).post(reverse("training:scenario", args=[theirs.key]),
                                         {"answer": "discuss"}).status_code == 404
    assert "Hilltop only" not in _text(ours.get(reverse("training:scenarios")))
    assert "Hilltop only" not in _text(client_for(practitioner).get(reverse("training:list")))
    theirs.refresh_from_db()
    assert theirs.retired_at is None and not TrainingAnswer.objects.exists()


def test_only_supervisors_write_scenarios(practitioner, admin, client_for):
    for membership in (practitioner, admin):
        assert client_for(membership).post(reverse("training:scenario_new"), GOOD).status_code == 403
    assert not TrainingScenario.objects.exists()


def test_the_scenarios_list_has_an_empty_state(supervisor, client_for):
    assert "has not written any scenarios yet" in _text(client_for(supervisor).get(reverse("training:scenarios")))
