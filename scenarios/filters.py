from __future__ import annotations

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from accounts.models import User
from scenarios.engine.vocabulary import Relationship, choices

from .models import MEDIUM_CHOICES, ContactRequest, RequestStatus


def _agency_staff(request) -> "django_filters.QuerySet":
    if request is None or getattr(request, "agency", None) is None:
        return User.objects.none()
    return User.objects.filter(membership__agency=request.agency).order_by("full_name", "pk")


class ReviewFilter(django_filters.FilterSet):
    needs_decision = django_filters.BooleanFilter(
        label="Only what needs my decision", method="filter_needs_decision",
        widget=forms.CheckboxInput,
    )
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, empty_label="Any status")
    medium = django_filters.ChoiceFilter(label="Platform or channel", choices=MEDIUM_CHOICES, empty_label="Any")
    relationship = django_filters.ChoiceFilter(choices=choices(Relationship), empty_label="Anyone")
    practitioner = django_filters.ModelChoiceFilter(queryset=_agency_staff, empty_label="Everyone")
    received_from = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__gte", label="Received from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    received_to = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__lte", label="Received until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = ContactRequest
        fields = ["needs_decision", "status", "medium", "relationship", "practitioner", "received_from",
                  "received_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.helper = FormHelper()
        self.form.helper.form_method = "get"
        self.form.helper.add_input(Submit("", "Filter", css_class="btn-outline-primary"))

    def filter_needs_decision(self, queryset, name, value):
        return queryset.needing_review() if value else queryset
