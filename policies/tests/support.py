"""What a browser would post to the policy pages, for the tests."""

from __future__ import annotations

import datetime as dt
import html
import re

from audit.models import AuditEvent
from policies.forms import DraftEditor
from policies.models import Acknowledgement, PolicyVersion

HIDDEN = re.compile(r'<input type="hidden" name="(lock_version|reviewed)" value="([^"]*)"')


def form_data(version: PolicyVersion, **changes) -> dict:
    """What the edit form posts when nothing is changed, with `changes` applied on top."""
    editor = DraftEditor(policy=version.policy, lock_version=version.lock_version, draft_id=version.pk)
    data = {}
    for name, field in editor.form.fields.items():
        value = editor.form.get_initial_for_field(field, name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, dt.time):
            data[name] = value.strftime("%H:%M")
        elif value is not None:
            data[name] = value
    overrides = editor.overrides
    data.update({"override-TOTAL_FORMS": str(len(overrides.forms)), "override-INITIAL_FORMS": "0",
                 "override-MIN_NUM_FORMS": "0", "override-MAX_NUM_FORMS": "1000"})
    for index, row in enumerate(overrides.initial or []):
        data.update({f"override-{index}-{key}": value for key, value in row.items()})
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def hidden_fields(body: str) -> dict[str, str]:
    """The publish page's record of which saved draft it shows, as the browser posts it back."""
    return {name: html.unescape(value) for name, value in HIDDEN.findall(body)}


def row_counts() -> dict[str, int]:
    """Every table a policy write touches, to show that a refused input wrote nothing."""
    return {model.__name__: model.objects.count()
            for model in (PolicyVersion, Acknowledgement, AuditEvent)}
