"""Rows every app shares."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from boundaries.tenancy import TenantModel


class FormSubmission(TenantModel):
    """The first submit of a create form, claimed by its one-time token (see boundaries/one_time.py).

    A second submit with the same token and the same answers finds this row and is sent to
    `result_url`, the page the first one led to, instead of creating the thing again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    # A SHA-256 of the token and the answers, so a page reused with changed answers is a new submit.
    key = models.CharField(max_length=64)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "user", "key"], name="form_submission_key_uniq"),
        ]

    def __str__(self) -> str:
        return f"form submission {self.key[:8]} by user {self.user_id}"
