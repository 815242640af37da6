from __future__ import annotations

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from crispy_forms.utils import render_crispy_form
from django import forms
from django.utils import timezone
from django.utils.safestring import SafeString

from boundaries.dates import REVERSED_RANGE
from boundaries.filter_forms import bound_data, rendered, staff_choices, use_choices
from boundaries.tenancy import scoped_staff
from boundaries.widgets import FastSelect
from scenarios.engine.vocabulary import Relationship, choices

from .models import MEDIUM_CHOICES, ContactRequest, RequestStatus


RELATIONSHIP_CHOICES = list(choices(Relationship))


class ReviewFilterForm(forms.Form):
    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", REVERSED_RANGE)
        return cleaned


class ReviewFilter(django_filters.FilterSet):
    needs_decision = django_filters.BooleanFilter(
        label="Only what needs my decision", method="filter_needs_decision",
        widget=forms.CheckboxInput,
    )
    overdue = django_filters.BooleanFilter(
        label="Only overdue follow-ups", method="filter_overdue", widget=forms.CheckboxInput,
    )
    reference = django_filters.CharFilter(
        field_name="client_reference", lookup_expr="icontains", label="Client reference",
        help_text="A case number or initials, or part of one.",
    )
    # The lists are built once, with the module; FastSelect renders them without a template per option.
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, empty_label="Any status", widget=FastSelect)
    medium = django_filters.ChoiceFilter(label="Platform or channel", choices=MEDIUM_CHOICES, empty_label="Any",
                                         widget=FastSelect)
    relationship = django_filters.ChoiceFilter(choices=RELATIONSHIP_CHOICES, empty_label="Anyone", widget=FastSelect)
    # The agency's staff, read again in every worker after anyone joins or is renamed (boundaries/filter_forms.py).
    practitioner = django_filters.ModelChoiceFilter(queryset=scoped_staff, empty_label="Everyone", widget=FastSelect)
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
        form = ReviewFilterForm
        fields = ["needs_decision", "overdue", "reference", "status", "medium", "relationship", "practitioner",
                  "received_from", "received_to"]

    def get_form_class(self) -> type[forms.Form]:
        """One form class for every filter set. django-filter builds a new class each time (a tenth of
        the filtered list's time); only the staff list depends on the request, and `form` gives each
        form its own. The shared class is built without a request, so its staff list is empty: a form
        that missed its own would accept no one, never someone of another agency."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super(ReviewFilter, cls(queryset=ContactRequest.objects.none())).get_form_class()
        return cls._form_class

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            super().form.fields["practitioner"].queryset = scoped_staff(self.request)
        return self._form

    @classmethod
    def _render(cls, form: forms.Form) -> str:
        """The form through crispy forms. The layout is built here, only when the memo misses: building
        it on every page cost as much as the rest of the filter."""
        form.helper = FormHelper()
        form.helper.form_method = "get"
        form.helper.layout = Layout(
            "needs_decision", "overdue",
            Div(*(Div(name, css_class="col-sm-6 col-lg-4") for name in cls.Meta.fields[2:]), css_class="row"),
            Submit("", "Show requests"),
        )
        return render_crispy_form(form)

    def form_html(self) -> SafeString:
        """The form as HTML, rendered once per distinct input, with the staff list kept per staff
        version (boundaries/filter_forms.py)."""
        field = self.form.fields["practitioner"]
        staff = staff_choices(self.request, field.empty_label)
        use_choices(field, staff)
        return rendered("review", bound_data(self.form), staff, lambda: self._render(self.form))

    @classmethod
    def blank_html(cls, request) -> SafeString:
        """The unbound form's HTML (the first and the Older pages): a filter set is built only when
        no earlier request rendered the form for this staff list."""
        staff = staff_choices(request, cls.base_filters["practitioner"].extra["empty_label"])

        def render() -> str:
            filterset = cls(None, queryset=ContactRequest.objects.none(), request=request)
            use_choices(filterset.form.fields["practitioner"], staff)
            return cls._render(filterset.form)

        return rendered("review", None, staff, render)

    def filter_needs_decision(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.needing_review().exclude(practitioner=self.request.user)

    def filter_overdue(self, queryset, name, value):
        # Overdue: the follow-up day has passed in the agency's time zone and the request is still open.
        if not value:
            return queryset
        return queryset.not_closed().filter(follow_up_on__lt=timezone.localdate())
