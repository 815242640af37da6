"""The notices page, the bell in the navigation, a supervisor's delivery choice and the calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Agency, Membership, Role
from boundaries.tenancy import member_required, role_required, scoped

from . import services
from .calendar import feed_text
from .forms import DeliveryForm
from .models import CalendarFeed, Notification, feed_token_hash

NOTICES_SHOWN = 50


def _my_notices(request: HttpRequest):
    return scoped(request, Notification).for_recipient(request.user)


@require_GET
@member_required
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = list(_my_notices(request)[:NOTICES_SHOWN])
    return render(request, "notifications/notice_list.html", {
        "notices": notices, "unread": sum(notice.read_at is None for notice in notices)})


@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The navigation's link with its count, fetched by htmx after the page, so no page pays a query for it.

    It always answers with the link, never a redirect: htmx would put the page it leads to (the
    sign-in page once a session has ended) inside the navigation. Without a place to work in, or
    before setting up a two-factor sign-in the agency requires, the link comes without a count.
    """
    membership = getattr(request, "membership", None)
    if membership is None or (membership.needs_two_factor and not request.user.two_factor_enabled):
        return render(request, "notifications/_bell.html", {"unread": 0})
    return render(request, "notifications/_bell.html", {"unread": _my_notices(request).unread().count()})


@require_POST
@member_required
def notices_read(request: HttpRequest) -> HttpResponse:
    services.notices_mark_read(agency=request.agency, user=request.user)
    messages.success(request, _("All your notices are marked as read."))
    return redirect("notifications:list")


@require_POST
@role_required(Role.SUPERVISOR)
def preference(request: HttpRequest) -> HttpResponse:
    form = DeliveryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the two ways to hear about requests waiting for you."))
        return redirect("account")
    services.preference_set(agency=request.agency, user=request.user, **form.cleaned_data)
    messages.success(request, _("Your choice is saved."))
    return redirect("account")


@require_POST
@member_required
@never_cache  # the page shows the feed's secret address, once
def calendar_renew(request: HttpRequest) -> HttpResponse:
    token = services.feed_renew(agency=request.agency, user=request.user)
    return render(request, "notifications/calendar_address.html",
                  {"address": services.feed_url(request.agency, token)})


@require_POST
@member_required
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    if services.feed_revoke(agency=request.agency, user=request.user):
        messages.success(request, _("Your calendar address no longer works. Calendars that used it stop updating."))
    return redirect("account")


@require_GET
@never_cache
def calendar(request: HttpRequest, agency: str, token: str) -> HttpResponse:
    """The person's follow-ups, for their calendar app: the address's token is the only key."""
    from scenarios.models import ContactRequest

    agency_row = get_object_or_404(Agency, slug=agency)
    feed = get_object_or_404(CalendarFeed.objects.for_agency(agency_row).select_related("user"),
                             token_hash=feed_token_hash(token))
    # Someone who has left the agency (or whose account is closed) no longer gets its dates.
    if not Membership.objects.for_agency(agency_row).active().filter(user=feed.user).exists():
        raise Http404
    requests = (ContactRequest.objects.for_agency(agency_row).for_practitioner(feed.user).not_closed()
                .filter(follow_up_on__isnull=False).prefetch_related("steps").order_by("follow_up_on", "pk"))
    response = HttpResponse(feed_text(requests, now=timezone.now()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="boundaries-follow-ups.ics"'
    return response
