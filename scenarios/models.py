"""Contact requests, the guidance stored with them, and the walk-through's answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from boundaries import client_reference
from boundaries.client_reference import CLIENT_REFERENCE_MAX  # noqa: F401 (the forms read it from here)
from boundaries.tenancy import TenantModel, TenantQuerySet
from scenarios import privacy
from scenarios.engine.facts import Profession
from scenarios.engine.vocabulary import (
    BEFORE_KINDS,
    GROUP_MEMBERS,
    BeforeOption,
    Channel,
    ClientStatus,
    Option,
    PlatformGroup,
    Relationship,
    RequestKind,
    choices,
)

CONTEXT_MAX = 280
NOTE_MAX = 1000

MEDIUM_CHOICES = [
    ("Personal networks", [(p.value, p.label) for p in GROUP_MEMBERS[PlatformGroup.PERSONAL_NETWORKS]]),
    ("Professional networks", [(p.value, p.label) for p in GROUP_MEMBERS[PlatformGroup.PROFESSIONAL_NETWORKS]]),
    ("Personal phone, email and apps", [(p.value, p.label) for p in GROUP_MEMBERS[PlatformGroup.PERSONAL_CHANNELS]]),
    ("Work channels", list(choices(Channel))),
]
MEDIUM_LABELS = {value: label for _, group in MEDIUM_CHOICES for value, label in group}
# The relationships for which the log form asks about the client.
CLIENT_RELATIONSHIP_VALUES = frozenset(
    {Relationship.CURRENT_CLIENT.value, Relationship.CLIENT_FAMILY.value, Relationship.FORMER_CLIENT.value}
)


def validate_client_reference(value: str) -> None:
    """The shared rule (boundaries/client_reference.py), kept under this name for the field and its migrations."""
    client_reference.validate_client_reference(value)


def validate_context(value: str) -> None:
    """The context never keeps a way to reach someone: email addresses and phone numbers are refused."""
    refused = privacy.contact_details(value)
    if refused:
        what = " and ".join(dict.fromkeys(
            "email addresses" if finding.kind == "email" else "phone numbers" for finding in refused))
        found = ", ".join(f"\u201c{finding.text}\u201d" for finding in refused)
        raise ValidationError(f"Leave out {what} ({found}): the record never keeps a way to reach someone. "
                              "A few words such as \u201ctexted from a personal number\u201d are enough.",
                              code="contact_details")


# Plausible dates. Requests are logged as they come, so none arrived before 2000 or in the future
# (give or take a phone's clock running a little ahead of the server's). A discharge before 1950
# would mean a career of more than seventy years: a typing slip, not a date.
RECEIVED_FLOOR = dt.datetime(2000, 1, 1)
DISCHARGE_FLOOR = dt.date(1950, 1, 1)
FUTURE_TOLERANCE = dt.timedelta(minutes=10)


def received_at_problem(received_at: dt.datetime, now: dt.datetime) -> str:
    """Why a request can't have arrived then ('' when it can)."""
    if received_at < timezone.make_aware(RECEIVED_FLOOR):
        return f"This is before {RECEIVED_FLOOR.year}. Give the date and time the request arrived."
    if received_at > now + FUTURE_TOLERANCE:
        return "This is in the future. Give the date and time the request arrived."
    return ""


def discharged_on_problem(discharged_on: dt.date, received_at: dt.datetime | None) -> str:
    """Why a client can't have been discharged then ('' when they can). `received_at` must be plausible."""
    if discharged_on < DISCHARGE_FLOOR:
        return f"This is before {DISCHARGE_FLOOR.year}. Give the date the client was discharged."
    if received_at is not None and discharged_on > timezone.localtime(received_at).date():
        return "The discharge date can't be after the request arrived."
    return ""


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open: choose an option"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting supervisor approval"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_CONVERSATION = "awaiting_conversation", "Awaiting the conversation"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    DECLINED = "declined", "Declined or removed on the platform"
    LEFT_UNANSWERED = "left_unanswered", "Left unanswered"
    ACCEPTED = "accepted", "Accepted"
    REPLIED = "replied", "Replied on a work channel"
    WITHDRAWN = "withdrawn", "The person withdrew it"
    ALREADY_ACCEPTED = "already_accepted", "I had already accepted it (an accidental or hasty connection)"
    OTHER = "other", "Something else (see the note)"
    # A "Before I do it" check ends the way the practitioner acted.
    WENT_AHEAD = "went_ahead", "I went ahead as the guidance and my supervisor allowed"
    HELD_OFF = "held_off", "I held off"
    ALREADY_DONE = "already_done", "I had already done it before checking"


# The outcomes that fit each chosen option: a request closes the way its walk-through went.
# "I had already accepted it" fits every option but accept (where "Accepted" says it), and
# "Something else" fits every option; both go to a supervisor (see OUTCOMES_REVIEWED).
OUTCOMES_FOR_OPTION: dict[str, tuple[str, ...]] = {
    Option.ACCEPT.value: (Outcome.ACCEPTED, Outcome.REPLIED, Outcome.WITHDRAWN, Outcome.OTHER),
    Option.IGNORE.value: (Outcome.LEFT_UNANSWERED, Outcome.WITHDRAWN, Outcome.ALREADY_ACCEPTED, Outcome.OTHER),
    Option.DISCUSS.value: (Outcome.DECLINED, Outcome.LEFT_UNANSWERED, Outcome.REPLIED, Outcome.WITHDRAWN,
                           Outcome.ALREADY_ACCEPTED, Outcome.OTHER),
    Option.DECLINE.value: (Outcome.DECLINED, Outcome.REPLIED, Outcome.WITHDRAWN, Outcome.ALREADY_ACCEPTED,
                           Outcome.OTHER),
}
# A check closes the same way: "went ahead" only where going ahead was allowed or approved, and
# "I had already done it" (always reviewed) is the only way to record going ahead otherwise.
OUTCOMES_FOR_OPTION.update({
    BeforeOption.PROCEED.value: (Outcome.WENT_AHEAD, Outcome.HELD_OFF, Outcome.OTHER),
    BeforeOption.HOLD_OFF.value: (Outcome.HELD_OFF, Outcome.ALREADY_DONE, Outcome.OTHER),
    BeforeOption.ASK_SUPERVISOR.value: (Outcome.WENT_AHEAD, Outcome.HELD_OFF, Outcome.ALREADY_DONE, Outcome.OTHER),
})
# Outcomes a supervisor always reviews, so they need a reason: the record can't show on its own
# that they kept to the policy.
OUTCOMES_REVIEWED = frozenset({Outcome.ALREADY_ACCEPTED, Outcome.ALREADY_DONE, Outcome.OTHER})
BEFORE_KIND_VALUES = frozenset(kind.value for kind in BEFORE_KINDS)
OPTION_CHOICES = (*choices(Option), *choices(BeforeOption))


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    NOT_APPROVED = "not_approved", "Not approved"


# Logged and not yet finished: "My requests" shows these first.
OPEN_STATUSES = (RequestStatus.OPEN, RequestStatus.AWAITING_APPROVAL, RequestStatus.IN_PROGRESS)


# What waits for a supervisor: flagged for review, or an option awaiting approval. One definition for
# the queries and the partial indexes that serve them, so the two can never drift apart.
WAITING = Q(needs_review=True) | Q(status=RequestStatus.AWAITING_APPROVAL)


def waiting_q(supervisor) -> Q:
    """Requests waiting for this supervisor's decision; a supervisor never decides their own
    (see ContactRequestQuerySet.needing_review)."""
    return WAITING & ~Q(practitioner=supervisor)


def capped(counted: int, cap: int) -> tuple[int, bool]:
    """A count of `up_to(cap)`'s rows as the page shows it: at most `cap`, and whether there are more."""
    return min(counted, cap), counted > cap


class ContactRequestQuerySet(TenantQuerySet):
    def up_to(self, cap: int) -> "ContactRequestQuerySet":
        """The rows to count, no further than one past `cap`: unordered, so PostgreSQL reads an index
        unsorted and stops there. `capped()` says what that count means."""
        return self.order_by().values("pk")[:cap + 1]

    def count_up_to(self, cap: int) -> tuple[int, bool]:
        """How many rows, counting no further than `cap`, and whether there are more."""
        return capped(self.up_to(cap).count(), cap)

    def for_practitioner(self, user) -> "ContactRequestQuerySet":
        return self.filter(practitioner=user)

    def open(self) -> "ContactRequestQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def awaiting_conversation(self) -> "ContactRequestQuerySet":
        return self.filter(status=RequestStatus.AWAITING_CONVERSATION)

    def not_closed(self) -> "ContactRequestQuerySet":
        return self.exclude(status=RequestStatus.CLOSED)

    def closed(self) -> "ContactRequestQuerySet":
        return self.filter(status=RequestStatus.CLOSED)

    def needing_review(self) -> "ContactRequestQuerySet":
        # Closed requests included: closing must never be a way round a supervisor's review.
        return self.filter(WAITING)


class ContactRequest(TenantModel):
    """One request a practitioner received, and everything done about it."""

    # The foreign keys' indexes lead with the agency (Meta.indexes), so a shard holds each whole.
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     db_index=False)
    kind = models.CharField(max_length=30, choices=choices(RequestKind))
    # Both always given for a request that arrived; a "Before I do it" check may leave them empty.
    medium = models.CharField("platform or channel", max_length=30, choices=MEDIUM_CHOICES, blank=True)
    relationship = models.CharField(max_length=30, choices=choices(Relationship), blank=True)
    client_status = models.CharField(max_length=20, choices=choices(ClientStatus), blank=True)
    discharged_on = models.DateField(null=True, blank=True)
    client_reference = models.CharField(max_length=CLIENT_REFERENCE_MAX, blank=True,
                                        validators=[validate_client_reference])
    context = models.CharField(max_length=CONTEXT_MAX, blank=True)
    small_community = models.BooleanField(default=False)
    # The practitioner's profession when the request was logged, kept with the facts so the guidance can be
    # reproduced from the row; blank for requests logged before professions were recorded (general references).
    profession = models.CharField(max_length=40, choices=choices(Profession), blank=True)
    # "Before I do it" only: looking a client up out of concern for safety; written consent for a photo.
    safety_concern = models.BooleanField(default=False)
    written_consent = models.BooleanField(default=False)
    received_at = models.DateTimeField()
    outside_working_hours = models.BooleanField(default=False)

    status = models.CharField(max_length=30, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    chosen_option = models.CharField(max_length=20, choices=OPTION_CHOICES, blank=True)
    deviation_reason = models.TextField(max_length=NOTE_MAX, blank=True)
    chosen_at = models.DateTimeField(null=True, blank=True)

    needs_review = models.BooleanField(default=False)
    review_decision = models.CharField(max_length=20, choices=ReviewDecision.choices, blank=True)
    review_note = models.TextField(max_length=NOTE_MAX, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", db_index=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(max_length=NOTE_MAX, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # The engine's answer, stored as shown with the policy version that produced it (none: the
    # conservative default), so that a later policy never rewrites history.
    policy_version = models.ForeignKey("policies.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", db_index=False)
    guidance = models.JSONField(default=dict)
    recommended = models.JSONField(default=list)
    fallback = models.BooleanField(default=False)
    policy_title = models.CharField(max_length=200, blank=True)
    follow_up_on = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        # The lists read newest first, (received_at, id) descending, and page by seeking on that pair
        # (scenarios/views.py); each list's index ends with it. Proven with EXPLAIN in
        # scenarios/tests/test_request_indexes.py.
        indexes = [
            models.Index(fields=["agency", "practitioner", "status", "received_at"],
                         name="request_agency_owner_idx"),
            # A practitioner's open requests in order: status IN (three values) would defeat the order
            # of the index above, so the open set has an index of its own.
            models.Index(fields=["agency", "practitioner", "received_at", "id"], name="request_agency_open_idx",
                         condition=Q(status__in=OPEN_STATUSES)),
            # What waits for a supervisor: small, so counting it and listing it first stay cheap.
            models.Index(fields=["agency", "received_at", "id"], name="request_agency_waiting_idx",
                         condition=WAITING),
            # The same set by who logged it: the review list counts what waits for someone else, and
            # this answers that count from the index alone (at a million rows the planner otherwise read
            # the agency's rows one by one, 12,000 to find 1,001: 5.9 ms against 0.3).
            models.Index(fields=["agency", "practitioner"], name="request_agency_waiting_by_idx",
                         condition=WAITING),
            # The same set filtered by status (closed requests still flagged for review, say): without it
            # the filtered review list read the whole waiting set to find none (32 ms in 300,000).
            models.Index(fields=["agency", "status", "received_at", "id"], name="request_agency_waiting_st_idx",
                         condition=WAITING),
            # And by platform and relationship, the review filters used together: the status index above
            # left 5,000 flagged closed rows to read one by one for a Facebook request from a current
            # client (17 ms in 300,000); seeking on both reads only the rows that match.
            models.Index(fields=["agency", "medium", "relationship", "received_at", "id"],
                         name="request_agency_waiting_mr_idx",
                         condition=WAITING),
            # And the three together: with a status as well, the index above still read every flagged
            # Facebook request from a current client to find the closed ones (616 rows for none, 0.8 ms
            # in 300,000; 0.06 ms seeking on all three).
            models.Index(fields=["agency", "medium", "relationship", "status", "received_at", "id"],
                         name="request_agency_waiting_mrs_idx",
                         condition=WAITING),
            models.Index(fields=["agency", "status", "received_at", "id"], name="request_agency_status_idx"),
            models.Index(fields=["agency", "received_at", "id"], name="request_agency_received_idx"),
            models.Index(fields=["agency", "medium", "received_at", "id"], name="request_agency_medium_idx"),
            models.Index(fields=["agency", "relationship", "received_at", "id"], name="request_agency_rel_idx"),
            models.Index(fields=["agency", "practitioner", "received_at", "id"], name="request_agency_by_idx"),
            # "My requests" lists a practitioner's next follow-ups, soonest first.
            models.Index(fields=["agency", "practitioner", "follow_up_on", "id"], name="request_agency_follow_up_idx",
                         condition=Q(follow_up_on__isnull=False) & ~Q(status=RequestStatus.CLOSED)),
            # The home page's tasks: a practitioner's closed requests that a supervisor reviewed lately
            # (the open ones come by request_agency_owner_idx), without reading every closed one.
            models.Index(fields=["agency", "practitioner", "reviewed_at"], name="request_agency_reviewed_idx",
                         condition=Q(status=RequestStatus.CLOSED, reviewed_at__isnull=False)),
            models.Index(fields=["agency", "reviewed_by"], name="request_agency_reviewer_idx"),
            models.Index(fields=["agency", "policy_version"], name="request_agency_version_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=RequestStatus.CLOSED, closed_at__isnull=False) & ~Q(outcome="")
                | ~Q(status=RequestStatus.CLOSED) & Q(outcome=""),
                name="request_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(client_status=ClientStatus.DISCHARGED),
                name="request_discharge_date_only_when_discharged",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.OPEN) | Q(chosen_option=""),
                name="request_open_has_no_option",
            ),
            # Only a "Before I do it" check may leave out the platform and the person.
            models.CheckConstraint(
                condition=Q(kind__in=sorted(BEFORE_KIND_VALUES)) | (~Q(medium="") & ~Q(relationship="")),
                name="request_arrived_has_medium_and_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.received_at:%Y-%m-%d})"

    @property
    def is_before(self) -> bool:
        """A "Before I do it" check: something the practitioner is about to do, with three options."""
        return self.kind in BEFORE_KIND_VALUES

    # The lists show four labels a row. Django's get_FOO_display() flattens the field's choices on every
    # call; these read a dictionary made once (LABELS, below the class).
    @property
    def kind_label(self) -> str:
        return LABELS["kind"].get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return LABELS["status"].get(self.status, self.status)

    @property
    def chosen_option_label(self) -> str:
        return LABELS["chosen_option"].get(self.chosen_option, self.chosen_option)

    @property
    def title(self) -> str:
        """"Friend request on Facebook"; a check: "Post a photo taken at work" (on Instagram)."""
        if self.is_before and not self.medium:
            return self.kind_label
        return f"{self.kind_label} on {self.medium_label}"

    @property
    def who_label(self) -> str:
        """Who it is from (a request) or about (a check): their relationship, or that it is a check."""
        if self.relationship:
            return LABELS["relationship"].get(self.relationship, self.relationship)
        return "Before I do it"

    @property
    def options(self) -> tuple[Option, ...] | tuple[BeforeOption, ...]:
        return tuple(BeforeOption) if self.is_before else tuple(Option)

    @property
    def medium_label(self) -> str:
        return MEDIUM_LABELS.get(self.medium, self.medium)

    @property
    def is_client(self) -> bool:
        return self.relationship in CLIENT_RELATIONSHIP_VALUES

    @property
    def is_closed(self) -> bool:
        return self.status == RequestStatus.CLOSED

    @property
    def output(self) -> dict[str, Any]:
        return self.guidance.get("output", {})

    @property
    def recommendation_label(self) -> str:
        """"Discuss, then decline": the recommended sequence in words."""
        labels = [self.option_label(value).lower() for value in self.recommended]
        return ", then ".join(labels).capitalize()

    def option_label(self, option: str) -> str:
        """The option's name in this situation ("Reply" for a text); guidance stored before the
        engine gave labels falls back to the plain name ("Accept"), and so do the lists, which don't load
        the stored guidance (one query per row otherwise)."""
        plain = LABELS["chosen_option"][option]
        if "guidance" not in self.__dict__:  # deferred (what get_deferred_fields() asks, for one field)
            return plain
        return self.option_guidance(option).get("label") or plain

    @property
    def chosen_label(self) -> str:
        return self.option_label(self.chosen_option) if self.chosen_option else ""

    def option_guidance(self, option: str) -> dict[str, Any]:
        return self.output.get("options", {}).get(option, {})

    def verdict_of(self, option: str) -> str:
        return self.option_guidance(option).get("verdict", "")

    def steps_of_choice(self) -> list[dict[str, str]]:
        return self.option_guidance(self.chosen_option).get("steps", []) if self.chosen_option else []

    def is_owned_by(self, user) -> bool:
        return self.practitioner_id == user.pk


LABELS = {name: dict(ContactRequest._meta.get_field(name).flatchoices)
          for name in ("kind", "relationship", "status", "chosen_option")}


class StepRecord(TenantModel):
    """The practitioner's answer to one step of the walk-through, kept by the step's key."""

    # Served by the agency-led unique constraint below.
    request = models.ForeignKey(ContactRequest, on_delete=models.CASCADE, related_name="steps", db_index=False)
    step_key = models.CharField(max_length=40)
    text = models.TextField(max_length=2000, blank=True)
    date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    # Counts the saves, so a save from a page showing an older answer is noticed, not silently applied.
    revision = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", db_index=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "request", "step_key"], name="step_agency_request_key_uniq"),
        ]
        indexes = [models.Index(fields=["agency", "completed_by"], name="step_agency_completed_by_idx")]

    def __str__(self) -> str:
        return f"{self.step_key} of request {self.request_id}"
