from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from boundaries.one_time import one_time_form
from boundaries.tenancy import get_scoped_or_404, posted, role_required, scoped

from . import services
from .forms import RoleForm, StaffAddForm
from .models import Membership, Role

admin_required = role_required(Role.ADMIN)


def _get_membership_for_admin(request: HttpRequest, pk: int) -> Membership:
    return get_scoped_or_404(request, Membership.objects.select_related("user", "agency"), pk=pk)


@admin_required
def staff_list(request: HttpRequest) -> HttpResponse:
    memberships = scoped(request, Membership.objects.select_related("user")).order_by(
        "-user__is_active", "user__full_name", "pk"
    )
    page = Paginator(memberships, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/staff_list.html", {"page": page})


@admin_required
@one_time_form
def staff_add(request: HttpRequest) -> HttpResponse:
    form = StaffAddForm(posted(request))
    if request.method == "POST" and form.is_valid():
        membership = services.staff_add(agency=request.agency, actor=request.user, request=request,
                                        **form.cleaned_data)
        messages.success(request, f"{membership.user.full_name} was added. "
                                  "We emailed them a link to choose a password.")
        return redirect("accounts:staff_list")
    return render(request, "accounts/staff_add.html", {"form": form})


@admin_required
def staff_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership_for_admin(request, pk)
    form = RoleForm(posted(request), initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_change_role(membership=membership, actor=request.user, role=form.cleaned_data["role"])
        except ValidationError as error:
            form.add_error("role", error)
        else:
            messages.success(request, f"{membership.user.full_name} is now {membership.get_role_display().lower()}.")
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_role.html", {"form": form, "member": membership})


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
            messages.success(request, f"{membership.user.full_name} can no longer sign in.")
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_deactivate.html", {"member": membership, "error": error},
                  status=400 if error else 200)


@admin_required
@require_POST
def staff_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership_for_admin(request, pk)
    services.staff_reactivate(membership=membership, actor=request.user)
    messages.success(request, f"{membership.user.full_name} can sign in again.")
    return redirect("accounts:staff_list")
