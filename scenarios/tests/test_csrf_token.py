"""One masked CSRF token per response (boundaries/csrf.py): every form of a page carries the same one,
each response a new mask, and the token still lets the form through."""

import re

from django.middleware.csrf import rotate_token
from django.test import Client, RequestFactory
from django.urls import reverse

from boundaries.csrf import response_token
from scenarios.models import RequestStatus

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_the_forms_of_one_page_share_a_token_and_the_next_page_has_a_new_one(practitioner, log_request):
    contact_request = log_request()
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner.user)
    page = reverse("scenarios:detail", args=[contact_request.pk])
    first = TOKEN.findall(client.get(page).content.decode())
    second = TOKEN.findall(client.get(page).content.decode())
    assert len(first) >= 2 and len(set(first)) == 1  # the header's sign-out form and the options' form
    assert set(first) != set(second)
    response = client.post(reverse("scenarios:choose", args=[contact_request.pk]),
                           {"csrfmiddlewaretoken": second[0], "option": "discuss"})
    assert response.status_code == 302
    contact_request.refresh_from_db()
    assert contact_request.chosen_option == "discuss" and contact_request.status != RequestStatus.OPEN


def test_a_rotated_secret_gets_a_token_of_its_own(rf: RequestFactory):
    request = rf.get("/")
    before = response_token(request)
    assert response_token(request) == before
    rotate_token(request)  # as signing in does
    after = response_token(request)
    assert after != before and response_token(request) == after
