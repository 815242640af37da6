from __future__ import annotations

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scenarios import privacy
from scenarios.engine.guidance import StepField
from scenarios.engine.vocabulary import (
    CLIENT_SIDE_RELATIONSHIPS,
    BeforeOption,
    ClientStatus,
    Option,
    Relationship,
    RequestKind,
    Verdict,
)

from . import services
from .presentation import WalkStep
from .whatif import MAX_MONTHS
from .models import (
    BEFORE_KIND_VALUES,
    CLIENT_REFERENCE_MAX,
    CLIENT_RELATIONSHIP_VALUES,
    CONTEXT_MAX,
    MEDIUM_CHOICES,
    NOTE_MAX,
    OPTION_CHOICES,
    ContactRequest,
    Outcome,
    ReviewDecision,
    discharged_on_problem,
    received_at_problem,
    validate_client_reference,
    validate_context,
)

CLIENT_FIELDS = ("client_status", "discharged_on", "client_reference")


class RequestLogForm(forms.ModelForm):
    received_at = forms.DateTimeField(
        label=_("When it arrived"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    discharged_on = forms.DateField(
        label=_("Discharge date"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Needed for a discharged client: the cooling-off period counts from this date."),
    )
    # Shown as a tick box only when the context seems to hold a name or a diagnosis.
    context_checked = forms.BooleanField(
        required=False, widget=forms.HiddenInput,
        label=_("I've checked: these words hold no name and no diagnosis"),
    )

    class Meta:
        model = ContactRequest
        fields = ["kind", "medium", "received_at", "relationship", "client_status", "discharged_on",
                  "client_reference", "context", "small_community"]
        labels = {
            "kind": _("What kind of request"),
            "medium": _("Platform or channel"),
            "relationship": _("Who sent it (their relationship to you)"),
            "client_status": _("The client's status"),
            "client_reference": _("Client reference"),
            "context": _("Context (optional)"),
            "small_community": _("We live or work in a small community where our paths cross anyway"),
        }
        help_texts = {
            "client_reference": _("A case number or initials, such as RB-1042 or J.T. Never a name."),
            "context": _("A few words, such as “child in hospital; parent posts updates there”. "
                         "No names and no diagnosis."),
        }
        widgets = {
            "client_status": forms.RadioSelect,
            "context": forms.Textarea(attrs={"rows": 2}),
            "client_reference": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }

    def __init__(self, *args, now: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime(self.now).replace(second=0, microsecond=0))
        # Read in the agency's zone, which the request activated (AgencyMiddleware): say which one.
        self.fields["received_at"].help_text = _(
            "Your agency's local date and time (%(zone)s). We work out from it whether it came outside working "
            "hours.") % {"zone": timezone.get_current_timezone_name()}
        self.fields["client_status"].choices = [
            (value, label) for value, label in self.fields["client_status"].choices if value
        ]
        # "Before I do it" checks have a form of their own (CheckForm); here both questions are needed.
        self.fields["kind"].choices = [(value, label) for value, label in self.fields["kind"].choices
                                       if value not in BEFORE_KIND_VALUES]
        self.fields["medium"].required = self.fields["relationship"].required = True
        self.fields["client_status"].required = False
        visible = self.visible_client_fields()
        self.helper = FormHelper()
        # Rendered in the state request_form.js keeps it in, so nothing moves when the script starts.
        # What starts hidden carries data-shown-without-script: without script, the stylesheet in
        # base.html's <noscript> shows it, and the server checks the answers instead.
        self.helper.layout = Layout(
            "kind", "medium", "received_at", "relationship",
            Fieldset(
                _("About the client"),
                # Our own catalogue's words, read in the active language as the form is built.
                HTML('<p class="small text-body-secondary" id="client-fields-note" hidden data-shown-without-script>'
                     + str(_("Only for a client, a client's family member or a former client.")) + "</p>"),
                Field("client_status"),
                Div(Field("discharged_on"), css_id="discharged-field",
                    hidden="discharged_on" not in visible, data_shown_without_script=True),
                Field("client_reference"),
                css_id="client-fields", css_class="border rounded p-3 mb-3",
                hidden="client_status" not in visible, data_shown_without_script=True,
                data_client_relationships=" ".join(sorted(CLIENT_RELATIONSHIP_VALUES)),
            ),
            "context", "context_checked", "small_community",
            Div(Submit("submit", _("Log it and see the guidance")), css_class="mt-3"),
        )

    def visible_client_fields(self) -> frozenset[str]:
        """The client questions that apply to the relationship (and status) chosen so far: the typed
        answers after a refused post, the initial ones otherwise. The same rule as request_form.js."""
        relationship = self["relationship"].value()
        if relationship not in CLIENT_RELATIONSHIP_VALUES:
            return frozenset()
        discharged = (relationship == Relationship.FORMER_CLIENT
                      or self["client_status"].value() == ClientStatus.DISCHARGED.value)
        return frozenset(CLIENT_FIELDS if discharged else set(CLIENT_FIELDS) - {"discharged_on"})

    def clean_received_at(self) -> dt.datetime:
        received_at = self.cleaned_data["received_at"]
        problem = received_at_problem(received_at, self.now)
        if problem:
            raise forms.ValidationError(problem)
        return received_at

    def clean_context(self) -> str:
        context = self.cleaned_data["context"]
        validate_context(context)
        return context

    def _check_context(self, data: dict) -> None:
        """Ask before saving a context that may name the person or their condition."""
        checked = data.pop("context_checked", False)
        findings = privacy.identifying_words(data.get("context") or "")
        if not findings:
            return
        self.fields["context_checked"].widget = forms.CheckboxInput()
        if checked:
            return
        words = {
            "names": ", ".join(f"\u201c{finding.text}\u201d" for finding in findings if finding.kind == "name"),
            "diagnoses": ", ".join(f"\u201c{finding.text}\u201d" for finding in findings
                                   if finding.kind == "diagnosis"),
        }
        if words["names"] and words["diagnoses"]:
            problem = _("This may hold a name (%(names)s) and a diagnosis (%(diagnoses)s). The record needs "
                        "neither: change the words, or tick the box below if they are fine as they are.")
        elif words["names"]:
            problem = _("This may hold a name (%(names)s). The record needs neither: change the words, or tick the "
                        "box below if they are fine as they are.")
        else:
            problem = _("This may hold a diagnosis (%(diagnoses)s). The record needs neither: change the words, or "
                        "tick the box below if they are fine as they are.")
        self.add_error("context", problem % words)

    def clean(self) -> dict:
        data = super().clean()
        self._check_context(data)
        relationship = data.get("relationship")
        if relationship not in CLIENT_RELATIONSHIP_VALUES:
            for name in CLIENT_FIELDS:
                data[name] = None if name == "discharged_on" else ""
            self.errors.pop("client_reference", None)
            return data
        status = data.get("client_status")
        if relationship == Relationship.FORMER_CLIENT:
            if not status:
                status = data["client_status"] = ClientStatus.DISCHARGED.value
            elif status != ClientStatus.DISCHARGED:
                self.add_error("client_status", _("A former client has been discharged: choose Discharged."))
        elif not status:
            self.add_error("client_status", _("Choose the client's status."))
        discharged_on = data.get("discharged_on")
        if status == ClientStatus.DISCHARGED:
            if discharged_on is None and "discharged_on" not in self.errors:
                self.add_error("discharged_on",
                               _("Give the discharge date, so the cooling-off period can be worked out."))
            elif discharged_on and (problem := discharged_on_problem(discharged_on, data.get("received_at"))):
                self.add_error("discharged_on", problem)
        else:
            data["discharged_on"] = None
        if not data.get("client_reference") and "client_reference" not in self.errors:
            self.add_error("client_reference", _("Give a case number or initials, so the record can be found later."))
        return data


class ChooseOptionForm(forms.Form):
    option = forms.ChoiceField(choices=OPTION_CHOICES, widget=forms.RadioSelect,
                               error_messages={"required": _("Choose one of the options.")})
    reason = forms.CharField(
        required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Why this option?"),
        help_text=_("Needed only if you choose something other than the recommendation. Your supervisor will see it."),
    )


def _short(outcome: str) -> str:
    """An outcome's label without its explanation in brackets, to quote in a sentence."""
    return Outcome(outcome).label.split(" (")[0]


class CloseForm(forms.Form):
    """The outcomes that fit the chosen option, and a note that some outcomes need as a reason."""

    outcome = forms.ChoiceField(choices=(), widget=forms.RadioSelect, label=_("How did it end?"),
                                error_messages={"required": _("Choose how it ended."),
                                                "invalid_choice": _("Choose one of the outcomes listed.")})
    note = forms.CharField(required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                           label=_("Note or reason"))

    def __init__(self, *args, contact_request: ContactRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_request = contact_request
        outcomes = services.outcomes_for(contact_request)
        self.fields["outcome"].choices = [(outcome, Outcome(outcome).label) for outcome in outcomes]
        self.offers_already_accepted = Outcome.ALREADY_ACCEPTED in outcomes
        self.reviewed = [_short(outcome) for outcome in outcomes if services.outcome_needs_review(outcome)]
        self.accept_forbidden = contact_request.verdict_of(Option.ACCEPT) == Verdict.NOT_ALLOWED
        self.offers_already_done = Outcome.ALREADY_DONE in outcomes
        self.proceed_forbidden = contact_request.verdict_of(BeforeOption.PROCEED) == Verdict.NOT_ALLOWED
        needs = str(_(" and ")).join(f"“{label}”" for label in self.reviewed)
        self.fields["note"].help_text = (
            _("Needed for %(outcomes)s: a request closed that way goes to your supervisor for review, because the "
              "record alone can't show that your policy was kept. Say briefly what happened and why. Otherwise "
              "optional. No names and no diagnosis.") % {"outcomes": needs}
            if self.reviewed else _("Optional. No names and no diagnosis.")
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Close the request")))

    def clean(self) -> dict:
        data = super().clean()
        outcome = data.get("outcome")
        if outcome and services.outcome_needs_review(outcome) and not data.get("note"):
            self.add_error("note", _("Say briefly what happened and why: “%(outcome)s” goes to your "
                                     "supervisor for review, and your note is what they will read.")
                           % {"outcome": _short(outcome)})
        return data


class StepForm(forms.Form):
    """One walk-through step's answer: a text, a date or a tick, by the step's field."""

    revision = forms.IntegerField(
        required=False, min_value=0, widget=forms.HiddenInput,
        error_messages={key: _("This page is out of date: reload it, then save the step again.")
                        for key in ("invalid", "min_value", "max_value")},
    )

    def __init__(self, *args, contact_request: ContactRequest, step: WalkStep, today: dt.date,
                 in_phase: bool = False, **kwargs):
        # In a phase's form every step's fields carry the step key as prefix, and a box may stay empty.
        super().__init__(*args, prefix=step.key if in_phase else None, **kwargs)
        self.contact_request, self.step, self.today = contact_request, step, today
        self.fields["value"] = self._value_field(step.field, required=not in_phase)

    @staticmethod
    def _value_field(field: str, *, required: bool) -> forms.Field:
        messages = services.STEP_MESSAGES
        if field == StepField.DONE:
            return forms.BooleanField(required=False)
        if field == StepField.DATE:
            return forms.DateField(input_formats=["%Y-%m-%d"], required=required,
                                   error_messages={"required": messages["date_required"],
                                                   "invalid": messages["date_invalid"]})
        return forms.CharField(max_length=services.STEP_TEXT_MAX, required=required,
                               error_messages={"required": messages["text_required"],
                                               "max_length": messages["text_too_long"]})

    @property
    def typed(self) -> str:
        return self.data.get(self.add_prefix("value"), "")

    def clean_value(self) -> str | dt.date | bool | None:
        value = self.cleaned_data["value"]
        if self.step.field == StepField.DATE and value is not None:
            services.check_step_date(self.contact_request, self.step.key, value, self.today)
        return value


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=ReviewDecision.choices, widget=forms.RadioSelect, label=_("Your decision"),
                                 error_messages={"required": _("Choose to approve or not.")})
    note = forms.CharField(required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}),
                           label=_("Note to the practitioner"),
                           help_text=_("Needed when you don't approve: say what to do instead."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class WhatIfForm(forms.Form):
    """The what-if's period: how many months back from today (the form is read from the query string)."""

    months = forms.IntegerField(
        label=_("Months back from today"), min_value=1, max_value=MAX_MONTHS,
        # A text box, so that a slip reaches the server and its message shows by the field.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Give a number of months, such as 12."),
            "invalid": _("Give a whole number of months, such as 12."),
            "min_value": _("Give at least 1 month."),
            "max_value": _("Give at most %(limit_value)s months (ten years)."),
        },
    )
# The kinds a practitioner checks before acting, in the words of the question "What are you about to do?".
CHECK_KINDS = (
    (RequestKind.LOOK_UP_CLIENT.value, _("Look at a client's profile, blog or posts")),
    (RequestKind.POST_ABOUT_WORK.value, _("Post about work or a hard day")),
    (RequestKind.POST_PHOTO.value, _("Post a photo taken at work")),
    (RequestKind.REPLY_TO_REVIEW.value, _("Reply to an online review of the agency or of me")),
)
YES_NO = (("yes", _("Yes")), ("no", _("No")))
# The question each kind adds: the field, and the wrapper the page shows only for that kind.
CHECK_QUESTIONS = {
    "safety_concern": (RequestKind.LOOK_UP_CLIENT.value, "check-safety"),
    "written_consent": (RequestKind.POST_PHOTO.value, "check-consent"),
}


class CheckForm(forms.Form):
    """"Before I do it": what the practitioner is about to do, on one short, phone-sized page.

    The question a kind adds starts hidden in the page unless that kind is chosen, so nothing moves
    as the page loads; the script shows it as the kind changes. Without script, choosing a kind and
    sending the form brings its question back, shown, with a note to answer it.
    """

    kind = forms.ChoiceField(label=_("What are you about to do?"), choices=CHECK_KINDS, widget=forms.RadioSelect,
                             error_messages={"required": _("Choose what you are about to do."),
                                             "invalid_choice": _("Choose one of the things listed.")})
    safety_concern = forms.ChoiceField(
        label=_("Are you worried about someone's safety?"), choices=YES_NO, widget=forms.RadioSelect, required=False,
        help_text=_("For example a risk of harm that looking could help you understand."))
    written_consent = forms.ChoiceField(
        label=_("Do you have written consent from everyone we serve who is in the photo?"), choices=YES_NO,
        widget=forms.RadioSelect, required=False)
    medium = forms.ChoiceField(label=_("Where (optional)"), required=False,
                               choices=[("", _("Not on a particular platform")), *MEDIUM_CHOICES[:2]])
    relationship = forms.ChoiceField(
        label=_("Who it concerns (optional)"), required=False,
        choices=[("", _("No one in particular")), *((r.value, r.label) for r in CLIENT_SIDE_RELATIONSHIPS)])
    client_reference = forms.CharField(
        label=_("Client reference (optional)"), required=False, max_length=CLIENT_REFERENCE_MAX,
        validators=[validate_client_reference],
        help_text=_("A case number or initials, such as RB-1042 or J.T. Never a name."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    context = forms.CharField(
        label=_("Context (optional)"), required=False, max_length=CONTEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A few words, such as “photo of the playgroup for the newsletter”. No names and no "
                  "diagnosis."))
    context_checked = forms.BooleanField(
        required=False, widget=forms.HiddenInput,
        label=_("I've checked: these words hold no name and no diagnosis"),
    )

    def __init__(self, *args, now: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        chosen = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "kind",
            *(Div(Field(name), css_id=wrapper, **({} if chosen == kind else {"hidden": "hidden"}))
              for name, (kind, wrapper) in CHECK_QUESTIONS.items()),
            "medium", "relationship", "client_reference", "context", "context_checked",
            Div(Submit("submit", _("Check it and see the guidance"), css_class="btn-lg"), css_class="d-grid mt-3"),
        )

    def clean_context(self) -> str:
        context = self.cleaned_data["context"]
        validate_context(context)
        return context

    def clean(self) -> dict:
        data = super().clean()
        # The same check as the request form: ask before keeping words that may name someone.
        RequestLogForm._check_context(self, data)  # type: ignore[arg-type]
        kind = data.get("kind")
        for name, (needed_for, _wrapper) in CHECK_QUESTIONS.items():
            answer = data.get(name)
            if kind == needed_for and not answer and name not in self.errors:
                self.add_error(name, _("Answer this question: the guidance depends on it."))
            data[name] = kind == needed_for and answer == "yes"
        data["received_at"] = self.now
        return data
