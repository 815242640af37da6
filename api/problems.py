"""Every API error as application/problem+json (RFC 9457), with a list of field errors."""

from __future__ import annotations

import math
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

PROBLEM = "application/problem+json"


def field_errors(detail: Any, path: str = "") -> list[dict[str, str]]:
    """Flatten DRF's nested error detail into [{"field": "facts.kind", "message": "..."}]."""
    if isinstance(detail, dict):
        found = []
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            found += field_errors(value, f"{path}.{name}".strip(".") if name else path)
        return found
    if isinstance(detail, list):
        found = []
        for index, value in enumerate(detail):
            found += field_errors(value, f"{path}.{index}" if isinstance(value, (dict, list)) else path)
        return found
    return [{"field": path, "message": str(detail)}]


def problem(status: int, detail: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail,
            "errors": errors or []}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found in your agency.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages})
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    if wait := getattr(exc, "wait", None):
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        detail = "The request is not valid: see errors."
    else:
        errors, detail = [], str(exc.detail)
    set_rollback()
    return Response(problem(exc.status_code, detail, errors), status=exc.status_code, headers=headers,
                    content_type=PROBLEM)


def json_problem(status: int, detail: str) -> JsonResponse:
    return JsonResponse(problem(status, detail), status=status, content_type=PROBLEM)
