"""A request's status as a badge, for the lists (one call a row instead of an included template)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# The badge's colours by status; any other status is "in progress" blue.
STATUS_CLASSES = {"closed": "text-bg-secondary", "awaiting_approval": "text-bg-warning",
                  "open": "text-bg-light border"}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-info")


@register.simple_tag
def status_badge(req) -> SafeString:
    """The badge the request's own page shows, without that page's element id (a list has many)."""
    return format_html('<span class="badge {}">{}</span>', status_class(req.status), req.status_label)
