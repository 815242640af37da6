from collections.abc import Callable, Sequence

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from scenarios.engine.facts import Profession

from .models import (PROFESSION_CHOICES, TIME_ZONE_MAX_LENGTH, Membership, Role, canonical_time_zone,
                     suggested_time_zones, validate_time_zone)

PROFESSION_HELP = _("The guidance cites their own professional code first (ACA for a counsellor, NASW for a social "
                    "worker).")


class SignInForm(AuthenticationForm):
    error_messages = {
        # The same words whether or not the address exists, so the form reveals nothing.
        "invalid_login": _("That email and password don't match an active account. Check both and try again."),
        "inactive": _("That email and password don't match an active account. Check both and try again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Sign in")))

    def confirm_login_allowed(self, user) -> None:
        """Someone deactivated in every agency they belong to can't sign in, unless an agency has invited them."""
        super().confirm_login_allowed(user)
        from .services import may_sign_in

        if not may_sign_in(user):
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")


class StaffAddForm(forms.Form):
    full_name = forms.CharField(max_length=150, label=_("Full name"))
    email = forms.EmailField(label=_("Work email"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(choices=Role.choices, initial=Role.PRACTITIONER,
                             help_text=_("Practitioners log requests; supervisors write policy and review; "
                                       "admins manage staff and the audit trail."))
    # Left out of a post (a script, an older page), the profession is "other": the general references apply.
    profession = forms.ChoiceField(choices=PROFESSION_CHOICES, initial=Profession.OTHER, required=False,
                                   help_text=PROFESSION_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Add staff member")))

    def clean_profession(self) -> str:
        return self.cleaned_data["profession"] or Profession.OTHER

    def clean_email(self) -> str:
        # Whether the address has an account (at another agency) is never said here: see staff_add.
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    """A staff member's role and profession in this agency."""

    role = forms.ChoiceField(choices=Role.choices)
    # Left out of a post (an older page, a script), the profession stays as it is.
    profession = forms.ChoiceField(choices=PROFESSION_CHOICES, required=False, help_text=PROFESSION_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


class AgencySwitchForm(forms.Form):
    """Choose one of the agencies the person works in; anything else is not a choice."""

    agency = forms.TypedChoiceField(coerce=int, label=_("Agency"))

    def __init__(self, *args, memberships: list[Membership], **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = {membership.agency_id: membership for membership in memberships}
        self.fields["agency"].choices = [(membership.agency_id, membership.agency.name) for membership in memberships]

    def membership(self) -> Membership:
        return self.memberships[self.cleaned_data["agency"]]


class CodeForm(forms.Form):
    """The second step of signing in: a code from the app, or one recovery code."""

    code = forms.CharField(
        label=_("Code"), max_length=20, strip=True,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false",
                                      "autocapitalize": "off"}))

    def __init__(self, *args, submit_label: str = _("Sign in"), **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label))


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your app"), max_length=10, strip=True,
        help_text=_("After adding Boundaries to your app, type the 6-digit code it shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "spellcheck": "false"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Turn on two-factor sign-in")))


class ConfirmPasswordForm(forms.Form):
    """Asks for the password again before a change that weakens or replaces the account's protection."""

    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, user, submit_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label, css_class="btn-danger"))

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That isn't your current password. Check it and try again."),
                                        code="wrong_password")
        return password


class AgencySecurityForm(forms.Form):
    require_two_factor = forms.BooleanField(
        required=False, label=_("Require two-factor sign-in for admins and supervisors"),
        help_text=_("They will be asked to set it up the next time they open a page here. Practitioners "
                  "can still turn it on for themselves."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


class DatalistInput(forms.TextInput):
    """A text box with the browser's own list of suggestions (a <datalist>): type to narrow, or pick one."""

    def __init__(self, options: Callable[[], Sequence[str]], attrs: dict | None = None):
        super().__init__(attrs)
        self.options = options  # called when drawn, so importing the form reads no files

    def render(self, name: str, value, attrs: dict | None = None, renderer=None) -> SafeString:
        list_id = f"{(attrs or {}).get('id') or name}-options"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join("", '<option value="{}"></option>', ((option,) for option in self.options()))
        return format_html("{}<datalist id=\"{}\">{}</datalist>", html, list_id, options)


class AgencyTimeZoneForm(forms.Form):
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=TIME_ZONE_MAX_LENGTH,
        widget=DatalistInput(suggested_time_zones, attrs={"autocomplete": "off", "spellcheck": "false",
                                                            "autocapitalize": "off"}),
        help_text=_("Start typing your city or region, such as Chicago or Madrid, and pick it from the list."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save time zone")))

    def clean_time_zone(self) -> str:
        # Forgiving about case and spaces ("america/new york"), strict about the place itself.
        name = canonical_time_zone(self.cleaned_data["time_zone"]) or self.cleaned_data["time_zone"]
        validate_time_zone(name)
        return name
