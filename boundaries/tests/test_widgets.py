"""FastSelect writes the markup Django's Select writes, without a template per option."""

import re

import pytest
from django import forms

from boundaries.widgets import FastSelect
from scenarios.models import MEDIUM_CHOICES

CHOICES = [("", "Any"), *MEDIUM_CHOICES, ("a&b", 'Quotes " and <tags>')]


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("value", ["", "facebook", "a&b"])
def test_it_renders_what_djangos_select_renders(value):
    attrs = {"id": "id_medium", "class": "form-select"}
    expected = forms.Select(choices=CHOICES).render("medium", value, attrs=attrs)
    assert _tight(FastSelect(choices=CHOICES).render("medium", value, attrs=attrs)) == _tight(expected)


def test_a_chosen_staff_member_is_selected_in_the_review_filter(client_for, supervisor, practitioner):
    body = client_for(supervisor).get("/review/", {"practitioner": practitioner.user.pk}).content.decode()
    assert f'<option value="{practitioner.user.pk}" selected>Pat Practitioner</option>' in body
    assert '<option value="">Everyone</option>' in body
