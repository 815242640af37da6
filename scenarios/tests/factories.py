"""A request row built directly, in any state, for counting tests (the dashboard's figures).

The walk-through's own tests go through scenarios.services; these rows only need to be valid
rows: a closed one has an outcome and a closing time, an open one has no option chosen.
"""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from scenarios.models import ContactRequest, RequestStatus
from tests.factories import MembershipFactory


class ContactRequestFactory(DjangoModelFactory):
    class Meta:
        model = ContactRequest

    class Params:
        membership = factory.SubFactory(MembershipFactory)
        closed = factory.Trait(status=RequestStatus.CLOSED, outcome="declined", chosen_option="decline",
                               closed_at=factory.LazyAttribute(lambda o: o.received_at + dt.timedelta(days=3)))

    agency = factory.SelfAttribute("membership.agency")
    practitioner = factory.SelfAttribute("membership.user")
    kind = "friend_request"
    medium = "facebook"
    relationship = "client_family"
    client_status = "current"
    received_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    status = RequestStatus.OPEN
    recommended = factory.LazyFunction(lambda: ["discuss", "decline"])
