"""A request's status badge colour, shared by the request's own page and the lists (scenarios/rows.py)."""

from django import template

register = template.Library()

# The badge's colours by status; any other status is "in progress" blue.
STATUS_CLASSES = {"closed": "text-bg-secondary", "awaiting_approval": "text-bg-warning",
                  "open": "text-bg-light border"}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-info")
