"""A version's state comes from its dates; scheduling a version breaks nothing in force (issue 8, item 3)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from policies.models import Acknowledgement, PolicyStatus, PolicyVersion
from tests.factories import PolicyVersionFactory

from .support import hidden_fields


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def scheduled(client_for, agency_a, supervisor, practitioner, admin, today):
    """Version 1 in force for a month; version 2 published through the page to take effect in ten days."""
    PolicyVersionFactory(agency=agency_a, number=1, published=True, template="strict",
                         effective_from=today - dt.timedelta(days=30))
    PolicyVersionFactory(agency=agency_a, number=2)
    client = client_for(supervisor)
    url = reverse("policies:publish", args=[2])
    reviewed = hidden_fields(client.get(url).content.decode())
    response = client.post(url, {**reviewed, "effective_from": (today + dt.timedelta(days=10)).isoformat()})
    assert response.status_code == 302
    return PolicyVersion.objects.get(number=2)


def test_practitioners_keep_reading_the_version_in_force_as_in_force(client_for, practitioner, scheduled, today):
    page = client_for(practitioner).get(reverse("policies:read")).content.decode()
    since = (today - dt.timedelta(days=30)).strftime("%-d %b %Y")
    assert f"Version 1, in force since {since}." in page
    assert "superseded" not in page
    later = client_for(practitioner).get(reverse("policies:read_version", args=[2])).content.decode()
    assert "Version 2, scheduled: it takes effect on" in later


def test_the_list_shows_the_version_in_force_and_the_scheduled_one(client_for, supervisor, scheduled):
    body = client_for(supervisor).get(reverse("policies:list")).content.decode()
    rows = body.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert "Version 2" in rows[0] and ">Scheduled<" in rows[0] and "0 of 3 active staff" in rows[0]
    assert "Version 1" in rows[1] and ">In force<" in rows[1] and "0 of 3 active staff" in rows[1]
    assert PolicyVersion.objects.get(number=1).status == PolicyStatus.PUBLISHED


def test_staff_are_asked_for_and_can_give_both_acknowledgements(client_for, practitioner, scheduled):
    client = client_for(practitioner)
    home = client.get(reverse("home")).content.decode()
    banner = home.split('id="policy-banner-heading"')[1].split("</section>")[0]
    assert "Version 1 of the agency" in banner and "is in force" in banner
    assert "Version 2 of the agency" in banner and "takes effect on" in banner
    assert f'href="{reverse("policies:read_version", args=[2])}">Read version 2' in banner
    page = client.get(reverse("policies:read")).content.decode()
    assert "I have read version 1 and will follow it" in page and "I have read version 2 and will follow it" in page

    for number in (2, 1):
        response = client.post(reverse("policies:acknowledge", args=[number]))
        assert response.status_code == 302
    assert sorted(Acknowledgement.objects.values_list("version__number", flat=True)) == [1, 2]
    assert 'id="policy-banner-heading"' not in client.get(reverse("home")).content.decode()


def test_supervisors_see_who_still_has_to_acknowledge_a_scheduled_version(client_for, supervisor, practitioner,
                                                                          scheduled):
    client_for(practitioner).post(reverse("policies:acknowledge", args=[2]))
    body = client_for(supervisor).get(reverse("policies:detail", args=[2])).content.decode()
    assert "Staff are asked to acknowledge it before it takes effect." in body
    have, have_not = body.split("Have acknowledged")[1].split("Have not acknowledged")
    assert "Pat Practitioner" in have and "Sam Supervisor" in have_not and "Alex Admin" in have_not
    current = client_for(supervisor).get(reverse("policies:detail", args=[1])).content.decode()
    assert ">In force<" in current and "Pat Practitioner" in current.split("Have not acknowledged")[1]


def test_a_superseded_version_is_history_and_can_not_be_acknowledged(client_for, agency_a, supervisor,
                                                                      practitioner, today):
    PolicyVersionFactory(agency=agency_a, number=1, published=True, effective_from=today - dt.timedelta(days=60))
    PolicyVersionFactory(agency=agency_a, number=2, published=True, effective_from=today - dt.timedelta(days=10))
    client = client_for(practitioner)
    response = client.post(reverse("policies:acknowledge", args=[1]), follow=True)
    assert "Version 1 is no longer in force, so there is nothing to acknowledge." in response.content.decode()
    assert not Acknowledgement.objects.exists()
    page = client.get(reverse("policies:read_version", args=[1])).content.decode()
    assert "Version 1, superseded: it was in force from" in page and "I have read version 1" not in page
    detail = client_for(supervisor).get(reverse("policies:detail", args=[1])).content.decode()
    assert ">Superseded<" in detail and "nobody is asked to acknowledge this one any more" in detail
    assert "Have not acknowledged" not in detail
