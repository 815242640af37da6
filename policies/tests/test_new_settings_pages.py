"""A supervisor sets a channel for named relationships and conduct expectations; staff and clients see them."""

import datetime as dt
import html

from django.urls import reverse

from policies.models import PolicyVersion
from policies.services import policy_publish
from policies.document.vocabulary import AccountStance, Channel, Conduct, Relationship

from .support import form_data

NOTE = "Use the agency's consent form, kept in the family's file."


def _set_up(client_for, supervisor, draft, **extra):
    data = form_data(draft, **{
        "who__work_text": ["client_family"],
        "conduct__client_photos_with_consent": "on", "conduct_note__client_photos_with_consent": NOTE,
        "conduct__professional_accounts": "on", "stance__professional_accounts": "expected",
        "conduct__online_reviews": "", **extra,
    })
    return client_for(supervisor).post(reverse("policies:edit", args=[draft.number]), data)


def test_the_editor_saves_a_channel_for_families_and_the_conduct_expectations(client_for, supervisor, draft):
    assert _set_up(client_for, supervisor, draft).status_code == 302
    policy = PolicyVersion.objects.get(pk=draft.pk).policy
    assert policy.channel_rule(Channel.WORK_TEXT).relationships == (Relationship.CLIENT_FAMILY,)
    assert policy.channel_rule(Channel.WORK_PHONE).relationships == ()
    photos = policy.expects(Conduct.CLIENT_PHOTOS_WITH_CONSENT)
    assert (photos.on, photos.note) == (True, NOTE)
    accounts = policy.expects(Conduct.PROFESSIONAL_ACCOUNTS)
    assert (accounts.on, accounts.stance) == (True, AccountStance.EXPECTED)
    assert policy.expects(Conduct.ONLINE_REVIEWS).on is False
    # Opened again, the form shows what was saved.
    page = client_for(supervisor).get(reverse("policies:edit", args=[draft.number])).content.decode()
    assert html.escape(NOTE, quote=False).replace("'", "&#x27;") in page
    assert 'name="who__work_text" value="client_family"' in page and "checked" in page


def test_a_note_too_long_is_refused_next_to_its_field_and_nothing_is_saved(client_for, supervisor, draft):
    response = _set_up(client_for, supervisor, draft, conduct_note__online_reviews="n" * 2001)
    assert response.status_code == 400
    assert 'id="error_1_id_conduct_note__online_reviews"' in response.content.decode()
    assert PolicyVersion.objects.get(pk=draft.pk).lock_version == 0


def test_staff_read_and_acknowledge_the_conduct_and_the_client_statement_shows_what_concerns_clients(
        client_for, supervisor, practitioner, draft):
    _set_up(client_for, supervisor, draft)
    policy_publish(version=PolicyVersion.objects.get(pk=draft.pk), actor=supervisor.user,
                   effective_from=dt.date.today())
    reading = client_for(practitioner).get(reverse("policies:read")).content.decode()
    assert "needs your acknowledgement" in reading and "Conduct online" in reading
    assert "Photos of clients only with written consent." in reading and html.escape(NOTE).replace("&#x27;", "'") \
        in reading.replace("&#x27;", "'")
    assert "Keep a professional account apart from your personal one" in reading
    assert "Answering a client&#x27;s online review" not in reading  # not stated
    assert "Work mobile texts:</strong> allowed for scheduling and reminders, a word of encouragement; only with " \
           "client&#x27;s family member" in reading
    statement = client_for(practitioner).get(reverse("policies:statement")).content.decode()
    assert "Tags, photos and check-ins" in statement
    assert "without your written consent" in statement
    assert "a word of support (families only)</li>" in statement
    assert "professional account" not in statement  # a staff matter
    assert "consent form, kept in the family" not in statement  # notes are for staff
    assert "Online reviews" not in statement  # not stated in this policy
