"""The review and audit filter forms' HTML, rendered once per distinct input and then reused.

Rendering those forms through crispy forms cost 10 to 20 ms a page, more than the rest of the
list they sit on (issue 14). Their HTML is a pure function of the form's data, the agency's staff
list (the "who" choices), the active language and the code, so a key made of those can never
serve a stale form: someone just added to the staff changes the list, and so the key, at once.

The memo (boundaries/memo.py) lives in the worker's own memory. Rendering stays one query per page:
the staff list is read once, as plain values, and handed to the widget.
"""

from __future__ import annotations

from collections.abc import Callable
from hashlib import blake2b

from django import forms
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .memo import Memo
from .tenancy import scoped_staff

MEMO_SIZE = 256  # distinct (form, data, staff list, language) renderings kept per worker, some 3 MB
memo = Memo(MEMO_SIZE)


def staff_choices(request: HttpRequest, empty_label: str) -> list[tuple[object, str]]:
    """The agency's staff as select choices, labelled as the model names them (`str(user)`)."""
    rows = scoped_staff(request).values_list("pk", "full_name", "email")
    return [("", empty_label), *((pk, name or email) for pk, name, email in rows)]


def use_choices(field: forms.Field, choices: list[tuple[object, str]]) -> None:
    """Render the field from `choices` already read, instead of querying the field's queryset again."""
    field.widget.choices = choices


def _values(data, name: str) -> list:
    return data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]


def bound_data(form: forms.Form) -> tuple | None:
    """What of the form's data its HTML depends on: its own fields' values (None when unbound)."""
    return tuple((name, tuple(_values(form.data, name))) for name in form.fields) if form.is_bound else None


def rendered(name: str, data: tuple | None, staff: list[tuple[object, str]],
             render: Callable[[], str]) -> SafeString:
    """`render()`'s HTML for this form, taken from the memo when the same inputs rendered it before."""
    key = blake2b(repr((name, get_language(), data, staff)).encode(), digest_size=20).hexdigest()
    return mark_safe(memo.get_or_render(key, render))
