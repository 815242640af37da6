"""Idempotency-Key on POSTs: the same key and body within 24 hours replays the first response.

The row is written *before* the work, in the same transaction: a second POST racing the first
waits on the unique (agency, token, key) index until the first commits, then finds its row and
replays it, so two concurrent POSTs create one request. Work that fails rolls the row back too,
so a refused request can be retried with the same key.
"""

from __future__ import annotations

import hashlib
import re
from functools import wraps

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from .models import IDEMPOTENCY_WINDOW, IdempotentResponse

KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


class KeyReused(exceptions.APIException):
    status_code = 422
    default_detail = ("This Idempotency-Key was already used with a different request. "
                      "Use a new key for a new request.")


def idempotent(method):
    @wraps(method)
    def wrapped(view, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return method(view, request, *args, **kwargs)
        if not KEY.match(key):
            raise exceptions.ValidationError(
                {"Idempotency-Key": _("Use 1 to 200 visible ASCII characters, such as a UUID.")})
        body_hash = hashlib.sha256(request.method.encode() + b" " + request.get_full_path().encode() + b"\n"
                                   + request.body).hexdigest()
        token, now = request.auth, timezone.now()
        with transaction.atomic():
            IdempotentResponse.objects.filter(agency=token.agency, token=token, key=key,
                                              created_at__lte=now - IDEMPOTENCY_WINDOW).delete()
            try:
                with transaction.atomic():
                    row = IdempotentResponse.objects.create(agency=token.agency, token=token, key=key,
                                                            path=request.path[:200], body_hash=body_hash,
                                                            created_at=now)
            except IntegrityError:
                row = IdempotentResponse.objects.get(agency=token.agency, token=token, key=key)
                if row.body_hash != body_hash or row.status is None:
                    raise KeyReused() from None
                return Response(row.response, status=row.status, headers={"Idempotent-Replayed": "true"})
            response = method(view, request, *args, **kwargs)
            row.status, row.response = response.status_code, response.data
            row.save(update_fields=["status", "response"])
        return response

    return wrapped
