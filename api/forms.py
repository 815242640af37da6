from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from .models import DEFAULT_LIFETIME, MAX_LIFETIME, Scope, scopes_for_role


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What will use it, such as “Case system sync”.")
    scopes = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, choices=(),
                                       help_text="Only what the system needs. Your role decides which you can give.",
                                       error_messages={"required": "Choose at least one scope."})
    days = forms.IntegerField(label="Lasts for (days)", min_value=1, max_value=MAX_LIFETIME.days,
                              initial=DEFAULT_LIFETIME.days,
                              help_text=f"From 1 to {MAX_LIFETIME.days} days; {DEFAULT_LIFETIME.days} unless you change it.")

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(scope, Scope(scope).label) for scope in scopes_for_role(role)]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Create token"))
