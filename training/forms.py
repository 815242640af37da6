from __future__ import annotations



from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scenarios import privacy
from scenarios.engine import FactsError, parse_facts
from scenarios.engine.citations import CITATIONS
from scenarios.engine.vocabulary import ClientStatus, Relationship

from .builtin import facts_document
from .judging import Choice
from .models import TrainingScenario, lines

CLIENT_RELATIONSHIPS = {Relationship.CURRENT_CLIENT.value, Relationship.CLIENT_FAMILY.value,
                        Relationship.FORMER_CLIENT.value}
# Where the engine's fact names land in the form.
FACT_FIELDS = {"kind": "kind", "platform": "medium", "relationship": "relationship",
               "client_status": "client_status", "discharged_on": "discharged_months_ago"}
MAX_MONTHS = 600


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=(), widget=forms.RadioSelect, label=_("Your answer"),
                               error_messages={"required": "Choose one answer before you see the feedback.",
                                               "invalid_choice": "Choose one of the answers listed."})

    def __init__(self, *args, choices: tuple[Choice, ...], question: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = [(choice.value, choice.label) for choice in choices]
        self.fields["answer"].label = question
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Answer and see the feedback")))


class TrainingScenarioForm(forms.ModelForm):
    citation_keys = forms.MultipleChoiceField(
        choices=[(key, f"{citation.code} {citation.section}: {citation.gist}") for key, citation in CITATIONS.items()],
        widget=forms.CheckboxSelectMultiple, required=False, label=_("Professional code sections that apply"),
        help_text=_("The sections the guidance already cites. Check the official text before relying on one."))

    class Meta:
        model = TrainingScenario
        fields = ["title", "situation", "answer_kind", "kind", "medium", "relationship", "client_status",
                  "discharged_months_ago", "late_evening", "small_community", "considerations",
                  "reflective_questions", "citation_keys"]
        labels = {
            "title": "Title",
            "situation": "The situation",
            "answer_kind": "How staff answer",
            "kind": "What kind of request",
            "medium": "Platform or channel",
            "relationship": "Who sends it (their relationship to the practitioner)",
            "client_status": "The client's status",
            "discharged_months_ago": "Months since discharge",
            "late_evening": "It arrives late in the evening",
            "small_community": "A small community where paths cross anyway",
            "considerations": "Considerations",
            "reflective_questions": "Questions to take to supervision",
        }
        help_texts = {
            "situation": "A few sentences in your own words. No names, contact details or diagnoses.",
            "discharged_months_ago": "Only for a discharged client: the cooling-off period counts from discharge.",
            "considerations": "One a line: what a practitioner should weigh.",
            "reflective_questions": "Two or three, one a line.",
        }
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 4}),
            "considerations": forms.Textarea(attrs={"rows": 4}),
            "reflective_questions": forms.Textarea(attrs={"rows": 3}),
            "answer_kind": forms.RadioSelect,
            "client_status": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_status"].choices = [("", "Not a client")] + [
            (status.value, status.label) for status in ClientStatus]
        self.fields["discharged_months_ago"].widget.attrs.update({"min": 1, "max": MAX_MONTHS})
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the scenario")))

    def _refuse_contact_details(self, name: str) -> None:
        value = self.cleaned_data.get(name)
        if value and privacy.contact_details(value):
            self.add_error(name, _("This looks like an email address or a phone number: leave contact details out."))

    def clean(self):
        data = super().clean()
        for name in ("title", "situation", "considerations", "reflective_questions"):
            self._refuse_contact_details(name)
        considerations = lines(data.get("considerations") or "")
        if "considerations" in data and not considerations:
            self.add_error("considerations", _("Write at least one consideration."))
        elif len(considerations) > 8:
            self.add_error("considerations", _("Keep it to eight considerations at most, one a line."))
        questions = lines(data.get("reflective_questions") or "")
        if "reflective_questions" in data and not 2 <= len(questions) <= 3:
            self.add_error("reflective_questions", _("Write two or three questions, one a line."))
        relationship, status = data.get("relationship"), data.get("client_status")
        months = data.get("discharged_months_ago")
        if relationship in CLIENT_RELATIONSHIPS and not status:
            self.add_error("client_status", _("Choose the client's status for a client or their family."))
        if relationship and relationship not in CLIENT_RELATIONSHIPS and status:
            self.add_error("client_status", _("Only a client or their family has a client status: choose "
                                              "\u201cNot a client\u201d."))
        if status == ClientStatus.DISCHARGED and months is None:
            self.add_error("discharged_months_ago", _("Say how many months ago the client was discharged."))
        if months is not None and status != ClientStatus.DISCHARGED:
            self.add_error("discharged_months_ago", _("Months since discharge are only for a discharged client."))
        elif months is not None and not 1 <= months <= MAX_MONTHS:
            self.add_error("discharged_months_ago", _("Choose between 1 and %(most)s months.") % {"most": MAX_MONTHS})
        if not self.errors:
            self._check_facts()
        return data

    def _check_facts(self) -> None:
        """The engine must be able to read the facts; its problems land by the fields they concern."""
        instance = self.instance
        for name in self.Meta.fields:
            if name in self.cleaned_data:
                setattr(instance, name, self.cleaned_data[name])
        try:
            parse_facts(facts_document(instance.as_scenario(), timezone.localdate()))
        except FactsError as error:
            for path, message in error.errors:
                self.add_error(FACT_FIELDS.get(path.removeprefix("facts.").split(".")[0]), message)
        except ValueError as error:  # a date the calendar can't hold
            self.add_error("discharged_months_ago", str(error))


