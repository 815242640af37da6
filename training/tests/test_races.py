"""Two answers sent at the same moment by one person: they queue, so finishing the set is recorded once."""

import pytest

from audit.models import AuditAction, AuditEvent
from policies.tests.test_races import race
from training.builtin import BUILT_IN
from training.models import TrainingAnswer
from training.services import answer_give


def _answer(agency, user, scenario):
    return answer_give(agency=agency, user=user, key=scenario.key,
                       answer="no" if scenario.answer_kind == "yes_no" else "discuss")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_last_two_answers_at_once_record_the_completion_once(practitioner, agency_a):
    for scenario in BUILT_IN[:-2]:
        _answer(agency_a, practitioner.user, scenario)
    race(lambda: _answer(agency_a, practitioner.user, BUILT_IN[-2]),
         lambda: _answer(agency_a, practitioner.user, BUILT_IN[-1]))
    assert TrainingAnswer.objects.count() == 7
    assert AuditEvent.objects.filter(action=AuditAction.TRAINING_COMPLETED).count() == 1
