"""Property tests (issue 8, item 15): whatever the policy editor, the publish page or the web
import receive, they answer with a page, never a 500 or a traceback, and an input they refuse
writes no row at all (versions, rules, acknowledgements, audit events are counted around it)."""

import datetime as dt
import json
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django import forms
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from policies.models import PolicyStatus, PolicyVersion
from policies.services import policy_discard, policy_start_draft
from policies.document import STARTER_TEMPLATES, to_document
from policies.document.vocabulary import (
    AccountStance,
    Conduct,
    AfterHours,
    Channel,
    ChannelUse,
    Decision,
    PeriodUnit,
    Platform,
    PlatformGroup,
    Relationship,
    Weekday,
)

from .support import form_data, hidden_fields, row_counts

PROPERTY = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
ANSWERS = {200, 302, 400, 409}


def values(enum) -> list[str]:
    return [member.value for member in enum]


# Text a person might type or paste, NUL characters and overlong text included.
TEXT = st.one_of(st.text(max_size=30), st.just("x" * 2001), st.just("a\x00b"))
NUMBER = st.one_of(st.integers(-10**6, 10**6).map(str), st.just(""), st.just("1e3"), st.just("9" * 30), TEXT)
TIME = st.one_of(st.times().map(lambda time: time.strftime("%H:%M")), st.just("24:00"), TEXT)


def choice(options: list[str]):
    return st.one_of(st.sampled_from(options + [""]), TEXT)


def several(options: list[str]):
    return st.lists(choice(options), max_size=4)


def _editor_fields() -> dict:
    fields = {
        "title": TEXT, "lock_version": st.one_of(st.integers(-2, 3).map(str), TEXT),
        "draft_id": st.one_of(st.integers(-2, 10**6).map(str), TEXT),
        "discharge_amount": NUMBER, "discharge_unit": choice(values(PeriodUnit)),
        "leaving_amount": NUMBER, "leaving_unit": choice(values(PeriodUnit)),
        "work_days": several(values(Weekday)), "work_start": TIME, "work_end": TIME,
        "response_within_hours": NUMBER, "after_hours": choice(values(AfterHours)),
        "small_community": TEXT, "documentation": TEXT,
        "override-TOTAL_FORMS": st.one_of(st.integers(0, 3).map(str), TEXT),
    }
    for relationship in (Relationship.CURRENT_CLIENT, Relationship.FORMER_CLIENT):
        for group in PlatformGroup:
            fields[f"{relationship}__{group}"] = choice(values(Decision))
            fields[f"why__{relationship}__{group}"] = TEXT
    for channel in (Channel.WORK_EMAIL, Channel.WORK_TEXT):
        fields[f"allowed__{channel}"] = st.sampled_from(["on", ""])
        fields[f"uses__{channel}"] = several(values(ChannelUse))
        fields[f"who__{channel}"] = several(values(Relationship))  # colleagues too: not a choice here
    for conduct in (Conduct.PROFESSIONAL_ACCOUNTS, Conduct.ONLINE_REVIEWS):
        fields[f"conduct__{conduct}"] = st.sampled_from(["on", "", "yes"])
        fields[f"conduct_note__{conduct}"] = TEXT
    fields["stance__professional_accounts"] = choice(values(AccountStance))
    for row in range(3):  # half-filled rows are the point of item 5
        fields[f"override-{row}-relationship"] = choice(values(Relationship))
        fields[f"override-{row}-platform"] = choice(values(Platform))
        fields[f"override-{row}-decision"] = choice(values(Decision))
        fields[f"override-{row}-rationale"] = TEXT
    return fields


EDITS = st.fixed_dictionaries({}, optional=_editor_fields())


@pytest.fixture
def sam(client_for, supervisor):
    return client_for(supervisor)


def assert_a_page(response) -> str:
    body = response.content.decode()
    assert response.status_code in ANSWERS
    assert "Traceback" not in body
    return body


@PROPERTY
@given(changes=EDITS)
@example(changes={"override-0-relationship": "colleague", "title": "Kept while a row is half filled"})
@example(changes={"override-1-platform": "tiktok", "override-1-rationale": "No relationship chosen"})
def test_the_editor_answers_every_input_and_a_refused_edit_writes_nothing(sam, draft, changes):
    version = PolicyVersion.objects.get(pk=draft.pk)
    before = row_counts()
    response = sam.post(reverse("policies:edit", args=[1]), form_data(version, **changes))
    body = assert_a_page(response)
    after = PolicyVersion.objects.get(pk=draft.pk)
    if response.status_code == 302:
        assert after.lock_version == version.lock_version + 1
        return
    assert row_counts() == before and after.lock_version == version.lock_version
    assert "not saved" in body.lower() or "Nothing was saved yet" in body
    title = changes.get("title")
    if title and "\x00" not in title and "\r" not in title:
        assert escape(title) in body  # what was typed is still in the form


DATES = st.one_of(
    st.integers(-400, 400).map(lambda days: (timezone.localdate() + dt.timedelta(days=days)).isoformat()),
    st.dates().map(dt.date.isoformat), st.just("2026-02-30"), TEXT,
)


@PROPERTY
@given(effective_from=DATES, lock=st.one_of(st.just("as shown"), st.integers(-1, 3).map(str), TEXT),
       reviewed=st.one_of(st.just("as shown"), TEXT))
def test_publishing_answers_every_input_and_a_refused_publish_writes_nothing(sam, agency_a, supervisor,
                                                                             effective_from, lock, reviewed):
    if not PolicyVersion.objects.for_agency(agency_a).drafts().exists():  # the previous example published it
        policy_start_draft(agency=agency_a, actor=supervisor.user)
    draft = PolicyVersion.objects.for_agency(agency_a).drafts().get()
    url = reverse("policies:publish", args=[draft.number])
    shown = hidden_fields(sam.get(url).content.decode())
    data = {"effective_from": effective_from,
            "lock_version": shown["lock_version"] if lock == "as shown" else lock,
            "reviewed": shown["reviewed"] if reviewed == "as shown" else reviewed}
    before = row_counts()
    response = sam.post(url, data)
    assert_a_page(response)
    draft.refresh_from_db()
    if response.status_code == 302:  # only ever the text shown on the page, from the date given
        assert int(data["lock_version"]) == int(shown["lock_version"])
        assert draft.status == PolicyStatus.PUBLISHED
        assert draft.effective_from == forms.DateField().clean(effective_from)
    else:
        assert draft.status == PolicyStatus.DRAFT and row_counts() == before


# NUL characters inside a JSON document are refused by the engine's one document reader and
# tested there; here the documents hold every other character.
NO_NUL = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(NO_NUL, max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(NO_NUL, max_size=12), children,
                                                                       max_size=4),
    max_leaves=10,
)
VALID = to_document(STARTER_TEMPLATES["early_intervention"].policy)


def _paths(value, path=()) -> list[tuple]:
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return [path] + [found for key, child in children for found in _paths(child, path + (key,))]


def _replaced(path: tuple, new) -> dict | object:
    if not path:
        return new
    document = json.loads(json.dumps(VALID))
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = new
    return document


UPLOADS = st.one_of(
    st.builds(_replaced, st.sampled_from(_paths(VALID)), JSON).map(lambda doc: json.dumps(doc).encode()),
    JSON.map(lambda doc: json.dumps(doc).encode()),
    st.binary(max_size=120),
    st.just(b"1" * 5000), st.just(b"\xef\xbb\xbf{}"), st.just(b"[" * 5000),
)


@PROPERTY
@given(upload=UPLOADS)
@example(upload=b"1" * 5000)  # longer than Python reads as a number
def test_the_import_answers_every_file_and_a_refused_one_writes_nothing(sam, agency_a, supervisor, upload):
    before = row_counts()
    response = sam.post(reverse("policies:import"), {"document": SimpleUploadedFile("policy.json", upload)})
    assert_a_page(response)
    if response.status_code == 302:
        policy_discard(version=PolicyVersion.objects.for_agency(agency_a).drafts().get(), actor=supervisor.user)
    else:
        assert row_counts() == before
