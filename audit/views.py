from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from boundaries.replica import REPLICA, replica_caught_up
from boundaries.tenancy import role_required, scoped

from . import exports, presentation
from .filters import AuditEventFilter
from .models import AuditEvent

PAGE_SIZE = 50
FILTER_KEYS = ("since", "until", "actor", "action", "target")
# What a row of the page shows: not the hashes, nor the actor's whole user row. The actor's name and
# email come through the join as two columns (`listed`), not as a second model instance a row.
LIST_COLUMNS = ("agency_id", "sequence", "occurred_at", "action", "target_type", "target_id", "data")
admin_required = role_required(Role.ADMIN)


@dataclass(frozen=True)
class KeysetPage:
    events: list[AuditEvent]
    older: int | None  # the `before` value of the next older page, if there is one
    newer: int | None  # the `after` value of the next newer page, if there is one


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _keyset_page(events, *, before: int | None, after: int | None) -> KeysetPage:
    """Newest first, one query per page: seek on (agency, sequence) instead of OFFSET and COUNT."""
    if after is not None:
        rows = list(events.filter(sequence__gt=after).order_by("sequence")[:PAGE_SIZE + 1])
        has_newer, has_older = len(rows) > PAGE_SIZE, True
        rows = rows[:PAGE_SIZE][::-1]
    else:
        if before is not None:
            events = events.filter(sequence__lt=before)
        rows = list(events.order_by("-sequence")[:PAGE_SIZE + 1])
        has_newer, has_older = before is not None, len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
    return KeysetPage(rows, rows[-1].sequence if rows and has_older else None,
                      rows[0].sequence if rows and has_newer else None)


def _filtered(request: HttpRequest, data, queryset=None) -> AuditEventFilter:
    if queryset is None:
        queryset = scoped(request, AuditEvent.objects.select_related("actor"))
    return AuditEventFilter(data, queryset=queryset, request=request)


def _listed(request: HttpRequest):
    """The agency's events as the page's rows read them (audit.presentation.rows)."""
    return scoped(request, AuditEvent).only(*LIST_COLUMNS).annotate(
        actor_name=F("actor__full_name"), actor_email=F("actor__email"))


@admin_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    filterset = None
    if any(key in request.GET for key in FILTER_KEYS):
        filterset = _filtered(request, request.GET, _listed(request))
        events = filterset.qs if filterset.is_valid() else AuditEvent.objects.none()
    else:  # no filter chosen (the first and the Older pages): no filter set to build and validate
        events = _listed(request)
    page = _keyset_page(events, before=_int_param(request, "before"), after=_int_param(request, "after"))
    return _render_list(request, filterset, page)


def _render_list(request: HttpRequest, filterset: AuditEventFilter | None, page: KeysetPage, status: int = 200):
    """The page, or its results alone for htmx; `filterset` is None when no filter was chosen."""
    data = filterset.data if filterset is not None else {}
    filters = {key: data[key] for key in FILTER_KEYS if data.get(key)}
    # The filters change the results in place (htmx); a full page otherwise, and for history.
    in_place = bool(request.htmx) and not request.htmx.history_restore_request
    return render(request, "audit/_results.html" if in_place else "audit/event_list.html", {
        "filter": filterset,
        "filter_fields": filterset.fields_html() if filterset is not None else AuditEventFilter.blank_html(request),
        "page": page, "rows": presentation.rows(page.events),
        "filters": filters, "query": urlencode(filters),
        "export_formats": [("csv", _("Download CSV")), ("jsonl", _("Download JSON Lines"))],
    }, status=status)


@admin_required
@require_POST
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    filterset = _filtered(request, request.POST)
    if not filterset.is_valid():
        return _render_list(request, filterset, KeysetPage([], None, None), status=400)
    queryset, checkpoint = exports.export_begin(agency=request.agency, actor=request.user, fmt=fmt,
                                          queryset=filterset.qs, codes=filterset.codes(), via="web")
    # The rows stream from the replica once it holds the export's own event; else from the primary.
    if replica_caught_up():
        queryset = queryset.using(REPLICA)
    content_type, extension = exports.FORMATS[fmt]
    response = StreamingHttpResponse(exports.chunks(fmt, queryset, checkpoint), content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-{checkpoint.agency}-{stamp}.{extension}"'
    response["X-Audit-Head-Sequence"] = str(checkpoint.sequence)
    response["X-Audit-Head-Hash"] = checkpoint.hash
    return response
