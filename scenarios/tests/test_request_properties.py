"""Issue 8, item 15, for the walk-through's form views: step, choose, close and review.

Whatever is posted, the answer is never a 500 or a traceback, and a refused post writes nothing:
the rows of requests, steps and audit events are counted before and after each example. Each
example runs in a savepoint that is rolled back, so every one starts from the same request.
"""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from scenarios import services
from scenarios.models import ContactRequest, Outcome, ReviewDecision, StepRecord

EXAMPLES = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Text as typed, and as a hostile post may send it: NUL, other control characters, very long.
TEXT = st.one_of(st.text(max_size=40), st.text(max_size=40).map(lambda text: text + "\x00"),
                 st.just("x" * 2001), st.just(""))
DATES = st.one_of(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
                  st.sampled_from(["0000-01-01", "10000-01-01", "2026-02-30", "2026-3-1", "13/03/2026"]), TEXT)
REVISIONS = st.one_of(st.none(), st.integers(min_value=-3, max_value=3).map(str), st.text(max_size=5))
REFUSED = {400, 404, 409, 422}


def rows() -> tuple[int, int, int]:
    return ContactRequest.objects.count(), StepRecord.objects.count(), AuditEvent.objects.count()


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def form_data(**fields) -> dict:
    return {name: value for name, value in fields.items() if value is not None}


def assert_answer(response, before: tuple[int, int, int], *, writes: tuple[int, int, int]) -> None:
    """A refused post writes nothing; an accepted one writes at most `writes` rows of each kind."""
    body = response.content.decode()
    assert response.status_code < 500 and "Traceback" not in body
    after = rows()
    if response.status_code in REFUSED:
        assert after == before
    else:
        assert response.status_code in (200, 302)
        assert all(0 <= a - b <= most for a, b, most in zip(after, before, writes))


@pytest.fixture
def walking(log_request, practitioner):
    contact_request = log_request()
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="discuss")
    return contact_request


@EXAMPLES
@given(key=st.sampled_from(["talking_points", "next_session_date", "conversation_date", "explain_policy"]),
       value=st.one_of(st.none(), DATES), revision=REVISIONS, htmx=st.booleans())
def test_any_step_post_is_saved_or_refused_cleanly(client_for, practitioner, walking, key, value, revision, htmx):
    client = client_for(practitioner)
    with rolled_back():
        before = rows()
        response = client.post(reverse("scenarios:step", args=[walking.pk, key]),
                               form_data(value=value, revision=revision),
                               **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
        assert_answer(response, before, writes=(0, 1, 1))


@EXAMPLES
@given(option=st.one_of(st.sampled_from(["accept", "ignore", "discuss", "decline"]), TEXT), reason=TEXT)
def test_any_choice_is_made_or_refused_cleanly(client_for, practitioner, log_request, option, reason):
    contact_request = log_request()
    client = client_for(practitioner)
    with rolled_back():
        before = rows()
        response = client.post(reverse("scenarios:choose", args=[contact_request.pk]),
                               form_data(option=option, reason=reason))
        assert_answer(response, before, writes=(0, 0, 1))


@EXAMPLES
@given(outcome=st.one_of(st.sampled_from(Outcome.values), TEXT), note=st.one_of(st.none(), TEXT),
       chosen=st.booleans())
def test_any_close_is_made_or_refused_cleanly(client_for, practitioner, log_request, outcome, note, chosen):
    contact_request = log_request()
    client = client_for(practitioner)
    with rolled_back():
        if chosen:
            services.request_choose_option(contact_request=contact_request, actor=practitioner.user,
                                           option="decline")
        before = rows()
        response = client.post(reverse("scenarios:close", args=[contact_request.pk]),
                               form_data(outcome=outcome, note=note))
        assert_answer(response, before, writes=(0, 0, 1))
        contact_request.refresh_from_db()
        if not chosen:
            assert not contact_request.is_closed


@EXAMPLES
@given(decision=st.one_of(st.sampled_from(ReviewDecision.values), TEXT), note=st.one_of(st.none(), TEXT),
       closed=st.booleans())
def test_any_review_is_recorded_or_refused_cleanly(client_for, practitioner, supervisor, log_request, decision,
                                                   note, closed):
    contact_request = log_request()
    client = client_for(supervisor)
    with rolled_back():
        services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="ignore",
                                       reason="Waiting to see whether she asks again.")
        if closed:
            services.request_close(contact_request=contact_request, actor=practitioner.user,
                                   outcome="already_accepted", note="Accepted it before I saw who it was.")
        before = rows()
        response = client.post(reverse("scenarios:review_decide", args=[contact_request.pk]),
                               form_data(decision=decision, note=note))
        assert_answer(response, before, writes=(0, 0, 1))
        contact_request.refresh_from_db()
        assert contact_request.is_closed is closed
