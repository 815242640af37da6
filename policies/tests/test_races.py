"""Two people acting on the same policy at once (issue 8, item 8): a clear answer, nothing typed lost, no 500.

The first tests replay each race in order on any database; the `postgresql` ones run it for
real, with the first writer's transaction held open until the second request waits on its lock.
"""

import json
import re
import threading
import time
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from policies.models import PolicyStatus, PolicyVersion, StatementReceipt
from policies.services import (
    policy_discard,
    policy_export,
    policy_publish,
    policy_save_draft,
    policy_start_draft,
    statement_receipt_record,
)
from policies.document import STARTER_TEMPLATES
from tests.factories import MembershipFactory

from .support import form_data, hidden_fields, row_counts

EDIT = reverse("policies:edit", args=[1])
PUBLISH = reverse("policies:publish", args=[1])


def assert_edit_kept_and_explained(response, happened: str) -> None:
    body = response.content.decode()
    assert response.status_code == 409
    assert happened in body and "your changes were not saved" in body
    assert 'value="Typed while it changed"' in body and 'value="7"' in body
    assert "Save the draft" not in body and reverse("policies:new") in body


def test_an_edit_that_arrives_after_the_draft_was_published_keeps_what_was_typed(client_for, supervisor, draft):
    client = client_for(supervisor)
    typed = form_data(draft, title="Typed while it changed", discharge_amount="7")
    policy_publish(version=draft, actor=supervisor.user, effective_from=timezone.localdate())
    before = row_counts()
    response = client.post(EDIT, typed)
    assert_edit_kept_and_explained(response, "Version 1 was published after you opened it")
    assert row_counts() == before and PolicyVersion.objects.get().title != "Typed while it changed"


def test_an_edit_that_arrives_after_the_draft_was_discarded_keeps_what_was_typed(client_for, supervisor, draft):
    client = client_for(supervisor)
    typed = form_data(draft, title="Typed while it changed", discharge_amount="7")
    policy_discard(version=draft, actor=supervisor.user)
    before = row_counts()
    response = client.post(EDIT, typed)
    assert_edit_kept_and_explained(response, "Draft version 1 was discarded after you opened it")
    assert row_counts() == before


def test_an_edit_of_a_discarded_draft_does_not_land_on_the_new_draft_that_took_its_number(client_for, agency_a,
                                                                                         supervisor, draft):
    client = client_for(supervisor)
    typed = form_data(draft, title="Typed while it changed", discharge_amount="7")
    policy_discard(version=draft, actor=supervisor.user)
    fresh = policy_start_draft(agency=agency_a, actor=supervisor.user, template="strict")
    assert fresh.number == 1 and fresh.lock_version == 0  # the same number and lock as the page typed on
    before = row_counts()
    response = client.post(EDIT, typed)
    assert_edit_kept_and_explained(response, "Draft version 1 was discarded after you opened it")
    assert row_counts() == before and PolicyVersion.objects.get().title == STARTER_TEMPLATES["strict"].policy.title


def test_an_edit_of_a_version_that_never_existed_is_not_found(client_for, supervisor):
    assert client_for(supervisor).post(reverse("policies:edit", args=[5]), {"title": "x"}).status_code == 404


def test_starting_a_draft_when_one_exists_links_to_it(client_for, supervisor, draft):
    client = client_for(supervisor)
    before = row_counts()
    response = client.post(reverse("policies:new"), {"start_from": "early_intervention"})
    body = response.content.decode()
    assert response.status_code == 409
    assert "Version 1 is already a draft." in body
    assert f'href="{EDIT}">Open draft version 1</a>' in body
    assert re.search(r'value="early_intervention"[^>]*checked', body)  # the choice made is kept
    assert row_counts() == before


def test_importing_when_a_draft_exists_links_to_it(client_for, supervisor, published, agency_a):
    client = client_for(supervisor)
    document = policy_export(published)
    policy_start_draft(agency=agency_a, actor=supervisor.user, template="strict")
    before = row_counts()
    upload = SimpleUploadedFile("policy.json", json.dumps(document).encode())
    response = client.post(reverse("policies:import"), {"document": upload})
    assert response.status_code == 409
    assert f'href="{reverse("policies:edit", args=[2])}">Open draft version 2</a>' in response.content.decode()
    assert row_counts() == before


def test_a_discard_after_the_draft_was_published_keeps_it_and_says_why(client_for, supervisor, draft):
    client = client_for(supervisor)
    stale = PolicyVersion.objects.get(pk=draft.pk)
    policy_publish(version=draft, actor=supervisor.user, effective_from=timezone.localdate())
    response = client.post(reverse("policies:discard", args=[1]), follow=True)
    assert "Version 1 is already published. A published version can&#x27;t be changed" in response.content.decode()
    assert PolicyVersion.objects.get(pk=stale.pk).status == PolicyStatus.PUBLISHED
    with pytest.raises(ValidationError, match="Version 1 is published. Only a draft can be discarded"):
        policy_discard(version=stale, actor=supervisor.user)  # the same race, one step later: under the lock


def test_a_second_discard_of_the_same_draft_says_it_is_gone(client_for, supervisor, draft):
    client = client_for(supervisor)
    stale = PolicyVersion.objects.get(pk=draft.pk)
    assert client.post(reverse("policies:discard", args=[1])).status_code == 302
    response = client.post(reverse("policies:discard", args=[1]), follow=True)
    assert "Draft version 1 was discarded, so there is nothing left" in response.content.decode()
    with pytest.raises(ValidationError, match="Draft version 1 was already discarded."):
        policy_discard(version=stale, actor=supervisor.user)
    assert AuditEvent.objects.filter(action=AuditAction.POLICY_DISCARDED).count() == 1


def test_a_publish_that_arrives_after_the_draft_was_discarded_says_so(client_for, supervisor, draft):
    client = client_for(supervisor)
    reviewed = hidden_fields(client.get(PUBLISH).content.decode())
    policy_discard(version=draft, actor=supervisor.user)
    before = row_counts()
    response = client.post(PUBLISH, {**reviewed, "effective_from": timezone.localdate().isoformat()}, follow=True)
    assert "Draft version 1 was discarded, so there is nothing left to publish" in response.content.decode()
    assert row_counts() == before and not PolicyVersion.objects.exists()


# Real races on PostgreSQL ---------------------------------------------------------------------------


def wait_for_a_lock_waiter(timeout: float = 10.0) -> None:
    """Return once another connection to this database waits on a lock (the racing request)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the racing request never waited on the lock")


def race(first: Callable[[], object], second: Callable[[], object]) -> object:
    """Run `first` in a transaction on its own connection, and commit it only once `second`
    (run here) waits on its lock: `second` started before `first` finished, and must wait."""
    started, failures = threading.Event(), []

    def hold() -> None:
        try:
            with transaction.atomic():
                first()
                started.set()
                wait_for_a_lock_waiter()
        except Exception as error:  # reported below; a thread's exception is otherwise lost
            failures.append(error)
            started.set()
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    started.wait(10)
    result = second()
    holder.join(10)
    assert failures == []
    return result


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_an_edit_racing_a_publish_waits_then_keeps_what_was_typed(client_for, supervisor, draft):
    client = client_for(supervisor)
    typed = form_data(draft, title="Typed while it changed", discharge_amount="7")
    response = race(lambda: policy_publish(version=draft, actor=supervisor.user, effective_from=timezone.localdate()),
                    lambda: client.post(EDIT, typed))
    assert_edit_kept_and_explained(response, "Version 1 was published after you opened it")
    version = PolicyVersion.objects.get()
    assert version.status == PolicyStatus.PUBLISHED and version.title != "Typed while it changed"
    assert not AuditEvent.objects.filter(action=AuditAction.POLICY_EDITED).exists()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_an_edit_racing_a_discard_waits_then_keeps_what_was_typed(client_for, supervisor, draft):
    client = client_for(supervisor)
    typed = form_data(draft, title="Typed while it changed", discharge_amount="7")
    response = race(lambda: policy_discard(version=draft, actor=supervisor.user), lambda: client.post(EDIT, typed))
    assert_edit_kept_and_explained(response, "Draft version 1 was discarded after you opened it")
    assert not PolicyVersion.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.POLICY_EDITED).exists()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_publish_racing_an_edit_waits_then_shows_what_changed(client_for, agency_a, supervisor, draft):
    client = client_for(supervisor)
    reviewed = hidden_fields(client.get(PUBLISH).content.decode())
    strict = STARTER_TEMPLATES["strict"].policy
    response = race(lambda: policy_save_draft(version=draft, actor=supervisor.user, policy=strict,
                                              expected_lock_version=0),
                    lambda: client.post(PUBLISH, {**reviewed, "effective_from": timezone.localdate().isoformat()}))
    body = response.content.decode()
    assert response.status_code == 409 and "so it was not published" in body
    assert strict.title in body.split("What changed since you reviewed it")[1]
    assert PolicyVersion.objects.get().status == PolicyStatus.DRAFT
    assert not AuditEvent.objects.filter(action=AuditAction.POLICY_PUBLISHED).exists()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_supervisors_starting_a_draft_at_once_get_one_draft_and_a_link_to_it(client_for, agency_a, supervisor):
    second = client_for(MembershipFactory(agency=agency_a, role="supervisor"))
    response = race(lambda: policy_start_draft(agency=agency_a, actor=supervisor.user, template="strict"),
                    lambda: second.post(reverse("policies:new"), {"start_from": "early_intervention"}))
    body = response.content.decode()
    assert response.status_code == 409
    assert "Version 1 is already a draft." in body and f'href="{EDIT}">Open draft version 1</a>' in body
    version = PolicyVersion.objects.get()
    assert version.based_on == "template:strict" and len(version.policy.connection_rules) > 0
    assert AuditEvent.objects.filter(action=AuditAction.POLICY_CREATED).count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_sends_of_the_same_statement_receipt_at_once_record_it_once(practitioner, published):
    def send():
        return statement_receipt_record(membership=practitioner, client_reference="RB-1042", language="es",
                                        received_on=timezone.localdate())

    receipt, created = race(send, send)
    assert created is False and StatementReceipt.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.STATEMENT_GIVEN).count() == 1
