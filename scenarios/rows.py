"""The rows of the review list and of "My requests", as HTML.

A list page's rows cost more than everything else on it when a template loop renders them: 25 rows of
seven cells are some 500 template nodes, each resolved, escaped and joined on every request (issue 14
measured 13 ms of a 30 ms page). Here each row is one `str.format` of a fixed pattern, with the words
that repeat on every row (the phone layout's cell labels, the badges) translated once per page. The
markup is the same the templates wrote; the table around the rows stays in the template.

Every value that comes from the data or a translation goes through `escape`: the standard library's,
which escapes the same five characters as Django's, without its lazy-string wrapper. Only fragments
written here, or built by `format_html`, go in as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from boundaries.dates import show_moment

from .models import ContactRequest, RequestStatus
from .templatetags.requests import status_class

REVIEW_ROW = (
    '<tr{waits}>'
    '<td data-label="{received_label}">{received}</td>'
    '<td data-label="{practitioner_label}">{practitioner}</td>'
    '<td data-label="{client_label}">{client}</td>'
    '<td data-label="{request_label}"><a href="{url}">{title}</a></td>'
    '<td data-label="{from_label}">{who}</td>'
    '<td data-label="{chosen_label}">{chosen}{not_recommended}</td>'
    '<td data-label="{status_label}"><span class="badge {status_class}">{status}</span>{needs_review}{overdue}</td>'
    '</tr>\n'
)

MY_ROW = (
    '<tr>'
    '<td data-label="{received_label}">{received}</td>'
    '<td data-label="{request_label}"><a href="{url}">{title}</a></td>'
    '<td data-label="{from_label}">{who}</td>'
    '<td data-label="{client_label}">{client}</td>'
    '<td data-label="{recommended_label}">{recommended}{chosen}</td>'
    '<td data-label="{status_label}"><span class="badge {status_class}">{status}</span></td>'
    '</tr>\n'
)


def _detail_url() -> Callable[[int], str]:
    """A request's URL from its id, with the URL reversed once per page rather than once per row."""
    marker = 999_999_999
    before, after = reverse("scenarios:detail", args=[marker]).split(str(marker))
    return lambda pk: f"{before}{pk}{after}"


def _escaped(**words: str) -> dict[str, str]:
    return {key: escape(value) for key, value in words.items()}


def review_rows(requests: list[ContactRequest], today: dt.date) -> SafeString:
    """The review list's rows; each request carries `practitioner_name` and `waiting` (scenarios.views)."""
    labels = _escaped(
        received_label=gettext("Received"), practitioner_label=gettext("Practitioner"),
        client_label=gettext("Client"), request_label=gettext("Request"), from_label=gettext("From"),
        chosen_label=gettext("Chosen"), status_label=gettext("Status"))
    not_recommended = format_html(' <span class="small">{}</span>', gettext("(not the recommendation)"))
    needs_review = format_html(' <span class="badge text-bg-warning">{}</span>', gettext("Needs review"))
    overdue = format_html(' <span class="badge text-bg-danger">{}</span>', gettext("Follow-up overdue"))
    url = _detail_url()
    html = []
    for row in requests:
        closed = row.status == RequestStatus.CLOSED
        html.append(REVIEW_ROW.format(
            **labels,
            waits=' class="waits-for-me"' if row.waiting else "",
            received=escape(show_moment(row.received_at)),
            practitioner=escape(row.practitioner_name),
            client=escape(row.client_reference or "–"),
            url=escape(url(row.pk)),
            title=escape(row.title),
            who=escape(row.who_label),
            chosen=escape(row.chosen_option_label or "–"),
            not_recommended=not_recommended if row.chosen_option and row.chosen_option not in row.recommended
            else "",
            status_class=status_class(row.status),
            status=escape(row.status_label),
            needs_review=needs_review if row.needs_review and row.status != RequestStatus.AWAITING_APPROVAL else "",
            overdue=overdue if row.follow_up_on is not None and row.follow_up_on < today and not closed else "",
        ))
    return mark_safe("".join(html))


def my_rows(requests) -> SafeString:
    """The rows of "My requests" (a page of the practitioner's own)."""
    labels = _escaped(
        received_label=gettext("Received"), request_label=gettext("Request"), from_label=gettext("From"),
        client_label=gettext("Client"), recommended_label=gettext("Recommended"), status_label=gettext("Status"))
    url = _detail_url()
    html = []
    for row in requests:
        chosen = ""
        if row.chosen_option:
            chosen = format_html('<span class="d-block small text-body-secondary">{}</span>', gettext(
                "Chosen: %(chosen_option_display)s") % {"chosen_option_display": row.chosen_option_label.lower()})
        html.append(MY_ROW.format(
            **labels,
            received=escape(show_moment(row.received_at)),
            url=escape(url(row.pk)),
            title=escape(row.title),
            who=escape(row.who_label),
            client=escape(row.client_reference or "–"),
            recommended=escape(row.recommendation_label),
            chosen=chosen,
            status_class=status_class(row.status),
            status=escape(row.status_label),
        ))
    return mark_safe("".join(html))
