"""/api/v1/: the same rules as the browser, through the same services, for one token's agency."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import exceptions, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from audit.models import AuditChainHead, AuditEvent
from policies.document import DEFAULT_POLICY, schema_of, to_document
from policies.models import PolicyVersion
from policies.services import policy_in_force
from scenarios import services as request_services
from scenarios.engine import evaluate
from scenarios.engine.document import parse_facts
from scenarios.engine.errors import FactsError
from scenarios.models import ContactRequest, RequestStatus
from scenarios.views import LIST_DEFER

from . import serializers as s
from .idempotency import idempotent
from .models import Scope

PROBLEM = OpenApiResponse(description="A problem (RFC 9457): application/problem+json with field errors.")
PROBLEMS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 429: PROBLEM}
IDEMPOTENCY = OpenApiParameter("Idempotency-Key", {"type": "string", "pattern": "^[!-~]{1,200}$"},
                               OpenApiParameter.HEADER, required=False,
                               description="Send the same key with the same body to get the first response again.")


PAGING = [OpenApiParameter("cursor", str, description="The `next` link's cursor."),
          OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": 200}, description="Rows a page, 50 unless given.")]
EVALUATE_QUERY = [OpenApiParameter("version", int,
                                   description="A published policy version number; the one in force if left out.")]
REQUESTS_QUERY = [s.RequestFilter, *PAGING]
AUDIT_QUERY = [s.AuditQuery]


def _page_of(name: str, row) -> serializers.Serializer:
    return inline_serializer(name, {"next": serializers.URLField(allow_null=True),
                                    "previous": serializers.URLField(allow_null=True), "results": row(many=True)})


def _query_names(parameters) -> set[str]:
    """The query parameters an operation declares in its schema (OpenApiParameter or a serializer)."""
    names = set()
    for parameter in parameters:
        if isinstance(parameter, OpenApiParameter):
            if parameter.location == OpenApiParameter.QUERY:
                names.add(parameter.name)
        elif isinstance(parameter, type) and issubclass(parameter, serializers.Serializer):
            names |= set(parameter().fields)
    return names


class ApiView(APIView):
    required_scopes: dict[str, str] = {}
    # The query parameters each method's schema declares (the same lists go to @extend_schema). Not
    # named `query`: DRF dispatches a method to the attribute of its name, and QUERY is a method.
    query_parameters: dict[str, list] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, scopes and rates come first
        # A query parameter the operation doesn't declare is refused, so a misspelt filter (?stauts=)
        # is an error the client sees, not a list quietly unfiltered. The schema is the one list.
        method = request.method.lower()
        if method == "options" or method not in self.http_method_names or not hasattr(self, method):
            return  # the endpoint's description, or no such operation (a 405), whatever the query says
        known = _query_names(self.query_parameters.get("GET" if method == "head" else request.method, []))
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise exceptions.ValidationError(
                {name: "This operation takes no such query parameter." for name in unknown})

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            timezone.deactivate()  # the token's agency zone, activated when it was authenticated


class Paging(CursorPagination):
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        """A `limit` out of range is refused, not quietly clamped: the client learns what it will get."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {"limit": _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}})
        return int(raw)


class NewestFirst(Paging):
    ordering = ("-received_at", "-pk")


class ByNumber(Paging):
    ordering = ("-number",)


def _released_version(request, number: int) -> PolicyVersion:
    return get_object_or_404(PolicyVersion.objects.for_agency(request.agency).released(), number=number)


class EvaluateView(ApiView):
    required_scopes = {"POST": Scope.GUIDANCE}
    query_parameters = {"POST": EVALUATE_QUERY}

    @extend_schema(request=s.EvaluateIn, parameters=[*EVALUATE_QUERY, IDEMPOTENCY], responses={200: OpenApiResponse(description="The engine's guidance."), **PROBLEMS})
    @idempotent
    def post(self, request):
        raw_version = request.query_params.get("version")
        body = s.EvaluateIn(data=request.data)
        body.is_valid(raise_exception=True)
        if raw_version is None:
            _version, policy = policy_in_force(request.agency, timezone.localdate())
        else:
            if not raw_version.isdigit() or len(raw_version) > 9:
                raise exceptions.ValidationError({"version": _("Give a policy version number, such as 3.")})
            policy = _released_version(request, int(raw_version)).policy
        try:
            facts = parse_facts(body.validated_data["facts"], at="facts")
        except FactsError as error:
            raise exceptions.ValidationError({path: [message] for path, message in error.errors}) from None
        guidance = evaluate(facts, policy, request_services.local_naive(timezone.now()))
        return Response(guidance.to_dict())


def _visible_requests(request):
    """The caller's own requests; a supervisor's are their review scope, the agency's."""
    rows = ContactRequest.objects.for_agency(request.agency).select_related("policy_version")
    if request.membership.role != Role.SUPERVISOR:
        rows = rows.filter(practitioner=request.user)
    return rows


class RequestListView(ApiView):
    required_scopes = {"GET": Scope.REQUESTS_READ, "POST": Scope.REQUESTS_WRITE}
    query_parameters = {"GET": REQUESTS_QUERY}

    @extend_schema(operation_id="requests_list", parameters=REQUESTS_QUERY,
                   responses={200: _page_of("RequestPage", s.RequestOut), **PROBLEMS})
    def get(self, request):
        filters = s.RequestFilter(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        rows = _visible_requests(request).defer(*LIST_DEFER)
        if status := filters.validated_data.get("status"):
            rows = rows.filter(status=status)
        if kind := filters.validated_data.get("kind"):
            rows = rows.filter(kind=kind)
        if since := filters.validated_data.get("since"):
            rows = rows.filter(received_at__gte=since)
        paginator = NewestFirst()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(s.RequestOut(page, many=True).data)

    @extend_schema(request=s.RequestIn, parameters=[IDEMPOTENCY],
                   responses={201: s.RequestDetailOut, **PROBLEMS})
    @idempotent
    def post(self, request):
        body = s.RequestIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["medium"] = data.pop("platform")
        try:
            created = request_services.request_log(agency=request.agency, practitioner=request.user,
                                                   profession=request.membership.profession, **data)
        except request_services.ValidationError as error:
            raise exceptions.ValidationError(
                {("platform" if field == "medium" else field): messages
                 for field, messages in error.message_dict.items()}) from None
        return Response(s.RequestDetailOut(created).data, status=201)


class RequestDetailView(ApiView):
    required_scopes = {"GET": Scope.REQUESTS_READ}

    @extend_schema(responses={200: s.RequestDetailOut, **PROBLEMS})
    def get(self, request, pk: int):
        return Response(s.RequestDetailOut(get_object_or_404(_visible_requests(request), pk=pk)).data)


class RequestCloseView(ApiView):
    required_scopes = {"POST": Scope.REQUESTS_WRITE}

    @extend_schema(request=s.CloseIn, parameters=[IDEMPOTENCY], responses={200: s.RequestDetailOut, **PROBLEMS})
    @idempotent
    def post(self, request, pk: int):
        # Only the practitioner who logged a request closes it, as in the browser.
        contact_request = get_object_or_404(
            ContactRequest.objects.for_agency(request.agency).filter(practitioner=request.user)
            .select_related("policy_version", "agency"), pk=pk)
        body = s.CloseIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with transaction.atomic():
            option = data.get("option")
            if option and contact_request.status == RequestStatus.OPEN:
                request_services.request_choose_option(contact_request=contact_request, actor=request.user,
                                                       option=option, reason=data["reason"])
            elif option and option != contact_request.chosen_option:
                raise exceptions.ValidationError({"option": _("An option has already been chosen for this request.")})
            request_services.request_close(contact_request=contact_request, actor=request.user,
                                           outcome=data["outcome"], note=data["note"])
        return Response(s.RequestDetailOut(contact_request).data)


class PolicyView(ApiView):
    required_scopes = {"GET": Scope.POLICY_READ}

    @extend_schema(responses={200: s.PolicyOut, **PROBLEMS})
    def get(self, request):
        version, _policy = policy_in_force(request.agency, timezone.localdate())
        document = to_document(DEFAULT_POLICY) if version is None else version.export()
        return Response({"number": getattr(version, "number", None),
                         "effective_from": getattr(version, "effective_from", None),
                         "schema": schema_of(document), "document": document})


def _version_row(version: PolicyVersion, today) -> dict:
    return {"number": version.number, "title": version.title, "effective_from": version.effective_from,
            "published_at": version.published_at, "state": version.state_on(today, version.in_force_pk)}


class PolicyVersionListView(ApiView):
    required_scopes = {"GET": Scope.POLICY_READ}
    query_parameters = {"GET": PAGING}

    @extend_schema(operation_id="policy_versions_list", parameters=PAGING, responses={200: _page_of("VersionPage", s.VersionOut), **PROBLEMS})
    def get(self, request):
        today = timezone.localdate()
        rows = PolicyVersion.objects.for_agency(request.agency).released().with_in_force_on(today)
        paginator = ByNumber()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(s.VersionOut([_version_row(v, today) for v in page], many=True).data)


class PolicyVersionDetailView(ApiView):
    required_scopes = {"GET": Scope.POLICY_READ}

    @extend_schema(responses={200: s.PolicyOut, **PROBLEMS})
    def get(self, request, number: int):
        version = _released_version(request, number)
        document = version.export()
        return Response({"number": version.number, "effective_from": version.effective_from,
                         "schema": schema_of(document), "document": document})


class AuditEventsView(ApiView):
    required_scopes = {"GET": Scope.AUDIT_READ}
    query_parameters = {"GET": AUDIT_QUERY}

    @extend_schema(parameters=AUDIT_QUERY, responses={200: s.AuditPage, **PROBLEMS})
    def get(self, request):
        query = s.AuditQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        after, limit = query.validated_data["after"], query.validated_data["limit"]
        # Keyset on the (agency, sequence) key: each page is one index range, however deep.
        events = list(AuditEvent.objects.filter(agency=request.agency, sequence__gt=after)
                      .order_by("sequence")[:limit])
        next_url = None
        if len(events) == limit:
            next_url = request.build_absolute_uri(f"{request.path}?after={events[-1].sequence}&limit={limit}")
        return Response({"results": s.AuditEventOut(events, many=True).data, "next": next_url})


class AuditHeadView(ApiView):
    required_scopes = {"GET": Scope.AUDIT_READ}

    @extend_schema(responses={200: s.AuditHeadOut, **PROBLEMS})
    def get(self, request):
        head = AuditChainHead.objects.filter(agency=request.agency).first()
        if head is None:
            return Response({"sequence": 0, "hash": "0" * 64, "occurred_at": None})
        return Response(s.AuditHeadOut(head).data)


class SchemaView(SpectacularJSONAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []


def reference(request):
    """Swagger UI from packaged static files (drf-spectacular-sidecar), started by our own script."""
    return render(request, "api/reference.html")
