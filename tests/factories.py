import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import INVITATION_LIFETIME, Agency, Invitation, Membership, Role, User, invitation_token_hash
from policies.models import Acknowledgement, PolicyStatus, PolicyVersion
from policies.document import STARTER_TEMPLATES

PASSWORD = "a-long-test-password"


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    agency = factory.SubFactory(AgencyFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PRACTITIONER


class InvitationFactory(DjangoModelFactory):
    """An unanswered invitation; its link's token is `invitation.token` (only the hash is stored)."""

    class Meta:
        model = Invitation

    agency = factory.SubFactory(AgencyFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PRACTITIONER
    invited_by = factory.SubFactory(UserFactory)
    token = factory.Sequence(lambda n: f"test-token-{n}")
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.created_at + INVITATION_LIFETIME)

    @classmethod
    def _create(cls, model_class, *args, token: str, **kwargs):
        invitation = model_class.objects.create(*args, token_hash=invitation_token_hash(token), **kwargs)
        invitation.token = token
        return invitation


class PolicyVersionFactory(DjangoModelFactory):
    """A version holding a starter template's policy (`template=`); a draft unless told otherwise."""

    class Meta:
        model = PolicyVersion

    agency = factory.SubFactory(AgencyFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = PolicyStatus.DRAFT
    based_on = "template:early_intervention"

    class Params:
        published = factory.Trait(status=PolicyStatus.PUBLISHED, effective_from=dt.date(2026, 1, 5),
                                  published_at=factory.LazyFunction(timezone.now))

    @classmethod
    def _create(cls, model_class, *args, template: str = "early_intervention", **kwargs):
        policy = STARTER_TEMPLATES[template].policy
        version = model_class(*args, **kwargs)
        version.policy = policy
        version.save()
        return version


class AcknowledgementFactory(DjangoModelFactory):
    class Meta:
        model = Acknowledgement

    version = factory.SubFactory(PolicyVersionFactory, published=True)
    agency = factory.SelfAttribute("version.agency")
    user = factory.SubFactory(UserFactory)
    acknowledged_at = factory.LazyFunction(timezone.now)
