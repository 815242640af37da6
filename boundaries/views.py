from django.contrib.auth import views as auth_views
from django.contrib import messages
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import Membership, Role
from policies.services import awaiting_acknowledgements

from .tenancy import member_required, scoped

LANDING_TEMPLATES = {
    Role.PRACTITIONER: "home/practitioner.html",
    Role.SUPERVISOR: "home/supervisor.html",
    Role.ADMIN: "home/admin.html",
}


# The most urgent first; the rest are a link away, so a long list never buries the first things.
TODAY_SHOWN = 10


@member_required
def home(request: HttpRequest) -> HttpResponse:
    context = {"awaiting_policies": awaiting_acknowledgements(request.membership)}
    if request.membership.role == Role.ADMIN:
        staff = scoped(request, Membership).active()
        context["active_staff"] = staff.count()
    else:
        context.update(_at_a_glance(request, context["awaiting_policies"]))
    return render(request, LANDING_TEMPLATES[request.membership.role], context)


def _at_a_glance(request: HttpRequest, awaiting_policies: list) -> dict:
    """A supervisor's counts, or what needs a practitioner today (scenarios/dashboard.py)."""
    from scenarios.dashboard import practitioner_today, supervisor_glance

    today = timezone.localdate()
    # Supervisors log their own requests too: their own day comes under the team's counts.
    context = {"tasks": practitioner_today(membership=request.membership, awaiting=awaiting_policies,
                                           today=today, now=timezone.now(), limit=TODAY_SHOWN)}
    if request.membership.role == Role.SUPERVISOR:
        context.update(glance=supervisor_glance(agency=request.agency, user=request.user, today=today),
                       today=today)
    return context


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        from audit.models import AuditAction
        from audit.services import record

        response = super().form_valid(form)
        if self.request.membership is not None:
            record(agency=self.request.agency, actor=self.request.user, action=AuditAction.PASSWORD_CHANGED)
        messages.success(self.request, "Your password was changed.")
        return response


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
