"""The list rows written in Python (scenarios/rows.py, audit/presentation.py): what each cell shows, and
every value escaped."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record
from scenarios.tests.factories import ContactRequestFactory

MARKUP = """<b>"O'Neil" & co</b>"""
ESCAPED = "&lt;b&gt;&quot;O&#x27;Neil&quot; &amp; co&lt;/b&gt;"


def test_the_review_row_shows_each_cell_with_its_phone_label_and_escapes_names(client_for, practitioner, supervisor):
    practitioner.user.full_name = MARKUP
    practitioner.user.save()
    made = ContactRequestFactory(membership=practitioner, client_reference="JD-7", needs_review=True,
                                 closed=True, chosen_option="accept", follow_up_on=timezone.localdate() - dt.timedelta(days=2))
    body = client_for(supervisor).get(reverse("scenarios:review")).content.decode()
    assert MARKUP not in body and f'<td data-label="Practitioner">{ESCAPED}</td>' in body
    assert '<tr class="waits-for-me">' in body and '<td data-label="Client">JD-7</td>' in body
    assert f'<a href="{reverse("scenarios:detail", args=[made.pk])}">Friend request on Facebook</a>' in body
    assert 'Accept <span class="small">(not the recommendation)</span>' in body
    assert '<span class="badge text-bg-warning">Needs review</span>' in body
    assert "Follow-up overdue" not in body  # closed: nothing is overdue any more


def test_my_row_shows_the_recommendation_and_what_was_chosen(client_for, practitioner):
    made = ContactRequestFactory(membership=practitioner, client_reference="A&B", status="in_progress",
                                 chosen_option="discuss")
    body = client_for(practitioner).get(reverse("scenarios:list")).content.decode()
    assert f'<a href="{reverse("scenarios:detail", args=[made.pk])}">Friend request on Facebook</a>' in body
    assert '<td data-label="Client">A&amp;B</td>' in body
    assert ('<td data-label="Recommended">Discuss, then decline<span class="d-block small text-body-secondary">'
            "Chosen: discuss</span></td>") in body


def test_the_audit_row_escapes_the_actor_and_links_the_target(client_for, admin, practitioner):
    practitioner.user.full_name = MARKUP
    practitioner.user.save()
    made = ContactRequestFactory(membership=practitioner)
    record(agency=practitioner.agency, actor=practitioner.user, action=AuditAction.REQUEST_VIEWED, target=made)
    body = client_for(admin).get(reverse("audit:event_list")).content.decode()
    assert MARKUP not in body and f'<td data-label="Who">{ESCAPED}</td>' in body
    assert f'?target=scenarios.contactrequest%3A{made.pk}">Contact request {made.pk}</a></td>' in body
