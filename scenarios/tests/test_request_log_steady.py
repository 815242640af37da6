"""Issue 18: "Log a request" is rendered in the state its script keeps it in, so nothing moves as it
loads: the client questions only for a client relationship, the discharge date only when it applies.
Without script, base.html's <noscript> stylesheet shows what starts hidden."""

import re

from django.urls import reverse

from .test_request_views import post_log


def opening_tag(body: str, element_id: str) -> str:
    found = re.search(rf'<(?:fieldset|div|p)\s[^>]*id="{element_id}"[^>]*>', body)
    assert found, element_id
    return found.group(0)


def shown(body: str, element_id: str) -> bool:
    tag = opening_tag(body, element_id)
    assert "data-shown-without-script" in tag  # reachable without script whatever the server chose
    return not re.search(r"\shidden(?=[\s>])", tag)


def test_a_fresh_form_hides_the_client_questions(client_for, practitioner):
    body = client_for(practitioner).get(reverse("scenarios:log")).content.decode()
    assert not shown(body, "client-fields")
    assert not shown(body, "discharged-field")
    assert not shown(body, "client-fields-note")
    assert 'data-client-relationships="client_family current_client former_client"' in body
    assert 'rel="stylesheet" href="/static/boundaries/css/noscript.css"' in body.split("<noscript>")[1]


def test_a_refused_form_for_a_current_client_shows_the_client_questions_but_no_discharge_date(
        client_for, practitioner):
    response = post_log(client_for(practitioner), client_reference="")
    assert response.status_code == 400
    body = response.content.decode()
    assert shown(body, "client-fields") and not shown(body, "discharged-field")
    assert "Give a case number or initials" in body


def test_a_refused_form_for_a_discharged_client_shows_the_discharge_date(client_for, practitioner):
    response = post_log(client_for(practitioner), client_status="discharged")
    body = response.content.decode()
    assert shown(body, "client-fields") and shown(body, "discharged-field")
    assert "Give the discharge date" in body


def test_a_former_client_always_shows_the_discharge_date(client_for, practitioner):
    response = post_log(client_for(practitioner), relationship="former_client", client_status="",
                        received_at="2099-01-01T10:00")
    body = response.content.decode()
    assert shown(body, "client-fields") and shown(body, "discharged-field")


def test_a_refused_form_from_a_colleague_keeps_the_client_questions_hidden(client_for, practitioner):
    response = post_log(client_for(practitioner), relationship="colleague", received_at="2099-01-01T10:00")
    assert response.status_code == 400
    body = response.content.decode()
    assert not shown(body, "client-fields") and not shown(body, "discharged-field")
