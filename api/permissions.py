"""A token may do what its scopes say, and never more than its owner's role allows today."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from .models import SCOPE_ROLES


class TokenScope(BasePermission):
    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None:
            raise exceptions.NotAuthenticated(_("Send a personal API token as Authorization: Bearer bnd_…"))
        if not hasattr(view, request.method.lower()):
            raise exceptions.MethodNotAllowed(request.method)
        # HEAD and OPTIONS need the scope of the view's first method.
        scope = view.required_scopes.get(request.method) or next(iter(view.required_scopes.values()))
        if scope not in token.scopes:
            raise exceptions.PermissionDenied(_("This token does not have the %(scope)s scope.") % {"scope": scope})
        if request.membership.role not in SCOPE_ROLES[scope]:
            raise exceptions.PermissionDenied(
                _("Your role in this agency does not allow %(scope)s.") % {"scope": scope})
        return True
