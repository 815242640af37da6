"""The project's URLs plus pages with the mistakes the sweeps exist to catch (tests of the sweeps)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.response import Response
from rest_framework.views import APIView

from api.models import Scope

from boundaries.tenancy import member_required
from scenarios.models import ContactRequest


@member_required
def unscoped_detail(request, pk: int) -> HttpResponse:
    contact_request = get_object_or_404(ContactRequest, pk=pk)  # not scoped(): any agency's request
    return HttpResponse(f"<p>{contact_request.client_reference}: {contact_request.context}</p>")


@member_required
def unscoped_close(request, pk: int) -> HttpResponse:
    if request.method == "POST":
        ContactRequest.objects.filter(pk=pk).update(outcome_note="Closed by someone else")
    return redirect("home")


@member_required
def unscoped_forget_authenticator(request, pk: int) -> HttpResponse:
    if request.method == "POST":
        TOTPDevice.objects.filter(user_id=pk).delete()  # anyone's, not only the agency's people
    return redirect("home")


@csrf_exempt
@member_required
def exempt_close(request, pk: int) -> HttpResponse:
    if request.method == "POST":
        ContactRequest.objects.filter(pk=pk, agency=request.agency).update(outcome_note="Closed without a token")
    return redirect("home")


@member_required
def unescaped_context(request, pk: int) -> HttpResponse:
    contact_request = get_object_or_404(ContactRequest, pk=pk, agency=request.agency)
    return HttpResponse(mark_safe(f"<!doctype html><p>{contact_request.context}</p>"))


class UnscopedApiRequest(APIView):
    """An API endpoint that forgets the token's agency: any agency's request by its id."""

    required_scopes = {"GET": Scope.REQUESTS_READ}

    def get(self, request, pk: int):
        contact_request = get_object_or_404(ContactRequest, pk=pk)
        return Response({"client_reference": contact_request.client_reference, "context": contact_request.context})


urlpatterns = [
    path("leaky/api/<int:pk>", UnscopedApiRequest.as_view(), name="leaky_api_request"),
    path("leaky/<int:pk>/", unscoped_detail, name="leaky_detail"),
    path("leaky/<int:pk>/close/", unscoped_close, name="leaky_close"),
    path("leaky/<int:pk>/exempt/", exempt_close, name="leaky_exempt"),
    path("leaky/people/<int:pk>/forget-authenticator/", unscoped_forget_authenticator,
         name="leaky_forget_authenticator"),
    path("leaky/<int:pk>/unescaped/", unescaped_context, name="leaky_unescaped"),
    path("", include("boundaries.urls")),
]
