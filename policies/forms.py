"""Forms that turn what a supervisor types into a policy document for the engine to validate.

The engine's `parse_document` is the only validator of what a policy may say; these forms
only read HTML input into the document's shape and put each engine message next to the
field it is about.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core import signing
from django.forms import formset_factory
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from policies.document import SCHEMA, STARTER_TEMPLATES, Policy, parse_document, to_document
from policies.document.errors import PolicyDocumentError
from policies.models import (AGENCY_PARAGRAPH_MAX_LENGTH, PHONE_MAX_LENGTH, StatementReceipt, validate_phone_text)
from policies.document.vocabulary import (
    CLIENT_SIDE_RELATIONSHIPS,
    AccountStance,
    AfterHours,
    Channel,
    ChannelUse,
    Conduct,
    Decision,
    PeriodUnit,
    Platform,
    PlatformGroup,
    Relationship,
    Weekday,
    choices,
)

DECISION_CHOICES = (("", _("No rule set")),) + choices(Decision)
UNIT_CHOICES = (("", _("No period")),) + choices(PeriodUnit)
TEXTS = {
    "small_community": ("exceptions", "small_community", _("Small or rural community"),
                        _("When a connection can't be avoided: who declares it and who signs it off.")),
    "accidental_connection": ("exceptions", "accidental_connection", _("Accidental connection"),
                              _("What to do after accepting a request before realising who sent it.")),
    "public_account": ("exceptions", "public_account", _("A client follows a public account"),
                       _("What staff do when someone they serve follows a public profile or page.")),
    "consult_supervisor_when": ("procedures", "consult_supervisor_when", _("When to consult a supervisor"), ""),
    "documentation": ("procedures", "documentation", _("What to document"),
                      _("Remind staff to record a client reference, never a name or diagnosis.")),
}


def rule_name(relationship: str, group: str) -> str:
    return f"{relationship}__{group}"


def why_name(relationship: str, group: str) -> str:
    return f"why__{relationship}__{group}"


def allowed_name(channel: str) -> str:
    return f"allowed__{channel}"


def uses_name(channel: str) -> str:
    return f"uses__{channel}"


def who_name(channel: str) -> str:
    return f"who__{channel}"


def conduct_name(conduct: str) -> str:
    return f"conduct__{conduct}"


def note_name(conduct: str) -> str:
    return f"conduct_note__{conduct}"


STANCE_NAME = "stance__professional_accounts"
WHO_CHOICES = tuple((relationship.value, relationship.label) for relationship in CLIENT_SIDE_RELATIONSHIPS)


class PolicyDraftForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    # Numbers of discarded drafts are used again, so the row itself is named too.
    draft_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(max_length=200, label=_("Title"))
    discharge_amount = forms.IntegerField(required=False, label=_("Amount after discharge"))
    discharge_unit = forms.ChoiceField(choices=UNIT_CHOICES, required=False, label=_("Unit after discharge"))
    leaving_amount = forms.IntegerField(required=False, label=_("Amount after leaving"))
    leaving_unit = forms.ChoiceField(choices=UNIT_CHOICES, required=False, label=_("Unit after leaving"))
    work_days = forms.MultipleChoiceField(choices=choices(Weekday), widget=forms.CheckboxSelectMultiple,
                                          required=False, label=_("Working days"))
    work_start = forms.TimeField(label=_("Day starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    work_end = forms.TimeField(label=_("Day ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    response_within_hours = forms.IntegerField(label=_("Reply to messages within (hours)"))
    after_hours = forms.ChoiceField(choices=choices(AfterHours), label=_("A message that arrives after hours"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for relationship in Relationship:
            for group in PlatformGroup:
                names = {"relationship": relationship.label, "group": group.label.lower()}
                self.fields[rule_name(relationship, group)] = forms.ChoiceField(
                    choices=DECISION_CHOICES, required=False, label=_("%(relationship)s, %(group)s: decision") % names)
                self.fields[why_name(relationship, group)] = forms.CharField(
                    required=False, max_length=2000,
                    label=_("%(relationship)s, %(group)s: reason shown to staff") % names,
                    widget=forms.Textarea(attrs={"rows": 2}))
        for channel in Channel:
            self.fields[allowed_name(channel)] = forms.BooleanField(
                required=False, label=_("%(channel)s allowed") % {"channel": channel.label})
            self.fields[uses_name(channel)] = forms.MultipleChoiceField(
                choices=choices(ChannelUse), required=False, widget=forms.CheckboxSelectMultiple,
                label=_("%(channel)s may be used for") % {"channel": channel.label})
            self.fields[who_name(channel)] = forms.MultipleChoiceField(
                choices=WHO_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
                label=_("%(channel)s only with") % {"channel": channel.label}, help_text=_("Tick no one for everyone."))
        for conduct in Conduct:
            self.fields[conduct_name(conduct)] = forms.BooleanField(required=False, label=conduct.label)
            self.fields[note_name(conduct)] = forms.CharField(
                required=False, max_length=2000,
                label=_("%(conduct)s: note for staff (optional)") % {"conduct": conduct.label},
                widget=forms.Textarea(attrs={"rows": 2}))
        self.fields[STANCE_NAME] = forms.ChoiceField(
            choices=choices(AccountStance), widget=forms.RadioSelect, initial=AccountStance.ALLOWED.value,
            label=_("Separate professional accounts are"))
        for name, (_section, _key, label, help_text) in TEXTS.items():
            self.fields[name] = forms.CharField(required=False, label=label, help_text=help_text,
                                                widget=forms.Textarea(attrs={"rows": 3}))

    def grid(self) -> list[tuple[Relationship, list[tuple[forms.BoundField, forms.BoundField]]]]:
        return [(relationship, [(self[rule_name(relationship, group)], self[why_name(relationship, group)])
                                for group in PlatformGroup])
                for relationship in Relationship]

    def channel_rows(self) -> list[tuple[Channel, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(channel, self[allowed_name(channel)], self[uses_name(channel)], self[who_name(channel)])
                for channel in Channel]

    def conduct_rows(self) -> list[tuple[forms.BoundField, forms.BoundField | None, forms.BoundField]]:
        return [(self[conduct_name(conduct)], self[STANCE_NAME] if conduct is Conduct.PROFESSIONAL_ACCOUNTS else None,
                 self[note_name(conduct)]) for conduct in Conduct]

    def exception_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, spec in TEXTS.items() if spec[0] == "exceptions"]

    def procedure_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, spec in TEXTS.items() if spec[0] == "procedures"]


class OverrideForm(forms.Form):
    """One platform that differs from its group's rule for a relationship."""

    relationship = forms.ChoiceField(choices=(("", _("Choose…")),) + choices(Relationship), required=False,
                                     label=_("Relationship"))
    platform = forms.ChoiceField(choices=(("", _("Choose…")),) + choices(Platform), required=False, label=_("Platform"))
    decision = forms.ChoiceField(choices=(("", _("Choose…")),) + choices(Decision), required=False, label=_("Decision"))
    rationale = forms.CharField(required=False, max_length=2000, label=_("Reason shown to staff"))

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("relationship") or data.get("platform") or data.get("decision") or data.get("rationale"))


OverrideFormSet = formset_factory(OverrideForm, extra=2)


def _period(amount: int | None, unit: str) -> dict[str, Any] | None:
    return None if amount is None and not unit else {"amount": amount, "unit": unit}


class DraftEditor:
    """The draft form and its platform overrides, validated together through the engine."""

    def __init__(self, data=None, *, policy: Policy | None = None, lock_version: int = 0,
                 draft_id: int | None = None) -> None:
        initial = {**initial_for(policy, lock_version), "draft_id": draft_id} if policy is not None else None
        overrides = override_initial(policy) if policy is not None else None
        self.form = PolicyDraftForm(data, initial=initial)
        self.overrides = OverrideFormSet(data, initial=overrides, prefix="override")
        self.policy: Policy | None = None

    def is_valid(self) -> bool:
        form_ok, overrides_ok = self.form.is_valid(), self.overrides.is_valid()
        if not (form_ok and overrides_ok):
            return False
        document, places = self._document()
        if self.form.errors or any(override.errors for override in self.overrides.forms):
            return False
        try:
            self.policy = parse_document(document)
        except PolicyDocumentError as error:
            for path, message in error.errors:
                self._place(path, message, places)
            return False
        return True

    def _document(self) -> tuple[dict[str, Any], list[tuple[forms.Form, str | None]]]:
        data = dict(self.form.cleaned_data)  # add_error() below removes fields from cleaned_data
        rules, places = [], []
        for relationship in Relationship:
            for group in PlatformGroup:
                if decision := data[rule_name(relationship, group)]:
                    rules.append({"relationship": relationship.value, "scope": group.value, "decision": decision,
                                  "rationale": data[why_name(relationship, group)]})
                    places.append((self.form, rule_name(relationship, group)))
        for override in self.overrides.forms:
            if not override.cleaned_data or override.is_blank():
                continue
            row = dict(override.cleaned_data)  # add_error() below removes fields from cleaned_data
            missing = [name for name in ("relationship", "platform", "decision") if not row[name]]
            for name in missing:
                override.add_error(name, _("Choose one, or clear the whole row to remove it."))
            if missing:
                continue  # a half-filled row is marked, not sent to the engine
            rules.append({"relationship": row["relationship"], "scope": row["platform"],
                          "decision": row["decision"], "rationale": row["rationale"]})
            places.append((override, None))
        for prefix in ("discharge", "leaving"):
            amount, unit = data[f"{prefix}_amount"], data[f"{prefix}_unit"]
            if amount is None and unit:
                self.form.add_error(f"{prefix}_amount", _("Enter a number, or choose “No period” as the unit."))
            elif amount is not None and not unit:
                self.form.add_error(f"{prefix}_unit", _("Choose days, months or years, or clear the amount."))
        document = {
            "schema": SCHEMA,
            "title": data["title"],
            "connection_rules": rules,
            "cooling_off": {
                "after_discharge": _period(data["discharge_amount"], data["discharge_unit"]),
                "after_leaving": _period(data["leaving_amount"], data["leaving_unit"]),
            },
            "channels": [
                {"channel": channel.value, "allowed": data[allowed_name(channel)],
                 # A channel that is not allowed has no uses; ticking them first is not a mistake worth a message.
                 "uses": data[uses_name(channel)] if data[allowed_name(channel)] else [],
                 "relationships": data[who_name(channel)] if data[allowed_name(channel)] else []}
                for channel in Channel
            ],
            "working_hours": {
                "days": data["work_days"],
                "start": data["work_start"].strftime("%H:%M"),
                "end": data["work_end"].strftime("%H:%M"),
                "response_within_hours": data["response_within_hours"],
                "after_hours": data["after_hours"],
            },
            "exceptions": {key: data[name] for name, (section, key, *_rest) in TEXTS.items() if section == "exceptions"},
            "procedures": {key: data[name] for name, (section, key, *_rest) in TEXTS.items() if section == "procedures"},
            "conduct": {conduct.value: _expectation(data, conduct) for conduct in Conduct},
        }
        return document, places

    def _place(self, path: str, message: str, places: list[tuple[forms.Form, str | None]]) -> None:
        if path.startswith("connection_rules["):
            index = int(path[len("connection_rules["):].split("]")[0])
            form, field = places[index]
            form.add_error(field, message)
        elif path.startswith("channels["):
            index = int(path[len("channels["):].split("]")[0])
            channel = list(Channel)[index]
            self.form.add_error(who_name(channel) if ".relationships" in path else uses_name(channel), message)
        elif path.startswith("conduct."):
            conduct, _dot, key = path.removeprefix("conduct.").partition(".")
            self.form.add_error({"note": note_name(conduct), "stance": STANCE_NAME}.get(key, conduct_name(conduct)),
                                message)
        else:
            self.form.add_error(_FIELD_FOR_PATH.get(_strip_index(path)), message)


def _expectation(data: dict[str, Any], conduct: Conduct) -> dict[str, Any]:
    written: dict[str, Any] = {"on": data[conduct_name(conduct)]}
    if conduct is Conduct.PROFESSIONAL_ACCOUNTS:
        written["stance"] = data[STANCE_NAME]
    written["note"] = data[note_name(conduct)]
    return written


def _strip_index(path: str) -> str:
    return path.split("[")[0]


_FIELD_FOR_PATH = {
    "title": "title",
    "cooling_off.after_discharge": "discharge_amount",
    "cooling_off.after_discharge.amount": "discharge_amount",
    "cooling_off.after_discharge.unit": "discharge_unit",
    "cooling_off.after_leaving": "leaving_amount",
    "cooling_off.after_leaving.amount": "leaving_amount",
    "cooling_off.after_leaving.unit": "leaving_unit",
    "working_hours.days": "work_days",
    "working_hours.start": "work_start",
    "working_hours.end": "work_end",
    "working_hours.response_within_hours": "response_within_hours",
    "working_hours.after_hours": "after_hours",
    **{f"{section}.{key}": name for name, (section, key, *_rest) in TEXTS.items()},
}


def initial_for(policy: Policy, lock_version: int) -> dict[str, Any]:
    hours, discharge, leaving = policy.working_hours, policy.cooling_off_after_discharge, policy.cooling_off_after_leaving
    initial: dict[str, Any] = {
        "lock_version": lock_version,
        "title": policy.title,
        "discharge_amount": discharge.amount if discharge else None,
        "discharge_unit": discharge.unit.value if discharge else "",
        "leaving_amount": leaving.amount if leaving else None,
        "leaving_unit": leaving.unit.value if leaving else "",
        "work_days": [day.value for day in hours.days],
        "work_start": hours.start,
        "work_end": hours.end,
        "response_within_hours": hours.response_within_hours,
        "after_hours": hours.after_hours.value,
        "small_community": policy.exceptions.small_community_guidance,
        "accidental_connection": policy.exceptions.accidental_connection_guidance,
        "public_account": policy.exceptions.public_account_guidance,
        "consult_supervisor_when": policy.procedures.consult_supervisor_when,
        "documentation": policy.procedures.documentation,
    }
    for rule in policy.connection_rules:
        if isinstance(rule.scope, PlatformGroup):
            initial[rule_name(rule.relationship, rule.scope)] = rule.decision.value
            initial[why_name(rule.relationship, rule.scope)] = rule.rationale
    for channel_rule in policy.channels:
        initial[allowed_name(channel_rule.channel)] = channel_rule.allowed
        initial[uses_name(channel_rule.channel)] = [use.value for use in channel_rule.uses]
        initial[who_name(channel_rule.channel)] = [relationship.value for relationship in channel_rule.relationships]
    for expectation in policy.conduct:
        initial[conduct_name(expectation.conduct)] = expectation.on
        initial[note_name(expectation.conduct)] = expectation.note
        if expectation.stance is not None:
            initial[STANCE_NAME] = expectation.stance.value
    return initial


def override_initial(policy: Policy) -> list[dict[str, str]]:
    return [{"relationship": rule.relationship.value, "platform": rule.scope.value, "decision": rule.decision.value,
             "rationale": rule.rationale}
            for rule in policy.connection_rules if isinstance(rule.scope, Platform)]


class NewDraftForm(forms.Form):
    start_from = forms.ChoiceField(widget=forms.RadioSelect, label=_("Start from"))

    def __init__(self, *args, current_number: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        options = [(slug, f"{template.name}: {template.description}") for slug, template in STARTER_TEMPLATES.items()]
        if current_number is not None:
            options.insert(0, ("current", _("A copy of version %(number)s, the current published version")
                               % {"number": current_number}))
        self.fields["start_from"].choices = options
        self.fields["start_from"].initial = options[0][0]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Start the draft")))


REVIEWED_SALT = "policies.publish.reviewed"


def sign_reviewed(policy: Policy) -> str:
    """The draft as the supervisor reviewed it, signed so the page can't be fed another text to compare."""
    return signing.dumps(to_document(policy), salt=REVIEWED_SALT, compress=True)


def read_reviewed(value: str) -> Policy | None:
    """The policy `sign_reviewed` signed, or None when the value is missing or was altered."""
    try:
        return parse_document(signing.loads(value, salt=REVIEWED_SALT))
    except (signing.BadSignature, PolicyDocumentError, ValueError):
        return None


class PublishForm(forms.Form):
    """The effective date, and which saved state of the draft the supervisor reviewed on this page."""

    effective_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text=_("Requests logged from this date on are guided by this version."))
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reviewed = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Publish this version")))

    @staticmethod
    def initial_for(*, policy: Policy, lock_version: int, effective_from) -> dict[str, Any]:
        return {"effective_from": effective_from, "lock_version": lock_version, "reviewed": sign_reviewed(policy)}

    def hidden_problem(self) -> bool:
        """True when the hidden record of what was reviewed is missing or unreadable."""
        return any(self[name].errors for name in ("lock_version", "reviewed"))


class ImportForm(forms.Form):
    document = forms.FileField(label=_("Policy document (JSON)"),
                               help_text=_("A file exported from Boundaries or written to the documented schema."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Import as a draft")))

    def clean_document(self) -> object:
        upload = self.cleaned_data["document"]
        if upload.size > 1_000_000:
            raise forms.ValidationError(_("This file is larger than 1 MB; a policy document is much smaller."))
        try:
            document = json.loads(upload.read().decode("utf-8"))
        # ValueError covers bad UTF-8, bad JSON and numbers too long to read.
        except ValueError as error:
            raise forms.ValidationError(_("This file is not valid JSON (%(error)s).") % {"error": error}) from None
        except RecursionError:
            raise forms.ValidationError(_("This file nests too deeply to be a policy document.")) from None
        # The engine's reader is the one judge of a document (NUL characters included); each of
        # its path-named problems shows under the file field.
        try:
            parse_document(document)
        except PolicyDocumentError as error:
            raise forms.ValidationError([f"{path}: {message}" for path, message in error.errors]) from None
        return document


class CompareForm(forms.Form):
    a = forms.ChoiceField(label=_("Compare"))
    b = forms.ChoiceField(label=_("with"))

    def __init__(self, *args, sources: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].choices = sources
        self.fields["b"].choices = sources


EARLIEST_RECEIPT = dt.date(2000, 1, 1)


class StatementReceiptForm(forms.ModelForm):
    """A practitioner records that a client or family went through the statement: never a name."""

    class Meta:
        model = StatementReceipt
        fields = ["client_reference", "language", "received_on"]
        labels = {"client_reference": _("Client reference"), "language": _("Language they received it in"),
                  "received_on": _("Date you went through it together")}
        help_texts = {"client_reference": _("A case number or initials, such as RB-1042 or J.T. Never a name.")}
        widgets = {
            "client_reference": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = FormHelper()
        self.helper.form_action = reverse("policies:statement_receipt")
        self.helper.add_input(Submit("submit", _("Record that they received it")))

    def clean_received_on(self) -> dt.date:
        day = self.cleaned_data["received_on"]
        if day > self.today:
            raise forms.ValidationError(_("This date is in the future. Give the day you went through the statement."))
        if day < EARLIEST_RECEIPT:
            raise forms.ValidationError(_("Give a date from 2000 on, the day you went through the statement."))
        return day


# Invisible characters a paste from another program can bring (NUL is refused by every text field already).
_CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ParagraphField(forms.CharField):
    """Plain text up to the limit, counted as the browser counts it (a line break is one character)."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value: str) -> None:
        super().validate(value)
        if _CONTROL_CHARACTERS.search(value):
            raise forms.ValidationError(
                _("This text holds invisible control characters, perhaps from a copy and paste. Type it again "
                  "here, or paste it as plain text."), code="control_characters")


def _paragraph_help() -> str:
    return gettext("Optional, up to %(limit)s characters, plain text: a blank line starts a new paragraph.") % {
        "limit": AGENCY_PARAGRAPH_MAX_LENGTH}


def _paragraph(language_label: str, language: str) -> ParagraphField:
    return ParagraphField(
        label=language_label, required=False, max_length=AGENCY_PARAGRAPH_MAX_LENGTH,
        help_text=lazy(_paragraph_help, str)(),
        widget=forms.Textarea(attrs={"rows": 4, "lang": language}))


class StatementSettingsForm(forms.Form):
    """The agency's crisis numbers and its own paragraph in each language, for the client statement."""

    emergency_number = forms.CharField(
        label=_("Emergency number"), max_length=PHONE_MAX_LENGTH, validators=[validate_phone_text],
        help_text=_("The statement says: “In an emergency, call…”. Usually 911."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    crisis_number = forms.CharField(
        label=_("Crisis line"), max_length=PHONE_MAX_LENGTH, required=False, validators=[validate_phone_text],
        help_text=_("The statement says: “In a mental health crisis, call…”. Usually 988, or your "
                    "county's crisis line. Leave it empty to name none."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    crisis_texts = forms.BooleanField(label=_("The crisis line takes text messages"), required=False,
                                      help_text=_("The statement then says “call or text”."))
    paragraph_en = _paragraph(_("Your paragraph in English"), "en")
    paragraph_es = _paragraph(_("Your paragraph in Spanish"), "es")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the statement settings")))
