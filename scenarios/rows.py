"""The review list's rows as plain dictionaries of what each cell shows.

A template reads a dictionary key at once, where an attribute costs a failed key lookup first, and
a tag or an include per cell costs more again; the cells are worked out here, once (issue 14).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext

from boundaries.dates import show_moment

from .models import ContactRequest, RequestStatus
from .templatetags.requests import status_class


def review_rows(requests: list[ContactRequest], today: dt.date) -> list[dict]:
    return [_review_row(row, today) for row in requests]


def _review_row(row: ContactRequest, today: dt.date) -> dict:
    closed = row.status == RequestStatus.CLOSED
    return {
        "waiting": row.waiting,
        "received": show_moment(row.received_at),
        "practitioner": row.practitioner.full_name,
        "client": row.client_reference or "–",
        "url": reverse("scenarios:detail", args=[row.pk]),
        "title": row.title,
        "who": row.who_label,
        "chosen": row.chosen_option_label or "–",
        "not_recommended": bool(row.chosen_option) and row.chosen_option not in row.recommended,
        "status": row.status_label,
        "status_class": status_class(row.status),
        "needs_review": row.needs_review and row.status != RequestStatus.AWAITING_APPROVAL,
        "overdue": row.follow_up_on is not None and row.follow_up_on < today and not closed,
    }


def my_rows(requests) -> list[dict]:
    """The rows of "My requests" (a page of the practitioner's own)."""
    return [_my_row(row) for row in requests]


def _my_row(row: ContactRequest) -> dict:
    chosen = ""
    if row.chosen_option:
        chosen = gettext("Chosen: %(chosen_option_display)s") % {
            "chosen_option_display": row.chosen_option_label.lower()}
    return {
        "received": show_moment(row.received_at),
        "url": reverse("scenarios:detail", args=[row.pk]),
        "title": row.title,
        "who": row.who_label,
        "client": row.client_reference or "–",
        "recommended": row.recommendation_label,
        "chosen": chosen,
        "status": row.status_label,
        "status_class": status_class(row.status),
    }
