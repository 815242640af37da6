"""The interface is marked for translation: the core pages render with Spanish active, and the layout's words follow it.

Django activates no language per request here (there is no LocaleMiddleware): the interface stays in
English until a deployment turns one on (docs/statement.md, "Adding a translation"). These tests turn
Spanish on around each request, as LocaleMiddleware would.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from scenarios import services

NOW = timezone.make_aware(dt.datetime(2026, 3, 11, 9, 0))


@pytest.fixture
def logged(practitioner):
    return services.request_log(agency=practitioner.agency, practitioner=practitioner.user, kind="friend_request",
                                medium="facebook", relationship="client_family", client_status="current",
                                client_reference="RB-1042", received_at=NOW, now=NOW)


def spanish(client, url: str):
    with translation.override("es"):
        return client.get(url)


@pytest.mark.parametrize("persona, url", [
    ("practitioner", "home"),
    ("practitioner", "scenarios:log"),
    ("practitioner", "scenarios:before"),
    ("practitioner", "scenarios:list"),
    ("practitioner", "policies:read"),
    ("practitioner", "training:list"),
    ("supervisor", "home"),
    ("supervisor", "scenarios:review"),
    ("supervisor", "policies:list"),
    ("supervisor", "policies:statement_settings"),
    ("admin", "home"),
    ("admin", "accounts:staff_list"),
    ("admin", "accounts:agency_settings"),
    ("admin", "audit:event_list"),
])
def test_core_pages_render_in_spanish_without_errors(request, client_for, persona, url):
    response = spanish(client_for(request.getfixturevalue(persona)), reverse(url))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="es">' in body and "Cerrar sesión" in body


def test_the_guidance_page_renders_in_spanish(client_for, practitioner, logged):
    response = spanish(client_for(practitioner), reverse("scenarios:detail", args=[logged.pk]))
    assert response.status_code == 200 and "Mis solicitudes" in response.content.decode()


def test_the_layout_and_the_practitioners_home_follow_the_active_language(client_for, practitioner):
    client = client_for(practitioner)
    english = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in english and ">My requests</a>" in english and "Skip to main content" in english
    body = spanish(client, reverse("home")).content.decode()
    for words in (">Mis solicitudes</a>", ">Política vigente</a>", "Ir al contenido principal", "Hola, Pat",
                  "Lo que le espera hoy", "Registrar una solicitud", "(Profesional, Riverside Early Intervention)"):
        assert words in body, words
    assert ">My requests</a>" not in body


def test_the_statement_keeps_the_interface_language_around_the_familys(client_for, practitioner):
    """In Spanish for the family, the menus in the worker's language, each marked with its own."""
    body = client_for(practitioner).get(reverse("policies:statement"), {"lang": "es"}).content.decode()
    assert '<html lang="es">' in body and '<header lang="en">' in body and ">Training</a>" in body
    with translation.override("es"):
        both = client_for(practitioner).get(reverse("policies:statement"), {"lang": "es"}).content.decode()
    assert "<header>" in both and ">Formación</a>" in both
