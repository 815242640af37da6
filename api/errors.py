"""Django's 404 and 500 handlers, answering problem+json under /api/ and the usual pages elsewhere."""

from __future__ import annotations

from django.views import defaults

from .problems import json_problem

API_ROOT = "/api/"


def not_found(request, exception):
    if request.path.startswith(API_ROOT):
        return json_problem(404, "There is nothing at this address in the API. The reference is at /api/v1/docs.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_ROOT):
        return json_problem(500, "Something went wrong on our side. It has been logged; try again later.")
    return defaults.server_error(request)
