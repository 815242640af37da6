"""Recording that a client went through the statement, and the prompt when a newer version says something else."""

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from policies.document.vocabulary import Conduct
from policies.models import StatementReceipt
from policies.services import statement_receipt_record
from tests.factories import PolicyVersionFactory

URL = reverse("policies:statement_receipt")
# The same however many receipts there are: sign-in and agency context, the version in force, the agency's
# statement settings, the receipts.
QUERIES = 8


def post(client, **fields):
    data = {"client_reference": "RB-1042", "language": "es", "received_on": "2026-01-06", **fields}
    return client.post(URL, data)


def test_a_practitioner_records_receipt_with_an_audit_event_that_holds_no_free_text(client_for, practitioner,
                                                                                    published):
    client = client_for(practitioner)
    response = post(client)
    assert response.status_code == 302
    receipt = StatementReceipt.objects.get()
    assert (receipt.agency, receipt.version, receipt.client_reference, receipt.language, receipt.received_on) == (
        practitioner.agency, published, "RB-1042", "es", dt.date(2026, 1, 6))
    event = AuditEvent.objects.get(action=AuditAction.STATEMENT_GIVEN)
    assert event.data == {"version": 1, "language": "es"} and event.target_id == str(receipt.pk)
    page = client.get(reverse("policies:statement")).content.decode()
    assert "Recorded: RB-1042 went through version 1 of the statement." in page


@pytest.mark.parametrize("fields, message", [
    ({"client_reference": "Maria Lopez"}, "This looks like a name."),
    ({"received_on": "9999-12-31"}, "This date is in the future."),
    ({"received_on": "0001-01-01"}, "Give a date from 2000 on"),
    ({"client_reference": "RB\x001042"}, "Null characters are not allowed."),
])
def test_bad_input_is_refused_next_to_the_field_and_kept(client_for, practitioner, published, fields, message):
    response = post(client_for(practitioner), **fields)
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    typed = fields.get("client_reference", "RB-1042")
    assert "\x00" in typed or f'value="{typed}"' in body  # what was typed stays in the form
    assert not StatementReceipt.objects.exists() and not AuditEvent.objects.filter(
        action=AuditAction.STATEMENT_GIVEN).exists()


def test_the_same_record_sent_twice_is_kept_once(practitioner, published):
    first = statement_receipt_record(membership=practitioner, client_reference="J.T.", language="en",
                                     received_on=dt.date(2026, 1, 6))
    again = statement_receipt_record(membership=practitioner, client_reference="J.T.", language="en",
                                     received_on=dt.date(2026, 1, 6))
    assert first[1] is True and again == (first[0], False)
    assert AuditEvent.objects.filter(action=AuditAction.STATEMENT_GIVEN).count() == 1


def test_a_newer_version_that_changes_the_statement_prompts_the_practitioner_and_supervisors_see_counts(
        client_for, practitioner, supervisor, published):
    for reference in ("RB-1042", "J.T."):
        statement_receipt_record(membership=practitioner, client_reference=reference, language="en",
                                 received_on=dt.date(2026, 1, 6))
    page = client_for(practitioner).get(reverse("policies:statement")).content.decode()
    assert "Go through the changes with these clients" not in page
    # Version 2 stops saying that staff don't look clients up: the statement changes.
    newer = PolicyVersionFactory(agency=published.agency, number=2, published=True, template="strict",
                                 effective_from=dt.date(2026, 2, 2), published_by=supervisor.user)
    newer.policy = dataclasses.replace(newer.policy, conduct=tuple(
        dataclasses.replace(expectation, on=False) if expectation.conduct is Conduct.NO_SEARCHING_FOR_CLIENTS
        else expectation for expectation in newer.policy.conduct))
    newer.save()
    page = client_for(practitioner).get(reverse("policies:statement")).content.decode()
    assert "Go through the changes with these clients" in page
    assert "<strong>J.T.</strong>: received version 1" in page and "<strong>RB-1042</strong>: received version 1" in page
    # Once RB-1042 has gone through version 2, only J.T. is left.
    assert post(client_for(practitioner), language="en", received_on=timezone.localdate().isoformat()).status_code == 302
    page = client_for(practitioner).get(reverse("policies:statement")).content.decode()
    assert "<strong>J.T.</strong>" in page and "<strong>RB-1042</strong>" not in page
    summary = client_for(supervisor).get(reverse("policies:statement")).content.decode()
    assert "Clients who received each version" in summary
    assert '<td>Version 2</td><td class="text-end">1</td>' in summary
    assert '<td>Version 1</td><td class="text-end">2</td>' in summary


def test_a_newer_version_that_says_the_same_to_clients_prompts_nobody(client_for, practitioner, supervisor,
                                                                       published):
    statement_receipt_record(membership=practitioner, client_reference="J.T.", language="en",
                             received_on=dt.date(2026, 1, 6))
    PolicyVersionFactory(agency=published.agency, number=2, published=True, template="strict",
                         effective_from=dt.date(2026, 2, 2), published_by=supervisor.user)
    page = client_for(practitioner).get(reverse("policies:statement")).content.decode()
    assert "Go through the changes with these clients" not in page


def test_another_agencys_receipts_stay_out_of_sight(client_for, practitioner, outsider, published):
    statement_receipt_record(membership=practitioner, client_reference="J.T.", language="en",
                             received_on=dt.date(2026, 1, 6))
    page = client_for(outsider).get(reverse("policies:statement")).content.decode()
    assert "J.T." not in page


def test_the_statement_page_costs_a_fixed_number_of_queries_however_many_receipts(
        client_for, practitioner, published, django_assert_num_queries):
    for number in range(5):
        statement_receipt_record(membership=practitioner, client_reference=f"RB-{number}", language="en",
                                 received_on=dt.date(2026, 1, 6))
    client = client_for(practitioner)
    client.get(reverse("policies:statement"))  # warms the session and the membership cache
    with django_assert_num_queries(QUERIES):
        assert client.get(reverse("policies:statement")).status_code == 200
