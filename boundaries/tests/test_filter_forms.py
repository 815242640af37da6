"""The review and audit filter forms, rendered once per distinct input (boundaries/filter_forms.py):
what the memo serves is always what a fresh rendering would show."""

import pytest
from django.urls import reverse

from accounts.models import Role
from boundaries.filter_forms import memo
from tests.factories import MembershipFactory

REVIEW, AUDIT = reverse("scenarios:review"), reverse("audit:event_list")


@pytest.fixture(autouse=True)
def empty_memo():
    memo.clear()
    yield
    memo.clear()


@pytest.mark.parametrize("role, url", [("supervisor", REVIEW), ("admin", AUDIT)])
def test_someone_added_or_renamed_appears_in_the_who_list_at_once(request, client_for, agency_a, role, url):
    client = client_for(request.getfixturevalue(role))
    assert "Quinn Newcomer" not in client.get(url).content.decode()
    newcomer = MembershipFactory(agency=agency_a, role=Role.PRACTITIONER, user__full_name="Quinn Newcomer").user
    assert f'<option value="{newcomer.pk}">Quinn Newcomer</option>' in client.get(url).content.decode()
    newcomer.full_name = "Quinn Renamed"
    newcomer.save()
    body = client.get(url).content.decode()
    assert f'<option value="{newcomer.pk}">Quinn Renamed</option>' in body and "Quinn Newcomer" not in body


def test_the_chosen_filters_stay_chosen_and_another_agency_never_sees_this_staff(client_for, supervisor, agency_b,
                                                                                  practitioner):
    supervisor_b = MembershipFactory(agency=agency_b, role=Role.SUPERVISOR)
    chosen = client_for(supervisor).get(REVIEW, {"status": "closed", "practitioner": practitioner.user.pk})
    body = chosen.content.decode()
    assert '<option value="closed" selected>' in body
    assert f'<option value="{practitioner.user.pk}" selected>' in body
    plain = client_for(supervisor).get(REVIEW).content.decode()
    who = plain.split('name="practitioner"')[1].split("</select>")[0]
    assert '<option value="closed" selected>' not in plain, plain[plain.index('name="status"'):][:400]
    assert f'<option value="{practitioner.user.pk}" selected>' not in who
    other = client_for(supervisor_b).get(REVIEW).content.decode()
    assert practitioner.user.full_name not in other
