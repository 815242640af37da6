"""A create form sent twice creates one thing: the one-time token of boundaries/one_time.py."""

import datetime as dt
import re
import threading
import time

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from audit.models import AuditEvent
from boundaries.models import FormSubmission
from boundaries.one_time import FIELD, KEEP_FOR
from policies.models import PolicyVersion
from scenarios import views as scenario_views
from scenarios.models import ContactRequest
from scenarios.tests.test_request_views import VALID
from tests.factories import PolicyVersionFactory

TOKEN_INPUT = re.compile(r'<input type="hidden"\s+name="one_time_token"\s+value="([A-Za-z0-9_-]{22})"')


def token_on(client: Client, url: str) -> str:
    """The token on a form page, checked to sit inside a <form> element."""
    body = client.get(url).content.decode()
    (match,) = TOKEN_INPUT.finditer(body)
    assert body.rfind("<form ", 0, match.start()) > body.rfind("</form>", 0, match.start())
    return match.group(1)


def post_log(client: Client, token: str, **changes):
    return client.post(reverse("scenarios:log"), {**VALID, FIELD: token, **changes})


def test_each_page_of_a_create_form_carries_a_fresh_token_inside_the_form(client_for, practitioner):
    client = client_for(practitioner)
    first, second = (token_on(client, reverse("scenarios:log")) for _ in range(2))
    assert first != second


def test_a_hand_written_form_gets_the_token_field_from_its_own_tag():
    html = Template("{% load one_time %}{% one_time_token %}").render(Context())
    assert TOKEN_INPUT.fullmatch(html[:-1]) and html.endswith(">")


def test_logging_twice_with_one_token_creates_one_request_and_shows_it(client_for, practitioner):
    client = client_for(practitioner)
    token = token_on(client, reverse("scenarios:log"))
    first = post_log(client, token)
    again = post_log(client, token)
    contact_request = ContactRequest.objects.get()
    assert first.status_code == again.status_code == 302
    assert again.url == first.url == reverse("scenarios:detail", args=[contact_request.pk])
    assert AuditEvent.objects.filter(action="request.logged").count() == 1
    assert "That was sent twice, so we saved it once. Here it is." in [str(m) for m in get_messages(again.wsgi_request)]
    assert FormSubmission.objects.get().result_url == first.url


def test_a_refused_submit_gives_its_token_back_so_the_fix_can_be_sent(client_for, practitioner):
    client = client_for(practitioner)
    token = token_on(client, reverse("scenarios:log"))
    assert post_log(client, token, client_reference="Maria Lopez").status_code == 400
    assert not FormSubmission.objects.exists()
    assert post_log(client, token, client_reference="ML-7").status_code == 302
    assert ContactRequest.objects.get().client_reference == "ML-7"


def test_a_reused_page_with_changed_answers_is_a_new_request_not_a_lost_one(client_for, practitioner):
    client = client_for(practitioner)
    token = token_on(client, reverse("scenarios:log"))
    post_log(client, token)
    post_log(client, token, client_reference="RB-2001")
    assert sorted(ContactRequest.objects.values_list("client_reference", flat=True)) == ["RB-1042", "RB-2001"]


def test_two_pages_of_the_same_answers_are_two_requests(client_for, practitioner):
    client = client_for(practitioner)
    for _ in range(2):
        post_log(client, token_on(client, reverse("scenarios:log")))
    assert ContactRequest.objects.count() == 2


def test_a_malformed_token_is_ignored_without_an_error(client_for, practitioner):
    response = post_log(client_for(practitioner), "bad\x00token")
    assert response.status_code == 302 and ContactRequest.objects.count() == 1
    assert not FormSubmission.objects.exists()


def test_another_persons_submit_with_the_same_token_is_their_own(client_for, practitioner, supervisor):
    token = token_on(client_for(practitioner), reverse("scenarios:log"))
    post_log(client_for(practitioner), token)
    post_log(client_for(supervisor), token)
    assert set(ContactRequest.objects.values_list("practitioner", flat=True)) == {practitioner.user.pk,
                                                                                   supervisor.user.pk}


def test_a_claim_older_than_a_day_is_pruned_by_the_next_submit(client_for, practitioner, supervisor):
    old = timezone.now() - KEEP_FOR - dt.timedelta(minutes=1)
    mine = FormSubmission.objects.create(agency=practitioner.agency, user=practitioner.user, key="a" * 64,
                                         result_url="/x/", created_at=old)
    recent = FormSubmission.objects.create(agency=practitioner.agency, user=practitioner.user, key="b" * 64,
                                           result_url="/y/")
    theirs = FormSubmission.objects.create(agency=supervisor.agency, user=supervisor.user, key="a" * 64,
                                           result_url="/z/", created_at=old)
    client = client_for(practitioner)
    post_log(client, token_on(client, reverse("scenarios:log")))
    remaining = set(FormSubmission.objects.values_list("pk", flat=True))
    assert mine.pk not in remaining and {recent.pk, theirs.pk} <= remaining and len(remaining) == 3


def test_adding_a_staff_member_twice_adds_one(client_for, admin):
    client = client_for(admin)
    token = token_on(client, reverse("accounts:staff_add"))
    data = {"full_name": "Robin Newcomer", "email": "robin@riverside.example", "role": "practitioner", FIELD: token}
    first, again = (client.post(reverse("accounts:staff_add"), data) for _ in range(2))
    assert first.status_code == again.status_code == 302 and again.url == first.url
    assert User.objects.filter(email="robin@riverside.example").count() == 1
    assert Membership.objects.filter(user__email="robin@riverside.example").count() == 1


def test_starting_a_draft_twice_starts_one_and_opens_it(client_for, supervisor):
    client = client_for(supervisor)
    data = {"start_from": "strict", FIELD: token_on(client, reverse("policies:new"))}
    first, again = (client.post(reverse("policies:new"), data) for _ in range(2))
    assert again.url == first.url == reverse("policies:edit", args=[1])
    assert PolicyVersion.objects.count() == 1


def test_importing_a_document_twice_imports_it_once(client_for, agency_a, supervisor):
    PolicyVersionFactory(agency=agency_a, number=1, published=True, template="strict",
                         effective_from=dt.date(2026, 1, 5), published_by=supervisor.user)
    client = client_for(supervisor)
    token = token_on(client, reverse("policies:import"))
    document = client.get(reverse("policies:export", args=[1])).content
    responses = [client.post(reverse("policies:import"),
                             {FIELD: token, "document": SimpleUploadedFile("policy.json", document)})
                 for _ in range(2)]
    assert responses[0].url == responses[1].url == reverse("policies:detail", args=[2])
    assert PolicyVersion.objects.count() == 2


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_real_double_click_races_and_still_logs_one_request(practitioner, monkeypatch):
    """The second submit arrives while the first is still saving: it waits, then follows the first."""
    clients = {"first": Client(), "second": Client()}
    for client in clients.values():
        client.force_login(practitioner.user)
    token = token_on(clients["first"], reverse("scenarios:log"))
    first_saving, second_waiting = threading.Event(), threading.Event()
    real_log = scenario_views.services.request_log

    def slow_log(**kwargs):
        if not first_saving.is_set():
            first_saving.set()
            second_waiting.wait(timeout=10)
        return real_log(**kwargs)

    monkeypatch.setattr(scenario_views.services, "request_log", slow_log)
    responses, failures = {}, []

    def submit(name: str) -> None:
        try:
            responses[name] = post_log(clients[name], token)
        except Exception as error:  # reported below; a thread's exception is otherwise lost
            failures.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=submit, args=("first",))
    first.start()
    assert first_saving.wait(timeout=10)
    second = threading.Thread(target=submit, args=("second",))
    second.start()
    _wait_for_a_lock_wait()
    second_waiting.set()
    first.join()
    second.join()
    assert failures == []
    contact_request = ContactRequest.objects.get()
    url = reverse("scenarios:detail", args=[contact_request.pk])
    assert responses["first"].url == responses["second"].url == url
    assert AuditEvent.objects.filter(action="request.logged").count() == 1


def _wait_for_a_lock_wait() -> None:
    """Until another connection waits on a row or index lock (the second submit on the first's claim)."""
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second submit never waited for the first")
