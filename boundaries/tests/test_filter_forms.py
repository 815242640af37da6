"""The review and audit filter forms, rendered once per distinct input (boundaries/filter_forms.py):
what the memo serves is always what a fresh rendering would show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Agency, Role, staff_changed
from boundaries.filter_forms import memo, staff_memo
from tests.factories import MembershipFactory

REVIEW, AUDIT = reverse("scenarios:review"), reverse("audit:event_list")


@pytest.fixture(autouse=True)
def empty_memo():
    memo.clear()
    staff_memo.clear()
    yield
    memo.clear()
    staff_memo.clear()


def staff_reads(client, url: str) -> tuple[int, str]:
    """How many times the page read the agency's staff list, and the page."""
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    reads = [query["sql"] for query in queries.captured_queries
             if '"accounts_user"."full_name"' in query["sql"] and '"accounts_membership"."agency_id" =' in query["sql"]]
    return len(reads), body


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


@pytest.mark.parametrize("role, url", [("supervisor", REVIEW), ("admin", AUDIT)])
def test_the_staff_list_is_read_once_after_each_change_and_not_on_every_page(request, client_for, agency_a,
                                                                               practitioner, role, url):
    client = client_for(request.getfixturevalue(role))
    assert staff_reads(client, url)[0] == 1
    assert staff_reads(client, url)[0] == 0, "kept in the worker under the agency's staff version"
    practitioner.user.full_name = "Pat Renamed"
    practitioner.user.save()
    reads, body = staff_reads(client, url)
    assert reads == 1 and f'<option value="{practitioner.user.pk}">Pat Renamed</option>' in body
    assert staff_reads(client, url)[0] == 0
    practitioner.user.save(update_fields=["last_login"])  # what signing in saves: nothing the list shows
    assert staff_reads(client, url)[0] == 0
    practitioner.user.email = "pat.new@riverside.example"
    practitioner.user.save(update_fields=["email"])
    assert staff_reads(client, url)[0] == 1
    practitioner.delete()  # a membership removed (the Django admin can)
    reads, body = staff_reads(client, url)
    assert reads == 1 and "Pat Renamed" not in body


def test_a_renamed_person_in_two_agencies_is_renamed_in_both_lists(client_for, supervisor, agency_b, pat_at_both,
                                                                   practitioner):
    supervisor_b = MembershipFactory(agency=agency_b, role=Role.SUPERVISOR)
    here, there = client_for(supervisor), client_for(supervisor_b)
    assert "Pat Practitioner" in here.get(REVIEW).content.decode()
    assert "Pat Practitioner" in there.get(REVIEW).content.decode()
    practitioner.user.full_name = "Pat Both"
    practitioner.user.save()
    assert "Pat Both" in here.get(REVIEW).content.decode() and "Pat Both" in there.get(REVIEW).content.decode()


def test_a_whole_row_save_of_the_agency_never_takes_its_staff_version_back(agency_a):
    """The Django admin saves every field it read: the version it read must not overwrite a newer one."""
    agency = Agency.objects.get(pk=agency_a.pk)
    staff_changed([agency.pk])  # someone joined while the admin's form was open
    agency.name = "Riverside Renamed"
    agency.save()
    agency.refresh_from_db()
    assert agency.name == "Riverside Renamed" and agency.staff_version == agency_a.staff_version + 1


def test_a_partly_read_agency_saves_only_what_it_read(agency_a, django_assert_num_queries):
    agency = Agency.objects.only("name").get(pk=agency_a.pk)
    agency.name = "Riverside Renamed"
    with django_assert_num_queries(1):  # the UPDATE alone: no deferred field read back to be written
        agency.save()
    agency_a.refresh_from_db()
    assert agency_a.name == "Riverside Renamed" and agency_a.staff_version == agency.staff_version
