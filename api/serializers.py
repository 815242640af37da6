"""What goes in and comes out of /api/v1/. v1 only grows: fields are added, never removed or renamed."""

from __future__ import annotations

from rest_framework import serializers

from scenarios.models import (
    CLIENT_REFERENCE_MAX,
    CONTEXT_MAX,
    MEDIUM_CHOICES,
    NOTE_MAX,
    OPTION_CHOICES,
    ContactRequest,
    Outcome,
)

_KIND = ContactRequest._meta.get_field("kind").choices
_RELATIONSHIP = ContactRequest._meta.get_field("relationship").choices
_CLIENT_STATUS = ContactRequest._meta.get_field("client_status").choices


class EvaluateIn(serializers.Serializer):
    facts = serializers.DictField(help_text="The facts, in the shape `evaluate_request` reads (docs/api.md).")


class RequestOut(serializers.ModelSerializer):
    platform = serializers.CharField(source="medium")
    policy_version = serializers.IntegerField(source="policy_version.number", allow_null=True, default=None)

    class Meta:
        model = ContactRequest
        fields = ["id", "kind", "platform", "relationship", "client_status", "discharged_on", "client_reference",
                  "small_community", "safety_concern", "written_consent", "profession", "received_at", "status",
                  "recommended", "chosen_option", "outcome", "closed_at", "needs_review", "review_decision",
                  "outside_working_hours", "follow_up_on", "policy_version", "created_at", "updated_at"]
        read_only_fields = fields


class RequestDetailOut(RequestOut):
    guidance = serializers.JSONField(source="guidance.output", default=None,
                                     help_text="The engine's guidance, as stored when the request was logged.")

    class Meta(RequestOut.Meta):
        fields = RequestOut.Meta.fields + ["context", "guidance"]
        read_only_fields = fields


class RequestIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=_KIND)
    platform = serializers.ChoiceField(choices=MEDIUM_CHOICES, required=False, allow_blank=True, default="")
    relationship = serializers.ChoiceField(choices=_RELATIONSHIP, required=False, allow_blank=True, default="")
    client_status = serializers.ChoiceField(choices=_CLIENT_STATUS, required=False, allow_blank=True, default="")
    discharged_on = serializers.DateField(required=False, allow_null=True, default=None)
    client_reference = serializers.CharField(required=False, allow_blank=True, default="",
                                             max_length=CLIENT_REFERENCE_MAX,
                                             help_text="A case number or initials: never a name.")
    context = serializers.CharField(required=False, allow_blank=True, default="", max_length=CONTEXT_MAX,
                                    help_text="No names, contact details or diagnosis.")
    small_community = serializers.BooleanField(required=False, default=False)
    safety_concern = serializers.BooleanField(required=False, default=False)
    written_consent = serializers.BooleanField(required=False, default=False)
    received_at = serializers.DateTimeField(help_text="ISO 8601; without an offset it is the agency's local time.")


class CloseIn(serializers.Serializer):
    option = serializers.ChoiceField(choices=OPTION_CHOICES, required=False,
                                     help_text="The option taken, if none was chosen yet.")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX,
                                   help_text="Why, when the option is not the recommended one.")
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX)


class RequestFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=ContactRequest._meta.get_field("status").choices, required=False)
    kind = serializers.ChoiceField(choices=_KIND, required=False)
    since = serializers.DateTimeField(required=False, help_text="Only requests received at or after this moment.")


class PolicyOut(serializers.Serializer):
    number = serializers.IntegerField(allow_null=True, help_text="Null when the agency has no policy in force "
                                                                 "and the conservative default applies.")
    effective_from = serializers.DateField(allow_null=True)
    schema = serializers.CharField()
    document = serializers.JSONField()


class VersionOut(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    effective_from = serializers.DateField()
    published_at = serializers.DateTimeField(allow_null=True)
    state = serializers.CharField()


class AuditQuery(serializers.Serializer):
    after = serializers.IntegerField(required=False, default=0, min_value=0, max_value=2**62,
                                     help_text="The last sequence you hold; 0 for the start of the trail.")
    limit = serializers.IntegerField(required=False, default=100, min_value=1, max_value=1000)


class AuditEventOut(serializers.Serializer):
    sequence = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    action = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.CharField()
    data = serializers.JSONField()
    prev_hash = serializers.CharField()
    hash = serializers.CharField()
    key_id = serializers.CharField()


class AuditPage(serializers.Serializer):
    results = AuditEventOut(many=True)
    next = serializers.URLField(allow_null=True)


class AuditHeadOut(serializers.Serializer):
    sequence = serializers.IntegerField()
    hash = serializers.CharField()
    occurred_at = serializers.DateTimeField(allow_null=True)
