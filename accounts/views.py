import datetime as dt
import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login

from boundaries.dates import show_moment
from boundaries.one_time import one_time_form
from boundaries.tenancy import get_scoped_or_404, member_required, posted, role_required, scoped, set_active_agency

from . import services, two_factor
from .client import client_ip, normalise_email, sign_in_username
from .forms import (AgencySecurityForm, AgencySwitchForm, AgencyTimeZoneForm, CodeForm, ConfirmPasswordForm,
                    EnrolForm, RoleForm, SignInForm, StaffAddForm)
from .middleware import session_touch
from .models import INVITATION_LIFETIME, TWO_FACTOR_ROLES, Invitation, Membership, Role, User
from .throttle import throttle_forget_old, throttle_take

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
    return _("Thank you. We emailed %(email)s a link to join %(agency)s as %(role)s. "
             "Until they follow it, they can't see anything here.") % {
        "email": email, "agency": agency_name, "role": role}


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
    form = RoleForm(posted(request), initial={"role": membership.role, "profession": membership.profession})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.staff_change(membership=membership, actor=request.user,
                                            role=form.cleaned_data["role"], profession=form.cleaned_data["profession"])
        except ValidationError as error:
            form.add_error("profession" if error.code == "unknown_profession" else "role", error)
        else:
            messages.success(request, _("%(name)s is now %(role)s. Profession: %(profession)s.") % {
                "name": changed.user.full_name, "role": changed.get_role_display().lower(),
                "profession": changed.get_profession_display().lower()})
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
            messages.success(request, _("%(name)s can no longer sign in to %(agency)s.") % {
                "name": membership.user.full_name, "agency": request.agency.name})
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
        messages.success(request, _("%(name)s can sign in to %(agency)s again.") % {
            "name": membership.user.full_name, "agency": request.agency.name})
    return redirect("accounts:staff_list")


@admin_required
def invitation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_scoped_or_404(request, Invitation.objects.select_related("user", "agency"), pk=pk)
    if invitation.accepted_at is not None or invitation.cancelled_at is not None:
        messages.info(request, _("That invitation was already answered or cancelled."))
        return redirect("accounts:staff_list")
    error = None
    if request.method == "POST":
        try:
            services.invitation_cancel(invitation=invitation, actor=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("The invitation to %(email)s is cancelled: its link no longer works.")
                             % {"email": invitation.user.email})
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
            messages.success(request, _("Welcome to %(agency)s. You're working there now; switch agencies from "
                                        "the menu at the top.") % {"agency": membership.agency.name})
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
        messages.error(request, _("That agency isn't one of yours, so nothing changed."))
        return redirect("home")
    membership = form.membership()
    if membership.agency_id != request.agency.pk:
        services.agency_switch(request=request, membership=membership)
    messages.success(request, _("You're working in %(agency)s now.") % {"agency": membership.agency.name})
    return redirect("home")


# Signing in -----------------------------------------------------------------------------------

PENDING_KEY = "two_factor_pending"
SETUP_KEY = "two_factor_setup_key"


class SignInView(auth_views.LoginView):
    """Email and password; then, for anyone with an authenticator, a code (`sign_in_code`)."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: SignInForm) -> HttpResponse:
        user = form.get_user()
        if not two_factor.has_authenticator(user):
            return super().form_valid(form)
        # Not signed in yet: the session only remembers who passed the password, for a few minutes.
        self.request.session[PENDING_KEY] = {"user": user.pk, "backend": user.backend, "at": int(time.time()),
                                             "next": self.get_success_url()}
        return redirect("sign_in_code")


def _pending_sign_in(request: HttpRequest) -> tuple[User, dict] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > settings.TWO_FACTOR_PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or not services.may_sign_in(user):
        request.session.pop(PENDING_KEY, None)
        return None
    return user, pending


def _code_refused(request: HttpRequest, form: CodeForm, user: User, check: two_factor.CodeCheck) -> None:
    if check.wait_until is not None:
        seconds = max(1, int((check.wait_until - timezone.now()).total_seconds()) + 1)
        form.add_error("code", _("Several codes in a row didn't match, so please wait %(seconds)s seconds "
                                 "before trying again.") % {"seconds": seconds})
        return
    # Counted like a wrong password: the same lockout and the same bounded audit event.
    user_login_failed.send(sender=__name__, credentials={"username": user.email, "step": "code"},
                           request=request)
    form.add_error("code", _("That code doesn't match. Type the code your app shows now, or one of your "
                             "recovery codes."))


@never_cache
def sign_in_code(request: HttpRequest) -> HttpResponse:
    pending = _pending_sign_in(request)
    if pending is None:
        messages.info(request, _("Please sign in again: the code step waits only a few minutes."))
        return redirect("login")
    user, data = pending
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.email}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return locked_out(request, None, credentials)
        check = two_factor.two_factor_check(user=user, token=form.cleaned_data["code"])
        if check.device is None:
            _code_refused(request, form, user, check)
        else:
            del request.session[PENDING_KEY]
            login(request, user, backend=data["backend"])
            otp_login(request, check.device)
            left = two_factor.signed_in_with_code(user=user, method=check.method)
            if check.method == "recovery_code":
                messages.warning(request, _("You used a recovery code; %(left)s left. Make a new set from "
                                            "Account and security if you are running low.") % {"left": left})
            return redirect(data["next"])
    return render(request, "registration/sign_in_code.html", {"form": form},
                  status=400 if form.errors else 200)


def locked_out(request: HttpRequest, response: HttpResponse | None = None,
               credentials: dict | None = None) -> HttpResponse:
    """What axes shows for a locked (email, address) pair: the same for an account and an unknown email."""
    request.session.pop(PENDING_KEY, None)
    email = sign_in_username(request, credentials)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = SignInForm(request, initial={"username": email})
    return render(request, "registration/login.html", {
        "form": form, "lockout_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT,
    }, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, with at most a few mails an hour per address and per client address.

    An address over its limit gets the same "check your email" page (so the page still doesn't tell
    whether it has an account) and no mail; a client address over its limit is told to wait.
    """

    def form_valid(self, form) -> HttpResponse:
        now, window = timezone.now(), dt.timedelta(hours=1)
        throttle_forget_old(window=window, now=now)
        ip = client_ip(self.request) or "unknown"
        if not throttle_take(scope="password_reset_ip", key=ip, limit=settings.PASSWORD_RESET_PER_IP,
                             window=window, now=now):
            form.add_error(None, _("We've had many reset requests from your network in the last hour. "
                                   "Please wait an hour and try again, or ask your agency admin for help."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        email = normalise_email(form.cleaned_data["email"])
        if not throttle_take(scope="password_reset_address", key=email, limit=settings.PASSWORD_RESET_PER_ADDRESS,
                             window=window, now=now):
            return redirect(self.get_success_url())
        return super().form_valid(form)


# Session limits -------------------------------------------------------------------------------


def _session_status(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False})
    return JsonResponse({"signed_in": True, "seconds_left": request.session_seconds_left,
                         "ends": request.session_ends_by})


@require_GET
@never_cache
def session_status(request: HttpRequest) -> JsonResponse:
    """How long this session has left; asking doesn't count as activity."""
    return _session_status(request)


@require_POST
@never_cache
def session_keepalive(request: HttpRequest) -> JsonResponse:
    if request.user.is_authenticated:
        session_touch(request)
    return _session_status(request)


# Account and two-factor sign-in ---------------------------------------------------------------


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "accounts/account.html", {
        "codes_left": two_factor.recovery_codes_left(user) if user.two_factor_enabled else 0,
        "requiring": two_factor.memberships_requiring_two_factor(user),
        "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
        "max_hours": settings.SESSION_MAX_SECONDS // 3600,
    })


@login_required
@never_cache  # the page holds the new secret, and then the recovery codes
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    key = request.session.get(SETUP_KEY) or two_factor.new_totp_key()
    request.session[SETUP_KEY] = key
    form = EnrolForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor.two_factor_enrol(user=request.user, key=key, token=form.cleaned_data["code"])
        except two_factor.WrongCode as error:
            form.add_error("code", error)
        else:
            del request.session[SETUP_KEY]
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "first_time": True})
    url = two_factor.totp_setup_url(user=request.user, key=key)
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr_svg": mark_safe(two_factor.totp_qr_svg(url)),  # our own SVG, no user text in it
        "key_text": two_factor.totp_key_for_people(key),
        "requiring": two_factor.memberships_requiring_two_factor(request.user),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
@never_cache
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    try:
        codes = two_factor.recovery_codes_renew(user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("account")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "first_time": False})


@login_required
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    form = ConfirmPasswordForm(posted(request), user=request.user, submit_label=_("Turn off two-factor sign-in"))
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.two_factor_disable(user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Two-factor sign-in is off. You sign in with your password alone now."))
            return redirect("account")
    return render(request, "accounts/two_factor_disable.html", {
        "form": form, "requiring": two_factor.memberships_requiring_two_factor(request.user),
    }, status=400 if form.errors else 200)


@admin_required
def agency_security(request: HttpRequest) -> HttpResponse:
    form = AgencySecurityForm(posted(request), initial={"require_two_factor": request.agency.require_two_factor})
    if request.method == "POST" and form.is_valid():
        required = form.cleaned_data["require_two_factor"]
        try:
            two_factor.agency_require_two_factor(agency=request.agency, actor=request.user, required=required)
        except ValidationError as error:
            form.add_error("require_two_factor", error)
        else:
            messages.success(request, _("Saved. Admins and supervisors here must now sign in with a code.")
                             if required else _("Saved. Two-factor sign-in is now each person's own choice here."))
            return redirect("accounts:agency_security")
    people = (scoped(request, Membership).active().filter(role__in=TWO_FACTOR_ROLES)
              .select_related("user").order_by("user__full_name", "pk"))
    return render(request, "accounts/agency_security.html", {"form": form, "people": people},
                  status=400 if form.errors else 200)


@admin_required
def agency_settings(request: HttpRequest) -> HttpResponse:
    """The agency's own settings: for now its time zone."""
    form = AgencyTimeZoneForm(posted(request), initial={"time_zone": request.agency.time_zone})
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_set_time_zone(agency=request.agency, actor=request.user,
                                                   time_zone=form.cleaned_data["time_zone"])
        except ValidationError as error:
            form.add_error("time_zone", error)
        else:
            now = timezone.localtime(timezone.now(), agency.zone)
            messages.success(request, _("Saved. %(agency)s works in %(zone)s time: it's %(now)s there now.") % {
                "agency": agency.name, "zone": agency.time_zone, "now": show_moment(now)})
            return redirect("accounts:agency_settings")
    # The zone this request really runs in (AgencyMiddleware), and its local time.
    return render(request, "accounts/agency_settings.html", {
        "form": form, "now": timezone.localtime(), "zone_name": timezone.get_current_timezone_name(),
    }, status=400 if form.errors else 200)
