"""The interface is marked for translation: the core pages render with Spanish active, and the layout's words follow it.

Django activates no language per request here (there is no LocaleMiddleware): the interface stays in
English until a deployment turns one on (docs/statement.md, "Adding a translation"). These tests turn
Spanish on around each request, as LocaleMiddleware would.
"""

import datetime as dt
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from policies.document import DEFAULT_POLICY
from policies.presentation import policy_lines
from scenarios import services
from tests.factories import PolicyVersionFactory

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


CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"

# One marked string per place that was once left in plain English: a message, an error, a label, a plural
# and a mail. Each must stay marked (makemessages finds it) in the file that says it.
MARKED = {
    "Version %(number)s was saved as a draft.": "policies/views.py",
    "Version %(number)s is no longer in force, so there is nothing to acknowledge. "
    "Read the version in force instead.": "policies/services.py",
    "%(relationship)s, %(group)s: decision": "policies/forms.py",
    "You're working in %(agency)s now.": "accounts/views.py",
    "You were signed out after %(minutes)s minutes without activity, to keep client records private. "
    "Sign in again to carry on.": "accounts/middleware.py",
    "Choose between 1 and %(most)s months.": "training/forms.py",
    "Request %(number)s waits for your decision.": "notifications/services.py",
    "Unknown scope: %(unknown)s. Choose from %(known)s.": "api/services.py",
    "Any action": "audit/filters.py",
    "Policy published": "audit/models.py",
    "%(counter)s needs your decision.": "templates/scenarios/review_list.html",
    "%(counter)s step of the walk-through is not documented yet:": "templates/scenarios/request_close.html",
    "You have <strong>%(counter)s</strong> recovery code left.": "templates/accounts/account.html",
    "Here is what waits for you today at %(agency)s:": "templates/notifications/reminder_email.txt",
}


def test_the_catalogue_holds_the_strings_marked_in_python_plural_sentences_and_mails():
    entries = {entry.msgid: entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}
    for msgid, source in MARKED.items():
        assert msgid in entries, f"{msgid!r} is no longer marked: run makemessages (docs/statement.md)"
        assert source in {path for path, _line in entries[msgid].occurrences}, (msgid, source)
    assert entries["%(counter)s needs your decision."].msgid_plural == "%(counter)s need your decision."


def test_a_plural_sentence_follows_the_count_in_english_and_in_spanish():
    words = "{% load i18n %}{% blocktranslate count counter=unfinished|length %}{{ counter }} step of the " \
            "walk-through is not documented yet:{% plural %}{{ counter }} steps of the walk-through are not " \
            "documented yet:{% endblocktranslate %}"
    assert words.split("%}", 1)[1] in Path(settings.BASE_DIR, "templates/scenarios/request_close.html").read_text()
    sentence = engines["django"].from_string(words)
    assert sentence.render({"unfinished": ["a"]}) == "1 step of the walk-through is not documented yet:"
    assert sentence.render({"unfinished": ["a", "b"]}) == "2 steps of the walk-through are not documented yet:"
    with translation.override("es"):
        assert sentence.render({"unfinished": ["a"]}) == "Falta documentar 1 paso de la guía:"
        assert sentence.render({"unfinished": ["a", "b"]}) == "Faltan por documentar 2 pasos de la guía:"


@pytest.fixture
def in_force(agency_a, supervisor):
    return PolicyVersionFactory(agency=agency_a, number=1, published=True, template="strict",
                                effective_from=dt.date(2026, 1, 5), published_by=supervisor.user)


def test_a_message_built_in_a_view_comes_out_in_the_active_language(client_for, practitioner, in_force):
    client = client_for(practitioner)
    url = reverse("policies:acknowledge", args=[1])
    with translation.override("es"):
        page = client.post(url, follow=True).content.decode()
    assert "Gracias. Hemos registrado que usted leyó y acepta la versión 1." in page
    again = client.post(url, follow=True).content.decode()  # English by default: the words did not change
    assert "Thank you. We recorded that you read and accept version 1." in again


def test_the_statement_receipt_message_comes_out_in_spanish(client_for, practitioner, in_force):
    data = {"client_reference": "RB-1042", "language": "es", "received_on": "2026-01-06"}
    with translation.override("es"):
        page = client_for(practitioner).post(reverse("policies:statement_receipt"), data, follow=True)
    assert "Registrado: RB-1042 revisó con usted la versión 1 de la declaración." in page.content.decode()


# The practitioner's main pages are in Spanish too (docs/statement.md): every entry located in these files
# is translated, so Spanish never falls back to English there.
PRACTITIONER_SOURCES = {
    "scenarios/forms.py", "scenarios/views.py", "templates/base.html", "templates/home/practitioner.html",
    "templates/home/_today.html", "templates/scenarios/request_log.html", "templates/scenarios/request_before.html",
    "templates/scenarios/_log_tabs.html", "templates/scenarios/request_detail.html",
    "templates/scenarios/_option_card.html", "templates/scenarios/_step.html", "templates/scenarios/_close_action.html",
    "templates/scenarios/request_close.html", "templates/scenarios/request_list.html",
    "templates/includes/session_timeout.html", "templates/notifications/_bell.html",
}


def test_the_spanish_catalogue_is_complete_for_the_practitioners_main_pages():
    entries = [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete
               and any(path in PRACTITIONER_SOURCES for path, _line in entry.occurrences)]
    assert len(entries) > 200, "the catalogue lost its file references: run makemessages with --add-location file"
    assert {path for entry in entries for path, _line in entry.occurrences} >= PRACTITIONER_SOURCES
    assert [entry.msgid for entry in entries if not entry.translated() or entry.fuzzy] == []


def test_the_log_a_request_page_reads_in_spanish_and_stays_english_by_default(client_for, practitioner):
    client = client_for(practitioner)
    english = client.get(reverse("scenarios:log")).content.decode()
    for words in ("Before you answer it on the platform, note what came in.", "What kind of request",
                  "Who sent it (their relationship to you)", "About the client", "Log it and see the guidance",
                  "Something arrived", "Back to my requests"):
        assert words in english, words
    body = spanish(client, reverse("scenarios:log")).content.decode()
    for words in ("Antes de contestar en la plataforma, anote lo que le llegó.", "Qué tipo de solicitud",
                  "Quién la envió (su relación con usted)", "Sobre el cliente", "Registrarla y ver la orientación",
                  "Me llegó algo", "Volver a mis solicitudes", "Con ellas calculamos si llegó fuera del horario"):
        assert words in body, words
    assert "What kind of request" not in body and "Log it and see the guidance" not in body


def test_a_refused_log_explains_itself_in_spanish(client_for, practitioner):
    with translation.override("es"):
        page = client_for(practitioner).post(reverse("scenarios:log"), {
            "kind": "friend_request", "medium": "facebook", "received_at": "2026-03-11T09:00",
            "relationship": "current_client"}).content.decode()
    assert "Hay respuestas que conviene revisar" in page and "Elija la situación del cliente." in page


def test_the_guidance_page_reads_in_spanish_and_stays_english_by_default(client_for, practitioner, logged):
    client = client_for(practitioner)
    url = reverse("scenarios:detail", args=[logged.pk])
    english = client.get(url).content.decode()
    for words in ("Client reference", "Policy used", "Your four options", "Choose this option", "To weigh",
                  "Summaries in our words: check the official text before relying on one."):
        assert words in english, words
    body = spanish(client, url).content.decode()
    for words in (f"Solicitud {logged.pk}", "Referencia del cliente", "Política aplicada", "Sus cuatro opciones",
                  "Elegir esta opción", "Para tener en cuenta", "Resúmenes con nuestras palabras"):
        assert words in body, words
    assert "Choose this option" not in body and "Policy used" not in body


def test_my_requests_reads_in_spanish_and_stays_english_by_default(client_for, practitioner, logged):
    client = client_for(practitioner)
    english = client.get(reverse("scenarios:list")).content.decode()
    for words in ('<h1 class="h3 mb-0">My requests</h1>', ">Awaiting the conversation</a>",
                  "Logged and not yet finished.", '<th scope="col">Received</th>', 'data-label="Client"'):
        assert words in english, words
    body = spanish(client, reverse("scenarios:list")).content.decode()
    for words in ('<h1 class="h3 mb-0">Mis solicitudes</h1>', ">Pendientes de la conversación</a>",
                  "Registradas y todavía sin terminar.", '<th scope="col">Recibida</th>', 'data-label="Cliente"',
                  "Seguimientos pendientes"):
        assert words in body, words
    assert "Logged and not yet finished." not in body


def test_the_policy_lines_follow_the_active_language():
    english = policy_lines(DEFAULT_POLICY)["hours:response"]
    assert (english.section, english.label) == ("Working hours", "Reply within")
    assert english.value == f"{DEFAULT_POLICY.working_hours.response_within_hours} hours"
    with translation.override("es"):
        lines = policy_lines(DEFAULT_POLICY)
    assert (lines["hours:response"].section, lines["hours:response"].label) == ("Horario de trabajo",
                                                                                "Plazo de respuesta")
    assert lines["hours:response"].value == f"{DEFAULT_POLICY.working_hours.response_within_hours} horas"
    assert lines["hours:days"].value == "de lunes a viernes"
