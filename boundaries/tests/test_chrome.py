"""The memoised page chrome (boundaries/chrome.py): each person sees their own, a change shows at once,
and what changes per request (the CSRF token, the idle countdown) is never replayed."""

import re

from django.test import Client
from django.urls import reverse

from accounts.models import Role
from boundaries import chrome
from tests.factories import MembershipFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def header(body: str) -> str:
    return body.split("<header", 1)[1].split("</header>", 1)[0]


def test_two_people_of_the_same_role_each_see_their_own_name_and_agency(client_for, practitioner, agency_b):
    other = MembershipFactory(agency=agency_b, role=Role.PRACTITIONER, user__full_name="Quinn Other")
    mine = header(client_for(practitioner).get(reverse("home")).content.decode())
    theirs = header(client_for(other).get(reverse("home")).content.decode())
    assert "Pat Practitioner" in mine and "Riverside Early Intervention" in mine and "Quinn Other" not in mine
    assert "Quinn Other" in theirs and "Hilltop Family Services" in theirs and "Pat Practitioner" not in theirs


def test_a_renamed_agency_and_person_show_on_the_next_page(client_for, practitioner):
    client = client_for(practitioner)
    assert "Riverside Early Intervention" in header(client.get(reverse("home")).content.decode())
    practitioner.agency.name = "Riverside Family Services"
    practitioner.agency.save()
    practitioner.user.full_name = "Pat Renamed"
    practitioner.user.save()
    shown = header(client.get(reverse("home")).content.decode())
    assert "Riverside Family Services" in shown and "Pat Renamed" in shown
    assert "Riverside Early Intervention" not in shown and "Pat Practitioner" not in shown


def test_the_current_page_is_marked_in_the_navigation_whichever_page_rendered_the_chrome_first(
        client_for, supervisor):
    client = client_for(supervisor)
    review = header(client.get(reverse("scenarios:review")).content.decode())
    statement = header(client.get(reverse("policies:statement")).content.decode())
    assert re.search(r'active" href="/review/" aria-current="page">Review<', review)
    assert 'aria-current="page">Client statement<' in statement and 'aria-current="page">Policies<' not in statement
    assert review.count('aria-current="page"') == 1 and statement.count('aria-current="page"') == 1


def test_each_page_carries_a_fresh_token_that_signs_out(practitioner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner.user)
    first = TOKEN.findall(client.get(reverse("home")).content.decode())
    second = TOKEN.findall(client.get(reverse("home")).content.decode())
    assert first and second and first != second  # masked anew on every page, never replayed from the memo
    assert "\x00" not in client.get(reverse("home")).content.decode()
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": second[-1]})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302  # signed out: sent to sign in


def test_the_idle_warning_counts_this_sessions_seconds(client_for, practitioner, settings):
    settings.SESSION_WARNING_SECONDS = 45
    body = client_for(practitioner).get(reverse("home")).content.decode()
    left = int(re.search(r'data-seconds-left="(\d+)"', body)[1])
    assert 0 < left <= settings.SESSION_IDLE_SECONDS
    assert 'data-warning-seconds="45"' in body


def test_the_memo_stays_within_its_bound(client_for, agency_a):
    chrome.memo.clear()
    for n in range(chrome.memo.size + 5):
        chrome.memo.get_or_render(("test", n), lambda: "x")
    assert len(chrome.memo) == chrome.memo.size
    chrome.memo.clear()


def test_a_page_rendered_without_a_request_gets_the_signed_out_chrome(db):
    from django.template.loader import render_to_string

    body = render_to_string("404.html", {})
    assert '<header>' in body and 'id="main-nav"' not in body and "Skip to main content" in body
