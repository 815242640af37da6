from __future__ import annotations

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms

from boundaries.tenancy import scoped_staff
from scenarios.engine.vocabulary import Relationship, choices

from .models import MEDIUM_CHOICES, ContactRequest, RequestStatus


class ReviewFilter(django_filters.FilterSet):
    needs_decision = django_filters.BooleanFilter(
        label="Only what needs my decision", method="filter_needs_decision",
        widget=forms.CheckboxInput,
    )
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, empty_label="Any status")
    medium = django_filters.ChoiceFilter(label="Platform or channel", choices=MEDIUM_CHOICES, empty_label="Any")
    relationship = django_filters.ChoiceFilter(choices=choices(Relationship), empty_label="Anyone")
    practitioner = django_filters.ModelChoiceFilter(queryset=scoped_staff, empty_label="Everyone")
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
        self.form.helper.layout = Layout(
            "needs_decision",
            Div(*(Div(name, css_class="col-sm-6 col-lg-4") for name in self.Meta.fields[1:]), css_class="row"),
            Submit("", "Show requests"),
        )

    def filter_needs_decision(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.needing_review().exclude(practitioner=self.request.user)
