"""The one-time token of a create form (see boundaries/one_time.py)."""

from __future__ import annotations

import copy

from crispy_forms.layout import Hidden, Layout
from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from boundaries.one_time import FIELD, new_token

register = template.Library()


@register.simple_tag
def one_time_token() -> SafeString:
    """The hidden token field, for a form written out by hand."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


@register.simple_tag(takes_context=True)
def crispy_one_time(context: template.Context, form) -> SafeString:
    """`{% crispy form %}` with the token inside the form; the form's own helper is left as it is."""
    helper = copy.copy(form.helper)
    token = Hidden(FIELD, new_token())
    if helper.layout is not None:
        helper.layout = Layout(*helper.layout.fields, token)
    else:
        helper.inputs = [*helper.inputs, token]
    with context.push(one_time_form=form, one_time_helper=helper):
        return CrispyFormNode("one_time_form", "one_time_helper").render(context)
