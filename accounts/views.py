from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from boundaries.one_time import one_time_form
from boundaries.tenancy import get_scoped_or_404, member_required, posted, role_required, scoped, set_active_agency

from . import services
from .forms import AgencySwitchForm, RoleForm, StaffAddForm
from .models import INVITATION_LIFETIME, Invitation, Membership, Role

admin_required = role_required(Role.ADMIN)


def _get_membership_for_admin(request: HttpRequest, pk: int) -> Membership:
    return get_scoped_or_404(request, Membership.objects.select_related("user", "agency"), pk=pk)


@admin_required
def staff_list(request: HttpRequest) -> HttpResponse:
    memberships = scoped(request, Membership.objects.select_related("user")).order_by(
        "-is_active", "user__full_name", "pk"
    )
    page = Paginator(memberships, 25).get_page(request.GET.get("page"))
    # Only the address is shown: the invitee's name would tell whether the address had an account.
    invitations = (scoped(request, Invitation).unanswered().select_related("user")
                   .order_by("-created_at", "-pk")[:50])
    return render(request, "accounts/staff_list.html", {
        "page": page, "invitations": invitations, "now": timezone.now(),
        "invitation_days": INVITATION_LIFETIME.days,
    })


def _added_message(email: str, agency_name: str, role: str) -> str:
    """The same words whether the address was new (an account) or known (an invitation)."""
    return (f"Thank you. We emailed {email} a link to join {agency_name} as {role}. "
            "Until they follow it, they can't see anything here.")


@admin_required
@one_time_form
def staff_add(request: HttpRequest) -> HttpResponse:
    form = StaffAddForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_add(agency=request.agency, actor=request.user, request=request, **form.cleaned_data)
        except services.AlreadyInAgency as error:
            form.add_error("email", error)
        else:
            role = Role(form.cleaned_data["role"]).label.lower()
            messages.success(request, _added_message(form.cleaned_data["email"], request.agency.name, role))
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_add.html", {"form": form}, status=400 if form.errors else 200)


@admin_required
def staff_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership_for_admin(request, pk)
    form = RoleForm(posted(request), initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.staff_change_role(membership=membership, actor=request.user,
                                                 role=form.cleaned_data["role"])
        except ValidationError as error:
            form.add_error("role", error)
        else:
            messages.success(request, f"{changed.user.full_name} is now {changed.get_role_display().lower()}.")
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_role.html", {"form": form, "member": membership},
                  status=400 if form.errors else 200)


@admin_required
def staff_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership_for_admin(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.staff_deactivate(membership=membership, actor=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, f"{membership.user.full_name} can no longer sign in to {request.agency.name}.")
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_deactivate.html", {"member": membership, "error": error},
                  status=400 if error else 200)


@admin_required
@require_POST
def staff_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership_for_admin(request, pk)
    try:
        services.staff_reactivate(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{membership.user.full_name} can sign in to {request.agency.name} again.")
    return redirect("accounts:staff_list")


@admin_required
def invitation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_scoped_or_404(request, Invitation.objects.select_related("user", "agency"), pk=pk)
    if invitation.accepted_at is not None or invitation.cancelled_at is not None:
        messages.info(request, "That invitation was already answered or cancelled.")
        return redirect("accounts:staff_list")
    error = None
    if request.method == "POST":
        try:
            services.invitation_cancel(invitation=invitation, actor=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, f"The invitation to {invitation.user.email} is cancelled: its link no "
                                      "longer works.")
            return redirect("accounts:staff_list")
    return render(request, "accounts/invitation_cancel.html", {"invitation": invitation, "error": error},
                  status=400 if error else 200)


@login_required
def invitation_accept(request: HttpRequest, agency: str, token: str) -> HttpResponse:
    """Open to anyone signed in: the token, not the session's agency, says which agency this is."""
    try:
        invitation = services.invitation_find(agency_slug=agency, token=token)
        if invitation.user_id != request.user.pk:
            raise services.InvitationForSomeoneElse
        if request.method == "POST":
            membership = services.invitation_accept(agency_slug=agency, token=token, user=request.user)
            set_active_agency(request, membership.agency)
            messages.success(request, f"Welcome to {membership.agency.name}. You're working there now; "
                                      "switch agencies from the menu at the top.")
            return redirect("home")
    except services.InvitationUnusable:
        return render(request, "accounts/invitation_unusable.html", status=404)
    except services.InvitationForSomeoneElse:
        return render(request, "accounts/invitation_other_account.html", status=403)
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation})


@member_required
@require_POST
def agency_switch(request: HttpRequest) -> HttpResponse:
    form = AgencySwitchForm(request.POST, memberships=request.memberships)
    if not form.is_valid():
        messages.error(request, "That agency isn't one of yours, so nothing changed.")
        return redirect("home")
    membership = form.membership()
    if membership.agency_id != request.agency.pk:
        services.agency_switch(request=request, membership=membership)
    messages.success(request, f"You're working in {membership.agency.name} now.")
    return redirect("home")
