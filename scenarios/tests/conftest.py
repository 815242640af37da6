"""Helpers for the request tests: log a request through the service, with a fixed clock."""

import datetime as dt

import pytest
from django.utils import timezone

from scenarios import services

# A Tuesday evening, after working hours, and the next morning.
RECEIVED = timezone.make_aware(dt.datetime(2026, 3, 10, 21, 5))
NOW = timezone.make_aware(dt.datetime(2026, 3, 11, 9, 0))


def facebook_from_parent(**overrides) -> dict:
    """A Facebook friend request from a current client's parent: discuss, then decline."""
    facts = dict(kind="friend_request", medium="facebook", relationship="client_family", client_status="current",
                 client_reference="RB-1042", context="Child in hospital; parent posts updates there.",
                 received_at=RECEIVED, now=NOW)
    facts.update(overrides)
    return facts


@pytest.fixture
def log_request(practitioner):
    def log(membership=None, **overrides):
        membership = membership or practitioner
        return services.request_log(agency=membership.agency, practitioner=membership.user,
                                    **facebook_from_parent(**overrides))

    return log
