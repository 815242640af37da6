"""A token may do what its scopes say, and never more than its owner's role allows today."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from .models import SCOPE_ROLES


class TokenScope(BasePermission):
    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None:
            raise exceptions.NotAuthenticated("Send a personal API token as Authorization: Bearer bnd_…")
        scope = view.required_scopes.get(request.method)
        if scope is None:  # OPTIONS and HEAD follow GET's scope; any other unlisted method is not allowed
            scope = view.required_scopes.get("GET")
        if scope not in token.scopes:
            raise exceptions.PermissionDenied(f"This token does not have the {scope} scope.")
        if request.membership.role not in SCOPE_ROLES[scope]:
            raise exceptions.PermissionDenied(f"Your role in this agency does not allow {scope}.")
        return True
