"""The account page's API tokens: create (the secret shown once), see their last use, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from boundaries.one_time import one_time_form
from boundaries.tenancy import get_scoped_or_404, member_required, posted, scoped

from .forms import TokenForm
from .models import ApiToken
from .services import api_token_create, api_token_revoke

NEW_SECRET = "api_new_secret"


@member_required
@one_time_form
def token_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    form = TokenForm(posted(request), role=membership.role)
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = api_token_create(membership=membership, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Kept in the session only until the next page shows it, once.
            request.session[NEW_SECRET] = secret
            return redirect("api_tokens")
    tokens = scoped(request, ApiToken).select_related("user")
    if not membership.is_admin:
        tokens = tokens.filter(user=request.user)
    return render(request, "api/tokens.html", {
        "form": form, "tokens": tokens, "secret": request.session.pop(NEW_SECRET, None),
        "now": timezone.now(),
    }, status=400 if form.errors else 200)


@member_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (what stops working, and for whom), then revokes on the POST."""
    tokens = scoped(request, ApiToken).select_related("user")
    if not request.membership.is_admin:  # admins revoke any token of their agency; others their own
        tokens = tokens.filter(user=request.user)
    token = get_scoped_or_404(request, tokens, pk=pk)
    if request.method == "POST":
        api_token_revoke(token=token, actor=request.user)
        messages.success(request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name})
        return redirect("api_tokens")
    return render(request, "api/token_revoke.html", {"token": token})
