"""The home pages at a glance: a supervisor's counts and their links, a practitioner's day in order."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from policies.models import PolicyStatus
from scenarios.tests.factories import ContactRequestFactory
from tests.factories import AcknowledgementFactory, MembershipFactory, PolicyVersionFactory


# Session, user and membership; policies awaiting acknowledgement; the person's own tasks and training;
# and for a supervisor the five glance counts and the acknowledgement coverage.
SUPERVISOR_HOME_QUERIES = 11
PRACTITIONER_HOME_QUERIES = 6


def local_today(agency) -> dt.date:
    return timezone.localdate(timezone=agency.zone)


def link_of(page: str, element_id: str) -> str:
    return re.search(rf'id="{element_id}" href="([^"]+)"', page).group(1).replace("&amp;", "&")


def test_a_supervisor_sees_four_counts_that_link_to_their_lists(practitioner, supervisor, agency_a, agency_b,
                                                                client_for):
    today = local_today(agency_a)
    now = timezone.now()
    waiting = ContactRequestFactory(membership=practitioner, status="awaiting_approval", chosen_option="accept",
                                    received_at=now)
    ContactRequestFactory(membership=supervisor, status="awaiting_approval", chosen_option="accept",
                          received_at=now)  # their own: never theirs to decide
    ContactRequestFactory(membership=practitioner, status="in_progress", chosen_option="discuss",
                          follow_up_on=today - dt.timedelta(days=3), received_at=now)
    ContactRequestFactory(membership=practitioner, closed=True, received_at=now)
    ContactRequestFactory(membership=MembershipFactory(agency=agency_b), status="awaiting_approval",
                          chosen_option="accept", follow_up_on=today - dt.timedelta(days=3))
    version = PolicyVersionFactory(agency=agency_a, status=PolicyStatus.PUBLISHED,
                                   effective_from=today - dt.timedelta(days=10), published_at=timezone.now())
    AcknowledgementFactory(version=version, user=practitioner.user)
    client = client_for(supervisor)

    page = client.get(reverse("home")).content.decode()

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "1 decision waiting for you" in text
    assert "1 overdue follow-up across the team" in text
    assert f"50% of staff acknowledged version {version.number}, the policy in force (1 of 2)" in text
    assert "4 requests logged this month" in text
    review = client.get(link_of(page, "glance-waiting")).content.decode()
    assert reverse("scenarios:detail", args=[waiting.pk]) in review
    assert len(re.findall(r'href="/requests/\d+/"', review)) == 1
    assert link_of(page, "glance-coverage") == reverse("policies:detail", args=[version.number])
    assert link_of(page, "glance-overdue") == reverse("scenarios:review") + "?overdue=on"
    overdue = client.get(link_of(page, "glance-overdue")).content.decode()
    assert len(re.findall(r'href="/requests/\d+/"', overdue)) == 1  # the count and the list agree
    month = link_of(page, "glance-month")
    assert month == (reverse("scenarios:review") + f"?received_from={today.replace(day=1):%Y-%m-%d}"
                     f"&received_to={today:%Y-%m-%d}")
    assert client.get(month).status_code == 200


def test_without_a_policy_in_force_the_coverage_card_says_so(supervisor, client_for):
    page = client_for(supervisor).get(reverse("home")).content.decode()

    assert "no policy in force yet" in page
    assert link_of(page, "glance-coverage") == reverse("policies:list")


def test_a_practitioner_sees_what_needs_them_today_most_urgent_first(practitioner, supervisor, agency_a,
                                                                    client_for):
    today = local_today(agency_a)
    now = timezone.now()
    day = dt.timedelta(days=1)
    made = {
        "waiting": ContactRequestFactory(membership=practitioner, status="awaiting_approval",
                                         chosen_option="accept"),
        "in_progress": ContactRequestFactory(membership=practitioner, status="in_progress",
                                             chosen_option="discuss", follow_up_on=today + 5 * day),
        "open": ContactRequestFactory(membership=practitioner),
        "approved": ContactRequestFactory(membership=practitioner, status="in_progress", chosen_option="accept",
                                          review_decision="approved", reviewed_at=now - day),
        "due_today": ContactRequestFactory(membership=practitioner, status="awaiting_conversation",
                                           chosen_option="discuss", follow_up_on=today),
        "not_approved": ContactRequestFactory(membership=practitioner, review_decision="not_approved",
                                              reviewed_at=now - 2 * day),
        "overdue": ContactRequestFactory(membership=practitioner, status="in_progress", chosen_option="discuss",
                                         follow_up_on=today - 2 * day),
    }
    # Sent back, then chosen again: listed for what it is now, not as sent back.
    made["chosen_again"] = ContactRequestFactory(membership=practitioner, status="in_progress",
                                                 chosen_option="decline", review_decision="not_approved",
                                                 reviewed_at=now - day, follow_up_on=today + 6 * day)
    # Not theirs, closed long ago, or decided long ago: not on the list.
    ContactRequestFactory(membership=supervisor)
    ContactRequestFactory(membership=practitioner, closed=True)
    ContactRequestFactory(membership=practitioner, closed=True, review_decision="approved",
                          reviewed_at=now - 30 * day)
    PolicyVersionFactory(agency=agency_a, number=1, status=PolicyStatus.PUBLISHED,
                         effective_from=today - 10 * day, published_at=now)
    PolicyVersionFactory(agency=agency_a, number=2, status=PolicyStatus.PUBLISHED,
                         effective_from=today + 10 * day, published_at=now)

    page = client_for(practitioner).get(reverse("home")).content.decode()

    listed = page[page.index('id="today-list"'):page.index("</ol>")]
    order = re.findall(r"<a class=\"fw-semibold\" href=\"([^\"]+)\">", listed)
    expected = [reverse("scenarios:detail", args=[made[key].pk]) for key in ("overdue", "not_approved")]
    expected += [reverse("policies:read")]
    expected += [reverse("scenarios:detail", args=[made[key].pk]) for key in ("due_today", "approved", "open")]
    expected += [reverse("policies:read_version", args=[2])]
    expected += [reverse("scenarios:detail", args=[made[key].pk]) for key in ("in_progress", "chosen_again",
                                                                                   "waiting")]
    assert order == expected
    assert "A follow-up on this request is overdue." in listed
    assert listed.count("Read their note and choose again.") == 1


def test_a_long_day_shows_the_ten_most_urgent_and_says_how_many_more(practitioner, agency_a, client_for):
    now = timezone.now()
    opened = [ContactRequestFactory(membership=practitioner, received_at=now - dt.timedelta(days=days))
              for days in range(13, 0, -1)]  # the oldest first: they have waited longest

    page = client_for(practitioner).get(reverse("home")).content.decode()

    listed = page[page.index('id="today-list"'):page.index("</ol>")]
    shown = re.findall(r"<a class=\"fw-semibold\" href=\"([^\"]+)\">", listed)
    assert shown == [reverse("scenarios:detail", args=[item.pk]) for item in opened[:10]]
    assert "3 more tasks need you." in page
    assert f'<a href="{reverse("scenarios:list")}">See them in My requests</a>' in page


def test_a_review_of_how_a_closed_request_ended_is_shown_with_its_note(practitioner, client_for):
    ContactRequestFactory(membership=practitioner, closed=True, outcome="other", review_decision="not_approved",
                          reviewed_at=timezone.now())

    page = client_for(practitioner).get(reverse("home")).content.decode()

    assert "Your supervisor reviewed how this request ended. Read their note." in page
    assert "Not approved" in page


def test_a_practitioner_with_nothing_to_do_is_told_so(practitioner, client_for):
    page = client_for(practitioner).get(reverse("home")).content.decode()

    assert "Nothing is waiting for you." in page


def test_a_supervisor_sees_their_own_day_under_the_counts(supervisor, client_for):
    mine = ContactRequestFactory(membership=supervisor)

    page = client_for(supervisor).get(reverse("home")).content.decode()

    assert page.index("At a glance") < page.index("What needs you today")
    assert f'href="{reverse("scenarios:detail", args=[mine.pk])}">Request {mine.pk}' in page


def test_a_supervisor_with_nothing_of_their_own_gets_no_empty_list(supervisor, client_for):
    assert "What needs you today" not in client_for(supervisor).get(reverse("home")).content.decode()


@pytest.mark.parametrize("size", [2, 30])
def test_home_pages_make_the_same_queries_whatever_the_volume(size, practitioner, supervisor, agency_a, client_for,
                                                              django_assert_num_queries):
    today = local_today(agency_a)
    for n in range(size):
        ContactRequestFactory(membership=practitioner, status="in_progress", chosen_option="discuss",
                              follow_up_on=today - dt.timedelta(days=1 + n % 5))
        ContactRequestFactory(membership=practitioner, status="awaiting_approval", chosen_option="accept")
    PolicyVersionFactory(agency=agency_a, number=1, status=PolicyStatus.PUBLISHED,
                         effective_from=today - dt.timedelta(days=3), published_at=timezone.now())
    supervisor_client, practitioner_client = client_for(supervisor), client_for(practitioner)
    supervisor_client.get(reverse("home")), practitioner_client.get(reverse("home"))  # warm: the session row
    with django_assert_num_queries(SUPERVISOR_HOME_QUERIES):
        page = supervisor_client.get(reverse("home")).content.decode()
    assert f'<span class="glance-count d-block">{size}</span>' in page  # waiting, and overdue
    with django_assert_num_queries(PRACTITIONER_HOME_QUERIES):
        practitioner_client.get(reverse("home"))


def test_the_glance_stops_counting_past_its_cap(practitioner, supervisor, agency_a, client_for, monkeypatch):
    for _ in range(3):
        ContactRequestFactory(membership=practitioner, status="awaiting_approval", chosen_option="accept")
    monkeypatch.setattr("scenarios.dashboard.GLANCE_CAP", 2)
    page = client_for(supervisor).get(reverse("home")).content.decode()
    waiting = page[page.index('id="glance-waiting"'):]
    assert '<span class="glance-count d-block">2+</span>' in waiting[:400]
