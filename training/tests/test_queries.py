"""The training pages read in a fixed number of queries, whatever the number of staff, answers and scenarios."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import MembershipFactory
from training.builtin import BUILT_IN
from training.models import TrainingScenario
from training.services import answer_give

GROWTH = 12


def _grow(agency, supervisor, strict_version, size):
    for n in range(size):
        member = MembershipFactory(agency=agency, role=Role.PRACTITIONER)
        for scenario in BUILT_IN:
            answer_give(agency=agency, user=member.user, key=scenario.key,
                        answer="no" if scenario.answer_kind == "yes_no" else "discuss")
        TrainingScenario.objects.create(
            agency=agency, title=f"Scenario {n}", situation="A situation.", kind="friend_request", medium="facebook",
            relationship="community_member", considerations="One.", reflective_questions="One?\nTwo?",
            created_by=supervisor.user)


@pytest.mark.parametrize("size", [1, GROWTH])
def test_the_team_page_query_count_does_not_grow(supervisor, strict_version, agency_a, client_for,
                                                 django_assert_num_queries, size):
    _grow(agency_a, supervisor, strict_version, size)
    client = client_for(supervisor)
    # session, user, memberships (middleware); 2 staff pages (count, rows); policy in force; own scenarios;
    # answers of the page's staff.
    with django_assert_num_queries(8):
        response = client.get(reverse("training:team"))
    assert len(response.context["progress"]) == size + 1


@pytest.mark.parametrize("size", [1, GROWTH])
def test_the_training_list_query_count_does_not_grow(practitioner, supervisor, strict_version, agency_a,
                                                     client_for, django_assert_num_queries, size):
    _grow(agency_a, supervisor, strict_version, size)
    client = client_for(practitioner)
    with django_assert_num_queries(6):
        response = client.get(reverse("training:list"))
    assert response.context["total"] == 7 + size


@pytest.mark.parametrize("size", [1, GROWTH])
def test_a_staff_members_answers_page_query_count_does_not_grow(practitioner, supervisor, strict_version,
                                                                 agency_a, client_for, django_assert_num_queries,
                                                                 size):
    _grow(agency_a, supervisor, strict_version, size)
    for scenario in BUILT_IN:
        answer_give(agency=agency_a, user=practitioner.user, key=scenario.key, answer="yes"
                    if scenario.answer_kind == "yes_no" else "accept")
    client = client_for(supervisor)
    with django_assert_num_queries(7):
        response = client.get(reverse("training:member", args=[practitioner.pk]))
    assert response.context["progress"].done == 7
