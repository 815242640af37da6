from django import template

from notifications.forms import DeliveryForm
from notifications.models import CalendarFeed, Delivery, Preference

register = template.Library()


@register.inclusion_tag("notifications/_account_section.html", takes_context=True)
def notification_settings(context) -> dict:
    """The account page's part: a supervisor's delivery choice, and the calendar address."""
    request = context["request"]
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"membership": None}
    chosen = (Preference.objects.for_agency(membership.agency).filter(user=request.user)
              .values_list("waiting_delivery", flat=True).first()) or Delivery.AT_ONCE
    return {
        "membership": membership,
        "csrf_token": context.get("csrf_token"),
        "delivery_form": DeliveryForm(initial={"waiting_delivery": chosen}) if membership.is_supervisor else None,
        "has_feed": CalendarFeed.objects.for_agency(membership.agency).filter(user=request.user).exists(),
    }
