"""A supervisor's own training scenarios, and the answers staff give, each under the policy of the day.

Both tables carry their own `agency` key, leading every index and constraint (ready to shard).
Built-in scenarios live in `training/builtin.py`; an answer names one by its key, or names the
agency's own scenario by row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.db.models import Q

from boundaries.tenancy import TenantModel, TenantQuerySet
from scenarios.models import MEDIUM_CHOICES
from scenarios.engine.vocabulary import BEFORE_KINDS, ClientStatus, Relationship, RequestKind, choices

from .builtin import AnswerKind, Scenario

TITLE_MAX = 120
SITUATION_MAX = 1000
LIST_MAX = 1500
CUSTOM_PREFIX = "agency-"


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ACCEPT = "accept", _("Accept")
    IGNORE = "ignore", _("Ignore")
    DISCUSS = "discuss", _("Discuss")
    DECLINE = "decline", _("Decline")


def lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class TrainingScenarioQuerySet(TenantQuerySet):
    def in_use(self) -> "TrainingScenarioQuerySet":
        return self.filter(retired_at__isnull=True)


class TrainingScenario(TenantModel):
    """A scenario a supervisor wrote for their own agency's staff."""

    title = models.CharField(max_length=TITLE_MAX)
    situation = models.TextField(max_length=SITUATION_MAX)
    answer_kind = models.CharField(max_length=12, choices=[(AnswerKind.YES_NO.value, "Yes or no: would you accept?"),
                                                           (AnswerKind.OPTIONS.value, "One of the four options")],
                                   default=AnswerKind.OPTIONS.value)
    # Scenarios rehearse what arrives; "Before I do it" checks have three options and are not rehearsed here.
    kind = models.CharField(max_length=32, choices=[(kind.value, kind.label) for kind in RequestKind
                                                     if kind not in BEFORE_KINDS])
    medium = models.CharField(max_length=32, choices=MEDIUM_CHOICES)
    relationship = models.CharField(max_length=32, choices=choices(Relationship))
    client_status = models.CharField(max_length=16, choices=choices(ClientStatus), blank=True)
    discharged_months_ago = models.PositiveSmallIntegerField(null=True, blank=True)
    late_evening = models.BooleanField(default=False)
    small_community = models.BooleanField(default=False)
    considerations = models.TextField(max_length=LIST_MAX)
    reflective_questions = models.TextField(max_length=LIST_MAX)
    citation_keys = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = TrainingScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "-created_at", "-pk"]
        # Every index leads with the agency (ready to shard): the author's too.
        indexes = [models.Index(fields=["agency", "retired_at", "created_at"], name="training_scenario_agency_idx"),
                   models.Index(fields=["agency", "created_by"], name="training_scenario_author_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def key(self) -> str:
        return f"{CUSTOM_PREFIX}{self.pk}"

    def as_scenario(self) -> Scenario:
        return Scenario(
            key=self.key, title=self.title, situation=self.situation, answer_kind=AnswerKind(self.answer_kind),
            kind=self.kind, platform=self.medium, relationship=self.relationship,
            client_status=self.client_status or None, small_community=self.small_community,
            discharged_months_ago=self.discharged_months_ago, late_evening=self.late_evening,
            considerations=lines(self.considerations), reflective_questions=lines(self.reflective_questions),
            citation_keys=tuple(self.citation_keys), built_in=False, extra={"pk": self.pk},
        )


class TrainingAnswer(TenantModel):
    """One answer to one scenario, with the policy version in force when it was given (None: the default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    builtin = models.CharField(max_length=40, blank=True)
    scenario = models.ForeignKey(TrainingScenario, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="answers", db_index=False)
    answer = models.CharField(max_length=12, choices=Answer.choices)
    policy_version = models.ForeignKey("policies.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", db_index=False)
    # The engine's recommendation and verdicts under that version: a new version that gives others asks again.
    outcome = models.JSONField()
    agrees = models.BooleanField()
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["agency", "user", "-answered_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=(Q(builtin="") & Q(scenario__isnull=False))
                                   | (~Q(builtin="") & Q(scenario__isnull=True)),
                                   name="training_answer_one_scenario"),
        ]
        indexes = [
            models.Index(fields=["agency", "user", "answered_at"], name="training_answer_user_idx"),
            models.Index(fields=["agency", "scenario"], name="training_answer_scenario_idx"),
            models.Index(fields=["agency", "policy_version"], name="training_answer_version_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} answered {self.key}"

    @property
    def key(self) -> str:
        return self.builtin or f"{CUSTOM_PREFIX}{self.scenario_id}"
