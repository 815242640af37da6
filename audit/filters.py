"""What an admin can narrow the audit trail by: dates (agency local time), who, and what."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import QuerySet, Subquery
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.safestring import SafeString

from boundaries.dates import REVERSED_RANGE
from boundaries.filter_forms import bound_data, rendered, staff_choices, use_choices
from boundaries.tenancy import scoped_staff
from boundaries.widgets import FastSelect

from .models import AuditAction, AuditEvent


def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the agency's local time."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def within_days(queryset: QuerySet, since: date | None, until: date | None) -> QuerySet:
    """Events of those local days, as a sequence range, so pages still seek on (agency, sequence).

    Filtering on time alone made PostgreSQL walk the sequence index backwards through every newer
    event (400 ms for a month a year back, in a million). Times never run backwards along a chain
    (audit.services.record), so the first and last event of the range, each one probe of the
    (agency, occurred_at, sequence) index, bound the sequence; the time filter stays as well.
    """
    events = queryset.values("sequence")
    if since is not None:
        start = day_start(since)
        first = events.filter(occurred_at__gte=start).order_by("occurred_at", "sequence")[:1]
        queryset = queryset.filter(occurred_at__gte=start, sequence__gte=Subquery(first))
    if until is not None:
        end = day_start(until + timedelta(days=1))
        last = events.filter(occurred_at__lt=end).order_by("-occurred_at", "-sequence")[:1]
        queryset = queryset.filter(occurred_at__lt=end, sequence__lte=Subquery(last))
    return queryset


# Far enough for any real record; dates beyond it would overflow the day arithmetic.
LATEST_DATE = date(9000, 12, 31)


# A target as the audit page names it: "app.model:id" (only those characters, so no free text
# reaches an export's own event).
TARGET_PATTERN = r"^[a-z_]{1,20}\.[a-z_]{1,20}:[0-9]{1,20}$"


class AuditFilterForm(forms.Form):
    def clean(self) -> dict:
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        for name, value in (("since", since), ("until", until)):
            if value and value > LATEST_DATE:
                self.add_error(name, _("Choose a date before the year 9000."))
                return cleaned
        if since and until and until < since:
            self.add_error("until", REVERSED_RANGE)
        target = cleaned.get("target")
        if target and not re.fullmatch(TARGET_PATTERN, target):
            self.add_error(None, _("That link names no entry we keep. Clear the filters to see every entry."))
        return cleaned


class AuditEventFilter(django_filters.FilterSet):
    since = django_filters.DateFilter(label=_("From"), method="filter_since",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    until = django_filters.DateFilter(label=_("To"), method="filter_until",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    # FastSelect: no template per option (boundaries/widgets.py); the staff list is kept per staff version.
    actor = django_filters.ModelChoiceFilter(label=_("Who"), queryset=scoped_staff, empty_label=_("Anyone"),
                                             widget=FastSelect)
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditAction.choices, empty_label=_("Any action"),
                                         widget=FastSelect)
    target = django_filters.CharFilter(label=_("On"), method="filter_target", widget=forms.HiddenInput)

    class Meta:
        form = AuditFilterForm
        fields: list[str] = []

    def fields_html(self) -> SafeString:
        """The form's fields as HTML, rendered once per distinct input, with the staff list kept per
        staff version (boundaries/filter_forms.py)."""
        field = self.form.fields["actor"]
        staff = staff_choices(self.request, field.empty_label)
        use_choices(field, staff)
        return rendered("audit", bound_data(self.form), staff, lambda: self._render(self.form))

    @staticmethod
    def _render(form: forms.Form) -> str:
        return render_to_string("audit/_filter_fields.html", {"form": form})

    @classmethod
    def blank_html(cls, request) -> SafeString:
        """The fields with no filter chosen (the first and the Older pages), as `fields_html` renders them
        for empty data: a filter set is built only when no earlier request rendered them for this staff
        list, so a page without filters pays for no form."""
        staff = staff_choices(request, cls.base_filters["actor"].extra["empty_label"])

        def render() -> str:
            filterset = cls(QueryDict(), queryset=AuditEvent.objects.none(), request=request)
            use_choices(filterset.form.fields["actor"], staff)
            return cls._render(filterset.form)

        # The key `bound_data` makes for empty data: every field, with no value.
        return rendered("audit", tuple((name, ()) for name in cls.base_filters), staff, render)

    def filter_since(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return within_days(queryset, value, None)

    def filter_until(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return within_days(queryset, None, value)

    def filter_target(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        target_type, _, target_id = value.partition(":")
        return queryset.filter(target_type=target_type, target_id=target_id)

    def codes(self) -> dict[str, str | int]:
        """The filter as codes only, for the export's own audit event."""
        cleaned = self.form.cleaned_data
        codes = {key: cleaned[key].isoformat() for key in ("since", "until") if cleaned.get(key)}
        if cleaned.get("actor"):
            codes["actor"] = cleaned["actor"].pk
        if cleaned.get("action"):
            codes["action"] = cleaned["action"]
        if cleaned.get("target"):
            codes["target"] = cleaned["target"]
        return codes
