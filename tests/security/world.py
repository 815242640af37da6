"""Two agencies furnished alike, for the sweeps: every kind of object a URL can name, in each.

Agency A (Riverside) holds the personas who make the requests; agency B (Hilltop) holds the
objects they must never reach. Every string of B's contains "hilltop" (or is B's client
reference), so a page of A's that shows any of it is caught by `leaks`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from binascii import unhexlify
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.db import models
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from api.models import ApiToken
from api.services import api_token_create
from accounts.models import Agency, Invitation, Membership, Role, User
from accounts.services import staff_deactivate
from accounts.views import PENDING_KEY
from notifications.models import Notification, NoticeKind
from notifications.services import feed_renew
from policies.models import PolicyVersion
from policies.services import statement_settings_save
from scenarios import services as requests
from scenarios.presentation import walk_for
from scenarios.models import ContactRequest
from training.models import TrainingScenario
from training.services import scenario_save
from tests.factories import InvitationFactory, MembershipFactory, PolicyVersionFactory, UserFactory

RECEIVED = timezone.make_aware(dt.datetime(2026, 3, 10, 21, 5))
NOW = timezone.make_aware(dt.datetime(2026, 3, 11, 9, 0))
B_CLIENT_REFERENCE = "HT-7731"
CANARIES = ("hilltop", B_CLIENT_REFERENCE.lower())
PERSONAS = ("practitioner", "supervisor", "admin", "anonymous")
TENANT_APPS = ("accounts", "api", "audit", "boundaries", "policies", "scenarios", "notifications", "training")


@dataclass
class Furnished:
    """One agency and one object of every kind its URLs can name."""

    agency: Agency
    practitioner: Membership
    supervisor: Membership
    admin: Membership
    colleague: Membership  # an active practitioner, to change role or deactivate
    former: Membership  # a deactivated practitioner, to reactivate
    invitation: Invitation  # unanswered; `invitation.token` is its link's secret
    published: PolicyVersion
    draft: PolicyVersion
    request: ContactRequest  # logged by `practitioner`, an option chosen, so it has steps
    step_key: str
    feed_token: str  # the practitioner's calendar address's secret
    # The supervisor and the admin sign in with a code (the roles an agency may require it of);
    # the practitioner with a password only, so both sides of every two-factor page are swept.
    authenticator: TOTPDevice  # the admin's
    recovery_codes: StaticDevice  # the admin's
    # The lockout's records about the colleague's email (django-axes), seen in the Django admin only.
    attempt: AccessAttempt
    failure: AccessFailureLog
    access_log: AccessLog
    training_scenario: TrainingScenario  # written by `supervisor`, in use
    api_token: ApiToken  # the practitioner's, live

    def membership(self, persona: str) -> Membership | None:
        return getattr(self, persona) if persona != "anonymous" else None


@dataclass
class World:
    a: Furnished
    b: Furnished


def furnish(agency: Agency, *, practitioner: Membership, supervisor: Membership, admin: Membership,
            label: str, first_number: int, client_reference: str) -> Furnished:
    """`label` goes into every name and address, so B's can be looked for on A's pages."""
    domain = agency.slug + ".example"
    colleague = MembershipFactory(agency=agency, role=Role.PRACTITIONER, user__full_name=f"Cole {label} Colleague",
                                  user__email=f"cole@{domain}")
    former = MembershipFactory(agency=agency, role=Role.PRACTITIONER, user__full_name=f"Fay {label} Former",
                               user__email=f"fay@{domain}")
    staff_deactivate(membership=former, actor=admin.user)
    invitee = UserFactory(full_name=f"Ivy {label} Invitee", email=f"ivy@{domain}")
    invitation = InvitationFactory(agency=agency, user=invitee, invited_by=admin.user, token=f"{agency.slug}-token-1")
    published = PolicyVersionFactory(agency=agency, number=first_number, published=True, published_by=supervisor.user,
                                     created_by=supervisor.user)
    draft = PolicyVersionFactory(agency=agency, number=first_number + 1, created_by=supervisor.user)
    for version in (published, draft):
        version.document["title"] = f"{label} policy"
        PolicyVersion.objects.filter(pk=version.pk).update(document=version.document)
    request = requests.request_log(
        agency=agency, practitioner=practitioner.user, kind="friend_request", medium="facebook",
        relationship="client_family", client_status="current", client_reference=client_reference,
        context=f"{label} family posts updates there.", received_at=RECEIVED, now=NOW)
    requests.request_choose_option(contact_request=request, actor=practitioner.user, option="discuss",
                                   reason=f"{label} reason")
    step_key = next(step.key for step in walk_for(request) if step.field == "text")
    requests.request_save_step(contact_request=request, actor=practitioner.user, step_key=step_key,
                               value=f"{label} talking points")
    feed_token = feed_renew(agency=agency, user=practitioner.user)
    statement_settings_save(agency=agency, actor=supervisor.user, emergency_number="911", crisis_number="988",
                            crisis_texts=True, paragraph_en=f"{label} paragraph", paragraph_es=f"{label} párrafo")
    Notification.objects.create(agency=agency, recipient=practitioner.user, kind=NoticeKind.DECIDED, request=request,
                                created_at=NOW, message=f"{label} notice")
    published.refresh_from_db()
    draft.refresh_from_db()
    for person in (supervisor, admin):
        enrol(person.user)
    attempt, failure, access_log = lockout_records(colleague.user.email, label)
    training_scenario = scenario_save(agency=agency, actor=supervisor.user, scenario=TrainingScenario(
        title=f"{label} scenario", situation=f"{label} situation.", answer_kind="options", kind="friend_request",
        medium="facebook", relationship="current_client", client_status="current",
        considerations=f"{label} consideration", reflective_questions=f"{label} question one?\n{label} question two?"))
    return Furnished(agency=agency, practitioner=practitioner, supervisor=supervisor, admin=admin,
                     colleague=colleague, former=former, invitation=invitation, published=published, draft=draft,
                     request=request, step_key=step_key, feed_token=feed_token, authenticator=TOTPDevice.objects.get(user=admin.user),
                     recovery_codes=StaticDevice.objects.get(user=admin.user), attempt=attempt, failure=failure,
                     access_log=access_log, training_scenario=training_scenario,
                     api_token=api_token_create(membership=practitioner, name=f"{label} system",
                                                scopes=["guidance"])[0])


def enrol(user: User) -> None:
    """Two-factor sign-in set up the way the account page does it, with the code the app would show."""
    key = two_factor.new_totp_key()
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    two_factor.two_factor_enrol(user=user, key=key, token=f"{totp.token():06d}")
    user.refresh_from_db()


def lockout_records(email: str, label: str) -> tuple[AccessAttempt, AccessFailureLog, AccessLog]:
    """What django-axes keeps about failed sign-ins for an email (what a caller typed included)."""
    seen = {"user_agent": f"{label} browser", "ip_address": "192.0.2.7", "username": email,
            "http_accept": "text/html", "path_info": "/sign-in/"}
    return (AccessAttempt.objects.create(**seen, get_data="", post_data=f"username={email}", failures_since_start=2),
            AccessFailureLog.objects.create(**seen),
            AccessLog.objects.create(**seen))


def password_passed(f: Furnished) -> dict:
    """The session of someone who has just typed the admin's password and is asked for a code."""
    return {PENDING_KEY: {"user": f.admin.user.pk, "backend": "django.contrib.auth.backends.ModelBackend",
                          "at": int(time.time()), "next": "/"}}


def build_world(*, agency_a: Agency, agency_b: Agency, practitioner: Membership, supervisor: Membership,
                admin: Membership, outsider: Membership) -> World:
    a = furnish(agency_a, practitioner=practitioner, supervisor=supervisor, admin=admin, label="Riverside",
                first_number=1, client_reference="RB-1042")
    b_practitioner = MembershipFactory(agency=agency_b, role=Role.PRACTITIONER, user__full_name="Hana Hilltop",
                                       user__email="hana@hilltop.example")
    b_supervisor = MembershipFactory(agency=agency_b, role=Role.SUPERVISOR, user__full_name="Hugo Hilltop",
                                     user__email="hugo@hilltop.example")
    # B's policy numbers are ones A has never used, so /policies/<n>/ can only mean B's version.
    b = furnish(agency_b, practitioner=b_practitioner, supervisor=b_supervisor, admin=outsider, label="Hilltop",
                first_number=7, client_reference=B_CLIENT_REFERENCE)
    return World(a=a, b=b)


def leaks(body: bytes) -> list[str]:
    text = body.decode("utf-8", errors="replace").lower()
    return [canary for canary in CANARIES if canary in text]


def tenant_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models()
            if model._meta.app_label in TENANT_APPS and any(f.name == "agency" for f in model._meta.fields)]


def snapshot(agency: Agency) -> str:
    """A digest of every row the agency owns, its people (and their two-factor devices and recovery
    codes) and the agency itself."""
    digest = hashlib.sha256()
    for model in tenant_models():
        rows = model._base_manager.filter(agency=agency).order_by("pk").values_list()
        digest.update(f"{model._meta.label}:{list(rows)!r}".encode())
    people = User.objects.filter(models.Q(memberships__agency=agency) | models.Q(invitations__agency=agency))
    digest.update(repr(list(people.distinct().order_by("pk").values_list())).encode())
    for model, person in ((TOTPDevice, "user"), (StaticDevice, "user"), (StaticToken, "device__user")):
        rows = model.objects.filter(**{f"{person}__in": people.values("pk")}).order_by("pk").values_list()
        digest.update(f"{model._meta.label}:{list(rows)!r}".encode())
    digest.update(repr(list(Agency.objects.filter(pk=agency.pk).values_list())).encode())
    return digest.hexdigest()
