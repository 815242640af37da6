"""The ceiling: a bare view (one query, a tiny template) and, for comparison, the Django admin's
changelist of requests: what someone would reach for if the review list did not exist."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from boundaries.urls import urlpatterns as app_urlpatterns
from scenarios.models import ContactRequest


@login_required
def ceiling(request):
    """One query, a tiny template, behind the same middleware (sessions, sign-in, agency) as every page."""
    row = ContactRequest.objects.filter(agency=request.agency).values_list("pk", "status").first()
    return render(request, "bench/ceiling.html", {"row": row})


class RequestAdmin(admin.ModelAdmin):
    """The changelist as an admin would set it up: the review list's columns and filters."""

    list_display = ["received_at", "agency", "practitioner", "kind", "medium", "status", "needs_review"]
    list_filter = ["status", "needs_review", "medium", "relationship"]
    list_select_related = ["agency", "practitioner"]
    list_per_page = 25


bench_admin = admin.AdminSite(name="bench_admin")
bench_admin.register(ContactRequest, RequestAdmin)

urlpatterns = [
    path("bench/ceiling/", ceiling, name="bench_ceiling"),
    path("bench/admin/", bench_admin.urls),
    *app_urlpatterns,
]
