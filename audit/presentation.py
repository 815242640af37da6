"""The audit page's rows, as HTML.

Fifty rows of six cells rendered by a template loop cost more than the rest of the page (issue 14):
each row is one `str.format` of a fixed pattern here instead, with the words that repeat on every row
translated once per page. Every value from the data goes through `escape` (the standard library's,
which escapes the same five characters as Django's, without its lazy-string wrapper); only fragments
written here go in as they are. The table around the rows stays in the template.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from boundaries.dates import iso_moment, show_moment

from .models import AuditEvent

ROW = (
    '<tr>'
    '<td class="text-body-secondary" data-label="Entry">{sequence}</td>'
    '<td data-label="When"><time datetime="{iso}">{when}</time></td>'
    '<td data-label="Who">{who}</td>'
    '<td data-label="What">{what}</td>'
    '<td data-label="On">{on}</td>'
    '<td data-label="Details">{details}</td>'
    '</tr>\n'
)
NONE = '<span class="text-body-secondary">–</span>'


def rows(events: list[AuditEvent]) -> SafeString:
    """`events` carry the actor's `actor_name` and `actor_email` (audit.views._listed); both are None
    when no person acted."""
    product = gettext("Boundaries")  # who acted when no person did
    system = f'<span class="text-body-secondary">{escape(product)}</span>'
    html = []
    for event in events:
        on = NONE
        if event.target_type:
            target = escape(f"{event.target_label} {event.target_id}")
            url = event.target_url
            on = f'<a href="{escape(url)}">{target}</a>' if url else target
        details = "".join(f'<code class="audit-chip">{escape(f"{key}={value}")}</code> '
                          for key, value in event.data.items())
        html.append(ROW.format(
            sequence=event.sequence,
            iso=escape(iso_moment(event.occurred_at)),
            when=escape(show_moment(event.occurred_at)),
            who=escape(event.actor_name or event.actor_email) if event.actor_email is not None else system,
            what=escape(str(event.action_label)),
            on=on,
            details=details or NONE,
        ))
    return mark_safe("".join(html))
