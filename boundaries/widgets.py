"""A select box rendered in Python, for the filter forms' long lists.

Django's Select renders every option through a template of its own; the review and audit filter
forms (some 60 options with the staff list) spent 17 to 20 ms on that per page (issue 14). This
writes the same markup as django/forms/widgets/select.html, escaped the same way.
"""

from __future__ import annotations

from html import escape

from django import forms
from django.utils.choices import normalize_choices
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: in order, True as a bare name, False left out."""
    return format_html_join("", "{}", ((
        format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
        for key, value in attrs.items() if value is not False and value is not None))


def _option(value, label, selected: set[str]) -> str:
    value = "" if value is None else str(value)
    # html.escape is what django.utils.html.escape runs, without its check for lazy strings per call.
    return f'<option value="{escape(value)}"{" selected" if value in selected else ""}>{escape(str(label))}</option>'


class FastSelect(forms.Select):
    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value) -> None:
        # A list of (value, label) pairs, or of (group, pairs), is kept as given: Django would normalise
        # it again for every form (0.2 ms a page for the staff list); anything else is normalised.
        self._choices = value if isinstance(value, (list, tuple)) else normalize_choices(value)

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        selected = {str(item) for item in self.format_value(value)}
        parts = [format_html('<select name="{}"{}>', name, _attrs(self.build_attrs(self.attrs, attrs)))]
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.extend(_option(inner_value, inner_label, selected) for inner_value, inner_label in option_label)
                parts.append("</optgroup>")
            else:
                parts.append(_option(option_value, option_label, selected))
        parts.append("</select>")
        return mark_safe("".join(parts))
