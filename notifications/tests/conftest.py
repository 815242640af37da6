"""Requests logged through the service, with a fixed clock, for the notification tests."""

import datetime as dt

import pytest
from django.utils import timezone

from scenarios import services

RECEIVED = timezone.make_aware(dt.datetime(2026, 3, 10, 21, 5))
NOW = timezone.make_aware(dt.datetime(2026, 3, 11, 9, 0))
CLIENT_REFERENCE = "RB-1042"


@pytest.fixture
def log_request(practitioner):
    """A Facebook friend request from a current client's parent (discuss, then decline), or as told."""

    def log(membership=None, **overrides):
        membership = membership or practitioner
        facts = dict(kind="friend_request", medium="facebook", relationship="client_family",
                     client_status="current", client_reference=CLIENT_REFERENCE,
                     context="Child in hospital; parent posts updates there.", received_at=RECEIVED, now=NOW)
        facts.update(overrides)
        return services.request_log(agency=membership.agency, practitioner=membership.user, **facts)

    return log


@pytest.fixture
def awaiting_approval(log_request, practitioner):
    """A request from a community member whose accept needs the supervisor's approval, chosen."""

    def make():
        contact_request = log_request(relationship="community_member", client_status="", client_reference="",
                                      context="")
        services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="accept",
                                       reason="We coach the same junior football team.")
        return contact_request

    return make
