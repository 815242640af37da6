"""The review list's filters: a plain form, and one function that applies what it holds.

django-filter served this list until its per-request work (a copy of every filter, a generated form
class, a query for the chosen practitioner) cost a third of the filtered page (issue 14). The form
here checks the input; `narrowed()` applies it inside the list's prepared queries (scenarios/views.py),
so a filtered page compiles no SQL once its shape has been seen.
"""

from __future__ import annotations

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from crispy_forms.utils import render_crispy_form
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString

from boundaries.dates import REVERSED_RANGE
from boundaries.filter_forms import FixedChoiceField, Staff, StaffChoiceField, bound_data, rendered, staff_choices
from boundaries.widgets import FastSelect
from scenarios.engine.vocabulary import Relationship, choices

from .models import MEDIUM_CHOICES, RequestStatus, waiting_q

RELATIONSHIP_CHOICES = list(choices(Relationship))
EVERYONE = "Everyone"


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ReviewFilterForm(forms.Form):
    needs_decision = forms.BooleanField(label="Only what needs my decision", required=False)
    overdue = forms.BooleanField(label="Only overdue follow-ups", required=False)
    reference = forms.CharField(label="Client reference", required=False,
                                help_text="A case number or initials, or part of one.")
    # The lists are built once, with the module; FastSelect renders them without a template per option.
    status = FixedChoiceField(label="Status", required=False, widget=FastSelect,
                              choices=[("", "Any status"), *RequestStatus.choices])
    medium = FixedChoiceField(label="Platform or channel", required=False, widget=FastSelect,
                              choices=[("", "Any"), *MEDIUM_CHOICES])
    relationship = FixedChoiceField(label="Relationship", required=False, widget=FastSelect,
                                    choices=[("", "Anyone"), *RELATIONSHIP_CHOICES])
    # The agency's staff, kept in each worker until anyone joins or is renamed (boundaries/filter_forms.py).
    practitioner = StaffChoiceField(label="Practitioner", required=False, widget=FastSelect)
    received_from = _date_field("Received from")
    received_to = _date_field("Received until")

    def __init__(self, data=None, *, staff: Staff):
        super().__init__(data)
        self.staff = staff
        self.fields["practitioner"].use(staff)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", REVERSED_RANGE)
        return cleaned

    def chosen(self) -> dict[str, object]:
        """The filters in use and their values (a form that is valid): what `narrowed()` takes."""
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}

    def html(self) -> SafeString:
        """The form through crispy forms, rendered once per distinct input and staff list."""
        return rendered("review", bound_data(self), self.staff, self._render)

    def _render(self) -> str:
        # The layout is built only when the memo misses: building it on every page cost as much as
        # the rest of the filter.
        self.helper = FormHelper()
        self.helper.form_method = "get"
        names = list(self.fields)
        self.helper.layout = Layout(
            *names[:2],
            Div(*(Div(name, css_class="col-sm-6 col-lg-4") for name in names[2:]), css_class="row"),
            Submit("", "Show requests"),
        )
        return render_crispy_form(self)


FILTERS = tuple(ReviewFilterForm.base_fields)


def review_filter_form(request: HttpRequest, filtered: bool) -> ReviewFilterForm:
    """The form for this page: bound to the query string when it holds a filter, else blank."""
    return ReviewFilterForm(request.GET if filtered else None, staff=staff_choices(request, EVERYONE))


def narrowed(rows: QuerySet, chosen: tuple[str, ...], *, supervisor, today: dt.date | None = None,
             **values) -> QuerySet:
    """`rows` with the filters named in `chosen`, each with its value in `values`. Written for the
    prepared queries: every value is used as it comes, and a flag is a name in `chosen`."""
    if "needs_decision" in chosen:  # what waits for this supervisor's own decision
        rows = rows.filter(waiting_q(supervisor))
    if "overdue" in chosen:  # the follow-up day has passed in the agency's time zone, still open
        rows = rows.exclude(status=RequestStatus.CLOSED).filter(follow_up_on__lt=today)
    if "reference" in chosen:
        rows = rows.filter(client_reference__icontains=values["reference"])
    for name in ("status", "medium", "relationship"):
        if name in chosen:
            rows = rows.filter(**{name: values[name]})
    if "practitioner" in chosen:
        rows = rows.filter(practitioner=values["practitioner"])
    if "received_from" in chosen:
        rows = rows.filter(received_at__date__gte=values["received_from"])
    if "received_to" in chosen:
        rows = rows.filter(received_at__date__lte=values["received_to"])
    return rows
