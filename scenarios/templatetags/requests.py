"""A request's status badge colour, shared by the request's own page and the lists (scenarios/rows.py),
and the option cards of the guidance page."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from boundaries.memo import Memo

register = template.Library()

# The badge's colours by status; any other status is "in progress" blue.
STATUS_CLASSES = {"closed": "text-bg-secondary", "awaiting_approval": "text-bg-warning",
                  "open": "text-bg-light border"}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-info")


# An option's card is the same HTML for every view of the same stored guidance: four cards were a
# third of the guidance page's rendering (issue 14). Keyed by the card's every field (its repr), whether
# the form is choosing, which option is ticked and the language, so an entry can never be stale.
_cards = Memo(512)


@register.simple_tag
def option_card(card, choosing: bool, chosen_value=None) -> SafeString:
    """`scenarios/_option_card.html` for one card, from the memo when the same inputs rendered it."""
    ticked = str(chosen_value or "") if choosing else ""
    key = (get_language(), repr(card), bool(choosing), ticked)
    return mark_safe(_cards.get_or_render(key, lambda: render_to_string(
        "scenarios/_option_card.html", {"card": card, "choosing": bool(choosing), "ticked": ticked})))
