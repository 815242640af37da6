"""The client statement promises what the practitioner's guidance says: one reply rule, tested from both sides."""

import dataclasses
import datetime as dt
import re

import pytest
from django.urls import reverse
from hypothesis import given

from policies.presentation import reply_promise
from scenarios.engine.evaluate import evaluate
from scenarios.engine.facts import Facts
from policies.document import STARTER_TEMPLATES, Policy
from scenarios.engine.vocabulary import Channel, ClientStatus, Relationship, RequestKind, Weekday, weekday_of
from scenarios.tests.strategies import PROPERTY, working_hours
from tests.factories import PolicyVersionFactory

A_MONDAY = dt.date(2026, 3, 16)
EXAMPLE = re.compile(
    r"For example, a message sent on a (?P<sent_day>\w+) at (?P<sent_time>\d+:\d\d [AP]M) is answered "
    r"(?:by (?P<by_day>\w+) at (?P<by_time>\d+:\d\d [AP]M)|on (?P<on_day>\w+)(?:, \d+ days later)?, "
    r"from (?P<on_time>\d+:\d\d [AP]M))(?:, \d+ days later)?\."
)
GUIDANCE_MOMENT = re.compile(r"(\d{4}-\d\d-\d\d)(?: at |, from )(\d\d:\d\d)")


def client_text(received_at: dt.datetime) -> Facts:
    return Facts(RequestKind.TEXT_MESSAGE, Channel.WORK_EMAIL, Relationship.CURRENT_CLIENT, ClientStatus.CURRENT,
                 None, received_at)


def clock(text: str) -> dt.time:
    return dt.datetime.strptime(text, "%I:%M %p").time()


def on(day_label: str, time: dt.time) -> dt.datetime:
    """That weekday in the week of A_MONDAY, at that time."""
    index = [day.label for day in Weekday].index(day_label)
    return dt.datetime.combine(A_MONDAY + dt.timedelta(days=index), time)


def guidance_moment(policy: Policy, received_at: dt.datetime) -> dt.datetime:
    """The moment the practitioner's guidance names for the reply, read from its follow-up."""
    (follow_up,) = evaluate(client_text(received_at), policy, received_at).follow_ups
    day, time = GUIDANCE_MOMENT.search(follow_up.text).groups()
    assert follow_up.due == dt.date.fromisoformat(day)
    return dt.datetime.fromisoformat(f"{day}T{time}")


def statement_example(client) -> tuple[dt.datetime, str, dt.time]:
    """The example message the statement gives, and the weekday and time it says the answer comes."""
    body = client.get(reverse("policies:statement")).content.decode()
    found = EXAMPLE.search(body)
    assert found, body
    sent = on(found["sent_day"], clock(found["sent_time"]))
    day, time = (found["by_day"], found["by_time"]) if found["by_day"] else (found["on_day"], found["on_time"])
    return sent, day, clock(time)


@pytest.mark.parametrize(("template", "rule"), [
    ("professional_after_discharge", "is answered within 24 hours, counted from when we next start work."),
    ("early_intervention", "A message that arrives outside these hours is answered on the next working day."),
])
def test_the_statement_promises_the_deadline_the_guidance_gives(client_for, practitioner, template, rule):
    PolicyVersionFactory(agency=practitioner.agency, published=True, template=template)
    policy = STARTER_TEMPLATES[template].policy
    client = client_for(practitioner)
    body = client.get(reverse("policies:statement")).content.decode()
    assert rule in body
    sent, day, time = statement_example(client)
    named = guidance_moment(policy, sent)
    assert (weekday_of(named.date()).label, named.time()) == (day, time)


def test_a_text_on_sunday_night_is_answered_as_the_statement_says(client_for, practitioner):
    # Issue 8, item 13: the guidance said "by Monday" while the statement counted from Monday's start.
    PolicyVersionFactory(agency=practitioner.agency, published=True, template="professional_after_discharge")
    body = client_for(practitioner).get(reverse("policies:statement")).content.decode()
    assert "within 24 hours, counted from when we next start work" in body
    policy = STARTER_TEMPLATES["professional_after_discharge"].policy
    assert guidance_moment(policy, dt.datetime(2026, 3, 15, 0, 30)) == dt.datetime(2026, 3, 17, 9, 0)


@PROPERTY
@given(hours=working_hours())
def test_for_any_working_hours_the_statements_example_is_the_guidances_deadline(hours):
    policy = dataclasses.replace(STARTER_TEMPLATES["professional_after_discharge"].policy, working_hours=hours)
    promise = reply_promise(policy)
    named = guidance_moment(policy, promise.sent)
    assert named == promise.named
    assert weekday_of(named.date()).label in promise.example


def test_without_working_days_the_statement_states_the_rule_and_gives_no_example():
    hours = dataclasses.replace(STARTER_TEMPLATES["strict"].policy.working_hours, days=())
    promise = reply_promise(dataclasses.replace(STARTER_TEMPLATES["strict"].policy, working_hours=hours))
    assert promise.rule == "A message that arrives outside these hours is answered on the next working day."
    assert (promise.example, promise.sent, promise.named) == ("", None, None)
