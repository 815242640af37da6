"""The client reference every record keeps: a case number or initials, never a name or a way to reach someone.

Shared by contact requests (scenarios) and statement receipts (policies), so both refuse the same things.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from scenarios import privacy

CLIENT_REFERENCE_MAX = 20
REFERENCE_EXAMPLES = "Use a case number or initials instead, for example RB-1042 or J.T."

_WORD = re.compile(r"[^\W\d_]+")


def validate_client_reference(value: str) -> None:
    """A case number or initials: an email address, a phone number or a name is refused."""
    for finding in privacy.contact_details(value):
        if finding.kind == "email":
            raise ValidationError(f"This looks like an email address. {REFERENCE_EXAMPLES}", code="email")
        raise ValidationError(f"This looks like a phone number. {REFERENCE_EXAMPLES} A case number made only "
                              "of digits can be written without spaces or dashes.", code="phone")
    words = _WORD.findall(value)
    long_words = [word for word in words if len(word) > 2]
    single_name = len(words) == 1 and value.strip() == words[0] and len(words[0]) > 2 and not words[0].isupper()
    if len(long_words) >= 2 or single_name:
        raise ValidationError(f"This looks like a name. {REFERENCE_EXAMPLES}", code="looks_like_name")
