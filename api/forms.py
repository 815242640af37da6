from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .models import DEFAULT_LIFETIME, MAX_LIFETIME, Scope, scopes_for_role


def _days_help() -> str:
    return _("From 1 to %(most)s days; %(default)s unless you change it.") % {
        "most": MAX_LIFETIME.days, "default": DEFAULT_LIFETIME.days}


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text=_("What will use it, such as “Case system sync”."))
    scopes = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, choices=(),
                                       help_text=_("Only what the system needs. Your role decides which you can give."),
                                       error_messages={"required": _("Choose at least one scope.")})
    days = forms.IntegerField(label=_("Lasts for (days)"), min_value=1, max_value=MAX_LIFETIME.days,
                              initial=DEFAULT_LIFETIME.days,
                              help_text=lazy(_days_help, str)())

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(scope, Scope(scope).label) for scope in scopes_for_role(role)]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Create token")))
