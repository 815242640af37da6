"""One-time tokens: a create form sent twice (a double click, a resent page) creates one thing.

Each create form carries a fresh random token (`{% crispy_one_time form %}` or `{% one_time_token %}`
from `boundaries/templatetags/one_time.py`), and its view is wrapped in `@one_time_form`. On a POST
with a token the decorator, in one transaction:

1. prunes the user's claims older than `KEEP_FOR`, so the table stays small with no scheduled job;
2. claims the submit by inserting a `FormSubmission` keyed by (agency, user, SHA-256 of the token
   and the answers). A second, concurrent submit waits on the unique index until the first
   commits (PostgreSQL), or runs after it (SQLite serialises writes), and then finds the claim;
3. runs the view. A redirect means it succeeded: its address is kept on the claim. Anything else
   (the form re-rendered with errors) gives the claim up, so the corrected form can be sent.

A submit whose claim already exists is sent to the first one's result, with a word saying why.
Changed answers under the same token (a page reused through the back button) make a new key,
so what was typed is never dropped. A POST without a well-formed token runs the view as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import wraps
from typing import Callable

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import redirect
from django.utils import timezone

from .models import FormSubmission

FIELD = "one_time_token"
KEEP_FOR = dt.timedelta(days=1)
# Fields that change between two sends of the same page without the user changing anything.
_NOT_ANSWERS = frozenset({FIELD, "csrfmiddlewaretoken"})


class _TokenForm(forms.Form):
    one_time_token = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,64}$")


class _AlreadySubmitted(Exception):
    pass


def new_token() -> str:
    return secrets.token_urlsafe(16)


def _posted_token(request: HttpRequest) -> str | None:
    if request.method != "POST" or getattr(request, "agency", None) is None or not request.user.is_authenticated:
        return None
    form = _TokenForm(request.POST)
    return form.cleaned_data[FIELD] if form.is_valid() else None


def submission_key(request: HttpRequest, token: str) -> str:
    """The token and the answers as sent (uploads by name and size), hashed."""
    digest = hashlib.sha256(token.encode())
    for name in sorted(set(request.POST) - _NOT_ANSWERS):
        digest.update(repr(("field", name, request.POST.getlist(name))).encode("utf-8", "backslashreplace"))
    for name in sorted(request.FILES):
        uploads = [(upload.name, upload.size) for upload in request.FILES.getlist(name)]
        digest.update(repr(("file", name, uploads)).encode("utf-8", "backslashreplace"))
    return digest.hexdigest()


def _claim(request: HttpRequest, key: str) -> FormSubmission:
    now = timezone.now()
    FormSubmission.objects.filter(agency=request.agency, user=request.user, created_at__lt=now - KEEP_FOR).delete()
    try:
        return FormSubmission.objects.create(agency=request.agency, user=request.user, key=key, created_at=now)
    except IntegrityError:
        raise _AlreadySubmitted from None


def _first_result(request: HttpRequest, key: str) -> HttpResponse | None:
    claim = (FormSubmission.objects.filter(agency=request.agency, user=request.user, key=key)
             .exclude(result_url="").first())
    if claim is None:
        return None
    messages.info(request, "That was sent twice, so we saved it once. Here it is.")
    return redirect(claim.result_url)


def one_time_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Make a create view idempotent per one-time token. Put it under the access decorators."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = _posted_token(request)
        if token is None:
            return view(request, *args, **kwargs)
        key = submission_key(request, token)
        try:
            with transaction.atomic():
                claim = _claim(request, key)
                response = view(request, *args, **kwargs)
                if isinstance(response, HttpResponseRedirectBase):
                    claim.result_url = response.url
                    claim.save(update_fields=["result_url"])
                else:
                    claim.delete()
                return response
        except _AlreadySubmitted:
            # Committed claims always carry their result; without one (pruned meanwhile), send afresh.
            return _first_result(request, key) or view(request, *args, **kwargs)

    return wrapped
