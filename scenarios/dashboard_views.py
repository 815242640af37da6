"""The supervisor's dashboard: charts for a chosen date range, each with its table and its CSV."""

from __future__ import annotations

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import Role
from audit.filters import LATEST_DATE
from boundaries.csv_cells import SafeWriter
from boundaries.replica import reads_from_replica
from boundaries.tenancy import role_required

from .dashboard import CHART_KEYS, Dashboard, dashboard_for

supervisor_required = role_required(Role.SUPERVISOR)


def default_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """The twelve months up to today: from the first day of the month eleven months ago."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1), today


class DashboardRangeForm(forms.Form):
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(Div(Div("since", css_class="col-sm-4"), Div("until", css_class="col-sm-4"),
                                        Div(Submit("", "Show these dates"), css_class="col-sm-4 align-self-end mb-3"),
                                        css_class="row"))

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in ("since", "until"):
            if cleaned.get(name) and cleaned[name] > LATEST_DATE:
                self.add_error(name, "Choose a date before the year 9000.")
                return cleaned
        since, until = default_range(self.today)
        cleaned["since"] = cleaned.get("since") or since
        cleaned["until"] = cleaned.get("until") or max(until, cleaned["since"])
        # The same words as the audit page and the review list.
        if cleaned["until"] < cleaned["since"]:
            self.add_error("until", "The end date is before the start date.")
        return cleaned


def _dashboard(request: HttpRequest) -> tuple[DashboardRangeForm, Dashboard | None]:
    today = timezone.localdate()
    data = request.GET.copy()
    # A field left empty means the default range, which the form shows filled in.
    for name, default in zip(("since", "until"), default_range(today)):
        if not data.get(name):
            data[name] = default.isoformat()
    form = DashboardRangeForm(data, today=today)
    if not form.is_valid():
        return form, None
    return form, dashboard_for(agency=request.agency, since=form.cleaned_data["since"],
                               until=form.cleaned_data["until"], today=today)


@supervisor_required
@require_GET
@reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    form, data = _dashboard(request)
    query = request.GET.urlencode()
    return render(request, "scenarios/dashboard/dashboard.html",
                  {"form": form, "dashboard": data, "query": query}, status=400 if data is None else 200)


@supervisor_required
@require_GET
@never_cache
@reads_from_replica
def dashboard_csv(request: HttpRequest, chart: str) -> HttpResponse:
    if chart not in CHART_KEYS:
        raise Http404
    form, data = _dashboard(request)
    if data is None:
        return render(request, "scenarios/dashboard/dashboard.html",
                      {"form": form, "dashboard": None, "query": request.GET.urlencode()}, status=400)
    found = data.chart(chart)
    headers, rows = (found.headers, found.rows) if found else (("No requests logged yet",), ())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="boundaries-{chart}-{data.since:%Y%m%d}-'
                                       f'{data.until:%Y%m%d}.csv"')
    # Figures about the team's requests: kept out of every cache on the way (never_cache adds the rest).
    response["Cache-Control"] = "no-store, private"
    writer = SafeWriter(response)
    writer.writerow(headers)
    writer.writerows(rows)
    return response
