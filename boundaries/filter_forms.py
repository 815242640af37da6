"""The review and audit filter forms' HTML, rendered once per distinct input and then reused.

Rendering those forms through crispy forms cost 10 to 20 ms a page, more than the rest of the
list they sit on (issue 14). Their HTML is a pure function of the form's data, the agency's staff
list (the "who" choices), the active language and the code, so a key made of those can never
serve a stale form: someone just added to the staff changes the list, and so the key, at once.

The memos (boundaries/memo.py) live in the worker's own memory. The staff list is kept too, under
the agency's staff version (`Agency.staff_version`, moved by accounts/signals.py whenever someone
joins or leaves or a name or email changes), which comes with the agency's row that every request
reads anyway: a page reads the staff only after a change, and its key stands for the list in the
form's memo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from hashlib import blake2b

from django import forms
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .memo import Memo
from .tenancy import scoped_staff

MEMO_SIZE = 256  # distinct (form, data, staff list, language) renderings kept per worker, some 3 MB
memo = Memo(MEMO_SIZE)
STAFF_MEMO_SIZE = 64  # agencies' staff lists kept per worker
staff_memo = Memo(STAFF_MEMO_SIZE)


@dataclass(frozen=True)
class Staff:
    key: tuple  # which agency, and which version of its staff
    choices: list[tuple[object, str]]
    ids: frozenset[str] = frozenset()  # the staff's ids as a form submits them


def staff_choices(request: HttpRequest, empty_label: str) -> Staff:
    """The agency's staff as select choices, labelled as the model names them (`str(user)`), read
    from the database only when this worker has not read this version of them."""
    agency = getattr(request, "agency", None)
    if agency is None:
        return Staff((None,), [("", empty_label)])
    # The creation time as well as the id: a database restored or rebuilt may reuse an id.
    key = (agency.pk, agency.created_at, agency.staff_version)

    def read() -> tuple[tuple[tuple[object, str], ...], frozenset[str]]:
        rows = scoped_staff(request).values_list("pk", "full_name", "email")
        choices = tuple((pk, name or email) for pk, name, email in rows)
        return choices, frozenset(str(pk) for pk, _ in choices)

    choices, ids = staff_memo.get_or_make(key, read)
    return Staff(key, [("", empty_label), *choices], ids)


class _SharedChoices:
    """Choices nobody changes, shared by every form made from the class: Django deep-copies a choice
    field's whole list into each new form (a tenth of a millisecond a form for the review filter)."""

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result


class FixedChoiceField(_SharedChoices, forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._choices = tuple(self._choices)  # shared by every form: nobody may change it in place


class StaffChoiceField(_SharedChoices, forms.TypedChoiceField):
    """Someone of the agency's staff, by id: the list kept per worker (`staff_choices`), given to each
    form by `use()`. Only the widget takes the list; a value is checked against the staff's ids.
    (Given to the field as choices, all of them were normalised again on every page.)"""

    # As a model choice field words it: the value itself is not repeated back.
    default_error_messages = {"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]}

    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, choices=(), **kwargs)
        self.staff = Staff((None,), [])

    def use(self, staff: Staff) -> None:
        self.staff = staff
        self.widget.choices = staff.choices

    def valid_value(self, value) -> bool:
        # "05" or " 5" names the same person, as the database would read it.
        try:
            return str(int(value)) in self.staff.ids
        except (TypeError, ValueError):
            return False


def use_choices(field: forms.Field, staff: Staff) -> None:
    """Render the field from the staff already read, instead of querying the field's queryset again."""
    field.widget.choices = staff.choices


def _values(data, name: str) -> list:
    return data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]


def bound_data(form: forms.Form) -> tuple | None:
    """What of the form's data its HTML depends on: its own fields' values (None when unbound)."""
    return tuple((name, tuple(_values(form.data, name))) for name in form.fields) if form.is_bound else None


def rendered(name: str, data: tuple | None, staff: Staff, render: Callable[[], str]) -> SafeString:
    """`render()`'s HTML for this form, taken from the memo when the same inputs rendered it before."""
    key = blake2b(repr((name, get_language(), data, staff.key)).encode(), digest_size=20).hexdigest()
    return mark_safe(memo.get_or_render(key, render))
